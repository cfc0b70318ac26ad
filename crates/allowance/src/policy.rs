//! The council's allowance policy (a TOML file it ships with the app) and what a member may
//! change within it.

use crate::error::{AllowanceError, Result};
use serde::{Deserialize, Serialize};

/// One gibibyte: phone contracts and Android's data screen count 1 GB as 1,024 MB of 1,048,576 bytes.
pub const GB: u64 = 1024 * 1024 * 1024;
/// One mebibyte (shown as "MB").
pub const MB: u64 = 1024 * 1024;

/// The allowance as the council sets it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct AllowancePolicy {
    /// The monthly cap in megabytes (1,024 = 1 GB).
    pub cap_mb: u64,
    /// The day of the month the contract's cycle starts (1–31; a short month starts on its last day).
    pub cycle_start_day: u32,
    /// Warning thresholds in per cent of the cap, ascending.
    pub warn_at_percent: Vec<u32>,
    /// What a month over the cap costs, in pence.
    pub overage_charge_pence: u32,
    /// What members may change for themselves.
    pub member_may_change: MemberMayChange,
}

/// Which settings a member may change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct MemberMayChange {
    /// The cap (a member on a bigger personal contract).
    pub cap: bool,
    /// The cycle's start day.
    pub cycle_start_day: bool,
    /// The warning thresholds.
    pub thresholds: bool,
}

impl Default for AllowancePolicy {
    fn default() -> Self {
        Self {
            cap_mb: 1024,
            cycle_start_day: 1,
            warn_at_percent: vec![50, 75, 90, 100],
            overage_charge_pence: 5000,
            member_may_change: MemberMayChange { cap: false, cycle_start_day: true, thresholds: true },
        }
    }
}

/// A member's own choices (stored in the vault's settings), each `None` when not set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct MemberAllowanceSettings {
    /// Their own cap, in megabytes.
    pub cap_mb: Option<u64>,
    /// Their own cycle start day.
    pub cycle_start_day: Option<u32>,
    /// Their own thresholds, in per cent.
    pub warn_at_percent: Option<Vec<u32>>,
}

/// The allowance in force: the policy with the member's permitted choices applied.
#[derive(Debug, Clone, PartialEq)]
pub struct Allowance {
    /// The cap in bytes.
    pub cap_bytes: u64,
    /// The cycle's start day (1–31).
    pub cycle_start_day: u32,
    /// Thresholds as fractions of the cap, ascending, each in (0, 1.5].
    pub thresholds: Vec<f64>,
    /// The overage charge in pence.
    pub overage_charge_pence: u32,
}

impl AllowancePolicy {
    /// Reads a policy file's text; every problem names the field.
    pub fn from_toml(text: &str) -> Result<Self> {
        let policy: Self = toml::from_str(text).map_err(|e| AllowanceError::Policy(e.message().to_owned()))?;
        policy.validate()?;
        Ok(policy)
    }

    fn validate(&self) -> Result<()> {
        check_cap(self.cap_mb)?;
        check_start_day(self.cycle_start_day)?;
        check_thresholds(&self.warn_at_percent)?;
        Ok(())
    }

    /// The allowance in force for a member with `member`'s settings; a setting the policy
    /// does not let them change is an error, so the UI can say so.
    pub fn apply(&self, member: &MemberAllowanceSettings) -> Result<Allowance> {
        self.validate()?;
        let may = &self.member_may_change;
        if member.cap_mb.is_some() && !may.cap {
            return Err(AllowanceError::Locked("the data cap"));
        }
        if member.cycle_start_day.is_some() && !may.cycle_start_day {
            return Err(AllowanceError::Locked("the day your month starts"));
        }
        if member.warn_at_percent.is_some() && !may.thresholds {
            return Err(AllowanceError::Locked("the warning levels"));
        }
        let cap_mb = member.cap_mb.unwrap_or(self.cap_mb);
        let start = member.cycle_start_day.unwrap_or(self.cycle_start_day);
        let percents = member.warn_at_percent.clone().unwrap_or_else(|| self.warn_at_percent.clone());
        check_cap(cap_mb)?;
        check_start_day(start)?;
        check_thresholds(&percents)?;
        Ok(Allowance {
            cap_bytes: cap_mb * MB,
            cycle_start_day: start,
            thresholds: percents.iter().map(|p| f64::from(*p) / 100.0).collect(),
            overage_charge_pence: self.overage_charge_pence,
        })
    }
}

