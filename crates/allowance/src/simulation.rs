//! A month in the life of a heavy councillor, on the simulator's timeline: mail arrives
//! hour by hour, the app syncs and prefetches at its level's pace, the member opens a third of
//! the messages and some attachments on mobile data, and reads the phone's own data figure
//! every few days. Shared by the allowance tests and the benchmark.
//!
//! Agenda packs come one of two ways: as mail attachments (issue 6's month: four a week sent
//! round to members, opened from the message), or from the council's committee site through
//! the committee papers path the app runs ([`companion_sync::CommitteePapers`]): the member
//! sits on every committee, the packs of the next days' meetings are fetched ahead on Wi-Fi
//! only, and the evening before a meeting the member opens its agenda and asks for what is
//! not on the phone, which the governor decides on as it does for attachments.

use crate::{AllowancePolicy, DataAllowance, MemberAllowanceSettings};
use chrono::{DateTime, Datelike, Duration, Timelike, Utc};
use chrono_tz::Europe::London;
use companion_graph::{GraphClient, Network, NetworkProbe, Secret, StaticToken};
use companion_graph_sim::{headless, GraphSim, SimConfig, TimelineProfile};
use companion_moderngov::{ModernGovClient, ModernGovSite};
use companion_sync::{
    meeting_cancelled, AllowAll, CommitteeMember, CommitteePapers, CountingMeter, DataPolicy, LedgerMeter, PaperFetch,
    Purpose, SyncEngine, SyncOptions,
};
use companion_vault::{Vault, VaultKey};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// What the month is like.
#[derive(Debug, Clone)]
pub struct MonthPlan {
    /// The simulator's seed.
    pub seed: u64,
    /// Whether the governor runs (otherwise every download is allowed).
    pub governed: bool,
    /// The rest of the phone's mobile use, bytes a day (web, maps, messaging).
    pub other_use_per_day: u64,
    /// Days to live.
    pub days: u32,
    /// How agenda packs reach the member.
    pub packs: AgendaPacks,
}

/// How agenda packs reach the member in the month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgendaPacks {
    /// Sent round as mail attachments, four a week of 2–40 MB, all month on mobile data.
    ByMail,
    /// From the council's committee site through the committee papers path; the member sits
    /// on every committee.
    CommitteeSite {
        /// On home Wi-Fi from 7 pm to 8 am (otherwise all month on mobile data).
        home_wifi: bool,
    },
}

impl MonthPlan {
    /// A heavy councillor's November: 80 messages a weekday, four agenda packs of 2–40 MB a week, and
    /// 25 MB a day of other use on the phone (maps, news, messaging: the rest of a 1 GB month).
    pub fn heavy(governed: bool) -> Self {
        Self { seed: 2026, governed, other_use_per_day: 25 * crate::MB, days: 30, packs: AgendaPacks::ByMail }
    }

    /// The same month with the packs from the committee site (see [`AgendaPacks::CommitteeSite`]).
    pub fn heavy_with_papers(governed: bool, home_wifi: bool) -> Self {
        Self { packs: AgendaPacks::CommitteeSite { home_wifi }, ..Self::heavy(governed) }
    }
}

/// How the month went.
#[derive(Debug, Clone, Default)]
pub struct MonthOutcome {
    /// The app's bytes on mobile data.
    pub app_mobile_bytes: u64,
    /// The whole phone's (the app plus other use).
    pub phone_bytes: u64,
    /// Messages that arrived in the month.
    pub messages_arrived: usize,
    /// Messages the member opened.
    pub opened: usize,
    /// Of them, opened without a body to show.
    pub opened_without_body: usize,
    /// Attachments the member asked for, and those held back.
    pub attachments_asked: usize,
    /// Attachments held back by the governor.
    pub attachments_held_back: usize,
    /// Syncs run.
    pub syncs: usize,
    /// The governor's level at the end.
    pub final_level: Option<crate::Level>,
    /// Notifications given, as (day, per cent).
    pub alerts: Vec<(String, u32)>,
    /// Committee papers' bytes on mobile data (from the committee site).
    pub papers_mobile_bytes: u64,
    /// …and on any network.
    pub papers_bytes: u64,
    /// The member's meetings in the month with an agenda (not cancelled).
    pub meetings: usize,
    /// Of them, those whose papers were all on the phone the evening before.
    pub meetings_ready: usize,
    /// Papers the member asked for the evening before (not already on the phone).
    pub papers_asked: usize,
    /// Of them, held back by the governor.
    pub papers_held_back: usize,
}

struct SwitchableNetwork(AtomicBool);

impl NetworkProbe for SwitchableNetwork {
    fn current(&self) -> Network {
        if self.0.load(Ordering::Relaxed) {
            Network::Mobile
        } else {
            Network::Wifi
        }
    }
}

