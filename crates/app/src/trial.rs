//! The trial's evidence in the app: consent, the survey due now, answering (saved as the member
//! goes), help requests with the diagnostics the member sees first, a usage report for each billing cycle,
//! and delivery into the council's lists with the rest of an update.

use crate::config::EvidenceIdentity;
use crate::core::{lock, london_day, Core};
use crate::error::{AppCoreError, Result};
use crate::views::{
    CollectedItem, Collection, Consent, DiagnosticLine, DisplaySettings, HelpCategory, HelpRequestItem, SurveyAnswer,
    SurveyDue, SurveyQuestion, SurveyQuestionKind, SurveyView,
};
use chrono::{DateTime, Utc};
use companion_allowance::AllowanceCycle;
use companion_evidence::{
    BillingCycle, ContractTerms, Diagnostics, EvidenceStore, ListDelivery, QuestionKind, SupportCategory,
    SupportRequest, SurveyDefinition, SurveyResponse, TrialLists, TrialSchedule, TrialTrigger, UsageReport,
};
use companion_graph::GraphClient;
use std::sync::Arc;

/// The trial's evidence. Cheap to clone: the update service holds one to deliver with each
/// update.
#[derive(Clone)]
pub struct TrialService {
    core: Arc<Core>,
    /// The surveys the app ships: the fallback, and what a survey from the site must replace.
    shipped: Arc<Vec<SurveyDefinition>>,
}

impl TrialService {
    pub(crate) fn new(core: Arc<Core>) -> Self {
        Self { core, shipped: Arc::new(companion_evidence::trial_surveys()) }
    }

    /// The evidence, for the member's screens (only while they may read).
    fn evidence(&self) -> Result<Arc<EvidenceStore>> {
        Ok(self.core.cache()?.evidence.clone())
    }

    /// The evidence, for the update's share of the work (whenever the cache is open).
    fn evidence_in_update(&self) -> Result<Arc<EvidenceStore>> {
        Ok(self.core.open_cache()?.evidence.clone())
    }

    /// The member's consent, if given.
    pub fn consent(&self) -> Result<Option<Consent>> {
        Ok(self.evidence()?.consent()?.map(Consent::from))
    }

    /// Records the first-run consent screen's answer.
    pub fn set_consent(&self, surveys: bool, usage_reports: bool, now: DateTime<Utc>) -> Result<Consent> {
        let consent = self.evidence()?.set_consent(companion_evidence::Consent::new(surveys, usage_reports, now))?;
        self.core.changed(&[Collection::Trial]);
        Ok(consent.into())
    }

    fn schedule(&self) -> Result<Option<TrialSchedule>> {
        let Some(consent) = self.evidence()?.consent()? else { return Ok(None) };
        let enrolled = self.core.config.trial_start.unwrap_or_else(|| london_day(consent.given_at));
        Ok(Some(TrialSchedule::four_months_from(enrolled)))
    }

    /// The surveys offered now: the shipped set, each replaced by a newer one the trial site
    /// published (as last read, so offline too). A kept text that no longer reads is skipped.
    fn surveys_from(&self, evidence: &EvidenceStore) -> Result<Vec<SurveyDefinition>> {
        let site: Vec<SurveyDefinition> =
            evidence.site_surveys()?.iter().filter_map(|text| SurveyDefinition::from_toml(text).ok()).collect();
        Ok(companion_evidence::effective_surveys(&self.shipped, &site))
    }

    fn survey(&self, id: &str) -> Result<SurveyDefinition> {
        self.surveys_from(&*self.evidence()?)?
            .into_iter()
            .find(|s| s.id == id)
            .ok_or(AppCoreError::NotFound("That survey"))
    }

    /// The survey to offer now, if any (only with consent to surveys).
    pub fn survey_due(&self, now: DateTime<Utc>) -> Result<Option<SurveyDue>> {
        if !self.evidence()?.consent()?.is_some_and(|c| c.surveys) {
            return Ok(None);
        }
        let Some(schedule) = self.schedule()? else { return Ok(None) };
        let (done, last, triggers) = self.evidence()?.schedule_state()?;
        let Some(prompt) = schedule.due(london_day(now), &done, last, &triggers) else { return Ok(None) };
        let title = self.survey(prompt.survey_id).map(|s| s.title).unwrap_or_default();
        Ok(Some(SurveyDue { survey_id: prompt.survey_id.to_owned(), key: prompt.key, title }))
    }

