//! Opening a vault: key, checks, pragmas, migrations.

use crate::error::OpenError;
use crate::key::VaultKey;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, ErrorCode, OpenFlags};
use rusqlite_migration::{Migrations, M};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// The newest schema this build knows.
pub const SCHEMA_VERSION: i64 = 11;

pub(crate) const DB_FILE: &str = "vault.db";
/// Left by a wipe (it holds only the time) so the next start can say what happened.
pub(crate) const WIPED_MARKER: &str = "wiped-at";

const MIGRATIONS: &[M<'static>] = &[
    M::up(include_str!("../migrations/001_initial.sql")),
    M::up(include_str!("../migrations/002_search.sql")),
    M::up(include_str!("../migrations/003_inline_pictures.sql")),
    M::up(include_str!("../migrations/004_safe_bodies.sql")),
    M::up(include_str!("../migrations/005_attachment_parts.sql")),
    M::up(include_str!("../migrations/006_event_safe_bodies.sql")),
    M::up(include_str!("../migrations/007_event_reminders.sql")),
    M::up(include_str!("../migrations/008_directory.sql")),
    M::up(include_str!("../migrations/009_outgoing_attachments.sql")),
    M::up(include_str!("../migrations/010_committee_papers.sql")),
    M::up(include_str!("../migrations/011_paper_notes.sql")),
];

/// What opening found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenReport {
    /// A vault that was already there (and upgraded from `migrated_from`, if it was older).
    Existing {
        /// The schema version it had before this open, when it was upgraded.
        migrated_from: Option<i64>,
    },
    /// A new, empty vault.
    Created,
    /// A new, empty vault, because the last one was wiped at this time.
    CreatedAfterWipe {
        /// When the wipe happened.
        wiped_at: DateTime<Utc>,
    },
}

/// The member's encrypted cache. One connection, shared behind a lock: SQLite serialises
/// writers anyway, and reads are short.
pub struct Vault {
    conn: Mutex<Connection>,
    dir: PathBuf,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault").field("dir", &self.dir).finish_non_exhaustive()
    }
}

fn is_plain_sqlite(path: &Path) -> std::io::Result<bool> {
    use std::io::Read;
    let mut header = [0u8; 16];
    let mut file = std::fs::File::open(path)?;
    Ok(file.read(&mut header)? == 16 && &header == b"SQLite format 3\0")
}

fn sqlite_code(e: &rusqlite::Error) -> Option<ErrorCode> {
    match e {
        rusqlite::Error::SqliteFailure(f, _) => Some(f.code),
        _ => None,
    }
}

impl Vault {
    /// Opens (or creates) the vault in `dir` with `key`, upgrading an older schema.
    pub fn open(dir: &Path, key: &VaultKey) -> Result<(Self, OpenReport), OpenError> {
        Self::open_inner(dir, Some(key), None)
    }

    fn open_inner(dir: &Path, key: Option<&VaultKey>, target: Option<usize>) -> Result<(Self, OpenReport), OpenError> {
        std::fs::create_dir_all(dir)?;
        let path = dir.join(DB_FILE);
        let existed = std::fs::metadata(&path).map(|m| m.len() > 0).unwrap_or(false);
        if existed && key.is_some() && is_plain_sqlite(&path)? {
            return Err(OpenError::NotEncrypted);
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(&path, flags)?;
        if let Some(key) = key {
            // SQLCipher would print its own diagnostics to stderr; our typed errors say it all.
            // Memory security (locking and wiping every page buffer) is set before the key, so it
            // also covers the buffers made when the key is applied.
            let _ = conn.execute_batch("PRAGMA cipher_log_level = NONE; PRAGMA cipher_memory_security = OFF;");
            conn.pragma_update(None, "key", &*key.pragma_literal())?;
        }
        // The first read decrypts page one: a wrong key fails here, before anything is written.
        let found: i64 = match conn.query_row("PRAGMA user_version", [], |r| r.get(0)) {
            Ok(v) => v,
            Err(e) if sqlite_code(&e) == Some(ErrorCode::NotADatabase) => {
                return Err(if existed { OpenError::WrongKey } else { OpenError::Sqlite(e) });
            }
            Err(e) => return Err(e.into()),
        };
        if found > SCHEMA_VERSION {
            return Err(OpenError::SchemaTooNew { found, supported: SCHEMA_VERSION });
        }
        configure(&conn)?;
        let migrations = Migrations::from_slice(MIGRATIONS);
        let result = match target {
            Some(v) => migrations.to_version(&mut conn, v),
            None => migrations.to_latest(&mut conn),
        };
        result.map_err(|e| match e {
            rusqlite_migration::Error::RusqliteError { err, .. } if sqlite_code(&err) == Some(ErrorCode::DiskFull) => {
                OpenError::DiskFull
            }
            // The query text is long and says nothing a member or engineer needs: keep the cause.
            rusqlite_migration::Error::RusqliteError { err, .. } => OpenError::Migration(err.to_string()),
            other => OpenError::Migration(other.to_string()),
        })?;
        // A download does not outlive the process that started it: parts found now were left
        // by one that stopped (a crash, the app killed) and would only take up room. Clearing
        // them is housekeeping: a failure here does not stop the vault opening.
        if target.is_none_or(|v| v >= 5) {
            let _ = conn.execute("DELETE FROM attachment_part", []);
        }

        let marker = dir.join(WIPED_MARKER);
        let report = if existed {
            OpenReport::Existing { migrated_from: (found < SCHEMA_VERSION).then_some(found) }
        } else if let Ok(text) = std::fs::read_to_string(&marker) {
            let _ = std::fs::remove_file(&marker);
            match DateTime::parse_from_rfc3339(text.trim()) {
                Ok(t) => OpenReport::CreatedAfterWipe { wiped_at: t.with_timezone(&Utc) },
                Err(_) => OpenReport::Created,
            }
        } else {
            OpenReport::Created
        };
        Ok((Self { conn: Mutex::new(conn), dir: dir.to_owned() }, report))
    }

    /// Opens an unencrypted database: only for comparing with plain SQLite in tests and
    /// benchmarks.
    #[cfg(feature = "test-support")]
    pub fn open_plaintext(dir: &Path) -> Result<(Self, OpenReport), OpenError> {
        Self::open_inner(dir, None, None)
    }

    /// Creates a vault at an earlier schema version, to test upgrades.
    #[cfg(feature = "test-support")]
    pub fn create_at_version(dir: &Path, key: &VaultKey, version: usize) -> Result<Self, OpenError> {
        Self::open_inner(dir, Some(key), Some(version)).map(|(v, _)| v)
    }

    /// Runs raw SQL, to shape a test's database (e.g. rows in an old schema).
    #[cfg(feature = "test-support")]
    pub fn execute_raw(&self, sql: &str) -> crate::Result<()> {
        self.lock().execute_batch(sql).map_err(Into::into)
    }

    /// The folder the vault lives in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave SQLite half-written (transactions roll
        // back), so the connection is still sound.
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn into_connection(self) -> Connection {
        self.conn.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

fn configure(conn: &Connection) -> Result<(), OpenError> {
    // WAL: readers do not wait for the writer, and a crash loses at most the last transaction.
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(OpenError::Migration(format!("the journal could not be set to WAL ({mode})")));
    }
    conn.execute_batch(
        "PRAGMA foreign_keys = ON;
         PRAGMA secure_delete = ON;
         PRAGMA temp_store = MEMORY;
         PRAGMA synchronous = NORMAL;
         PRAGMA cache_size = -32000;
         PRAGMA busy_timeout = 5000;",
    )?;
    Ok(())
}
