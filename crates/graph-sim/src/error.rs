//! Errors of the simulator's own API (not the Graph errors it serves).

/// What can go wrong when starting or driving the simulator.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SimError {
    /// The listening socket could not be bound.
    #[error("could not listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: String,
        /// The operating system's reason.
        #[source]
        source: std::io::Error,
    },
    /// The configuration cannot produce a tenant.
    #[error("invalid simulator configuration: {0}")]
    Config(String),
}
