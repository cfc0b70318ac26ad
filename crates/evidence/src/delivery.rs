//! Delivery into the council's SharePoint lists through Graph, each response exactly once: the
//! list item carries the response id made on the device, and before every insert the list is
//! asked whether that id is already there (a retry after a lost answer finds its own item).

use crate::lists::{byte_columns, Use, CAP_BASES, METERED_FEATURES};
use crate::reports::{CapBasis, SupportAnswer, UsageReport};
use crate::site_surveys::{RefusedSurvey, SiteSurveys};
use crate::store::{EvidenceStore, StoreError};
use crate::survey::{Answer, QuestionKind, SurveyDefinition};
use companion_graph::{Feature, GraphClient, GraphError, GraphRequest, Method};
use serde_json::json;
use std::sync::Arc;

/// Where the trial's evidence goes: a SharePoint site and its lists (ids or names), from the
/// app's configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrialLists {
    /// The site id.
    pub site_id: String,
    /// Survey responses, one item each.
    pub surveys: String,
    /// Survey answers, one item each.
    pub answers: String,
    /// Support requests.
    pub support: String,
    /// Monthly usage reports.
    pub usage: String,
    /// The surveys the officers publish.
    pub definitions: String,
    /// What the app found wrong with a published survey.
    pub problems: String,
}

/// Why a delivery pass stopped; what was not delivered stays for the next pass.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DeliveryError {
    /// The trial site refused the app (403): with `Sites.Selected` the app reaches only a
    /// site ICT granted it. Nothing is lost; it waits on the device.
    #[error("the council's trial site has not given this app access: ICT must grant it the site (member-companion-admin provision --grant-app); what waits stays on this phone")]
    SiteNotGranted,
    /// The council could not be reached, or refused.
    #[error(transparent)]
    Graph(GraphError),
    /// The vault failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<GraphError> for DeliveryError {
    fn from(e: GraphError) -> Self {
        match e {
            GraphError::Refused { status: 403, .. } => DeliveryError::SiteNotGranted,
            other => DeliveryError::Graph(other),
        }
    }
}

/// Delivers survey responses.
pub struct ListDelivery {
    graph: Arc<GraphClient>,
    lists: TrialLists,
    /// The pseudonymous code the list shows instead of the member's name.
    member_code: String,
}

fn quoted(value: &str) -> String {
    // OData string literal: a quote is doubled.
    value.replace('\'', "''")
}

impl ListDelivery {
    /// Delivery through `graph` into `lists`, signed with `member_code`.
    pub fn new(graph: Arc<GraphClient>, lists: TrialLists, member_code: impl Into<String>) -> Self {
        Self { graph, lists, member_code: member_code.into() }
    }

    /// Puts `fields` into `list` unless an item with `key_field` = `key` is already there.
    /// Returns whether it inserted.
    async fn put_once(
        &self,
        list: &str,
        key_field: &str,
        key: &str,
        mut fields: serde_json::Value,
    ) -> Result<bool, GraphError> {
        let items = format!("/sites/{}/lists/{}/items", self.lists.site_id, list);
        // The key column is indexed (`provision` makes it so): no warning header, and the
        // check holds on a list of any size.
        let check = GraphRequest::get(
            format!("{items}?$filter=fields/{key_field} eq '{}'&$top=1", quoted(key)),
            Feature::Evidence,
        );
        let found: serde_json::Value = self.graph.json(&check).await?;
        if found["value"].as_array().is_some_and(|v| !v.is_empty()) {
            return Ok(false);
        }
        fields[key_field] = json!(key);
        let created: serde_json::Value = self
            .graph
            .json(&GraphRequest::with_json(Method::POST, items, json!({ "fields": fields }), Feature::Evidence))
            .await?;
        // A captive portal or a broken proxy can answer 200 with a page of its own and pass
        // nothing on: only the created item, with its id, says the answer is in the list.
        if !created["id"].is_string() {
            return Err(GraphError::Malformed("the answer did not come from SharePoint".into()));
        }
        Ok(true)
    }

