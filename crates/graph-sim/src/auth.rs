//! Microsoft Entra ID v2.0 sign-in, as far as a public native client sees it: the authorize
//! endpoint with a consent page, the token endpoint with PKCE S256, refresh tokens in two
//! rotation modes, and access tokens that expire on the simulated clock.

use crate::config::{RefreshMode, TokenFailure};
use crate::server::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use serde::Deserialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, VecDeque};

/// An authorization request waiting for the member to press "Sign in".
#[derive(Clone)]
struct PendingAuthorization {
    redirect_uri: String,
    state: Option<String>,
    code_challenge: String,
    scope: String,
}

struct CodeGrant {
    redirect_uri: String,
    code_challenge: String,
    scope: String,
    expires: DateTime<Utc>,
    redeemed: bool,
}

struct RefreshRecord {
    grant: u64,
    expires: DateTime<Utc>,
    /// Exchanged already: in strict mode, presenting it again revokes the grant.
    used: bool,
}

struct AccessRecord {
    grant: u64,
    expires: DateTime<Utc>,
    /// The delegated permissions the token carries (Graph's `scp`), minus the OpenID ones.
    scope: String,
}

/// Who a grant signed in: the member, or one of the council's ICT administrators (who owns
/// the trial's SharePoint site and provisions its lists).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Principal {
    /// The councillor on the trial.
    #[default]
    Member,
    /// The council's ICT administrator.
    Administrator,
}

/// What a request's bearer token says about its caller.
#[derive(Debug, Clone)]
pub(crate) struct Caller {
    pub principal: Principal,
    scopes: Vec<String>,
}

impl Caller {
    /// Whether the token carries `scope` (Graph's permission names compare without case).
    pub fn has(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s.eq_ignore_ascii_case(scope))
    }

    /// Whether the token carries one of SharePoint's own permissions (`AllSites.FullControl`),
    /// which a client asks for on the tenant's SharePoint resource
    /// (`https://{tenant}.sharepoint.com/AllSites.FullControl`).
    pub fn has_sharepoint(&self, permission: &str) -> bool {
        self.scopes.iter().any(|s| {
            s.rsplit('/').next().is_some_and(|p| p.eq_ignore_ascii_case(permission)) && s.contains(".sharepoint.com/")
        })
    }
}

/// A device code request (RFC 8628) waiting for someone to enter its user code.
struct DeviceCodeRecord {
    user_code: String,
    scope: String,
    expires: DateTime<Utc>,
    /// Who approved it on the device login page, once someone has.
    approved_by: Option<Principal>,
    declined: bool,
}

/// Whether the member's account can sign in, as the directory's administrators left it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MemberStanding {
    /// Signs in.
    #[default]
    Active,
    /// Blocked from signing in (`AADSTS50057`), as when a member leaves the council.
    Disabled,
    /// Removed from the directory (`AADSTS50034`).
    Deleted,
}

/// All sign-in state: pending requests, codes, grants and tokens.
#[derive(Default)]
pub(crate) struct AuthState {
    standing: MemberStanding,
    pending: HashMap<String, PendingAuthorization>,
    codes: HashMap<String, CodeGrant>,
    revoked: std::collections::HashSet<u64>,
    refresh: HashMap<String, RefreshRecord>,
    access: HashMap<String, AccessRecord>,
    next_grant: u64,
    forced: VecDeque<TokenFailure>,
    /// Who each grant signed in (absent: the member).
    principals: HashMap<u64, Principal>,
    /// Device code requests by device code.
    device_codes: HashMap<String, DeviceCodeRecord>,
}

impl AuthState {
    pub fn force_failure(&mut self, failure: TokenFailure) {
        self.forced.push_back(failure);
    }

