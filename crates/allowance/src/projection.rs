//! Where this cycle is heading: the days so far, weekdays and weekends apart (councillors'
//! mail is a weekday thing), carried forward to the cycle's end, with a likely range.

use crate::cycle::AllowanceCycle;
use crate::usage::{describe_bytes, CycleUsage, OtherUse};
use chrono::{Datelike, NaiveDate, Weekday};

/// The z-score of an 80% interval: the range is "likely", not certain.
const Z80: f64 = 1.2816;

/// Expected mobile use by the cycle's end.
#[derive(Debug, Clone, PartialEq)]
pub struct Projection {
    /// The cycle.
    pub cycle: AllowanceCycle,
    /// Used so far (the app, plus the rest of the phone when known).
    pub used: u64,
    /// Expected by the end.
    pub expected: u64,
    /// The likely range's low end.
    pub low: u64,
    /// Its high end.
    pub high: u64,
    /// Whether the rest of the phone's use is included.
    pub includes_device: bool,
}

fn weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

struct Rates {
    weekday: f64,
    weekend: f64,
    variance: f64,
}

fn rates(complete: &[(NaiveDate, u64)]) -> Option<Rates> {
    if complete.is_empty() {
        return None;
    }
    let mean = |pick: bool| {
        let days: Vec<f64> = complete.iter().filter(|(d, _)| weekend(*d) == pick).map(|(_, b)| *b as f64).collect();
        (!days.is_empty()).then(|| days.iter().sum::<f64>() / days.len() as f64)
    };
    let all = complete.iter().map(|(_, b)| *b as f64).sum::<f64>() / complete.len() as f64;
    let (weekday, weekend_rate) = (mean(false).unwrap_or(all), mean(true).unwrap_or(all));
    let expected_on = |d: NaiveDate| if weekend(d) { weekend_rate } else { weekday };
    let n = complete.len() as f64;
    let variance =
        complete.iter().map(|(d, b)| (*b as f64 - expected_on(*d)).powi(2)).sum::<f64>() / (n - 1.0).max(1.0);
    // With only a few days seen, the pattern itself is uncertain: widen by the spread of the mean.
    let variance = if n < 7.0 { variance.max(all * all * (7.0 - n) / 7.0) } else { variance };
    Some(Rates { weekday, weekend: weekend_rate, variance })
}

impl Projection {
    /// Projects `usage` (whose last day, `usage.today`, is still under way) to the cycle's end,
    /// adding the rest of the phone's use when a device reading gave it.
    pub fn of(usage: &CycleUsage, other: Option<OtherUse>) -> Self {
        let cycle = usage.cycle;
        let today = usage.today;
        let complete: Vec<(NaiveDate, u64)> = usage.daily_mobile.iter().copied().filter(|(d, _)| *d < today).collect();
        let used_today = usage.daily_mobile.iter().find(|(d, _)| *d == today).map_or(0, |(_, b)| *b);
        // Before a whole day has passed, today so far is the best guide there is.
        let rates = rates(&complete).unwrap_or(Rates {
            weekday: used_today as f64,
            weekend: used_today as f64,
            variance: (used_today as f64).powi(2),
        });
        let rate_on = |d: NaiveDate| if weekend(d) { rates.weekend } else { rates.weekday };
        let future: Vec<NaiveDate> = cycle.dates().filter(|d| *d > today).collect();
        let rest_of_today = (rate_on(today) - used_today as f64).max(0.0);
        let app_more = rest_of_today + future.iter().map(|d| rate_on(*d)).sum::<f64>();
        let spread = Z80 * (rates.variance * (future.len() as f64 + 0.5)).sqrt();
        let (other_used, other_more) = match other {
            Some(o) => (o.so_far, o.per_day * (future.len() as f64 + 0.5)),
            None => (0, 0.0),
        };
        let used = usage.mobile + other_used;
        let expected = used as f64 + app_more + other_more;
        Self {
            cycle,
            used,
            expected: expected.round() as u64,
            low: (expected - spread).max(used as f64).round() as u64,
            high: (expected + spread).round() as u64,
            includes_device: other.is_some(),
        }
    }

    /// The projection in plain words, e.g. "At this rate you will use about 740 MB by 14 December."
    pub fn sentence(&self, cap: u64) -> String {
        let by = self.cycle.end.format("%-d %B");
        let mut s = format!("At this rate you will use about {} by {by}.", describe_bytes(self.expected));
        if self.expected > cap {
            s.push_str(&format!(" That is over your {} allowance.", describe_bytes(cap)));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{GB, MB};

    fn usage(today: &str, per_day: impl Fn(NaiveDate) -> u64) -> CycleUsage {
        let today: NaiveDate = today.parse().expect("d");
        let cycle = AllowanceCycle::containing(today, 1);
        let daily: Vec<(NaiveDate, u64)> =
            cycle.dates().take_while(|d| *d <= today).map(|d| (d, if d == today { 0 } else { per_day(d) })).collect();
        CycleUsage {
            cycle,
            today,
            mobile: daily.iter().map(|(_, b)| b).sum(),
            wifi: 0,
            by_feature: vec![],
            daily_mobile: daily,
        }
    }

    #[test]
    fn a_steady_pattern_projects_to_its_total_with_a_narrow_range() {
        let u = usage("2026-11-16", |_| 20 * MB);
        let p = Projection::of(&u, None);
        assert_eq!(p.expected, 600 * MB);
        assert!(p.low <= p.expected && p.high >= p.expected);
        assert!(p.high - p.low < 150 * MB, "{p:?}");
        assert_eq!(p.sentence(GB), "At this rate you will use about 600 MB by 30 November.");
    }

    #[test]
    fn weekends_are_projected_at_the_weekend_rate() {
        // 40 MB a weekday, 5 MB at weekends: November 2026 has 21 weekdays and 9 weekend days.
        let u = usage("2026-11-16", |d| if weekend(d) { 5 * MB } else { 40 * MB });
        let p = Projection::of(&u, None);
        assert_eq!(p.expected, (21 * 40 + 9 * 5) * MB);
    }

    #[test]
    fn the_rest_of_the_phone_is_added_and_going_over_is_said() {
        let u = usage("2026-11-11", |_| 20 * MB);
        let other = OtherUse { so_far: 300 * MB, per_day: 30.0 * MB as f64 };
        let p = Projection::of(&u, Some(other));
        assert!(p.includes_device);
        assert_eq!(p.expected, 600 * MB + 300 * MB + (30 * 20 * MB) - 15 * MB);
        assert!(p.sentence(GB).ends_with("That is over your 1 GB allowance."), "{}", p.sentence(GB));
    }

    #[test]
    fn an_erratic_month_gets_a_wide_range_and_the_low_end_never_falls_below_use_so_far() {
        let u = usage("2026-11-05", |d| if d.day() % 2 == 0 { 90 * MB } else { 0 });
        let p = Projection::of(&u, None);
        assert!(p.low >= p.used);
        assert!(p.high - p.low > 300 * MB, "{p:?}");
    }
}
