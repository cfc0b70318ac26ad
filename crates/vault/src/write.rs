//! Writing: every change happens inside one transaction, so a delta page and its checkpoint
//! land together or not at all.

use crate::open::Vault;
use crate::records::*;
use crate::Result;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::types::{ToSqlOutput, Value, ValueRef};
use rusqlite::{params, OptionalExtension, Transaction, TransactionBehavior};

/// Writes inside one transaction; see [`Vault::write`].
pub struct Writer<'a> {
    pub(crate) tx: &'a Transaction<'a>,
}

pub(crate) fn ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

/// Records written by one multi-row statement: 100 × 19 parameters stays far below SQLite's
/// limit of 32,766, and matches a Graph delta page.
const UPSERT_ROWS: usize = 100;
const MESSAGE_COLUMNS: usize = 19;

/// The message upsert for `rows` records, built once per row count (statements are cached).
fn message_upsert_sql(rows: usize) -> String {
    let mut sql = String::from(
        "INSERT INTO message (id, folder_id, conversation_id, subject, from_name, from_address, to_json, cc_json, preview,
                              received_at, sent_at, is_read, is_draft, flag_status, categories_json, importance,
                              has_attachments, change_key, event_id) VALUES ",
    );
    for row in 0..rows {
        if row > 0 {
            sql.push(',');
        }
        sql.push('(');
        for col in 0..MESSAGE_COLUMNS {
            if col > 0 {
                sql.push(',');
            }
            sql.push_str(&format!("?{}", row * MESSAGE_COLUMNS + col + 1));
        }
        sql.push(')');
    }
    sql.push_str(
        " ON CONFLICT(id) DO UPDATE SET folder_id = excluded.folder_id, conversation_id = excluded.conversation_id,
           subject = excluded.subject, from_name = excluded.from_name, from_address = excluded.from_address,
           to_json = excluded.to_json, cc_json = excluded.cc_json, preview = excluded.preview,
           received_at = excluded.received_at, sent_at = excluded.sent_at, is_read = excluded.is_read,
           is_draft = excluded.is_draft, flag_status = excluded.flag_status, categories_json = excluded.categories_json,
           importance = excluded.importance, has_attachments = excluded.has_attachments,
           change_key = excluded.change_key, event_id = excluded.event_id",
    );
    sql
}

fn text(s: &str) -> ToSqlOutput<'_> {
    ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes()))
}

fn opt_text(s: Option<&str>) -> ToSqlOutput<'_> {
    s.map_or(ToSqlOutput::Owned(Value::Null), text)
}

fn json<T: serde::Serialize>(v: &T) -> String {
    // Serialising plain records (strings and lists) cannot fail.
    serde_json::to_string(v).unwrap_or_else(|_| "[]".to_owned())
}

impl Vault {
    /// Runs `f` in one transaction: everything it writes is kept, or nothing is (on an error,
    /// a crash or a full disk).
    pub fn write<T>(&self, f: impl FnOnce(&mut Writer<'_>) -> Result<T>) -> Result<T> {
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&mut Writer { tx: &tx })?;
        tx.commit()?;
        Ok(out)
    }
}

