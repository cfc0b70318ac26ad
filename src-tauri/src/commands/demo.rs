//! The demo tenant's first screen.

use crate::demo::DemoTenant;
use crate::error::AppError;
use companion_graph_sim::TenantOverview;
use serde::Serialize;

/// The member, their folders and newest inbox messages, and where the demo tenant runs.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DemoOverview {
    #[serde(flatten)]
    overview: TenantOverview,
    simulator_url: String,
}

/// Shows the demo tenant's member, folders and inbox.
#[tauri::command]
pub fn demo_overview(demo: tauri::State<'_, DemoTenant>) -> Result<DemoOverview, AppError> {
    Ok(DemoOverview { overview: demo.sim.overview(), simulator_url: demo.sim.base_url() })
}