    /// Delivers every response the member has sent; returns how many went this time. Each
    /// answer is an item of its own in the answers list (so an officer filters and charts by
    /// question), then the response's item says it is complete.
    pub async fn deliver(&self, store: &EvidenceStore, surveys: &[SurveyDefinition]) -> Result<u32, DeliveryError> {
        let mut delivered = 0;
        for response in store.undelivered()? {
            let survey = surveys.iter().find(|s| s.id == response.survey_id && s.version == response.survey_version);
            for (question, answer) in &response.answers {
                let kind = survey.and_then(|s| s.questions.iter().find(|q| &q.id == question)).map(|q| &q.kind);
                let mut fields = json!({
                    "Title": format!("{} {question}", response.survey_id),
                    "ResponseId": response.response_id,
                    "MemberCode": self.member_code,
                    "SurveyId": response.survey_id,
                    "SurveyVersion": response.survey_version,
                    "QuestionId": question,
                });
                answer_fields(&mut fields, answer, kind);
                let key = format!("{}/{question}", response.response_id);
                self.put_once(&self.lists.answers, "AnswerKey", &key, fields).await?;
            }
            let fields = json!({
                "Title": survey.map_or(response.survey_id.clone(), |s| s.title.clone()),
                "SurveyId": response.survey_id,
                "SurveyVersion": response.survey_version,
                "MemberCode": self.member_code,
                "StartedAt": response.started_at.to_rfc3339(),
                "SubmittedAt": response.submitted_at.map(|t| t.to_rfc3339()),
                "QuestionsAnswered": response.answers.len(),
            });
            if self.put_once(&self.lists.surveys, "ResponseId", &response.response_id, fields).await? {
                delivered += 1;
            }
            store.mark_delivered(&response.response_id)?;
        }
        Ok(delivered)
    }

    /// Reads the surveys published on the trial site and sorts them against `shipped`.
    pub async fn fetch_site_surveys(&self, shipped: &[SurveyDefinition]) -> Result<SiteSurveys, DeliveryError> {
        let request = GraphRequest::get(
            format!("/sites/{}/lists/{}/items?$expand=fields&$top=200", self.lists.site_id, self.lists.definitions),
            Feature::Evidence,
        );
        let found: serde_json::Value = self.graph.json(&request).await?;
        let Some(items) = found["value"].as_array() else {
            return Err(GraphError::Malformed("the surveys list's answer has no items".into()).into());
        };
        Ok(SiteSurveys::from_items(items, shipped))
    }

    /// Tells the officers what is wrong with each refused survey, once for each version of its
    /// item (every device finds the same problem; the first to report it is enough).
    pub async fn report_refused(&self, refused: &[RefusedSurvey]) -> Result<u32, DeliveryError> {
        let mut reported = 0;
        for r in refused {
            let fields = json!({
                "Title": format!("The survey “{}” cannot be used", r.survey_id),
                "SurveyId": r.survey_id.chars().take(255).collect::<String>(),
                "SurveyVersion": r.version,
                "Problem": r.problem,
            });
            if self.put_once(&self.lists.problems, "ProblemKey", &r.key, fields).await? {
                reported += 1;
            }
        }
        Ok(reported)
    }

    /// Reads what the service desk filled in on the member's requests for help (status,
    /// resolved on, minutes, complexity, answer) and keeps it; returns whether anything changed.
    pub async fn fetch_support_answers(&self, store: &EvidenceStore) -> Result<bool, DeliveryError> {
        let sent = store.support_requests()?;
        if sent.iter().all(|r| r.answer.as_ref().is_some_and(|a| a.resolved_on.is_some())) {
            return Ok(false);
        }
        let request = GraphRequest::get(
            format!(
                "/sites/{}/lists/{}/items?$expand=fields($select=RequestId,Status,ResolvedOn,MinutesSpent,Complexity,Answer)&$filter=fields/MemberCode eq '{}'&$top=200",
                self.lists.site_id,
                self.lists.support,
                quoted(&self.member_code)
            ),
            Feature::Evidence,
        );
        let found: serde_json::Value = self.graph.json(&request).await?;
        let answers: Vec<(String, SupportAnswer)> = found["value"]
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .filter_map(|i| {
                        let id = i["fields"]["RequestId"].as_str()?;
                        Some((id.to_owned(), SupportAnswer::from_fields(&i["fields"])))
                    })
                    .collect()
            })
            .unwrap_or_default();
        Ok(store.set_support_answers(&answers)?)
    }

    /// Delivers support requests and usage reports; returns how many went this time.
    pub async fn deliver_reports(&self, store: &EvidenceStore) -> Result<u32, DeliveryError> {
        let mut delivered = 0;
        for request in store.undelivered_support()? {
            let d = &request.diagnostics;
            let fields = json!({
                "Title": request.category.label(),
                "MemberCode": self.member_code,
                "Category": request.category.label(),
                "Description": request.description,
                "CreatedAt": request.created_at.to_rfc3339(),
                "AppVersion": d.app_version,
                "Platform": d.platform,
                "LastSyncedAt": d.last_synced_at,
                "Online": d.online,
                "RecentErrors": d.recent_error_codes.join(", ").chars().take(255).collect::<String>(),
                "DataLevel": d.data_level,
                "OutboxWaiting": d.outbox_waiting,
                "CachedMessages": d.cached_messages,
                // The service desk fills the rest in the same item; the member sees them.
                "Status": "New",
            });
            if self.put_once(&self.lists.support, "RequestId", &request.request_id, fields).await? {
                delivered += 1;
            }
            store.mark_sent(&request.request_id)?;
        }
        for report in store.undelivered_usage()? {
            let title = match (report.cycle_end, report.partial) {
                (Some(end), false) => {
                    format!("Usage {} to {}", report.cycle_start.format("%-d %B"), end.format("%-d %B %Y"))
                }
                (Some(_), true) => format!("Usage from {} (to date)", report.cycle_start.format("%-d %B %Y")),
                (None, _) => format!("Usage {}", report.cycle_start.format("%B %Y")),
            };
            let fields = usage_fields(&title, &self.member_code, &report);
            if self.put_once(&self.lists.usage, "ReportId", &report.report_id, fields).await? {
                delivered += 1;
            }
            store.mark_sent(&report.report_id)?;
        }
        Ok(delivered)
    }
}

