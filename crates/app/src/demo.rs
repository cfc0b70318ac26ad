//! Demo mode: a simulated council tenant inside the app, so the app can be tried with no
//! Microsoft 365 tenant and no network. Sign-in still runs the real PKCE flow against it.

use companion_graph_sim::{GraphSim, SimConfig};

/// The running demo tenant (it stops when dropped).
pub struct DemoTenant {
    sim: GraphSim,
    /// This run's own keyring service: two demo apps at once (as the whole-flow tests run
    /// them) must not share, or remove, each other's secrets.
    keyring_service: String,
}

impl DemoTenant {
    /// Starts the simulator on a free loopback port with the demo council's mailbox.
    pub async fn start() -> Result<Self, companion_graph_sim::SimError> {
        let messages = std::env::var("COMPANION_DEMO_MESSAGES").ok().and_then(|v| v.parse().ok()).unwrap_or(2_000);
        let start = companion_graph_sim::DateTimeUtc::from(std::time::SystemTime::now());
        let mut config = SimConfig::default().with_messages(messages).with_start(start).with_running_clock();
        // The whole-flow tests pick the port, to reach the simulator's test controls
        // (`/_sim/deliver`, `/_sim/network`); otherwise any free loopback port.
        if let Some(port) = std::env::var("COMPANION_DEMO_PORT").ok().and_then(|p| p.parse::<u16>().ok()) {
            config = config.with_listen(format!("127.0.0.1:{port}"));
        }
        let sim = GraphSim::start(config).await?;
        provision(&sim).await;
        if papers_on() {
            // Democratic services have invited the member to their committees' meetings.
            sim.invite_to_committee_meetings();
        }
        Ok(Self { sim, keyring_service: format!("uk.gov.membercompanion.demo.{}", std::process::id()) })
    }

    /// The app's configuration for this tenant.
    pub fn config(&self) -> crate::Result<crate::AppConfig> {
        let c = self.sim.credentials();
        crate::AppConfig::from_toml(&format!(
            "authority = \"{}\"\nclient-id = \"{}\"\ngraph-url = \"{}\"\nkeyring-service = \"{}\"\ntrial-site-id = \"{}\"\n",
            c.authority,
            c.client_id,
            self.sim.graph_url(),
            self.keyring_service,
            self.sim.site_id()
        ))
        .map(|mut config| {
            // A protection policy to try (a short idle lock, say), as a council would set one.
            config.protection_policy = std::env::var_os("MEMBER_COMPANION_PROTECTION_POLICY").map(Into::into);
            // The demo council's committee papers, from the simulator's modern.gov site.
            config.committee_papers = papers_on().then(|| crate::CommitteePapersConfig {
                site: self.sim.committee_site(),
                member_id: self.sim.committee_member_id(),
                exempt_papers: false,
            });
            config
        })
    }

    /// At the demo's end: its keyring entries and its data folder go (each run is a new
    /// tenant; nothing of it is worth keeping).
    pub fn clean_up(&self, data_dir: &std::path::Path) {
        if let Ok(keystore) = companion_keystore::Keystore::native(&self.keyring_service) {
            if let Err(e) = keystore.delete_all() {
                tracing::warn!(error = %e, "the demo's keyring entries could not be removed");
            }
        }
        let _ = std::fs::remove_dir_all(data_dir);
    }
}

/// Sets the demo council's trial site up as its ICT would: `member-companion-admin provision`
/// (the same code), signed in as the administrator, the app granted the site. If it fails the
/// demo still runs; the trial's lists then refuse what the app sends, and the app says so.
async fn provision(sim: &GraphSim) {
    let c = sim.credentials();
    let admin = companion_admin::AdminConfig {
        authority: c.authority.clone(),
        client_id: c.client_id.clone(),
        graph_url: sim.graph_url(),
        site: sim.site_address(),
    };
    let app = companion_admin::AppGrant { app_id: c.client_id, display_name: "Member Companion".into() };
    let approve = |code: &str, _: &str| {
        sim.approve_device_code(code, companion_graph_sim::Principal::Administrator);
    };
    match companion_admin::run_provision(&admin, Some(&app), approve).await {
        Ok(done) => tracing::info!(changes = done.changes.len(), "the demo's trial site is provisioned"),
        Err(e) => tracing::warn!(error = %e, "the demo's trial site could not be provisioned"),
    }
}

/// Opens the demo council's sign-in page as a browser would, approves the consent page for
/// the member, and follows the redirect back to the app's loopback listener. Needs a Tokio
/// runtime.
pub fn answer_consent(url: &str) -> Result<(), String> {
    let url = url.to_owned();
    tokio::spawn(async move {
        match companion_graph_sim::headless::consent(&url, true).await {
            Ok(back) => {
                if let Err(e) = reqwest::get(back.as_str()).await {
                    tracing::warn!(error = %e, "demo sign-in: the loopback did not answer");
                }
            }
            Err(e) => tracing::warn!(error = %e, "demo sign-in: the consent page failed"),
        }
    });
    Ok(())
}

/// Committee papers are part of the demo unless `COMPANION_DEMO_PAPERS=off` (the whole-flow
/// tests that are about something else turn them off: a pack fetched ahead is megabytes).
fn papers_on() -> bool {
    std::env::var("COMPANION_DEMO_PAPERS").map_or(true, |v| v != "off")
}
