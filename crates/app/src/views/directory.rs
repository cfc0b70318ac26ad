//! The council's directory and the addresses offered while typing one.

use super::iso;
use companion_vault::{AddressSource, AddressSuggestionRecord, DirectoryPersonRecord};
use serde::Serialize;

/// Someone in the council's directory.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct DirectoryPerson {
    /// Graph id.
    pub id: String,
    /// Their name.
    pub display_name: String,
    /// Job title.
    pub job_title: Option<String>,
    /// Department.
    pub department: Option<String>,
    /// Where they work.
    pub office_location: Option<String>,
    /// Their office number.
    pub office_phone: Option<String>,
    /// Their address.
    pub mail: Option<String>,
}

impl From<DirectoryPersonRecord> for DirectoryPerson {
    fn from(p: DirectoryPersonRecord) -> Self {
        Self {
            id: p.id,
            display_name: p.display_name,
            job_title: p.job_title,
            department: p.department,
            office_location: p.office_location,
            office_phone: p.office_phone,
            mail: p.mail,
        }
    }
}

/// What the directory screen shows for a search.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct DirectoryPage {
    /// The people found (everyone, by name, when nothing is typed), up to a screenful or two.
    pub people: Vec<DirectoryPerson>,
    /// Everyone the phone holds.
    pub held: u32,
    /// When the directory was last brought up to date (it is refreshed on Wi-Fi).
    pub refreshed_at: Option<String>,
}

impl DirectoryPage {
    pub(crate) fn new(
        people: Vec<DirectoryPersonRecord>,
        held: u64,
        refreshed_at: Option<chrono::DateTime<chrono::Utc>>,
    ) -> Self {
        Self {
            people: people.into_iter().map(DirectoryPerson::from).collect(),
            held: u32::try_from(held).unwrap_or(u32::MAX),
            refreshed_at: refreshed_at.map(iso),
        }
    }
}

/// Where a suggested address comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum SuggestionSource {
    /// The member's contacts.
    Contact,
    /// The council's directory.
    Directory,
}

/// An address offered while the member types one.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct AddressSuggestion {
    /// Their name.
    pub name: String,
    /// Their address.
    pub address: String,
    /// Where it came from.
    pub source: SuggestionSource,
    /// A job title or department, to tell two people of one name apart.
    pub detail: Option<String>,
}

impl From<AddressSuggestionRecord> for AddressSuggestion {
    fn from(s: AddressSuggestionRecord) -> Self {
        Self {
            name: s.mailbox.name,
            address: s.mailbox.address,
            source: match s.source {
                AddressSource::Contact => SuggestionSource::Contact,
                AddressSource::Directory => SuggestionSource::Directory,
            },
            detail: s.detail,
        }
    }
}
