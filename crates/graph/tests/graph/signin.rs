//! Sign-in against the simulator's Entra-like authority, in both refresh modes.

use companion_graph::*;
use companion_graph_sim::{headless, GraphSim, RefreshMode, SimConfig, TokenFailure};

/// Plays the member in the system browser: consent on the page, then the browser follows the
/// redirect to the app's loopback listener.
async fn browse(authorize_url: &str) -> reqwest::Response {
    let back = headless::consent(authorize_url, true).await.expect("consent page");
    reqwest::get(back.as_str()).await.expect("the loopback listener answers")
}

fn state_of(url: &url::Url) -> String {
    url.query_pairs().find(|(k, _)| k == "state").map(|(_, v)| v.into_owned()).unwrap_or_default()
}

async fn signed_in(mode: RefreshMode) -> (GraphSim, SignIn, TokenSet) {
    let sim = GraphSim::start(SimConfig::default().with_messages(20).with_refresh_mode(mode)).await.expect("simulator");
    let c = sim.credentials();
    let signin = SignIn::new(SignInConfig::entra(&c.authority, &c.client_id)).expect("sign-in");
    let loopback = LoopbackRedirect::bind().await.expect("loopback");
    let pending = signin.begin(&loopback.redirect_uri()).expect("begin");
    let waiting = tokio::spawn(loopback.wait(pending.answered_by()));
    let page = browse(pending.authorize_url.as_str()).await;
    assert!(page.text().await.expect("page").contains("return to Member Companion"));
    let callback = waiting.await.expect("task").expect("callback");
    let tokens = signin.complete(pending, &callback).await.expect("tokens");
    (sim, signin, tokens)
}

async fn me_status(sim: &GraphSim, token: &Secret) -> u16 {
    reqwest::Client::new()
        .get(format!("{}/me", sim.graph_url()))
        .bearer_auth(token.expose())
        .send()
        .await
        .expect("answer")
        .status()
        .as_u16()
}

#[tokio::test]
async fn pkce_sign_in_through_the_loopback_redirect_opens_graph() {
    let (sim, _, tokens) = signed_in(RefreshMode::EntraLike).await;
    assert_eq!(me_status(&sim, &tokens.access_token).await, 200);
    assert!(tokens.refresh_token.is_some());
    assert!(tokens.expires_at > std::time::Instant::now());
}

#[tokio::test]
async fn a_wrong_verifier_and_a_forged_state_are_refused() {
    let sim = GraphSim::start(SimConfig::default().with_messages(10)).await.expect("simulator");
    let c = sim.credentials();
    let signin = SignIn::new(SignInConfig::entra(&c.authority, &c.client_id)).expect("sign-in");
    let redirect = "http://127.0.0.1:50999/callback";
    let first = signin.begin(redirect).expect("begin");
    let second = signin.begin(redirect).expect("begin");
    let back = headless::consent(first.authorize_url.as_str(), true).await.expect("consent");
    // The first sign-in's code, presented with the second's verifier (and state, to get past the state check).
    let mut swapped = back.clone();
    let pairs: Vec<(String, String)> = back
        .query_pairs()
        .map(|(k, v)| (k.to_string(), if k == "state" { state_of(&second.authorize_url) } else { v.into_owned() }))
        .collect();
    swapped.query_pairs_mut().clear().extend_pairs(pairs);
    let err = signin.complete(second, &swapped).await.expect_err("wrong verifier");
    assert_eq!(err.aadsts, Some(501481));
    let third = signin.begin(redirect).expect("begin");
    let back = headless::consent(third.authorize_url.as_str(), true).await.expect("consent");
    let forged = url::Url::parse(&back.as_str().replace(&state_of(&back), "forged")).expect("url");
    assert_eq!(signin.complete(third, &forged).await.expect_err("forged state").problem, SignInProblem::StateMismatch);
}

#[tokio::test]
async fn cancelling_in_the_browser_is_reported_as_cancelled() {
    let sim = GraphSim::start(SimConfig::default().with_messages(10)).await.expect("simulator");
    let c = sim.credentials();
    let signin = SignIn::new(SignInConfig::entra(&c.authority, &c.client_id)).expect("sign-in");
    let pending = signin.begin("http://127.0.0.1:50998/callback").expect("begin");
    let back = headless::consent(pending.authorize_url.as_str(), false).await.expect("cancel");
    assert_eq!(signin.complete(pending, &back).await.expect_err("cancelled").problem, SignInProblem::Cancelled);
}

#[tokio::test]
async fn entra_like_refresh_gives_a_new_refresh_token_and_the_old_one_still_works() {
    let (sim, signin, tokens) = signed_in(RefreshMode::EntraLike).await;
    let rt1 = tokens.refresh_token.expect("refresh token");
    let renewed = signin.refresh(&rt1).await.expect("refresh");
    let rt2 = renewed.refresh_token.expect("a new refresh token");
    assert_ne!(rt1.expose(), rt2.expose());
    assert_eq!(me_status(&sim, &renewed.access_token).await, 200);
    assert!(signin.refresh(&rt1).await.is_ok(), "Entra does not revoke a used refresh token");
}

