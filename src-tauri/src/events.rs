//! The events the core sends the window, typed for the generated bindings. Each wraps a core
//! view; its name is the one the UI listens for.

use companion_app::views::{AllowanceAlert, CoreEvent, DataChanged, NoticeTarget, SyncProgress, SyncStatus};
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

/// The member clicked a notification: the window opens what it is about.
#[derive(Debug, Clone, Serialize, specta::Type, Event)]
#[tauri_specta(event_name = "notice-opened")]
pub struct NoticeOpenedEvent(pub NoticeTarget);

/// Sends one core event to the window (and allowance warnings to the system's notifications).
pub fn forward(app: &tauri::AppHandle, event: CoreEvent) {
    let sent = match event {
        CoreEvent::Changed(changed) => DataChangedEvent(changed).emit(app),
        CoreEvent::SyncStatus(status) => SyncStatusEvent(status).emit(app),
        CoreEvent::SyncProgress(progress) => SyncProgressEvent(progress).emit(app),
        CoreEvent::AllowanceAlert(alert) => {
            notify(app, &alert.title, &alert.body, None);
            AllowanceAlertEvent(alert).emit(app)
        }
        // Only the system shows it: the window already shows the new mail.
        CoreEvent::NewMail(notice) => {
            notify(app, &notice.title, &notice.body, Some(notice.target()));
            Ok(())
        }
        CoreEvent::MeetingReminder(notice) => {
            notify(app, &notice.title, &notice.body, Some(notice.target()));
            Ok(())
        }
    };
    if let Err(e) = sent {
        tracing::warn!(error = %e, "an event could not reach the window");
    }
}

/// Shows a system notification: an allowance warning (each fires once per cycle; the core
/// remembers which have been shown), a meeting's reminder, or the new-mail summary (private
/// unless the member and the council allow details; the core decides its words). On the Linux
/// desktop it goes through [`desktop::Notices`], so a click opens its `target`; elsewhere the
/// plugin shows it, and opening it from there needs the phone builds (not built here).
fn notify(app: &tauri::AppHandle, title: &str, body: &str, target: Option<NoticeTarget>) {
    #[cfg(all(target_os = "linux", not(target_os = "android")))]
    {
        let (app, title, body) = (app.clone(), title.to_owned(), body.to_owned());
        tauri::async_runtime::spawn(async move {
            let shown = match tauri::Manager::try_state::<desktop::Notices>(&app) {
                Some(notices) => notices.show(&app, &title, &body, target).await,
                None => false,
            };
            if !shown {
                notify_through_plugin(&app, &title, &body);
            }
        });
    }
    #[cfg(not(all(target_os = "linux", not(target_os = "android"))))]
    {
        let _ = target;
        notify_through_plugin(app, title, body);
    }
}

fn notify_through_plugin(app: &tauri::AppHandle, title: &str, body: &str) {
    use tauri_plugin_notification::NotificationExt;
    if let Err(e) = app.notification().builder().title(title).body(body).show() {
        // The words are not logged: with details on, they name a sender and a subject.
        tracing::warn!(error = %e, "a notification could not be shown");
    }
}

/// The Linux desktop's notification server, reached on the session bus the first time there is
/// something to show (not at start: the app's first screen waits for nothing), and again on a
/// later notice if it could not be reached.
#[cfg(all(target_os = "linux", not(target_os = "android")))]
pub mod desktop {
    use super::NoticeOpenedEvent;
    use companion_app::desktop_notices::DesktopNotices;
    use companion_app::views::NoticeTarget;
    use tauri::Manager;
    use tauri_specta::Event;

    /// The connection, once made. A failed attempt is not kept: a desktop session whose bus
    /// comes up after the app is reached on the next notice. A bus that never answers is given
    /// up on after the crate's five seconds, so later notices wait at most that long behind it.
    #[derive(Default)]
    pub struct Notices(tokio::sync::Mutex<Option<DesktopNotices<NoticeTarget>>>);

    impl Notices {
        /// Shows a notice; false when no server took it (the plugin is tried instead).
        pub async fn show(
            &self,
            app: &tauri::AppHandle,
            title: &str,
            body: &str,
            target: Option<NoticeTarget>,
        ) -> bool {
            let mut connection = self.0.lock().await;
            if connection.is_none() {
                *connection = connect(app.clone()).await;
            }
            let Some(notices) = connection.as_ref() else { return false };
            match notices.show(title, body, target).await {
                Ok(_) => true,
                Err(e) => {
                    tracing::warn!(error = %e, "a notification could not be shown");
                    false
                }
            }
        }
    }

    async fn connect(app: tauri::AppHandle) -> Option<DesktopNotices<NoticeTarget>> {
        match DesktopNotices::connect(None, "Member Companion").await {
            Ok((notices, clicks)) => {
                tauri::async_runtime::spawn(clicks.run(move |target| opened(&app, target)));
                Some(notices)
            }
            Err(e) => {
                tracing::info!(error = %e, "the desktop's notifications could not be reached: this one goes through the plugin");
                None
            }
        }
    }

    /// A notice was clicked: the window comes forward and opens what it is about (after the
    /// PIN, when the app is locked).
    fn opened(app: &tauri::AppHandle, target: NoticeTarget) {
        if let Some(window) = app.get_webview_window("main") {
            let _ = window.unminimize();
            let _ = window.show();
            let _ = window.set_focus();
        }
        if let Err(e) = NoticeOpenedEvent(target).emit(app) {
            tracing::warn!(error = %e, "a clicked notification could not reach the window");
        }
    }
}
