//! Delta rounds: opaque tokens and page selection over a collection's change log.
//!
//! A round covers the changes between two sequence numbers, fixed when the round starts, so
//! changes made while a client pages arrive in the next round rather than being lost. Query
//! options (`$select`, `changeType`, a calendar window, a `receivedDateTime` filter) travel
//! inside the tokens, as in Graph.

use crate::tenant::{Change, ChangeLog};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Graph stops a filtered message round at 5,000 items.
pub(crate) const FILTERED_ROUND_CAP: u64 = 5_000;

/// Where a client is in a round; serialised into `$skiptoken` and `$deltatoken`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub(crate) struct DeltaState {
    /// The collection.
    pub c: String,
    /// The tenant's delta epoch when the token was made.
    pub e: u64,
    /// The round reports changes after this sequence number…
    pub f: u64,
    /// …up to this one.
    pub t: u64,
    /// Changes up to here have been served in this round.
    pub a: u64,
    /// `$select`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub s: Option<Vec<String>>,
    /// `changeType`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ct: Option<String>,
    /// The calendar view window.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub w: Option<(DateTime<Utc>, DateTime<Utc>)>,
    /// `receivedDateTime ge` filter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub g: Option<DateTime<Utc>>,
    /// Items served so far in this round.
    #[serde(default)]
    pub n: u64,
}

impl DeltaState {
    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(self).unwrap_or_default())
    }
    pub fn decode(token: &str) -> Option<Self> {
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(token).ok()?).ok()
    }
    /// The state that starts the next round, for the `@odata.deltaLink`.
    pub fn next_round(&self) -> Self {
        Self { f: self.t, t: self.t, a: self.t, n: 0, ..self.clone() }
    }
}

/// One page of a round.
pub(crate) struct DeltaPage {
    /// The changes to report, replays first.
    pub items: Vec<Change>,
    /// The state for `@odata.nextLink`, or `None` when this page ends the round.
    pub next: Option<DeltaState>,
}

/// Selects the next page of `state`'s round. `keep` applies filters that need the item
/// itself (a calendar window, a received date); `replay` re-sends that many already-served
/// changes first, as Graph sometimes does.
pub(crate) fn select_page(
    log: Option<&ChangeLog>,
    state: &DeltaState,
    size: usize,
    replay: usize,
    mut keep: impl FnMut(&Change) -> bool,
) -> DeltaPage {
    let Some(log) = log else { return DeltaPage { items: Vec::new(), next: None } };
    let initial = state.f == 0;
    let created = state.ct.as_deref().map(|c| c.to_ascii_lowercase());
    let mut wanted = |c: &Change| -> bool {
        if initial && c.removed {
            return false; // a first round lists what exists, not what was deleted
        }
        let by_type = match created.as_deref() {
            None => true,
            Some("created") => !c.removed && c.created_seq > state.f,
            Some("updated") => !c.removed && c.created_seq <= state.f,
            Some("deleted") => c.removed,
            Some(_) => true,
        };
        by_type && keep(c)
    };

    let mut items: Vec<Change> = Vec::new();
    if replay > 0 && state.a > state.f {
        let mut replayed: Vec<Change> = log
            .before(state.a)
            .take_while(|(s, _)| *s > state.f)
            .filter(|(_, c)| wanted(c))
            .take(replay)
            .map(|(_, c)| c.clone())
            .collect();
        replayed.reverse();
        items.extend(replayed);
    }

    let cap = if state.g.is_some() { FILTERED_ROUND_CAP.saturating_sub(state.n) as usize } else { usize::MAX };
    let limit = size.min(cap);
    let mut fresh = 0usize;
    let mut last = state.a;
    let mut more = false;
    for (seq, change) in log.range(state.a, state.t) {
        if !wanted(change) {
            last = seq;
            continue;
        }
        if fresh == limit {
            more = cap > limit;
            break;
        }
        items.push(change.clone());
        fresh += 1;
        last = seq;
    }
    let next = more.then(|| DeltaState { a: last, n: state.n + fresh as u64, ..state.clone() });
    DeltaPage { items, next }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> DeltaState {
        DeltaState { c: "e".into(), e: 1, f: 0, t: 0, a: 0, s: None, ct: None, w: None, g: None, n: 0 }
    }

    #[test]
    fn a_token_round_trips() {
        let mut s = state();
        s.s = Some(vec!["subject".into()]);
        assert_eq!(DeltaState::decode(&s.encode()), Some(s));
        assert_eq!(DeltaState::decode("not a token"), None);
    }

    #[test]
    fn an_absent_collection_gives_an_empty_last_page() {
        let page = select_page(None, &state(), 10, 0, |_| true);
        assert!(page.items.is_empty() && page.next.is_none());
    }
}
