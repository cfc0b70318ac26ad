//! Mail folders, messages, bodies, attachments, and the mail actions (PATCH, move, delete,
//! createReply, reply, send, sendMail).

use super::{delta_answer, parse_body, with_preference, DeltaSpec};
use crate::content::{self, BodyKind, Person};
use crate::ids;
use crate::odata::{apply_select, json_response, selects, ts, GraphError, GraphResult, Prefer, Query};
use crate::server::AppState;
use crate::tenant::{Attachment, AttachmentContent, BodySource, CollectionKey, MailFolder, Message, SentMail, Tenant};
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::IntoResponse;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::{DateTime, Utc};
use rand::Rng;
use serde_json::{json, Map, Value};

/// The id a client sees for a message: immutable when asked for, else the move-sensitive one.
pub(crate) fn message_id_for(core: &str, moves: u32, prefer: &Prefer) -> String {
    if prefer.immutable_ids {
        ids::message_immutable(core)
    } else {
        ids::message_regular(core, moves)
    }
}

fn etag(version: u64) -> String {
    format!("W/\"CQAAABYAAAD{version:016X}\"")
}

fn recipient(p: &Person) -> Value {
    json!({"emailAddress": {"name": p.name, "address": p.address}})
}

pub(crate) fn folder_json(t: &Tenant, f: &MailFolder) -> Value {
    let (total, unread) = t.folder_counts(&f.id);
    json!({
        "id": f.id,
        "displayName": f.display_name,
        "parentFolderId": f.parent_id,
        "childFolderCount": f.child_count,
        "unreadItemCount": unread,
        "totalItemCount": total,
        "sizeInBytes": u64::from(total) * 24_576,
        "isHidden": false,
    })
}

/// A message as Graph draws it. `select` limits what is rendered (bodies are costly).
pub(crate) fn message_json(
    t: &Tenant,
    m: &Message,
    base: &str,
    prefer: &Prefer,
    select: Option<&[String]>,
    expand: Option<&str>,
) -> Value {
    let id = message_id_for(&m.core, m.moves, prefer);
    let invitation = m.event_id.as_ref().and_then(|e| t.events.get(e));
    let mut v = json!({
        "@odata.type": if m.event_id.is_some() { "#microsoft.graph.eventMessageRequest" } else { "#microsoft.graph.message" },
        "@odata.etag": etag(m.version),
        "id": id,
        "createdDateTime": ts(m.created),
        "lastModifiedDateTime": ts(m.modified),
        "changeKey": format!("CQAAABYAAAD{:016X}", m.version),
        "categories": m.categories,
        "receivedDateTime": ts(m.received),
        "sentDateTime": ts(m.sent),
        "hasAttachments": m.attachments.iter().any(|a| !a.is_inline),
        "internetMessageId": m.internet_message_id,
        "subject": m.subject,
        "bodyPreview": m.preview,
        "importance": m.importance,
        "parentFolderId": m.folder,
        "conversationId": m.conversation_id,
        "conversationIndex": m.conversation_index,
        "isDeliveryReceiptRequested": false,
        "isReadReceiptRequested": false,
        "isRead": m.is_read,
        "isDraft": m.is_draft,
        "webLink": format!("https://outlook.office365.com/owa/?ItemID={}&exvsurl=1&viewmodel=ReadMessageItem", id),
        "inferenceClassification": m.inference,
        "sender": recipient(&m.from),
        "from": recipient(&m.from),
        "toRecipients": m.to.iter().map(recipient).collect::<Vec<_>>(),
        "ccRecipients": m.cc.iter().map(recipient).collect::<Vec<_>>(),
        "bccRecipients": [],
        "replyTo": [],
        "flag": flag_json(m),
    });
    let wants_body = selects(select, "body");
    let wants_unique = select.is_some_and(|s| s.iter().any(|x| x.eq_ignore_ascii_case("uniqueBody")));
    if wants_body || wants_unique {
        let body = t.render_body(m, base);
        let (kind, whole, unique) = if prefer.body_text {
            ("text", body.text, body.unique_text)
        } else {
            ("html", body.html, body.unique_html)
        };
        if wants_body {
            v["body"] = json!({"contentType": kind, "content": whole});
        }
        if wants_unique {
            v["uniqueBody"] = json!({"contentType": kind, "content": unique});
        }
    }
    if let Some(ev) = invitation {
        v["meetingMessageType"] = json!("meetingRequest");
        v["meetingRequestType"] = json!("newMeetingRequest");
        v["type"] = json!("singleInstance");
        v["isOutOfDate"] = json!(false);
        v["isAllDay"] = json!(ev.all_day);
        v["isDelegated"] = json!(false);
        v["responseRequested"] = json!(ev.response_requested);
        v["allowNewTimeProposals"] = json!(ev.allow_new_time_proposals);
        v["startDateTime"] = crate::odata::date_time_time_zone(ev.start, prefer.time_zone.as_deref());
        v["endDateTime"] = crate::odata::date_time_time_zone(ev.end, prefer.time_zone.as_deref());
        v["location"] = json!({"displayName": ev.location, "locationType": "default", "uniqueIdType": "unknown"});
        v["recurrence"] = Value::Null;
        if expand.is_some_and(|e| e.contains("event")) {
            v["event@odata.context"] = json!(format!(
                "{base}/v1.0/$metadata#users('me')/messages('{id}')/microsoft.graph.eventMessage/event/$entity"
            ));
            v["event"] = super::calendar::event_json(ev, prefer.time_zone.as_deref());
        }
    }
    apply_select(v, select)
}

