//! Beyond the trial: what other councils do, and what the decision's three options would cost
//! over the contract, with the overage risk as a range from the member-cycles the trial saw.

use crate::tables::{bill_for, over, pence, Cell, ReportInputs, Table, SMALLEST_GROUP};
use std::collections::BTreeSet;

/// The officer's triangulation file as a table.
pub(crate) fn others(inputs: &ReportInputs) -> Table {
    let rows = inputs
        .others
        .iter()
        .map(|o| {
            vec![
                Cell::Text(o.council.clone()),
                Cell::Text(o.policy.clone()),
                Cell::Text(o.who.clone()),
                Cell::Text(o.device.clone()),
                o.cost_per_member_pence.map_or(Cell::Empty, Cell::Money),
                Cell::Text(o.usefulness.clone()),
                Cell::Text(o.savings.clone()),
            ]
        })
        .collect();
    Table {
        id: "other-councils",
        title: "What other councils do".into(),
        caption: "As other councils told democratic services: their policy, who gets a phone, the device, the cost per member a month, how useful members found it and the savings they reported.".into(),
        headers: ["Council", "Policy", "Who gets a phone", "Device", "Cost per member a month", "Usefulness", "Savings"]
            .map(String::from)
            .to_vec(),
        rows,
    }
}

/// The 95% Wilson interval of a proportion `k` of `n`: a range that stays inside 0 to 1 and
/// is honest about a small trial.
fn wilson(k: u64, n: u64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let (k, n, z) = (k as f64, n as f64, 1.96_f64);
    let p = k / n;
    let denominator = 1.0 + z * z / n;
    let centre = (p + z * z / (2.0 * n)) / denominator;
    let half = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt() / denominator;
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

/// The decision's three options over the contract.
pub(crate) fn rollout(inputs: &ReportInputs) -> Table {
    let c = &inputs.costs;
    let headers = [
        "Option",
        "Members",
        "Handsets",
        "Line rental and licences",
        "Overage (likely range)",
        "Service desk hours",
        "Service desk cost",
        "Total (likely range)",
    ]
    .map(String::from)
    .to_vec();
    let caption = format!(
        "Each option over the {}-month contract: handsets, line rental and device management licences, the overage charges the trial's member-cycles suggest (a 95% range), and the service desk's time at the trial's rate of minutes per member-month.",
        c.contract_months
    );
    let trial_members: BTreeSet<&str> = inputs.usage.iter().map(|u| u.member.as_str()).collect();
    let cycles = inputs.usage.iter().map(|u| (&u.member, u.cycle_start)).collect::<BTreeSet<_>>().len() as u64;
    let overs = inputs.usage.iter().filter(|u| over(u, bill_for(inputs, u))).count() as u64;
    let minutes: u64 = inputs.support.iter().filter_map(|s| s.minutes).sum::<u64>()
        + inputs.tickets.iter().map(|t| t.minutes).sum::<u64>();
    let Some(council) = c.council_members else {
        let mut note = vec![Cell::Text("Give council-members in the costs file to project a roll-out.".into())];
        note.resize(headers.len(), Cell::Empty);
        return Table { id: "rollout", title: "The three options".into(), caption, headers, rows: vec![note] };
    };
    // Those who would keep a phone, from the exit survey's "keep" (each member's answer).
    let keep: Vec<bool> = {
        let mut latest = std::collections::BTreeMap::new();
        for a in inputs.answers.iter().filter(|a| a.survey == "exit" && a.question == "keep") {
            latest.insert(a.member.as_str(), a.choice.as_deref() == Some("Yes"));
        }
        latest.into_values().collect()
    };
    let wanting = (keep.len() >= SMALLEST_GROUP).then(|| {
        ((keep.iter().filter(|k| **k).count() as f64 / keep.len() as f64) * f64::from(council)).round() as u64
    });
    let (low, high) = wilson(overs, cycles);
    let per_member_month_minutes = if cycles == 0 { 0.0 } else { minutes as f64 / cycles as f64 };
    let months = u64::from(c.contract_months);
    let option = |name: &str, members: Option<u64>| -> Vec<Cell> {
        let Some(n) = members else {
            return vec![
                Cell::Text(name.into()),
                Cell::Suppressed,
                Cell::Suppressed,
                Cell::Suppressed,
                Cell::Suppressed,
                Cell::Suppressed,
                Cell::Suppressed,
                Cell::Suppressed,
            ];
        };
        let member_months = n * months;
        let handsets = n * pence(c.handset);
        let running = member_months * (pence(c.line_rental_per_month) + pence(c.mdm_licence_per_month));
        let overage = |p: f64| (member_months as f64 * p * c.overage_charge * 100.0).round() as u64;
        let support_minutes = member_months as f64 * per_member_month_minutes;
        let support = (support_minutes * c.support_per_hour * 100.0 / 60.0).round() as u64;
        let range = |a: u64, b: u64| Cell::Text(format!("{} to {}", Cell::Money(a).text(), Cell::Money(b).text()));
        vec![
            Cell::Text(name.into()),
            Cell::Count(n),
            Cell::Money(handsets),
            Cell::Money(running),
            range(overage(low), overage(high)),
            Cell::Count((support_minutes / 60.0).round() as u64),
            Cell::Money(support),
            range(handsets + running + support + overage(low), handsets + running + support + overage(high)),
        ]
    };
    let rows = vec![
        option("Every member", Some(u64::from(council))),
        option("Members who want one", wanting),
        option("A small trial (this trial's size)", Some(trial_members.len() as u64)),
    ];
    Table { id: "rollout", title: "The three options".into(), caption, headers, rows }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wilson_interval_matches_the_textbook_and_stays_within_bounds() {
        // 2 of 6: the textbook's 95% Wilson interval is 0.0968 to 0.7000.
        let (low, high) = wilson(2, 6);
        assert!((low - 0.0968).abs() < 0.0005 && (high - 0.7000).abs() < 0.0005, "{low} {high}");
        assert_eq!(wilson(0, 10).0, 0.0);
        assert!(wilson(10, 10).1 <= 1.0);
    }
}
