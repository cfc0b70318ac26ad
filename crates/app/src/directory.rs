//! The council's directory, from the cache: the directory screen and the addresses offered
//! while the member types one. The sync engine keeps it fresh on Wi-Fi.

use crate::core::Core;
use crate::error::{AppCoreError, Result};
use crate::views::{AddressSuggestion, DirectoryPage, DirectoryPerson};
use std::sync::Arc;

/// The most people one directory search shows: a name narrows it quickly.
const MAX_PEOPLE: usize = 200;
/// The most addresses offered at once under an address field.
const MAX_SUGGESTIONS: usize = 8;

/// The council's directory.
pub struct DirectoryService {
    core: Arc<Core>,
}

impl DirectoryService {
    pub(crate) fn new(core: Arc<Core>) -> Self {
        Self { core }
    }

    /// People matching `query` (names, addresses, job titles, departments), or everyone by name.
    pub fn search(&self, query: &str) -> Result<DirectoryPage> {
        let vault = self.core.vault()?;
        if !query.trim().is_empty() {
            self.core.count_use(companion_evidence::Use::DirectorySearched);
        }
        Ok(DirectoryPage::new(
            vault.directory_search(query, MAX_PEOPLE)?,
            vault.directory_count()?,
            vault.directory_refreshed_at()?,
        ))
    }

    /// One person.
    pub fn person(&self, id: &str) -> Result<DirectoryPerson> {
        self.core.count_use(companion_evidence::Use::DirectoryPersonOpened);
        Ok(self.core.vault()?.directory_person(id)?.ok_or(AppCoreError::NotFound("That person"))?.into())
    }

    /// Addresses for what has been typed so far in an address field: the member's contacts
    /// first, then the directory. Offline, from the cache.
    pub fn suggest_addresses(&self, typed: &str) -> Result<Vec<AddressSuggestion>> {
        Ok(self.core.vault()?.address_suggestions(typed, MAX_SUGGESTIONS)?.into_iter().map(Into::into).collect())
    }
}
