//! The report's tables, computed from checked inputs. Figures that describe fewer than three
//! members are suppressed wherever they appear; members appear only by their codes.

use crate::{AnswerRow, BillLine, Costs, ResponseRow, SupportRow, Ticket, UsageRow};
use chrono::{Datelike, NaiveDate};
use std::collections::{BTreeMap, BTreeSet};

/// The fewest members a figure may describe.
pub const SMALLEST_GROUP: usize = 3;

/// One cell of a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Words.
    Text(String),
    /// A count.
    Count(u64),
    /// Money, in pence.
    Money(u64),
    /// Data, in bytes (shown in MB of 1,048,576 bytes, as the cap and the app count).
    Data(u64),
    /// Days, to one decimal place.
    Days(f64),
    /// Not shown: it would describe fewer than three members.
    Suppressed,
    /// Nothing to show (not known).
    Empty,
}

impl Cell {
    /// As the officer reads it.
    pub fn text(&self) -> String {
        match self {
            Cell::Text(t) => t.clone(),
            Cell::Count(n) => thousands(*n),
            Cell::Money(p) => format!("£{}.{:02}", thousands(p / 100), p % 100),
            Cell::Data(b) => {
                let tenths = (*b as f64 / 1_048_576.0 * 10.0).round() as u64;
                format!("{}.{} MB", thousands(tenths / 10), tenths % 10)
            }
            Cell::Days(d) => format!("{d:.1}"),
            Cell::Suppressed => "Not shown (fewer than 3 members)".into(),
            Cell::Empty => "—".into(),
        }
    }

    /// As a spreadsheet wants it: plain numbers (pounds, MB), no separators.
    pub fn plain(&self) -> String {
        match self {
            Cell::Text(t) => t.clone(),
            Cell::Count(n) => n.to_string(),
            Cell::Money(p) => format!("{}.{:02}", p / 100, p % 100),
            Cell::Data(b) => format!("{:.1}", *b as f64 / 1_048_576.0),
            Cell::Days(d) => format!("{d:.1}"),
            Cell::Suppressed => "suppressed".into(),
            Cell::Empty => String::new(),
        }
    }
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A count of members: shown as it is when none or three or more, otherwise suppressed (one
/// or two members are a group small enough to point at someone).
pub fn members_cell(n: usize) -> Cell {
    if n > 0 && n < SMALLEST_GROUP {
        Cell::Suppressed
    } else {
        Cell::Count(n as u64)
    }
}

/// A table: its file name, title, what it shows, headings and rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The CSV file's name, without `.csv`.
    pub id: &'static str,
    /// Its heading.
    pub title: String,
    /// What it shows and how it was counted.
    pub caption: String,
    /// Column headings.
    pub headers: Vec<String>,
    /// Rows; the first cell names the row.
    pub rows: Vec<Vec<Cell>>,
}

/// A section of the report, as the decision's questions run.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// Its heading.
    pub title: &'static str,
    /// Its tables.
    pub tables: Vec<Table>,
    /// A chart of some of the same figures.
    pub figure: Option<crate::Figure>,
}

/// What the report is made from, already checked.
#[derive(Debug, Clone)]
pub struct ReportInputs {
    /// The usage reports list.
    pub usage: Vec<UsageRow>,
    /// The support requests list.
    pub support: Vec<SupportRow>,
    /// The carrier's bill.
    pub bill: Vec<BillLine>,
    /// The service desk's tickets.
    pub tickets: Vec<Ticket>,
    /// The costs.
    pub costs: Costs,
    /// The survey answers list.
    pub answers: Vec<AnswerRow>,
    /// The survey responses list.
    pub responses: Vec<ResponseRow>,
    /// What other councils said.
    pub others: Vec<crate::OtherCouncil>,
    /// The council's device wipe requests.
    pub wipes: Vec<crate::WipeRow>,
}

pub(crate) fn pence(pounds: f64) -> u64 {
    (pounds * 100.0).round() as u64
}

pub(crate) fn median(mut v: Vec<u64>) -> u64 {
    v.sort_unstable();
    match v.len() {
        0 => 0,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2,
    }
}

