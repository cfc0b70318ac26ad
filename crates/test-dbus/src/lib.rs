//! A private D-Bus for tests: a real `dbus-daemon` (the package of that name), listening on a
//! socket in a folder of its own, so a test never touches the machine's system or session bus
//! and tests running side by side never meet. And a bus that never answers, for the code that
//! must give up on one.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// A folder of its own under the temporary folder, named for this process and the moment.
fn fresh_dir(kind: &str) -> std::io::Result<std::path::PathBuf> {
    let stamp = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    let dir = std::env::temp_dir().join(format!("companion-{kind}-{}-{stamp}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// A private bus; its daemon is stopped and its folder removed when this is dropped.
pub struct PrivateBus {
    daemon: Child,
    /// The bus's address, for a client to connect to (or for `DBUS_SESSION_BUS_ADDRESS`).
    pub address: String,
    dir: std::path::PathBuf,
}

impl Drop for PrivateBus {
    fn drop(&mut self) {
        let _ = self.daemon.kill();
        let _ = self.daemon.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl PrivateBus {
    /// Starts `dbus-daemon` on a socket in a new folder.
    pub fn start() -> std::io::Result<Self> {
        let dir = fresh_dir("bus")?;
        let config = dir.join("bus.conf");
        // A session-type bus: a system-type one applies the system bus's stricter defaults.
        std::fs::write(
            &config,
            format!(
                r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"#,
                dir.display()
            ),
        )?;
        let mut daemon = Command::new("dbus-daemon")
            .arg(format!("--config-file={}", config.display()))
            .args(["--nofork", "--nopidfile", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()?;
        let mut address = String::new();
        if let Some(out) = daemon.stdout.take() {
            BufReader::new(out).read_line(&mut address)?;
        }
        Ok(Self { daemon, address: address.trim().to_owned(), dir })
    }
}

/// A bus that takes connections and never says a word: what a hung `dbus-daemon` looks like
/// to a client, which waits in the handshake for an answer that does not come. The socket and
/// the connections it took are closed when this is dropped.
pub struct SilentBus {
    /// The bus's address, for a client to connect to.
    pub address: String,
    dir: std::path::PathBuf,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl SilentBus {
    /// Listens on a socket in a new folder, taking connections and holding them unanswered.
    pub fn start() -> std::io::Result<Self> {
        use std::sync::atomic::{AtomicBool, Ordering};
        let dir = fresh_dir("silent-bus")?;
        let path = dir.join("bus");
        let listener = std::os::unix::net::UnixListener::bind(&path)?;
        listener.set_nonblocking(true)?;
        let stop = std::sync::Arc::new(AtomicBool::new(false));
        let stopped = stop.clone();
        std::thread::spawn(move || {
            let mut held = Vec::new();
            while !stopped.load(Ordering::Relaxed) {
                match listener.accept() {
                    Ok((connection, _)) => held.push(connection),
                    Err(_) => std::thread::sleep(std::time::Duration::from_millis(20)),
                }
            }
        });
        Ok(Self { address: format!("unix:path={}", path.display()), dir, stop })
    }
}

impl Drop for SilentBus {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
