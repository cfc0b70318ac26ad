//! The data allowance, as the data screen shows it.

use super::{NetworkKind, NetworkSource};
use serde::{Deserialize, Serialize};

/// How sparingly the app uses mobile data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum AllowanceLevel {
    /// Everything downloads as usual.
    Normal,
    /// Bodies only when opened; large files ask first; updates less often.
    Saver,
    /// Headers only in the background; nothing large on mobile data.
    Critical,
}

impl From<companion_allowance::Level> for AllowanceLevel {
    fn from(l: companion_allowance::Level) -> Self {
        match l {
            companion_allowance::Level::Normal => Self::Normal,
            companion_allowance::Level::Saver => Self::Saver,
            companion_allowance::Level::Critical => Self::Critical,
        }
    }
}

impl From<AllowanceLevel> for companion_allowance::Level {
    fn from(l: AllowanceLevel) -> Self {
        match l {
            AllowanceLevel::Normal => Self::Normal,
            AllowanceLevel::Saver => Self::Saver,
            AllowanceLevel::Critical => Self::Critical,
        }
    }
}

/// Mobile bytes on one day of the cycle.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DailyUse {
    /// The London date, "YYYY-MM-DD".
    pub date: String,
    /// Mobile bytes that day.
    pub bytes: u64,
}

/// Where the cycle is heading.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Projection {
    /// Expected mobile use by the cycle's end.
    pub expected_bytes: u64,
    /// The likely range's low end.
    pub low_bytes: u64,
    /// Its high end.
    pub high_bytes: u64,
    /// e.g. "At this rate you will use about 740 MB by 14 December."
    pub sentence: String,
}

/// One feature's share of the cycle.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct FeatureUse {
    /// The ledger's name, e.g. `mail-bodies`.
    pub feature: String,
    /// The member's words, e.g. "Messages".
    pub label: String,
    /// On mobile data.
    pub mobile_bytes: u64,
    /// On Wi-Fi.
    pub wifi_bytes: u64,
}

/// What the last finished update moved.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LastUpdate {
    /// When it finished (RFC 3339).
    pub at: String,
    /// Bytes on the wire.
    pub bytes: u64,
}

/// The member's own choice over the automatic level.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct LevelOverride {
    /// The level they chose (none: automatic, but spending "anyway").
    pub level: Option<AllowanceLevel>,
    /// Bytes still allowed "anyway".
    pub extra_bytes_left: u64,
}

/// The data screen.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct DataOverview {
    /// The billing cycle's first London date.
    pub cycle_start: String,
    /// Its last (inclusive).
    pub cycle_end: String,
    /// The allowance in bytes (1 GB = 1,073,741,824, as phone contracts count).
    pub cap_bytes: u64,
    /// The app's own use on mobile data this cycle.
    pub app_mobile_bytes: u64,
    /// The app's own use on Wi-Fi this cycle.
    pub app_wifi_bytes: u64,
    /// The whole phone's mobile data this cycle, when known.
    pub device_bytes: Option<u64>,
    /// Warning thresholds as fractions of the cap.
    pub thresholds: Vec<f64>,
    /// Mobile bytes per day, oldest first.
    pub daily: Vec<DailyUse>,
    /// Where the cycle is heading.
    pub projection: Projection,
    /// Each feature's share.
    pub by_feature: Vec<FeatureUse>,
    /// What the last update cost.
    pub last_sync: Option<LastUpdate>,
    /// The level in force.
    pub level: AllowanceLevel,
    /// Why, in plain words.
    pub level_reason: String,
    /// The member's own choice, when they made one.
    #[serde(rename = "override")]
    pub level_override: Option<LevelOverride>,
    /// The network the app counts its use against.
    pub network: NetworkKind,
    /// Where that comes from: the member's choice, the computer, or an assumption.
    pub network_source: NetworkSource,
    /// True where the member may say which network the device is on (desktop); false where
    /// only the OS says (phones, once their plugin reads it).
    pub network_settable: bool,
}

/// The ledger's feature names in the member's words.
pub(crate) fn feature_label(feature: &str) -> &'static str {
    match feature {
        "sign-in" => "Signing in",
        "mail-headers" => "Mail lists",
        "mail-bodies" => "Messages",
        "attachments" => "Attachments",
        "calendar" => "Calendar",
        "contacts" => "Contacts",
        "directory" => "Council directory",
        "evidence" => "Trial feedback",
        "committee-papers" => "Committee papers",
        _ => "Other",
    }
}
