//! The council's directory, kept offline: who works for the council, for address
//! autocomplete and the directory screen.

use crate::open::Vault;
use crate::records::Mailbox;
use crate::search::fts_query;
use crate::write::Writer;
use crate::Result;
use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

/// One person in the council's directory (Graph's `user`, the fields the app shows).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DirectoryPersonRecord {
    /// Graph id.
    pub id: String,
    /// Name shown.
    pub display_name: String,
    /// Job title.
    pub job_title: Option<String>,
    /// Department.
    pub department: Option<String>,
    /// Office.
    pub office_location: Option<String>,
    /// The first business phone number.
    pub office_phone: Option<String>,
    /// Email address.
    pub mail: Option<String>,
}

/// Where an address suggestion came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AddressSource {
    /// The member's own contacts.
    Contact,
    /// The council's directory.
    Directory,
}

/// An address to offer while the member types one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressSuggestionRecord {
    /// Name and address.
    pub mailbox: Mailbox,
    /// Where it came from.
    pub source: AddressSource,
    /// Job title or department, to tell two people of one name apart.
    pub detail: Option<String>,
}

const COLUMNS: &str = "id, display_name, job_title, department, office_location, office_phone, mail";

fn person(row: &Row<'_>) -> rusqlite::Result<DirectoryPersonRecord> {
    Ok(DirectoryPersonRecord {
        id: row.get(0)?,
        display_name: row.get(1)?,
        job_title: row.get(2)?,
        department: row.get(3)?,
        office_location: row.get(4)?,
        office_phone: row.get(5)?,
        mail: row.get(6)?,
    })
}

impl Writer<'_> {
    /// Adds or replaces a person.
    pub fn upsert_directory_person(&mut self, p: &DirectoryPersonRecord) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO directory_person (id, display_name, job_title, department, office_location, office_phone, mail)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT(id) DO UPDATE SET display_name = excluded.display_name, job_title = excluded.job_title,
                   department = excluded.department, office_location = excluded.office_location,
                   office_phone = excluded.office_phone, mail = excluded.mail",
            )?
            .execute(params![p.id, p.display_name, p.job_title, p.department, p.office_location, p.office_phone, p.mail])?;
        Ok(())
    }

    /// Removes a person (they left the council, or the directory no longer lists them).
    pub fn remove_directory_person(&mut self, id: &str) -> Result<bool> {
        Ok(self.tx.prepare_cached("DELETE FROM directory_person WHERE id = ?1")?.execute([id])? > 0)
    }

    /// Forgets the whole directory (before it is fetched again from the start).
    pub fn clear_directory(&mut self) -> Result<usize> {
        Ok(self.tx.prepare_cached("DELETE FROM directory_person")?.execute([])?)
    }
}

