//! The modern.gov client against the simulator's committee site: the member's committees and
//! meetings, agendas as they are published, papers' sizes and contents, exempt papers, and
//! every byte metered.

use chrono::{Duration, NaiveDate};
use companion_graph::{Feature, Meter, Network, NetworkProbe, Traffic};
use companion_graph_sim::{FaultKind, FaultPlan, GraphSim, SimConfig};
use companion_moderngov::{ModernGovClient, ModernGovError, ModernGovSite};
use std::sync::{Arc, Mutex};

#[derive(Default)]
struct Ledger(Mutex<Vec<Traffic>>);

impl Meter for Ledger {
    fn record(&self, traffic: Traffic) {
        self.0.lock().expect("ledger").push(traffic);
    }
}

impl Ledger {
    fn down(&self) -> u64 {
        self.0.lock().expect("ledger").iter().map(|t| t.down).sum()
    }
    fn all_papers(&self) -> bool {
        self.0.lock().expect("ledger").iter().all(|t| t.feature == Feature::CommitteePapers)
    }
}

struct OnWifi;

impl NetworkProbe for OnWifi {
    fn current(&self) -> Network {
        Network::Wifi
    }
}

async fn start(config: SimConfig) -> (GraphSim, ModernGovClient, Arc<Ledger>) {
    let sim = GraphSim::start(config).await.expect("simulator");
    let ledger = Arc::new(Ledger::default());
    let site = ModernGovSite::parse(&sim.committee_site()).expect("site");
    let client = ModernGovClient::new(site, ledger.clone(), Arc::new(OnWifi)).expect("client");
    (sim, client, ledger)
}

fn small() -> SimConfig {
    SimConfig::default().with_messages(20).with_events(5).with_contacts(5).with_directory(10)
}

fn trial_months(sim: &GraphSim) -> (NaiveDate, NaiveDate) {
    let today = sim.now().date_naive();
    (today, today + Duration::days(120))
}

#[tokio::test]
async fn the_members_meetings_for_the_trial_months_are_those_of_their_committees() {
    let (sim, client, ledger) = start(small()).await;
    let all = client.committees().await.expect("committees");
    assert!(all.iter().any(|c| !c.is_current()), "past committees are listed too");
    let theirs = client.committees_of(sim.committee_member_id()).await.expect("the member's");
    assert_eq!(theirs.len(), 3);
    assert!(theirs.iter().any(|c| c.title == "Council"), "every member sits on the full council");
    assert!(theirs.iter().all(|c| all.contains(c)));
    assert!(client.committees_of(1).await.expect("someone else's").is_empty());
    let (from, to) = trial_months(&sim);
    for c in &theirs {
        let meetings = client.meetings(c.id, from, to).await.expect("meetings");
        assert!(!meetings.is_empty(), "{} meets in the trial months", c.title);
        assert!(meetings.iter().all(|m| m.committee_id == c.id && m.committee_title == c.title));
        assert!(meetings.iter().all(|m| m.date >= from && m.date <= to));
        assert!(meetings.windows(2).all(|w| w[0].date <= w[1].date), "in date order");
        assert!(
            meetings.iter().all(|m| m.starts.is_some()),
            "{:?}",
            meetings.iter().map(|m| &m.time).collect::<Vec<_>>()
        );
    }
    assert!(ledger.down() > 0 && ledger.all_papers(), "every exchange metered as committee papers");
}

