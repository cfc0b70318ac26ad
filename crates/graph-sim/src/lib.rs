#![doc = include_str!("../README.md")]
#![recursion_limit = "256"]

mod auth;
mod clock;
mod config;
mod content;
mod delta;
mod error;
mod faults;
mod graph;
#[cfg(feature = "headless")]
pub mod headless;
mod ids;
mod moderngov;
mod odata;
mod png;
mod server;
mod tenant;
mod timeline;

pub use auth::{MemberStanding, Principal};
pub use clock::SimClock;
pub use config::{CouncilSharePoint, FaultKind, FaultPlan, RefreshMode, SimConfig, TimelineProfile, TokenFailure};
pub use error::SimError;
/// The date-time type the simulator's API uses.
pub type DateTimeUtc = chrono::DateTime<chrono::Utc>;
pub use server::{DemoCredentials, GraphSim, InlinePicture, SimStats};
pub use tenant::{CollectionKey, ListItemSnapshot, MessageSnapshot, SentMail, TenantOverview, TenantSnapshot};
pub use timeline::{ChangeKind, TimelineChange, TimelineReport};
