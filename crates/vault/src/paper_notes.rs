//! The member's notes on committee papers. They are the member's own work, so they outlive
//! the meeting (forgotten a month after it is held) and each paper's set of notes carries a
//! revision that a copy in the member's OneDrive is compared with.

use crate::open::Vault;
use crate::write::{ms, Writer};
use crate::Result;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, OptionalExtension, Row};

/// What a paper's notes are on, copied when the first note is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotedPaper {
    /// The meeting's id on the committee site.
    pub meeting_id: i64,
    /// The paper's id there.
    pub paper_id: i64,
    /// The meeting's committee.
    pub committee_title: String,
    /// The meeting's day.
    pub meeting_day: NaiveDate,
    /// The paper's title.
    pub paper_title: String,
}

/// A paper's notes as a set: what they are on, and where they stand with OneDrive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaperNoteSetRecord {
    /// What they are on.
    pub paper: NotedPaper,
    /// Raised by every change.
    pub revision: i64,
    /// When they last changed.
    pub changed_at: DateTime<Utc>,
    /// The revision last saved to OneDrive, and when, and the file's name there.
    pub saved: Option<(i64, DateTime<Utc>, String)>,
    /// Why the last try to save failed, if it did (cleared when one succeeds).
    pub save_failure: Option<String>,
}

impl PaperNoteSetRecord {
    /// Changed since the last save to OneDrive (or never saved).
    pub fn unsaved(&self) -> bool {
        self.saved.as_ref().is_none_or(|(revision, ..)| *revision < self.revision)
    }
}

/// One note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaperNoteRecord {
    /// Its id on the device.
    pub id: i64,
    /// The page it is about, where the member gave one.
    pub page: Option<u32>,
    /// What the member wrote.
    pub text: String,
    /// When it was written.
    pub created_at: DateTime<Utc>,
    /// When it was last changed.
    pub updated_at: DateTime<Utc>,
}

