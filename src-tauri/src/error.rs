//! The one error the UI sees: the core's kind, which the UI branches on, and a plain message.

use companion_app::{AppCoreError, ErrorKind};
use serde::Serialize;

/// An error crossing to the UI. The message is plain British English and never holds a
/// token, a key or mail content.
#[derive(Debug, Clone, Serialize, specta::Type, thiserror::Error)]
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

impl From<AppCoreError> for AppError {
    fn from(e: AppCoreError) -> Self {
        // The engineers' log gets the cause chain; the member gets the plain message.
        if matches!(e.kind(), ErrorKind::Storage | ErrorKind::Internal) {
            tracing::warn!(error = ?e, "a command failed");
        }
        Self::new(e.kind(), e.to_string())
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

    #[test]
    fn a_core_error_keeps_its_kind_at_the_boundary() {
        let e = AppError::from(AppCoreError::SignedOut);
        assert_eq!(serde_json::to_value(&e).expect("serialises")["kind"], "signInRequired");
    }
}
