//! The HTTP client: bearer tokens, `Prefer` headers, gzip decoded by hand so the compressed
//! size can be metered, `Retry-After` obeyed (decimal seconds), exponential backoff with
//! jitter for 5xx and broken connections, at most four requests in flight per mailbox, and a
//! clear error after a bounded number of tries.

use crate::error::{Attempt, GraphError};
use backon::{ExponentialBuilder, Retryable};
use bytes::Bytes;
use reqwest::header::{
    HeaderMap, HeaderValue, ACCEPT_ENCODING, AUTHORIZATION, CONTENT_ENCODING, CONTENT_TYPE, RETRY_AFTER,
};
use reqwest::{Method, StatusCode};
use std::io::Read;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

/// Graph and Outlook allow four concurrent requests per app and mailbox.
pub const MAILBOX_CONCURRENCY: usize = 4;
/// The most an answer may hold, on the wire and decompressed, unless the request says
/// otherwise: well above Graph's largest page or `$batch` of twenty bodies, far below what
/// would strain a phone's memory (a 100 KB gzip bomb decompresses to gigabytes).
pub const MAX_ANSWER_BYTES: u64 = 96 * 1024 * 1024;
/// Tries per request, the first included.
pub const MAX_ATTEMPTS: u32 = 7;
/// The longest a member waiting for an answer waits on throttling before being told.
const MEMBER_WAIT: Duration = Duration::from_secs(2);
/// The time limit of one request a member waits for.
const MEMBER_TIMEOUT: Duration = Duration::from_secs(15);
/// The time limit of one download: a 150 MB agenda pack on a slow mobile signal takes many
/// minutes, so a download is limited by the signal going quiet ([`QUIET_LIMIT`]) instead.
const DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(3600);
/// How long an answer may send nothing before the connection is given up as broken.
const QUIET_LIMIT: Duration = Duration::from_secs(30);

/// What a byte was spent on, for the data ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Feature {
    /// Signing in and renewing tokens.
    SignIn,
    /// Folder lists and message headers.
    MailHeaders,
    /// Message bodies.
    MailBodies,
    /// Attachment content.
    Attachments,
    /// The calendar.
    Calendar,
    /// Contacts.
    Contacts,
    /// The council's directory (its people, for addresses and the directory screen).
    Directory,
    /// Surveys, support requests and usage reports.
    Evidence,
    /// The council's wipe requests, and the app's answer to one.
    Protection,
    /// Committee papers from the council's modern.gov: meetings, agendas and their documents.
    CommitteePapers,
}

impl Feature {
    /// The ledger's name for it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SignIn => "sign-in",
            Self::MailHeaders => "mail-headers",
            Self::MailBodies => "mail-bodies",
            Self::Attachments => "attachments",
            Self::Calendar => "calendar",
            Self::Contacts => "contacts",
            Self::Directory => "directory",
            Self::Evidence => "evidence",
            Self::Protection => "protection",
            Self::CommitteePapers => "committee-papers",
        }
    }
}

/// The kind of network a byte crossed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Network {
    /// Mobile data: counts against the allowance.
    Mobile,
    /// Wi-Fi.
    Wifi,
}

impl Network {
    /// The ledger's name for it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Mobile => "mobile",
            Self::Wifi => "wifi",
        }
    }
}

/// Bytes on the wire for one exchange: request line, headers and body up; status line,
/// headers and the body as sent (compressed) down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Traffic {
    /// What it was for.
    pub feature: Feature,
    /// Over which network.
    pub network: Network,
    /// Bytes sent.
    pub up: u64,
    /// Bytes received.
    pub down: u64,
}

/// Receives every exchange's byte count (the sync engine writes them to the vault's ledger).
pub trait Meter: Send + Sync {
    /// One exchange happened.
    fn record(&self, traffic: Traffic);
}

/// Tells which network the device is on now.
pub trait NetworkProbe: Send + Sync {
    /// The current network.
    fn current(&self) -> Network;
}

