//! Fault injection: Graph's throttling, outages and broken connections, drawn per request
//! from a seed so a failing run can be replayed.

use crate::config::{FaultKind, FaultPlan};
use crate::graph::BatchInner;
use crate::odata::GraphError;
use crate::server::AppState;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, RwLock};
use std::time::{Duration, Instant};

/// What a response should do to its connection, applied by the server loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sabotage {
    /// Drop the connection instead of answering.
    Reset,
    /// Send half the body, then drop the connection.
    Truncate,
    /// Send the body a few bytes at a time over this long.
    Dribble(Duration),
}

/// Counters a test reads to check a client's behaviour under faults.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SimStats {
    /// Graph requests received (batch items count one each).
    pub requests: u64,
    /// `429` answers for an injected throttle.
    pub throttled: u64,
    /// Requests repeated before the `Retry-After` they were given had passed.
    pub early_retries: u64,
    /// Requests that arrived while the mailbox was throttled (answered 429 again).
    pub during_throttle: u64,
    /// `429 MailboxConcurrency` answers: more than the allowed requests in flight.
    pub concurrency_rejections: u64,
    /// The most requests in flight at once.
    pub max_in_flight: u64,
    /// Injected `503` answers.
    pub unavailable: u64,
    /// Connections dropped on purpose.
    pub resets: u64,
    /// Bodies cut short on purpose.
    pub truncated: u64,
    /// Answers held back on purpose.
    pub slowed: u64,
    /// Delta requests answered `410 Gone`.
    pub delta_resets: u64,
    /// Delta pages that replayed earlier changes.
    pub replays: u64,
    /// Gzip bombs sent.
    pub bombs: u64,
    /// Bodies that were not the JSON they claimed.
    pub malformed: u64,
    /// Absurd `Retry-After`s and foreign links sent.
    pub absurd: u64,
    /// Answers dribbled out slowly.
    pub dribbled: u64,
}

struct ThrottleWindow {
    until: Instant,
    /// The requests that were throttled: asking again for one of these early is an early retry.
    keys: HashSet<String>,
}

