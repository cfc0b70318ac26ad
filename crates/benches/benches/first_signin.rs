//! Issue 19: what a first sign-in costs on mobile data, on the demo councillor's mailbox (the
//! simulator's demo tenant: 2,000 messages, its calendar, contacts and agenda packs). The same
//! update code the app runs (`SyncEngine::update`) under the data governor, into a fresh vault:
//! the governor's first-download plan on mobile data, against the full plan (what every update
//! fetched ahead before, and still does on Wi-Fi) in the same process on the same tenant.
//! Goal: under 5 MB before the member can read the newest mail.

use companion_allowance::{describe_bytes, Governor};
use companion_graph::{FixedNetwork, GraphClient, Network, NoMeter, Secret, StaticToken};
use companion_graph_sim::{headless, GraphSim, SimConfig};
use companion_sync::{CountingMeter, PrefetchPlan, SyncEngine, SyncOptions, UpdateReport};
use companion_vault::{Vault, VaultKey};
use std::sync::Arc;

/// The demo tenant's size (`crates/app/src/demo.rs`).
const DEMO_MESSAGES: usize = 2_000;

async fn first_update(sim: &GraphSim, token: &str, plan: PrefetchPlan) -> (UpdateReport, u64) {
    let dir = tempfile::tempdir().expect("dir");
    let (vault, _) = Vault::open(dir.path(), &VaultKey::generate()).expect("vault");
    let meter = Arc::new(CountingMeter::new(Arc::new(NoMeter)));
    let mobile = Arc::new(FixedNetwork(Network::Mobile));
    let graph = Arc::new(
        GraphClient::new(
            &sim.graph_url(),
            Arc::new(StaticToken(Secret::new(token.to_owned()))),
            meter.clone(),
            mobile.clone(),
        )
        .expect("client"),
    );
    let engine = SyncEngine::new(graph, Arc::new(vault), Arc::new(Governor::new()), mobile, SyncOptions::default())
        .counting_bytes(meter.clone());
    let report = engine.update(sim.now(), plan).await.expect("first update");
    (report, meter.total())
}

fn line(name: &str, r: &UpdateReport, total: u64) {
    println!(
        "  {name:<26} readable after {:>9}   whole update {:>9}   bodies {:>4}   attachments {:>3} ({})",
        describe_bytes(r.bytes_until_readable),
        describe_bytes(total),
        r.prefetch.bodies,
        r.prefetch.attachments,
        describe_bytes(r.prefetch.attachment_bytes),
    );
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    rt.block_on(async {
        let sim = GraphSim::start(SimConfig::default().with_messages(DEMO_MESSAGES)).await.expect("simulator");
        let c = sim.credentials();
        let token = headless::sign_in(&c.authority, &c.client_id, &c.scopes).await.expect("sign-in").access_token;
        let plan = Governor::new().update_plan(Network::Mobile, false);
        let (first, first_total) = first_update(&sim, &token, plan.prefetch).await;
        let (full, full_total) = first_update(&sim, &token, PrefetchPlan::FULL).await;

        println!("first sign-in on mobile data, the demo councillor's mailbox ({DEMO_MESSAGES} messages)");
        line("governor's first download", &first, first_total);
        line("full plan (baseline)", &full, full_total);
        println!(
            "  ratios: readable {:.2}x, whole update {:.3}x ({:.1}x less)",
            first.bytes_until_readable as f64 / full.bytes_until_readable.max(1) as f64,
            first_total as f64 / full_total.max(1) as f64,
            full_total as f64 / first_total.max(1) as f64,
        );
        println!(
            "  target: under 5 MB before the newest mail can be read ({})",
            describe_bytes(first.bytes_until_readable)
        );
        sim.shutdown().await;
    });
}
