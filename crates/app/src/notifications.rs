//! Notifications: after each update, at most one for the mail it brought, decided by
//! `companion-notify` from the member's settings and the council's rules; and those settings.

use crate::core::{lock, Core, LockState};
use crate::error::{AppCoreError, Result};
use crate::views::{CoreEvent, MeetingReminderNotice, NewMailNotice, NotificationSettings};
use chrono::{DateTime, NaiveTime, Utc};
use companion_notify::{
    meeting_reminder, new_mail_notice, ArrivedMail, CouncilRules, NoticeTarget, NotifySettings, QuietHours,
    UpcomingMeeting,
};
use std::sync::Arc;

const SETTINGS: &str = "notify.settings";
/// The newest arrival the member has been told about ([`ToldUpTo`], as JSON).
const TOLD_UP_TO: &str = "notify.told-up-to";
/// Arrivals read per update for the summary: it counts them, and names at most three.
const ARRIVALS_READ: usize = 200;

/// The member's notification settings.
pub struct NotificationService {
    core: Arc<Core>,
}

impl NotificationService {
    pub(crate) fn new(core: Arc<Core>) -> Self {
        Self { core }
    }

    /// The settings, with the council's part beside them.
    pub fn settings(&self) -> Result<NotificationSettings> {
        let member = stored_settings(&self.core)?;
        let council = council_rules(&self.core);
        let time = |t: NaiveTime| t.format("%H:%M").to_string();
        Ok(NotificationSettings {
            new_mail: !member.new_mail_off,
            meeting_reminders: !member.reminders_off,
            show_details: member.show_details,
            details_allowed: !council.private_notifications,
            vip_senders: member.vip_senders.into_iter().collect(),
            council_vip_senders: council.vip_senders,
            quiet_from: member.quiet_hours.map(|q| time(q.from)),
            quiet_until: member.quiet_hours.map(|q| time(q.until)),
        })
    }

    /// Keeps the member's part of `settings` (the council's part is not theirs to change).
    pub fn set_settings(&self, settings: &NotificationSettings) -> Result<NotificationSettings> {
        let time = |t: &Option<String>| -> Result<Option<NaiveTime>> {
            t.as_deref()
                .map(|t| {
                    NaiveTime::parse_from_str(t.trim(), "%H:%M")
                        .map_err(|_| AppCoreError::Invalid(format!("‘{t}’ is not a time like 22:00.")))
                })
                .transpose()
        };
        let quiet_hours = match (time(&settings.quiet_from)?, time(&settings.quiet_until)?) {
            (Some(from), Some(until)) if from != until => Some(QuietHours { from, until }),
            (Some(_), Some(_)) | (None, None) => None,
            _ => return Err(AppCoreError::Invalid("Quiet hours need a start and an end.".into())),
        };
        let mut vip_senders = std::collections::BTreeSet::new();
        for address in &settings.vip_senders {
            let address = address.trim().to_lowercase();
            if address.is_empty() {
                continue;
            }
            if !address.contains('@') || address.chars().any(char::is_whitespace) {
                return Err(AppCoreError::Invalid(format!("‘{address}’ is not an email address.")));
            }
            vip_senders.insert(address);
        }
        let member = NotifySettings {
            new_mail_off: !settings.new_mail,
            reminders_off: !settings.meeting_reminders,
            show_details: settings.show_details,
            vip_senders,
            quiet_hours,
        };
        // Plain fields (flags, addresses, times): serialising them cannot fail.
        let json = serde_json::to_string(&member).unwrap_or_else(|_| "{}".to_owned());
        self.core.vault()?.write(|w| w.set_setting(SETTINGS, &json))?;
        self.settings()
    }

