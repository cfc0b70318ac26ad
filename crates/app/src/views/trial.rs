//! The trial's evidence: consent, surveys, help and what is collected.

use super::iso;
use serde::{Deserialize, Serialize};

/// The display and assistive settings the screen is shown with, as the webview reports them
/// (its root text size and the media features the phone's settings set). Screen readers are
/// not among them: a webview does not say whether one is running, and the app does not guess.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct DisplaySettings {
    /// The text size as a percentage of the standard (16 px root) size.
    pub text_percent: u16,
    /// `prefers-reduced-motion: reduce`.
    pub reduced_motion: bool,
    /// `prefers-contrast: more`.
    pub more_contrast: bool,
    /// `forced-colors: active` (a high contrast theme).
    pub forced_colours: bool,
}

/// The member's answer to the first-run consent screen.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Consent {
    /// When they answered (RFC 3339).
    pub given_at: String,
    /// Surveys may be offered.
    pub surveys: bool,
    /// Usage reports may be sent.
    pub usage_reports: bool,
    /// The pseudonymous code the trial's lists show, e.g. "M-7F3K".
    pub member_code: String,
}

impl From<companion_evidence::Consent> for Consent {
    fn from(c: companion_evidence::Consent) -> Self {
        Self {
            given_at: iso(c.given_at),
            surveys: c.surveys,
            usage_reports: c.usage_reports,
            member_code: c.member_code,
        }
    }
}

/// One entry of the "what we collect" page.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CollectedItem {
    /// What.
    pub what: String,
    /// In detail, and who sees it.
    pub detail: String,
}

/// The survey to offer now; `key` is passed back to send or dismiss it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SurveyDue {
    /// Which survey.
    pub survey_id: String,
    /// This offer's key.
    pub key: String,
    /// Its title.
    pub title: String,
}

/// What kind of answer a question takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum SurveyQuestionKind {
    /// One label of a scale.
    Likert,
    /// A score from 0 to 10.
    Nps,
    /// One choice.
    Single,
    /// Several choices.
    Multiple,
    /// Free text.
    Text,
}

/// An answer: a score (nps), a label or choice (likert, single, text), or several choices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(untagged)]
pub enum SurveyAnswer {
    /// An NPS score.
    Score(u8),
    /// A label, a choice or free text.
    Choice(String),
    /// Several choices.
    Choices(Vec<String>),
}

impl From<SurveyAnswer> for companion_evidence::Answer {
    fn from(a: SurveyAnswer) -> Self {
        match a {
            SurveyAnswer::Score(n) => Self::Score(n),
            SurveyAnswer::Choice(s) => Self::Choice(s),
            SurveyAnswer::Choices(v) => Self::Choices(v),
        }
    }
}

impl From<&companion_evidence::Answer> for SurveyAnswer {
    fn from(a: &companion_evidence::Answer) -> Self {
        match a {
            companion_evidence::Answer::Score(n) => Self::Score(*n),
            companion_evidence::Answer::Choice(s) => Self::Choice(s.clone()),
            companion_evidence::Answer::Choices(v) => Self::Choices(v.clone()),
        }
    }
}

/// A question, with the member's answer so far.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SurveyQuestion {
    /// Its id.
    pub id: String,
    /// The question.
    pub text: String,
    /// What kind of answer.
    pub kind: SurveyQuestionKind,
    /// The labels to choose from ("0" to "10" for nps; empty for text).
    pub choices: Vec<String>,
    /// For text: the most characters allowed.
    pub max_length: Option<u32>,
    /// Must be answered before sending.
    pub required: bool,
    /// The answer so far.
    pub answer: Option<SurveyAnswer>,
}

/// A survey being answered.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SurveyView {
    /// This response.
    pub response_id: String,
    /// Which survey.
    pub survey_id: String,
    /// Its title.
    pub title: String,
    /// Its introduction.
    pub intro: Option<String>,
    /// Only the questions asked given the answers so far (the core branches).
    pub questions: Vec<SurveyQuestion>,
    /// The first question asked without an answer.
    pub next: Option<String>,
    /// Already sent.
    pub submitted: bool,
}

/// A request for help the member made, with the service desk's answer once it has given one.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct HelpRequestItem {
    /// Its id.
    pub id: String,
    /// What it is about, in words.
    pub category: String,
    /// When it was made (UTC).
    pub created_at: String,
    /// Not yet sent: it goes with the next update.
    pub waiting: bool,
    /// The desk's status (`New` until it says otherwise).
    pub status: String,
    /// When the desk resolved it.
    pub resolved_on: Option<String>,
    /// What the desk says.
    pub answer: Option<String>,
}

impl From<companion_evidence::SentSupport> for HelpRequestItem {
    fn from(r: companion_evidence::SentSupport) -> Self {
        let answer = r.answer.unwrap_or_default();
        let status = match (r.sent, answer.status.is_empty()) {
            (false, _) => "Waiting to send".to_owned(),
            // `New` is the item as the app made it: the desk has not looked yet.
            (true, true) => "Sent to the service desk".to_owned(),
            (true, false) if answer.status.eq_ignore_ascii_case("new") => "Sent to the service desk".to_owned(),
            (true, false) => answer.status,
        };
        Self {
            id: r.request_id,
            category: r.category.label().to_owned(),
            created_at: iso(r.created_at),
            waiting: !r.sent,
            status,
            resolved_on: answer.resolved_on.map(|d| d.format("%Y-%m-%d").to_string()),
            answer: answer.answer,
        }
    }
}

/// What a help request is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum HelpCategory {
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

impl From<HelpCategory> for companion_evidence::SupportCategory {
    fn from(c: HelpCategory) -> Self {
        match c {
            HelpCategory::SignIn => Self::SignIn,
            HelpCategory::Sync => Self::Sync,
            HelpCategory::Data => Self::Data,
            HelpCategory::Device => Self::Device,
            HelpCategory::HowTo => Self::HowTo,
            HelpCategory::Other => Self::Other,
        }
    }
}

/// One line of what a help request carries besides the member's words.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DiagnosticLine {
    /// What, e.g. "App version".
    pub label: String,
    /// Its value.
    pub value: String,
}
