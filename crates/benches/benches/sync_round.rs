//! Initial sync of a 10,000-message mailbox (with 500 events and 300 contacts) from the
//! simulator on loopback: the sync engine against a naive client in the same run that asks
//! for whole messages (no `$select`, bodies included) without gzip. Targets (issue 19): at
//! most 0.7 s on the project's two-core machine, and at least 10× fewer bytes on the wire than
//! the naive client. `docs/perf/` has the flame graphs from before and after the pages were
//! fetched ahead and written in batches, and how to make them again.

use companion_benches::{naive_collection, WireTally};
use companion_graph::{FixedNetwork, GraphClient, Network, Secret, StaticToken};
use companion_graph_sim::{headless, GraphSim, SimConfig};
use companion_sync::{AllowAll, SyncEngine, SyncOptions};
use companion_vault::{Vault, VaultKey};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Instant;

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    rt.block_on(async {
        let sim = GraphSim::start(SimConfig::default().with_messages(10_000).with_events(500).with_contacts(300))
            .await
            .expect("simulator");
        let c = sim.credentials();
        let token = headless::sign_in(&c.authority, &c.client_id, &c.scopes).await.expect("sign-in").access_token;

        // The engine, with no window, so it takes every one of the 10,000 messages.
        let dir = tempfile::tempdir().expect("dir");
        let (vault, _) = Vault::open(dir.path(), &VaultKey::generate()).expect("vault");
        let vault = Arc::new(vault);
        let tally = Arc::new(WireTally::default());
        let graph = Arc::new(
            GraphClient::new(
                &sim.graph_url(),
                Arc::new(StaticToken(Secret::new(token.clone()))),
                tally.clone(),
                Arc::new(FixedNetwork(Network::Wifi)),
            )
            .expect("client"),
        );
        let options = SyncOptions { mail_days: None, ..SyncOptions::default() };
        let engine =
            SyncEngine::new(graph, vault.clone(), Arc::new(AllowAll), Arc::new(FixedNetwork(Network::Wifi)), options);
        let t = Instant::now();
        engine.sync_all(sim.now()).await.expect("sync");
        let engine_secs = t.elapsed().as_secs_f64();
        let engine_bytes = tally.0.load(Ordering::Relaxed);
        let (messages, events, contacts) = vault.counts().expect("counts");

        // The naive client: every folder's messages whole, the calendar view, contacts.
        let http = reqwest::Client::builder().no_gzip().build().expect("http");
        let t = Instant::now();
        let (mut naive_bytes, mut naive_messages) = (0u64, 0usize);
        for (folder, _) in sim.snapshot().folders {
            let (b, n) = naive_collection(
                &http,
                &token,
                format!("{}/me/mailFolders/{folder}/messages?$top=100", sim.graph_url()),
            )
            .await;
            naive_bytes += b;
            naive_messages += n;
        }
        let now = sim.now();
        let window = format!(
            "startDateTime={}&endDateTime={}",
            (now - chrono::Duration::days(14)).format("%Y-%m-%dT00:00:00Z"),
            (now + chrono::Duration::days(90)).format("%Y-%m-%dT00:00:00Z")
        );
        naive_bytes +=
            naive_collection(&http, &token, format!("{}/me/calendarView?{window}&$top=100", sim.graph_url())).await.0;
        naive_bytes += naive_collection(&http, &token, format!("{}/me/contacts?$top=100", sim.graph_url())).await.0;
        let naive_secs = t.elapsed().as_secs_f64();
        assert_eq!(naive_messages as u64, messages, "both took every message");

        println!("initial sync: {messages} messages, {events} events, {contacts} contacts (simulator on loopback)");
        println!(
            "  sync engine:  {engine_secs:>6.2} s  {:>12} bytes  {:>7.0} bytes/message",
            engine_bytes,
            engine_bytes as f64 / messages as f64
        );
        println!(
            "  naive client: {naive_secs:>6.2} s  {:>12} bytes  {:>7.0} bytes/message",
            naive_bytes,
            naive_bytes as f64 / messages as f64
        );
        println!(
            "  engine vs naive: time {:.2}x, bytes {:.3}x ({:.1}x fewer bytes)",
            engine_secs / naive_secs,
            engine_bytes as f64 / naive_bytes as f64,
            naive_bytes as f64 / engine_bytes as f64
        );
        println!(
            "  targets: at most 0.7 s ({engine_secs:.2} s), at least 10x fewer bytes ({:.1}x)",
            naive_bytes as f64 / engine_bytes as f64
        );
        sim.shutdown().await;
    });
}
