//! Secrets in the operating system's keyring: on desktop Linux the Secret Service (GNOME
//! Keyring, KWallet, KeePassXC), which survives a restart, with the kernel's keyutils only
//! where no Secret Service runs (a headless machine: secrets then last until the restart,
//! and [`Keystore::persistence`] says so); the Keychain on Apple platforms, the Android
//! keystore, the Windows Credential Manager. Used for the PIN's keystore half, the refresh
//! token and the protection record; nothing else of the app's touches the keyring.
//!
//! Secrets come back in [`Zeroizing`] buffers, wiped from memory when dropped.

use keyring_core::{CredentialStore, Entry, Error as KeyringError};
use std::sync::Arc;
pub use zeroize::Zeroizing;

/// What can go wrong with the keyring.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeystoreError {
    /// The keyring cannot be reached (no keyring service, access refused).
    #[error("the device's keyring is not available: {0}")]
    Unavailable(String),
    /// The keyring refused the operation.
    #[error("the device's keyring failed: {0}")]
    Platform(String),
}

/// Which of the app's secrets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretName {
    /// The vault's database key as builds before the PIN kept it (read once, to seal it
    /// under the member's first PIN, then deleted).
    LegacyVaultKey,
    /// The keystore's half of the PIN lock: a 256-bit secret that Argon2id mixes with the PIN.
    PinSecret,
    /// The newest OAuth refresh token.
    RefreshToken,
    /// Wrong PINs and the offline clock, kept here so copying the data folder cannot reset them.
    ProtectionRecord,
}

impl SecretName {
    /// Every secret the app may hold: what a wipe removes.
    pub const ALL: [SecretName; 4] =
        [Self::LegacyVaultKey, Self::PinSecret, Self::RefreshToken, Self::ProtectionRecord];

    fn as_str(self) -> &'static str {
        match self {
            Self::LegacyVaultKey => "vault-key",
            Self::PinSecret => "pin-secret",
            Self::RefreshToken => "refresh-token",
            Self::ProtectionRecord => "protection",
        }
    }
}

/// How long the store keeps secrets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Persistence {
    /// Across restarts (the Secret Service, the Keychain, the Android keystore, Windows).
    Persistent,
    /// Until the computer restarts (the Linux kernel keyring, used only without a Secret
    /// Service): after a restart the app must start clean.
    UntilRestart,
}

fn map(e: KeyringError) -> KeystoreError {
    match e {
        KeyringError::NoStorageAccess(inner) => KeystoreError::Unavailable(inner.to_string()),
        KeyringError::NoDefaultStore => KeystoreError::Unavailable("no credential store".into()),
        other => KeystoreError::Platform(other.to_string()),
    }
}

/// The app's secrets, under one service name in the platform's store.
///
/// Every keyring call runs on one thread of the keystore's own. Linux keeps keyring
/// credentials per thread: in a process without a session keyring (one started by a service
/// or a test driver), the first keyring call on each thread makes that thread a session
/// keyring of its own, and a secret stored from one thread is then not the other threads' to
/// replace (`EACCES`). One thread makes every secret the same thread's.
pub struct Keystore {
    jobs: std::sync::Mutex<std::sync::mpsc::Sender<Job>>,
    service: String,
    persistence: Persistence,
}

type Job = Box<dyn FnOnce(&CredentialStore) + Send>;

impl std::fmt::Debug for Keystore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keystore").field("service", &self.service).finish_non_exhaustive()
    }
}

fn entry(store: &CredentialStore, service: &str, name: SecretName) -> Result<Entry, KeystoreError> {
    store.build(service, name.as_str(), None).map_err(map)
}

impl Keystore {
    /// The platform's native store, with secrets filed under `service` (e.g. the app id).
    pub fn native(service: &str) -> Result<Self, KeystoreError> {
        let (jobs, queue) = std::sync::mpsc::channel::<Job>();
        let (ready, opened) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("keyring".into())
            .spawn(move || {
                let store = match native_store() {
                    Ok((store, persistence)) => {
                        let _ = ready.send(Ok(persistence));
                        store
                    }
                    Err(e) => {
                        let _ = ready.send(Err(e));
                        return;
                    }
                };
                // Ends when the last `Keystore` handle is dropped.
                for job in queue {
                    job(store.as_ref());
                }
            })
            .map_err(|e| KeystoreError::Unavailable(format!("no thread for the keyring: {e}")))?;
        let persistence =
            opened.recv().map_err(|_| KeystoreError::Unavailable("the keyring thread stopped".into()))??;
        Ok(Self { jobs: std::sync::Mutex::new(jobs), service: service.to_owned(), persistence })
    }

