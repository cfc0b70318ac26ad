//! Starts Xvfb (when there is no display), `tauri-driver` and a WebDriver session on the built
//! app, and saves a screenshot when a test fails.

use fantoccini::{Client, ClientBuilder, Locator};
use futures_util::FutureExt;
use std::net::TcpStream;
use std::os::unix::process::CommandExt;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The app binary under test: `COMPANION_APP_BIN`, or the workspace's debug build.
pub fn app_binary() -> PathBuf {
    std::env::var_os("COMPANION_APP_BIN").map(PathBuf::from).unwrap_or_else(|| {
        let target =
            std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| workspace_root().join("target"));
        target.join("debug").join("member-companion")
    })
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).unwrap_or(4444)
}

fn wait_for_port(port: u16, within: Duration) -> bool {
    let start = Instant::now();
    while start.elapsed() < within {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}

/// The processes below `root` (children, grandchildren, …), read from `/proc`.
fn descendants(root: u32) -> Vec<u32> {
    let mut parent_of = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else { continue };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else { continue };
        // "pid (comm) state ppid …": comm may hold spaces, so read after the last ')'.
        let ppid = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1))
            .and_then(|p| p.parse::<u32>().ok());
        if let Some(ppid) = ppid {
            parent_of.push((pid, ppid));
        }
    }
    let mut found = vec![root];
    let mut i = 0;
    while i < found.len() {
        let p = found[i];
        found.extend(parent_of.iter().filter(|(_, pp)| *pp == p).map(|(c, _)| *c));
        i += 1;
    }
    found.remove(0);
    found
}