#[tokio::test]
async fn strict_rotation_revokes_everything_when_an_old_refresh_token_is_reused() {
    let (sim, signin, tokens) = signed_in(RefreshMode::StrictRotation).await;
    let rt1 = tokens.refresh_token.expect("refresh token");
    let renewed = signin.refresh(&rt1).await.expect("refresh");
    let rt2 = renewed.refresh_token.expect("rotated");
    assert_eq!(signin.refresh(&rt1).await.expect_err("reuse").problem, SignInProblem::SessionExpired);
    assert_eq!(signin.refresh(&rt2).await.expect_err("revoked").problem, SignInProblem::SessionExpired);
    assert_eq!(me_status(&sim, &renewed.access_token).await, 401);
}

#[tokio::test]
async fn an_expired_access_token_is_refused_and_each_entra_failure_maps_to_a_plain_problem() {
    let (sim, signin, tokens) = signed_in(RefreshMode::EntraLike).await;
    sim.advance(chrono::Duration::minutes(61));
    assert_eq!(me_status(&sim, &tokens.access_token).await, 401, "the access token has expired");
    let rt = tokens.refresh_token.expect("refresh token");
    let expected = [
        (TokenFailure::MfaRequired, SignInProblem::MfaRequired),
        (TokenFailure::MfaRegistrationRequired, SignInProblem::MfaRequired),
        (TokenFailure::DeviceNotCompliant, SignInProblem::DeviceNotCompliant),
        (TokenFailure::BlockedByConditionalAccess, SignInProblem::BlockedByPolicy),
        (TokenFailure::ConsentRequired, SignInProblem::ConsentRequired),
        (TokenFailure::ExpiredGrant, SignInProblem::SessionExpired),
        (TokenFailure::InactiveGrant, SignInProblem::SessionExpired),
    ];
    for (failure, problem) in expected {
        sim.force_token_failure(failure);
        let err = signin.refresh(&rt).await.expect_err("forced failure");
        assert_eq!(err.problem, problem, "{failure:?}");
        assert_eq!(err.aadsts, Some(failure.error_and_code().1));
        assert!(!err.to_string().contains("AADSTS"), "members see plain words: {err}");
    }
    let fresh = signin.refresh(&rt).await.expect("renews after the failures");
    assert_eq!(me_status(&sim, &fresh.access_token).await, 200);
    sim.advance(chrono::Duration::days(91));
    assert_eq!(signin.refresh(&rt).await.expect_err("expired refresh token").problem, SignInProblem::SessionExpired);
}

#[tokio::test]
async fn a_session_renews_by_itself_and_always_keeps_the_newest_refresh_token() {
    use std::sync::{Arc, Mutex};
    let (sim, signin, tokens) = signed_in(RefreshMode::StrictRotation).await;
    // Where the app keeps the token (the OS keyring, through companion-keystore); here, memory.
    let kept = Arc::new(Mutex::new(Vec::<String>::new()));
    let store = kept.clone();
    let keep: KeepRefreshToken = Box::new(move |rt: &Secret| {
        store.lock().map_err(|e| e.to_string())?.push(rt.expose().to_owned());
        Ok(())
    });
    let first_rt = tokens.refresh_token.as_ref().map(|t| t.expose().to_owned()).expect("rt");
    let session = Arc::new(SessionTokens::new(signin, tokens, keep).expect("session"));
    assert_eq!(kept.lock().expect("lock").last(), Some(&first_rt), "kept at once");

    struct Quiet;
    impl Meter for Quiet {
        fn record(&self, _: Traffic) {}
    }
    struct Wifi;
    impl NetworkProbe for Wifi {
        fn current(&self) -> Network {
            Network::Wifi
        }
    }
    let client = GraphClient::new(&sim.graph_url(), session.clone(), Arc::new(Quiet), Arc::new(Wifi)).expect("client");
    for round in 0..3 {
        // An hour passes: the access token expires, and the session renews it on its own.
        sim.advance(chrono::Duration::minutes(61));
        let me: User = client
            .json(&GraphRequest::get("/me", Feature::SignIn))
            .await
            .unwrap_or_else(|e| panic!("round {round}: {e}"));
        assert!(!me.id.is_empty());
    }
    let history = kept.lock().expect("lock").clone();
    assert_eq!(history.len(), 4, "the first token and three renewals were kept, in order");
    let newest = history.last().cloned().expect("newest");
    // Under strict rotation every earlier token is dead: only the kept newest one still works.
    let fresh = || {
        SignIn::new(SignInConfig::entra(&sim.credentials().authority, &sim.credentials().client_id)).expect("sign-in")
    };
    let stale = SessionTokens::resume(fresh(), Secret::new(first_rt), Box::new(|_| Ok(())));
    assert!(matches!(stale.token().await, Err(GraphError::SignInRequired)), "a stale token means signing in again");
    let resumed = SessionTokens::resume(fresh(), Secret::new(newest), Box::new(|_| Ok(())));
    assert!(resumed.token().await.is_err(), "reusing the stale token revoked the grant, as strict rotation does");
}

#[derive(Default)]
struct Tally(std::sync::Mutex<Vec<Traffic>>);