/// Gives the current access token, renewing it when asked.
pub trait TokenSource: Send + Sync {
    /// A valid access token (renewed first if it is about to expire).
    fn token(&self) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<String, GraphError>> + Send + '_>>;
    /// The token was refused: renew it before the next call.
    fn invalidate(&self);
}

/// One request, described before it is sent.
#[derive(Debug, Clone)]
pub struct GraphRequest {
    /// Method.
    pub method: Method,
    /// Absolute URL, or a path under the Graph root (`/me/…`).
    pub url: String,
    /// `Prefer` values.
    pub prefer: Vec<String>,
    /// JSON body.
    pub body: Option<serde_json::Value>,
    /// What it is for.
    pub feature: Feature,
    /// Someone is waiting for the answer (a member opened a message): fail fast rather than
    /// wait out the whole retry schedule. Background work leaves this false.
    pub member_waiting: bool,
    /// The most the answer may hold, on the wire and decompressed ([`MAX_ANSWER_BYTES`]
    /// unless set): reading stops there with [`GraphError::TooLarge`].
    pub max_answer: u64,
    /// A piece of a file for an upload session (see [`GraphRequest::upload_piece`]).
    pub upload: Option<UploadPiece>,
    /// The address authorises itself (an upload session's): the member's token stays home.
    pub own_authorisation: bool,
    /// `If-Match`: the version the change is meant for (`*` for any), as SharePoint's REST
    /// API requires of an update.
    pub if_match: Option<String>,
    /// `Accept`, where the service answers other than JSON by default (SharePoint's REST API
    /// answers Atom XML unless asked for JSON).
    pub accept: Option<&'static str>,
    /// A small file's whole content and its media type, sent with the member's token (a
    /// file written to their OneDrive by `PUT …:/content`).
    pub content: Option<(Bytes, &'static str)>,
}

/// A piece of a file, sent to an upload session's own address.
#[derive(Debug, Clone)]
pub struct UploadPiece {
    /// The bytes.
    pub bytes: Bytes,
    /// Where they go in the whole file: `bytes {first}-{last}/{total}`.
    pub content_range: String,
}

impl GraphRequest {
    /// A request with no body.
    pub fn new(method: Method, url: impl Into<String>, feature: Feature) -> Self {
        Self {
            method,
            url: url.into(),
            prefer: Vec::new(),
            body: None,
            feature,
            member_waiting: false,
            max_answer: MAX_ANSWER_BYTES,
            upload: None,
            own_authorisation: false,
            if_match: None,
            accept: None,
            content: None,
        }
    }
    /// A `GET` of an upload session's address: what it still expects (`nextExpectedRanges`).
    pub fn session_status(url: impl Into<String>, feature: Feature) -> Self {
        Self { own_authorisation: true, ..Self::new(Method::GET, url, feature) }
    }
    /// A `PUT` of `bytes`, which begin `offset` bytes into a file of `total`, to an upload
    /// session's `url`. The address carries its own authorisation (Graph's `uploadUrl`), so
    /// the member's token never goes with it; it must be `https` or this client's own Graph.
    /// A broken connection is not retried here: the piece may have arrived, and the session
    /// says what it still expects.
    pub fn upload_piece(url: impl Into<String>, bytes: Bytes, offset: u64, total: u64, feature: Feature) -> Self {
        let last = (offset + bytes.len() as u64).saturating_sub(1);
        Self {
            upload: Some(UploadPiece { content_range: format!("bytes {offset}-{last}/{total}"), bytes }),
            own_authorisation: true,
            ..Self::new(Method::PUT, url, feature)
        }
    }
    /// A `PUT` of a small file's whole `content` (under 4 MB, as Graph allows in one request)
    /// of type `media_type`. Sending it again writes the same file again, so it is retried
    /// like a `GET`.
    pub fn put_content(url: impl Into<String>, content: Bytes, media_type: &'static str, feature: Feature) -> Self {
        Self { content: Some((content, media_type)), ..Self::new(Method::PUT, url, feature) }
    }
    /// A GET.
    pub fn get(url: impl Into<String>, feature: Feature) -> Self {
        Self::new(Method::GET, url, feature)
    }
    /// A request with a JSON body.
    pub fn with_json(method: Method, url: impl Into<String>, body: serde_json::Value, feature: Feature) -> Self {
        Self { body: Some(body), ..Self::new(method, url, feature) }
    }
    /// Marks the request as one a member waits for: no retry after a dropped connection, no
    /// wait for a long `Retry-After`, and a shorter time limit.
    pub fn member_waiting(mut self, waiting: bool) -> Self {
        self.member_waiting = waiting;
        self
    }
    /// Caps the answer at `bytes` (an attachment whose size is known, say).
    pub fn max_answer(mut self, bytes: u64) -> Self {
        self.max_answer = bytes;
        self
    }
    /// Adds a `Prefer` value.
    /// Asks for the answer as `media_type`.
    pub fn accept(mut self, media_type: &'static str) -> Self {
        self.accept = Some(media_type);
        self
    }
    /// Changes the resource only if it is at `etag` (`*`: whatever version it is at).
    pub fn if_match(mut self, etag: impl Into<String>) -> Self {
        self.if_match = Some(etag.into());
        self
    }
    /// Adds a `Prefer` value.
    pub fn prefer(mut self, value: impl Into<String>) -> Self {
        self.prefer.push(value.into());
        self
    }
}

/// An answer that succeeded (2xx).
#[derive(Debug, Clone)]
pub struct GraphResponse {
    /// Status.
    pub status: StatusCode,
    /// Headers.
    pub headers: HeaderMap,
    /// Body, decompressed.
    pub body: Bytes,
}

impl GraphResponse {
    /// The body as JSON of type `T`.
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> Result<T, GraphError> {
        serde_json::from_slice(&self.body).map_err(|e| GraphError::Malformed(e.to_string()))
    }
}

/// The Graph client for one signed-in mailbox.
pub struct GraphClient {
    http: reqwest::Client,
    root: String,
    tokens: Arc<dyn TokenSource>,
    meter: Arc<dyn Meter>,
    network: Arc<dyn NetworkProbe>,
    mailbox: Semaphore,
    /// Graph throttles the whole mailbox: after a 429 nobody sends until this instant.
    throttled_until: Mutex<Option<Instant>>,
    backoff: ExponentialBuilder,
}

fn header_bytes(headers: &HeaderMap) -> u64 {
    headers.iter().map(|(k, v)| (k.as_str().len() + v.len() + 4) as u64).sum()
}

/// The longest wait a `Retry-After` is obeyed for; a longer but plausible one is cut to this.
const LONGEST_RETRY_AFTER: Duration = Duration::from_secs(300);
/// Past this a `Retry-After` is not a wait but nonsense (or an attempt to stall the app for
/// good): it is not believed, and the client's own backoff applies.
const ABSURD_RETRY_AFTER: Duration = Duration::from_secs(24 * 3600);

/// `Retry-After` as decimal seconds (Graph sends e.g. `2.128`) or an HTTP date. NaN,
/// infinite, negative and absurd values are not believed; plausible ones are capped.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let v = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    let wait = if let Ok(secs) = v.parse::<f64>() {
        if !secs.is_finite() || secs < 0.0 || secs > ABSURD_RETRY_AFTER.as_secs_f64() {
            return None;
        }
        Duration::from_secs_f64(secs)
    } else {
        let when = httpdate::parse_http_date(v).ok()?;
        when.duration_since(std::time::SystemTime::now()).unwrap_or_default()
    };
    (wait <= ABSURD_RETRY_AFTER).then(|| wait.min(LONGEST_RETRY_AFTER))
}

