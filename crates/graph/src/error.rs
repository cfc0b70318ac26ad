//! The Graph client's errors. Each says what the app can do: sign in again, wait, resync, or
//! report a fault.

use std::time::Duration;

/// What went wrong talking to Graph.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum GraphError {
    /// The access token was refused and could not be renewed: the member must sign in again.
    #[error("sign-in is needed")]
    SignInRequired,
    /// The tenant refused the session because the member's account is disabled or deleted
    /// (not merely expired or revoked): the app must not keep the member's data.
    #[error("the council account is disabled or deleted (AADSTS{aadsts})")]
    AccountGone {
        /// Entra's error number (50057 disabled, 50034 not found).
        aadsts: u32,
    },
    /// Graph refused the request (`code` is Graph's error code; branch on it, never on text).
    #[error("Graph answered {status} {code}")]
    Refused {
        /// HTTP status.
        status: u16,
        /// Graph's error code (e.g. `ErrorItemNotFound`).
        code: String,
    },
    /// A delta token is no longer valid: the collection must be synced again from the start.
    #[error("the sync state has expired; a full resync is needed")]
    ResyncRequired,
    /// Still throttled or failing after every allowed try.
    #[error("Graph is busy or unreachable after {attempts} tries")]
    GaveUp {
        /// Tries made.
        attempts: u32,
        /// The last failure, briefly.
        last: String,
    },
    /// The network failed (no connection, reset, a body cut short).
    #[error("network failure: {0}")]
    Network(String),
    /// Graph's answer was not what its documentation says.
    #[error("Graph's answer could not be read: {0}")]
    Malformed(String),
    /// The answer was larger than the app accepts for its kind (a body, a page, an
    /// attachment), on the wire or once decompressed: reading stopped there.
    #[error("Graph's answer was larger than {limit} bytes")]
    TooLarge {
        /// The limit that was reached.
        limit: u64,
    },
    /// The data policy refused the download.
    #[error("not downloaded under the data policy")]
    HeldByPolicy,
}

impl GraphError {
    /// Whether trying again may help (after waiting).
    pub(crate) fn is_transient(&self) -> bool {
        matches!(self, Self::Network(_))
            || matches!(self, Self::Refused { status, .. } if *status == 429 || *status >= 500)
    }
}

/// A transient failure with how long Graph asked us to wait.
#[derive(Debug, Clone)]
pub(crate) struct Attempt {
    pub error: GraphError,
    pub retry_after: Option<Duration>,
}
