//! Mail.

use super::Core;
use crate::error::AppError;
use companion_app::views::{AttachmentDownload, MailFolder, MessageCursor, MessageDetail, MessagePage, MessageSummary, NewMessage, OutboxEntry};
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

/// Shows a message's pictures (fetched by the app, metered).
#[tauri::command]
pub async fn mail_show_images(core: Core<'_>, id: String) -> Result<MessageDetail, AppError> {
    Ok(core.show_images(&id).await?)
}

/// A conversation, oldest first.
#[tauri::command]
pub fn mail_conversation(core: Core<'_>, conversation_id: String) -> Result<Vec<MessageSummary>, AppError> {
    Ok(core.conversation(&conversation_id)?)
}

/// Marks a message read or unread.
#[tauri::command]
pub async fn mail_mark_read(core: Core<'_>, app: tauri::AppHandle, id: String, read: bool) -> Result<(), AppError> {
    core.mark_read(&id, read).await?;
    super::changed(&app, &["mail", "outbox"]);
    Ok(())
}

/// Flags a message or clears its flag.
#[tauri::command]
pub async fn mail_flag(core: Core<'_>, app: tauri::AppHandle, id: String, flagged: bool) -> Result<(), AppError> {
    core.set_flag(&id, flagged).await?;
    super::changed(&app, &["mail", "outbox"]);
    Ok(())
}

/// Moves a message to a folder.
#[tauri::command]
pub async fn mail_move(core: Core<'_>, app: tauri::AppHandle, id: String, folder_id: String) -> Result<(), AppError> {
    core.move_message(&id, &folder_id).await?;
    super::changed(&app, &["mail", "outbox"]);
    Ok(())
}

/// Deletes a message.
#[tauri::command]
pub async fn mail_delete(core: Core<'_>, app: tauri::AppHandle, id: String) -> Result<(), AppError> {
    core.delete_message(&id).await?;
    super::changed(&app, &["mail", "outbox"]);
    Ok(())
}

/// Replies (to all with `reply_all`); queued until there is a connection.
#[tauri::command]
pub async fn mail_reply(core: Core<'_>, app: tauri::AppHandle, id: String, body: String, reply_all: bool) -> Result<(), AppError> {
    core.reply(&id, &body, reply_all).await?;
    super::changed(&app, &["outbox"]);
    Ok(())
}

/// Sends a new message; queued until there is a connection.
#[tauri::command]
pub async fn mail_send(core: Core<'_>, app: tauri::AppHandle, message: NewMessage) -> Result<(), AppError> {
    core.send(message).await?;
    super::changed(&app, &["outbox"]);
    Ok(())
}

/// What is waiting to go.
#[tauri::command]
pub fn mail_outbox(core: Core<'_>) -> Result<Vec<OutboxEntry>, AppError> {
    Ok(core.outbox()?)
}

/// Downloads an attachment (asking first on mobile data).
#[tauri::command]
pub async fn mail_download_attachment(core: Core<'_>, message_id: String, attachment_id: String, confirmed: bool) -> Result<AttachmentDownload, AppError> {
    Ok(core.download_attachment(&message_id, &attachment_id, confirmed).await?)
}
