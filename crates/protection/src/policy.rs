//! The council's protection policy: one TOML file beside the allowance policy, or the same
//! keys pushed by the MDM as managed app configuration (AppConfig: Android managed
//! configurations, iOS `com.apple.configuration.managed`). See `docs/protection.md`.

use crate::{ProtectionError, Result};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// The council's rules for protecting the cache.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct ProtectionPolicy {
    /// Digits in a new PIN (4–12; 6 by default).
    pub pin_length: u8,
    /// Seconds without a touch or key before the app locks (10–3,600; 300 by default).
    pub idle_lock_seconds: u32,
    /// Wrong PINs in a row that wipe the app (3–20; 10 by default).
    pub wrong_pin_limit: u32,
    /// Hours the app may go without reaching the council's tenant before it locks the cache
    /// until it can (1–2,160; 12 by default, Intune's common default).
    pub offline_lock_hours: u32,
    /// Days without reaching the tenant before the app wipes itself (1–365, and longer than
    /// the lock period; 90 by default).
    pub offline_wipe_days: u32,
    /// Whether members may unlock with the phone's biometrics instead of the PIN.
    pub biometrics_allowed: bool,
    /// Whether notifications must hide the sender and subject.
    pub private_notifications: bool,
    /// Whether members may open attachments in the phone's other apps.
    pub open_attachments: bool,
}

impl Default for ProtectionPolicy {
    fn default() -> Self {
        Self {
            pin_length: 6,
            idle_lock_seconds: 300,
            wrong_pin_limit: 10,
            offline_lock_hours: 12,
            offline_wipe_days: 90,
            biometrics_allowed: true,
            private_notifications: true,
            open_attachments: true,
        }
    }
}

/// A value as an MDM's managed app configuration carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ManagedValue {
    /// An integer key.
    Integer(i64),
    /// A boolean key.
    Bool(bool),
    /// A string key (some consoles send every value as a string).
    Text(String),
}

impl ProtectionPolicy {
    /// The managed app configuration keys, in the order `docs/protection.md` lists them.
    pub const MANAGED_KEYS: [&'static str; 8] = [
        "pin-length",
        "idle-lock-seconds",
        "wrong-pin-limit",
        "offline-lock-hours",
        "offline-wipe-days",
        "biometrics-allowed",
        "private-notifications",
        "open-attachments",
    ];

    /// From the council's TOML file; absent keys take their defaults.
    pub fn from_toml(text: &str) -> Result<Self> {
        let policy: Self = toml::from_str(text).map_err(|e| ProtectionError::Policy(e.message().to_owned()))?;
        policy.validated()
    }

    /// From managed app configuration pairs; unknown keys are named (a typo in the MDM
    /// console must not silently leave a default in force).
    pub fn from_managed(pairs: impl IntoIterator<Item = (String, ManagedValue)>) -> Result<Self> {
        let mut policy = Self::default();
        for (key, value) in pairs {
            let number = |v: &ManagedValue| -> Result<i64> {
                match v {
                    ManagedValue::Integer(n) => Ok(*n),
                    ManagedValue::Text(t) => t
                        .trim()
                        .parse()
                        .map_err(|_| ProtectionError::Policy(format!("{key} must be a whole number, not \"{t}\""))),
                    ManagedValue::Bool(_) => Err(ProtectionError::Policy(format!("{key} must be a whole number"))),
                }
            };
            let flag = |v: &ManagedValue| -> Result<bool> {
                match v {
                    ManagedValue::Bool(b) => Ok(*b),
                    ManagedValue::Text(t) if t.eq_ignore_ascii_case("true") => Ok(true),
                    ManagedValue::Text(t) if t.eq_ignore_ascii_case("false") => Ok(false),
                    _ => Err(ProtectionError::Policy(format!("{key} must be true or false"))),
                }
            };
            let fits = |n: i64| -> Result<u32> {
                u32::try_from(n).map_err(|_| ProtectionError::Policy(format!("{key} is out of range: {n}")))
            };
            match key.as_str() {
                "pin-length" => {
                    policy.pin_length = u8::try_from(number(&value)?)
                        .map_err(|_| ProtectionError::Policy(format!("{key} is out of range")))?
                }
                "idle-lock-seconds" => policy.idle_lock_seconds = fits(number(&value)?)?,
                "wrong-pin-limit" => policy.wrong_pin_limit = fits(number(&value)?)?,
                "offline-lock-hours" => policy.offline_lock_hours = fits(number(&value)?)?,
                "offline-wipe-days" => policy.offline_wipe_days = fits(number(&value)?)?,
                "biometrics-allowed" => policy.biometrics_allowed = flag(&value)?,
                "private-notifications" => policy.private_notifications = flag(&value)?,
                "open-attachments" => policy.open_attachments = flag(&value)?,
                other => {
                    return Err(ProtectionError::Policy(format!(
                        "unknown key `{other}`; the keys are {}",
                        Self::MANAGED_KEYS.join(", ")
                    )))
                }
            }
        }
        policy.validated()
    }

