//! Signing in: OAuth2 authorization code with PKCE (S256) as a public native client, in the
//! system browser (RFC 8252), against Microsoft Entra ID v2.0 or any compliant authority.
//!
//! The flow is split so the caller owns the browser: [`SignIn::begin`] gives the URL to open;
//! the redirect comes back to a [`LoopbackRedirect`] on desktop or a deep link on mobile; and
//! [`SignIn::complete`] checks `state` and redeems the code. Tokens are [`Secret`]s: they
//! neither print nor serialise.

use oauth2::basic::{
    BasicErrorResponse, BasicRevocationErrorResponse, BasicTokenIntrospectionResponse, BasicTokenType,
};
use oauth2::{
    AuthUrl, AuthorizationCode, ClientId, CsrfToken, DeviceAuthorizationUrl, EndpointNotSet, EndpointSet,
    PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, RefreshToken, RequestTokenError, Scope,
    StandardDeviceAuthorizationResponse, StandardErrorResponse, StandardRevocableToken, StandardTokenResponse,
    TokenResponse, TokenUrl,
};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use zeroize::Zeroizing;

/// The scopes Member Companion asks for.
pub const DEFAULT_SCOPES: &str = "openid profile offline_access User.Read User.Read.All Mail.ReadWrite Mail.Send Calendars.ReadWrite Contacts.Read Files.ReadWrite Sites.Selected";

/// A token. It has no `Display`, no `Serialize`, and its `Debug` hides it, so it cannot be
/// logged or sent to the UI by accident; it is wiped from memory when dropped.
pub struct Secret(Zeroizing<String>);

impl Secret {
    /// Wraps a token.
    pub fn new(s: impl Into<String>) -> Self {
        Self(Zeroizing::new(s.into()))
    }
    /// The token itself, for an `Authorization` header or the keyring.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

/// Where and as whom to sign in.
#[derive(Debug, Clone)]
pub struct SignInConfig {
    /// The authorization endpoint.
    pub authorize_url: String,
    /// The token endpoint.
    pub token_url: String,
    /// The device authorization endpoint (RFC 8628), for tools without a browser of their
    /// own (the council's admin and report tools); `None` where the authority has none.
    pub device_authorization_url: Option<String>,
    /// The app's (public) client id.
    pub client_id: String,
    /// Scopes, space-separated.
    pub scopes: String,
    /// The tenant the member must belong to (Entra's `tid`): a sign-in whose ID token names
    /// another tenant, or none, is refused. `None` trusts whatever the authority answers.
    pub tenant: Option<String>,
}

impl SignInConfig {
    /// Entra ID v2.0 endpoints under `authority` (e.g. `https://login.microsoftonline.com/{tenant}`).
    pub fn entra(authority: &str, client_id: &str) -> Self {
        let a = authority.trim_end_matches('/');
        Self {
            authorize_url: format!("{a}/oauth2/v2.0/authorize"),
            token_url: format!("{a}/oauth2/v2.0/token"),
            device_authorization_url: Some(format!("{a}/oauth2/v2.0/devicecode")),
            client_id: client_id.to_owned(),
            scopes: DEFAULT_SCOPES.to_owned(),
            tenant: tenant_of(a),
        }
    }
}

/// The tenant an Entra authority names (`…/{tenant}`), unless it is one of the shared
/// endpoints that accept many tenants, or a domain name (which the ID token does not carry).
fn tenant_of(authority: &str) -> Option<String> {
    let last = url::Url::parse(authority).ok()?.path_segments()?.rev().find(|s| !s.is_empty())?.to_owned();
    let shared = ["common", "organizations", "consumers"].iter().any(|s| last.eq_ignore_ascii_case(s));
    (!shared && !last.contains('.')).then_some(last)
}

/// The `tid` claim of an ID token. The token came straight from the token endpoint over TLS,
/// which OpenID Connect Core (3.1.3.7) accepts in place of checking its signature.
fn tenant_claim(id_token: &str) -> Option<String> {
    use base64::Engine as _;
    let payload = id_token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    claims.get("tid")?.as_str().map(str::to_owned)
}

/// Why signing in failed, in terms a member can act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInProblem {
    /// The member cancelled or declined.
    Cancelled,
    /// The session has ended (expired, revoked, password changed): sign in again.
    SessionExpired,
    /// The account is disabled (AADSTS50057) or no longer exists in the tenant (AADSTS50034).
    /// Only these two: a locked-out account (50053) or a changed password (50173, 50133) is
    /// the member's own and passes; a departed member's is not.
    AccountGone,
    /// The council requires multi-factor authentication (or registering for it) first.
    MfaRequired,
    /// The phone does not meet the council's device rules.
    DeviceNotCompliant,
    /// A council access policy blocks sign-in from here.
    BlockedByPolicy,
    /// An administrator must approve the app first.
    ConsentRequired,
    /// The answer from the browser did not belong to this sign-in (possible tampering).
    StateMismatch,
    /// The account signed in belongs to another organisation, not the council.
    WrongTenant,
    /// The sign-in service could not be reached.
    Offline,
    /// Anything else.
    Other,
}