/// Whether `url` has the scheme, host and port of `root` (so it may carry the token).
fn same_origin(url: &str, root: &str) -> bool {
    match (url::Url::parse(url), url::Url::parse(root)) {
        (Ok(a), Ok(b)) => a.origin() == b.origin() && a.username().is_empty() && a.password().is_none(),
        _ => false,
    }
}

impl GraphClient {
    /// A client for the Graph root `root` (e.g. `https://graph.microsoft.com/v1.0`).
    pub fn new(
        root: &str,
        tokens: Arc<dyn TokenSource>,
        meter: Arc<dyn Meter>,
        network: Arc<dyn NetworkProbe>,
    ) -> Result<Self, GraphError> {
        let http = reqwest::Client::builder()
            // We ask for gzip and decode it ourselves, so the meter sees the bytes on the wire.
            .no_gzip()
            .connect_timeout(Duration::from_secs(15))
            .timeout(Duration::from_secs(120))
            .read_timeout(QUIET_LIMIT)
            .pool_max_idle_per_host(MAILBOX_CONCURRENCY)
            .build()
            .map_err(|e| GraphError::Network(e.to_string()))?;
        Ok(Self {
            http,
            root: root.trim_end_matches('/').to_owned(),
            tokens,
            meter,
            network,
            mailbox: Semaphore::new(MAILBOX_CONCURRENCY),
            throttled_until: Mutex::new(None),
            backoff: ExponentialBuilder::default()
                .with_min_delay(Duration::from_millis(200))
                .with_max_delay(Duration::from_secs(30))
                .with_max_times(MAX_ATTEMPTS as usize - 1)
                .with_jitter(),
        })
    }

