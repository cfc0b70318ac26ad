//! Where the app signs in and syncs from. A real deployment reads a TOML file (its path in
//! `MEMBER_COMPANION_CONFIG`) or the `MEMBER_COMPANION_*` environment variables; demo mode
//! fills it in from the in-app simulator.

use crate::error::AppCoreError;
use serde::Deserialize;
use std::path::PathBuf;

/// The app's configuration.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct AppConfig {
    /// The Entra authority, e.g. `https://login.microsoftonline.com/{tenant-id}`.
    pub authority: String,
    /// The app registration's (public) client id.
    pub client_id: String,
    /// The council's tenant id: a sign-in by an account of any other organisation is
    /// refused. Taken from the authority when it names one; needed when the authority is a
    /// shared endpoint (`organizations`) or a domain name.
    #[serde(default)]
    pub tenant_id: Option<String>,
    /// The Graph root, e.g. `https://graph.microsoft.com/v1.0`.
    #[serde(default = "default_graph")]
    pub graph_url: String,
    /// Scopes to ask for (space-separated); the app's defaults when absent.
    #[serde(default)]
    pub scopes: Option<String>,
    /// The council's data allowance policy file, if any.
    #[serde(default)]
    pub allowance_policy: Option<PathBuf>,
    /// The council's protection policy file (PIN, idle lock, grace period), if any; see
    /// `docs/protection.md`. Without one, the defaults apply.
    #[serde(default)]
    pub protection_policy: Option<PathBuf>,
    /// The list on the trial site where officers ask for a device's wipe, by id or name.
    #[serde(default = "default_wipe_list")]
    pub device_wipe_list: String,
    /// Where the encrypted cache lives (the platform's app data folder when absent).
    #[serde(default)]
    pub data_dir: Option<PathBuf>,
    /// The keyring service name the secrets are stored under.
    #[serde(default = "default_service")]
    pub keyring_service: String,
    /// The SharePoint site holding the trial's lists (`MemberSurveys`, `SupportRequests`,
    /// `UsageReports`); without it the evidence waits on the device.
    #[serde(default)]
    pub trial_site_id: Option<String>,
    /// The trial's lists on that site, by id or name (the defaults are the names).
    #[serde(default = "default_surveys_list")]
    pub trial_surveys_list: String,
    /// Where help requests go.
    #[serde(default = "default_support_list")]
    pub trial_support_list: String,
    /// Where the usage reports (one per billing cycle) go.
    #[serde(default = "default_usage_list")]
    pub trial_usage_list: String,
    /// The list survey answers go into, one item per answer (id or title).
    #[serde(default = "default_answers_list")]
    pub trial_answers_list: String,
    /// The list the officers publish surveys in (id or title).
    #[serde(default = "default_survey_definitions_list")]
    pub trial_survey_definitions_list: String,
    /// The list the app reports a published survey's problems to (id or title).
    #[serde(default = "default_survey_problems_list")]
    pub trial_survey_problems_list: String,
    /// How the evidence names a member: `code` (a pseudonymous code, the default) or `name`
    /// (their council address as well), as the council's policy says.
    #[serde(default)]
    pub evidence_identity: EvidenceIdentity,
    /// The service desk's address: help requests are also emailed there (through the outbox).
    #[serde(default)]
    pub support_mailbox: Option<String>,
    /// The trial's first day (London date); each member's enrolment when absent.
    #[serde(default)]
    pub trial_start: Option<chrono::NaiveDate>,
    /// Where the browser sends a phone back after sign-in: the app's URL scheme, which must
    /// also be a redirect URI of the app registration ("Mobile and desktop applications").
    #[serde(default = "default_mobile_redirect")]
    pub mobile_redirect_uri: String,
    /// The D-Bus address NetworkManager is asked on for whether the connection is metered
    /// (Linux desktops); the system bus when absent.
    #[serde(default)]
    pub network_bus: Option<String>,
    /// Senders whose mail notifies every member even in quiet hours (democratic services,
    /// the chief executive's office).
    #[serde(default)]
    pub vip_senders: Vec<String>,
    /// The council's modern.gov committee site, for committee papers (none: no papers).
    #[serde(default)]
    pub committee_papers: Option<CommitteePapersConfig>,
}

/// Where the council publishes its committee papers, and what the app may take from there.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CommitteePapersConfig {
    /// The modern.gov site's address (where `mgWebService.asmx` sits), e.g.
    /// `https://democracy.example.gov.uk/`.
    pub site: String,
    /// The member's id on it (their `UID` in `mgUserInfo.aspx?UID=…`).
    pub member_id: u32,
    /// Exempt ("not for publication") papers may be kept on the device. Off unless the
    /// council's information governance allows it.
    #[serde(default)]
    pub exempt_papers: bool,
}

/// The scheme is the app's identifier, as Tauri's deep-link plugin and the Entra
/// registration expect (see the README's "Mobile builds").
pub const DEFAULT_MOBILE_REDIRECT_URI: &str = "uk.gov.membercompanion://auth";