impl Meter for Tally {
    fn record(&self, traffic: Traffic) {
        self.0.lock().expect("lock").push(traffic);
    }
}

#[tokio::test]
async fn the_code_exchange_and_every_renewal_are_metered_as_sign_in() {
    let sim = GraphSim::start(SimConfig::default().with_messages(5)).await.expect("simulator");
    let c = sim.credentials();
    let tally = std::sync::Arc::new(Tally::default());
    let signin = SignIn::new(SignInConfig::entra(&c.authority, &c.client_id))
        .expect("sign-in")
        .metered(tally.clone(), std::sync::Arc::new(FixedNetwork(Network::Mobile)));
    let loopback = LoopbackRedirect::bind().await.expect("loopback");
    let pending = signin.begin(&loopback.redirect_uri()).expect("begin");
    let waiting = tokio::spawn(loopback.wait(pending.answered_by()));
    browse(pending.authorize_url.as_str()).await;
    let tokens = signin.complete(pending, &waiting.await.expect("task").expect("callback")).await.expect("tokens");
    signin.refresh(tokens.refresh_token.as_ref().expect("refresh token")).await.expect("renewed");
    let seen = tally.0.lock().expect("lock").clone();
    assert_eq!(seen.len(), 2, "one exchange for the code, one for the renewal");
    for t in seen {
        assert_eq!((t.feature, t.network), (Feature::SignIn, Network::Mobile));
        // A token answer carries two tokens of hundreds of bytes each; the request a form.
        assert!(t.up > 200 && t.down > 500, "{t:?}");
    }
}

#[tokio::test]
async fn a_callback_for_another_sign_in_or_a_silent_connection_does_not_end_the_wait() {
    let sim = GraphSim::start(SimConfig::default().with_messages(5)).await.expect("simulator");
    let c = sim.credentials();
    let signin = SignIn::new(SignInConfig::entra(&c.authority, &c.client_id)).expect("sign-in");
    let loopback = LoopbackRedirect::bind().await.expect("loopback");
    let redirect = loopback.redirect_uri();
    let pending = signin.begin(&redirect).expect("begin");
    let waiting = tokio::spawn(loopback.wait(pending.answered_by()));
    // Someone who knows the port holds a connection open without a word…
    let port = url::Url::parse(&redirect).expect("url").port().expect("port");
    let _silent = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.expect("connect");
    // …and a page sends the browser back with a code and a state of its own.
    let forged = reqwest::get(format!("{redirect}?code=attacker&state=not-this-one")).await.expect("answer");
    assert_eq!(forged.status(), 400);
    assert!(!waiting.is_finished(), "the sign-in is still waiting");
    // The member's own sign-in still finishes.
    browse(pending.authorize_url.as_str()).await;
    let callback = tokio::time::timeout(std::time::Duration::from_secs(20), waiting)
        .await
        .expect("the wait ends")
        .expect("task")
        .expect("callback");
    assert_eq!(state_of(&callback), state_of(&pending.authorize_url));
    signin.complete(pending, &callback).await.expect("tokens");
}

/// Signs in through the simulator `config` points at, as far as the token exchange.
async fn complete_with(config: SignInConfig) -> Result<TokenSet, SignInError> {
    let signin = SignIn::new(config).expect("sign-in");
    let pending = signin.begin("http://127.0.0.1:50997/callback").expect("begin");
    let back = headless::consent(pending.authorize_url.as_str(), true).await.expect("consent");
    signin.complete(pending, &back).await
}

#[tokio::test]
async fn an_account_from_another_tenant_is_refused_and_the_councils_own_is_let_in() {
    let sim = GraphSim::start(SimConfig::default().with_messages(5)).await.expect("simulator");
    let c = sim.credentials();
    let tenant = c.authority.trim_end_matches('/').rsplit('/').next().expect("tenant").to_owned();
    let shared = c.authority.trim_end_matches('/').replace(&tenant, "organizations");

    let entra = SignInConfig::entra(&c.authority, &c.client_id);
    assert_eq!(entra.tenant.as_deref(), Some(tenant.as_str()), "the authority names the council's tenant");
    assert!(complete_with(entra).await.is_ok());

    // Signing in through the shared endpoint, where any organisation's member could answer.
    let mut elsewhere = SignInConfig::entra(&shared, &c.client_id);
    elsewhere.tenant = Some("another-councils-tenant".into());
    let refused = complete_with(elsewhere).await.expect_err("another tenant");
    assert_eq!(refused.problem, SignInProblem::WrongTenant);

    let mut own = SignInConfig::entra(&shared, &c.client_id);
    own.tenant = Some(tenant.to_uppercase());
    assert!(complete_with(own).await.is_ok(), "tenant ids are compared without case");

    let mut no_id_token = SignInConfig::entra(&c.authority, &c.client_id);
    no_id_token.scopes = no_id_token.scopes.replace("openid ", "");
    let refused = complete_with(no_id_token).await.expect_err("no ID token");
    assert_eq!(refused.problem, SignInProblem::WrongTenant, "a sign-in that cannot show its tenant is refused");
}
