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
use companion_vault::fixtures::{event, folder, message};
use companion_vault::*;

pub fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).single().expect("valid time")
}

/// Message `m1`'s attachment `a1`, an agenda pack of `size` bytes, listed but not downloaded.
pub fn pack_pdf(size: u64) -> AttachmentRecord {
    AttachmentRecord {
        message_id: "m1".into(),
        id: "a1".into(),
        name: "pack.pdf".into(),
        content_type: "application/pdf".into(),
        size,
        is_inline: false,
        content_id: None,
        downloaded: false,
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
