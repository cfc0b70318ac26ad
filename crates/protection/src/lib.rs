//! Protection of the member's cache on a phone that can be lost.
//!
//! - [`ProtectionPolicy`]: the council's rules (PIN length, idle lock, wrong-PIN limit, the
//!   offline grace and wipe periods, what members may do), from a TOML file or the MDM's
//!   managed app configuration, validated with plain errors.
//! - [`WrappedKey`]: the vault's key sealed under a key derived from the member's [`Pin`] by
//!   Argon2id *together with* a secret kept in the OS keystore, so neither the PIN alone nor
//!   the keystore alone opens the vault.
//! - [`WrongPins`]: growing waits after wrong PINs, and the limit that wipes.
//! - [`ContactRecord`]: when the app last reached the council's tenant, measured so that a
//!   clock set back never lengthens the grace or wipe period.
//!
//! Nothing here touches the keystore, the vault or the network: the app crate does, and
//! keeps these rules' state in the keystore as a [`ProtectionRecord`].

mod attempts;
mod offline;
mod pin;
mod policy;

pub use attempts::WrongPins;
pub use offline::{ContactRecord, OfflineStanding};
pub use pin::{KdfParams, Pin, WrappedKey, KEYSTORE_SECRET_LEN, VAULT_KEY_LEN};
pub use policy::{ManagedValue, ProtectionPolicy};

use serde::{Deserialize, Serialize};

/// What can go wrong.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ProtectionError {
    /// The council's policy is not valid; the text names the key and the allowed values.
    #[error("the council's protection policy is not valid: {0}")]
    Policy(String),
    /// What was typed is not a PIN the policy allows.
    #[error("{0}")]
    PinFormat(String),
    /// The PIN (or the keystore's secret) does not open the key.
    #[error("that PIN is not right")]
    WrongPin,
    /// The sealed key file is damaged or from an unknown version.
    #[error("the locked key could not be read: {0}")]
    Damaged(String),
    /// The key derivation refused its parameters.
    #[error("the key could not be derived: {0}")]
    Derivation(String),
}

/// The crate's result.
pub type Result<T, E = ProtectionError> = std::result::Result<T, E>;

/// The protection state the app keeps in the OS keystore (not in the data folder, so copying
/// or restoring the folder cannot reset the wrong-PIN count or the offline clock).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ProtectionRecord {
    /// Wrong PINs since the last right one.
    pub wrong_pins: WrongPins,
    /// When the app last reached the tenant; `None` before the first sign-in.
    pub contact: Option<ContactRecord>,
}

impl ProtectionRecord {
    /// As stored.
    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// From what was stored; a damaged record is an error, never a fresh (reset) one.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        serde_json::from_slice(bytes).map_err(|e| ProtectionError::Damaged(format!("the protection record: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_damaged_record_is_an_error_not_a_reset() {
        assert!(ProtectionRecord::from_bytes(b"{\"wrongPins\":").is_err());
        let mut r = ProtectionRecord::default();
        r.wrong_pins.record_failure(chrono::Utc::now());
        assert_eq!(ProtectionRecord::from_bytes(&r.to_bytes()).expect("round trip"), r);
    }
}