fn check_cap(mb: u64) -> Result<()> {
    if !(1..=1_048_576).contains(&mb) {
        return Err(AllowanceError::Policy(format!("cap-mb must be between 1 and 1048576 megabytes, not {mb}")));
    }
    Ok(())
}

fn check_start_day(day: u32) -> Result<()> {
    if !(1..=31).contains(&day) {
        return Err(AllowanceError::Policy(format!(
            "cycle-start-day must be a day of the month from 1 to 31, not {day}"
        )));
    }
    Ok(())
}

fn check_thresholds(percents: &[u32]) -> Result<()> {
    if percents.is_empty() {
        return Err(AllowanceError::Policy("warn-at-percent needs at least one threshold".into()));
    }
    if percents.windows(2).any(|w| w[0] >= w[1]) {
        return Err(AllowanceError::Policy(format!("warn-at-percent must rise and not repeat: {percents:?}")));
    }
    if percents.iter().any(|p| !(1..=150).contains(p)) {
        return Err(AllowanceError::Policy(format!("each warn-at-percent must be from 1 to 150: {percents:?}")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_policy_file_gives_the_trial_defaults() {
        let p = AllowancePolicy::from_toml("").expect("defaults");
        let a = p.apply(&MemberAllowanceSettings::default()).expect("allowance");
        assert_eq!(a.cap_bytes, GB);
        assert_eq!(a.thresholds, vec![0.5, 0.75, 0.9, 1.0]);
        assert_eq!(a.overage_charge_pence, 5000);
    }

    #[test]
    fn a_policy_file_sets_the_cap_cycle_and_thresholds() {
        let text =
            "cap-mb = 2048\ncycle-start-day = 14\nwarn-at-percent = [80, 100]\n[member-may-change]\ncap = true\n";
        let p = AllowancePolicy::from_toml(text).expect("policy");
        let a = p.apply(&MemberAllowanceSettings { cap_mb: Some(5120), ..Default::default() }).expect("allowance");
        assert_eq!((a.cap_bytes, a.cycle_start_day, a.thresholds.clone()), (5 * GB, 14, vec![0.8, 1.0]));
    }

    #[test]
    fn bad_policies_are_refused_with_the_field_named() {
        for (text, field) in [
            ("cap-mb = 0", "cap-mb"),
            ("cycle-start-day = 32", "cycle-start-day"),
            ("warn-at-percent = [90, 50]", "warn-at-percent"),
            ("warn-at-percent = []", "warn-at-percent"),
            ("cap-mbs = 10", "cap-mbs"),
            ("cap-mb = \"lots\"", "string"),
        ] {
            let err = AllowancePolicy::from_toml(text).expect_err(text).to_string();
            assert!(err.contains(field), "{text}: {err}");
        }
    }

    #[test]
    fn a_member_cannot_change_what_the_council_fixes() {
        let err = AllowancePolicy::default()
            .apply(&MemberAllowanceSettings { cap_mb: Some(4096), ..Default::default() })
            .expect_err("locked");
        assert_eq!(err.to_string(), "your council sets the data cap, so it cannot be changed here");
        let ok = AllowancePolicy::default()
            .apply(&MemberAllowanceSettings { cycle_start_day: Some(20), ..Default::default() })
            .expect("allowed");
        assert_eq!(ok.cycle_start_day, 20);
    }
}
