//! The tenant's records. Field names follow Graph's where they map one to one.

use crate::content::{BodyKind, Person};
use chrono::{DateTime, Utc};

pub(crate) struct User {
    pub id: String,
    pub display_name: String,
    pub given_name: String,
    pub surname: String,
    pub mail: String,
    pub job_title: String,
    pub mobile_phone: String,
    pub office_location: String,
}

/// A person in the organisation's directory (`/users`): the council's staff and members.
pub(crate) struct DirectoryPerson {
    pub id: String,
    pub display_name: String,
    pub given_name: String,
    pub surname: String,
    pub job_title: Option<String>,
    pub department: Option<String>,
    pub office_location: Option<String>,
    pub business_phones: Vec<String>,
    pub mobile_phone: Option<String>,
    pub mail: String,
    pub version: u64,
}

pub(crate) struct MailFolder {
    pub id: String,
    pub display_name: String,
    pub parent_id: String,
    /// `inbox`, `sentitems`, … for folders that well-known names address.
    pub well_known: Option<String>,
    pub child_count: u32,
}

pub(crate) enum BodySource {
    /// Rendered on demand from a seed (see `content::render_body`).
    Generated { kind: BodyKind, seed: u64 },
    /// Given by a client (sendMail, createReply, a draft's PATCH).
    Given { html: bool, content: String },
}

#[derive(Clone)]
pub(crate) enum AttachmentContent {
    Generated(u64),
    Given(Vec<u8>),
}

#[derive(Clone)]
pub(crate) struct Attachment {
    pub id: String,
    pub name: String,
    pub content_type: String,
    pub size: usize,
    pub is_inline: bool,
    /// What the body calls an inline picture by (`cid:…`); `None` for ordinary files.
    pub content_id: Option<String>,
    pub modified: DateTime<Utc>,
    pub content: AttachmentContent,
}

impl Attachment {
    pub fn bytes(&self) -> Vec<u8> {
        match &self.content {
            AttachmentContent::Generated(seed) => {
                crate::content::attachment_bytes(*seed, self.size, &self.content_type)
            }
            AttachmentContent::Given(b) => b.clone(),
        }
    }
}

pub(crate) struct Message {
    /// The stable part of both id forms.
    pub core: String,
    /// How many times the message has moved (changes its default id).
    pub moves: u32,
    pub folder: String,
    pub created: DateTime<Utc>,
    pub modified: DateTime<Utc>,
    pub received: DateTime<Utc>,
    pub sent: DateTime<Utc>,
    pub subject: String,
    pub from: Person,
    pub to: Vec<Person>,
    pub cc: Vec<Person>,
    pub conversation_id: String,
    pub conversation_index: String,
    pub internet_message_id: String,
    pub is_read: bool,
    pub is_draft: bool,
    pub importance: &'static str,
    pub inference: &'static str,
    pub flag_status: String,
    pub flag_extra: serde_json::Map<String, serde_json::Value>,
    pub categories: Vec<String>,
    pub body: BodySource,
    pub preview: String,
    pub attachments: Vec<Attachment>,
    /// For a meeting invitation: the event it invites to.
    pub event_id: Option<String>,
    /// The message this one answers, quoted in its body.
    pub in_reply_to: Option<String>,
    /// The change sequence number of the last change: the etag and changeKey.
    pub version: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EventType {
    SingleInstance,
    Occurrence,
    Exception,
    SeriesMaster,
}

impl EventType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SingleInstance => "singleInstance",
            Self::Occurrence => "occurrence",
            Self::Exception => "exception",
            Self::SeriesMaster => "seriesMaster",
        }
    }
}

pub(crate) struct Attendee {
    pub person: Person,
    pub kind: &'static str,
    pub response: String,
}

pub(crate) struct Event {
    pub id: String,
    pub kind: EventType,
    pub series_master_id: Option<String>,
    pub ical_uid: String,
    pub subject: String,
    pub body_html: String,
    pub preview: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub original_start: Option<DateTime<Utc>>,
    pub all_day: bool,
    pub cancelled: bool,
    pub location: String,
    pub organizer: Person,
    pub attendees: Vec<Attendee>,
    /// `none`, `organizer`, `tentativelyAccepted`, `accepted`, `declined`, `notResponded`.
    pub response: String,
    pub response_time: Option<DateTime<Utc>>,
    pub response_requested: bool,
    pub allow_new_time_proposals: bool,
    pub is_organizer: bool,
    pub online_join_url: Option<String>,
    pub show_as: &'static str,
    pub categories: Vec<String>,
    pub recurrence: Option<serde_json::Value>,
    pub reminder_minutes: i64,
    pub created: DateTime<Utc>,
    pub modified: DateTime<Utc>,
    pub version: u64,
}

/// A file in the member's OneDrive.
#[derive(Debug, Clone)]
pub(crate) struct DriveFile {
    pub id: String,
    /// Its path from the drive's root, as first written ("Member Companion/Notes/a.md").
    pub path: String,
    pub content: Vec<u8>,
    pub content_type: String,
    pub created: DateTime<Utc>,
    pub modified: DateTime<Utc>,
}

/// A file being uploaded to a draft through an upload session, a piece at a time.
pub(crate) struct UploadSession {
    /// The draft's stable key, and its id as the client named it.
    pub message: String,
    pub message_id: String,
    pub name: String,
    pub content_type: String,
    pub size: usize,
    pub received: Vec<u8>,
    /// What the upload address carries instead of a bearer token.
    pub token: String,
    pub expires: DateTime<Utc>,
}

pub(crate) struct ContactFolder {
    pub id: String,
    pub display_name: String,
    pub parent_id: String,
}

