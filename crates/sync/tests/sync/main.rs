//! The sync engine against the simulator, into a real SQLCipher vault.
#![allow(missing_docs)] // test helpers

mod attachments;
mod bodies;
mod outbox;
mod rounds;
