//! The calendar: the agenda, an event with who is invited, and answers to invitations.

use chrono::{DateTime, SecondsFormat, Utc};
use chrono_tz::Europe::London;
use companion_vault::EventRecord;
use serde::{Deserialize, Serialize};

/// Someone's answer to an invitation (Graph's `responseStatus.response`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum ResponseStatus {
    /// No answer is expected or known.
    None,
    /// They organised it.
    Organizer,
    /// Tentatively accepted.
    TentativelyAccepted,
    /// Accepted.
    Accepted,
    /// Declined.
    Declined,
    /// Not answered yet.
    NotResponded,
}

impl ResponseStatus {
    pub(crate) fn of(graph: &str) -> Self {
        match graph {
            "organizer" => Self::Organizer,
            "tentativelyAccepted" => Self::TentativelyAccepted,
            "accepted" => Self::Accepted,
            "declined" => Self::Declined,
            "notResponded" => Self::NotResponded,
            _ => Self::None,
        }
    }
}

/// An event in the agenda.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct EventSummary {
    /// Graph id.
    pub id: String,
    /// Subject.
    pub subject: String,
    /// Start, RFC 3339 with the Europe/London offset.
    pub start: String,
    /// End, likewise.
    pub end: String,
    /// All day.
    pub is_all_day: bool,
    /// Where.
    pub location: String,
    /// Who organised it (name, or address when there is none).
    pub organizer: String,
    /// The member's own answer.
    pub response_status: ResponseStatus,
    /// Cancelled by the organiser.
    pub is_cancelled: bool,
    /// The online meeting's join link.
    pub online_meeting_url: Option<String>,
    /// The member is invited (not the organiser) and may answer.
    pub can_respond: bool,
}

impl From<&EventRecord> for EventSummary {
    fn from(e: &EventRecord) -> Self {
        let local = |t: DateTime<Utc>| t.with_timezone(&London).to_rfc3339_opts(SecondsFormat::Secs, false);
        let response_status = ResponseStatus::of(&e.response);
        Self {
            id: e.id.clone(),
            subject: e.subject.clone(),
            start: local(e.start_at),
            end: local(e.end_at),
            is_all_day: e.is_all_day,
            location: e.location.clone(),
            organizer: e
                .organizer
                .as_ref()
                .map(|o| if o.name.is_empty() { o.address.clone() } else { o.name.clone() })
                .unwrap_or_default(),
            response_status,
            is_cancelled: e.is_cancelled,
            online_meeting_url: e.online_join_url.clone(),
            can_respond: response_status != ResponseStatus::Organizer && !e.is_cancelled,
        }
    }
}

/// A day of the agenda.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AgendaDay {
    /// The London date, "YYYY-MM-DD".
    pub date: String,
    /// Its events, in order.
    pub events: Vec<EventSummary>,
}

/// How someone is invited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum AttendeeKind {
    /// Expected to attend.
    Required,
    /// Welcome to attend.
    Optional,
    /// A room or equipment.
    Resource,
}

/// Someone invited to a meeting, with their answer.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Attendee {
    /// Their name (may be empty).
    pub name: String,
    /// Their address.
    pub address: String,
    /// How they are invited.
    pub kind: AttendeeKind,
    /// Their answer.
    pub response: ResponseStatus,
}

impl From<&companion_vault::Attendee> for Attendee {
    fn from(a: &companion_vault::Attendee) -> Self {
        let kind = match a.kind.as_str() {
            "optional" => AttendeeKind::Optional,
            "resource" => AttendeeKind::Resource,
            _ => AttendeeKind::Required,
        };
        let name = if a.mailbox.name == a.mailbox.address { String::new() } else { a.mailbox.name.clone() };
        Self { name, address: a.mailbox.address.clone(), kind, response: ResponseStatus::of(&a.response) }
    }
}

/// An event's details.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct EventDetail {
    /// What the agenda shows.
    #[serde(flatten)]
    pub summary: EventSummary,
    /// Everyone invited, with their answers.
    pub attendees: Vec<Attendee>,
    /// Sanitised like a message body.
    pub body_html: Option<String>,
}

/// The member's answer to an invitation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum EventResponse {
    /// Accept.
    Accept,
    /// Tentatively accept.
    TentativelyAccept,
    /// Decline.
    Decline,
}
