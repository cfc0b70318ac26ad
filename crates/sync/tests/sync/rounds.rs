use companion_graph::*;
use companion_graph_sim::{headless, FaultPlan, GraphSim, SimConfig};
use companion_sync::*;
use companion_vault::{Vault, VaultKey};
use std::collections::BTreeSet;
use std::sync::Arc;

pub struct Rig {
    pub sim: GraphSim,
    pub vault: Arc<Vault>,
    pub engine: SyncEngine,
    pub graph: Arc<GraphClient>,
    _dir: tempfile::TempDir,
}

pub async fn rig(config: SimConfig) -> Rig {
    rig_with(config, SyncOptions::default()).await
}

pub async fn rig_with(config: SimConfig, options: SyncOptions) -> Rig {
    let mut config = config;
    config.access_token_lifetime = chrono::Duration::days(60);
    let sim = GraphSim::start(config).await.expect("simulator");
    let c = sim.credentials();
    let tokens = headless::sign_in(&c.authority, &c.client_id, &c.scopes).await.expect("sign-in");
    let graph = Arc::new(
        GraphClient::new(
            &sim.graph_url(),
            Arc::new(StaticToken(Secret::new(tokens.access_token))),
            Arc::new(NoMeter),
            Arc::new(FixedNetwork(Network::Wifi)),
        )
        .expect("client"),
    );
    let dir = tempfile::tempdir().expect("dir");
    let (vault, _) = Vault::open(dir.path(), &VaultKey::generate()).expect("vault");
    let vault = Arc::new(vault);
    let engine = SyncEngine::new(
        graph.clone(),
        vault.clone(),
        Arc::new(AllowAll),
        Arc::new(FixedNetwork(Network::Wifi)),
        options,
    );
    Rig { sim, vault, engine, graph, _dir: dir }
}

/// The inbox as the vault holds it after a sync.
pub fn inbox(r: &Rig) -> companion_vault::MailFolderRecord {
    r.vault.folders().expect("folders").into_iter().find(|f| f.well_known.as_deref() == Some("inbox")).expect("inbox")
}

/// The server's state as the vault should hold it: recent mail per folder, the calendar
/// window, every contact.
pub fn assert_vault_equals_server(r: &Rig) {
    let snap = r.sim.snapshot();
    let now = r.sim.now();
    let since = now - chrono::Duration::days(30);
    for (folder_id, name) in &snap.folders {
        let want: BTreeSet<String> = snap
            .messages
            .iter()
            .filter(|m| &m.folder_id == folder_id && m.received >= since)
            .map(|m| m.immutable_id.clone())
            .collect();
        let got: BTreeSet<String> = r.vault.message_ids(folder_id).expect("ids").into_iter().collect();
        if got != want {
            let extra: Vec<_> = got
                .difference(&want)
                .take(3)
                .map(|id| {
                    (
                        id.clone(),
                        snap.messages.iter().find(|m| &m.immutable_id == id).map(|m| (m.folder_id.clone(), m.received)),
                        r.vault.message(id).ok().flatten().map(|m| m.received_at),
                    )
                })
                .collect();
            let missing: Vec<_> = want.difference(&got).take(3).cloned().collect();
            let names: Vec<_> = snap.folders.iter().map(|(i, n)| format!("{n}={i}")).collect();
            panic!("now {now} since {since} {names:?} folder {name}: {} in the vault, {} on the server; extra {extra:?}; missing {missing:?}", got.len(), want.len());
        }
    }
    let (messages, _, contacts) = r.vault.counts().expect("counts");
    assert_eq!(contacts as usize, snap.contacts.len());
    assert_eq!(r.vault.directory_count().expect("directory") as usize, snap.directory.len());
    for (id, mail) in snap.directory.iter().step_by(97) {
        let held = r.vault.directory_person(id).expect("read").expect("everyone is held");
        assert_eq!(held.mail.as_deref(), Some(mail.as_str()));
    }
    assert!(messages > 0);
    let vault_events: BTreeSet<String> = r.vault.event_ids().expect("events").into_iter().collect();
    let window_events: BTreeSet<String> = r
        .vault
        .agenda((now - chrono::Duration::days(14)).date_naive(), (now + chrono::Duration::days(90)).date_naive())
        .expect("agenda")
        .into_iter()
        .map(|e| e.id)
        .collect();
    assert!(!vault_events.is_empty() && window_events.is_subset(&vault_events));
    let server_events: BTreeSet<String> = snap.events.iter().map(|(id, ..)| id.clone()).collect();
    assert!(vault_events.is_subset(&server_events), "no event the server does not have");
}

