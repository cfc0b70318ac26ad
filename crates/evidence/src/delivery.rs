//! Delivery into the council's SharePoint lists through Graph, each response exactly once: the
//! list item carries the response id made on the device, and before every insert the list is
//! asked whether that id is already there (a retry after a lost answer finds its own item).

use crate::reports::SupportAnswer;
use crate::store::{EvidenceStore, StoreError};
use crate::survey::SurveyDefinition;
use companion_graph::{Feature, GraphClient, GraphError, GraphRequest, Method};
use serde_json::json;
use std::sync::Arc;

/// Where the trial's evidence goes: a SharePoint site and its lists (ids or names), from the
/// app's configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrialLists {
    /// The site id.
    pub site_id: String,
    /// Survey responses.
    pub surveys: String,
    /// Support requests.
    pub support: String,
    /// Monthly usage reports.
    pub usage: String,
}

/// Why a delivery pass stopped; what was not delivered stays for the next pass.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DeliveryError {
    /// The council could not be reached, or refused.
    #[error(transparent)]
    Graph(#[from] GraphError),
    /// The vault failed.
    #[error(transparent)]
    Store(#[from] StoreError),
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
        let check = GraphRequest::get(
            format!("{items}?$filter=fields/{key_field} eq '{}'&$top=1", quoted(key)),
            Feature::Evidence,
        )
        .filtering_unindexed_columns();
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

    /// Delivers every response the member has sent; returns how many went this time.
    pub async fn deliver(&self, store: &EvidenceStore, surveys: &[SurveyDefinition]) -> Result<u32, DeliveryError> {
        let mut delivered = 0;
        for response in store.undelivered()? {
            let title = surveys
                .iter()
                .find(|s| s.id == response.survey_id)
                .map_or(response.survey_id.clone(), |s| s.title.clone());
            let fields = json!({
                "Title": title,
                "SurveyId": response.survey_id,
                "SurveyVersion": response.survey_version,
                "MemberCode": self.member_code,
                "StartedAt": response.started_at.to_rfc3339(),
                "SubmittedAt": response.submitted_at.map(|t| t.to_rfc3339()),
                // Columns are text: the answers go as one JSON text, keyed by question id.
                "Answers": serde_json::to_string(&response.answers).unwrap_or_default(),
            });
            if self.put_once(&self.lists.surveys, "ResponseId", &response.response_id, fields).await? {
                delivered += 1;
            }
            store.mark_delivered(&response.response_id)?;
        }
        Ok(delivered)
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
        )
        .filtering_unindexed_columns();
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
            let fields = json!({
                "Title": request.category.label(),
                "MemberCode": self.member_code,
                "Category": request.category.label(),
                "Description": request.description,
                "CreatedAt": request.created_at.to_rfc3339(),
                "Diagnostics": serde_json::to_string(&request.diagnostics).unwrap_or_default(),
                // The service desk fills these in the same item; the member sees them.
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
            let fields = json!({
                "Title": title,
                "MemberCode": self.member_code,
                "CycleStart": report.cycle_start.format("%Y-%m-%d").to_string(),
                "CycleEnd": report.cycle_end.map(|d| d.format("%Y-%m-%d").to_string()),
                "Partial": report.partial,
                "AppMobileBytes": report.app_mobile_bytes,
                "AppWifiBytes": report.app_wifi_bytes,
                "PhoneMobileBytes": report.phone_mobile_bytes,
                "CapBytes": report.cap_bytes,
                "OverCap": report.over_cap,
                "CapBasis": match report.cap_basis {
                    crate::reports::CapBasis::Phone => "phone",
                    crate::reports::CapBasis::AppOnly => "app only",
                },
                "OverageChargePence": report.overage_charge_pence,
                "CallsStarted": report.calls_started,
                "TextsStarted": report.texts_started,
                "ActiveDays": report.active_days,
                "SyncErrors": report.sync_errors,
                "MedianOpenMessageMs": report.median_ms.get("open-message"),
                "MedianSearchMs": report.median_ms.get("search"),
                "MedianUpdateMs": report.median_ms.get("update"),
                "AppVersion": report.app_version,
                "Bytes": serde_json::to_string(&report.bytes).unwrap_or_default(),
                "FeatureUse": serde_json::to_string(&report.feature_use).unwrap_or_default(),
            });
            if self.put_once(&self.lists.usage, "ReportId", &report.report_id, fields).await? {
                delivered += 1;
            }
            store.mark_sent(&report.report_id)?;
        }
        Ok(delivered)
    }
}
