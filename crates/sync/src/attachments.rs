//! Attachments: their metadata (names, types, sizes) in `$batch`es, so the member sees what
//! is there and how big it is; their content only when asked, with the policy told the size.

use crate::engine::SyncEngine;
use crate::error::SyncError;
use crate::policy::{Decision, Download, Purpose};
use chrono::Utc;
use companion_graph::{Feature, GraphError, GraphRequest};
use companion_vault::{AttachmentRecord, Vault, VaultError};

/// The largest attachment Graph stores (an upload session's limit is 150 MB).
pub const ATTACHMENT_LIMIT: u64 = 150 * 1024 * 1024;

/// What fetching attachment lists did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AttachmentListReport {
    /// Attachments recorded.
    pub recorded: u32,
    /// Lists the policy held back, with its reasons.
    pub deferred: Vec<String>,
    /// Lists still throttled after every pass.
    pub left: u32,
}

/// What a download came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttachmentDownload {
    /// Stored in the vault (this many bytes).
    Stored(u64),
    /// The policy held it back (e.g. too large on mobile data), with its reason.
    Deferred(String),
}

/// The attachments a message's list answer names; an entry without an id is skipped.
pub(crate) fn attachment_records(message_id: &str, answer: &serde_json::Value) -> Vec<AttachmentRecord> {
    let list = answer["value"].as_array().map(Vec::as_slice).unwrap_or_default();
    list.iter()
        .filter_map(|item| {
            Some(AttachmentRecord {
                message_id: message_id.to_owned(),
                id: item["id"].as_str()?.to_owned(),
                name: item["name"].as_str().unwrap_or("attachment").to_owned(),
                content_type: item["contentType"].as_str().unwrap_or("application/octet-stream").to_owned(),
                size: item["size"].as_u64().unwrap_or(0),
                is_inline: item["isInline"].as_bool().unwrap_or(false),
                content_id: item["contentId"].as_str().filter(|c| !c.trim().is_empty()).map(str::to_owned),
                downloaded: false,
            })
        })
        .collect()
}

impl SyncEngine {
    /// Records the attachment metadata of `message_ids` (names, types, sizes; never content).
    pub async fn fetch_attachment_lists(&self, message_ids: &[String]) -> Result<AttachmentListReport, SyncError> {
        let mut report = AttachmentListReport::default();
        let wanted = self.allowed(
            message_ids,
            Purpose::Background,
            Feature::MailHeaders,
            "attachment list",
            &mut report.deferred,
        );
        let vault = self.vault();
        let mut recorded = 0;
        report.left = self
            .batched_get(
                &wanted,
                Feature::MailHeaders,
                false,
                // `contentId` belongs to file attachments, not to the base type the list is
                // of: Graph refuses it unless named through the type cast.
                |id| {
                    format!(
                        "/me/messages/{id}/attachments?$select=id,name,contentType,size,isInline,\
                         microsoft.graph.fileAttachment/contentId"
                    )
                },
                |a| {
                    if a.status != 200 {
                        return Ok(());
                    }
                    let list = attachment_records(a.item, a.body);
                    vault.write(|w| {
                        for record in &list {
                            w.upsert_attachment(record)?;
                        }
                        Ok(())
                    })?;
                    recorded += list.len() as u32;
                    Ok(())
                },
            )
            .await?;
        report.recorded = recorded;
        Ok(report)
    }