/// Whether a member's cycle went over: the carrier's bill for the month the cycle starts in
/// (what the council is charged on), otherwise the phone's own figure where the member read
/// it, otherwise the app's verdict.
pub(crate) fn over(u: &UsageRow, bill: Option<&BillLine>) -> bool {
    match (bill, u.phone_mobile_bytes) {
        (Some(b), _) => b.data_bytes > u.cap_bytes,
        (None, Some(phone)) => phone > u.cap_bytes,
        (None, None) => u.over_cap,
    }
}

fn month_of(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

/// Builds every table.
pub fn build(inputs: &ReportInputs) -> Vec<Section> {
    vec![
        Section {
            title: "Usage",
            tables: vec![usage_by_cycle(inputs), data_per_member(inputs), calls(inputs)],
            figure: usage_chart(inputs),
        },
        Section { title: "Costs", tables: vec![costs(inputs)], figure: None },
        Section {
            title: "Ease and support",
            tables: vec![support_summary(inputs), support(inputs)],
            figure: support_chart(inputs),
        },
        Section { title: "Security", tables: vec![security(inputs)], figure: None },
        Section {
            title: "Equality and accessibility",
            tables: vec![crate::feedback::accessibility(inputs), display_settings(inputs)],
            figure: None,
        },
        Section { title: "Other councils", tables: vec![crate::projection::others(inputs)], figure: None },
        Section { title: "A roll-out to every member", tables: vec![crate::projection::rollout(inputs)], figure: None },
        Section {
            title: "Member feedback",
            tables: vec![
                crate::feedback::recommend(inputs),
                crate::feedback::baseline_to_exit(inputs),
                crate::feedback::answers(inputs),
                crate::feedback::comments(inputs),
            ],
            figure: None,
        },
    ]
}

pub(crate) fn bill_for<'a>(inputs: &'a ReportInputs, u: &UsageRow) -> Option<&'a BillLine> {
    inputs.bill.iter().find(|b| b.member == u.member && b.month == month_of(u.cycle_start))
}

/// The median app data on mobile by cycle, against the cap: cycles with three members or more.
fn usage_chart(inputs: &ReportInputs) -> Option<crate::Figure> {
    let mut cycles: BTreeMap<NaiveDate, Vec<&UsageRow>> = BTreeMap::new();
    for u in &inputs.usage {
        cycles.entry(u.cycle_start).or_default().push(u);
    }
    let shown: Vec<(String, f64)> = cycles
        .iter()
        .filter(|(_, r)| r.iter().map(|u| u.member.as_str()).collect::<BTreeSet<_>>().len() >= SMALLEST_GROUP)
        .map(|(start, r)| {
            (
                start.format("%-d %b %Y").to_string(),
                median(r.iter().map(|u| u.app_mobile_bytes).collect()) as f64 / 1_048_576.0,
            )
        })
        .collect();
    let cap = inputs.usage.iter().map(|u| u.cap_bytes).max().map(|c| c as f64 / 1_048_576.0);
    let (labels, values): (Vec<String>, Vec<f64>) = shown.into_iter().unzip();
    crate::charts::bars(
        "usage-chart",
        "Median app data on mobile, by billing cycle",
        "A bar for each billing cycle with three or more members reporting, its height the median megabytes the app used on mobile data, and a line at the monthly cap. The table \"Data use by billing cycle\" has the same figures.",
        "MB (1,048,576 bytes)",
        &labels,
        &values,
        cap.map(|c| (c, "Monthly cap")),
    )
}

