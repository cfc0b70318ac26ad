//! What a member does to mail and the calendar: each change is applied to the cache at once and
//! queued in the outbox, which delivers it when there is a connection.

use crate::views::{AttachmentDownload, MessageDetail, MessageSummary, NewMessage, OutboxEntry};
use crate::{AppCoreError, Companion, Result};
use companion_graph::Network;
use companion_mail_html::Images;
use companion_sync::{LocalChange, Purpose, Response};
use companion_vault::{FlagStatus, Mailbox, OutboxState};

/// How many delivered changes the outbox screen still shows, newest first.
const DELIVERED_SHOWN: usize = 20;

impl Companion {
    /// The message with its remote pictures fetched (metered) and shown.
    pub async fn show_images(&self, id: &str) -> Result<MessageDetail> {
        let mut detail = self.open_message(id, Images::Blocked).await?;
        let Some(body) = self.vault.message_body(id)? else { return Ok(detail) };
        let Some(html) = body.html.as_deref() else { return Ok(detail) };
        let urls = companion_mail_html::remote_images(html);
        if urls.is_empty() {
            return Ok(detail);
        }
        let fetched = self.images.fetch(&urls).await;
        let safe = companion_mail_html::sanitise_inlining(html, &fetched);
        detail.body_html = Some(safe.html);
        detail.blocked_images.count = safe.blocked_images;
        detail.blocked_images.approx_bytes = (safe.blocked_images > 0).then_some(safe.blocked_bytes);
        detail.images_shown = true;
        Ok(detail)
    }