fn instant(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

fn note_set(r: &Row<'_>) -> rusqlite::Result<PaperNoteSetRecord> {
    let day: String = r.get(3)?;
    let saved_revision: Option<i64> = r.get(7)?;
    let saved_at: Option<i64> = r.get(8)?;
    let saved_file: Option<String> = r.get(9)?;
    Ok(PaperNoteSetRecord {
        paper: NotedPaper {
            meeting_id: r.get(0)?,
            paper_id: r.get(1)?,
            committee_title: r.get(2)?,
            meeting_day: day.parse().map_err(|e: chrono::ParseError| {
                rusqlite::Error::FromSqlConversionFailure(3, rusqlite::types::Type::Text, Box::new(e))
            })?,
            paper_title: r.get(4)?,
        },
        revision: r.get(5)?,
        changed_at: instant(r.get(6)?),
        saved: match (saved_revision, saved_at, saved_file) {
            (Some(rev), Some(at), Some(file)) => Some((rev, instant(at), file)),
            _ => None,
        },
        save_failure: r.get(10)?,
    })
}

const SET_COLUMNS: &str = "meeting_id, paper_id, committee_title, meeting_day, paper_title, revision, changed_at, saved_revision, saved_at, saved_file, save_failure";

impl Writer<'_> {
    /// Raises the revision of `paper`'s notes, making the set if this is its first note.
    fn touch_note_set(&mut self, paper: &NotedPaper, at: DateTime<Utc>) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO paper_note_set (meeting_id, paper_id, committee_title, meeting_day, paper_title, revision, changed_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6)
                 ON CONFLICT(meeting_id, paper_id) DO UPDATE SET revision = revision + 1, changed_at = excluded.changed_at,
                   committee_title = excluded.committee_title, meeting_day = excluded.meeting_day, paper_title = excluded.paper_title",
            )?
            .execute(params![
                paper.meeting_id,
                paper.paper_id,
                paper.committee_title,
                paper.meeting_day.to_string(),
                paper.paper_title,
                ms(at)
            ])?;
        Ok(())
    }

    /// Writes a note on `paper`: a new one when `id` is `None`, else the change of note `id`
    /// (which must be on this paper). The note's id, or `None` when there is no such note.
    pub fn put_paper_note(
        &mut self,
        paper: &NotedPaper,
        id: Option<i64>,
        page: Option<u32>,
        text: &str,
        at: DateTime<Utc>,
    ) -> Result<Option<i64>> {
        let page = page.map(i64::from);
        match id {
            None => {
                self.touch_note_set(paper, at)?;
                self.tx
                    .prepare_cached(
                        "INSERT INTO paper_note (meeting_id, paper_id, page, text, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
                    )?
                    .execute(params![paper.meeting_id, paper.paper_id, page, text, ms(at)])?;
                Ok(Some(self.tx.last_insert_rowid()))
            }
            Some(id) => {
                let changed = self
                    .tx
                    .prepare_cached(
                        "UPDATE paper_note SET page = ?4, text = ?5, updated_at = ?6 WHERE id = ?3 AND meeting_id = ?1 AND paper_id = ?2",
                    )?
                    .execute(params![paper.meeting_id, paper.paper_id, id, page, text, ms(at)])?;
                // No such note on this paper: nothing changed, so nothing is to be saved again
                // (and no empty set is made for a paper without notes).
                if changed != 1 {
                    return Ok(None);
                }
                self.touch_note_set(paper, at)?;
                Ok(Some(id))
            }
        }
    }

    /// Deletes note `id` of `paper`; whether there was one.
    pub fn delete_paper_note(&mut self, paper: &NotedPaper, id: i64, at: DateTime<Utc>) -> Result<bool> {
        let gone = self
            .tx
            .prepare_cached("DELETE FROM paper_note WHERE id = ?3 AND meeting_id = ?1 AND paper_id = ?2")?
            .execute(params![paper.meeting_id, paper.paper_id, id])?;
        if gone == 1 {
            self.touch_note_set(paper, at)?;
        }
        Ok(gone == 1)
    }

    /// Records that `revision` of a paper's notes is in the member's OneDrive as `file`.
    pub fn mark_paper_notes_saved(
        &mut self,
        meeting_id: i64,
        paper_id: i64,
        revision: i64,
        file: &str,
        at: DateTime<Utc>,
    ) -> Result<()> {
        self.tx
            .prepare_cached(
                "UPDATE paper_note_set SET saved_revision = ?3, saved_at = ?4, saved_file = ?5, save_failure = NULL
                 WHERE meeting_id = ?1 AND paper_id = ?2",
            )?
            .execute(params![meeting_id, paper_id, revision, ms(at), file])?;
        Ok(())
    }

    /// Records why a paper's notes could not be saved to OneDrive (tried again later).
    pub fn set_paper_notes_failure(&mut self, meeting_id: i64, paper_id: i64, reason: &str) -> Result<()> {
        self.tx
            .prepare_cached("UPDATE paper_note_set SET save_failure = ?3 WHERE meeting_id = ?1 AND paper_id = ?2")?
            .execute(params![meeting_id, paper_id, reason])?;
        Ok(())
    }
}

