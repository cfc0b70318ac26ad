//! The data allowance. Trial phones have a 1 GB monthly contract and a month over it costs
//! £50: this crate knows the council's [`AllowancePolicy`], the [`AllowanceCycle`] in
//! Europe/London, the cycle's [`CycleUsage`] from the vault's ledger, a weekday-aware
//! [`Projection`], the once-per-cycle [`ThresholdAlert`]s, and the [`Governor`] that the sync
//! engine obeys as its data policy. [`DataAllowance`] ties them to a vault.

mod alerts;
mod cycle;
mod error;
mod governor;
mod policy;
mod projection;
mod usage;

pub use alerts::{take_due_alerts, ThresholdAlert};
pub use cycle::AllowanceCycle;
pub use error::{AllowanceError, Result};
pub use governor::{Assessment, Governor, Level, UpdatePlan, LARGE};
pub use policy::{Allowance, AllowancePolicy, MemberAllowanceSettings, MemberMayChange, GB, MB};
pub use projection::Projection;
pub use usage::{describe_bytes, CycleUsage, DeviceReading, FeatureUsage, OtherUse};

use chrono::{DateTime, Utc};
use chrono_tz::Europe::London;
use companion_vault::Vault;
use std::sync::Arc;

const MEMBER_KEY: &str = "allowance.member";
const DEVICE_KEY: &str = "allowance.device-reading";
/// Device readings kept: one a cycle, for every cycle whose usage report may still be made.
const READINGS_KEPT: usize = 6;
const LEVEL_KEY: &str = "allowance.forced-level";

/// Where the month stands: what the data screen shows and what the app acts on.
#[derive(Debug, Clone)]
pub struct AllowanceReport {
    /// The allowance in force.
    pub allowance: Allowance,
    /// The app's use this cycle.
    pub usage: CycleUsage,
    /// The phone's own figure, if the member gave one this cycle.
    pub device: Option<DeviceReading>,
    /// Where the month is heading.
    pub projection: Projection,
    /// The governor's level and why.
    pub assessment: Assessment,
    /// Warnings newly due (show each as a notification).
    pub alerts: Vec<ThresholdAlert>,
}

impl AllowanceReport {
    /// The projection in plain words.
    pub fn sentence(&self) -> String {
        self.projection.sentence(self.allowance.cap_bytes)
    }
}

/// The allowance of one member's phone, kept in their vault.
pub struct DataAllowance {
    vault: Arc<Vault>,
    policy: AllowancePolicy,
    governor: Arc<Governor>,
}

impl DataAllowance {
    /// The allowance under `policy`, with the member's stored choices and override restored.
    pub fn new(vault: Arc<Vault>, policy: AllowancePolicy) -> Result<Self> {
        let governor = Arc::new(Governor::new());
        if let Some(level) = vault.setting(LEVEL_KEY)?.and_then(|s| serde_json::from_str::<Level>(&s).ok()) {
            governor.force(Some(level));
        }
        Ok(Self { vault, policy, governor })
    }

    /// The governor, to hand to the sync engine as its data policy.
    pub fn governor(&self) -> Arc<Governor> {
        self.governor.clone()
    }

    /// The member's own settings.
    pub fn member_settings(&self) -> Result<MemberAllowanceSettings> {
        Ok(self.vault.setting(MEMBER_KEY)?.and_then(|s| serde_json::from_str(&s).ok()).unwrap_or_default())
    }

    /// The allowance in force.
    pub fn allowance(&self) -> Result<Allowance> {
        self.policy.apply(&self.member_settings()?)
    }

    /// Changes the member's settings, if the policy allows each.
    pub fn set_member_settings(&self, settings: &MemberAllowanceSettings) -> Result<()> {
        self.policy.apply(settings)?;
        let text = serde_json::to_string(settings).unwrap_or_default();
        self.vault.write(|w| w.set_setting(MEMBER_KEY, &text))?;
        Ok(())
    }

    /// Records the phone's own mobile-data figure for this cycle as read on `now`'s day (it
    /// replaces an earlier reading in the same cycle), or forgets this cycle's (`None`). The
    /// readings of earlier cycles are kept: a cycle's usage report is made at the first update
    /// after it ends, which may come after the member has read the next cycle's figure.
    pub fn set_device_usage(&self, bytes: Option<u64>, now: DateTime<Utc>) -> Result<()> {
        let day = now.with_timezone(&London).date_naive();
        let cycle = AllowanceCycle::containing(day, self.allowance()?.cycle_start_day);
        let mut readings = self.device_readings()?;
        readings.retain(|r| !cycle.contains(r.day));
        if let Some(bytes) = bytes {
            readings.push(DeviceReading { day, bytes });
        }
        readings.sort_by_key(|r| r.day);
        let excess = readings.len().saturating_sub(READINGS_KEPT);
        readings.drain(..excess);
        let text =
            if readings.is_empty() { String::new() } else { serde_json::to_string(&readings).unwrap_or_default() };
        self.vault.write(|w| w.set_setting(DEVICE_KEY, &text))?;
        Ok(())
    }

    /// The readings kept, oldest first. An older version kept one reading, not a list.
    fn device_readings(&self) -> Result<Vec<DeviceReading>> {
        let Some(text) = self.vault.setting(DEVICE_KEY)? else { return Ok(Vec::new()) };
        Ok(serde_json::from_str::<Vec<DeviceReading>>(&text)
            .or_else(|_| serde_json::from_str::<DeviceReading>(&text).map(|r| vec![r]))
            .unwrap_or_default())
    }

    /// The member sets the level, or `None` to let it follow the projection.
    pub fn force_level(&self, level: Option<Level>) -> Result<()> {
        let text = level.map(|l| serde_json::to_string(&l).unwrap_or_default()).unwrap_or_default();
        self.vault.write(|w| w.set_setting(LEVEL_KEY, &text))?;
        self.governor.force(level);
        Ok(())
    }

    /// The phone's own figure the member last typed in, if any (for the cycle it was read in).
    pub fn device_reading(&self) -> Result<Option<DeviceReading>> {
        Ok(self.device_readings()?.pop())
    }

    /// The member's latest reading of the phone's own figure within `cycle`, if any.
    pub fn device_reading_in(&self, cycle: AllowanceCycle) -> Result<Option<DeviceReading>> {
        Ok(self.device_readings()?.into_iter().rev().find(|r| cycle.contains(r.day)))
    }

    /// Reads the ledger, projects, reassesses the governor and takes any warnings due.
    pub fn refresh(&self, now: DateTime<Utc>) -> Result<AllowanceReport> {
        let allowance = self.allowance()?;
        let today = now.with_timezone(&London).date_naive();
        let cycle = AllowanceCycle::containing(today, allowance.cycle_start_day);
        let entries = self.vault.traffic(cycle.start, cycle.end)?;
        let usage = CycleUsage::from_ledger(&entries, cycle, today);
        let device = self.device_reading_in(cycle)?;
        let other = device.and_then(|r| OtherUse::from_reading(r, &usage));
        let projection = Projection::of(&usage, other);
        let assessment = self.governor.assess(&allowance, &projection);
        let charge = format!("£{}", f64::from(allowance.overage_charge_pence) / 100.0);
        let alerts = take_due_alerts(&self.vault, &allowance, cycle, projection.used, &charge)?;
        Ok(AllowanceReport { allowance, usage, device, projection, assessment, alerts })
    }
}

#[cfg(feature = "month-simulation")]
pub mod simulation;
