//! The vault's errors: opening is told apart from operating, because each failure to open
//! needs its own message and its own recovery.

use rusqlite::ErrorCode;

/// Why a vault could not be opened.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OpenError {
    /// The key does not open this database. The file is left as it was.
    #[error("the vault's key does not open its database")]
    WrongKey,
    /// The file is an unencrypted SQLite database, not a vault.
    #[error("the file is not an encrypted vault")]
    NotEncrypted,
    /// The database was written by a newer version of the app.
    #[error("the vault was written by a newer version of the app (schema {found}, this app knows up to {supported})")]
    SchemaTooNew {
        /// The database's schema version.
        found: i64,
        /// The newest this app knows.
        supported: i64,
    },
    /// The disk is full.
    #[error("the device is out of storage space")]
    DiskFull,
    /// The database is damaged.
    #[error("the vault's database is damaged")]
    Corrupt,
    /// A migration failed; the database was left at its earlier version.
    #[error("the vault could not be upgraded: {0}")]
    Migration(String),
    /// The data directory could not be used.
    #[error("the vault's folder could not be used: {0}")]
    Io(#[from] std::io::Error),
    /// Another SQLite failure.
    #[error("the vault could not be opened: {0}")]
    Sqlite(#[source] rusqlite::Error),
}

/// Why an operation on an open vault failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VaultError {
    /// The disk is full; the write was rolled back and nothing earlier was lost.
    #[error("the device is out of storage space")]
    DiskFull,
    /// The database is damaged.
    #[error("the vault's database is damaged")]
    Corrupt,
    /// The database is busy in another process.
    #[error("the vault is busy")]
    Busy,
    /// A stored value could not be read back (e.g. malformed JSON in a list column).
    #[error("a stored value could not be read: {0}")]
    Decode(String),
    /// Something asked for by id is not in the vault (a file the member took off again).
    #[error("{0} is not in the vault")]
    NotFound(String),
    /// Reading, writing or removing the vault's files failed.
    #[error("the vault's files could not be read or written: {0}")]
    Io(#[from] std::io::Error),
    /// Another SQLite failure.
    #[error("the vault failed: {0}")]
    Sqlite(#[source] rusqlite::Error),
}

fn code(e: &rusqlite::Error) -> Option<ErrorCode> {
    match e {
        rusqlite::Error::SqliteFailure(f, _) => Some(f.code),
        _ => None,
    }
}

impl From<rusqlite::Error> for VaultError {
    fn from(e: rusqlite::Error) -> Self {
        match code(&e) {
            Some(ErrorCode::DiskFull) => Self::DiskFull,
            Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => Self::Corrupt,
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => Self::Busy,
            _ => Self::Sqlite(e),
        }
    }
}

impl From<rusqlite::Error> for OpenError {
    fn from(e: rusqlite::Error) -> Self {
        match code(&e) {
            Some(ErrorCode::DiskFull) => Self::DiskFull,
            Some(ErrorCode::DatabaseCorrupt) => Self::Corrupt,
            _ => Self::Sqlite(e),
        }
    }
}

impl From<serde_json::Error> for VaultError {
    fn from(e: serde_json::Error) -> Self {
        Self::Decode(e.to_string())
    }
}
