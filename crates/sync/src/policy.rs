//! The data policy: asked before every download, obeyed always. The data allowance supplies
//! the real one; [`AllowAll`] is the permissive default.

use companion_graph::{Feature, Network};

/// Why a download would happen: the data saver treats a member's own request differently
/// from the engine's background work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Keeping the cache up to date (delta pages).
    Background,
    /// Fetching ahead of need (bodies and attachments of new mail).
    Prefetch,
    /// The member opened the item.
    Opened,
    /// The member was shown the size and agreed to it.
    Confirmed,
}

impl Purpose {
    /// Whether the member is waiting for it: then a weak signal fails fast rather than being
    /// waited out through the whole retry schedule.
    pub fn member_waiting(self) -> bool {
        matches!(self, Self::Opened | Self::Confirmed)
    }
}

/// A download the engine is about to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Download {
    /// Why.
    pub purpose: Purpose,
    /// What it is for.
    pub feature: Feature,
    /// The network it would cross.
    pub network: Network,
    /// Its expected size, when known (an attachment's, a body's estimate).
    pub expected_bytes: Option<u64>,
    /// Which collection or item (for explanations).
    pub subject: String,
}

/// What the policy decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Go ahead.
    Allow,
    /// Not now; say why (shown to the member on request).
    Defer(String),
}

/// Decides, before each download, whether it may happen now.
pub trait DataPolicy: Send + Sync {
    /// The decision for `download`.
    fn decide(&self, download: &Download) -> Decision;
}

/// Allows everything.
#[derive(Debug, Default, Clone, Copy)]
pub struct AllowAll;

impl DataPolicy for AllowAll {
    fn decide(&self, _: &Download) -> Decision {
        Decision::Allow
    }
}
