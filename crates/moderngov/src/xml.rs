//! The service's XML as it comes, read by element name (every leaf optional: councils' sites
//! leave fields out, send them empty or fill them with whitespace). Made into the typed
//! values of the crate by `model.rs`.
//!
//! The shapes follow the service's answers as captured by public clients: DemocracyClub's
//! LGSF (`lgsf/minutes/tests/fixtures/committees.xml`, `meetings.xml`,
//! `meeting_with_minutes.xml`, Manchester), afdy/moderngov (`moderngov/api.py`: the
//! operations and `GetCommitteesByUser`'s `lUserId`), jadu/modgov-mcp-cloudflare
//! (`src/modgov-client.ts`) and the scrooge indexer (`boroughs/_moderngov.py`: restricted
//! papers, duplicated links, escaping). No element name is namespaced in the GET form, all are
//! lower case but `restrictionsRef`, booleans are `True`/`False`, counts carry a leading space
//! and attendees carry their details as attributes.

use serde::Deserialize;

/// `GetCommittees` (root `committees`) and `GetCommitteesByUser`: committees with no wrapper.
#[derive(Debug, Default, Deserialize)]
pub struct Committees {
    /// Each committee.
    #[serde(default, rename = "committee")]
    pub committees: Vec<RawCommittee>,
}

/// One `committee`.
#[derive(Debug, Default, Deserialize)]
pub struct RawCommittee {
    /// `committeeid`.
    pub committeeid: Option<String>,
    /// `committeetitle`.
    pub committeetitle: Option<String>,
    /// `committeedeleted`: `True` or `False`.
    pub committeedeleted: Option<String>,
    /// `committeeexpired`: `True` or `False`.
    pub committeeexpired: Option<String>,
    /// `committeecategory`.
    pub committeecategory: Option<String>,
}

/// `GetMeetings` (root `getmeetings`): each committee with its meetings.
#[derive(Debug, Default, Deserialize)]
pub struct GetMeetings {
    /// The committees asked for (one, usually; none when it has no meetings in the range).
    #[serde(default, rename = "committee")]
    pub committees: Vec<MeetingsOfCommittee>,
}

/// A `committee` in `GetMeetings`.
#[derive(Debug, Default, Deserialize)]
pub struct MeetingsOfCommittee {
    /// `committeeid`.
    pub committeeid: Option<String>,
    /// `committeetitle`.
    pub committeetitle: Option<String>,
    /// `committeemeetings`.
    #[serde(default)]
    pub committeemeetings: CommitteeMeetings,
}

/// `committeemeetings`.
#[derive(Debug, Default, Deserialize)]
pub struct CommitteeMeetings {
    /// Each `meeting`.
    #[serde(default, rename = "meeting")]
    pub meetings: Vec<RawMeetingSummary>,
}

/// A `meeting` in `GetMeetings`.
#[derive(Debug, Default, Deserialize)]
pub struct RawMeetingSummary {
    /// `meetingid`.
    pub meetingid: Option<String>,
    /// `meetingdate`: `dd/mm/yyyy`.
    pub meetingdate: Option<String>,
    /// `meetingstatus`: "Confirmed", "Cancelled", or the council's own words after a `;`.
    pub meetingstatus: Option<String>,
    /// `meetingtime`: free text, "10.00 am" or "13:30".
    pub meetingtime: Option<String>,
}

/// `GetMeeting` (root `meeting`): one meeting with its agenda and attendees.
#[derive(Debug, Default, Deserialize)]
pub struct RawMeeting {
    /// `meetingid`.
    pub meetingid: Option<String>,
    /// `meetingdate`.
    pub meetingdate: Option<String>,
    /// `meetingstatus`.
    pub meetingstatus: Option<String>,
    /// `meetingtime`.
    pub meetingtime: Option<String>,
    /// `meetinglocation`.
    pub meetinglocation: Option<String>,
    /// `agendapublished`: `False` (and no items) until the agenda is out.
    pub agendapublished: Option<String>,
    /// `agendaitems`.
    #[serde(default)]
    pub agendaitems: AgendaItems,
    /// `attendees`.
    #[serde(default)]
    pub attendees: Attendees,
}

/// `agendaitems`.
#[derive(Debug, Default, Deserialize)]
pub struct AgendaItems {
    /// Each `agendaitem`.
    #[serde(default, rename = "agendaitem")]
    pub items: Vec<RawAgendaItem>,
}

/// An `agendaitem`.
#[derive(Debug, Default, Deserialize)]
pub struct RawAgendaItem {
    /// `agendaitemid`.
    pub agendaitemid: Option<String>,
    /// `agendaitemtitle` (escaped twice).
    pub agendaitemtitle: Option<String>,
    /// `fulldisplaynumberformat`: the number as shown ("1.", "9.").
    pub fulldisplaynumberformat: Option<String>,
    /// `isrestricted`: an exempt ("Part 2") item.
    pub isrestricted: Option<String>,
    /// `isdisplayallowed`: `False` for an item the council keeps off the public agenda.
    pub isdisplayallowed: Option<String>,
    /// `linkeddocuments`.
    #[serde(default)]
    pub linkeddocuments: LinkedDocuments,
}

/// `linkeddocuments`.
#[derive(Debug, Default, Deserialize)]
pub struct LinkedDocuments {
    /// Each `linkeddoc`.
    #[serde(default, rename = "linkeddoc")]
    pub docs: Vec<RawLinkedDoc>,
}

/// A `linkeddoc`.
#[derive(Debug, Default, Deserialize)]
pub struct RawLinkedDoc {
    /// `attachmentid`.
    pub attachmentid: Option<String>,
    /// `title` (escaped twice).
    pub title: Option<String>,
    /// `url`: `https://{site}/mgConvert2PDF.aspx?ID={attachmentid}`.
    pub url: Option<String>,
    /// `isrestricted`: an exempt paper (its address leads to a sign-in page).
    pub isrestricted: Option<String>,
    /// `publicationdate`: `dd/mm/yyyy`; a paper published after the agenda is a supplement.
    pub publicationdate: Option<String>,
}

/// `attendees`.
#[derive(Debug, Default, Deserialize)]
pub struct Attendees {
    /// Each `attendee`.
    #[serde(default, rename = "attendee")]
    pub attendees: Vec<RawAttendee>,
}

/// An `attendee`: its details are attributes.
#[derive(Debug, Default, Deserialize)]
pub struct RawAttendee {
    /// `memberid`.
    #[serde(rename = "@memberid")]
    pub memberid: Option<String>,
    /// `name`.
    #[serde(rename = "@name")]
    pub name: Option<String>,
    /// `roledescription`.
    #[serde(rename = "@roledescription")]
    pub roledescription: Option<String>,
    /// `attendance`: "Expected" before the meeting.
    #[serde(rename = "@attendance")]
    pub attendance: Option<String>,
    /// `politicalparty`.
    #[serde(rename = "@politicalparty")]
    pub politicalparty: Option<String>,
    /// `ward`.
    #[serde(rename = "@ward")]
    pub ward: Option<String>,
}
