//! Updating the cache.

use super::Core;
use crate::error::AppError;
use companion_app::views::SyncStatus;
use tauri::Emitter;

/// The cache's status.
#[tauri::command]
pub fn sync_status(core: Core<'_>) -> SyncStatus {
    core.sync_status()
}

/// Updates now; tells every view the data changed.
#[tauri::command]
pub async fn sync_now(core: Core<'_>, app: tauri::AppHandle) -> Result<SyncStatus, AppError> {
    run_and_tell(core.inner(), &app).await
}

/// Runs an update and tells the window: the new status, then that every collection changed.
pub async fn run_and_tell(core: &companion_app::Companion, app: &tauri::AppHandle) -> Result<SyncStatus, AppError> {
    let _ = app.emit("sync-status", &SyncStatus { running: true, ..core.sync_status() });
    let result = core.sync_now(chrono::Utc::now()).await;
    let status = match result {
        Ok((status, alerts)) => {
            notify(app, &alerts);
            status
        }
        Err(e) => {
            let _ = app.emit("sync-status", &core.sync_status());
            return Err(e.into());
        }
    };
    let _ = app.emit("sync-status", &status);
    let _ = app.emit("data-changed", serde_json::json!({"collections": ["mail", "calendar", "contacts", "outbox", "allowance"]}));
    Ok(status)
}

/// Shows each allowance warning as a system notification (each fires once per cycle; the core
/// remembers which have been shown).
fn notify(app: &tauri::AppHandle, alerts: &[companion_allowance::ThresholdAlert]) {
    use tauri_plugin_notification::NotificationExt;
    for alert in alerts {
        if let Err(e) = app.notification().builder().title(&alert.title).body(&alert.body).show() {
            tracing::warn!(error = %e, percent = alert.percent, "an allowance notification could not be shown");
        }
        let _ = app.emit("allowance-alert", alert);
    }
}

/// Background updates while the app runs: at once when a session resumed, then at the
/// governor's interval for its level and network (15 minutes normally, up to an hour when the
/// allowance is nearly spent).
pub fn schedule(app: tauri::AppHandle, core: std::sync::Arc<companion_app::Companion>) {
    tauri::async_runtime::spawn(async move {
        loop {
            if core.signed_in().await && !core.sync_status().running {
                if let Err(e) = run_and_tell(&core, &app).await {
                    tracing::info!(error = %e.message, "a background update did not finish");
                }
            }
            tokio::time::sleep(core.next_sync_in()).await;
        }
    });
}
