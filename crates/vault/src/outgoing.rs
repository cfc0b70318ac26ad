//! Files on their way out: staged when the member attaches them, claimed by the outbox item
//! that sends them, forgotten once it is delivered.

use crate::open::Vault;
use crate::write::{ms, Writer};
use crate::{Result, VaultError};
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Row};

/// A file to send, without its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingAttachment {
    /// The app's own id for it.
    pub id: String,
    /// File name.
    pub name: String,
    /// MIME type.
    pub content_type: String,
    /// Bytes.
    pub size: u64,
    /// An upload session under way (Graph's `uploadUrl`), if any.
    pub upload_url: Option<String>,
    /// Already on the draft.
    pub attached: bool,
}

const COLUMNS: &str = "id, name, content_type, size, upload_url, attached";

fn outgoing(row: &Row<'_>) -> rusqlite::Result<OutgoingAttachment> {
    Ok(OutgoingAttachment {
        id: row.get(0)?,
        name: row.get(1)?,
        content_type: row.get(2)?,
        size: row.get::<_, i64>(3)? as u64,
        upload_url: row.get(4)?,
        attached: row.get(5)?,
    })
}

impl Writer<'_> {
    /// Keeps a file the member attached, before it is sent.
    pub fn stage_attachment(
        &mut self,
        id: &str,
        name: &str,
        content_type: &str,
        content: &[u8],
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO outgoing_attachment (id, name, content_type, size, content, staged_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![id, name, content_type, content.len() as i64, content, ms(now)])?;
        Ok(())
    }

    /// Forgets a staged file the member took off again (never one already claimed).
    pub fn unstage_attachment(&mut self, id: &str) -> Result<bool> {
        Ok(self.tx.prepare_cached("DELETE FROM outgoing_attachment WHERE id = ?1 AND op_id IS NULL")?.execute([id])?
            > 0)
    }

    /// Gives staged files, in this order, to the outbox item `op_id`. Fails, changing nothing
    /// (the transaction rolls back), if one is unknown or already another item's.
    pub fn claim_attachments(&mut self, op_id: &str, ids: &[String]) -> Result<()> {
        let mut claim = self.tx.prepare_cached(
            "UPDATE outgoing_attachment SET op_id = ?1, position = ?2 WHERE id = ?3 AND op_id IS NULL",
        )?;
        for (position, id) in ids.iter().enumerate() {
            if claim.execute(params![op_id, position as i64, id])? == 0 {
                return Err(VaultError::NotFound(format!("attachment {id}")));
            }
        }
        Ok(())
    }

    /// Remembers an upload session under way for a file.
    pub fn set_attachment_upload(&mut self, id: &str, upload_url: Option<&str>) -> Result<()> {
        self.tx
            .prepare_cached("UPDATE outgoing_attachment SET upload_url = ?2 WHERE id = ?1")?
            .execute(params![id, upload_url])?;
        Ok(())
    }

    /// Records that a file is on the draft.
    pub fn set_attachment_attached(&mut self, id: &str) -> Result<()> {
        self.tx
            .prepare_cached("UPDATE outgoing_attachment SET attached = 1, upload_url = NULL WHERE id = ?1")?
            .execute([id])?;
        Ok(())
    }

    /// Forgets the files of a delivered (or dropped) outbox item.
    pub fn remove_outgoing_attachments(&mut self, op_id: &str) -> Result<usize> {
        Ok(self.tx.prepare_cached("DELETE FROM outgoing_attachment WHERE op_id = ?1")?.execute([op_id])?)
    }

    /// Forgets files staged before `before` and never sent (a message the member abandoned).
    pub fn remove_stale_staged_attachments(&mut self, before: DateTime<Utc>) -> Result<usize> {
        Ok(self
            .tx
            .prepare_cached("DELETE FROM outgoing_attachment WHERE op_id IS NULL AND staged_at < ?1")?
            .execute([ms(before)])?)
    }
}

