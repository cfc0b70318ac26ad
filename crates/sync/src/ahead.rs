//! Fetching a round's delta pages ahead of the vault.
//!
//! A delta round is a chain: each page names the next. Taking turns (fetch a page, write it,
//! fetch the next) left the wire idle while the vault wrote and the vault idle while the
//! server answered. A task of its own now walks the chain a few pages ahead, so the two
//! overlap on two cores, and the writer takes the pages that have arrived together, in one
//! transaction, so that a slow vault commits less often instead of falling further behind.
//!
//! Only the writer moves the checkpoint, with the pages it writes: pages still in flight when
//! the process dies, a write fails or the sync is cancelled are simply fetched again next time.

use crate::policy::{DataPolicy, Decision, Download, Purpose};
use companion_graph::{DeltaPage, Feature, GraphClient, GraphError, GraphRequest, NetworkProbe};
use companion_vault::CheckpointKind;
use serde::de::DeserializeOwned;
use std::sync::Arc;
use tokio::sync::mpsc;

/// How many pages the fetcher may hold that the writer has not taken: enough to keep the wire
/// busy while the writer commits a batch (32 pages of 100 headers are a few MB in memory). The data policy is asked before each page, so this is
/// also how far a policy that changes its mind mid-round can be overrun (the governor never
/// holds back headers, so it never is): pages of headers, about 15 KB each.
pub(crate) const PAGES_AHEAD: usize = 32;

/// One step of the chain as the fetcher saw it.
pub(crate) enum Fetched<T> {
    /// A page and the link that continues from it.
    Page { page: DeltaPage<T>, link: String, kind: CheckpointKind },
    /// The data policy held the next page back.
    Deferred(String),
    /// Graph failed (or asked for a resync).
    Failed(GraphError),
    /// A page that ends nowhere or whose link leads away from Graph: it is not taken.
    Malformed,
}

/// What the fetcher needs to walk one collection's chain.
pub(crate) struct Chain<'a> {
    pub graph: &'a Arc<GraphClient>,
    pub policy: &'a Arc<dyn DataPolicy>,
    pub network: &'a Arc<dyn NetworkProbe>,
    pub feature: Feature,
    pub collection: &'a str,
    pub prefer: &'a [&'a str],
}

/// A round's pages, fetched by their own task; dropping it stops the task.
pub(crate) struct PagesAhead<T> {
    pages: mpsc::Receiver<Fetched<T>>,
    task: tokio::task::JoinHandle<()>,
}

impl<T: DeserializeOwned + Send + 'static> PagesAhead<T> {
    /// Starts walking `chain` from `url`, up to and including the page with the delta link.
    pub(crate) fn start(chain: &Chain<'_>, url: String) -> Self {
        let (send, pages) = mpsc::channel(PAGES_AHEAD);
        let graph = chain.graph.clone();
        let policy = chain.policy.clone();
        let network = chain.network.clone();
        let (feature, collection) = (chain.feature, chain.collection.to_owned());
        let prefer: Vec<String> = chain.prefer.iter().map(|p| (*p).to_owned()).collect();
        let task = tokio::spawn(async move {
            let mut url = url;
            loop {
                let download = Download {
                    purpose: Purpose::Background,
                    feature,
                    network: network.current(),
                    expected_bytes: None,
                    subject: collection.clone(),
                };
                if let Decision::Defer(why) = policy.decide(&download) {
                    let _ = send.send(Fetched::Deferred(why)).await;
                    return;
                }
                let request = prefer.iter().fold(GraphRequest::get(url.clone(), feature), |r, p| r.prefer(p));
                let step = match graph.json::<DeltaPage<T>>(&request).await {
                    Err(e) => Fetched::Failed(e),
                    Ok(page) => match (page.next_link.clone(), page.delta_link.clone()) {
                        // A link elsewhere would be kept and refused on every later run (and
                        // would carry the member's token away): the page is not taken.
                        (Some(link), _) | (None, Some(link)) if !graph.is_own_link(&link) => Fetched::Malformed,
                        (Some(link), _) => Fetched::Page { page, link, kind: CheckpointKind::Next },
                        (None, Some(link)) => Fetched::Page { page, link, kind: CheckpointKind::Delta },
                        (None, None) => Fetched::Malformed,
                    },
                };
                let next = match &step {
                    Fetched::Page { link, kind: CheckpointKind::Next, .. } => Some(link.clone()),
                    _ => None,
                };
                // The writer gone (an error, a cancelled sync) ends the walk too.
                if send.send(step).await.is_err() {
                    return;
                }
                match next {
                    Some(link) => url = link,
                    None => return,
                }
            }
        });
        Self { pages, task }
    }

    /// The next step, and those that have already arrived behind it, up to `most`: a writer
    /// that falls behind the wire takes more at a time. The batch ends early at anything that
    /// is not a page, which comes last.
    pub(crate) async fn take(&mut self, most: usize) -> Vec<Fetched<T>> {
        let Some(first) = self.pages.recv().await else {
            // The task ended without a word: only a panic does that.
            return vec![Fetched::Failed(GraphError::Network("the page fetcher stopped".to_owned()))];
        };
        let mut batch = vec![first];
        while batch.len() < most && matches!(batch.last(), Some(Fetched::Page { kind: CheckpointKind::Next, .. })) {
            match self.pages.try_recv() {
                Ok(step) => batch.push(step),
                // Nothing more yet, or the fetcher is gone (the next take says why).
                Err(_) => break,
            }
        }
        batch
    }
}

impl<T> Drop for PagesAhead<T> {
    fn drop(&mut self) {
        self.task.abort();
    }
}
