//! Every JSON response body in Microsoft's own Graph docs examples (the repo's copy under
//! `fixtures/graph-docs/`) for an endpoint the simulator serves is compared with what the
//! simulator answers to the same kind of request: every field the example has must be there,
//! with the same JSON type. Examples are truncated samples, so the simulator may have more.
//! Each difference that is deliberate is named below with the reason.

use super::Harness;
use companion_graph_sim::SimConfig;
use serde_json::{json, Value};
use std::collections::BTreeMap;

const EXAMPLES: &str = include_str!("../../../../fixtures/graph-docs/graph-docs-examples.jsonl");

/// Differences accepted on purpose: (doc page, JSON path) → why.
const JUSTIFIED: &[(&str, &str, &str)] = &[
    ("list-get.md", "$.columns", "the third example expands columns and items, which a plain GET does not"),
    ("list-get.md", "$.items", "the third example expands columns and items, which a plain GET does not"),
    (
        "message-delta.md",
        "$.value[1].isRead",
        "the docs sample writes a Boolean as the string \"true\"; Graph sends a Boolean",
    ),
    (
        "delta-query-messages.md",
        "$.value[1].isRead",
        "the docs sample writes a Boolean as the string \"true\"; Graph sends a Boolean",
    ),
    ("event.md", "$.allowNewTimeProposals", "the resource page writes a Boolean as the string \"true\""),
    (
        "errors.md",
        "$.innererror",
        "the errors page spells it innererror; Graph's answers (and every other docs sample) say innerError",
    ),
    (
        "event-get.md",
        "$.attendees[1].proposedNewTime",
        "present only on an attendee who proposed a new time; none did for this meeting",
    ),
    (
        "mailfolder-get.md",
        "$.@odata.type",
        "the docs' second example is a mailSearchFolder, which the app does not sync",
    ),
    ("mailfolder-get.md", "$.filterQuery", "mailSearchFolder only"),
    ("mailfolder-get.md", "$.includeNestedFolders", "mailSearchFolder only"),
    ("mailfolder-get.md", "$.isSupported", "mailSearchFolder only"),
    ("mailfolder-get.md", "$.sourceFolderIds", "mailSearchFolder only"),
];

/// Endpoints the app does not use, so the simulator does not serve them.
const NOT_SERVED: &[&str] = &[
    "contact-update.md",
    "contactfolder-delete.md",
    "contactfolder-get.md",
    "contactfolder-list-childfolders.md",
    "contactfolder-list-contacts.md",
    "contactfolder-post-childfolders.md",
    "contactfolder-post-contacts.md",
    "contactfolder-update.md",
    "event-cancel.md",
    "event-dismissreminder.md",
    "event-forward.md",
    "event-list-attachments.md",
    "event-list-instances.md",
    "event-post-attachments.md",
    "event-snoozereminder.md",
    "event-update.md",
    "eventmessage-delete.md",
    "eventmessage-list-attachments.md",
    "eventmessage-post-attachments.md",
    "eventmessage-update.md",
    "listitem-list-versions.md",
    "mailfolder-copy.md",
    "mailfolder-delete.md",
    "mailfolder-list-messagerules.md",
    "mailfolder-move.md",
    "mailfolder-post-childfolders.md",
    "mailfolder-post-messagerules.md",
    "mailfolder-post-messages.md",
    "mailfolder-update.md",
    "message-copy.md",
    "message-createforward.md",
    "message-createreplyall.md",
    "message-forward.md",
    "message-post-attachments.md",
    "message-replyall.md",
    "messagerule-delete.md",
    "messagerule-get.md",
    "messagerule-update.md",
    "user-get-mailboxsettings.md",
    "user-getmembergroups.md",
    "user-getmemberobjects.md",
    "delta-query-overview.md",
    "useridentity.md",
];

struct Example {
    page: String,
    name: Option<String>,
    kind: String,
    body: Value,
}