impl SignInProblem {
    /// What to tell the member, in plain British English.
    pub fn message(self) -> &'static str {
        match self {
            Self::Cancelled => "Sign-in was cancelled. You can try again when you are ready.",
            Self::SessionExpired => "Your council sign-in has expired. Please sign in again.",
            Self::AccountGone => "Your council account is disabled or no longer exists. Please contact the ICT service desk.",
            Self::MfaRequired => "Your council needs you to confirm it is you with a second step (such as the Authenticator app). Sign in again and follow the prompts.",
            Self::DeviceNotCompliant => "This phone does not meet your council's security rules yet. Please contact the ICT service desk.",
            Self::BlockedByPolicy => "Your council's security policy is blocking sign-in from here. Please contact the ICT service desk.",
            Self::ConsentRequired => "Your council has not yet approved Member Companion. Please contact the ICT service desk.",
            Self::StateMismatch => "The sign-in could not be confirmed. Please start again from the app.",
            Self::WrongTenant => "That account is not your council account. Sign in with the account your council gave you.",
            Self::Offline => "You seem to be offline. Sign in again when you have a connection.",
            Self::Other => "Sign-in did not work. Please try again, and contact the ICT service desk if it keeps happening.",
        }
    }

    /// From an OAuth2 error and Entra's AADSTS number (found in `error_description`).
    pub fn from_oauth(error: &str, description: Option<&str>) -> (Self, Option<u32>) {
        let code = description
            .and_then(|d| d.strip_prefix("AADSTS"))
            .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
            .and_then(|n| n.parse().ok());
        let problem = match code {
            Some(50057 | 50034) => Self::AccountGone,
            Some(50076 | 50079) => Self::MfaRequired,
            Some(53000 | 53001) => Self::DeviceNotCompliant,
            Some(53002 | 53003) => Self::BlockedByPolicy,
            Some(65001) => Self::ConsentRequired,
            Some(65004) => Self::Cancelled,
            Some(70008 | 700082 | 50173 | 70000 | 54005 | 9002313) => Self::SessionExpired,
            // Entra's name for a device code the person declined; RFC 8628's is access_denied.
            _ if error == "authorization_declined" => Self::Cancelled,
            _ => match error {
                "access_denied" => Self::Cancelled,
                "invalid_grant" | "interaction_required" | "login_required" => Self::SessionExpired,
                "consent_required" => Self::ConsentRequired,
                _ => Self::Other,
            },
        };
        (problem, code)
    }
}

/// A failed sign-in or token renewal.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}", problem.message())]
pub struct SignInError {
    /// What kind of failure.
    pub problem: SignInProblem,
    /// Entra's AADSTS number, when there was one.
    pub aadsts: Option<u32>,
    /// What went wrong, for the engineers' log: never a token, a code or a verifier.
    pub detail: Option<String>,
}

impl SignInError {
    fn because(problem: SignInProblem, detail: impl std::fmt::Display) -> Self {
        Self { problem, aadsts: None, detail: Some(detail.to_string()) }
    }
}

/// Tokens from one exchange.
#[derive(Debug)]
pub struct TokenSet {
    /// For Graph; kept only in memory.
    pub access_token: Secret,
    /// When the access token stops working (a little early, to be safe).
    pub expires_at: Instant,
    /// The newest refresh token: store it in the keyring, replacing the old one.
    pub refresh_token: Option<Secret>,
}

