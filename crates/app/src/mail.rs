//! Mail: folders and pages from the cache, opening a message (its body fetched if allowed),
//! pictures on request, and the member's changes through the outbox, which delivers them
//! when there is a connection.

use crate::bodies::{picture_references, prepare, safe_form, BodyForm, ShownBody};
use crate::core::Core;
use crate::error::{AppCoreError, ErrorKind, Result};
use crate::images::ImageFetcher;
use crate::views::{
    iso, AttachmentDownload, AttachmentInfo, BlockedImages, BodyState, ChangeKind, Collection, MailFolder,
    MessageCursor, MessageDetail, MessagePage, MessageSummary, NetworkKind, NewMessage, OutboxItem, OutboxItemState,
    Recipient,
};
use chrono::DateTime;
use companion_graph::{Network, NetworkProbe};
use companion_mail_html::{content_id_key, picture_data_url, put_in_pictures, Images, Pictures, SafeHtml};
use companion_sync::{LocalChange, Purpose};
use companion_vault::{FlagStatus, Mailbox, MessageBody, OutboxState, PageCursor, Vault};
use std::collections::HashMap;
use std::sync::Arc;

/// How many delivered changes the outbox screen still shows, newest first.
const DELIVERED_SHOWN: usize = 20;
/// At most this many inline pictures are put into one message (a signature has one or two;
/// a message naming hundreds is not fetching them all on the member's data).
const MAX_INLINE_PICTURES: usize = 20;
/// An inline picture larger than this is left as its alt text: it is a photograph sent as a
/// file, which the member can open from the attachments.
const MAX_INLINE_PICTURE_BYTES: u64 = 5 * 1024 * 1024;

/// Whether a message's remote pictures are fetched for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RemotePictures {
    /// Held back and counted (the default).
    HeldBack,
    /// Fetched by the app, metered, because the member asked.
    Fetched,
}

/// Mail.
pub struct MailService {
    pub(crate) core: Arc<Core>,
    /// Fetches pictures in messages when the member asks.
    images: ImageFetcher,
}

impl MailService {
    pub(crate) fn new(core: Arc<Core>, images: ImageFetcher) -> Self {
        Self { core, images }
    }

    /// The folders.
    pub fn folders(&self) -> Result<Vec<MailFolder>> {
        Ok(self.core.vault()?.folders()?.into_iter().map(MailFolder::from).collect())
    }

    /// A page of a folder, newest first.
    pub fn page(&self, folder_id: &str, after: Option<MessageCursor>, limit: u32) -> Result<MessagePage> {
        let cursor = after
            .map(|c| {
                DateTime::parse_from_rfc3339(&c.received_date_time)
                    .map(|t| PageCursor { received_at: t.timestamp_millis(), id: c.id })
            })
            .transpose()
            .map_err(|_| AppCoreError::Invalid("That list position is not valid.".into()))?;
        let page = self.core.vault()?.folder_page(folder_id, cursor.as_ref(), limit as usize)?;
        let total = self.core.vault()?.folders()?.into_iter().find(|f| f.id == folder_id).map_or(0, |f| f.total_count);
        Ok(MessagePage {
            items: page.messages.iter().map(MessageSummary::from).collect(),
            next: page.next.map(|n| MessageCursor {
                received_date_time: iso(DateTime::from_timestamp_millis(n.received_at).unwrap_or_default()),
                id: n.id,
            }),
            total,
        })
    }

    /// Opens a message: fetches its body if allowed (failing fast when offline: the member is
    /// waiting), marks it read, sanitises the body with its inline pictures put in.
    /// A body over the size or nesting bounds comes as its text (`textForm` says why).
    pub async fn open(&self, id: &str) -> Result<MessageDetail> {
        let started = std::time::Instant::now();
        let opened = self.open_with(id, RemotePictures::HeldBack, BodyForm::Bounded).await;
        if opened.is_ok() {
            self.core.record_time("open-message", started.elapsed());
        }
        opened
    }

    /// Opens a message shown as text in full, however large (made off the async runtime,
    /// within a time limit).
    pub async fn open_full(&self, id: &str) -> Result<MessageDetail> {
        self.open_with(id, RemotePictures::HeldBack, BodyForm::Full).await
    }

