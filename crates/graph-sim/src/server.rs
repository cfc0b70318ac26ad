//! The HTTP server: binding, the routes and layers, connection-level faults, and the
//! library API that tests, benchmarks and the demo drive.

use crate::auth::{self, AuthState, MemberStanding};
use crate::clock::SimClock;
use crate::config::{FaultPlan, SimConfig, TokenFailure};
use crate::error::SimError;
use crate::faults::{self, FaultState, Sabotage};
use crate::graph;
use crate::odata::REQUEST_ID;
use crate::tenant::generate::Cast;
use crate::tenant::{ListItemSnapshot, SentMail, SharePoint, Tenant, TenantOverview, TenantSnapshot};
use crate::timeline::{self, TimelineReport};
use axum::body::Body;
use axum::extract::{Path, Query as AxumQuery, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use base64::Engine as _;

/// The largest message the deliver control takes: Exchange Online's default receive limit.
const DELIVER_LIMIT: usize = 36 * 1024 * 1024;
use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::body::Frame;
use hyper_util::rt::TokioIo;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, OnceLock, RwLock};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tower::ServiceExt;
use tower_http::compression::CompressionLayer;

pub use crate::faults::SimStats;

/// Shared state behind every handler.
pub(crate) struct Shared {
    pub config: SimConfig,
    pub clock: SimClock,
    pub tenant: RwLock<Tenant>,
    /// The council's sites, perhaps shared with other simulators. Taken after `tenant`
    /// where a handler needs both.
    pub sharepoint: Arc<RwLock<SharePoint>>,
    /// The council's modern.gov committee site (its papers published by the clock).
    pub committee_site: crate::moderngov::CommitteeSite,
    pub auth: Mutex<AuthState>,
    pub faults: FaultState,
    /// Requests for the pictures in messages (`/_sim/assets/...`): a test can tell whether a
    /// client loaded a remote image.
    pub asset_requests: std::sync::atomic::AtomicU64,
    pub(crate) cast: Cast,
    base_url: OnceLock<String>,
    router: OnceLock<Router>,
}

pub(crate) type AppState = Arc<Shared>;

impl Shared {
    pub fn base_url(&self) -> String {
        self.base_url.get().cloned().unwrap_or_default()
    }
    /// The full router, for `$batch` to run its items through.
    pub fn router(&self) -> Router {
        self.router.get().cloned().unwrap_or_default()
    }
}

/// What a member needs to sign in to the demo tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoCredentials {
    /// The tenant id in the authority URL.
    pub tenant_id: String,
    /// The public client id to present.
    pub client_id: String,
    /// `{base}/{tenant}`: append `/oauth2/v2.0/authorize` or `/token`.
    pub authority: String,
    /// `{base}/v1.0`.
    pub graph_base: String,
    /// The member the consent page signs in.
    pub member_name: String,
    /// Their address.
    pub member_mail: String,
    /// A redirect the tenant accepts (any loopback port, or the app's custom scheme).
    pub redirect_uri: String,
    /// The scopes Member Companion asks for.
    pub scopes: String,
}

/// A running simulator. Dropping it without [`GraphSim::shutdown`] leaves the server running
/// until the runtime ends.
pub struct GraphSim {
    shared: AppState,
    addr: SocketAddr,
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

async fn request_ids(req: Request, next: Next) -> Response {
    let id = uuid::Uuid::new_v4().to_string();
    let client = req.headers().get("client-request-id").cloned();
    let mut resp = REQUEST_ID.scope(id.clone(), next.run(req)).await;
    let h = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&id) {
        h.insert("request-id", v.clone());
        h.insert("client-request-id", client.unwrap_or(v));
    }
    h.insert("odata-version", HeaderValue::from_static("4.0"));
    h.entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static("no-cache"));
    resp
}

async fn not_found() -> Response {
    crate::odata::GraphError::new(StatusCode::BAD_REQUEST, "BadRequest", "Resource not found for the segment.")
        .into_response()
}

async fn newsletter_image(State(app): State<AppState>, Path(name): Path<String>) -> Response {
    app.asset_requests.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let seed = crc32fast::hash(name.as_bytes()) as u64;
    let png = if name.ends_with("-pixel.png") {
        crate::png::noisy_png(1, 1, seed, 0)
    } else {
        crate::png::noisy_png(560, 240, seed, 40)
    };
    ([(header::CONTENT_TYPE, "image/png")], png).into_response()
}

