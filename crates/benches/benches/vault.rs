//! The vault: inserting 50,000 messages in batches, full-text search p50 and p95, and opening to
//! the first inbox page. Each runs on SQLCipher and on plain SQLite in the same process, so the
//! cost of encryption is a ratio. Targets: search p95 under 5 ms, open under 50 ms,
//! encryption under 1.3×.

use chrono::Utc;
use companion_benches::corpus::corpus;
use companion_benches::{measure, report, Samples, TYPED_QUERIES};
use companion_vault::*;
use std::path::Path;
use std::time::Instant;

const MESSAGES: usize = 50_000;
const BATCH: usize = 500;

fn open(dir: &Path, key: Option<&VaultKey>) -> Vault {
    match key {
        Some(k) => Vault::open(dir, k).expect("open encrypted").0,
        None => Vault::open_plaintext(dir).expect("open plain").0,
    }
}

struct Run {
    insert_secs: f64,
    search: Samples,
    open_first_page: Samples,
}

fn run(label: &str, key: Option<&VaultKey>, corpus: &[(MessageRecord, MessageBody)]) -> Run {
    let dir = tempfile::tempdir().expect("temp dir");
    let vault = open(dir.path(), key);
    vault
        .write(|w| {
            for (id, name) in [("inbox", "Inbox"), ("archive", "Archive")] {
                w.upsert_folder(&MailFolderRecord {
                    id: id.into(),
                    parent_id: None,
                    display_name: name.into(),
                    well_known: Some(id.into()),
                    unread_count: 0,
                    total_count: 0,
                })?;
            }
            Ok(())
        })
        .expect("folders");
    let fetched = Utc::now();
    let t = Instant::now();
    for batch in corpus.chunks(BATCH) {
        vault
            .write(|w| {
                for (m, body) in batch {
                    w.upsert_message(m)?;
                    w.set_body(&m.id, body, fetched)?;
                }
                Ok(())
            })
            .expect("batch");
    }
    let insert_secs = t.elapsed().as_secs_f64();
    let mut q = TYPED_QUERIES.iter().cycle();
    let search = measure(&format!("{label}: search (30 queries, top 20)"), 60, 600, || {
        let hits = vault.search(q.next().unwrap_or(&"council"), 20).expect("search");
        std::hint::black_box(hits);
    });
    drop(vault);
    let open_first_page = measure(&format!("{label}: open + first inbox page"), 3, 40, || {
        let v = open(dir.path(), key);
        let page = v.folder_page("inbox", None, 50).expect("page");
        assert_eq!(page.messages.len(), 50);
        std::hint::black_box(page);
    });
    Run { insert_secs, search, open_first_page }
}

fn main() {
    let corpus = corpus(MESSAGES);
    let plain = run("plain SQLite", None, &corpus);
    let key = VaultKey::generate();
    let enc = run("SQLCipher", Some(&key), &corpus);
    println!("vault with {MESSAGES} messages (bodies ~600 characters), batches of {BATCH}");
    println!(
        "insert 50,000: SQLCipher {:.2} s ({:.0} msg/s), plain {:.2} s = {:.2}x plain",
        enc.insert_secs,
        MESSAGES as f64 / enc.insert_secs,
        plain.insert_secs,
        enc.insert_secs / plain.insert_secs
    );
    report(&plain.search, &plain.search);
    report(&enc.search, &plain.search);
    report(&plain.open_first_page, &plain.open_first_page);
    report(&enc.open_first_page, &plain.open_first_page);
    println!(
        "targets: search p95 {:.2} ms (< 5 ms), open {:.2} ms (< 50 ms), search cost {:.2}x and open cost {:.2}x (< 1.3x)",
        enc.search.p95().as_secs_f64() * 1e3,
        enc.open_first_page.p50().as_secs_f64() * 1e3,
        enc.search.p95().as_secs_f64() / plain.search.p95().as_secs_f64(),
        enc.open_first_page.p50().as_secs_f64() / plain.open_first_page.p50().as_secs_f64()
    );
}
