//! Search across the cache: mail, events and contacts at once.

use crate::core::Core;
use crate::error::Result;
use crate::views::{SearchHit, SearchResults, ServerSearchResults};
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
        let started = std::time::Instant::now();
        self.core.count_use(companion_evidence::Use::Search);
        let mut results = SearchResults { query: query.to_owned(), mail: vec![], events: vec![], contacts: vec![] };
        for hit in self.core.vault()?.search(query, MAX_HITS)? {
            match hit.kind {
                SearchKind::Mail => results.mail.push(SearchHit::from(hit)),
                SearchKind::Event => results.events.push(SearchHit::from(hit)),
                SearchKind::Contact => results.contacts.push(SearchHit::from(hit)),
            }
        }
        self.core.record_time("search", started.elapsed());
        Ok(results)
    }

    /// Searches the whole mailbox on the server for `query` (the cache holds the last 30 days),
    /// metered like every download, and keeps what it finds so it opens like cached mail.
    /// Offline, the error's kind says so, and the cache's answer is all there is.
    pub async fn search_server(&self, query: &str) -> Result<ServerSearchResults> {
        self.core.count_use(companion_evidence::Use::SearchServer);
        let session = self.core.session().await?;
        let before = session.bytes.total();
        let found = session.engine.search_server(query).await?;
        Ok(ServerSearchResults {
            query: query.to_owned(),
            mail: found.messages.iter().map(SearchHit::from).collect(),
            more: found.more,
            bytes: session.bytes.total().saturating_sub(before),
        })
    }
}
