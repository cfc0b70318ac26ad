//! The trial's evidence: consent, surveys, help, and what is collected.

use super::Core;
use crate::error::AppError;
use companion_app::views::{
    CollectedItem, Consent, DiagnosticLine, DisplaySettings, HelpCategory, HelpRequestItem, SurveyAnswer, SurveyDue,
    SurveyView,
};

/// The member's consent (null before the first-run screen has been answered).
#[tauri::command]
#[specta::specta]
pub async fn evidence_consent(core: Core<'_>) -> Result<Option<Consent>, AppError> {
    Ok(core.trial.consent()?)
}

/// Answers the first-run consent screen.
#[tauri::command]
#[specta::specta]
pub async fn evidence_set_consent(core: Core<'_>, surveys: bool, usage_reports: bool) -> Result<Consent, AppError> {
    Ok(core.trial.set_consent(surveys, usage_reports, chrono::Utc::now())?)
}

/// The survey to offer now, if any.
#[tauri::command]
#[specta::specta]
pub async fn survey_due(core: Core<'_>) -> Result<Option<SurveyDue>, AppError> {
    Ok(core.trial.survey_due(chrono::Utc::now())?)
}

/// Opens (or resumes) a survey.
#[tauri::command]
#[specta::specta]
pub async fn survey_open(core: Core<'_>, survey_id: String) -> Result<SurveyView, AppError> {
    Ok(core.trial.survey_open(&survey_id, chrono::Utc::now())?)
}

/// Answers one question (`null` clears it); saved at once.
#[tauri::command]
#[specta::specta]
pub async fn survey_answer(
    core: Core<'_>,
    response_id: String,
    question_id: String,
    answer: Option<SurveyAnswer>,
) -> Result<SurveyView, AppError> {
    Ok(core.trial.survey_answer(&response_id, &question_id, answer)?)
}

/// Sends a finished survey (delivered with the next update).
#[tauri::command]
#[specta::specta]
pub async fn survey_submit(core: Core<'_>, response_id: String, key: String) -> Result<(), AppError> {
    Ok(core.trial.survey_submit(&response_id, &key, chrono::Utc::now())?)
}

/// "Not now".
#[tauri::command]
#[specta::specta]
pub async fn survey_dismiss(core: Core<'_>, key: String) -> Result<(), AppError> {
    Ok(core.trial.survey_dismiss(&key, chrono::Utc::now())?)
}

/// What a help request would carry, line by line, for the member to read first.
#[tauri::command]
#[specta::specta]
pub async fn help_diagnostics(core: Core<'_>) -> Result<Vec<DiagnosticLine>, AppError> {
    Ok(core.trial.diagnostic_lines()?)
}

/// Sends a help request (delivered with the next update); answers its id.
#[tauri::command]
#[specta::specta]
pub async fn help_send(core: Core<'_>, category: HelpCategory, description: String) -> Result<String, AppError> {
    Ok(core.trial.send_help(category, &description, chrono::Utc::now()).await?)
}

/// The member's requests for help, with the service desk's answers.
#[tauri::command]
#[specta::specta]
pub async fn help_requests(core: Core<'_>) -> Result<Vec<HelpRequestItem>, AppError> {
    Ok(core.trial.help_requests()?)
}

/// The "what we collect" page.
#[tauri::command]
#[specta::specta]
pub fn evidence_what_we_collect(core: Core<'_>) -> Vec<CollectedItem> {
    core.trial.what_we_collect()
}

/// The display and assistive settings the screen is shown with, for the trial's accessibility
/// figures (counted only with consent to usage reports).
#[tauri::command]
#[specta::specta]
pub async fn display_settings_seen(core: Core<'_>, settings: DisplaySettings) -> Result<(), AppError> {
    Ok(core.trial.note_display(settings)?)
}
