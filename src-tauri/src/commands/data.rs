//! The data allowance.

use super::Core;
use crate::error::AppError;
use companion_allowance::Level;

/// The data screen.
#[tauri::command]
pub fn data_overview(core: Core<'_>) -> Result<serde_json::Value, AppError> {
    Ok(core.data_overview(chrono::Utc::now())?)
}

/// The phone's own figure.
#[tauri::command]
pub fn data_set_device_usage(core: Core<'_>, bytes: Option<u64>) -> Result<serde_json::Value, AppError> {
    core.set_device_usage(bytes, chrono::Utc::now())?;
    data_overview(core)
}

/// The member's level (`null`: automatic).
#[tauri::command]
pub fn data_set_level(core: Core<'_>, level: Option<Level>) -> Result<serde_json::Value, AppError> {
    core.set_level(level)?;
    data_overview(core)
}

/// "Spend this much anyway".
#[tauri::command]
pub fn data_spend_anyway(core: Core<'_>, bytes: u64) -> Result<serde_json::Value, AppError> {
    core.spend_anyway(bytes);
    data_overview(core)
}

/// The computer's network.
#[tauri::command]
pub fn data_set_network(core: Core<'_>, network: String) -> Result<serde_json::Value, AppError> {
    core.set_network(network == "mobile")?;
    data_overview(core)
}
