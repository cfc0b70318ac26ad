//! Warnings fire once per threshold per cycle, and again in the next; cycles follow London's
//! calendar across the clock change and at the end of a short month.

use chrono::{DateTime, NaiveDate, Utc};
use companion_allowance::{AllowancePolicy, DataAllowance, Level, MemberAllowanceSettings, MB};
use companion_vault::{Vault, VaultKey};
use std::sync::Arc;

fn allowance(start_day: u32) -> (tempfile::TempDir, Arc<Vault>, DataAllowance) {
    let dir = tempfile::tempdir().expect("dir");
    let vault = Arc::new(Vault::open(dir.path(), &VaultKey::generate()).expect("vault").0);
    let a = DataAllowance::new(vault.clone(), AllowancePolicy::default()).expect("allowance");
    a.set_member_settings(&MemberAllowanceSettings { cycle_start_day: Some(start_day), ..Default::default() })
        .expect("settings");
    (dir, vault, a)
}

fn spend(vault: &Vault, day: &str, mb: u64) {
    let day: NaiveDate = day.parse().expect("day");
    vault.write(|w| w.record_traffic(day, "attachments", "mobile", 0, mb * MB)).expect("ledger");
}

fn at(s: &str) -> DateTime<Utc> {
    s.parse().expect("instant")
}

fn fired(a: &DataAllowance, now: &str) -> Vec<u32> {
    a.refresh(at(now)).expect("refresh").alerts.iter().map(|x| x.percent).collect()
}

#[test]
fn each_threshold_fires_once_per_cycle_and_again_in_the_next() {
    let (_d, vault, a) = allowance(1);
    spend(&vault, "2026-11-02", 520);
    assert_eq!(fired(&a, "2026-11-02T12:00:00Z"), vec![50]);
    assert_eq!(fired(&a, "2026-11-02T13:00:00Z"), Vec::<u32>::new(), "not twice");
    spend(&vault, "2026-11-05", 450);
    // 75% and 90% crossed at once: one notification, for the higher.
    assert_eq!(fired(&a, "2026-11-05T09:00:00Z"), vec![90]);
    spend(&vault, "2026-11-06", 60);
    let report = a.refresh(at("2026-11-06T09:00:00Z")).expect("refresh");
    assert_eq!(report.alerts.iter().map(|x| x.percent).collect::<Vec<_>>(), vec![100]);
    assert!(report.alerts[0].body.contains("£50"), "{}", report.alerts[0].body);
    assert_eq!(report.assessment.level, Level::Critical);
    // A new cycle starts clean.
    spend(&vault, "2026-12-01", 600);
    assert_eq!(fired(&a, "2026-12-01T10:00:00Z"), vec![50]);
    // Reopening the app does not repeat it.
    let again = DataAllowance::new(vault.clone(), AllowancePolicy::default()).expect("reopen");
    assert_eq!(fired(&again, "2026-12-01T11:00:00Z"), Vec::<u32>::new());
}

#[test]
fn use_just_after_midnight_in_summer_time_counts_in_the_new_cycle() {
    let (_d, vault, a) = allowance(1);
    // 00:30 on 1 October in London is 23:30 on 30 September in UTC: the ledger day is London's.
    spend(&vault, "2026-09-30", 600);
    spend(&vault, "2026-10-01", 10);
    let report = a.refresh(at("2026-09-30T23:30:00Z")).expect("refresh");
    assert_eq!(report.usage.cycle.start.to_string(), "2026-10-01");
    assert_eq!(report.usage.mobile, 10 * MB);
    assert!(report.alerts.is_empty(), "September's 600 MB belongs to September");
    // After Summer Time ends (25 October) London is on UTC again: 23:30 UTC on 31 October is
    // still October, and midnight UTC is November.
    let late = a.refresh(at("2026-10-31T23:30:00Z")).expect("refresh");
    assert_eq!(late.usage.cycle.start.to_string(), "2026-10-01");
    let next = a.refresh(at("2026-11-01T00:00:00Z")).expect("refresh");
    assert_eq!(next.usage.cycle.start.to_string(), "2026-11-01");
}

#[test]
fn a_31st_start_day_moves_to_the_end_of_february_and_back() {
    let (_d, vault, a) = allowance(31);
    spend(&vault, "2027-02-27", 600);
    assert_eq!(fired(&a, "2027-02-27T12:00:00Z"), vec![50], "January 31st's cycle");
    spend(&vault, "2027-02-28", 600);
    let report = a.refresh(at("2027-02-28T12:00:00Z")).expect("refresh");
    assert_eq!(
        (report.usage.cycle.start.to_string(), report.usage.cycle.end.to_string()),
        ("2027-02-28".into(), "2027-03-30".into())
    );
    assert_eq!(report.alerts.iter().map(|x| x.percent).collect::<Vec<_>>(), vec![50], "a new cycle on 28 February");
}

#[test]
fn a_cycles_phone_reading_is_kept_when_the_next_cycles_is_typed_in_before_its_report() {
    let (_d, vault, a) = allowance(1);
    let cycle = |day: &str| companion_allowance::AllowanceCycle::containing(day.parse().expect("day"), 1);
    a.set_device_usage(Some(300 * MB), at("2026-12-03T09:00:00Z")).expect("reading");
    a.set_device_usage(Some(400 * MB), at("2026-12-08T09:00:00Z")).expect("a later one that cycle");
    // The member reads January's figure before the update that makes December's report.
    a.set_device_usage(Some(50 * MB), at("2027-01-05T09:00:00Z")).expect("next cycle's");
    let december = a.device_reading_in(cycle("2026-12-15")).expect("read").expect("December's kept");
    assert_eq!(
        (december.day.to_string(), december.bytes),
        ("2026-12-08".to_owned(), 400 * MB),
        "the latest that cycle"
    );
    assert_eq!(a.device_reading().expect("read").map(|r| r.bytes), Some(50 * MB), "the latest of all");
    // Forgetting is this cycle's alone.
    a.set_device_usage(None, at("2027-01-06T09:00:00Z")).expect("forget");
    assert_eq!(a.device_reading_in(cycle("2027-01-15")).expect("read"), None);
    assert!(a.device_reading_in(cycle("2026-12-15")).expect("read").is_some());
    // What an older version kept (one reading, not a list) still reads.
    vault.write(|w| w.set_setting("allowance.device-reading", r#"{"day":"2026-11-20","bytes":7}"#)).expect("old");
    assert_eq!(a.device_reading_in(cycle("2026-11-15")).expect("read").map(|r| r.bytes), Some(7));
}
