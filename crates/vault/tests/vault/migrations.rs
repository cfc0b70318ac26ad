use super::*;

#[test]
fn a_version_1_vault_is_upgraded_and_keeps_its_data_searchable() {
    let dir = tempfile::tempdir().expect("temp dir");
    let key = VaultKey::generate();
    let v1 = Vault::create_at_version(dir.path(), &key, 1).expect("version 1");
    // Rows as version 1 wrote them (it had no search index).
    v1.execute_raw(
        "INSERT INTO mail_folder (id, display_name, well_known) VALUES ('inbox', 'Inbox', 'inbox');
         INSERT INTO message (id, folder_id, subject, preview, received_at, body_text, body_fetched_at)
           VALUES ('m1', 'inbox', 'Flooding on Canal Walk', 'Water in the road', 1790000000000, 'The drains on Canal Walk are blocked', 1790000000000);
         INSERT INTO event (id, subject, start_at, end_at, location) VALUES ('e1', 'Licensing Committee', 1790000000000, 1790003600000, 'Town Hall');
         INSERT INTO contact (id, display_name, emails_json, emails_text) VALUES ('c1', 'Priya Patel', '[{\"name\":\"Priya Patel\",\"address\":\"priya.patel@mail.example\"}]', 'priya.patel@mail.example');
         INSERT INTO outbox (op_id, kind, created_at, updated_at) VALUES ('op-1', 'markRead', 1, 1);
         INSERT INTO delta_checkpoint (collection, link, kind, updated_at) VALUES ('mail:inbox', 'https://graph/delta?$deltatoken=abc', 'delta', 1);",
    )
    .expect("version 1 rows");
    drop(v1);

    let key = VaultKey::from_bytes(key.as_bytes()).expect("key");
    let (vault, report) = Vault::open(dir.path(), &key).expect("upgrades");
    assert_eq!(report, OpenReport::Existing { migrated_from: Some(1) });
    assert_eq!(vault.message("m1").expect("read").map(|m| m.subject).as_deref(), Some("Flooding on Canal Walk"));
    assert_eq!(vault.outbox().expect("outbox").len(), 1);
    assert_eq!(vault.checkpoint("mail:inbox").expect("checkpoint").map(|c| c.kind), Some(CheckpointKind::Delta));
    let kinds: Vec<SearchKind> = vault.search("drains", 10).expect("search").into_iter().map(|h| h.kind).collect();
    assert_eq!(kinds, vec![SearchKind::Mail], "version 1's mail is indexed by the upgrade");
    assert_eq!(vault.search("licensing", 10).expect("search")[0].kind, SearchKind::Event);
    assert_eq!(vault.search("priya", 10).expect("search")[0].kind, SearchKind::Contact);
}

#[test]
fn a_version_2_vault_keeps_its_attachments_and_gains_their_content_ids_empty() {
    let dir = tempfile::tempdir().expect("temp dir");
    let key = VaultKey::generate();
    let v2 = Vault::create_at_version(dir.path(), &key, 2).expect("version 2");
    v2.execute_raw(
        "INSERT INTO mail_folder (id, display_name, well_known) VALUES ('inbox', 'Inbox', 'inbox');
         INSERT INTO message (id, folder_id, subject, received_at) VALUES ('m1', 'inbox', 'Agenda', 1790000000000);
         INSERT INTO message (id, folder_id, subject, received_at, body_html, body_fetched_at)
           VALUES ('m2', 'inbox', 'Signed', 1790000000000, '<img src=\"CID:crest@council\">', 1790000000000);
         INSERT INTO attachment (message_id, id, name, content_type, size, is_inline, content)
           VALUES ('m1', 'a1', 'crest.png', 'image/png', 4, 1, x'89504e47');",
    )
    .expect("version 2 rows");
    drop(v2);

    let key = VaultKey::from_bytes(key.as_bytes()).expect("key");
    let (vault, report) = Vault::open(dir.path(), &key).expect("upgrades");
    assert_eq!(report, OpenReport::Existing { migrated_from: Some(2) });
    let attachments = vault.attachments("m1").expect("attachments");
    assert_eq!(attachments.len(), 1);
    assert!(attachments[0].is_inline && attachments[0].downloaded);
    assert_eq!(attachments[0].content_id, None, "no content id until the list is fetched again");
    assert_eq!(vault.attachment_content("m1", "a1").expect("content").as_deref(), Some(&[0x89, b'P', b'N', b'G'][..]));
    let since = chrono::DateTime::from_timestamp_millis(1_780_000_000_000).expect("time");
    assert_eq!(
        vault.messages_without_attachment_list(since).expect("listless"),
        vec!["m2".to_owned()],
        "a stored body naming an inline picture has its list fetched ahead"
    );
}

#[test]
fn opening_a_current_vault_runs_no_migration() {
    let (dir, vault, key) = fresh();
    drop(vault);
    let key = VaultKey::from_bytes(key.as_bytes()).expect("key");
    let (_vault, report) = Vault::open(dir.path(), &key).expect("opens");
    assert_eq!(report, OpenReport::Existing { migrated_from: None });
}