    /// The message with its remote pictures fetched (metered) and shown.
    pub async fn show_images(&self, id: &str) -> Result<MessageDetail> {
        self.open_with(id, RemotePictures::Fetched, BodyForm::Bounded).await
    }

    async fn open_with(&self, id: &str, remote: RemotePictures, form: BodyForm) -> Result<MessageDetail> {
        self.core.count_use(companion_evidence::Use::MailOpened);
        let vault = &self.core.vault()?;
        let mut missing = BodyState::NotDownloaded;
        let mut held_back = None;
        if vault.message_body(id)?.is_none() {
            if let Ok(session) = self.core.session().await {
                match session.engine.fetch_bodies(&[id.to_owned()], Purpose::Opened).await {
                    Ok(report) => {
                        held_back = report.deferred.into_iter().next();
                        if held_back.is_some() {
                            missing = BodyState::HeldBack;
                        }
                    }
                    Err(e) => match AppCoreError::from(e) {
                        e if e.kind() == ErrorKind::Offline => missing = BodyState::Offline,
                        e => tracing::info!(error = ?e, "a message's body could not be fetched"),
                    },
                }
            }
        }
        let offline = missing == BodyState::Offline;
        let message = vault.message(id)?.ok_or(AppCoreError::NotFound("That message"))?;
        // Older messages' attachment lists are not prefetched: the member opening one sees them.
        if message.has_attachments && !offline && vault.attachments(id)?.is_empty() {
            self.fetch_attachment_list(id).await;
        }
        if !message.is_read {
            self.queue(LocalChange::MarkRead { message_id: id.to_owned(), read: true }).await?;
        }
        let shown = match vault.message_body(id)? {
            Some(body) => Some(self.shown_body(vault, id, body, remote, form, offline).await?),
            None => None,
        };
        let (safe, text_form) = match shown {
            Some(shown) => (Some(shown.safe), shown.text_form),
            None => (None, None),
        };
        let attachments = vault
            .attachments(id)?
            .into_iter()
            .filter(|a| !a.is_inline)
            .map(|a| AttachmentInfo {
                id: a.id,
                name: a.name,
                content_type: a.content_type,
                size: a.size,
                saved: a.downloaded,
            })
            .collect();
        Ok(MessageDetail {
            // Marking it read changed the record: show it as it now is.
            summary: MessageSummary::from(&vault.message(id)?.unwrap_or_else(|| message.clone())),
            to: Recipient::all(&message.to),
            cc: Recipient::all(&message.cc),
            body_state: if safe.is_some() { BodyState::Ready } else { missing },
            held_back_reason: held_back,
            blocked_images: BlockedImages {
                count: safe.as_ref().map_or(0, |s| s.blocked_images),
                approx_bytes: safe.as_ref().filter(|s| s.blocked_images > 0).map(|s| s.blocked_bytes),
            },
            images_shown: remote == RemotePictures::Fetched && text_form.is_none(),
            body_html: safe.map(|s| s.html),
            text_form,
            attachments,
        })
    }

    /// A stored body ready for the frame: its safe form as made when it was synced, with its
    /// inline pictures put in; made afresh only for remote pictures the member asked for or
    /// for a body over the bounds shown in full.
    async fn shown_body(
        &self,
        vault: &Vault,
        id: &str,
        body: MessageBody,
        remote: RemotePictures,
        form: BodyForm,
        offline: bool,
    ) -> Result<ShownBody> {
        if let (RemotePictures::HeldBack, Some(html)) = (remote, body.html.as_deref()) {
            let stored = safe_form(vault, id, html).await?;
            if let Some(safe_html) = stored.html {
                let inline = if stored.inline.is_empty() {
                    HashMap::new()
                } else {
                    self.inline_pictures(id, &stored.inline, offline).await?
                };
                let html = put_in_pictures(&safe_html, &stored.inline, &inline);
                let safe =
                    SafeHtml { html, blocked_images: stored.blocked_images, blocked_bytes: stored.blocked_bytes };
                return Ok(ShownBody { safe, text_form: None });
            }
        }
        let pictures = self.pictures(id, body.html.as_deref(), remote, form, offline).await?;
        prepare(body.html, body.text, Images::Blocked, pictures, form).await
    }

    /// Records a message's attachment list; a failure only means the list is not shown yet.
    async fn fetch_attachment_list(&self, id: &str) {
        if let Ok(session) = self.core.session().await {
            if let Err(e) = session.engine.fetch_attachment_lists(&[id.to_owned()]).await {
                tracing::info!(error = ?AppCoreError::from(e), "a message's attachment list could not be fetched");
            }
        }
    }