    /// The messages of a conversation, oldest first.
    pub fn conversation(&self, conversation_id: &str) -> Result<Vec<MessageSummary>> {
        Ok(self.vault.conversation(conversation_id)?.iter().map(MessageSummary::from).collect())
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
    pub async fn move_message(&self, id: &str, folder_id: &str) -> Result<()> {
        self.known_message(id)?;
        if !self.vault.folders()?.iter().any(|f| f.id == folder_id) {
            return Err(AppCoreError::NotFound("That folder"));
        }
        self.queue(LocalChange::Move { message_id: id.to_owned(), destination_id: folder_id.to_owned() }).await
    }

    /// Deletes a message (to Deleted Items, as Outlook does).
    pub async fn delete_message(&self, id: &str) -> Result<()> {
        self.known_message(id)?;
        self.queue(LocalChange::Delete { message_id: id.to_owned() }).await
    }

    /// Replies to a message (to everyone on it with `reply_all`).
    pub async fn reply(&self, id: &str, body: &str, reply_all: bool) -> Result<()> {
        self.known_message(id)?;
        if body.trim().is_empty() {
            return Err(AppCoreError::Invalid("Please write your reply first.".into()));
        }
        self.count_use("reply");
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
        self.count_use("send");
        self.queue(LocalChange::Send { to, cc, subject: message.subject.trim().to_owned(), body: message.body }).await
    }

    /// Answers a meeting invitation.
    pub async fn respond(&self, event_id: &str, response: &str, comment: &str) -> Result<()> {
        if self.vault.event(event_id)?.is_none() {
            return Err(AppCoreError::NotFound("That event"));
        }
        let response = match response {
            "accept" => Response::Accept,
            "tentativelyAccept" => Response::Tentative,
            "decline" => Response::Decline,
            other => return Err(AppCoreError::Invalid(format!("“{other}” is not an answer to an invitation."))),
        };
        let comment = Some(comment.trim().to_owned()).filter(|c| !c.is_empty());
        self.count_use("invitation-answered");
        self.queue(LocalChange::Respond { event_id: event_id.to_owned(), response, comment }).await
    }

    /// What is waiting to go, and the last few delivered.
    pub fn outbox(&self) -> Result<Vec<OutboxEntry>> {
        let items = self.vault.outbox()?;
        let mut pending: Vec<OutboxEntry> = Vec::new();
        let mut delivered: Vec<OutboxEntry> = Vec::new();
        for item in items {
            let entry = OutboxEntry {
                id: item.id,
                summary: self.describe(&item.kind, item.target_id.as_deref(), &item.payload),
                kind: item.kind,
                state: match item.state {
                    OutboxState::Queued => "queued",
                    OutboxState::Sending => "sending",
                    OutboxState::Failed => "failed",
                    OutboxState::Done => "sent",
                },
                reason: item.last_error,
                attempts: item.attempts,
                queued_at: crate::views::iso(item.created_at),
            };
            if entry.state == "sent" { delivered.push(entry) } else { pending.push(entry) }
        }
        delivered.reverse();
        delivered.truncate(DELIVERED_SHOWN);
        pending.extend(delivered);
        Ok(pending)
    }

    /// A plain description of a queued change, e.g. "Reply to ‘Planning committee’".
    fn describe(&self, kind: &str, target: Option<&str>, payload: &serde_json::Value) -> String {
        let subject = target.and_then(|id| self.vault.message(id).ok().flatten().map(|m| m.subject).or_else(|| self.vault.event(id).ok().flatten().map(|e| e.subject)));
        let quoted = subject.map(|s| format!("‘{s}’")).unwrap_or_else(|| "a message".into());
        match kind {
            "markRead" if payload["read"] == false => format!("Mark {quoted} as unread"),
            "markRead" => format!("Mark {quoted} as read"),
            "flag" if payload["flag"] == "notFlagged" => format!("Clear the flag on {quoted}"),
            "flag" => format!("Flag {quoted}"),
            "move" => format!("Move {quoted}"),
            "delete" => format!("Delete {quoted}"),
            "reply" if payload["replyAll"] == true => format!("Reply to all on {quoted}"),
            "reply" => format!("Reply to {quoted}"),
            "respond" => format!("Answer the invitation {quoted}"),
            "send" => format!("Send ‘{}’", payload["subject"].as_str().filter(|s| !s.is_empty()).unwrap_or("(no subject)")),
            other => other.to_owned(),
        }
    }

    /// Downloads an attachment on demand. On mobile data the size is shown first: the answer
    /// is `Confirm` until the member agrees (`confirmed`); the data governor can still hold a
    /// large file back, with its reason.
    pub async fn download_attachment(&self, message_id: &str, attachment_id: &str, confirmed: bool) -> Result<AttachmentDownload> {
        let known = self.vault.attachments(message_id)?.into_iter().find(|a| a.id == attachment_id).ok_or(AppCoreError::NotFound("That attachment"))?;
        let network = self.network_now();
        if !known.downloaded && network == Network::Mobile && !confirmed {
            return Ok(AttachmentDownload::Confirm { size: known.size, network: "mobile", reason: "You are on mobile data.".into() });
        }
        if !known.downloaded {
            let session = self.session().await?;
            let purpose = if confirmed { Purpose::Confirmed } else { Purpose::Opened };
            if let companion_sync::AttachmentDownload::Deferred(reason) = session.engine.download_attachment(message_id, attachment_id, purpose).await? {
                return Ok(AttachmentDownload::Confirm { size: known.size, network: if network == Network::Mobile { "mobile" } else { "wifi" }, reason });
            }
        }
        let content = self.vault.attachment_content(message_id, attachment_id)?.ok_or(AppCoreError::NotFound("That attachment's content"))?;
        self.count_use("attachment-opened");
        let path = self.opened_file(&known.name, &content)?;
        Ok(AttachmentDownload::Saved { path: path.display().to_string() })
    }

    fn known_message(&self, id: &str) -> Result<()> {
        self.vault.message(id)?.map(|_| ()).ok_or(AppCoreError::NotFound("That message"))
    }
}

/// Addresses typed by the member, e.g. "clerk@council.example" or "Clerk <clerk@council.example>".
fn mailboxes(list: &[String]) -> Result<Vec<Mailbox>> {
    list.iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .map(|s| {
            let (name, address) = match (s.rfind('<'), s.ends_with('>')) {
                (Some(open), true) => (s[..open].trim().trim_matches('"').to_owned(), s[open + 1..s.len() - 1].trim().to_owned()),
                _ => (String::new(), s.to_owned()),
            };
            let valid = address.split_once('@').is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')) && !address.contains(char::is_whitespace);
            if valid { Ok(Mailbox { name, address }) } else { Err(AppCoreError::Invalid(format!("“{s}” is not an email address."))) }
        })
        .collect()
}

/// A link the member chose to open outside the app: only web, mail and phone links go out.
pub fn external_link(url: &str) -> Result<url::Url> {
    let parsed = url::Url::parse(url.trim()).map_err(|_| AppCoreError::Invalid("That link is not a web, email or phone address.".into()))?;
    match parsed.scheme() {
        "http" | "https" | "mailto" | "tel" => Ok(parsed),
        _ => Err(AppCoreError::Invalid("For your safety, the app only opens web, email and phone links.".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_addresses_are_read_with_or_without_a_name() {
        let list = mailboxes(&["clerk@council.example".into(), " \"The Leader\" <leader@council.example> ".into(), "  ".into()]).expect("valid");
        assert_eq!(list.len(), 2);
        assert_eq!((list[1].name.as_str(), list[1].address.as_str()), ("The Leader", "leader@council.example"));
        for bad in ["clerk", "clerk@", "@council.example", "a b@council.example", "clerk@council"] {
            assert!(mailboxes(&[bad.into()]).is_err(), "{bad} was accepted");
        }
    }

    #[test]
    fn only_web_mail_and_phone_links_leave_the_app() {
        for good in ["https://council.example/agenda", "http://example.org", "mailto:clerk@council.example", "tel:+441234567890"] {
            assert!(external_link(good).is_ok(), "{good}");
        }
        for bad in ["javascript:alert(1)", "file:///etc/passwd", "data:text/html,x", "uk.gov.membercompanion://auth", "not a link"] {
            assert!(external_link(bad).is_err(), "{bad}");
        }
    }
}
