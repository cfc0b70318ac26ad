use crate::rounds::rig;
use companion_graph::Feature;
use companion_graph_sim::SimConfig;
use companion_sync::*;

#[tokio::test]
async fn attachment_lists_come_in_batches_and_content_only_when_the_policy_allows_its_size() {
    let r = rig(SimConfig::default().with_messages(600)).await;
    r.engine.sync_all(r.sim.now()).await.expect("sync");
    let with: Vec<String> = r
        .sim
        .snapshot()
        .messages
        .iter()
        .filter(|m| m.has_attachments && m.received >= r.sim.now() - chrono::Duration::days(30))
        .map(|m| m.immutable_id.clone())
        .take(25)
        .collect();
    assert!(with.len() > 5);
    let report = r.engine.fetch_attachment_lists(&with).await.expect("lists");
    assert!(report.recorded as usize >= with.len(), "{report:?}");
    let first = r.vault.attachments(&with[0]).expect("list");
    assert!(!first.is_empty() && first.iter().all(|a| a.size > 0 && !a.downloaded));

    // A policy that refuses anything over 500 KB: the size is known before downloading.
    struct SmallOnly;
    impl DataPolicy for SmallOnly {
        fn decide(&self, d: &Download) -> Decision {
            match (d.feature, d.expected_bytes) {
                (Feature::Attachments, Some(n)) if n > 500_000 => {
                    Decision::Defer(format!("{} KB is large for mobile data", n / 1000))
                }
                _ => Decision::Allow,
            }
        }
    }
    let engine = SyncEngine::new(
        r.graph.clone(),
        r.vault.clone(),
        std::sync::Arc::new(SmallOnly),
        std::sync::Arc::new(companion_graph::FixedNetwork(companion_graph::Network::Mobile)),
        SyncOptions::default(),
    );
    let mut all = Vec::new();
    for m in &with {
        for a in r.vault.attachments(m).expect("list") {
            all.push((m.clone(), a.id.clone(), a.size));
        }
    }
    all.sort_by_key(|(_, _, s)| *s);
    let (m, a, size) = all.first().cloned().expect("an attachment");
    let (big_m, big_a, big_size) = all.last().cloned().expect("an attachment");
    assert!(size <= 500_000 && big_size > 500_000, "the tenant has small and large files: {size} and {big_size}");
    let before = r.sim.stats().requests;
    match engine.download_attachment(&big_m, &big_a, Purpose::Prefetch).await.expect("asked") {
        AttachmentDownload::Deferred(why) => assert!(why.contains("KB is large")),
        other => panic!("{other:?}"),
    }
    assert_eq!(r.sim.stats().requests, before, "nothing was downloaded");
    assert!(r.vault.attachment_content(&big_m, &big_a).expect("content").is_none());
    match engine.download_attachment(&m, &a, Purpose::Confirmed).await.expect("download") {
        AttachmentDownload::Stored(n) => assert_eq!(n, size),
        other => panic!("{other:?}"),
    }
    assert_eq!(r.vault.attachment_content(&m, &a).expect("content").map(|c| c.len() as u64), Some(size));
}

#[tokio::test]
async fn an_inline_picture_is_fetched_ahead_with_its_content_id_though_graph_does_not_count_it() {
    let r = rig(SimConfig::default().with_messages(50)).await;
    let png = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3];
    let id = r.sim.deliver_html_with_pictures(
        ("Democratic Services", "democratic.services@demoborough.example"),
        "Agenda published",
        r#"<p>Agenda attached.</p><img src="cid:crest@council.example" alt="Council crest">"#,
        vec![companion_graph_sim::InlinePicture {
            content_id: "crest@council.example".into(),
            name: "crest.png".into(),
            content_type: "image/png".into(),
            bytes: png.clone(),
        }],
    );
    r.engine.sync_all(r.sim.now()).await.expect("sync");
    assert!(!r.vault.message(&id).expect("read").expect("synced").has_attachments, "Graph does not count it");
    // Fetched ahead because the body names it, though the message has no attachments to Graph.
    let report = r.engine.prefetch(r.sim.now() - chrono::Duration::days(1)).await.expect("prefetch");
    assert!(report.attachments >= 1, "{report:?}");
    let listed = r.vault.attachments(&id).expect("list");
    assert_eq!(listed.len(), 1);
    assert!(listed[0].is_inline && listed[0].downloaded);
    assert_eq!(listed[0].content_id.as_deref(), Some("crest@council.example"));
    assert_eq!(r.vault.attachment_content(&id, &listed[0].id).expect("content"), Some(png.clone()));
    match r.engine.download_attachment(&id, &listed[0].id, Purpose::Opened).await.expect("asked again") {
        AttachmentDownload::Stored(n) => assert_eq!(n, png.len() as u64, "already stored: nothing fetched"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn an_attachment_that_comes_back_cut_short_or_as_a_portal_page_is_not_stored_and_comes_whole_later() {
    use companion_graph_sim::FaultKind::{MalformedJson, TruncatedBody};
    use companion_graph_sim::FaultPlan;
    let r = rig(SimConfig::default().with_messages(300)).await;
    r.engine.sync_all(r.sim.now()).await.expect("sync");
    let with: Vec<String> =
        r.sim.snapshot().messages.iter().filter(|m| m.has_attachments).map(|m| m.immutable_id.clone()).collect();
    r.engine.fetch_attachment_lists(&with).await.expect("lists");
    let (m, a) = with
        .iter()
        .flat_map(|m| r.vault.attachments(m).expect("list").into_iter().map(move |a| (m.clone(), a)))
        .find(|(_, a)| a.size > 2_500_000)
        .expect("an attachment of several parts");
    // Every read answered by a 200 that is not the file (cut in half, or a portal's page), or
    // broken off part-way through the stream.
    r.sim.set_faults(FaultPlan::only(6, 1.0, &[MalformedJson, TruncatedBody]).on_method("GET"));
    for _ in 0..6 {
        let refused = r.engine.download_attachment(&m, &a.id, Purpose::Confirmed).await;
        assert!(refused.is_err(), "{refused:?}");
        assert!(r.vault.attachment_content(&m, &a.id).expect("content").is_none(), "nothing false is stored");
    }
    let stats = r.sim.stats();
    assert!(stats.truncated > 0 && stats.malformed > 0, "{stats:?}");
    r.sim.set_faults(FaultPlan::none());
    match r.engine.download_attachment(&m, &a.id, Purpose::Confirmed).await.expect("download") {
        AttachmentDownload::Stored(n) => assert_eq!(n, a.size),
        other => panic!("{other:?}"),
    }
    let mut whole = Vec::new();
    assert_eq!(r.vault.copy_attachment_to(&m, &a.id, &mut whole).expect("copy"), Some(a.size));
    let served = r
        .graph
        .send(&companion_graph::GraphRequest::get(
            format!("/me/messages/{m}/attachments/{}/$value", a.id),
            Feature::Attachments,
        ))
        .await
        .expect("the file as Graph serves it");
    assert!(whole == served.body, "streamed in parts and put together byte for byte");
}
