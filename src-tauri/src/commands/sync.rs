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
        Ok((status, _alerts)) => status,
        Err(e) => {
            let _ = app.emit("sync-status", &core.sync_status());
            return Err(e.into());
        }
    };
    let _ = app.emit("sync-status", &status);
    let _ = app.emit("data-changed", serde_json::json!({"collections": ["mail", "calendar", "contacts", "outbox", "allowance"]}));
    Ok(status)
}
