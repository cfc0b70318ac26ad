use crate::rounds::{inbox, rig};
use companion_graph_sim::{FaultKind, FaultPlan, SimConfig};
use companion_sync::*;
use companion_vault::{FlagStatus, Mailbox, OutboxState};
use std::collections::HashMap;

/// A meeting in the next three months the member has not answered yet.
fn an_invitation(r: &crate::rounds::Rig) -> companion_vault::EventRecord {
    r.vault
        .agenda(r.sim.now().date_naive(), (r.sim.now() + chrono::Duration::days(90)).date_naive())
        .expect("agenda")
        .into_iter()
        .find(|e| e.response == "notResponded" && !e.is_cancelled)
        .expect("an invitation to answer")
}

#[tokio::test]
async fn changes_apply_at_once_wait_while_offline_and_reach_the_server_exactly_once() {
    let r = rig(SimConfig::default().with_messages(300).with_events(120)).await;
    r.engine.sync_all(r.sim.now()).await.expect("sync");
    let inbox = inbox(&r);
    let page = r.vault.folder_page(&inbox.id, None, 10).expect("page").messages;
    let (first, second) = (&page[0], &page[1]);
    let invite = an_invitation(&r);
    let outbox = Outbox::new(r.graph.clone(), r.vault.clone());
    let changes = [
        LocalChange::MarkRead { message_id: first.id.clone(), read: !first.is_read },
        LocalChange::Flag { message_id: first.id.clone(), flag: FlagStatus::Flagged },
        LocalChange::Respond {
            event_id: invite.id.clone(),
            response: Response::Accept,
            comment: Some("I will attend.".into()),
        },
        LocalChange::Reply {
            message_id: second.id.clone(),
            comment: "Thank you, I have raised this with officers.".into(),
            reply_all: false,
        },
        LocalChange::Send {
            to: vec![Mailbox {
                name: "Democratic Services".into(),
                address: "dem.services@demoborough.example".into(),
            }],
            cc: vec![],
            subject: "Apologies for Thursday".into(),
            body: "I cannot attend.".into(),
            attachments: vec![],
        },
    ];
    for c in &changes {
        outbox.queue(c).expect("queued");
    }
    // The cache shows the changes at once.
    let now_first = r.vault.message(&first.id).expect("read").expect("message");
    assert_eq!((now_first.is_read, now_first.flag), (!first.is_read, FlagStatus::Flagged));
    assert_eq!(r.vault.event(&invite.id).expect("event").expect("event").response, "accepted");

    // Offline: every connection fails. Nothing is lost; the first change waits with a reason.
    r.sim.set_faults(FaultPlan::only(3, 1.0, &[FaultKind::ConnectionReset]));
    let report = outbox.deliver().await.expect("a failed delivery is not an error");
    assert_eq!(report.delivered, 0);
    let items = r.vault.outbox().expect("outbox");
    assert_eq!(items.len(), 5);
    assert_eq!(items[0].state, OutboxState::Failed);
    assert_eq!(items[0].last_error.as_deref(), Some("Waiting for a connection."));
    assert!(items[1..].iter().all(|i| i.state == OutboxState::Queued), "later changes wait their turn");

    // A weak signal: half the connections break, half of those after the server acted.
    r.sim.set_faults(FaultPlan::only(4, 0.5, &[FaultKind::ConnectionReset]));
    for _ in 0..40 {
        outbox.deliver().await.expect("delivery pass");
        if r.vault.pending_outbox().expect("pending").is_empty() {
            break;
        }
    }
    r.sim.set_faults(FaultPlan::none());
    assert!(r.vault.pending_outbox().expect("pending").is_empty(), "{:?}", r.vault.outbox());
    assert!(r.sim.stats().resets > 3);

    let sent = r.sim.sent_mail();
    let count = |f: &dyn Fn(&companion_graph_sim::SentMail) -> bool| sent.iter().filter(|m| f(m)).count();
    assert_eq!(count(&|m| m.via == "accepted"), 1, "the organiser hears once: {sent:#?}");
    assert_eq!(count(&|m| m.subject.starts_with("RE: ") && m.via == "send"), 1, "one reply: {sent:#?}");
    assert_eq!(count(&|m| m.subject == "Apologies for Thursday"), 1, "one new message: {sent:#?}");
    let server = r.sim.snapshot();
    let m = server.messages.iter().find(|m| m.immutable_id == first.id).expect("on the server");
    assert_eq!((m.is_read, m.flag_status.as_str()), (!first.is_read, "flagged"));
    assert!(server.events.iter().any(|(id, _, response, _)| *id == invite.id && response == "accepted"));
}