/// A message from outside the council, for tests (e.g. a hostile one).
#[derive(serde::Deserialize)]
struct DeliverParams {
    from_name: String,
    from_address: String,
    subject: String,
    html: String,
    /// Pictures the body shows by `cid:`, as a sender's mail program attaches them.
    #[serde(default)]
    inline: Vec<InlineParams>,
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct InlineParams {
    content_id: String,
    name: String,
    content_type: String,
    /// Base64, as Graph's `contentBytes`.
    content_bytes: String,
}

/// A picture delivered with a message as an inline attachment, shown by the body as
/// `cid:{content_id}` (a crest in a signature, a chart in a report).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlinePicture {
    /// The content id the body names.
    pub content_id: String,
    /// Its file name.
    pub name: String,
    /// Its MIME type, as the sender declared it.
    pub content_type: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

async fn deliver_endpoint(State(app): State<AppState>, axum::Json(p): axum::Json<DeliverParams>) -> Response {
    let mut pictures = Vec::with_capacity(p.inline.len());
    for i in p.inline {
        let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(&i.content_bytes) else {
            return (StatusCode::BAD_REQUEST, "contentBytes is not valid base64").into_response();
        };
        pictures.push(InlinePicture { content_id: i.content_id, name: i.name, content_type: i.content_type, bytes });
    }
    let id = deliver(&app, &p.from_name, &p.from_address, &p.subject, &p.html, pictures);
    axum::Json(serde_json::json!({ "id": id })).into_response()
}

#[derive(serde::Deserialize)]
struct NetworkParams {
    up: bool,
    /// Only requests of this method lose their connection (`PUT`: a file's upload).
    only: Option<String>,
}

/// `?up=false` makes every Graph request lose its connection (the council out of reach, as on
/// a train with no signal); `?up=false&only=PUT` only those of one method (the signal lost
/// while a file uploads); `?up=true` brings it back.
async fn network_endpoint(State(app): State<AppState>, AxumQuery(p): AxumQuery<NetworkParams>) -> Response {
    app.faults.set_plan(match (p.up, &p.only) {
        (true, _) => FaultPlan::none(),
        (false, None) => FaultPlan::only(1, 1.0, &[crate::config::FaultKind::ConnectionReset]),
        (false, Some(method)) => {
            FaultPlan::only(1, 1.0, &[crate::config::FaultKind::ConnectionReset]).on_method(method)
        }
    });
    axum::Json(serde_json::json!({ "up": p.up })).into_response()
}

/// Every calendar entry with the member's answer, for tests of the calendar.
async fn events_endpoint(State(app): State<AppState>) -> Response {
    let snapshot = app.tenant.read().unwrap_or_else(|e| e.into_inner()).snapshot();
    let events: Vec<_> = snapshot.events.iter().map(|(id, subject, response, cancelled)| serde_json::json!({"id": id, "subject": subject, "response": response, "cancelled": cancelled})).collect();
    axum::Json(events).into_response()
}

/// Mail that left the mailbox (recipients, subject, how), for tests of the outbox.
async fn sent_endpoint(State(app): State<AppState>) -> Response {
    let sent = app.tenant.read().unwrap_or_else(|e| e.into_inner()).sent.clone();
    let sent: Vec<_> =
        sent.iter()
            .map(|m| {
                let files: Vec<_> = m
                    .attachments
                    .iter()
                    .map(|(name, bytes)| {
                        use sha2::Digest as _;
                        serde_json::json!({"name": name, "size": bytes.len(), "sha256": format!("{:x}", sha2::Sha256::digest(bytes))})
                    })
                    .collect();
                serde_json::json!({"to": m.to, "cc": m.cc, "subject": m.subject, "via": m.via, "attachments": files})
            })
            .collect();
    axum::Json(sent).into_response()
}

/// The items of one of the trial's lists (by id or name), for tests of the evidence.
async fn list_endpoint(State(app): State<AppState>, Path(list): Path<String>) -> Response {
    let sp = app.sharepoint.read().unwrap_or_else(|e| e.into_inner());
    let items: Vec<_> = sp
        .site
        .list(&list)
        .map(|l| l.items.iter().map(|i| serde_json::Value::Object(i.fields.clone())).collect())
        .unwrap_or_default();
    axum::Json(items).into_response()
}

fn request_device_wipe(app: &AppState, device_code: &str) -> String {
    let now = app.clock.now();
    let mut sp = app.sharepoint.write().unwrap_or_else(|e| e.into_inner());
    let (name, mail, uid) = crate::auth::administrator();
    let author = sp.author(crate::auth::Principal::Administrator, uid, name, mail);
    let Some(list) = sp.site.list_mut("DeviceWipeRequests") else { return String::new() };
    let id = list.next_id;
    list.next_id += 1;
    let fields = serde_json::json!({
        "Title": format!("Wipe {device_code}"),
        "DeviceCode": device_code,
        "Status": "Requested",
        "RequestedBy": "ict@demoborough.example",
    });
    let serde_json::Value::Object(fields) = fields else { return String::new() };
    list.items.push(crate::tenant::ListItem { id, fields, created: now, modified: now, version: 1, author });
    id.to_string()
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct WipeRequestParams {
    device_code: String,
}

/// The council's ICT asks for a device's wipe (for the whole-flow tests).
async fn wipe_request_endpoint(State(app): State<AppState>, axum::Json(p): axum::Json<WipeRequestParams>) -> Response {
    axum::Json(serde_json::json!({ "id": request_device_wipe(&app, &p.device_code) })).into_response()
}

#[derive(serde::Deserialize)]
struct MemberParams {
    standing: MemberStanding,
}

/// `{"standing": "disabled" | "deleted" | "active"}`: the directory's administrators act.
async fn member_endpoint(State(app): State<AppState>, axum::Json(p): axum::Json<MemberParams>) -> Response {
    app.auth.lock().unwrap_or_else(|e| e.into_inner()).set_standing(p.standing);
    axum::Json(serde_json::json!({ "ok": true })).into_response()
}

/// Revokes every grant, as a password change does.
async fn revoke_endpoint(State(app): State<AppState>) -> Response {
    app.auth.lock().unwrap_or_else(|e| e.into_inner()).revoke_all();
    axum::Json(serde_json::json!({ "ok": true })).into_response()
}

fn deliver(
    app: &AppState,
    from_name: &str,
    from_address: &str,
    subject: &str,
    html: &str,
    pictures: Vec<InlinePicture>,
) -> String {
    let now = app.clock.now();
    let mut t = app.tenant.write().unwrap_or_else(|e| e.into_inner());
    let from = crate::content::Person { name: from_name.to_owned(), address: from_address.to_owned() };
    let attachments = pictures
        .into_iter()
        .map(|p| crate::tenant::Attachment {
            id: crate::ids::attachment_id(&crate::ids::core(&mut t.rng)),
            name: p.name,
            content_type: p.content_type,
            size: p.bytes.len(),
            is_inline: true,
            content_id: Some(p.content_id),
            modified: now,
            content: crate::tenant::AttachmentContent::Given(p.bytes),
        })
        .collect();
    let key = graph::mail::incoming(
        &mut t,
        crate::content::BodyKind::Casework,
        from,
        subject.to_owned(),
        now,
        attachments,
        None,
    );
    graph::mail::given_html(&mut t, &key, html)
}

#[derive(serde::Deserialize)]
struct AdvanceParams {
    hours: Option<i64>,
    minutes: Option<i64>,
}

async fn advance_endpoint(State(app): State<AppState>, AxumQuery(p): AxumQuery<AdvanceParams>) -> Response {
    let by = chrono::Duration::hours(p.hours.unwrap_or(0)) + chrono::Duration::minutes(p.minutes.unwrap_or(0));
    let report = advance(&app, by);
    axum::Json(serde_json::json!({"now": app.clock.now().to_rfc3339(), "messagesArrived": report.messages_arrived, "changes": report.changes.len()})).into_response()
}

async fn stats_endpoint(State(app): State<AppState>) -> Response {
    let s = app.faults.stats();
    axum::Json(serde_json::json!({
        "requests": s.requests, "throttled": s.throttled, "earlyRetries": s.early_retries,
        "concurrencyRejections": s.concurrency_rejections, "maxInFlight": s.max_in_flight, "resets": s.resets,
        "assetRequests": app.asset_requests.load(std::sync::atomic::Ordering::Relaxed),
    }))
    .into_response()
}

fn advance(app: &AppState, by: chrono::Duration) -> TimelineReport {
    let from = app.clock.now();
    app.clock.advance(by);
    let to = app.clock.now();
    let mut t = app.tenant.write().unwrap_or_else(|e| e.into_inner());
    timeline::run(&mut t, &app.cast, &app.config.timeline, from, to)
}

fn build_router(state: AppState) -> Router {
    let graph = graph::routes()
        .route_layer(middleware::from_fn_with_state(state.clone(), graph::require_bearer))
        .layer(middleware::from_fn_with_state(state.clone(), faults::inject));
    let uploads = graph::upload_routes().layer(middleware::from_fn_with_state(state.clone(), faults::inject));
    let oauth = Router::new()
        .route("/{tenant}/oauth2/v2.0/authorize", get(auth::authorize).post(auth::consent))
        .route("/{tenant}/oauth2/v2.0/token", post(auth::token))
        .route("/{tenant}/oauth2/v2.0/devicecode", post(auth::device_code))
        .route("/devicelogin", get(auth::device_login_page).post(auth::device_login))
        .route("/{tenant}/v2.0/.well-known/openid-configuration", get(auth::discovery));
    let sim = Router::new()
        .route("/_sim/health", get(|| async { "ok" }))
        .route("/_sim/advance", post(advance_endpoint))
        .route("/_sim/stats", get(stats_endpoint))
        .route("/_sim/assets/newsletter/{name}", get(newsletter_image))
        // A sender can send what Exchange Online takes (36 MB by default), not axum's 2 MB.
        .route("/_sim/deliver", post(deliver_endpoint).layer(axum::extract::DefaultBodyLimit::max(DELIVER_LIMIT)))
        .route("/_sim/network", post(network_endpoint))
        .route("/_sim/events", get(events_endpoint))
        .route("/_sim/sent", get(sent_endpoint))
        .route("/_sim/lists/{list}", get(list_endpoint))
        .route("/_sim/wipe-request", post(wipe_request_endpoint))
        .route("/_sim/member", post(member_endpoint))
        .route("/_sim/revoke", post(revoke_endpoint));
    Router::new()
        .merge(graph)
        .merge(uploads)
        .merge(oauth)
        .merge(sim)
        .merge(crate::moderngov::routes().layer(middleware::from_fn_with_state(state.clone(), faults::inject)))
        .fallback(not_found)
        .layer(middleware::from_fn(request_ids))
        .layer(CompressionLayer::new().gzip(true))
        .with_state(state)
}

/// Serves one request, then applies any connection-level sabotage the fault layer asked for.
async fn serve_one(router: Router, req: hyper::Request<hyper::body::Incoming>) -> Result<Response, std::io::Error> {
    let (mut parts, body) = req.into_parts();
    parts.uri = graph::function_form_as_path(parts.uri);
    let resp = match router.oneshot(hyper::Request::from_parts(parts, Body::new(body))).await {
        Ok(r) => r,
        Err(never) => match never {},
    };
    match resp.extensions().get::<Sabotage>().copied() {
        None => Ok(resp),
        // Returning an error makes hyper drop the connection without an answer.
        Some(Sabotage::Reset) => {
            Err(std::io::Error::new(std::io::ErrorKind::ConnectionReset, "injected connection reset"))
        }
        Some(Sabotage::Truncate) => {
            let (mut parts, body) = resp.into_parts();
            let whole = body.collect().await.map(|b| b.to_bytes()).unwrap_or_default();
            let half = whole.slice(..whole.len() / 2);
            if !parts.headers.contains_key(header::CONTENT_ENCODING) {
                parts.headers.insert(header::CONTENT_LENGTH, HeaderValue::from(whole.len()));
            }
            // Let the headers and the first half reach the client before the connection drops.
            let cut = futures_util::stream::once(async {
                tokio::time::sleep(std::time::Duration::from_millis(30)).await;
                Err::<Frame<Bytes>, _>(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "injected truncation"))
            });
            let frames = futures_util::StreamExt::chain(futures_util::stream::iter([Ok(Frame::data(half))]), cut);
            let body = Body::new(http_body_util::StreamBody::new(frames));
            Ok(Response::from_parts(parts, body))
        }
        Some(Sabotage::Dribble(over)) => {
            let (mut parts, body) = resp.into_parts();
            let whole = body.collect().await.map(|b| b.to_bytes()).unwrap_or_default();
            parts.headers.insert(header::CONTENT_LENGTH, HeaderValue::from(whole.len()));
            // Sixty-four pieces, whatever the size: the answer takes `over` to arrive.
            let piece = whole.len().div_ceil(64).max(1);
            let pause = over / 64;
            let pieces: Vec<Bytes> =
                (0..whole.len()).step_by(piece).map(|i| whole.slice(i..(i + piece).min(whole.len()))).collect();
            let frames = futures_util::StreamExt::then(futures_util::stream::iter(pieces), move |p| async move {
                tokio::time::sleep(pause).await;
                Ok::<_, std::io::Error>(Frame::data(p))
            });
            Ok(Response::from_parts(parts, Body::new(http_body_util::StreamBody::new(frames))))
        }
    }
}

impl GraphSim {
    /// Generates the tenant and starts serving on `config.listen` (port 0 picks a free port).
    pub async fn start(config: SimConfig) -> Result<Self, SimError> {
        config.validate()?;
        let listener = TcpListener::bind(&config.listen)
            .await
            .map_err(|source| SimError::Bind { addr: config.listen.clone(), source })?;
        let addr = listener.local_addr().map_err(|source| SimError::Bind { addr: config.listen.clone(), source })?;
        let (tenant, cast, own_sharepoint) = Tenant::generate(&config);
        let sharepoint = match &config.council {
            Some(council) => council.0.clone(),
            None => Arc::new(RwLock::new(own_sharepoint)),
        };
        let committee_site = crate::moderngov::CommitteeSite::generate(
            config.seed,
            config.start,
            &tenant.user.display_name,
            cast.ward,
            config.committee_seats,
        );
        let clock = if config.clock_running { SimClock::running(config.start) } else { SimClock::frozen(config.start) };
        let shared = Arc::new(Shared {
            faults: FaultState::new(config.faults.clone()),
            asset_requests: std::sync::atomic::AtomicU64::new(0),
            clock,
            tenant: RwLock::new(tenant),
            sharepoint,
            committee_site,
            auth: Mutex::new(AuthState::default()),
            cast,
            base_url: OnceLock::new(),
            router: OnceLock::new(),
            config,
        });
        let _ = shared.base_url.set(format!("http://{addr}"));
        let router = build_router(shared.clone());
        let _ = shared.router.set(router.clone());
        let (stop, mut stopped) = watch::channel(false);
        let task = tokio::spawn(async move {
            let mut connections = tokio::task::JoinSet::new();
            loop {
                tokio::select! {
                    _ = stopped.changed() => break,
                    accepted = listener.accept() => {
                        let Ok((stream, _)) = accepted else { continue };
                        let _ = stream.set_nodelay(true);
                        let router = router.clone();
                        connections.spawn(async move {
                            let service = hyper::service::service_fn(move |req| serve_one(router.clone(), req));
                            let _ = hyper::server::conn::http1::Builder::new()
                                .keep_alive(true)
                                .serve_connection(TokioIo::new(stream), service)
                                .await;
                        });
                    }
                    Some(_) = connections.join_next(), if !connections.is_empty() => {}
                }
            }
            // Stopping drops every open connection, as a server that goes away would.
            connections.abort_all();
        });
        Ok(Self { shared, addr, stop, task })
    }

