//! The keystore against a real Secret Service: GNOME Keyring from the distribution on a
//! private D-Bus session bus that this test starts (and stops). A secret stored through it
//! survives the daemon's restart and a cleared kernel keyring, as a reboot would leave them.
//!
//! One test in its own binary: it points this process's session bus at the private one.

#![cfg(all(target_os = "linux", not(target_os = "android")))]

use companion_keystore::{Keystore, Persistence, SecretName};
use companion_test_dbus::PrivateBus;
use std::io::Write;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A process this test started, stopped when dropped.
struct Started(Child);

impl Drop for Started {
    fn drop(&mut self) {
        // Asked to stop, as a shutdown does (a daemon killed outright may not have written
        // its keyring file yet); killed if it has not gone within five seconds.
        let _ = Command::new("kill").args(["-s", "TERM", &self.0.id().to_string()]).status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Whether the daemon's default collection (the login keyring) is there and unlocked.
fn login_keyring_up() -> bool {
    use dbus_secret_service::{EncryptionType, SecretService};
    let Ok(service) = SecretService::connect(EncryptionType::Plain) else { return false };
    service.get_default_collection().and_then(|c| c.is_locked()).is_ok_and(|locked| !locked)
}

/// GNOME Keyring with its login keyring up and unlocked. On a first start the daemon may read
/// the password before it has made the login keyring, and then leave it locked or unnamed as
/// the default: a second start, with the keyring file there, settles it (a desktop has long
/// had its login keyring).
fn keyring_up(home: &Path, bus: &str) -> Started {
    for _ in 0..5 {
        let daemon = keyring_daemon(home, bus);
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            if login_keyring_up() {
                return daemon;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    panic!("GNOME Keyring's login keyring did not come up");
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

/// Retries `op` for up to 20 seconds while the daemon finishes starting.
fn eventually<T>(what: &str, mut op: impl FnMut() -> Result<T, String>) -> T {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        match op() {
            Ok(value) => return value,
            Err(e) if Instant::now() >= deadline => panic!("{what}: {e}"),
            Err(_) => std::thread::sleep(Duration::from_millis(200)),
        }
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
    // A session bus of the test's own, without service activation: the distribution's session
    // config would start a second, locked keyring daemon the moment anyone asks for the Secret
    // Service before ours has claimed its name.
    let bus = PrivateBus::start().expect("dbus-daemon (package dbus-daemon) is installed");
    let address = bus.address.clone();
    // Only this test runs in this binary, so no other thread reads the environment.
    std::env::set_var("DBUS_SESSION_BUS_ADDRESS", &address);
    let service = format!("uk.gov.membercompanion.test.secret-service.{}", std::process::id());

    let daemon = keyring_up(home.path(), &address);
    let ks = persistent_keystore(&service);
    // The daemon answers lookups before it has loaded the login keyring: until then a store
    // finds no default collection. A desktop's keyring is long up by the time the app starts.
    eventually("stored in the Secret Service", || ks.set(SecretName::PinSecret, &[5u8; 32]).map_err(|e| e.to_string()));
    drop(ks);

    // As a reboot does: the keyring daemon stops, and the kernel's session keyring is emptied.
    drop(daemon);
    // (Best effort: a process without a session keyring has nothing to clear.)
    let _ = Command::new("keyctl").args(["clear", "@s"]).stderr(Stdio::null()).status();
    let _daemon = keyring_up(home.path(), &address);

    let ks = persistent_keystore(&service);
    let kept = eventually("read back after the restart", || match ks.get(SecretName::PinSecret) {
        Ok(Some(secret)) => Ok(secret.to_vec()),
        other => Err(format!("{:?}", other.map(|s| s.is_some()))),
    });
    assert_eq!(kept, vec![5u8; 32]);
    ks.delete_all().expect("a wipe removes it");
    assert!(ks.get(SecretName::PinSecret).expect("read").is_none());
}