#[tokio::test]
async fn an_initial_sync_of_10000_messages_makes_the_vault_equal_the_server_and_a_second_round_keeps_it_so() {
    let r = rig(SimConfig::default().with_messages(10_000).with_events(500).with_contacts(300)).await;
    let report = r.engine.sync_all(r.sim.now()).await.expect("initial sync");
    assert!(report.changed > 1_000, "{report:?}");
    assert_vault_equals_server(&r);
    r.sim.advance(chrono::Duration::days(3));
    let report = r.engine.sync_all(r.sim.now()).await.expect("incremental sync");
    assert!(report.changed > 0 && report.removed > 0, "three days bring new mail and tidying: {report:?}");
    assert_vault_equals_server(&r);
}

#[tokio::test]
async fn a_server_reset_clears_and_resyncs_the_collection() {
    let r = rig(SimConfig::default().with_messages(800)).await;
    r.engine.sync_all(r.sim.now()).await.expect("initial sync");
    r.sim.advance(chrono::Duration::days(1));
    r.sim.reset_delta_tokens();
    let report = r.engine.sync_all(r.sim.now()).await.expect("sync after reset");
    assert!(report.resets > 0, "{report:?}");
    assert_vault_equals_server(&r);
}

#[tokio::test]
async fn under_a_fault_storm_sync_converges_and_never_retries_early() {
    // Small pages, so the storm meets a few hundred requests.
    let options = SyncOptions { page_size: 25, ..SyncOptions::default() };
    let r = rig_with(SimConfig::default().with_messages(1_500).with_events(150).with_contacts(100), options).await;
    let mut storm = FaultPlan::storm(21, 0.2);
    storm.max_retry_after = 0.3;
    storm.slow_by = std::time::Duration::from_millis(60);
    r.sim.set_faults(storm);
    r.engine.sync_all(r.sim.now()).await.expect("the storm is weathered");
    r.sim.advance(chrono::Duration::days(2));
    r.engine.sync_all(r.sim.now()).await.expect("and again after two days");
    r.sim.set_faults(FaultPlan::none());
    assert_vault_equals_server(&r);
    let stats = r.sim.stats();
    assert!(stats.requests > 150, "{stats:?}");
    assert!(
        stats.throttled > 0
            && stats.unavailable > 0
            && stats.resets > 0
            && stats.truncated > 0
            && stats.delta_resets > 0,
        "every kind of fault was met: {stats:?}"
    );
    assert_eq!(stats.early_retries, 0, "{stats:?}");
}

#[tokio::test]
async fn under_a_hostile_storm_each_update_fails_plainly_or_succeeds_and_nothing_is_lost_or_kept_wrong() {
    // Pages of ten, so the storm meets a few hundred requests.
    let options = SyncOptions { page_size: 10, ..SyncOptions::default() };
    // A directory of 60: each update that fails starts again from the folder list, so the
    // rounds' total pages (not what they hold) decide how many updates the storm needs.
    let config = SimConfig::default().with_messages(1_500).with_events(150).with_contacts(100).with_directory(60);
    let r = rig_with(config, options).await;
    let mut storm = FaultPlan::hostile_storm(11, 0.2);
    storm.max_retry_after = 0.3;
    storm.slow_by = std::time::Duration::from_millis(80);
    r.sim.set_faults(storm);
    let mut failures = Vec::new();
    let mut done = false;
    for _ in 0..80 {
        match r.engine.sync_all(r.sim.now()).await {
            Ok(_) => {
                done = true;
                break;
            }
            // Each failure is one the member can be told about; the next update goes on from it.
            Err(e) => failures.push(e.to_string()),
        }
    }
    assert!(done, "the updates got through in the end: {failures:?}");
    r.sim.set_faults(FaultPlan::none());
    // What the storm left in place must be Graph's own: the next update (on a quiet network)
    // follows the kept links and finds the cache whole.
    r.engine.sync_all(r.sim.now()).await.expect("a quiet update");
    assert_vault_equals_server(&r);
    let stats = r.sim.stats();
    assert!(
        stats.bombs > 0 && stats.malformed > 0 && stats.absurd > 0 && stats.dribbled > 0,
        "every hostile answer was met: {stats:?}"
    );
    assert!(
        failures.iter().any(|f| f.contains("larger than")) && failures.iter().any(|f| f.contains("could not be read")),
        "a bomb and a malformed answer each failed an update plainly: {failures:?}"
    );
    assert_eq!(stats.early_retries, 0, "{stats:?}");
}

