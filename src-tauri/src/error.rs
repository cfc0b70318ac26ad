//! The one error the UI sees: a closed set of kinds it can act on, and a plain message.

use serde::Serialize;

/// What kind of failure this is, so the UI can decide what to offer (sign in, retry, wait).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ErrorKind {
    /// The demo tenant is not running.
    Unavailable,
    /// Nobody is signed in.
    SignedOut,
    /// Signing in failed.
    SignIn,
    /// Something asked for is gone.
    NotFound,
    /// The request did not make sense.
    Invalid,
    /// Something unexpected; the message says what can be done.
    Internal,
}

/// An error crossing to the UI. The message is plain British English and never holds a
/// token, a key or mail content.
#[derive(Debug, Clone, Serialize, thiserror::Error)]
#[serde(rename_all = "camelCase")]
#[error("{message}")]
pub struct AppError {
    /// What the UI can do about it.
    pub kind: ErrorKind,
    /// What to tell the member.
    pub message: String,
}

impl AppError {
    /// An error of `kind` with `message`.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self { kind, message: message.into() }
    }
}

impl From<companion_app::AppCoreError> for AppError {
    fn from(e: companion_app::AppCoreError) -> Self {
        use companion_app::AppCoreError as E;
        let kind = match &e {
            E::SignedOut => ErrorKind::SignedOut,
            E::SignIn(_) => ErrorKind::SignIn,
            E::NotFound(_) => ErrorKind::NotFound,
            E::Invalid(_) => ErrorKind::Invalid,
            _ => ErrorKind::Internal,
        };
        Self::new(kind, e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_serialises_as_kind_and_message() {
        let e = AppError::new(ErrorKind::Unavailable, "The demo council is not running.");
        assert_eq!(
            serde_json::to_value(&e).expect("serialises"),
            serde_json::json!({"kind": "unavailable", "message": "The demo council is not running."})
        );
    }
}
