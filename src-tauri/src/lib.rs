//! Member Companion's Tauri shell: it builds the app's core, registers the commands, and runs.
//! Commands only translate; the work happens in the core crates.

mod commands;
mod demo;
mod error;

pub use error::{AppError, ErrorKind};

use std::sync::Arc;

/// Starts the app (desktop and mobile entry point).
#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    let result = tauri::Builder::default()
        .setup(|app| {
            // Demo mode: the simulated council tenant runs inside the app, on loopback only.
            let demo = tauri::async_runtime::block_on(demo::DemoTenant::start())?;
            let dir = std::env::temp_dir().join(format!("member-companion-demo-{}", std::process::id()));
            std::fs::create_dir_all(&dir)?;
            let core = companion_app::Companion::open(demo.config(), &dir, true)?;
            tauri::Manager::manage(app, Arc::new(core));
            tauri::Manager::manage(app, demo::DemoBrowser);
            tauri::Manager::manage(app, demo);
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::account::account_status,
            commands::account::sign_in,
            commands::account::sign_out,
            commands::sync::sync_status,
            commands::sync::sync_now,
            commands::mail::mail_folders,
            commands::mail::mail_page,
            commands::mail::mail_open,
            commands::mail::mail_fetch_body,
            commands::calendar::calendar_agenda,
            commands::calendar::calendar_event,
            commands::contacts::contacts_list,
            commands::contacts::contacts_get,
            commands::search::search,
            commands::data::data_overview,
            commands::data::data_set_device_usage,
            commands::data::data_set_level,
            commands::data::data_spend_anyway,
            commands::data::data_set_network,
        ])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("Member Companion could not start: {e}");
        std::process::exit(1);
    }
}
