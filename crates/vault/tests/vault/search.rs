use super::*;

fn seeded() -> (tempfile::TempDir, Vault) {
    let (dir, vault, _key) = fresh();
    seed_inbox(&vault);
    vault
        .write(|w| {
            w.upsert_message(&message("m1", "inbox", "Pothole outside 12 Mill Lane", at(2026, 10, 1, 9, 0)))?;
            w.upsert_message(&message("m2", "inbox", "Café licence on Market Square", at(2026, 10, 2, 9, 0)))?;
            let mut m3 = message("m3", "inbox", "Weekly bulletin", at(2026, 10, 3, 9, 0));
            m3.from = Some(Mailbox { name: "LGA".into(), address: "news@lga.example".into() });
            w.upsert_message(&m3)?;
            w.set_body(
                "m3",
                &MessageBody {
                    text: Some("Funding for highways maintenance and potholes was announced today.".into()),
                    html: None,
                },
                at(2026, 10, 3, 9, 0),
            )?;
            w.upsert_event(&event("e1", "Planning Committee: Mill Lane extension", at(2026, 11, 5, 18, 30), 150))?;
            w.upsert_contact(&contact("c1", "Zoë Åberg", "zoe.aberg@mail.example"))?;
            Ok(())
        })
        .expect("seed");
    (dir, vault)
}

#[test]
fn search_ranks_a_subject_match_above_a_body_match_and_marks_the_words() {
    let (_dir, vault) = seeded();
    let hits = vault.search("pothole", 10).expect("search");
    let ids: Vec<&str> = hits.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, vec!["m1", "m3"], "subject beats body; 'potholes' matches the prefix");
    assert!(hits[0].snippet.contains(&format!("{HIGHLIGHT_START}Pothole{HIGHLIGHT_END}")), "{:?}", hits[0].snippet);
}

#[test]
fn search_finds_prefixes_as_you_type_across_mail_calendar_and_contacts() {
    let (_dir, vault) = seeded();
    let kinds: Vec<SearchKind> = vault.search("mill la", 10).expect("search").into_iter().map(|h| h.kind).collect();
    assert!(kinds.contains(&SearchKind::Mail) && kinds.contains(&SearchKind::Event), "{kinds:?}");
}

#[test]
fn search_folds_diacritics_both_ways() {
    let (_dir, vault) = seeded();
    assert_eq!(vault.search("cafe", 10).expect("search")[0].id, "m2");
    assert_eq!(vault.search("zoe aberg", 10).expect("search")[0].id, "c1");
    assert_eq!(vault.search("Åberg", 10).expect("search")[0].kind, SearchKind::Contact);
}

#[test]
fn search_survives_any_input_and_forgets_removed_messages() {
    let (_dir, vault) = seeded();
    for odd in ["\"", "AND OR NOT", "*", "(((", "mill\" OR \"x", "", "NEAR(a b)", "ü̈"] {
        assert!(vault.search(odd, 5).is_ok(), "{odd:?} is not an error");
    }
    vault.write(|w| w.remove_message("m1")).expect("remove");
    assert!(vault.search("pothole", 10).expect("search").iter().all(|h| h.id != "m1"));
    vault
        .write(|w| {
            let mut m = message("m2", "inbox", "Renamed subject", at(2026, 10, 2, 9, 0));
            m.is_read = true;
            w.upsert_message(&m)
        })
        .expect("update");
    assert!(vault.search("café", 10).expect("search").is_empty(), "the index follows an edited subject");
}

#[test]
fn many_messages_written_at_once_are_each_searchable_and_the_last_record_for_an_id_wins() {
    let (_dir, vault, _key) = fresh();
    seed_inbox(&vault);
    // 250 records: more than one statement's worth, with m7 given twice.
    let mut batch: Vec<MessageRecord> = (0..250)
        .map(|i| message(&format!("m{i}"), "inbox", &format!("Ward surgery number{i}"), at(2026, 10, 1, 9, 0)))
        .collect();
    batch.push(message("m7", "inbox", "Rescheduled parish meeting", at(2026, 10, 1, 9, 0)));
    vault.write(|w| w.upsert_messages(&batch)).expect("written");
    assert_eq!(vault.counts().expect("counts").0, 250);
    for i in [0, 99, 100, 199, 249] {
        assert_eq!(vault.search(&format!("number{i}"), 5).expect("search")[0].id, format!("m{i}"));
    }
    assert!(vault.search("number7", 20).expect("search").iter().all(|h| h.id != "m7"), "the first m7 is replaced");
    assert_eq!(vault.search("parish", 5).expect("search")[0].id, "m7");
    assert_eq!(vault.message("m7").expect("read").expect("m7").subject, "Rescheduled parish meeting");
}