    /// Opens a survey: its questions and the member's answers so far (an unfinished one
    /// resumes).
    pub fn survey_open(&self, survey_id: &str, now: DateTime<Utc>) -> Result<SurveyView> {
        let survey = self.survey(survey_id)?;
        let response = match self.evidence()?.unfinished(survey_id)? {
            Some(r) => r,
            None => {
                let r = SurveyResponse::start(&survey, now);
                self.evidence()?.save(&r)?;
                r
            }
        };
        Ok(survey_view(&survey, &response))
    }

    /// Answers (or with `None` clears) one question; saved at once.
    pub fn survey_answer(&self, response_id: &str, question: &str, answer: Option<SurveyAnswer>) -> Result<SurveyView> {
        let mut r = self.evidence()?.response(response_id)?;
        let survey = self.survey(&r.survey_id)?;
        r.answer(&survey, question, answer.map(Into::into)).map_err(|e| AppCoreError::Invalid(e.to_string()))?;
        self.evidence()?.save(&r)?;
        Ok(survey_view(&survey, &r))
    }

    /// Sends a finished survey (delivered with the next update).
    pub fn survey_submit(&self, response_id: &str, key: &str, now: DateTime<Utc>) -> Result<()> {
        let mut r = self.evidence()?.response(response_id)?;
        let survey = self.survey(&r.survey_id)?;
        r.submit(&survey, now).map_err(|e| AppCoreError::Invalid(e.to_string()))?;
        self.evidence()?.save(&r)?;
        self.evidence()?.prompt_done(key, london_day(now))?;
        self.core.changed(&[Collection::Trial]);
        Ok(())
    }

    /// "Not now": the prompt is not offered again.
    pub fn survey_dismiss(&self, key: &str, now: DateTime<Utc>) -> Result<()> {
        self.evidence()?.prompt_done(key, london_day(now))?;
        self.core.changed(&[Collection::Trial]);
        Ok(())
    }

    /// What a help request would carry.
    pub fn diagnostics(&self) -> Result<Diagnostics> {
        let (status, recent) = {
            let record = lock(&self.core.updates);
            (record.status.clone(), record.recent_errors.iter().cloned().collect())
        };
        let level = match self.core.cache()?.allowance.governor().level() {
            companion_allowance::Level::Normal => "normal",
            companion_allowance::Level::Saver => "saver",
            companion_allowance::Level::Critical => "critical",
        };
        let (messages, _, _) = self.core.vault()?.counts()?;
        Ok(Diagnostics {
            app_version: env!("CARGO_PKG_VERSION").into(),
            platform: format!("{} {}", std::env::consts::OS, std::env::consts::ARCH),
            last_synced_at: status.last_synced_at,
            online: status.online,
            recent_error_codes: recent,
            data_level: level.into(),
            outbox_waiting: u32::try_from(self.core.vault()?.pending_outbox()?.len()).unwrap_or(u32::MAX),
            cached_messages: messages,
        })
    }

    /// What a help request would carry, line by line, for the member to read first.
    pub fn diagnostic_lines(&self) -> Result<Vec<DiagnosticLine>> {
        Ok(self
            .diagnostics()?
            .lines()
            .into_iter()
            .map(|(label, value)| DiagnosticLine { label: label.into(), value })
            .collect())
    }

    /// Queues a help request with the diagnostics (delivered to the support list with the next
    /// update, and emailed to the service desk through the outbox where one is configured).
    pub async fn send_help(&self, category: HelpCategory, description: &str, now: DateTime<Utc>) -> Result<String> {
        if description.trim().is_empty() {
            return Err(AppCoreError::Invalid("Please say what the problem is.".into()));
        }
        let category = SupportCategory::from(category);
        let request = SupportRequest::new(category, description.trim(), self.diagnostics()?, now);
        let id = request.request_id.clone();
        if let Some(desk) = self.core.config.support_mailbox.clone() {
            let code = self.evidence()?.consent()?.map(|c| c.member_code).unwrap_or_else(|| "no trial code".into());
            let lines: Vec<String> =
                request.diagnostics.lines().into_iter().map(|(k, v)| format!("{k}: {v}")).collect();
            let body = format!("{}\n\n{}\n\nRequest {id}", request.description, lines.join("\n"));
            let to = vec![companion_vault::Mailbox { name: "Service desk".into(), address: desk }];
            let subject = format!("Member Companion help: {} ({code})", category.label());
            self.core
                .queue(
                    companion_sync::LocalChange::Send { to, cc: vec![], subject, body, attachments: vec![] },
                    &[Collection::Outbox],
                )
                .await?;
        }
        self.evidence()?.add_support(request)?;
        self.evidence()?.triggered(TrialTrigger::SupportRequest, london_day(now))?;
        self.core.count_use(companion_evidence::Use::Help);
        self.core.changed(&[Collection::Trial]);
        Ok(id)
    }

