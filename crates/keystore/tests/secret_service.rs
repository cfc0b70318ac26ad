//! The keystore against a real Secret Service: GNOME Keyring from the distribution on a
//! private D-Bus session bus that this test starts (and stops). A secret stored through it
//! survives the daemon's restart and a cleared kernel keyring, as a reboot would leave them.
//!
//! One test in its own binary: it points this process's session bus at the private one.

#![cfg(all(target_os = "linux", not(target_os = "android")))]

use companion_keystore::{Keystore, Persistence, SecretName};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A process this test started, stopped when dropped.
struct Started(Child);

impl Drop for Started {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn private_bus(home: &Path) -> (Started, String) {
    let mut bus = Command::new("dbus-daemon")
        .args(["--session", "--nofork", "--nopidfile", "--print-address=1"])
        .env("HOME", home)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("dbus-daemon (package dbus-daemon) is installed");
    let mut address = String::new();
    BufReader::new(bus.stdout.take().expect("stdout")).read_line(&mut address).expect("the bus prints its address");
    (Started(bus), address.trim().to_owned())
}

/// GNOME Keyring's Secret Service, its login keyring unlocked with a known password (as a
/// desktop session's PAM module does at log-in).
fn keyring_daemon(home: &Path, bus: &str) -> Started {
    let mut daemon = Command::new("gnome-keyring-daemon")
        .args(["--foreground", "--components=secrets", "--unlock"])
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_RUNTIME_DIR", home.join("run"))
        .env("DBUS_SESSION_BUS_ADDRESS", bus)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("gnome-keyring-daemon (package gnome-keyring) is installed");
    let mut stdin = daemon.stdin.take().expect("stdin");
    stdin.write_all(b"test-login-password").expect("password");
    drop(stdin);
    Started(daemon)
}

fn persistent_keystore(service: &str) -> Keystore {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let ks = Keystore::native(service).expect("a keystore");
        if ks.persistence() == Persistence::Persistent {
            return ks;
        }
        assert!(Instant::now() < deadline, "the Secret Service did not come up");
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn a_secret_in_the_secret_service_survives_its_restart_and_a_cleared_kernel_keyring() {
    let home = tempfile::tempdir().expect("home");
    std::fs::create_dir_all(home.path().join("run")).expect("runtime dir");
    // A desktop's first log-in makes the login keyring the default collection, where the
    // keystore stores its items; a fresh daemon here needs that alias written for it.
    let keyrings = home.path().join("data").join("keyrings");
    std::fs::create_dir_all(&keyrings).expect("keyrings dir");
    std::fs::write(keyrings.join("default"), "login").expect("default alias");
    let (_bus, address) = private_bus(home.path());
    // Only this test runs in this binary, so no other thread reads the environment.
    std::env::set_var("DBUS_SESSION_BUS_ADDRESS", &address);
    let service = format!("uk.gov.membercompanion.test.secret-service.{}", std::process::id());

    let daemon = keyring_daemon(home.path(), &address);
    let ks = persistent_keystore(&service);
    ks.set(SecretName::PinSecret, &[5u8; 32]).expect("stored in the Secret Service");
    drop(ks);

    // As a reboot does: the keyring daemon stops, and the kernel's session keyring is emptied.
    drop(daemon);
    // (Best effort: a process without a session keyring has nothing to clear.)
    let _ = Command::new("keyctl").args(["clear", "@s"]).stderr(Stdio::null()).status();
    let _daemon = keyring_daemon(home.path(), &address);

    let ks = persistent_keystore(&service);
    assert_eq!(ks.get(SecretName::PinSecret).expect("read").as_deref().map(Vec::as_slice), Some(&[5u8; 32][..]));
    ks.delete_all().expect("a wipe removes it");
    assert!(ks.get(SecretName::PinSecret).expect("read").is_none());
}
