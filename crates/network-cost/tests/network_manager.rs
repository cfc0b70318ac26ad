//! Against a fake NetworkManager served on a private D-Bus (a real `dbus-daemon`), asked as
//! the app asks the system's.
#![cfg(all(target_os = "linux", not(target_os = "android")))]

use companion_network_cost::{system_metered, CostError, Metered};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

const PATH: &str = "/org/freedesktop/NetworkManager";

/// NetworkManager's main object, with only the property the app reads.
struct FakeNetworkManager {
    metered: u32,
}

#[zbus::interface(name = "org.freedesktop.NetworkManager")]
impl FakeNetworkManager {
    #[zbus(property)]
    fn metered(&self) -> u32 {
        self.metered
    }
}

/// A private bus; the daemon is stopped when this is dropped.
struct Bus {
    daemon: Child,
    address: String,
    _dir: tempfile_dir::Dir,
}

impl Drop for Bus {
    fn drop(&mut self) {
        let _ = self.daemon.kill();
        let _ = self.daemon.wait();
    }
}

mod tempfile_dir {
    /// A folder removed when dropped (the bus's socket lives in it).
    pub struct Dir(pub std::path::PathBuf);
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

fn private_bus() -> Bus {
    let dir = std::env::temp_dir().join(format!("companion-nm-{}-{}", std::process::id(), rand_suffix()));
    std::fs::create_dir_all(&dir).expect("folder");
    let config = dir.join("bus.conf");
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
    )
    .expect("bus config");
    let mut daemon = Command::new("dbus-daemon")
        .arg(format!("--config-file={}", config.display()))
        .args(["--nofork", "--nopidfile", "--print-address=1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("dbus-daemon (package dbus-daemon) is installed");
    let mut address = String::new();
    BufReader::new(daemon.stdout.take().expect("stdout")).read_line(&mut address).expect("the bus prints its address");
    Bus { daemon, address: address.trim().to_owned(), _dir: tempfile_dir::Dir(dir) }
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0)
}

async fn serve(bus: &Bus, metered: u32) -> zbus::Connection {
    zbus::connection::Builder::address(bus.address.as_str())
        .expect("address")
        .name("org.freedesktop.NetworkManager")
        .expect("name")
        .serve_at(PATH, FakeNetworkManager { metered })
        .expect("object")
        .build()
        .await
        .expect("the fake NetworkManager is on the bus")
}

#[tokio::test]
async fn a_connection_network_manager_calls_metered_is_metered_and_a_change_is_seen_on_the_next_ask() {
    within_time(async {
        let bus = private_bus();
        let nm = serve(&bus, 1).await;
        assert_eq!(system_metered(Some(&bus.address)).await.expect("asked"), Metered::Yes);
        for (value, expected) in [(2, Metered::No), (3, Metered::Yes), (4, Metered::No), (0, Metered::Unknown)] {
            let object = nm.object_server().interface::<_, FakeNetworkManager>(PATH).await.expect("served");
            object.get_mut().await.metered = value;
            assert_eq!(system_metered(Some(&bus.address)).await.expect("asked"), expected, "NMMetered {value}");
        }
    })
    .await;
}

#[tokio::test]
async fn no_network_manager_on_the_bus_or_no_bus_at_all_is_a_plain_error() {
    within_time(async {
        let bus = private_bus();
        assert!(matches!(system_metered(Some(&bus.address)).await, Err(CostError::NetworkManager(_))));
        let gone = format!("unix:path={}/no-such-socket", std::env::temp_dir().display());
        assert!(matches!(system_metered(Some(&gone)).await, Err(CostError::Bus(_))));
    })
    .await;
}

/// A bus that never answers must fail the test, not hang the suite.
async fn within_time(test: impl std::future::Future<Output = ()>) {
    tokio::time::timeout(std::time::Duration::from_secs(30), test).await.expect("the bus answered in time");
}
