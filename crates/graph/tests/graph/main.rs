//! The Graph client's models and HTTP behaviour.
#![allow(missing_docs)] // test helpers

mod client;
mod fixtures;
mod hostile;
mod oidc;
mod signin;
