//! Mail.

use super::Core;
use crate::error::AppError;
use companion_app::views::{MailFolder, MessageCursor, MessageDetail, MessagePage};
use companion_mail_html::Images;

/// The folders.
#[tauri::command]
pub fn mail_folders(core: Core<'_>) -> Result<Vec<MailFolder>, AppError> {
    Ok(core.folders()?)
}

/// A page of a folder.
#[tauri::command]
pub fn mail_page(core: Core<'_>, folder_id: String, after: Option<MessageCursor>, limit: usize) -> Result<MessagePage, AppError> {
    Ok(core.page(&folder_id, after, limit)?)
}

/// Opens a message.
#[tauri::command]
pub async fn mail_open(core: Core<'_>, id: String) -> Result<MessageDetail, AppError> {
    Ok(core.open_message(&id, Images::Blocked).await?)
}

/// Fetches a held-back body.
#[tauri::command]
pub async fn mail_fetch_body(core: Core<'_>, id: String) -> Result<MessageDetail, AppError> {
    Ok(core.open_message(&id, Images::Blocked).await?)
}