    /// Stops serving and drops open connections.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }

    /// The socket address served.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
    /// `http://127.0.0.1:{port}`.
    pub fn base_url(&self) -> String {
        self.shared.base_url()
    }
    /// The Graph root, `{base}/v1.0`.
    pub fn graph_url(&self) -> String {
        format!("{}/v1.0", self.base_url())
    }
    /// The sign-in authority, `{base}/{tenant}`.
    pub fn authority(&self) -> String {
        format!("{}/{}", self.base_url(), self.shared.config.tenant_id)
    }

    /// What a client needs to sign in.
    pub fn credentials(&self) -> DemoCredentials {
        let t = self.shared.tenant.read().unwrap_or_else(|e| e.into_inner());
        DemoCredentials {
            tenant_id: self.shared.config.tenant_id.clone(),
            client_id: self.shared.config.client_id.clone(),
            authority: self.authority(),
            graph_base: self.graph_url(),
            member_name: t.user.display_name.clone(),
            member_mail: t.user.mail.clone(),
            redirect_uri: "http://127.0.0.1/callback".into(),
            scopes: "openid profile offline_access User.Read User.Read.All Mail.ReadWrite Mail.Send Calendars.ReadWrite Contacts.Read Files.ReadWrite Sites.Selected".into(),
        }
    }