    /// The reminders of meetings whose reminder time falls after `from` and at or before `to`.
    pub fn due_reminders(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<MeetingReminderNotice>> {
        let settings = stored_settings(&self.core)?;
        let council = council_rules(&self.core);
        let locked = *lock(&self.core.lock_state) == LockState::Locked;
        Ok(self
            .core
            .vault()?
            .reminders_between(from, to)?
            .into_iter()
            .filter_map(|e| {
                let meeting = UpcomingMeeting {
                    id: e.id,
                    subject: e.subject,
                    start: e.start_at,
                    location: e.location,
                    join_url: e.online_join_url,
                };
                let notice = meeting_reminder(&meeting, &settings, &council, locked)?;
                Some(MeetingReminderNotice { title: notice.title, body: notice.body, event_id: meeting.id })
            })
            .collect())
    }

    /// Reminds the member of meetings for as long as the future runs, looking every half
    /// minute for reminder times that have come. While the app is locked its cache is closed:
    /// those reminders are not given late when it opens (the meeting may be over).
    pub async fn run_reminders(&self) {
        let mut checked = Utc::now();
        loop {
            tokio::time::sleep(REMINDER_TICK).await;
            let now = Utc::now();
            match self.due_reminders(checked, now) {
                Ok(due) => due.into_iter().for_each(|n| self.core.tell(CoreEvent::MeetingReminder(n))),
                Err(AppCoreError::Locked | AppCoreError::ReachCouncil) => {}
                Err(e) => tracing::info!(error = ?e, "meeting reminders could not be read"),
            }
            checked = now;
        }
    }
}

/// How often the reminder loop looks: a reminder comes at most this late.
const REMINDER_TICK: std::time::Duration = std::time::Duration::from_secs(30);

fn stored_settings(core: &Core) -> Result<NotifySettings> {
    // A setting that no longer reads (an older or damaged value) falls back to the private default.
    Ok(core.vault()?.setting(SETTINGS)?.and_then(|json| serde_json::from_str(&json).ok()).unwrap_or_default())
}

fn council_rules(core: &Core) -> CouncilRules {
    CouncilRules {
        private_notifications: core.policy.private_notifications,
        vip_senders: core.config.vip_senders.clone(),
    }
}

/// Where the member was last told up to: the newest arrival's time, and the messages at that
/// very time (several can share one, and a strict "after" would lose all but the first).
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct ToldUpTo {
    at: DateTime<Utc>,
    ids: Vec<String>,
}

impl ToldUpTo {
    fn of(messages: &[companion_vault::MessageRecord], fallback: DateTime<Utc>) -> Self {
        let at = messages.iter().map(|m| m.received_at).max().unwrap_or(fallback);
        Self { at, ids: messages.iter().filter(|m| m.received_at == at).map(|m| m.id.clone()).collect() }
    }
}

/// The notification for the inbox's unread mail that arrived since the member was last told,
/// if one is due; and the arrivals are then taken as told. The first update after signing in
/// only notes where the mailbox stands: the whole inbox is not news.
pub(crate) fn new_mail_after_update(core: &Core, now: DateTime<Utc>) -> Result<Option<NewMailNotice>> {
    let vault = core.vault()?;
    let Some(inbox) = vault.well_known_folder_id("inbox")? else {
        return Ok(None);
    };
    let told: Option<ToldUpTo> = vault.setting(TOLD_UP_TO)?.and_then(|json| serde_json::from_str(&json).ok());
    let remember = |told: &ToldUpTo| -> Result<()> {
        let json = serde_json::to_string(told).unwrap_or_default();
        Ok(vault.write(|w| w.set_setting(TOLD_UP_TO, &json))?)
    };
    let Some(told) = told else {
        remember(&ToldUpTo::of(&vault.folder_page(&inbox, None, 50)?.messages, now))?;
        return Ok(None);
    };
    // From the told time itself, less what was told at it.
    let since = told.at - chrono::Duration::milliseconds(1);
    let arrived: Vec<_> = vault
        .unread_received_after(&inbox, since, ARRIVALS_READ)?
        .into_iter()
        .filter(|m| m.received_at > told.at || !told.ids.contains(&m.id))
        .collect();
    if arrived.is_empty() {
        return Ok(None);
    }
    let mut next = ToldUpTo::of(&arrived, told.at);
    if next.at == told.at {
        next.ids.extend(told.ids);
    }
    remember(&next)?;
    let arrived: Vec<ArrivedMail> = arrived
        .into_iter()
        .map(|m| ArrivedMail {
            id: m.id,
            sender_name: m.from.as_ref().map(|f| f.name.clone()).unwrap_or_default(),
            sender_address: m.from.map(|f| f.address).unwrap_or_default(),
            subject: m.subject,
        })
        .collect();
    let locked = *lock(&core.lock_state) == LockState::Locked;
    Ok(new_mail_notice(&arrived, &stored_settings(core)?, &council_rules(core), locked, now).map(|n| NewMailNotice {
        title: n.title,
        body: n.body,
        message_id: match n.target {
            NoticeTarget::Message(id) => Some(id),
            NoticeTarget::Inbox | NoticeTarget::Event(_) => None,
        },
    }))
}
