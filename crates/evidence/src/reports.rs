//! What the member sends besides surveys: support requests with diagnostics, and the monthly
//! usage report. Neither holds mail content or a token: diagnostics are codes and counts, the
//! usage report is bytes, days and counts. The member sees both before they go.

use chrono::{DateTime, NaiveDate, Utc};
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

/// What the service desk filled in on a request for help, in the same list item.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SupportAnswer {
    /// e.g. `New`, `In progress`, `Resolved` (the desk's words).
    pub status: String,
    /// When it was resolved.
    pub resolved_on: Option<NaiveDate>,
    /// The desk's time on it.
    pub minutes_spent: Option<u32>,
    /// e.g. `Simple`, `Moderate`, `Complex`.
    pub complexity: Option<String>,
    /// What the desk says to the member.
    pub answer: Option<String>,
}

impl SupportAnswer {
    /// From a list item's fields; a field the desk left empty or filled oddly is left out,
    /// never an error (the member still sees the rest).
    pub fn from_fields(fields: &serde_json::Value) -> Self {
        let text = |k: &str| {
            fields[k].as_str().map(str::trim).filter(|s| !s.is_empty()).map(|s| s.chars().take(2_000).collect())
        };
        let minutes = match &fields["MinutesSpent"] {
            serde_json::Value::Number(n) => n.as_f64().filter(|m| m.is_finite() && *m >= 0.0).map(|m| m.round() as u32),
            serde_json::Value::String(s) => {
                s.trim().parse::<f64>().ok().filter(|m| m.is_finite() && *m >= 0.0).map(|m| m.round() as u32)
            }
            _ => None,
        };
        // SharePoint's dates come as `2027-01-12T00:00:00Z`; a typed one as `2027-01-12`.
        let resolved_on = fields["ResolvedOn"].as_str().and_then(|s| s.get(..10)).and_then(|d| d.parse().ok());
        Self {
            status: text("Status").unwrap_or_else(|| "New".to_owned()),
            resolved_on,
            minutes_spent: minutes,
            complexity: text("Complexity"),
            answer: text("Answer"),
        }
    }
}

/// A request for help the member sent, as the app remembers it to show the desk's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SentSupport {
    /// Its id (the list item's key).
    pub request_id: String,
    /// What it was about.
    pub category: SupportCategory,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// Delivered to the council's list (otherwise it goes with the next update).
    pub sent: bool,
    /// What the desk has said, once it has.
    pub answer: Option<SupportAnswer>,
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

/// A billing cycle of the phone's contract: its first and last days (London), inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BillingCycle {
    /// The first day.
    pub start: NaiveDate,
    /// The last day.
    pub end: NaiveDate,
}

/// The contract a cycle is judged against: the council's allowance policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContractTerms {
    /// The monthly data cap.
    pub cap_bytes: u64,
    /// What a cycle over the cap costs the council, in pence.
    pub overage_charge_pence: u32,
}

/// What the member did with the app in a period: counted on the device, no content.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Activity {
    /// Days the app was used.
    pub active_days: u32,
    /// How often each feature was used (`mail-opened`, `search`, `call-started`, …).
    pub feature_use: BTreeMap<String, u64>,
    /// Updates that failed.
    pub sync_errors: u64,
    /// How long the member waited, by measure (`open-message`, `search`, `update`), in
    /// milliseconds.
    pub waits_ms: BTreeMap<String, Vec<u32>>,
    /// The display settings the app was used with, over the period (`None` if it saw none).
    pub display: Option<DisplaySeen>,
}

/// The display and assistive settings the app found in use, for the report's equality and
/// accessibility section: what the phone's own settings asked of the app, never what the
/// member read. Over a day or a cycle: the largest text, and each setting if it was on at all.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DisplaySeen {
    /// The text size as a percentage of the standard size (100 = as standard, 200 = twice).
    pub text_percent: u16,
    /// The phone asked for less motion.
    pub reduced_motion: bool,
    /// The phone asked for more contrast.
    pub more_contrast: bool,
    /// A forced-colours (high contrast) theme was on.
    pub forced_colours: bool,
}

