use super::*;
use companion_keystore::{Keystore, SecretName, Zeroizing};

fn service() -> String {
    format!(
        "uk.gov.membercompanion.vault-test.{}.{}",
        std::process::id(),
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0)
    )
}

#[test]
fn after_a_wipe_no_file_and_no_keyring_entry_is_left_and_the_next_start_says_so() {
    let dir = tempfile::tempdir().expect("temp dir");
    let keystore = Keystore::native(&service()).expect("the kernel keyring");
    let (bytes, created) = keystore
        .get_or_create(SecretName::PinSecret, || Zeroizing::new(VaultKey::generate().as_bytes().to_vec()))
        .expect("key");
    assert!(created);
    let key = VaultKey::from_bytes(&bytes).expect("32 bytes");
    let (vault, _) = Vault::open(dir.path(), &key).expect("opens");
    seed_inbox(&vault);
    vault
        .write(|w| w.upsert_message(&message("m1", "inbox", "Confidential casework", at(2026, 10, 1, 9, 0))))
        .expect("write");

    vault.wipe().expect("wipe");
    assert!(keystore.delete(SecretName::PinSecret).expect("delete key"));

    let left: Vec<String> = std::fs::read_dir(dir.path())
        .expect("dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, vec!["wiped-at".to_owned()], "only the wipe marker, which holds a time and nothing else");
    assert!(keystore.get(SecretName::PinSecret).expect("read").is_none(), "no keyring entry");

    let (fresh_bytes, created) = keystore
        .get_or_create(SecretName::PinSecret, || Zeroizing::new(VaultKey::generate().as_bytes().to_vec()))
        .expect("new key");
    assert!(created);
    let (vault, report) =
        Vault::open(dir.path(), &VaultKey::from_bytes(&fresh_bytes).expect("key")).expect("opens empty");
    assert!(matches!(report, OpenReport::CreatedAfterWipe { .. }), "{report:?}");
    assert_eq!(vault.counts().expect("counts"), (0, 0, 0));
    keystore.delete(SecretName::PinSecret).expect("clean up");
}

#[test]
fn a_vault_whose_key_is_lost_can_still_be_wiped() {
    let (dir, vault, _key) = fresh();
    seed_inbox(&vault);
    drop(vault);
    Vault::wipe_dir(dir.path()).expect("wipe without opening");
    assert!(!dir.path().join("vault.db").exists());
}
