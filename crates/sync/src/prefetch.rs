//! Fetching ahead: after a sync, the bodies, attachment lists and attachments of recent mail,
//! so a member who opens a message on a train with no signal still finds it whole. Every item
//! goes past the data policy as a [`Purpose::Prefetch`], which the data saver may refuse.

use crate::attachments::AttachmentDownload;
use crate::engine::SyncEngine;
use crate::error::SyncError;
use crate::policy::Purpose;
use chrono::{DateTime, Utc};

/// Attachments larger than this are never fetched ahead, whatever the policy says: a member
/// opens them deliberately.
pub const PREFETCH_ATTACHMENT_LIMIT: u64 = 25 * 1024 * 1024;

/// What a prefetch did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PrefetchReport {
    /// Bodies stored.
    pub bodies: u32,
    /// Attachment contents stored, and their bytes.
    pub attachments: u32,
    /// Bytes of attachment content stored.
    pub attachment_bytes: u64,
    /// What the policy held back, with its reasons (one line per kind is enough to explain).
    pub deferred: Vec<String>,
}

impl SyncEngine {
    /// Fetches what is missing for mail received since `since`: bodies, then attachment lists,
    /// then attachment contents up to [`PREFETCH_ATTACHMENT_LIMIT`], newest first.
    pub async fn prefetch(&self, since: DateTime<Utc>) -> Result<PrefetchReport, SyncError> {
        self.prefetch_with(since, true).await
    }

    /// Fetches the bodies of mail received since `since` that the vault lacks, newest first.
    pub(crate) async fn prefetch_bodies(
        &self,
        since: DateTime<Utc>,
        report: &mut PrefetchReport,
    ) -> Result<(), SyncError> {
        let ids = self.vault().messages_without_body(since)?;
        if !ids.is_empty() {
            let bodies = self.fetch_bodies(&ids, Purpose::Prefetch).await?;
            report.bodies += bodies.fetched;
            report.deferred.extend(bodies.deferred.into_iter().take(1));
        }
        Ok(())
    }

    /// As [`SyncEngine::prefetch`], with attachment lists and attachments only when
    /// `attachments` (an update's [`crate::PrefetchPlan`] says).
    pub(crate) async fn prefetch_with(
        &self,
        since: DateTime<Utc>,
        attachments: bool,
    ) -> Result<PrefetchReport, SyncError> {
        let mut report = PrefetchReport::default();
        self.prefetch_bodies(since, &mut report).await?;
        if !attachments {
            return Ok(report);
        }
        let listless = self.vault().messages_without_attachment_list(since)?;
        if !listless.is_empty() {
            let lists = self.fetch_attachment_lists(&listless).await?;
            report.deferred.extend(lists.deferred.into_iter().take(1));
        }
        for (message_id, attachment_id, size) in self.vault().attachments_not_downloaded(since)? {
            if size > PREFETCH_ATTACHMENT_LIMIT {
                continue;
            }
            match self.download_attachment(&message_id, &attachment_id, Purpose::Prefetch).await? {
                AttachmentDownload::Stored(n) => {
                    report.attachments += 1;
                    report.attachment_bytes += n;
                }
                AttachmentDownload::Deferred(why) => {
                    // The policy's reason is the same for the rest; stop asking.
                    report.deferred.push(why);
                    break;
                }
            }
        }
        Ok(report)
    }
}
