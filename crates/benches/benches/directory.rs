//! Issue 17: what the council's directory costs a member, for a council of 5,000 people (the
//! simulator's directory, with its weekly turnover of joiners, leavers and new titles). Each
//! figure beside a baseline from the same run:
//! - the first fetch (the app's `$select` of six fields) against Graph's default properties;
//! - four weeks later, the app's delta refresh against fetching the whole directory again;
//! - the vault's growth for the directory, against the bytes the fetch took off the wire;
//! - an address suggestion as the member types (p50/p95 over 300 prefixes, the vault's index)
//!   against filtering every person in memory, as the contacts list does.

use companion_allowance::describe_bytes;
use companion_graph::{FixedNetwork, GraphClient, GraphRequest, Network, NoMeter, Secret, StaticToken};
use companion_graph_sim::{headless, GraphSim, SimConfig};
use companion_sync::{AllowAll, CountingMeter, SyncEngine, SyncOptions};
use companion_vault::{Vault, VaultKey};
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

const PEOPLE: usize = 5_000;

fn size_on_disk(dir: &Path) -> u64 {
    std::fs::read_dir(dir).expect("vault folder").flatten().filter_map(|e| e.metadata().ok()).map(|m| m.len()).sum()
}

struct Rig {
    engine: SyncEngine,
    meter: Arc<CountingMeter>,
    vault: Arc<Vault>,
    dir: tempfile::TempDir,
}

fn rig(sim: &GraphSim, token: &str) -> Rig {
    let dir = tempfile::tempdir().expect("dir");
    let (vault, _) = Vault::open(dir.path(), &VaultKey::generate()).expect("vault");
    let vault = Arc::new(vault);
    let meter = Arc::new(CountingMeter::new(Arc::new(NoMeter)));
    let wifi = Arc::new(FixedNetwork(Network::Wifi));
    let graph = Arc::new(
        GraphClient::new(
            &sim.graph_url(),
            Arc::new(StaticToken(Secret::new(token.to_owned()))),
            meter.clone(),
            wifi.clone(),
        )
        .expect("client"),
    );
    let engine = SyncEngine::new(graph, vault.clone(), Arc::new(AllowAll), wifi, SyncOptions::default())
        .counting_bytes(meter.clone());
    Rig { engine, meter, vault, dir }
}

/// A whole `/users/delta` round with Graph's default properties, as a client without `$select` asks.
async fn default_properties_round(sim: &GraphSim, token: &str) -> u64 {
    let meter = Arc::new(CountingMeter::new(Arc::new(NoMeter)));
    let graph = GraphClient::new(
        &sim.graph_url(),
        Arc::new(StaticToken(Secret::new(token.to_owned()))),
        meter.clone(),
        Arc::new(FixedNetwork(Network::Wifi)),
    )
    .expect("client");
    let mut next = "/users/delta".to_owned();
    loop {
        let page: serde_json::Value = graph
            .json(&GraphRequest::get(next.clone(), companion_graph::Feature::Directory).prefer("odata.maxpagesize=100"))
            .await
            .expect("page");
        match page["@odata.nextLink"].as_str() {
            Some(link) => next = link.to_owned(),
            None => break,
        }
    }
    meter.total()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    rt.block_on(async {
        let mut config = SimConfig::default().with_messages(20).with_events(10).with_contacts(150).with_directory(PEOPLE);
        config.access_token_lifetime = chrono::Duration::days(60);
        let sim = GraphSim::start(config).await.expect("simulator");
        let c = sim.credentials();
        let token = headless::sign_in(&c.authority, &c.client_id, &c.scopes).await.expect("sign-in").access_token;

        let app = rig(&sim, &token);
        let before = size_on_disk(app.dir.path());
        let started = Instant::now();
        app.engine.refresh_directory().await.expect("first fetch");
        let first_secs = started.elapsed().as_secs_f64();
        let first = app.meter.total();
        let grown = size_on_disk(app.dir.path()).saturating_sub(before);
        let defaults = default_properties_round(&sim, &token).await;

        let turnover = sim.advance(chrono::Duration::days(28));
        let changed = turnover.in_collection(&companion_graph_sim::CollectionKey::Users).len();
        let refresh_start = app.meter.total();
        app.engine.refresh_directory().await.expect("refresh");
        let refresh = app.meter.total() - refresh_start;
        let again = rig(&sim, &token);
        again.engine.refresh_directory().await.expect("whole fetch again");
        let whole_again = again.meter.total();

        // Address suggestions: the member's contacts (150) and the directory, as typed.
        let people = app.vault.directory_search("", PEOPLE * 2).expect("everyone");
        let prefixes: Vec<String> = people
            .iter()
            .step_by(PEOPLE / 300)
            .map(|p| p.display_name.rsplit(' ').next().unwrap_or("").chars().take(3).collect())
            .collect();
        let mut indexed = Vec::new();
        let mut naive = Vec::new();
        for prefix in &prefixes {
            let t = Instant::now();
            let found = app.vault.address_suggestions(prefix, 8).expect("suggest");
            indexed.push(t.elapsed().as_secs_f64() * 1000.0);
            std::hint::black_box(found);
            let t = Instant::now();
            let needle = prefix.to_lowercase();
            let all = app.vault.directory_search("", PEOPLE * 2).expect("everyone");
            let found: Vec<_> = all
                .into_iter()
                .filter(|p| {
                    p.display_name.to_lowercase().contains(&needle)
                        || p.mail.as_deref().is_some_and(|m| m.to_lowercase().contains(&needle))
                })
                .take(8)
                .collect();
            naive.push(t.elapsed().as_secs_f64() * 1000.0);
            std::hint::black_box(found);
        }
        indexed.sort_by(f64::total_cmp);
        naive.sort_by(f64::total_cmp);

        println!("the council directory, {PEOPLE} people");
        println!(
            "  first fetch ($select, 6 fields)   {:>9} in {first_secs:.2} s  vs Graph's default properties {:>9}: {:.2}x",
            describe_bytes(first),
            describe_bytes(defaults),
            first as f64 / defaults as f64
        );
        println!(
            "  four weeks later ({changed} changed)  {:>9}  vs fetching it all again {:>9}: {:.3}x",
            describe_bytes(refresh),
            describe_bytes(whole_again),
            refresh as f64 / whole_again as f64
        );
        println!(
            "  vault growth                      {:>9}  vs the wire {:>9}: {:.2}x ({} a person)",
            describe_bytes(grown),
            describe_bytes(first),
            grown as f64 / first as f64,
            describe_bytes(grown / PEOPLE as u64)
        );
        println!(
            "  address suggestion p50 {:.3} ms p95 {:.3} ms  vs filtering everyone p50 {:.3} ms p95 {:.3} ms: {:.3}x (p50)",
            percentile(&indexed, 0.5),
            percentile(&indexed, 0.95),
            percentile(&naive, 0.5),
            percentile(&naive, 0.95),
            percentile(&indexed, 0.5) / percentile(&naive, 0.5)
        );
        sim.shutdown().await;
    });
}