    /// Downloads one attachment's content into the vault, if the policy allows its size now.
    pub async fn download_attachment(
        &self,
        message_id: &str,
        attachment_id: &str,
        purpose: Purpose,
    ) -> Result<AttachmentDownload, SyncError> {
        let known = self.vault().attachments(message_id)?.into_iter().find(|a| a.id == attachment_id);
        if let Some(a) = known.as_ref().filter(|a| a.downloaded) {
            return Ok(AttachmentDownload::Stored(a.size));
        }
        // Only a listed attachment is stored: its row is what the content belongs to.
        let Some(size) = known.map(|a| a.size) else {
            return Err(GraphError::Malformed("that attachment is not in its message's list".into()).into());
        };
        let download = Download {
            purpose,
            feature: Feature::Attachments,
            network: self.network().current(),
            expected_bytes: Some(size),
            subject: format!("attachment {attachment_id}"),
        };
        if let Decision::Defer(why) = self.policy().decide(&download) {
            return Ok(AttachmentDownload::Deferred(why));
        }
        let url = format!("/me/messages/{message_id}/attachments/{attachment_id}/$value");
        // Graph's `size` counts a little more than the content; an answer well past it is not
        // the attachment that was listed, and is not read further.
        let limit = size.saturating_add(size / 4).saturating_add(64 * 1024).min(ATTACHMENT_LIMIT);
        let request =
            GraphRequest::get(url, Feature::Attachments).max_answer(limit).member_waiting(purpose.member_waiting());
        let vault = self.vault();
        // Parts of an earlier try that broke off are not this download's.
        vault.write(|w| w.drop_attachment_parts(message_id, attachment_id))?;
        let mut part = PartWriter { vault, message_id, attachment_id, buffer: Vec::new(), seq: 0, failed: None };
        let streamed = self.graph().download(&request, &mut |chunk| part.take(chunk)).await;
        let streamed = streamed.and_then(|bytes| part.flush().map(|()| bytes));
        let checked: Result<u64, SyncError> = match (streamed, part.failed.take()) {
            // A vault that could not take a part (a full disk) is the error, not the stream it stopped.
            (_, Some(vault_error)) => Err(vault_error.into()),
            (Err(e), None) => Err(e.into()),
            (Ok(bytes), None) => check_size(bytes, size).map(|()| bytes).map_err(Into::into),
        };
        let stored =
            checked.and_then(|_| Ok(vault.write(|w| w.finish_attachment(message_id, attachment_id, Utc::now()))?));
        match stored {
            Ok(Some(bytes)) => Ok(AttachmentDownload::Stored(bytes)),
            Ok(None) => Err(GraphError::Malformed("that attachment is no longer in its message's list".into()).into()),
            Err(e) => {
                let _ = vault.write(|w| w.drop_attachment_parts(message_id, attachment_id));
                Err(e)
            }
        }
    }
}

/// How much of an attachment is gathered in memory before it is written to the vault.
const PART_BYTES: usize = 1024 * 1024;

/// Writes an attachment's content into the vault as it comes, a part at a time.
struct PartWriter<'a> {
    vault: &'a Vault,
    message_id: &'a str,
    attachment_id: &'a str,
    buffer: Vec<u8>,
    seq: i64,
    /// Why the vault stopped taking parts.
    failed: Option<VaultError>,
}

impl PartWriter<'_> {
    fn take(&mut self, chunk: &[u8]) -> Result<(), GraphError> {
        self.buffer.extend_from_slice(chunk);
        if self.buffer.len() >= PART_BYTES {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), GraphError> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        match self.vault.write(|w| w.add_attachment_part(self.message_id, self.attachment_id, self.seq, &self.buffer)) {
            Ok(()) => {
                self.seq += 1;
                self.buffer.clear();
                Ok(())
            }
            Err(e) => {
                self.failed = Some(e);
                Err(GraphError::Network("the download stopped: the vault could not take it".into()))
            }
        }
    }
}

/// Far less than the listed size is not the attachment: an answer cut short, or a captive
/// portal's page in its place. Stored, it would pass for the file for good.
fn check_size(bytes: u64, listed: u64) -> Result<(), GraphError> {
    if bytes < listed.saturating_sub(listed / 4).saturating_sub(4 * 1024) {
        return Err(GraphError::Malformed(format!("the attachment came back as {bytes} bytes of the {listed} listed")));
    }
    Ok(())
}
