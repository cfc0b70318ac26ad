use super::Harness;
use companion_graph_sim::{ChangeKind, CollectionKey, FaultPlan, SimConfig};
use reqwest::StatusCode;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashSet};

const IMMUTABLE: &str = "IdType=\"ImmutableId\"";
const SELECT: &str = "$select=subject,from,receivedDateTime,isRead,flag,categories";

fn prefer(page: usize) -> String {
    format!("odata.maxpagesize={page}, {IMMUTABLE}")
}

fn ids(items: &[Value]) -> Vec<String> {
    items.iter().map(|i| i["id"].as_str().expect("every item has an id").to_owned()).collect()
}

/// Net state of a round as a client applies it: id → removed?
fn net(items: &[Value]) -> BTreeMap<String, bool> {
    items.iter().map(|i| (i["id"].as_str().unwrap_or_default().to_owned(), i.get("@removed").is_some())).collect()
}

#[tokio::test]
async fn an_initial_round_pages_through_thousands_of_messages_exactly_once() {
    let h = Harness::start(SimConfig::default().with_messages(8_000).with_events(20).with_contacts(20)).await;
    let inbox = h.folder_id("Inbox");
    let (items, delta_link) =
        h.delta_round(&format!("/me/mailFolders/inbox/messages/delta?{SELECT}"), &prefer(250)).await;
    let server: BTreeSet<String> =
        h.sim.snapshot().messages.into_iter().filter(|m| m.folder_id == inbox).map(|m| m.immutable_id).collect();
    assert!(server.len() > 2_000, "a large inbox: {}", server.len());
    let got = ids(&items);
    assert_eq!(got.len(), server.len(), "no item twice");
    assert_eq!(got.into_iter().collect::<BTreeSet<_>>(), server);
    assert!(items.iter().all(|i| i.get("@removed").is_none()), "a first round lists what exists");
    assert!(delta_link.contains("$deltatoken="));
}

#[tokio::test]
async fn replays_and_removals_over_thousands_of_items_converge_on_the_server_state() {
    let mut faults = FaultPlan::none();
    faults.seed = 11;
    faults.replay_rate = 0.6;
    let h = Harness::long_lived(SimConfig::default().with_messages(5_000).with_faults(faults)).await;
    let inbox = h.folder_id("Inbox");
    let server = |h: &Harness| -> HashSet<String> {
        h.sim.snapshot().messages.into_iter().filter(|m| m.folder_id == inbox).map(|m| m.immutable_id).collect()
    };

    // A client applies each page idempotently: a replayed item is simply applied again.
    let mut cache: HashSet<String> = HashSet::new();
    let apply = |cache: &mut HashSet<String>, items: &[Value]| {
        for i in items {
            let id = i["id"].as_str().unwrap_or_default().to_owned();
            if i.get("@removed").is_some() {
                cache.remove(&id);
            } else {
                cache.insert(id);
            }
        }
    };
    let (items, link) = h.delta_round(&format!("/me/mailFolders/{inbox}/messages/delta?{SELECT}"), &prefer(50)).await;
    assert!(items.len() > unique_count(&items), "some items came twice");
    apply(&mut cache, &items);
    assert_eq!(cache, server(&h));

    h.sim.advance(chrono::Duration::days(10));
    let (items, _) = h.delta_round(&link, &prefer(50)).await;
    let removals = items.iter().filter(|i| i.get("@removed").is_some()).count();
    assert!(removals > 10, "ten days of tidying remove mail: {removals}");
    apply(&mut cache, &items);
    assert_eq!(cache, server(&h), "after removals and replays the cache equals the server");
    assert!(h.sim.stats().replays > 0);
}

fn unique_count(items: &[Value]) -> usize {
    ids(items).into_iter().collect::<HashSet<_>>().len()
}