impl Vault {
    /// A staged file not yet claimed by a message.
    pub fn staged_attachment(&self, id: &str) -> Result<Option<OutgoingAttachment>> {
        let conn = self.lock();
        let mut stmt =
            conn.prepare_cached(&format!("SELECT {COLUMNS} FROM outgoing_attachment WHERE id = ?1 AND op_id IS NULL"))?;
        Ok(stmt.query_row([id], outgoing).optional()?)
    }

    /// An outbox item's files, in the order the member attached them.
    pub fn outgoing_attachments(&self, op_id: &str) -> Result<Vec<OutgoingAttachment>> {
        let conn = self.lock();
        let mut stmt = conn
            .prepare_cached(&format!("SELECT {COLUMNS} FROM outgoing_attachment WHERE op_id = ?1 ORDER BY position"))?;
        let rows = stmt.query_map([op_id], outgoing)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// `len` bytes of a file's content from `offset` (an upload goes a piece at a time).
    pub fn outgoing_attachment_bytes(&self, id: &str, offset: u64, len: usize) -> Result<Vec<u8>> {
        let conn = self.lock();
        let bytes: Option<Vec<u8>> = conn
            .prepare_cached("SELECT substr(content, ?2, ?3) FROM outgoing_attachment WHERE id = ?1")?
            .query_row(params![id, offset as i64 + 1, len as i64], |r| r.get(0))
            .optional()?;
        bytes.ok_or_else(|| VaultError::NotFound(format!("attachment {id}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::VaultKey;

    fn vault() -> (tempfile::TempDir, Vault) {
        let dir = tempfile::tempdir().expect("dir");
        let (vault, _) = Vault::open(dir.path(), &VaultKey::generate()).expect("vault");
        (dir, vault)
    }

    #[test]
    fn a_staged_file_is_claimed_once_read_in_pieces_and_forgotten_when_delivered() {
        let (_d, v) = vault();
        let content: Vec<u8> = (0..=255u8).cycle().take(10_000).collect();
        let now = Utc::now();
        v.write(|w| {
            w.stage_attachment("a", "plan.pdf", "application/pdf", &content, now)?;
            w.stage_attachment("b", "photo.jpg", "image/jpeg", b"jpeg", now)
        })
        .expect("staged");
        assert_eq!(v.staged_attachment("a").expect("read").map(|a| a.size), Some(10_000));
        v.write(|w| w.claim_attachments("op-1", &["b".into(), "a".into()])).expect("claimed");
        assert!(v.staged_attachment("a").expect("read").is_none(), "no longer only staged");
        assert!(v.write(|w| w.claim_attachments("op-2", &["a".into()])).is_err(), "a file goes with one message");
        assert!(!v.write(|w| w.unstage_attachment("a")).expect("unstage"), "a claimed file stays");
        let names: Vec<_> = v.outgoing_attachments("op-1").expect("list").into_iter().map(|a| a.name).collect();
        assert_eq!(names, ["photo.jpg", "plan.pdf"]);
        let mut whole = Vec::new();
        for offset in (0..10_000).step_by(3_000) {
            whole.extend(v.outgoing_attachment_bytes("a", offset, 3_000).expect("piece"));
        }
        assert_eq!(whole, content);
        v.write(|w| w.remove_outgoing_attachments("op-1")).expect("removed");
        assert!(v.outgoing_attachments("op-1").expect("list").is_empty());
    }

    #[test]
    fn a_claim_with_an_unknown_file_claims_nothing() {
        let (_d, v) = vault();
        v.write(|w| w.stage_attachment("a", "a.txt", "text/plain", b"a", Utc::now())).expect("staged");
        assert!(v.write(|w| w.claim_attachments("op", &["a".into(), "missing".into()])).is_err());
        assert!(v.staged_attachment("a").expect("read").is_some(), "the claim rolled back");
    }
}