fn usage_by_cycle(inputs: &ReportInputs) -> Table {
    let mut cycles: BTreeMap<NaiveDate, Vec<&UsageRow>> = BTreeMap::new();
    for u in &inputs.usage {
        cycles.entry(u.cycle_start).or_default().push(u);
    }
    let charge = pence(inputs.costs.overage_charge);
    let rows = cycles
        .iter()
        .map(|(start, reports)| {
            let members: BTreeSet<&str> = reports.iter().map(|u| u.member.as_str()).collect();
            let mut row = vec![Cell::Text(start.format("%-d %B %Y").to_string())];
            if members.len() < SMALLEST_GROUP {
                row.extend([Cell::Suppressed, Cell::Suppressed, Cell::Suppressed, Cell::Suppressed]);
            } else {
                let overs: BTreeSet<&str> =
                    reports.iter().filter(|u| over(u, bill_for(inputs, u))).map(|u| u.member.as_str()).collect();
                // The charges would give away how many went over where that count is hidden.
                let charges = match members_cell(overs.len()) {
                    Cell::Suppressed => Cell::Suppressed,
                    _ => Cell::Money(overs.len() as u64 * charge),
                };
                row.extend([
                    Cell::Count(members.len() as u64),
                    Cell::Data(median(reports.iter().map(|u| u.app_mobile_bytes).collect())),
                    members_cell(overs.len()),
                    charges,
                ]);
            }
            row
        })
        .collect();
    Table {
        id: "usage-by-cycle",
        title: "Data use by billing cycle".into(),
        caption: "Each billing cycle by its first day: how many members reported it, the median data the app used on mobile data, how many went over the cap (on the carrier's bill, else the phone's own figure where the member read it, else the app's count) and what that cost.".into(),
        headers: ["Billing cycle", "Members", "Median app data on mobile", "Members over the cap", "Overage charges"].map(String::from).to_vec(),
        rows,
    }
}

fn data_per_member(inputs: &ReportInputs) -> Table {
    let mut usage: Vec<&UsageRow> = inputs.usage.iter().collect();
    usage.sort_by(|a, b| (&a.member, a.cycle_start).cmp(&(&b.member, b.cycle_start)));
    let charge = pence(inputs.costs.overage_charge);
    let rows = usage
        .iter()
        .map(|u| {
            let bill = bill_for(inputs, u);
            let is_over = over(u, bill);
            let mut check = Vec::new();
            if let Some(b) = bill {
                if u.app_mobile_bytes > b.data_bytes + b.data_bytes / 50 {
                    check.push("the app counted more than the bill");
                }
                if u.phone_mobile_bytes.is_some_and(|p| p.abs_diff(b.data_bytes) > b.data_bytes / 10) {
                    check.push("the phone's figure and the bill differ by more than 10%");
                }
            }
            vec![
                Cell::Text(u.member.clone()),
                Cell::Text(u.cycle_start.format("%-d %B %Y").to_string()),
                Cell::Data(u.app_mobile_bytes),
                u.phone_mobile_bytes.map_or(Cell::Empty, Cell::Data),
                bill.map_or(Cell::Empty, |b| Cell::Data(b.data_bytes)),
                Cell::Text(if is_over { "Yes" } else { "No" }.into()),
                Cell::Money(if is_over { charge } else { 0 }),
                Cell::Text(if check.is_empty() { "—".into() } else { check.join("; ") }),
            ]
        })
        .collect();
    Table {
        id: "data-per-member",
        title: "Data per member and billing cycle".into(),
        caption: "Each member (by code) and cycle: the app's own meter, the phone's figure where the member read it, and the carrier's bill for the month the cycle starts in, with differences flagged.".into(),
        headers: ["Member", "Billing cycle", "App on mobile data", "Phone's figure", "Carrier's bill", "Over the cap", "Charge", "Check"]
            .map(String::from)
            .to_vec(),
        rows,
    }
}

fn calls(inputs: &ReportInputs) -> Table {
    let mut months: BTreeMap<NaiveDate, Vec<&BillLine>> = BTreeMap::new();
    for b in &inputs.bill {
        months.entry(b.month).or_default().push(b);
    }
    let rows = months
        .iter()
        .map(|(month, lines)| {
            let members: BTreeSet<&str> = lines.iter().map(|b| b.member.as_str()).collect();
            let mut row = vec![Cell::Text(month.format("%B %Y").to_string())];
            if members.len() < SMALLEST_GROUP {
                row.extend([Cell::Suppressed, Cell::Suppressed, Cell::Suppressed, Cell::Suppressed]);
            } else {
                let from_app: u64 = inputs
                    .usage
                    .iter()
                    .filter(|u| month_of(u.cycle_start) == *month && members.contains(u.member.as_str()))
                    .map(|u| u.calls_started)
                    .sum();
                row.extend([
                    Cell::Count(members.len() as u64),
                    Cell::Count(lines.iter().map(|b| b.calls_made).sum()),
                    Cell::Count(lines.iter().map(|b| b.calls_received).sum()),
                    Cell::Count(from_app),
                ]);
            }
            row
        })
        .collect();
    Table {
        id: "calls",
        title: "Calls made and received".into(),
        caption: "By month, from the carrier's bill: members billed, calls made and received, and calls started from the app in the cycles starting that month.".into(),
        headers: ["Month", "Members", "Calls made", "Calls received", "Started from the app"].map(String::from).to_vec(),
        rows,
    }
}

