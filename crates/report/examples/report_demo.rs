//! `make report-demo`: a whole trial to try the report on. Ten members, each with the real app
//! core, its own vault and its own keyring entries, live four months against the simulator:
//! light to heavy data users (one over the cap), help asked for, surveys answered, one phone
//! lost and wiped by the council, the others signing out at the end. The trial's lists are then
//! fetched as an officer would, a carrier's bill and the desk's tickets are made up to match,
//! and the report is built and opened.
//!
//! The simulator models one member's tenant, so each member has a simulator of their own, each
//! with the trial's lists provisioned by `member-companion-admin`; the officer fetches every
//! one and the report reads them together, as it would read one site's lists.

use companion_app::views::{HelpCategory, NetworkChoice, SurveyAnswer, SurveyQuestionKind};
use companion_app::{AppConfig, Companion, ReturnPath};
use companion_graph_sim::{headless, GraphSim, Principal, SimConfig, TimelineProfile};
use companion_report::{
    build, fetch_lists, html, read_answers, read_bill, read_costs, read_responses, read_support, read_tickets,
    read_triangulation, read_usage, read_wipes, sign_in, write_csvs, write_xlsx, BillMapping, ListsSource,
    ReportInputs,
};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

const MEMBERS: usize = 10;
const PIN: &str = "274916";
const MB: u64 = 1024 * 1024;

type Failure = Box<dyn std::error::Error>;

fn browser(url: &str) -> Result<(), String> {
    let url = url.to_owned();
    tokio::spawn(async move {
        if let Ok(back) = headless::consent(&url, true).await {
            let _ = reqwest::get(back.as_str()).await;
        }
    });
    Ok(())
}

/// What one member's four months left behind, for the made-up bill.
struct Member {
    sim: GraphSim,
    code: String,
    /// The phone's own figure each month, as the member read it.
    phone_mb: Vec<(chrono::NaiveDate, u64)>,
}

/// Answers whatever survey is due, the way member `i` would.
fn answer_due(app: &Companion, i: usize, now: chrono::DateTime<chrono::Utc>) -> Result<(), Failure> {
    let Some(due) = app.trial.survey_due(now)? else { return Ok(()) };
    let mut view = app.trial.survey_open(&due.survey_id, now)?;
    let mut skipped: Vec<String> = Vec::new();
    for step in 0..40 {
        let Some(q) = view.questions.iter().find(|q| q.answer.is_none() && !skipped.contains(&q.id)).cloned() else {
            break;
        };
        let pick = |offset: usize| q.choices.get((i + offset + step) % q.choices.len().max(1)).cloned();
        let answer = match q.kind {
            SurveyQuestionKind::Nps => Some(SurveyAnswer::Score(((4 + i * 3 + step) % 11) as u8)),
            SurveyQuestionKind::Likert | SurveyQuestionKind::Single => pick(0).map(SurveyAnswer::Choice),
            SurveyQuestionKind::Multiple => pick(1).map(|c| SurveyAnswer::Choices(vec![c])),
            SurveyQuestionKind::Text => None,
        };
        match answer {
            Some(a) => view = app.trial.survey_answer(&view.response_id, &q.id, Some(a))?,
            None => skipped.push(q.id.clone()),
        }
    }
    app.trial.survey_submit(&view.response_id, &due.key, now)?;
    Ok(())
}