    /// Sends a request, retrying what is worth retrying; a non-2xx answer that is final is an error.
    /// A refused token (401: the request was not acted on) is renewed and the request sent once more.
    pub async fn send(&self, req: &GraphRequest) -> Result<GraphResponse, GraphError> {
        match self.send_once(req).await {
            Err(GraphError::SignInRequired) => self.send_once(req).await,
            other => other,
        }
    }

    async fn send_once(&self, req: &GraphRequest) -> Result<GraphResponse, GraphError> {
        self.with_retries(req, || self.attempt(req)).await
    }

    /// Runs `op` (one try at `req`) until it succeeds, fails for good, or the tries run out.
    async fn with_retries<T, Fut>(&self, req: &GraphRequest, op: impl Fn() -> Fut) -> Result<T, GraphError>
    where
        Fut: std::future::Future<Output = Result<T, Attempt>>,
    {
        let attempts = std::sync::atomic::AtomicU32::new(0);
        let backoff = if req.member_waiting { self.backoff.with_max_times(1) } else { self.backoff };
        let result = (|| async {
            attempts.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            op().await
        })
        .retry(backoff)
        .sleep(tokio::time::sleep)
        // A POST whose connection broke may have taken effect: its caller must check before
        // trying again (the outbox does). Throttling and 5xx answers mean it did not. A member
        // waiting is told "offline" at once, and waits for Graph only briefly.
        .when(|a: &Attempt| {
            let network = matches!(a.error, GraphError::Network(_));
            let long_wait = a.retry_after.is_some_and(|w| w > MEMBER_WAIT);
            a.error.is_transient()
                && ((req.method != Method::POST && req.upload.is_none()) || !network)
                && !(req.member_waiting && (network || long_wait))
        })
        // Never retry before Graph said we may: take the longer of its Retry-After and our backoff.
        .adjust(|a: &Attempt, backoff: Option<Duration>| backoff.map(|b| a.retry_after.map_or(b, |ra| ra.max(b))))
        .await;
        result.map_err(|a| {
            let tries = attempts.load(std::sync::atomic::Ordering::Relaxed);
            match a.error {
                GraphError::Network(_) if req.method == Method::POST || req.upload.is_some() => a.error,
                e if e.is_transient() => GraphError::GaveUp { attempts: tries, last: e.to_string() },
                e => e,
            }
        })
    }

