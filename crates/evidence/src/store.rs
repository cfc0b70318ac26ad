//! The member's evidence in the vault: responses (finished or not), which have been delivered,
//! which prompts have been answered or dismissed, and the events that trigger a survey. Kept as
//! one record, written in one vault transaction, so a crash leaves the last whole state.

use crate::reports::{Activity, Consent, DisplaySeen, SentSupport, SupportAnswer, SupportRequest, UsageReport};
use crate::schedule::TrialTrigger;
use crate::survey::SurveyResponse;
use chrono::NaiveDate;
use companion_vault::Vault;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

const KEY: &str = "evidence.state";
/// The most waits kept a measure a day: enough for a median, and the record stays small.
const TIMINGS_A_DAY: usize = 100;

/// Prompts done, the last prompt's day, and the events seen with their days.
pub type ScheduleState = (Vec<String>, Option<NaiveDate>, Vec<(TrialTrigger, NaiveDate)>);

/// What can go wrong keeping evidence.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The vault failed.
    #[error("the trial answers could not be saved: {0}")]
    Vault(#[from] companion_vault::VaultError),
    /// The stored record does not read.
    #[error("the saved trial answers could not be read: {0}")]
    Corrupt(String),
    /// No such response.
    #[error("that survey response is not on this device")]
    NotFound,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct EvidenceState {
    responses: Vec<SurveyResponse>,
    delivered: Vec<String>,
    prompts_done: Vec<String>,
    last_prompted: Option<NaiveDate>,
    triggers: Vec<(TrialTrigger, NaiveDate)>,
    consent: Option<Consent>,
    support: Vec<SupportRequest>,
    /// Requests delivered, to show the desk's answers.
    sent_support: Vec<SentSupport>,
    usage: Vec<UsageReport>,
    /// Feature use by day (a day with any is an active day): billing cycles start on any day
    /// of the month.
    uses_by_day: BTreeMap<NaiveDate, BTreeMap<String, u64>>,
    /// The display settings the app saw, by day (not an active day by itself).
    display_by_day: BTreeMap<NaiveDate, DisplaySeen>,
    /// Failed updates by day.
    errors_by_day: BTreeMap<NaiveDate, u64>,
    /// The surveys the trial site last published that the app accepted, as TOML.
    site_surveys: Vec<String>,
    /// When the site's surveys were last read.
    site_surveys_read_on: Option<NaiveDate>,
    /// How long the member waited, by day and measure, in milliseconds (at most
    /// `TIMINGS_A_DAY` a measure a day).
    timings_by_day: BTreeMap<NaiveDate, BTreeMap<String, Vec<u32>>>,
    /// Before billing cycles: days the app was used, by calendar month (`YYYY-MM` → days),
    /// read into the cycle holding the month's first day.
    active_days: BTreeMap<String, Vec<NaiveDate>>,
    /// Before billing cycles: feature use by calendar month.
    feature_use: BTreeMap<String, BTreeMap<String, u64>>,
    /// Before billing cycles: failed updates by calendar month.
    sync_errors: BTreeMap<String, u64>,
}

/// The evidence kept on this device.
pub struct EvidenceStore {
    vault: Arc<Vault>,
    /// Read-modify-write of the one record, one at a time.
    turn: Mutex<()>,
}

impl EvidenceStore {
    /// The store in `vault`.
    pub fn new(vault: Arc<Vault>) -> Self {
        Self { vault, turn: Mutex::new(()) }
    }

    fn load(&self) -> Result<EvidenceState, StoreError> {
        match self.vault.setting(KEY)? {
            Some(text) => serde_json::from_str(&text).map_err(|e| StoreError::Corrupt(e.to_string())),
            None => Ok(EvidenceState::default()),
        }
    }

    fn change<T>(&self, f: impl FnOnce(&mut EvidenceState) -> Result<T, StoreError>) -> Result<T, StoreError> {
        let _turn = self.turn.lock().unwrap_or_else(|e| e.into_inner());
        let mut state = self.load()?;
        let out = f(&mut state)?;
        let text = serde_json::to_string(&state).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        self.vault.write(|w| w.set_setting(KEY, &text))?;
        Ok(out)
    }

    /// Saves a response as it stands (each answer is saved, so a survey resumes after a restart).
    pub fn save(&self, response: &SurveyResponse) -> Result<(), StoreError> {
        self.change(|s| {
            match s.responses.iter_mut().find(|r| r.response_id == response.response_id) {
                Some(existing) => *existing = response.clone(),
                None => s.responses.push(response.clone()),
            }
            Ok(())
        })
    }

    /// A response by id.
    pub fn response(&self, response_id: &str) -> Result<SurveyResponse, StoreError> {
        self.load()?.responses.into_iter().find(|r| r.response_id == response_id).ok_or(StoreError::NotFound)
    }

    /// The unfinished response to `survey_id`, if the member started one.
    pub fn unfinished(&self, survey_id: &str) -> Result<Option<SurveyResponse>, StoreError> {
        Ok(self.load()?.responses.into_iter().find(|r| r.survey_id == survey_id && r.submitted_at.is_none()))
    }

    /// Sent by the member, not yet delivered.
    pub fn undelivered(&self) -> Result<Vec<SurveyResponse>, StoreError> {
        let s = self.load()?;
        Ok(s.responses
            .iter()
            .filter(|r| r.submitted_at.is_some() && !s.delivered.contains(&r.response_id))
            .cloned()
            .collect())
    }

    /// Marks a response delivered; its answers are then dropped from the device.
    pub fn mark_delivered(&self, response_id: &str) -> Result<(), StoreError> {
        self.change(|s| {
            if !s.delivered.iter().any(|d| d == response_id) {
                s.delivered.push(response_id.to_owned());
            }
            s.responses.retain(|r| r.response_id != response_id);
            Ok(())
        })
    }

    /// Whether `response_id` has been delivered.
    pub fn is_delivered(&self, response_id: &str) -> Result<bool, StoreError> {
        Ok(self.load()?.delivered.iter().any(|d| d == response_id))
    }

    /// Records that the prompt `key` was answered or dismissed on `today`.
    pub fn prompt_done(&self, key: &str, today: NaiveDate) -> Result<(), StoreError> {
        self.change(|s| {
            if !s.prompts_done.iter().any(|k| k == key) {
                s.prompts_done.push(key.to_owned());
            }
            s.last_prompted = Some(today);
            Ok(())
        })
    }

    /// Records an event that may trigger a survey (the first data warning only once).
    pub fn triggered(&self, trigger: TrialTrigger, on: NaiveDate) -> Result<(), StoreError> {
        self.change(|s| {
            let first_only = trigger == TrialTrigger::FirstDataWarning;
            if !(first_only && s.triggers.iter().any(|(t, _)| *t == trigger)) {
                s.triggers.push((trigger, on));
            }
            Ok(())
        })
    }

    /// The member's consent, once given.
    pub fn consent(&self) -> Result<Option<Consent>, StoreError> {
        Ok(self.load()?.consent)
    }

    /// Records the member's answer to the consent screen (a later answer replaces it, keeping
    /// the member code).
    pub fn set_consent(&self, consent: Consent) -> Result<Consent, StoreError> {
        self.change(|s| {
            let code = s.consent.as_ref().map(|c| c.member_code.clone());
            let mut consent = consent;
            if let Some(code) = code {
                consent.member_code = code;
            }
            s.consent = Some(consent.clone());
            Ok(consent)
        })
    }

    /// Queues a support request.
    pub fn add_support(&self, request: SupportRequest) -> Result<(), StoreError> {
        self.change(|s| {
            s.support.push(request);
            Ok(())
        })
    }

    /// Support requests not yet delivered.
    pub fn undelivered_support(&self) -> Result<Vec<SupportRequest>, StoreError> {
        let s = self.load()?;
        Ok(s.support.iter().filter(|r| !s.delivered.contains(&r.request_id)).cloned().collect())
    }

    /// Queues a usage report (once per report id).
    pub fn add_usage(&self, report: UsageReport) -> Result<bool, StoreError> {
        self.change(|s| {
            let known =
                s.usage.iter().any(|r| r.report_id == report.report_id) || s.delivered.contains(&report.report_id);
            if !known {
                s.usage.push(report);
            }
            Ok(!known)
        })
    }

    /// The member's requests for help, newest first: those waiting to go and those sent, with
    /// the desk's answer where it has given one.
    pub fn support_requests(&self) -> Result<Vec<SentSupport>, StoreError> {
        let s = self.load()?;
        let mut all: Vec<SentSupport> = s
            .support
            .iter()
            .map(|r| SentSupport {
                request_id: r.request_id.clone(),
                category: r.category,
                created_at: r.created_at,
                sent: false,
                answer: None,
            })
            .chain(s.sent_support.iter().cloned())
            .collect();
        all.sort_by_key(|r| std::cmp::Reverse(r.created_at));
        Ok(all)
    }

    /// Records the desk's answers (by request id); returns whether any changed.
    pub fn set_support_answers(&self, answers: &[(String, SupportAnswer)]) -> Result<bool, StoreError> {
        self.change(|s| {
            let mut changed = false;
            for (id, answer) in answers {
                if let Some(sent) = s.sent_support.iter_mut().find(|x| &x.request_id == id) {
                    if sent.answer.as_ref() != Some(answer) {
                        sent.answer = Some(answer.clone());
                        changed = true;
                    }
                }
            }
            Ok(changed)
        })
    }

    /// Usage reports not yet delivered.
    pub fn undelivered_usage(&self) -> Result<Vec<UsageReport>, StoreError> {
        let s = self.load()?;
        Ok(s.usage.iter().filter(|r| !s.delivered.contains(&r.report_id)).cloned().collect())
    }

    /// Marks a support request or usage report delivered.
    pub fn mark_sent(&self, id: &str) -> Result<(), StoreError> {
        self.change(|s| {
            if !s.delivered.iter().any(|d| d == id) {
                s.delivered.push(id.to_owned());
            }
            if let Some(r) = s.support.iter().find(|r| r.request_id == id) {
                if !s.sent_support.iter().any(|x| x.request_id == id) {
                    s.sent_support.push(SentSupport {
                        request_id: r.request_id.clone(),
                        category: r.category,
                        created_at: r.created_at,
                        sent: true,
                        answer: None,
                    });
                }
            }
            s.support.retain(|r| r.request_id != id);
            s.usage.retain(|r| r.report_id != id);
            Ok(())
        })
    }

    /// Adds uses counted in memory since the last call: `(day, feature, times)`; each day is
    /// also an active day. One vault write for the lot.
    pub fn add_uses(&self, uses: &[(NaiveDate, String, u64)]) -> Result<(), StoreError> {
        if uses.is_empty() {
            return Ok(());
        }
        self.change(|s| {
            for (day, feature, times) in uses {
                *s.uses_by_day.entry(*day).or_default().entry(feature.clone()).or_default() += times;
            }
            Ok(())
        })
    }

    /// Adds the display settings the app saw on each day, merged with any already seen that day.
    pub fn add_display(&self, seen: &[(NaiveDate, DisplaySeen)]) -> Result<(), StoreError> {
        if seen.is_empty() {
            return Ok(());
        }
        self.change(|s| {
            for (day, display) in seen {
                let kept = s.display_by_day.entry(*day).or_default();
                *kept = kept.merge(*display);
            }
            Ok(())
        })
    }

    /// Adds how long the member waited: `(day, measure, milliseconds)`.
    pub fn add_timings(&self, timings: &[(NaiveDate, &str, u32)]) -> Result<(), StoreError> {
        if timings.is_empty() {
            return Ok(());
        }
        self.change(|s| {
            for (day, measure, ms) in timings {
                let kept = s.timings_by_day.entry(*day).or_default().entry((*measure).to_owned()).or_default();
                if kept.len() < TIMINGS_A_DAY {
                    kept.push(*ms);
                }
            }
            Ok(())
        })
    }

    /// Counts a failed update.
    pub fn count_sync_error(&self, today: NaiveDate) -> Result<(), StoreError> {
        self.change(|s| {
            *s.errors_by_day.entry(today).or_default() += 1;
            Ok(())
        })
    }

    /// The activity of the days `from` to `to`, inclusive.
    pub fn activity_between(&self, from: NaiveDate, to: NaiveDate) -> Result<Activity, StoreError> {
        let s = self.load()?;
        let mut activity = Activity::default();
        for (_, uses) in s.uses_by_day.range(from..=to) {
            activity.active_days += 1;
            for (feature, times) in uses {
                *activity.feature_use.entry(feature.clone()).or_default() += times;
            }
        }
        activity.sync_errors = s.errors_by_day.range(from..=to).map(|(_, n)| n).sum();
        activity.display = s.display_by_day.range(from..=to).map(|(_, d)| *d).reduce(DisplaySeen::merge);
        for (_, measures) in s.timings_by_day.range(from..=to) {
            for (measure, waits) in measures {
                activity.waits_ms.entry(measure.clone()).or_default().extend(waits);
            }
        }
        // What an older version counted by calendar month goes to the period holding the
        // month's first day, so nothing it counted is lost.
        let in_range = |month: &str| {
            NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").is_ok_and(|d| d >= from && d <= to)
        };
        for (month, days) in s.active_days.iter().filter(|(m, _)| in_range(m)) {
            activity.active_days += days.len() as u32;
            if let Some(uses) = s.feature_use.get(month) {
                for (feature, times) in uses {
                    *activity.feature_use.entry(feature.clone()).or_default() += times;
                }
            }
        }
        activity.sync_errors += s.sync_errors.iter().filter(|(m, _)| in_range(m)).map(|(_, n)| n).sum::<u64>();
        Ok(activity)
    }

    /// Whether a usage report with this id was made (queued or delivered).
    pub fn has_usage(&self, report_id: &str) -> Result<bool, StoreError> {
        let s = self.load()?;
        Ok(s.usage.iter().any(|r| r.report_id == report_id) || s.delivered.iter().any(|d| d == report_id))
    }

    /// The surveys last accepted from the trial site (TOML), for when the app is offline.
    pub fn site_surveys(&self) -> Result<Vec<String>, StoreError> {
        Ok(self.load()?.site_surveys)
    }

    /// When the site's surveys were last read.
    pub fn site_surveys_read_on(&self) -> Result<Option<NaiveDate>, StoreError> {
        Ok(self.load()?.site_surveys_read_on)
    }

    /// Keeps what the site publishes now (replacing what it published before: a survey the
    /// officers withdrew is withdrawn here too).
    pub fn set_site_surveys(&self, texts: Vec<String>, read_on: NaiveDate) -> Result<(), StoreError> {
        self.change(|s| {
            s.site_surveys = texts;
            s.site_surveys_read_on = Some(read_on);
            Ok(())
        })
    }

    /// What the schedule needs: prompts done, the last prompt's day, the events seen.
    pub fn schedule_state(&self) -> Result<ScheduleState, StoreError> {
        let s = self.load()?;
        Ok((s.prompts_done, s.last_prompted, s.triggers))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> (tempfile::TempDir, EvidenceStore) {
        let dir = tempfile::tempdir().expect("dir");
        let (vault, _) = Vault::open(dir.path(), &companion_vault::VaultKey::generate()).expect("vault");
        (dir, EvidenceStore::new(Arc::new(vault)))
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    #[test]
    fn a_periods_activity_counts_its_own_days_uses_errors_and_waits_only() {
        let (_dir, store) = store();
        store
            .add_uses(&[
                (day("2026-11-14"), "search".into(), 5),
                (day("2026-11-15"), "search".into(), 2),
                (day("2026-11-15"), "call-started".into(), 1),
                (day("2026-12-14"), "search".into(), 1),
                (day("2026-12-15"), "search".into(), 9),
            ])
            .expect("uses");
        store.count_sync_error(day("2026-11-20")).expect("error");
        store.count_sync_error(day("2026-12-15")).expect("error");
        store.add_timings(&[(day("2026-11-16"), "search", 12), (day("2026-12-16"), "search", 99)]).expect("waits");
        let a = store.activity_between(day("2026-11-15"), day("2026-12-14")).expect("activity");
        assert_eq!(a.active_days, 2);
        assert_eq!(a.feature_use, BTreeMap::from([("call-started".into(), 1), ("search".into(), 3)]));
        assert_eq!(a.sync_errors, 1);
        assert_eq!(a.waits_ms, BTreeMap::from([("search".into(), vec![12])]));
    }

    #[test]
    fn a_periods_display_settings_are_its_largest_text_and_each_setting_seen_on_any_of_its_days() {
        let (_dir, store) = store();
        let seen = |text_percent, reduced_motion, more_contrast| DisplaySeen {
            text_percent,
            reduced_motion,
            more_contrast,
            forced_colours: false,
        };
        store
            .add_display(&[
                (day("2026-11-14"), seen(200, true, true)),
                (day("2026-11-15"), seen(100, false, false)),
                (day("2026-11-15"), seen(130, false, false)),
                (day("2026-11-20"), seen(110, true, false)),
            ])
            .expect("display");
        let a = store.activity_between(day("2026-11-15"), day("2026-12-14")).expect("activity");
        assert_eq!(a.display, Some(seen(130, true, false)));
        assert_eq!(a.active_days, 0, "seeing the settings is not a day's use");
        let none = store.activity_between(day("2026-12-15"), day("2027-01-14")).expect("activity");
        assert_eq!(none.display, None, "nothing seen is not 'standard text'");
    }

    #[test]
    fn what_an_older_version_counted_by_month_goes_to_the_period_holding_the_months_first_day() {
        let (_dir, store) = store();
        let old = r#"{"activeDays":{"2026-11":["2026-11-03","2026-11-04"]},"featureUse":{"2026-11":{"search":7}},"syncErrors":{"2026-11":2}}"#;
        store.vault.write(|w| w.set_setting(KEY, old)).expect("old record");
        let a = store.activity_between(day("2026-10-15"), day("2026-11-14")).expect("activity");
        assert_eq!((a.active_days, a.feature_use.get("search").copied(), a.sync_errors), (2, Some(7), 2));
        let later = store.activity_between(day("2026-11-15"), day("2026-12-14")).expect("activity");
        assert_eq!(later.active_days, 0, "counted once");
    }
}
