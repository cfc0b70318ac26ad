//! Committee papers, kept on the device: the meetings of the member's committees, their
//! agendas and papers, and each paper's content once fetched.

use crate::open::Vault;
use crate::write::{ms, Writer};
use crate::Result;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, OptionalExtension, Row};

/// A meeting of one of the member's committees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitteeMeetingRecord {
    /// Its id on the council's committee site.
    pub id: i64,
    /// Its committee's id there.
    pub committee_id: i64,
    /// Its committee's title.
    pub committee_title: String,
    /// Its day.
    pub day: NaiveDate,
    /// Its time as the council wrote it.
    pub time_text: Option<String>,
    /// When it starts, where the time could be read.
    pub starts_at: Option<DateTime<Utc>>,
    /// Where.
    pub location: Option<String>,
    /// "Confirmed", "Cancelled", …
    pub status: String,
    /// Its agenda is out.
    pub agenda_published: bool,
    /// When the member last opened its agenda (kept when the meeting is stored again).
    pub looked_at: Option<DateTime<Utc>>,
}

/// An item on a meeting's agenda.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaItemRecord {
    /// Its place on the agenda.
    pub seq: i64,
    /// Its id on the site.
    pub id: i64,
    /// Its number as shown ("4.").
    pub number: Option<String>,
    /// Its title.
    pub title: String,
    /// Exempt.
    pub restricted: bool,
}

/// A paper of a meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitteePaperRecord {
    /// Its id on the site.
    pub id: i64,
    /// The agenda item it belongs to (`AgendaItemRecord::seq`).
    pub item_seq: i64,
    /// Its title.
    pub title: String,
    /// Its address on the council's site.
    pub url: String,
    /// Exempt: not for publication.
    pub restricted: bool,
    /// When the council published it.
    pub published: Option<NaiveDate>,
    /// Its size, once the site has said.
    pub size: Option<u64>,
    /// When the device first saw it listed (kept when the agenda is stored again).
    pub first_seen_at: DateTime<Utc>,
    /// When its content was stored, if it has been.
    pub fetched_at: Option<DateTime<Utc>>,
}

const MEETING_COLUMNS: &str =
    "id, committee_id, committee_title, day, time_text, starts_at, location, status, agenda_published, looked_at";
const PAPER_COLUMNS: &str = "id, item_seq, title, url, restricted, published, size, first_seen_at, fetched_at";

fn day(text: String) -> rusqlite::Result<NaiveDate> {
    text.parse().map_err(|e: chrono::ParseError| {
        rusqlite::Error::FromSqlConversionFailure(3, rusqlite::types::Type::Text, Box::new(e))
    })
}

fn instant(ms: Option<i64>) -> Option<DateTime<Utc>> {
    ms.and_then(DateTime::from_timestamp_millis)
}

fn meeting(r: &Row<'_>) -> rusqlite::Result<CommitteeMeetingRecord> {
    Ok(CommitteeMeetingRecord {
        id: r.get(0)?,
        committee_id: r.get(1)?,
        committee_title: r.get(2)?,
        day: day(r.get(3)?)?,
        time_text: r.get(4)?,
        starts_at: instant(r.get(5)?),
        location: r.get(6)?,
        status: r.get(7)?,
        agenda_published: r.get(8)?,
        looked_at: instant(r.get(9)?),
    })
}

fn paper(r: &Row<'_>) -> rusqlite::Result<CommitteePaperRecord> {
    Ok(CommitteePaperRecord {
        id: r.get(0)?,
        item_seq: r.get(1)?,
        title: r.get(2)?,
        url: r.get(3)?,
        restricted: r.get(4)?,
        published: r.get::<_, Option<String>>(5)?.map(day).transpose()?,
        size: r.get::<_, Option<i64>>(6)?.map(|s| s.max(0) as u64),
        first_seen_at: instant(r.get(7)?).unwrap_or_default(),
        fetched_at: instant(r.get(8)?),
    })
}

