//! The simulated clock. Tests freeze it and move it by hand; the demo lets it run.

use chrono::{DateTime, Duration, Utc};
use std::sync::Mutex;
use std::time::Instant;

/// A clock whose "now" starts at a chosen instant and can be moved forward.
///
/// When running, real time is added on top of the offset, so the demo feels alive; when
/// frozen, only [`SimClock::advance`] moves it, which makes tests reproducible.
#[derive(Debug)]
pub struct SimClock {
    base: DateTime<Utc>,
    started: Instant,
    running: bool,
    offset: Mutex<Duration>,
}

impl SimClock {
    /// A clock that starts at `base` and moves only when advanced.
    pub fn frozen(base: DateTime<Utc>) -> Self {
        Self { base, started: Instant::now(), running: false, offset: Mutex::new(Duration::zero()) }
    }

    /// A clock that starts at `base` and follows real time from there.
    pub fn running(base: DateTime<Utc>) -> Self {
        Self { running: true, ..Self::frozen(base) }
    }

    /// The simulated present.
    pub fn now(&self) -> DateTime<Utc> {
        let offset = *self.offset.lock().unwrap_or_else(|p| p.into_inner());
        let real = if self.running {
            Duration::from_std(self.started.elapsed()).unwrap_or_else(|_| Duration::zero())
        } else {
            Duration::zero()
        };
        self.base + offset + real
    }

    /// Moves the clock forward.
    pub fn advance(&self, by: Duration) {
        let mut offset = self.offset.lock().unwrap_or_else(|p| p.into_inner());
        *offset += by;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_frozen_clock_moves_only_when_advanced() {
        let base = Utc.with_ymd_and_hms(2026, 10, 20, 8, 0, 0).single().expect("valid date");
        let clock = SimClock::frozen(base);
        assert_eq!(clock.now(), base);
        clock.advance(Duration::hours(25));
        assert_eq!(clock.now(), base + Duration::hours(25));
    }
}
