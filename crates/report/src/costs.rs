//! The deal's costs, from a TOML file the officer fills in (see `docs/report-inputs.md`).
//! The estimate, allocation and worst-case overage default to the trial decision's figures.

use serde::Deserialize;

/// What the trial and a roll-out cost, in pounds.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Costs {
    /// One handset.
    pub handset: f64,
    /// A line's rental, a month.
    pub line_rental_per_month: f64,
    /// The device management licence, a device a month.
    pub mdm_licence_per_month: f64,
    /// What a month over the cap costs.
    pub overage_charge: f64,
    /// The service desk's time, an hour.
    pub support_per_hour: f64,
    /// The contract's length (the decision says a two-year agreement).
    pub contract_months: u32,
    /// How many members the council has, for the roll-out projection.
    #[serde(default)]
    pub council_members: Option<u32>,
    /// The decision's estimate for the trial.
    #[serde(default = "estimate")]
    pub estimate: f64,
    /// The budget allocated.
    #[serde(default = "allocation")]
    pub allocation: f64,
    /// The decision's worst case for overage.
    #[serde(default = "worst_case")]
    pub worst_case_overage: f64,
}

fn estimate() -> f64 {
    7_200.0
}
fn allocation() -> f64 {
    9_500.0
}
fn worst_case() -> f64 {
    2_000.0
}

/// Reads the costs; each problem is a sentence naming the key (`file` leads it).
pub fn read_costs(file: &str, text: &str) -> Result<Costs, Vec<crate::Problem>> {
    let problem = |message: String| crate::Problem { file: file.to_owned(), line: None, message };
    let costs: Costs = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| text[..s.start.min(text.len())].matches('\n').count() as u64 + 1);
        vec![crate::Problem { file: file.to_owned(), line, message: e.message().to_owned() }]
    })?;
    let mut problems = Vec::new();
    for (key, value) in [
        ("handset", costs.handset),
        ("line-rental-per-month", costs.line_rental_per_month),
        ("mdm-licence-per-month", costs.mdm_licence_per_month),
        ("overage-charge", costs.overage_charge),
        ("support-per-hour", costs.support_per_hour),
        ("estimate", costs.estimate),
        ("allocation", costs.allocation),
        ("worst-case-overage", costs.worst_case_overage),
    ] {
        if !value.is_finite() || value < 0.0 {
            problems.push(problem(format!("{key} must be an amount in pounds, not {value}")));
        }
    }
    if !(1..=120).contains(&costs.contract_months) {
        problems.push(problem(format!("contract-months must be between 1 and 120, not {}", costs.contract_months)));
    }
    if problems.is_empty() {
        Ok(costs)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const COSTS: &str = "handset = 180.0\nline-rental-per-month = 10.0\nmdm-licence-per-month = 3.5\noverage-charge = 50.0\nsupport-per-hour = 32.0\ncontract-months = 24\n";

    #[test]
    fn the_decisions_figures_are_the_defaults() {
        let c = read_costs("costs.toml", COSTS).expect("costs");
        assert_eq!(
            (c.estimate, c.allocation, c.worst_case_overage, c.contract_months),
            (7_200.0, 9_500.0, 2_000.0, 24)
        );
    }

    #[test]
    fn a_missing_key_a_negative_cost_or_an_unknown_key_is_named() {
        let missing = read_costs("costs.toml", &COSTS.replace("handset = 180.0\n", "")).expect_err("refused");
        assert!(missing[0].to_string().contains("handset"), "{missing:?}");
        let negative = read_costs("costs.toml", &COSTS.replace("180.0", "-1.0")).expect_err("refused");
        assert_eq!(negative[0].to_string(), "costs.toml: handset must be an amount in pounds, not -1");
        let unknown = read_costs("costs.toml", &format!("{COSTS}colour = 1\n")).expect_err("refused");
        assert!(unknown[0].to_string().contains("colour") && unknown[0].line == Some(7), "{unknown:?}");
    }
}
