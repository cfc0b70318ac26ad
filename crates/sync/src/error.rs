//! The sync engine's errors.

/// Why a sync stopped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SyncError {
    /// Graph failed (signed out, throttled beyond patience, offline…).
    #[error(transparent)]
    Graph(#[from] companion_graph::GraphError),
    /// The vault failed (full disk…).
    #[error(transparent)]
    Vault(#[from] companion_vault::VaultError),
    /// The council's committee site failed.
    #[error(transparent)]
    CommitteeSite(#[from] companion_moderngov::ModernGovError),
    /// Graph kept resetting a collection's sync state.
    #[error("the {0} sync kept being reset by the server")]
    ResetLoop(String),
    /// A page had neither a next link nor a delta link, or a link that leads away from Graph.
    #[error("Graph sent a page that ends nowhere or leads elsewhere")]
    Malformed,
}