impl DisplaySeen {
    /// Both together: the larger text, and each setting that either saw on.
    pub fn merge(self, other: DisplaySeen) -> DisplaySeen {
        DisplaySeen {
            text_percent: self.text_percent.max(other.text_percent),
            reduced_motion: self.reduced_motion || other.reduced_motion,
            more_contrast: self.more_contrast || other.more_contrast,
            forced_colours: self.forced_colours || other.forced_colours,
        }
    }
}

/// How a cycle's over-the-cap verdict was reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum CapBasis {
    /// The phone's own figure for the cycle, which the member read off the phone.
    Phone,
    /// The app's mobile bytes alone (the phone's figure is not known): a cycle over on these
    /// was certainly over; one under may not have been.
    AppOnly,
}

/// One billing cycle's use of the app, for the trial report: no content, no names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UsageReport {
    /// `{member code}-{cycle's first day}`: one report per member per cycle, whatever the
    /// retries.
    pub report_id: String,
    /// The cycle's first day (reports made before billing cycles named a calendar month).
    #[serde(alias = "month")]
    pub cycle_start: NaiveDate,
    /// The cycle's last day; `None` on a report of a calendar month.
    #[serde(default)]
    pub cycle_end: Option<NaiveDate>,
    /// Sent before the cycle ended (at the end of the trial or at sign-out): its figures
    /// run to the day it was made.
    #[serde(default)]
    pub partial: bool,
    /// The app's bytes by feature and network.
    pub bytes: Vec<FeatureBytes>,
    /// The app's bytes on mobile data, all features.
    #[serde(default)]
    pub app_mobile_bytes: u64,
    /// The app's bytes on Wi-Fi.
    #[serde(default)]
    pub app_wifi_bytes: u64,
    /// The phone's own mobile data for the cycle, where the member read it off the phone.
    #[serde(default)]
    pub phone_mobile_bytes: Option<u64>,
    /// The contract's cap.
    #[serde(default)]
    pub cap_bytes: u64,
    /// Whether the cycle went over the cap.
    #[serde(default)]
    pub over_cap: bool,
    /// What the verdict rests on.
    #[serde(default = "app_only")]
    pub cap_basis: CapBasis,
    /// What going over cost the council, in pence (0 when not over).
    #[serde(default)]
    pub overage_charge_pence: u32,
    /// Calls started from the app (`tel:` links the member agreed to open).
    #[serde(default)]
    pub calls_started: u64,
    /// Text messages started from the app (`sms:` links).
    #[serde(default)]
    pub texts_started: u64,
    /// Days the app was used.
    pub active_days: u32,
    /// How often each feature was used (`mail-opened`, `reply`, `search`, …).
    pub feature_use: BTreeMap<String, u64>,
    /// Updates that failed.
    pub sync_errors: u64,
    /// The app's speed as the member felt it: the median wait, in milliseconds, to open a
    /// message (`open-message`), to search (`search`) and for an update (`update`).
    #[serde(default)]
    pub median_ms: BTreeMap<String, u32>,
    /// The display settings the app was used with in the cycle, where it saw any.
    #[serde(default)]
    pub display: Option<DisplaySeen>,
    /// The app's version.
    pub app_version: String,
}

fn median(mut waits: Vec<u32>) -> Option<u32> {
    waits.sort_unstable();
    let n = waits.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(waits[n / 2]),
        _ => Some(((u64::from(waits[n / 2 - 1]) + u64::from(waits[n / 2])) / 2) as u32),
    }
}

fn app_only() -> CapBasis {
    CapBasis::AppOnly
}