    /// Whether secrets survive a restart here.
    pub fn persistence(&self) -> Persistence {
        self.persistence
    }

    /// Runs `work` on the keyring thread and waits for its answer.
    fn on_keyring_thread<T: Send + 'static>(
        &self,
        work: impl FnOnce(&CredentialStore, &str) -> Result<T, KeystoreError> + Send + 'static,
    ) -> Result<T, KeystoreError> {
        let (answer, answered) = std::sync::mpsc::channel();
        let service = self.service.clone();
        let job: Job = Box::new(move |store| {
            let _ = answer.send(work(store, &service));
        });
        self.jobs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .send(job)
            .map_err(|_| KeystoreError::Unavailable("the keyring thread stopped".into()))?;
        answered.recv().map_err(|_| KeystoreError::Unavailable("the keyring thread stopped".into()))?
    }

    /// Reads a secret; `None` when there is none.
    pub fn get(&self, name: SecretName) -> Result<Option<Zeroizing<Vec<u8>>>, KeystoreError> {
        self.on_keyring_thread(move |store, service| match entry(store, service, name)?.get_secret() {
            Ok(secret) => Ok(Some(Zeroizing::new(secret))),
            Err(KeyringError::NoEntry) => Ok(None),
            Err(e) => Err(map(e)),
        })
    }

    /// Stores a secret, replacing any earlier one.
    pub fn set(&self, name: SecretName, secret: &[u8]) -> Result<(), KeystoreError> {
        // The copy crossing to the keyring thread is wiped when dropped, like the rest.
        let secret = Zeroizing::new(secret.to_vec());
        self.on_keyring_thread(move |store, service| entry(store, service, name)?.set_secret(&secret).map_err(map))
    }

    /// Removes a secret; returns whether there was one.
    pub fn delete(&self, name: SecretName) -> Result<bool, KeystoreError> {
        self.on_keyring_thread(move |store, service| match entry(store, service, name)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(KeyringError::NoEntry) => Ok(false),
            Err(e) => Err(map(e)),
        })
    }

    /// Removes every secret of the app's (a wipe). Tries them all before reporting a failure.
    pub fn delete_all(&self) -> Result<(), KeystoreError> {
        let mut first_error = None;
        for name in SecretName::ALL {
            if let Err(e) = self.delete(name) {
                first_error.get_or_insert(e);
            }
        }
        first_error.map_or(Ok(()), Err)
    }

    /// Reads a secret, or makes one with `make` and stores it. Returns it, and whether it is new.
    pub fn get_or_create(
        &self,
        name: SecretName,
        make: impl FnOnce() -> Zeroizing<Vec<u8>>,
    ) -> Result<(Zeroizing<Vec<u8>>, bool), KeystoreError> {
        if let Some(existing) = self.get(name)? {
            return Ok((existing, false));
        }
        let fresh = make();
        self.set(name, &fresh)?;
        Ok((fresh, true))
    }
}

#[cfg(all(target_os = "linux", not(target_os = "android")))]
fn native_store() -> Result<(Arc<CredentialStore>, Persistence), KeystoreError> {
    if let Some(store) = secret_service() {
        return Ok((store, Persistence::Persistent));
    }
    Ok((kernel_keyring()?, Persistence::UntilRestart))
}

/// The Secret Service on the session bus, if one answers a harmless lookup.
#[cfg(all(target_os = "linux", not(target_os = "android")))]
fn secret_service() -> Option<Arc<CredentialStore>> {
    // No session bus, no Secret Service: do not let libdbus try to start one (it would spawn
    // a bus of its own on a headless machine).
    std::env::var_os("DBUS_SESSION_BUS_ADDRESS")?;
    let store: Arc<CredentialStore> = dbus_secret_service_keyring_store::Store::new().ok()?;
    let probe = store.build("uk.gov.membercompanion.probe", "probe", None).ok()?;
    match probe.get_secret() {
        Ok(_) | Err(KeyringError::NoEntry) => Some(store),
        Err(_) => None,
    }
}

