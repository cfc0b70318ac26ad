//! What the UI shows, one module per feature. These are the types that cross to the UI: with
//! the `specta` feature they also describe themselves, and the shell generates
//! `ui/src/lib/ipc/bindings.ts` from them (a test fails when the two differ).

mod account;
mod calendar;
mod contacts;
mod data;
mod directory;
mod mail;
mod notifications;
mod papers;
mod protection;
mod search;
mod trial;
mod updates;

pub use account::*;
pub use calendar::*;
pub use contacts::*;
pub use data::*;
pub use directory::*;
pub use mail::*;
pub use notifications::*;
pub use papers::*;
pub use protection::*;
pub use search::*;
pub use trial::*;
pub use updates::*;

use chrono::{DateTime, SecondsFormat, Utc};

/// UTC instants as the UI expects them (RFC 3339, `Z`).
pub(crate) fn iso(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A network, as the member and the data screen name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum NetworkKind {
    /// Wi-Fi (or a wired connection): does not count against the allowance.
    Wifi,
    /// Mobile data: counts against the allowance.
    Mobile,
}

/// Where the data screen's network comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum NetworkSource {
    /// The member chose it.
    Member,
    /// The computer says so (NetworkManager's "metered" on Linux).
    System,
    /// Nothing says: Wi-Fi is assumed.
    Assumed,
}

/// What the member chooses on the data screen: a network, or whatever the computer says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum NetworkChoice {
    /// Follow the computer (the default).
    System,
    /// Wi-Fi, whatever the computer says.
    Wifi,
    /// Mobile data, whatever the computer says.
    Mobile,
}

impl From<companion_graph::Network> for NetworkKind {
    fn from(n: companion_graph::Network) -> Self {
        match n {
            companion_graph::Network::Mobile => Self::Mobile,
            companion_graph::Network::Wifi => Self::Wifi,
        }
    }
}
