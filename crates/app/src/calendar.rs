//! The calendar: the Europe/London agenda, an event with who is invited, and answers to
//! invitations through the outbox.

use crate::bodies::event_body;
use crate::core::Core;
use crate::error::{AppCoreError, Result};
use crate::views::{AgendaDay, Attendee, Collection, EventDetail, EventResponse, EventSummary};
use chrono::NaiveDate;
use companion_sync::{LocalChange, Response};
use std::sync::Arc;

/// The longest agenda asked for at once, in days.
const MAX_AGENDA_DAYS: u32 = 62;
/// The years an agenda may be asked for: a date from outside this range is a mistake (or an
/// attack), and near chrono's limits the date arithmetic would overflow.
const AGENDA_YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;

/// The calendar.
pub struct CalendarService {
    core: Arc<Core>,
}

impl CalendarService {
    pub(crate) fn new(core: Arc<Core>) -> Self {
        Self { core }
    }

    /// The agenda: `days` London days from `from`, days without events left out.
    pub fn agenda(&self, from: NaiveDate, days: u32) -> Result<Vec<AgendaDay>> {
        use chrono::Datelike;
        let to = from.checked_add_days(chrono::Days::new(u64::from(days.clamp(1, MAX_AGENDA_DAYS) - 1)));
        let to = match to {
            Some(to) if AGENDA_YEARS.contains(&from.year()) && AGENDA_YEARS.contains(&to.year()) => to,
            _ => return Err(AppCoreError::Invalid("That date is outside the calendar.".into())),
        };
        let mut out: Vec<AgendaDay> = Vec::new();
        for e in self.core.vault()?.agenda(from, to)? {
            let summary = EventSummary::from(&e);
            let day = e.start_at.with_timezone(&chrono_tz::Europe::London).date_naive().max(from).to_string();
            match out.last_mut() {
                Some(d) if d.date == day => d.events.push(summary),
                _ => out.push(AgendaDay { date: day, events: vec![summary] }),
            }
        }
        Ok(out)
    }

    /// An event's details, with everyone invited and their answers.
    /// Its description is made safe once (off the async runtime), as its text when over the bounds.
    pub async fn event(&self, id: &str) -> Result<EventDetail> {
        self.core.count_use(companion_evidence::Use::EventOpened);
        let vault = self.core.vault()?;
        let e = vault.event(id)?.ok_or(AppCoreError::NotFound("That event"))?;
        let body_html = match e.body_html.as_deref() {
            Some(html) => Some(event_body(&vault, id, html).await?),
            None => None,
        };
        Ok(EventDetail {
            summary: EventSummary::from(&e),
            attendees: e.attendees.iter().map(Attendee::from).collect(),
            body_html,
        })
    }

    /// Answers a meeting invitation.
    pub async fn respond(&self, event_id: &str, response: EventResponse, comment: &str) -> Result<()> {
        if self.core.vault()?.event(event_id)?.is_none() {
            return Err(AppCoreError::NotFound("That event"));
        }
        let response = match response {
            EventResponse::Accept => Response::Accept,
            EventResponse::TentativelyAccept => Response::Tentative,
            EventResponse::Decline => Response::Decline,
        };
        let comment = Some(comment.trim().to_owned()).filter(|c| !c.is_empty());
        self.core.count_use(companion_evidence::Use::InvitationAnswered);
        self.core
            .queue(
                LocalChange::Respond { event_id: event_id.to_owned(), response, comment },
                &[Collection::Calendar, Collection::Outbox],
            )
            .await
    }
}
