//! The trial's evidence in the app: consent, the survey due now, answering (saved as the member
//! goes), help requests with the diagnostics the member sees first, the monthly usage report,
//! and delivery into the council's lists with the rest of an update.

use crate::{AppCoreError, Companion, Result};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use chrono_tz::Europe::London;
use companion_evidence::{Answer, Consent, Diagnostics, ListDelivery, SupportCategory, SupportRequest, SurveyResponse, TrialLists, TrialSchedule, TrialTrigger, UsageReport};
use serde_json::{json, Value};

impl From<companion_evidence::StoreError> for AppCoreError {
    fn from(e: companion_evidence::StoreError) -> Self {
        Self::Vault(e.to_string())
    }
}

fn london_day(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&London).date_naive()
}

/// An error's code for diagnostics: its kind, never its text (which may name an item).
pub(crate) fn error_code(e: &companion_sync::SyncError) -> String {
    use companion_graph::GraphError as G;
    use companion_sync::SyncError as S;
    match e {
        S::Graph(G::Network(_)) => "network".into(),
        S::Graph(G::GaveUp { .. }) => "gave-up".into(),
        S::Graph(G::SignInRequired) => "sign-in-required".into(),
        S::Graph(G::Refused { status, code }) => format!("refused-{status}-{}", code.chars().filter(char::is_ascii_alphanumeric).take(40).collect::<String>()),
        S::Graph(G::Malformed(_)) | S::Malformed => "malformed-answer".into(),
        S::Graph(_) => "graph".into(),
        S::Vault(_) => "vault".into(),
        _ => "sync".into(),
    }
}

impl Companion {
    /// The member's consent, if given.
    pub fn consent(&self) -> Result<Option<Consent>> {
        Ok(self.evidence.consent()?)
    }

    /// Records the first-run consent screen's answer.
    pub fn set_consent(&self, surveys: bool, usage_reports: bool, now: DateTime<Utc>) -> Result<Consent> {
        Ok(self.evidence.set_consent(Consent::new(surveys, usage_reports, now))?)
    }

    fn schedule(&self) -> Result<Option<TrialSchedule>> {
        let Some(consent) = self.evidence.consent()? else { return Ok(None) };
        let enrolled = self.config.trial_start.unwrap_or_else(|| london_day(consent.given_at));
        Ok(Some(TrialSchedule::four_months_from(enrolled)))
    }

    /// The survey to offer now, if any (only with consent to surveys).
    pub fn survey_due(&self, now: DateTime<Utc>) -> Result<Option<Value>> {
        if !self.evidence.consent()?.is_some_and(|c| c.surveys) {
            return Ok(None);
        }
        let Some(schedule) = self.schedule()? else { return Ok(None) };
        let (done, last, triggers) = self.evidence.schedule_state()?;
        let Some(prompt) = schedule.due(london_day(now), &done, last, &triggers) else { return Ok(None) };
        let title = self.surveys.iter().find(|s| s.id == prompt.survey_id).map(|s| s.title.clone()).unwrap_or_default();
        Ok(Some(json!({"surveyId": prompt.survey_id, "key": prompt.key, "title": title})))
    }

    /// Opens a survey: its questions and the member's answers so far (an unfinished one
    /// resumes).
    pub fn survey_open(&self, survey_id: &str, now: DateTime<Utc>) -> Result<Value> {
        let survey = self.surveys.iter().find(|s| s.id == survey_id).ok_or(AppCoreError::NotFound("That survey"))?;
        let response = match self.evidence.unfinished(survey_id)? {
            Some(r) => r,
            None => {
                let r = SurveyResponse::start(survey, now);
                self.evidence.save(&r)?;
                r
            }
        };
        Ok(self.survey_view(&response))
    }

    fn survey_view(&self, r: &SurveyResponse) -> Value {
        let Some(survey) = self.surveys.iter().find(|s| s.id == r.survey_id) else { return Value::Null };
        let questions: Vec<Value> = r
            .questions(survey)
            .map(|q| {
                let (kind, choices, max) = match &q.kind {
                    companion_evidence::QuestionKind::Likert { scale } => ("likert", scale.clone(), None),
                    companion_evidence::QuestionKind::Nps => ("nps", (0..=10).map(|n| n.to_string()).collect(), None),
                    companion_evidence::QuestionKind::Single { options } => ("single", options.clone(), None),
                    companion_evidence::QuestionKind::Multiple { options } => ("multiple", options.clone(), None),
                    companion_evidence::QuestionKind::Text { max_length } => ("text", vec![], Some(*max_length)),
                };
                json!({"id": q.id, "text": q.text, "kind": kind, "choices": choices, "maxLength": max, "required": q.required, "answer": r.answers.get(&q.id)})
            })
            .collect();
        json!({
            "responseId": r.response_id, "surveyId": survey.id, "title": survey.title, "intro": survey.intro,
            "questions": questions, "next": r.next(survey).map(|q| q.id.clone()), "submitted": r.submitted_at.is_some(),
        })
    }

