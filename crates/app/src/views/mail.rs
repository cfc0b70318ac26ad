//! Mail: folders, lists, messages, the outbox and attachments.

use super::{iso, NetworkKind};
use companion_vault::{MailFolderRecord, MessageRecord};
use serde::{Deserialize, Serialize};

/// A folder.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct MailFolder {
    /// Graph id.
    pub id: String,
    /// Its name.
    pub display_name: String,
    /// `inbox`, `sentitems`… for the folders every mailbox has.
    pub well_known_name: Option<String>,
    /// Unread messages in it.
    pub unread_item_count: u32,
    /// Messages in it.
    pub total_item_count: u32,
}

impl From<MailFolderRecord> for MailFolder {
    fn from(f: MailFolderRecord) -> Self {
        Self {
            id: f.id,
            display_name: f.display_name,
            well_known_name: f.well_known,
            unread_item_count: f.unread_count,
            total_item_count: f.total_count,
        }
    }
}

/// How important the sender marked a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum Importance {
    /// Low.
    Low,
    /// Normal.
    Normal,
    /// High.
    High,
}

impl Importance {
    fn of(graph: &str) -> Self {
        match graph.to_ascii_lowercase().as_str() {
            "high" => Self::High,
            "low" => Self::Low,
            _ => Self::Normal,
        }
    }
}

/// A message in a list.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct MessageSummary {
    /// Graph id.
    pub id: String,
    /// Its conversation.
    pub conversation_id: Option<String>,
    /// Subject.
    pub subject: String,
    /// The sender's name (their address when they have none).
    pub from: String,
    /// The sender's address.
    pub from_address: String,
    /// When it arrived (RFC 3339).
    pub received_date_time: String,
    /// The start of its text.
    pub preview: String,
    /// Read.
    pub is_read: bool,
    /// Flagged for follow-up.
    pub flagged: bool,
    /// Has files attached.
    pub has_attachments: bool,
    /// How important.
    pub importance: Importance,
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
            importance: Importance::of(&m.importance),
        }
    }
}

/// Where a page of a folder ends (keyset paging).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct MessageCursor {
    /// The last message's time.
    pub received_date_time: String,
    /// Its id.
    pub id: String,
}

/// A page of a folder, newest first.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct MessagePage {
    /// The messages.
    pub items: Vec<MessageSummary>,
    /// Where the next page starts, if there is one.
    pub next: Option<MessageCursor>,
    /// Messages in the folder.
    pub total: u32,
}

/// A recipient.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Recipient {
    /// Their name (may be empty).
    pub name: String,
    /// Their address.
    pub address: String,
}

impl Recipient {
    pub(crate) fn all(list: &[companion_vault::Mailbox]) -> Vec<Self> {
        list.iter().map(|m| Self { name: m.name.clone(), address: m.address.clone() }).collect()
    }
}

/// An attachment's facts.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct AttachmentInfo {
    /// Graph id.
    pub id: String,
    /// File name, as the sender gave it.
    pub name: String,
    /// MIME type.
    pub content_type: String,
    /// Size in bytes.
    pub size: u64,
    /// Already on the device.
    pub saved: bool,
}

/// Remote pictures held back in a body.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct BlockedImages {
    /// How many.
    pub count: u32,
    /// Their approximate total size in bytes, when known.
    pub approx_bytes: Option<u64>,
}

/// Whether an opened message's text is here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum BodyState {
    /// The text is here (`bodyHtml`).
    Ready,
    /// The data saver held it back (`heldBackReason` says why); the member may fetch it.
    HeldBack,
    /// Not downloaded, for no reason the member can act on (it may have gone from the server).
    NotDownloaded,
    /// Not downloaded and the device is offline: it comes when the connection does.
    Offline,
}

