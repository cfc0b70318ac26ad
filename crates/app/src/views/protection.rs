//! The app lock, as the lock screen, the PIN screens and the settings show it. Nothing here
//! comes from the mailbox: the lock screen must show nothing of the member's.

use serde::Serialize;

/// Why the app removed everything it held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum WipeReason {
    /// The member signed out.
    SignedOut,
    /// Someone else signed in on this device.
    DifferentAccount,
    /// Too many wrong PINs.
    WrongPins,
    /// The member chose "forgotten PIN".
    ForgottenPin,
    /// The council disabled or deleted the member's account.
    AccountGone,
    /// The council asked for this device to be wiped.
    CouncilRequest,
    /// The app could not reach the council for longer than the council allows.
    OfflineTooLong,
    /// The key that opens the cache was gone (the device's keyring lost it).
    KeyLost,
}

impl WipeReason {
    /// What to tell the member, in plain British English.
    pub fn message(self) -> &'static str {
        match self {
            Self::SignedOut => "You signed out, so Member Companion removed your council email, calendar and contacts from this device.",
            Self::DifferentAccount => "A different council account signed in, so Member Companion removed the previous member's email, calendar and contacts from this device.",
            Self::WrongPins => "The wrong PIN was entered too many times, so Member Companion removed your council email, calendar and contacts from this device.",
            Self::ForgottenPin => "You chose to reset your PIN, so Member Companion removed your council email, calendar and contacts from this device.",
            Self::AccountGone => "Your council account has been disabled or removed, so Member Companion removed your council email, calendar and contacts from this device. Please contact the ICT service desk if you think this is a mistake.",
            Self::CouncilRequest => "Your council asked for Member Companion to be cleared on this device, so your council email, calendar and contacts have been removed.",
            Self::OfflineTooLong => "Member Companion could not reach the council for longer than the council allows, so it removed your council email, calendar and contacts from this device.",
            Self::KeyLost => "The key that protects Member Companion's data on this device was lost (for example, when the device's keyring was reset), so the unreadable data was removed.",
        }
    }
}

/// What the app last removed, shown once on the next screen.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct WipeNotice {
    /// When, as an ISO 8601 time.
    pub at: String,
    /// Why.
    pub reason: WipeReason,
    /// What to tell the member.
    pub message: String,
}

/// Where the app lock stands.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "state", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum ProtectionStatus {
    /// Nothing is stored yet (first start, or after a wipe): the member chooses a PIN, then
    /// signs in.
    ChoosePin {
        /// Digits the PIN must have.
        pin_length: u8,
        /// What was removed last, if this follows a wipe.
        wiped: Option<WipeNotice>,
    },
    /// Locked: the PIN opens it.
    Locked {
        /// Wrong PINs in a row so far.
        wrong_pins: u32,
        /// Wrong PINs left before the app wipes itself.
        tries_left: u32,
        /// Seconds before the next try is allowed (0: now).
        wait_seconds: u64,
        /// Whether the council lets members unlock with biometrics (phones only).
        biometrics_allowed: bool,
    },
    /// Open, but the app has not reached the council for longer than the council allows: the
    /// cache stays closed until an update gets through.
    ReachCouncil {
        /// Hours since the app last reached the council.
        offline_hours: u32,
        /// Days left before the app wipes itself.
        wipe_in_days: u32,
    },
    /// Open.
    Unlocked {
        /// Seconds without a touch before the app locks.
        idle_lock_seconds: u32,
    },
}

/// The protection part of the settings screen.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ProtectionSettings {
    /// The code the council uses to ask for this device to be wiped (shown to the member so
    /// they can read it to the service desk).
    pub device_code: String,
    /// Digits in a PIN.
    pub pin_length: u8,
    /// Seconds without a touch before the app locks.
    pub idle_lock_seconds: u32,
    /// Wrong PINs that wipe the app.
    pub wrong_pin_limit: u32,
    /// Hours without reaching the council before the cache locks.
    pub offline_lock_hours: u32,
    /// Days without reaching the council before the app wipes itself.
    pub offline_wipe_days: u32,
    /// Whether biometric unlock is allowed (phones only).
    pub biometrics_allowed: bool,
    /// Whether the device's keyring keeps the app's keys across restarts; when it does not
    /// (a Linux desktop without a Secret Service), the app starts clean after each restart.
    pub keys_survive_restart: bool,
}
