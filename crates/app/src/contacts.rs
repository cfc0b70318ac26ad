//! Contacts from the cache.

use crate::core::Core;
use crate::error::{AppCoreError, Result};
use crate::views::ContactDetail;
use std::sync::Arc;

/// The most contacts a filter looks through.
const MAX_CONTACTS: usize = 5_000;

/// Contacts.
pub struct ContactsService {
    core: Arc<Core>,
}

impl ContactsService {
    pub(crate) fn new(core: Arc<Core>) -> Self {
        Self { core }
    }

    /// Contacts whose name, organisation, job title or address contains `filter`.
    pub fn list(&self, filter: &str) -> Result<Vec<ContactDetail>> {
        let needle = filter.trim().to_lowercase();
        let matches = |c: &companion_vault::ContactRecord| {
            needle.is_empty()
                || [c.display_name.as_str(), c.company.as_deref().unwrap_or(""), c.job_title.as_deref().unwrap_or("")]
                    .iter()
                    .any(|s| s.to_lowercase().contains(&needle))
                || c.emails.iter().any(|e| e.address.to_lowercase().contains(&needle))
        };
        Ok(self.core.vault()?.contacts(0, MAX_CONTACTS)?.into_iter().filter(matches).map(ContactDetail::from).collect())
    }

    /// One contact.
    pub fn get(&self, id: &str) -> Result<ContactDetail> {
        self.core.count_use(companion_evidence::Use::ContactOpened);
        Ok(self.core.vault()?.contact(id)?.ok_or(AppCoreError::NotFound("That contact"))?.into())
    }
}