/// A sign-in under way: the URL to open in the system browser, and what is needed to finish.
#[derive(Debug)]
pub struct PendingSignIn {
    /// Open this in the system browser (never an embedded webview).
    pub authorize_url: url::Url,
    state: CsrfToken,
    verifier: PkceCodeVerifier,
    redirect_uri: String,
}

impl PendingSignIn {
    /// Tells whether a URL that came back to the app answers *this* sign-in (its `state` is
    /// this one's). Anything else reaching the redirect (a stale tab, a page that knows the
    /// port or the app's scheme) is ignored and the wait goes on, so it cannot cancel a
    /// sign-in under way.
    pub fn answered_by(&self) -> impl Fn(&url::Url) -> bool + Send + Sync + 'static {
        let state = self.state.secret().clone();
        move |url: &url::Url| url.query_pairs().filter(|(k, _)| k == "state").any(|(_, v)| v == state.as_str())
    }
}

/// The token endpoint's answer: the standard fields, and the ID token that names the tenant.
type TokenAnswer = StandardTokenResponse<IdTokenField, BasicTokenType>;

#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
struct IdTokenField {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id_token: Option<String>,
}

impl oauth2::ExtraTokenFields for IdTokenField {}

type OAuthClient<Auth, Token> = oauth2::Client<
    BasicErrorResponse,
    TokenAnswer,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    Auth,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    Token,
>;
type Client = OAuthClient<EndpointSet, EndpointSet>;

/// A device code sign-in waiting for its person (RFC 8628).
pub struct DeviceCodeSignIn {
    details: StandardDeviceAuthorizationResponse,
}

impl DeviceCodeSignIn {
    /// The code the person enters.
    pub fn user_code(&self) -> &str {
        self.details.user_code().secret()
    }
    /// Where they enter it.
    pub fn verification_uri(&self) -> &str {
        self.details.verification_uri().as_str()
    }
    /// How long the code lasts.
    pub fn expires_in(&self) -> Duration {
        self.details.expires_in()
    }
}

impl std::fmt::Debug for DeviceCodeSignIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceCodeSignIn").field("verification_uri", &self.verification_uri()).finish_non_exhaustive()
    }
}

/// Signs members in and renews their tokens.
pub struct SignIn {
    config: SignInConfig,
    http: reqwest::Client,
    meter: std::sync::Arc<dyn crate::Meter>,
    network: std::sync::Arc<dyn crate::NetworkProbe>,
}

fn token_error<E: std::error::Error, T: oauth2::ErrorResponseType + AsRef<str> + std::fmt::Display>(
    e: RequestTokenError<E, StandardErrorResponse<T>>,
) -> SignInError {
    match e {
        RequestTokenError::ServerResponse(r) => {
            let (problem, aadsts) =
                SignInProblem::from_oauth(r.error().as_ref(), r.error_description().map(String::as_str));
            SignInError { problem, aadsts, detail: Some(format!("the token endpoint answered {}", r.error().as_ref())) }
        }
        RequestTokenError::Request(e) => {
            SignInError::because(SignInProblem::Offline, format_args!("the token endpoint could not be reached: {e}"))
        }
        // oauth2's parse errors quote no body, only where the JSON went wrong.
        RequestTokenError::Parse(e, _) => {
            SignInError::because(SignInProblem::Other, format_args!("the token response did not parse at {}", e.path()))
        }
        RequestTokenError::Other(e) => {
            SignInError::because(SignInProblem::Other, format_args!("the token exchange failed: {e}"))
        }
    }
}

