//! How fast the simulator serves delta pages, so sync benchmarks can show it is not their
//! bottleneck. Baseline: the simulator's cheapest HTTP answer (`/_sim/health`) on the same
//! connection pool, measured in the same run.

use companion_benches::{measure, report};
use companion_graph_sim::{headless, GraphSim, SimConfig};

const PAGE: usize = 100;

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio runtime");
    let sim = rt.block_on(GraphSim::start(SimConfig::default().with_messages(10_000))).expect("simulator starts");
    let creds = sim.credentials();
    let tokens = rt.block_on(headless::sign_in(&creds.authority, &creds.client_id, &creds.scopes)).expect("sign-in");
    let client = reqwest::Client::builder().gzip(true).build().expect("client");
    let bearer = format!("Bearer {}", tokens.access_token);
    let get = |url: &str, prefer: &str| {
        rt.block_on(async {
            let resp = client
                .get(url)
                .header("authorization", &bearer)
                .header("prefer", prefer)
                .send()
                .await
                .expect("request");
            assert!(resp.status().is_success(), "{}", resp.status());
            resp.json::<serde_json::Value>().await.expect("json")
        })
    };

    let health = format!("{}/_sim/health", sim.base_url());
    let floor = measure("http floor (GET /_sim/health)", 50, 400, || {
        rt.block_on(async { client.get(&health).send().await.expect("health").bytes().await.expect("body") });
    });

    // Walk the inbox's first delta round page by page, restarting when it ends.
    let pages = |select: bool, name: &str| {
        let first = if select {
            format!("{}/me/mailFolders/inbox/messages/delta?$select=subject,from,receivedDateTime,isRead,flag,bodyPreview,hasAttachments,conversationId", sim.graph_url())
        } else {
            format!("{}/me/mailFolders/inbox/messages/delta", sim.graph_url())
        };
        let prefer = format!("odata.maxpagesize={PAGE}, IdType=\"ImmutableId\"");
        let mut next = first.clone();
        let mut items = 0usize;
        let samples = measure(name, 5, 60, || {
            let page = get(&next, &prefer);
            items += page["value"].as_array().map_or(0, Vec::len);
            next = page["@odata.nextLink"].as_str().map(str::to_owned).unwrap_or_else(|| first.clone());
        });
        (samples, items)
    };
    let (selected, _) = pages(true, "delta page of 100, $select (headers)");
    let (full, _) = pages(false, "delta page of 100, full messages + bodies");

    println!("graph-sim rate (10,000-message tenant, loopback, gzip)");
    report(&floor, &floor);
    report(&selected, &floor);
    report(&full, &floor);
    let rate = |s: &companion_benches::Samples| 1.0 / s.p50().as_secs_f64();
    println!("  headers: {:.0} pages/s = {:.0} messages/s", rate(&selected), rate(&selected) * PAGE as f64);
    println!("  full:    {:.0} pages/s = {:.0} messages/s", rate(&full), rate(&full) * PAGE as f64);
    rt.block_on(sim.shutdown());
}