pub(crate) struct Contact {
    pub id: String,
    pub folder: String,
    pub given_name: String,
    pub surname: String,
    pub display_name: String,
    pub job_title: Option<String>,
    pub company: Option<String>,
    pub department: Option<String>,
    pub emails: Vec<Person>,
    pub business_phones: Vec<String>,
    pub mobile_phone: Option<String>,
    pub business_address: Option<serde_json::Value>,
    pub categories: Vec<String>,
    pub notes: String,
    pub created: DateTime<Utc>,
    pub modified: DateTime<Utc>,
    pub version: u64,
}

/// A list item, with who added it (SharePoint records the author of every item).
pub(crate) struct ListItem {
    pub id: u64,
    pub fields: serde_json::Map<String, serde_json::Value>,
    pub created: DateTime<Utc>,
    pub modified: DateTime<Utc>,
    pub version: u32,
    pub author: Author,
}

/// Who added an item, as SharePoint records it: the person, not the app.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Author {
    pub id: String,
    pub name: String,
    pub mail: String,
    pub principal: crate::auth::Principal,
    /// The site's user id for this person (`AuthorLookupId`).
    pub lookup: usize,
}

/// A column's type, as Graph's `columnDefinition` gives it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum ColumnType {
    /// One line of text (up to 255 characters), or several (`allowMultipleLines`).
    Text {
        multiple_lines: bool,
    },
    Number,
    Boolean,
    /// A date, or a date and time.
    DateTime,
    /// One of `choices`.
    Choice {
        choices: Vec<String>,
    },
}

/// A list's column.
#[derive(Clone, Debug)]
pub(crate) struct Column {
    pub id: String,
    pub name: String,
    pub display_name: String,
    pub kind: ColumnType,
    pub indexed: bool,
    /// SharePoint's own columns (Title, Created, …), which lists have from the start.
    pub built_in: bool,
}

/// Who may read a list's items: everyone with access to the site, or only each item's
/// author (SharePoint's "Read items that were created by the user", `ReadSecurity` 2).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum ReadSecurity {
    #[default]
    All,
    Own,
}

/// A public view of a list: its columns, in order, and its CAML query.
#[derive(Clone, Debug)]
pub(crate) struct ListView {
    pub id: String,
    pub title: String,
    pub fields: Vec<String>,
    pub query: String,
}

pub(crate) struct SpList {
    pub id: String,
    /// The list's address (`/Lists/{name}`), fixed when it is made.
    pub name: String,
    /// Its title, which an owner can change.
    pub display_name: String,
    pub columns: Vec<Column>,
    pub read_security: ReadSecurity,
    /// 1: anyone may edit any item; 2: only their own.
    pub write_security: u8,
    pub views: Vec<ListView>,
    pub items: Vec<ListItem>,
    pub next_id: u64,
    pub created: DateTime<Utc>,
}

impl SpList {
    /// A column by its internal name.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }
}

/// An app's permission on one site, granted by an administrator (`Sites.Selected`).
#[derive(Clone, Debug)]
pub(crate) struct SiteGrant {
    pub id: String,
    pub app_id: String,
    pub app_name: String,
    /// `read`, `write`, `manage` or `fullcontrol`.
    pub roles: Vec<String>,
}

#[derive(Default)]
pub(crate) struct Site {
    pub id: String,
    /// The site's address under the host, e.g. `MemberTrial` for `/sites/MemberTrial`.
    pub path: String,
    pub display_name: String,
    pub lists: Vec<SpList>,
    pub grants: Vec<SiteGrant>,
}

/// The council's SharePoint: the trial's site and the intranet. Held apart from any one
/// member's mailbox, so that several simulators (one per member) can share it, as a council's
/// members share one tenant's sites.
pub(crate) struct SharePoint {
    pub site: Site,
    pub intranet: Site,
    /// Draws ids for lists, columns, views and grants made at run time.
    pub rng: rand::rngs::StdRng,
    /// Each person who has added an item, in order: SharePoint's per-site user ids
    /// (`AuthorLookupId`) follow it.
    pub people: Vec<String>,
}

impl SharePoint {
    /// Who added an item: `who` as this SharePoint knows them, with their site user id (6 for
    /// the site's owner, then 7 on in the order people first added something).
    pub fn author(&mut self, who: crate::auth::Principal, id: String, name: String, mail: String) -> Author {
        let lookup = if who == crate::auth::Principal::Administrator {
            6
        } else {
            let at = self.people.iter().position(|p| *p == id).unwrap_or_else(|| {
                self.people.push(id.clone());
                self.people.len() - 1
            });
            7 + at
        };
        Author { id, name, mail, principal: who, lookup }
    }
}

impl Site {
    /// Graph accepts a list's id, its name or its title in the path.
    pub fn list_mut(&mut self, id_or_name: &str) -> Option<&mut SpList> {
        self.lists.iter_mut().find(|l| {
            l.id == id_or_name
                || l.name.eq_ignore_ascii_case(id_or_name)
                || l.display_name.eq_ignore_ascii_case(id_or_name)
        })
    }
    pub fn list(&self, id_or_name: &str) -> Option<&SpList> {
        self.lists.iter().find(|l| {
            l.id == id_or_name
                || l.name.eq_ignore_ascii_case(id_or_name)
                || l.display_name.eq_ignore_ascii_case(id_or_name)
        })
    }
    /// The roles an app has been granted here.
    pub fn app_roles<'a>(&'a self, app_id: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.grants.iter().filter(move |g| g.app_id == app_id).flat_map(|g| g.roles.iter().map(String::as_str))
    }
}
