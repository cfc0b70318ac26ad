use super::Harness;
use companion_graph_sim::{headless, GraphSim, MemberStanding, RefreshMode, SimConfig, TokenFailure};
use reqwest::StatusCode;
use serde_json::Value;

async fn token_request(sim: &GraphSim, form: &[(&str, &str)]) -> (StatusCode, Value) {
    let resp = reqwest::Client::new()
        .post(format!("{}/oauth2/v2.0/token", sim.authority()))
        .form(form)
        .send()
        .await
        .expect("token endpoint answers");
    let status = resp.status();
    (status, resp.json().await.expect("json"))
}

fn authorize_url(sim: &GraphSim, challenge: Option<&str>) -> String {
    let c = sim.credentials();
    let mut url = url::Url::parse(&format!("{}/oauth2/v2.0/authorize", c.authority)).expect("url");
    url.query_pairs_mut()
        .append_pair("client_id", &c.client_id)
        .append_pair("response_type", "code")
        .append_pair("redirect_uri", "http://127.0.0.1:61000/callback")
        .append_pair("scope", &c.scopes)
        .append_pair("state", "s-123");
    if let Some(ch) = challenge {
        url.query_pairs_mut().append_pair("code_challenge", ch).append_pair("code_challenge_method", "S256");
    }
    url.to_string()
}

async fn code_for(sim: &GraphSim, challenge: &str) -> String {
    let back = headless::consent(&authorize_url(sim, Some(challenge)), true).await.expect("consent");
    assert_eq!(back.port(), Some(61000), "the loopback port is kept");
    assert_eq!(back.query_pairs().find(|(k, _)| k == "state").map(|(_, v)| v.into_owned()).as_deref(), Some("s-123"));
    back.query_pairs().find(|(k, _)| k == "code").map(|(_, v)| v.into_owned()).expect("a code")
}

async fn redeem(sim: &GraphSim, code: &str, verifier: &str) -> (StatusCode, Value) {
    let c = sim.credentials();
    token_request(
        sim,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", &c.client_id),
            ("code", code),
            ("redirect_uri", "http://127.0.0.1:61000/callback"),
            ("code_verifier", verifier),
        ],
    )
    .await
}

async fn refresh(sim: &GraphSim, rt: &str) -> (StatusCode, Value) {
    let c = sim.credentials();
    token_request(
        sim,
        &[("grant_type", "refresh_token"), ("client_id", &c.client_id), ("refresh_token", rt), ("scope", &c.scopes)],
    )
    .await
}

async fn me_status(sim: &GraphSim, token: &str) -> (StatusCode, Value) {
    let resp =
        reqwest::Client::new().get(format!("{}/me", sim.graph_url())).bearer_auth(token).send().await.expect("answer");
    let status = resp.status();
    (status, resp.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn pkce_sign_in_succeeds_and_its_token_opens_graph() {
    let h = Harness::small().await;
    let me = h.get("/me").await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.json["displayName"], h.sim.credentials().member_name);
    assert_eq!(me.json["preferredLanguage"], "en-GB");
}

#[tokio::test]
async fn the_right_verifier_gets_tokens_with_a_numeric_expiry() {
    let sim = GraphSim::start(SimConfig::default().with_messages(20)).await.expect("start");
    let (verifier, challenge) = headless::pkce_pair();
    let code = code_for(&sim, &challenge).await;
    let (status, body) = redeem(&sim, &code, &verifier).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body["expires_in"].is_i64());
    assert_eq!(body["token_type"], "Bearer");
    assert!(body["refresh_token"].is_string() && body["id_token"].is_string());
}

#[tokio::test]
async fn a_wrong_verifier_is_refused_with_invalid_grant() {
    let sim = GraphSim::start(SimConfig::default().with_messages(20)).await.expect("start");
    let (_, challenge) = headless::pkce_pair();
    let (other_verifier, _) = headless::pkce_pair();
    let code = code_for(&sim, &challenge).await;
    let (status, body) = redeem(&sim, &code, &other_verifier).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_grant");
    assert_eq!(body["error_codes"][0], 501481);
}

#[tokio::test]
async fn a_code_cannot_be_redeemed_twice() {
    let sim = GraphSim::start(SimConfig::default().with_messages(20)).await.expect("start");
    let (verifier, challenge) = headless::pkce_pair();
    let code = code_for(&sim, &challenge).await;
    assert_eq!(redeem(&sim, &code, &verifier).await.0, StatusCode::OK);
    let (status, body) = redeem(&sim, &code, &verifier).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error_codes"][0], 54005);
}

#[tokio::test]
async fn an_authorize_request_without_pkce_is_sent_back_with_an_error() {
    let sim = GraphSim::start(SimConfig::default().with_messages(20)).await.expect("start");
    let back = headless::consent(&authorize_url(&sim, None), true).await.expect("redirect");
    assert_eq!(
        back.query_pairs().find(|(k, _)| k == "error").map(|(_, v)| v.into_owned()).as_deref(),
        Some("invalid_request")
    );
}

#[tokio::test]
async fn cancelling_on_the_consent_page_returns_access_denied() {
    let sim = GraphSim::start(SimConfig::default().with_messages(20)).await.expect("start");
    let (_, challenge) = headless::pkce_pair();
    let back = headless::consent(&authorize_url(&sim, Some(&challenge)), false).await.expect("redirect");
    assert_eq!(
        back.query_pairs().find(|(k, _)| k == "error").map(|(_, v)| v.into_owned()).as_deref(),
        Some("access_denied")
    );
}