fn costs(inputs: &ReportInputs) -> Table {
    let c = &inputs.costs;
    let members: BTreeSet<&str> = inputs.usage.iter().map(|u| u.member.as_str()).collect();
    let member_months = inputs.usage.iter().map(|u| (&u.member, u.cycle_start)).collect::<BTreeSet<_>>().len() as u64;
    let overs = inputs.usage.iter().filter(|u| over(u, bill_for(inputs, u))).count() as u64;
    let minutes: u64 = inputs.support.iter().filter_map(|s| s.minutes).sum::<u64>()
        + inputs.tickets.iter().map(|t| t.minutes).sum::<u64>();
    let handsets = members.len() as u64 * pence(c.handset);
    let rental = member_months * pence(c.line_rental_per_month);
    let mdm = member_months * pence(c.mdm_licence_per_month);
    let overage = overs * pence(c.overage_charge);
    let support = (minutes as f64 * c.support_per_hour * 100.0 / 60.0).round() as u64;
    let total = handsets + rental + mdm + overage + support;
    let per_member_month = (total + member_months / 2).checked_div(member_months).unwrap_or(0);
    let line = |what: &str, cell: Cell, how: String| vec![Cell::Text(what.into()), cell, Cell::Text(how)];
    let rows = vec![
        line("Handsets", Cell::Money(handsets), format!("{} members × £{:.2}", members.len(), c.handset)),
        line(
            "Line rental",
            Cell::Money(rental),
            format!("{member_months} member-months × £{:.2}", c.line_rental_per_month),
        ),
        line(
            "Device management licences",
            Cell::Money(mdm),
            format!("{member_months} member-months × £{:.2}", c.mdm_licence_per_month),
        ),
        line("Overage", Cell::Money(overage), format!("{overs} cycles over the cap × £{:.2}", c.overage_charge)),
        line(
            "Service desk time",
            Cell::Money(support),
            format!("{minutes} minutes at £{:.2} an hour", c.support_per_hour),
        ),
        line("Total", Cell::Money(total), "the trial's actual cost".into()),
        line("Estimate", Cell::Money(pence(c.estimate)), "the decision's estimate".into()),
        line("Allocation", Cell::Money(pence(c.allocation)), "the budget allocated".into()),
        line("Cost per member per month", Cell::Money(per_member_month), "total ÷ member-months".into()),
        line(
            "Overage against the worst case",
            Cell::Money(overage),
            format!("the decision's worst case was £{:.2}", c.worst_case_overage),
        ),
    ];
    Table {
        id: "costs",
        title: "The trial's cost".into(),
        caption: "What the trial cost, from the members and cycles reported, the cycles over the cap and the service desk's minutes, against the decision's estimate and allocation.".into(),
        headers: ["Cost", "Amount", "How it was worked out"].map(String::from).to_vec(),
        rows,
    }
}