fn examples() -> Vec<Example> {
    EXAMPLES
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|r| r["body_is_json"] == true && r["kind"] != "request")
        .filter_map(|r| {
            let body: Value = serde_json::from_str(r["body"].as_str()?).ok()?;
            Some(Example {
                page: r["source"].as_str()?.rsplit('/').next()?.to_owned(),
                name: r["name"].as_str().map(str::to_owned),
                kind: r["kind"].as_str()?.to_owned(),
                body,
            })
        })
        .collect()
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Fields in `doc` missing from or typed differently in `sim`, as JSON paths. A resource page
/// is a schema (every property, navigation properties too), not an answer, so for those only
/// the types of the properties both have are checked (`require_all` false).
fn compare(doc: &Value, sim: &Value, path: &str, require_all: bool, out: &mut Vec<String>) {
    match (doc, sim) {
        (Value::Null, _) | (_, Value::Null) => {}
        (Value::Object(d), Value::Object(s)) => {
            for (k, dv) in d {
                // A page carries one of the two links; which one depends on the data's size.
                let sv = match k.as_str() {
                    "@odata.nextLink" | "@odata.deltaLink" => {
                        s.get("@odata.nextLink").or_else(|| s.get("@odata.deltaLink"))
                    }
                    _ => s.get(k),
                };
                match sv {
                    None if require_all => out.push(format!("{path}.{k} (missing)")),
                    None => {}
                    Some(sv) => compare(dv, sv, &format!("{path}.{k}"), require_all, out),
                }
            }
        }
        (Value::Array(d), Value::Array(s)) => {
            // Compare each sample item with an item of the same kind (a removal or a live item).
            for (i, di) in d.iter().enumerate().take(4) {
                let removed = di.get("@removed").is_some();
                match s.iter().find(|x| x.get("@removed").is_some() == removed) {
                    Some(si) => compare(di, si, &format!("{path}[{i}]"), require_all, out),
                    None if s.is_empty() => {}
                    None => out.push(format!("{path}[{i}] (no item of this kind here)")),
                }
            }
        }
        (d, s) if type_name(d) == type_name(s) => {}
        (d, s) => out.push(format!("{path} ({} in the docs, {} here)", type_name(d), type_name(s))),
    }
}

/// An initial round's first page, then a later round's page after `change` ran, merged into one
/// answer, so that samples of live items and of removals both have something to meet.
async fn two_rounds(h: &Harness, first: &str, prefer: &str, change: impl std::future::Future<Output = ()>) -> Value {
    let first_page = h.get_prefer(first, prefer).await.json;
    let (_, link) = h.delta_round(first, prefer).await;
    change.await;
    let mut later = h.get_prefer(&link, prefer).await.json;
    let mut items = later["value"].as_array().cloned().unwrap_or_default();
    items.extend(first_page["value"].as_array().cloned().unwrap_or_default());
    later["value"] = Value::Array(items);
    later
}

