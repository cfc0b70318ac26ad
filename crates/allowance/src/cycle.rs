//! Billing cycles. A contract's month starts on a day of the month at midnight in the UK, so a
//! cycle is a run of Europe/London dates; its instants move with the clocks (a cycle that
//! spans the end of British Summer Time is an hour longer).

use chrono::{DateTime, Datelike, Days, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::London;

/// One billing cycle: `start` to `end`, both Europe/London dates, inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AllowanceCycle {
    /// Its first day.
    pub start: NaiveDate,
    /// Its last day.
    pub end: NaiveDate,
}

/// The day a cycle starting on `start_day` begins in `year`/`month`: a month too short for it
/// starts on its own last day (a 31st contract starts on 30 April and 28 or 29 February).
fn start_in(year: i32, month: u32, start_day: u32) -> NaiveDate {
    let first = NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(NaiveDate::MIN);
    let last = first.checked_add_months(chrono::Months::new(1)).and_then(|d| d.pred_opt()).unwrap_or(first);
    first.with_day(start_day.clamp(1, last.day())).unwrap_or(last)
}

fn month_before(year: i32, month: u32) -> (i32, u32) {
    if month == 1 {
        (year - 1, 12)
    } else {
        (year, month - 1)
    }
}

fn month_after(year: i32, month: u32) -> (i32, u32) {
    if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    }
}

impl AllowanceCycle {
    /// The cycle containing the London date `day`, for contracts starting on `start_day`.
    pub fn containing(day: NaiveDate, start_day: u32) -> Self {
        let this_month = start_in(day.year(), day.month(), start_day);
        let start = if day >= this_month {
            this_month
        } else {
            let (y, m) = month_before(day.year(), day.month());
            start_in(y, m, start_day)
        };
        let (y, m) = month_after(start.year(), start.month());
        let end = start_in(y, m, start_day).pred_opt().unwrap_or(start);
        Self { start, end }
    }

    /// The cycle containing the instant `now`.
    pub fn at(now: DateTime<Utc>, start_day: u32) -> Self {
        Self::containing(now.with_timezone(&London).date_naive(), start_day)
    }

    /// The following cycle.
    pub fn next(&self, start_day: u32) -> Self {
        Self::containing(self.end.succ_opt().unwrap_or(self.end), start_day)
    }

    /// Days in the cycle.
    pub fn days(&self) -> u32 {
        (self.end - self.start).num_days() as u32 + 1
    }

    /// Whether the London date `day` is in it.
    pub fn contains(&self, day: NaiveDate) -> bool {
        (self.start..=self.end).contains(&day)
    }

    /// Days from `today` to the end, today included (0 after the end).
    pub fn days_left(&self, today: NaiveDate) -> u32 {
        if today > self.end {
            0
        } else {
            (self.end - today.max(self.start)).num_days() as u32 + 1
        }
    }

    /// The instant the cycle begins: midnight in London on its first day.
    pub fn starts_at(&self) -> DateTime<Utc> {
        london_midnight(self.start)
    }

    /// The instant it ends: midnight in London after its last day.
    pub fn ends_at(&self) -> DateTime<Utc> {
        london_midnight(self.end.checked_add_days(Days::new(1)).unwrap_or(self.end))
    }

    /// Its dates in order.
    pub fn dates(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.start.iter_days().take_while(move |d| *d <= self.end)
    }
}

/// Midnight in London on `day` (midnight always exists in the UK: the clocks change at 01:00).
fn london_midnight(day: NaiveDate) -> DateTime<Utc> {
    let local = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    London
        .from_local_datetime(&local)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&local))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn a_first_of_the_month_contract_runs_calendar_months() {
        let c = AllowanceCycle::containing(d(2026, 11, 23), 1);
        assert_eq!((c.start, c.end, c.days()), (d(2026, 11, 1), d(2026, 11, 30), 30));
        assert_eq!(c.days_left(d(2026, 11, 23)), 8);
        assert_eq!(c.next(1).start, d(2026, 12, 1));
    }

    #[test]
    fn a_31st_contract_starts_on_the_last_day_of_a_short_month() {
        let feb = AllowanceCycle::containing(d(2027, 3, 15), 31);
        assert_eq!((feb.start, feb.end), (d(2027, 2, 28), d(2027, 3, 30)));
        let leap = AllowanceCycle::containing(d(2028, 2, 29), 31);
        assert_eq!((leap.start, leap.end), (d(2028, 2, 29), d(2028, 3, 30)));
        assert_eq!(leap.next(31).start, d(2028, 3, 31));
        let april = AllowanceCycle::containing(d(2027, 4, 30), 31);
        assert_eq!((april.start, april.end), (d(2027, 4, 30), d(2027, 5, 30)));
    }

    #[test]
    fn a_cycle_starting_mid_month_spans_two_months_and_the_year_end() {
        let c = AllowanceCycle::containing(d(2027, 1, 3), 14);
        assert_eq!((c.start, c.end), (d(2026, 12, 14), d(2027, 1, 13)));
        assert!(c.contains(d(2026, 12, 25)) && !c.contains(d(2027, 1, 14)));
    }

    #[test]
    fn cycle_instants_follow_the_clock_change() {
        // British Summer Time ends on 25 October 2026: that cycle is an hour longer.
        let oct = AllowanceCycle::containing(d(2026, 10, 10), 1);
        assert_eq!(oct.starts_at().to_rfc3339(), "2026-09-30T23:00:00+00:00");
        assert_eq!(oct.ends_at().to_rfc3339(), "2026-11-01T00:00:00+00:00");
        assert_eq!((oct.ends_at() - oct.starts_at()).num_hours(), 31 * 24 + 1);
        // 00:30 on 1 October in London is still 30 September in UTC, but in October's cycle.
        let just_after = "2026-09-30T23:30:00Z".parse::<DateTime<Utc>>().expect("instant");
        assert_eq!(AllowanceCycle::at(just_after, 1), oct);
        // Summer Time starts on 28 March 2027: March's cycle is an hour shorter.
        let mar = AllowanceCycle::containing(d(2027, 3, 10), 1);
        assert_eq!((mar.ends_at() - mar.starts_at()).num_hours(), 31 * 24 - 1);
    }
}