impl Vault {
    /// People whose name, address, job title or department match `query` (every word, the
    /// last as a prefix), best first; everyone in name order when `query` has no words.
    pub fn directory_search(&self, query: &str, limit: usize) -> Result<Vec<DirectoryPersonRecord>> {
        let conn = self.lock();
        let limit = limit as i64;
        let Some(fts) = fts_query(query) else {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM directory_person ORDER BY display_name COLLATE NOCASE, id LIMIT ?1"
            ))?;
            let rows = stmt.query_map([limit], person)?;
            return Ok(rows.collect::<rusqlite::Result<_>>()?);
        };
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM directory_person
             WHERE rid IN (SELECT rowid FROM directory_fts WHERE directory_fts MATCH ?1 ORDER BY rank LIMIT ?2)
             ORDER BY display_name COLLATE NOCASE, id"
        ))?;
        let rows = stmt.query_map(params![fts, limit], person)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One person.
    pub fn directory_person(&self, id: &str) -> Result<Option<DirectoryPersonRecord>> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM directory_person WHERE id = ?1"))?;
        Ok(stmt.query_row([id], person).optional()?)
    }

    /// How many people the directory holds.
    pub fn directory_count(&self) -> Result<u64> {
        let conn = self.lock();
        let n: i64 = conn.prepare_cached("SELECT count(*) FROM directory_person")?.query_row([], |r| r.get(0))?;
        Ok(n as u64)
    }

    /// When a directory round last came to its end (the directory was whole and current then).
    pub fn directory_refreshed_at(&self) -> Result<Option<chrono::DateTime<chrono::Utc>>> {
        let conn = self.lock();
        let ms: Option<i64> = conn
            .prepare_cached(
                "SELECT updated_at FROM delta_checkpoint WHERE collection = 'directory' AND kind = 'delta'",
            )?
            .query_row([], |r| r.get(0))
            .optional()?;
        Ok(ms.and_then(chrono::DateTime::from_timestamp_millis))
    }

    /// Addresses for what the member has typed so far in an address field: their own
    /// contacts first, then the council's directory, each address once, at most `limit`.
    pub fn address_suggestions(&self, typed: &str, limit: usize) -> Result<Vec<AddressSuggestionRecord>> {
        let Some(fts) = fts_query(typed) else { return Ok(Vec::new()) };
        let conn = self.lock();
        let mut out: Vec<AddressSuggestionRecord> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut contacts = conn.prepare_cached(
            "SELECT display_name, emails_json, coalesce(job_title, company) FROM contact
             WHERE rid IN (SELECT rowid FROM contact_fts WHERE contact_fts MATCH ?1 ORDER BY rank LIMIT ?2)
             ORDER BY display_name COLLATE NOCASE",
        )?;
        let rows = contacts.query_map(params![fts, limit as i64], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<String>>(2)?))
        })?;
        for row in rows {
            let (name, emails, detail) = row?;
            // A stored list that does not parse is skipped, not an error: it only offers less.
            let emails: Vec<Mailbox> = serde_json::from_str(&emails).unwrap_or_default();
            for e in emails.into_iter().filter(|e| !e.address.is_empty()) {
                if seen.insert(e.address.to_lowercase()) {
                    let name = if e.name.trim().is_empty() { name.clone() } else { e.name };
                    out.push(AddressSuggestionRecord {
                        mailbox: Mailbox { name, address: e.address },
                        source: AddressSource::Contact,
                        detail: detail.clone(),
                    });
                }
            }
        }
        let mut people = conn.prepare_cached(
            "SELECT display_name, mail, coalesce(job_title, department) FROM directory_person
             WHERE mail IS NOT NULL AND mail <> ''
               AND rid IN (SELECT rowid FROM directory_fts WHERE directory_fts MATCH ?1 ORDER BY rank LIMIT ?2)
             ORDER BY display_name COLLATE NOCASE",
        )?;
        let rows = people.query_map(params![fts, limit as i64], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<String>>(2)?))
        })?;
        for row in rows {
            let (name, address, detail) = row?;
            if seen.insert(address.to_lowercase()) {
                out.push(AddressSuggestionRecord {
                    mailbox: Mailbox { name, address },
                    source: AddressSource::Directory,
                    detail,
                });
            }
        }
        out.truncate(limit);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ContactRecord, VaultKey};

    fn vault() -> (tempfile::TempDir, Vault) {
        let dir = tempfile::tempdir().expect("dir");
        let (vault, _) = Vault::open(dir.path(), &VaultKey::generate()).expect("vault");
        (dir, vault)
    }

    fn officer(id: &str, name: &str, mail: &str, job: &str) -> DirectoryPersonRecord {
        DirectoryPersonRecord {
            id: id.into(),
            display_name: name.into(),
            job_title: Some(job.into()),
            department: Some("Democratic Services".into()),
            office_location: Some("Town Hall".into()),
            office_phone: Some("01632 960001".into()),
            mail: Some(mail.into()),
        }
    }

    #[test]
    fn a_person_is_found_by_the_first_letters_of_any_name_and_by_job_title() {
        let (_d, v) = vault();
        v.write(|w| {
            w.upsert_directory_person(&officer(
                "1",
                "Priya Sharma",
                "priya.sharma@council.example",
                "Committee Officer",
            ))?;
            w.upsert_directory_person(&officer("2", "Tom Ashworth", "tom.ashworth@council.example", "Planning Officer"))
        })
        .expect("write");
        let names = |q: &str| -> Vec<String> {
            v.directory_search(q, 10).expect("search").into_iter().map(|p| p.display_name).collect()
        };
        assert_eq!(names("sh"), ["Priya Sharma"]);
        assert_eq!(names("ash"), ["Tom Ashworth"]);
        assert_eq!(names("planning"), ["Tom Ashworth"]);
        assert_eq!(names(""), ["Priya Sharma", "Tom Ashworth"]);
        assert_eq!(names("\"*(^"), names(""), "punctuation alone is no search words, and no error");
    }

    #[test]
    fn a_changed_person_is_found_by_the_new_title_only_and_a_removed_one_not_at_all() {
        let (_d, v) = vault();
        v.write(|w| w.upsert_directory_person(&officer("1", "Priya Sharma", "p@c.example", "Committee Officer")))
            .expect("write");
        v.write(|w| w.upsert_directory_person(&officer("1", "Priya Sharma", "p@c.example", "Head of Scrutiny")))
            .expect("write");
        assert!(v.directory_search("committee", 10).expect("search").is_empty());
        assert_eq!(v.directory_search("scrutiny", 10).expect("search").len(), 1);
        v.write(|w| w.remove_directory_person("1")).expect("remove");
        assert!(v.directory_search("scrutiny", 10).expect("search").is_empty());
        assert_eq!(v.directory_count().expect("count"), 0);
    }

    #[test]
    fn suggestions_put_the_members_contacts_first_and_offer_each_address_once() {
        let (_d, v) = vault();
        v.write(|w| {
            w.upsert_contact(&ContactRecord {
                id: "c1".into(),
                display_name: "Priya Sharma".into(),
                folder_id: None,
                given_name: None,
                surname: None,
                job_title: None,
                company: None,
                department: None,
                emails: vec![Mailbox { name: String::new(), address: "Priya.Sharma@council.example".into() }],
                phones: Vec::new(),
                mobile_phone: None,
                change_key: None,
            })?;
            w.upsert_directory_person(&officer(
                "1",
                "Priya Sharma",
                "priya.sharma@council.example",
                "Committee Officer",
            ))?;
            w.upsert_directory_person(&officer("2", "Priyanka Patel", "priyanka.patel@council.example", "Solicitor"))
        })
        .expect("write");
        let found = v.address_suggestions("pri", 8).expect("suggest");
        let got: Vec<_> = found.iter().map(|s| (s.mailbox.address.as_str(), s.source)).collect();
        assert_eq!(
            got,
            [
                ("Priya.Sharma@council.example", AddressSource::Contact),
                ("priyanka.patel@council.example", AddressSource::Directory)
            ]
        );
        assert_eq!(found[0].mailbox.name, "Priya Sharma");
        assert!(v.address_suggestions("", 8).expect("suggest").is_empty());
    }
}
