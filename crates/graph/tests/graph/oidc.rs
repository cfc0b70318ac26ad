//! Sign-in against a real OpenID Certified provider (`oidc-provider` from npm, started on
//! loopback from `tests/oidc-provider/`): a native public client with PKCE required and refresh
//! rotation with reuse detection.

use companion_graph::*;
use reqwest::header::LOCATION;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

struct Provider {
    child: Child,
    authorize_url: String,
    token_url: String,
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(access_ttl: u32) -> Provider {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/oidc-provider");
    assert!(dir.join("node_modules/oidc-provider").exists(), "run `npm ci` in {} (make test does)", dir.display());
    let mut child = Command::new("node")
        .current_dir(&dir)
        .args(["server.mjs", "--port", "0", "--access-ttl", &access_ttl.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("node runs the provider");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("the provider announces itself");
    let info: serde_json::Value = serde_json::from_str(&line).expect("one JSON line");
    Provider {
        authorize_url: info["authorization_endpoint"].as_str().expect("authorize").to_owned(),
        token_url: info["token_endpoint"].as_str().expect("token").to_owned(),
        child,
    }
}

fn config(p: &Provider) -> SignInConfig {
    SignInConfig {
        authorize_url: p.authorize_url.clone(),
        token_url: p.token_url.clone(),
        device_authorization_url: None,
        client_id: "member-companion-test".into(),
        scopes: DEFAULT_SCOPES.into(),
        tenant: None,
    }
}

/// Plays the member in the browser: log in and consent on the provider's own pages, and stop at
/// the redirect back to the app.
async fn browse(start: &url::Url, redirect: &str) -> url::Url {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("browser");
    let mut next = start.clone();
    for _ in 0..16 {
        let resp = client.get(next.clone()).send().await.expect("page");
        let resp = if resp.status().is_redirection() {
            resp
        } else {
            let html = resp.text().await.expect("html");
            let action = html.split("action=\"").nth(1).and_then(|r| r.split('"').next()).expect("a form");
            let prompt =
                html.split("name=\"prompt\" value=\"").nth(1).and_then(|r| r.split('"').next()).expect("a prompt");
            let mut form = vec![("prompt", prompt.to_owned())];
            if prompt == "login" {
                form.push(("login", "cllr.baker".into()));
                form.push(("password", "any".into()));
            }
            client.post(next.join(action).expect("action")).form(&form).send().await.expect("form sent")
        };
        let location = resp.headers().get(LOCATION).and_then(|l| l.to_str().ok()).expect("a redirect");
        let target = next.join(location).expect("url");
        if target.as_str().starts_with(redirect) {
            return target;
        }
        next = target;
    }
    panic!("the provider never redirected back");
}

async fn sign_in(p: &Provider) -> (SignIn, TokenSet) {
    let signin = SignIn::new(config(p)).expect("sign-in");
    let redirect = "http://127.0.0.1:53123/callback";
    let pending = signin.begin(redirect).expect("begin");
    let back = browse(&pending.authorize_url, redirect).await;
    let tokens = signin.complete(pending, &back).await.expect("tokens");
    (signin, tokens)
}

#[tokio::test]
async fn the_certified_provider_accepts_our_pkce_sign_in_and_rotates_refresh_tokens() {
    let p = start(60);
    let (signin, tokens) = sign_in(&p).await;
    let rt1 = tokens.refresh_token.expect("offline_access gives a refresh token");
    let renewed = signin.refresh(&rt1).await.expect("refresh");
    let rt2 = renewed.refresh_token.expect("rotated");
    assert_ne!(rt1.expose(), rt2.expose(), "the newest refresh token is a new one");
    // Reusing the old one is taken as theft: the grant is revoked, the newest token too.
    assert_eq!(signin.refresh(&rt1).await.expect_err("reuse").problem, SignInProblem::SessionExpired);
    assert_eq!(signin.refresh(&rt2).await.expect_err("revoked").problem, SignInProblem::SessionExpired);
}

#[tokio::test]
async fn the_certified_provider_refuses_a_wrong_verifier() {
    let p = start(60);
    let signin = SignIn::new(config(&p)).expect("sign-in");
    let redirect = "http://127.0.0.1:53124/callback";
    let first = signin.begin(redirect).expect("begin");
    let second = signin.begin(redirect).expect("begin");
    let back = browse(&first.authorize_url, redirect).await;
    let second_state =
        second.authorize_url.query_pairs().find(|(k, _)| k == "state").map(|(_, v)| v.into_owned()).unwrap_or_default();
    let mut swapped = back.clone();
    let pairs: Vec<(String, String)> = back
        .query_pairs()
        .map(|(k, v)| (k.to_string(), if k == "state" { second_state.clone() } else { v.into_owned() }))
        .collect();
    swapped.query_pairs_mut().clear().extend_pairs(pairs);
    let err = signin.complete(second, &swapped).await.expect_err("wrong verifier");
    assert_eq!(err.problem, SignInProblem::SessionExpired, "invalid_grant: sign in again");
}

#[tokio::test]
async fn a_short_lived_token_from_the_certified_provider_is_due_for_renewal_at_once() {
    let p = start(1);
    let (signin, tokens) = sign_in(&p).await;
    assert!(tokens.expires_at <= std::time::Instant::now(), "renewed a minute early, a 1 s token is already due");
    let renewed = signin.refresh(tokens.refresh_token.as_ref().expect("rt")).await.expect("refresh still works");
    assert!(!renewed.access_token.expose().is_empty());
}
