//! Notifications: what one says, and the member's settings for them.

use serde::{Deserialize, Serialize};

/// The one notification an update gives for the mail it brought.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct NewMailNotice {
    /// Its title ("New council email" unless details may show).
    pub title: String,
    /// Its text.
    pub body: String,
    /// The message it opens, when one arrived; the inbox otherwise.
    pub message_id: Option<String>,
}

/// A meeting's reminder, at the meeting's own reminder time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct MeetingReminderNotice {
    /// Its title ("Council meeting soon" unless details may show).
    pub title: String,
    /// Its text: the time, and with details the place and the online meeting's link.
    pub body: String,
    /// The meeting it opens.
    pub event_id: String,
}

/// What a notification opens when the member taps or clicks it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum NoticeTarget {
    /// The one message that arrived.
    Message {
        /// Its Graph id.
        id: String,
    },
    /// The inbox: several messages arrived.
    Inbox,
    /// A meeting, from its reminder.
    Meeting {
        /// Its Graph id.
        id: String,
    },
}

impl NewMailNotice {
    /// The message it opens, or the inbox when several arrived.
    pub fn target(&self) -> NoticeTarget {
        match &self.message_id {
            Some(id) => NoticeTarget::Message { id: id.clone() },
            None => NoticeTarget::Inbox,
        }
    }
}

impl MeetingReminderNotice {
    /// The meeting it opens.
    pub fn target(&self) -> NoticeTarget {
        NoticeTarget::Meeting { id: self.event_id.clone() }
    }
}

/// The member's notification settings, with what the council decides beside them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct NotificationSettings {
    /// Whether new mail notifies at all.
    pub new_mail: bool,
    /// Whether meetings remind the member at their reminder time.
    pub meeting_reminders: bool,
    /// Sender and subject on the lock screen (off unless the member turns it on).
    pub show_details: bool,
    /// Whether the council's protection policy lets details show (read only).
    pub details_allowed: bool,
    /// The member's VIP senders: their mail notifies even in quiet hours.
    pub vip_senders: Vec<String>,
    /// The council's VIP senders for every member (read only).
    pub council_vip_senders: Vec<String>,
    /// Quiet hours' start and end, `HH:MM` in London time, or none.
    pub quiet_from: Option<String>,
    /// See `quiet_from`.
    pub quiet_until: Option<String>,
}
