//! Forwarding, and files on outgoing mail: a file is staged (encrypted in the vault) when the
//! member attaches it, so its size shows before sending, and goes out with the message through
//! the outbox, exactly once (see `companion_sync::Outbox`).

use crate::error::{AppCoreError, Result};
use crate::mail::{mailboxes, MailService};
use crate::views::{ForwardMessage, NetworkKind, SendCost, StagedAttachment};
use base64::Engine as _;
use chrono::{Duration, Utc};
use companion_allowance::describe_bytes;
use companion_graph::{Network, NetworkProbe};
use companion_sync::{LocalChange, DIRECT_ATTACHMENT_LIMIT};

/// The most one file may be: Exchange Online's usual limit on a message is 35 MB, and a
/// phone on a weak signal should not try more.
pub const MAX_ATTACHMENT: u64 = 25 * 1024 * 1024;
/// Files staged and never sent are forgotten after this long (a message the member abandoned).
const STAGED_KEPT: i64 = 2;

impl MailService {
    /// Keeps a file the member attached until the message goes; `content_base64` is the file.
    pub fn stage_attachment(&self, name: &str, content_type: &str, content_base64: &str) -> Result<StagedAttachment> {
        // Only the file's own name: a path from the picker says where it was, not what it is.
        let name = name.rsplit(['/', '\\']).next().unwrap_or("").trim();
        if name.is_empty() {
            return Err(AppCoreError::Invalid("The file has no name.".into()));
        }
        // The size before decoding, so an oversized file is refused without holding it twice.
        if (content_base64.len() as u64) / 4 * 3 > MAX_ATTACHMENT + 3 {
            return Err(too_large());
        }
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(content_base64.trim())
            .map_err(|_| AppCoreError::Invalid("The file could not be read.".into()))?;
        if bytes.len() as u64 > MAX_ATTACHMENT {
            return Err(too_large());
        }
        if bytes.is_empty() {
            return Err(AppCoreError::Invalid("The file is empty.".into()));
        }
        let content_type =
            if content_type.trim().is_empty() { "application/octet-stream" } else { content_type.trim() };
        let id = uuid::Uuid::new_v4().to_string();
        let now = Utc::now();
        self.core.vault()?.write(|w| {
            w.remove_stale_staged_attachments(now - Duration::days(STAGED_KEPT))?;
            w.stage_attachment(&id, name, content_type, &bytes, now)
        })?;
        self.core.count_use(companion_evidence::Use::AttachmentAdded);
        Ok(StagedAttachment {
            id,
            name: name.to_owned(),
            content_type: content_type.to_owned(),
            size: bytes.len() as u64,
        })
    }

    /// Takes a staged file off again.
    pub fn unstage_attachment(&self, id: &str) -> Result<()> {
        self.core.vault()?.write(|w| w.unstage_attachment(id))?;
        Ok(())
    }

    /// What sending these staged files costs on the network in use now.
    pub fn send_cost(&self, ids: &[String]) -> Result<SendCost> {
        let vault = self.core.vault()?;
        let mut bytes = 0;
        for id in ids {
            let file = vault.staged_attachment(id)?.ok_or(AppCoreError::NotFound("That file"))?;
            // A small file travels as base64 in JSON; a large one as itself, in pieces.
            bytes += if file.size <= DIRECT_ATTACHMENT_LIMIT { file.size.div_ceil(3) * 4 } else { file.size };
        }
        let network = self.core.network.current();
        let note = (network == Network::Mobile && bytes > 0).then(|| {
            format!(
                "You are on mobile data: sending these files uses about {} of your allowance.",
                describe_bytes(bytes)
            )
        });
        Ok(SendCost { bytes, network: NetworkKind::from(network), note })
    }

    /// Forwards a message, with its files and any the member added.
    pub async fn forward(&self, forward: ForwardMessage) -> Result<()> {
        self.known_message(&forward.message_id)?;
        let to = mailboxes(&forward.to)?;
        let cc = mailboxes(&forward.cc)?;
        if to.is_empty() {
            return Err(AppCoreError::Invalid("Please add at least one person to forward this to.".into()));
        }
        self.check_staged(&forward.attachments)?;
        self.core.count_use(companion_evidence::Use::Forward);
        let change = LocalChange::Forward {
            message_id: forward.message_id,
            to,
            cc,
            comment: forward.comment,
            attachments: forward.attachments,
        };
        self.queue(change).await
    }

    /// Every file is staged and not yet another message's: said plainly before queueing.
    pub(crate) fn check_staged(&self, ids: &[String]) -> Result<()> {
        let vault = self.core.vault()?;
        for id in ids {
            if vault.staged_attachment(id)?.is_none() {
                return Err(AppCoreError::Invalid(
                    "One of the files is no longer attached. Please attach it again.".into(),
                ));
            }
        }
        Ok(())
    }
}

fn too_large() -> AppCoreError {
    AppCoreError::Invalid(format!(
        "The file is larger than {}, the most that can be sent from the app.",
        describe_bytes(MAX_ATTACHMENT)
    ))
}
