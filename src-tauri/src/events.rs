//! The events the core sends the window, typed for the generated bindings. Each wraps a core
//! view; its name is the one the UI listens for.

use companion_app::views::{AllowanceAlert, CoreEvent, DataChanged, SyncProgress, SyncStatus};
use serde::Serialize;
use tauri_specta::Event;

/// Parts of what the app shows changed: the views reload them.
#[derive(Debug, Clone, Serialize, specta::Type, Event)]
#[tauri_specta(event_name = "data-changed")]
pub struct DataChangedEvent(pub DataChanged);

/// The cache's status changed.
#[derive(Debug, Clone, Serialize, specta::Type, Event)]
#[tauri_specta(event_name = "sync-status")]
pub struct SyncStatusEvent(pub SyncStatus);

/// An update's progress.
#[derive(Debug, Clone, Serialize, specta::Type, Event)]
#[tauri_specta(event_name = "sync-progress")]
pub struct SyncProgressEvent(pub SyncProgress);

/// A data-allowance threshold was crossed (also a system notification).
#[derive(Debug, Clone, Serialize, specta::Type, Event)]
#[tauri_specta(event_name = "allowance-alert")]
pub struct AllowanceAlertEvent(pub AllowanceAlert);

/// Sends one core event to the window (and allowance warnings to the system's notifications).
pub fn forward(app: &tauri::AppHandle, event: CoreEvent) {
    let sent = match event {
        CoreEvent::Changed(changed) => DataChangedEvent(changed).emit(app),
        CoreEvent::SyncStatus(status) => SyncStatusEvent(status).emit(app),
        CoreEvent::SyncProgress(progress) => SyncProgressEvent(progress).emit(app),
        CoreEvent::AllowanceAlert(alert) => {
            notify(app, &alert);
            AllowanceAlertEvent(alert).emit(app)
        }
    };
    if let Err(e) = sent {
        tracing::warn!(error = %e, "an event could not reach the window");
    }
}

/// Shows an allowance warning as a system notification (each fires once per cycle; the core
/// remembers which have been shown).
fn notify(app: &tauri::AppHandle, alert: &AllowanceAlert) {
    use tauri_plugin_notification::NotificationExt;
    if let Err(e) = app.notification().builder().title(&alert.title).body(&alert.body).show() {
        tracing::warn!(error = %e, percent = alert.percent, "an allowance notification could not be shown");
    }
}
