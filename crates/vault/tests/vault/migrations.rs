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
fn opening_a_current_vault_runs_no_migration() {
    let (dir, vault, key) = fresh();
    drop(vault);
    let key = VaultKey::from_bytes(key.as_bytes()).expect("key");
    let (_vault, report) = Vault::open(dir.path(), &key).expect("opens");
    assert_eq!(report, OpenReport::Existing { migrated_from: None });
}