fn default_mobile_redirect() -> String {
    DEFAULT_MOBILE_REDIRECT_URI.into()
}

/// How the trial's evidence names a member.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EvidenceIdentity {
    /// Only the pseudonymous member code.
    #[default]
    Code,
    /// The code and the member's council address.
    Name,
}

fn default_wipe_list() -> String {
    "DeviceWipeRequests".into()
}

fn default_surveys_list() -> String {
    "MemberSurveys".into()
}

fn default_support_list() -> String {
    "SupportRequests".into()
}

fn default_survey_definitions_list() -> String {
    "TrialSurveys".into()
}

fn default_survey_problems_list() -> String {
    "SurveyProblems".into()
}

fn default_answers_list() -> String {
    "SurveyAnswers".into()
}

fn default_usage_list() -> String {
    "UsageReports".into()
}

fn default_graph() -> String {
    "https://graph.microsoft.com/v1.0".into()
}

fn default_service() -> String {
    "uk.gov.membercompanion".into()
}

impl AppConfig {
    /// From a TOML file's text.
    pub fn from_toml(text: &str) -> Result<Self, AppCoreError> {
        toml::from_str(text).map_err(|e| AppCoreError::Config(e.message().to_owned()))
    }

    /// From `MEMBER_COMPANION_CONFIG` (a file) or `MEMBER_COMPANION_AUTHORITY`,
    /// `MEMBER_COMPANION_CLIENT_ID` and optionally `MEMBER_COMPANION_GRAPH_URL`; `None` when
    /// neither is set (demo mode).
    pub fn from_environment() -> Result<Option<Self>, AppCoreError> {
        if let Ok(path) = std::env::var("MEMBER_COMPANION_CONFIG") {
            let text = std::fs::read_to_string(&path).map_err(|e| AppCoreError::Config(format!("{path}: {e}")))?;
            return Self::from_toml(&text).map(Some);
        }
        let (Ok(authority), Ok(client_id)) =
            (std::env::var("MEMBER_COMPANION_AUTHORITY"), std::env::var("MEMBER_COMPANION_CLIENT_ID"))
        else {
            return Ok(None);
        };
        Ok(Some(Self {
            authority,
            client_id,
            tenant_id: std::env::var("MEMBER_COMPANION_TENANT_ID").ok(),
            graph_url: std::env::var("MEMBER_COMPANION_GRAPH_URL").unwrap_or_else(|_| default_graph()),
            scopes: None,
            allowance_policy: None,
            protection_policy: std::env::var_os("MEMBER_COMPANION_PROTECTION_POLICY").map(PathBuf::from),
            device_wipe_list: default_wipe_list(),
            data_dir: None,
            keyring_service: default_service(),
            trial_site_id: std::env::var("MEMBER_COMPANION_TRIAL_SITE_ID").ok(),
            trial_start: None,
            trial_surveys_list: default_surveys_list(),
            trial_support_list: default_support_list(),
            trial_usage_list: default_usage_list(),
            trial_answers_list: default_answers_list(),
            trial_survey_definitions_list: default_survey_definitions_list(),
            trial_survey_problems_list: default_survey_problems_list(),
            evidence_identity: EvidenceIdentity::default(),
            support_mailbox: std::env::var("MEMBER_COMPANION_SUPPORT_MAILBOX").ok(),
            mobile_redirect_uri: std::env::var("MEMBER_COMPANION_MOBILE_REDIRECT_URI")
                .unwrap_or_else(|_| default_mobile_redirect()),
            network_bus: None,
            vip_senders: Vec::new(),
            committee_papers: None,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_trials_lists_and_identity_policy_are_configuration() {
        let c = AppConfig::from_toml("authority = \"a\"\nclient-id = \"b\"\ntrial-site-id = \"s\"\ntrial-surveys-list = \"4f1c\"\nevidence-identity = \"name\"\n").expect("config");
        assert_eq!((c.trial_surveys_list.as_str(), c.trial_support_list.as_str()), ("4f1c", "SupportRequests"));
        assert_eq!(c.evidence_identity, EvidenceIdentity::Name);
        assert!(
            AppConfig::from_toml("authority = \"a\"\nclient-id = \"b\"\nevidence-identity = \"everything\"\n").is_err()
        );
    }

    #[test]
    fn a_config_file_needs_only_the_authority_and_client_id() {
        let c =
            AppConfig::from_toml("authority = \"https://login.microsoftonline.com/contoso\"\nclient-id = \"abc\"\n")
                .expect("config");
        assert_eq!(c.graph_url, "https://graph.microsoft.com/v1.0");
        assert_eq!(c.keyring_service, "uk.gov.membercompanion");
    }

    #[test]
    fn a_mistyped_key_is_named() {
        let e = AppConfig::from_toml("authority = \"a\"\nclient-id = \"b\"\ngraph-ur = \"c\"\n").expect_err("typo");
        assert!(e.to_string().contains("graph-ur"), "{e}");
    }
}