#[tokio::test]
async fn under_a_hostile_storm_every_change_reaches_the_server_exactly_once_and_none_is_lost() {
    let r = rig(SimConfig::default().with_messages(200).with_events(120)).await;
    r.engine.sync_all(r.sim.now()).await.expect("sync");
    let inbox = inbox(&r);
    let page = r.vault.folder_page(&inbox.id, None, 6).expect("page").messages;
    let invite = an_invitation(&r);
    let outbox = Outbox::new(r.graph.clone(), r.vault.clone());
    let subjects: Vec<String> = (1..=4).map(|i| format!("Ward surgery notes {i}")).collect();
    for m in &page {
        outbox.queue(&LocalChange::MarkRead { message_id: m.id.clone(), read: !m.is_read }).expect("queued");
        outbox.queue(&LocalChange::Flag { message_id: m.id.clone(), flag: FlagStatus::Flagged }).expect("queued");
    }
    outbox
        .queue(&LocalChange::Respond { event_id: invite.id.clone(), response: Response::Decline, comment: None })
        .expect("queued");
    outbox
        .queue(&LocalChange::Reply {
            message_id: page[0].id.clone(),
            comment: "Noted, thank you.".into(),
            reply_all: false,
        })
        .expect("queued");
    for subject in &subjects {
        outbox
            .queue(&LocalChange::Send {
                to: vec![Mailbox { name: "Clerk".into(), address: "clerk@demoborough.example".into() }],
                cc: vec![],
                subject: subject.clone(),
                body: "Sent on a hostile network.".into(),
                attachments: vec![],
            })
            .expect("queued");
    }
    // Gzip bombs, malformed and truncated JSON, absurd numbers and dates, slow-loris answers,
    // resets after the server acted, throttling: a delivery pass may fail, never wrongly.
    let mut storm = FaultPlan::hostile_storm(21, 0.35);
    storm.max_retry_after = 0.2;
    storm.slow_by = std::time::Duration::from_millis(50);
    r.sim.set_faults(storm);
    for _ in 0..60 {
        outbox.deliver().await.expect("a failed delivery is a state, not an error");
        if r.vault.pending_outbox().expect("pending").is_empty() {
            break;
        }
    }
    let stats = r.sim.stats();
    r.sim.set_faults(FaultPlan::none());
    outbox.deliver().await.expect("a delivery on a quiet network");
    assert!(r.vault.pending_outbox().expect("pending").is_empty(), "nothing is left: {:?}", r.vault.outbox());
    assert!(stats.bombs + stats.malformed + stats.absurd + stats.dribbled > 0, "the storm was hostile: {stats:?}");

    let sent = r.sim.sent_mail();
    for subject in &subjects {
        assert_eq!(sent.iter().filter(|m| &m.subject == subject).count(), 1, "{subject} went once: {sent:#?}");
    }
    assert_eq!(sent.iter().filter(|m| m.subject.starts_with("RE: ") && m.via == "send").count(), 1, "one reply");
    assert_eq!(sent.iter().filter(|m| m.via == "declined").count(), 1, "the organiser hears once: {sent:#?}");
    let server = r.sim.snapshot();
    for m in &page {
        let on_server = server.messages.iter().find(|s| s.immutable_id == m.id).expect("on the server");
        assert_eq!((on_server.is_read, on_server.flag_status.as_str()), (!m.is_read, "flagged"), "{}", m.subject);
    }
    assert!(server.events.iter().any(|(id, _, response, _)| *id == invite.id && response == "declined"));
}

