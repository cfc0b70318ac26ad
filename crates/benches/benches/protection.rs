//! The app lock, through the app core as the member meets it: unlocking a 50,000-message
//! cache with the PIN (Argon2id at the shipped cost, then the vault), against opening the same
//! vault with its raw key; the cost of one PIN guess; and the one wipe of a 50,000-message
//! cache, against the wipe of an empty one. Issue 13's figures.

use companion_app::{AppConfig, Companion};
use companion_benches::corpus::corpus;
use companion_benches::{measure, report, Samples};
use companion_keystore::{Keystore, SecretName};
use companion_protection::{KdfParams, Pin, WrappedKey};
use companion_vault::{MailFolderRecord, Vault, VaultKey};
use std::path::Path;
use std::time::Instant;

const MESSAGES: usize = 50_000;
const PIN: &str = "274916";

fn config(service: &str) -> AppConfig {
    // Nothing here reaches the network: no session is ever started.
    AppConfig::from_toml(&format!(
        "authority = \"https://login.microsoftonline.com/demoborough.example\"\nclient-id = \"00000000-0000-0000-0000-000000000001\"\ngraph-url = \"https://graph.microsoft.com/v1.0\"\nkeyring-service = \"{service}\"\n"
    ))
    .expect("config")
}

fn service(label: &str, run: usize) -> String {
    format!("uk.gov.membercompanion.bench.{label}.{}.{run}", std::process::id())
}

/// A vault of `MESSAGES` messages under `key` in `dir`.
fn fill(dir: &Path, key: &VaultKey) {
    let (vault, _) = Vault::open(dir, key).expect("open");
    vault
        .write(|w| {
            w.upsert_folder(&MailFolderRecord {
                id: "inbox".into(),
                parent_id: None,
                display_name: "Inbox".into(),
                well_known: Some("inbox".into()),
                unread_count: 0,
                total_count: 0,
            })
        })
        .expect("folder");
    let fetched = chrono::Utc::now();
    for batch in corpus(MESSAGES).chunks(1000) {
        vault
            .write(|w| {
                for (m, body) in batch {
                    let mut m = m.clone();
                    m.folder_id = "inbox".into();
                    w.upsert_message(&m)?;
                    w.set_body(&m.id, body, fetched)?;
                }
                Ok(())
            })
            .expect("batch");
    }
}

fn copy_dir(from: &Path, to: &Path) -> u64 {
    std::fs::create_dir_all(to).expect("dir");
    let mut bytes = 0;
    for entry in std::fs::read_dir(from).expect("read").flatten() {
        if entry.file_type().is_ok_and(|t| t.is_file()) {
            bytes += std::fs::copy(entry.path(), to.join(entry.file_name())).expect("copy");
        }
    }
    bytes
}

/// The app set up over a copy of `template` (when given): the vault's key handed over as an
/// install from before the PIN would, then sealed under the PIN.
async fn set_up(rt_dir: &Path, service: &str, template: Option<(&Path, &VaultKey)>) -> Companion {
    if let Some((template, key)) = template {
        copy_dir(template, rt_dir);
        Keystore::native(service).expect("keyring").set(SecretName::LegacyVaultKey, key.as_bytes()).expect("key");
    }
    let app = Companion::open(config(service), rt_dir, false).expect("core");
    app.protection.choose_pin(PIN, chrono::Utc::now()).await.expect("PIN");
    app
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    let template = tempfile::tempdir().expect("dir");
    let key = VaultKey::generate();
    let t = Instant::now();
    fill(template.path(), &key);
    let size: u64 = std::fs::read_dir(template.path())
        .expect("dir")
        .flatten()
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum();
    println!("a {MESSAGES}-message vault, {:.0} MB, built in {:.1} s", size as f64 / 1e6, t.elapsed().as_secs_f64());

    // Unlocking: lock, then the PIN, through the app; the baseline opens the vault with its key.
    let work = tempfile::tempdir().expect("dir");
    let app_dir = work.path().join("unlock");
    let svc = service("unlock", 0);
    let app = rt.block_on(set_up(&app_dir, &svc, Some((template.path(), &key))));
    let unlock = measure("unlock with the PIN (Argon2id + vault)", 1, 10, || {
        rt.block_on(async {
            app.protection.lock(chrono::Utc::now()).await;
            let status = app.protection.unlock(PIN, chrono::Utc::now()).await.expect("unlock");
            assert_eq!(serde_json::to_value(status).expect("json")["state"], "unlocked");
        });
    });
    rt.block_on(app.protection.lock(chrono::Utc::now()));
    let raw_open = measure("open the vault with the raw key", 1, 10, || {
        let (vault, _) = Vault::open(&app_dir, &key).expect("open");
        std::hint::black_box(vault.counts().expect("counts"));
    });
    drop(app);
    let _ = Keystore::native(&svc).map(|ks| ks.delete_all());

    // One guess: what each try at the PIN costs whoever holds the keystore secret too.
    let secret = [7u8; 32];
    let sealed = WrappedKey::seal(key.as_bytes(), &Pin::entered(PIN).expect("pin"), &secret, KdfParams::default())
        .expect("seal");
    let wrong = Pin::entered("000000").expect("pin");
    let guess = measure("one wrong PIN guess (Argon2id, 64 MiB, t=3)", 1, 10, || {
        assert!(sealed.open(&wrong, &secret).is_err());
    });

    // The wipe: the app's one wipe (forgotten PIN), timed alone; set-up is outside the timing.
    let wipe = |label: &str, template: Option<(&Path, &VaultKey)>| -> Samples {
        let mut sorted = Vec::new();
        for run in 0..5 {
            let dir = work.path().join(format!("{label}-{run}"));
            let svc = service(label, run);
            let app = rt.block_on(set_up(&dir, &svc, template));
            let t = Instant::now();
            rt.block_on(app.protection.forget_pin(chrono::Utc::now()));
            sorted.push(t.elapsed());
            let left: Vec<_> = std::fs::read_dir(&dir).expect("dir").flatten().map(|e| e.file_name()).collect();
            assert_eq!(left.len(), 1, "only the marker is left: {left:?}");
        }
        sorted.sort();
        Samples { name: format!("wipe: {label}"), sorted }
    };
    let empty = wipe("an empty cache", None);
    let full = wipe(&format!("{MESSAGES} messages"), Some((template.path(), &key)));

    println!("app lock (p50 of 10 runs; the wipe, of 5)");
    report(&raw_open, &raw_open);
    report(&unlock, &raw_open);
    report(&guess, &guess);
    report(&empty, &empty);
    report(&full, &empty);
    let per_guess = guess.p50().as_secs_f64();
    println!(
        "targets: unlock {:.0} ms (well under 500 ms); one guess {:.0} ms and 64 MiB, so all 1,000,000 six-digit PINs take {:.1} days on this machine, and only with the keystore's secret; wipe of {MESSAGES} messages {:.0} ms",
        unlock.p50().as_secs_f64() * 1e3,
        per_guess * 1e3,
        per_guess * 1e6 / 86_400.0,
        full.p50().as_secs_f64() * 1e3,
    );
}
