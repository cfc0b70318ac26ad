//! The queries the UI and the sync engine need.

use crate::open::Vault;
use crate::records::*;
use crate::write::ms;
use crate::{Result, VaultError};
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::London;
use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

/// Where the next page of a folder starts: after this message, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PageCursor {
    /// The last message's arrival time (ms).
    pub received_at: i64,
    /// The last message's id (ties on time are broken by id).
    pub id: String,
}

/// One page of a folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FolderPage {
    /// Newest first.
    pub messages: Vec<MessageRecord>,
    /// Where the next page starts, if there is more.
    pub next: Option<PageCursor>,
}

fn time(ms: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(ms).single().unwrap_or_default()
}

fn list<T: for<'de> Deserialize<'de>>(s: &str) -> rusqlite::Result<T> {
    serde_json::from_str(s)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e)))
}

const MESSAGE_COLUMNS: &str = "id, folder_id, conversation_id, subject, from_name, from_address, to_json, cc_json, preview,
    received_at, sent_at, is_read, is_draft, flag_status, categories_json, importance, has_attachments, change_key, event_id";

fn message(r: &Row<'_>) -> rusqlite::Result<MessageRecord> {
    let from_name: Option<String> = r.get(4)?;
    let from_address: Option<String> = r.get(5)?;
    Ok(MessageRecord {
        id: r.get(0)?,
        folder_id: r.get(1)?,
        conversation_id: r.get(2)?,
        subject: r.get(3)?,
        from: from_address.map(|address| Mailbox { name: from_name.unwrap_or_default(), address }),
        to: list(&r.get::<_, String>(6)?)?,
        cc: list(&r.get::<_, String>(7)?)?,
        preview: r.get(8)?,
        received_at: time(r.get(9)?),
        sent_at: r.get::<_, Option<i64>>(10)?.map(time),
        is_read: r.get(11)?,
        is_draft: r.get(12)?,
        flag: FlagStatus::parse(&r.get::<_, String>(13)?),
        categories: list(&r.get::<_, String>(14)?)?,
        importance: r.get(15)?,
        has_attachments: r.get(16)?,
        change_key: r.get(17)?,
        event_id: r.get(18)?,
    })
}

const EVENT_COLUMNS: &str = "id, series_master_id, kind, subject, preview, body_html, start_at, end_at, is_all_day, is_cancelled,
    location, organizer_name, organizer_address, response, response_requested, online_join_url, attendees_json, change_key,
    reminder_minutes";

fn event(r: &Row<'_>) -> rusqlite::Result<EventRecord> {
    let organizer_name: Option<String> = r.get(11)?;
    let organizer_address: Option<String> = r.get(12)?;
    Ok(EventRecord {
        id: r.get(0)?,
        series_master_id: r.get(1)?,
        kind: r.get(2)?,
        subject: r.get(3)?,
        preview: r.get(4)?,
        body_html: r.get(5)?,
        start_at: time(r.get(6)?),
        end_at: time(r.get(7)?),
        is_all_day: r.get(8)?,
        is_cancelled: r.get(9)?,
        location: r.get(10)?,
        organizer: organizer_address.map(|address| Mailbox { name: organizer_name.unwrap_or_default(), address }),
        response: r.get(13)?,
        response_requested: r.get(14)?,
        online_join_url: r.get(15)?,
        attendees: list(&r.get::<_, String>(16)?)?,
        change_key: r.get(17)?,
        reminder_minutes: r.get(18)?,
    })
}

const CONTACT_COLUMNS: &str = "id, folder_id, display_name, given_name, surname, job_title, company, department, emails_json, phones_json, mobile_phone, change_key";

fn contact(r: &Row<'_>) -> rusqlite::Result<ContactRecord> {
    Ok(ContactRecord {
        id: r.get(0)?,
        folder_id: r.get(1)?,
        display_name: r.get(2)?,
        given_name: r.get(3)?,
        surname: r.get(4)?,
        job_title: r.get(5)?,
        company: r.get(6)?,
        department: r.get(7)?,
        emails: list(&r.get::<_, String>(8)?)?,
        phones: list(&r.get::<_, String>(9)?)?,
        mobile_phone: r.get(10)?,
        change_key: r.get(11)?,
    })
}

