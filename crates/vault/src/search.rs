//! Full-text search across mail, calendar and contacts, ranked with bm25.
//!
//! One FTS5 pass per kind returns only row ids and scores; the winners' text is then read by
//! primary key and the snippet is cut here, with the index's own folding rules (case and
//! diacritics). Asking FTS5 for `snippet()` instead would run the match again per winner.

use crate::open::Vault;
use crate::Result;
use chrono::{DateTime, TimeZone, Utc};
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Marks where a matched word starts in a snippet (STX: cannot occur in mail text shown).
pub const HIGHLIGHT_START: char = '\u{2}';
/// Marks where a matched word ends in a snippet (ETX).
pub const HIGHLIGHT_END: char = '\u{3}';

/// How many of the newest matches bm25 ranks. A word found in half the mailbox then still
/// answers in milliseconds; for mail, recent is what a member is after.
const CANDIDATES: i64 = 300;
/// Words of context around the first match in a snippet.
const SNIPPET_WORDS: usize = 14;

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

/// The words of a query, as typed.
fn words(input: &str) -> Vec<&str> {
    input
        .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '@' && c != '.')
        .map(|w| w.trim_matches(|c| c == '\'' || c == '.'))
        .filter(|w| !w.is_empty())
        .take(8)
        .collect()
}

/// Turns what a member typed into an FTS5 query: every word must match, the last as a prefix
/// (search as you type), quotes escaped so no input is an FTS5 syntax error.
pub(crate) fn fts_query(input: &str) -> Option<String> {
    let words = words(input);
    let last = words.len().checked_sub(1)?;
    Some(
        words
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let quoted = format!("\"{}\"", w.replace('"', "\"\""));
                if i == last {
                    format!("{quoted}*")
                } else {
                    quoted
                }
            })
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// Lower case without diacritics, as the index's `unicode61 remove_diacritics 2` sees it.
fn fold(s: &str) -> String {
    s.nfd().filter(|c| !is_combining_mark(*c)).flat_map(char::to_lowercase).collect()
}

/// Cuts a snippet from the first text that matches: the words around the first match, with
/// every matching word marked.
fn snippet(terms: &[String], texts: &[&str]) -> String {
    for text in texts {
        let spans: Vec<(usize, usize)> = text
            .char_indices()
            .filter(|(i, c)| {
                c.is_alphanumeric() && (*i == 0 || !text[..*i].chars().next_back().is_some_and(char::is_alphanumeric))
            })
            .map(|(start, _)| {
                let end = text[start..].find(|c: char| !c.is_alphanumeric()).map_or(text.len(), |e| start + e);
                (start, end)
            })
            .collect();
        let matches = |(s, e): (usize, usize)| {
            let w = fold(&text[s..e]);
            terms.iter().any(|t| w.starts_with(t.as_str()))
        };
        let Some(first) = spans.iter().position(|sp| matches(*sp)) else { continue };
        let from = first.saturating_sub(SNIPPET_WORDS / 3);
        let to = (from + SNIPPET_WORDS).min(spans.len());
        let mut out = String::new();
        if from > 0 {
            out.push('…');
        }
        let mut cursor = spans[from].0;
        for &(s, e) in &spans[from..to] {
            out.push_str(&text[cursor..s]);
            if matches((s, e)) {
                out.push(HIGHLIGHT_START);
                out.push_str(&text[s..e]);
                out.push(HIGHLIGHT_END);
            } else {
                out.push_str(&text[s..e]);
            }
            cursor = e;
        }
        if to < spans.len() {
            out.push('…');
        }
        return out;
    }
    texts.iter().find(|t| !t.is_empty()).map(|t| t.chars().take(120).collect()).unwrap_or_default()
}

fn time(ms: Option<i64>) -> Option<DateTime<Utc>> {
    ms.and_then(|m| Utc.timestamp_millis_opt(m).single())
}

/// Per kind: the FTS table, and how to read a winner's id, title, time and texts by `rid`.
const KINDS: [(SearchKind, &str, &str); 3] = [
    (SearchKind::Mail, "message_fts", "SELECT id, subject, received_at, subject, coalesce(from_name, '') || ' ' || coalesce(from_address, ''), preview, coalesce(body_text, '') FROM message WHERE rid = ?1"),
    (SearchKind::Event, "event_fts", "SELECT id, subject, start_at, subject, location, coalesce(organizer_name, ''), preview FROM event WHERE rid = ?1"),
    (SearchKind::Contact, "contact_fts", "SELECT id, display_name, NULL, display_name, emails_text, coalesce(company, '') || ' ' || coalesce(job_title, ''), '' FROM contact WHERE rid = ?1"),
];

impl Vault {
    /// Searches mail, calendar and contacts; the best `limit` hits, best first.
    pub fn search(&self, input: &str, limit: usize) -> Result<Vec<SearchHit>> {
        let Some(query) = fts_query(input) else { return Ok(Vec::new()) };
        let terms: Vec<String> = words(input).iter().map(|w| fold(w)).collect();
        let limit = limit.clamp(1, 200) as i64;
        let conn = self.lock();
        let mut hits = Vec::new();
        for (kind, fts, row_sql) in KINDS {
            let ranked: Vec<(i64, f64)> = {
                let mut stmt = conn.prepare_cached(&format!(
                    "SELECT rid, rank FROM (SELECT rowid AS rid, rank FROM {fts} WHERE {fts} MATCH ?1 ORDER BY rowid DESC LIMIT {CANDIDATES})
                     ORDER BY rank LIMIT ?2"
                ))?;
                let rows = stmt.query_map(params![query, limit], |r| Ok((r.get(0)?, r.get(1)?)))?;
                rows.collect::<rusqlite::Result<_>>()?
            };
            let mut row = conn.prepare_cached(row_sql)?;
            for (rid, rank) in ranked {
                let found = row
                    .query_row([rid], |r| {
                        let texts: [String; 4] = [r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?];
                        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<i64>>(2)?, texts))
                    })
                    .optional()?;
                if let Some((id, title, when, texts)) = found {
                    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
                    hits.push(SearchHit { kind, id, title, snippet: snippet(&terms, &texts), when: time(when), rank });
                }
            }
        }
        hits.sort_by(|a, b| a.rank.total_cmp(&b.rank));
        hits.truncate(limit as usize);
        Ok(hits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_words_become_a_prefix_query_with_quotes_escaped() {
        assert_eq!(fts_query("pot hol").as_deref(), Some("\"pot\" \"hol\"*"));
        assert_eq!(fts_query("say \"hi\" OR x").as_deref(), Some("\"say\" \"hi\" \"OR\" \"x\"*"));
        assert_eq!(fts_query("  ,; "), None);
        assert_eq!(fts_query("o'brien").as_deref(), Some("\"o'brien\"*"));
    }

    #[test]
    fn a_snippet_marks_matches_folding_case_and_accents() {
        let s = snippet(&["cafe".to_owned()], &["", "The Café licence on Market Square was renewed"]);
        assert!(s.contains("\u{2}Café\u{3}"), "{s:?}");
        let long = (0..40).map(|i| format!("w{i}")).collect::<Vec<_>>().join(" ") + " pothole here";
        let s = snippet(&["poth".to_owned()], &[&long]);
        assert!(s.starts_with('…') && s.contains("\u{2}pothole\u{3}"), "{s:?}");
    }
}
