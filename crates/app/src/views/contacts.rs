//! Contacts.

use companion_vault::ContactRecord;
use serde::Serialize;

/// A contact.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ContactDetail {
    /// Graph id.
    pub id: String,
    /// Their name.
    pub display_name: String,
    /// Job title (may be empty).
    pub job_title: String,
    /// Organisation (may be empty).
    pub company_name: String,
    /// Addresses.
    pub emails: Vec<String>,
    /// Phone numbers, the mobile first.
    pub phones: Vec<String>,
    /// Department (may be empty).
    pub department: String,
}

impl From<ContactRecord> for ContactDetail {
    fn from(c: ContactRecord) -> Self {
        let mut phones = c.phones;
        if let Some(m) = c.mobile_phone {
            phones.insert(0, m);
        }
        Self {
            id: c.id,
            display_name: c.display_name,
            job_title: c.job_title.unwrap_or_default(),
            company_name: c.company.unwrap_or_default(),
            emails: c.emails.into_iter().map(|e| e.address).collect(),
            phones,
            department: c.department.unwrap_or_default(),
        }
    }
}
