//! Keeps the vault in step with Microsoft Graph through delta queries.
//!
//! Each collection (the folder list, each folder's messages, the calendar window, contacts,
//! the council's directory) syncs in rounds. Every page is written to the vault in one
//! transaction together with the link that continues from it, so a crash at any moment resumes where it stopped with nothing
//! lost or duplicated. A `410 Gone` or `syncStateNotFound` clears that collection and syncs it
//! again from the start. Before every download the engine asks a [`DataPolicy`].

mod ahead;
mod attachments;
mod bodies;
mod convert;
mod engine;
mod error;
#[doc(hidden)]
pub mod fuzzing;
mod ledger;
mod outbox;
mod paper_notes;
mod papers;
mod policy;
mod prefetch;
mod server_search;
mod update;

pub use attachments::{AttachmentDownload, AttachmentListReport};
pub use bodies::{text_of, BodyReport};
pub use engine::{Progress, SyncEngine, SyncOptions, SyncReport, DIRECTORY};
pub use error::SyncError;
pub use ledger::{Clock, CountingMeter, LedgerMeter};
pub use outbox::{DeliveryReport, LocalChange, Outbox, Response, DIRECT_ATTACHMENT_LIMIT};
pub use paper_notes::{notes_file_name, notes_markdown, save_paper_notes, NotesSaveReport, NOTES_FOLDER};
pub use papers::{
    meeting_cancelled, CommitteeMember, CommitteePapers, PaperFetch, PapersUpdate, MEETINGS_AHEAD_DAYS,
    MEETINGS_BACK_DAYS,
};
pub use policy::{AllowAll, DataPolicy, Decision, Download, Purpose};
pub use prefetch::{PrefetchReport, PREFETCH_ATTACHMENT_LIMIT};
pub use server_search::{ServerSearch, SERVER_SEARCH_MOST};
pub use update::{PrefetchPlan, UpdateReport};
