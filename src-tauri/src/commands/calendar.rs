//! The calendar.

use super::Core;
use crate::error::AppError;
use companion_app::views::{AgendaDay, EventDetail};

/// Days with events from `from` (a London date).
#[tauri::command]
pub fn calendar_agenda(core: Core<'_>, from: String, days: u32) -> Result<Vec<AgendaDay>, AppError> {
    let from = from.parse().map_err(|_| AppError::new(crate::ErrorKind::Invalid, "That date is not valid."))?;
    Ok(core.agenda(from, days)?)
}

/// An event.
#[tauri::command]
pub fn calendar_event(core: Core<'_>, id: String) -> Result<EventDetail, AppError> {
    Ok(core.event(&id)?)
}

/// Accepts, tentatively accepts or declines an invitation, with an optional comment.
#[tauri::command]
pub async fn calendar_respond(core: Core<'_>, app: tauri::AppHandle, id: String, response: String, comment: String) -> Result<(), AppError> {
    core.respond(&id, &response, &comment).await?;
    super::changed(&app, &["calendar", "outbox"]);
    Ok(())
}
