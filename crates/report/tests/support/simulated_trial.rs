//! A whole trial, simulated: ten members of one council, each with the real app core, its own
//! vault and its own keyring entries, live four months against the simulator (each member's
//! mailbox a simulator of its own, the council's SharePoint one site they all share): light to
//! heavy data users (one over the cap), help asked for, surveys answered, display settings of
//! their own, one phone lost and wiped by the council, the others signing out at the end. The
//! officer then fetches the trial's lists once, as from a real council's site, and a carrier's
//! bill and the desk's tickets are made up to match.
//!
//! Used by `make report-demo` (the example) and by the golden tables of the simulated trial
//! (`tests/simulated.rs`): the same seeds and the simulator's fixed start give the same trial.

use companion_app::views::{DisplaySettings, HelpCategory, NetworkChoice, SurveyAnswer, SurveyQuestionKind};
use companion_app::{AppConfig, Companion, ReturnPath};
use companion_graph_sim::{headless, GraphSim, Principal, SimConfig, TimelineProfile};
use companion_report::{
    fetch_lists, read_answers, read_bill, read_costs, read_responses, read_support, read_tickets, read_triangulation,
    read_usage, read_wipes, sign_in, BillMapping, ListsSource, ReportInputs,
};
use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;

pub const MEMBERS: usize = 10;
const PIN: &str = "274916";
const MB: u64 = 1024 * 1024;

