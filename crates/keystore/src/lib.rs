//! Secrets in the operating system's keyring: kernel keyutils on Linux, the Keychain on Apple
//! platforms, the Android keystore, the Windows Credential Manager. Used for the vault's
//! database key and the refresh token; nothing else of the app's touches the keyring.
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
    /// The vault's 256-bit database key.
    VaultKey,
    /// The newest OAuth refresh token.
    RefreshToken,
}

impl SecretName {
    fn as_str(self) -> &'static str {
        match self {
            Self::VaultKey => "vault-key",
            Self::RefreshToken => "refresh-token",
        }
    }
}

fn map(e: KeyringError) -> KeystoreError {
    match e {
        KeyringError::NoStorageAccess(inner) => KeystoreError::Unavailable(inner.to_string()),
        KeyringError::NoDefaultStore => KeystoreError::Unavailable("no credential store".into()),
        other => KeystoreError::Platform(other.to_string()),
    }
}

/// The app's secrets, under one service name in the platform's store.
pub struct Keystore {
    store: Arc<CredentialStore>,
    service: String,
}

impl std::fmt::Debug for Keystore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keystore").field("service", &self.service).finish_non_exhaustive()
    }
}

impl Keystore {
    /// The platform's native store, with secrets filed under `service` (e.g. the app id).
    pub fn native(service: &str) -> Result<Self, KeystoreError> {
        Ok(Self { store: native_store()?, service: service.to_owned() })
    }

    fn entry(&self, name: SecretName) -> Result<Entry, KeystoreError> {
        self.store.build(&self.service, name.as_str(), None).map_err(map)
    }

    /// Reads a secret; `None` when there is none.
    pub fn get(&self, name: SecretName) -> Result<Option<Zeroizing<Vec<u8>>>, KeystoreError> {
        match self.entry(name)?.get_secret() {
            Ok(secret) => Ok(Some(Zeroizing::new(secret))),
            Err(KeyringError::NoEntry) => Ok(None),
            Err(e) => Err(map(e)),
        }
    }

    /// Stores a secret, replacing any earlier one.
    pub fn set(&self, name: SecretName, secret: &[u8]) -> Result<(), KeystoreError> {
        self.entry(name)?.set_secret(secret).map_err(map)
    }

    /// Removes a secret; returns whether there was one.
    pub fn delete(&self, name: SecretName) -> Result<bool, KeystoreError> {
        match self.entry(name)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(KeyringError::NoEntry) => Ok(false),
            Err(e) => Err(map(e)),
        }
    }

    /// Reads a secret, or makes one with `make` and stores it. Returns it, and whether it is new.
    pub fn get_or_create(&self, name: SecretName, make: impl FnOnce() -> Zeroizing<Vec<u8>>) -> Result<(Zeroizing<Vec<u8>>, bool), KeystoreError> {
        if let Some(existing) = self.get(name)? {
            return Ok((existing, false));
        }
        let fresh = make();
        self.set(name, &fresh)?;
        Ok((fresh, true))
    }
}

#[cfg(all(target_os = "linux", not(target_os = "android")))]
fn native_store() -> Result<Arc<CredentialStore>, KeystoreError> {
    Ok(linux_keyutils_keyring_store::Store::new().map_err(map)?)
}

#[cfg(any(target_os = "macos", target_os = "ios"))]
fn native_store() -> Result<Arc<CredentialStore>, KeystoreError> {
    Ok(apple_native_keyring_store::keychain::Store::new().map_err(map)?)
}

#[cfg(target_os = "android")]
fn native_store() -> Result<Arc<CredentialStore>, KeystoreError> {
    Ok(android_native_keyring_store::Store::new().map_err(map)?)
}

#[cfg(target_os = "windows")]
fn native_store() -> Result<Arc<CredentialStore>, KeystoreError> {
    Ok(windows_native_keyring_store::Store::new().map_err(map)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unique_service() -> String {
        format!("uk.gov.membercompanion.test.{}.{}", std::process::id(), std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0))
    }

    #[test]
    fn a_secret_round_trips_through_the_real_keyring_and_is_deleted() {
        let ks = Keystore::native(&unique_service()).expect("the kernel keyring is reachable");
        assert_eq!(ks.get(SecretName::VaultKey).expect("get").as_deref().map(Vec::as_slice), None);
        ks.set(SecretName::VaultKey, &[7u8; 32]).expect("set");
        assert_eq!(ks.get(SecretName::VaultKey).expect("get").as_deref().map(Vec::as_slice), Some(&[7u8; 32][..]));
        assert!(ks.delete(SecretName::VaultKey).expect("delete"));
        assert!(!ks.delete(SecretName::VaultKey).expect("second delete"));
        assert!(ks.get(SecretName::VaultKey).expect("get").is_none());
    }

    #[test]
    fn get_or_create_makes_a_secret_once() {
        let ks = Keystore::native(&unique_service()).expect("keyring");
        let (first, created) = ks.get_or_create(SecretName::RefreshToken, || Zeroizing::new(b"rt-1".to_vec())).expect("create");
        assert!(created);
        let (again, created) = ks.get_or_create(SecretName::RefreshToken, || Zeroizing::new(b"rt-2".to_vec())).expect("read");
        assert!(!created);
        assert_eq!(*first, *again);
        ks.delete(SecretName::RefreshToken).expect("clean up");
    }
}
