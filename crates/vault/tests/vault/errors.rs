use super::*;

#[test]
fn a_wrong_key_fails_with_its_own_error_and_leaves_the_file_untouched() {
    let (dir, vault, _key) = fresh();
    seed_inbox(&vault);
    vault.write(|w| w.upsert_message(&message("m1", "inbox", "Kept safe", at(2026, 10, 1, 9, 0)))).expect("write");
    drop(vault);
    let path = dir.path().join("vault.db");
    let before = std::fs::read(&path).expect("read");
    let wrong = VaultKey::generate();
    assert!(matches!(Vault::open(dir.path(), &wrong), Err(OpenError::WrongKey)));
    assert_eq!(std::fs::read(&path).expect("read"), before, "not a byte changed");
    assert!(
        !dir.path().join("vault.db-wal").exists()
            || std::fs::metadata(dir.path().join("vault.db-wal")).map(|m| m.len()).unwrap_or(0) == 0
    );
}

#[test]
fn the_right_key_opens_what_was_written() {
    let (dir, vault, key) = fresh();
    seed_inbox(&vault);
    vault.write(|w| w.upsert_message(&message("m1", "inbox", "Kept safe", at(2026, 10, 1, 9, 0)))).expect("write");
    drop(vault);
    let again = VaultKey::from_bytes(key.as_bytes()).expect("same key");
    let (vault, report) = Vault::open(dir.path(), &again).expect("opens");
    assert_eq!(report, OpenReport::Existing { migrated_from: None });
    assert_eq!(vault.message("m1").expect("read").map(|m| m.subject).as_deref(), Some("Kept safe"));
}

#[test]
fn a_plain_sqlite_file_is_refused_as_not_encrypted() {
    let dir = tempfile::tempdir().expect("temp dir");
    drop(Vault::open_plaintext(dir.path()).expect("plain"));
    assert!(matches!(Vault::open(dir.path(), &VaultKey::generate()), Err(OpenError::NotEncrypted)));
}

#[test]
fn a_schema_newer_than_the_app_is_refused() {
    let (dir, vault, key) = fresh();
    vault.execute_raw("PRAGMA user_version = 99").expect("bump");
    drop(vault);
    let key = VaultKey::from_bytes(key.as_bytes()).expect("key");
    match Vault::open(dir.path(), &key) {
        Err(OpenError::SchemaTooNew { found: 99, supported }) => assert_eq!(supported, SCHEMA_VERSION),
        other => panic!("expected SchemaTooNew, got {other:?}"),
    }
}

#[test]
fn a_full_disk_rolls_back_the_write_and_keeps_what_was_there() {
    let (_dir, vault, _key) = fresh();
    seed_inbox(&vault);
    vault
        .write(|w| w.upsert_message(&message("kept", "inbox", "Written before the disk filled", at(2026, 10, 1, 9, 0))))
        .expect("write");
    // SQLite's page limit makes the database "full" exactly as a full disk does.
    vault.execute_raw("PRAGMA max_page_count = 60").expect("limit");
    let big = "x".repeat(4000);
    let result = vault.write(|w| {
        for i in 0..400 {
            let mut m = message(&format!("big{i}"), "inbox", "Large", at(2026, 10, 2, 9, 0));
            m.preview = big.clone();
            w.upsert_message(&m)?;
        }
        Ok(())
    });
    assert!(matches!(result, Err(VaultError::DiskFull)), "{result:?}");
    assert!(vault.message("kept").expect("read").is_some(), "the earlier message is still there");
    assert!(vault.message("big0").expect("read").is_none(), "the failed write left nothing half-done");
}