/// Member `i`'s trial: sign in, consent, four months of weekly updates.
async fn live(i: usize, root: &Path) -> Result<Member, Failure> {
    let mut config = SimConfig::default()
        .with_seed(100 + i as u64)
        .with_messages(40)
        .with_events(20)
        .with_contacts(10)
        .with_directory(20);
    config.timeline =
        TimelineProfile { messages_per_day: 2.0 + i as f64, agenda_packs_per_week: 0.0, ..TimelineProfile::typical() };
    config.access_token_lifetime = chrono::Duration::days(200);
    let sim = GraphSim::start(config).await?;
    let c = sim.credentials();
    let admin = companion_admin::AdminConfig {
        authority: c.authority.clone(),
        client_id: c.client_id.clone(),
        graph_url: sim.graph_url(),
        site: sim.site_address(),
    };
    let grant = companion_admin::AppGrant { app_id: c.client_id.clone(), display_name: "Member Companion".into() };
    companion_admin::run_provision(&admin, Some(&grant), |code, _| {
        sim.approve_device_code(code, Principal::Administrator);
    })
    .await?;

    let dir = root.join(format!("member-{i}"));
    std::fs::create_dir_all(&dir)?;
    let policy = dir.join("allowance.toml");
    std::fs::write(&policy, "cap-mb = 1024\ncycle-start-day = 1\noverage-charge-pence = 5000\n")?;
    let service = format!("uk.gov.membercompanion.report-demo.{}.{i}", std::process::id());
    let mut app_config = AppConfig::from_toml(&format!(
        "authority = \"{}\"\nclient-id = \"{}\"\ngraph-url = \"{}\"\nkeyring-service = \"{service}\"\ntrial-site-id = \"{}\"\nnetwork-bus = \"unix:path=/nonexistent/report-demo\"\n",
        c.authority,
        c.client_id,
        sim.graph_url(),
        sim.site_id()
    ))?;
    app_config.allowance_policy = Some(policy);
    let app = Arc::new(Companion::open_managed(app_config, &dir, false, None)?);
    // The member's months are the simulator's: the ledger and the counts follow its clock.
    app.set_clock(sim.clock());
    app.protection.choose_pin(PIN, chrono::Utc::now()).await?;
    app.account.sign_in(ReturnPath::Loopback, browser).await?;

    let start = sim.now();
    let day = |n: i64| start + chrono::Duration::days(n);
    let consent = app.trial.set_consent(true, true, start)?;
    // Phones are mostly on mobile data; the lightest users keep to Wi-Fi where they can.
    app.data.set_network(if i < 3 { NetworkChoice::Wifi } else { NetworkChoice::Mobile })?;
    app.updates.sync_now(start).await?;
    answer_due(&app, i, start)?;
    let mut phone_mb = Vec::new();
    let mut n = 0;
    let lost = i == 7;
    while n < 119 {
        n += 7;
        sim.advance(chrono::Duration::days(7));
        let now = day(n);
        // Light to heavy users; the heaviest goes over the 1 GB cap in the second month.
        if n % 28 == 21 {
            let mb = 120 + i as u64 * 95 + if i == 9 && n == 49 { 400 } else { 0 };
            app.data.set_device_usage(Some(mb * MB), now)?;
            phone_mb.push((now.date_naive(), mb));
        }
        // Calls started from the app's contacts and messages, more for busier members.
        for _ in 0..(i / 2) {
            app.link_to_open("tel:+441632960123")?;
        }
        // The app locks when put down: the council's idle lock, or the member's own.
        for _ in 0..(1 + i % 4) {
            app.protection.lock(now).await;
            app.protection.unlock(PIN, now).await?;
        }
        if n == 21 && i % 3 == 2 {
            app.trial.send_help(HelpCategory::SignIn, "It asked me to sign in again this morning.", now).await?;
        }
        if lost && n == 91 {
            // The phone is lost: ICT asks for a wipe, which the next update carries out.
            let code = app.protection.settings()?.device_code;
            sim.request_device_wipe(&code);
            // The update wipes the phone (its last cycle to date goes first), then the app is
            // locked for good: its answer says so.
            let _ = app.updates.sync_now(now).await;
            break;
        }
        app.updates.sync_now(now).await?;
        answer_due(&app, i, now)?;
    }
    if !lost {
        // The last week: the exit survey, sent before signing out.
        answer_due(&app, i, day(n))?;
        app.updates.sync_now(day(n)).await?;
        app.account.sign_out_at(day(n)).await?;
    }
    if let Ok(keystore) = companion_keystore::Keystore::native(&service) {
        let _ = keystore.delete_all();
    }
    Ok(Member { sim, code: consent.member_code, phone_mb })
}

