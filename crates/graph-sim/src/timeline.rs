//! The tenant's life between syncs: as the simulated clock moves, mail arrives, the member
//! reads and tidies on another device, meetings are called and moved, contacts change.

use crate::config::TimelineProfile;
use crate::content::{self, pick, BodyKind, Person};
use crate::graph::incoming;
use crate::ids;
use crate::tenant::generate::{london, Cast};
use crate::tenant::{Attachment, AttachmentContent, Attendee, CollectionKey, EventType, Tenant};
use chrono::{DateTime, Datelike, Duration, Timelike, Utc, Weekday};
use chrono_tz::Europe::London;
use rand::Rng;
use std::collections::BTreeMap;

/// How an item changed, as a delta round will report it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    /// New in the collection (arrived, or moved in).
    Created,
    /// Changed in place.
    Updated,
    /// Gone from the collection (deleted, or moved out).
    Removed,
}

/// One change the timeline made.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct TimelineChange {
    /// The collection that a delta round will report it in.
    pub collection: CollectionKey,
    /// The item's id (immutable for messages).
    pub id: String,
    /// How it changed, net over the period.
    pub kind: ChangeKind,
}

/// What happened while the clock moved, net per item.
#[derive(Debug, Clone, Default)]
pub struct TimelineReport {
    /// Every item changed, once each, in no particular order.
    pub changes: Vec<TimelineChange>,
    /// New messages that arrived.
    pub messages_arrived: usize,
    /// Of them, bytes of attachments.
    pub attachment_bytes: u64,
}

impl TimelineReport {
    /// The changes in one collection.
    pub fn in_collection(&self, key: &CollectionKey) -> Vec<&TimelineChange> {
        self.changes.iter().filter(|c| &c.collection == key).collect()
    }
}

/// Nets changes per item: created then updated is created; anything then removed is removed.
#[derive(Default)]
struct Recorder(BTreeMap<(CollectionKey, String), ChangeKind>);

impl Recorder {
    fn note(&mut self, collection: CollectionKey, id: String, kind: ChangeKind) {
        let slot = self.0.entry((collection, id)).or_insert(kind);
        *slot = match (*slot, kind) {
            (_, ChangeKind::Removed) => ChangeKind::Removed,
            (ChangeKind::Created, ChangeKind::Updated) => ChangeKind::Created,
            (ChangeKind::Removed, ChangeKind::Created) => ChangeKind::Created,
            (ChangeKind::Removed, ChangeKind::Updated) => ChangeKind::Updated,
            (_, k) => k,
        };
    }
}

/// How many events happen in a period with mean `expected`: its whole part plus a coin for the rest.
fn count(rng: &mut impl Rng, expected: f64) -> usize {
    let whole = expected.floor();
    whole as usize + usize::from(rng.random_bool((expected - whole).clamp(0.0, 1.0)))
}

