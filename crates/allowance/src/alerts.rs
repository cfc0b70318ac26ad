//! Warnings at the thresholds: each fires once per cycle, and again in the next cycle. Which
//! have fired is kept in the vault, so a restart does not repeat one.

use crate::cycle::AllowanceCycle;
use crate::error::Result;
use crate::policy::Allowance;
use crate::usage::describe_bytes;
use chrono::NaiveDate;
use companion_vault::Vault;
use serde::{Deserialize, Serialize};

const FIRED_KEY: &str = "allowance.alerts-fired";

/// A warning to show as an OS notification and in the app.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ThresholdAlert {
    /// The threshold, in per cent of the cap.
    pub percent: u32,
    /// The notification's title.
    pub title: String,
    /// Its text.
    pub body: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Fired {
    cycle_start: Option<NaiveDate>,
    percents: Vec<u32>,
}

/// Thresholds crossed by `used` in `cycle` that have not fired in this cycle yet; they are
/// recorded as fired before this returns, so each is given out once.
pub fn take_due_alerts(
    vault: &Vault,
    allowance: &Allowance,
    cycle: AllowanceCycle,
    used: u64,
    overage_charge: &str,
) -> Result<Vec<ThresholdAlert>> {
    let mut fired: Fired = vault.setting(FIRED_KEY)?.and_then(|s| serde_json::from_str(&s).ok()).unwrap_or_default();
    if fired.cycle_start != Some(cycle.start) {
        fired = Fired { cycle_start: Some(cycle.start), percents: vec![] };
    }
    let cap = allowance.cap_bytes;
    let crossed: Vec<u32> = allowance
        .thresholds
        .iter()
        .map(|t| (t * 100.0).round() as u32)
        .filter(|p| used as f64 >= cap as f64 * f64::from(*p) / 100.0 && !fired.percents.contains(p))
        .collect();
    if crossed.is_empty() {
        return Ok(vec![]);
    }
    fired.percents.extend(&crossed);
    let text = serde_json::to_string(&fired).unwrap_or_default();
    vault.write(|w| w.set_setting(FIRED_KEY, &text))?;
    // Only the highest newly crossed threshold is worth a notification; the rest are implied.
    let Some(&percent) = crossed.iter().max() else { return Ok(vec![]) };
    let ends = cycle.end.format("%-d %B");
    let alert = if percent >= 100 {
        ThresholdAlert {
            percent,
            title: "You have used all your mobile data".into(),
            body: format!("You have used {} of {} before {ends}. Going over can cost {overage_charge}. Member Companion now downloads only what you ask for.", describe_bytes(used), describe_bytes(cap)),
        }
    } else {
        ThresholdAlert {
            percent,
            title: format!("{percent}% of your mobile data used"),
            body: format!(
                "You have used {} of your {} this month (to {ends}). Open Member Companion to see where it went.",
                describe_bytes(used),
                describe_bytes(cap)
            ),
        }
    };
    Ok(vec![alert])
}
