//! `graph-sim`: runs the simulator as a standalone server for the demo and for engineers.

use clap::Parser;
use companion_graph_sim::{FaultKind, FaultPlan, GraphSim, RefreshMode, SimConfig};

/// A Microsoft Graph v1.0-compatible simulator with a demo council tenant.
#[derive(Parser, Debug)]
#[command(name = "graph-sim", version)]
struct Args {
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Address to listen on. Only loopback is sensible: the demo tenant has no real security.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// Seed for the tenant and the faults.
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// Messages in the mailbox.
    #[arg(long, default_value_t = 5000)]
    messages: usize,
    /// Calendar entries.
    #[arg(long, default_value_t = 300)]
    events: usize,
    /// Contacts.
    #[arg(long, default_value_t = 300)]
    contacts: usize,
    /// Refresh-token behaviour: `entra` or `strict`.
    #[arg(long, default_value = "entra")]
    refresh: String,
    /// Share of Graph requests that fail (0 to 1), in every injected way.
    #[arg(long, default_value_t = 0.0)]
    fault_rate: f64,
    /// Start the clock at the real present and let it run (default: a fixed day, frozen).
    #[arg(long)]
    live_clock: bool,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let mut config = SimConfig::default()
        .with_seed(args.seed)
        .with_messages(args.messages)
        .with_events(args.events)
        .with_contacts(args.contacts)
        .with_listen(format!("{}:{}", args.host, args.port));
    config.refresh_mode = match args.refresh.as_str() {
        "strict" => RefreshMode::StrictRotation,
        "entra" => RefreshMode::EntraLike,
        other => return Err(format!("--refresh must be entra or strict, not {other}").into()),
    };
    if args.fault_rate > 0.0 {
        config.faults = FaultPlan::only(args.seed, args.fault_rate, &FaultKind::ALL);
    }
    if args.live_clock {
        config.start = chrono::Utc::now();
        config.clock_running = true;
    }
    let sim = GraphSim::start(config).await?;
    let c = sim.credentials();
    println!("graph-sim listening on {}", sim.base_url());
    println!("  Graph:        {}", c.graph_base);
    println!("  Authority:    {}", c.authority);
    println!("  Tenant id:    {}", c.tenant_id);
    println!("  Client id:    {}", c.client_id);
    println!("  Redirect URI: {} (any loopback port)", c.redirect_uri);
    println!("  Member:       {} <{}>", c.member_name, c.member_mail);
    println!("  Scopes:       {}", c.scopes);
    println!("Press Ctrl+C to stop.");
    tokio::signal::ctrl_c().await?;
    sim.shutdown().await;
    Ok(())
}
