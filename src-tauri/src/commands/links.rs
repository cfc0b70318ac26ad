//! Links the member opens from a message, an event or a contact.

use crate::error::AppError;

/// Opens a web, email or phone link in the system's browser, mail or phone app, after the UI
/// has shown its real address. Any other kind of link is refused.
#[tauri::command]
pub fn open_external(app: tauri::AppHandle, url: String) -> Result<(), AppError> {
    use tauri_plugin_opener::OpenerExt;
    let url = companion_app::external_link(&url)?;
    app.opener().open_url(url.as_str(), None::<&str>).map_err(|_| AppError::new(crate::ErrorKind::Unavailable, "The link could not be opened on this device."))
}
