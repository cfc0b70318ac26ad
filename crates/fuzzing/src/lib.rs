//! The bodies of the fuzz targets in `fuzz/`, each a function of bytes from outside: Graph's
//! pages and `$batch` answers, message HTML, the council's TOML files and what a member types
//! into search. cargo-fuzz runs them on the nightly toolchain (`make fuzz`); `make test` replays
//! every committed corpus file through the same functions on stable (`tests/corpus.rs`), so a
//! crash once found stays found.
//!
//! A target fails by panicking: on a panic from the code under test, or on its own check of
//! an invariant (the sanitiser never lets a script through; every typed search is a valid
//! query). The sanitiser's time bound is libFuzzer's `-timeout`, not a clock read here.

use std::sync::OnceLock;

/// A fuzz target: its name (the folder of its corpus) and its body.
pub type Target = (&'static str, fn(&[u8]));

/// Every target, by name.
pub const TARGETS: [Target; 5] = [
    ("graph_page", graph_page),
    ("batch_answer", batch_answer),
    ("sanitiser", sanitiser),
    ("council_toml", council_toml),
    ("search_query", search_query),
];

/// A delta or list page of messages, events, contacts or folders, as the sync converts it.
pub fn graph_page(data: &[u8]) {
    companion_sync::fuzzing::graph_page(data);
}

/// A `$batch` answer, as the sync reads it.
pub fn batch_answer(data: &[u8]) {
    companion_sync::fuzzing::batch_answer(data);
}

/// Elements the sanitiser must never let through, whatever it is given.
const NEVER_SHOWN: [&str; 6] = ["<script", "<iframe", "<object", "<embed", "<form", "<base"];

/// Message HTML: bounded first, then sanitised both ways and with its inline pictures put in,
/// its remote pictures listed and its text taken for search; the bytes read as a picture.
pub fn sanitiser(data: &[u8]) {
    use companion_mail_html::{
        inline_images, picture_data_url, remote_images, sanitise, sanitise_with, text_body, within_bounds, Images,
        Pictures,
    };
    drop(picture_data_url(data));
    let html = String::from_utf8_lossy(data);
    drop(companion_sync::text_of(&html));
    if within_bounds(&html).is_err() {
        drop(text_body(&html));
        return;
    }
    for images in [Images::Blocked, Images::Shown] {
        let safe = sanitise(&html, images).html.to_ascii_lowercase();
        for tag in NEVER_SHOWN {
            assert!(!safe.contains(tag), "the sanitiser let {tag} through");
        }
    }
    drop(remote_images(&html));
    let inline = inline_images(&html);
    if !inline.is_empty() {
        let picture = "data:image/png;base64,iVBORw0KGgo=".to_owned();
        let pictures =
            Pictures { inline: inline.into_iter().map(|key| (key, picture.clone())).collect(), ..Pictures::default() };
        let safe = sanitise_with(&html, Images::Blocked, &pictures).html.to_ascii_lowercase();
        for tag in NEVER_SHOWN {
            assert!(!safe.contains(tag), "the sanitiser let {tag} through with inline pictures");
        }
    }
}

/// The council's allowance and protection policies and a survey definition, from TOML.
pub fn council_toml(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(policy) = companion_allowance::AllowancePolicy::from_toml(text) {
        // A policy that reads must also apply: its numbers become bytes and dates.
        drop(policy.apply(&companion_allowance::MemberAllowanceSettings::default()));
    }
    drop(companion_protection::ProtectionPolicy::from_toml(text));
    drop(companion_evidence::SurveyDefinition::from_toml(text));
}

/// What a member types into search, against a vault with a message in it: every input is a
/// valid query (an FTS5 syntax error would be a crash here).
pub fn search_query(data: &[u8]) {
    let vault = search_vault();
    let input = String::from_utf8_lossy(data);
    if let Err(e) = vault.search(&input, 20) {
        panic!("a typed search failed: {e}");
    }
}

/// One vault for the whole run (opening is the slow part), in a folder removed at exit only by
/// the OS: a fuzz run ends by being stopped.
fn search_vault() -> &'static companion_vault::Vault {
    static VAULT: OnceLock<companion_vault::Vault> = OnceLock::new();
    VAULT.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temporary folder").keep();
        let (vault, _) = companion_vault::Vault::open(&dir, &companion_vault::VaultKey::generate()).expect("a vault");
        let message: companion_vault::MessageRecord = serde_json::from_value(serde_json::json!({
            "id": "m1", "folderId": "inbox", "conversationId": null,
            "subject": "Planning committee: the agenda for Thursday",
            "from": {"name": "Démocratic Services", "address": "democratic.services@council.example"},
            "to": [], "cc": [], "preview": "Café \"quotes\" and * stars — the agenda pack is attached",
            "receivedAt": "2026-11-30T09:00:00Z", "sentAt": null, "isRead": false, "isDraft": false,
            "flag": "notFlagged", "categories": [], "importance": "normal", "hasAttachments": false,
            "changeKey": null, "eventId": null
        }))
        .expect("a message record");
        let folder = companion_vault::MailFolderRecord {
            id: "inbox".into(),
            parent_id: None,
            display_name: "Inbox".into(),
            well_known: Some("inbox".into()),
            unread_count: 1,
            total_count: 1,
        };
        vault
            .write(|w| {
                w.upsert_folder(&folder)?;
                w.upsert_message(&message)
            })
            .expect("the message is stored");
        vault
    })
}
