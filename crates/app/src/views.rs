//! What the UI shows, in the camelCase JSON of `ui/src/lib/ipc/types.ts` (change both together).
// The DTO fields are named for what they hold and mirror `ui/src/lib/ipc/types.ts`, which documents them.
#![allow(missing_docs)]

use chrono::{DateTime, SecondsFormat, Utc};
use chrono_tz::Europe::London;
use companion_vault::{ContactRecord, EventRecord, MailFolderRecord, MessageRecord, SearchHit as VaultHit, SearchKind};
use serde::Serialize;

/// UTC instants as the UI expects them.
pub(crate) fn iso(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The signed-in member.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Member {
    /// Their name.
    pub display_name: String,
    /// Their address.
    pub mail: String,
}

/// Signed in or not.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "state", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum AccountStatus {
    /// Nobody is signed in; `problem` says why, when a session ended by itself.
    SignedOut {
        /// Demo mode.
        demo: bool,
        /// Why the last session ended.
        problem: Option<String>,
    },
    /// Signed in.
    SignedIn {
        /// Demo mode.
        demo: bool,
        /// Who.
        member: Member,
    },
}

/// How the cache stands.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncStatus {
    /// False when the last attempt could not reach the council.
    pub online: bool,
    /// When the last full update finished.
    pub last_synced_at: Option<String>,
    /// Whether an update is running.
    pub running: bool,
    /// The last failure in plain words.
    pub last_error: Option<String>,
}

/// A folder.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MailFolder {
    pub id: String,
    pub display_name: String,
    pub well_known_name: Option<String>,
    pub unread_item_count: u32,
    pub total_item_count: u32,
}

impl From<MailFolderRecord> for MailFolder {
    fn from(f: MailFolderRecord) -> Self {
        Self { id: f.id, display_name: f.display_name, well_known_name: f.well_known, unread_item_count: f.unread_count, total_item_count: f.total_count }
    }
}

/// A message in a list.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MessageSummary {
    pub id: String,
    pub conversation_id: Option<String>,
    pub subject: String,
    pub from: String,
    pub from_address: String,
    pub received_date_time: String,
    pub preview: String,
    pub is_read: bool,
    pub flagged: bool,
    pub has_attachments: bool,
    pub importance: String,
}

impl From<&MessageRecord> for MessageSummary {
    fn from(m: &MessageRecord) -> Self {
        let (name, address) = m.from.as_ref().map(|f| (f.name.clone(), f.address.clone())).unwrap_or_default();
        Self {
            id: m.id.clone(),
            conversation_id: m.conversation_id.clone(),
            subject: m.subject.clone(),
            from: if name.is_empty() { address.clone() } else { name },
            from_address: address,
            received_date_time: iso(m.received_at),
            preview: m.preview.clone(),
            is_read: m.is_read,
            flagged: m.flag == companion_vault::FlagStatus::Flagged,
            has_attachments: m.has_attachments,
            importance: m.importance.clone(),
        }
    }
}

/// Keyset cursor.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MessageCursor {
    /// The last message's time.
    pub received_date_time: String,
    /// Its id.
    pub id: String,
}

/// A page of a folder.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MessagePage {
    pub items: Vec<MessageSummary>,
    pub next: Option<MessageCursor>,
    pub total: u32,
}

/// A recipient.
#[derive(Debug, Clone, Serialize)]
pub struct Recipient {
    pub name: String,
    pub address: String,
}

/// An attachment's facts.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AttachmentInfo {
    pub id: String,
    pub name: String,
    pub content_type: String,
    pub size: u64,
    pub saved: bool,
}

/// Blocked images.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BlockedImages {
    pub count: u32,
    pub approx_bytes: Option<u64>,
}

/// An opened message.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MessageDetail {
    #[serde(flatten)]
    pub summary: MessageSummary,
    pub to: Vec<Recipient>,
    pub cc: Vec<Recipient>,
    pub body_state: &'static str,
    pub held_back_reason: Option<String>,
    pub body_html: Option<String>,
    pub blocked_images: BlockedImages,
    pub images_shown: bool,
    pub attachments: Vec<AttachmentInfo>,
}

impl MessageDetail {
    pub(crate) fn recipients(list: &[companion_vault::Mailbox]) -> Vec<Recipient> {
        list.iter().map(|m| Recipient { name: m.name.clone(), address: m.address.clone() }).collect()
    }
}

/// An event in the agenda.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EventSummary {
    pub id: String,
    pub subject: String,
    pub start: String,
    pub end: String,
    pub is_all_day: bool,
    pub location: String,
    pub organizer: String,
    pub response_status: String,
    pub is_cancelled: bool,
    pub online_meeting_url: Option<String>,
    pub can_respond: bool,
}

