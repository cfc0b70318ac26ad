//! What the vault stores, as plain data. Times are UTC; the UI shows them in Europe/London.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A name and an address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Mailbox {
    /// Display name.
    pub name: String,
    /// Email address.
    pub address: String,
}

/// The signed-in member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountRecord {
    /// Display name.
    pub display_name: String,
    /// Address.
    pub mail: String,
    /// The council's tenant.
    pub tenant_id: Option<String>,
    /// When they signed in.
    pub signed_in_at: Option<DateTime<Utc>>,
}

/// A mail folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MailFolderRecord {
    /// Graph id.
    pub id: String,
    /// The parent folder, if any.
    pub parent_id: Option<String>,
    /// Name shown.
    pub display_name: String,
    /// `inbox`, `sentitems`, … for well-known folders.
    pub well_known: Option<String>,
    /// The server's unread count.
    pub unread_count: u32,
    /// The server's total count.
    pub total_count: u32,
}

/// A message's flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub enum FlagStatus {
    /// Not flagged.
    #[default]
    NotFlagged,
    /// Flagged for follow-up.
    Flagged,
    /// Follow-up done.
    Complete,
}

impl FlagStatus {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::NotFlagged => "notFlagged",
            Self::Flagged => "flagged",
            Self::Complete => "complete",
        }
    }
    pub(crate) fn parse(s: &str) -> Self {
        match s {
            "flagged" => Self::Flagged,
            "complete" => Self::Complete,
            _ => Self::NotFlagged,
        }
    }
}

/// A message's headers and state (its body is separate: it arrives later, or never).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MessageRecord {
    /// Immutable Graph id.
    pub id: String,
    /// The folder it is in.
    pub folder_id: String,
    /// The conversation it belongs to.
    pub conversation_id: Option<String>,
    /// Subject line.
    pub subject: String,
    /// Sender.
    pub from: Option<Mailbox>,
    /// To recipients.
    pub to: Vec<Mailbox>,
    /// Cc recipients.
    pub cc: Vec<Mailbox>,
    /// Graph's `bodyPreview`.
    pub preview: String,
    /// When it arrived.
    pub received_at: DateTime<Utc>,
    /// When it was sent.
    pub sent_at: Option<DateTime<Utc>>,
    /// Read?
    pub is_read: bool,
    /// A draft?
    pub is_draft: bool,
    /// Flag.
    pub flag: FlagStatus,
    /// Categories.
    pub categories: Vec<String>,
    /// `low`, `normal` or `high`.
    pub importance: String,
    /// Has attachments?
    pub has_attachments: bool,
    /// Graph's change key.
    pub change_key: Option<String>,
    /// For a meeting invitation: the event.
    pub event_id: Option<String>,
}

/// A message body, as fetched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct MessageBody {
    /// Plain text, for search and for plain display.
    pub text: Option<String>,
    /// HTML as Graph sent it, to be sanitised before display.
    pub html: Option<String>,
}

/// A body's safe form, made once when it was stored (see `companion-mail-html`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SafeBody {
    /// The sanitised HTML, with inline pictures as numbered `cid:` placeholders; `None` when
    /// the body is over the bounds and is shown as its text.
    pub html: Option<String>,
    /// Remote images held back.
    pub blocked_images: u32,
    /// Their estimated size in bytes.
    pub blocked_bytes: u64,
    /// The inline pictures' content ids, in placeholder order.
    pub inline: Vec<String>,
}

/// An attachment's metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AttachmentRecord {
    /// The message it belongs to.
    pub message_id: String,
    /// Graph id.
    pub id: String,
    /// File name.
    pub name: String,
    /// MIME type.
    pub content_type: String,
    /// Size in bytes.
    pub size: u64,
    /// Inline (e.g. a signature image)?
    pub is_inline: bool,
    /// The content id an inline picture is shown by (`cid:` in the body), as Graph gives it.
    pub content_id: Option<String>,
    /// Whether its content is in the vault.
    pub downloaded: bool,
}

/// An attendee and their answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Attendee {
    /// Who.
    pub mailbox: Mailbox,
    /// `none`, `accepted`, `tentativelyAccepted`, `declined`, `notResponded`, `organizer`.
    pub response: String,
    /// `required`, `optional` or `resource` (Graph's `type`); attendees stored before it was
    /// kept read as `required`.
    #[serde(default = "required")]
    pub kind: String,
}

