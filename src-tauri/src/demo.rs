//! Demo mode: a simulated council tenant inside the app, so the app can be tried with no
//! Microsoft 365 tenant and no network.

use companion_graph_sim::{GraphSim, SimConfig};

/// The running demo tenant.
pub struct DemoTenant {
    pub(crate) sim: GraphSim,
}

impl DemoTenant {
    /// Starts the simulator on a free loopback port with the demo council's mailbox.
    pub async fn start() -> Result<Self, companion_graph_sim::SimError> {
        let messages = std::env::var("COMPANION_DEMO_MESSAGES").ok().and_then(|v| v.parse().ok()).unwrap_or(2_000);
        let config = SimConfig::default().with_messages(messages).with_start(chrono_now()).with_running_clock();
        Ok(Self { sim: GraphSim::start(config).await? })
    }
}

fn chrono_now() -> companion_graph_sim::DateTimeUtc {
    companion_graph_sim::DateTimeUtc::from(std::time::SystemTime::now())
}
