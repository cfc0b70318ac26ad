//! Member Companion's Tauri shell: it builds the app's state from the core crates, registers
//! the commands, and runs. Commands only translate; the work happens in the core.

mod commands;
mod demo;
mod error;

pub use error::{AppError, ErrorKind};

/// Starts the app (desktop and mobile entry point).
#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    let result = tauri::Builder::default()
        .setup(|app| {
            // Demo mode: the simulated council tenant runs inside the app, on loopback only.
            let demo = tauri::async_runtime::block_on(demo::DemoTenant::start())?;
            tauri::Manager::manage(app, demo);
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![commands::demo::demo_overview])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("Member Companion could not start: {e}");
        std::process::exit(1);
    }
}