    /// Checks a bearer token against the simulated clock.
    pub fn check_access(&self, token: &str, now: DateTime<Utc>) -> Result<Caller, &'static str> {
        let Some(record) = self.access.get(token) else { return Err("Invalid token") };
        if self.revoked.contains(&record.grant) {
            return Err("Access token has been revoked.");
        }
        if record.expires <= now {
            return Err("Lifetime validation failed, the token is expired.");
        }
        Ok(Caller {
            principal: self.principals.get(&record.grant).copied().unwrap_or_default(),
            scopes: record.scope.split_whitespace().map(str::to_owned).collect(),
        })
    }

    /// Disables or deletes the member (or restores them). Leaving is also "revoke sessions",
    /// as Microsoft advises administrators to do: every grant goes with it.
    pub fn set_standing(&mut self, standing: MemberStanding) {
        self.standing = standing;
        if standing != MemberStanding::Active {
            self.revoke_all();
        }
    }

    /// Approves the device code whose user code is `user_code` as `who` would on the device
    /// login page; false if no such code is waiting.
    pub fn approve_device_code(&mut self, user_code: &str, who: Principal, now: DateTime<Utc>) -> bool {
        let wanted = user_code.trim().to_ascii_uppercase();
        match self.device_codes.values_mut().find(|r| r.user_code == wanted && r.expires > now) {
            Some(record) => {
                record.approved_by = Some(who);
                true
            }
            None => false,
        }
    }

    /// Revokes every grant (as "sign out everywhere" or a password change does).
    pub fn revoke_all(&mut self) {
        let grants: Vec<u64> =
            self.refresh.values().map(|r| r.grant).chain(self.access.values().map(|a| a.grant)).collect();
        self.revoked.extend(grants);
    }
}

