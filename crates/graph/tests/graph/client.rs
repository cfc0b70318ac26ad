use companion_graph::*;
use companion_graph_sim::{headless, FaultKind, FaultPlan, GraphSim, SimConfig};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;

struct FixedToken(String, AtomicUsize);
impl TokenSource for FixedToken {
    fn token(&self) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<String, GraphError>> + Send + '_>> {
        Box::pin(async move { Ok(self.0.clone()) })
    }
    fn invalidate(&self) {
        self.1.fetch_add(1, Ordering::SeqCst);
    }
}

#[derive(Default)]
struct Tally {
    up: AtomicU64,
    down: AtomicU64,
    exchanges: AtomicU64,
}
impl Meter for Tally {
    fn record(&self, t: Traffic) {
        self.up.fetch_add(t.up, Ordering::SeqCst);
        self.down.fetch_add(t.down, Ordering::SeqCst);
        self.exchanges.fetch_add(1, Ordering::SeqCst);
    }
}

struct OnWifi;
impl NetworkProbe for OnWifi {
    fn current(&self) -> Network {
        Network::Wifi
    }
}

async fn setup(messages: usize) -> (GraphSim, GraphClient, Arc<Tally>, Arc<FixedToken>) {
    let sim = GraphSim::start(SimConfig::default().with_messages(messages)).await.expect("simulator");
    let c = sim.credentials();
    let tokens = headless::sign_in(&c.authority, &c.client_id, &c.scopes).await.expect("sign-in");
    let token = Arc::new(FixedToken(tokens.access_token, AtomicUsize::new(0)));
    let tally = Arc::new(Tally::default());
    let client = GraphClient::new(&sim.graph_url(), token.clone(), tally.clone(), Arc::new(OnWifi)).expect("client");
    (sim, client, tally, token)
}

#[tokio::test]
async fn throttling_is_waited_out_and_no_retry_comes_before_retry_after() {
    let (sim, client, _, _) = setup(50).await;
    let mut plan = FaultPlan::only(5, 0.4, &[FaultKind::Throttle]);
    plan.max_retry_after = 0.3;
    sim.set_faults(plan);
    for _ in 0..25 {
        let me: User = client.json(&GraphRequest::get("/me", Feature::SignIn)).await.expect("answered in the end");
        assert!(!me.id.is_empty());
    }
    let stats = sim.stats();
    assert!(stats.throttled > 3, "{stats:?}");
    assert_eq!(stats.early_retries, 0, "{stats:?}");
}

#[tokio::test]
async fn a_storm_of_every_connection_fault_is_survived() {
    let (sim, client, _, _) = setup(400).await;
    let mut plan = FaultPlan::only(
        9,
        0.25,
        &[
            FaultKind::Throttle,
            FaultKind::Unavailable,
            FaultKind::ConnectionReset,
            FaultKind::TruncatedBody,
            FaultKind::Slow,
        ],
    );
    plan.max_retry_after = 0.3;
    plan.slow_by = std::time::Duration::from_millis(50);
    sim.set_faults(plan);
    let mut next = Some("/me/mailFolders/inbox/messages/delta?$select=subject,isRead".to_owned());
    let mut items = 0;
    while let Some(url) = next.take() {
        let page: DeltaPage<Message> = client
            .json(&GraphRequest::get(url, Feature::MailHeaders).prefer("odata.maxpagesize=25"))
            .await
            .expect("every page arrives");
        items += page.value.len();
        next = page.next_link;
    }
    let inbox_total =
        sim.overview().folders.iter().find(|f| f.display_name == "Inbox").map(|f| f.total_item_count).unwrap_or(0);
    assert_eq!(items as u32, inbox_total);
    let stats = sim.stats();
    assert!(stats.resets + stats.truncated + stats.unavailable > 0, "{stats:?}");
    assert_eq!(stats.early_retries, 0);
}

#[tokio::test]
async fn no_more_than_four_requests_are_in_flight_for_the_mailbox() {
    let (sim, client, _, _) = setup(50).await;
    let mut plan = FaultPlan::only(1, 1.0, &[FaultKind::Slow]);
    plan.slow_by = std::time::Duration::from_millis(100);
    sim.set_faults(plan);
    let client = Arc::new(client);
    let calls: Vec<_> = (0..12)
        .map(|_| {
            let c = client.clone();
            tokio::spawn(async move { c.send(&GraphRequest::get("/me", Feature::SignIn)).await.map(|_| ()) })
        })
        .collect();
    for call in calls {
        call.await.expect("task").expect("answered");
    }
    let stats = sim.stats();
    assert!(stats.max_in_flight <= 4 && stats.concurrency_rejections == 0, "{stats:?}");
}

#[tokio::test]
async fn bytes_are_metered_as_sent_compressed() {
    let (_sim, client, tally, _) = setup(300).await;
    let resp = client
        .send(&GraphRequest::get("/me/mailFolders/inbox/messages?$top=50", Feature::MailHeaders))
        .await
        .expect("page");
    let down = tally.down.load(Ordering::SeqCst) as usize;
    assert!(
        down > 0 && down < resp.body.len(),
        "the wire carried gzip ({down} bytes) for a {} byte body",
        resp.body.len()
    );
    assert!(tally.up.load(Ordering::SeqCst) > 100, "request headers are counted");
}

#[tokio::test]
async fn a_refused_token_asks_for_renewal_and_a_missing_item_is_a_coded_refusal() {
    let (sim, _, tally, _) = setup(20).await;
    let bad = Arc::new(FixedToken("not-a-token".into(), AtomicUsize::new(0)));
    let client = GraphClient::new(&sim.graph_url(), bad.clone(), tally, Arc::new(OnWifi)).expect("client");
    assert!(matches!(client.send(&GraphRequest::get("/me", Feature::SignIn)).await, Err(GraphError::SignInRequired)));
    assert_eq!(bad.1.load(Ordering::SeqCst), 2, "renewed once, tried once more, then gave up");
    let (_sim2, good, _, _) = setup(20).await;
    match good.send(&GraphRequest::get("/me/messages/AAkALgAAAAAAAAAAAAAAAAAAAAAA", Feature::MailBodies)).await {
        Err(GraphError::Refused { status: 404, code }) => assert_eq!(code, "ErrorItemNotFound"),
        other => panic!("{other:?}"),
    }
}
