//! Who is signed in.

use serde::Serialize;

/// The signed-in member.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Member {
    /// Their name.
    pub display_name: String,
    /// Their council address.
    pub mail: String,
}

/// Signed in or not.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "state", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum AccountStatus {
    /// Nobody is signed in; `problem` says why, when a session ended by itself.
    SignedOut {
        /// Demo mode.
        demo: bool,
        /// Why the last session ended.
        problem: Option<String>,
    },
    /// Signed in.
    SignedIn {
        /// Demo mode.
        demo: bool,
        /// Who.
        member: Member,
    },
}
