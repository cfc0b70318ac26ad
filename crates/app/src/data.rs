//! The data allowance: the data screen, and what the member may change about it.

use crate::core::{lock, Core};
use crate::error::Result;
use crate::views::{
    feature_label, AllowanceLevel, Collection, DailyUse, DataOverview, FeatureUse, LastUpdate, LevelOverride,
    NetworkChoice, Projection,
};
use chrono::{DateTime, Utc};
use companion_graph::{Network, NetworkProbe};
use std::sync::Arc;

/// The data allowance.
pub struct DataService {
    core: Arc<Core>,
}

impl DataService {
    pub(crate) fn new(core: Arc<Core>) -> Self {
        Self { core }
    }

    /// The data screen.
    pub fn overview(&self, now: DateTime<Utc>) -> Result<DataOverview> {
        let r = self.core.cache()?.allowance.refresh(now)?;
        let governor = self.core.cache()?.allowance.governor();
        let (last_synced_at, last_bytes) = {
            let record = lock(&self.core.updates);
            (record.status.last_synced_at.clone(), record.last_bytes)
        };
        let level_override = match (governor.forced(), governor.extra_left()) {
            (Some(level), extra) => Some(LevelOverride { level: Some(level.into()), extra_bytes_left: extra }),
            (None, extra) if extra > 0 => Some(LevelOverride { level: None, extra_bytes_left: extra }),
            _ => None,
        };
        Ok(DataOverview {
            cycle_start: r.usage.cycle.start.to_string(),
            cycle_end: r.usage.cycle.end.to_string(),
            cap_bytes: r.allowance.cap_bytes,
            app_mobile_bytes: r.usage.mobile,
            app_wifi_bytes: r.usage.wifi,
            device_bytes: r.device.as_ref().map(|d| d.bytes),
            thresholds: r.allowance.thresholds.clone(),
            daily: r
                .usage
                .daily_mobile
                .iter()
                .map(|(date, bytes)| DailyUse { date: date.to_string(), bytes: *bytes })
                .collect(),
            projection: Projection {
                expected_bytes: r.projection.expected,
                low_bytes: r.projection.low,
                high_bytes: r.projection.high,
                sentence: r.sentence(),
            },
            by_feature: r
                .usage
                .by_feature
                .iter()
                .map(|f| FeatureUse {
                    feature: f.feature.clone(),
                    label: feature_label(&f.feature).into(),
                    mobile_bytes: f.mobile,
                    wifi_bytes: f.wifi,
                })
                .collect(),
            last_sync: last_synced_at.map(|at| LastUpdate { at, bytes: last_bytes.unwrap_or(0) }),
            level: r.assessment.level.into(),
            level_reason: r.assessment.reason.clone(),
            level_override,
            network: self.core.network.current().into(),
            network_source: self.core.network.source(),
            // The member sets it until the phone plugin reads it from the OS (docs/android-network.md).
            network_settable: true,
        })
    }

    /// The member chooses a level (`None`: automatic).
    pub fn set_level(&self, level: Option<AllowanceLevel>) -> Result<()> {
        self.core.cache()?.allowance.force_level(level.map(Into::into))?;
        self.core.changed(&[Collection::Allowance]);
        Ok(())
    }

    /// "Spend this much anyway".
    pub fn spend_anyway(&self, bytes: u64) -> Result<()> {
        self.core.cache()?.allowance.governor().spend_anyway(bytes);
        self.core.changed(&[Collection::Allowance]);
        Ok(())
    }

    /// The phone's own figure for this cycle.
    pub fn set_device_usage(&self, bytes: Option<u64>, now: DateTime<Utc>) -> Result<()> {
        self.core.cache()?.allowance.set_device_usage(bytes, now)?;
        self.core.changed(&[Collection::Allowance]);
        Ok(())
    }

    /// The network the computer is on (desktop): the member's choice, or whatever the
    /// computer says.
    pub fn set_network(&self, choice: NetworkChoice) -> Result<()> {
        let (network, setting) = match choice {
            NetworkChoice::System => (None, ""),
            NetworkChoice::Wifi => (Some(Network::Wifi), "wifi"),
            NetworkChoice::Mobile => (Some(Network::Mobile), "mobile"),
        };
        self.core.network.choose(network);
        self.core.vault()?.write(|w| w.set_setting("app.network", setting))?;
        self.core.changed(&[Collection::Allowance]);
        Ok(())
    }
}