    /// Streams an answer (an attachment's content) to `sink` as it arrives, so a large one
    /// never sits whole in memory; at most `req.max_answer` bytes. It is retried like
    /// [`Self::send`] until the answer starts to flow; a break after that is returned, and the
    /// caller starts again. Asked for uncompressed: what is streamed is what was sent.
    pub async fn download(
        &self,
        req: &GraphRequest,
        sink: &mut (dyn FnMut(&[u8]) -> Result<(), GraphError> + Send),
    ) -> Result<u64, GraphError> {
        let opened = match self.with_retries(req, || self.open_flowing(req)).await {
            Err(GraphError::SignInRequired) => self.with_retries(req, || self.open_flowing(req)).await,
            other => other,
        }?;
        let Opened { slot: _slot, mut resp, up, network } = opened;
        let head = 17 + header_bytes(resp.headers());
        let record = |down: u64| self.meter.record(crate::Traffic { feature: req.feature, network, up, down });
        if resp.content_length().is_some_and(|n| n > req.max_answer) {
            record(head);
            return Err(GraphError::TooLarge { limit: req.max_answer });
        }
        let mut read = 0u64;
        let result = loop {
            match resp.chunk().await {
                Ok(Some(chunk)) => {
                    read += chunk.len() as u64;
                    if read > req.max_answer {
                        break Err(GraphError::TooLarge { limit: req.max_answer });
                    }
                    if let Err(e) = sink(&chunk) {
                        break Err(e);
                    }
                }
                Ok(None) => break Ok(read),
                Err(e) => break Err(GraphError::Network(format!("the answer was cut short: {e}"))),
            }
        };
        record(head + read);
        result
    }