/// Lets `[from, to)` happen to the tenant, an hour at a time.
pub(crate) fn run(
    t: &mut Tenant,
    cast: &Cast,
    profile: &TimelineProfile,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> TimelineReport {
    let mut rec = Recorder::default();
    let mut report = TimelineReport::default();
    let mut hour = from;
    while hour < to {
        // A step shorter than an hour gets its share of the hour's events, so that advancing
        // by quarter-hours brings as much mail as advancing by hours.
        let span = (to - hour).min(Duration::hours(1));
        let share = span.num_seconds() as f64 / 3600.0;
        let local = hour.with_timezone(&London);
        let weekend = matches!(local.weekday(), Weekday::Sat | Weekday::Sun);
        // Most mail comes in office hours; the day's share is spread over 07:00–22:00.
        let awake = (7..22).contains(&local.hour());
        let day_share = if weekend { 1.0 / 3.0 } else { 1.0 };
        let per_hour = if awake { profile.messages_per_day * day_share / 15.0 * share } else { 0.0 };
        for _ in 0..count(&mut t.rng, per_hour) {
            let at = hour + Duration::seconds(t.rng.random_range(0..span.num_seconds().max(1)));
            let (key, bytes) = arrive(t, cast, at);
            report.messages_arrived += 1;
            report.attachment_bytes += bytes;
            note_message(t, &mut rec, &key, ChangeKind::Created);
        }
        let packs_per_hour = if awake && !weekend { profile.agenda_packs_per_week / (5.0 * 15.0) * share } else { 0.0 };
        for _ in 0..count(&mut t.rng, packs_per_hour) {
            let (key, bytes) = agenda_pack(t, cast, hour, profile.agenda_pack_bytes);
            report.messages_arrived += 1;
            report.attachment_bytes += bytes;
            note_message(t, &mut rec, &key, ChangeKind::Created);
        }
        let invites_per_hour =
            if awake && !weekend { profile.invitations_per_week / (5.0 * 15.0) * share } else { 0.0 };
        for _ in 0..count(&mut t.rng, invites_per_hour) {
            let (event, key) = invitation(t, cast, hour);
            rec.note(CollectionKey::Events, event, ChangeKind::Created);
            report.messages_arrived += 1;
            note_message(t, &mut rec, &key, ChangeKind::Created);
        }
        for _ in 0..count(&mut t.rng, profile.event_changes_per_week / 168.0 * share) {
            change_event(t, hour, &mut rec);
        }
        for _ in 0..count(&mut t.rng, profile.contact_changes_per_week / 168.0 * share) {
            change_contact(t, hour, &mut rec);
        }
        let turnover = profile.directory_turnover_per_week * t.directory.len() as f64 / 168.0 * share;
        for _ in 0..count(&mut t.directory_rng, turnover) {
            change_directory(t, &mut rec);
        }
        // The member's end-of-day tidy happens at 21:00 in London, once, however the day is stepped.
        let nine_pm = london(local.date_naive(), 21, 0);
        if (hour..hour + span).contains(&nine_pm) {
            end_of_day(t, profile, hour, &mut rec);
        }
        hour += span;
    }
    report.changes =
        rec.0.into_iter().map(|((collection, id), kind)| TimelineChange { collection, id, kind }).collect();
    report
}

fn note_message(t: &Tenant, rec: &mut Recorder, key: &str, kind: ChangeKind) {
    if let Some(m) = t.messages.get(key) {
        rec.note(CollectionKey::Messages(m.folder.clone()), ids::message_immutable(key), kind);
    }
}

fn arrive(t: &mut Tenant, cast: &Cast, at: DateTime<Utc>) -> (String, u64) {
    let roll = t.rng.random_range(0..100);
    let (kind, from, subject, attachments) = match roll {
        0..=34 => {
            let (lead, _) = pick(&mut t.rng, content::CASEWORK);
            let street = pick(&mut t.rng, content::STREETS);
            let photo = if t.rng.random_bool(0.15) {
                let name = format!("IMG_{}.jpg", 4000 + t.rng.random_range(0..999));
                Some(file(t, name, "image/jpeg", 300_000, 3_000_000, at))
            } else {
                None
            };
            (
                BodyKind::Casework,
                pick(&mut t.rng, &cast.residents).clone(),
                format!("{lead} {street}"),
                photo.into_iter().collect(),
            )
        }
        35..=54 => {
            let (officer, _, dept) = pick(&mut t.rng, &cast.officers).clone();
            let note = t
                .rng
                .random_bool(0.25)
                .then(|| file(t, format!("{dept} briefing note.pdf"), "application/pdf", 100_000, 2_000_000, at));
            (BodyKind::Briefing, officer, pick(&mut t.rng, content::BRIEFINGS).to_string(), note.into_iter().collect())
        }
        55..=74 => {
            let (org, title) = pick(&mut t.rng, content::NEWSLETTERS);
            let from = Person {
                name: org.to_string(),
                address: format!("news@{}.example", title.split_whitespace().next().unwrap_or("news").to_lowercase()),
            };
            (BodyKind::Newsletter, from, format!("{title}: {}", at.with_timezone(&London).format("%-d %B %Y")), vec![])
        }
        _ => (
            BodyKind::MemberGroup,
            pick(&mut t.rng, &cast.members).clone(),
            format!(
                "Group: {}",
                pick(&mut t.rng, &["transport motion", "ward walkabout", "budget questions", "press release"])
            ),
            vec![],
        ),
    };
    let bytes = attachments.iter().map(|a: &Attachment| a.size as u64).sum();
    (incoming(t, kind, from, subject, at, attachments, None), bytes)
}

fn file(t: &mut Tenant, name: String, content_type: &str, min: usize, max: usize, at: DateTime<Utc>) -> Attachment {
    let size = t.rng.random_range((min as f64).ln()..(max as f64).ln()).exp() as usize;
    Attachment {
        id: ids::attachment_id(&ids::core(&mut t.rng)),
        name,
        content_type: content_type.to_owned(),
        size,
        is_inline: false,
        content_id: None,
        modified: at,
        content: AttachmentContent::Generated(t.rng.random()),
    }
}

fn agenda_pack(t: &mut Tenant, cast: &Cast, at: DateTime<Utc>, (min, max): (usize, usize)) -> (String, u64) {
    let committee = pick(&mut t.rng, content::COMMITTEES);
    let date = (at + Duration::days(8)).with_timezone(&London).format("%-d %B %Y").to_string();
    let mut files =
        vec![file(t, format!("Agenda pack - {committee} - {date}.pdf"), "application/pdf", min, max.max(min + 1), at)];
    if t.rng.random_bool(0.5) {
        files.push(file(
            t,
            "Appendix A - report.docx".into(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            50_000,
            600_000,
            at,
        ));
    }
    let bytes = files.iter().map(|a| a.size as u64).sum();
    let from = cast.officers[0].0.clone();
    (incoming(t, BodyKind::AgendaPack, from, format!("Agenda pack: {committee}, {date}"), at, files, None), bytes)
}

fn invitation(t: &mut Tenant, cast: &Cast, at: DateTime<Utc>) -> (String, String) {
    let day = (at + Duration::days(t.rng.random_range(3..40))).with_timezone(&London).date_naive();
    let committee = pick(&mut t.rng, content::COMMITTEES).to_string();
    let start = london(day, 18, 30);
    let organiser = cast.officers[0].0.clone();
    let others: Vec<Person> = (0..4).map(|_| pick(&mut t.rng, &cast.members).clone()).collect();
    let mut rng = std::mem::replace(&mut t.rng, rand::SeedableRng::seed_from_u64(0));
    let online = rng.random_bool(0.4);
    let mut ev = t.new_event(
        &mut rng,
        committee.clone(),
        start,
        start + Duration::minutes(150),
        "Council Chamber, Town Hall",
        &organiser,
        &others,
        "notResponded",
        online,
        at,
    );
    t.rng = rng;
    ev.created = at;
    ev.modified = at;
    let me = t.member_person();
    ev.attendees.push(Attendee { person: me, kind: "required", response: "notResponded".into() });
    let id = ev.id.clone();
    t.insert_event(ev);
    let key = incoming(t, BodyKind::Invitation, organiser, committee, at, vec![], Some(id.clone()));
    (id, key)
}

fn change_event(t: &mut Tenant, now: DateTime<Utc>, rec: &mut Recorder) {
    let mut future: Vec<String> = t
        .events
        .values()
        .filter(|e| e.kind == EventType::SingleInstance && e.start > now && !e.cancelled)
        .map(|e| e.id.clone())
        .collect();
    future.sort();
    if future.is_empty() {
        return;
    }
    let id = future[t.rng.random_range(0..future.len())].clone();
    match t.rng.random_range(0..10) {
        0..=5 => {
            t.update_event(&id, now, |e| {
                e.start += Duration::hours(1);
                e.end += Duration::hours(1);
            });
            rec.note(CollectionKey::Events, id, ChangeKind::Updated);
        }
        6..=8 => {
            t.update_event(&id, now, |e| {
                e.cancelled = true;
                e.subject = format!("Canceled: {}", e.subject);
            });
            rec.note(CollectionKey::Events, id, ChangeKind::Updated);
        }
        _ => {
            t.delete_event(&id);
            rec.note(CollectionKey::Events, id, ChangeKind::Removed);
        }
    }
}

fn change_contact(t: &mut Tenant, now: DateTime<Utc>, rec: &mut Recorder) {
    let mut all: Vec<String> = t.contacts.keys().cloned().collect();
    all.sort();
    if all.is_empty() {
        return;
    }
    let id = all[t.rng.random_range(0..all.len())].clone();
    let phone = format!("07700 900{:03}", t.rng.random_range(0..1000));
    let folder = t.contacts[&id].folder.clone();
    t.update_contact(&id, now, |c| c.mobile_phone = Some(phone));
    rec.note(CollectionKey::Contacts(folder), id, ChangeKind::Updated);
}

/// Someone joins, leaves, or changes job, department, office or number.
fn change_directory(t: &mut Tenant, rec: &mut Recorder) {
    let mut all: Vec<String> = t.directory.keys().filter(|id| **id != t.user.id).cloned().collect();
    all.sort();
    let roll = t.directory_rng.random_range(0..10);
    if all.is_empty() || roll < 2 {
        let taken = t.directory.values().map(|p| p.mail.to_lowercase()).collect();
        let person = t.new_staff_member(&taken);
        let id = person.id.clone();
        t.insert_person(person);
        rec.note(CollectionKey::Users, id, ChangeKind::Created);
        return;
    }
    let id = all[t.directory_rng.random_range(0..all.len())].clone();
    if roll < 4 {
        t.remove_person(&id);
        rec.note(CollectionKey::Users, id, ChangeKind::Removed);
        return;
    }
    let d = t.directory_rng.random_range(0..crate::content::DEPARTMENTS.len());
    let phone = format!("01632 960{:03}", t.directory_rng.random_range(0..1000));
    t.update_person(&id, |p| {
        if p.department.as_deref() != Some("Members") {
            p.job_title = Some(crate::content::JOB_TITLES[d].to_owned());
            p.department = Some(crate::content::DEPARTMENTS[d].to_owned());
        }
        p.business_phones = vec![phone];
    });
    rec.note(CollectionKey::Users, id, ChangeKind::Updated);
}

/// In the evening the member catches up on another device: reads some mail, tidies some.
fn end_of_day(t: &mut Tenant, profile: &TimelineProfile, now: DateTime<Utc>, rec: &mut Recorder) {
    let inbox = t.folder("inbox").map(|f| f.id.clone()).unwrap_or_default();
    let mut unread: Vec<String> =
        t.messages.values().filter(|m| m.folder == inbox && !m.is_read).map(|m| m.core.clone()).collect();
    unread.sort();
    let reads = (unread.len() as f64 * profile.read_elsewhere_per_day).round() as usize;
    for _ in 0..reads.min(unread.len()) {
        let key = unread.swap_remove(t.rng.random_range(0..unread.len()));
        t.update_message(&key, now, |m| m.is_read = true);
        note_message(t, rec, &key, ChangeKind::Updated);
    }
    let mut inbox_items: Vec<String> =
        t.messages.values().filter(|m| m.folder == inbox && m.is_read).map(|m| m.core.clone()).collect();
    inbox_items.sort();
    let archive = t.folder("archive").map(|f| f.id.clone()).unwrap_or_default();
    for _ in 0..count(&mut t.rng, profile.tidied_per_day).min(inbox_items.len()) {
        let key = inbox_items.swap_remove(t.rng.random_range(0..inbox_items.len()));
        let imm = ids::message_immutable(&key);
        if t.rng.random_bool(0.5) {
            t.move_message(&key, &archive, now);
            rec.note(CollectionKey::Messages(inbox.clone()), imm.clone(), ChangeKind::Removed);
            rec.note(CollectionKey::Messages(archive.clone()), imm, ChangeKind::Created);
        } else {
            t.delete_message(&key);
            rec.note(CollectionKey::Messages(inbox.clone()), imm, ChangeKind::Removed);
        }
    }
    if t.rng.random_bool(0.3) {
        if let Some(key) = t
            .messages
            .values()
            .filter(|m| m.folder == inbox && m.flag_status == "notFlagged")
            .map(|m| m.core.clone())
            .min()
        {
            t.update_message(&key, now, |m| m.flag_status = "flagged".into());
            note_message(t, rec, &key, ChangeKind::Updated);
        }
    }
}