#[tokio::test]
async fn entra_like_refresh_leaves_an_old_refresh_token_valid() {
    let sim = GraphSim::start(SimConfig::default().with_messages(20).with_refresh_mode(RefreshMode::EntraLike))
        .await
        .expect("start");
    let c = sim.credentials();
    let first = headless::sign_in(&c.authority, &c.client_id, &c.scopes).await.expect("sign-in");
    let rt1 = first.refresh_token.expect("refresh token");
    let (s, body) = refresh(&sim, &rt1).await;
    assert_eq!(s, StatusCode::OK);
    let rt2 = body["refresh_token"].as_str().expect("a new refresh token");
    assert_ne!(rt1, rt2, "every refresh returns a new refresh token");
    assert_eq!(refresh(&sim, &rt1).await.0, StatusCode::OK, "Entra does not revoke a used refresh token");
    assert_eq!(refresh(&sim, rt2).await.0, StatusCode::OK);
}

#[tokio::test]
async fn strict_rotation_revokes_the_grant_when_an_old_refresh_token_is_reused() {
    let sim = GraphSim::start(SimConfig::default().with_messages(20).with_refresh_mode(RefreshMode::StrictRotation))
        .await
        .expect("start");
    let c = sim.credentials();
    let first = headless::sign_in(&c.authority, &c.client_id, &c.scopes).await.expect("sign-in");
    let rt1 = first.refresh_token.expect("refresh token");
    let (_, body) = refresh(&sim, &rt1).await;
    let rt2 = body["refresh_token"].as_str().expect("rotated").to_owned();
    let at2 = body["access_token"].as_str().expect("access").to_owned();
    let (s, reuse) = refresh(&sim, &rt1).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(reuse["error"], "invalid_grant");
    assert_eq!(
        refresh(&sim, &rt2).await.0,
        StatusCode::BAD_REQUEST,
        "the whole grant is revoked, newest token included"
    );
    assert_eq!(me_status(&sim, &at2).await.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_expired_access_token_gets_401_in_graphs_error_shape() {
    let h = Harness::small().await;
    h.sim.advance(chrono::Duration::minutes(61));
    let a = h.get("/me").await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert_eq!(a.json["error"]["code"], "InvalidAuthenticationToken");
    assert!(a.json["error"]["innerError"]["request-id"].is_string());
    assert!(a.headers.contains_key("www-authenticate"));
}

#[tokio::test]
async fn a_missing_or_wrong_token_gets_401() {
    let sim = GraphSim::start(SimConfig::default().with_messages(20)).await.expect("start");
    let resp = reqwest::Client::new().get(format!("{}/me", sim.graph_url())).send().await.expect("answer");
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(me_status(&sim, "not-a-token").await.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn forced_entra_failures_carry_their_aadsts_codes() {
    let sim = GraphSim::start(SimConfig::default().with_messages(20)).await.expect("start");
    let c = sim.credentials();
    let rt =
        headless::sign_in(&c.authority, &c.client_id, &c.scopes).await.expect("sign-in").refresh_token.expect("rt");
    for failure in TokenFailure::ALL {
        sim.force_token_failure(failure);
        let (status, body) = refresh(&sim, &rt).await;
        let (error, code, _) = failure.error_and_code();
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body["error"], error, "{failure:?}");
        assert_eq!(body["error_codes"][0], code, "{failure:?}");
        assert!(body["error_description"].as_str().is_some_and(|d| d.starts_with(&format!("AADSTS{code}:"))));
    }
    assert_eq!(refresh(&sim, &rt).await.0, StatusCode::OK, "a forced failure is used once");
}

#[tokio::test]
async fn a_public_client_that_sends_a_secret_is_refused() {
    let sim = GraphSim::start(SimConfig::default().with_messages(20)).await.expect("start");
    let c = sim.credentials();
    let (status, body) = token_request(
        &sim,
        &[("grant_type", "refresh_token"), ("client_id", &c.client_id), ("refresh_token", "x"), ("client_secret", "s")],
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error_codes"][0], 700025);
}

#[tokio::test]
async fn a_disabled_or_deleted_member_loses_every_token_with_entras_codes_until_restored() {
    let sim = GraphSim::start(SimConfig::default().with_messages(20)).await.expect("start");
    let c = sim.credentials();
    let tokens = headless::sign_in(&c.authority, &c.client_id, &c.scopes).await.expect("sign-in");
    let rt = tokens.refresh_token.expect("rt");
    for (standing, code) in [(MemberStanding::Disabled, 50057), (MemberStanding::Deleted, 50034)] {
        sim.set_member_standing(standing);
        assert_eq!(me_status(&sim, &tokens.access_token).await.0, StatusCode::UNAUTHORIZED, "{standing:?}");
        let (status, body) = refresh(&sim, &rt).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body["error"], "invalid_grant");
        assert_eq!(body["error_codes"][0], code, "{standing:?}: {body}");
    }
    sim.set_member_standing(MemberStanding::Active);
    let (status, body) = refresh(&sim, &rt).await;
    assert_eq!(body["error_codes"][0], 50173, "restored, but the old grant stays revoked: {body}");
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(headless::sign_in(&c.authority, &c.client_id, &c.scopes).await.is_ok(), "a new sign-in works");
}