#[tokio::test]
async fn a_change_to_an_item_deleted_elsewhere_is_simply_done() {
    let r = rig(SimConfig::default().with_messages(100)).await;
    r.engine.sync_all(r.sim.now()).await.expect("sync");
    let inbox = inbox(&r);
    let id = r.vault.folder_page(&inbox.id, None, 1).expect("page").messages[0].id.clone();
    let outbox = Outbox::new(r.graph.clone(), r.vault.clone());
    outbox.queue(&LocalChange::Delete { message_id: id.clone() }).expect("queue");
    outbox.queue(&LocalChange::Delete { message_id: id.clone() }).expect("queue twice");
    let report = outbox.deliver().await.expect("deliver");
    assert_eq!(report.delivered, 2, "the second delete finds it gone and is done");
    assert!(r.vault.message(&id).expect("read").is_none());
    assert!(r.sim.snapshot().messages.iter().all(|m| m.immutable_id != id));
}

#[tokio::test]
async fn a_reply_to_all_reaches_everyone_on_the_original_but_the_member_and_copies_are_kept() {
    let r = rig(SimConfig::default().with_messages(200)).await;
    r.engine.sync_all(r.sim.now()).await.expect("sync");
    let me = r.sim.overview().member.mail.to_lowercase();
    let inbox = inbox(&r);
    let page = r.vault.folder_page(&inbox.id, None, 200).expect("page").messages;
    // A message to several people: replying to all must leave the member out.
    let group = page.iter().find(|m| m.to.len() + m.cc.len() >= 2).expect("a message to a group");
    let outbox = Outbox::new(r.graph.clone(), r.vault.clone());
    outbox
        .queue(&LocalChange::Reply { message_id: group.id.clone(), comment: "Agreed.".into(), reply_all: true })
        .expect("queue");
    let clerk = Mailbox { name: "Clerk".into(), address: "clerk@demoborough.example".into() };
    let leader = Mailbox { name: "Leader".into(), address: "leader@demoborough.example".into() };
    outbox
        .queue(&LocalChange::Send {
            to: vec![clerk],
            cc: vec![leader],
            subject: "Copy for the leader".into(),
            body: "FYI.".into(),
            attachments: vec![],
        })
        .expect("queue");
    assert_eq!(outbox.deliver().await.expect("deliver").delivered, 2);

    let sent = r.sim.sent_mail();
    let reply = sent.iter().find(|m| m.subject.starts_with("RE: ")).expect("the reply was sent");
    let everyone: Vec<String> = reply.to.iter().chain(&reply.cc).map(|a| a.to_lowercase()).collect();
    let sender = group.from.as_ref().map(|f| f.address.to_lowercase()).expect("a sender");
    assert!(everyone.contains(&sender), "the sender hears: {reply:?}");
    assert!(!everyone.contains(&me), "the member is not sent their own reply: {reply:?}");
    let others = group
        .to
        .iter()
        .chain(&group.cc)
        .filter(|m| m.address.to_lowercase() != me && m.address.to_lowercase() != sender)
        .count();
    assert_eq!(everyone.len(), 1 + others, "everyone else on the original hears: {reply:?}");
    let copy = sent.iter().find(|m| m.subject == "Copy for the leader").expect("sent");
    assert_eq!(
        (copy.to.as_slice(), copy.cc.as_slice()),
        (&["clerk@demoborough.example".to_owned()][..], &["leader@demoborough.example".to_owned()][..])
    );
}

