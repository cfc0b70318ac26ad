use thiserror::Error;

/// What can go wrong in the app's core, each with a message a member can read.
#[derive(Debug, Error)]
pub enum AppCoreError {
    /// Nobody is signed in.
    #[error("Please sign in with your council account first.")]
    SignedOut,
    /// Signing in failed; the message is the plain one for the problem.
    #[error("{0}")]
    SignIn(String),
    /// The configuration file or environment is wrong.
    #[error("Member Companion is not set up correctly: {0}")]
    Config(String),
    /// The keyring could not be used.
    #[error("The phone's secure storage could not be used: {0}")]
    Keyring(String),
    /// The cache failed.
    #[error("Your saved mail could not be read or written: {0}")]
    Vault(String),
    /// Syncing failed.
    #[error("{0}")]
    Sync(String),
    /// Something asked for does not exist (any more).
    #[error("{0} could not be found. It may have been deleted.")]
    NotFound(&'static str),
    /// A request that does not make sense.
    #[error("{0}")]
    Invalid(String),
}

impl From<companion_vault::VaultError> for AppCoreError {
    fn from(e: companion_vault::VaultError) -> Self {
        Self::Vault(e.to_string())
    }
}

impl From<companion_sync::SyncError> for AppCoreError {
    fn from(e: companion_sync::SyncError) -> Self {
        Self::Sync(e.to_string())
    }
}

impl From<companion_allowance::AllowanceError> for AppCoreError {
    fn from(e: companion_allowance::AllowanceError) -> Self {
        Self::Invalid(e.to_string())
    }
}

impl From<companion_keystore::KeystoreError> for AppCoreError {
    fn from(e: companion_keystore::KeystoreError) -> Self {
        Self::Keyring(e.to_string())
    }
}