    /// The simulated present.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.shared.clock.now()
    }

    /// The simulated present as a function, for a client's own clock in a simulated trial
    /// (its ledger and counts then follow the tenant's months, not the wall clock's).
    pub fn clock(&self) -> std::sync::Arc<dyn Fn() -> chrono::DateTime<chrono::Utc> + Send + Sync> {
        let shared = self.shared.clone();
        std::sync::Arc::new(move || shared.clock.now())
    }

    /// Moves the clock forward and lets that time happen to the tenant.
    pub fn advance(&self, by: chrono::Duration) -> TimelineReport {
        advance(&self.shared, by)
    }

    /// Every message, event, contact and folder, for comparison with a client's cache.
    pub fn snapshot(&self) -> TenantSnapshot {
        self.shared.tenant.read().unwrap_or_else(|e| e.into_inner()).snapshot()
    }

    /// The member, folders and newest inbox messages.
    pub fn overview(&self) -> TenantOverview {
        self.shared.tenant.read().unwrap_or_else(|e| e.into_inner()).overview()
    }

    /// The council's SharePoint this simulator serves, for another to join
    /// ([`SimConfig::joining`]): members of one council, each with their own mailbox, adding
    /// to the same trial lists.
    pub fn council_sharepoint(&self) -> crate::CouncilSharePoint {
        crate::CouncilSharePoint(self.shared.sharepoint.clone())
    }

