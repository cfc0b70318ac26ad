use crate::rounds::rig;
use companion_graph_sim::{FaultKind, FaultPlan, SimConfig};
use companion_vault::SearchKind;

#[tokio::test]
async fn opened_messages_get_their_bodies_in_batches_even_when_items_are_throttled() {
    let r = rig(SimConfig::default().with_messages(400)).await;
    r.engine.sync_all(r.sim.now()).await.expect("sync");
    let inbox = r.vault.folders().expect("folders").into_iter().find(|f| f.well_known.as_deref() == Some("inbox")).expect("inbox");
    let ids: Vec<String> = r.vault.folder_page(&inbox.id, None, 45).expect("page").messages.into_iter().map(|m| m.id).collect();
    assert!(r.vault.message_body(&ids[0]).expect("body").is_none(), "headers only until asked");
    let mut plan = FaultPlan::only(8, 0.2, &[FaultKind::Throttle]);
    plan.max_retry_after = 0.2;
    r.sim.set_faults(plan);
    let report = r.engine.fetch_bodies(&ids).await.expect("bodies");
    r.sim.set_faults(FaultPlan::none());
    assert_eq!(report.fetched + report.left, 45, "{report:?}");
    assert!(report.fetched >= 40, "{report:?}");
    assert_eq!(r.sim.stats().early_retries, 0);
    let body = r.vault.message_body(&ids[0]).expect("body").expect("fetched");
    assert!(body.html.as_deref().is_some_and(|h| h.contains("<p>")) && body.text.as_deref().is_some_and(|t| !t.contains('<')));
    // The body's words are now searchable.
    let hits = r.vault.search("regards", 50).expect("search");
    assert!(hits.iter().any(|h| h.kind == SearchKind::Mail && ids.contains(&h.id)), "{hits:?}");
}
