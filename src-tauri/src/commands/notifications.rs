//! Notification settings.

use super::Core;
use crate::error::AppError;
use companion_app::views::NotificationSettings;

/// The member's notification settings, with the council's part beside them.
#[tauri::command]
#[specta::specta]
pub async fn notifications_settings(core: Core<'_>) -> Result<NotificationSettings, AppError> {
    Ok(core.notifications.settings()?)
}

/// Keeps the member's notification settings.
#[tauri::command]
#[specta::specta]
pub async fn notifications_set_settings(
    core: Core<'_>,
    settings: NotificationSettings,
) -> Result<NotificationSettings, AppError> {
    Ok(core.notifications.set_settings(&settings)?)
}
