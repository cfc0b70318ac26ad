//! The trial's evidence. Surveys are data ([`SurveyDefinition`], TOML, validated with errors
//! that name the question); a member's answers are a [`SurveyResponse`] kept in the vault so a
//! survey can be finished offline and resumed; [`TrialSchedule`] says which survey is due
//! (baseline, monthly pulse, exit, and event-triggered questions behind a cool-down); and
//! [`ListDelivery`] puts each response into the council's SharePoint list exactly once.

mod delivery;
mod lists;
mod reports;
mod schedule;
mod site_surveys;
mod store;
mod survey;

pub use delivery::{DeliveryError, ListDelivery, TrialLists};
pub use lists::{
    byte_columns, list_spec, trial_lists, ColumnKind, ColumnSpec, ListSpec, MemberAccess, TrialList, Use, ViewSpec,
    METERED_FEATURES,
};
pub use reports::{
    what_we_collect, Activity, BillingCycle, CapBasis, Consent, ContractTerms, Diagnostics, DisplaySeen, FeatureBytes,
    SentSupport, SupportAnswer, SupportCategory, SupportRequest, UsageReport,
};
pub use schedule::{Prompt, PromptReason, TrialSchedule, TrialTrigger};
pub use site_surveys::{effective_surveys, AcceptedSurvey, RefusedSurvey, SiteSurveys};
pub use store::{EvidenceStore, StoreError};
pub use survey::{
    trial_surveys, Answer, AnswerError, Condition, Question, QuestionKind, SurveyDefinition, SurveyError,
    SurveyResponse,
};
