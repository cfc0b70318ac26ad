//! Message bodies, on demand (a member opens a message) or prefetched, twenty to a `$batch`,
//! with the data policy asked for each one.

use crate::engine::SyncEngine;
use crate::error::SyncError;
use crate::policy::{Decision, Download};
use chrono::Utc;
use companion_graph::{Feature, GraphRequest, Method};
use companion_vault::MessageBody;
use serde_json::json;
use std::time::Duration;

/// Graph's limit of requests in one `$batch`.
const BATCH: usize = 20;
/// Passes over the throttled items of a batch before leaving them for next time.
const PASSES: usize = 8;

/// What fetching bodies did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BodyReport {
    /// Bodies stored.
    pub fetched: u32,
    /// Messages gone from the server.
    pub missing: u32,
    /// Bodies the policy held back, with its reasons.
    pub deferred: Vec<String>,
    /// Bodies still throttled after every pass (fetched next time).
    pub left: u32,
}

/// Plain text of an HTML body, for the search index (display uses the sanitised HTML).
pub(crate) fn text_of(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let tag = &rest[open..];
        let lower: String = tag.chars().take(8).collect::<String>().to_ascii_lowercase();
        // Skip what is never text: styles, scripts and the head.
        let skip_to = ["<style", "<script", "<head"].iter().find(|t| lower.starts_with(*t)).and_then(|t| {
            let close = format!("</{}", &t[1..]);
            tag.to_ascii_lowercase().find(&close).map(|i| i + close.len())
        });
        let end = match skip_to {
            Some(i) => tag[i..].find('>').map(|j| i + j + 1).unwrap_or(tag.len()),
            None => tag.find('>').map(|j| j + 1).unwrap_or(tag.len()),
        };
        out.push(' ');
        rest = &tag[end..];
    }
    out.push_str(rest);
    let decoded = out.replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&");
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl SyncEngine {
    /// Fetches and stores the bodies of `ids` that the policy allows, twenty at a time.
    pub async fn fetch_bodies(&self, ids: &[String]) -> Result<BodyReport, SyncError> {
        let mut report = BodyReport::default();
        let mut wanted = Vec::new();
        for id in ids {
            let download = Download { feature: Feature::MailBodies, network: self.network().current(), expected_bytes: None, subject: format!("body of {id}") };
            match self.policy().decide(&download) {
                Decision::Allow => wanted.push(id.clone()),
                Decision::Defer(why) => report.deferred.push(why),
            }
        }
        for chunk in wanted.chunks(BATCH) {
            let mut pending: Vec<String> = chunk.to_vec();
            for pass in 0..PASSES {
                if pending.is_empty() {
                    break;
                }
                let requests: Vec<_> = pending
                    .iter()
                    .enumerate()
                    .map(|(i, id)| json!({"id": i.to_string(), "method": "GET", "url": format!("/me/messages/{id}?$select=body"), "headers": {"Prefer": "IdType=\"ImmutableId\""}}))
                    .collect();
                let req = GraphRequest::with_json(Method::POST, "/$batch", json!({"requests": requests}), Feature::MailBodies);
                let answer: serde_json::Value = self.graph().json(&req).await?;
                let mut again = Vec::new();
                let mut wait = Duration::ZERO;
                let now = Utc::now();
                for r in answer["responses"].as_array().into_iter().flatten() {
                    let Some(id) = r["id"].as_str().and_then(|i| i.parse::<usize>().ok()).and_then(|i| pending.get(i)) else { continue };
                    match r["status"].as_u64() {
                        Some(200) => {
                            let body = &r["body"]["body"];
                            let content = body["content"].as_str().unwrap_or_default();
                            let html = body["contentType"].as_str().is_some_and(|t| t.eq_ignore_ascii_case("html"));
                            let stored = if html {
                                MessageBody { text: Some(text_of(content)), html: Some(content.to_owned()) }
                            } else {
                                MessageBody { text: Some(content.to_owned()), html: None }
                            };
                            self.vault().write(|w| w.set_body(id, &stored, now))?;
                            report.fetched += 1;
                        }
                        Some(404) => report.missing += 1,
                        _ => {
                            // Throttled or failing inside the batch: wait as long as the longest
                            // Retry-After asked, then try those again.
                            let ra = r["headers"]["Retry-After"].as_str().and_then(|v| v.parse::<f64>().ok()).unwrap_or(1.0);
                            wait = wait.max(Duration::from_secs_f64(ra.clamp(0.0, 60.0)));
                            again.push(id.clone());
                        }
                    }
                }
                pending = again;
                if !pending.is_empty() && pass + 1 < PASSES {
                    tokio::time::sleep(wait).await;
                }
            }
            report.left += pending.len() as u32;
        }
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::text_of;

    #[test]
    fn text_of_html_drops_tags_styles_and_entities() {
        let html = "<html><head><style>p{color:red}</style></head><body><p>Fish &amp; chips</p><script>alert(1)</script><p>on&nbsp;Friday</p></body></html>";
        assert_eq!(text_of(html), "Fish & chips on Friday");
    }
}
