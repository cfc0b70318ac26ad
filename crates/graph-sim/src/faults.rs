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
        FaultKind::ConnectionReset | FaultKind::TruncatedBody if inner => unavailable(faults, None),
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
