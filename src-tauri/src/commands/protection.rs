//! The app lock: choosing the PIN, unlocking, locking, changing or forgetting the PIN, and
//! the idle clock the UI keeps running.

use super::Core;
use crate::error::AppError;
use chrono::Utc;
use companion_app::views::{ProtectionSettings, ProtectionStatus};

/// Where the lock stands (choose a PIN, locked, reach the council, unlocked).
#[tauri::command]
#[specta::specta]
pub async fn protection_status(core: Core<'_>) -> Result<ProtectionStatus, AppError> {
    Ok(core.protection.status(Utc::now()))
}

/// The first PIN, after the first start or a wipe.
#[tauri::command]
#[specta::specta]
pub async fn protection_choose_pin(core: Core<'_>, pin: String) -> Result<ProtectionStatus, AppError> {
    Ok(core.protection.choose_pin(&pin, Utc::now()).await?)
}

/// Unlocks with the PIN; a wrong PIN answers the locked status with one try fewer.
#[tauri::command]
#[specta::specta]
pub async fn protection_unlock(core: Core<'_>, pin: String) -> Result<ProtectionStatus, AppError> {
    let status = core.protection.unlock(&pin, Utc::now()).await?;
    if matches!(status, ProtectionStatus::Unlocked { .. }) {
        // What arrived while locked comes now, not at the next background turn.
        let core = core.inner().clone();
        tauri::async_runtime::spawn(async move { core.updates.run(Utc::now()).await });
    }
    Ok(status)
}

/// Locks now ("Lock" in the menu, or the app going to the background).
#[tauri::command]
#[specta::specta]
pub async fn protection_lock(core: Core<'_>) -> Result<ProtectionStatus, AppError> {
    Ok(core.protection.lock(Utc::now()).await)
}

/// Changes the PIN (the current one is asked for again).
#[tauri::command]
#[specta::specta]
pub async fn protection_change_pin(core: Core<'_>, current: String, next: String) -> Result<(), AppError> {
    Ok(core.protection.change_pin(&current, &next, Utc::now()).await?)
}

/// "Forgotten your PIN?": wipes, and the member starts again.
#[tauri::command]
#[specta::specta]
pub async fn protection_forget_pin(core: Core<'_>) -> Result<ProtectionStatus, AppError> {
    Ok(core.protection.forget_pin(Utc::now()).await)
}

/// The member did something: the idle lock's clock starts again.
#[tauri::command]
#[specta::specta]
pub async fn protection_touch(core: Core<'_>) -> Result<(), AppError> {
    core.protection.touch();
    Ok(())
}

/// The council's protection settings, as the Security screen shows them.
#[tauri::command]
#[specta::specta]
pub async fn protection_settings(core: Core<'_>) -> Result<ProtectionSettings, AppError> {
    Ok(core.protection.settings()?)
}