    /// The pictures a body shows, fetched by the app so the frame never asks anyone: its
    /// inline attachments always (from the vault, or downloaded through the governor like any
    /// attachment the member opens), its remote pictures when the member asked.
    async fn pictures(
        &self,
        id: &str,
        html: Option<&str>,
        remote: RemotePictures,
        form: BodyForm,
        offline: bool,
    ) -> Result<Pictures> {
        let Some(html) = html else { return Ok(Pictures::default()) };
        let named = picture_references(html, form, remote == RemotePictures::Fetched).await;
        let mut pictures = Pictures::default();
        if !named.inline.is_empty() {
            pictures.inline = self.inline_pictures(id, &named.inline, offline).await?;
        }
        if !named.remote.is_empty() {
            pictures.remote = self.images.fetch(&named.remote).await;
        }
        Ok(pictures)
    }

    /// The inline attachments named by `keys` (content ids as `content_id_key` gives them),
    /// as data URLs. What is already in the vault needs no connection.
    async fn inline_pictures(&self, id: &str, keys: &[String], offline: bool) -> Result<HashMap<String, String>> {
        let vault = self.core.vault()?;
        let mut listed = vault.attachments(id)?;
        // Graph does not count inline pictures in `hasAttachments`, and lists stored before
        // content ids were kept have none: either way, ask for the list once more.
        if !offline && !listed.iter().any(|a| a.content_id.is_some()) {
            self.fetch_attachment_list(id).await;
            listed = vault.attachments(id)?;
        }
        let mut found = HashMap::new();
        for a in listed {
            if found.len() >= MAX_INLINE_PICTURES {
                break;
            }
            let Some(key) = a.content_id.as_deref().map(content_id_key) else { continue };
            if !keys.contains(&key) || found.contains_key(&key) || a.size > MAX_INLINE_PICTURE_BYTES {
                continue;
            }
            if !a.downloaded && !offline {
                if let Ok(session) = self.core.session().await {
                    match session.engine.download_attachment(id, &a.id, Purpose::Opened).await {
                        Ok(companion_sync::AttachmentDownload::Stored(_)) => {}
                        Ok(companion_sync::AttachmentDownload::Deferred(why)) => {
                            tracing::info!(%why, "an inline picture was held back");
                        }
                        Err(e) => {
                            tracing::info!(error = ?AppCoreError::from(e), "an inline picture could not be fetched")
                        }
                    }
                }
            }
            if let Some(url) = vault.attachment_content(id, &a.id)?.as_deref().and_then(picture_data_url) {
                found.insert(key, url);
            }
        }
        Ok(found)
    }

    /// The messages of a conversation, oldest first.
    pub fn conversation(&self, conversation_id: &str) -> Result<Vec<MessageSummary>> {
        Ok(self.core.vault()?.conversation(conversation_id)?.iter().map(MessageSummary::from).collect())
    }

    /// Marks a message read or unread.
    pub async fn mark_read(&self, id: &str, read: bool) -> Result<()> {
        self.known_message(id)?;
        self.queue(LocalChange::MarkRead { message_id: id.to_owned(), read }).await
    }

    /// Flags a message for follow-up, or clears the flag.
    pub async fn set_flag(&self, id: &str, flagged: bool) -> Result<()> {
        self.known_message(id)?;
        let flag = if flagged { FlagStatus::Flagged } else { FlagStatus::NotFlagged };
        self.queue(LocalChange::Flag { message_id: id.to_owned(), flag }).await
    }

    /// Moves a message to another folder.
    pub async fn move_to(&self, id: &str, folder_id: &str) -> Result<()> {
        self.known_message(id)?;
        if !self.core.vault()?.folders()?.iter().any(|f| f.id == folder_id) {
            return Err(AppCoreError::NotFound("That folder"));
        }
        self.queue(LocalChange::Move { message_id: id.to_owned(), destination_id: folder_id.to_owned() }).await
    }

    /// Deletes a message (to Deleted Items, as Outlook does).
    pub async fn delete(&self, id: &str) -> Result<()> {
        self.known_message(id)?;
        self.queue(LocalChange::Delete { message_id: id.to_owned() }).await
    }

