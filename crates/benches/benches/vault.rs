//! The vault: inserting 50,000 messages in batches, full-text search p50 and p95, and opening to
//! the first inbox page. Each runs on SQLCipher and on plain SQLite in the same process, so the
//! cost of encryption is a ratio. Targets: search p95 under 5 ms, open under 50 ms,
//! encryption under 1.3×.

use chrono::{Duration, TimeZone, Utc};
use companion_benches::{measure, report, Samples};
use companion_vault::*;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use std::path::Path;
use std::time::Instant;

const MESSAGES: usize = 50_000;
const BATCH: usize = 500;

const WORDS: &[&str] = &[
    "council",
    "ward",
    "planning",
    "application",
    "committee",
    "agenda",
    "pothole",
    "road",
    "bin",
    "collection",
    "recycling",
    "parking",
    "permit",
    "housing",
    "repair",
    "damp",
    "mould",
    "school",
    "crossing",
    "budget",
    "consultation",
    "licence",
    "noise",
    "street",
    "light",
    "tree",
    "flooding",
    "drain",
    "resident",
    "complaint",
    "officer",
    "report",
    "meeting",
    "minutes",
    "cabinet",
    "scrutiny",
    "highways",
    "footpath",
    "bus",
    "service",
    "library",
    "park",
    "playground",
    "grant",
    "funding",
    "allowance",
    "training",
    "safeguarding",
    "declaration",
    "interest",
    "motion",
    "amendment",
    "petition",
    "survey",
    "newsletter",
    "briefing",
    "update",
    "deadline",
    "appendix",
    "decision",
    "appeal",
    "enforcement",
    "tenancy",
];
const NAMES: &[&str] = &[
    "Grace Hughes",
    "Imran Khan",
    "Niamh O'Brien",
    "Tomasz Nowak",
    "Priya Patel",
    "Rhys Evans",
    "Zoë Åberg",
    "Kwame Mensah",
    "Aisha Ahmed",
    "Ben Clarke",
    "Catherine Davies",
    "David Fletcher",
    "Eleanor Green",
    "Farhan Iqbal",
    "Harpreet Kaur",
    "Joanne Lewis",
    "Linda Morgan",
    "Owen Price",
    "Sarah Roberts",
    "Una Singh",
    "Victor Thomas",
    "Wendy Vaughan",
    "Yusuf Walker",
    "Alan Young",
];
const STREETS: &[&str] = &[
    "Mill Lane",
    "Church Lane",
    "Station Road",
    "Victoria Street",
    "Canal Walk",
    "Orchard Close",
    "Park Avenue",
    "The Crescent",
    "High Street",
    "Queen's Road",
    "Elm Grove",
    "School Lane",
    "Market Square",
    "Abbey Road",
    "Castle Street",
    "Meadow Way",
];

/// Everyday words, drawn Zipf-like (a few very common, most rare), as in real mail.
fn filler(rng: &mut StdRng) -> String {
    let rank = (1.0 / (rng.random::<f64>() * 0.9999 + 0.0001)).min(5_000.0) as usize;
    format!("w{rank}")
}

fn body(rng: &mut StdRng, name: &str, street: &str) -> String {
    // Ninety words: a handful of topic words (each in a few per cent of mail), the rest filler.
    let mut words: Vec<String> = (0..84).map(|_| filler(rng)).collect();
    for _ in 0..6 {
        let at = rng.random_range(0..words.len());
        words.insert(at, (*WORDS.choose(rng).unwrap_or(&"council")).to_owned());
    }
    format!("Dear councillor, {} on {street}. Regards, {name}", words.join(" "))
}

fn corpus() -> Vec<(MessageRecord, MessageBody)> {
    let mut rng = StdRng::seed_from_u64(7);
    let start = Utc.with_ymd_and_hms(2026, 6, 1, 8, 0, 0).single().unwrap_or_default();
    (0..MESSAGES)
        .map(|i| {
            let name = *NAMES.choose(&mut rng).unwrap_or(&"Grace Hughes");
            let street = *STREETS.choose(&mut rng).unwrap_or(&"Mill Lane");
            let topic: Vec<&str> = (0..3).map(|_| *WORDS.choose(&mut rng).unwrap_or(&"council")).collect();
            let subject = format!("{} on {street}", topic.join(" "));
            let body = body(&mut rng, name, street);
            let folder = if rng.random_bool(0.6) { "inbox" } else { "archive" };
            let m = MessageRecord {
                id: format!("AAkALg{i:016}"),
                folder_id: folder.into(),
                conversation_id: Some(format!("conv{}", i / 3)),
                subject,
                from: Some(Mailbox {
                    name: name.into(),
                    address: format!("{}@mail.example", name.to_lowercase().replace(' ', ".")),
                }),
                to: vec![Mailbox {
                    name: "Cllr Sarah Baker".into(),
                    address: "cllr.sarah.baker@demoborough.example".into(),
                }],
                cc: vec![],
                preview: body.chars().take(200).collect(),
                received_at: start + Duration::minutes(i as i64 * 5),
                sent_at: None,
                is_read: rng.random_bool(0.8),
                is_draft: false,
                flag: FlagStatus::NotFlagged,
                categories: vec![],
                importance: "normal".into(),
                has_attachments: false,
                change_key: None,
                event_id: None,
            };
            (m, MessageBody { text: Some(body), html: None })
        })
        .collect()
}

/// What members type: single words, prefixes as they type, a sender, two words, a street.
const QUERIES: &[&str] = &[
    "pothole",
    "pot",
    "planning app",
    "agenda",
    "bin coll",
    "damp mould",
    "grace",
    "priya patel",
    "mill lane",
    "canal",
    "licence",
    "noise",
    "flood",
    "drain",
    "school cross",
    "budget consultation",
    "safeguard",
    "petition",
    "appeal",
    "tenan",
    "zoe",
    "aberg",
    "o'brien",
    "playground grant",
    "enforcement",
    "bus service",
    "library",
    "declaration interest",
    "footpath",
    "park",
];

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
    let mut q = QUERIES.iter().cycle();
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
    let corpus = corpus();
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