impl SignIn {
    /// A sign-in for `config`.
    pub fn new(config: SignInConfig) -> Result<Self, SignInError> {
        let http = reqwest::Client::builder()
            // The token endpoint must never redirect us elsewhere (SSRF guard, per oauth2's advice).
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| SignInError::because(SignInProblem::Other, format_args!("no HTTP client: {e}")))?;
        Ok(Self {
            config,
            http,
            meter: std::sync::Arc::new(crate::NoMeter),
            network: std::sync::Arc::new(crate::FixedNetwork(crate::Network::Wifi)),
        })
    }

    /// Counts every token exchange's bytes on the wire as [`crate::Feature::SignIn`], so
    /// sign-in and renewals show in the data ledger like everything else.
    pub fn metered(
        mut self,
        meter: std::sync::Arc<dyn crate::Meter>,
        network: std::sync::Arc<dyn crate::NetworkProbe>,
    ) -> Self {
        self.meter = meter;
        self.network = network;
        self
    }

    /// The token endpoint's HTTP exchange, metered; oauth2 builds and parses the messages.
    async fn exchange(&self, request: oauth2::HttpRequest) -> Result<oauth2::HttpResponse, reqwest::Error> {
        let network = self.network.current();
        let head = |h: &http::HeaderMap| h.iter().map(|(k, v)| (k.as_str().len() + v.len() + 4) as u64).sum::<u64>();
        let up = (request.method().as_str().len() + request.uri().to_string().len() + 11) as u64
            + head(request.headers())
            + request.body().len() as u64;
        let (parts, body) = request.into_parts();
        let mut builder = self.http.request(parts.method, parts.uri.to_string()).body(body);
        for (k, v) in &parts.headers {
            builder = builder.header(k, v);
        }
        let result = async {
            let resp = builder.send().await?;
            let mut out = http::Response::builder().status(resp.status());
            for (k, v) in resp.headers() {
                out = out.header(k, v);
            }
            let headers = head(resp.headers());
            // A token answer is a few kilobytes: reading stops well past that, and what was
            // read then fails to parse rather than filling memory.
            let mut resp = resp;
            let mut bytes = Vec::new();
            while let Some(chunk) = resp.chunk().await? {
                bytes.extend_from_slice(&chunk);
                if bytes.len() > MAX_TOKEN_ANSWER {
                    break;
                }
            }
            Ok::<_, reqwest::Error>((out, headers, bytes))
        }
        .await;
        match result {
            Ok((out, headers, bytes)) => {
                self.meter.record(crate::Traffic {
                    feature: crate::Feature::SignIn,
                    network,
                    up,
                    down: 17 + headers + bytes.len() as u64,
                });
                // The builder only fails on invalid parts, and these came from a valid response.
                Ok(out.body(bytes).unwrap_or_default())
            }
            Err(e) => {
                self.meter.record(crate::Traffic { feature: crate::Feature::SignIn, network, up, down: 0 });
                Err(e)
            }
        }
    }

    fn client(&self, redirect_uri: &str) -> Result<Client, SignInError> {
        let bad = |e: url::ParseError| {
            SignInError::because(
                SignInProblem::Other,
                format_args!("a sign-in address in the configuration is not a URL: {e}"),
            )
        };
        Ok(OAuthClient::<EndpointNotSet, EndpointNotSet>::new(ClientId::new(self.config.client_id.clone()))
            .set_auth_uri(AuthUrl::new(self.config.authorize_url.clone()).map_err(bad)?)
            .set_token_uri(TokenUrl::new(self.config.token_url.clone()).map_err(bad)?)
            .set_redirect_uri(RedirectUrl::new(redirect_uri.to_owned()).map_err(bad)?))
    }

    /// Starts a sign-in that will come back to `redirect_uri`.
    pub fn begin(&self, redirect_uri: &str) -> Result<PendingSignIn, SignInError> {
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let client = self.client(redirect_uri)?;
        let (authorize_url, state) = client
            .authorize_url(CsrfToken::new_random)
            .add_scopes(self.config.scopes.split_whitespace().map(|s| Scope::new(s.to_owned())))
            .set_pkce_challenge(challenge)
            .url();
        Ok(PendingSignIn { authorize_url, state, verifier, redirect_uri: redirect_uri.to_owned() })
    }

    /// Finishes a sign-in from the URL the browser was sent back to.
    pub async fn complete(&self, pending: PendingSignIn, callback: &url::Url) -> Result<TokenSet, SignInError> {
        let param = |name: &str| callback.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned());
        if param("state").as_deref() != Some(pending.state.secret().as_str()) {
            return Err(SignInError::because(
                SignInProblem::StateMismatch,
                "the browser came back with a different state",
            ));
        }
        if let Some(error) = param("error") {
            let (problem, aadsts) = SignInProblem::from_oauth(&error, param("error_description").as_deref());
            return Err(SignInError {
                problem,
                aadsts,
                detail: Some(format!("the authorize endpoint answered {error}")),
            });
        }
        let code = param("code")
            .ok_or_else(|| SignInError::because(SignInProblem::Other, "the browser came back without a code"))?;
        let client = self.client(&pending.redirect_uri)?;
        let response = client
            .exchange_code(AuthorizationCode::new(code))
            .set_pkce_verifier(pending.verifier)
            .request_async(&MeteredHttp(self))
            .await
            .map_err(token_error)?;
        self.check_tenant(&response, true)?;
        Ok(tokens(&response))
    }

    /// Starts a device code sign-in (RFC 8628) for a tool with no browser of its own: the
    /// person opens the address on any device and enters the code, then [`Self::finish_device_code`]
    /// waits for them.
    pub async fn begin_device_code(&self) -> Result<DeviceCodeSignIn, SignInError> {
        let url =
            self.config.device_authorization_url.clone().ok_or_else(|| {
                SignInError::because(SignInProblem::Other, "this authority has no device code endpoint")
            })?;
        let url = DeviceAuthorizationUrl::new(url).map_err(|e| {
            SignInError::because(SignInProblem::Other, format_args!("the device code address is not a URL: {e}"))
        })?;
        let client = self.client("http://127.0.0.1/callback")?.set_device_authorization_url(url);
        let details: StandardDeviceAuthorizationResponse = client
            .exchange_device_code()
            .add_scopes(self.config.scopes.split_whitespace().map(|s| Scope::new(s.to_owned())))
            .request_async(&MeteredHttp(self))
            .await
            .map_err(token_error)?;
        Ok(DeviceCodeSignIn { details })
    }

    /// Waits (polling as the authority asks, at most until the code expires) for the person to
    /// enter the code, and redeems it.
    pub async fn finish_device_code(&self, pending: DeviceCodeSignIn) -> Result<TokenSet, SignInError> {
        let client = self.client("http://127.0.0.1/callback")?;
        let response = client
            .exchange_device_access_token(&pending.details)
            .request_async(&MeteredHttp(self), tokio::time::sleep, None)
            .await
            .map_err(token_error)?;
        self.check_tenant(&response, true)?;
        Ok(tokens(&response))
    }

    /// Renews the access token with a refresh token; the answer carries the newest refresh
    /// token, which must replace the old one.
    pub async fn refresh(&self, refresh_token: &Secret) -> Result<TokenSet, SignInError> {
        let client = self.client("http://127.0.0.1/callback")?;
        let response = client
            .exchange_refresh_token(&RefreshToken::new(refresh_token.expose().to_owned()))
            .add_scopes(self.config.scopes.split_whitespace().map(|s| Scope::new(s.to_owned())))
            .request_async(&MeteredHttp(self))
            .await
            .map_err(token_error)?;
        self.check_tenant(&response, false)?;
        Ok(tokens(&response))
    }

    /// Refuses tokens for another tenant: at sign-in the ID token must name the council's;
    /// a renewal (bound to the tenant it was issued in) is checked when it carries one.
    fn check_tenant(&self, answer: &TokenAnswer, required: bool) -> Result<(), SignInError> {
        let Some(expected) = &self.config.tenant else { return Ok(()) };
        match answer.extra_fields().id_token.as_deref().map(tenant_claim) {
            Some(Some(tid)) if tid.eq_ignore_ascii_case(expected) => Ok(()),
            None if !required => Ok(()),
            Some(Some(_)) => Err(SignInError::because(SignInProblem::WrongTenant, "the ID token names another tenant")),
            Some(None) => Err(SignInError::because(SignInProblem::WrongTenant, "the ID token names no tenant")),
            None => Err(SignInError::because(SignInProblem::WrongTenant, "no ID token came with the sign-in")),
        }
    }
}