/// Whether the member opens this message: a third of them, picked by a stable hash of its id.
fn opens(id: &str) -> bool {
    id.bytes().fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b))) % 3 == 0
}

/// Lives the month.
pub async fn run_month(plan: &MonthPlan) -> Result<MonthOutcome, Box<dyn std::error::Error + Send + Sync>> {
    // 1 November 2026, 06:00 in London: a cycle starting on the 1st.
    let start: DateTime<Utc> = "2026-11-01T06:00:00Z".parse()?;
    let by_site = matches!(plan.packs, AgendaPacks::CommitteeSite { .. });
    // From the committee site, the packs are no longer mailed round; the member sits on
    // every committee.
    let timeline =
        TimelineProfile { agenda_packs_per_week: if by_site { 0.0 } else { 4.0 }, ..TimelineProfile::heavy() };
    let mut config = SimConfig::default()
        .with_seed(plan.seed)
        .with_messages(300)
        .with_start(start)
        .with_timeline(timeline)
        .with_committee_seats(if by_site { usize::MAX } else { 2 });
    config.access_token_lifetime = Duration::days(60);
    let sim = GraphSim::start(config).await?;
    let c = sim.credentials();
    let tokens = headless::sign_in(&c.authority, &c.client_id, &c.scopes).await?;
    let dir = tempfile::tempdir()?;
    let (vault, _) = Vault::open(dir.path(), &VaultKey::generate())?;
    let vault = Arc::new(vault);
    let network = Arc::new(SwitchableNetwork(AtomicBool::new(false)));
    let now_cell = Arc::new(std::sync::Mutex::new(sim.now()));
    let clock_read = now_cell.clone();
    let ledger = Arc::new(LedgerMeter::with_clock(
        vault.clone(),
        Arc::new(move || *clock_read.lock().unwrap_or_else(|e| e.into_inner())),
    ));
    let meter = Arc::new(CountingMeter::new(ledger));
    let graph = Arc::new(GraphClient::new(
        &sim.graph_url(),
        Arc::new(StaticToken(Secret::new(tokens.access_token))),
        meter.clone(),
        network.clone(),
    )?);
    let allowance = DataAllowance::new(vault.clone(), AllowancePolicy::default())?;
    allowance.set_member_settings(&MemberAllowanceSettings::default())?;
    let policy: Arc<dyn DataPolicy> = if plan.governed { allowance.governor() } else { Arc::new(AllowAll) };
    let engine = SyncEngine::new(graph, vault.clone(), policy.clone(), network.clone(), SyncOptions::default());
    let papers = if by_site {
        let client =
            ModernGovClient::new(ModernGovSite::parse(&sim.committee_site())?, meter.clone(), network.clone())?;
        let member = CommitteeMember { id: sim.committee_member_id(), exempt_papers: false };
        Some(CommitteePapers::new(vault.clone(), Arc::new(client), policy, network.clone(), member))
    } else {
        None
    };
    let home_wifi = matches!(plan.packs, AgendaPacks::CommitteeSite { home_wifi: true });
    let at_home = |local: DateTime<chrono_tz::Tz>| home_wifi && (local.hour() >= 19 || local.hour() < 8);

    // Enrolment: the first sync happens on the council's Wi-Fi; the month is all mobile data.
    engine.sync_all(sim.now()).await?;
    if let Some(papers) = &papers {
        papers.update(sim.now()).await?;
    }
    network.0.store(true, Ordering::Relaxed);
    let mut outcome = MonthOutcome::default();
    let mut last_sync = sim.now();
    let mut last_session = sim.now();
    let step = Duration::minutes(15);
    let end = start + Duration::days(i64::from(plan.days));
    while sim.now() < end {
        let report = sim.advance(step);
        outcome.messages_arrived += report.messages_arrived;
        let now = sim.now();
        *now_cell.lock().unwrap_or_else(|e| e.into_inner()) = now;
        let local = now.with_timezone(&London);
        network.0.store(!at_home(local), Ordering::Relaxed);
        let level = allowance.governor().level();
        let interval = if plan.governed {
            level.sync_interval(network.current())
        } else {
            std::time::Duration::from_secs(15 * 60)
        };
        if (now - last_sync).to_std().unwrap_or_default() >= interval {
            engine.sync_all(now).await?;
            engine.prefetch(now - Duration::days(2)).await?;
            if let Some(papers) = &papers {
                papers.update(now).await?;
            }
            last_sync = now;
            outcome.syncs += 1;
            let days = (now - start).num_minutes() as f64 / 1440.0;
            let other = (plan.other_use_per_day as f64 * days) as u64;
            // Every third evening the member reads the phone's own figure into the app.
            if local.hour() == 20 && local.minute() == 0 && local.day0() % 3 == 0 {
                let report = allowance.refresh(now)?;
                allowance.set_device_usage(Some(report.usage.mobile + other), now)?;
            }
            let report = allowance.refresh(now)?;
            for a in report.alerts {
                outcome.alerts.push((local.format("%-d %b").to_string(), a.percent));
            }
        }
        // The member reads mail at breakfast, lunch and in the evening.
        if matches!((local.hour(), local.minute()), (8, 0) | (13, 0) | (19, 0)) {
            session(&engine, &vault, last_session, now, &mut outcome).await?;
            last_session = now;
        }
        // The evening before a meeting, the member opens its agenda and asks for its papers.
        if let (Some(papers), (19, 0)) = (&papers, (local.hour(), local.minute())) {
            if now < end {
                evening_before(papers, &vault, now, &mut outcome).await?;
            }
        }
    }
    let entries = vault.traffic(start.with_timezone(&London).date_naive(), end.with_timezone(&London).date_naive())?;
    outcome.app_mobile_bytes =
        entries.iter().filter(|e| e.network == "mobile").map(|e| e.bytes_up + e.bytes_down).sum();
    let papers_entries = || entries.iter().filter(|e| e.feature == companion_graph::Feature::CommitteePapers.as_str());
    outcome.papers_mobile_bytes =
        papers_entries().filter(|e| e.network == "mobile").map(|e| e.bytes_up + e.bytes_down).sum();
    outcome.papers_bytes = papers_entries().map(|e| e.bytes_up + e.bytes_down).sum();
    outcome.phone_bytes = outcome.app_mobile_bytes + plan.other_use_per_day * u64::from(plan.days);
    outcome.final_level = plan.governed.then(|| allowance.governor().level());
    sim.shutdown().await;
    Ok(outcome)
}

