//! Updating the cache.

use super::Core;
use crate::error::AppError;
use companion_app::views::SyncStatus;

/// The cache's status.
#[tauri::command]
#[specta::specta]
pub fn sync_status(core: Core<'_>) -> SyncStatus {
    core.updates.status()
}

/// Updates now (pull to refresh); the views hear what changed through events.
#[tauri::command]
#[specta::specta]
pub async fn sync_now(core: Core<'_>) -> Result<SyncStatus, AppError> {
    Ok(core.updates.run(chrono::Utc::now()).await?)
}
