//! The member's PIN and the vault key sealed under it.
//!
//! The key-encryption key is Argon2id(PIN, salt) keyed with a 256-bit secret that lives only
//! in the OS keystore (Argon2's own "secret" input). A copy of the data folder without the
//! keystore cannot be tried offline at all; the keystore without the PIN opens nothing; and
//! on the device each guess costs one Argon2id run plus the app's growing waits and its
//! wrong-PIN limit. The sealed key is XChaCha20-Poly1305 with the format as associated data,
//! so a wrong PIN is told apart from a damaged file by authentication, not by guesswork.

use crate::{ProtectionError, Result};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

/// The vault key's length (SQLCipher's raw 256-bit key).
pub const VAULT_KEY_LEN: usize = 32;
/// The keystore secret's length.
pub const KEYSTORE_SECRET_LEN: usize = 32;
const FORMAT: u32 = 1;
const AAD: &[u8] = b"member-companion/vault-key/v1";

/// A PIN as typed: digits only. Never printed.
pub struct Pin(Zeroizing<String>);

impl std::fmt::Debug for Pin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pin(…)")
    }
}

impl Pin {
    /// A new PIN being chosen: exactly `length` digits, and not one a thief tries first.
    pub fn choose(text: &str, length: u8) -> Result<Self> {
        let pin = Self::entered(text)?;
        if pin.0.len() != usize::from(length) {
            return Err(ProtectionError::PinFormat(format!("Your PIN must be {length} digits.")));
        }
        let digits = pin.0.as_bytes();
        let same = digits.iter().all(|d| *d == digits[0]);
        let step = |delta: i8| digits.windows(2).all(|w| w[1] as i8 - w[0] as i8 == delta);
        if same || step(1) || step(-1) {
            return Err(ProtectionError::PinFormat(
                "That PIN is too easy to guess (all the same digit, or a run such as 123456). Please choose another."
                    .into(),
            ));
        }
        Ok(pin)
    }

    /// A PIN typed to unlock: 4 to 12 digits (a council may have changed the length since it
    /// was chosen, so the length is not checked against today's policy).
    pub fn entered(text: &str) -> Result<Self> {
        if !(4..=12).contains(&text.len()) || !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ProtectionError::PinFormat("A PIN is 4 to 12 digits (0–9).".into()));
        }
        Ok(Self(Zeroizing::new(text.to_owned())))
    }
}

/// Argon2id's cost, stored with each sealed key so that it can be raised later.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KdfParams {
    /// Memory in KiB.
    pub memory_kib: u32,
    /// Passes over the memory.
    pub iterations: u32,
    /// Lanes (1: phones and this two-core machine gain nothing from more).
    pub lanes: u32,
}

impl Default for KdfParams {
    /// 64 MiB and 3 passes: well under half a second on a two-core machine and on a mid-range
    /// phone (measured by the `unlock` benchmark), and 64 MiB per guess for anyone trying.
    fn default() -> Self {
        Self { memory_kib: 64 * 1024, iterations: 3, lanes: 1 }
    }
}

impl KdfParams {
    fn derive(&self, pin: &Pin, salt: &[u8], secret: &[u8]) -> Result<Zeroizing<[u8; 32]>> {
        let params = Params::new(self.memory_kib, self.iterations, self.lanes, Some(32))
            .map_err(|e| ProtectionError::Derivation(e.to_string()))?;
        let argon = Argon2::new_with_secret(secret, Algorithm::Argon2id, Version::V0x13, params)
            .map_err(|e| ProtectionError::Derivation(e.to_string()))?;
        let mut out = Zeroizing::new([0u8; 32]);
        argon
            .hash_password_into(pin.0.as_bytes(), salt, out.as_mut())
            .map_err(|e| ProtectionError::Derivation(e.to_string()))?;
        Ok(out)
    }
}

/// The vault key sealed under a PIN and the keystore secret: what the data folder holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WrappedKey {
    format: u32,
    kdf: KdfParams,
    salt: String,
    nonce: String,
    sealed: String,
}

fn random<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    rand::rng().fill_bytes(&mut bytes);
    bytes
}

impl WrappedKey {
    /// Seals `vault_key` under `pin` and `keystore_secret`, with a fresh salt and nonce.
    pub fn seal(vault_key: &[u8], pin: &Pin, keystore_secret: &[u8], kdf: KdfParams) -> Result<Self> {
        let salt: [u8; 16] = random();
        let nonce: [u8; 24] = random();
        let kek = kdf.derive(pin, &salt, keystore_secret)?;
        let cipher = XChaCha20Poly1305::new(kek.as_ref().into());
        let sealed = cipher
            .encrypt(XNonce::from_slice(&nonce), Payload { msg: vault_key, aad: AAD })
            .map_err(|_| ProtectionError::Derivation("the key could not be sealed".into()))?;
        Ok(Self { format: FORMAT, kdf, salt: B64.encode(salt), nonce: B64.encode(nonce), sealed: B64.encode(sealed) })
    }