/// The most of a token endpoint's answer that is read.
const MAX_TOKEN_ANSWER: usize = 256 * 1024;

/// oauth2's HTTP client for the token endpoint: [`SignIn::exchange`], boxed so the future is `Send`.
struct MeteredHttp<'a>(&'a SignIn);

impl<'c> oauth2::AsyncHttpClient<'c> for MeteredHttp<'_> {
    type Error = reqwest::Error;
    type Future =
        std::pin::Pin<Box<dyn std::future::Future<Output = Result<oauth2::HttpResponse, reqwest::Error>> + Send + 'c>>;

    fn call(&'c self, request: oauth2::HttpRequest) -> Self::Future {
        Box::pin(self.0.exchange(request))
    }
}

/// The longest an access token is trusted, whatever `expires_in` says (Entra's are about an
/// hour; a day is generous, and a huge number from outside must not overflow `Instant`).
const LONGEST_TOKEN_LIFE: Duration = Duration::from_secs(24 * 3600);

/// When a token said to live `expires_in` is renewed: a minute early, so a request never
/// leaves with a token about to expire, and never later than [`LONGEST_TOKEN_LIFE`].
fn renew_at(now: Instant, expires_in: Option<Duration>) -> Instant {
    let life =
        expires_in.unwrap_or(Duration::from_secs(3600)).min(LONGEST_TOKEN_LIFE).saturating_sub(Duration::from_secs(60));
    now.checked_add(life).unwrap_or(now)
}