pub(crate) struct FaultState {
    plan: RwLock<FaultPlan>,
    draws: AtomicU64,
    in_flight: AtomicUsize,
    window: Mutex<Option<ThrottleWindow>>,
    stats: Mutex<SimStats>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl FaultState {
    pub fn new(plan: FaultPlan) -> Self {
        Self {
            plan: RwLock::new(plan),
            draws: AtomicU64::new(0),
            in_flight: AtomicUsize::new(0),
            window: Mutex::new(None),
            stats: Mutex::new(SimStats::default()),
        }
    }

    pub fn set_plan(&self, plan: FaultPlan) {
        *self.plan.write().unwrap_or_else(|e| e.into_inner()) = plan;
        self.draws.store(0, Ordering::SeqCst);
    }

    pub fn plan(&self) -> FaultPlan {
        self.plan.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn stats(&self) -> SimStats {
        lock(&self.stats).clone()
    }

    /// The n-th draw of this run: the same seed gives the same sequence.
    fn rng(&self, plan: &FaultPlan) -> StdRng {
        let n = self.draws.fetch_add(1, Ordering::SeqCst);
        StdRng::seed_from_u64(plan.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ n)
    }

    fn draw(&self) -> Option<(FaultKind, f64, bool)> {
        let plan = self.plan();
        if plan.rate <= 0.0 || plan.kinds.is_empty() {
            return None;
        }
        let mut rng = self.rng(&plan);
        if rng.random::<f64>() >= plan.rate {
            return None;
        }
        let kind = plan.kinds[rng.random_range(0..plan.kinds.len())];
        // Decimal seconds, as Graph sends them (e.g. "2.128").
        let retry_after = (rng.random_range(0.05..plan.max_retry_after.max(0.06)) * 1000.0).round() / 1000.0;
        Some((kind, retry_after, rng.random_bool(0.5)))
    }

    /// How many earlier changes the next delta page should repeat.
    pub fn replay_count(&self) -> usize {
        let plan = self.plan();
        if plan.replay_rate <= 0.0 {
            return 0;
        }
        let mut rng = self.rng(&plan);
        if rng.random::<f64>() < plan.replay_rate {
            lock(&self.stats).replays += 1;
            rng.random_range(1..=3)
        } else {
            0
        }
    }
}

fn throttled(retry_after: f64) -> Response {
    GraphError::new(StatusCode::TOO_MANY_REQUESTS, "TooManyRequests", "Please retry again later.")
        .with_header(header::RETRY_AFTER, format!("{retry_after}"))
        .into_response()
}

/// Decrements the in-flight count however the request ends.
struct InFlight<'a>(&'a AtomicUsize);
impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The fault layer over every Graph route.
pub(crate) async fn inject(State(app): State<AppState>, req: Request, next: Next) -> Response {
    let faults = &app.faults;
    let inner = req.extensions().get::<BatchInner>().is_some();
    let key = format!("{} {}", req.method(), req.uri());
    lock(&faults.stats).requests += 1;

    // A throttled mailbox stays throttled until Retry-After has passed; asking again for the
    // same thing sooner is counted, because Graph keeps counting too.
    {
        let mut window = lock(&faults.window);
        if let Some(w) = window.as_mut() {
            let now = Instant::now();
            if now < w.until {
                let left = (w.until - now).as_secs_f64();
                let mut stats = lock(&faults.stats);
                stats.during_throttle += 1;
                if w.keys.contains(&key) {
                    stats.early_retries += 1;
                }
                w.keys.insert(key);
                return throttled((left * 1000.0).ceil() / 1000.0);
            }
            *window = None;
        }
    }

    let _guard = if inner {
        None
    } else {
        let n = faults.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        let guard = InFlight(&faults.in_flight);
        {
            let mut stats = lock(&faults.stats);
            stats.max_in_flight = stats.max_in_flight.max(n as u64);
        }
        if n > faults.plan().mailbox_concurrency {
            lock(&faults.stats).concurrency_rejections += 1;
            return GraphError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "ApplicationThrottled",
                "Application is over its MailboxConcurrency limit.",
            )
            .with_header(header::RETRY_AFTER, "1")
            .into_response();
        }
        Some(guard)
    };

