//! The demo council tenant: the member, their mailbox, calendar, contacts and the trial's
//! SharePoint lists, plus a change log per collection that delta queries read.

pub(crate) mod generate;
mod model;

pub(crate) use model::*;

use crate::content::{self, BodyContext, Person};
use crate::ids;
use chrono::{DateTime, Utc};
use rand::rngs::StdRng;
use rand::SeedableRng;
use std::collections::{BTreeMap, HashMap};

/// A collection that delta queries track on its own.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CollectionKey {
    /// The mail folder hierarchy.
    MailFolders,
    /// The messages of one mail folder (by folder id).
    Messages(String),
    /// The member's default calendar.
    Events,
    /// The contact folder hierarchy.
    ContactFolders,
    /// The contacts of one folder (by folder id).
    Contacts(String),
    /// The organisation's directory (`/users`).
    Users,
}

impl CollectionKey {
    pub(crate) fn encode(&self) -> String {
        match self {
            Self::MailFolders => "f".into(),
            Self::Messages(id) => format!("m:{id}"),
            Self::Events => "e".into(),
            Self::ContactFolders => "cf".into(),
            Self::Contacts(id) => format!("c:{id}"),
            Self::Users => "u".into(),
        }
    }
}

/// One entry of a change log: the item's latest change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Change {
    /// The item's stable key (a message's core, or an id).
    pub key: String,
    pub removed: bool,
    /// For messages: how many times it had moved when this change happened (for default ids).
    pub moves: u32,
    /// The sequence number at which the item entered this collection.
    pub created_seq: u64,
}

/// Latest change per item, ordered by sequence number, so a delta round is a range scan.
#[derive(Debug, Default)]
pub(crate) struct ChangeLog {
    by_seq: BTreeMap<u64, Change>,
    latest: HashMap<String, u64>,
}

impl ChangeLog {
    fn record(&mut self, seq: u64, change: Change) {
        if let Some(old) = self.latest.insert(change.key.clone(), seq) {
            self.by_seq.remove(&old);
        }
        self.by_seq.insert(seq, change);
    }

    /// Changes with `after < seq <= to`, in order.
    pub(crate) fn range(&self, after: u64, to: u64) -> impl Iterator<Item = (u64, &Change)> {
        let lo = after.saturating_add(1);
        let hi = to.max(lo);
        self.by_seq.range(lo..=hi).filter(move |(s, _)| **s <= to).map(|(s, c)| (*s, c))
    }

    /// Changes with `seq <= upto`, newest first: used to replay recent items.
    pub(crate) fn before(&self, upto: u64) -> impl Iterator<Item = (u64, &Change)> {
        self.by_seq.range(..=upto).rev().map(|(s, c)| (*s, c))
    }
}

/// A message as tests see it, to compare a client's cache with the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageSnapshot {
    /// The immutable id.
    pub immutable_id: String,
    /// The folder it is in.
    pub folder_id: String,
    /// Its subject.
    pub subject: String,
    /// Whether it has been read.
    pub is_read: bool,
    /// `notFlagged`, `flagged` or `complete`.
    pub flag_status: String,
    /// Its categories.
    pub categories: Vec<String>,
    /// When it arrived.
    pub received: DateTime<Utc>,
    /// Whether it has attachments.
    pub has_attachments: bool,
}

/// A SharePoint list item as delivered, for tests and the demo to read back.
#[derive(Debug, Clone, PartialEq)]
pub struct ListItemSnapshot {
    /// The item's id within its list.
    pub id: String,
    /// The list's display name.
    pub list: String,
    /// The `fields` object as stored.
    pub fields: serde_json::Map<String, serde_json::Value>,
}

/// A message that left the mailbox (through `sendMail`, `reply` or a draft's `send`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentMail {
    /// Recipient addresses.
    pub to: Vec<String>,
    /// Addresses copied in.
    pub cc: Vec<String>,
    /// Subject line.
    pub subject: String,
    /// Body content as given.
    pub body: String,
    /// Which operation sent it.
    pub via: String,
    /// When, on the simulated clock.
    pub sent_at: DateTime<Utc>,
    /// The files that went with it: `(name, content)`.
    pub attachments: Vec<(String, Vec<u8>)>,
}

