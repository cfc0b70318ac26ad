//! Member Companion's Tauri shell: it builds the app's core, registers the commands, forwards
//! the core's events to the window, and runs. Commands only translate; the work happens in
//! `companion-app`.

mod browser;
mod commands;
mod deep_links;
mod error;
mod events;
mod ipc;
mod links;

pub use error::AppError;
pub use ipc::builder as ipc_builder;

use std::sync::Arc;

/// Logs go to stderr, or to the file `MEMBER_COMPANION_LOG_FILE` names (the whole-flow tests
/// read it); `MEMBER_COMPANION_LOG` sets the filter: a level (`debug`) or targets with levels
/// (`companion_sync=debug,info`). Nothing logged ever holds a token, a key or mail content.
fn start_logging() {
    use tracing_subscriber::{filter::Targets, fmt, prelude::*};
    let filter = std::env::var("MEMBER_COMPANION_LOG")
        .ok()
        .and_then(|spec| spec.parse::<Targets>().ok())
        .unwrap_or_else(|| Targets::new().with_default(tracing::Level::INFO));
    let layer = fmt::layer().with_ansi(false);
    let logs = tracing_subscriber::registry().with(filter);
    let file = std::env::var_os("MEMBER_COMPANION_LOG_FILE")
        .and_then(|path| std::fs::OpenOptions::new().create(true).append(true).open(path).ok());
    let _ = match file {
        Some(file) => logs.with(layer.with_writer(std::sync::Mutex::new(file))).try_init(),
        None => logs.with(layer.with_writer(std::io::stderr)).try_init(),
    };
}

/// Builds the core: against the council's tenant when a configuration is given (see the
/// README's "Configuration"), otherwise against the demo tenant inside the app (builds with
/// the `demo` feature, the default).
fn build_core(app: &mut tauri::App) -> Result<(), Box<dyn std::error::Error>> {
    use tauri::Manager;
    let core = match companion_app::AppConfig::from_environment()? {
        Some(config) => {
            let dir = match &config.data_dir {
                Some(dir) => dir.clone(),
                None => app.path().app_data_dir()?,
            };
            std::fs::create_dir_all(&dir)?;
            // Starts locked (or choosing a PIN): unlocking resumes the last session.
            let core = companion_app::Companion::open(config, &dir, false)?;
            app.manage(browser::SignInBrowser::System(app.handle().clone()));
            core
        }
        None => demo_core(app)?,
    };
    // Before the core can tell of anything: the desktop's notices, clicked to open their target.
    #[cfg(all(target_os = "linux", not(target_os = "android")))]
    app.manage(events::desktop::Notices::default());
    let window = app.handle().clone();
    core.subscribe(Arc::new(move |event| events::forward(&window, event)));
    let core = Arc::new(core);
    app.manage(core.clone());
    deep_links::listen(app, core.clone());
    let idle = core.clone();
    tauri::async_runtime::spawn(async move { idle.protection.lock_when_idle().await });
    let reminders = core.clone();
    tauri::async_runtime::spawn(async move { reminders.notifications.run_reminders().await });
    tauri::async_runtime::spawn(async move { core.updates.run_in_background().await });
    Ok(())
}

/// Demo mode: the simulated council tenant inside the app, on loopback only.
#[cfg(feature = "demo")]
fn demo_core(app: &mut tauri::App) -> Result<companion_app::Companion, Box<dyn std::error::Error>> {
    use tauri::Manager;
    let demo = tauri::async_runtime::block_on(companion_app::demo::DemoTenant::start())?;
    let dir = std::env::temp_dir().join(format!("member-companion-demo-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    // A new data folder each run: the member chooses a PIN, which also clears what an earlier
    // run left in the keyring.
    let core = companion_app::Companion::open(demo.config()?, &dir, true)?;
    app.manage(browser::SignInBrowser::Demo);
    app.manage(DemoRun { tenant: demo, dir });
    Ok(core)
}

/// The demo's tenant and data folder, removed when the app exits.
#[cfg(feature = "demo")]
struct DemoRun {
    tenant: companion_app::demo::DemoTenant,
    dir: std::path::PathBuf,
}

/// At exit the app locks (the key leaves memory, attachments opened for the viewer go); a demo
/// run also leaves nothing behind (a council build keeps its locked cache).
fn clean_up_at_exit(app: &tauri::AppHandle) {
    if let Some(core) = tauri::Manager::try_state::<Arc<companion_app::Companion>>(app) {
        tauri::async_runtime::block_on(core.protection.lock(chrono::Utc::now()));
    }
    #[cfg(feature = "demo")]
    if let Some(demo) = tauri::Manager::try_state::<DemoRun>(app) {
        demo.tenant.clean_up(&demo.dir);
    }
}

/// A council build has no demo tenant: it needs its configuration.
#[cfg(not(feature = "demo"))]
fn demo_core(_app: &mut tauri::App) -> Result<companion_app::Companion, Box<dyn std::error::Error>> {
    Err(Box::new(companion_app::AppCoreError::Config(
        "no configuration: set MEMBER_COMPANION_CONFIG (see the README's Configuration)".into(),
    )))
}

/// Starts the app (desktop and mobile entry point).
#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    start_logging();
    let events = ipc::events();
    let builder = tauri::Builder::default()
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_deep_link::init())
        .plugin(tauri_plugin_notification::init());
    // Phones: the biometric prompt, registered for the unlock described in docs/protection.md
    // (not built on CI, which has no mobile toolchain).
    #[cfg(mobile)]
    let builder = builder.plugin(tauri_plugin_biometric::init());
    let built = builder
        .invoke_handler(ipc::invoke_handler())
        .setup(move |app| {
            events.mount_events(app);
            links::open_main_window(app)?;
            build_core(app)
        })
        .build(tauri::generate_context!());
    match built {
        Ok(app) => app.run(|handle, event| {
            if let tauri::RunEvent::Exit = event {
                clean_up_at_exit(handle);
            }
        }),
        Err(e) => {
            eprintln!("Member Companion could not start: {e}");
            std::process::exit(1);
        }
    }
}