    /// Answers (or with `None` clears) one question; saved at once.
    pub fn survey_answer(&self, response_id: &str, question: &str, answer: Option<Answer>) -> Result<Value> {
        let mut r = self.evidence.response(response_id)?;
        let survey = self.surveys.iter().find(|s| s.id == r.survey_id).ok_or(AppCoreError::NotFound("That survey"))?;
        r.answer(survey, question, answer).map_err(|e| AppCoreError::Invalid(e.to_string()))?;
        self.evidence.save(&r)?;
        Ok(self.survey_view(&r))
    }

    /// Sends a finished survey (delivered with the next update).
    pub fn survey_submit(&self, response_id: &str, key: &str, now: DateTime<Utc>) -> Result<()> {
        let mut r = self.evidence.response(response_id)?;
        let survey = self.surveys.iter().find(|s| s.id == r.survey_id).ok_or(AppCoreError::NotFound("That survey"))?;
        r.submit(survey, now).map_err(|e| AppCoreError::Invalid(e.to_string()))?;
        self.evidence.save(&r)?;
        self.evidence.prompt_done(key, london_day(now))?;
        Ok(())
    }

    /// "Not now": the prompt is not offered again.
    pub fn survey_dismiss(&self, key: &str, now: DateTime<Utc>) -> Result<()> {
        Ok(self.evidence.prompt_done(key, london_day(now))?)
    }

    /// What a help request would carry, for the member to see first.
    pub fn diagnostics(&self) -> Result<Diagnostics> {
        let status = self.sync_status();
        let level = match self.allowance.governor().level() {
            companion_allowance::Level::Normal => "normal",
            companion_allowance::Level::Saver => "saver",
            companion_allowance::Level::Critical => "critical",
        };
        let (messages, _, _) = self.vault.counts()?;
        Ok(Diagnostics {
            app_version: env!("CARGO_PKG_VERSION").into(),
            platform: format!("{} {}", std::env::consts::OS, std::env::consts::ARCH),
            last_synced_at: status.last_synced_at,
            online: status.online,
            recent_error_codes: self.recent_errors.lock().unwrap_or_else(|e| e.into_inner()).iter().cloned().collect(),
            data_level: level.into(),
            outbox_waiting: self.vault.pending_outbox()?.len() as u32,
            cached_messages: messages,
        })
    }

    /// Queues a help request with the diagnostics (delivered to the support list with the next
    /// update, and emailed to the service desk through the outbox where one is configured).
    pub async fn send_help(&self, category: SupportCategory, description: &str, now: DateTime<Utc>) -> Result<String> {
        if description.trim().is_empty() {
            return Err(AppCoreError::Invalid("Please say what the problem is.".into()));
        }
        let request = SupportRequest::new(category, description.trim(), self.diagnostics()?, now);
        let id = request.request_id.clone();
        if let Some(desk) = self.config.support_mailbox.clone() {
            let code = self.evidence.consent()?.map(|c| c.member_code).unwrap_or_else(|| "no trial code".into());
            let lines: Vec<String> = request.diagnostics.lines().into_iter().map(|(k, v)| format!("{k}: {v}")).collect();
            let body = format!("{}\n\n{}\n\nRequest {id}", request.description, lines.join("\n"));
            let to = vec![companion_vault::Mailbox { name: "Service desk".into(), address: desk }];
            self.queue(companion_sync::LocalChange::Send { to, cc: vec![], subject: format!("Member Companion help: {} ({code})", category.label()), body }).await?;
        }
        self.evidence.add_support(request)?;
        self.evidence.triggered(TrialTrigger::SupportRequest, london_day(now))?;
        self.count_use("help");
        Ok(id)
    }

