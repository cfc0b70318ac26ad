//! Message bodies, on demand (a member opens a message) or prefetched, twenty to a `$batch`,
//! with the data policy asked for each one.

use crate::engine::SyncEngine;
use crate::error::SyncError;
use crate::policy::{Decision, Download, Purpose};
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

/// Where `needle` (ASCII, lower case) first occurs in `haystack`, ignoring ASCII case. Scans
/// only as far as the match, and allocates nothing.
fn find_ignoring_case(haystack: &str, needle: &str) -> Option<usize> {
    let (hay, needle) = (haystack.as_bytes(), needle.as_bytes());
    hay.windows(needle.len()).position(|w| w.eq_ignore_ascii_case(needle))
}

/// Plain text of an HTML body, for the search index (display uses the sanitised HTML). Linear
/// in the body's length: each search for a closing tag stops where it is found, and the text
/// after it is never searched again.
pub fn text_of(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let tag = &rest[open..];
        // Skip what is never text: styles, scripts and the head (not `<header>`: the name
        // must end where the element's name ends).
        let skipped = ["style", "script", "head"].into_iter().find(|name| {
            let after = 1 + name.len();
            tag.len() > after
                && tag.as_bytes()[1..after].eq_ignore_ascii_case(name.as_bytes())
                && matches!(tag.as_bytes()[after], b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r')
        });
        let skip_to = skipped.and_then(|name| {
            let close = format!("</{name}");
            find_ignoring_case(tag, &close).map(|i| i + close.len())
        });
        let end = match (skipped, skip_to) {
            (_, Some(i)) => tag[i..].find('>').map(|j| i + j + 1).unwrap_or(tag.len()),
            // An element that is never text and never closed: the rest of the body is its.
            (Some(_), None) => tag.len(),
            (None, None) => tag.find('>').map(|j| j + 1).unwrap_or(tag.len()),
        };
        out.push(if is_block(tag) { '\n' } else { ' ' });
        rest = &tag[end..];
    }
    out.push_str(rest);
    let decoded = out
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    // One space between words, one line per block, no blank lines: the search index needs
    // the words, and a body shown as text keeps its paragraphs.
    decoded
        .lines()
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Whether `tag` (from its `<`) opens or closes an element that starts a new line.
fn is_block(tag: &str) -> bool {
    const BLOCKS: [&str; 22] = [
        "p",
        "div",
        "br",
        "li",
        "tr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "blockquote",
        "hr",
        "header",
        "footer",
        "section",
        "article",
        "ul",
        "ol",
        "pre",
        "title",
    ];
    let name = tag[1..].trim_start_matches('/');
    let len = name.bytes().take_while(u8::is_ascii_alphanumeric).count();
    BLOCKS.iter().any(|b| b.eq_ignore_ascii_case(&name[..len]))
}

/// One answer inside a `$batch`.
pub(crate) struct BatchAnswer<'a> {
    /// The item it answers.
    pub item: &'a str,
    /// Its status.
    pub status: u64,
    /// Its body.
    pub body: &'a serde_json::Value,
}

/// A `$batch` answer read against the ids it was asked for.
pub(crate) struct BatchReading<'a> {
    /// The answers to store (any status but throttled or failing).
    pub answers: Vec<BatchAnswer<'a>>,
    /// The ids to ask again, throttled or failing inside the batch.
    pub again: Vec<&'a String>,
    /// The longest `Retry-After` those asked for, bounded.
    pub wait: Duration,
}

/// Reads a `$batch` answer. It is outside input: an answer naming an id that was not asked
/// for, twice, or not at all is skipped (an id never answered is simply not stored).
pub(crate) fn read_batch<'a>(answer: &'a serde_json::Value, pending: &'a [String]) -> BatchReading<'a> {
    let mut reading = BatchReading { answers: Vec::new(), again: Vec::new(), wait: Duration::ZERO };
    let mut seen = vec![false; pending.len()];
    for r in answer["responses"].as_array().into_iter().flatten() {
        let Some(i) = r["id"].as_str().and_then(|i| i.parse::<usize>().ok()).filter(|i| *i < pending.len()) else {
            continue;
        };
        if std::mem::replace(&mut seen[i], true) {
            continue;
        }
        let status = r["status"].as_u64().unwrap_or(0);
        if status == 429 || status >= 500 {
            // Throttled or failing inside the batch: wait as long as the longest
            // Retry-After asked, then try those again.
            reading.wait = reading.wait.max(inner_retry_after(&r["headers"]["Retry-After"]));
            reading.again.push(&pending[i]);
        } else {
            reading.answers.push(BatchAnswer { item: &pending[i], status, body: &r["body"] });
        }
    }
    reading
}

/// A message body as Graph gives it (`{"body": {"contentType", "content"}}`), as it is stored.
pub(crate) fn stored_body(answer: &serde_json::Value) -> MessageBody {
    let content = answer["body"]["content"].as_str().unwrap_or_default();
    let html = answer["body"]["contentType"].as_str().is_some_and(|t| t.eq_ignore_ascii_case("html"));
    if html {
        MessageBody { text: Some(text_of(content)), html: Some(content.to_owned()) }
    } else {
        MessageBody { text: Some(content.to_owned()), html: None }
    }
}

