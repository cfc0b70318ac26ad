use crate::rounds::{inbox, rig};
use companion_graph_sim::{FaultKind, FaultPlan, SimConfig};
use companion_sync::{Purpose, PREFETCH_ATTACHMENT_LIMIT};
use companion_vault::SearchKind;

#[tokio::test]
async fn opened_messages_get_their_bodies_in_batches_even_when_items_are_throttled() {
    let r = rig(SimConfig::default().with_messages(400)).await;
    r.engine.sync_all(r.sim.now()).await.expect("sync");
    let inbox = inbox(&r);
    let ids: Vec<String> =
        r.vault.folder_page(&inbox.id, None, 45).expect("page").messages.into_iter().map(|m| m.id).collect();
    assert!(r.vault.message_body(&ids[0]).expect("body").is_none(), "headers only until asked");
    let mut plan = FaultPlan::only(8, 0.2, &[FaultKind::Throttle]);
    plan.max_retry_after = 0.2;
    r.sim.set_faults(plan);
    let report = r.engine.fetch_bodies(&ids, Purpose::Opened).await.expect("bodies");
    r.sim.set_faults(FaultPlan::none());
    assert_eq!(report.fetched + report.left, 45, "{report:?}");
    assert!(report.fetched >= 40, "{report:?}");
    assert_eq!(r.sim.stats().early_retries, 0);
    let body = r.vault.message_body(&ids[0]).expect("body").expect("fetched");
    assert!(
        body.html.as_deref().is_some_and(|h| h.contains("<p>"))
            && body.text.as_deref().is_some_and(|t| !t.contains('<'))
    );
    // The body's words are now searchable.
    let hits = r.vault.search("regards", 50).expect("search");
    assert!(hits.iter().any(|h| h.kind == SearchKind::Mail && ids.contains(&h.id)), "{hits:?}");
}

#[tokio::test]
async fn prefetch_fills_in_recent_bodies_and_attachments_and_asks_nothing_twice() {
    let r = rig(SimConfig::default().with_messages(120)).await;
    let now = r.sim.now();
    r.engine.sync_all(now).await.expect("sync");
    let since = now - chrono::Duration::days(7);
    let first = r.engine.prefetch(since).await.expect("prefetch");
    assert!(first.bodies > 0, "{first:?}");
    assert!(first.deferred.is_empty(), "{first:?}");
    assert!(r.vault.messages_without_body(since).expect("left").is_empty());
    let small: Vec<_> = r
        .vault
        .attachments_not_downloaded(since)
        .expect("left")
        .into_iter()
        .filter(|(_, _, size)| *size <= PREFETCH_ATTACHMENT_LIMIT)
        .collect();
    assert!(small.is_empty(), "every attachment under the limit was fetched: {small:?}");
    let before = r.sim.stats().requests;
    let again = r.engine.prefetch(since).await.expect("prefetch");
    assert_eq!((again.bodies, again.attachments), (0, 0));
    assert_eq!(r.sim.stats().requests, before, "a second prefetch sends nothing");
}
