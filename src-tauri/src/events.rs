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
            notify(app, &alert.title, &alert.body);
            AllowanceAlertEvent(alert).emit(app)
        }
        // Only the system shows it: the window already shows the new mail.
        CoreEvent::NewMail(notice) => {
            notify(app, &notice.title, &notice.body);
            Ok(())
        }
        CoreEvent::MeetingReminder(notice) => {
            notify(app, &notice.title, &notice.body);
            Ok(())
        }
    };
    if let Err(e) = sent {
        tracing::warn!(error = %e, "an event could not reach the window");
    }
}

/// Shows a system notification: an allowance warning (each fires once per cycle; the core
/// remembers which have been shown), a meeting's reminder, or the new-mail summary (private unless the member and the
/// council allow details; the core decides its words). Opening the message from the
/// notification needs the phone builds: on desktop the plugin shows it without actions.
fn notify(app: &tauri::AppHandle, title: &str, body: &str) {
    use tauri_plugin_notification::NotificationExt;
    if let Err(e) = app.notification().builder().title(title).body(body).show() {
        // The words are not logged: with details on, they name a sender and a subject.
        tracing::warn!(error = %e, "a notification could not be shown");
    }
}