#[test]
fn a_version_6_vault_keeps_its_meetings_and_syncs_the_calendar_again_so_they_gain_their_reminders() {
    let dir = tempfile::tempdir().expect("temp dir");
    let key = VaultKey::generate();
    let v6 = Vault::create_at_version(dir.path(), &key, 6).expect("version 6");
    v6.execute_raw(
        "INSERT INTO event (id, kind, subject, start_at, end_at, location, response, attendees_json)
           VALUES ('e1', 'singleInstance', 'Planning Committee', 1790000000000, 1790003600000, 'Council Chamber', 'accepted', '[]');
         INSERT INTO delta_checkpoint (collection, link, kind, updated_at) VALUES ('calendar', 'https://graph/delta?t=1', 'delta', 1);
         INSERT INTO delta_checkpoint (collection, link, kind, updated_at) VALUES ('mail:inbox', 'https://graph/delta?t=2', 'delta', 1);",
    )
    .expect("version 6 rows");
    drop(v6);

    let key = VaultKey::from_bytes(key.as_bytes()).expect("key");
    let (vault, report) = Vault::open(dir.path(), &key).expect("upgrades");
    assert_eq!(report, OpenReport::Existing { migrated_from: Some(6) });
    let event = vault.event("e1").expect("read").expect("kept");
    assert_eq!((event.subject.as_str(), event.reminder_minutes), ("Planning Committee", None));
    let (from, to) = (
        chrono::DateTime::from_timestamp_millis(1_789_000_000_000).expect("time"),
        chrono::DateTime::from_timestamp_millis(1_791_000_000_000).expect("time"),
    );
    assert!(vault.reminders_between(from, to).expect("reminders").is_empty());
    assert!(vault.checkpoint("calendar").expect("read").is_none(), "the calendar is taken again");
    assert!(vault.checkpoint("mail:inbox").expect("read").is_some(), "mail is not");
}

#[test]
fn a_version_7_vault_keeps_its_contacts_and_gains_an_empty_directory_that_suggests_alongside_them() {
    let dir = tempfile::tempdir().expect("temp dir");
    let key = VaultKey::generate();
    let v7 = Vault::create_at_version(dir.path(), &key, 7).expect("version 7");
    v7.execute_raw(
        "INSERT INTO contact (id, display_name, emails_json, emails_text) VALUES ('c1', 'Priya Patel', '[{\"name\":\"Priya Patel\",\"address\":\"priya.patel@mail.example\"}]', 'priya.patel@mail.example');",
    )
    .expect("version 7 rows");
    drop(v7);

    let key = VaultKey::from_bytes(key.as_bytes()).expect("key");
    let (vault, report) = Vault::open(dir.path(), &key).expect("upgrades");
    assert_eq!(report, OpenReport::Existing { migrated_from: Some(7) });
    assert_eq!(vault.directory_count().expect("count"), 0);
    vault
        .write(|w| {
            w.upsert_directory_person(&DirectoryPersonRecord {
                id: "u1".into(),
                display_name: "Priyanka Shah".into(),
                mail: Some("priyanka.shah@council.example".into()),
                ..DirectoryPersonRecord::default()
            })
        })
        .expect("a person");
    let offered: Vec<_> = vault
        .address_suggestions("pri", 8)
        .expect("suggest")
        .into_iter()
        .map(|s| (s.mailbox.address, s.source))
        .collect();
    assert_eq!(
        offered,
        [
            ("priya.patel@mail.example".to_owned(), AddressSource::Contact),
            ("priyanka.shah@council.example".to_owned(), AddressSource::Directory)
        ]
    );
}

#[test]
fn a_version_8_vault_keeps_its_outbox_and_gains_somewhere_to_keep_files_being_sent() {
    let dir = tempfile::tempdir().expect("temp dir");
    let key = VaultKey::generate();
    let v8 = Vault::create_at_version(dir.path(), &key, 8).expect("version 8");
    v8.execute_raw("INSERT INTO outbox (op_id, kind, created_at, updated_at) VALUES ('op-1', 'send', 1, 1);")
        .expect("version 8 rows");
    drop(v8);

    let key = VaultKey::from_bytes(key.as_bytes()).expect("key");
    let (vault, report) = Vault::open(dir.path(), &key).expect("upgrades");
    assert_eq!(report, OpenReport::Existing { migrated_from: Some(8) });
    assert_eq!(vault.outbox().expect("outbox").len(), 1);
    assert!(vault.outgoing_attachments("op-1").expect("files").is_empty());
    vault
        .write(|w| w.stage_attachment("f1", "plan.pdf", "application/pdf", b"%PDF", chrono::Utc::now()))
        .expect("stage");
    assert_eq!(vault.staged_attachment("f1").expect("read").map(|a| a.size), Some(4));
}
