//! The calendar.

use super::Core;
use crate::error::AppError;
use companion_app::views::{AgendaDay, EventDetail, EventResponse};
use companion_app::ErrorKind;

/// Days with events from `from` (a London date, "YYYY-MM-DD").
#[tauri::command]
#[specta::specta]
pub async fn calendar_agenda(core: Core<'_>, from: String, days: u32) -> Result<Vec<AgendaDay>, AppError> {
    let from = from.parse().map_err(|_| AppError::new(ErrorKind::Invalid, "That date is not valid."))?;
    Ok(core.calendar.agenda(from, days)?)
}

/// An event, with who is invited and their answers.
#[tauri::command]
#[specta::specta]
pub async fn calendar_event(core: Core<'_>, id: String) -> Result<EventDetail, AppError> {
    Ok(core.calendar.event(&id).await?)
}

/// Accepts, tentatively accepts or declines an invitation, with an optional comment.
#[tauri::command]
#[specta::specta]
pub async fn calendar_respond(
    core: Core<'_>,
    id: String,
    response: EventResponse,
    comment: String,
) -> Result<(), AppError> {
    Ok(core.calendar.respond(&id, response, &comment).await?)
}