/// The answer's columns: the label chosen (and its place on the scale as the score), the NPS
/// score, the choices (joined, one per line), or the words.
fn answer_fields(fields: &mut serde_json::Value, answer: &Answer, kind: Option<&QuestionKind>) {
    match (answer, kind) {
        (Answer::Score(n), _) => fields["Score"] = json!(n),
        (Answer::Choices(many), _) => fields["Choices"] = json!(many.join("\n")),
        (Answer::Choice(text), Some(QuestionKind::Text { .. })) => fields["AnswerText"] = json!(text),
        (Answer::Choice(label), Some(QuestionKind::Likert { scale })) => {
            fields["Choice"] = json!(label);
            if let Some(place) = scale.iter().position(|l| l == label) {
                fields["Score"] = json!(place + 1);
            }
        }
        (Answer::Choice(label), _) if label.chars().count() <= 255 => fields["Choice"] = json!(label),
        (Answer::Choice(text), _) => fields["AnswerText"] = json!(text),
    }
}

/// A usage report as the usage list's typed columns.
fn usage_fields(title: &str, member_code: &str, report: &UsageReport) -> serde_json::Value {
    let mut fields = json!({
        "Title": title,
        "MemberCode": member_code,
        "CycleStart": report.cycle_start.format("%Y-%m-%d").to_string(),
        "CycleEnd": report.cycle_end.map(|d| d.format("%Y-%m-%d").to_string()),
        "Partial": report.partial,
        "AppMobileBytes": report.app_mobile_bytes,
        "AppWifiBytes": report.app_wifi_bytes,
        "PhoneMobileBytes": report.phone_mobile_bytes,
        "CapBytes": report.cap_bytes,
        "OverCap": report.over_cap,
        "CapBasis": match report.cap_basis {
            CapBasis::Phone => CAP_BASES[0],
            CapBasis::AppOnly => CAP_BASES[1],
        },
        "OverageChargePence": report.overage_charge_pence,
        "CallsStarted": report.calls_started,
        "TextsStarted": report.texts_started,
        "ActiveDays": report.active_days,
        "SyncErrors": report.sync_errors,
        "MedianOpenMessageMs": report.median_ms.get("open-message"),
        "MedianSearchMs": report.median_ms.get("search"),
        "MedianUpdateMs": report.median_ms.get("update"),
        // Blank where the app saw no display settings in the cycle (an older version).
        "TextSizePercent": report.display.map(|d| d.text_percent),
        "ReducedMotion": report.display.map(|d| d.reduced_motion),
        "MoreContrast": report.display.map(|d| d.more_contrast),
        "ForcedColours": report.display.map(|d| d.forced_colours),
        "AppVersion": report.app_version,
    });
    // Every feature's and use's column is written, zeros included, so an officer's sum or
    // chart over a column never meets a gap.
    for feature in METERED_FEATURES {
        let (mobile, wifi) = byte_columns(feature.as_str());
        let bytes = report.bytes.iter().find(|b| b.feature == feature.as_str());
        fields[mobile] = json!(bytes.map_or(0, |b| b.mobile));
        fields[wifi] = json!(bytes.map_or(0, |b| b.wifi));
    }
    for u in Use::ALL {
        fields[u.column()] = json!(report.feature_use.get(u.key()).copied().unwrap_or(0));
    }
    fields
}