pub type Failure = Box<dyn std::error::Error>;

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
pub struct Member {
    /// Their mailbox's simulator (the first also serves the council's site to the officer).
    pub sim: GraphSim,
    /// Their member code, as the lists show it.
    pub code: String,
    /// The phone's own figure each month, as the member read it.
    pub phone_mb: Vec<(chrono::NaiveDate, u64)>,
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

/// The display settings member `i`'s phone has: most as standard, some with larger text, a
/// few with motion reduced or more contrast.
fn display_of(i: usize) -> DisplaySettings {
    DisplaySettings {
        text_percent: [100, 115, 100, 150, 100, 200, 130, 100, 175, 100][i % 10],
        reduced_motion: i % 3 == 1,
        more_contrast: i == 5 || i == 8,
        forced_colours: false,
    }
}

/// Member `i`'s trial: sign in, consent, four months of weekly updates. The first member's
/// simulator is the council's: ICT provisions its site; the others join it.
async fn live(i: usize, root: &Path, council: Option<&GraphSim>) -> Result<Member, Failure> {
    let mut config = SimConfig::default()
        .with_seed(100 + i as u64)
        .with_messages(40)
        .with_events(20)
        .with_contacts(10)
        .with_directory(20);
    config.timeline =
        TimelineProfile { messages_per_day: 2.0 + i as f64, agenda_packs_per_week: 0.0, ..TimelineProfile::typical() };
    config.access_token_lifetime = chrono::Duration::days(200);
    if let Some(council) = council {
        config = config.joining(council.council_sharepoint());
    }
    let sim = GraphSim::start(config).await?;
    let c = sim.credentials();
    if council.is_none() {
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
    }

    let dir = root.join(format!("member-{i}"));
    std::fs::create_dir_all(&dir)?;
    let policy = dir.join("allowance.toml");
    std::fs::write(&policy, "cap-mb = 1024\ncycle-start-day = 1\noverage-charge-pence = 5000\n")?;
    let service = format!("uk.gov.membercompanion.simulated-trial.{}.{i}", std::process::id());
    let mut app_config = AppConfig::from_toml(&format!(
        "authority = \"{}\"\nclient-id = \"{}\"\ngraph-url = \"{}\"\nkeyring-service = \"{service}\"\ntrial-site-id = \"{}\"\nnetwork-bus = \"unix:path=/nonexistent/simulated-trial\"\n",
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
    app.trial.note_display(display_of(i))?;
    app.updates.sync_now(start).await?;
    answer_due(&app, i, start)?;
    let mut phone_mb = Vec::new();
    let mut n = 0;
    let lost = i == 7;
    while n < 119 {
        n += 7;
        sim.advance(chrono::Duration::days(7));
        let now = day(n);
        // The screen reports its settings each time the app opens.
        app.trial.note_display(display_of(i))?;
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

/// Ten members live the trial, one after another; `progress` hears of each.
pub async fn live_trial(root: &Path, mut progress: impl FnMut(usize, &Member)) -> Result<Vec<Member>, Failure> {
    let mut members: Vec<Member> = Vec::new();
    for i in 0..MEMBERS {
        let member = live(i, root, members.first().map(|m| &m.sim)).await?;
        progress(i, &member);
        members.push(member);
    }
    Ok(members)
}

/// The officer signs in at the council's site (by device code) and fetches its lists into
/// `lists` as CSV.
pub async fn fetch(council: &GraphSim, lists: &Path) -> Result<(), Failure> {
    let c = council.credentials();
    let source = ListsSource {
        authority: c.authority,
        client_id: c.client_id,
        graph_url: council.graph_url(),
        site: council.site_address(),
    };
    let token = sign_in(&source, |code, _| {
        council.approve_device_code(code, Principal::Administrator);
    })
    .await?;
    fetch_lists(&source, &token, lists).await?;
    Ok(())
}

/// The report's inputs: the fetched lists, a carrier's bill to match (the phone's figures, or
/// the app's bytes where the member read none, with other apps' use on top), two tickets the
/// desk logged by phone (in the app's categories, as the desk is asked to log them), the example costs and other councils. `members` in the order they
/// lived the trial, by the codes the lists hold.
pub fn inputs(lists: &Path, members: &[(String, Vec<(chrono::NaiveDate, u64)>)]) -> Result<ReportInputs, Failure> {
    let read = |p: &Path| std::fs::read(p);
    let usage = read_usage("UsageReports.csv", &read(&lists.join("UsageReports.csv"))?);
    let mut bill = String::from("Member code,Bill month,Data (MB),Outgoing calls,Incoming calls,Total (£)\n");
    let mut billed = std::collections::BTreeSet::new();
    for u in &usage.rows {
        let month = u.cycle_start.format("%m/%Y").to_string();
        if !billed.insert((u.member.clone(), month.clone())) {
            continue;
        }
        let index = members.iter().position(|(code, _)| *code == u.member).unwrap_or(0);
        let phone = members
            .get(index)
            .and_then(|(_, read)| read.iter().find(|(d, _)| d.format("%m/%Y").to_string() == month).map(|(_, mb)| *mb));
        let mb = phone.unwrap_or(u.app_mobile_bytes / MB + 150 + index as u64 * 60);
        let charge = if mb > 1024 { "62.50" } else { "12.50" };
        let _ = writeln!(bill, "{},{month},{mb},{},{},£{charge}", u.member, u.calls_started + 3, 5);
    }
    let mapping = BillMapping::from_toml(
        "[columns]\nmember = \"Member code\"\nmonth = \"Bill month\"\ndata = \"Data (MB)\"\ncalls-made = \"Outgoing calls\"\ncalls-received = \"Incoming calls\"\ncharge = \"Total (£)\"\n[formats]\nmonth = \"%m/%Y\"\ndata-unit = \"MB\"\n",
    )?;
    let known = Some(usage.rows.iter().map(|u| u.member.clone()).collect());
    let bill = read_bill("bill.csv", bill.as_bytes(), &mapping, &known);
    let tickets = format!(
        "Member code,Opened,Closed,Minutes,Category\n{},2026-11-03,2026-11-03,20,Signing in\n{},2026-12-08,2026-12-10,45,The phone\n",
        members[1].0, members[4].0
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
    Ok(ReportInputs {
        usage: usage.rows,
        support: support.rows,
        bill: bill.rows,
        tickets: tickets.rows,
        costs,
        answers: answers.rows,
        responses: responses.rows,
        others: others.rows,
        wipes: wipes.rows,
    })
}