    /// One try at a download: its answer open and flowing, or why not (an error answer is
    /// small, and is read and judged as any other).
    async fn open_flowing(&self, req: &GraphRequest) -> Result<Opened<'_>, Attempt> {
        let opened = self.open(req, true).await?;
        if opened.resp.status().is_success() {
            return Ok(opened);
        }
        match self.read_answer(req, opened).await {
            Err(attempt) => Err(attempt),
            Ok(_) => Err(Attempt { error: GraphError::Malformed("an answer that was not".into()), retry_after: None }),
        }
    }

    /// Whether a link from an answer (`@odata.nextLink`, `@odata.deltaLink`) leads back to
    /// this client's Graph: one that does not must never be kept, or every later request
    /// would be refused.
    pub fn is_own_link(&self, link: &str) -> bool {
        !link.starts_with("http") || same_origin(link, &self.root)
    }

    /// Sends and parses JSON.
    pub async fn json<T: serde::de::DeserializeOwned>(&self, req: &GraphRequest) -> Result<T, GraphError> {
        self.send(req).await?.json()
    }

    /// Waits while Graph has asked the whole mailbox to; a member waiting is not kept longer
    /// than [`MEMBER_WAIT`] (the answer is then "throttled").
    async fn wait_for_mailbox(&self, member_waiting: bool) -> Result<(), GraphError> {
        loop {
            let until = *self.throttled_until.lock().unwrap_or_else(|e| e.into_inner());
            match until {
                Some(t) if member_waiting && t > Instant::now() + MEMBER_WAIT => {
                    return Err(GraphError::Refused { status: 429, code: "TooManyRequests".into() });
                }
                Some(t) if t > Instant::now() => tokio::time::sleep_until(t.into()).await,
                _ => return Ok(()),
            }
        }
    }

    async fn attempt(&self, req: &GraphRequest) -> Result<GraphResponse, Attempt> {
        let opened = self.open(req, false).await?;
        self.read_answer(req, opened).await
    }

    /// Sends one try at `req` and waits for its answer's head, holding a mailbox slot until
    /// the answer is read. A `streamed` answer (a download) is asked for uncompressed and
    /// may take long, as long as it keeps coming.
    async fn open(&self, req: &GraphRequest, streamed: bool) -> Result<Opened<'_>, Attempt> {
        let fail = |error: GraphError| Attempt { error, retry_after: None };
        let slot = self.mailbox.acquire().await.map_err(|_| fail(GraphError::Network("client closed".into())))?;
        self.wait_for_mailbox(req.member_waiting).await.map_err(fail)?;
        let url = if req.url.starts_with("http") { req.url.clone() } else { format!("{}{}", self.root, req.url) };
        let mut builder = self.http.request(req.method.clone(), &url);
        if req.own_authorisation {
            // An upload session's address is Graph's answer, and authorises itself.
            if !(url.starts_with("https://") || same_origin(&url, &self.root)) {
                return Err(fail(GraphError::Malformed("an upload address that is not secure".into())));
            }
        } else {
            let token = self.tokens.token().await.map_err(fail)?;
            // A link from an answer (`@odata.nextLink`) is outside input: the token goes only
            // to the configured Graph origin.
            if !same_origin(&url, &self.root) {
                return Err(fail(GraphError::Malformed("a link pointed outside Microsoft Graph".into())));
            }
            builder = builder.header(AUTHORIZATION, format!("Bearer {token}"));
        }
        let mut builder = builder
            .header(ACCEPT_ENCODING, if streamed { "identity" } else { "gzip" })
            .header("client-request-id", uuid::Uuid::new_v4().to_string());
        if let Some(media_type) = req.accept {
            builder = builder.header("accept", media_type);
        }
        if let Some(etag) = &req.if_match {
            builder = builder.header("if-match", etag);
        }
        if !req.prefer.is_empty() {
            builder = builder.header("prefer", req.prefer.join(", "));
        }
        // A download takes as long as the file needs (a member waiting for it is told at once
        // when the connection fails, by the retry rules, not cut off by a short time limit).
        if streamed {
            builder = builder.timeout(DOWNLOAD_TIMEOUT);
        } else if req.member_waiting {
            builder = builder.timeout(MEMBER_TIMEOUT);
        }
        let body = req.body.as_ref().map(|b| b.to_string().into_bytes());
        if let Some(b) = &body {
            builder = builder.header(CONTENT_TYPE, "application/json").body(b.clone());
        }
        let mut body_len = body.as_ref().map_or(0, |b| b.len() as u64);
        if let Some((content, media_type)) = &req.content {
            builder = builder.header(CONTENT_TYPE, *media_type).body(content.clone());
            body_len = content.len() as u64;
        }
        if let Some(piece) = &req.upload {
            builder = builder
                .header(CONTENT_TYPE, "application/octet-stream")
                .header(reqwest::header::CONTENT_RANGE, piece.content_range.as_str())
                .body(piece.bytes.clone());
            body_len = piece.bytes.len() as u64;
        }
        let request = builder.build().map_err(|e| fail(GraphError::Network(e.to_string())))?;
        let up = (request.method().as_str().len() + url.len() + 11) as u64 + header_bytes(request.headers()) + body_len;
        let network = self.network.current();
        let result = self.http.execute(request).await;
        match result {
            Ok(resp) => Ok(Opened { slot, resp, up, network }),
            Err(e) => {
                self.meter.record(crate::Traffic { feature: req.feature, network, up, down: 0 });
                Err(fail(GraphError::Network(e.to_string())))
            }
        }
    }

    /// Reads an opened answer whole (capped, decompressed), meters it, and judges its status.
    async fn read_answer(&self, req: &GraphRequest, opened: Opened<'_>) -> Result<GraphResponse, Attempt> {
        let fail = |error: GraphError| Attempt { error, retry_after: None };
        let Opened { slot: _slot, resp, up, network } = opened;
        let status = resp.status();
        let headers = resp.headers().clone();
        let raw = read_capped(resp, req.max_answer).await;
        let wire = match &raw {
            Ok(b) => b.len() as u64,
            Err(Cut { read, .. }) => *read,
        };
        self.meter.record(crate::Traffic {
            feature: req.feature,
            network,
            up,
            down: 17 + header_bytes(&headers) + wire,
        });
        let raw = raw.map_err(|cut| fail(cut.error))?;
        let body = if headers.get(CONTENT_ENCODING).is_some_and(|v| v == HeaderValue::from_static("gzip")) {
            gunzip_capped(&raw, req.max_answer).map_err(fail)?
        } else {
            raw
        };
        if status.is_success() {
            return Ok(GraphResponse { status, headers, body });
        }
        let code = serde_json::from_slice::<crate::ErrorBody>(&body).map(|b| b.error.code).unwrap_or_default();
        let wait = retry_after(&headers);
        if status == StatusCode::TOO_MANY_REQUESTS {
            let until = Instant::now() + wait.unwrap_or(Duration::from_secs(1));
            let mut gate = self.throttled_until.lock().unwrap_or_else(|e| e.into_inner());
            *gate = Some(gate.map_or(until, |g| g.max(until)));
        }
        if status == StatusCode::UNAUTHORIZED {
            self.tokens.invalidate();
            return Err(fail(GraphError::SignInRequired));
        }
        if status == StatusCode::GONE
            || code.eq_ignore_ascii_case("syncStateNotFound")
            || code.eq_ignore_ascii_case("resyncRequired")
        {
            return Err(fail(GraphError::ResyncRequired));
        }
        Err(Attempt { error: GraphError::Refused { status: status.as_u16(), code }, retry_after: wait })
    }
}

