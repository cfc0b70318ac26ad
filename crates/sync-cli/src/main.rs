//! `companion-sync`: signs in to a simulated council tenant, syncs it into a vault, and prints
//! what it cost. For engineers, benchmarks and the kill -9 test; the app does the same through
//! its shell. It lives apart from `companion-sync` so that no production build reaches the
//! simulator.
//!
//! ```text
//! cargo run -p companion-sync-cli -- --demo --messages 10000
//! ```

use chrono::Utc;
use clap::Parser;
use companion_graph::{FixedNetwork, GraphClient, Network, Secret, StaticToken};
use companion_graph_sim::{headless, GraphSim, SimConfig};
use companion_sync::{AllowAll, LedgerMeter, SyncEngine, SyncOptions};
use companion_vault::{Vault, VaultKey};
use std::sync::Arc;
use std::time::Instant;

/// Sync a simulated council mailbox into a vault and report counts and bytes.
#[derive(Parser, Debug)]
#[command(name = "companion-sync", version)]
struct Args {
    /// Start an in-process simulator with the demo council.
    #[arg(long)]
    demo: bool,
    /// Or sync a simulator that is already running: its sign-in authority…
    #[arg(long, requires_all = ["graph", "client_id", "vault", "key_file", "now"])]
    authority: Option<String>,
    /// …its Graph root…
    #[arg(long)]
    graph: Option<String>,
    /// …and the client id it accepts.
    #[arg(long)]
    client_id: Option<String>,
    /// A file holding the vault key (32 bytes) — a test stand-in for the OS keyring.
    #[arg(long)]
    key_file: Option<std::path::PathBuf>,
    /// The simulated present (RFC 3339), which sets the sync windows.
    #[arg(long)]
    now: Option<String>,
    /// Items asked for per page.
    #[arg(long, default_value_t = 100)]
    page_size: usize,
    /// Messages in the demo mailbox.
    #[arg(long, default_value_t = 10_000)]
    messages: usize,
    /// Where to keep the vault (a temporary folder if not given).
    #[arg(long)]
    vault: Option<std::path::PathBuf>,
    /// Count the traffic as mobile data rather than Wi-Fi.
    #[arg(long)]
    mobile: bool,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    if let (Some(authority), Some(graph), Some(client_id), Some(dir), Some(key_file), Some(now)) =
        (&args.authority, &args.graph, &args.client_id, &args.vault, &args.key_file, &args.now)
    {
        return sync_remote(authority, graph, client_id, dir, key_file, now, args.page_size).await;
    }
    if !args.demo {
        return Err("give --demo, or --authority with --graph, --client-id, --vault, --key-file and --now".into());
    }
    let sim =
        GraphSim::start(SimConfig::default().with_messages(args.messages).with_events(500).with_contacts(300)).await?;
    let c = sim.credentials();
    let tokens = headless::sign_in(&c.authority, &c.client_id, &c.scopes).await?;
    let tmp = tempfile_dir()?;
    let dir = args.vault.clone().unwrap_or_else(|| tmp.clone());
    let (vault, report) = Vault::open(&dir, &VaultKey::generate())?;
    println!("vault at {} ({report:?})", dir.display());
    let vault = Arc::new(vault);
    let network = Arc::new(FixedNetwork(if args.mobile { Network::Mobile } else { Network::Wifi }));
    let graph = Arc::new(GraphClient::new(
        &sim.graph_url(),
        Arc::new(StaticToken(Secret::new(tokens.access_token))),
        Arc::new(LedgerMeter::new(vault.clone())),
        network.clone(),
    )?);
    let engine = SyncEngine::new(graph, vault.clone(), Arc::new(AllowAll), network, SyncOptions::default());
    let started = Instant::now();
    let report = engine.sync_all(sim.now()).await?;
    let took = started.elapsed();
    let (messages, events, contacts) = vault.counts()?;
    let today = Utc::now().date_naive();
    let ledger = vault.traffic(today - chrono::Duration::days(1), today + chrono::Duration::days(1))?;
    let (up, down): (u64, u64) = ledger.iter().fold((0, 0), |(u, d), e| (u + e.bytes_up, d + e.bytes_down));
    println!(
        "synced in {:.2} s: {messages} messages, {events} events, {contacts} contacts ({} pages, {} resets)",
        took.as_secs_f64(),
        report.pages,
        report.resets
    );
    println!(
        "bytes on the wire: {up} up, {down} down ({:.0} bytes a message)",
        (up + down) as f64 / messages.max(1) as f64
    );
    for e in ledger {
        println!(
            "  {:<14} {:<6} {:>10} down {:>8} up {:>5} requests",
            e.feature, e.network, e.bytes_down, e.bytes_up, e.requests
        );
    }
    sim.shutdown().await;
    if args.vault.is_none() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    Ok(())
}

/// Delivers the outbox, then syncs: what the app does on every start. Used by the crash test,
/// which kills this process at random moments.
async fn sync_remote(
    authority: &str,
    graph: &str,
    client_id: &str,
    dir: &std::path::Path,
    key_file: &std::path::Path,
    now: &str,
    page_size: usize,
) -> Result<(), Box<dyn std::error::Error>> {
    let tokens = headless::sign_in(authority, client_id, companion_graph::DEFAULT_SCOPES).await?;
    let key = VaultKey::from_bytes(&std::fs::read(key_file)?).ok_or("the key file must hold 32 bytes")?;
    let (vault, _) = Vault::open(dir, &key)?;
    let vault = Arc::new(vault);
    let network = Arc::new(FixedNetwork(Network::Wifi));
    let client = Arc::new(GraphClient::new(
        graph,
        Arc::new(StaticToken(Secret::new(tokens.access_token))),
        Arc::new(LedgerMeter::new(vault.clone())),
        network.clone(),
    )?);
    companion_sync::Outbox::new(client.clone(), vault.clone()).deliver().await?;
    let now = chrono::DateTime::parse_from_rfc3339(now)?.with_timezone(&Utc);
    let options = SyncOptions { page_size, ..SyncOptions::default() };
    SyncEngine::new(client, vault, Arc::new(AllowAll), network, options).sync_all(now).await?;
    Ok(())
}

fn tempfile_dir() -> std::io::Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("companion-sync-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