/// The member opens a third of what arrived since the last session, and the attachments of
/// agenda packs and briefing notes among them.
async fn session(
    engine: &SyncEngine,
    vault: &Vault,
    since: DateTime<Utc>,
    now: DateTime<Utc>,
    outcome: &mut MonthOutcome,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let Some(inbox) = vault.well_known_folder_id("inbox")? else { return Ok(()) };
    let mut chosen = Vec::new();
    let mut cursor = None;
    'pages: loop {
        let page = vault.folder_page(&inbox, cursor.as_ref(), 200)?;
        for m in &page.messages {
            if m.received_at < since {
                break 'pages;
            }
            if m.received_at <= now && opens(&m.id) {
                chosen.push((m.id.clone(), m.has_attachments, m.subject.clone()));
            }
        }
        match page.next {
            Some(n) => cursor = Some(n),
            None => break,
        }
    }
    let ids: Vec<String> = chosen.iter().map(|(id, _, _)| id.clone()).collect();
    engine.fetch_bodies(&ids, Purpose::Opened).await?;
    for (id, has_attachments, subject) in &chosen {
        outcome.opened += 1;
        if vault.message_body(id)?.is_none() {
            outcome.opened_without_body += 1;
        }
        if *has_attachments && (subject.starts_with("Agenda pack") || opens(subject)) {
            if vault.attachments(id)?.is_empty() {
                engine.fetch_attachment_lists(std::slice::from_ref(id)).await?;
            }
            if let Some(a) = vault.attachments(id)?.into_iter().find(|a| !a.is_inline) {
                outcome.attachments_asked += 1;
                if let companion_sync::AttachmentDownload::Deferred(_) =
                    engine.download_attachment(id, &a.id, Purpose::Confirmed).await?
                {
                    outcome.attachments_held_back += 1;
                }
            }
        }
    }
    Ok(())
}

/// The evening before the member's meetings: each agenda opened, and every paper not on the
/// phone asked for (the member has seen its size and agreed); the governor may hold it back.
async fn evening_before(
    papers: &CommitteePapers,
    vault: &Vault,
    now: DateTime<Utc>,
    outcome: &mut MonthOutcome,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let tomorrow = now.with_timezone(&London).date_naive() + Duration::days(1);
    for m in vault.committee_meetings(tomorrow, tomorrow)? {
        let listed = vault.committee_papers(m.id)?;
        if meeting_cancelled(&m.status) || listed.is_empty() {
            continue;
        }
        outcome.meetings += 1;
        let mut ready = true;
        for p in listed.iter().filter(|p| p.fetched_at.is_none()) {
            outcome.papers_asked += 1;
            match papers.fetch(m.id, p.id, Purpose::Confirmed, now).await? {
                Some(PaperFetch::Stored { .. }) => {}
                Some(PaperFetch::Deferred(_)) | None => {
                    outcome.papers_held_back += 1;
                    ready = false;
                }
            }
        }
        if ready {
            outcome.meetings_ready += 1;
        }
    }
    Ok(())
}