fn flag_json(m: &Message) -> Value {
    let mut flag = Map::new();
    flag.insert("flagStatus".into(), json!(m.flag_status));
    for (k, v) in &m.flag_extra {
        flag.insert(k.clone(), v.clone());
    }
    Value::Object(flag)
}

pub(super) fn attachment_json(a: &Attachment, select: Option<&[String]>) -> Value {
    let mut v = json!({
        "@odata.type": "#microsoft.graph.fileAttachment",
        "@odata.mediaContentType": a.content_type,
        "id": a.id,
        "lastModifiedDateTime": ts(a.modified),
        "name": a.name,
        "contentType": a.content_type,
        "size": a.size,
        "isInline": a.is_inline,
        "contentId": a.content_id,
        "contentLocation": Value::Null,
    });
    // Without $select a file attachment carries its bytes in base64: the costly default.
    if selects(select, "contentBytes") {
        v["contentBytes"] = json!(STANDARD.encode(a.bytes()));
    }
    apply_select(v, select)
}

/// Parses the only `$filter` message delta supports: `receivedDateTime ge|gt {date-time}`.
pub(crate) fn parse_received_filter(filter: &str) -> GraphResult<DateTime<Utc>> {
    let parts: Vec<&str> = filter.split_whitespace().collect();
    match parts.as_slice() {
        [prop, op, value] if prop.eq_ignore_ascii_case("receivedDateTime") && matches!(*op, "ge" | "gt") => {
            crate::odata::parse_datetime(value.trim_matches('\''))
                .ok_or_else(|| GraphError::bad_request(format!("Invalid filter value '{value}'.")))
        }
        _ => Err(GraphError::new(
            StatusCode::BAD_REQUEST,
            "ErrorInvalidUrlQueryFilter",
            "The delta query only supports a $filter on receivedDateTime with ge or gt.",
        )),
    }
}

pub(super) fn find_folder<'a>(t: &'a Tenant, id: &str) -> GraphResult<&'a MailFolder> {
    t.folder(id).ok_or_else(|| GraphError::not_found("mail folder"))
}

pub(super) fn find_message(t: &Tenant, id: &str) -> GraphResult<String> {
    if ids::parse_message_id(id).is_none() {
        return Err(GraphError::new(StatusCode::BAD_REQUEST, "ErrorInvalidIdMalformed", "Id is malformed."));
    }
    t.message_key(id).ok_or_else(|| GraphError::not_found("message"))
}

pub(super) fn entity_context(base: &str, what: &str) -> String {
    format!("{base}/v1.0/$metadata#{what}")
}

pub(crate) async fn list_folders(State(app): State<AppState>, RawQuery(raw): RawQuery) -> GraphResult {
    let q = Query::parse(raw.as_deref())?;
    let t = app.tenant.read().unwrap_or_else(|e| e.into_inner());
    let root = t.folders.first().map(|f| f.parent_id.clone()).unwrap_or_default();
    let value: Vec<Value> = t
        .folders
        .iter()
        .filter(|f| f.parent_id == root)
        .take(q.top.unwrap_or(10))
        .map(|f| apply_select(folder_json(&t, f), q.select.as_deref()))
        .collect();
    Ok(json_response(
        StatusCode::OK,
        &json!({"@odata.context": entity_context(&app.base_url(), "users('me')/mailFolders"), "value": value}),
    ))
}

pub(crate) async fn get_folder(
    State(app): State<AppState>,
    Path(folder): Path<String>,
    RawQuery(raw): RawQuery,
) -> GraphResult {
    let q = Query::parse(raw.as_deref())?;
    let t = app.tenant.read().unwrap_or_else(|e| e.into_inner());
    let f = find_folder(&t, &folder)?;
    let mut v = apply_select(folder_json(&t, f), q.select.as_deref());
    v["@odata.context"] = json!(entity_context(&app.base_url(), "users('me')/mailFolders/$entity"));
    Ok(json_response(StatusCode::OK, &v))
}

pub(crate) async fn child_folders(
    State(app): State<AppState>,
    Path(folder): Path<String>,
    RawQuery(raw): RawQuery,
) -> GraphResult {
    let q = Query::parse(raw.as_deref())?;
    let t = app.tenant.read().unwrap_or_else(|e| e.into_inner());
    let parent = find_folder(&t, &folder)?.id.clone();
    let value: Vec<Value> = t
        .folders
        .iter()
        .filter(|f| f.parent_id == parent)
        .map(|f| apply_select(folder_json(&t, f), q.select.as_deref()))
        .collect();
    Ok(json_response(
        StatusCode::OK,
        &json!({"@odata.context": entity_context(&app.base_url(), "users('me')/mailFolders('id')/childFolders"), "value": value}),
    ))
}

