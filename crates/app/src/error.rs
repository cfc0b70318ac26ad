//! The app core's one error: each variant keeps its cause (`#[source]`) for the engineers' log,
//! says in plain British English what the member can do, and has an [`ErrorKind`] the UI
//! branches on. No message ever holds a token, a key or mail content.

use companion_graph::GraphError;
use serde::Serialize;
use thiserror::Error;

/// What kind of failure this is, so the UI can decide what to do (show the cache and say
/// "offline", go to sign-in, wait, retry).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum ErrorKind {
    /// The council's service cannot be reached: show what is cached and say so.
    Offline,
    /// The council's service asked the app to slow down: it will try again by itself.
    Throttled,
    /// Nobody is signed in, or the session has ended: go to sign-in.
    SignInRequired,
    /// Signing in did not work; the message says why.
    SignInFailed,
    /// The app is locked: unlock first.
    Locked,
    /// Something asked for is gone.
    NotFound,
    /// The request did not make sense (a bad address, an empty reply).
    Invalid,
    /// The device's storage (the vault, the keyring, a file) failed.
    Storage,
    /// Something unexpected; the message says what can be done.
    Internal,
    /// The app's core is not running (a page opened outside the app, a demo without its tenant).
    Unavailable,
}

/// What can go wrong in the app's core.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum AppCoreError {
    /// Nobody is signed in.
    #[error("Please sign in with your council account first.")]
    SignedOut,
    /// Signing in failed; the message is the plain one for the problem.
    #[error("{0}")]
    SignIn(String),
    /// The council's service could not be reached.
    #[error("You're offline, or the council's service can't be reached. What is saved on this device is still here.")]
    Offline(#[source] GraphError),
    /// The council's service is busy and asked the app to wait.
    #[error("The council's service is busy. The app will try again shortly.")]
    Throttled(#[source] GraphError),
    /// The council's sign-in ended (the refresh token was refused).
    #[error("Your council sign-in has ended. Please sign in again.")]
    SessionEnded(#[source] GraphError),
    /// The council's service answered in a way the app cannot use.
    #[error("The council's service did not answer as expected. Please try again later.")]
    Service(#[source] GraphError),
    /// The update stopped for a reason of the sync engine's own.
    #[error("The update did not finish: {0}")]
    Update(#[source] companion_sync::SyncError),
    /// The configuration file or environment is wrong.
    #[error("Member Companion is not set up correctly: {0}")]
    Config(String),
    /// The keyring could not be used.
    #[error("The device's secure storage could not be used.")]
    Keyring(#[source] companion_keystore::KeystoreError),
    /// The PIN's secret is in the desktop's keyring, which this start could not reach: the
    /// cache is kept for a start that can.
    #[error(
        "Your desktop's keyring, which holds the app's half of your PIN, could not be reached when Member Companion started. Unlock the keyring (or sign in to your desktop again), then restart Member Companion. Nothing has been removed."
    )]
    KeyringAway,
    /// The keyring holds a vault key that cannot be one.
    #[error("The device's secure storage holds a key the app cannot use.")]
    BadKey,
    /// The cache failed.
    #[error("{}", vault_message(.0))]
    Vault(#[source] companion_vault::VaultError),
    /// The cache could not be opened.
    #[error("Your saved mail could not be opened: {0}")]
    VaultOpen(#[source] companion_vault::OpenError),
    /// The trial's saved answers failed.
    #[error("Your trial answers could not be read or saved.")]
    Evidence(#[source] companion_evidence::StoreError),
    /// A file the app writes (an attachment to open) could not be written.
    #[error("The file could not be saved on this device.")]
    File(#[source] std::io::Error),
    /// Something asked for does not exist (any more).
    #[error("{0} could not be found. It may have been deleted.")]
    NotFound(&'static str),
    /// A request that does not make sense.
    #[error("{0}")]
    Invalid(String),
    /// The app is locked (or no PIN has been chosen yet).
    #[error("Member Companion is locked. Enter your PIN to continue.")]
    Locked,
    /// The app has not reached the council for longer than the council allows.
    #[error("Member Companion needs to reach the council before it shows your mail again.")]
    ReachCouncil,
    /// A PIN was typed while the wait after wrong PINs was still running.
    #[error("Please wait {0} seconds before trying your PIN again.")]
    TooSoon(u64),
    /// A PIN, the sealed key or the protection policy.
    #[error("{0}")]
    Protection(#[source] companion_protection::ProtectionError),
    /// The council disabled or deleted the member's account; the app has wiped itself.
    #[error("Your council account is disabled or no longer exists, so Member Companion removed your council data from this device.")]
    AccountGone(#[source] GraphError),
    /// The council's committee site failed.
    #[error("{0}")]
    CommitteeSite(#[source] companion_moderngov::ModernGovError),
    /// Someone other than the member whose data is cached signed in; the app has wiped itself.
    #[error("A different council account signed in, so the previous member's data was removed from this device. Choose a PIN and sign in again.")]
    DifferentAccount,
}

impl AppCoreError {
    /// What the UI can do about it.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::SignedOut | Self::SessionEnded(_) => ErrorKind::SignInRequired,
            Self::SignIn(_) => ErrorKind::SignInFailed,
            Self::Offline(_) => ErrorKind::Offline,
            Self::Throttled(_) => ErrorKind::Throttled,
            Self::NotFound(_) => ErrorKind::NotFound,
            Self::Invalid(_) => ErrorKind::Invalid,
            Self::Keyring(_)
            | Self::KeyringAway
            | Self::BadKey
            | Self::Vault(_)
            | Self::VaultOpen(_)
            | Self::Evidence(_)
            | Self::File(_) => ErrorKind::Storage,
            Self::Service(_) | Self::Update(_) | Self::Config(_) => ErrorKind::Internal,
            Self::CommitteeSite(e) => match e {
                e if e.is_transient() => ErrorKind::Offline,
                companion_moderngov::ModernGovError::Restricted
                | companion_moderngov::ModernGovError::TooLarge { .. } => ErrorKind::Invalid,
                _ => ErrorKind::Internal,
            },
            Self::Locked | Self::ReachCouncil | Self::TooSoon(_) | Self::AccountGone(_) | Self::DifferentAccount => {
                ErrorKind::Locked
            }
            Self::Protection(p) => match p {
                companion_protection::ProtectionError::PinFormat(_)
                | companion_protection::ProtectionError::WrongPin => ErrorKind::Invalid,
                companion_protection::ProtectionError::Policy(_) => ErrorKind::Internal,
                _ => ErrorKind::Storage,
            },
        }
    }

    /// A short code for diagnostics and the usage report: the kind of failure, never its text
    /// (which may name an item).
    pub fn code(&self) -> String {
        match self {
            Self::Offline(_) => "network".into(),
            Self::Throttled(_) => "throttled".into(),
            Self::SessionEnded(_) | Self::SignedOut => "sign-in-required".into(),
            Self::Service(GraphError::Refused { status, code }) => {
                format!(
                    "refused-{status}-{}",
                    code.chars().filter(char::is_ascii_alphanumeric).take(40).collect::<String>()
                )
            }
            Self::Service(GraphError::Malformed(_)) => "malformed-answer".into(),
            Self::Service(GraphError::TooLarge { .. }) => "answer-too-large".into(),
            Self::Service(_) => "graph".into(),
            Self::Update(companion_sync::SyncError::Malformed) => "malformed-answer".into(),
            Self::Update(_) => "sync".into(),
            Self::Vault(_) | Self::VaultOpen(_) | Self::Evidence(_) | Self::File(_) => "vault".into(),
            Self::Keyring(_) | Self::BadKey => "keyring".into(),
            Self::KeyringAway => "keyring-away".into(),
            other => format!("{:?}", other.kind()).to_lowercase(),
        }
    }
}

impl From<GraphError> for AppCoreError {
    fn from(e: GraphError) -> Self {
        match e {
            GraphError::Network(_) => Self::Offline(e),
            // Given up after every try: throttled if the last answer was a 429, else unreachable.
            GraphError::GaveUp { ref last, .. } if last.contains("429") => Self::Throttled(e),
            GraphError::GaveUp { .. } => Self::Offline(e),
            GraphError::Refused { status: 429, .. } => Self::Throttled(e),
            GraphError::SignInRequired => Self::SessionEnded(e),
            GraphError::AccountGone { .. } => Self::AccountGone(e),
            _ => Self::Service(e),
        }
    }
}

impl From<companion_sync::SyncError> for AppCoreError {
    fn from(e: companion_sync::SyncError) -> Self {
        match e {
            companion_sync::SyncError::Graph(g) => g.into(),
            companion_sync::SyncError::Vault(v) => Self::Vault(v),
            companion_sync::SyncError::CommitteeSite(m) => Self::CommitteeSite(m),
            other => Self::Update(other),
        }
    }
}

impl From<companion_vault::VaultError> for AppCoreError {
    fn from(e: companion_vault::VaultError) -> Self {
        Self::Vault(e)
    }
}

impl From<companion_allowance::AllowanceError> for AppCoreError {
    fn from(e: companion_allowance::AllowanceError) -> Self {
        match e {
            // A failing ledger is the device's storage, not the member's request.
            companion_allowance::AllowanceError::Vault(v) => Self::Vault(v),
            other => Self::Invalid(other.to_string()),
        }
    }
}

impl From<companion_protection::ProtectionError> for AppCoreError {
    fn from(e: companion_protection::ProtectionError) -> Self {
        Self::Protection(e)
    }
}

impl From<companion_keystore::KeystoreError> for AppCoreError {
    fn from(e: companion_keystore::KeystoreError) -> Self {
        Self::Keyring(e)
    }
}

impl From<companion_evidence::StoreError> for AppCoreError {
    fn from(e: companion_evidence::StoreError) -> Self {
        match e {
            companion_evidence::StoreError::NotFound => Self::NotFound("That survey response"),
            other => Self::Evidence(other),
        }
    }
}

fn vault_message(e: &companion_vault::VaultError) -> &'static str {
    match e {
        companion_vault::VaultError::DiskFull => {
            "This device is out of storage space. Nothing saved was lost; free some space and try again."
        }
        _ => "Your saved mail could not be read or written.",
    }
}

/// Results in this crate.
pub type Result<T, E = AppCoreError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dropped_connection_is_offline_and_a_refused_token_needs_sign_in() {
        assert_eq!(AppCoreError::from(GraphError::Network("reset".into())).kind(), ErrorKind::Offline);
        assert_eq!(
            AppCoreError::from(GraphError::GaveUp { attempts: 7, last: "network failure: reset".into() }).kind(),
            ErrorKind::Offline
        );
        assert_eq!(
            AppCoreError::from(GraphError::GaveUp { attempts: 7, last: "Graph answered 429 TooManyRequests".into() })
                .kind(),
            ErrorKind::Throttled
        );
        assert_eq!(AppCoreError::from(GraphError::SignInRequired).kind(), ErrorKind::SignInRequired);
        assert_eq!(
            AppCoreError::from(GraphError::Refused { status: 400, code: "BadRequest".into() }).kind(),
            ErrorKind::Internal
        );
    }

    #[test]
    fn an_allowance_failure_in_the_vault_is_storage_not_invalid() {
        let e = AppCoreError::from(companion_allowance::AllowanceError::Vault(companion_vault::VaultError::Corrupt));
        assert_eq!(e.kind(), ErrorKind::Storage);
        let e = AppCoreError::from(companion_allowance::AllowanceError::Locked("the cap"));
        assert_eq!(e.kind(), ErrorKind::Invalid);
    }

    #[test]
    fn the_cause_is_kept_for_the_log() {
        let e = AppCoreError::from(GraphError::Network("connection reset by peer".into()));
        let source = std::error::Error::source(&e).map(ToString::to_string).unwrap_or_default();
        assert!(source.contains("connection reset"), "{source}");
        assert!(!e.to_string().contains("reset"), "the member's message is plain: {e}");
    }
}
