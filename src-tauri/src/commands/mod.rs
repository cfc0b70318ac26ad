//! Commands, grouped by feature. Each is a few lines: take state, call the core, map errors.

pub mod account;
pub mod calendar;
pub mod contacts;
pub mod data;
pub mod mail;
pub mod search;
pub mod sync;

/// The app's core, shared by every command.
pub type Core<'a> = tauri::State<'a, std::sync::Arc<companion_app::Companion>>;