/// The whole tenant, for tests that compare a client's cache with the server.
#[derive(Debug, Clone)]
pub struct TenantSnapshot {
    /// Every message.
    pub messages: Vec<MessageSnapshot>,
    /// Every calendar entry in calendar views: `(id, subject, response, cancelled)`.
    pub events: Vec<(String, String, String, bool)>,
    /// Every contact: `(id, folder id, display name)`.
    pub contacts: Vec<(String, String, String)>,
    /// Every mail folder: `(id, display name)`.
    pub folders: Vec<(String, String)>,
    /// Everyone in the directory: `(id, mail)`, by id.
    pub directory: Vec<(String, String)>,
}

/// What the demo's first screen shows before the full app exists.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TenantOverview {
    /// The member's display name and address.
    pub member: OverviewMember,
    /// The folders with their counts.
    pub folders: Vec<OverviewFolder>,
    /// The newest inbox messages, at most 50.
    pub inbox: Vec<OverviewMessage>,
}

/// The member, in [`TenantOverview`].
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OverviewMember {
    /// Display name.
    pub display_name: String,
    /// Address.
    pub mail: String,
}

/// A folder, in [`TenantOverview`].
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OverviewFolder {
    /// Folder id.
    pub id: String,
    /// Display name.
    pub display_name: String,
    /// Unread messages.
    pub unread_item_count: u32,
    /// All messages.
    pub total_item_count: u32,
}

/// A message, in [`TenantOverview`].
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OverviewMessage {
    /// Immutable id.
    pub id: String,
    /// Subject.
    pub subject: String,
    /// Sender's name.
    pub from: String,
    /// When it arrived (RFC 3339).
    pub received_date_time: String,
    /// Whether it has been read.
    pub is_read: bool,
}

/// The tenant's state. Every mutation goes through a method here so that change logs and
/// folder counts stay right.
pub(crate) struct Tenant {
    pub user: User,
    pub folders: Vec<MailFolder>,
    pub messages: HashMap<String, Message>,
    pub events: HashMap<String, Event>,
    pub contact_folders: Vec<ContactFolder>,
    pub contacts: HashMap<String, Contact>,
    pub directory: HashMap<String, DirectoryPerson>,
    /// Draws the directory's changes, apart from `rng` so that a directory does not change
    /// what the rest of a seeded tenant's timeline does.
    pub directory_rng: StdRng,
    pub sent: Vec<SentMail>,
    /// Upload sessions under way, by id.
    pub upload_sessions: HashMap<String, UploadSession>,
    /// The member's OneDrive: files by their path in lower case (OneDrive's names ignore case).
    pub drive: std::collections::BTreeMap<String, DriveFile>,
    pub photo: Option<Vec<u8>>,
    /// Bumped to make every delta token issued before it stale (a server-side reset).
    pub epoch: u64,
    pub rng: StdRng,
    logs: HashMap<CollectionKey, ChangeLog>,
    counts: HashMap<String, (u32, u32)>,
    seq: u64,
}

impl Tenant {
    fn empty(user: User, rng: StdRng) -> Self {
        Self {
            user,
            folders: Vec::new(),
            messages: HashMap::new(),
            events: HashMap::new(),
            contact_folders: Vec::new(),
            contacts: HashMap::new(),
            directory: HashMap::new(),
            directory_rng: StdRng::seed_from_u64(0),
            sent: Vec::new(),
            upload_sessions: HashMap::new(),
            drive: std::collections::BTreeMap::new(),
            photo: None,
            epoch: 1,
            rng,
            logs: HashMap::new(),
            counts: HashMap::new(),
            seq: 0,
        }
    }

    /// The latest sequence number: a delta round started now covers changes up to here.
    pub fn seq(&self) -> u64 {
        self.seq
    }

