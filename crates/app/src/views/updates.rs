//! How the cache stands, what an update is doing, and what changed.

use serde::Serialize;

/// How the cache stands.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SyncStatus {
    /// False when the last attempt could not reach the council.
    pub online: bool,
    /// When the last full update finished (RFC 3339).
    pub last_synced_at: Option<String>,
    /// Whether an update is running.
    pub running: bool,
    /// The last failure in plain words.
    pub last_error: Option<String>,
    /// While an update runs: what it leaves for Wi-Fi, in plain words (a first sign-in on
    /// mobile data fetches the newest mail first and leaves attachments for Wi-Fi).
    pub plan_note: Option<String>,
}

/// Which part of the mailbox an update is bringing in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum ProgressCollection {
    /// The folder list.
    MailFolders,
    /// A folder's messages (headers).
    Mail,
    /// The calendar.
    Calendar,
    /// Contacts.
    Contacts,
    /// The bodies of the newest mail, fetched right after the inbox's headers.
    Bodies,
    /// The council's directory.
    Directory,
}

/// An update under way, as the status bar shows it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SyncProgress {
    /// What is coming in.
    pub collection: ProgressCollection,
    /// Items applied so far in that collection.
    pub done: u64,
    /// Bytes on the wire so far in this update.
    pub bytes: u64,
}

impl SyncProgress {
    /// The engine names its rounds `folders`, `mail:{folder}`, `calendar` and
    /// `contacts:{folder}`, and the newest mail's bodies `bodies`; anything else is not shown.
    pub(crate) fn from_engine(p: &companion_sync::Progress) -> Option<Self> {
        let collection = match p.collection.split(':').next().unwrap_or("") {
            "folders" => ProgressCollection::MailFolders,
            "mail" => ProgressCollection::Mail,
            "calendar" => ProgressCollection::Calendar,
            "contacts" => ProgressCollection::Contacts,
            "bodies" => ProgressCollection::Bodies,
            companion_sync::DIRECTORY => ProgressCollection::Directory,
            _ => return None,
        };
        Some(Self { collection, done: p.items, bytes: p.bytes })
    }
}

/// A part of what the app shows, named when it changes so the views reload it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum Collection {
    /// Who is signed in.
    Account,
    /// Messages and folders.
    Mail,
    /// The calendar.
    Calendar,
    /// Contacts.
    Contacts,
    /// The council's directory.
    Directory,
    /// What waits to be sent.
    Outbox,
    /// The data allowance.
    Allowance,
    /// The trial's surveys and help.
    Trial,
    /// The app lock: locked, unlocked, wiped.
    Protection,
}

impl Collection {
    /// Everything an update can change.
    pub const ALL: [Collection; 7] =
        [Self::Mail, Self::Calendar, Self::Contacts, Self::Directory, Self::Outbox, Self::Allowance, Self::Trial];
}

/// Which collections changed.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct DataChanged {
    /// The collections to reload.
    pub collections: Vec<Collection>,
}

/// A data-allowance threshold was crossed (once per threshold per cycle).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct AllowanceAlert {
    /// The threshold, in per cent of the allowance, e.g. 75 or 100.
    pub percent: u32,
    /// e.g. "75% of your mobile data used".
    pub title: String,
    /// What it means and what the app does now.
    pub body: String,
}

impl From<companion_allowance::ThresholdAlert> for AllowanceAlert {
    fn from(a: companion_allowance::ThresholdAlert) -> Self {
        Self { percent: a.percent, title: a.title, body: a.body }
    }
}

/// What the core tells the shell (and so the window) without being asked.
#[derive(Debug, Clone)]
pub enum CoreEvent {
    /// Parts of what the app shows changed.
    Changed(DataChanged),
    /// The cache's status changed (an update started or finished).
    SyncStatus(SyncStatus),
    /// An update's progress.
    SyncProgress(SyncProgress),
    /// A data-allowance warning, also for a system notification.
    AllowanceAlert(AllowanceAlert),
    /// New mail arrived in an update: one system notification.
    NewMail(super::NewMailNotice),
    /// A meeting's reminder time came: a system notification.
    MeetingReminder(super::MeetingReminderNotice),
}