/// Appends `from`'s rows (without its header) to `into`, or copies it when `into` is new.
fn merge_csv(from: &Path, into: &Path) -> std::io::Result<()> {
    let text = std::fs::read_to_string(from)?;
    if into.exists() {
        let rows: String = text.lines().skip(1).map(|l| format!("{l}\n")).collect();
        let mut existing = std::fs::read_to_string(into)?;
        existing.push_str(&rows);
        std::fs::write(into, existing)
    } else {
        std::fs::write(into, text)
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), Failure> {
    let began = Instant::now();
    let out = PathBuf::from(std::env::var("REPORT_DEMO_OUT").unwrap_or_else(|_| "target/report-demo".into()));
    let _ = std::fs::remove_dir_all(&out);
    let work = tempfile::tempdir()?;
    let mut members = Vec::new();
    for i in 0..MEMBERS {
        let member = live(i, work.path()).await?;
        println!(
            "member {} ({}) has lived the trial ({:.0} s so far)",
            i + 1,
            member.code,
            began.elapsed().as_secs_f64()
        );
        members.push(member);
    }

    // The officer fetches every member's lists and reads them together.
    let lists = out.join("lists");
    for (i, m) in members.iter().enumerate() {
        let c = m.sim.credentials();
        let source = ListsSource {
            authority: c.authority,
            client_id: c.client_id,
            graph_url: m.sim.graph_url(),
            site: m.sim.site_address(),
        };
        let token = sign_in(&source, |code, _| {
            m.sim.approve_device_code(code, Principal::Administrator);
        })
        .await?;
        let one = work.path().join(format!("lists-{i}"));
        fetch_lists(&source, &token, &one).await?;
        for entry in std::fs::read_dir(&one)? {
            let path = entry?.path();
            std::fs::create_dir_all(&lists)?;
            merge_csv(&path, &lists.join(path.file_name().unwrap_or_default()))?;
        }
    }

    // A carrier's bill to match (the phone's figures, or the app's bytes where the member
    // read none, with other apps' use on top), and two tickets the desk logged by phone.
    let read = |p: &Path| std::fs::read(p);
    let usage = read_usage("UsageReports.csv", &read(&lists.join("UsageReports.csv"))?);
    let mut bill = String::from("Member code,Bill month,Data (MB),Outgoing calls,Incoming calls,Total (£)\n");
    let mut billed = std::collections::BTreeSet::new();
    for u in &usage.rows {
        let month = u.cycle_start.format("%m/%Y").to_string();
        if !billed.insert((u.member.clone(), month.clone())) {
            continue;
        }
        let phone = members
            .iter()
            .find(|m| m.code == u.member)
            .and_then(|m| m.phone_mb.iter().find(|(d, _)| d.format("%m/%Y").to_string() == month).map(|(_, mb)| *mb));
        // The phone's own figure where the member read one that month; otherwise the app's
        // bytes and the rest of the phone's use (other apps, the browser).
        let index = members.iter().position(|m| m.code == u.member).unwrap_or(0) as u64;
        let mb = phone.unwrap_or(u.app_mobile_bytes / MB + 150 + index * 60);
        let charge = if mb > 1024 { "62.50" } else { "12.50" };
        let _ = writeln!(bill, "{},{month},{mb},{},{},£{charge}", u.member, u.calls_started + 3, 5);
    }
    let mapping = BillMapping::from_toml(
        "[columns]\nmember = \"Member code\"\nmonth = \"Bill month\"\ndata = \"Data (MB)\"\ncalls-made = \"Outgoing calls\"\ncalls-received = \"Incoming calls\"\ncharge = \"Total (£)\"\n[formats]\nmonth = \"%m/%Y\"\ndata-unit = \"MB\"\n",
    )?;
    let known = Some(usage.rows.iter().map(|u| u.member.clone()).collect());
    let bill = read_bill("bill.csv", bill.as_bytes(), &mapping, &known);
    let tickets = format!(
        "Member code,Opened,Closed,Minutes,Category\n{},2026-11-03,2026-11-03,20,Sign-in\n{},2026-12-08,2026-12-10,45,Device\n",
        members[1].code, members[4].code
    );
    let tickets = read_tickets("tickets.csv", tickets.as_bytes(), &known);
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    let costs = read_costs("costs.toml", &std::fs::read_to_string(format!("{fixtures}/costs.toml"))?)
        .map_err(|p| p.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))?;
    let others = read_triangulation("triangulation.csv", &read(Path::new(&format!("{fixtures}/triangulation.csv")))?);
    let support = read_support("SupportRequests.csv", &read(&lists.join("SupportRequests.csv"))?);
    let answers = read_answers("SurveyAnswers.csv", &read(&lists.join("SurveyAnswers.csv"))?);
    let responses = read_responses("MemberSurveys.csv", &read(&lists.join("MemberSurveys.csv"))?);
    let wipes = read_wipes("DeviceWipeRequests.csv", &read(&lists.join("DeviceWipeRequests.csv"))?);
    let problems: Vec<String> = usage
        .problems
        .iter()
        .chain(&bill.problems)
        .chain(&tickets.problems)
        .chain(&others.problems)
        .chain(&support.problems)
        .chain(&answers.problems)
        .chain(&responses.problems)
        .chain(&wipes.problems)
        .map(ToString::to_string)
        .collect();
    if !problems.is_empty() {
        return Err(problems.join("\n").into());
    }
    let sections = build(&ReportInputs {
        usage: usage.rows,
        support: support.rows,
        bill: bill.rows,
        tickets: tickets.rows,
        costs,
        answers: answers.rows,
        responses: responses.rows,
        others: others.rows,
        wipes: wipes.rows,
    });
    let title = "Member device trial: the report (simulated trial)";
    write_csvs(&sections, &out)?;
    std::fs::write(out.join("report.html"), html(title, &sections))?;
    write_xlsx(title, &sections, &out.join("report.xlsx"))?;
    let page = std::fs::canonicalize(out.join("report.html"))?;
    println!("The report of a simulated {MEMBERS}-member, four-month trial: {}", page.display());
    println!("It took {:.0} s.", began.elapsed().as_secs_f64());
    if std::env::var_os("DISPLAY").is_some() || std::env::var_os("WAYLAND_DISPLAY").is_some() {
        let _ = std::process::Command::new("xdg-open").arg(&page).status();
    }
    Ok(())
}