impl Vault {
    /// A paper's notes: by page (notes on the whole paper first), then as written.
    pub fn paper_notes(&self, meeting_id: i64, paper_id: i64) -> Result<Vec<PaperNoteRecord>> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(
            "SELECT id, page, text, created_at, updated_at FROM paper_note WHERE meeting_id = ?1 AND paper_id = ?2
             ORDER BY page IS NOT NULL, page, created_at, id",
        )?;
        let rows = stmt.query_map([meeting_id, paper_id], |r| {
            Ok(PaperNoteRecord {
                id: r.get(0)?,
                page: r.get::<_, Option<i64>>(1)?.and_then(|p| u32::try_from(p).ok()),
                text: r.get(2)?,
                created_at: instant(r.get(3)?),
                updated_at: instant(r.get(4)?),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A paper's note set, if it has ever had a note.
    pub fn paper_note_set(&self, meeting_id: i64, paper_id: i64) -> Result<Option<PaperNoteSetRecord>> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {SET_COLUMNS} FROM paper_note_set WHERE meeting_id = ?1 AND paper_id = ?2"
        ))?;
        Ok(stmt.query_row([meeting_id, paper_id], note_set).optional()?)
    }

    /// The note sets changed since they were last saved to OneDrive, oldest change first.
    pub fn unsaved_paper_note_sets(&self) -> Result<Vec<PaperNoteSetRecord>> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {SET_COLUMNS} FROM paper_note_set WHERE saved_revision IS NULL OR saved_revision < revision ORDER BY changed_at"
        ))?;
        let rows = stmt.query_map([], note_set)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::VaultKey;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().expect("instant")
    }

    fn budget() -> NotedPaper {
        NotedPaper {
            meeting_id: 5001,
            paper_id: 60_002,
            committee_title: "Council".into(),
            meeting_day: "2026-11-26".parse().expect("day"),
            paper_title: "Revenue Budget Monitoring: Quarter 2".into(),
        }
    }

    #[test]
    fn notes_are_kept_by_page_and_outlive_the_meeting_and_each_change_needs_saving_again() {
        let dir = tempfile::tempdir().expect("dir");
        let (v, _) = Vault::open(dir.path(), &VaultKey::generate()).expect("vault");
        let p = budget();
        let (first, second) = v
            .write(|w| {
                let first =
                    w.put_paper_note(&p, None, Some(7), "Ask about the reserves", at("2026-11-24T18:00:00Z"))?;
                let second = w.put_paper_note(&p, None, None, "Read before group", at("2026-11-24T18:05:00Z"))?;
                Ok((first.expect("id"), second.expect("id")))
            })
            .expect("written");
        let notes = v.paper_notes(5001, 60_002).expect("notes");
        assert_eq!(notes.iter().map(|n| n.id).collect::<Vec<_>>(), [second, first], "whole-paper notes first");
        let set = v.paper_note_set(5001, 60_002).expect("set").expect("a set");
        assert_eq!((set.revision, set.unsaved()), (2, true));
        v.write(|w| {
            w.mark_paper_notes_saved(5001, 60_002, 2, "2026-11-26 Council - Budget.md", at("2026-11-24T18:06:00Z"))
        })
        .expect("saved");
        assert!(v.unsaved_paper_note_sets().expect("unsaved").is_empty());
        // An edit while the save was on its way is a later revision: saved again.
        let edited = v
            .write(|w| {
                w.put_paper_note(&p, Some(first), Some(8), "Ask about reserves (p. 8)", at("2026-11-25T07:00:00Z"))
            })
            .expect("edited");
        assert_eq!(edited, Some(first));
        assert_eq!(v.unsaved_paper_note_sets().expect("unsaved").len(), 1);
        // A note of another paper is not this paper's to change or delete.
        let other = NotedPaper { paper_id: 60_003, ..budget() };
        assert_eq!(
            v.write(|w| w.put_paper_note(&other, Some(first), None, "x", at("2026-11-25T07:01:00Z"))).expect("w"),
            None
        );
        assert!(!v.write(|w| w.delete_paper_note(&other, first, at("2026-11-25T07:02:00Z"))).expect("w"));
        assert_eq!(v.paper_note_set(5001, 60_003).expect("set"), None, "no set for a paper without notes");
        assert!(v.write(|w| w.delete_paper_note(&p, second, at("2026-11-25T07:03:00Z"))).expect("w"));
        // The meeting is forgotten a month on; the notes are the member's and stay.
        v.write(|w| w.forget_meetings_before("2027-01-01".parse().expect("day"))).expect("forget");
        let notes = v.paper_notes(5001, 60_002).expect("notes");
        assert_eq!(notes.len(), 1);
        assert_eq!((notes[0].page, notes[0].text.as_str()), (Some(8), "Ask about reserves (p. 8)"));
    }
}
