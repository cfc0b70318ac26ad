//! What the member sends besides surveys: support requests with diagnostics, and the monthly
//! usage report. Neither holds mail content or a token: diagnostics are codes and counts, the
//! usage report is bytes, days and counts. The member sees both before they go.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What a support request is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SupportCategory {
    /// Signing in.
    SignIn,
    /// Mail, calendar or contacts not arriving or wrong.
    Sync,
    /// The data allowance.
    Data,
    /// The phone itself.
    Device,
    /// How to do something.
    HowTo,
    /// Anything else.
    Other,
}

impl SupportCategory {
    /// The words the list and the member see.
    pub fn label(self) -> &'static str {
        match self {
            Self::SignIn => "Signing in",
            Self::Sync => "Mail, calendar or contacts",
            Self::Data => "Data allowance",
            Self::Device => "The phone",
            Self::HowTo => "How do I…",
            Self::Other => "Something else",
        }
    }
}

/// The app's state, for the service desk: codes and counts only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Diagnostics {
    /// e.g. `0.1.0`.
    pub app_version: String,
    /// e.g. `linux x86_64`, `android aarch64`.
    pub platform: String,
    /// When the last update finished (UTC, RFC 3339).
    pub last_synced_at: Option<String>,
    /// Whether the last update reached the council.
    pub online: bool,
    /// The last few failures, as codes (e.g. `network`, `signInRequired`, `refused:503`).
    pub recent_error_codes: Vec<String>,
    /// `normal`, `saver` or `critical`.
    pub data_level: String,
    /// Changes waiting in the outbox.
    pub outbox_waiting: u32,
    /// Messages in the encrypted cache.
    pub cached_messages: u64,
}

impl Diagnostics {
    /// Each line as the member sees it before sending.
    pub fn lines(&self) -> Vec<(&'static str, String)> {
        vec![
            ("App version", self.app_version.clone()),
            ("Platform", self.platform.clone()),
            ("Last update", self.last_synced_at.clone().unwrap_or_else(|| "never".into())),
            ("Reached the council", if self.online { "yes" } else { "no" }.into()),
            (
                "Recent problems",
                if self.recent_error_codes.is_empty() { "none".into() } else { self.recent_error_codes.join(", ") },
            ),
            ("Data saving level", self.data_level.clone()),
            ("Waiting to send", self.outbox_waiting.to_string()),
            ("Messages on this device", self.cached_messages.to_string()),
        ]
    }
}

/// A member's request for help.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SupportRequest {
    /// Made on the device: the list item's key.
    pub request_id: String,
    /// What it is about.
    pub category: SupportCategory,
    /// In the member's words (they see it before it goes).
    pub description: String,
    /// The app's state when they asked.
    pub diagnostics: Diagnostics,
    /// When.
    pub created_at: DateTime<Utc>,
}

impl SupportRequest {
    /// A new request.
    pub fn new(
        category: SupportCategory,
        description: impl Into<String>,
        diagnostics: Diagnostics,
        now: DateTime<Utc>,
    ) -> Self {
        Self {
            request_id: uuid::Uuid::new_v4().to_string(),
            category,
            description: description.into(),
            diagnostics,
            created_at: now,
        }
    }
}

/// Bytes one way over one network for one feature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FeatureBytes {
    /// e.g. `mail-bodies`.
    pub feature: String,
    /// Mobile data.
    pub mobile: u64,
    /// Wi-Fi.
    pub wifi: u64,
}

/// One month's use of the app, for the trial report: no content, no names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UsageReport {
    /// `{member code}-{YYYY-MM}`: one report per member per month, whatever the retries.
    pub report_id: String,
    /// The first day of the month.
    pub month: NaiveDate,
    /// The app's bytes by feature and network.
    pub bytes: Vec<FeatureBytes>,
    /// Days the app was used.
    pub active_days: u32,
    /// How often each feature was used (`mail-opened`, `reply`, `search`, …).
    pub feature_use: BTreeMap<String, u64>,
    /// Updates that failed.
    pub sync_errors: u64,
    /// The app's version.
    pub app_version: String,
}

