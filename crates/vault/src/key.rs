//! The database key: 256 random bits, wiped from memory when dropped, never printed.

use rand::RngCore;
use zeroize::Zeroizing;

/// The vault's raw SQLCipher key. `Debug` does not show it and it implements neither
/// `Display` nor `Serialize`, so it cannot be logged or sent to the UI by accident.
pub struct VaultKey(Zeroizing<[u8; 32]>);

impl VaultKey {
    /// The key's length in bytes.
    pub const LEN: usize = 32;

    /// A new random key from the operating system's generator.
    pub fn generate() -> Self {
        let mut bytes = Zeroizing::new([0u8; 32]);
        rand::rng().fill_bytes(bytes.as_mut());
        Self(bytes)
    }

    /// A key from stored bytes; `None` unless there are exactly 32.
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let array: [u8; 32] = bytes.try_into().ok()?;
        Some(Self(Zeroizing::new(array)))
    }

    /// The raw bytes, to hand to the keyring.
    pub fn as_bytes(&self) -> &[u8] {
        self.0.as_ref()
    }

    /// SQLCipher's raw-key literal, `x'…'`, which skips key derivation.
    pub(crate) fn pragma_literal(&self) -> Zeroizing<String> {
        let mut s = Zeroizing::new(String::with_capacity(67));
        s.push_str("x'");
        for b in self.0.iter() {
            s.push_str(&format!("{b:02x}"));
        }
        s.push('\'');
        s
    }
}

impl std::fmt::Debug for VaultKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("VaultKey(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_does_not_debug_print_itself() {
        let key = VaultKey::from_bytes(&[0xab; 32]).expect("32 bytes");
        assert_eq!(format!("{key:?}"), "VaultKey(…)");
        assert!(!format!("{key:?}").contains("ab"));
    }

    #[test]
    fn only_32_bytes_make_a_key_and_generated_keys_differ() {
        assert!(VaultKey::from_bytes(&[1; 31]).is_none());
        assert_ne!(VaultKey::generate().as_bytes(), VaultKey::generate().as_bytes());
        assert_eq!(VaultKey::from_bytes(&[0x0f; 32]).expect("key").pragma_literal().len(), 67);
    }
}
