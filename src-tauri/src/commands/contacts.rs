//! Contacts and search.

use super::Core;
use crate::error::AppError;
use companion_app::views::{ContactDetail, SearchResults, ServerSearchResults};

/// Contacts matching `filter`.
#[tauri::command]
#[specta::specta]
pub async fn contacts_list(core: Core<'_>, filter: String) -> Result<Vec<ContactDetail>, AppError> {
    Ok(core.contacts.list(&filter)?)
}

/// One contact.
#[tauri::command]
#[specta::specta]
pub async fn contacts_get(core: Core<'_>, id: String) -> Result<ContactDetail, AppError> {
    Ok(core.contacts.get(&id)?)
}

/// Searches mail, events and contacts in the cache.
#[tauri::command]
#[specta::specta]
pub async fn search(core: Core<'_>, query: String) -> Result<SearchResults, AppError> {
    Ok(core.search.search(&query)?)
}

/// Searches the whole mailbox on the server (older mail than the cache holds).
#[tauri::command]
#[specta::specta]
pub async fn search_server(core: Core<'_>, query: String) -> Result<ServerSearchResults, AppError> {
    Ok(core.search.search_server(&query).await?)
}