#[tokio::test]
async fn delivery_passes_started_together_still_send_each_change_once() {
    let r = rig(SimConfig::default().with_messages(50)).await;
    r.engine.sync_all(r.sim.now()).await.expect("sync");
    let outbox = std::sync::Arc::new(Outbox::new(r.graph.clone(), r.vault.clone()));
    for n in 0..3 {
        let to = vec![Mailbox { name: "Clerk".into(), address: "clerk@demoborough.example".into() }];
        outbox
            .queue(&LocalChange::Send {
                to,
                cc: vec![],
                subject: format!("Note {n}"),
                body: "x".into(),
                attachments: vec![],
            })
            .expect("queue");
    }
    // As the app does: every change starts a pass of its own at once.
    let passes: Vec<_> = (0..3)
        .map(|_| {
            let o = outbox.clone();
            tokio::spawn(async move { o.deliver().await })
        })
        .collect();
    for p in passes {
        p.await.expect("task").expect("pass");
    }
    let sent = r.sim.sent_mail();
    for n in 0..3 {
        assert_eq!(sent.iter().filter(|m| m.subject == format!("Note {n}")).count(), 1, "{sent:#?}");
    }
}

/// One change a member makes on the train: to one of four messages, or a new message.
#[derive(Debug, Clone)]
enum Step {
    Read(usize, bool),
    Flag(usize, bool),
    Send,
}

#[test]
fn any_queue_of_changes_under_any_weak_signal_reaches_the_server_once_with_the_last_word_kept() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let r = rt.block_on(rig(SimConfig::default().with_messages(80)));
    rt.block_on(r.engine.sync_all(r.sim.now())).expect("sync");
    let inbox = inbox(&r);
    let ids: Vec<String> =
        r.vault.folder_page(&inbox.id, None, 4).expect("page").messages.into_iter().map(|m| m.id).collect();
    let outbox = Outbox::new(r.graph.clone(), r.vault.clone());
    let step = prop_oneof![
        (0usize..4, any::<bool>()).prop_map(|(i, v)| Step::Read(i, v)),
        (0usize..4, any::<bool>()).prop_map(|(i, v)| Step::Flag(i, v)),
        Just(Step::Send),
    ];
    let case = std::sync::atomic::AtomicU32::new(0);
    // Each case starts a fresh queue on the same mailbox: twelve of them keep the test to
    // seconds, and the seed of a failure is printed for replay.
    let mut runner = TestRunner::new(Config { cases: 12, failure_persistence: None, ..Config::default() });
    let outcome = runner.run(&(prop::collection::vec(step, 1..8), any::<u64>(), 0.0f64..0.6), |(steps, seed, rate)| {
        let case = case.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        rt.block_on(async {
            let (mut read, mut flag, mut subjects) = (HashMap::new(), HashMap::new(), Vec::new());
            for s in &steps {
                let change = match s {
                    Step::Read(i, v) => {
                        read.insert(*i, *v);
                        LocalChange::MarkRead { message_id: ids[*i].clone(), read: *v }
                    }
                    Step::Flag(i, v) => {
                        flag.insert(*i, *v);
                        let flag = if *v { FlagStatus::Flagged } else { FlagStatus::NotFlagged };
                        LocalChange::Flag { message_id: ids[*i].clone(), flag }
                    }
                    Step::Send => {
                        subjects.push(format!("Case {case}, message {}", subjects.len() + 1));
                        LocalChange::Send {
                            to: vec![Mailbox { name: "Clerk".into(), address: "clerk@demoborough.example".into() }],
                            cc: vec![],
                            subject: subjects.last().cloned().unwrap_or_default(),
                            body: "Sent from the train.".into(),
                            attachments: vec![],
                        }
                    }
                };
                outbox.queue(&change).expect("queued");
            }
            let mut plan = FaultPlan::only(
                seed,
                rate,
                &[FaultKind::ConnectionReset, FaultKind::TruncatedBody, FaultKind::Unavailable, FaultKind::Throttle],
            );
            plan.max_retry_after = 0.2;
            r.sim.set_faults(plan);
            for _ in 0..30 {
                outbox.deliver().await.expect("a delivery pass");
                if r.vault.pending_outbox().expect("pending").is_empty() {
                    break;
                }
            }
            // The signal comes back: what is left goes now.
            r.sim.set_faults(FaultPlan::none());
            outbox.deliver().await.expect("a delivery on a good signal");
            prop_assert!(r.vault.pending_outbox().expect("pending").is_empty(), "{:?}", r.vault.outbox());
            let server = r.sim.snapshot();
            for (i, v) in &read {
                let m = server.messages.iter().find(|m| m.immutable_id == ids[*i]).expect("on the server");
                prop_assert_eq!(m.is_read, *v, "message {} read", i);
            }
            for (i, v) in &flag {
                let m = server.messages.iter().find(|m| m.immutable_id == ids[*i]).expect("on the server");
                prop_assert_eq!(m.flag_status == "flagged", *v, "message {} flag", i);
            }
            let sent = r.sim.sent_mail();
            for subject in &subjects {
                let times = sent.iter().filter(|m| &m.subject == subject).count();
                prop_assert_eq!(times, 1, "{} was sent once", subject);
            }
            Ok(())
        })
    });
    if let Err(e) = outcome {
        panic!("{e}");
    }
}

