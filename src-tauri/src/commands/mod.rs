//! Commands, grouped by feature. Each is a few lines: take state, call the core, map errors.

pub mod account;
pub mod calendar;
pub mod contacts;
pub mod data;
pub mod evidence;
pub mod links;
pub mod mail;
pub mod search;
pub mod sync;

/// The app's core, shared by every command.
pub type Core<'a> = tauri::State<'a, std::sync::Arc<companion_app::Companion>>;

/// Tells the views which collections changed, so they reload.
pub fn changed(app: &tauri::AppHandle, collections: &[&str]) {
    use tauri::Emitter;
    let _ = app.emit("data-changed", serde_json::json!({ "collections": collections }));
}