fn tokens(r: &TokenAnswer) -> TokenSet {
    TokenSet {
        access_token: Secret::new(r.access_token().secret().clone()),
        expires_at: renew_at(Instant::now(), r.expires_in()),
        refresh_token: r.refresh_token().map(|t| Secret::new(t.secret().clone())),
    }
}

/// The desktop's redirect target: a one-shot listener on a free loopback port (RFC 8252 §7.3).
pub struct LoopbackRedirect {
    listener: TcpListener,
    port: u16,
}

impl LoopbackRedirect {
    /// Listens on `127.0.0.1` on a free port.
    pub async fn bind() -> std::io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let port = listener.local_addr()?.port();
        Ok(Self { listener, port })
    }

    /// The redirect URI to register in the request (`http://127.0.0.1:{port}/callback`).
    pub fn redirect_uri(&self) -> String {
        format!("http://127.0.0.1:{}/callback", self.port)
    }

    /// Waits for the browser to come back with a callback that `answers` accepts (see
    /// [`PendingSignIn::answered_by`]), answers it with a page that says to return to the app,
    /// and gives the full callback URL. Other paths (a favicon), callbacks for another sign-in
    /// and connections that send nothing within a few seconds are turned away; the wait goes on.
    pub async fn wait(self, answers: impl Fn(&url::Url) -> bool) -> std::io::Result<url::Url> {
        loop {
            let (mut stream, _) = self.listener.accept().await?;
            let mut buf = vec![0u8; 8192];
            // A connection that holds the listener without sending cannot stall the sign-in.
            let n = match tokio::time::timeout(Duration::from_secs(5), stream.read(&mut buf)).await {
                Ok(Ok(n)) => n,
                Ok(Err(_)) | Err(_) => continue,
            };
            let head = String::from_utf8_lossy(&buf[..n]);
            let target = head.lines().next().and_then(|l| l.split_whitespace().nth(1)).unwrap_or("/");
            if !target.starts_with("/callback") {
                let _ =
                    stream.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").await;
                continue;
            }
            let Ok(callback) = url::Url::parse(&format!("http://127.0.0.1:{}{target}", self.port)) else { continue };
            if !answers(&callback) {
                let page = "<!doctype html><html lang=\"en-GB\"><meta charset=\"utf-8\"><title>Member Companion</title><body style=\"font-family:system-ui,sans-serif;margin:3rem\"><h1>This is not the sign-in Member Companion is waiting for</h1><p>Return to Member Companion and sign in from there.</p></body></html>";
                let reply = format!("HTTP/1.1 400 Bad Request\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\nCache-Control: no-store\r\n\r\n{page}", page.len());
                let _ = stream.write_all(reply.as_bytes()).await;
                let _ = stream.shutdown().await;
                continue;
            }
            let page = "<!doctype html><html lang=\"en-GB\"><meta charset=\"utf-8\"><title>Member Companion</title><body style=\"font-family:system-ui,sans-serif;margin:3rem\"><h1>You can return to Member Companion</h1><p>Sign-in has finished. You can close this tab.</p></body></html>";
            let reply = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\nCache-Control: no-store\r\n\r\n{page}", page.len());
            let _ = stream.write_all(reply.as_bytes()).await;
            let _ = stream.shutdown().await;
            return Ok(callback);
        }
    }
}

