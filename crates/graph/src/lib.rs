//! Microsoft Graph for Member Companion: the typed models of what the app reads and writes,
//! and a metered HTTP client that obeys Graph's throttling.
//!
//! Models ignore fields they do not know and default those that are missing, so a Graph that
//! grows new fields does not break the app; a field of the wrong type is an error that names it.

mod client;
mod error;
mod models;
mod signin;

pub use client::{
    Feature, FixedNetwork, GraphClient, GraphRequest, GraphResponse, Meter, Network, NetworkProbe, NoMeter,
    StaticToken, TokenSource, Traffic, UploadPiece, MAILBOX_CONCURRENCY, MAX_ANSWER_BYTES, MAX_ATTEMPTS,
};
pub use error::GraphError;
pub use models::*;
/// HTTP methods, for building requests.
pub use reqwest::Method;
/// HTTP status codes, for reading answers.
pub use reqwest::StatusCode;
pub use signin::{
    DeviceCodeSignIn, KeepRefreshToken, LoopbackRedirect, PendingSignIn, Secret, SessionTokens, SignIn, SignInConfig,
    SignInError, SignInProblem, TokenSet, DEFAULT_SCOPES,
};
