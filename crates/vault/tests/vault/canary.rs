use super::*;
use std::path::Path;

const MARKERS: [&str; 4] = ["ZQXCANARYSUBJECT7", "ZQXCANARYBODY7", "ZQXCANARYCONTACT7", "ZQXCANARYATTACH7"];

fn fill(vault: &Vault) {
    seed_inbox(vault);
    vault
        .write(|w| {
            for i in 0..200 {
                let mut m = message(
                    &format!("m{i:04}"),
                    "inbox",
                    &format!("Casework {} number {i}", MARKERS[0]),
                    at(2026, 10, 1, 9, 0) + Duration::minutes(i),
                );
                m.has_attachments = i == 7;
                w.upsert_message(&m)?;
                w.set_body(
                    &m.id,
                    &MessageBody {
                        text: Some(format!("Dear councillor, {} is in the body.", MARKERS[1])),
                        html: Some(format!("<p>{}</p>", MARKERS[1])),
                    },
                    at(2026, 10, 2, 9, 0),
                )?;
            }
            w.upsert_contact(&contact("c1", &format!("Alex {}", MARKERS[2]), "alex@mail.example"))?;
            w.upsert_attachment(&AttachmentRecord {
                message_id: "m0007".into(),
                id: "a1".into(),
                name: "pack.pdf".into(),
                content_type: "application/pdf".into(),
                size: 64,
                is_inline: false,
                content_id: None,
                downloaded: false,
            })?;
            w.set_attachment_content(
                "m0007",
                "a1",
                format!("%PDF {} %%EOF", MARKERS[3]).as_bytes(),
                at(2026, 10, 2, 9, 0),
            )?;
            Ok(())
        })
        .expect("fill");
}

/// Every marker found in any file under `dir`, by file.
fn scan(dir: &Path) -> Vec<(String, &'static str)> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let bytes = std::fs::read(&path).expect("read file");
            for m in MARKERS {
                if bytes.windows(m.len()).any(|w| w == m.as_bytes()) {
                    found.push((path.display().to_string(), m));
                }
            }
        }
    }
    found
}

#[test]
fn no_marker_is_readable_in_any_file_of_an_encrypted_vault() {
    let (dir, vault, _key) = fresh();
    fill(&vault);
    // While open: the WAL holds the recent writes.
    assert!(dir.path().join("vault.db-wal").exists(), "the WAL is there to be scanned");
    assert_eq!(scan(dir.path()), vec![], "nothing readable while open");
    // The markers really are in there (the scan would have something to find).
    assert_eq!(vault.search(MARKERS[1], 5).expect("search").len(), 5);
    drop(vault);
    assert_eq!(scan(dir.path()), vec![], "nothing readable after closing");
}

#[test]
fn the_same_scan_finds_the_markers_in_a_plain_sqlite_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (vault, _) = Vault::open_plaintext(dir.path()).expect("plain");
    fill(&vault);
    drop(vault);
    let found: Vec<&str> = scan(dir.path()).into_iter().map(|(_, m)| m).collect();
    for m in MARKERS {
        assert!(found.contains(&m), "{m} is readable in plain SQLite");
    }
}