/// Persists the newest refresh token (the app passes one that writes the OS keyring).
pub type KeepRefreshToken = Box<dyn Fn(&Secret) -> Result<(), String> + Send + Sync>;

/// A signed-in session as a [`crate::TokenSource`]: it hands out the access token while it is
/// valid, renews it with the refresh token when it is not, and stores every new refresh token
/// through `keep` before using it, so the newest is always the one kept.
pub struct SessionTokens {
    signin: SignIn,
    access: std::sync::Mutex<Option<(String, Instant)>>,
    refresh: tokio::sync::Mutex<Secret>,
    keep: KeepRefreshToken,
}

impl SessionTokens {
    /// A session from a completed sign-in; its refresh token is kept at once.
    pub fn new(signin: SignIn, tokens: TokenSet, keep: KeepRefreshToken) -> Result<Self, SignInError> {
        let refresh = tokens.refresh_token.ok_or_else(|| {
            SignInError::because(
                SignInProblem::Other,
                "the token response has no refresh token (is offline_access granted?)",
            )
        })?;
        keep(&refresh).map_err(|e| {
            SignInError::because(SignInProblem::Other, format_args!("the refresh token could not be kept: {e}"))
        })?;
        let access = Some((tokens.access_token.expose().to_owned(), tokens.expires_at));
        Ok(Self { signin, access: std::sync::Mutex::new(access), refresh: tokio::sync::Mutex::new(refresh), keep })
    }

    /// A session resumed from a stored refresh token (the app's next start).
    pub fn resume(signin: SignIn, refresh: Secret, keep: KeepRefreshToken) -> Self {
        Self { signin, access: std::sync::Mutex::new(None), refresh: tokio::sync::Mutex::new(refresh), keep }
    }

    fn valid_access(&self) -> Option<String> {
        let guard = self.access.lock().unwrap_or_else(|e| e.into_inner());
        guard.as_ref().filter(|(_, until)| *until > Instant::now()).map(|(t, _)| t.clone())
    }

    async fn renew(&self) -> Result<String, crate::GraphError> {
        let mut refresh = self.refresh.lock().await;
        // Another task may have renewed while this one waited for the lock.
        if let Some(t) = self.valid_access() {
            return Ok(t);
        }
        let tokens = self.signin.refresh(&refresh).await.map_err(|e| match (e.problem, e.aadsts) {
            (SignInProblem::Offline, _) => {
                crate::GraphError::Network("the sign-in service could not be reached".into())
            }
            (SignInProblem::AccountGone, Some(aadsts)) => crate::GraphError::AccountGone { aadsts },
            _ => crate::GraphError::SignInRequired,
        })?;
        if let Some(newest) = tokens.refresh_token {
            (self.keep)(&newest).map_err(|_| crate::GraphError::SignInRequired)?;
            *refresh = newest;
        }
        let access = tokens.access_token.expose().to_owned();
        *self.access.lock().unwrap_or_else(|e| e.into_inner()) = Some((access.clone(), tokens.expires_at));
        Ok(access)
    }
}

impl crate::TokenSource for SessionTokens {
    fn token(
        &self,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<String, crate::GraphError>> + Send + '_>> {
        Box::pin(async move {
            match self.valid_access() {
                Some(t) => Ok(t),
                None => self.renew().await,
            }
        })
    }

