//! Wrong PINs: a few free tries for fumbled fingers, then waits that double, and at the
//! council's limit the app wipes (the caller does that; this only counts and times).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Wrong PINs allowed before any wait.
const FREE_TRIES: u32 = 3;
/// The first wait, doubled after each further wrong PIN.
const FIRST_WAIT: Duration = Duration::from_secs(30);
/// The longest wait.
const LONGEST_WAIT: Duration = Duration::from_secs(60 * 60);

/// Wrong PINs since the last right one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct WrongPins {
    /// How many in a row.
    pub count: u32,
    /// When the last one was typed.
    pub last_at: Option<DateTime<Utc>>,
}

impl WrongPins {
    /// The wait that follows `count` wrong PINs: none for the first three, then 30 seconds,
    /// doubling up to an hour.
    pub fn wait_after(count: u32) -> Duration {
        if count < FREE_TRIES {
            return Duration::ZERO;
        }
        let doublings = (count - FREE_TRIES).min(16);
        FIRST_WAIT.saturating_mul(1 << doublings).min(LONGEST_WAIT)
    }

    /// How long until the next try is allowed. A clock set back does not shorten it: time
    /// before the last wrong PIN counts as no time at all.
    pub fn wait(&self, now: DateTime<Utc>) -> Duration {
        let full = Self::wait_after(self.count);
        let Some(last) = self.last_at else { return Duration::ZERO };
        let passed = (now - last).to_std().unwrap_or(Duration::ZERO);
        full.saturating_sub(passed)
    }

    /// Counts a wrong PIN.
    pub fn record_failure(&mut self, now: DateTime<Utc>) {
        self.count = self.count.saturating_add(1);
        self.last_at = Some(now);
    }

    /// Whether the council's limit has been reached (the app must wipe).
    pub fn exhausted(&self, limit: u32) -> bool {
        self.count >= limit
    }

    /// Tries left before the wipe.
    pub fn left(&self, limit: u32) -> u32 {
        limit.saturating_sub(self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(s: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_800_000_000 + s, 0).single().expect("time")
    }

    #[test]
    fn the_first_three_wrong_pins_cost_no_wait_then_waits_double() {
        let waits: Vec<u64> = (0..10).map(|n| WrongPins::wait_after(n).as_secs()).collect();
        assert_eq!(waits, [0, 0, 0, 30, 60, 120, 240, 480, 960, 1920]);
        assert_eq!(WrongPins::wait_after(40), LONGEST_WAIT);
    }

    #[test]
    fn the_wait_runs_down_and_a_clock_set_back_does_not_shorten_it() {
        let mut w = WrongPins::default();
        for _ in 0..4 {
            w.record_failure(at(0));
        }
        assert_eq!(w.wait(at(0)).as_secs(), 60);
        assert_eq!(w.wait(at(45)).as_secs(), 15);
        assert_eq!(w.wait(at(61)), Duration::ZERO);
        assert_eq!(w.wait(at(-3600)).as_secs(), 60, "an hour back is no time passed");
    }

    #[test]
    fn the_limit_is_reached_at_the_councils_count() {
        let mut w = WrongPins::default();
        for _ in 0..9 {
            w.record_failure(at(0));
        }
        assert!(!w.exhausted(10));
        assert_eq!(w.left(10), 1);
        w.record_failure(at(1));
        assert!(w.exhausted(10));
    }
}
