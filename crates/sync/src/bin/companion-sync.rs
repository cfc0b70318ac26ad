//! `companion-sync`: signs in to a simulated council tenant, syncs it into a vault, and prints
//! what it cost. For engineers and benchmarks; the app does the same through its shell.
//!
//! ```text
//! cargo run -p companion-sync --bin companion-sync -- --demo --messages 10000
//! ```

use chrono::Utc;
use clap::Parser;
use companion_graph::{GraphClient, GraphError, Network, NetworkProbe, TokenSource};
use companion_graph_sim::{headless, GraphSim, SimConfig};
use companion_sync::{AllowAll, LedgerMeter, SyncEngine, SyncOptions};
use companion_vault::{Vault, VaultKey};
use std::sync::Arc;
use std::time::Instant;

/// Sync a simulated council mailbox into a vault and report counts and bytes.
#[derive(Parser, Debug)]
#[command(name = "companion-sync", version)]
struct Args {
    /// Start an in-process simulator with the demo council (the only mode for now).
    #[arg(long)]
    demo: bool,
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

struct Fixed(String);
impl TokenSource for Fixed {
    fn token(&self) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<String, GraphError>> + Send + '_>> {
        Box::pin(async move { Ok(self.0.clone()) })
    }
    fn invalidate(&self) {}
}

struct On(Network);
impl NetworkProbe for On {
    fn current(&self) -> Network {
        self.0
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    if !args.demo {
        return Err("only --demo is supported: real tenants sync through the app".into());
    }
    let sim = GraphSim::start(SimConfig::default().with_messages(args.messages).with_events(500).with_contacts(300)).await?;
    let c = sim.credentials();
    let tokens = headless::sign_in(&c.authority, &c.client_id, &c.scopes).await?;
    let tmp = tempfile_dir()?;
    let dir = args.vault.clone().unwrap_or_else(|| tmp.clone());
    let (vault, report) = Vault::open(&dir, &VaultKey::generate())?;
    println!("vault at {} ({report:?})", dir.display());
    let vault = Arc::new(vault);
    let network = Arc::new(On(if args.mobile { Network::Mobile } else { Network::Wifi }));
    let graph = Arc::new(GraphClient::new(&sim.graph_url(), Arc::new(Fixed(tokens.access_token)), Arc::new(LedgerMeter::new(vault.clone())), network.clone())?);
    let engine = SyncEngine::new(graph, vault.clone(), Arc::new(AllowAll), network, SyncOptions::default());
    let started = Instant::now();
    let report = engine.sync_all(sim.now()).await?;
    let took = started.elapsed();
    let (messages, events, contacts) = vault.counts()?;
    let today = Utc::now().date_naive();
    let ledger = vault.traffic(today - chrono::Duration::days(1), today + chrono::Duration::days(1))?;
    let (up, down): (u64, u64) = ledger.iter().fold((0, 0), |(u, d), e| (u + e.bytes_up, d + e.bytes_down));
    println!("synced in {:.2} s: {messages} messages, {events} events, {contacts} contacts ({} pages, {} resets)", took.as_secs_f64(), report.pages, report.resets);
    println!("bytes on the wire: {up} up, {down} down ({:.0} bytes a message)", (up + down) as f64 / messages.max(1) as f64);
    for e in ledger {
        println!("  {:<14} {:<6} {:>10} down {:>8} up {:>5} requests", e.feature, e.network, e.bytes_down, e.bytes_up, e.requests);
    }
    sim.shutdown().await;
    if args.vault.is_none() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    Ok(())
}

fn tempfile_dir() -> std::io::Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("companion-sync-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