#[cfg(all(target_os = "linux", not(target_os = "android")))]
fn kernel_keyring() -> Result<Arc<CredentialStore>, KeystoreError> {
    // The store resolves "the session keyring" when it builds an entry, and only then links
    // the persistent keyring, which gives a thread without a session keyring one of its own.
    // A secret stored in between lands in the keyring the thread has just left, and linking
    // it to the persistent keyring is refused. Joining first makes both the same keyring.
    linux_keyutils::KeyRing::from_special_id(linux_keyutils::KeyRingIdentifier::Session, true)
        .map_err(|e| KeystoreError::Unavailable(format!("no session keyring: {e:?}")))?;
    Ok(linux_keyutils_keyring_store::Store::new().map_err(map)?)
}

#[cfg(any(target_os = "macos", target_os = "ios"))]
fn native_store() -> Result<(Arc<CredentialStore>, Persistence), KeystoreError> {
    Ok((apple_native_keyring_store::keychain::Store::new().map_err(map)?, Persistence::Persistent))
}

#[cfg(target_os = "android")]
fn native_store() -> Result<(Arc<CredentialStore>, Persistence), KeystoreError> {
    Ok((android_native_keyring_store::Store::new().map_err(map)?, Persistence::Persistent))
}

#[cfg(target_os = "windows")]
fn native_store() -> Result<(Arc<CredentialStore>, Persistence), KeystoreError> {
    Ok((windows_native_keyring_store::Store::new().map_err(map)?, Persistence::Persistent))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unique_service() -> String {
        format!(
            "uk.gov.membercompanion.test.{}.{}",
            std::process::id(),
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0)
        )
    }

    #[test]
    fn a_secret_round_trips_through_the_real_keyring_and_is_deleted() {
        let ks = Keystore::native(&unique_service()).expect("the kernel keyring is reachable");
        assert_eq!(ks.get(SecretName::PinSecret).expect("get").as_deref().map(Vec::as_slice), None);
        ks.set(SecretName::PinSecret, &[7u8; 32]).expect("set");
        assert_eq!(ks.get(SecretName::PinSecret).expect("get").as_deref().map(Vec::as_slice), Some(&[7u8; 32][..]));
        assert!(ks.delete(SecretName::PinSecret).expect("delete"));
        assert!(!ks.delete(SecretName::PinSecret).expect("second delete"));
        assert!(ks.get(SecretName::PinSecret).expect("get").is_none());
    }

    #[test]
    fn a_secret_stored_from_one_thread_can_be_replaced_and_deleted_from_others() {
        let ks = Arc::new(Keystore::native(&unique_service()).expect("keyring"));
        let first = ks.clone();
        std::thread::spawn(move || first.set(SecretName::RefreshToken, b"rt-1").expect("set on one thread"))
            .join()
            .expect("thread");
        let second = ks.clone();
        std::thread::spawn(move || second.set(SecretName::RefreshToken, b"rt-2").expect("replaced on another"))
            .join()
            .expect("thread");
        assert_eq!(ks.get(SecretName::RefreshToken).expect("get").as_deref().map(Vec::as_slice), Some(&b"rt-2"[..]));
        let third = ks.clone();
        assert!(std::thread::spawn(move || third.delete(SecretName::RefreshToken).expect("delete"))
            .join()
            .expect("thread"));
    }

    #[test]
    fn get_or_create_makes_a_secret_once() {
        let ks = Keystore::native(&unique_service()).expect("keyring");
        let (first, created) =
            ks.get_or_create(SecretName::RefreshToken, || Zeroizing::new(b"rt-1".to_vec())).expect("create");
        assert!(created);
        let (again, created) =
            ks.get_or_create(SecretName::RefreshToken, || Zeroizing::new(b"rt-2".to_vec())).expect("read");
        assert!(!created);
        assert_eq!(*first, *again);
        ks.delete(SecretName::RefreshToken).expect("clean up");
    }
}
