//! Mail, and links opened from it.

use super::Core;
use crate::error::AppError;
use companion_app::views::{
    AttachmentDownload, ForwardMessage, MailFolder, MessageCursor, MessageDetail, MessagePage, MessageSummary,
    NewMessage, OutboxItem, SendCost, StagedAttachment,
};
use companion_app::ErrorKind;

/// The folders.
#[tauri::command]
#[specta::specta]
pub async fn mail_folders(core: Core<'_>) -> Result<Vec<MailFolder>, AppError> {
    Ok(core.mail.folders()?)
}

/// A page of a folder, newest first.
#[tauri::command]
#[specta::specta]
pub async fn mail_page(
    core: Core<'_>,
    folder_id: String,
    after: Option<MessageCursor>,
    limit: u32,
) -> Result<MessagePage, AppError> {
    Ok(core.mail.page(&folder_id, after, limit)?)
}

/// Opens a message (its body fetched if needed and allowed; "offline" at once when not).
#[tauri::command]
#[specta::specta]
pub async fn mail_open(core: Core<'_>, id: String) -> Result<MessageDetail, AppError> {
    Ok(core.mail.open(&id).await?)
}

/// Shows in full a message that was shown as text (too large or too deeply nested).
#[tauri::command]
#[specta::specta]
pub async fn mail_open_full(core: Core<'_>, id: String) -> Result<MessageDetail, AppError> {
    Ok(core.mail.open_full(&id).await?)
}

/// Fetches a body the data saver held back, because the member asked.
#[tauri::command]
#[specta::specta]
pub async fn mail_fetch_body(core: Core<'_>, id: String) -> Result<MessageDetail, AppError> {
    Ok(core.mail.open(&id).await?)
}

/// Shows a message's pictures (fetched by the app, metered).
#[tauri::command]
#[specta::specta]
pub async fn mail_show_images(core: Core<'_>, id: String) -> Result<MessageDetail, AppError> {
    Ok(core.mail.show_images(&id).await?)
}

/// A conversation, oldest first.
#[tauri::command]
#[specta::specta]
pub async fn mail_conversation(core: Core<'_>, conversation_id: String) -> Result<Vec<MessageSummary>, AppError> {
    Ok(core.mail.conversation(&conversation_id)?)
}

/// Marks a message read or unread.
#[tauri::command]
#[specta::specta]
pub async fn mail_mark_read(core: Core<'_>, id: String, read: bool) -> Result<(), AppError> {
    Ok(core.mail.mark_read(&id, read).await?)
}

/// Flags a message or clears its flag.
#[tauri::command]
#[specta::specta]
pub async fn mail_flag(core: Core<'_>, id: String, flagged: bool) -> Result<(), AppError> {
    Ok(core.mail.set_flag(&id, flagged).await?)
}

/// Moves a message to a folder.
#[tauri::command]
#[specta::specta]
pub async fn mail_move(core: Core<'_>, id: String, folder_id: String) -> Result<(), AppError> {
    Ok(core.mail.move_to(&id, &folder_id).await?)
}

/// Deletes a message.
#[tauri::command]
#[specta::specta]
pub async fn mail_delete(core: Core<'_>, id: String) -> Result<(), AppError> {
    Ok(core.mail.delete(&id).await?)
}

/// Replies (to all with `reply_all`); queued until there is a connection.
#[tauri::command]
#[specta::specta]
pub async fn mail_reply(core: Core<'_>, id: String, body: String, reply_all: bool) -> Result<(), AppError> {
    Ok(core.mail.reply(&id, &body, reply_all).await?)
}

/// Sends a new message; queued until there is a connection.
#[tauri::command]
#[specta::specta]
pub async fn mail_send(core: Core<'_>, message: NewMessage) -> Result<(), AppError> {
    Ok(core.mail.send(message).await?)
}

/// Forwards a message with its files (and any the member added); queued until there is a
/// connection.
#[tauri::command]
#[specta::specta]
pub async fn mail_forward(core: Core<'_>, forward: ForwardMessage) -> Result<(), AppError> {
    Ok(core.mail.forward(forward).await?)
}

/// Keeps a file the member attached (its content in base64) until the message is sent.
#[tauri::command]
#[specta::specta]
pub async fn mail_stage_attachment(
    core: Core<'_>,
    name: String,
    content_type: String,
    content_base64: String,
) -> Result<StagedAttachment, AppError> {
    Ok(core.mail.stage_attachment(&name, &content_type, &content_base64)?)
}

/// Takes a staged file off a message again.
#[tauri::command]
#[specta::specta]
pub async fn mail_unstage_attachment(core: Core<'_>, id: String) -> Result<(), AppError> {
    Ok(core.mail.unstage_attachment(&id)?)
}

/// What sending these staged files costs on the network in use now.
#[tauri::command]
#[specta::specta]
pub async fn mail_send_cost(core: Core<'_>, attachments: Vec<String>) -> Result<SendCost, AppError> {
    Ok(core.mail.send_cost(&attachments)?)
}

/// What is waiting to go, and the last few sent.
#[tauri::command]
#[specta::specta]
pub async fn mail_outbox(core: Core<'_>) -> Result<Vec<OutboxItem>, AppError> {
    Ok(core.mail.outbox()?)
}

/// Downloads an attachment (asking first on mobile data).
#[tauri::command]
#[specta::specta]
pub async fn mail_download_attachment(
    core: Core<'_>,
    message_id: String,
    attachment_id: String,
    confirmed: bool,
) -> Result<AttachmentDownload, AppError> {
    Ok(core.mail.download_attachment(&message_id, &attachment_id, confirmed).await?)
}

/// Opens a web, email or phone link in the system's browser, mail or phone app, after the UI
/// has shown its real address. Any other kind of link is refused.
#[tauri::command]
#[specta::specta]
pub fn open_external(app: tauri::AppHandle, core: Core<'_>, url: String) -> Result<(), AppError> {
    let url = core.link_to_open(&url)?;
    crate::links::open_outside(&app, &url)
        .map_err(|_| AppError::new(ErrorKind::Unavailable, "The link could not be opened on this device."))
}