    /// Replies to a message (to everyone on it with `reply_all`).
    pub async fn reply(&self, id: &str, body: &str, reply_all: bool) -> Result<()> {
        self.known_message(id)?;
        if body.trim().is_empty() {
            return Err(AppCoreError::Invalid("Please write your reply first.".into()));
        }
        self.core.count_use(companion_evidence::Use::Reply);
        self.queue(LocalChange::Reply { message_id: id.to_owned(), comment: body.to_owned(), reply_all }).await
    }

    /// Sends a new message.
    pub async fn send(&self, message: NewMessage) -> Result<()> {
        let to = mailboxes(&message.to)?;
        let cc = mailboxes(&message.cc)?;
        if to.is_empty() {
            return Err(AppCoreError::Invalid("Please add at least one person to send this to.".into()));
        }
        if message.subject.trim().is_empty() && message.body.trim().is_empty() {
            return Err(AppCoreError::Invalid("The message is empty.".into()));
        }
        self.core.count_use(companion_evidence::Use::Send);
        self.check_staged(&message.attachments)?;
        let change = LocalChange::Send {
            to,
            cc,
            subject: message.subject.trim().to_owned(),
            body: message.body,
            attachments: message.attachments,
        };
        self.queue(change).await
    }

    pub(crate) async fn queue(&self, change: LocalChange) -> Result<()> {
        self.core.queue(change, &[Collection::Mail, Collection::Outbox]).await
    }

    /// What is waiting to go, and the last few delivered.
    pub fn outbox(&self) -> Result<Vec<OutboxItem>> {
        let mut pending = Vec::new();
        let mut delivered = Vec::new();
        let vault = self.core.vault()?;
        for item in vault.outbox()? {
            let state = match item.state {
                OutboxState::Queued => OutboxItemState::Queued,
                OutboxState::Sending => OutboxItemState::Sending,
                OutboxState::Failed => OutboxItemState::Failed,
                OutboxState::Done => OutboxItemState::Sent,
            };
            let kind = ChangeKind::of(&item.kind);
            let entry = OutboxItem {
                id: item.id,
                summary: describe(&vault, kind, item.target_id.as_deref(), &item.payload),
                kind,
                state,
                reason: item.last_error,
                attempts: item.attempts,
                queued_at: iso(item.created_at),
            };
            if state == OutboxItemState::Sent {
                delivered.push(entry)
            } else {
                pending.push(entry)
            }
        }
        delivered.reverse();
        delivered.truncate(DELIVERED_SHOWN);
        pending.extend(delivered);
        Ok(pending)
    }

    /// Downloads an attachment on demand. On mobile data the size is shown first: the answer
    /// is `Confirm` until the member agrees (`confirmed`); the data governor can still hold a
    /// large file back, with its reason.
    pub async fn download_attachment(
        &self,
        message_id: &str,
        attachment_id: &str,
        confirmed: bool,
    ) -> Result<AttachmentDownload> {
        let vault = &self.core.vault()?;
        let known = vault
            .attachments(message_id)?
            .into_iter()
            .find(|a| a.id == attachment_id)
            .ok_or(AppCoreError::NotFound("That attachment"))?;
        let network = self.core.network.current();
        if !known.downloaded && network == Network::Mobile && !confirmed {
            return Ok(AttachmentDownload::Confirm {
                size: known.size,
                network: NetworkKind::Mobile,
                reason: "You are on mobile data.".into(),
            });
        }
        if !known.downloaded {
            let session = self.core.session().await?;
            let purpose = if confirmed { Purpose::Confirmed } else { Purpose::Opened };
            if let companion_sync::AttachmentDownload::Deferred(reason) =
                session.engine.download_attachment(message_id, attachment_id, purpose).await?
            {
                return Ok(AttachmentDownload::Confirm { size: known.size, network: network.into(), reason });
            }
        }
        // Copied out a piece at a time: an agenda pack is never whole in memory.
        let path = self.core.opened_file(&known.name, |out| {
            match vault.copy_attachment_to(message_id, attachment_id, out)? {
                Some(_) => Ok(()),
                None => Err(AppCoreError::NotFound("That attachment's content")),
            }
        })?;
        self.core.count_use(companion_evidence::Use::AttachmentOpened);
        Ok(AttachmentDownload::Saved { path: path.display().to_string() })
    }

