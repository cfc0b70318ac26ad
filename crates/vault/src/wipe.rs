//! Wiping: nothing readable is left, and the next start knows it begins empty.

use crate::open::{Vault, DB_FILE, WIPED_MARKER};
use crate::Result;
use std::path::Path;

const FILES: [&str; 4] = ["", "-wal", "-shm", "-journal"];

impl Vault {
    /// Closes the vault and removes its database, WAL, shared memory and journal. The key must
    /// be removed from the keyring by the caller too (the vault never sees the keyring).
    pub fn wipe(self) -> Result<()> {
        let dir = self.dir().to_owned();
        let conn = self.into_connection();
        // Closing may fail if a statement is still live; dropping closes regardless.
        if let Err((conn, _)) = conn.close() {
            drop(conn);
        }
        Self::wipe_dir(&dir)
    }

    /// Removes a vault's files without opening it (e.g. its key is lost, or it is damaged).
    pub fn wipe_dir(dir: &Path) -> Result<()> {
        for suffix in FILES {
            let path = dir.join(format!("{DB_FILE}{suffix}"));
            match std::fs::remove_file(&path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(e.into()),
            }
        }
        // The marker holds only the time of the wipe, so the next open can say what happened.
        std::fs::create_dir_all(dir)?;
        std::fs::write(dir.join(WIPED_MARKER), chrono::Utc::now().to_rfc3339())?;
        Ok(())
    }
}
