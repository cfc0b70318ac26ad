//! Search across the cache: mail, events and contacts at once.

use crate::core::Core;
use crate::error::Result;
use crate::views::{SearchHit, SearchResults};
use companion_vault::SearchKind;
use std::sync::Arc;

/// The most hits a search returns.
const MAX_HITS: usize = 60;

/// Search.
pub struct SearchService {
    core: Arc<Core>,
}

impl SearchService {
    pub(crate) fn new(core: Arc<Core>) -> Self {
        Self { core }
    }

    /// Searches the cache for `query`.
    pub fn search(&self, query: &str) -> Result<SearchResults> {
        self.core.count_use("search");
        let mut results = SearchResults { query: query.to_owned(), mail: vec![], events: vec![], contacts: vec![] };
        for hit in self.core.vault()?.search(query, MAX_HITS)? {
            match hit.kind {
                SearchKind::Mail => results.mail.push(SearchHit::from(hit)),
                SearchKind::Event => results.events.push(SearchHit::from(hit)),
                SearchKind::Contact => results.contacts.push(SearchHit::from(hit)),
            }
        }
        Ok(results)
    }
}