/// An answer whose head has come; the mailbox slot is held until its body is read.
struct Opened<'a> {
    slot: tokio::sync::SemaphorePermit<'a>,
    resp: reqwest::Response,
    /// Bytes sent.
    up: u64,
    network: Network,
}

/// An answer whose reading stopped early: how much had crossed the wire, and why.
struct Cut {
    read: u64,
    error: GraphError,
}

/// Reads an answer chunk by chunk, stopping as soon as it passes `limit`, so a huge or
/// endless answer costs at most `limit` bytes of memory (and of the allowance).
async fn read_capped(mut resp: reqwest::Response, limit: u64) -> Result<Bytes, Cut> {
    if resp.content_length().is_some_and(|n| n > limit) {
        return Err(Cut { read: 0, error: GraphError::TooLarge { limit } });
    }
    let mut body = bytes::BytesMut::with_capacity(resp.content_length().unwrap_or(0) as usize);
    loop {
        match resp.chunk().await {
            Ok(Some(chunk)) => {
                if body.len() as u64 + chunk.len() as u64 > limit {
                    let read = (body.len() + chunk.len()) as u64;
                    return Err(Cut { read, error: GraphError::TooLarge { limit } });
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(body.freeze()),
            Err(e) => {
                let error = GraphError::Network(format!("the answer was cut short: {e}"));
                return Err(Cut { read: body.len() as u64, error });
            }
        }
    }
}

/// Decompresses a gzip answer, refusing one that grows past `limit` (a gzip bomb) and one
/// that is cut short or corrupt.
fn gunzip_capped(raw: &[u8], limit: u64) -> Result<Bytes, GraphError> {
    let mut out = Vec::with_capacity(raw.len().saturating_mul(4).min(limit as usize));
    flate2::read::GzDecoder::new(raw)
        .take(limit + 1)
        .read_to_end(&mut out)
        .map_err(|e| GraphError::Network(format!("the answer was cut short: {e}")))?;
    if out.len() as u64 > limit {
        return Err(GraphError::TooLarge { limit });
    }
    Ok(Bytes::from(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gzip(data: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        e.write_all(data).expect("test data");
        e.finish().expect("test data")
    }

    #[test]
    fn a_gzip_bomb_stops_at_the_limit_and_an_honest_answer_decompresses_whole() {
        let bomb = gzip(&vec![b'{'; 16 * 1024 * 1024]);
        assert!(bomb.len() < 100_000, "16 MiB of one byte compresses to {} bytes", bomb.len());
        assert!(matches!(gunzip_capped(&bomb, 1024 * 1024), Err(GraphError::TooLarge { limit: 1_048_576 })));
        let page = br#"{"value":[]}"#;
        assert_eq!(&gunzip_capped(&gzip(page), 1024).expect("test data")[..], page);
        assert_eq!(
            &gunzip_capped(&gzip(page), page.len() as u64).expect("test data")[..],
            page,
            "exactly at the limit is fine"
        );
    }

    #[test]
    fn a_truncated_or_corrupt_gzip_answer_is_a_cut_short_answer_not_a_panic() {
        let whole = gzip(br#"{"value":[{"id":"1"}]}"#);
        for cut in [0, 1, 10, whole.len() - 1] {
            assert!(matches!(gunzip_capped(&whole[..cut], 1024), Err(GraphError::Network(_))), "cut at {cut}");
        }
        assert!(matches!(gunzip_capped(b"not gzip at all", 1024), Err(GraphError::Network(_))));
    }

    #[test]
    fn the_token_goes_only_to_the_graph_origin() {
        let root = "https://graph.microsoft.com/v1.0";
        assert!(same_origin("https://graph.microsoft.com/v1.0/me/messages/delta?$skiptoken=x", root));
        for foreign in [
            "https://attacker.example/v1.0/me",
            "http://graph.microsoft.com/v1.0/me",
            "https://graph.microsoft.com:8443/v1.0/me",
            "https://graph.microsoft.com.attacker.example/v1.0",
            "https://user@graph.microsoft.com/v1.0/me",
            "not a url",
        ] {
            assert!(!same_origin(foreign, root), "{foreign}");
        }
    }

    #[test]
    fn retry_after_reads_decimal_seconds_and_http_dates() {
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, HeaderValue::from_static("2.128"));
        assert_eq!(retry_after(&h), Some(Duration::from_millis(2128)));
        h.insert(RETRY_AFTER, HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"));
        assert_eq!(retry_after(&h), Some(Duration::ZERO), "a date in the past means now");
        h.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&h), None);
    }

    #[test]
    fn an_absurd_retry_after_is_not_believed_and_a_long_one_is_capped() {
        let wait = |v: &'static str| {
            let mut h = HeaderMap::new();
            h.insert(RETRY_AFTER, HeaderValue::from_static(v));
            retry_after(&h)
        };
        for absurd in ["NaN", "inf", "-inf", "-1", "1e400", "18446744073709551616", "Fri, 31 Dec 9999 23:59:59 GMT"] {
            assert_eq!(wait(absurd), None, "{absurd}");
        }
        assert_eq!(wait("3600"), Some(LONGEST_RETRY_AFTER));
        assert_eq!(wait("0"), Some(Duration::ZERO));
    }

    #[test]
    fn a_link_is_the_clients_own_only_on_its_graph_origin() {
        let client = GraphClient::new(
            "https://graph.microsoft.com/v1.0",
            Arc::new(StaticToken(crate::Secret::new("t"))),
            Arc::new(NoMeter),
            Arc::new(FixedNetwork(Network::Wifi)),
        )
        .expect("test data");
        assert!(client.is_own_link("https://graph.microsoft.com/v1.0/me/messages/delta?$deltatoken=1"));
        assert!(client.is_own_link("/me/messages/delta"), "a path under the root");
        assert!(!client.is_own_link("https://graph.attacker.example/v1.0/me/messages/delta"));
    }
}

/// A token that never changes: for tools and tests that signed in once (the app uses
/// [`crate::SessionTokens`]).
#[derive(Debug)]
pub struct StaticToken(pub crate::Secret);

impl TokenSource for StaticToken {
    fn token(&self) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<String, GraphError>> + Send + '_>> {
        Box::pin(async move { Ok(self.0.expose().to_owned()) })
    }
    fn invalidate(&self) {}
}

/// A device that is always on one network (desktop, where the member sets it; and tests).
#[derive(Debug, Clone, Copy)]
pub struct FixedNetwork(pub Network);

impl NetworkProbe for FixedNetwork {
    fn current(&self) -> Network {
        self.0
    }
}

/// A meter that counts nothing.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoMeter;

impl Meter for NoMeter {
    fn record(&self, _: Traffic) {}
}