fn required() -> String {
    "required".into()
}

/// A calendar entry (a single meeting, or one occurrence of a series).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventRecord {
    /// Graph id.
    pub id: String,
    /// The series it belongs to.
    pub series_master_id: Option<String>,
    /// `singleInstance`, `occurrence` or `exception`.
    pub kind: String,
    /// Subject.
    pub subject: String,
    /// Short text.
    pub preview: String,
    /// Details as HTML, to sanitise.
    pub body_html: Option<String>,
    /// Start (UTC).
    pub start_at: DateTime<Utc>,
    /// End (UTC).
    pub end_at: DateTime<Utc>,
    /// All day?
    pub is_all_day: bool,
    /// Cancelled?
    pub is_cancelled: bool,
    /// Where.
    pub location: String,
    /// Who organised it.
    pub organizer: Option<Mailbox>,
    /// The member's answer.
    pub response: String,
    /// Whether an answer is asked for.
    pub response_requested: bool,
    /// Teams or other online meeting link.
    pub online_join_url: Option<String>,
    /// Everyone invited.
    pub attendees: Vec<Attendee>,
    /// Minutes before the start to remind the member, when the reminder is on.
    pub reminder_minutes: Option<i64>,
    /// Graph's change key.
    pub change_key: Option<String>,
}

/// A contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContactRecord {
    /// Graph id.
    pub id: String,
    /// Folder.
    pub folder_id: Option<String>,
    /// Name shown.
    pub display_name: String,
    /// Given name.
    pub given_name: Option<String>,
    /// Surname.
    pub surname: Option<String>,
    /// Job title.
    pub job_title: Option<String>,
    /// Organisation.
    pub company: Option<String>,
    /// Department.
    pub department: Option<String>,
    /// Addresses.
    pub emails: Vec<Mailbox>,
    /// Business and home numbers.
    pub phones: Vec<String>,
    /// Mobile number.
    pub mobile_phone: Option<String>,
    /// Graph's change key.
    pub change_key: Option<String>,
}

/// Whether a stored link continues a round or starts the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum CheckpointKind {
    /// An `@odata.nextLink`: the round is under way.
    Next,
    /// An `@odata.deltaLink`: the round is complete.
    Delta,
}

/// Where one collection's delta sync stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeltaCheckpoint {
    /// The collection (e.g. `mail:{folder}`, `calendar`, `contacts`).
    pub collection: String,
    /// The whole link, as Graph gave it.
    pub link: String,
    /// Next or delta.
    pub kind: CheckpointKind,
}

/// Where an outbox item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum OutboxState {
    /// Waiting to go.
    Queued,
    /// Being delivered now.
    Sending,
    /// Delivery failed; see the reason, it will be retried.
    Failed,
    /// Delivered.
    Done,
}

impl OutboxState {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Sending => "sending",
            Self::Failed => "failed",
            Self::Done => "done",
        }
    }
    pub(crate) fn parse(s: &str) -> Self {
        match s {
            "sending" => Self::Sending,
            "failed" => Self::Failed,
            "done" => Self::Done,
            _ => Self::Queued,
        }
    }
}

/// A local change waiting for the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OutboxItem {
    /// Local sequence number.
    pub id: i64,
    /// A client-made id, unique per operation, for exactly-once delivery.
    pub op_id: String,
    /// What to do (e.g. `markRead`, `reply`).
    pub kind: String,
    /// The message or event it acts on.
    pub target_id: Option<String>,
    /// The operation's details.
    pub payload: serde_json::Value,
    /// Where it is.
    pub state: OutboxState,
    /// Delivery attempts so far.
    pub attempts: u32,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// What the server made for it (e.g. a reply draft's id), kept so a retry reuses it.
    pub remote_id: Option<String>,
    /// When it was queued.
    pub created_at: DateTime<Utc>,
}

/// Bytes moved on one day for one feature over one kind of network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LedgerEntry {
    /// The day, in Europe/London.
    pub day: NaiveDate,
    /// `sign-in`, `mail-headers`, `mail-bodies`, `attachments`, `calendar`, `contacts`, `evidence`.
    pub feature: String,
    /// `mobile` or `wifi`.
    pub network: String,
    /// Bytes sent.
    pub bytes_up: u64,
    /// Bytes received.
    pub bytes_down: u64,
    /// Requests made.
    pub requests: u64,
}
