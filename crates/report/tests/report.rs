//! The report's tables on a small trial worked out by hand: three members, two billing cycles.

use chrono::NaiveDate;
use companion_report::{
    build, html, read_costs, write_csvs, AnswerRow, BillLine, ReportInputs, ResponseRow, SupportRow, Ticket, UsageRow,
    WipeRow,
};

const MB: u64 = 1_048_576;
const HIDDEN: &str = "Not shown (fewer than 3 members)";

fn at(t: &str) -> chrono::DateTime<chrono::Utc> {
    t.parse().expect("time")
}

fn day(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

fn usage(member: &str, cycle: &str, app_mb: u64, phone_mb: Option<u64>, calls: u64) -> UsageRow {
    UsageRow {
        member: member.into(),
        cycle_start: day(cycle),
        cycle_end: None,
        partial: false,
        app_mobile_bytes: app_mb * MB,
        phone_mobile_bytes: phone_mb.map(|m| m * MB),
        cap_bytes: 1024 * MB,
        over_cap: false,
        calls_started: calls,
        active_days: 20,
        locks: app_mb / 100,
        display: None,
    }
}

/// `row` with the display settings its app saw: the text size and, in turn, reduce motion and
/// more contrast.
fn seen(mut row: UsageRow, text_percent: u16, reduced_motion: bool, more_contrast: bool) -> UsageRow {
    row.display =
        Some(companion_evidence::DisplaySeen { text_percent, reduced_motion, more_contrast, forced_colours: false });
    row
}

fn bill(member: &str, data_mb: u64, made: u64, received: u64) -> BillLine {
    BillLine {
        member: member.into(),
        month: day("2026-10-01"),
        data_bytes: data_mb * MB,
        calls_made: made,
        calls_received: received,
        charge_pence: 1_250,
        line: 2,
    }
}

fn help(member: &str, category: &str, created: &str, resolved: Option<&str>, minutes: u64) -> SupportRow {
    SupportRow {
        member: member.into(),
        category: category.into(),
        created: day(created),
        resolved_on: resolved.map(day),
        minutes: Some(minutes),
    }
}

fn ticket(member: &str, minutes: u64) -> Ticket {
    Ticket {
        member: member.into(),
        opened: day("2026-11-02"),
        closed: Some(day("2026-11-03")),
        minutes,
        category: "Sign-in".into(),
        line: 2,
    }
}

fn small_trial() -> ReportInputs {
    let costs = read_costs(
        "costs.toml",
        "handset = 180.0\nline-rental-per-month = 10.0\nmdm-licence-per-month = 3.5\noverage-charge = 50.0\nsupport-per-hour = 32.0\ncontract-months = 24\ncouncil-members = 51\n",
    )
    .expect("costs");
    ReportInputs {
        usage: vec![
            seen(usage("M-AAAA", "2026-10-15", 500, Some(900), 3), 200, true, false),
            seen(usage("M-AAAA", "2026-11-15", 800, Some(1_100), 1), 100, false, false),
            seen(usage("M-BBBB", "2026-10-15", 200, None, 2), 130, false, false),
            usage("M-BBBB", "2026-11-15", 300, None, 0),
            seen(usage("M-CCCC", "2026-10-15", 1_000, None, 0), 150, false, true),
            seen(usage("M-CCCC", "2026-11-15", 100, None, 0), 110, false, false),
        ],
        bill: vec![bill("M-AAAA", 950, 10, 20), bill("M-BBBB", 150, 5, 6), bill("M-CCCC", 1_200, 7, 8)],
        support: vec![
            help("M-AAAA", "Signing in", "2026-10-20", Some("2026-10-22"), 30),
            help("M-BBBB", "Signing in", "2026-10-21", Some("2026-10-21"), 15),
            help("M-CCCC", "Signing in", "2026-10-25", None, 10),
            help("M-CCCC", "The phone", "2026-11-01", Some("2026-11-04"), 45),
        ],
        tickets: vec![ticket("M-AAAA", 20), ticket("M-BBBB", 25)],
        costs,
        answers: vec![
            // Baseline and exit confidence: A up, B the same, C down.
            answer("b-A", "M-AAAA", "baseline", "confidence", Some("Disagree"), None),
            answer("b-B", "M-BBBB", "baseline", "confidence", Some("Agree"), None),
            answer("b-C", "M-CCCC", "baseline", "confidence", Some("Agree"), None),
            answer("e-A", "M-AAAA", "exit", "confidence", Some("Agree"), None),
            answer("e-B", "M-BBBB", "exit", "confidence", Some("Agree"), None),
            answer("e-C", "M-CCCC", "exit", "confidence", Some("Disagree"), None),
            // Exit: would recommend 10, 9, 6; a pulse answered by two members only.
            answer("e-A", "M-AAAA", "exit", "recommend", None, Some(10)),
            answer("e-B", "M-BBBB", "exit", "recommend", None, Some(9)),
            answer("e-C", "M-CCCC", "exit", "recommend", None, Some(6)),
            answer("p-A", "M-AAAA", "monthly-pulse", "recommend", None, Some(8)),
            answer("p-B", "M-BBBB", "monthly-pulse", "recommend", None, Some(3)),
            // Would keep a phone: two of three.
            answer("e-A", "M-AAAA", "exit", "keep", Some("Yes"), None),
            answer("e-B", "M-BBBB", "exit", "keep", Some("Yes"), None),
            answer("e-C", "M-CCCC", "exit", "keep", Some("No"), None),
            // A agreed to be quoted, C did not: only A's words are in the report.
            AnswerRow {
                text: Some("A bigger screen for agenda packs.".into()),
                ..answer("e-A", "M-AAAA", "exit", "anything-else", None, None)
            },
            answer("e-A", "M-AAAA", "exit", "quote-consent", Some("Yes"), None),
            AnswerRow {
                text: Some("My neighbour's name is in this.".into()),
                ..answer("e-C", "M-CCCC", "exit", "anything-else", None, None)
            },
            answer("e-C", "M-CCCC", "exit", "quote-consent", Some("No"), None),
        ],
        others: vec![],
        // Two phones lost: one wiped 90 minutes after ICT asked, one not yet (a group of two).
        wipes: vec![
            WipeRow { requested: at("2026-11-20T10:00:00Z"), done: Some(at("2026-11-20T11:30:00Z")) },
            WipeRow { requested: at("2026-12-01T10:00:00Z"), done: None },
        ],
        responses: ["b-A", "b-B", "b-C", "e-A", "e-B", "e-C", "p-A", "p-B"]
            .iter()
            .map(|id| ResponseRow {
                response_id: (*id).into(),
                member: format!("M-{}", id[2..].repeat(4)),
                survey: "any".into(),
                submitted: Some(day("2027-01-10")),
            })
            .collect(),
    }
}

fn answer(
    response: &str,
    member: &str,
    survey: &str,
    question: &str,
    choice: Option<&str>,
    score: Option<u64>,
) -> AnswerRow {
    AnswerRow {
        response_id: response.into(),
        member: member.into(),
        survey: survey.into(),
        question: question.into(),
        choice: choice.map(Into::into),
        choices: vec![],
        score,
        text: None,
    }
}

fn table(sections: &[companion_report::Section], id: &str) -> Vec<Vec<String>> {
    let t = sections.iter().flat_map(|s| &s.tables).find(|t| t.id == id).expect(id);
    t.rows.iter().map(|r| r.iter().map(|c| c.text()).collect()).collect()
}

#[test]
fn a_small_trials_figures_match_the_ones_worked_out_by_hand() {
    let sections = build(&small_trial());
    assert_eq!(
        table(&sections, "usage-by-cycle"),
        [
            // Medians of 500, 200, 1,000 and of 800, 300, 100; one member over in each (C on the
            // bill in October, A on the phone's own figure in November, with no bill for it): a group of one is
            // not shown, nor the charge that would give it away.
            ["15 October 2026", "3", "500.0 MB", HIDDEN, HIDDEN],
            ["15 November 2026", "3", "300.0 MB", HIDDEN, HIDDEN],
        ]
    );
    let per_member = table(&sections, "data-per-member");
    assert_eq!(per_member.len(), 6);
    assert_eq!(per_member[2][..7], ["M-BBBB", "15 October 2026", "200.0 MB", "—", "150.0 MB", "No", "£0.00"]);
    assert_eq!(per_member[2][7], "the app counted more than the bill");
    assert_eq!(per_member[4][5], "Yes", "C's October: over on the bill");
    assert_eq!(table(&sections, "calls"), [["October 2026", "3", "22", "34", "5"]]);
    let costs = table(&sections, "costs");
    let amount = |what: &str| costs.iter().find(|r| r[0] == what).map(|r| r[1].clone()).expect(what);
    assert_eq!(amount("Handsets"), "£540.00");
    assert_eq!(amount("Line rental"), "£60.00");
    assert_eq!(amount("Device management licences"), "£21.00");
    assert_eq!(amount("Overage"), "£100.00");
    // 30 + 15 + 10 + 45 minutes in the app's requests and 20 + 25 on the desk's tickets: 145
    // minutes at £32 an hour is £77.33.
    assert_eq!(amount("Service desk time"), "£77.33");
    assert_eq!(amount("Total"), "£798.33");
    assert_eq!(amount("Estimate"), "£7,200.00");
    assert_eq!(amount("Cost per member per month"), "£133.06", "£798.33 over 6 member-months");
    // Four requests in the app and two tickets over six member-months; five about signing in
    // (from all three members); resolved in 2, 0, 3, 1 and 1 days: median 1.0.
    assert_eq!(
        table(&sections, "support-summary").iter().map(|r| r[1].clone()).collect::<Vec<_>>(),
        ["6", "1.00", "5", "1.0", "145", "£77.33"]
    );
    let support = table(&sections, "support");
    let signing_in = support.iter().find(|r| r[0] == "Signing in").expect("row");
    // Resolved in 2 and 0 days (one not yet): median 1.0; 55 minutes cost £29.33.
    assert_eq!(signing_in[1..], ["3", "3", "1.0", "55", "£29.33"]);
    // Two promoters and one detractor of three: (2 − 1) ÷ 3 = +33; the pulse has two members.
    assert_eq!(
        table(&sections, "recommend"),
        [
            ["This month with your phone", HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN],
            // Two promoters and one detractor are groups too small to show; the score is not.
            ["The end of the trial", "3", HIDDEN, "0", HIDDEN, "+33"],
        ]
    );
    let change = table(&sections, "baseline-to-exit");
    assert_eq!(change[0][2..], ["3", HIDDEN, HIDDEN, HIDDEN], "confidence: one up, one the same, one down");
    // Locks 5, 8, 2, 3, 10, 1 in the six member-cycles: the median is (3 + 5) ÷ 2 = 4. Two
    // wipe requests (a group of two) are not shown, nor what follows from them.
    assert_eq!(
        table(&sections, "security").iter().map(|r| r[1].clone()).collect::<Vec<_>>(),
        ["4", HIDDEN, HIDDEN, HIDDEN]
    );
    // Text larger than standard for all three (200%, 130%, 150% at most); 150% or more for A
    // and C, 200% for A alone, reduce motion for A, more contrast for C: groups too small to
    // show. Nobody used forced colours.
    assert_eq!(
        table(&sections, "display-settings"),
        [
            ["Text larger than standard", "3", "3"],
            ["Text at 150% or more", HIDDEN, "3"],
            ["Text at 200% or more", HIDDEN, "3"],
            ["Reduce motion", HIDDEN, "3"],
            ["More contrast", HIDDEN, "3"],
            ["High contrast colours", "0", "3"],
        ]
    );
    assert_eq!(
        table(&sections, "comments"),
        [["Anything else the council should know? (optional)", "A bigger screen for agenda packs."]],
        "only what a member agreed may be quoted, with no code beside it"
    );
    let answers = table(&sections, "answers");
    // Every member (51), the two-thirds who would keep one (34) and this trial's three, over
    // 24 months; 2 of 6 member-cycles over the cap (95% range 9.68% to 70.0%); 145 minutes in
    // 6 member-months.
    let rollout = table(&sections, "rollout");
    assert_eq!(rollout[0][..4], ["Every member", "51", "£9,180.00", "£16,524.00"]);
    assert_eq!(rollout[1][1], "34");
    assert_eq!(rollout[2][1..4], ["3", "£540.00", "£972.00"]);
    // 72 member-months × £50 × 0.096758… and × 0.700012…; 72 × 145 ÷ 6 = 1,740 minutes = 29 hours = £928.00.
    assert_eq!(rollout[2][4], "£348.37 to £2,520.04");
    assert_eq!(rollout[2][5..7], ["29", "£928.00"]);
    let agree = answers.iter().find(|r| r[0] == "The end of the trial · confidence" && r[1] == "Agree").expect("row");
    assert_eq!(agree[2..], [HIDDEN, "3"], "two members chose it: not shown");
    let strongly =
        answers.iter().find(|r| r[0] == "The end of the trial · confidence" && r[1] == "Strongly agree").expect("row");
    assert_eq!(strongly[2..], ["0", "3"], "none is shown: it points at nobody");
}

#[test]
fn a_category_of_fewer_than_three_members_shows_no_figure_in_the_html_or_the_csv() {
    let sections = build(&small_trial());
    let support = table(&sections, "support");
    for category in ["Sign-in", "The phone"] {
        let row = support.iter().find(|r| r[0] == category).expect(category);
        assert!(row[1..].iter().all(|c| c == "Not shown (fewer than 3 members)"), "{row:?}");
    }
    let dir = tempfile::tempdir().expect("dir");
    write_csvs(&sections, dir.path()).expect("csv");
    let csv = std::fs::read_to_string(dir.path().join("support.csv")).expect("support.csv");
    let desk = csv.lines().find(|l| l.starts_with("Sign-in,")).expect("row");
    assert_eq!(desk, "Sign-in,suppressed,suppressed,suppressed,suppressed,suppressed");
    let page = html("Member device trial: report", &sections);
    let row =
        page.split("<th scope=\"row\">Sign-in</th>").nth(1).and_then(|r| r.split("</tr>").next()).expect("html row");
    assert_eq!(row.matches("Not shown (fewer than 3 members)").count(), 5, "{row}");
    assert!(!row.contains("45") && !row.contains('£'), "no figure: {row}");
}

#[test]
fn the_html_is_one_self_contained_accessible_page() {
    let page = html("Member device trial: report", &build(&small_trial()));
    assert!(page.starts_with("<!doctype html>\n<html lang=\"en-GB\">"));
    for external in ["http://", "https://", "<script", "<img", "<link", "@import", "url("] {
        assert!(!page.contains(external), "{external} in the page");
    }
    assert!(page.contains("default-src 'none'"), "a policy that forbids any request");
    assert_eq!(
        page.matches("<svg role=\"img\" aria-labelledby=").count(),
        2,
        "the usage and help charts, named for a screen reader"
    );
    assert_eq!(page.matches("<table>").count(), page.matches("<caption>").count(), "every table has a caption");
    assert!(page.matches("<th scope=\"col\">").count() > 10 && page.contains("<th scope=\"row\">M-AAAA</th>"));
    assert!(!page.contains("@demoborough") && !page.contains("Councillor"), "codes only");
}

/// axe-core in headless Chromium (`ui/a11y/report-audit.mjs`, installed by `make test`): no
/// violation at any size, and no request leaves the page.
#[test]
fn the_html_passes_axe_core_in_headless_chromium_and_makes_no_request() {
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("report.html");
    std::fs::write(&file, html("Member device trial: report", &build(&small_trial()))).expect("written");
    let ui = concat!(env!("CARGO_MANIFEST_DIR"), "/../../ui");
    let out = std::process::Command::new("node")
        .current_dir(ui)
        .arg("a11y/report-audit.mjs")
        .arg(&file)
        .output()
        .expect("node runs (make test installs it and the audit's packages)");
    let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{said}");
    assert_eq!(said.matches("0 violation(s)").count(), 4, "{said}");
    // …and the audit can fail: a page without its language and with a picture without words.
    let broken = dir.path().join("broken.html");
    std::fs::write(
        &broken,
        "<!doctype html><html><head><title>x</title></head><body><img src=\"data:,\"></body></html>",
    )
    .expect("written");
    let out = std::process::Command::new("node")
        .current_dir(ui)
        .arg("a11y/report-audit.mjs")
        .arg(&broken)
        .output()
        .expect("node");
    assert!(!out.status.success(), "a broken page fails the audit");
}