fn support_summary(inputs: &ReportInputs) -> Table {
    let member_months = inputs.usage.iter().map(|u| (&u.member, u.cycle_start)).collect::<BTreeSet<_>>().len();
    let asked: Vec<(&str, &str, NaiveDate, Option<NaiveDate>, u64)> = inputs
        .support
        .iter()
        .map(|s| (s.category.as_str(), s.member.as_str(), s.created, s.resolved_on, s.minutes.unwrap_or(0)))
        .chain(inputs.tickets.iter().map(|t| (t.category.as_str(), t.member.as_str(), t.opened, t.closed, t.minutes)))
        .collect();
    let members: BTreeSet<&str> = asked.iter().map(|a| a.1).collect();
    let signing_in: Vec<_> = asked.iter().filter(|a| a.0.to_lowercase().contains("sign")).collect();
    let sign_in_members: BTreeSet<&str> = signing_in.iter().map(|a| a.1).collect();
    let days: Vec<u64> = asked.iter().filter_map(|a| a.3.map(|d| (d - a.2).num_days().max(0) as u64 * 10)).collect();
    let minutes: u64 = asked.iter().map(|a| a.4).sum();
    let row = |what: &str, cell: Cell| vec![Cell::Text(what.into()), cell];
    let enough = members.len() >= SMALLEST_GROUP || members.is_empty();
    let hide = |cell: Cell| if enough { cell } else { Cell::Suppressed };
    let rate = if member_months == 0 {
        Cell::Empty
    } else {
        Cell::Text(format!("{:.2}", asked.len() as f64 / member_months as f64))
    };
    Table {
        id: "support-summary",
        title: "Help asked for, in all".into(),
        caption: "Requests for help made in the app and tickets the service desk logged (by phone, email or in person), against the member-months of the trial; signing in counted apart, as the decision's main support cost.".into(),
        headers: ["Measure", "Figure"].map(String::from).to_vec(),
        rows: vec![
            row("Requests for help", hide(Cell::Count(asked.len() as u64))),
            row("Requests per member-month", hide(rate)),
            row("About signing in", match members_cell(sign_in_members.len()) {
                Cell::Suppressed => Cell::Suppressed,
                _ => hide(Cell::Count(signing_in.len() as u64)),
            }),
            row("Days to resolve (median)", hide(if days.is_empty() { Cell::Empty } else { Cell::Days(median(days) as f64 / 10.0) })),
            row("Service desk minutes", hide(Cell::Count(minutes))),
            row("Their cost", hide(Cell::Money((minutes as f64 * inputs.costs.support_per_hour * 100.0 / 60.0).round() as u64))),
        ],
    }
}

fn security(inputs: &ReportInputs) -> Table {
    let members: BTreeSet<&str> = inputs.usage.iter().map(|u| u.member.as_str()).collect();
    let locks = if members.len() < SMALLEST_GROUP {
        Cell::Suppressed
    } else {
        Cell::Count(median(inputs.usage.iter().map(|u| u.locks).collect()))
    };
    let requested = inputs.wipes.len();
    let done: Vec<&crate::WipeRow> = inputs.wipes.iter().filter(|w| w.done.is_some()).collect();
    let hours: Vec<u64> =
        done.iter().filter_map(|w| w.done.map(|d| (d - w.requested).num_minutes().max(0) as u64)).collect();
    let timing = match members_cell(done.len()) {
        Cell::Count(0) => Cell::Empty,
        Cell::Count(_) => Cell::Text(format!("{:.1}", median(hours) as f64 / 60.0)),
        other => other,
    };
    let row = |what: &str, cell: Cell| vec![Cell::Text(what.into()), cell];
    Table {
        id: "security",
        title: "Locks and wipes".into(),
        caption: "How often the app locked itself or was locked (the median for a member's billing cycle), and the devices the council asked to wipe (a phone lost or handed back): how many, how many were carried out, and the median hours from the request to the wipe.".into(),
        headers: ["Measure", "Figure"].map(String::from).to_vec(),
        rows: vec![
            row("App locks in a member's billing cycle (median)", locks),
            row("Devices the council asked to wipe", members_cell(requested)),
            row("Of those, wiped", members_cell(done.len())),
            row("Hours from the request to the wipe (median)", timing),
        ],
    }
}

/// The display and assistive settings the app found in use: members with each, out of the
/// members whose app reported its settings.
fn display_settings(inputs: &ReportInputs) -> Table {
    let mut seen: BTreeMap<&str, companion_evidence::DisplaySeen> = BTreeMap::new();
    for u in &inputs.usage {
        if let Some(d) = u.display {
            let kept = seen.entry(u.member.as_str()).or_default();
            *kept = kept.merge(d);
        }
    }
    let out_of = seen.len();
    let count = |test: &dyn Fn(&companion_evidence::DisplaySeen) -> bool| {
        if out_of < SMALLEST_GROUP {
            Cell::Suppressed
        } else {
            members_cell(seen.values().filter(|d| test(d)).count())
        }
    };
    let row = |what: &str, cell: Cell| vec![Cell::Text(what.into()), cell, members_cell(out_of)];
    let rows = if out_of == 0 {
        Vec::new()
    } else {
        vec![
            row("Text larger than standard", count(&|d| d.text_percent > 100)),
            row("Text at 150% or more", count(&|d| d.text_percent >= 150)),
            row("Text at 200% or more", count(&|d| d.text_percent >= 200)),
            row("Reduce motion", count(&|d| d.reduced_motion)),
            row("More contrast", count(&|d| d.more_contrast)),
            row("High contrast colours", count(&|d| d.forced_colours)),
        ]
    };
    Table {
        id: "display-settings",
        title: "Display and assistive settings the app found in use".into(),
        caption: "Members whose phone asked the app for each setting at any time in the trial, out of the members whose app reported its settings (with their consent to usage reports). The text size is the phone's own text size setting as the app's screen received it. Whether a screen reader was running is not among them: the app cannot tell, and does not guess.".into(),
        headers: ["Setting", "Members", "Out of"].map(String::from).to_vec(),
        rows,
    }
}