impl SyncEngine {
    /// Asks the policy about each of `ids`; returns the allowed ones and records the rest.
    pub(crate) fn allowed(
        &self,
        ids: &[String],
        purpose: Purpose,
        feature: Feature,
        what: &str,
        deferred: &mut Vec<String>,
    ) -> Vec<String> {
        ids.iter()
            .filter(|id| {
                let download = Download {
                    purpose,
                    feature,
                    network: self.network().current(),
                    expected_bytes: None,
                    subject: format!("{what} of {id}"),
                };
                match self.policy().decide(&download) {
                    Decision::Allow => true,
                    Decision::Defer(why) => {
                        deferred.push(why);
                        false
                    }
                }
            })
            .cloned()
            .collect()
    }

    /// GETs `url(id)` for every id, twenty to a `$batch`, retrying items throttled inside a
    /// batch after the longest `Retry-After` it asked for. `each` stores one answer. Returns
    /// how many items were still failing after every pass.
    pub(crate) async fn batched_get(
        &self,
        ids: &[String],
        feature: Feature,
        member_waiting: bool,
        url: impl Fn(&str) -> String,
        mut each: impl FnMut(BatchAnswer<'_>) -> Result<(), SyncError>,
    ) -> Result<u32, SyncError> {
        let mut left = 0;
        for chunk in ids.chunks(BATCH) {
            let mut pending: Vec<String> = chunk.to_vec();
            for pass in 0..PASSES {
                if pending.is_empty() {
                    break;
                }
                let requests: Vec<_> = pending
                    .iter()
                    .enumerate()
                    .map(|(i, id)| json!({"id": i.to_string(), "method": "GET", "url": url(id), "headers": {"Prefer": "IdType=\"ImmutableId\""}}))
                    .collect();
                let req = GraphRequest::with_json(Method::POST, "/$batch", json!({"requests": requests}), feature)
                    .member_waiting(member_waiting);
                let answer: serde_json::Value = self.graph().json(&req).await?;
                let reading = read_batch(&answer, &pending);
                for a in reading.answers {
                    each(a)?;
                }
                let wait = reading.wait;
                pending = reading.again.into_iter().cloned().collect();
                if !pending.is_empty() && pass + 1 < PASSES {
                    tokio::time::sleep(wait).await;
                }
            }
            left += pending.len() as u32;
        }
        Ok(left)
    }

    /// Fetches and stores the bodies of `ids` that are not cached yet and that the policy
    /// allows for `purpose`, twenty at a time.
    pub async fn fetch_bodies(&self, ids: &[String], purpose: Purpose) -> Result<BodyReport, SyncError> {
        let mut report = BodyReport::default();
        let mut missing_here = Vec::with_capacity(ids.len());
        for id in ids {
            if self.vault().message_body(id)?.is_none() {
                missing_here.push(id.clone());
            }
        }
        let wanted = self.allowed(&missing_here, purpose, Feature::MailBodies, "body", &mut report.deferred);
        let now = Utc::now();
        let vault = self.vault();
        let (mut fetched, mut missing) = (0, 0);
        report.left = self
            .batched_get(
                &wanted,
                Feature::MailBodies,
                purpose.member_waiting(),
                |id| format!("/me/messages/{id}?$select=body"),
                |a| {
                    if a.status != 200 {
                        missing += 1;
                        return Ok(());
                    }
                    let stored = stored_body(a.body);
                    vault.write(|w| w.set_body(a.item, &stored, now))?;
                    fetched += 1;
                    Ok(())
                },
            )
            .await?;
        report.fetched = fetched;
        report.missing = missing;
        Ok(report)
    }
}

/// How long an answer throttled inside a `$batch` asks to wait: decimal seconds, at most a
/// minute, a second when it does not say. Graph's text is outside input: a NaN, a negative or
/// an absurd number must never reach `Duration` (which panics on them).
fn inner_retry_after(header: &serde_json::Value) -> Duration {
    let seconds = header.as_str().and_then(|v| v.trim().parse::<f64>().ok()).filter(|s| s.is_finite()).unwrap_or(1.0);
    Duration::from_secs_f64(seconds.clamp(0.0, 60.0))
}

#[cfg(test)]
mod tests {
    use super::{inner_retry_after, text_of};
    use std::time::Duration;

    #[test]
    fn a_batch_answers_retry_after_is_read_and_bounded_whatever_it_says() {
        let wait = |v: serde_json::Value| inner_retry_after(&v);
        assert_eq!(wait(serde_json::json!("2.5")), Duration::from_millis(2500));
        assert_eq!(wait(serde_json::json!("NaN")), Duration::from_secs(1));
        assert_eq!(wait(serde_json::json!("inf")), Duration::from_secs(1));
        assert_eq!(wait(serde_json::json!("1e300")), Duration::from_secs(60));
        assert_eq!(wait(serde_json::json!("-5")), Duration::ZERO);
        assert_eq!(wait(serde_json::json!(null)), Duration::from_secs(1));
    }

    #[test]
    fn text_of_keeps_a_header_and_skips_each_style_however_many() {
        let html = "<HEADER>Ward news</HEADER><STYLE>a{}</Style><p>Bins</p>".repeat(3);
        assert_eq!(text_of(&html), "Ward news\nBins\nWard news\nBins\nWard news\nBins");
        assert_eq!(text_of("<p>Before</p><script>never closed"), "Before");
    }

    #[test]
    fn text_of_html_drops_tags_styles_and_entities() {
        let html = "<html><head><style>p{color:red}</style></head><body><p>Fish &amp; chips</p><script>alert(1)</script><p>on&nbsp;Friday</p></body></html>";
        assert_eq!(text_of(html), "Fish & chips\non Friday");
    }
}
