//! The data allowance. Each change answers with the data screen as it now is.

use super::Core;
use crate::error::AppError;
use companion_app::views::{AllowanceLevel, DataOverview, NetworkChoice};

/// The data screen.
#[tauri::command]
#[specta::specta]
pub async fn data_overview(core: Core<'_>) -> Result<DataOverview, AppError> {
    Ok(core.data.overview(chrono::Utc::now())?)
}

/// The phone's own figure for this cycle (`null`: not known).
#[tauri::command]
#[specta::specta]
pub async fn data_set_device_usage(core: Core<'_>, bytes: Option<u64>) -> Result<DataOverview, AppError> {
    core.data.set_device_usage(bytes, chrono::Utc::now())?;
    data_overview(core).await
}

/// The member's level (`null`: automatic).
#[tauri::command]
#[specta::specta]
pub async fn data_set_level(core: Core<'_>, level: Option<AllowanceLevel>) -> Result<DataOverview, AppError> {
    core.data.set_level(level)?;
    data_overview(core).await
}

/// "Spend this much anyway".
#[tauri::command]
#[specta::specta]
pub async fn data_spend_anyway(core: Core<'_>, bytes: u64) -> Result<DataOverview, AppError> {
    core.data.spend_anyway(bytes)?;
    data_overview(core).await
}

/// The network the computer is on.
#[tauri::command]
#[specta::specta]
pub async fn data_set_network(core: Core<'_>, network: NetworkChoice) -> Result<DataOverview, AppError> {
    core.data.set_network(network)?;
    data_overview(core).await
}