/// Kills a child process and everything it started when dropped, so a failing test leaves
/// nothing running (tauri-driver's WebKitWebDriver and the app included). Only positive pids
/// of our own descendants are signalled: never a process group, which `kill` may read as
/// "everything".
struct Reaped(Child);
impl Drop for Reaped {
    fn drop(&mut self) {
        for pid in descendants(self.0.id()).into_iter().rev() {
            let _ = Command::new("kill")
                .args(["-s", "KILL", &pid.to_string()])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
        // Ask the child itself to stop first, so Xvfb removes its lock file, then make sure.
        let _ = Command::new("kill")
            .args(["-s", "TERM", &self.0.id().to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        std::thread::sleep(Duration::from_millis(200));
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// One app at a time: the tests of this binary run in parallel threads, but two webviews and
/// their syncs at once on a 2-core machine only make each other slow.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// One run of the app under WebDriver.
pub struct AppSession {
    pub client: Client,
    /// When the WebDriver session (and so the app) was asked to start: cold-start timings
    /// count from here (the app-start benchmark reads it).
    #[allow(dead_code)]
    pub started: Instant,
    log: PathBuf,
    _driver: Reaped,
    _xvfb: Option<Reaped>,
    /// Last, so the next test waits until this app and its driver are gone.
    _turn: tokio::sync::MutexGuard<'static, ()>,
}

impl AppSession {
    /// Launches the app with `env` set, and waits for its window.
    pub async fn launch(env: &[(&str, &str)]) -> AppSession {
        Self::launch_binary(&app_binary(), env).await
    }

    /// Launches `bin` (e.g. a release build) with `env` set, and waits for its window.
    pub async fn launch_binary(bin: &std::path::Path, env: &[(&str, &str)]) -> AppSession {
        // An async lock: the turn is held across the whole session's awaits (and a test that
        // failed while holding it does not poison it).
        let turn = ONE_AT_A_TIME.lock().await;
        let bin = bin.to_path_buf();
        assert!(bin.exists(), "the app binary {} is missing: run `make test`, which builds it first", bin.display());
        let mut xvfb = None;
        let display = match std::env::var("DISPLAY") {
            Ok(d) if !d.is_empty() => d,
            _ => {
                let n = 90 + (std::process::id() % 500);
                let child = Command::new("Xvfb")
                    .args([
                        format!(":{n}"),
                        "-screen".into(),
                        "0".into(),
                        "1280x1024x24".into(),
                        "-nolisten".into(),
                        "tcp".into(),
                    ])
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .process_group(0)
                    .spawn()
                    .expect("Xvfb runs (install the xvfb package)");
                xvfb = Some(Reaped(child));
                std::thread::sleep(Duration::from_millis(500));
                format!(":{n}")
            }
        };
        let (port, native) = (free_port(), free_port());
        let driver_bin = which("tauri-driver").expect("tauri-driver is installed (cargo install tauri-driver)");
        // The driver's output holds the app's log (never a token or mail): shown when a test fails.
        let log_dir = workspace_root().join("target").join("whole-logs");
        let _ = std::fs::create_dir_all(&log_dir);
        let log = log_dir.join(format!("app-{}-{port}.log", std::process::id()));
        let log_file = std::fs::File::create(&log).expect("a log file");
        let mut cmd = Command::new(driver_bin);
        cmd.args(["--port", &port.to_string(), "--native-port", &native.to_string()])
            .env("DISPLAY", &display)
            // Software rendering: Xvfb has no GPU, and WebKit's compositing path fails without one.
            .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
            .env("LIBGL_ALWAYS_SOFTWARE", "1")
            .env("MEMBER_COMPANION_LOG", "info")
            .env("MEMBER_COMPANION_LOG_FILE", &log)
            .stdout(log_file.try_clone().map(Stdio::from).unwrap_or_else(|_| Stdio::null()))
            .stderr(Stdio::from(log_file))
            .process_group(0);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let driver = Reaped(cmd.spawn().expect("tauri-driver starts"));
        assert!(wait_for_port(port, Duration::from_secs(20)), "tauri-driver did not listen on {port}");
        // tauri-driver listens at once but forwards the session to WebKitWebDriver, which it
        // starts alongside: asked before that listens, the session fails ("Connection refused"
        // in the driver's log), as it once did in CI.
        assert!(wait_for_port(native, Duration::from_secs(20)), "WebKitWebDriver did not listen on {native}");
        // Ignore "already installed": another test in this binary may have done it.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), "wry".into());
        caps.insert("tauri:options".into(), serde_json::json!({"application": bin}));
        let started = Instant::now();
        let client = ClientBuilder::rustls()
            .expect("TLS roots")
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a WebDriver session on the app");
        AppSession { client, started, log, _driver: driver, _xvfb: xvfb, _turn: turn }
    }

    /// The app's process id (its demo data folder and keyring service are named after it).
    #[allow(dead_code)]
    pub fn app_pid(&self) -> Option<u32> {
        let comm = |pid: u32| std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
        descendants(self._driver.0.id()).into_iter().find(|p| comm(*p).starts_with("member-compan"))
    }

    /// The resident memory of the app and the WebKit processes it started, in bytes (for the
    /// app-start benchmark).
    #[allow(dead_code)]
    pub fn app_memory(&self) -> u64 {
        let comm = |pid: u32| std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
        let rss = |pid: u32| -> u64 {
            let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
            status
                .lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
                .unwrap_or(0)
                * 1024
        };
        let Some(app) = descendants(self._driver.0.id()).into_iter().find(|p| comm(*p).starts_with("member-compan"))
        else {
            return 0;
        };
        rss(app) + descendants(app).into_iter().map(rss).sum::<u64>()
    }

    /// Runs `body` with the WebDriver client; on failure saves `tests/screenshots/{name}.png`
    /// before failing (with `COMPANION_SCREENSHOTS=all`, always).
    pub async fn check<F, Fut>(self, name: &str, body: F)
    where
        F: FnOnce(Client) -> Fut,
        Fut: std::future::Future<Output = ()>,
    {
        let outcome = AssertUnwindSafe(body(self.client.clone())).catch_unwind().await;
        // COMPANION_SCREENSHOTS=all keeps a picture of every test's last screen, to look at.
        let always = std::env::var("COMPANION_SCREENSHOTS").is_ok_and(|v| v == "all");
        if outcome.is_err() || always {
            let dir = workspace_root().join("tests").join("screenshots");
            let _ = std::fs::create_dir_all(&dir);
            if let Ok(png) = self.client.screenshot().await {
                let path = dir.join(format!("{name}.png"));
                let _ = std::fs::write(&path, png);
                eprintln!("screenshot saved to {}", path.display());
            }
        }
        let _ = self.client.clone().close().await;
        if outcome.is_err() {
            let text = std::fs::read_to_string(&self.log).unwrap_or_default();
            let tail: Vec<&str> = text.lines().rev().take(60).collect();
            eprintln!("--- the app's log ({}), last lines ---", self.log.display());
            for line in tail.into_iter().rev() {
                eprintln!("{line}");
            }
        }
        if let Err(panic) = outcome {
            std::panic::resume_unwind(panic);
        }
    }
}

/// Waits for the first element matching `css`, for up to `secs`.
pub async fn wait_for(client: &Client, css: &str, secs: u64) -> fantoccini::elements::Element {
    client
        .wait()
        .at_most(Duration::from_secs(secs))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css} did not appear: {e}"))
}

fn which(name: &str) -> Option<PathBuf> {
    let from_path =
        std::env::var_os("PATH").and_then(|p| std::env::split_paths(&p).map(|d| d.join(name)).find(|c| c.is_file()));
    from_path.or_else(|| {
        let home = std::env::var_os("CARGO_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))?;
        Some(home.join("bin").join(name)).filter(|c| c.is_file())
    })
}
