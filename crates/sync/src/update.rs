//! One whole update, in the order a member needs it: the inbox and the bodies of its newest
//! mail first (so what arrived last can be read as soon as possible, and on a first sign-in
//! on mobile data before much is spent), then every other folder, the calendar and contacts,
//! then what the update's [`PrefetchPlan`] fetches ahead.

use crate::engine::{SyncEngine, SyncReport};
use crate::error::SyncError;
use crate::prefetch::PrefetchReport;
use chrono::{DateTime, Duration, Utc};

/// What an update fetches ahead of the member, beyond the headers of the mail window, the
/// calendar window and contacts. The app's data governor chooses it for the network and for
/// how far the cache has been filled (`companion_allowance::Governor::prefetch_plan`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PrefetchPlan {
    /// Bodies of mail received in the last this many days.
    pub body_days: i64,
    /// Whether attachment lists and attachments (up to [`crate::PREFETCH_ATTACHMENT_LIMIT`])
    /// are fetched ahead too.
    pub attachments: bool,
}

impl PrefetchPlan {
    /// Everything the app fetches ahead: two days of bodies and their attachments.
    pub const FULL: Self = Self { body_days: 2, attachments: true };
}

/// What an update did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UpdateReport {
    /// The delta rounds.
    pub sync: SyncReport,
    /// What was fetched ahead (the inbox's newest bodies included).
    pub prefetch: PrefetchReport,
    /// Bytes on the wire when the inbox and its newest bodies were in the vault: what the
    /// member waited for before reading the newest mail (0 without a counting meter).
    pub bytes_until_readable: u64,
}

impl SyncEngine {
    /// One update under `plan` (see the module's comment). Progress names a step `bodies` when
    /// the newest mail's bodies are in, after the inbox's round and before the other folders.
    pub async fn update(&self, now: DateTime<Utc>, plan: PrefetchPlan) -> Result<UpdateReport, SyncError> {
        let mut report = UpdateReport::default();
        self.start_counting();
        let since = now - Duration::days(plan.body_days);
        let (folders, inbox) = self.sync_folders_and_inbox(now, &mut report.sync).await?;
        // Only the inbox is new to the vault on a first sign-in, so these are its bodies; on
        // later updates, any other folder's missing recent bodies come along (they are due).
        self.prefetch_bodies(since, &mut report.prefetch).await?;
        report.bytes_until_readable = self.bytes_so_far();
        self.report_progress("bodies", u64::from(report.prefetch.bodies));
        self.sync_after_folders(&folders, inbox.as_deref(), now, &mut report.sync).await?;
        let rest = self.prefetch_with(since, plan.attachments).await?;
        report.prefetch.bodies += rest.bodies;
        report.prefetch.attachments += rest.attachments;
        report.prefetch.attachment_bytes += rest.attachment_bytes;
        report.prefetch.deferred.extend(rest.deferred);
        Ok(report)
    }
}