impl UsageReport {
    /// The report for `month` from the ledger's entries of that month and the store's counts.
    pub fn for_month(
        member_code: &str,
        month: NaiveDate,
        ledger: &[companion_vault::LedgerEntry],
        active_days: u32,
        feature_use: BTreeMap<String, u64>,
        sync_errors: u64,
        app_version: &str,
    ) -> Self {
        let month = month.with_day(1).unwrap_or(month);
        let mut by: BTreeMap<String, (u64, u64)> = BTreeMap::new();
        for e in ledger.iter().filter(|e| e.day.year() == month.year() && e.day.month() == month.month()) {
            let slot = by.entry(e.feature.clone()).or_default();
            let bytes = e.bytes_up + e.bytes_down;
            if e.network == "mobile" {
                slot.0 += bytes
            } else {
                slot.1 += bytes
            }
        }
        Self {
            report_id: format!("{member_code}-{}", month.format("%Y-%m")),
            month,
            bytes: by.into_iter().map(|(feature, (mobile, wifi))| FeatureBytes { feature, mobile, wifi }).collect(),
            active_days,
            feature_use,
            sync_errors,
            app_version: app_version.to_owned(),
        }
    }
}

/// The member's consent and how they are named in the evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Consent {
    /// When they answered the first-run screen.
    pub given_at: DateTime<Utc>,
    /// Surveys may be offered.
    pub surveys: bool,
    /// Monthly usage reports may be sent.
    pub usage_reports: bool,
    /// The pseudonymous code the lists show (e.g. `M-7F3K`), made on the device.
    pub member_code: String,
}

impl Consent {
    /// A consent with a fresh member code.
    pub fn new(surveys: bool, usage_reports: bool, now: DateTime<Utc>) -> Self {
        // Letters and digits that cannot be misread for one another when read out to the desk.
        const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
        let bytes = *uuid::Uuid::new_v4().as_bytes();
        let code: String = bytes.iter().take(4).map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char).collect();
        Self { given_at: now, surveys, usage_reports, member_code: format!("M-{code}") }
    }
}

/// What the app collects, in plain words, for the "what we collect" page.
pub fn what_we_collect() -> Vec<(&'static str, &'static str)> {
    vec![
        ("Survey answers", "Your answers to the trial's short surveys, with a code instead of your name. Nothing is sent until you press Send, and you can skip any survey."),
        ("Requests for help", "The category and words you write, and the app's state: its version, the phone type, when it last updated, recent problem codes, the data saving level and how many messages are stored. You see all of it before it is sent."),
        ("Monthly usage", "How many bytes each part of the app used on mobile data and Wi-Fi, on how many days you used it, how often you used each feature, and how many updates failed. Only if you agree."),
        ("Never collected", "The content of your email, calendar or contacts, who you write to, your password or sign-in tokens, or where you are."),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_member_code_is_pseudonymous_and_easy_to_read_out() {
        let a = Consent::new(true, true, Utc::now());
        let b = Consent::new(true, true, Utc::now());
        assert!(a.member_code.starts_with("M-") && a.member_code.len() == 6, "{}", a.member_code);
        assert!(!a.member_code.chars().any(|c| "01IOL".contains(c)), "{}", a.member_code);
        assert_ne!(a.member_code, b.member_code);
    }

    #[test]
    fn a_usage_report_counts_only_its_month_by_feature_and_network() {
        let e = |day: &str, feature: &str, network: &str, up, down| companion_vault::LedgerEntry {
            day: day.parse().expect("date"),
            feature: feature.into(),
            network: network.into(),
            bytes_up: up,
            bytes_down: down,
            requests: 1,
        };
        let ledger = [
            e("2026-11-30", "mail-bodies", "mobile", 10, 90),
            e("2026-12-01", "mail-bodies", "mobile", 5, 5),
            e("2026-12-02", "mail-bodies", "wifi", 1, 9),
            e("2026-12-31", "calendar", "mobile", 0, 7),
            e("2027-01-01", "calendar", "mobile", 0, 1000),
        ];
        let r = UsageReport::for_month(
            "M-AB12",
            "2026-12-15".parse().expect("date"),
            &ledger,
            12,
            BTreeMap::from([("search".into(), 4)]),
            1,
            "0.1.0",
        );
        assert_eq!(r.report_id, "M-AB12-2026-12");
        assert_eq!(
            r.bytes,
            vec![
                FeatureBytes { feature: "calendar".into(), mobile: 7, wifi: 0 },
                FeatureBytes { feature: "mail-bodies".into(), mobile: 10, wifi: 10 }
            ]
        );
    }
}