fn random_token(prefix: &str) -> String {
    let bytes: [u8; 32] = rand::rng().random();
    format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// Entra's error body: `{"error","error_description":"AADSTSnnnn: …","error_codes",…}`.
fn entra_error(status: StatusCode, error: &str, code: u32, description: &str) -> Response {
    let trace = uuid::Uuid::new_v4().to_string();
    let body = json!({
        "error": error,
        "error_description": format!("AADSTS{code}: {description} Trace ID: {trace} Correlation ID: {trace} Timestamp: {}", Utc::now().format("%Y-%m-%d %H:%M:%SZ")),
        "error_codes": [code],
        "timestamp": Utc::now().format("%Y-%m-%d %H:%M:%SZ").to_string(),
        "trace_id": trace,
        "correlation_id": trace,
        "error_uri": "https://login.microsoftonline.com/error?code=".to_owned() + &code.to_string(),
    });
    (
        status,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8"), (header::CACHE_CONTROL, "no-store")],
        body.to_string(),
    )
        .into_response()
}

fn error_page(message: &str) -> Response {
    (StatusCode::BAD_REQUEST, Html(format!("<!doctype html><html lang=\"en-GB\"><head><title>Sign-in error</title></head><body><h1>Sorry, we could not sign you in</h1><p>{message}</p></body></html>"))).into_response()
}

/// A loopback redirect matches on scheme, host and path, ignoring the port (RFC 8252 §7.3,
/// as Entra does); a private-use scheme must be one the app registered.
fn redirect_allowed(uri: &str, schemes: &[String]) -> bool {
    let Ok(url) = url::Url::parse(uri) else { return false };
    match url.scheme() {
        "http" => matches!(url.host_str(), Some("127.0.0.1") | Some("localhost")),
        s => schemes.iter().any(|allowed| allowed == s),
    }
}

fn tenant_matches(state: &AppState, tenant: &str) -> bool {
    tenant == state.config.tenant_id || tenant == "organizations" || tenant == "common"
}

#[derive(Deserialize)]
pub(crate) struct AuthorizeParams {
    client_id: Option<String>,
    response_type: Option<String>,
    redirect_uri: Option<String>,
    scope: Option<String>,
    state: Option<String>,
    code_challenge: Option<String>,
    code_challenge_method: Option<String>,
}

/// `GET /{tenant}/oauth2/v2.0/authorize`: validates the request and shows the consent page.
pub(crate) async fn authorize(
    State(app): State<AppState>,
    Path(tenant): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let Ok(p) = serde_urlencoded::from_str::<AuthorizeParams>(raw.as_deref().unwrap_or("")) else {
        return error_page("The sign-in request could not be read.");
    };
    if !tenant_matches(&app, &tenant) {
        return error_page("AADSTS90002: Tenant not found.");
    }
    if p.client_id.as_deref() != Some(app.config.client_id.as_str()) {
        return error_page("AADSTS700016: Application was not found in the directory.");
    }
    let Some(redirect_uri) = p.redirect_uri.filter(|r| redirect_allowed(r, &app.config.redirect_schemes)) else {
        return error_page("AADSTS50011: The redirect URI specified in the request does not match the redirect URIs configured for the application.");
    };
    let mut back = match url::Url::parse(&redirect_uri) {
        Ok(u) => u,
        Err(_) => return error_page("The redirect URI is not a valid URL."),
    };
    let fail = |back: &mut url::Url, error: &str, description: &str| {
        back.query_pairs_mut().append_pair("error", error).append_pair("error_description", description);
        if let Some(s) = &p.state {
            back.query_pairs_mut().append_pair("state", s);
        }
        Redirect::to(back.as_str()).into_response()
    };
    if p.response_type.as_deref() != Some("code") {
        return fail(&mut back, "unsupported_response_type", "AADSTS70005: response_type 'code' is required.");
    }
    // PKCE is required here, and only S256: a public client must not fall back to plain.
    let Some(challenge) = p.code_challenge.filter(|c| (43..=128).contains(&c.len())) else {
        return fail(
            &mut back,
            "invalid_request",
            "AADSTS9002325: Proof Key for Code Exchange is required for cross-origin authorization code redemption.",
        );
    };
    if p.code_challenge_method.as_deref() != Some("S256") {
        return fail(
            &mut back,
            "invalid_request",
            "AADSTS501491: Invalid code_challenge_method; only S256 is supported.",
        );
    }
    let scope = p.scope.unwrap_or_default();
    let txn = random_token("txn-");
    app.auth
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .pending
        .insert(txn.clone(), PendingAuthorization { redirect_uri, state: p.state, code_challenge: challenge, scope });
    let (name, mail) = {
        let t = app.tenant.read().unwrap_or_else(|e| e.into_inner());
        (t.user.display_name.clone(), t.user.mail.clone())
    };
    let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('"', "&quot;");
    Html(format!(
        r#"<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in to {council}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#1b1b1b}}button{{font-size:1rem;padding:.75rem 1.5rem;min-height:44px;border-radius:4px}}.primary{{background:#1d4f91;color:#fff;border:0}}.secondary{{background:#fff;border:1px solid #505050;color:#1b1b1b}}:focus-visible{{outline:3px solid #ffbf47;outline-offset:2px}}</style>
</head><body>
<main>
<h1>Sign in to {council}</h1>
<p>This is the demo council's sign-in page. Member Companion is asking to read and send your mail, read and change your calendar, read your contacts, and save trial feedback.</p>
<p>You will be signed in as <strong>{name}</strong> ({mail}).</p>
<form method="post" action="">
<input type="hidden" name="txn" value="{txn}">
<button class="primary" type="submit" name="decision" value="accept" id="accept">Sign in as {name}</button>
<button class="secondary" type="submit" name="decision" value="cancel" id="cancel">Cancel</button>
</form>
</main></body></html>"#,
        council = crate::content::COUNCIL,
        name = esc(&name),
        mail = esc(&mail),
        txn = esc(&txn),
    ))
    .into_response()
}

#[derive(Deserialize)]
pub(crate) struct ConsentForm {
    txn: String,
    decision: String,
}

/// `POST /{tenant}/oauth2/v2.0/authorize`: the member pressed a button on the consent page.
pub(crate) async fn consent(State(app): State<AppState>, Form(form): Form<ConsentForm>) -> Response {
    let now = app.clock.now();
    let mut auth = app.auth.lock().unwrap_or_else(|e| e.into_inner());
    let Some(pending) = auth.pending.remove(&form.txn) else {
        return error_page("This sign-in page has expired. Go back to the app and start again.");
    };
    let Ok(mut back) = url::Url::parse(&pending.redirect_uri) else {
        return error_page("The redirect URI is not a valid URL.");
    };
    if form.decision == "accept" {
        let code = random_token("code-");
        auth.codes.insert(
            code.clone(),
            CodeGrant {
                redirect_uri: pending.redirect_uri.clone(),
                code_challenge: pending.code_challenge,
                scope: pending.scope,
                expires: now + Duration::minutes(10),
                redeemed: false,
            },
        );
        back.query_pairs_mut().append_pair("code", &code);
    } else {
        back.query_pairs_mut()
            .append_pair("error", "access_denied")
            .append_pair("error_description", "AADSTS65004: User declined to consent to access the app.");
    }
    if let Some(s) = &pending.state {
        back.query_pairs_mut().append_pair("state", s);
    }
    Redirect::to(back.as_str()).into_response()
}

#[derive(Deserialize)]
pub(crate) struct TokenForm {
    grant_type: Option<String>,
    client_id: Option<String>,
    code: Option<String>,
    redirect_uri: Option<String>,
    code_verifier: Option<String>,
    refresh_token: Option<String>,
    scope: Option<String>,
    client_secret: Option<String>,
    client_assertion: Option<String>,
    device_code: Option<String>,
}

fn s256(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

fn id_token(app: &AppState, principal: Principal, now: DateTime<Utc>) -> String {
    let t = app.tenant.read().unwrap_or_else(|e| e.into_inner());
    let (name, mail, id) = match principal {
        Principal::Member => (t.user.display_name.clone(), t.user.mail.clone(), t.user.id.clone()),
        Principal::Administrator => administrator(),
    };
    // Unsigned (alg "none"): clients of this app never validate id tokens, and a signing key
    // would add nothing the tests check. A real deployment gets Entra's signed tokens.
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let claims = json!({
        "aud": app.config.client_id, "iss": format!("{}/{}/v2.0", app.base_url(), app.config.tenant_id),
        "iat": now.timestamp(), "nbf": now.timestamp(), "exp": (now + Duration::hours(1)).timestamp(),
        "name": name, "oid": id, "preferred_username": mail,
        "sub": id, "tid": app.config.tenant_id, "ver": "2.0",
    });
    format!("{header}.{}.", URL_SAFE_NO_PAD.encode(claims.to_string()))
}

/// The ICT administrator's name, address and object id.
pub(crate) fn administrator() -> (String, String, String) {
    (
        "Trial Administrator (ICT)".to_owned(),
        format!("ict.admin@{}", crate::content::DOMAIN),
        "5e1c0a9d-0000-4000-8000-00000000a0d1".to_owned(),
    )
}

fn issue(app: &AppState, auth: &mut AuthState, grant: u64, scope: &str, now: DateTime<Utc>) -> Response {
    let access = random_token("eyJ0eXAiOiJKV1QiLCJub25jZSI6Im-sim.");
    let granted = scope
        .split_whitespace()
        .filter(|s| !matches!(*s, "openid" | "profile" | "offline_access"))
        .collect::<Vec<_>>()
        .join(" ");
    auth.access.insert(
        access.clone(),
        AccessRecord { grant, expires: now + app.config.access_token_lifetime, scope: granted.clone() },
    );
    let principal = auth.principals.get(&grant).copied().unwrap_or_default();
    let mut body = json!({
        "token_type": "Bearer",
        "scope": granted,
        "expires_in": app.config.access_token_lifetime.num_seconds(),
        "ext_expires_in": app.config.access_token_lifetime.num_seconds(),
        "access_token": access,
    });
    if scope.split_whitespace().any(|s| s == "offline_access") {
        let refresh = random_token("0.AQkA-sim.");
        auth.refresh.insert(
            refresh.clone(),
            RefreshRecord { grant, expires: now + app.config.refresh_token_lifetime, used: false },
        );
        body["refresh_token"] = json!(refresh);
    }
    if scope.split_whitespace().any(|s| s == "openid") {
        body["id_token"] = json!(id_token(app, principal, now));
    }
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8"), (header::CACHE_CONTROL, "no-store")],
        body.to_string(),
    )
        .into_response()
}

/// `POST /{tenant}/oauth2/v2.0/token`.
pub(crate) async fn token(
    State(app): State<AppState>,
    Path(tenant): Path<String>,
    Form(form): Form<TokenForm>,
) -> Response {
    let now = app.clock.now();
    if !tenant_matches(&app, &tenant) {
        return entra_error(StatusCode::BAD_REQUEST, "invalid_request", 90002, "Tenant not found.");
    }
    if form.client_secret.is_some() || form.client_assertion.is_some() {
        return entra_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            700025,
            "Client is public so neither 'client_assertion' nor 'client_secret' should be presented.",
        );
    }
    if form.client_id.as_deref() != Some(app.config.client_id.as_str()) {
        return entra_error(
            StatusCode::BAD_REQUEST,
            "unauthorized_client",
            700016,
            "Application was not found in the directory.",
        );
    }
    let mut auth = app.auth.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(failure) = auth.forced.pop_front() {
        let (error, code, description) = failure.error_and_code();
        return entra_error(StatusCode::BAD_REQUEST, error, code, description);
    }
    match auth.standing {
        MemberStanding::Active => {}
        MemberStanding::Disabled => {
            return entra_error(
                StatusCode::BAD_REQUEST,
                "invalid_grant",
                50057,
                "The user account is disabled. The account has been disabled by an administrator.",
            )
        }
        MemberStanding::Deleted => {
            return entra_error(
                StatusCode::BAD_REQUEST,
                "invalid_grant",
                50034,
                "The user account does not exist in the directory. To sign into this application, the account must be added to the directory.",
            )
        }
    }
    match form.grant_type.as_deref() {
        Some("authorization_code") => {
            let Some(code) = form.code.as_deref() else {
                return entra_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_request",
                    900144,
                    "The request body must contain the following parameter: 'code'.",
                );
            };
            let Some(grant) = auth.codes.get_mut(code) else {
                return entra_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    9002313,
                    "Invalid request. Request is malformed or invalid.",
                );
            };
            if grant.redeemed {
                return entra_error(StatusCode::BAD_REQUEST, "invalid_grant", 54005, "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.");
            }
            if grant.expires <= now {
                return entra_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    70008,
                    "The provided authorization code or refresh token has expired due to inactivity.",
                );
            }
            if form.redirect_uri.as_deref() != Some(grant.redirect_uri.as_str()) {
                return entra_error(StatusCode::BAD_REQUEST, "invalid_grant", 50148, "The code_verifier does not match the code_challenge supplied in the authorization request for PKCE, or the redirect URI differs.");
            }
            let Some(verifier) = form.code_verifier.as_deref() else {
                return entra_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_request",
                    900144,
                    "The request body must contain the following parameter: 'code_verifier'.",
                );
            };
            if s256(verifier) != grant.code_challenge {
                return entra_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    501481,
                    "The Code_Verifier does not match the code_challenge supplied in the authorization request.",
                );
            }
            grant.redeemed = true;
            let scope = grant.scope.clone();
            auth.next_grant += 1;
            let id = auth.next_grant;
            issue(&app, &mut auth, id, &scope, now)
        }
        Some("refresh_token") => {
            let Some(rt) = form.refresh_token.as_deref() else {
                return entra_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_request",
                    900144,
                    "The request body must contain the following parameter: 'refresh_token'.",
                );
            };
            let Some(record) = auth.refresh.get(rt) else {
                return entra_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    9002313,
                    "Invalid request. Request is malformed or invalid.",
                );
            };
            let (grant, expires, used) = (record.grant, record.expires, record.used);
            if auth.revoked.contains(&grant) {
                return entra_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    50173,
                    "The provided grant has expired due to it being revoked, a fresh auth token is needed.",
                );
            }
            if expires <= now {
                return entra_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    700082,
                    "The refresh token has expired due to inactivity.",
                );
            }
            if used && app.config.refresh_mode == RefreshMode::StrictRotation {
                // Reuse of a rotated token looks like theft: revoke everything in the grant.
                auth.revoked.insert(grant);
                return entra_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    70000,
                    "The provided grant is not valid or has been revoked: refresh token reuse detected.",
                );
            }
            if let Some(r) = auth.refresh.get_mut(rt) {
                r.used = true;
            }
            let scope = form.scope.unwrap_or_else(|| "openid profile offline_access".to_owned());
            let scope = if scope.split_whitespace().any(|s| s == "offline_access") {
                scope
            } else {
                format!("{scope} offline_access")
            };
            issue(&app, &mut auth, grant, &scope, now)
        }
        Some(DEVICE_CODE_GRANT) => {
            let Some(record) = form.device_code.as_deref().and_then(|c| auth.device_codes.get(c)) else {
                return entra_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    9002313,
                    "Invalid request. Request is malformed or invalid.",
                );
            };
            if record.declined {
                return entra_error(
                    StatusCode::BAD_REQUEST,
                    "authorization_declined",
                    70000,
                    "The user declined the sign-in.",
                );
            }
            if record.expires <= now {
                return entra_error(
                    StatusCode::BAD_REQUEST,
                    "expired_token",
                    70020,
                    "The provided value for the input parameter 'device_code' is not valid. It has expired.",
                );
            }
            let Some(principal) = record.approved_by else {
                return entra_error(
                    StatusCode::BAD_REQUEST,
                    "authorization_pending",
                    70016,
                    "OAuth 2.0 device flow error. Authorization is pending. Continue polling.",
                );
            };
            let scope = record.scope.clone();
            if let Some(code) = form.device_code.as_deref() {
                auth.device_codes.remove(code);
            }
            auth.next_grant += 1;
            let id = auth.next_grant;
            auth.principals.insert(id, principal);
            issue(&app, &mut auth, id, &scope, now)
        }
        _ => entra_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            70003,
            "The app requested an unsupported grant type.",
        ),
    }
}