impl UsageReport {
    /// The report for `cycle` from the ledger (entries outside the cycle are left out), the
    /// cycle's activity and, where the member read it, the phone's own figure. `partial`: the
    /// cycle has not ended (the trial's last report, or one made at sign-out).
    #[allow(clippy::too_many_arguments)]
    pub fn for_cycle(
        member_code: &str,
        cycle: BillingCycle,
        partial: bool,
        ledger: &[companion_vault::LedgerEntry],
        activity: Activity,
        phone_mobile_bytes: Option<u64>,
        terms: ContractTerms,
        app_version: &str,
    ) -> Self {
        let mut by: BTreeMap<String, (u64, u64)> = BTreeMap::new();
        for e in ledger.iter().filter(|e| e.day >= cycle.start && e.day <= cycle.end) {
            let slot = by.entry(e.feature.clone()).or_default();
            let bytes = e.bytes_up + e.bytes_down;
            if e.network == "mobile" {
                slot.0 += bytes
            } else {
                slot.1 += bytes
            }
        }
        let app_mobile_bytes = by.values().map(|(m, _)| m).sum::<u64>();
        let app_wifi_bytes = by.values().map(|(_, w)| w).sum::<u64>();
        let (used, cap_basis) = match phone_mobile_bytes {
            // The phone's figure holds the app's, unless it was read early in the cycle.
            Some(phone) => (phone.max(app_mobile_bytes), CapBasis::Phone),
            None => (app_mobile_bytes, CapBasis::AppOnly),
        };
        let over_cap = used > terms.cap_bytes;
        let count = |feature: &str| activity.feature_use.get(feature).copied().unwrap_or(0);
        Self {
            report_id: format!("{member_code}-{}", cycle.start.format("%Y-%m-%d")),
            cycle_start: cycle.start,
            cycle_end: Some(cycle.end),
            partial,
            bytes: by.into_iter().map(|(feature, (mobile, wifi))| FeatureBytes { feature, mobile, wifi }).collect(),
            app_mobile_bytes,
            app_wifi_bytes,
            phone_mobile_bytes,
            cap_bytes: terms.cap_bytes,
            over_cap,
            cap_basis,
            overage_charge_pence: if over_cap { terms.overage_charge_pence } else { 0 },
            calls_started: count("call-started"),
            texts_started: count("text-started"),
            active_days: activity.active_days,
            feature_use: activity.feature_use,
            sync_errors: activity.sync_errors,
            median_ms: activity.waits_ms.into_iter().filter_map(|(m, w)| Some((m, median(w)?))).collect(),
            display: activity.display,
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
        ("Survey answers", "Your answers to the trial's short surveys, labelled with a code rather than your name. Nothing is sent until you press Send, and you can skip any survey."),
        ("Requests for help", "The category and words you write, and the app's state: its version, the phone type, when it last updated, recent problem codes, the data saving level and how many messages are stored. You see all of it before it is sent."),
        ("Usage each billing cycle", "For each month of the phone's contract: how many bytes each part of the app used on mobile data and Wi-Fi, the phone's own data figure if you typed it in, whether the month went over the allowance and what that cost, how many calls and texts you started from the app (not who to), on how many days you used it, how often you used each feature and how often the app locked, how long opening a message, searching and updating took, how many updates failed, and the text size and display settings (such as reduce motion or more contrast) your phone shows the app with. Only if you agree."),
        ("Where it goes and who sees it", "Into lists on the council's SharePoint trial site, and no other site: the app is allowed that one site alone. SharePoint itself records which council account added each item (your name and council email address, beside the code), so the lists are not anonymous to the officers who run them: democratic services, who compile the trial report, and the council's ICT. Other members cannot see your items: the lists are set so that each member can read only what they added. The council's information governance decides whether anyone else may read them."),
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

    fn entry(day: &str, feature: &str, network: &str, up: u64, down: u64) -> companion_vault::LedgerEntry {
        companion_vault::LedgerEntry {
            day: day.parse().expect("date"),
            feature: feature.into(),
            network: network.into(),
            bytes_up: up,
            bytes_down: down,
            requests: 1,
        }
    }

    const TERMS: ContractTerms = ContractTerms { cap_bytes: 1_000, overage_charge_pence: 5_000 };

    fn cycle(start: &str, end: &str) -> BillingCycle {
        BillingCycle { start: start.parse().expect("date"), end: end.parse().expect("date") }
    }

    #[test]
    fn a_usage_report_counts_only_its_billing_cycle_by_feature_and_network() {
        let ledger = [
            entry("2026-11-14", "mail-bodies", "mobile", 10, 90),
            entry("2026-11-15", "mail-bodies", "mobile", 5, 5),
            entry("2026-11-20", "mail-bodies", "wifi", 1, 9),
            entry("2026-12-14", "calendar", "mobile", 0, 7),
            entry("2026-12-15", "calendar", "mobile", 0, 1000),
        ];
        let activity = Activity {
            active_days: 12,
            feature_use: BTreeMap::from([("search".into(), 4), ("call-started".into(), 3), ("text-started".into(), 1)]),
            sync_errors: 1,
            waits_ms: BTreeMap::from([("search".into(), vec![9, 1, 4, 30]), ("update".into(), vec![800])]),
            display: Some(DisplaySeen {
                text_percent: 130,
                reduced_motion: false,
                more_contrast: true,
                forced_colours: false,
            }),
        };
        let r = UsageReport::for_cycle(
            "M-AB12",
            cycle("2026-11-15", "2026-12-14"),
            false,
            &ledger,
            activity,
            None,
            TERMS,
            "0.1.0",
        );
        assert_eq!(r.report_id, "M-AB12-2026-11-15");
        assert_eq!(
            r.bytes,
            vec![
                FeatureBytes { feature: "calendar".into(), mobile: 7, wifi: 0 },
                FeatureBytes { feature: "mail-bodies".into(), mobile: 10, wifi: 10 }
            ]
        );
        assert_eq!((r.app_mobile_bytes, r.app_wifi_bytes), (17, 10));
        assert_eq!((r.calls_started, r.texts_started, r.active_days), (3, 1, 12));
        assert!(!r.over_cap && r.overage_charge_pence == 0);
        assert_eq!(r.median_ms, BTreeMap::from([("search".into(), 6), ("update".into(), 800)]));
        assert_eq!(r.display.map(|d| (d.text_percent, d.more_contrast)), Some((130, true)));
    }

    #[test]
    fn a_cycle_over_the_cap_carries_the_charge_judged_on_the_phones_figure_where_known() {
        let ledger = [entry("2026-11-20", "attachments", "mobile", 0, 600)];
        let judged = |phone| {
            let r = UsageReport::for_cycle(
                "M-AB12",
                cycle("2026-11-15", "2026-12-14"),
                false,
                &ledger,
                Activity::default(),
                phone,
                TERMS,
                "0.1.0",
            );
            (r.over_cap, r.overage_charge_pence, r.cap_basis)
        };
        assert_eq!(judged(None), (false, 0, CapBasis::AppOnly), "the app alone stayed under");
        assert_eq!(judged(Some(1_200)), (true, 5_000, CapBasis::Phone), "the phone went over");
        assert_eq!(judged(Some(100)), (false, 0, CapBasis::Phone), "an early reading never undercounts the app");
    }

    #[test]
    fn a_monthly_report_saved_before_billing_cycles_still_reads() {
        let old = r#"{"reportId":"M-AB12-2026-11","month":"2026-11-01","bytes":[],"activeDays":3,"featureUse":{},"syncErrors":0,"appVersion":"0.1.0"}"#;
        let r: UsageReport = serde_json::from_str(old).expect("reads");
        assert_eq!(
            (r.cycle_start, r.cycle_end, r.cap_basis),
            ("2026-11-01".parse().expect("date"), None, CapBasis::AppOnly)
        );
    }
}