    let methods = faults.plan().methods;
    if !methods.is_empty() && !methods.iter().any(|m| m == req.method().as_str()) {
        return next.run(req).await;
    }
    let Some((kind, retry_after, early)) = faults.draw() else { return next.run(req).await };
    match kind {
        FaultKind::Throttle => {
            lock(&faults.stats).throttled += 1;
            *lock(&faults.window) = Some(ThrottleWindow {
                until: Instant::now() + Duration::from_secs_f64(retry_after),
                keys: HashSet::from([key]),
            });
            throttled(retry_after)
        }
        FaultKind::Unavailable => unavailable(faults, early.then_some(retry_after)),
        // Inside a `$batch` a connection cannot break, nor a body be compressed or dribbled
        // on its own: the whole batch answer carries those.
        FaultKind::ConnectionReset
        | FaultKind::TruncatedBody
        | FaultKind::GzipBomb
        | FaultKind::SlowLoris
        | FaultKind::MalformedJson
            if inner =>
        {
            unavailable(faults, None)
        }
        FaultKind::GzipBomb => {
            lock(&faults.stats).bombs += 1;
            (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "application/json"), (header::CONTENT_ENCODING, "gzip")],
                gzip_bomb(),
            )
                .into_response()
        }
        FaultKind::MalformedJson => {
            lock(&faults.stats).malformed += 1;
            if early {
                let page = next.run(req).await;
                let whole = axum::body::to_bytes(page.into_body(), usize::MAX).await.unwrap_or_default();
                let cut = whole.slice(..whole.len() / 2);
                ([(header::CONTENT_TYPE, "application/json")], cut).into_response()
            } else {
                let proxy = "<html><body><h1>502 Bad Gateway</h1></body></html>";
                (StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], proxy).into_response()
            }
        }
        FaultKind::AbsurdValues => {
            lock(&faults.stats).absurd += 1;
            let is_delta = req.uri().path().ends_with("/delta");
            if early && is_delta {
                foreign_links(next.run(req).await).await
            } else {
                let absurd = ["NaN", "inf", "-1", "1e400", "18446744073709551616", "-inf", "soon"];
                let pick = (retry_after * 1000.0) as usize % absurd.len();
                GraphError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "serviceNotAvailable",
                    "The service is temporarily unavailable. Please try again later.",
                )
                .with_header(header::RETRY_AFTER, absurd[pick].to_owned())
                .into_response()
            }
        }
        FaultKind::SlowLoris => {
            lock(&faults.stats).dribbled += 1;
            let mut resp = next.run(req).await;
            resp.extensions_mut().insert(Sabotage::Dribble(faults.plan().slow_by));
            resp
        }
        FaultKind::ConnectionReset => {
            lock(&faults.stats).resets += 1;
            // Half the resets happen after the request took effect: the client cannot tell
            // whether a POST landed, which is what its idempotency must cope with.
            let mut resp = if early { StatusCode::OK.into_response() } else { next.run(req).await };
            resp.extensions_mut().insert(Sabotage::Reset);
            resp
        }
        FaultKind::TruncatedBody => {
            lock(&faults.stats).truncated += 1;
            let mut resp = next.run(req).await;
            resp.extensions_mut().insert(Sabotage::Truncate);
            resp
        }
        FaultKind::Slow => {
            lock(&faults.stats).slowed += 1;
            tokio::time::sleep(faults.plan().slow_by).await;
            next.run(req).await
        }
        FaultKind::DeltaReset => {
            let q = req.uri().query().unwrap_or("");
            let is_delta_with_token =
                req.uri().path().ends_with("/delta") && (q.contains("deltatoken=") || q.contains("skiptoken="));
            if !is_delta_with_token {
                return next.run(req).await;
            }
            lock(&faults.stats).delta_resets += 1;
            let location = format!("{}{}?$deltatoken=", app.base_url(), req.uri().path());
            GraphError::new(
                StatusCode::GONE,
                "syncStateNotFound",
                "The sync state generation is not found. Please do a full resync.",
            )
            .with_header(header::LOCATION, location)
            .into_response()
        }
    }
}

/// 128 MiB of spaces, gzipped once per process (about 128 KB).
fn gzip_bomb() -> bytes::Bytes {
    static BOMB: std::sync::OnceLock<bytes::Bytes> = std::sync::OnceLock::new();
    BOMB.get_or_init(|| {
        use std::io::Write;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        let block = vec![b' '; 1024 * 1024];
        for _ in 0..128 {
            // Writing to a Vec cannot fail.
            let _ = gz.write_all(&block);
        }
        bytes::Bytes::from(gz.finish().unwrap_or_default())
    })
    .clone()
}

/// A delta page whose links lead to another host, as a hostile proxy might rewrite them to
/// harvest the bearer token.
async fn foreign_links(page: Response) -> Response {
    let (parts, body) = page.into_parts();
    let whole = axum::body::to_bytes(body, usize::MAX).await.unwrap_or_default();
    let Ok(mut json) = serde_json::from_slice::<serde_json::Value>(&whole) else {
        return Response::from_parts(parts, axum::body::Body::from(whole));
    };
    for key in ["@odata.nextLink", "@odata.deltaLink"] {
        if let Some(link) = json.get(key).and_then(|v| v.as_str()) {
            let path = link.splitn(4, '/').nth(3).unwrap_or_default().to_owned();
            json[key] = serde_json::Value::String(format!("https://graph.attacker.example/{path}"));
        }
    }
    let mut resp = axum::Json(json).into_response();
    *resp.status_mut() = parts.status;
    resp
}

fn unavailable(faults: &FaultState, retry_after: Option<f64>) -> Response {
    lock(&faults.stats).unavailable += 1;
    let mut err = GraphError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "serviceNotAvailable",
        "The service is temporarily unavailable. Please try again later.",
    );
    if let Some(ra) = retry_after {
        err = err.with_header(header::RETRY_AFTER, format!("{ra}"));
    }
    err.into_response()
}