#[tokio::test]
async fn a_round_after_timeline_changes_returns_exactly_those_changes() {
    let h = Harness::long_lived(SimConfig::default().with_messages(1_500).with_events(150).with_contacts(80)).await;
    let inbox = h.folder_id("Inbox");
    let archive = h.folder_id("Archive");
    let (_, inbox_link) =
        h.delta_round(&format!("/me/mailFolders/{inbox}/messages/delta?{SELECT}"), &prefer(200)).await;
    let (_, archive_link) =
        h.delta_round(&format!("/me/mailFolders/{archive}/messages/delta?{SELECT}"), &prefer(200)).await;
    let window = "startDateTime=2026-07-01T00:00:00Z&endDateTime=2027-03-01T00:00:00Z";
    let (_, events_link) = h.delta_round(&format!("/me/calendarView/delta?{window}"), &prefer(100)).await;
    let (_, contacts_link) = h.delta_round("/me/contacts/delta", &prefer(100)).await;

    let report = h.sim.advance(chrono::Duration::days(4));
    assert!(report.messages_arrived > 50, "four days bring mail: {}", report.messages_arrived);

    let expect = |key: CollectionKey| -> BTreeMap<String, bool> {
        report.in_collection(&key).into_iter().map(|c| (c.id.clone(), c.kind == ChangeKind::Removed)).collect()
    };
    let folders = h.get("/me/contactFolders").await.json;
    let contacts_folder = folders["value"]
        .as_array()
        .and_then(|a| a.iter().find(|f| f["displayName"] == "Contacts"))
        .and_then(|f| f["id"].as_str())
        .map(str::to_owned);
    let checks = [
        (inbox_link, CollectionKey::Messages(inbox.clone())),
        (archive_link, CollectionKey::Messages(archive.clone())),
        (events_link, CollectionKey::Events),
        (contacts_link, CollectionKey::Contacts(contacts_folder.unwrap_or_default())),
    ];
    for (link, key) in checks {
        let (items, _) = h.delta_round(&link, &prefer(100)).await;
        let got = net(&items);
        let want = expect(key.clone());
        assert_eq!(got, want, "{key:?}");
        assert!(!got.is_empty() || key != CollectionKey::Messages(inbox.clone()), "the inbox changed");
    }
}

#[tokio::test]
async fn a_deleted_message_comes_back_as_removed_with_reason_deleted() {
    let h = Harness::small().await;
    let (items, link) = h.delta_round(&format!("/me/mailFolders/inbox/messages/delta?{SELECT}"), &prefer(100)).await;
    let victim = items[0]["id"].as_str().expect("id").to_owned();
    let del = h.send(h.client.delete(h.url(&format!("/me/messages/{victim}")))).await;
    assert_eq!(del.status, StatusCode::NO_CONTENT);
    let (items, _) = h.delta_round(&link, &prefer(100)).await;
    let removed = items.iter().find(|i| i["id"] == victim.as_str()).expect("the deletion is reported");
    assert_eq!(removed["@removed"]["reason"], "deleted");
}

#[tokio::test]
async fn select_is_honoured_in_delta_pages() {
    let h = Harness::small().await;
    let (items, _) = h.delta_round("/me/mailFolders/inbox/messages/delta?$select=subject,isRead", &prefer(100)).await;
    for item in &items {
        let keys: BTreeSet<&str> = item.as_object().expect("object").keys().map(String::as_str).collect();
        assert_eq!(keys, BTreeSet::from(["@odata.etag", "@odata.type", "id", "isRead", "subject"]), "{item}");
    }
}

#[tokio::test]
async fn changes_made_while_paging_arrive_in_the_next_round() {
    let h = Harness::start(SimConfig::default().with_messages(600)).await;
    let first = h.get_prefer(&format!("/me/mailFolders/inbox/messages/delta?{SELECT}"), &prefer(20)).await;
    let first_id = first.json["value"][0]["id"].as_str().expect("id").to_owned();
    let r = h.patch(&format!("/me/messages/{first_id}"), serde_json::json!({"flag": {"flagStatus": "flagged"}})).await;
    assert_eq!(r.status, StatusCode::OK);
    let mut items: Vec<Value> = first.json["value"].as_array().cloned().unwrap_or_default();
    let (rest, link) = h.delta_round(first.json["@odata.nextLink"].as_str().expect("more pages"), &prefer(20)).await;
    items.extend(rest);
    assert_eq!(items.iter().filter(|i| i["id"] == first_id.as_str()).count(), 1);
    let (next, _) = h.delta_round(&link, &prefer(20)).await;
    let changed = next.iter().find(|i| i["id"] == first_id.as_str()).expect("the flag change comes in the next round");
    assert_eq!(changed["flag"]["flagStatus"], "flagged");
}