    /// The council's modern.gov committee site: the address its web service
    /// (`mgWebService.asmx`) sits under.
    pub fn committee_site(&self) -> String {
        format!("{}/moderngov/", self.base_url())
    }

    /// Puts the member's committee meetings from today on in their calendar, as democratic
    /// services' invitations do: the committee's title, the meeting's time and place. Returns
    /// how many.
    pub fn invite_to_committee_meetings(&self) -> usize {
        use rand::SeedableRng as _;
        let now = self.now();
        let today = now.with_timezone(&chrono_tz::Europe::London).date_naive();
        let site = &self.shared.committee_site;
        let mut rng = rand::rngs::StdRng::seed_from_u64(self.shared.config.seed ^ 0x1c0d);
        let Some(organizer) = self.shared.cast.officers.first().map(|(p, ..)| p.clone()) else { return 0 };
        let mut t = self.shared.tenant.write().unwrap_or_else(|e| e.into_inner());
        let mut invited = 0;
        for m in site.meetings.iter().filter(|m| !m.cancelled && m.date >= today) {
            let Some(c) = site.committees.iter().find(|c| c.id == m.committee && c.member_sits) else { continue };
            let (h, min) = m.clock();
            let start = crate::tenant::generate::london(m.date, h, min);
            let event = t.new_event(
                &mut rng,
                c.title.to_owned(),
                start,
                start + chrono::Duration::hours(3),
                m.location,
                &organizer,
                &[],
                "none",
                false,
                now,
            );
            t.insert_event(event);
            invited += 1;
        }
        invited
    }