/// `GET /{tenant}/v2.0/.well-known/openid-configuration`.
pub(crate) async fn discovery(State(app): State<AppState>, Path(tenant): Path<String>) -> Response {
    let base = format!("{}/{tenant}", app.base_url());
    axum::Json(json!({
        "issuer": format!("{base}/v2.0"),
        "authorization_endpoint": format!("{base}/oauth2/v2.0/authorize"),
        "token_endpoint": format!("{base}/oauth2/v2.0/token"),
        "response_types_supported": ["code"],
        "code_challenge_methods_supported": ["S256"],
        "grant_types_supported": ["authorization_code", "refresh_token", DEVICE_CODE_GRANT],
        "device_authorization_endpoint": format!("{base}/oauth2/v2.0/devicecode"),
        "token_endpoint_auth_methods_supported": ["none"],
        "scopes_supported": ["openid", "profile", "email", "offline_access"],
    }))
    .into_response()
}

/// RFC 8628's grant type.
const DEVICE_CODE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

#[derive(Deserialize)]
pub(crate) struct DeviceCodeForm {
    client_id: Option<String>,
    scope: Option<String>,
}

/// `POST /{tenant}/oauth2/v2.0/devicecode` (RFC 8628 §3.1, as Entra answers it): a device
/// code for the tool to poll with and a user code for the person to enter at `/devicelogin`.
pub(crate) async fn device_code(
    State(app): State<AppState>,
    Path(tenant): Path<String>,
    Form(form): Form<DeviceCodeForm>,
) -> Response {
    if !tenant_matches(&app, &tenant) {
        return entra_error(StatusCode::BAD_REQUEST, "invalid_request", 90002, "Tenant not found.");
    }
    if form.client_id.as_deref() != Some(app.config.client_id.as_str()) {
        return entra_error(
            StatusCode::BAD_REQUEST,
            "unauthorized_client",
            700016,
            "Application was not found in the directory.",
        );
    }
    let device_code = random_token("DAQABAAEAAA-sim.");
    // Nine letters and digits without the easily confused ones, as Entra's codes look.
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let user_code: String = (0..9).map(|_| ALPHABET[rand::rng().random_range(0..ALPHABET.len())] as char).collect();
    let expires_in = 900;
    app.auth.lock().unwrap_or_else(|e| e.into_inner()).device_codes.insert(
        device_code.clone(),
        DeviceCodeRecord {
            user_code: user_code.clone(),
            scope: form.scope.unwrap_or_default(),
            expires: app.clock.now() + Duration::seconds(expires_in),
            approved_by: None,
            declined: false,
        },
    );
    let verification_uri = format!("{}/devicelogin", app.base_url());
    axum::Json(json!({
        "user_code": user_code,
        "device_code": device_code,
        "verification_uri": verification_uri,
        "expires_in": expires_in,
        "interval": 1,
        "message": format!("To sign in, use a web browser to open the page {verification_uri} and enter the code {user_code} to authenticate."),
    }))
    .into_response()
}