    fn invalidate(&self) {
        *self.access.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entra_errors_map_to_plain_problems() {
        let cases = [
            (
                "interaction_required",
                "AADSTS50076: Due to a configuration change…",
                SignInProblem::MfaRequired,
                Some(50076),
            ),
            ("interaction_required", "AADSTS50079: …", SignInProblem::MfaRequired, Some(50079)),
            (
                "interaction_required",
                "AADSTS53000: Device is not in required device state",
                SignInProblem::DeviceNotCompliant,
                Some(53000),
            ),
            (
                "invalid_grant",
                "AADSTS53003: Access has been blocked by Conditional Access policies.",
                SignInProblem::BlockedByPolicy,
                Some(53003),
            ),
            (
                "invalid_grant",
                "AADSTS65001: The user or administrator has not consented",
                SignInProblem::ConsentRequired,
                Some(65001),
            ),
            (
                "invalid_grant",
                "AADSTS70008: The provided authorization code or refresh token has expired",
                SignInProblem::SessionExpired,
                Some(70008),
            ),
            (
                "invalid_grant",
                "AADSTS700082: The refresh token has expired due to inactivity.",
                SignInProblem::SessionExpired,
                Some(700082),
            ),
            ("invalid_grant", "grant request is invalid", SignInProblem::SessionExpired, None),
            ("access_denied", "", SignInProblem::Cancelled, None),
            ("invalid_grant", "AADSTS50057: User account is disabled.", SignInProblem::AccountGone, Some(50057)),
            (
                "invalid_grant",
                "AADSTS50034: The user account does not exist in the directory.",
                SignInProblem::AccountGone,
                Some(50034),
            ),
            (
                "invalid_grant",
                "AADSTS50173: The provided grant has expired due to it being revoked. The user might have changed or reset their password.",
                SignInProblem::SessionExpired,
                Some(50173),
            ),
            ("invalid_grant", "AADSTS50053: The account is locked.", SignInProblem::SessionExpired, Some(50053)),
        ];
        for (error, description, problem, code) in cases {
            assert_eq!(SignInProblem::from_oauth(error, Some(description)), (problem, code), "{description}");
        }
    }

    #[test]
    fn the_tenant_is_read_from_an_entra_authority_unless_it_is_shared_or_a_domain() {
        let t = |a: &str| tenant_of(a);
        assert_eq!(
            t("https://login.microsoftonline.com/0b8c4d2e-1111-4a2b-9c3d-abcdefabcdef").as_deref(),
            Some("0b8c4d2e-1111-4a2b-9c3d-abcdefabcdef")
        );
        assert_eq!(
            t("https://login.microsoftonline.com/0b8c4d2e-1111-4a2b-9c3d-abcdefabcdef/").as_deref(),
            Some("0b8c4d2e-1111-4a2b-9c3d-abcdefabcdef")
        );
        for shared in [
            "https://login.microsoftonline.com/organizations",
            "https://login.microsoftonline.com/common",
            "https://login.microsoftonline.com/council.onmicrosoft.com",
            "https://login.microsoftonline.com",
            "not a url",
        ] {
            assert_eq!(t(shared), None, "{shared}");
        }
    }

    #[test]
    fn the_tenant_claim_is_read_from_an_id_tokens_payload_and_garbage_names_none() {
        use base64::Engine as _;
        let enc = |v: serde_json::Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
        let token = format!(
            "{}.{}.sig",
            enc(serde_json::json!({"alg": "RS256"})),
            enc(serde_json::json!({"tid": "council-tenant"}))
        );
        assert_eq!(tenant_claim(&token).as_deref(), Some("council-tenant"));
        for bad in ["", "a.b.c", "only-one-part", &format!("x.{}.y", enc(serde_json::json!({"tid": 7})))] {
            assert_eq!(tenant_claim(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_secret_does_not_debug_print_itself() {
        assert_eq!(format!("{:?}", Secret::new("eyJ0eXAi.secret")), "Secret(…)");
    }

    #[test]
    fn a_token_life_from_outside_is_bounded_and_never_overflows() {
        let now = Instant::now();
        assert_eq!(renew_at(now, Some(Duration::from_secs(3600))), now + Duration::from_secs(3540));
        assert_eq!(renew_at(now, Some(Duration::MAX)), now + LONGEST_TOKEN_LIFE - Duration::from_secs(60));
        assert_eq!(renew_at(now, Some(Duration::ZERO)), now, "an expired token is renewed at once");
        assert_eq!(renew_at(now, None), now + Duration::from_secs(3540), "an hour when Entra does not say");
    }
}
