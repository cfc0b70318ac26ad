//! The vault, on real SQLCipher files in a temporary folder, with its key in the real kernel
//! keyring where a test is about the key.
#![allow(missing_docs)] // test helpers

mod canary;
mod errors;
mod migrations;
mod queries;
mod search;
mod wipe;

use chrono::{DateTime, Duration, TimeZone, Utc};
use companion_vault::*;

pub fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).single().expect("valid time")
}

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
    }
}

pub fn contact(id: &str, name: &str, email: &str) -> ContactRecord {
    ContactRecord {
        id: id.into(),
        folder_id: Some("contacts".into()),
        display_name: name.into(),
        given_name: name.split(' ').next().map(Into::into),
        surname: name.split(' ').nth(1).map(Into::into),
        job_title: Some("Senior Planning Officer".into()),
        company: Some("Demo Borough Council".into()),
        department: Some("Planning".into()),
        emails: vec![Mailbox { name: name.into(), address: email.into() }],
        phones: vec!["01632 960123".into()],
        mobile_phone: None,
        change_key: None,
    }
}

/// A fresh vault in a temporary folder with a random key.
pub fn fresh() -> (tempfile::TempDir, Vault, VaultKey) {
    let dir = tempfile::tempdir().expect("temp dir");
    let key = VaultKey::generate();
    let (vault, report) = Vault::open(dir.path(), &key).expect("opens");
    assert_eq!(report, OpenReport::Created);
    (dir, vault, key)
}

pub fn seed_inbox(vault: &Vault) {
    vault
        .write(|w| {
            w.upsert_folder(&folder("inbox", "Inbox", Some("inbox")))?;
            w.upsert_folder(&folder("archive", "Archive", Some("archive")))?;
            Ok(())
        })
        .expect("folders");
}