impl From<&EventRecord> for EventSummary {
    fn from(e: &EventRecord) -> Self {
        let local = |t: DateTime<Utc>| t.with_timezone(&London).to_rfc3339_opts(SecondsFormat::Secs, false);
        Self {
            id: e.id.clone(),
            subject: e.subject.clone(),
            start: local(e.start_at),
            end: local(e.end_at),
            is_all_day: e.is_all_day,
            location: e.location.clone(),
            organizer: e.organizer.as_ref().map(|o| if o.name.is_empty() { o.address.clone() } else { o.name.clone() }).unwrap_or_default(),
            response_status: e.response.clone(),
            is_cancelled: e.is_cancelled,
            online_meeting_url: e.online_join_url.clone(),
            can_respond: e.response != "organizer" && !e.is_cancelled,
        }
    }
}

/// A day of the agenda.
#[derive(Debug, Clone, Serialize)]
pub struct AgendaDay {
    pub date: String,
    pub events: Vec<EventSummary>,
}

/// An event's details.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EventDetail {
    #[serde(flatten)]
    pub summary: EventSummary,
    pub attendees: Vec<serde_json::Value>,
    pub body_html: Option<String>,
}

/// A contact.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContactDetail {
    pub id: String,
    pub display_name: String,
    pub job_title: String,
    pub company_name: String,
    pub emails: Vec<String>,
    pub phones: Vec<String>,
    pub department: String,
    pub business_address: String,
}

impl From<ContactRecord> for ContactDetail {
    fn from(c: ContactRecord) -> Self {
        let mut phones = c.phones.clone();
        if let Some(m) = c.mobile_phone.clone() {
            phones.insert(0, m);
        }
        Self {
            id: c.id,
            display_name: c.display_name,
            job_title: c.job_title.unwrap_or_default(),
            company_name: c.company.unwrap_or_default(),
            emails: c.emails.into_iter().map(|e| e.address).collect(),
            phones,
            department: c.department.unwrap_or_default(),
            business_address: String::new(),
        }
    }
}

/// A search hit.
#[derive(Debug, Clone, Serialize)]
pub struct SearchHit {
    pub kind: &'static str,
    pub id: String,
    pub title: String,
    pub snippet: String,
    pub when: Option<String>,
}

impl From<VaultHit> for SearchHit {
    fn from(h: VaultHit) -> Self {
        let kind = match h.kind {
            SearchKind::Mail => "mail",
            SearchKind::Event => "event",
            SearchKind::Contact => "contact",
        };
        Self { kind, id: h.id, title: h.title, snippet: h.snippet, when: h.when.map(iso) }
    }
}

/// Search results, grouped.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    pub query: String,
    pub mail: Vec<SearchHit>,
    pub events: Vec<SearchHit>,
    pub contacts: Vec<SearchHit>,
}

/// A new message the member wrote.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewMessage {
    pub to: Vec<String>,
    #[serde(default)]
    pub cc: Vec<String>,
    pub subject: String,
    pub body: String,
}

/// A change in the outbox, as the outbox screen shows it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OutboxEntry {
    pub id: i64,
    /// e.g. "reply", "send", "markRead".
    pub kind: String,
    /// A plain description, e.g. "Reply to ‘Planning committee agenda’".
    pub summary: String,
    /// "queued", "sending", "failed" or "sent".
    pub state: &'static str,
    pub reason: Option<String>,
    pub attempts: u32,
    pub queued_at: String,
}

/// The answer to an attachment download: saved, or the size to confirm first.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "state", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum AttachmentDownload {
    /// Saved where the device's viewer can open it.
    Saved { path: String },
    /// Not downloaded yet: the member is asked first.
    Confirm { size: u64, network: &'static str, reason: String },
}

/// An update under way, as the status bar shows it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncProgress {
    /// `mailFolders`, `mail`, `calendar` or `contacts`.
    pub collection: &'static str,
    /// Items applied so far in that collection.
    pub done: u64,
    /// Bytes on the wire so far in this update.
    pub bytes: u64,
}

impl From<&companion_sync::Progress> for SyncProgress {
    fn from(p: &companion_sync::Progress) -> Self {
        let collection = match p.collection.split(':').next().unwrap_or("") {
            "folders" => "mailFolders",
            "mail" => "mail",
            "calendar" => "calendar",
            _ => "contacts",
        };
        Self { collection, done: p.items, bytes: p.bytes }
    }
}
