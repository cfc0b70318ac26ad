//! Search across the cache.

use super::Core;
use crate::error::AppError;
use companion_app::views::SearchResults;

/// Results for `query`.
#[tauri::command]
pub fn search(core: Core<'_>, query: String) -> Result<SearchResults, AppError> {
    Ok(core.search(&query)?)
}
