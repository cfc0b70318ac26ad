//! Committee papers from a council's modern.gov: the web service most English councils
//! publish their committees, meetings, agendas and documents through (Civica's
//! `mgWebService.asmx`, read here in its HTTP GET form).
//!
//! [`ModernGovClient`] asks for committees, a member's committees, a committee's meetings and
//! one meeting's agenda (items, linked documents, attendees), and fetches a document's size
//! and content. What the service sends is read by name with `quick-xml`'s serde support into
//! the shapes in [`xml`], then made into the typed [`Committee`], [`MeetingSummary`] and
//! [`Meeting`]: trimmed, empty values as `None`, `True`/`False` as booleans, dates in the UK's
//! order, titles unescaped the second time the service escapes them. Every exchange is
//! metered through `companion-graph`'s [`Meter`](companion_graph::Meter) as
//! [`Feature::CommitteePapers`](companion_graph::Feature::CommitteePapers), so papers count
//! against the allowance like mail does.
//!
//! The shapes follow public clients of the service and their captured answers (named in
//! [`xml`]); Civica publishes no documentation of it.

mod client;
mod error;
mod model;
pub mod xml;

pub use client::{ModernGovClient, ModernGovSite};
pub use error::ModernGovError;
pub use model::{AgendaItem, Attendee, Committee, Meeting, MeetingSummary, PaperDocument};