    pub(crate) fn known_message(&self, id: &str) -> Result<()> {
        self.core.vault()?.message(id)?.map(|_| ()).ok_or(AppCoreError::NotFound("That message"))
    }
}

/// Addresses typed by the member, e.g. "clerk@council.example" or "Clerk <clerk@council.example>".
pub(crate) fn mailboxes(list: &[String]) -> Result<Vec<Mailbox>> {
    list.iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .map(|s| {
            let (name, address) = match (s.rfind('<'), s.ends_with('>')) {
                (Some(open), true) => {
                    (s[..open].trim().trim_matches('"').to_owned(), s[open + 1..s.len() - 1].trim().to_owned())
                }
                _ => (String::new(), s.to_owned()),
            };
            let valid = address.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
            }) && !address.contains(char::is_whitespace);
            if valid {
                Ok(Mailbox { name, address })
            } else {
                Err(AppCoreError::Invalid(format!("“{s}” is not an email address.")))
            }
        })
        .collect()
}

/// A link the member chose to open outside the app: only web, mail and phone links go out.
pub fn external_link(url: &str) -> Result<url::Url> {
    let parsed = url::Url::parse(url.trim())
        .map_err(|_| AppCoreError::Invalid("That link is not a web, email or phone address.".into()))?;
    match parsed.scheme() {
        "http" | "https" | "mailto" | "tel" | "sms" => Ok(parsed),
        _ => Err(AppCoreError::Invalid("For your safety, the app only opens web, email and phone links.".into())),
    }
}

/// A plain description of a queued change, e.g. "Reply to ‘Planning committee’".
fn describe(vault: &Vault, kind: ChangeKind, target: Option<&str>, payload: &serde_json::Value) -> String {
    let subject = target.and_then(|id| {
        vault
            .message(id)
            .ok()
            .flatten()
            .map(|m| m.subject)
            .or_else(|| vault.event(id).ok().flatten().map(|e| e.subject))
    });
    let quoted = subject.map(|s| format!("‘{s}’")).unwrap_or_else(|| "a message".into());
    match kind {
        ChangeKind::MarkRead if payload["read"] == false => format!("Mark {quoted} as unread"),
        ChangeKind::MarkRead => format!("Mark {quoted} as read"),
        ChangeKind::Flag if payload["flag"] == "notFlagged" => format!("Clear the flag on {quoted}"),
        ChangeKind::Flag => format!("Flag {quoted}"),
        ChangeKind::Move => format!("Move {quoted}"),
        ChangeKind::Delete => format!("Delete {quoted}"),
        ChangeKind::Reply if payload["replyAll"] == true => format!("Reply to all on {quoted}"),
        ChangeKind::Reply => format!("Reply to {quoted}"),
        ChangeKind::Respond => format!("Answer the invitation {quoted}"),
        ChangeKind::Forward => format!("Forward {quoted}"),
        ChangeKind::Send => {
            format!("Send ‘{}’", payload["subject"].as_str().filter(|s| !s.is_empty()).unwrap_or("(no subject)"))
        }
        ChangeKind::Other => "A change made by a newer version of the app".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_addresses_are_read_with_or_without_a_name() {
        let list = mailboxes(&[
            "clerk@council.example".into(),
            " \"The Leader\" <leader@council.example> ".into(),
            "  ".into(),
        ])
        .expect("valid");
        assert_eq!(list.len(), 2);
        assert_eq!((list[1].name.as_str(), list[1].address.as_str()), ("The Leader", "leader@council.example"));
        for bad in ["clerk", "clerk@", "@council.example", "a b@council.example", "clerk@council"] {
            assert!(mailboxes(&[bad.into()]).is_err(), "{bad} was accepted");
        }
    }

    #[test]
    fn only_web_mail_and_phone_links_leave_the_app() {
        for good in [
            "https://council.example/agenda",
            "http://example.org",
            "mailto:clerk@council.example",
            "tel:+441234567890",
            "sms:+447700900123",
        ] {
            assert!(external_link(good).is_ok(), "{good}");
        }
        for bad in [
            "javascript:alert(1)",
            "file:///etc/passwd",
            "data:text/html,x",
            "uk.gov.membercompanion://auth",
            "not a link",
        ] {
            assert!(external_link(bad).is_err(), "{bad}");
        }
    }
}
