//! Issue 19 at scale: a member with a 100,000-message mailbox (the simulator spreads it over
//! about four years, the newest months densest), from the simulator on loopback into fresh
//! SQLCipher vaults. Each figure beside a baseline from the same run:
//!
//! - the initial sync with the app's 30-day mail window, and with no window (everything),
//!   against a naive client paging the same folders (whole messages, no `$select`, no gzip);
//! - the vault's size on disk, against the bytes the sync took off the wire;
//! - search p50/p95 over the whole mailbox, against the same queries over the window's vault;
//! - the inbox's first page of 50 (what the first paint waits for in the core), against the same
//!   page from the window's vault.
//!
//! The app's own first paint and memory while scrolling in the real webview come from
//! `tests/benches/app_start.rs` with `COMPANION_BENCH_MESSAGES=100000`.

use companion_benches::{measure, naive_collection, report, WireTally, TYPED_QUERIES};
use companion_graph::{FixedNetwork, GraphClient, Network, Secret, StaticToken};
use companion_graph_sim::{headless, GraphSim, SimConfig};
use companion_sync::{AllowAll, SyncEngine, SyncOptions};
use companion_vault::{Vault, VaultKey};
use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Instant;

const MESSAGES: usize = 100_000;

struct Synced {
    _dir: tempfile::TempDir,
    vault: Vault,
    secs: f64,
    wire: u64,
    on_disk: u64,
}

fn size_on_disk(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .expect("vault folder")
        .flatten()
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

async fn initial_sync(sim: &GraphSim, token: &str, mail_days: Option<i64>) -> Synced {
    let dir = tempfile::tempdir().expect("dir");
    let key = VaultKey::generate();
    let (vault, _) = Vault::open(dir.path(), &key).expect("vault");
    let vault = Arc::new(vault);
    let tally = Arc::new(WireTally::default());
    let wifi = Arc::new(FixedNetwork(Network::Wifi));
    let graph = Arc::new(
        GraphClient::new(
            &sim.graph_url(),
            Arc::new(StaticToken(Secret::new(token.to_owned()))),
            tally.clone(),
            wifi.clone(),
        )
        .expect("client"),
    );
    let engine = SyncEngine::new(
        graph,
        vault.clone(),
        Arc::new(AllowAll),
        wifi,
        SyncOptions { mail_days, ..SyncOptions::default() },
    );
    let t = Instant::now();
    engine.sync_all(sim.now()).await.expect("sync");
    let secs = t.elapsed().as_secs_f64();
    drop(engine);
    // Closed and opened again, so the size is the database itself (the WAL folded in).
    drop(Arc::into_inner(vault).expect("the engine is gone"));
    let on_disk = size_on_disk(dir.path());
    let (vault, _) = Vault::open(dir.path(), &key).expect("reopen");
    Synced { _dir: dir, vault, secs, wire: tally.0.load(Ordering::Relaxed), on_disk }
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    rt.block_on(async {
        let sim = GraphSim::start(SimConfig::default().with_messages(MESSAGES).with_events(500).with_contacts(300))
            .await
            .expect("simulator");
        let c = sim.credentials();
        let token = headless::sign_in(&c.authority, &c.client_id, &c.scopes).await.expect("sign-in").access_token;

        let window = initial_sync(&sim, &token, SyncOptions::default().mail_days).await;
        let whole = initial_sync(&sim, &token, None).await;
        let (window_messages, ..) = window.vault.counts().expect("counts");
        let (whole_messages, ..) = whole.vault.counts().expect("counts");
        assert_eq!(whole_messages as usize, MESSAGES, "no window: every message");

        let http = reqwest::Client::builder().no_gzip().build().expect("http");
        let t = Instant::now();
        let mut naive_messages = 0;
        for (folder, _) in sim.snapshot().folders {
            let first = format!("{}/me/mailFolders/{folder}/messages?$top=100", sim.graph_url());
            naive_messages += naive_collection(&http, &token, first).await.1;
        }
        let naive_secs = t.elapsed().as_secs_f64();
        assert_eq!(naive_messages, MESSAGES);

        println!("a {MESSAGES}-message mailbox (simulator on loopback, fresh vaults)");
        println!(
            "  initial sync, 30-day window: {:>6.2} s for {window_messages} messages   no window: {:>6.2} s for {whole_messages}   baseline, naive client for all {MESSAGES}: {:>6.2} s   ratios {:.2}x / {:.2}x",
            window.secs,
            whole.secs,
            naive_secs,
            window.secs / naive_secs,
            whole.secs / naive_secs
        );
        println!(
            "  vault on disk, no window: {:>7.1} MB ({:.0} bytes a message)   baseline, its sync's bytes on the wire: {:>6.1} MB   ratio {:.2}x   (window: {:.1} MB on disk, {:.1} MB on the wire)",
            mb(whole.on_disk),
            whole.on_disk as f64 / whole_messages as f64,
            mb(whole.wire),
            whole.on_disk as f64 / whole.wire as f64,
            mb(window.on_disk),
            mb(window.wire)
        );

        let mut q = TYPED_QUERIES.iter().cycle();
        let base = measure(&format!("search, the window's {window_messages}"), 30, 450, || {
            window.vault.search(q.next().unwrap_or(&"council"), 20).expect("search");
        });
        let mut q = TYPED_QUERIES.iter().cycle();
        let big = measure(&format!("search, all {whole_messages}"), 30, 450, || {
            whole.vault.search(q.next().unwrap_or(&"council"), 20).expect("search");
        });
        report(&base, &base);
        report(&big, &base);
        let inbox_of = |vault: &Vault| {
            vault.folders().expect("folders").into_iter().find(|f| f.well_known.as_deref() == Some("inbox")).expect("inbox").id
        };
        let (small_inbox, big_inbox) = (inbox_of(&window.vault), inbox_of(&whole.vault));
        let base_page = measure(&format!("inbox first 50, the window's {window_messages}"), 20, 300, || {
            window.vault.folder_page(&small_inbox, None, 50).expect("page");
        });
        let big_page = measure(&format!("inbox first 50, all {whole_messages}"), 20, 300, || {
            whole.vault.folder_page(&big_inbox, None, 50).expect("page");
        });
        report(&base_page, &base_page);
        report(&big_page, &base_page);
        println!(
            "  targets: search p95 {:.2} ms (< 5 ms at any size)",
            big.p95().as_secs_f64() * 1e3
        );
        sim.shutdown().await;
    });
}