/// The doc sample's own list columns, so the item read back has the same columns.
fn sample_fields(body: &Value) -> Value {
    const SYSTEM: &[&str] = &[
        "id",
        "ContentType",
        "Created",
        "Modified",
        "AuthorLookupId",
        "EditorLookupId",
        "_UIVersionString",
        "Attachments",
        "Edit",
        "LinkTitleNoMenu",
        "LinkTitle",
        "ItemChildCount",
        "FolderChildCount",
        "_ComplianceFlags",
        "_ComplianceTag",
        "_ComplianceTagWrittenTime",
        "_ComplianceTagUserId",
        "AppAuthorLookupId",
        "AppEditorLookupId",
        "DocIcon",
    ];
    let fields = if body["fields"].is_object() { &body["fields"] } else { &body["value"][0]["fields"] };
    let kept: serde_json::Map<String, Value> = fields
        .as_object()
        .map(|o| {
            o.iter()
                .filter(|(k, _)| !k.starts_with('@') && !SYSTEM.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        })
        .unwrap_or_default();
    json!({"fields": kept})
}

/// What the simulator answers for the request behind a docs page.
async fn answer_for(h: &Harness, page: &str, name: Option<&str>, doc: &Value, ids: &Ids) -> Option<Value> {
    let window = "startDateTime=2026-07-01T00:00:00Z&endDateTime=2027-03-01T00:00:00Z";
    let prefer = "IdType=\"ImmutableId\"";
    let a = match (page, name) {
        ("attachment-get.md", Some("get_file_attachment_v1")) => h.get(&format!("/me/messages/{}/attachments/{}", ids.with_attachment, ids.attachment)).await,
        ("attachment-get.md", _) => return None,
        ("message-list-attachments.md", _) => h.get(&format!("/me/messages/{}/attachments", ids.with_attachment)).await,
        ("calendar-list-calendarview.md" | "user-list-calendarview.md", _) => h.get(&format!("/me/calendarView?{window}")).await,
        ("contact-delta.md", _) => {
            let first = format!("/me/contactFolders/{}/contacts/delta", ids.contact_folder);
            let victim = ids.spare_contact.clone();
            return Some(two_rounds(h, &first, prefer, async move { h.send(h.client.delete(h.url(&format!("/me/contacts/{victim}")))).await; }).await);
        }
        ("contact-delete.md" | "event-delete.md", _) => return None,
        ("contact-get.md", _) => h.get(&format!("/me/contacts/{}", ids.contact)).await,
        ("contactfolder-delta.md", _) => h.get("/me/contactFolders/delta").await,
        ("user-list-contacts.md", _) => h.get("/me/contacts").await,
        ("event-delta.md" | "delta-query-events.md", _) => {
            let first = format!("/me/calendarView/delta?{window}");
            let page = h.get_prefer(&first, "odata.maxpagesize=20").await.json;
            let victim = page["value"].as_array().and_then(|v| v.iter().rev().find(|e| e["id"] != ids.event.as_str())).and_then(|e| e["id"].as_str()).unwrap_or_default().to_owned();
            return Some(two_rounds(h, &first, "odata.maxpagesize=20", async move { h.send(h.client.delete(h.url(&format!("/me/events/{victim}")))).await; }).await);
        }
        ("event-get.md", _) => h.get(&format!("/me/events/{}", ids.event)).await,
        ("event-accept.md" | "event-decline.md" | "event-tentativelyaccept.md", _) => return None,
        ("user-list-events.md", _) => h.get(&format!("/me/calendarView?{window}")).await,
        ("eventmessage-get.md", Some("get_event_based_on_eventmessage")) => h.get(&format!("/me/messages/{}?$expand=microsoft.graph.eventMessage/event", ids.invitation)).await,
        ("eventmessage-get.md", _) => h.get(&format!("/me/messages/{}", ids.invitation)).await,
        ("list-get.md", _) => h.get(&format!("/sites/{}/lists/Inventory", ids.site)).await,
        ("listitem-create.md", _) => h.post(&format!("/sites/{}/lists/Inventory/items", ids.site), json!({"fields": {"Title": "Widget", "Color": "Purple", "Weight": 32}})).await,
        ("listitem-get.md" | "listitem-list.md", _) => {
            let path = format!("/sites/{}/lists/Inventory/items", ids.site);
            let made = h.post(&path, sample_fields(doc)).await.json;
            let id = made["id"].as_str().unwrap_or_default();
            if page == "listitem-get.md" {
                h.get(&format!("{path}/{id}")).await
            } else {
                let mut all = h.get(&format!("{path}?$expand=fields")).await;
                all.json["value"] = json!([all.json["value"].as_array().and_then(|v| v.iter().find(|i| i["id"] == id)).cloned().unwrap_or(Value::Null)]);
                all
            }
        }
        ("mailfolder-delta.md", _) => h.get("/me/mailFolders/delta").await,
        ("mailfolder-get.md", _) => h.get("/me/mailFolders/inbox").await,
        ("mailfolder-list-childfolders.md", _) => h.get(&format!("/me/mailFolders/{}/childFolders", ids.committees)).await,
        ("user-list-mailfolders.md", _) => h.get("/me/mailFolders").await,
        ("mailfolder-list-messages.md" | "user-list-messages.md", _) => h.get("/me/mailFolders/inbox/messages").await,
        ("message-createreply.md", _) => h.post(&format!("/me/messages/{}/createReply", ids.message), json!({})).await,
        ("message-delta.md" | "delta-query-messages.md", _) => {
            let first = "/me/mailFolders/inbox/messages/delta";
            let n = ids.spare_used.fetch_add(2, std::sync::atomic::Ordering::SeqCst);
            let (victim, changed) = (ids.spare_messages[n].clone(), ids.spare_messages[n + 1].clone());
            let change = async move {
                h.send(h.client.delete(h.url(&format!("/me/messages/{victim}")))).await;
                h.patch(&format!("/me/messages/{changed}"), json!({"isRead": false})).await;
            };
            let mut merged = two_rounds(h, first, prefer, change).await;
            // One sample page puts the removal first, the other a live item: offer both orders.
            if let Some(v) = merged["value"].as_array_mut() {
                v.sort_by_key(|i| i.get("@removed").is_none());
            }
            return Some(merged);
        }
        ("message-get.md", Some("get_message_in_text")) => {
            h.get_prefer(&format!("/me/messages/{}?$select=subject,body,bodyPreview,uniqueBody", ids.message), "outlook.body-content-type=\"text\"").await
        }
        ("message-get.md", Some("get_message_headers")) => return None,
        ("message-get.md", _) => h.get(&format!("/me/messages/{}", ids.message)).await,
        ("message-move.md", _) => h.post(&format!("/me/messages/{}/move", ids.movable), json!({"destinationId": "archive"})).await,
        ("message-update.md", _) => h.patch(&format!("/me/messages/{}", ids.message), json!({"isRead": true})).await,
        ("user-get.md", _) => {
            // The same kind of request: the sample's properties, selected.
            let select: Vec<&str> = doc.as_object().map(|o| o.keys().filter(|k| !k.starts_with('@')).map(String::as_str).collect()).unwrap_or_default();
            h.get(&format!("/me?$select={}", select.join(","))).await
        }
        ("errors.md", _) => {
            let a = h.get("/me/messages/AAkALgAAAAAAAAAAAAAAAAAAAAAA").await;
            return Some(if doc.get("error").is_some() { a.json } else { a.json["error"].clone() });
        }
        ("message.md", _) => h.get_prefer(&format!("/me/messages/{}?$select=subject,body,uniqueBody,from,sender,toRecipients,flag,isRead,categories,receivedDateTime", ids.message), prefer).await,
        ("event.md", _) => h.get(&format!("/me/events/{}", ids.event)).await,
        ("contact.md", _) => h.get(&format!("/me/contacts/{}", ids.contact)).await,
        ("mailfolder.md", _) => h.get("/me/mailFolders/inbox").await,
        ("user.md", _) => h.get("/me").await,
        ("attachment.md" | "fileattachment.md", _) => h.get(&format!("/me/messages/{}/attachments/{}", ids.with_attachment, ids.attachment)).await,
        _ => return None,
    };
    Some(a.json)
}

struct Ids {
    /// Messages and a contact that delta examples may delete or change.
    spare_messages: Vec<String>,
    spare_used: std::sync::atomic::AtomicUsize,
    spare_contact: String,
    message: String,
    movable: String,
    with_attachment: String,
    attachment: String,
    invitation: String,
    event: String,
    contact: String,
    contact_folder: String,
    committees: String,
    site: String,
}

async fn ids(h: &Harness) -> Ids {
    let snap = h.sim.snapshot();
    let inbox = h.folder_id("Inbox");
    let mut inbox_msgs = snap.messages.iter().filter(|m| m.folder_id == inbox);
    let with_attachment = snap.messages.iter().find(|m| m.has_attachments).expect("attachments").immutable_id.clone();
    let attachment = h.get(&format!("/me/messages/{with_attachment}/attachments?$select=id")).await.json["value"][0]
        ["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let page = h.get("/me/mailFolders/inbox/messages?$top=200&$select=subject").await;
    let invitation = page.json["value"]
        .as_array()
        .and_then(|v| v.iter().find(|m| m["@odata.type"] == "#microsoft.graph.eventMessageRequest"))
        .and_then(|m| m["id"].as_str())
        .expect("an invitation in the inbox")
        .to_owned();
    let folders = h.get("/me/contactFolders").await.json;
    let contact_folder = folders["value"][0]["id"].as_str().expect("folder").to_owned();
    let site = h.sim.site_id();
    // The docs' examples' list, made as ICT would, and an item to read back.
    h.provision_list(
        "Inventory",
        json!([{"name": "Name", "text": {}}, {"name": "Color", "text": {}}, {"name": "Weight", "number": {}}, {"name": "Quantity", "number": {}}]),
    )
    .await;
    h.post(&format!("/sites/{site}/lists/Inventory/items"), json!({"fields": {"Title": "Seed"}})).await;
    Ids {
        message: inbox_msgs.next().expect("inbox").immutable_id.clone(),
        movable: inbox_msgs.next().expect("inbox").immutable_id.clone(),
        spare_messages: inbox_msgs
            .by_ref()
            .filter(|m| m.immutable_id != with_attachment && m.immutable_id != invitation)
            .take(12)
            .map(|m| m.immutable_id.clone())
            .collect(),
        spare_used: Default::default(),
        spare_contact: snap.contacts.last().expect("contacts").0.clone(),
        with_attachment,
        attachment,
        invitation,
        event: snap.events.iter().find(|(_, s, _, _)| !s.is_empty()).map(|(id, _, _, _)| id.clone()).expect("event"),
        contact: snap.contacts[0].0.clone(),
        contact_folder,
        committees: h.folder_id("Committees"),
        site,
    }
}

#[tokio::test]
async fn every_docs_example_for_a_served_endpoint_has_the_simulators_field_names_and_types() {
    let h = Harness::start(SimConfig::default().with_messages(1_500)).await;
    let ids = ids(&h).await;
    let mut compared = 0;
    let mut failures: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut unmatched = Vec::new();
    for ex in examples() {
        if NOT_SERVED.contains(&ex.page.as_str()) {
            continue;
        }
        let Some(sim) = answer_for(&h, &ex.page, ex.name.as_deref(), &ex.body, &ids).await else {
            unmatched.push(format!("{} {:?}", ex.page, ex.name));
            continue;
        };
        // A resource page shows the entity itself; a response shows the whole answer.
        let mut diffs = Vec::new();
        compare(&ex.body, &sim, "$", ex.kind != "resource", &mut diffs);
        diffs.retain(|d| {
            !JUSTIFIED.iter().any(|(page, path, _)| *page == ex.page && d.starts_with(&format!("{path} ")))
        });
        compared += 1;
        if !diffs.is_empty() {
            failures.insert(format!("{} {} {:?}", ex.page, ex.kind, ex.name), diffs);
        }
    }
    // Item and reference attachments, and the raw internet headers, are not modelled; accept
    // and friends answer 202 with no body, so there is nothing to compare.
    let allowed_unmatched = [
        "attachment-get.md",
        "event-accept.md",
        "event-decline.md",
        "event-tentativelyaccept.md",
        "message-get.md",
        "contact-delete.md",
        "event-delete.md",
    ];
    unmatched.retain(|u| !allowed_unmatched.iter().any(|a| u.starts_with(a)));
    assert!(unmatched.is_empty(), "examples with no simulator request: {unmatched:#?}");
    assert!(compared >= 40, "compared {compared} examples");
    assert!(failures.is_empty(), "differences from the docs: {failures:#?}");
}