    /// The vault key, if `pin` and `keystore_secret` are the ones it was sealed with.
    pub fn open(&self, pin: &Pin, keystore_secret: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
        if self.format != FORMAT {
            return Err(ProtectionError::Damaged(format!("unknown format {}", self.format)));
        }
        let decode = |what: &str, s: &str| B64.decode(s).map_err(|e| ProtectionError::Damaged(format!("{what}: {e}")));
        let (salt, nonce, sealed) =
            (decode("salt", &self.salt)?, decode("nonce", &self.nonce)?, decode("key", &self.sealed)?);
        if nonce.len() != 24 || salt.len() < 8 {
            return Err(ProtectionError::Damaged("the salt or nonce has the wrong length".into()));
        }
        // Bounds on what a tampered file may ask for: never more than 1 GiB or 10 passes.
        if self.kdf.memory_kib > 1024 * 1024 || self.kdf.iterations > 10 || self.kdf.lanes > 8 {
            return Err(ProtectionError::Damaged("the key derivation's cost is out of bounds".into()));
        }
        let kek = self.kdf.derive(pin, &salt, keystore_secret)?;
        let cipher = XChaCha20Poly1305::new(kek.as_ref().into());
        let key = cipher
            .decrypt(XNonce::from_slice(&nonce), Payload { msg: &sealed, aad: AAD })
            .map_err(|_| ProtectionError::WrongPin)?;
        Ok(Zeroizing::new(key))
    }

    /// The Argon2id cost it was sealed with.
    pub fn kdf(&self) -> KdfParams {
        self.kdf
    }

    /// As the data folder stores it.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// From the data folder.
    pub fn from_json(text: &str) -> Result<Self> {
        serde_json::from_str(text).map_err(|e| ProtectionError::Damaged(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Cheap parameters: these tests check the construction, not the cost.
    const LIGHT: KdfParams = KdfParams { memory_kib: 256, iterations: 1, lanes: 1 };

    fn pin(s: &str) -> Pin {
        Pin::entered(s).expect("digits")
    }

    #[test]
    fn the_right_pin_and_secret_open_the_key() {
        let sealed = WrappedKey::seal(&[9u8; 32], &pin("204816"), &[1u8; 32], LIGHT).expect("seal");
        let again = WrappedKey::from_json(&sealed.to_json()).expect("stored");
        assert_eq!(again.open(&pin("204816"), &[1u8; 32]).expect("open").as_slice(), &[9u8; 32]);
    }

    #[test]
    fn neither_the_pin_alone_nor_the_secret_alone_opens_the_key() {
        let sealed = WrappedKey::seal(&[9u8; 32], &pin("204816"), &[1u8; 32], LIGHT).expect("seal");
        assert!(matches!(sealed.open(&pin("204817"), &[1u8; 32]), Err(ProtectionError::WrongPin)));
        assert!(matches!(sealed.open(&pin("204816"), &[2u8; 32]), Err(ProtectionError::WrongPin)));
    }

    #[test]
    fn the_stored_form_holds_neither_the_key_nor_the_pin() {
        let sealed = WrappedKey::seal(b"0123456789abcdef0123456789abcdef", &pin("204816"), &[1u8; 32], LIGHT)
            .expect("seal")
            .to_json();
        assert!(!sealed.contains("0123456789abcdef") && !sealed.contains("204816"));
        assert_eq!(format!("{:?}", pin("204816")), "Pin(…)");
    }

    #[test]
    fn a_tampered_file_is_damaged_not_a_hang() {
        let mut sealed = WrappedKey::seal(&[9u8; 32], &pin("204816"), &[1u8; 32], LIGHT).expect("seal");
        sealed.kdf.memory_kib = u32::MAX;
        assert!(matches!(sealed.open(&pin("204816"), &[1u8; 32]), Err(ProtectionError::Damaged(_))));
        assert!(WrappedKey::from_json("{\"format\":1}").is_err());
    }

    #[test]
    fn a_new_pin_has_the_policys_length_and_is_not_trivial() {
        assert!(Pin::choose("2048", 6).is_err());
        assert!(Pin::choose("20481a", 6).is_err());
        for easy in ["111111", "123456", "654321"] {
            assert!(Pin::choose(easy, 6).is_err(), "{easy}");
        }
        assert!(Pin::choose("204816", 6).is_ok());
        assert!(Pin::entered("2048").is_ok() && Pin::entered("204").is_err() && Pin::entered("").is_err());
    }
}
