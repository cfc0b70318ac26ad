//! A stand-in for the member and their system browser on the demo consent page, and a
//! one-call PKCE sign-in, for tests and benchmarks (feature `headless`).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::Rng;
use sha2::{Digest, Sha256};

/// Tokens from the token endpoint.
#[derive(Debug, Clone)]
pub struct Tokens {
    /// The bearer token for Graph.
    pub access_token: String,
    /// The refresh token, when `offline_access` was asked for.
    pub refresh_token: Option<String>,
    /// Seconds until the access token expires.
    pub expires_in: i64,
}

/// A PKCE verifier and its S256 challenge (RFC 7636).
pub fn pkce_pair() -> (String, String) {
    let bytes: [u8; 32] = rand::rng().random();
    let verifier = URL_SAFE_NO_PAD.encode(bytes);
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    (verifier, challenge)
}

/// Opens `authorize_url` as a browser would, presses "Sign in" (or "Cancel"), and returns
/// the redirect URL the browser would be sent to, without following it.
pub async fn consent(authorize_url: &str, accept: bool) -> Result<url::Url, String> {
    let client =
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().map_err(|e| e.to_string())?;
    let page = client.get(authorize_url).send().await.map_err(|e| e.to_string())?;
    let status = page.status();
    if status.is_redirection() {
        // The request was refused before consent (e.g. no PKCE): the error is in the redirect.
        let loc = page.headers().get("location").and_then(|l| l.to_str().ok()).ok_or("redirect without location")?;
        return url::Url::parse(loc).map_err(|e| e.to_string());
    }
    let html = page.text().await.map_err(|e| e.to_string())?;
    if !status.is_success() {
        return Err(format!("authorize page answered {status}: {html}"));
    }
    let txn = html
        .split("name=\"txn\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .ok_or("the consent page has no transaction")?;
    let decision = if accept { "accept" } else { "cancel" };
    let resp = client
        .post(authorize_url)
        .form(&[("txn", txn), ("decision", decision)])
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let loc = resp.headers().get("location").and_then(|l| l.to_str().ok()).ok_or("consent did not redirect")?;
    url::Url::parse(loc).map_err(|e| e.to_string())
}

/// Signs in to `authority` as the demo member with PKCE, the whole way through.
pub async fn sign_in(authority: &str, client_id: &str, scopes: &str) -> Result<Tokens, String> {
    let (verifier, challenge) = pkce_pair();
    let redirect = "http://127.0.0.1:49152/callback";
    let mut url = url::Url::parse(&format!("{authority}/oauth2/v2.0/authorize")).map_err(|e| e.to_string())?;
    url.query_pairs_mut()
        .append_pair("client_id", client_id)
        .append_pair("response_type", "code")
        .append_pair("redirect_uri", redirect)
        .append_pair("scope", scopes)
        .append_pair("state", "headless")
        .append_pair("code_challenge", &challenge)
        .append_pair("code_challenge_method", "S256");
    let back = consent(url.as_str(), true).await?;
    let code = back
        .query_pairs()
        .find(|(k, _)| k == "code")
        .map(|(_, v)| v.into_owned())
        .ok_or_else(|| format!("no code in {back}"))?;
    let resp = reqwest::Client::new()
        .post(format!("{authority}/oauth2/v2.0/token"))
        .form(&[
            ("grant_type", "authorization_code"),
            ("client_id", client_id),
            ("code", &code),
            ("redirect_uri", redirect),
            ("code_verifier", &verifier),
            ("scope", scopes),
        ])
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let body: serde_json::Value = resp.json().await.map_err(|e| e.to_string())?;
    Ok(Tokens {
        access_token: body["access_token"].as_str().ok_or_else(|| format!("no access token: {body}"))?.to_owned(),
        refresh_token: body["refresh_token"].as_str().map(str::to_owned),
        expires_in: body["expires_in"].as_i64().unwrap_or(0),
    })
}
