//! Whole flows: the built app in its real webview.
#![allow(missing_docs)] // test helpers

mod app;
mod driver;