impl Writer<'_> {
    /// Stores a meeting (when the member last opened it is kept).
    pub fn put_committee_meeting(&mut self, m: &CommitteeMeetingRecord) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO committee_meeting (id, committee_id, committee_title, day, time_text, starts_at, location, status, agenda_published)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                 ON CONFLICT(id) DO UPDATE SET committee_id = excluded.committee_id, committee_title = excluded.committee_title,
                   day = excluded.day, time_text = excluded.time_text, starts_at = excluded.starts_at,
                   location = excluded.location, status = excluded.status, agenda_published = excluded.agenda_published",
            )?
            .execute(params![
                m.id,
                m.committee_id,
                m.committee_title,
                m.day.to_string(),
                m.time_text,
                m.starts_at.map(ms),
                m.location,
                m.status,
                m.agenda_published
            ])?;
        Ok(())
    }

    /// Stores a meeting's agenda as the site gives it now: its items replace those stored; a
    /// paper already stored keeps its size, content and when it was first seen; a paper no
    /// longer listed (withdrawn) goes, with its content.
    pub fn put_agenda(
        &mut self,
        meeting_id: i64,
        items: &[AgendaItemRecord],
        papers: &[CommitteePaperRecord],
    ) -> Result<()> {
        self.tx.prepare_cached("DELETE FROM agenda_item WHERE meeting_id = ?1")?.execute([meeting_id])?;
        for i in items {
            self.tx
                .prepare_cached(
                    "INSERT INTO agenda_item (meeting_id, seq, id, number, title, restricted) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )?
                .execute(params![meeting_id, i.seq, i.id, i.number, i.title, i.restricted])?;
        }
        let listed: Vec<i64> = papers.iter().map(|p| p.id).collect();
        let stored: Vec<i64> = self
            .tx
            .prepare_cached("SELECT id FROM committee_paper WHERE meeting_id = ?1")?
            .query_map([meeting_id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for gone in stored.iter().filter(|id| !listed.contains(id)) {
            self.tx
                .prepare_cached("DELETE FROM committee_paper WHERE meeting_id = ?1 AND id = ?2")?
                .execute([meeting_id, *gone])?;
        }
        for p in papers {
            self.tx
                .prepare_cached(
                    "INSERT INTO committee_paper (meeting_id, id, item_seq, title, url, restricted, published, first_seen_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                     ON CONFLICT(meeting_id, id) DO UPDATE SET item_seq = excluded.item_seq, title = excluded.title,
                       url = excluded.url, restricted = excluded.restricted, published = excluded.published",
                )?
                .execute(params![
                    meeting_id,
                    p.id,
                    p.item_seq,
                    p.title,
                    p.url,
                    p.restricted,
                    p.published.map(|d| d.to_string()),
                    ms(p.first_seen_at)
                ])?;
        }
        Ok(())
    }

    /// Records a paper's size, as the site gave it.
    pub fn set_paper_size(&mut self, meeting_id: i64, id: i64, size: u64) -> Result<()> {
        self.tx
            .prepare_cached("UPDATE committee_paper SET size = ?3 WHERE meeting_id = ?1 AND id = ?2")?
            .execute(params![meeting_id, id, size as i64])?;
        Ok(())
    }

    /// Adds part `seq` of a paper's content as it arrives.
    pub fn add_paper_part(&mut self, meeting_id: i64, id: i64, seq: i64, data: &[u8]) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT OR REPLACE INTO committee_paper_part (meeting_id, paper_id, seq, data) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![meeting_id, id, seq, data])?;
        Ok(())
    }

    /// Puts a paper's parts together as its content (never whole in memory) and removes them.
    /// Its size, or `None` when the paper is no longer listed.
    pub fn finish_paper(&mut self, meeting_id: i64, id: i64, at: DateTime<Utc>) -> Result<Option<u64>> {
        use std::io::Write;
        let rowid: Option<i64> = self
            .tx
            .prepare_cached("SELECT rowid FROM committee_paper WHERE meeting_id = ?1 AND id = ?2")?
            .query_row([meeting_id, id], |r| r.get(0))
            .optional()?;
        let Some(rowid) = rowid else {
            self.drop_paper_parts(meeting_id, id)?;
            return Ok(None);
        };
        let total: i64 = self
            .tx
            .prepare_cached(
                "SELECT coalesce(sum(length(data)), 0) FROM committee_paper_part WHERE meeting_id = ?1 AND paper_id = ?2",
            )?
            .query_row([meeting_id, id], |r| r.get(0))?;
        self.tx
            .prepare_cached(
                "UPDATE committee_paper SET content = zeroblob(?2), fetched_at = ?3, size = coalesce(size, ?2) WHERE rowid = ?1",
            )?
            .execute(params![rowid, total, ms(at)])?;
        {
            let mut blob = self.tx.blob_open(rusqlite::MAIN_DB, "committee_paper", "content", rowid, false)?;
            let mut parts = self.tx.prepare_cached(
                "SELECT data FROM committee_paper_part WHERE meeting_id = ?1 AND paper_id = ?2 ORDER BY seq",
            )?;
            let mut rows = parts.query([meeting_id, id])?;
            while let Some(row) = rows.next()? {
                let data = row.get_ref(0)?.as_blob().map_err(|e| crate::VaultError::Decode(e.to_string()))?;
                blob.write_all(data)?;
            }
        }
        self.drop_paper_parts(meeting_id, id)?;
        Ok(Some(total as u64))
    }

    /// Removes the parts of a paper download that did not finish.
    pub fn drop_paper_parts(&mut self, meeting_id: i64, id: i64) -> Result<()> {
        self.tx
            .prepare_cached("DELETE FROM committee_paper_part WHERE meeting_id = ?1 AND paper_id = ?2")?
            .execute([meeting_id, id])?;
        Ok(())
    }

    /// The member opened a meeting's agenda: what is listed now is no longer new.
    pub fn mark_meeting_looked(&mut self, meeting_id: i64, at: DateTime<Utc>) -> Result<()> {
        self.tx
            .prepare_cached("UPDATE committee_meeting SET looked_at = ?2 WHERE id = ?1")?
            .execute(params![meeting_id, ms(at)])?;
        Ok(())
    }

    /// Removes meetings held before `day`, with their papers.
    pub fn forget_meetings_before(&mut self, day: NaiveDate) -> Result<usize> {
        Ok(self.tx.prepare_cached("DELETE FROM committee_meeting WHERE day < ?1")?.execute([day.to_string()])?)
    }
}