impl Writer<'_> {
    /// Records the signed-in member.
    pub fn set_account(&mut self, a: &AccountRecord) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO account (id, display_name, mail, tenant_id, signed_in_at) VALUES (1, ?1, ?2, ?3, ?4)
             ON CONFLICT(id) DO UPDATE SET display_name = excluded.display_name, mail = excluded.mail,
               tenant_id = excluded.tenant_id, signed_in_at = excluded.signed_in_at",
            )?
            .execute(params![a.display_name, a.mail, a.tenant_id, a.signed_in_at.map(ms)])?;
        Ok(())
    }

    /// Adds or updates a folder.
    pub fn upsert_folder(&mut self, f: &MailFolderRecord) -> Result<()> {
        self.tx.prepare_cached(
            "INSERT INTO mail_folder (id, parent_id, display_name, well_known, unread_count, total_count) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT(id) DO UPDATE SET parent_id = excluded.parent_id, display_name = excluded.display_name,
               well_known = coalesce(excluded.well_known, mail_folder.well_known),
               unread_count = excluded.unread_count, total_count = excluded.total_count",
        )?
        .execute(params![f.id, f.parent_id, f.display_name, f.well_known, f.unread_count, f.total_count])?;
        Ok(())
    }

    /// Removes a folder and, with it, its messages.
    pub fn remove_folder(&mut self, id: &str) -> Result<bool> {
        Ok(self.tx.prepare_cached("DELETE FROM mail_folder WHERE id = ?1")?.execute([id])? > 0)
    }

    /// Adds or updates a message's headers (its body, if stored, is kept).
    pub fn upsert_message(&mut self, m: &MessageRecord) -> Result<()> {
        self.upsert_messages(std::slice::from_ref(m))
    }

    /// Adds or updates many messages, in order (a later record for the same id wins), with
    /// one statement per [`UPSERT_ROWS`] records. One statement matters for speed: the search
    /// index (FTS5) writes its pending terms to disk at the start of every statement that
    /// touches it, so a row at a time made one index segment per message, and merging those
    /// was most of an initial sync's time.
    pub fn upsert_messages(&mut self, messages: &[MessageRecord]) -> Result<()> {
        for chunk in messages.chunks(UPSERT_ROWS) {
            let mut stmt = self.tx.prepare_cached(&message_upsert_sql(chunk.len()))?;
            // Text is borrowed from the records; only the JSON lists are made here.
            let mut values: Vec<ToSqlOutput<'_>> = Vec::with_capacity(chunk.len() * MESSAGE_COLUMNS);
            for m in chunk {
                values.extend([
                    text(&m.id),
                    text(&m.folder_id),
                    opt_text(m.conversation_id.as_deref()),
                    text(&m.subject),
                    opt_text(m.from.as_ref().map(|f| f.name.as_str())),
                    opt_text(m.from.as_ref().map(|f| f.address.as_str())),
                    ToSqlOutput::Owned(Value::Text(json(&m.to))),
                    ToSqlOutput::Owned(Value::Text(json(&m.cc))),
                    text(&m.preview),
                    ToSqlOutput::Owned(Value::Integer(ms(m.received_at))),
                    ToSqlOutput::Owned(m.sent_at.map_or(Value::Null, |t| Value::Integer(ms(t)))),
                    ToSqlOutput::Owned(Value::Integer(m.is_read.into())),
                    ToSqlOutput::Owned(Value::Integer(m.is_draft.into())),
                    text(m.flag.as_str()),
                    ToSqlOutput::Owned(Value::Text(json(&m.categories))),
                    text(&m.importance),
                    ToSqlOutput::Owned(Value::Integer(m.has_attachments.into())),
                    opt_text(m.change_key.as_deref()),
                    opt_text(m.event_id.as_deref()),
                ]);
            }
            stmt.execute(rusqlite::params_from_iter(values))?;
        }
        Ok(())
    }

    /// Removes a message (and its attachments). Returns whether it was there.
    pub fn remove_message(&mut self, id: &str) -> Result<bool> {
        Ok(self.tx.prepare_cached("DELETE FROM message WHERE id = ?1")?.execute([id])? > 0)
    }

    /// Removes a message only if it is still in `folder_id`: a move reports a removal from the
    /// old folder, which must not delete the copy the new folder's round already brought.
    pub fn remove_message_from(&mut self, id: &str, folder_id: &str) -> Result<bool> {
        Ok(self.tx.prepare_cached("DELETE FROM message WHERE id = ?1 AND folder_id = ?2")?.execute([id, folder_id])?
            > 0)
    }

    /// Marks a message read or unread.
    pub fn set_message_read(&mut self, id: &str, read: bool) -> Result<bool> {
        Ok(self.tx.prepare_cached("UPDATE message SET is_read = ?2 WHERE id = ?1")?.execute(params![id, read])? > 0)
    }

    /// Sets a message's flag.
    pub fn set_message_flag(&mut self, id: &str, flag: FlagStatus) -> Result<bool> {
        Ok(self
            .tx
            .prepare_cached("UPDATE message SET flag_status = ?2 WHERE id = ?1")?
            .execute(params![id, flag.as_str()])?
            > 0)
    }

    /// Moves a message to another folder.
    pub fn move_message(&mut self, id: &str, folder_id: &str) -> Result<bool> {
        Ok(self
            .tx
            .prepare_cached("UPDATE message SET folder_id = ?2 WHERE id = ?1")?
            .execute(params![id, folder_id])?
            > 0)
    }

    /// Stores a fetched body, noting whether it names inline pictures (`cid:`) so their
    /// attachment list is fetched ahead with it.
    pub fn set_body(&mut self, id: &str, body: &MessageBody, fetched_at: DateTime<Utc>) -> Result<bool> {
        let names_inline =
            body.html.as_deref().is_some_and(|h| h.as_bytes().windows(4).any(|w| w.eq_ignore_ascii_case(b"cid:")));
        Ok(self
            .tx
            .prepare_cached(
                "UPDATE message SET body_text = ?2, body_html = ?3, body_fetched_at = ?4, names_inline_pictures = ?5,
                   safe_version = NULL, safe_html = NULL, safe_inline_json = NULL
                 WHERE id = ?1",
            )?
            .execute(params![id, body.text, body.html, ms(fetched_at), names_inline])?
            > 0)
    }

    /// Stores the safe form of a message's body, made by sanitiser `version` from the body
    /// now stored.
    pub fn set_safe_body(&mut self, id: &str, version: i64, safe: &SafeBody) -> Result<bool> {
        let inline = json(&safe.inline);
        Ok(self
            .tx
            .prepare_cached(
                "UPDATE message SET safe_version = ?2, safe_html = ?3, safe_blocked_images = ?4, safe_blocked_bytes = ?5,
                   safe_inline_json = ?6
                 WHERE id = ?1 AND body_fetched_at IS NOT NULL",
            )?
            .execute(params![id, version, safe.html, safe.blocked_images, safe.blocked_bytes as i64, inline])?
            > 0)
    }

    /// Stores the safe form of a meeting's description, made by sanitiser `version` (`None`:
    /// over the bounds, shown as its text).
    pub fn set_event_safe_body(&mut self, id: &str, version: i64, html: Option<&str>) -> Result<bool> {
        Ok(self
            .tx
            .prepare_cached(
                "UPDATE event SET safe_version = ?2, safe_html = ?3 WHERE id = ?1 AND body_html IS NOT NULL",
            )?
            .execute(params![id, version, html])?
            > 0)
    }

    /// Adds part `seq` of an attachment's content as it arrives (see [`Vault::begin_attachment`]).
    pub fn add_attachment_part(&mut self, message_id: &str, id: &str, seq: i64, data: &[u8]) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT OR REPLACE INTO attachment_part (message_id, attachment_id, seq, data) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![message_id, id, seq, data])?;
        Ok(())
    }

    /// Puts an attachment's parts together as its content, through SQLite's incremental blob
    /// I/O so it is never whole in memory, and removes them. Returns its size, or `None` when
    /// the attachment is no longer listed (its message went while it came).
    pub fn finish_attachment(&mut self, message_id: &str, id: &str, at: DateTime<Utc>) -> Result<Option<u64>> {
        use std::io::Write;
        let rowid: Option<i64> = self
            .tx
            .prepare_cached("SELECT rowid FROM attachment WHERE message_id = ?1 AND id = ?2")?
            .query_row([message_id, id], |r| r.get(0))
            .optional()?;
        let Some(rowid) = rowid else {
            self.drop_attachment_parts(message_id, id)?;
            return Ok(None);
        };
        let total: i64 = self
            .tx
            .prepare_cached(
                "SELECT coalesce(sum(length(data)), 0) FROM attachment_part WHERE message_id = ?1 AND attachment_id = ?2",
            )?
            .query_row([message_id, id], |r| r.get(0))?;
        self.tx
            .prepare_cached("UPDATE attachment SET content = zeroblob(?2), fetched_at = ?3 WHERE rowid = ?1")?
            .execute(params![rowid, total, ms(at)])?;
        {
            let mut blob = self.tx.blob_open(rusqlite::MAIN_DB, "attachment", "content", rowid, false)?;
            let mut parts = self.tx.prepare_cached(
                "SELECT data FROM attachment_part WHERE message_id = ?1 AND attachment_id = ?2 ORDER BY seq",
            )?;
            let mut rows = parts.query([message_id, id])?;
            while let Some(row) = rows.next()? {
                let data = row.get_ref(0)?.as_blob().map_err(|e| crate::VaultError::Decode(e.to_string()))?;
                blob.write_all(data)?;
            }
        }
        self.drop_attachment_parts(message_id, id)?;
        Ok(Some(total as u64))
    }

    /// Removes the parts of an attachment download that did not finish.
    pub fn drop_attachment_parts(&mut self, message_id: &str, id: &str) -> Result<()> {
        self.tx
            .prepare_cached("DELETE FROM attachment_part WHERE message_id = ?1 AND attachment_id = ?2")?
            .execute([message_id, id])?;
        Ok(())
    }

    /// Adds or updates an attachment's metadata (its content, if fetched, is kept).
    pub fn upsert_attachment(&mut self, a: &AttachmentRecord) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO attachment (message_id, id, name, content_type, size, is_inline, content_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT(message_id, id) DO UPDATE SET name = excluded.name, content_type = excluded.content_type,
               size = excluded.size, is_inline = excluded.is_inline, content_id = excluded.content_id",
            )?
            .execute(params![a.message_id, a.id, a.name, a.content_type, a.size as i64, a.is_inline, a.content_id])?;
        Ok(())
    }

    /// Stores an attachment's downloaded content.
    pub fn set_attachment_content(
        &mut self,
        message_id: &str,
        id: &str,
        content: &[u8],
        at: DateTime<Utc>,
    ) -> Result<bool> {
        Ok(self
            .tx
            .prepare_cached("UPDATE attachment SET content = ?3, fetched_at = ?4 WHERE message_id = ?1 AND id = ?2")?
            .execute(params![message_id, id, content, ms(at)])?
            > 0)
    }

    /// Adds or updates a calendar entry.
    pub fn upsert_event(&mut self, e: &EventRecord) -> Result<()> {
        self.tx.prepare_cached(
            "INSERT INTO event (id, series_master_id, kind, subject, preview, body_html, start_at, end_at, is_all_day, is_cancelled,
                                location, organizer_name, organizer_address, response, response_requested, online_join_url,
                                attendees_json, change_key, reminder_minutes)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)
             ON CONFLICT(id) DO UPDATE SET series_master_id = excluded.series_master_id, kind = excluded.kind,
               subject = excluded.subject, preview = excluded.preview, body_html = excluded.body_html,
               safe_version = CASE WHEN event.body_html IS excluded.body_html THEN event.safe_version END,
               start_at = excluded.start_at, end_at = excluded.end_at, is_all_day = excluded.is_all_day,
               is_cancelled = excluded.is_cancelled, location = excluded.location, organizer_name = excluded.organizer_name,
               organizer_address = excluded.organizer_address, response = excluded.response,
               response_requested = excluded.response_requested, online_join_url = excluded.online_join_url,
               attendees_json = excluded.attendees_json, change_key = excluded.change_key,
               reminder_minutes = excluded.reminder_minutes",
        )?
        .execute(params![
            e.id,
            e.series_master_id,
            e.kind,
            e.subject,
            e.preview,
            e.body_html,
            ms(e.start_at),
            ms(e.end_at),
            e.is_all_day,
            e.is_cancelled,
            e.location,
            e.organizer.as_ref().map(|o| o.name.as_str()),
            e.organizer.as_ref().map(|o| o.address.as_str()),
            e.response,
            e.response_requested,
            e.online_join_url,
            json(&e.attendees),
            e.change_key,
            e.reminder_minutes,
        ])?;
        Ok(())
    }

    /// Removes a calendar entry.
    pub fn remove_event(&mut self, id: &str) -> Result<bool> {
        Ok(self.tx.prepare_cached("DELETE FROM event WHERE id = ?1")?.execute([id])? > 0)
    }

    /// Records the member's answer to an invitation.
    pub fn set_event_response(&mut self, id: &str, response: &str) -> Result<bool> {
        Ok(self.tx.prepare_cached("UPDATE event SET response = ?2 WHERE id = ?1")?.execute(params![id, response])? > 0)
    }

    /// Adds or updates a contact.
    pub fn upsert_contact(&mut self, c: &ContactRecord) -> Result<()> {
        self.tx.prepare_cached(
            "INSERT INTO contact (id, folder_id, display_name, given_name, surname, job_title, company, department,
                                  emails_json, phones_json, mobile_phone, change_key, emails_text)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
             ON CONFLICT(id) DO UPDATE SET folder_id = excluded.folder_id, display_name = excluded.display_name,
               given_name = excluded.given_name, surname = excluded.surname, job_title = excluded.job_title,
               company = excluded.company, department = excluded.department, emails_json = excluded.emails_json,
               phones_json = excluded.phones_json, mobile_phone = excluded.mobile_phone, change_key = excluded.change_key,
               emails_text = excluded.emails_text",
        )?
        .execute(params![
            c.id,
            c.folder_id,
            c.display_name,
            c.given_name,
            c.surname,
            c.job_title,
            c.company,
            c.department,
            json(&c.emails),
            json(&c.phones),
            c.mobile_phone,
            c.change_key,
            c.emails.iter().map(|e| e.address.to_lowercase()).collect::<Vec<_>>().join(" "),
        ])?;
        Ok(())
    }

    /// Removes a contact.
    pub fn remove_contact(&mut self, id: &str) -> Result<bool> {
        Ok(self.tx.prepare_cached("DELETE FROM contact WHERE id = ?1")?.execute([id])? > 0)
    }

    /// Forgets every cached message of a folder (before its full resync).
    pub fn clear_folder_messages(&mut self, folder_id: &str) -> Result<usize> {
        Ok(self.tx.prepare_cached("DELETE FROM message WHERE folder_id = ?1")?.execute([folder_id])?)
    }

    /// Forgets a folder's messages that arrived before `cutoff`: the cache keeps a rolling
    /// window, and delta rounds never report mail ageing out of it.
    pub fn prune_messages_before(&mut self, folder_id: &str, cutoff: DateTime<Utc>) -> Result<usize> {
        Ok(self
            .tx
            .prepare_cached("DELETE FROM message WHERE folder_id = ?1 AND received_at < ?2")?
            .execute(params![folder_id, ms(cutoff)])?)
    }

    /// Forgets every cached calendar entry (before a full resync).
    pub fn clear_events(&mut self) -> Result<usize> {
        Ok(self.tx.prepare_cached("DELETE FROM event")?.execute([])?)
    }

    /// Forgets every cached contact of a folder (before its full resync).
    pub fn clear_contacts(&mut self, folder_id: &str) -> Result<usize> {
        Ok(self.tx.prepare_cached("DELETE FROM contact WHERE folder_id = ?1")?.execute([folder_id])?)
    }

    /// Records where a collection's delta round stands.
    pub fn set_checkpoint(&mut self, c: &DeltaCheckpoint, at: DateTime<Utc>) -> Result<()> {
        let kind = match c.kind {
            CheckpointKind::Next => "next",
            CheckpointKind::Delta => "delta",
        };
        self.tx.prepare_cached(
            "INSERT INTO delta_checkpoint (collection, link, kind, updated_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(collection) DO UPDATE SET link = excluded.link, kind = excluded.kind, updated_at = excluded.updated_at",
        )?
        .execute(params![c.collection, c.link, kind, ms(at)])?;
        Ok(())
    }

    /// Forgets a collection's checkpoint (before a full resync).
    pub fn clear_checkpoint(&mut self, collection: &str) -> Result<()> {
        self.tx.prepare_cached("DELETE FROM delta_checkpoint WHERE collection = ?1")?.execute([collection])?;
        Ok(())
    }

    /// Queues a local change for the server. Queuing the same `op_id` twice keeps the first.
    pub fn enqueue(
        &mut self,
        op_id: &str,
        kind: &str,
        target_id: Option<&str>,
        payload: &serde_json::Value,
        at: DateTime<Utc>,
    ) -> Result<i64> {
        self.tx
            .prepare_cached(
                "INSERT INTO outbox (op_id, kind, target_id, payload, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)
                 ON CONFLICT(op_id) DO NOTHING",
            )?
            .execute(params![op_id, kind, target_id, payload.to_string(), ms(at)])?;
        let id = self.tx.prepare_cached("SELECT id FROM outbox WHERE op_id = ?1")?.query_row([op_id], |r| r.get(0))?;
        Ok(id)
    }

    /// Moves an outbox item to `state`, with the reason for a failure and any server-made id.
    pub fn set_outbox_state(
        &mut self,
        op_id: &str,
        state: OutboxState,
        error: Option<&str>,
        remote_id: Option<&str>,
        at: DateTime<Utc>,
    ) -> Result<bool> {
        let attempt = i64::from(state == OutboxState::Sending);
        Ok(self
            .tx
            .prepare_cached(
                "UPDATE outbox SET state = ?2, last_error = ?3, remote_id = coalesce(?4, remote_id),
                   attempts = attempts + ?5, updated_at = ?6 WHERE op_id = ?1",
            )?
            .execute(params![op_id, state.as_str(), error, remote_id, attempt, ms(at)])?
            > 0)
    }

    /// Adds bytes moved to the day's ledger.
    pub fn record_traffic(&mut self, day: NaiveDate, feature: &str, network: &str, up: u64, down: u64) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO data_ledger (day, feature, network, bytes_up, bytes_down, requests) VALUES (?1, ?2, ?3, ?4, ?5, 1)
                 ON CONFLICT(day, feature, network) DO UPDATE SET bytes_up = bytes_up + excluded.bytes_up,
                   bytes_down = bytes_down + excluded.bytes_down, requests = requests + 1",
            )?
            .execute(params![day.to_string(), feature, network, up as i64, down as i64])?;
        Ok(())
    }

    /// Stores a setting.
    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        self.tx
            .prepare_cached("INSERT INTO setting (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value")?
            .execute(params![key, value])?;
        Ok(())
    }

    /// Whether a message is in the vault.
    pub fn has_message(&mut self, id: &str) -> Result<bool> {
        Ok(self
            .tx
            .prepare_cached("SELECT 1 FROM message WHERE id = ?1")?
            .query_row([id], |_| Ok(()))
            .optional()?
            .is_some())
    }
}