/// The UTC instant a London calendar day starts (midnight, or the first instant that exists).
pub(crate) fn london_day_start(day: NaiveDate) -> DateTime<Utc> {
    let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    London
        .from_local_datetime(&midnight)
        .earliest()
        .or_else(|| London.from_local_datetime(&(midnight + Duration::hours(1))).earliest())
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&midnight))
}

impl Vault {
    /// The signed-in member, if any.
    pub fn account(&self) -> Result<Option<AccountRecord>> {
        let conn = self.lock();
        let mut stmt =
            conn.prepare_cached("SELECT display_name, mail, tenant_id, signed_in_at FROM account WHERE id = 1")?;
        Ok(stmt
            .query_row([], |r| {
                Ok(AccountRecord {
                    display_name: r.get(0)?,
                    mail: r.get(1)?,
                    tenant_id: r.get(2)?,
                    signed_in_at: r.get::<_, Option<i64>>(3)?.map(time),
                })
            })
            .optional()?)
    }

    /// The id of a folder every mailbox has (`inbox`, `sentitems`…), once the sync has learnt it.
    /// Cheaper than [`Vault::folders`], which counts every folder's messages.
    pub fn well_known_folder_id(&self, well_known: &str) -> Result<Option<String>> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached("SELECT id FROM mail_folder WHERE well_known = ?1")?;
        Ok(stmt.query_row([well_known], |r| r.get(0)).optional()?)
    }

    /// Every folder, with unread counts from the cache itself (so local changes show at once).
    pub fn folders(&self) -> Result<Vec<MailFolderRecord>> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(
            "SELECT f.id, f.parent_id, f.display_name, f.well_known,
                    (SELECT count(*) FROM message m WHERE m.folder_id = f.id AND m.is_read = 0),
                    (SELECT count(*) FROM message m WHERE m.folder_id = f.id)
             FROM mail_folder f ORDER BY f.rowid",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(MailFolderRecord {
                id: r.get(0)?,
                parent_id: r.get(1)?,
                display_name: r.get(2)?,
                well_known: r.get(3)?,
                unread_count: r.get(4)?,
                total_count: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Unread messages per folder.
    pub fn unread_counts(&self) -> Result<Vec<(String, u32)>> {
        let conn = self.lock();
        let mut stmt =
            conn.prepare_cached("SELECT folder_id, count(*) FROM message WHERE is_read = 0 GROUP BY folder_id")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A folder's messages a page at a time, newest first. Pass the last page's `next` to go on.
    pub fn folder_page(&self, folder_id: &str, after: Option<&PageCursor>, limit: usize) -> Result<FolderPage> {
        let conn = self.lock();
        let limit = limit.clamp(1, 500);
        let sql = format!(
            "SELECT {MESSAGE_COLUMNS} FROM message WHERE folder_id = ?1 AND (received_at, id) < (?2, ?3)
             ORDER BY received_at DESC, id DESC LIMIT ?4"
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let (t, id) = after.map(|c| (c.received_at, c.id.as_str())).unwrap_or((i64::MAX, ""));
        let mut messages: Vec<MessageRecord> =
            stmt.query_map(params![folder_id, t, id, limit as i64 + 1], message)?.collect::<rusqlite::Result<_>>()?;
        let next = if messages.len() > limit {
            messages.truncate(limit);
            messages.last().map(|m| PageCursor { received_at: ms(m.received_at), id: m.id.clone() })
        } else {
            None
        };
        Ok(FolderPage { messages, next })
    }

    /// Unread messages in `folder_id` received after `after`, newest first, at most `most`:
    /// what arrived since the member was last told (new-mail notifications).
    pub fn unread_received_after(
        &self,
        folder_id: &str,
        after: DateTime<Utc>,
        most: usize,
    ) -> Result<Vec<MessageRecord>> {
        let conn = self.lock();
        let sql = format!(
            "SELECT {MESSAGE_COLUMNS} FROM message WHERE folder_id = ?1 AND received_at > ?2 AND is_read = 0
             ORDER BY received_at DESC, id DESC LIMIT ?3"
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![folder_id, ms(after), most as i64], message)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Meetings whose reminder falls after `from` and at or before `to`, soonest first; not
    /// cancelled ones, nor ones the member declined.
    pub fn reminders_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<EventRecord>> {
        let conn = self.lock();
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM event WHERE reminder_minutes IS NOT NULL AND is_cancelled = 0
               AND response <> 'declined'
               AND start_at - reminder_minutes * 60000 > ?1 AND start_at - reminder_minutes * 60000 <= ?2
             ORDER BY start_at, id"
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![ms(from), ms(to)], event)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One message's headers and state.
    pub fn message(&self, id: &str) -> Result<Option<MessageRecord>> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(&format!("SELECT {MESSAGE_COLUMNS} FROM message WHERE id = ?1"))?;
        Ok(stmt.query_row([id], message).optional()?)
    }

    /// A message's body, if it has been fetched.
    pub fn message_body(&self, id: &str) -> Result<Option<MessageBody>> {
        let conn = self.lock();
        let mut stmt = conn
            .prepare_cached("SELECT body_text, body_html FROM message WHERE id = ?1 AND body_fetched_at IS NOT NULL")?;
        Ok(stmt.query_row([id], |r| Ok(MessageBody { text: r.get(0)?, html: r.get(1)? })).optional()?)
    }

    /// A message body's safe form, if one made by sanitiser `version` is stored.
    pub fn safe_body(&self, id: &str, version: i64) -> Result<Option<SafeBody>> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(
            "SELECT safe_html, safe_blocked_images, safe_blocked_bytes, safe_inline_json FROM message
             WHERE id = ?1 AND body_fetched_at IS NOT NULL AND safe_version = ?2",
        )?;
        let row = stmt
            .query_row(params![id, version], |r| {
                Ok((
                    r.get::<_, Option<String>>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, Option<String>>(3)?,
                ))
            })
            .optional()?;
        let Some((html, blocked_images, blocked_bytes, inline)) = row else { return Ok(None) };
        // A list that does not read is treated as no stored form: the body is made again.
        let Ok(inline) = inline.as_deref().map_or(Ok(Vec::new()), serde_json::from_str::<Vec<String>>) else {
            return Ok(None);
        };
        Ok(Some(SafeBody {
            html,
            blocked_images: u32::try_from(blocked_images).unwrap_or(0),
            blocked_bytes: u64::try_from(blocked_bytes).unwrap_or(0),
            inline,
        }))
    }

    /// Up to `limit` stored HTML bodies with no safe form from sanitiser `version`, newest
    /// first, as (message id, HTML).
    pub fn bodies_without_safe_form(&self, version: i64, limit: usize) -> Result<Vec<(String, String)>> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(
            "SELECT id, body_html FROM message
             WHERE body_html IS NOT NULL AND body_fetched_at IS NOT NULL AND (safe_version IS NULL OR safe_version != ?1)
             ORDER BY received_at DESC, id LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![version, limit as i64], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A meeting description's safe form, if one made by sanitiser `version` is stored
    /// (`Some(None)`: over the bounds, shown as its text).
    pub fn event_safe_body(&self, id: &str, version: i64) -> Result<Option<Option<String>>> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(
            "SELECT safe_html FROM event WHERE id = ?1 AND body_html IS NOT NULL AND safe_version = ?2",
        )?;
        Ok(stmt.query_row(params![id, version], |r| r.get(0)).optional()?)
    }

    /// Up to `limit` meeting descriptions with no safe form from sanitiser `version`, soonest
    /// first, as (event id, HTML).
    pub fn event_bodies_without_safe_form(&self, version: i64, limit: usize) -> Result<Vec<(String, String)>> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(
            "SELECT id, body_html FROM event
             WHERE body_html IS NOT NULL AND (safe_version IS NULL OR safe_version != ?1)
             ORDER BY start_at, id LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![version, limit as i64], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A conversation, oldest first.
    pub fn conversation(&self, conversation_id: &str) -> Result<Vec<MessageRecord>> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {MESSAGE_COLUMNS} FROM message WHERE conversation_id = ?1 ORDER BY received_at, id"
        ))?;
        let rows = stmt.query_map([conversation_id], message)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The ids of every message in a folder (for comparing with the server).
    pub fn message_ids(&self, folder_id: &str) -> Result<Vec<String>> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached("SELECT id FROM message WHERE folder_id = ?1 ORDER BY id")?;
        let rows = stmt.query_map([folder_id], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Messages received since `since` whose bodies are not cached, newest first: the
    /// prefetcher's work list.
    pub fn messages_without_body(&self, since: DateTime<Utc>) -> Result<Vec<String>> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(
            "SELECT id FROM message WHERE received_at >= ?1 AND body_fetched_at IS NULL ORDER BY received_at DESC, id",
        )?;
        let rows = stmt.query_map([ms(since)], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Messages received since `since` that have attachments but no attachment list yet.
    pub fn messages_without_attachment_list(&self, since: DateTime<Utc>) -> Result<Vec<String>> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(
            "SELECT m.id FROM message m WHERE m.received_at >= ?1 AND (m.has_attachments = 1 OR m.names_inline_pictures = 1)
             AND NOT EXISTS (SELECT 1 FROM attachment a WHERE a.message_id = m.id) ORDER BY m.received_at DESC, m.id",
        )?;
        let rows = stmt.query_map([ms(since)], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Attachments of messages received since `since` whose content is not cached, as
    /// (message id, attachment id, size), newest message first.
    pub fn attachments_not_downloaded(&self, since: DateTime<Utc>) -> Result<Vec<(String, String, u64)>> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(
            "SELECT a.message_id, a.id, a.size FROM attachment a JOIN message m ON m.id = a.message_id
             WHERE m.received_at >= ?1 AND a.content IS NULL ORDER BY m.received_at DESC, a.message_id, a.id",
        )?;
        let rows = stmt.query_map([ms(since)], |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)?.max(0) as u64)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The ids of every cached calendar entry.
    pub fn event_ids(&self) -> Result<Vec<String>> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached("SELECT id FROM event ORDER BY id")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The ids of every cached contact.
    pub fn contact_ids(&self) -> Result<Vec<String>> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached("SELECT id FROM contact ORDER BY id")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A message's attachments.
    pub fn attachments(&self, message_id: &str) -> Result<Vec<AttachmentRecord>> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(
            "SELECT message_id, id, name, content_type, size, is_inline, content IS NOT NULL, content_id
             FROM attachment WHERE message_id = ?1 ORDER BY name",
        )?;
        let rows = stmt.query_map([message_id], |r| {
            Ok(AttachmentRecord {
                message_id: r.get(0)?,
                id: r.get(1)?,
                name: r.get(2)?,
                content_type: r.get(3)?,
                size: r.get::<_, i64>(4)?.max(0) as u64,
                is_inline: r.get(5)?,
                downloaded: r.get(6)?,
                content_id: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// An attachment's content, if downloaded.
    pub fn attachment_content(&self, message_id: &str, id: &str) -> Result<Option<Vec<u8>>> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(
            "SELECT content FROM attachment WHERE message_id = ?1 AND id = ?2 AND content IS NOT NULL",
        )?;
        Ok(stmt.query_row([message_id, id], |r| r.get(0)).optional()?)
    }

    /// Copies an attachment's content to `out` a piece at a time (a large file is never whole
    /// in memory). Returns its size, or `None` when it is not downloaded.
    pub fn copy_attachment_to(&self, message_id: &str, id: &str, out: &mut dyn std::io::Write) -> Result<Option<u64>> {
        let conn = self.lock();
        let rowid: Option<i64> = conn
            .prepare_cached("SELECT rowid FROM attachment WHERE message_id = ?1 AND id = ?2 AND content IS NOT NULL")?
            .query_row([message_id, id], |r| r.get(0))
            .optional()?;
        let Some(rowid) = rowid else { return Ok(None) };
        let mut blob = conn.blob_open(rusqlite::MAIN_DB, "attachment", "content", rowid, true)?;
        Ok(Some(std::io::copy(&mut blob, out)?))
    }

    /// Calendar entries that overlap the London days `from` to `to` inclusive, in start order.
    /// Day boundaries follow the clocks: a day in which they change is 23 or 25 hours long.
    pub fn agenda(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<EventRecord>> {
        let start = london_day_start(from);
        let end = london_day_start(to.succ_opt().unwrap_or(to));
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {EVENT_COLUMNS} FROM event WHERE start_at < ?2 AND end_at > ?1 ORDER BY start_at, id"
        ))?;
        let rows = stmt.query_map(params![ms(start), ms(end)], event)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One calendar entry.
    pub fn event(&self, id: &str) -> Result<Option<EventRecord>> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(&format!("SELECT {EVENT_COLUMNS} FROM event WHERE id = ?1"))?;
        Ok(stmt.query_row([id], event).optional()?)
    }

    /// Contacts in name order, a page at a time.
    pub fn contacts(&self, offset: usize, limit: usize) -> Result<Vec<ContactRecord>> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {CONTACT_COLUMNS} FROM contact ORDER BY display_name COLLATE NOCASE, id LIMIT ?1 OFFSET ?2"
        ))?;
        let rows = stmt.query_map(params![limit as i64, offset as i64], contact)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One contact.
    pub fn contact(&self, id: &str) -> Result<Option<ContactRecord>> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(&format!("SELECT {CONTACT_COLUMNS} FROM contact WHERE id = ?1"))?;
        Ok(stmt.query_row([id], contact).optional()?)
    }

    /// The contact with this address, if any (to show a sender's details).
    pub fn contact_by_address(&self, address: &str) -> Result<Option<ContactRecord>> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {CONTACT_COLUMNS} FROM contact WHERE ' ' || emails_text || ' ' LIKE '% ' || lower(?1) || ' %' ESCAPE '\\' LIMIT 1"
        ))?;
        // An address may hold `_` or `%`: match them literally.
        let needle = address.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        Ok(stmt.query_row([needle], contact).optional()?)
    }

    /// Where a collection's delta sync stands.
    pub fn checkpoint(&self, collection: &str) -> Result<Option<DeltaCheckpoint>> {
        let conn = self.lock();
        let mut stmt =
            conn.prepare_cached("SELECT collection, link, kind FROM delta_checkpoint WHERE collection = ?1")?;
        Ok(stmt
            .query_row([collection], |r| {
                let kind: String = r.get(2)?;
                Ok(DeltaCheckpoint {
                    collection: r.get(0)?,
                    link: r.get(1)?,
                    kind: if kind == "next" { CheckpointKind::Next } else { CheckpointKind::Delta },
                })
            })
            .optional()?)
    }

    /// Outbox items not yet delivered, oldest first.
    pub fn pending_outbox(&self) -> Result<Vec<OutboxItem>> {
        self.outbox_where("state IN ('queued', 'sending', 'failed')")
    }

    /// Every outbox item, oldest first.
    pub fn outbox(&self) -> Result<Vec<OutboxItem>> {
        self.outbox_where("1")
    }

    fn outbox_where(&self, filter: &str) -> Result<Vec<OutboxItem>> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT id, op_id, kind, target_id, payload, state, attempts, last_error, remote_id, created_at FROM outbox WHERE {filter} ORDER BY id"
        ))?;
        let rows = stmt.query_map([], |r| {
            Ok(OutboxItem {
                id: r.get(0)?,
                op_id: r.get(1)?,
                kind: r.get(2)?,
                target_id: r.get(3)?,
                payload: list(&r.get::<_, String>(4)?)?,
                state: OutboxState::parse(&r.get::<_, String>(5)?),
                attempts: r.get(6)?,
                last_error: r.get(7)?,
                remote_id: r.get(8)?,
                created_at: time(r.get(9)?),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Ledger entries for the London days `from` to `to` inclusive.
    pub fn traffic(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<LedgerEntry>> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(
            "SELECT day, feature, network, bytes_up, bytes_down, requests FROM data_ledger WHERE day >= ?1 AND day <= ?2 ORDER BY day, feature, network",
        )?;
        let rows = stmt.query_map(params![from.to_string(), to.to_string()], |r| {
            let day: String = r.get(0)?;
            Ok((
                day,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, i64>(4)?,
                r.get::<_, i64>(5)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (day, feature, network, up, down, requests) = row?;
            let day = NaiveDate::parse_from_str(&day, "%Y-%m-%d").map_err(|e| VaultError::Decode(e.to_string()))?;
            out.push(LedgerEntry {
                day,
                feature,
                network,
                bytes_up: up.max(0) as u64,
                bytes_down: down.max(0) as u64,
                requests: requests.max(0) as u64,
            });
        }
        Ok(out)
    }

    /// A setting.
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached("SELECT value FROM setting WHERE key = ?1")?;
        Ok(stmt.query_row([key], |r| r.get(0)).optional()?)
    }

    /// How many messages, events and contacts are cached.
    pub fn counts(&self) -> Result<(u64, u64, u64)> {
        let conn = self.lock();
        Ok(conn.query_row(
            "SELECT (SELECT count(*) FROM message), (SELECT count(*) FROM event), (SELECT count(*) FROM contact)",
            [],
            |r| Ok((r.get::<_, i64>(0)? as u64, r.get::<_, i64>(1)? as u64, r.get::<_, i64>(2)? as u64)),
        )?)
    }
}
