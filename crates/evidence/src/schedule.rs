//! When to ask: the baseline at enrolment, a pulse each month on the enrolment day (the last day
//! of a shorter month), the exit survey in the trial's last week, and the event-triggered
//! questions, which wait out a cool-down after any other prompt so a member is not pestered.

use chrono::{Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// Events after which a short survey is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum TrialTrigger {
    /// The member's first data allowance warning of the trial.
    FirstDataWarning,
    /// The member asked for help.
    SupportRequest,
}

/// Why a survey is due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptReason {
    /// The member has just enrolled.
    Enrolment,
    /// This month's pulse, due on this date.
    Monthly(NaiveDate),
    /// The trial's last week.
    EndOfTrial,
    /// After an event.
    After(TrialTrigger),
}

/// A survey to offer now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    /// The survey's id.
    pub survey_id: &'static str,
    /// Why now.
    pub reason: PromptReason,
    /// This prompt's own key: once answered or dismissed it is not asked again.
    pub key: String,
}

/// The trial's dates and the cool-down.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrialSchedule {
    /// The member's first day (London date).
    pub enrolled_on: NaiveDate,
    /// The trial's last day.
    pub ends_on: NaiveDate,
    /// Days after any prompt before an event-triggered one may follow.
    pub cool_down_days: u64,
}

/// The exit survey is offered in the last this-many days of the trial.
const EXIT_WINDOW_DAYS: u64 = 7;

impl TrialSchedule {
    /// A four-month trial from `enrolled_on`, with a week's cool-down.
    pub fn four_months_from(enrolled_on: NaiveDate) -> Self {
        let ends_on = enrolled_on.checked_add_months(Months::new(4)).and_then(|d| d.pred_opt()).unwrap_or(enrolled_on);
        Self { enrolled_on, ends_on, cool_down_days: 7 }
    }

    fn exit_from(&self) -> NaiveDate {
        self.ends_on.checked_sub_days(Days::new(EXIT_WINDOW_DAYS - 1)).unwrap_or(self.ends_on)
    }

    /// The pulse dates: each month on the enrolment day, clamped to a shorter month's end
    /// (enrolled on 31 January: 28 or 29 February, 31 March, 30 April), before the exit week.
    pub fn pulse_dates(&self) -> Vec<NaiveDate> {
        (1..)
            .map_while(|k| self.enrolled_on.checked_add_months(Months::new(k)))
            .take_while(|d| *d < self.exit_from())
            .collect()
    }

    /// What to offer on `today`: `done` holds the keys already answered or dismissed,
    /// `last_prompted` the day of the last prompt, `triggers` the events seen and when.
    pub fn due(
        &self,
        today: NaiveDate,
        done: &[String],
        last_prompted: Option<NaiveDate>,
        triggers: &[(TrialTrigger, NaiveDate)],
    ) -> Option<Prompt> {
        if today < self.enrolled_on || today > self.ends_on {
            return None;
        }
        let is_done = |key: &str| done.iter().any(|d| d == key);
        if !is_done("baseline") {
            return Some(Prompt { survey_id: "baseline", reason: PromptReason::Enrolment, key: "baseline".into() });
        }
        if today >= self.exit_from() {
            return (!is_done("exit")).then_some(Prompt {
                survey_id: "exit",
                reason: PromptReason::EndOfTrial,
                key: "exit".into(),
            });
        }
        // Only the latest pulse: one missed while away is not stacked on the next.
        if let Some(date) = self.pulse_dates().into_iter().rfind(|d| *d <= today) {
            let key = format!("pulse-{date}");
            if !is_done(&key) {
                return Some(Prompt { survey_id: "monthly-pulse", reason: PromptReason::Monthly(date), key });
            }
        }
        let cooled = last_prompted.is_none_or(|last| today >= last + Days::new(self.cool_down_days));
        if !cooled {
            return None;
        }
        triggers.iter().find_map(|(trigger, on)| {
            let (survey_id, key) = match trigger {
                TrialTrigger::FirstDataWarning => ("after-data-warning", "after-data-warning".to_owned()),
                TrialTrigger::SupportRequest => ("after-support", format!("after-support-{on}")),
            };
            (!is_done(&key) && *on <= today).then_some(Prompt { survey_id, reason: PromptReason::After(*trigger), key })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    #[test]
    fn the_baseline_comes_first_then_pulses_on_time_across_month_ends_then_the_exit_survey() {
        let s = TrialSchedule::four_months_from(d("2027-01-31"));
        assert_eq!(s.ends_on, d("2027-05-30"));
        assert_eq!(s.pulse_dates(), vec![d("2027-02-28"), d("2027-03-31"), d("2027-04-30")]);
        let mut done: Vec<String> = vec![];
        assert_eq!(s.due(d("2027-01-31"), &done, None, &[]).map(|p| p.survey_id), Some("baseline"));
        done.push("baseline".into());
        assert_eq!(s.due(d("2027-02-27"), &done, None, &[]), None, "nothing until the first pulse");
        let p = s.due(d("2027-02-28"), &done, None, &[]).expect("the February pulse, on the last day of the month");
        assert_eq!((p.survey_id, p.reason), ("monthly-pulse", PromptReason::Monthly(d("2027-02-28"))));
        // Away for March: April's pulse replaces March's, not both.
        let p = s.due(d("2027-04-30"), &done, None, &[]).expect("April");
        assert_eq!(p.key, "pulse-2027-04-30");
        done.push(p.key);
        assert_eq!(s.due(d("2027-05-23"), &done, None, &[]), None, "the day before the last week");
        assert_eq!(s.due(d("2027-05-24"), &done, None, &[]).map(|p| p.survey_id), Some("exit"));
        done.push("exit".into());
        assert_eq!(s.due(d("2027-05-30"), &done, None, &[]), None);
        assert_eq!(s.due(d("2027-06-01"), &[], None, &[]), None, "nothing after the trial");
    }

    #[test]
    fn an_event_survey_waits_for_the_cool_down_and_is_asked_once() {
        let s = TrialSchedule::four_months_from(d("2026-11-02"));
        let mut done = vec!["baseline".to_owned(), "pulse-2026-12-02".to_owned()];
        let triggers = [(TrialTrigger::FirstDataWarning, d("2026-12-04"))];
        assert_eq!(
            s.due(d("2026-12-04"), &done, Some(d("2026-12-02")), &triggers),
            None,
            "two days after the pulse: too soon"
        );
        assert_eq!(s.due(d("2026-12-08"), &done, Some(d("2026-12-02")), &triggers), None);
        let p = s.due(d("2026-12-09"), &done, Some(d("2026-12-02")), &triggers).expect("a week on");
        assert_eq!(p.survey_id, "after-data-warning");
        done.push(p.key);
        assert_eq!(s.due(d("2026-12-20"), &done, Some(d("2026-12-09")), &triggers), None, "asked once");
        let help = [(TrialTrigger::SupportRequest, d("2026-12-20")), (TrialTrigger::SupportRequest, d("2027-01-10"))];
        assert_eq!(
            s.due(d("2026-12-20"), &done, Some(d("2026-12-09")), &help).map(|p| p.key),
            Some("after-support-2026-12-20".into())
        );
        done.push("after-support-2026-12-20".into());
        assert_eq!(
            s.due(d("2026-12-24"), &done, Some(d("2026-12-20")), &help),
            None,
            "the second request's survey waits"
        );
    }
}