    /// Notes the display and assistive settings the screen is shown with (the UI reports them
    /// when it opens and whenever they change), for the usage report's accessibility figures.
    /// Kept in memory until the next update, and forgotten there without consent.
    pub fn note_display(&self, settings: DisplaySettings) -> Result<()> {
        // A webview reports its root text size; anything outside a quarter to five times the
        // standard is not a setting a phone offers, and is refused rather than counted.
        if !(25..=500).contains(&settings.text_percent) {
            return Err(AppCoreError::Invalid(format!(
                "a text size of {}% is not one a phone offers",
                settings.text_percent
            )));
        }
        self.core.note_display(companion_evidence::DisplaySeen {
            text_percent: settings.text_percent,
            reduced_motion: settings.reduced_motion,
            more_contrast: settings.more_contrast,
            forced_colours: settings.forced_colours,
        });
        Ok(())
    }

    /// The "what we collect" page.
    pub fn what_we_collect(&self) -> Vec<CollectedItem> {
        companion_evidence::what_we_collect()
            .into_iter()
            .map(|(what, detail)| CollectedItem { what: what.into(), detail: detail.into() })
            .collect()
    }

    /// The member's requests for help, newest first, with the service desk's answers.
    pub fn help_requests(&self) -> Result<Vec<HelpRequestItem>> {
        Ok(self.evidence()?.support_requests()?.into_iter().map(HelpRequestItem::from).collect())
    }

    /// How many survey responses, help requests and usage reports wait to be delivered.
    pub fn pending(&self) -> Result<(usize, usize, usize)> {
        Ok((
            self.evidence()?.undelivered()?.len(),
            self.evidence()?.undelivered_support()?.len(),
            self.evidence()?.undelivered_usage()?.len(),
        ))
    }

    /// After an update, good or bad: the evidence's share of it. Its failures are logged and
    /// wait for the next update; they never undo the update or lose its warnings.
    pub(crate) async fn after_update(
        &self,
        graph: Arc<GraphClient>,
        succeeded: bool,
        alerts: bool,
        now: DateTime<Utc>,
    ) {
        let result = self.evidence_in_update().and_then(|evidence| Ok((evidence, self.core.open_cache()?)));
        let result = match result {
            Ok((evidence, cache)) => self.update_share(&evidence, &cache, graph, succeeded, alerts, now).await,
            Err(e) => Err(e),
        };
        if let Err(e) = result {
            tracing::warn!(error = ?e, "the trial evidence could not be kept up to date");
        }
    }

    async fn update_share(
        &self,
        evidence: &Arc<EvidenceStore>,
        cache: &crate::core::Cache,
        graph: Arc<GraphClient>,
        succeeded: bool,
        alerts: bool,
        now: DateTime<Utc>,
    ) -> Result<()> {
        if succeeded {
            self.deliver(evidence, cache, graph, alerts, now).await
        } else {
            evidence.consent().map_err(AppCoreError::from).and_then(|c| match c {
                Some(c) if c.usage_reports => evidence.count_sync_error(london_day(now)).map_err(AppCoreError::from),
                _ => Ok(()),
            })
        }
    }

    /// Saves the counted uses (with consent to usage reports; otherwise forgets them).
    fn save_uses(&self, evidence: &EvidenceStore, consent: &companion_evidence::Consent) -> Result<()> {
        let counted = self.core.take_uses();
        let timed = self.core.take_timings();
        let display = self.core.take_display();
        if consent.usage_reports {
            let uses: Vec<_> = counted.into_iter().map(|((day, feature), times)| (day, feature, times)).collect();
            evidence.add_uses(&uses)?;
            evidence.add_timings(&timed)?;
            evidence.add_display(&display)?;
        }
        Ok(())
    }

