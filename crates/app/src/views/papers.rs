//! Committee papers: the member's meetings, each agenda with its papers.

use super::{iso, NetworkKind};
use serde::Serialize;

/// A meeting of one of the member's committees, for "My meetings".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct CommitteeMeetingSummary {
    /// Its id on the council's committee site.
    pub id: u32,
    /// The committee.
    pub committee: String,
    /// Its day (`yyyy-mm-dd`).
    pub day: String,
    /// Its time as the council wrote it.
    pub time: Option<String>,
    /// Where.
    pub location: Option<String>,
    /// Called off.
    pub cancelled: bool,
    /// Its agenda is out.
    pub agenda_published: bool,
    /// Its papers the member may read.
    pub papers: u32,
    /// Their size in all, where the site has said.
    pub papers_bytes: u64,
    /// Of those, on this device.
    pub stored_bytes: u64,
    /// Papers listed since the member last opened the agenda (a supplement).
    pub new_papers: u32,
    /// The member's calendar entry for it, where one matches by day and time or title.
    pub event_id: Option<String>,
}

/// A meeting's agenda.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct CommitteeMeetingView {
    /// The meeting.
    pub meeting: CommitteeMeetingSummary,
    /// Its items, in order, each with its papers.
    pub items: Vec<AgendaItemView>,
}

/// An item on an agenda.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct AgendaItemView {
    /// Its number as shown ("4.").
    pub number: Option<String>,
    /// Its title.
    pub title: String,
    /// Exempt ("not for publication").
    pub exempt: bool,
    /// Its papers the member may read (an exempt paper only where the council allows).
    pub papers: Vec<PaperView>,
}

/// A paper.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct PaperView {
    /// Its id on the council's committee site.
    pub id: u32,
    /// Its title.
    pub title: String,
    /// Its size, where the site has said: shown before it is fetched.
    pub size: Option<u64>,
    /// On this device, readable offline.
    pub stored: bool,
    /// Listed since the member last opened this agenda.
    pub new: bool,
    /// When the council published it (`yyyy-mm-dd`).
    pub published: Option<String>,
    /// When it was stored on this device (RFC 3339).
    pub stored_at: Option<String>,
}

/// The answer to opening a paper: on the device, or its size to agree to first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "state", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum PaperDownload {
    /// On the device: it can be read (offline too).
    Stored {
        /// Its size in bytes.
        size: u64,
    },
    /// Not fetched: the member is asked first.
    Confirm {
        /// Its size in bytes, where the site has said.
        size: Option<u64>,
        /// The network it would come over.
        network: NetworkKind,
        /// Why the member is asked.
        reason: String,
    },
}

/// A piece of a stored paper, for the in-app reader (which takes it a piece at a time so a
/// 40 MB pack never crosses to the screen in one message).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct PaperPiece {
    /// Where it starts in the paper.
    pub offset: u64,
    /// The paper's whole size.
    pub total: u64,
    /// The piece, base64.
    pub base64: String,
}

pub(crate) fn stored_at(t: Option<chrono::DateTime<chrono::Utc>>) -> Option<String> {
    t.map(iso)
}

/// One of the member's notes on a paper.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct PaperNoteView {
    /// Its id on the device.
    pub id: u32,
    /// The page it is about, where the member gave one.
    pub page: Option<u32>,
    /// What the member wrote.
    pub text: String,
    /// When it was last changed (RFC 3339).
    pub updated: String,
}

/// Where the notes on a paper stand with the member's OneDrive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "state", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum NotesBackup {
    /// The member keeps their notes on this device only.
    Off,
    /// Changed since they were last saved; saved with the next update.
    Waiting {
        /// Why they are not saved yet, where a try failed.
        reason: Option<String>,
    },
    /// In the member's OneDrive as they are now.
    Saved {
        /// When (RFC 3339).
        at: String,
        /// The file's name in OneDrive, under "Member Companion/Committee notes".
        file: String,
    },
}

/// The member's notes on one paper.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct PaperNotesView {
    /// The notes, by page (notes without a page first), then as written.
    pub notes: Vec<PaperNoteView>,
    /// Whether the member keeps their notes on papers in their OneDrive too (one setting for
    /// all papers).
    pub to_one_drive: bool,
    /// Where these notes stand with OneDrive.
    pub backup: NotesBackup,
}