#[tokio::test]
async fn an_agenda_appears_a_week_ahead_and_a_supplement_published_later_only_from_its_day() {
    let (sim, client, _) = start(small()).await;
    let (from, to) = trial_months(&sim);
    let mut upcoming = Vec::new();
    for c in client.committees_of(sim.committee_member_id()).await.expect("committees") {
        upcoming.extend(client.meetings(c.id, from + Duration::days(14), to).await.expect("meetings"));
    }
    upcoming.sort_by_key(|m| m.date);
    // Before its agenda is out: no items.
    let soonest = upcoming.first().expect("a meeting ahead");
    let early = client.meeting(soonest.id).await.expect("meeting");
    assert!(!early.agenda_published && early.items.is_empty());
    assert!(early.attendees.iter().any(|a| a.member_id == Some(sim.committee_member_id())), "the member is expected");
    // Live through the weeks: each meeting's agenda by its day, supplements later.
    let mut supplement_seen_late = false;
    for m in upcoming.iter().take(6) {
        let days = (m.date - sim.now().date_naive()).num_days() - 3;
        if days > 0 {
            sim.advance(Duration::days(days));
        }
        let three_days_before = client.meeting(m.id).await.expect("meeting");
        if m.is_cancelled() {
            continue;
        }
        assert!(three_days_before.agenda_published, "the agenda is out a week ahead");
        assert!(three_days_before.items.iter().any(|i| !i.documents.is_empty()));
        sim.advance(Duration::days(3));
        let on_the_day = client.meeting(m.id).await.expect("meeting");
        let before: Vec<u32> = three_days_before.papers().iter().map(|p| p.id).collect();
        let late: Vec<_> = on_the_day.papers().into_iter().filter(|p| !before.contains(&p.id)).collect();
        if !late.is_empty() {
            supplement_seen_late = true;
            assert!(late.iter().all(|p| p.title.starts_with("Supplement")), "only a supplement comes late");
        }
    }
    assert!(supplement_seen_late, "one of six meetings has a supplement (the simulator gives two in five)");
}

#[tokio::test]
async fn a_paper_is_the_size_the_site_says_every_byte_metered_and_an_exempt_one_is_refused() {
    let (sim, client, ledger) = start(small()).await;
    let (from, to) = trial_months(&sim);
    // A fortnight on: the first weeks' agendas are out.
    sim.advance(Duration::days(14));
    let mut meetings = Vec::new();
    for c in client.committees().await.expect("committees").iter().filter(|c| c.is_current()) {
        meetings.extend(client.meetings(c.id, from - Duration::days(30), to).await.expect("meetings"));
    }
    let mut public = None;
    let mut exempt = None;
    for m in meetings.iter().filter(|m| m.date <= sim.now().date_naive() + Duration::days(5)) {
        let meeting = client.meeting(m.id).await.expect("meeting");
        for item in &meeting.items {
            for p in &item.documents {
                if p.restricted {
                    assert!(item.restricted || p.title.contains("Exempt"));
                    exempt.get_or_insert(p.clone());
                } else if public.is_none() {
                    public = Some(p.clone());
                }
            }
        }
    }
    let public = public.expect("a public paper");
    let size = client.paper_size(&public).await.expect("size").expect("the site says");
    let before = ledger.down();
    let bytes = client.paper(&public, 64 * 1024 * 1024).await.expect("the paper");
    assert_eq!(bytes.len() as u64, size);
    assert!(bytes.starts_with(b"%PDF-"));
    assert!(ledger.down() - before >= size, "its bytes are in the ledger");
    assert!(matches!(client.paper(&public, size / 2).await, Err(ModernGovError::TooLarge { .. })));
    let exempt = exempt.expect("an exempt paper in a month of meetings");
    assert!(matches!(client.paper(&exempt, 64 * 1024 * 1024).await, Err(ModernGovError::Restricted)));
    let size = client.paper_size(&exempt).await;
    assert!(matches!(size, Err(ModernGovError::Restricted)), "{size:?}");
}

#[tokio::test]
async fn a_dropped_connection_or_a_server_error_is_tried_again() {
    let faults = FaultPlan::only(3, 0.5, &[FaultKind::ConnectionReset, FaultKind::Unavailable]);
    let (sim, client, ledger) = start(small().with_faults(faults)).await;
    for _ in 0..4 {
        let theirs = client.committees_of(sim.committee_member_id()).await.expect("got there in the end");
        assert_eq!(theirs.len(), 3);
    }
    assert!(ledger.0.lock().expect("ledger").len() > 4, "the failed tries are metered too");
}

#[test]
fn a_site_must_be_https_and_a_paper_elsewhere_is_never_fetched() {
    assert!(ModernGovSite::parse("http://democracy.example.gov.uk/").is_err());
    assert!(ModernGovSite::parse("not an address").is_err());
    let site = ModernGovSite::parse("https://democracy.example.gov.uk").expect("site");
    assert_eq!(site.address().as_str(), "https://democracy.example.gov.uk/");
}