    /// Counts one use of a feature for the usage report. In memory only: opening a message or
    /// typing a search must not write the vault; the counts are saved with the next update,
    /// and only with consent.
    pub(crate) fn count_use(&self, feature: &str) {
        let mut uses = self.uses.lock().unwrap_or_else(|e| e.into_inner());
        *uses.entry((london_day(Utc::now()), feature.to_owned())).or_default() += 1;
    }

    /// Saves the counted uses (with consent to usage reports; otherwise forgets them).
    fn save_uses(&self, consent: &Consent) -> Result<()> {
        let counted = std::mem::take(&mut *self.uses.lock().unwrap_or_else(|e| e.into_inner()));
        if consent.usage_reports {
            let uses: Vec<_> = counted.into_iter().map(|((day, feature), times)| (day, feature, times)).collect();
            self.evidence.add_uses(&uses)?;
        }
        Ok(())
    }

    /// After an update, good or bad: the evidence's share of it. Its failures are logged and
    /// wait for the next update; they never undo the update or lose its warnings.
    pub(crate) async fn after_update(&self, graph: std::sync::Arc<companion_graph::GraphClient>, succeeded: bool, alerts: bool, now: DateTime<Utc>) {
        let result = if succeeded {
            self.evidence_pass(graph, alerts, now).await
        } else {
            self.evidence.consent().map_err(AppCoreError::from).and_then(|c| match c {
                Some(c) if c.usage_reports => self.evidence.count_sync_error(london_day(now)).map_err(AppCoreError::from),
                _ => Ok(()),
            })
        };
        if let Err(e) = result {
            tracing::warn!(error = %e, "the trial evidence could not be kept up to date");
        }
    }

    /// With an update: notes events, makes last month's usage report once, and delivers what
    /// waits. Failures wait for the next update.
    async fn evidence_pass(&self, graph: std::sync::Arc<companion_graph::GraphClient>, alerts: bool, now: DateTime<Utc>) -> Result<()> {
        let Some(consent) = self.evidence.consent()? else { return Ok(()) };
        self.save_uses(&consent)?;
        let today = london_day(now);
        if alerts {
            self.evidence.triggered(TrialTrigger::FirstDataWarning, today)?;
        }
        if consent.usage_reports {
            let this_month = today.with_day(1).unwrap_or(today);
            let last_month = this_month.pred_opt().and_then(|d| d.with_day(1)).unwrap_or(this_month);
            if last_month >= london_day(consent.given_at).with_day(1).unwrap_or(last_month) && last_month < this_month {
                let ledger = self.vault.traffic(last_month, this_month.pred_opt().unwrap_or(this_month))?;
                let (days, uses, errors) = self.evidence.activity(last_month)?;
                self.evidence.add_usage(UsageReport::for_month(&consent.member_code, last_month, &ledger, days, uses, errors, env!("CARGO_PKG_VERSION")))?;
            }
        }
        let Some(lists) = self.trial_lists() else { return Ok(()) };
        // The lists know the member by the code, or also by their council address where the
        // council's policy asks for names.
        let who = match self.config.evidence_identity {
            crate::config::EvidenceIdentity::Code => consent.member_code,
            crate::config::EvidenceIdentity::Name => format!("{} ({})", consent.member_code, self.vault.account()?.map(|a| a.mail).unwrap_or_default()),
        };
        let delivery = ListDelivery::new(graph, lists, who);
        let sent = delivery.deliver(&self.evidence, &self.surveys).await;
        let reports = delivery.deliver_reports(&self.evidence).await;
        if let Err(e) = sent.and(reports) {
            tracing::info!(error = %e, "trial evidence waits for the next update");
        }
        Ok(())
    }

    fn trial_lists(&self) -> Option<TrialLists> {
        let site = self.config.trial_site_id.clone()?;
        Some(TrialLists { site_id: site, surveys: self.config.trial_surveys_list.clone(), support: self.config.trial_support_list.clone(), usage: self.config.trial_usage_list.clone() })
    }

    /// How many survey responses, help requests and usage reports wait to be delivered.
    pub fn pending_evidence(&self) -> Result<(usize, usize, usize)> {
        Ok((self.evidence.undelivered()?.len(), self.evidence.undelivered_support()?.len(), self.evidence.undelivered_usage()?.len()))
    }
}

/// The "what we collect" page.
pub fn what_we_collect() -> Value {
    Value::Array(companion_evidence::what_we_collect().into_iter().map(|(what, detail)| json!({"what": what, "detail": detail})).collect())
}
