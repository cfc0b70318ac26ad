use super::Harness;
use companion_graph_sim::{FaultKind, FaultPlan, SimConfig};
use reqwest::StatusCode;
use std::time::Duration;

fn only(kind: FaultKind) -> FaultPlan {
    let mut plan = FaultPlan::only(3, 1.0, &[kind]);
    plan.max_retry_after = 0.4;
    plan.slow_by = Duration::from_millis(300);
    plan
}

/// Signs in without faults, then turns the plan on, so sign-in itself is not disturbed.
async fn with_faults(plan: FaultPlan) -> Harness {
    let h = Harness::small().await;
    h.sim.set_faults(plan);
    h
}

#[tokio::test]
async fn a_throttled_request_gets_a_decimal_retry_after_and_an_early_retry_is_counted() {
    let h = with_faults(only(FaultKind::Throttle)).await;
    let first = h.get("/me").await;
    assert_eq!(first.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(first.json["error"]["code"], "TooManyRequests");
    let retry_after: f64 = first
        .headers
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("a numeric Retry-After");
    assert!(retry_after > 0.0 && retry_after <= 0.4);
    let early = h.get("/me").await;
    assert_eq!(early.status, StatusCode::TOO_MANY_REQUESTS, "retrying early is throttled again");
    assert_eq!(h.sim.stats().early_retries, 1);
    h.sim.set_faults(FaultPlan::none());
    tokio::time::sleep(Duration::from_secs_f64(retry_after + 0.05)).await;
    assert_eq!(h.get("/me").await.status, StatusCode::OK, "after Retry-After the mailbox answers");
    assert_eq!(h.sim.stats().early_retries, 1, "waiting is not an early retry");
}

#[tokio::test]
async fn an_outage_answers_503_in_graphs_error_shape() {
    let h = with_faults(only(FaultKind::Unavailable)).await;
    let a = h.get("/me").await;
    assert_eq!(a.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(a.json["error"]["code"], "serviceNotAvailable");
}

#[tokio::test]
async fn a_reset_connection_gives_the_client_no_answer() {
    let h = with_faults(only(FaultKind::ConnectionReset)).await;
    let result = h.client.get(h.url("/me")).bearer_auth(&h.token).send().await;
    assert!(result.is_err(), "no answer arrives");
    assert!(h.sim.stats().resets >= 1);
}

#[tokio::test]
async fn a_truncated_body_fails_to_read() {
    let h = with_faults(only(FaultKind::TruncatedBody)).await;
    let resp = h
        .client
        .get(h.url("/me/mailFolders/inbox/messages?$top=20"))
        .bearer_auth(&h.token)
        .send()
        .await
        .expect("headers arrive");
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.bytes().await.is_err(), "the body stops short");
}

#[tokio::test]
async fn a_slow_answer_still_arrives_whole() {
    let h = with_faults(only(FaultKind::Slow)).await;
    assert_eq!(h.get("/me").await.status, StatusCode::OK);
    assert_eq!(h.sim.stats().slowed, 1);
}

#[tokio::test]
async fn a_delta_reset_hits_only_requests_that_carry_a_token() {
    let h = with_faults(only(FaultKind::DeltaReset)).await;
    let first = h.get_prefer("/me/mailFolders/inbox/messages/delta", "odata.maxpagesize=10").await;
    assert_eq!(first.status, StatusCode::OK, "a fresh round has no token to lose");
    let next = h.get(first.json["@odata.nextLink"].as_str().expect("more")).await;
    assert_eq!(next.status, StatusCode::GONE);
    assert_eq!(next.json["error"]["code"], "syncStateNotFound");
}

#[tokio::test]
async fn more_than_four_requests_in_flight_are_refused_with_429() {
    let h = with_faults(only(FaultKind::Slow)).await;
    let calls = (0..8).map(|_| h.client.get(h.url("/me")).bearer_auth(&h.token).send());
    let results = futures_util::future::join_all(calls).await;
    let statuses: Vec<StatusCode> = results.into_iter().map(|r| r.expect("answer").status()).collect();
    assert!(statuses.contains(&StatusCode::TOO_MANY_REQUESTS), "{statuses:?}");
    assert!(statuses.iter().filter(|s| **s == StatusCode::OK).count() <= 4);
    let stats = h.sim.stats();
    assert!(stats.concurrency_rejections >= 4 && stats.max_in_flight >= 5, "{stats:?}");
}

async fn outcomes(seed: u64) -> Vec<String> {
    let h = Harness::start(SimConfig::default().with_messages(50)).await;
    h.sim.set_faults(FaultPlan::only(
        seed,
        0.5,
        &[FaultKind::Unavailable, FaultKind::TruncatedBody, FaultKind::ConnectionReset],
    ));
    let mut out = Vec::new();
    for _ in 0..40 {
        let outcome = match h.client.get(h.url("/me")).bearer_auth(&h.token).send().await {
            Err(_) => "reset".to_owned(),
            Ok(r) => {
                let s = r.status();
                match r.bytes().await {
                    Ok(_) => s.as_u16().to_string(),
                    Err(_) => "truncated".to_owned(),
                }
            }
        };
        out.push(outcome);
    }
    out
}

#[tokio::test]
async fn the_same_seed_injects_the_same_faults() {
    let a = outcomes(42).await;
    assert_eq!(a, outcomes(42).await);
    assert_ne!(a, outcomes(43).await);
    for kind in ["reset", "truncated", "503", "200"] {
        assert!(a.iter().any(|o| o == kind), "{kind} happens in {a:?}");
    }
}
