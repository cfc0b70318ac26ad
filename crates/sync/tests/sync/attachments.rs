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
