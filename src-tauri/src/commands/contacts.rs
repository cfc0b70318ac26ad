//! Contacts.

use super::Core;
use crate::error::AppError;
use companion_app::views::ContactDetail;

/// Contacts matching `filter`.
#[tauri::command]
pub fn contacts_list(core: Core<'_>, filter: String) -> Result<Vec<ContactDetail>, AppError> {
    Ok(core.contacts(&filter)?)
}

/// One contact.
#[tauri::command]
pub fn contacts_get(core: Core<'_>, id: String) -> Result<ContactDetail, AppError> {
    Ok(core.contact(&id)?)
}
