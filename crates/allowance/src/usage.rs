//! What has been used this cycle: the app's own bytes from the vault's ledger, by feature and
//! network, and the whole phone's figure as the member read it from the phone's settings.

use crate::cycle::AllowanceCycle;
use chrono::NaiveDate;
use companion_vault::LedgerEntry;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One feature's bytes this cycle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FeatureUsage {
    /// The ledger's feature name (`mail-bodies`, …).
    pub feature: String,
    /// On mobile data.
    pub mobile: u64,
    /// On Wi-Fi.
    pub wifi: u64,
}

/// The app's use in one cycle, up to and including `today`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CycleUsage {
    /// The cycle.
    pub cycle: AllowanceCycle,
    /// The day it was read.
    pub today: NaiveDate,
    /// Bytes on mobile data (what counts against the cap).
    pub mobile: u64,
    /// Bytes on Wi-Fi.
    pub wifi: u64,
    /// By feature, in the ledger's order.
    pub by_feature: Vec<FeatureUsage>,
    /// Mobile bytes on each day from the cycle's start to `today`, zeros included.
    pub daily_mobile: Vec<(NaiveDate, u64)>,
}

impl CycleUsage {
    /// Sums ledger `entries` (any range: those outside the cycle are ignored).
    pub fn from_ledger(entries: &[LedgerEntry], cycle: AllowanceCycle, today: NaiveDate) -> Self {
        let mut per_day: BTreeMap<NaiveDate, u64> = cycle.dates().take_while(|d| *d <= today).map(|d| (d, 0)).collect();
        let mut features: BTreeMap<String, (u64, u64)> = BTreeMap::new();
        let (mut mobile, mut wifi) = (0, 0);
        for e in entries.iter().filter(|e| cycle.contains(e.day) && e.day <= today) {
            let bytes = e.bytes_up + e.bytes_down;
            let slot = features.entry(e.feature.clone()).or_default();
            if e.network == "mobile" {
                mobile += bytes;
                slot.0 += bytes;
                *per_day.entry(e.day).or_default() += bytes;
            } else {
                wifi += bytes;
                slot.1 += bytes;
            }
        }
        Self {
            cycle,
            today,
            mobile,
            wifi,
            by_feature: features
                .into_iter()
                .map(|(feature, (mobile, wifi))| FeatureUsage { feature, mobile, wifi })
                .collect(),
            daily_mobile: per_day.into_iter().collect(),
        }
    }

    /// Mobile bytes up to and including `day`.
    pub fn mobile_through(&self, day: NaiveDate) -> u64 {
        self.daily_mobile.iter().filter(|(d, _)| *d <= day).map(|(_, b)| b).sum()
    }
}

/// The whole phone's mobile data this cycle, read by the member from the phone's settings (or,
/// on Android, from the OS) on `day`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceReading {
    /// When it was read.
    pub day: NaiveDate,
    /// The phone's mobile bytes from the cycle's start to then.
    pub bytes: u64,
}

/// Use by everything on the phone but this app, as a daily rate, from a device reading.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OtherUse {
    /// Bytes the rest of the phone had used by the reading.
    pub so_far: u64,
    /// Its mean bytes a day.
    pub per_day: f64,
}

impl OtherUse {
    /// The rest of the phone's use, from a reading in this cycle and the app's own use.
    pub fn from_reading(reading: DeviceReading, usage: &CycleUsage) -> Option<Self> {
        if !usage.cycle.contains(reading.day) {
            return None;
        }
        let so_far = reading.bytes.saturating_sub(usage.mobile_through(reading.day));
        let days = (reading.day - usage.cycle.start).num_days() as f64 + 1.0;
        Some(Self { so_far, per_day: so_far as f64 / days })
    }
}

/// Sizes as a member reads them: "850 KB", "740 MB", "1.2 GB" (binary units, as phones show).
pub fn describe_bytes(bytes: u64) -> String {
    const KB: f64 = 1024.0;
    let b = bytes as f64;
    if b < KB * KB {
        format!("{} KB", (b / KB).round() as u64)
    } else if b < KB * KB * KB {
        format!("{} MB", (b / KB / KB).round() as u64)
    } else {
        let gb = b / KB / KB / KB;
        let rounded = (gb * 10.0).round() / 10.0;
        if rounded.fract() == 0.0 {
            format!("{rounded:.0} GB")
        } else {
            format!("{rounded:.1} GB")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(day: &str, feature: &str, network: &str, down: u64) -> LedgerEntry {
        LedgerEntry {
            day: day.parse().expect("day"),
            feature: feature.into(),
            network: network.into(),
            bytes_up: 100,
            bytes_down: down,
            requests: 1,
        }
    }

    #[test]
    fn usage_sums_mobile_and_wifi_by_feature_and_day_within_the_cycle() {
        let cycle = AllowanceCycle::containing("2026-11-10".parse().expect("d"), 1);
        let entries = [
            entry("2026-10-31", "mail-bodies", "mobile", 9_999),
            entry("2026-11-01", "mail-bodies", "mobile", 900),
            entry("2026-11-01", "attachments", "wifi", 4_900),
            entry("2026-11-03", "mail-headers", "mobile", 1_900),
        ];
        let u = CycleUsage::from_ledger(&entries, cycle, "2026-11-04".parse().expect("d"));
        assert_eq!((u.mobile, u.wifi), (3_000, 5_000));
        assert_eq!(u.daily_mobile.iter().map(|(_, b)| *b).collect::<Vec<_>>(), vec![1_000, 0, 2_000, 0]);
        assert_eq!(
            u.by_feature.iter().find(|f| f.feature == "attachments").map(|f| (f.mobile, f.wifi)),
            Some((0, 5_000))
        );
    }

    #[test]
    fn sizes_read_as_a_phone_shows_them() {
        assert_eq!(describe_bytes(870_400), "850 KB");
        assert_eq!(describe_bytes(740 * 1024 * 1024), "740 MB");
        assert_eq!(describe_bytes(1024 * 1024 * 1024), "1 GB");
        assert_eq!(describe_bytes(1_288_490_189), "1.2 GB");
    }
}