    fn validated(self) -> Result<Self> {
        let check = |ok: bool, what: String| if ok { Ok(()) } else { Err(ProtectionError::Policy(what)) };
        check(
            (4..=12).contains(&self.pin_length),
            format!("pin-length must be 4 to 12 digits, not {}", self.pin_length),
        )?;
        check(
            (10..=3600).contains(&self.idle_lock_seconds),
            format!("idle-lock-seconds must be 10 to 3600, not {}", self.idle_lock_seconds),
        )?;
        check(
            (3..=20).contains(&self.wrong_pin_limit),
            format!("wrong-pin-limit must be 3 to 20, not {}", self.wrong_pin_limit),
        )?;
        check(
            (1..=2160).contains(&self.offline_lock_hours),
            format!("offline-lock-hours must be 1 to 2160, not {}", self.offline_lock_hours),
        )?;
        check(
            (1..=365).contains(&self.offline_wipe_days),
            format!("offline-wipe-days must be 1 to 365, not {}", self.offline_wipe_days),
        )?;
        check(
            u64::from(self.offline_wipe_days) * 24 > u64::from(self.offline_lock_hours),
            format!(
                "offline-wipe-days ({} days) must be longer than offline-lock-hours ({} hours): the cache locks before it is wiped",
                self.offline_wipe_days, self.offline_lock_hours
            ),
        )?;
        Ok(self)
    }

    /// How long without a touch before the app locks.
    pub fn idle_lock(&self) -> Duration {
        Duration::from_secs(self.idle_lock_seconds.into())
    }

    /// How long without reaching the tenant before the cache locks.
    pub fn offline_lock(&self) -> chrono::Duration {
        chrono::Duration::hours(self.offline_lock_hours.into())
    }

    /// How long without reaching the tenant before the app wipes itself.
    pub fn offline_wipe(&self) -> chrono::Duration {
        chrono::Duration::days(self.offline_wipe_days.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_file_is_the_default_policy() {
        let p = ProtectionPolicy::from_toml("").expect("empty");
        assert_eq!(p, ProtectionPolicy::default());
        assert_eq!((p.pin_length, p.idle_lock_seconds, p.wrong_pin_limit), (6, 300, 10));
    }

    #[test]
    fn a_mistyped_key_is_named() {
        let e = ProtectionPolicy::from_toml("pin-lenght = 4\n").expect_err("typo");
        assert!(e.to_string().contains("pin-lenght"), "{e}");
    }

    #[test]
    fn out_of_range_values_say_what_is_allowed() {
        let e = ProtectionPolicy::from_toml("pin-length = 3\n").expect_err("short");
        assert!(e.to_string().contains("4 to 12"), "{e}");
        let e = ProtectionPolicy::from_toml("wrong-pin-limit = 100\n").expect_err("many");
        assert!(e.to_string().contains("3 to 20"), "{e}");
    }

    #[test]
    fn the_wipe_period_must_outlast_the_lock_period() {
        let e = ProtectionPolicy::from_toml("offline-lock-hours = 72\noffline-wipe-days = 2\n").expect_err("order");
        assert!(e.to_string().contains("longer than"), "{e}");
        assert!(ProtectionPolicy::from_toml("offline-lock-hours = 24\noffline-wipe-days = 2\n").is_ok());
    }

    #[test]
    fn managed_configuration_takes_the_same_keys_as_numbers_or_text() {
        let p = ProtectionPolicy::from_managed([
            ("pin-length".to_owned(), ManagedValue::Text("8".into())),
            ("idle-lock-seconds".to_owned(), ManagedValue::Integer(120)),
            ("biometrics-allowed".to_owned(), ManagedValue::Text("false".into())),
            ("open-attachments".to_owned(), ManagedValue::Bool(false)),
        ])
        .expect("managed");
        assert_eq!(
            (p.pin_length, p.idle_lock_seconds, p.biometrics_allowed, p.open_attachments),
            (8, 120, false, false)
        );
        let e = ProtectionPolicy::from_managed([("pin".to_owned(), ManagedValue::Integer(4))]).expect_err("unknown");
        assert!(e.to_string().contains("unknown key `pin`"), "{e}");
        let e = ProtectionPolicy::from_managed([("pin-length".to_owned(), ManagedValue::Text("six".into()))])
            .expect_err("not a number");
        assert!(e.to_string().contains("whole number"), "{e}");
        assert!(ProtectionPolicy::from_managed([("pin-length".to_owned(), ManagedValue::Integer(-1))]).is_err());
    }

    #[test]
    fn every_managed_key_is_a_toml_key_too() {
        for key in ProtectionPolicy::MANAGED_KEYS {
            let value = if key.ends_with("allowed") || key.ends_with("notifications") || key.ends_with("attachments") {
                "true"
            } else {
                "12"
            };
            ProtectionPolicy::from_toml(&format!("{key} = {value}\n")).unwrap_or_else(|e| panic!("{key}: {e}"));
        }
    }
}
