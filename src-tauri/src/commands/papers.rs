//! Committee papers: the member's meetings, each agenda, and its papers on the device.

use super::Core;
use crate::error::AppError;
use companion_app::views::{CommitteeMeetingSummary, CommitteeMeetingView, PaperDownload, PaperNotesView, PaperPiece};

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

/// The member's notes on a paper.
#[tauri::command]
#[specta::specta]
pub async fn papers_notes(core: Core<'_>, meeting_id: u32, paper_id: u32) -> Result<PaperNotesView, AppError> {
    Ok(core.papers.notes(meeting_id, paper_id)?)
}

/// Writes a note on a paper (a new one when `note_id` is null), and saves the paper's notes to
/// OneDrive where the member keeps them there.
#[tauri::command]
#[specta::specta]
pub async fn papers_note_save(
    core: Core<'_>,
    meeting_id: u32,
    paper_id: u32,
    note_id: Option<u32>,
    page: Option<u32>,
    text: String,
) -> Result<PaperNotesView, AppError> {
    Ok(core.papers.save_note(meeting_id, paper_id, note_id, page, &text).await?)
}

/// Deletes a note on a paper.
#[tauri::command]
#[specta::specta]
pub async fn papers_note_delete(
    core: Core<'_>,
    meeting_id: u32,
    paper_id: u32,
    note_id: u32,
) -> Result<PaperNotesView, AppError> {
    Ok(core.papers.delete_note(meeting_id, paper_id, note_id).await?)
}

/// Whether the member keeps their notes on papers in their OneDrive too; the paper's notes as
/// they now stand.
#[tauri::command]
#[specta::specta]
pub async fn papers_notes_to_onedrive(
    core: Core<'_>,
    meeting_id: u32,
    paper_id: u32,
    on: bool,
) -> Result<PaperNotesView, AppError> {
    Ok(core.papers.set_notes_to_one_drive(meeting_id, paper_id, on).await?)
}