#[tokio::test]
async fn a_policy_that_defers_stops_the_download_and_says_why() {
    struct Never;
    impl DataPolicy for Never {
        fn decide(&self, d: &Download) -> Decision {
            Decision::Defer(format!("{} waits for Wi-Fi", d.feature.as_str()))
        }
    }
    let r = rig(SimConfig::default().with_messages(100)).await;
    let c = r.sim.credentials();
    let tokens = headless::sign_in(&c.authority, &c.client_id, &c.scopes).await.expect("sign-in");
    let graph = Arc::new(
        GraphClient::new(
            &r.sim.graph_url(),
            Arc::new(StaticToken(Secret::new(tokens.access_token))),
            Arc::new(NoMeter),
            Arc::new(FixedNetwork(Network::Wifi)),
        )
        .expect("client"),
    );
    let engine = SyncEngine::new(
        graph,
        r.vault.clone(),
        Arc::new(Never),
        Arc::new(FixedNetwork(Network::Wifi)),
        SyncOptions::default(),
    );
    let before = r.sim.stats().requests;
    let report = engine.sync_all(r.sim.now()).await.expect("a deferral is not an error");
    assert!(report.deferred.iter().any(|d| d.contains("waits for Wi-Fi")), "{report:?}");
    assert_eq!(r.vault.counts().expect("counts"), (0, 0, 0), "nothing was downloaded");
    // Only the small lookups that are not downloads of content went out (well-known folder ids, the contact folder list).
    assert!(r.sim.stats().requests - before <= 8, "{}", r.sim.stats().requests - before);
}

/// Allows the first `pages` downloads, then defers every one after.
struct AllowFirst {
    pages: usize,
    asked: std::sync::atomic::AtomicUsize,
}

impl DataPolicy for AllowFirst {
    fn decide(&self, _: &Download) -> Decision {
        if self.asked.fetch_add(1, std::sync::atomic::Ordering::SeqCst) < self.pages {
            Decision::Allow
        } else {
            Decision::Defer("the allowance is used up".into())
        }
    }
}

#[tokio::test]
async fn a_round_deferred_partway_keeps_the_pages_it_wrote_and_the_next_update_finishes_without_repeats() {
    let r =
        rig_with(SimConfig::default().with_messages(3_000), SyncOptions { page_size: 20, ..SyncOptions::default() })
            .await;
    let policy = Arc::new(AllowFirst { pages: 12, asked: Default::default() });
    let cut_short = SyncEngine::new(
        r.graph.clone(),
        r.vault.clone(),
        policy.clone(),
        Arc::new(FixedNetwork(Network::Wifi)),
        SyncOptions { page_size: 20, ..SyncOptions::default() },
    );
    let before = r.sim.stats().requests;
    let report = cut_short.sync_all(r.sim.now()).await.expect("a deferral is not an error");
    assert!(report.deferred.iter().any(|d| d.contains("allowance")), "{report:?}");
    // Pages fetched ahead are asked for like any other: nothing beyond what the policy allowed.
    let asked = r.sim.stats().requests - before;
    assert!(asked <= 12 + 8, "{asked} requests for 12 allowed pages and the lookups");
    let (written, ..) = r.vault.counts().expect("counts");
    assert!(written > 0 && report.changed >= written, "{written} in the vault, {} reported", report.changed);

    // The next update resumes from the written pages' link and ends equal to the server.
    let report = r.engine.sync_all(r.sim.now()).await.expect("the rest");
    assert!(report.deferred.is_empty());
    assert_vault_equals_server(&r);
}

#[tokio::test]
async fn progress_reports_each_collection_with_items_and_bytes_so_far() {
    let sim = GraphSim::start(SimConfig::default().with_messages(300)).await.expect("simulator");
    let c = sim.credentials();
    let tokens = headless::sign_in(&c.authority, &c.client_id, &c.scopes).await.expect("sign-in");
    let meter = Arc::new(CountingMeter::new(Arc::new(NoMeter)));
    let graph = Arc::new(
        GraphClient::new(
            &sim.graph_url(),
            Arc::new(StaticToken(Secret::new(tokens.access_token))),
            meter.clone(),
            Arc::new(FixedNetwork(Network::Wifi)),
        )
        .expect("client"),
    );
    let dir = tempfile::tempdir().expect("dir");
    let vault = Arc::new(Vault::open(dir.path(), &VaultKey::generate()).expect("vault").0);
    let seen = Arc::new(std::sync::Mutex::new(Vec::<Progress>::new()));
    let sink = seen.clone();
    let engine = SyncEngine::new(
        graph,
        vault,
        Arc::new(AllowAll),
        Arc::new(FixedNetwork(Network::Wifi)),
        SyncOptions::default(),
    )
    .counting_bytes(meter.clone())
    .on_progress(move |p| sink.lock().expect("lock").push(p.clone()));
    engine.sync_all(sim.now()).await.expect("sync");
    let seen = seen.lock().expect("lock").clone();
    assert!(
        seen.iter().any(|p| p.collection == "folders")
            && seen.iter().any(|p| p.collection == "calendar")
            && seen.iter().any(|p| p.collection.starts_with("mail:"))
    );
    let bytes: Vec<u64> = seen.iter().map(|p| p.bytes).collect();
    assert!(bytes.windows(2).all(|w| w[0] <= w[1]) && bytes.last().copied().unwrap_or(0) > 10_000, "{bytes:?}");
    assert!(seen.last().map(|p| p.bytes).unwrap_or(0) <= meter.total());
}
