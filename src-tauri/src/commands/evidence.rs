//! The trial's evidence: consent, surveys, help, and what is collected.

use super::Core;
use crate::error::AppError;
use companion_app::{SupportCategory, SurveyAnswer};
use serde_json::Value;

/// The member's consent (null before the first-run screen has been answered).
#[tauri::command]
pub fn evidence_consent(core: Core<'_>) -> Result<Value, AppError> {
    Ok(serde_json::to_value(core.consent()?).unwrap_or(Value::Null))
}

/// Answers the first-run consent screen.
#[tauri::command]
pub fn evidence_set_consent(core: Core<'_>, surveys: bool, usage_reports: bool) -> Result<Value, AppError> {
    Ok(serde_json::to_value(core.set_consent(surveys, usage_reports, chrono::Utc::now())?).unwrap_or(Value::Null))
}

/// The survey to offer now, if any.
#[tauri::command]
pub fn survey_due(core: Core<'_>) -> Result<Option<Value>, AppError> {
    Ok(core.survey_due(chrono::Utc::now())?)
}

/// Opens (or resumes) a survey.
#[tauri::command]
pub fn survey_open(core: Core<'_>, survey_id: String) -> Result<Value, AppError> {
    Ok(core.survey_open(&survey_id, chrono::Utc::now())?)
}

/// Answers one question (`null` clears it); saved at once.
#[tauri::command]
pub fn survey_answer(core: Core<'_>, response_id: String, question_id: String, answer: Option<SurveyAnswer>) -> Result<Value, AppError> {
    Ok(core.survey_answer(&response_id, &question_id, answer)?)
}

/// Sends a finished survey.
#[tauri::command]
pub fn survey_submit(core: Core<'_>, response_id: String, key: String) -> Result<(), AppError> {
    Ok(core.survey_submit(&response_id, &key, chrono::Utc::now())?)
}

/// "Not now".
#[tauri::command]
pub fn survey_dismiss(core: Core<'_>, key: String) -> Result<(), AppError> {
    Ok(core.survey_dismiss(&key, chrono::Utc::now())?)
}

/// What a help request would carry, line by line, for the member to read first.
#[tauri::command]
pub fn help_diagnostics(core: Core<'_>) -> Result<Value, AppError> {
    let lines: Vec<Value> = core.diagnostics()?.lines().into_iter().map(|(label, value)| serde_json::json!({"label": label, "value": value})).collect();
    Ok(Value::Array(lines))
}

/// Sends a help request (delivered with the next update).
#[tauri::command]
pub async fn help_send(core: Core<'_>, category: SupportCategory, description: String) -> Result<String, AppError> {
    Ok(core.send_help(category, &description, chrono::Utc::now()).await?)
}

/// The "what we collect" page.
#[tauri::command]
pub fn evidence_what_we_collect() -> Value {
    companion_app::what_we_collect()
}
