//! Contacts, the council's directory and search.

use super::Core;
use crate::error::AppError;
use companion_app::views::{
    AddressSuggestion, ContactDetail, DirectoryPage, DirectoryPerson, SearchResults, ServerSearchResults,
};

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

/// The council's directory: people matching `query`, or everyone by name.
#[tauri::command]
#[specta::specta]
pub async fn directory_search(core: Core<'_>, query: String) -> Result<DirectoryPage, AppError> {
    Ok(core.directory.search(&query)?)
}

/// One person in the council's directory.
#[tauri::command]
#[specta::specta]
pub async fn directory_person(core: Core<'_>, id: String) -> Result<DirectoryPerson, AppError> {
    Ok(core.directory.person(&id)?)
}

/// Addresses for what has been typed in an address field: contacts first, then the directory.
#[tauri::command]
#[specta::specta]
pub async fn address_suggestions(core: Core<'_>, typed: String) -> Result<Vec<AddressSuggestion>, AppError> {
    Ok(core.directory.suggest_addresses(&typed)?)
}