    fn bump(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    pub fn log(&self, key: &CollectionKey) -> Option<&ChangeLog> {
        self.logs.get(key)
    }

    fn record(&mut self, key: CollectionKey, change: Change) -> u64 {
        let seq = self.bump();
        self.logs.entry(key).or_default().record(seq, change);
        seq
    }

    // ---- folders ----

    pub fn folder(&self, id_or_name: &str) -> Option<&MailFolder> {
        let lower = id_or_name.to_ascii_lowercase();
        self.folders.iter().find(|f| f.id == id_or_name || f.well_known.as_deref() == Some(lower.as_str()))
    }

    pub fn folder_counts(&self, id: &str) -> (u32, u32) {
        self.counts.get(id).copied().unwrap_or((0, 0))
    }

    pub fn add_folder(&mut self, folder: MailFolder) {
        let key = folder.id.clone();
        self.folders.push(folder);
        let seq = self.seq + 1;
        self.record(CollectionKey::MailFolders, Change { key, removed: false, moves: 0, created_seq: seq });
    }

    fn folder_changed(&mut self, id: &str) {
        let created_seq =
            self.logs.get(&CollectionKey::MailFolders).and_then(|l| l.latest.get(id)).copied().unwrap_or(0);
        self.record(CollectionKey::MailFolders, Change { key: id.to_owned(), removed: false, moves: 0, created_seq });
    }

    fn adjust_counts(&mut self, folder: &str, total: i64, unread: i64) {
        let entry = self.counts.entry(folder.to_owned()).or_default();
        entry.0 = (i64::from(entry.0) + total).max(0) as u32;
        entry.1 = (i64::from(entry.1) + unread).max(0) as u32;
    }

    // ---- messages ----

    /// Finds a message by either id form. A default id from before a move no longer resolves,
    /// as in Exchange.
    pub fn message_key(&self, id: &str) -> Option<String> {
        match ids::parse_message_id(id)? {
            ids::MessageIdRef::Immutable(core) => self.messages.contains_key(core).then(|| core.to_owned()),
            ids::MessageIdRef::Regular(core, moves) => {
                self.messages.get(core).filter(|m| m.moves == moves).map(|_| core.to_owned())
            }
        }
    }

    pub fn insert_message(&mut self, mut msg: Message) -> String {
        let key = msg.core.clone();
        let seq = self.seq + 1;
        msg.version = seq;
        let folder = msg.folder.clone();
        self.adjust_counts(&folder, 1, i64::from(!msg.is_read));
        self.record(
            CollectionKey::Messages(folder.clone()),
            Change { key: key.clone(), removed: false, moves: msg.moves, created_seq: seq },
        );
        self.messages.insert(key.clone(), msg);
        self.folder_changed(&folder);
        key
    }

    /// Applies `edit` to a message and records the change. Returns false when there is no such message.
    pub fn update_message(&mut self, key: &str, now: DateTime<Utc>, edit: impl FnOnce(&mut Message)) -> bool {
        let Some(msg) = self.messages.get_mut(key) else { return false };
        let was_unread = !msg.is_read;
        edit(msg);
        msg.modified = now;
        let (folder, unread_now, moves) = (msg.folder.clone(), !msg.is_read, msg.moves);
        let created_seq = self.created_seq(&CollectionKey::Messages(folder.clone()), key);
        let seq = self.record(
            CollectionKey::Messages(folder.clone()),
            Change { key: key.to_owned(), removed: false, moves, created_seq },
        );
        if let Some(m) = self.messages.get_mut(key) {
            m.version = seq;
        }
        if was_unread != unread_now {
            self.adjust_counts(&folder, 0, if unread_now { 1 } else { -1 });
            self.folder_changed(&folder);
        }
        true
    }

    fn created_seq(&self, log: &CollectionKey, key: &str) -> u64 {
        self.logs
            .get(log)
            .and_then(|l| l.latest.get(key).and_then(|s| l.by_seq.get(s)))
            .map(|c| c.created_seq)
            .unwrap_or(0)
    }

    /// Moves a message; its default id changes, its immutable id does not.
    pub fn move_message(&mut self, key: &str, dest: &str, now: DateTime<Utc>) -> bool {
        let Some(msg) = self.messages.get_mut(key) else { return false };
        let from = std::mem::replace(&mut msg.folder, dest.to_owned());
        if from == dest {
            return true;
        }
        let old_moves = msg.moves;
        msg.moves += 1;
        msg.modified = now;
        let (unread, moves) = (i64::from(!msg.is_read), msg.moves);
        self.record(
            CollectionKey::Messages(from.clone()),
            Change { key: key.to_owned(), removed: true, moves: old_moves, created_seq: 0 },
        );
        let seq = self.seq + 1;
        self.record(
            CollectionKey::Messages(dest.to_owned()),
            Change { key: key.to_owned(), removed: false, moves, created_seq: seq },
        );
        if let Some(m) = self.messages.get_mut(key) {
            m.version = seq;
        }
        self.adjust_counts(&from, -1, -unread);
        self.adjust_counts(dest, 1, unread);
        self.folder_changed(&from);
        self.folder_changed(dest);
        true
    }

    pub fn delete_message(&mut self, key: &str) -> bool {
        let Some(msg) = self.messages.remove(key) else { return false };
        self.record(
            CollectionKey::Messages(msg.folder.clone()),
            Change { key: key.to_owned(), removed: true, moves: msg.moves, created_seq: 0 },
        );
        self.adjust_counts(&msg.folder, -1, -i64::from(!msg.is_read));
        self.folder_changed(&msg.folder);
        true
    }

    /// Renders a message's body (whole and unique part), resolving the quoted message.
    pub fn render_body(&self, msg: &Message, asset_base: &str) -> content::RenderedBody {
        match &msg.body {
            BodySource::Given { html, content: text } => {
                let (h, t) = if *html {
                    (text.clone(), content::html_to_text(text))
                } else {
                    (format!("<html><body><pre>{}</pre></body></html>", text.replace('<', "&lt;")), text.clone())
                };
                content::RenderedBody { html: h.clone(), text: t.clone(), unique_html: h, unique_text: t }
            }
            BodySource::Generated { kind, seed } => {
                let quoted = msg.in_reply_to.as_ref().and_then(|k| self.messages.get(k)).map(|prev| {
                    let body = self.render_body(prev, asset_base);
                    (prev.from.name.clone(), prev.sent.format("%A, %-d %B %Y %H:%M").to_string(), body.unique_text)
                });
                content::render_body(&BodyContext {
                    kind: *kind,
                    seed: *seed,
                    subject: &msg.subject,
                    from_name: &msg.from.name,
                    to_name: msg.to.first().map(|p| p.name.as_str()).unwrap_or("Councillor"),
                    quoted,
                    asset_base,
                })
            }
        }
    }

    // ---- events ----

    pub fn insert_event(&mut self, mut event: Event) {
        let seq = self.seq + 1;
        event.version = seq;
        let key = event.id.clone();
        self.record(CollectionKey::Events, Change { key: key.clone(), removed: false, moves: 0, created_seq: seq });
        self.events.insert(key, event);
    }

    pub fn update_event(&mut self, id: &str, now: DateTime<Utc>, edit: impl FnOnce(&mut Event)) -> bool {
        let Some(event) = self.events.get_mut(id) else { return false };
        edit(event);
        event.modified = now;
        let created_seq = self.created_seq(&CollectionKey::Events, id);
        let seq =
            self.record(CollectionKey::Events, Change { key: id.to_owned(), removed: false, moves: 0, created_seq });
        if let Some(e) = self.events.get_mut(id) {
            e.version = seq;
        }
        true
    }

    pub fn delete_event(&mut self, id: &str) -> bool {
        if self.events.remove(id).is_none() {
            return false;
        }
        self.record(CollectionKey::Events, Change { key: id.to_owned(), removed: true, moves: 0, created_seq: 0 });
        true
    }

    // ---- contacts ----

    pub fn contact_folder(&self, id: &str) -> Option<&ContactFolder> {
        self.contact_folders.iter().find(|f| f.id == id)
    }

    pub fn default_contact_folder(&self) -> String {
        self.contact_folders.first().map(|f| f.id.clone()).unwrap_or_default()
    }

    pub fn add_contact_folder(&mut self, folder: ContactFolder) {
        let key = folder.id.clone();
        self.contact_folders.push(folder);
        let seq = self.seq + 1;
        self.record(CollectionKey::ContactFolders, Change { key, removed: false, moves: 0, created_seq: seq });
    }

    pub fn insert_contact(&mut self, mut contact: Contact) {
        let seq = self.seq + 1;
        contact.version = seq;
        let key = contact.id.clone();
        self.record(
            CollectionKey::Contacts(contact.folder.clone()),
            Change { key: key.clone(), removed: false, moves: 0, created_seq: seq },
        );
        self.contacts.insert(key, contact);
    }

    pub fn update_contact(&mut self, id: &str, now: DateTime<Utc>, edit: impl FnOnce(&mut Contact)) -> bool {
        let Some(c) = self.contacts.get_mut(id) else { return false };
        edit(c);
        c.modified = now;
        let log = CollectionKey::Contacts(c.folder.clone());
        let created_seq = self.created_seq(&log, id);
        let seq = self.record(log, Change { key: id.to_owned(), removed: false, moves: 0, created_seq });
        if let Some(c) = self.contacts.get_mut(id) {
            c.version = seq;
        }
        true
    }

    pub fn delete_contact(&mut self, id: &str) -> bool {
        let Some(c) = self.contacts.remove(id) else { return false };
        self.record(
            CollectionKey::Contacts(c.folder),
            Change { key: id.to_owned(), removed: true, moves: 0, created_seq: 0 },
        );
        true
    }

    // ---- the directory ----

    pub fn insert_person(&mut self, mut person: DirectoryPerson) {
        let seq = self.seq + 1;
        person.version = seq;
        let key = person.id.clone();
        self.record(CollectionKey::Users, Change { key: key.clone(), removed: false, moves: 0, created_seq: seq });
        self.directory.insert(key, person);
    }

    pub fn update_person(&mut self, id: &str, edit: impl FnOnce(&mut DirectoryPerson)) -> bool {
        let Some(p) = self.directory.get_mut(id) else { return false };
        edit(p);
        let created_seq = self.created_seq(&CollectionKey::Users, id);
        let seq =
            self.record(CollectionKey::Users, Change { key: id.to_owned(), removed: false, moves: 0, created_seq });
        if let Some(p) = self.directory.get_mut(id) {
            p.version = seq;
        }
        true
    }

    pub fn remove_person(&mut self, id: &str) -> bool {
        if self.directory.remove(id).is_none() {
            return false;
        }
        self.record(CollectionKey::Users, Change { key: id.to_owned(), removed: true, moves: 0, created_seq: 0 });
        true
    }

    // ---- views for tests and the demo ----

    pub fn snapshot(&self) -> TenantSnapshot {
        let mut messages: Vec<_> = self
            .messages
            .values()
            .map(|m| MessageSnapshot {
                immutable_id: ids::message_immutable(&m.core),
                folder_id: m.folder.clone(),
                subject: m.subject.clone(),
                is_read: m.is_read,
                flag_status: m.flag_status.clone(),
                categories: m.categories.clone(),
                received: m.received,
                has_attachments: !m.attachments.is_empty(),
            })
            .collect();
        messages.sort_by(|a, b| a.immutable_id.cmp(&b.immutable_id));
        let mut events: Vec<_> = self
            .events
            .values()
            .filter(|e| e.kind != EventType::SeriesMaster)
            .map(|e| (e.id.clone(), e.subject.clone(), e.response.clone(), e.cancelled))
            .collect();
        events.sort();
        let mut contacts: Vec<_> =
            self.contacts.values().map(|c| (c.id.clone(), c.folder.clone(), c.display_name.clone())).collect();
        contacts.sort();
        let folders = self.folders.iter().map(|f| (f.id.clone(), f.display_name.clone())).collect();
        let mut directory: Vec<_> = self.directory.values().map(|p| (p.id.clone(), p.mail.clone())).collect();
        directory.sort();
        TenantSnapshot { messages, events, contacts, folders, directory }
    }

    pub fn overview(&self) -> TenantOverview {
        let inbox_id = self.folder("inbox").map(|f| f.id.clone()).unwrap_or_default();
        let mut inbox: Vec<&Message> = self.messages.values().filter(|m| m.folder == inbox_id).collect();
        inbox.sort_by_key(|m| std::cmp::Reverse(m.received));
        TenantOverview {
            member: OverviewMember { display_name: self.user.display_name.clone(), mail: self.user.mail.clone() },
            folders: self
                .folders
                .iter()
                .map(|f| {
                    let (total, unread) = self.folder_counts(&f.id);
                    OverviewFolder {
                        id: f.id.clone(),
                        display_name: f.display_name.clone(),
                        unread_item_count: unread,
                        total_item_count: total,
                    }
                })
                .collect(),
            inbox: inbox
                .into_iter()
                .take(50)
                .map(|m| OverviewMessage {
                    id: ids::message_immutable(&m.core),
                    subject: m.subject.clone(),
                    from: m.from.name.clone(),
                    received_date_time: m.received.to_rfc3339(),
                    is_read: m.is_read,
                })
                .collect(),
        }
    }

    pub fn member_person(&self) -> Person {
        Person { name: self.user.display_name.clone(), address: self.user.mail.clone() }
    }
}
