//! Full-text search across mail, calendar and contacts, ranked with bm25.

use crate::open::Vault;
use crate::Result;
use chrono::{DateTime, TimeZone, Utc};
use rusqlite::params;
use serde::{Deserialize, Serialize};

/// Marks where a matched word starts in a snippet (STX: cannot occur in mail text shown).
pub const HIGHLIGHT_START: char = '\u{2}';
/// Marks where a matched word ends in a snippet (ETX).
pub const HIGHLIGHT_END: char = '\u{3}';

/// What a hit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SearchKind {
    /// A message.
    Mail,
    /// A calendar entry.
    Event,
    /// A contact.
    Contact,
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchHit {
    /// Mail, event or contact.
    pub kind: SearchKind,
    /// Its id.
    pub id: String,
    /// Subject or name.
    pub title: String,
    /// Text around the match, with matches between [`HIGHLIGHT_START`] and [`HIGHLIGHT_END`].
    pub snippet: String,
    /// When (a message's arrival, an event's start).
    pub when: Option<DateTime<Utc>>,
    /// bm25 score: lower is better.
    pub rank: f64,
}

/// Turns what a member typed into an FTS5 query: every word must match, the last as a prefix
/// (search as you type), quotes escaped so no input is an FTS5 syntax error.
pub(crate) fn fts_query(input: &str) -> Option<String> {
    let words: Vec<&str> = input.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '@' && c != '.').map(|w| w.trim_matches(|c| c == '\'' || c == '.')).filter(|w| !w.is_empty()).take(8).collect();
    let last = words.len().checked_sub(1)?;
    Some(
        words
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let quoted = format!("\"{}\"", w.replace('"', "\"\""));
                if i == last { format!("{quoted}*") } else { quoted }
            })
            .collect::<Vec<_>>()
            .join(" "),
    )
}

fn time(ms: Option<i64>) -> Option<DateTime<Utc>> {
    ms.and_then(|m| Utc.timestamp_millis_opt(m).single())
}

impl Vault {
    /// Searches mail, calendar and contacts; the best `limit` hits, best first.
    pub fn search(&self, input: &str, limit: usize) -> Result<Vec<SearchHit>> {
        let Some(query) = fts_query(input) else { return Ok(Vec::new()) };
        let limit = limit.clamp(1, 200) as i64;
        let start = HIGHLIGHT_START.to_string();
        let end = HIGHLIGHT_END.to_string();
        let conn = self.lock();
        let mut hits = Vec::new();
        let searches: [(SearchKind, &str); 3] = [
            (
                SearchKind::Mail,
                "SELECT m.id, m.subject, snippet(message_fts, -1, ?2, ?3, '…', 12), m.received_at, message_fts.rank
                 FROM message_fts JOIN message m ON m.rid = message_fts.rowid
                 WHERE message_fts MATCH ?1 ORDER BY message_fts.rank LIMIT ?4",
            ),
            (
                SearchKind::Event,
                "SELECT e.id, e.subject, snippet(event_fts, -1, ?2, ?3, '…', 12), e.start_at, event_fts.rank
                 FROM event_fts JOIN event e ON e.rid = event_fts.rowid
                 WHERE event_fts MATCH ?1 ORDER BY event_fts.rank LIMIT ?4",
            ),
            (
                SearchKind::Contact,
                "SELECT c.id, c.display_name, snippet(contact_fts, -1, ?2, ?3, '…', 12), NULL, contact_fts.rank
                 FROM contact_fts JOIN contact c ON c.rid = contact_fts.rowid
                 WHERE contact_fts MATCH ?1 ORDER BY contact_fts.rank LIMIT ?4",
            ),
        ];
        for (kind, sql) in searches {
            let mut stmt = conn.prepare_cached(sql)?;
            let rows = stmt.query_map(params![query, start, end, limit], |r| {
                Ok(SearchHit { kind, id: r.get(0)?, title: r.get(1)?, snippet: r.get(2)?, when: time(r.get(3)?), rank: r.get(4)? })
            })?;
            for hit in rows {
                hits.push(hit?);
            }
        }
        hits.sort_by(|a, b| a.rank.total_cmp(&b.rank));
        hits.truncate(limit as usize);
        Ok(hits)
    }
}

#[cfg(test)]
mod tests {
    use super::fts_query;

    #[test]
    fn typed_words_become_a_prefix_query_with_quotes_escaped() {
        assert_eq!(fts_query("pot hol").as_deref(), Some("\"pot\" \"hol\"*"));
        assert_eq!(fts_query("say \"hi\" OR x").as_deref(), Some("\"say\" \"hi\" \"OR\" \"x\"*"));
        assert_eq!(fts_query("  ,; "), None);
        assert_eq!(fts_query("o'brien").as_deref(), Some("\"o'brien\"*"));
    }
}
