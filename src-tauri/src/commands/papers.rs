//! Committee papers: the member's meetings, each agenda, and its papers on the device.

use super::Core;
use crate::error::AppError;
use companion_app::views::{CommitteeMeetingSummary, CommitteeMeetingView, PaperDownload, PaperPiece};

/// The member's committees' meetings, from the device.
#[tauri::command]
#[specta::specta]
pub async fn papers_meetings(core: Core<'_>) -> Result<Vec<CommitteeMeetingSummary>, AppError> {
    Ok(core.papers.my_meetings(chrono::Utc::now())?)
}

/// A meeting's agenda and papers; opening it marks its papers seen.
#[tauri::command]
#[specta::specta]
pub async fn papers_meeting(core: Core<'_>, meeting_id: u32) -> Result<CommitteeMeetingView, AppError> {
    Ok(core.papers.meeting(meeting_id, chrono::Utc::now())?)
}

/// Gets a paper onto the device (on mobile data, once the member has agreed).
#[tauri::command]
#[specta::specta]
pub async fn papers_fetch(
    core: Core<'_>,
    meeting_id: u32,
    paper_id: u32,
    confirmed: bool,
) -> Result<PaperDownload, AppError> {
    Ok(core.papers.fetch_paper(meeting_id, paper_id, confirmed).await?)
}

/// A piece of a stored paper for the in-app reader.
#[tauri::command]
#[specta::specta]
pub async fn papers_read(core: Core<'_>, meeting_id: u32, paper_id: u32, offset: u64) -> Result<PaperPiece, AppError> {
    Ok(core.papers.paper_piece(meeting_id, paper_id, offset)?)
}
