//! Commands, grouped by feature. Each is a few lines: take the core, call one service, map
//! the error. What changed reaches the window through the core's events, not from here.

pub mod account;
pub mod calendar;
pub mod contacts;
pub mod data;
pub mod mail;
pub mod notifications;
pub mod papers;
pub mod protection;
pub mod trial;
pub mod updates;

/// The app's core, shared by every command.
pub type Core<'a> = tauri::State<'a, std::sync::Arc<companion_app::Companion>>;
