#![doc = include_str!("../README.md")]

mod directory;
mod error;
/// Records for tests (the `test-support` feature).
#[cfg(feature = "test-support")]
pub mod fixtures;
mod key;
mod open;
mod outgoing;
mod paper_notes;
mod papers;
mod read;
mod records;
mod search;
mod wipe;
mod write;

pub use directory::{AddressSource, AddressSuggestionRecord, DirectoryPersonRecord};
pub use error::{OpenError, VaultError};
pub use key::VaultKey;
pub use open::{OpenReport, Vault, SCHEMA_VERSION};
pub use outgoing::OutgoingAttachment;
pub use paper_notes::{NotedPaper, PaperNoteRecord, PaperNoteSetRecord};
pub use papers::{AgendaItemRecord, CommitteeMeetingRecord, CommitteePaperRecord};
pub use read::{FolderPage, PageCursor};
pub use records::*;
pub use search::{SearchHit, SearchKind, HIGHLIGHT_END, HIGHLIGHT_START};
pub use write::Writer;

/// Results of the vault's operations.
pub type Result<T, E = VaultError> = std::result::Result<T, E>;