    /// A file in the member's OneDrive, by its path from the root (`None` if there is none).
    pub fn drive_file(&self, path: &str) -> Option<Vec<u8>> {
        let t = self.shared.tenant.read().unwrap_or_else(|e| e.into_inner());
        t.drive.get(&path.to_lowercase()).map(|f| f.content.clone())
    }

    /// The member's id on the committee site (their `lUserId`).
    pub fn committee_member_id(&self) -> u32 {
        self.shared.committee_site.member_id
    }

    /// The SharePoint site id of the trial's lists.
    pub fn site_id(&self) -> String {
        self.shared.sharepoint.read().unwrap_or_else(|e| e.into_inner()).site.id.clone()
    }

    /// Items delivered to a list, by list id or name (`MemberSurveys`, `SupportRequests`, `UsageReports`).
    pub fn list_items(&self, list: &str) -> Vec<ListItemSnapshot> {
        let sp = self.shared.sharepoint.read().unwrap_or_else(|e| e.into_inner());
        sp.site
            .list(list)
            .map(|l| {
                l.items
                    .iter()
                    .map(|i| ListItemSnapshot {
                        id: i.id.to_string(),
                        list: l.display_name.clone(),
                        fields: i.fields.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Mail that left the mailbox.
    pub fn sent_mail(&self) -> Vec<SentMail> {
        self.shared.tenant.read().unwrap_or_else(|e| e.into_inner()).sent.clone()
    }

    /// Fault and throttling counters so far.
    pub fn stats(&self) -> SimStats {
        self.shared.faults.stats()
    }

    /// Replaces the fault plan (e.g. to start a storm after sign-in).
    pub fn set_faults(&self, plan: FaultPlan) {
        self.shared.faults.set_plan(plan);
    }

    /// Makes the next token request fail with one of Entra's errors.
    pub fn force_token_failure(&self, failure: TokenFailure) {
        self.shared.auth.lock().unwrap_or_else(|e| e.into_inner()).force_failure(failure);
    }

    /// Revokes every grant, as a password change or "sign out everywhere" does.
    pub fn revoke_all_grants(&self) {
        self.shared.auth.lock().unwrap_or_else(|e| e.into_inner()).revoke_all();
    }

    /// Disables or deletes the member's account (or restores it); any other standing than
    /// active also revokes every grant.
    pub fn set_member_standing(&self, standing: MemberStanding) {
        self.shared.auth.lock().unwrap_or_else(|e| e.into_inner()).set_standing(standing);
    }

    /// Approves a waiting device code sign-in (its user code, as the tool shows it) as `who`,
    /// as a person would at `/devicelogin`; false if no such code is waiting.
    pub fn approve_device_code(&self, user_code: &str, who: crate::auth::Principal) -> bool {
        let now = self.shared.clock.now();
        self.shared.auth.lock().unwrap_or_else(|e| e.into_inner()).approve_device_code(user_code, who, now)
    }

    /// The address of the trial's site, as ICT knows it (`{hostname}:/sites/{path}`).
    pub fn site_address(&self) -> String {
        let sp = self.shared.sharepoint.read().unwrap_or_else(|e| e.into_inner());
        format!("demoborough.sharepoint.com:/sites/{}", sp.site.path)
    }

    /// The council's ICT asks for the device with `device_code` to be wiped: an item in the
    /// `DeviceWipeRequests` list, as its form would add. Returns the item's id.
    pub fn request_device_wipe(&self, device_code: &str) -> String {
        request_device_wipe(&self.shared, device_code)
    }

    /// Delivers a message from outside the council to the inbox, with `html` as its body
    /// exactly as given (e.g. a hostile one); returns its immutable id.
    pub fn deliver_html(&self, from_name: &str, from_address: &str, subject: &str, html: &str) -> String {
        deliver(&self.shared, from_name, from_address, subject, html, Vec::new())
    }

    /// As [`Self::deliver_html`], with `pictures` attached inline for the body to show by `cid:`.
    pub fn deliver_html_with_pictures(
        &self,
        from: (&str, &str),
        subject: &str,
        html: &str,
        pictures: Vec<InlinePicture>,
    ) -> String {
        deliver(&self.shared, from.0, from.1, subject, html, pictures)
    }

    /// Requests for pictures in messages so far.
    pub fn asset_requests(&self) -> u64 {
        self.shared.asset_requests.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Makes every delta token issued so far stale: the next use answers `410 Gone`.
    pub fn reset_delta_tokens(&self) {
        self.shared.tenant.write().unwrap_or_else(|e| e.into_inner()).epoch += 1;
    }
}
