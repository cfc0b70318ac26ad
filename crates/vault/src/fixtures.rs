//! Records for tests of anything built on the vault (its own tests, the app's, the
//! benchmarks): a folder, a message and a meeting as a sync would store them.

use crate::records::{EventRecord, FlagStatus, MailFolderRecord, Mailbox, MessageRecord};
use chrono::{DateTime, Duration, Utc};

/// A folder with no counts.
pub fn folder(id: &str, name: &str, well_known: Option<&str>) -> MailFolderRecord {
    MailFolderRecord {
        id: id.into(),
        parent_id: None,
        display_name: name.into(),
        well_known: well_known.map(Into::into),
        unread_count: 0,
        total_count: 0,
    }
}

/// An unread message from a resident to the member, with no body yet.
pub fn message(id: &str, folder_id: &str, subject: &str, received: DateTime<Utc>) -> MessageRecord {
    MessageRecord {
        id: id.into(),
        folder_id: folder_id.into(),
        conversation_id: Some(format!("conv-{}", &id[..id.len().min(6)])),
        subject: subject.into(),
        from: Some(Mailbox { name: "Grace Hughes".into(), address: "grace.hughes@mail.example".into() }),
        to: vec![Mailbox { name: "Cllr Sarah Baker".into(), address: "cllr.sarah.baker@demoborough.example".into() }],
        cc: vec![],
        preview: format!("About {subject}"),
        received_at: received,
        sent_at: Some(received - Duration::seconds(30)),
        is_read: false,
        is_draft: false,
        flag: FlagStatus::NotFlagged,
        categories: vec![],
        importance: "normal".into(),
        has_attachments: false,
        change_key: None,
        event_id: None,
    }
}

/// A meeting the member has not answered, organised by democratic services.
pub fn event(id: &str, subject: &str, start: DateTime<Utc>, minutes: i64) -> EventRecord {
    EventRecord {
        id: id.into(),
        series_master_id: None,
        kind: "singleInstance".into(),
        subject: subject.into(),
        preview: String::new(),
        body_html: None,
        start_at: start,
        end_at: start + Duration::minutes(minutes),
        is_all_day: false,
        is_cancelled: false,
        location: "Council Chamber, Town Hall".into(),
        organizer: Some(Mailbox {
            name: "Democratic Services".into(),
            address: "democratic.services@demoborough.example".into(),
        }),
        response: "notResponded".into(),
        response_requested: true,
        online_join_url: None,
        attendees: vec![],
        change_key: None,
        reminder_minutes: Some(15),
    }
}
