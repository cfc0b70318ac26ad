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
