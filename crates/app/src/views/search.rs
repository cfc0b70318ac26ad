//! Search across the cache.

use super::iso;
use companion_vault::SearchHit as VaultHit;
use serde::Serialize;

/// What a hit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum SearchHitKind {
    /// A message.
    Mail,
    /// A calendar event.
    Event,
    /// A contact.
    Contact,
}

/// A search hit.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SearchHit {
    /// What it is.
    pub kind: SearchHitKind,
    /// Its id.
    pub id: String,
    /// Subject or name.
    pub title: String,
    /// Matched words are wrapped in U+0002 (start) and U+0003 (end); the rest is plain text.
    pub snippet: String,
    /// Received time or event start (RFC 3339); none for contacts.
    pub when: Option<String>,
}

impl From<VaultHit> for SearchHit {
    fn from(h: VaultHit) -> Self {
        let kind = match h.kind {
            companion_vault::SearchKind::Mail => SearchHitKind::Mail,
            companion_vault::SearchKind::Event => SearchHitKind::Event,
            companion_vault::SearchKind::Contact => SearchHitKind::Contact,
        };
        Self { kind, id: h.id, title: h.title, snippet: h.snippet, when: h.when.map(iso) }
    }
}

/// Search results, grouped.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SearchResults {
    /// What was searched for.
    pub query: String,
    /// Messages.
    pub mail: Vec<SearchHit>,
    /// Events.
    pub events: Vec<SearchHit>,
    /// Contacts.
    pub contacts: Vec<SearchHit>,
}

/// What searching the whole mailbox on the server found, beyond the cache's window.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ServerSearchResults {
    /// What was searched for.
    pub query: String,
    /// Messages found, newest first; each opens like a cached one (its body is fetched then).
    pub mail: Vec<SearchHit>,
    /// Whether the server found more than these (the member can search more precisely).
    pub more: bool,
    /// What the search cost on the wire, in bytes (counted against the allowance like all else).
    pub bytes: u64,
}

impl From<&companion_vault::MessageRecord> for SearchHit {
    fn from(m: &companion_vault::MessageRecord) -> Self {
        let sender = m.from.as_ref().map(|f| if f.name.is_empty() { f.address.clone() } else { f.name.clone() });
        let snippet = match sender {
            Some(s) => format!("{s}: {}", m.preview),
            None => m.preview.clone(),
        };
        Self {
            kind: SearchHitKind::Mail,
            id: m.id.clone(),
            title: m.subject.clone(),
            snippet,
            when: Some(iso(m.received_at)),
        }
    }
}