/// `GET /devicelogin`: where the person enters the user code, and says who they are.
pub(crate) async fn device_login_page() -> Response {
    Html(format!(
        r#"<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Enter code – {council}</title></head><body><main>
<h1>Enter the code shown by the tool</h1>
<form method="post" action="/devicelogin">
<p><label for="user_code">Code</label> <input id="user_code" name="user_code" autocomplete="one-time-code" required></p>
<p><label for="principal">Sign in as</label> <select id="principal" name="principal"><option value="administrator">The council's ICT administrator</option><option value="member">The member</option></select></p>
<button type="submit" name="decision" value="accept">Continue</button> <button type="submit" name="decision" value="cancel">Cancel</button>
</form></main></body></html>"#,
        council = crate::content::COUNCIL
    ))
    .into_response()
}

#[derive(Deserialize)]
pub(crate) struct DeviceLoginForm {
    user_code: String,
    #[serde(default)]
    principal: Principal,
    decision: String,
}

/// `POST /devicelogin`: approves (or declines) the device code with that user code.
pub(crate) async fn device_login(State(app): State<AppState>, Form(form): Form<DeviceLoginForm>) -> Response {
    let now = app.clock.now();
    let mut auth = app.auth.lock().unwrap_or_else(|e| e.into_inner());
    let wanted = form.user_code.trim().to_ascii_uppercase();
    let Some(record) = auth.device_codes.values_mut().find(|r| r.user_code == wanted && r.expires > now) else {
        return error_page("That code is not recognised or has expired. Check the code in the tool and try again.");
    };
    if form.decision == "accept" {
        record.approved_by = Some(form.principal);
        Html(r#"<!doctype html><html lang="en-GB"><head><title>Signed in</title></head><body><main><h1>You have signed in</h1><p>You can close this window and go back to the tool.</p></main></body></html>"#).into_response()
    } else {
        record.declined = true;
        Html(r#"<!doctype html><html lang="en-GB"><head><title>Cancelled</title></head><body><main><h1>Sign-in cancelled</h1></main></body></html>"#).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s256_matches_rfc_7636_appendix_b() {
        assert_eq!(s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }

    #[test]
    fn loopback_redirects_match_on_any_port_and_schemes_must_be_registered() {
        let schemes = vec!["uk.gov.membercompanion".to_owned()];
        assert!(redirect_allowed("http://127.0.0.1:53123/callback", &schemes));
        assert!(redirect_allowed("uk.gov.membercompanion://auth", &schemes));
        assert!(!redirect_allowed("https://evil.example/cb", &schemes));
        assert!(!redirect_allowed("other.app://auth", &schemes));
    }
}