/// An opened message.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct MessageDetail {
    /// What the list shows.
    #[serde(flatten)]
    pub summary: MessageSummary,
    /// To.
    pub to: Vec<Recipient>,
    /// Copied to.
    pub cc: Vec<Recipient>,
    /// Whether the text is here.
    pub body_state: BodyState,
    /// Why the data saver held the text back.
    pub held_back_reason: Option<String>,
    /// Sanitised in Rust: no script, no event handlers, no forms; remote pictures replaced by
    /// placeholders unless `imagesShown`. Safe for a sandboxed frame's `srcdoc`.
    pub body_html: Option<String>,
    /// Why `bodyHtml` holds the message's text rather than its HTML (too large or too deeply
    /// nested to make safe at once); `mail_open_full` shows it in full.
    pub text_form: Option<String>,
    /// Remote pictures held back.
    pub blocked_images: BlockedImages,
    /// Whether the member asked to see the pictures.
    pub images_shown: bool,
    /// Files attached (not the inline pictures).
    pub attachments: Vec<AttachmentInfo>,
}

/// A new message the member wrote.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct NewMessage {
    /// Addresses, e.g. "clerk@council.example" or "Clerk <clerk@council.example>".
    pub to: Vec<String>,
    /// Copied to.
    #[serde(default)]
    pub cc: Vec<String>,
    /// Subject.
    pub subject: String,
    /// Plain text.
    pub body: String,
    /// Files attached (the ids `mail_stage_attachment` gave), in order.
    #[serde(default)]
    pub attachments: Vec<String>,
}

/// A message forwarded by the member: it goes with its own files.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ForwardMessage {
    /// The message forwarded.
    pub message_id: String,
    /// Addresses, as for a new message.
    pub to: Vec<String>,
    /// Copied to.
    #[serde(default)]
    pub cc: Vec<String>,
    /// The member's words above the original.
    pub comment: String,
    /// Files the member adds (staged ids), in order.
    #[serde(default)]
    pub attachments: Vec<String>,
}

/// A file the member attached, kept (encrypted) until the message is sent.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct StagedAttachment {
    /// The id to send it with.
    pub id: String,
    /// File name.
    pub name: String,
    /// MIME type.
    pub content_type: String,
    /// Bytes.
    pub size: u64,
}

/// What sending some files will cost, shown before the member sends them.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SendCost {
    /// The files' bytes on the wire (small files go as base64, a third larger).
    pub bytes: u64,
    /// The network they would cross now.
    pub network: NetworkKind,
    /// On mobile data, what it means for the allowance; on Wi-Fi, nothing.
    pub note: Option<String>,
}

/// What a queued change does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum ChangeKind {
    /// Mark read or unread.
    MarkRead,
    /// Flag or clear the flag.
    Flag,
    /// Move to a folder.
    Move,
    /// Delete.
    Delete,
    /// Reply or reply all.
    Reply,
    /// Send a new message.
    Send,
    /// Forward a message.
    Forward,
    /// Answer an invitation.
    Respond,
    /// A change this version does not know (written by a newer one).
    Other,
}

impl ChangeKind {
    pub(crate) fn of(stored: &str) -> Self {
        match stored {
            "markRead" => Self::MarkRead,
            "flag" => Self::Flag,
            "move" => Self::Move,
            "delete" => Self::Delete,
            "reply" => Self::Reply,
            "send" => Self::Send,
            "forward" => Self::Forward,
            "respond" => Self::Respond,
            _ => Self::Other,
        }
    }
}

/// Where a queued change stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum OutboxItemState {
    /// Waiting for a connection.
    Queued,
    /// Being sent now.
    Sending,
    /// The last try failed (`reason`); it is tried again.
    Failed,
    /// Delivered.
    Sent,
}

/// A change in the outbox, as the outbox screen shows it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct OutboxItem {
    /// Its number in the outbox.
    pub id: i64,
    /// What it does.
    pub kind: ChangeKind,
    /// A plain description, e.g. "Reply to ‘Planning committee agenda’".
    pub summary: String,
    /// Where it stands.
    pub state: OutboxItemState,
    /// Why the last try failed, in plain words.
    pub reason: Option<String>,
    /// Tries so far.
    pub attempts: u32,
    /// When the member made the change (RFC 3339).
    pub queued_at: String,
}

/// The answer to an attachment download: saved, or the size to confirm first.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "state", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum AttachmentDownload {
    /// Saved where the device's viewer can open it.
    Saved {
        /// The file.
        path: String,
    },
    /// Not downloaded yet: the member is asked first.
    Confirm {
        /// Its size in bytes.
        size: u64,
        /// The network it would come over.
        network: NetworkKind,
        /// Why the member is asked.
        reason: String,
    },
}