#[tokio::test]
async fn a_stale_delta_token_answers_410_with_a_location() {
    let h = Harness::small().await;
    let (_, link) = h.delta_round("/me/mailFolders/inbox/messages/delta", &prefer(100)).await;
    h.sim.reset_delta_tokens();
    let a = h.get_prefer(&link, IMMUTABLE).await;
    assert_eq!(a.status, StatusCode::GONE);
    assert_eq!(a.json["error"]["code"], "syncStateNotFound");
    let location = a.headers.get("location").and_then(|l| l.to_str().ok()).expect("Location");
    assert!(location.ends_with("$deltatoken="));
    let (again, _) = h.delta_round(location, &prefer(100)).await;
    assert!(!again.is_empty(), "following Location starts a full resync");
}

#[tokio::test]
async fn change_type_created_reports_only_new_items() {
    let h = Harness::long_lived(SimConfig::default().with_messages(300)).await;
    let (_, link) = h
        .delta_round("/me/mailFolders/inbox/messages/delta?changeType=created&$select=subject,isRead", &prefer(100))
        .await;
    let report = h.sim.advance(chrono::Duration::days(2));
    let inbox = h.folder_id("Inbox");
    let created: BTreeSet<String> = report
        .in_collection(&CollectionKey::Messages(inbox))
        .into_iter()
        .filter(|c| c.kind == ChangeKind::Created)
        .map(|c| c.id.clone())
        .collect();
    let (items, _) = h.delta_round(&link, &prefer(100)).await;
    assert_eq!(ids(&items).into_iter().collect::<BTreeSet<_>>(), created);
}

#[tokio::test]
async fn a_received_date_filter_returns_only_recent_messages() {
    let h = Harness::start(SimConfig::default().with_messages(3_000)).await;
    let since = h.sim.now() - chrono::Duration::days(30);
    let filter = format!("receivedDateTime ge {}", since.format("%Y-%m-%dT%H:%M:%SZ"));
    let url = format!(
        "{}/me/mailFolders/inbox/messages/delta?$select=receivedDateTime&$filter={}",
        h.sim.graph_url(),
        urlencode(&filter)
    );
    let (items, _) = h.delta_round(&url, &prefer(200)).await;
    let inbox = h.folder_id("Inbox");
    let want = h.sim.snapshot().messages.iter().filter(|m| m.folder_id == inbox && m.received >= since).count();
    assert_eq!(items.len(), want);
    assert!(want > 0 && want < h.sim.snapshot().messages.iter().filter(|m| m.folder_id == inbox).count());
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[tokio::test]
async fn the_folder_and_contact_folder_rounds_list_every_folder() {
    let h = Harness::small().await;
    let (folders, _) = h.delta_round("/me/mailFolders/delta", IMMUTABLE).await;
    assert_eq!(folders.len(), h.sim.snapshot().folders.len());
    assert!(folders.iter().all(|f| f["unreadItemCount"].is_u64() && f["displayName"].is_string()));
    let (cf, _) = h.delta_round("/me/contactFolders/delta", IMMUTABLE).await;
    assert_eq!(cf.len(), 2);
    let total: usize = {
        let mut n = 0;
        for f in &cf {
            let (c, _) = h
                .delta_round(
                    &format!("/me/contactFolders/{}/contacts/delta", f["id"].as_str().expect("id")),
                    &prefer(50),
                )
                .await;
            n += c.len();
        }
        n
    };
    assert_eq!(total, h.sim.snapshot().contacts.len());
}

#[tokio::test]
async fn quarter_hour_steps_bring_as_much_mail_as_a_whole_day_at_once() {
    let start: chrono::DateTime<chrono::Utc> = "2026-11-02T00:00:00Z".parse().expect("instant");
    let day =
        companion_graph_sim::GraphSim::start(SimConfig::default().with_messages(10).with_start(start).with_seed(5))
            .await
            .expect("sim");
    let at_once = day.advance(chrono::Duration::days(1)).messages_arrived;
    let quarters =
        companion_graph_sim::GraphSim::start(SimConfig::default().with_messages(10).with_start(start).with_seed(6))
            .await
            .expect("sim");
    let stepped: usize = (0..96).map(|_| quarters.advance(chrono::Duration::minutes(15)).messages_arrived).sum();
    // A typical weekday brings about 40 messages, however the day is stepped.
    for n in [at_once, stepped] {
        assert!((25..=60).contains(&n), "{at_once} at once, {stepped} stepped");
    }
}