/// Requests for help by category, for the categories with three members or more.
fn support_chart(inputs: &ReportInputs) -> Option<crate::Figure> {
    let table = support(inputs);
    let (labels, values): (Vec<String>, Vec<f64>) = table
        .rows
        .iter()
        .filter_map(|r| match (r.first(), r.get(1)) {
            (Some(Cell::Text(category)), Some(Cell::Count(n))) => Some((category.clone(), *n as f64)),
            _ => None,
        })
        .unzip();
    crate::charts::bars(
        "support-chart",
        "Requests for help, by category",
        "A bar for each category of help asked for by three or more members, its height the number of requests. The table \"Help asked for, by category\" has the same figures; categories with fewer members are left out here as there.",
        "Requests",
        &labels,
        &values,
        None,
    )
}

/// A request for help from either source: category, member, opened, resolved, minutes.
type HelpAsked<'a> = (String, &'a str, NaiveDate, Option<NaiveDate>, u64);

fn support(inputs: &ReportInputs) -> Table {
    let mut all: Vec<HelpAsked<'_>> = inputs
        .support
        .iter()
        .map(|s| (s.category.clone(), s.member.as_str(), s.created, s.resolved_on, s.minutes.unwrap_or(0)))
        .collect();
    all.extend(inputs.tickets.iter().map(|t| (t.category.clone(), t.member.as_str(), t.opened, t.closed, t.minutes)));
    let mut by: BTreeMap<&str, Vec<&HelpAsked<'_>>> = BTreeMap::new();
    for r in &all {
        by.entry(r.0.as_str()).or_default().push(r);
    }
    let per_hour = inputs.costs.support_per_hour;
    let rows = by
        .iter()
        .map(|(category, reqs)| {
            let members: BTreeSet<&str> = reqs.iter().map(|r| r.1).collect();
            let mut row = vec![Cell::Text((*category).to_owned())];
            if members.len() < SMALLEST_GROUP {
                row.extend([Cell::Suppressed, Cell::Suppressed, Cell::Suppressed, Cell::Suppressed, Cell::Suppressed]);
            } else {
                let days: Vec<u64> =
                    reqs.iter().filter_map(|r| r.3.map(|d| (d - r.2).num_days().max(0) as u64 * 10)).collect();
                let minutes: u64 = reqs.iter().map(|r| r.4).sum();
                row.extend([
                    Cell::Count(reqs.len() as u64),
                    Cell::Count(members.len() as u64),
                    if days.is_empty() { Cell::Empty } else { Cell::Days(median(days) as f64 / 10.0) },
                    Cell::Count(minutes),
                    Cell::Money((minutes as f64 * per_hour * 100.0 / 60.0).round() as u64),
                ]);
            }
            row
        })
        .collect();
    Table {
        id: "support",
        title: "Help asked for, by category".into(),
        caption: "Requests for help made in the app and tickets the service desk logged, by category: how many, from how many members, the median days to resolve, and the desk's minutes and their cost.".into(),
        headers: ["Category", "Requests", "Members", "Median days to resolve", "Minutes", "Cost"].map(String::from).to_vec(),
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_read_as_a_british_officer_expects() {
        assert_eq!(Cell::Money(12_345_678).text(), "£123,456.78");
        assert_eq!(Cell::Money(5).text(), "£0.05");
        assert_eq!(Cell::Data(1_073_741_824).text(), "1,024.0 MB");
        assert_eq!(Cell::Count(1_000).text(), "1,000");
        assert_eq!(Cell::Money(12_345_678).plain(), "123456.78");
    }
}
