//! Metering into the vault: every exchange's bytes go to the day's ledger, by feature and
//! network, in Europe/London days (the member's billing cycle follows the clock on the wall).

use chrono::{DateTime, Utc};
use chrono_tz::Europe::London;
use companion_graph::{Meter, Traffic};
use companion_vault::Vault;
use std::sync::Arc;

/// A [`Meter`] that adds each exchange to the vault's data ledger.
pub struct LedgerMeter {
    vault: Arc<Vault>,
    clock: Clock,
}

/// The wall clock, or a simulated one (tests and benchmarks that let a month happen).
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

impl LedgerMeter {
    /// Meters into `vault`, by the wall clock.
    pub fn new(vault: Arc<Vault>) -> Self {
        Self::with_clock(vault, Arc::new(Utc::now))
    }

    /// Meters into `vault`, dating each exchange by `clock`.
    pub fn with_clock(vault: Arc<Vault>, clock: Clock) -> Self {
        Self { vault, clock }
    }
}

impl Meter for LedgerMeter {
    fn record(&self, t: Traffic) {
        let day = (self.clock)().with_timezone(&London).date_naive();
        // A full disk must not stop a sync: the bytes are lost from the ledger, nothing else.
        let _ = self.vault.write(|w| w.record_traffic(day, t.feature.as_str(), t.network.as_str(), t.up, t.down));
    }
}

/// Wraps a meter and keeps a running total, so progress can say what a sync has cost so far.
pub struct CountingMeter {
    inner: Arc<dyn Meter>,
    total: std::sync::atomic::AtomicU64,
}

impl CountingMeter {
    /// Counts what passes through to `inner`.
    pub fn new(inner: Arc<dyn Meter>) -> Self {
        Self { inner, total: std::sync::atomic::AtomicU64::new(0) }
    }

    /// Bytes up and down so far.
    pub fn total(&self) -> u64 {
        self.total.load(std::sync::atomic::Ordering::Relaxed)
    }
}

impl Meter for CountingMeter {
    fn record(&self, t: Traffic) {
        self.total.fetch_add(t.up + t.down, std::sync::atomic::Ordering::Relaxed);
        self.inner.record(t);
    }
}