    /// With an update: notes events, makes last month's usage report once, and delivers what
    /// waits. Failures wait for the next update.
    async fn deliver(
        &self,
        evidence: &EvidenceStore,
        cache: &crate::core::Cache,
        graph: Arc<GraphClient>,
        alerts: bool,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let Some(consent) = evidence.consent()? else { return Ok(()) };
        self.save_uses(evidence, &consent)?;
        let today = london_day(now);
        if alerts {
            evidence.triggered(TrialTrigger::FirstDataWarning, today)?;
        }
        if consent.usage_reports {
            self.make_cycle_reports(evidence, cache, &consent, today, false)?;
        }
        let Some(lists) = self.trial_lists() else { return Ok(()) };
        let delivery = ListDelivery::new(graph, lists, self.who(&consent, cache)?);
        if consent.surveys && evidence.site_surveys_read_on()? != Some(today) {
            self.read_site_surveys(evidence, &delivery, today).await;
        }
        let mut surveys = self.surveys_from(evidence)?;
        // A response to an older version is delivered against the words it was answered in.
        surveys.extend(self.shipped.iter().cloned());
        let sent = delivery.deliver(evidence, &surveys).await;
        let reports = delivery.deliver_reports(evidence).await;
        match sent.and(reports) {
            Ok(_) => {}
            Err(e @ companion_evidence::DeliveryError::SiteNotGranted) => {
                // The service desk sees it in the next request for help's diagnostics.
                tracing::warn!(error = %e, "trial evidence waits for the next update");
                self.core.note_error_code("trialSiteNotGranted");
            }
            Err(e) => tracing::info!(error = %e, "trial evidence waits for the next update"),
        }
        match delivery.fetch_support_answers(evidence).await {
            Ok(true) => self.core.changed(&[Collection::Trial]),
            Ok(false) => {}
            Err(e) => tracing::info!(error = %e, "the service desk's answers wait for the next update"),
        }
        Ok(())
    }

    /// Once a day: the surveys the trial site publishes, kept for offline use; a refused one is
    /// reported to the officers and never shown. If the site cannot be read, the last good set
    /// (or the shipped one) stays.
    async fn read_site_surveys(&self, evidence: &EvidenceStore, delivery: &ListDelivery, today: chrono::NaiveDate) {
        let site = match delivery.fetch_site_surveys(&self.shipped).await {
            Ok(site) => site,
            Err(e) => {
                tracing::info!(error = %e, "the trial site's surveys wait for the next update");
                return;
            }
        };
        for refused in &site.refused {
            tracing::warn!(survey = %refused.survey_id, problem = %refused.problem, "a survey from the trial site was refused");
        }
        if let Err(e) = delivery.report_refused(&site.refused).await {
            tracing::info!(error = %e, "a survey problem waits to be reported");
            return; // read again next time, so the report is made
        }
        let texts = site.accepted.into_iter().map(|a| a.text).collect();
        match evidence.set_site_surveys(texts, today) {
            Ok(()) => self.core.changed(&[Collection::Trial]),
            Err(e) => tracing::warn!(error = %e, "the trial site's surveys could not be kept"),
        }
    }

    /// Makes a usage report for every billing cycle of the trial that has ended and has none
    /// yet (a cycle the app was not opened in is reported at the next update), and, once the
    /// trial is over or when `closing` (the member signs out), the last cycle to that day.
    /// Each report is made once: its id is the member's code and the cycle's first day.
    fn make_cycle_reports(
        &self,
        evidence: &EvidenceStore,
        cache: &crate::core::Cache,
        consent: &companion_evidence::Consent,
        today: chrono::NaiveDate,
        closing: bool,
    ) -> Result<()> {
        let allowance = cache.allowance.allowance()?;
        let terms =
            ContractTerms { cap_bytes: allowance.cap_bytes, overage_charge_pence: allowance.overage_charge_pence };
        let enrolled = self.core.config.trial_start.unwrap_or_else(|| london_day(consent.given_at));
        let trial = TrialSchedule::four_months_from(enrolled);
        let mut cycle = AllowanceCycle::containing(enrolled, allowance.cycle_start_day);
        while cycle.start <= trial.ends_on && cycle.start <= today {
            let last = today.min(trial.ends_on);
            let ended = cycle.end < today && cycle.end <= trial.ends_on;
            let closing_now = !ended && (closing || today > trial.ends_on) && cycle.contains(last);
            if ended || closing_now {
                let until = if ended { cycle.end } else { last };
                let period = BillingCycle { start: cycle.start, end: cycle.end };
                let report_id = format!("{}-{}", consent.member_code, cycle.start.format("%Y-%m-%d"));
                if !evidence.has_usage(&report_id)? {
                    let ledger = cache.vault.traffic(cycle.start, until)?;
                    let activity = evidence.activity_between(cycle.start, until)?;
                    let phone = cache.allowance.device_reading_in(cycle)?.filter(|r| r.day <= until).map(|r| r.bytes);
                    evidence.add_usage(UsageReport::for_cycle(
                        &consent.member_code,
                        period,
                        !ended,
                        &ledger,
                        activity,
                        phone,
                        terms,
                        env!("CARGO_PKG_VERSION"),
                    ))?;
                }
            }
            cycle = cycle.next(allowance.cycle_start_day);
        }
        Ok(())
    }