/// The row of a paper whose content is stored, for SQLite's blob I/O.
fn stored_rowid(conn: &rusqlite::Connection, meeting_id: i64, id: i64) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT rowid FROM committee_paper WHERE meeting_id = ?1 AND id = ?2 AND content IS NOT NULL")?
        .query_row([meeting_id, id], |r| r.get(0))
        .optional()?)
}

impl Vault {
    /// The meetings held from `from` to `to` inclusive, in date and time order.
    pub fn committee_meetings(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<CommitteeMeetingRecord>> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {MEETING_COLUMNS} FROM committee_meeting WHERE day >= ?1 AND day <= ?2 ORDER BY day, starts_at, id"
        ))?;
        let rows = stmt.query_map([from.to_string(), to.to_string()], meeting)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One meeting.
    pub fn committee_meeting(&self, id: i64) -> Result<Option<CommitteeMeetingRecord>> {
        let conn = self.lock();
        let mut stmt =
            conn.prepare_cached(&format!("SELECT {MEETING_COLUMNS} FROM committee_meeting WHERE id = ?1"))?;
        Ok(stmt.query_row([id], meeting).optional()?)
    }

    /// A meeting's agenda items, in order.
    pub fn agenda_items(&self, meeting_id: i64) -> Result<Vec<AgendaItemRecord>> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(
            "SELECT seq, id, number, title, restricted FROM agenda_item WHERE meeting_id = ?1 ORDER BY seq",
        )?;
        let rows = stmt.query_map([meeting_id], |r| {
            Ok(AgendaItemRecord {
                seq: r.get(0)?,
                id: r.get(1)?,
                number: r.get(2)?,
                title: r.get(3)?,
                restricted: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A meeting's papers, in agenda order.
    pub fn committee_papers(&self, meeting_id: i64) -> Result<Vec<CommitteePaperRecord>> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {PAPER_COLUMNS} FROM committee_paper WHERE meeting_id = ?1 ORDER BY item_seq, id"
        ))?;
        let rows = stmt.query_map([meeting_id], paper)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Up to `len` bytes of a stored paper from `offset`, with its whole size; `None` if it is
    /// not stored. For a reader that takes a paper a piece at a time.
    pub fn paper_range(&self, meeting_id: i64, id: i64, offset: u64, len: usize) -> Result<Option<(Vec<u8>, u64)>> {
        use std::io::{Read, Seek, SeekFrom};
        let conn = self.lock();
        let Some(rowid) = stored_rowid(&conn, meeting_id, id)? else { return Ok(None) };
        let mut blob = conn.blob_open(rusqlite::MAIN_DB, "committee_paper", "content", rowid, true)?;
        let total = blob.len() as u64;
        blob.seek(SeekFrom::Start(offset.min(total)))?;
        let mut piece = Vec::with_capacity(len.min(total.saturating_sub(offset) as usize));
        blob.by_ref().take(len as u64).read_to_end(&mut piece)?;
        Ok(Some((piece, total)))
    }

    /// Copies a paper's stored content to `out` a piece at a time; `None` if it is not stored.
    pub fn copy_paper_to(&self, meeting_id: i64, id: i64, out: &mut dyn std::io::Write) -> Result<Option<u64>> {
        let conn = self.lock();
        let Some(rowid) = stored_rowid(&conn, meeting_id, id)? else { return Ok(None) };
        let mut blob = conn.blob_open(rusqlite::MAIN_DB, "committee_paper", "content", rowid, true)?;
        Ok(Some(std::io::copy(&mut blob, out)?))
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

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().expect("instant")
    }

    fn council(id: i64, day: &str) -> CommitteeMeetingRecord {
        CommitteeMeetingRecord {
            id,
            committee_id: 140,
            committee_title: "Council".into(),
            day: day.parse().expect("day"),
            time_text: Some("6.30 pm".into()),
            starts_at: Some(at(&format!("{day}T18:30:00Z"))),
            location: Some("Council Chamber".into()),
            status: "Confirmed".into(),
            agenda_published: true,
            looked_at: None,
        }
    }

    fn listed(id: i64, item_seq: i64, title: &str, seen: &str) -> CommitteePaperRecord {
        CommitteePaperRecord {
            id,
            item_seq,
            title: title.into(),
            url: format!("https://democracy.example.gov.uk/mgConvert2PDF.aspx?ID={id}"),
            restricted: false,
            published: None,
            size: None,
            first_seen_at: at(seen),
            fetched_at: None,
        }
    }

    #[test]
    fn an_agenda_stored_again_keeps_what_was_fetched_and_when_each_paper_was_first_seen() {
        let (_d, v) = vault();
        let items =
            [AgendaItemRecord { seq: 1, id: 20, number: Some("1.".into()), title: "Budget".into(), restricted: false }];
        v.write(|w| {
            w.put_committee_meeting(&council(5001, "2026-11-26"))?;
            w.put_agenda(5001, &items, &[listed(1, 1, "Budget report", "2026-11-18T09:00:00Z")])?;
            w.set_paper_size(5001, 1, 11)?;
            w.add_paper_part(5001, 1, 0, b"%PDF-")?;
            w.add_paper_part(5001, 1, 1, b"1.4 ok")?;
            w.finish_paper(5001, 1, at("2026-11-18T10:00:00Z"))?;
            w.mark_meeting_looked(5001, at("2026-11-18T12:00:00Z"))
        })
        .expect("stored");
        // The supplement comes two days before; the agenda is stored again as the site has it.
        v.write(|w| {
            w.put_committee_meeting(&council(5001, "2026-11-26"))?;
            w.put_agenda(
                5001,
                &items,
                &[
                    listed(1, 1, "Budget report", "2026-11-24T09:00:00Z"),
                    listed(2, 1, "Supplement 1", "2026-11-24T09:00:00Z"),
                ],
            )
        })
        .expect("again");
        let papers = v.committee_papers(5001).expect("papers");
        assert_eq!(papers[0].first_seen_at, at("2026-11-18T09:00:00Z"), "first seen is kept");
        assert_eq!((papers[0].size, papers[0].fetched_at.is_some()), (Some(11), true));
        let looked = v.committee_meeting(5001).expect("read").and_then(|m| m.looked_at).expect("looked");
        let new: Vec<&str> = papers.iter().filter(|p| p.first_seen_at > looked).map(|p| p.title.as_str()).collect();
        assert_eq!(new, ["Supplement 1"]);
        let mut out = Vec::new();
        assert_eq!(v.copy_paper_to(5001, 1, &mut out).expect("copy"), Some(11));
        assert_eq!(out, b"%PDF-1.4 ok");
        assert_eq!(v.copy_paper_to(5001, 2, &mut Vec::new()).expect("copy"), None, "not fetched");
        assert_eq!(v.paper_range(5001, 1, 5, 3).expect("range"), Some((b"1.4".to_vec(), 11)));
        assert_eq!(v.paper_range(5001, 1, 99, 3).expect("range"), Some((Vec::new(), 11)), "past the end: nothing");
    }

    #[test]
    fn a_withdrawn_paper_goes_with_its_content_and_old_meetings_are_forgotten() {
        let (_d, v) = vault();
        v.write(|w| {
            w.put_committee_meeting(&council(5001, "2026-11-26"))?;
            w.put_committee_meeting(&council(5002, "2027-01-21"))?;
            w.put_agenda(
                5001,
                &[],
                &[listed(1, 1, "A", "2026-11-18T09:00:00Z"), listed(2, 1, "B", "2026-11-18T09:00:00Z")],
            )?;
            w.add_paper_part(5001, 2, 0, b"x")?;
            w.finish_paper(5001, 2, at("2026-11-18T10:00:00Z"))?;
            w.put_agenda(5001, &[], &[listed(1, 1, "A", "2026-11-18T09:00:00Z")])
        })
        .expect("stored");
        assert_eq!(v.committee_papers(5001).expect("papers").len(), 1);
        let in_range = |from: &str, to: &str| {
            v.committee_meetings(from.parse().expect("day"), to.parse().expect("day")).expect("meetings").len()
        };
        assert_eq!(in_range("2026-11-01", "2027-02-01"), 2);
        assert_eq!(v.write(|w| w.forget_meetings_before("2026-12-01".parse().expect("day"))).expect("forget"), 1);
        assert_eq!(in_range("2026-11-01", "2027-02-01"), 1);
        assert!(v.committee_papers(5001).expect("papers").is_empty(), "its papers went with it");
    }
}
