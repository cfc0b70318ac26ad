//! A stand-in NetworkManager on a private D-Bus (a real `dbus-daemon`), for tests of
//! everything that asks the system whether the connection is metered.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// NetworkManager's object path.
pub const PATH: &str = "/org/freedesktop/NetworkManager";

/// NetworkManager's main object, with only the property the app reads.
pub struct FakeNetworkManager {
    /// `NMMetered`: 0 unknown, 1 yes, 2 no, 3 guess yes, 4 guess no.
    pub metered: u32,
}

#[zbus::interface(name = "org.freedesktop.NetworkManager")]
impl FakeNetworkManager {
    #[zbus(property)]
    fn metered(&self) -> u32 {
        self.metered
    }
}

/// A private bus; its daemon is stopped and its folder removed when this is dropped.
pub struct PrivateBus {
    daemon: Child,
    /// The bus's address, for `network-bus` or [`crate::system_metered`].
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
        let stamp =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
        let dir = std::env::temp_dir().join(format!("companion-nm-{}-{stamp}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
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

    /// Serves a NetworkManager saying `metered` on this bus; it answers while the connection lives.
    pub async fn serve_network_manager(&self, metered: u32) -> zbus::Result<zbus::Connection> {
        zbus::connection::Builder::address(self.address.as_str())?
            .name("org.freedesktop.NetworkManager")?
            .serve_at(PATH, FakeNetworkManager { metered })?
            .build()
            .await
    }
}

/// Changes what the NetworkManager served on `connection` says.
pub async fn set_metered(connection: &zbus::Connection, metered: u32) -> zbus::Result<()> {
    let object = connection.object_server().interface::<_, FakeNetworkManager>(PATH).await?;
    object.get_mut().await.metered = metered;
    Ok(())
}