    /// Before the member signs out (the cache is about to go): the current cycle's report to
    /// this day, and one try at delivering what waits, for at most `wait`.
    pub async fn send_final_report(&self, now: DateTime<Utc>, wait: std::time::Duration) -> Result<()> {
        let cache = self.core.open_cache()?;
        let evidence = cache.evidence.clone();
        let Some(consent) = evidence.consent()? else { return Ok(()) };
        if !consent.usage_reports {
            return Ok(());
        }
        self.save_uses(&evidence, &consent)?;
        self.make_cycle_reports(&evidence, &cache, &consent, london_day(now), true)?;
        let Some(lists) = self.trial_lists() else { return Ok(()) };
        let session = self.core.session().await?;
        let delivery = ListDelivery::new(session.graph.clone(), lists, self.who(&consent, &cache)?);
        match tokio::time::timeout(wait, delivery.deliver_reports(&evidence)).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => {
                tracing::info!(error = %e, "the final usage report could not be delivered");
                Ok(())
            }
            Err(_) => {
                tracing::info!("the final usage report did not go in time");
                Ok(())
            }
        }
    }

    /// How the lists know the member: by the code, or also by their council address where the
    /// council's policy asks for names.
    fn who(&self, consent: &companion_evidence::Consent, cache: &crate::core::Cache) -> Result<String> {
        Ok(match self.core.config.evidence_identity {
            EvidenceIdentity::Code => consent.member_code.clone(),
            EvidenceIdentity::Name => {
                format!("{} ({})", consent.member_code, cache.vault.account()?.map(|a| a.mail).unwrap_or_default())
            }
        })
    }

    fn trial_lists(&self) -> Option<TrialLists> {
        let config = &self.core.config;
        let site = config.trial_site_id.clone()?;
        Some(TrialLists {
            site_id: site,
            surveys: config.trial_surveys_list.clone(),
            answers: config.trial_answers_list.clone(),
            definitions: config.trial_survey_definitions_list.clone(),
            problems: config.trial_survey_problems_list.clone(),
            support: config.trial_support_list.clone(),
            usage: config.trial_usage_list.clone(),
        })
    }
}

fn survey_view(survey: &SurveyDefinition, r: &SurveyResponse) -> SurveyView {
    let questions = r
        .questions(survey)
        .map(|q| {
            let (kind, choices, max_length) = match &q.kind {
                QuestionKind::Likert { scale } => (SurveyQuestionKind::Likert, scale.clone(), None),
                QuestionKind::Nps => (SurveyQuestionKind::Nps, (0..=10).map(|n| n.to_string()).collect(), None),
                QuestionKind::Single { options } => (SurveyQuestionKind::Single, options.clone(), None),
                QuestionKind::Multiple { options } => (SurveyQuestionKind::Multiple, options.clone(), None),
                QuestionKind::Text { max_length } => {
                    (SurveyQuestionKind::Text, vec![], Some(u32::try_from(*max_length).unwrap_or(u32::MAX)))
                }
            };
            SurveyQuestion {
                id: q.id.clone(),
                text: q.text.clone(),
                kind,
                choices,
                max_length,
                required: q.required,
                answer: r.answers.get(&q.id).map(SurveyAnswer::from),
            }
        })
        .collect();
    SurveyView {
        response_id: r.response_id.clone(),
        survey_id: survey.id.clone(),
        title: survey.title.clone(),
        intro: survey.intro.clone(),
        questions,
        next: r.next(survey).map(|q| q.id.clone()),
        submitted: r.submitted_at.is_some(),
    }
}
