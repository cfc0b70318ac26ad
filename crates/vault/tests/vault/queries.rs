use super::*;
use chrono::NaiveDate;

#[test]
fn a_folder_pages_newest_first_without_gaps_or_repeats() {
    let (_dir, vault, _key) = fresh();
    seed_inbox(&vault);
    let base = at(2026, 10, 1, 8, 0);
    vault
        .write(|w| {
            for i in 0..237 {
                // Pairs share a time, so ties must be broken by id.
                w.upsert_message(&message(&format!("m{i:04}"), "inbox", "Item", base + Duration::minutes(i / 2)))?;
            }
            Ok(())
        })
        .expect("fill");
    let mut seen = Vec::new();
    let mut cursor = None;
    loop {
        let page = vault.folder_page("inbox", cursor.as_ref(), 50).expect("page");
        seen.extend(page.messages.iter().map(|m| (m.received_at, m.id.clone())));
        match page.next {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    assert_eq!(seen.len(), 237);
    let mut sorted = seen.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(seen, sorted, "newest first, ties by id");
}

#[test]
fn a_conversation_comes_back_oldest_first_and_unread_counts_follow_local_changes() {
    let (_dir, vault, _key) = fresh();
    seed_inbox(&vault);
    vault
        .write(|w| {
            for (i, id) in ["a", "b", "c"].iter().enumerate() {
                let mut m = message(
                    &format!("{id}-thread"),
                    "inbox",
                    "Parking on Church Lane",
                    at(2026, 10, 1 + i as u32, 9, 0),
                );
                m.conversation_id = Some("conv-parking".into());
                w.upsert_message(&m)?;
            }
            Ok(())
        })
        .expect("fill");
    let thread: Vec<String> = vault.conversation("conv-parking").expect("thread").into_iter().map(|m| m.id).collect();
    assert_eq!(thread, vec!["a-thread", "b-thread", "c-thread"]);
    assert_eq!(vault.unread_counts().expect("counts"), vec![("inbox".to_owned(), 3)]);
    vault.write(|w| w.set_message_read("b-thread", true)).expect("read");
    assert_eq!(vault.unread_counts().expect("counts"), vec![("inbox".to_owned(), 2)]);
    vault.write(|w| w.move_message("c-thread", "archive")).expect("move");
    let inbox = vault.folders().expect("folders").into_iter().find(|f| f.id == "inbox").expect("inbox");
    assert_eq!((inbox.unread_count, inbox.total_count), (1, 2));
}

#[test]
fn the_agenda_for_a_london_day_follows_the_clocks_going_back() {
    let (_dir, vault, _key) = fresh();
    vault
        .write(|w| {
            // 00:30 on Sunday 25 October 2026 in London is still BST: 23:30 UTC on the 24th.
            w.upsert_event(&event("late", "Late licensing hearing", at(2026, 10, 24, 23, 30), 30))?;
            // 23:30 on the 25th in London is GMT again: 23:30 UTC on the 25th.
            w.upsert_event(&event("night", "Night-time economy walk", at(2026, 10, 25, 23, 30), 60))?;
            w.upsert_event(&event("sat", "Ward surgery", at(2026, 10, 24, 9, 0), 120))?;
            Ok(())
        })
        .expect("fill");
    let ids = |from: NaiveDate, to: NaiveDate| -> Vec<String> {
        vault.agenda(from, to).expect("agenda").into_iter().map(|e| e.id).collect()
    };
    let d = |day| NaiveDate::from_ymd_opt(2026, 10, day).expect("date");
    assert_eq!(ids(d(24), d(24)), vec!["sat"]);
    assert_eq!(ids(d(25), d(25)), vec!["late", "night"], "the 25th is 25 hours long and holds both");
    assert_eq!(ids(d(24), d(26)), vec!["sat", "late", "night"]);
}

#[test]
fn attachments_bodies_contacts_checkpoints_outbox_ledger_and_settings_round_trip() {
    let (_dir, vault, _key) = fresh();
    seed_inbox(&vault);
    let now = at(2026, 11, 1, 9, 0);
    vault
        .write(|w| {
            w.upsert_message(&message("m1", "inbox", "Agenda pack", now))?;
            w.upsert_attachment(&pack_pdf(3))?;
            w.upsert_contact(&contact("c1", "Priya Patel", "Priya.Patel@mail.example"))?;
            w.set_checkpoint(
                &DeltaCheckpoint {
                    collection: "mail:inbox".into(),
                    link: "https://graph/next?$skiptoken=x".into(),
                    kind: CheckpointKind::Next,
                },
                now,
            )?;
            w.enqueue("op-1", "markRead", Some("m1"), &serde_json::json!({"isRead": true}), now)?;
            w.enqueue("op-1", "markRead", Some("m1"), &serde_json::json!({"isRead": true}), now)?;
            w.record_traffic(now.date_naive(), "mail-headers", "mobile", 100, 2_000)?;
            w.record_traffic(now.date_naive(), "mail-headers", "mobile", 50, 1_000)?;
            w.set_setting("network", "wifi")?;
            Ok(())
        })
        .expect("write");
    assert!(vault.message_body("m1").expect("body").is_none(), "no body until fetched");
    vault.write(|w| w.set_body("m1", &MessageBody { text: Some("Hello".into()), html: None }, now)).expect("body");
    assert_eq!(vault.message_body("m1").expect("body").and_then(|b| b.text).as_deref(), Some("Hello"));
    assert!(!vault.attachments("m1").expect("list")[0].downloaded);
    vault.write(|w| w.set_attachment_content("m1", "a1", b"PDF", now)).expect("content");
    assert_eq!(vault.attachment_content("m1", "a1").expect("content").as_deref(), Some(&b"PDF"[..]));
    assert_eq!(
        vault.contact_by_address("priya.patel@MAIL.example").expect("lookup").map(|c| c.id).as_deref(),
        Some("c1")
    );
    assert!(vault.contact_by_address("priya%").expect("lookup").is_none(), "a wildcard is matched literally");
    assert_eq!(vault.checkpoint("mail:inbox").expect("cp").map(|c| c.kind), Some(CheckpointKind::Next));
    let outbox = vault.pending_outbox().expect("outbox");
    assert_eq!(outbox.len(), 1, "the same op id queues once");
    vault.write(|w| w.set_outbox_state("op-1", OutboxState::Sending, None, Some("draft-9"), now)).expect("sending");
    vault.write(|w| w.set_outbox_state("op-1", OutboxState::Done, None, None, now)).expect("done");
    let item = &vault.outbox().expect("all")[0];
    assert_eq!((item.state, item.attempts, item.remote_id.as_deref()), (OutboxState::Done, 1, Some("draft-9")));
    assert!(vault.pending_outbox().expect("pending").is_empty());
    let ledger = vault.traffic(now.date_naive(), now.date_naive()).expect("ledger");
    assert_eq!((ledger[0].bytes_up, ledger[0].bytes_down, ledger[0].requests), (150, 3_000, 2));
    assert_eq!(vault.setting("network").expect("setting").as_deref(), Some("wifi"));
    vault.write(|w| w.remove_message("m1")).expect("remove");
    assert!(vault.attachments("m1").expect("list").is_empty(), "attachments go with their message");
}

#[test]
fn a_body_s_safe_form_is_kept_per_sanitiser_version_and_forgotten_when_the_body_changes() {
    let (_dir, vault, _key) = fresh();
    seed_inbox(&vault);
    let at = Utc::now();
    let body = |html: &str| MessageBody { text: Some("text".into()), html: Some(html.into()) };
    vault
        .write(|w| {
            w.upsert_message(&message("m1", "inbox", "Agenda", at))?;
            w.upsert_message(&message("m2", "inbox", "Minutes", at - Duration::hours(1)))?;
            w.set_body("m1", &body("<p>one</p>"), at)?;
            w.set_body("m2", &body("<p>two</p>"), at)?;
            Ok(())
        })
        .expect("bodies");
    assert_eq!(
        vault.bodies_without_safe_form(1, 10).expect("list"),
        vec![("m1".to_owned(), "<p>one</p>".to_owned()), ("m2".to_owned(), "<p>two</p>".to_owned())],
        "newest first"
    );
    let safe = SafeBody {
        html: Some(r#"<p>one<img src="cid:0"></p>"#.into()),
        blocked_images: 2,
        blocked_bytes: 5_000,
        inline: vec!["crest@council".into()],
    };
    vault.write(|w| w.set_safe_body("m1", 1, &safe)).expect("stored");
    assert_eq!(vault.safe_body("m1", 1).expect("read"), Some(safe));
    assert_eq!(vault.safe_body("m1", 2).expect("read"), None, "another sanitiser makes it again");
    assert_eq!(vault.bodies_without_safe_form(1, 10).expect("list").len(), 1);
    assert_eq!(vault.bodies_without_safe_form(2, 10).expect("list").len(), 2);
    vault.write(|w| w.set_safe_body("m2", 1, &SafeBody::default())).expect("text form");
    assert_eq!(vault.safe_body("m2", 1).expect("read").map(|s| s.html), Some(None), "over the bounds: its text");

    vault.write(|w| w.set_body("m1", &body("<p>changed</p>"), at)).expect("new body");
    assert_eq!(vault.safe_body("m1", 1).expect("read"), None, "a changed body is made safe again");
}

#[test]
fn an_attachment_streamed_in_parts_is_put_together_whole_and_read_out_in_pieces() {
    let (_dir, vault, _key) = fresh();
    seed_inbox(&vault);
    let at = Utc::now();
    let pack: Vec<u8> = (0..3_500_000u32).map(|i| (i % 251) as u8).collect();
    vault
        .write(|w| {
            w.upsert_message(&message("m1", "inbox", "Agenda pack", at))?;
            w.upsert_attachment(&pack_pdf(pack.len() as u64))
        })
        .expect("listed");
    // A try that broke off after one part, then dropped; then a whole one in four parts.
    vault.write(|w| w.add_attachment_part("m1", "a1", 0, b"stale")).expect("part");
    vault.write(|w| w.drop_attachment_parts("m1", "a1")).expect("dropped");
    for (seq, part) in pack.chunks(1_000_000).enumerate() {
        vault.write(|w| w.add_attachment_part("m1", "a1", seq as i64, part)).expect("part");
    }
    assert!(vault.attachment_content("m1", "a1").expect("read").is_none(), "not there until whole");
    let size = vault.write(|w| w.finish_attachment("m1", "a1", at)).expect("finished");
    assert_eq!(size, Some(pack.len() as u64));
    assert!(vault.attachments("m1").expect("list")[0].downloaded);
    assert_eq!(vault.attachment_content("m1", "a1").expect("read").as_deref(), Some(&pack[..]));
    let mut copied = Vec::new();
    assert_eq!(vault.copy_attachment_to("m1", "a1", &mut copied).expect("copy"), Some(pack.len() as u64));
    assert_eq!(copied, pack);
    assert_eq!(vault.copy_attachment_to("m1", "nope", &mut Vec::new()).expect("copy"), None);
    // Finishing again finds no parts left: they were removed once put together.
    vault.write(|w| w.add_attachment_part("m1", "gone", 0, b"x")).expect_err("only a listed attachment takes parts");
    assert_eq!(vault.write(|w| w.finish_attachment("m1", "gone", at)).expect("finish"), None);
}

#[test]
fn a_meeting_description_s_safe_form_is_kept_until_the_description_changes() {
    let (_dir, vault, _key) = fresh();
    let start = Utc::now();
    let mut e = event("e1", "Planning Committee", start, 60);
    e.body_html = Some("<p>Agenda<script>x()</script></p>".into());
    let plain = event("e2", "Ward surgery", start, 30);
    vault.write(|w| Ok((w.upsert_event(&e)?, w.upsert_event(&plain)?))).expect("events");
    assert_eq!(
        vault.event_bodies_without_safe_form(1, 10).expect("list"),
        vec![("e1".to_owned(), "<p>Agenda<script>x()</script></p>".to_owned())],
        "only descriptions that have HTML"
    );
    vault.write(|w| w.set_event_safe_body("e1", 1, Some("<p>Agenda</p>"))).expect("stored");
    assert_eq!(vault.event_safe_body("e1", 1).expect("read"), Some(Some("<p>Agenda</p>".to_owned())));
    assert_eq!(vault.event_safe_body("e1", 2).expect("read"), None, "another sanitiser makes it again");
    // The same description again (a time change): the safe form stays.
    e.start_at = start + Duration::hours(1);
    vault.write(|w| w.upsert_event(&e)).expect("moved");
    assert!(vault.event_safe_body("e1", 1).expect("read").is_some());
    // A new description: it is made safe again.
    e.body_html = Some("<p>Revised agenda</p>".into());
    vault.write(|w| w.upsert_event(&e)).expect("revised");
    assert_eq!(vault.event_safe_body("e1", 1).expect("read"), None);
    assert_eq!(vault.event_bodies_without_safe_form(1, 10).expect("list").len(), 1);
}

#[test]
fn parts_of_a_download_a_crash_left_behind_are_gone_at_the_next_open() {
    let (dir, vault, key) = fresh();
    seed_inbox(&vault);
    let at = Utc::now();
    vault
        .write(|w| {
            w.upsert_message(&message("m1", "inbox", "Agenda pack", at))?;
            w.upsert_attachment(&pack_pdf(10))?;
            w.add_attachment_part("m1", "a1", 0, b"half a pa")
        })
        .expect("a part, then the app is killed");
    drop(vault);
    let (vault, _) = Vault::open(dir.path(), &key).expect("reopened");
    assert_eq!(vault.write(|w| w.finish_attachment("m1", "a1", at)).expect("finish"), Some(0), "no part is left");
}

#[test]
fn a_meeting_s_reminder_is_due_once_in_the_window_that_holds_its_time_and_never_when_declined_or_cancelled() {
    let (_dir, vault, _key) = fresh();
    let start = at(2026, 12, 8, 18, 30);
    vault
        .write(|w| {
            w.upsert_event(&event("e1", "Planning Committee", start, 120))?;
            w.upsert_event(&EventRecord { response: "declined".into(), ..event("e2", "Licensing", start, 60) })?;
            w.upsert_event(&EventRecord { is_cancelled: true, ..event("e3", "Scrutiny", start, 60) })?;
            w.upsert_event(&EventRecord { reminder_minutes: None, ..event("e4", "Ward walk", start, 60) })
        })
        .expect("events");
    // The fixture's reminder is 15 minutes before: 18:15.
    let due = |from: DateTime<Utc>, to: DateTime<Utc>| -> Vec<String> {
        vault.reminders_between(from, to).expect("reminders").into_iter().map(|e| e.id).collect()
    };
    assert_eq!(due(at(2026, 12, 8, 18, 0), at(2026, 12, 8, 18, 15)), vec!["e1".to_owned()]);
    assert!(due(at(2026, 12, 8, 18, 15), at(2026, 12, 8, 18, 30)).is_empty(), "not twice");
    assert!(due(at(2026, 12, 8, 17, 0), at(2026, 12, 8, 18, 14)).is_empty(), "not early");
}