#[tokio::test]
async fn a_forward_with_a_5_mb_file_goes_once_through_an_upload_session_over_a_connection_that_keeps_dropping() {
    let r = rig(SimConfig::default().with_messages(300).with_events(20)).await;
    r.engine.sync_all(r.sim.now()).await.expect("sync");
    let inbox = inbox(&r);
    let original = r
        .vault
        .folder_page(&inbox.id, None, 300)
        .expect("page")
        .messages
        .into_iter()
        .find(|m| m.has_attachments)
        .expect("a message with files");
    let plans: Vec<u8> = (0..5_000_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    let note = b"Minutes attached, with the plans.".to_vec();
    let now = chrono::Utc::now();
    r.vault
        .write(|w| {
            w.stage_attachment("f-plans", "plans.pdf", "application/pdf", &plans, now)?;
            w.stage_attachment("f-note", "note.txt", "text/plain", &note, now)
        })
        .expect("staged");
    let outbox = Outbox::new(r.graph.clone(), r.vault.clone());
    outbox
        .queue(&LocalChange::Forward {
            message_id: original.id.clone(),
            to: vec![Mailbox { name: "Clerk".into(), address: "clerk@demoborough.example".into() }],
            cc: vec![],
            comment: "For Thursday's committee.".into(),
            attachments: vec!["f-note".into(), "f-plans".into()],
        })
        .expect("queued");

    // A weak signal: half the connections break, half of those after the server acted.
    r.sim.set_faults(FaultPlan::only(5, 0.5, &[FaultKind::ConnectionReset]));
    let mut passes = 0;
    while !r.vault.pending_outbox().expect("pending").is_empty() && passes < 60 {
        outbox.deliver().await.expect("a failed pass is a state, not an error");
        passes += 1;
    }
    let stats = r.sim.stats();
    r.sim.set_faults(FaultPlan::none());
    assert!(r.vault.pending_outbox().expect("pending").is_empty(), "delivered: {:?}", r.vault.outbox());
    assert!(stats.resets > 2, "connections did drop ({passes} passes): {stats:?}");

    let forwards: Vec<_> = r.sim.sent_mail().into_iter().filter(|m| m.subject.starts_with("FW: ")).collect();
    assert_eq!(forwards.len(), 1, "sent once");
    let files = &forwards[0].attachments;
    let named = |n: &str| files.iter().filter(|(name, _)| name == n).collect::<Vec<_>>();
    assert_eq!(
        named("plans.pdf").len(),
        1,
        "the plans are on it once: {:?}",
        files.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    assert!(named("plans.pdf")[0].1 == plans, "every byte, in order");
    assert_eq!(named("note.txt").len(), 1);
    assert!(files.len() > 2, "the original's own files went with it");
    assert!(r.vault.outgoing_attachments(&r.vault.outbox().expect("outbox")[0].op_id).expect("files").is_empty());
}