pub(crate) async fn folders_delta(
    State(app): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> GraphResult {
    let q = Query::parse(raw.as_deref())?;
    let prefer = Prefer::from_headers(&headers);
    let render = |t: &Tenant, c: &crate::tenant::Change, s: &crate::delta::DeltaState| {
        t.folders.iter().find(|f| f.id == c.key).map(|f| {
            let mut v = folder_json(t, f);
            v["@odata.type"] = json!("#microsoft.graph.mailFolder");
            apply_select(v, s.s.as_deref())
        })
    };
    delta_answer(
        &app,
        &q,
        &prefer,
        DeltaSpec {
            key: CollectionKey::MailFolders,
            path: "/v1.0/me/mailFolders/delta".into(),
            odata_type: "#microsoft.graph.mailFolder",
            default_page: 100,
            keep: &|_, _, _| true,
            render: &render,
        },
    )
}

pub(crate) async fn messages_delta(
    State(app): State<AppState>,
    Path(folder): Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> GraphResult {
    let q = Query::parse(raw.as_deref())?;
    let prefer = Prefer::from_headers(&headers);
    let folder_id = {
        let t = app.tenant.read().unwrap_or_else(|e| e.into_inner());
        find_folder(&t, &folder)?.id.clone()
    };
    let base = app.base_url();
    let keep = |t: &Tenant, c: &crate::tenant::Change, s: &crate::delta::DeltaState| match (s.g, t.messages.get(&c.key))
    {
        (Some(g), Some(m)) => m.received >= g,
        _ => true,
    };
    let render = |t: &Tenant, c: &crate::tenant::Change, s: &crate::delta::DeltaState| {
        t.messages
            .get(&c.key)
            .filter(|m| m.folder == folder_id)
            .map(|m| message_json(t, m, &base, &prefer, s.s.as_deref(), None))
    };
    delta_answer(
        &app,
        &q,
        &prefer,
        DeltaSpec {
            key: CollectionKey::Messages(folder_id.clone()),
            path: format!("/v1.0/me/mailFolders/{folder_id}/messages/delta"),
            odata_type: "#microsoft.graph.message",
            default_page: 10,
            keep: &keep,
            render: &render,
        },
    )
}

pub(crate) async fn list_messages(
    State(app): State<AppState>,
    Path(folder): Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> GraphResult {
    let q = Query::parse(raw.as_deref())?;
    let skip: usize = serde_urlencoded::from_str::<Vec<(String, String)>>(raw.as_deref().unwrap_or(""))
        .unwrap_or_default()
        .into_iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("$skip"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let prefer = Prefer::from_headers(&headers);
    let t = app.tenant.read().unwrap_or_else(|e| e.into_inner());
    let folder_id = find_folder(&t, &folder)?.id.clone();
    let mut all: Vec<&Message> = t.messages.values().filter(|m| m.folder == folder_id).collect();
    let total = all.len();
    let top = q.top.unwrap_or(10).clamp(1, 1000);
    // Newest first. Only this page's items are put in order: sorting the whole folder for
    // every page made paging a large mailbox quadratic (100,000 messages took seconds).
    let newest_first = |a: &&Message, b: &&Message| b.received.cmp(&a.received).then_with(|| a.core.cmp(&b.core));
    let (start, end) = (skip.min(total), skip.saturating_add(top).min(total));
    if end < total {
        all.select_nth_unstable_by(end, newest_first);
        all.truncate(end);
    }
    if start > 0 && start < all.len() {
        all.select_nth_unstable_by(start, newest_first);
    }
    let page = &mut all[start..];
    page.sort_by(newest_first);
    let base = app.base_url();
    let value: Vec<Value> =
        page.iter().map(|m| message_json(&t, m, &base, &prefer, q.select.as_deref(), q.expand.as_deref())).collect();
    let mut body =
        json!({"@odata.context": entity_context(&base, "users('me')/mailFolders('id')/messages"), "value": value});
    if skip + top < total {
        let mut next = url::Url::parse(&format!("{base}/v1.0/me/mailFolders/{folder_id}/messages"))
            .map_err(|_| GraphError::bad_request("bad url"))?;
        {
            let mut qp = next.query_pairs_mut();
            if let Some(s) = &q.select {
                qp.append_pair("$select", &s.join(","));
            }
            qp.append_pair("$top", &top.to_string()).append_pair("$skip", &(skip + top).to_string());
        }
        body["@odata.nextLink"] = json!(next.as_str());
    }
    Ok(with_preference(json_response(StatusCode::OK, &body), &prefer, true))
}

/// Graph's most search results for messages (`concepts/search-query-parameter.md`).
const SEARCH_RESULTS_MOST: usize = 1_000;

/// `GET /me/messages`: every folder's messages, newest first, or with `$search="…"` the
/// messages that match, newest sent first and at most 1,000 of them, as Graph answers. Graph
/// searches the sender, the subject and the whole body with KQL; the simulator looks for every
/// word (ignoring case) in the sender, the subject and the preview, which is enough to tell a
/// match from none. `$search` with `$filter` or `$orderby` is refused as Graph refuses it.
pub(crate) async fn list_all_messages(
    State(app): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> GraphResult {
    let q = Query::parse(raw.as_deref())?;
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw.as_deref().unwrap_or("")).unwrap_or_default();
    let param = |name: &str| pairs.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone());
    let search = param("$search");
    if search.is_some() && (q.filter.is_some() || param("$orderby").is_some()) {
        return Err(GraphError::bad_request("$search cannot be combined with $filter or $orderby."));
    }
    let skip: usize = param("$skip").and_then(|v| v.parse().ok()).unwrap_or(0);
    let top = q.top.unwrap_or(10).clamp(1, 1000);
    let prefer = Prefer::from_headers(&headers);
    let t = app.tenant.read().unwrap_or_else(|e| e.into_inner());
    let mut all: Vec<&Message> = match &search {
        Some(raw_terms) => {
            let terms: Vec<String> =
                raw_terms.trim().trim_matches('"').split_whitespace().map(str::to_lowercase).collect();
            if terms.is_empty() {
                return Err(GraphError::bad_request("$search needs a search term."));
            }
            let mut found: Vec<&Message> = t
                .messages
                .values()
                .filter(|m| {
                    let text = format!("{} {} {} {}", m.from.name, m.from.address, m.subject, m.preview).to_lowercase();
                    terms.iter().all(|term| text.contains(term.as_str()))
                })
                .collect();
            found.sort_by(|a, b| b.sent.cmp(&a.sent).then_with(|| a.core.cmp(&b.core)));
            found.truncate(SEARCH_RESULTS_MOST);
            found
        }
        None => {
            let mut every: Vec<&Message> = t.messages.values().collect();
            every.sort_by(|a, b| b.received.cmp(&a.received).then_with(|| a.core.cmp(&b.core)));
            every
        }
    };
    let total = all.len();
    let page: Vec<&Message> = all.drain(skip.min(total)..).take(top).collect();
    let base = app.base_url();
    let value: Vec<Value> =
        page.iter().map(|m| message_json(&t, m, &base, &prefer, q.select.as_deref(), q.expand.as_deref())).collect();
    let mut body = json!({"@odata.context": entity_context(&base, "users('me')/messages"), "value": value});
    if skip + top < total {
        let mut next =
            url::Url::parse(&format!("{base}/v1.0/me/messages")).map_err(|_| GraphError::bad_request("bad url"))?;
        {
            let mut qp = next.query_pairs_mut();
            if let Some(terms) = &search {
                qp.append_pair("$search", terms);
            }
            if let Some(s) = &q.select {
                qp.append_pair("$select", &s.join(","));
            }
            qp.append_pair("$top", &top.to_string()).append_pair("$skip", &(skip + top).to_string());
        }
        body["@odata.nextLink"] = json!(next.as_str());
    }
    Ok(with_preference(json_response(StatusCode::OK, &body), &prefer, true))
}

pub(crate) async fn get_message(
    State(app): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> GraphResult {
    let q = Query::parse(raw.as_deref())?;
    let prefer = Prefer::from_headers(&headers);
    let t = app.tenant.read().unwrap_or_else(|e| e.into_inner());
    let key = find_message(&t, &id)?;
    let m = &t.messages[&key];
    let mut v = message_json(&t, m, &app.base_url(), &prefer, q.select.as_deref(), q.expand.as_deref());
    v["@odata.context"] = json!(entity_context(&app.base_url(), "users('me')/messages/$entity"));
    Ok(with_preference(json_response(StatusCode::OK, &v), &prefer, true))
}

pub(crate) async fn patch_message(
    State(app): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> GraphResult {
    let patch = parse_body(&body)?;
    let Value::Object(patch) = patch else {
        return Err(GraphError::bad_request("The request body must be a JSON object."));
    };
    let prefer = Prefer::from_headers(&headers);
    let now = app.clock.now();
    let mut t = app.tenant.write().unwrap_or_else(|e| e.into_inner());
    let key = find_message(&t, &id)?;
    let is_draft = t.messages[&key].is_draft;
    // Validate everything before changing anything: a PATCH applies whole or not at all.
    for (k, v) in &patch {
        match k.as_str() {
            "isRead" if !v.is_boolean() => {
                return Err(GraphError::bad_request("Invalid value for property 'isRead': a Boolean is required."))
            }
            "categories" if !v.as_array().is_some_and(|a| a.iter().all(Value::is_string)) => {
                return Err(GraphError::bad_request("Invalid value for property 'categories'."))
            }
            "flag" => {
                let status = v.get("flagStatus").and_then(Value::as_str);
                if !matches!(status, Some("notFlagged" | "flagged" | "complete")) {
                    return Err(GraphError::bad_request(
                        "Invalid value for property 'flag': flagStatus must be notFlagged, flagged or complete.",
                    ));
                }
            }
            "importance" if !matches!(v.as_str(), Some("low" | "normal" | "high")) => {
                return Err(GraphError::bad_request("Invalid value for property 'importance'."))
            }
            "subject" | "body" | "toRecipients" | "ccRecipients" if !is_draft => {
                return Err(GraphError::new(
                    StatusCode::BAD_REQUEST,
                    "ErrorInvalidPropertyUpdateSentMessage",
                    "Update operation is invalid for property of a sent message.",
                ));
            }
            "isRead"
            | "categories"
            | "importance"
            | "inferenceClassification"
            | "subject"
            | "body"
            | "toRecipients"
            | "ccRecipients" => {}
            other => return Err(GraphError::bad_request(format!("The property '{other}' cannot be updated."))),
        }
    }
    t.update_message(&key, now, |m| {
        for (k, v) in &patch {
            match k.as_str() {
                "isRead" => m.is_read = v.as_bool().unwrap_or(m.is_read),
                "categories" => {
                    m.categories = v
                        .as_array()
                        .map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_owned)).collect())
                        .unwrap_or_default()
                }
                "flag" => {
                    m.flag_status = v["flagStatus"].as_str().unwrap_or("notFlagged").to_owned();
                    m.flag_extra = v
                        .as_object()
                        .map(|o| {
                            o.iter().filter(|(k, _)| *k != "flagStatus").map(|(k, v)| (k.clone(), v.clone())).collect()
                        })
                        .unwrap_or_default();
                }
                "importance" => {
                    m.importance = match v.as_str() {
                        Some("low") => "low",
                        Some("high") => "high",
                        _ => "normal",
                    }
                }
                "inferenceClassification" => {
                    m.inference = if v.as_str() == Some("other") { "other" } else { "focused" }
                }
                "subject" => m.subject = v.as_str().unwrap_or_default().to_owned(),
                "body" => {
                    let html = !v["contentType"].as_str().is_some_and(|c| c.eq_ignore_ascii_case("text"));
                    let content = v["content"].as_str().unwrap_or_default().to_owned();
                    m.preview = content::preview(&if html { content::html_to_text(&content) } else { content.clone() });
                    m.body = BodySource::Given { html, content };
                }
                "toRecipients" => m.to = recipients(v),
                "ccRecipients" => m.cc = recipients(v),
                _ => {}
            }
        }
    });
    let mut v = message_json(&t, &t.messages[&key], &app.base_url(), &prefer, None, None);
    v["@odata.context"] = json!(entity_context(&app.base_url(), "users('me')/messages/$entity"));
    Ok(json_response(StatusCode::OK, &v))
}

pub(super) fn recipients(v: &Value) -> Vec<Person> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|r| {
                    let addr = r["emailAddress"]["address"].as_str()?;
                    Some(Person {
                        name: r["emailAddress"]["name"].as_str().unwrap_or(addr).to_owned(),
                        address: addr.to_owned(),
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

pub(crate) async fn delete_message(State(app): State<AppState>, Path(id): Path<String>) -> GraphResult {
    let mut t = app.tenant.write().unwrap_or_else(|e| e.into_inner());
    let key = find_message(&t, &id)?;
    t.delete_message(&key);
    Ok(StatusCode::NO_CONTENT.into_response())
}

pub(crate) async fn move_message(
    State(app): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> GraphResult {
    let req = parse_body(&body)?;
    let Some(dest) = req["destinationId"].as_str() else {
        return Err(GraphError::bad_request("The destinationId parameter is required."));
    };
    let prefer = Prefer::from_headers(&headers);
    let now = app.clock.now();
    let mut t = app.tenant.write().unwrap_or_else(|e| e.into_inner());
    let key = find_message(&t, &id)?;
    let dest = find_folder(&t, dest)?.id.clone();
    t.move_message(&key, &dest, now);
    let mut v = message_json(&t, &t.messages[&key], &app.base_url(), &prefer, None, None);
    v["@odata.context"] = json!(entity_context(&app.base_url(), "users('me')/messages/$entity"));
    Ok(json_response(StatusCode::CREATED, &v))
}

/// A new message from the member, in `folder`.
#[allow(clippy::too_many_arguments)] // each is one field of the message; a struct would only rename them
pub(super) fn new_outgoing(
    t: &mut Tenant,
    folder: &str,
    subject: String,
    to: Vec<Person>,
    cc: Vec<Person>,
    body: BodySource,
    now: DateTime<Utc>,
    draft: bool,
    reply_to: Option<&Message>,
) -> String {
    let core = ids::core(&mut t.rng);
    let text = match &body {
        BodySource::Given { html: true, content: c } => content::html_to_text(c),
        BodySource::Given { content: c, .. } => c.clone(),
        BodySource::Generated { .. } => String::new(),
    };
    let (conversation_id, conversation_index) = match reply_to {
        Some(r) => (r.conversation_id.clone(), format!("{}AAAB", r.conversation_index)),
        None => (ids::conversation_id(&ids::core(&mut t.rng)), format!("Ad{}", ids::core(&mut t.rng))),
    };
    let me = t.member_person();
    t.insert_message(Message {
        core: core.clone(),
        moves: 0,
        folder: folder.to_owned(),
        created: now,
        modified: now,
        received: now,
        sent: now,
        subject,
        from: me,
        to,
        cc,
        conversation_id,
        conversation_index,
        internet_message_id: format!("<{}@{}>", &core[..16], content::DOMAIN),
        is_read: true,
        is_draft: draft,
        importance: "normal",
        inference: "focused",
        flag_status: "notFlagged".into(),
        flag_extra: Map::new(),
        categories: vec![],
        body,
        preview: content::preview(&text),
        attachments: vec![],
        event_id: None,
        in_reply_to: reply_to.map(|r| r.core.clone()),
        version: 0,
    })
}

pub(super) fn reply_body(comment: &str, original: &Message, quoted: &str) -> BodySource {
    let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    BodySource::Given {
        html: true,
        content: format!(
            "<html><body><div>{}</div><hr><div><b>From:</b> {}<br><b>Sent:</b> {}<br><b>Subject:</b> {}</div><div>{}</div></body></html>",
            esc(comment).replace('\n', "<br>"),
            esc(&original.from.name),
            original.sent.format("%d %B %Y %H:%M"),
            esc(&original.subject),
            esc(quoted).replace('\n', "<br>"),
        ),
    }
}

fn reply_subject(s: &str) -> String {
    if s.to_ascii_lowercase().starts_with("re:") {
        s.to_owned()
    } else {
        format!("RE: {s}")
    }
}

pub(crate) async fn create_reply(
    State(app): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> GraphResult {
    create_reply_draft(&app, &id, &headers, &body, false)
}

/// `createReplyAll`: as `createReply`, addressed to the sender and everyone else on the
/// original but the member.
pub(crate) async fn create_reply_all(
    State(app): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> GraphResult {
    create_reply_draft(&app, &id, &headers, &body, true)
}

fn create_reply_draft(app: &AppState, id: &str, headers: &HeaderMap, body: &Bytes, all: bool) -> GraphResult {
    let req = parse_body(body)?;
    if req.get("comment").is_some() && req.get("message").and_then(|m| m.get("body")).is_some() {
        return Err(GraphError::bad_request(
            "Specify either a comment or the body property of the message parameter, not both.",
        ));
    }
    let prefer = Prefer::from_headers(headers);
    let now = app.clock.now();
    let mut t = app.tenant.write().unwrap_or_else(|e| e.into_inner());
    let key = find_message(&t, id)?;
    let drafts = find_folder(&t, "drafts")?.id.clone();
    let original = &t.messages[&key];
    let comment =
        req["comment"].as_str().or_else(|| req["message"]["body"]["content"].as_str()).unwrap_or("").to_owned();
    let quoted = t.render_body(original, &app.base_url()).unique_text;
    let body = reply_body(&comment, original, &quoted);
    let subject = reply_subject(&original.subject);
    let me = t.user.mail.to_lowercase();
    let not_me = |p: &&crate::content::Person| p.address.to_lowercase() != me;
    let mut to = vec![original.from.clone()];
    let mut cc = vec![];
    if all {
        to.extend(original.to.iter().filter(not_me).filter(|p| p.address != original.from.address).cloned());
        cc.extend(original.cc.iter().filter(not_me).cloned());
    }
    // Detach the original so the new message can borrow the tenant mutably.
    let original_core = original.core.clone();
    let reply_to = t.messages.remove(&original_core);
    let draft = new_outgoing(&mut t, &drafts, subject, to, cc, body, now, true, reply_to.as_ref());
    if let Some(m) = reply_to {
        t.messages.insert(original_core, m);
    }
    let mut v = message_json(&t, &t.messages[&draft], &app.base_url(), &prefer, None, None);
    v["@odata.context"] = json!(entity_context(&app.base_url(), "users('me')/messages/$entity"));
    Ok(json_response(StatusCode::CREATED, &v))
}

pub(crate) async fn reply(State(app): State<AppState>, Path(id): Path<String>, body: Bytes) -> GraphResult {
    let req = parse_body(&body)?;
    let now = app.clock.now();
    let mut t = app.tenant.write().unwrap_or_else(|e| e.into_inner());
    let key = find_message(&t, &id)?;
    let sent = find_folder(&t, "sentitems")?.id.clone();
    let original = &t.messages[&key];
    let comment = req["comment"].as_str().unwrap_or("").to_owned();
    let quoted = t.render_body(original, &app.base_url()).unique_text;
    let body = reply_body(&comment, original, &quoted);
    let subject = reply_subject(&original.subject);
    let to = vec![original.from.clone()];
    let original_core = original.core.clone();
    t.sent.push(SentMail {
        to: to.iter().map(|p| p.address.clone()).collect(),
        cc: vec![],
        subject: subject.clone(),
        body: comment,
        via: "reply".into(),
        sent_at: now,
        attachments: vec![],
    });
    let reply_to = t.messages.remove(&original_core);
    new_outgoing(&mut t, &sent, subject, to, vec![], body, now, false, reply_to.as_ref());
    if let Some(m) = reply_to {
        t.messages.insert(original_core, m);
    }
    Ok(crate::odata::accepted())
}

pub(crate) async fn send_draft(State(app): State<AppState>, Path(id): Path<String>) -> GraphResult {
    let now = app.clock.now();
    let mut t = app.tenant.write().unwrap_or_else(|e| e.into_inner());
    let key = find_message(&t, &id)?;
    if !t.messages[&key].is_draft {
        return Err(GraphError::new(StatusCode::BAD_REQUEST, "ErrorInvalidOperation", "Only a draft can be sent."));
    }
    if t.messages[&key].to.is_empty() {
        return Err(GraphError::new(
            StatusCode::BAD_REQUEST,
            "ErrorInvalidRecipients",
            "At least one recipient isn't valid.",
        ));
    }
    let sent = find_folder(&t, "sentitems")?.id.clone();
    let m = &t.messages[&key];
    let body = t.render_body(m, &app.base_url()).text;
    let record = SentMail {
        to: m.to.iter().map(|p| p.address.clone()).collect(),
        cc: m.cc.iter().map(|p| p.address.clone()).collect(),
        subject: m.subject.clone(),
        body,
        via: "send".into(),
        sent_at: now,
        attachments: m.attachments.iter().map(|a| (a.name.clone(), a.bytes())).collect(),
    };
    t.sent.push(record);
    t.update_message(&key, now, |m| {
        m.is_draft = false;
        m.sent = now;
    });
    t.move_message(&key, &sent, now);
    Ok(crate::odata::accepted())
}

/// `POST /me/messages`: a new draft in Drafts, to be sent later with `/send`.
pub(crate) async fn create_draft(State(app): State<AppState>, headers: HeaderMap, body: Bytes) -> GraphResult {
    let message = parse_body(&body)?;
    if !message.is_object() {
        return Err(GraphError::bad_request("The request body must be a message."));
    }
    let prefer = Prefer::from_headers(&headers);
    let now = app.clock.now();
    let mut t = app.tenant.write().unwrap_or_else(|e| e.into_inner());
    let drafts = find_folder(&t, "drafts")?.id.clone();
    let html = message["body"]["contentType"].as_str().is_some_and(|c| c.eq_ignore_ascii_case("html"));
    let content = message["body"]["content"].as_str().unwrap_or("").to_owned();
    let subject = message["subject"].as_str().unwrap_or("").to_owned();
    let key = new_outgoing(
        &mut t,
        &drafts,
        subject,
        recipients(&message["toRecipients"]),
        recipients(&message["ccRecipients"]),
        BodySource::Given { html, content },
        now,
        true,
        None,
    );
    let mut v = message_json(&t, &t.messages[&key], &app.base_url(), &prefer, None, None);
    v["@odata.context"] = json!(entity_context(&app.base_url(), "users('me')/messages/$entity"));
    Ok(json_response(StatusCode::CREATED, &v))
}

pub(crate) async fn send_mail(State(app): State<AppState>, body: Bytes) -> GraphResult {
    let req = parse_body(&body)?;
    let Some(message) = req.get("message").filter(|m| m.is_object()) else {
        return Err(GraphError::new(
            StatusCode::BAD_REQUEST,
            "ErrorInvalidParameter",
            "The message parameter is required.",
        ));
    };
    let to = recipients(&message["toRecipients"]);
    if to.is_empty() {
        return Err(GraphError::new(
            StatusCode::BAD_REQUEST,
            "ErrorInvalidRecipients",
            "At least one recipient isn't valid.",
        ));
    }
    let cc = recipients(&message["ccRecipients"]);
    let subject = message["subject"].as_str().unwrap_or("").to_owned();
    let html = message["body"]["contentType"].as_str().is_some_and(|c| c.eq_ignore_ascii_case("html"));
    let content = message["body"]["content"].as_str().unwrap_or("").to_owned();
    let mut attachments = Vec::new();
    let now = app.clock.now();
    let mut t = app.tenant.write().unwrap_or_else(|e| e.into_inner());
    for a in message["attachments"].as_array().into_iter().flatten() {
        let bytes = a["contentBytes"].as_str().map(|b| STANDARD.decode(b)).transpose().map_err(|_| {
            GraphError::new(StatusCode::BAD_REQUEST, "ErrorInvalidParameter", "contentBytes is not valid base64.")
        })?;
        let bytes = bytes.unwrap_or_default();
        attachments.push(Attachment {
            id: ids::attachment_id(&ids::core(&mut t.rng)),
            name: a["name"].as_str().unwrap_or("attachment").to_owned(),
            content_type: a["contentType"].as_str().unwrap_or("application/octet-stream").to_owned(),
            size: bytes.len(),
            is_inline: a["isInline"].as_bool().unwrap_or(false),
            content_id: a["contentId"].as_str().map(str::to_owned),
            modified: now,
            content: AttachmentContent::Given(bytes),
        });
    }
    t.sent.push(SentMail {
        to: to.iter().map(|p| p.address.clone()).collect(),
        cc: cc.iter().map(|p| p.address.clone()).collect(),
        subject: subject.clone(),
        body: content.clone(),
        via: "sendMail".into(),
        sent_at: now,
        attachments: vec![],
    });
    if req["saveToSentItems"].as_bool() != Some(false) {
        let sent = find_folder(&t, "sentitems")?.id.clone();
        let key = new_outgoing(&mut t, &sent, subject, to, cc, BodySource::Given { html, content }, now, false, None);
        if let Some(m) = t.messages.get_mut(&key) {
            m.attachments = attachments;
        }
    }
    Ok(crate::odata::accepted())
}

pub(crate) async fn list_attachments(
    State(app): State<AppState>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> GraphResult {
    let q = Query::parse(raw.as_deref())?;
    let select = attachment_select(q.select)?;
    let t = app.tenant.read().unwrap_or_else(|e| e.into_inner());
    let key = find_message(&t, &id)?;
    let value: Vec<Value> =
        t.messages[&key].attachments.iter().map(|a| attachment_json(a, select.as_deref())).collect();
    Ok(json_response(
        StatusCode::OK,
        &json!({"@odata.context": entity_context(&app.base_url(), "users('me')/messages('id')/attachments"), "value": value}),
    ))
}

/// `$select` on attachments as Graph reads it: the collection's type is the base
/// `attachment`, so a file attachment's own properties must be named through a type cast
/// (`microsoft.graph.fileAttachment/contentId`); named plainly, Graph refuses the request.
fn attachment_select(select: Option<Vec<String>>) -> GraphResult<Option<Vec<String>>> {
    const CAST: &str = "microsoft.graph.fileattachment/";
    let Some(select) = select else { return Ok(None) };
    select
        .into_iter()
        .map(|name| {
            let lower = name.to_ascii_lowercase();
            if let Some(property) = lower.strip_prefix(CAST) {
                return Ok(name[name.len() - property.len()..].to_owned());
            }
            if matches!(lower.as_str(), "contentid" | "contentlocation" | "contentbytes") {
                return Err(GraphError::new(
                    StatusCode::BAD_REQUEST,
                    "RequestBroker--ParseUri",
                    format!("Could not find a property named '{name}' on type 'microsoft.graph.attachment'."),
                ));
            }
            Ok(name)
        })
        .collect::<GraphResult<Vec<_>>>()
        .map(Some)
}

fn find_attachment<'a>(t: &'a Tenant, id: &str, aid: &str) -> GraphResult<&'a Attachment> {
    let key = find_message(t, id)?;
    t.messages[&key].attachments.iter().find(|a| a.id == aid).ok_or_else(|| GraphError::not_found("attachment"))
}

pub(crate) async fn get_attachment(
    State(app): State<AppState>,
    Path((id, aid)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
) -> GraphResult {
    let q = Query::parse(raw.as_deref())?;
    let select = attachment_select(q.select)?;
    let t = app.tenant.read().unwrap_or_else(|e| e.into_inner());
    let mut v = attachment_json(find_attachment(&t, &id, &aid)?, select.as_deref());
    v["@odata.context"] = json!(entity_context(&app.base_url(), "users('me')/messages('id')/attachments/$entity"));
    Ok(json_response(StatusCode::OK, &v))
}

pub(crate) async fn attachment_value(
    State(app): State<AppState>,
    Path((id, aid)): Path<(String, String)>,
) -> GraphResult {
    let t = app.tenant.read().unwrap_or_else(|e| e.into_inner());
    let a = find_attachment(&t, &id, &aid)?;
    let bytes = a.bytes();
    Ok((StatusCode::OK, [(header::CONTENT_TYPE, a.content_type.clone())], bytes).into_response())
}

/// Draws a new inbox message for the timeline (kept here beside the other message makers).
pub(crate) fn incoming(
    t: &mut Tenant,
    kind: BodyKind,
    from: Person,
    subject: String,
    received: DateTime<Utc>,
    attachments: Vec<Attachment>,
    event_id: Option<String>,
) -> String {
    let inbox = t.folder("inbox").map(|f| f.id.clone()).unwrap_or_default();
    let core = ids::core(&mut t.rng);
    let seed: u64 = t.rng.random();
    let me = t.member_person();
    let mut m = Message {
        core: core.clone(),
        moves: 0,
        folder: inbox,
        created: received,
        modified: received,
        received,
        sent: received - chrono::Duration::seconds(20),
        subject,
        from,
        to: vec![me],
        cc: vec![],
        conversation_id: ids::conversation_id(&ids::core(&mut t.rng)),
        conversation_index: format!("Ad{}", ids::core(&mut t.rng)),
        internet_message_id: format!("<{}@{}>", &core[..16], content::DOMAIN),
        is_read: false,
        is_draft: false,
        importance: "normal",
        inference: if kind == BodyKind::Newsletter { "other" } else { "focused" },
        flag_status: "notFlagged".into(),
        flag_extra: Map::new(),
        categories: vec![],
        body: BodySource::Generated { kind, seed },
        preview: String::new(),
        attachments,
        event_id,
        in_reply_to: None,
        version: 0,
    };
    m.preview = content::preview(&t.render_body(&m, "").unique_text);
    t.insert_message(m)
}

/// Gives the message `key` (just delivered) `html` as its body, exactly as given; returns its
/// immutable id.
pub(crate) fn given_html(t: &mut Tenant, key: &str, html: &str) -> String {
    if let Some(m) = t.messages.get_mut(key) {
        m.body = BodySource::Given { html: true, content: html.to_owned() };
    }
    let preview = t.messages.get(key).map(|m| content::preview(&t.render_body(m, "").unique_text)).unwrap_or_default();
    if let Some(m) = t.messages.get_mut(key) {
        m.preview = preview;
    }
    ids::message_immutable(key)
}
