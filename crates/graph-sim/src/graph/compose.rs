//! Forwarding and files on outgoing mail: `createForward`, a file attached in one request
//! (up to 3 MB, as Graph allows), and an upload session for larger files, taken a piece at a
//! time at an address that carries its own authorisation (as Outlook's does), and resumable
//! from what it says it still expects.

use super::mail::{
    attachment_json, entity_context, find_folder, find_message, message_json, new_outgoing, recipients, reply_body,
};
use super::parse_body;
use crate::ids;
use crate::odata::{json_response, ts, GraphError, GraphResult, Prefer};
use crate::server::AppState;
use crate::tenant::{Attachment, AttachmentContent, UploadSession};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::IntoResponse;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::{json, Value};
use std::collections::HashMap;

/// The most one request may attach: larger files need an upload session.
pub(crate) const DIRECT_ATTACHMENT_LIMIT: usize = 3 * 1024 * 1024;
/// The most an upload session takes (Outlook's limit for a file on a message).
const UPLOAD_SESSION_LIMIT: usize = 150 * 1024 * 1024;
/// The most one piece of an upload may carry.
pub(crate) const UPLOAD_PIECE_LIMIT: usize = 4 * 1024 * 1024;

/// `createForward`: a draft in Drafts forwarding the message, with its files, to the
/// recipients given, the member's comment above the original.
pub(crate) async fn create_forward(
    State(app): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> GraphResult {
    let req = parse_body(&body)?;
    let prefer = Prefer::from_headers(&headers);
    let now = app.clock.now();
    let mut t = app.tenant.write().unwrap_or_else(|e| e.into_inner());
    let key = find_message(&t, &id)?;
    let drafts = find_folder(&t, "drafts")?.id.clone();
    let original = &t.messages[&key];
    let comment = req["comment"].as_str().unwrap_or("").to_owned();
    let quoted = t.render_body(original, &app.base_url()).unique_text;
    let body = reply_body(&comment, original, &quoted);
    let subject = if original.subject.to_ascii_lowercase().starts_with("fw:") {
        original.subject.clone()
    } else {
        format!("FW: {}", original.subject)
    };
    let mut to = recipients(&req["toRecipients"]);
    to.extend(recipients(&req["message"]["toRecipients"]));
    let cc = recipients(&req["message"]["ccRecipients"]);
    let files: Vec<Attachment> = original.attachments.clone();
    let draft = new_outgoing(&mut t, &drafts, subject, to, cc, body, now, true, None);
    let mut files = files;
    for f in &mut files {
        f.id = ids::attachment_id(&ids::core(&mut t.rng));
    }
    t.update_message(&draft, now, |m| m.attachments = files);
    let mut v = message_json(&t, &t.messages[&draft], &app.base_url(), &prefer, None, None);
    v["@odata.context"] = json!(entity_context(&app.base_url(), "users('me')/messages/$entity"));
    Ok(json_response(StatusCode::CREATED, &v))
}

fn draft_key(t: &crate::tenant::Tenant, id: &str) -> GraphResult<String> {
    let key = find_message(t, id)?;
    if !t.messages[&key].is_draft {
        return Err(GraphError::new(
            StatusCode::BAD_REQUEST,
            "ErrorInvalidOperation",
            "Attachments can be added only to a draft in this simulator.",
        ));
    }
    Ok(key)
}

/// `POST …/attachments` with a `fileAttachment` of at most 3 MB.
pub(crate) async fn add_attachment(State(app): State<AppState>, Path(id): Path<String>, body: Bytes) -> GraphResult {
    let req = parse_body(&body)?;
    if req["@odata.type"] != "#microsoft.graph.fileAttachment" {
        return Err(GraphError::bad_request("Only a #microsoft.graph.fileAttachment can be added here."));
    }
    let name = req["name"]
        .as_str()
        .filter(|n| !n.trim().is_empty())
        .ok_or_else(|| GraphError::bad_request("The attachment needs a name."))?;
    let bytes = STANDARD
        .decode(req["contentBytes"].as_str().unwrap_or_default())
        .map_err(|_| GraphError::bad_request("contentBytes is not valid base64."))?;
    if bytes.len() > DIRECT_ATTACHMENT_LIMIT {
        return Err(GraphError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "ErrorRequestEntityTooLarge",
            "The attachment is larger than 3 MB: use an upload session.",
        ));
    }
    let now = app.clock.now();
    let mut t = app.tenant.write().unwrap_or_else(|e| e.into_inner());
    let key = draft_key(&t, &id)?;
    let file = Attachment {
        id: ids::attachment_id(&ids::core(&mut t.rng)),
        name: name.to_owned(),
        content_type: req["contentType"].as_str().unwrap_or("application/octet-stream").to_owned(),
        size: bytes.len(),
        is_inline: false,
        content_id: None,
        modified: now,
        content: AttachmentContent::Given(bytes),
    };
    let mut v = attachment_json(&file, Some(&[]));
    v["@odata.context"] = json!(entity_context(&app.base_url(), "users('me')/messages('id')/attachments/$entity"));
    t.update_message(&key, now, |m| m.attachments.push(file));
    Ok(json_response(StatusCode::CREATED, &v))
}

/// `POST …/attachments/createUploadSession`: where to send a large file's pieces.
pub(crate) async fn create_upload_session(
    State(app): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> GraphResult {
    let req = parse_body(&body)?;
    let item = &req["AttachmentItem"];
    if item["attachmentType"] != "file" {
        return Err(GraphError::bad_request("AttachmentItem.attachmentType must be file."));
    }
    let name = item["name"].as_str().filter(|n| !n.trim().is_empty());
    let size = item["size"].as_u64().map(|s| s as usize);
    let (Some(name), Some(size)) = (name, size) else {
        return Err(GraphError::bad_request("AttachmentItem needs a name and a size."));
    };
    if size == 0 || size > UPLOAD_SESSION_LIMIT {
        return Err(GraphError::bad_request("The attachment's size must be between 1 byte and 150 MB."));
    }
    let now = app.clock.now();
    let mut t = app.tenant.write().unwrap_or_else(|e| e.into_inner());
    let message = draft_key(&t, &id)?;
    let session = ids::core(&mut t.rng);
    let token = ids::core(&mut t.rng);
    let expires = now + chrono::Duration::hours(6);
    t.upload_sessions.insert(
        session.clone(),
        UploadSession {
            message,
            message_id: id.clone(),
            name: name.to_owned(),
            content_type: item["contentType"].as_str().unwrap_or("application/octet-stream").to_owned(),
            size,
            received: Vec::new(),
            token: token.clone(),
            expires,
        },
    );
    Ok(json_response(
        StatusCode::CREATED,
        &json!({
            "@odata.context": entity_context(&app.base_url(), "microsoft.graph.uploadSession"),
            "uploadUrl": format!("{}/upload/attachments/{session}?authtoken={token}", app.base_url()),
            "expirationDateTime": ts(expires),
            "nextExpectedRanges": ["0-"],
        }),
    ))
}

fn session_answer(s: &UploadSession) -> Value {
    json!({"expirationDateTime": ts(s.expires), "nextExpectedRanges": [format!("{}-", s.received.len())]})
}

/// The session, if the address's token is its own (and it has not expired).
fn check_session(
    t: &crate::tenant::Tenant,
    session: &str,
    query: &HashMap<String, String>,
    now: chrono::DateTime<chrono::Utc>,
) -> GraphResult<()> {
    let s = t.upload_sessions.get(session).ok_or_else(|| GraphError::not_found("upload session"))?;
    if query.get("authtoken") != Some(&s.token) {
        return Err(GraphError::new(StatusCode::UNAUTHORIZED, "InvalidAuthenticationToken", "Bad upload token."));
    }
    if s.expires < now {
        return Err(GraphError::not_found("upload session"));
    }
    Ok(())
}

/// `GET` on an upload address: what the session still expects.
pub(crate) async fn upload_status(
    State(app): State<AppState>,
    Path(session): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> GraphResult {
    let t = app.tenant.read().unwrap_or_else(|e| e.into_inner());
    check_session(&t, &session, &query, app.clock.now())?;
    Ok(json_response(StatusCode::OK, &session_answer(&t.upload_sessions[&session])))
}

/// `PUT` on an upload address: one piece, `Content-Range: bytes {first}-{last}/{total}`, in
/// order. The last piece puts the file on the draft (`201 Created`).
pub(crate) async fn upload_piece(
    State(app): State<AppState>,
    Path(session): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: Bytes,
) -> GraphResult {
    if headers.contains_key(header::AUTHORIZATION) {
        // Outlook's upload addresses refuse a bearer token: the address is the authorisation.
        return Err(GraphError::new(
            StatusCode::UNAUTHORIZED,
            "InvalidAuthenticationToken",
            "Do not send an Authorization header to an upload URL.",
        ));
    }
    let range = headers
        .get(header::CONTENT_RANGE)
        .and_then(|v| v.to_str().ok())
        .and_then(parse_content_range)
        .ok_or_else(|| GraphError::bad_request("Content-Range is missing or not valid."))?;
    let now = app.clock.now();
    let mut t = app.tenant.write().unwrap_or_else(|e| e.into_inner());
    check_session(&t, &session, &query, now)?;
    let s = t.upload_sessions.get_mut(&session).ok_or_else(|| GraphError::not_found("upload session"))?;
    let (first, last, total) = range;
    if total != s.size || last + 1 - first != body.len() || body.len() > UPLOAD_PIECE_LIMIT {
        return Err(GraphError::bad_request("The piece does not match its Content-Range or the session's size."));
    }
    if first != s.received.len() {
        return Err(GraphError::new(
            StatusCode::RANGE_NOT_SATISFIABLE,
            "InvalidRange",
            format!("The session expects bytes from {}.", s.received.len()),
        ));
    }
    s.received.extend_from_slice(&body);
    if s.received.len() < s.size {
        return Ok(json_response(StatusCode::OK, &session_answer(s)));
    }
    let done = t.upload_sessions.remove(&session).ok_or_else(|| GraphError::not_found("upload session"))?;
    let file = Attachment {
        id: ids::attachment_id(&ids::core(&mut t.rng)),
        name: done.name,
        content_type: done.content_type,
        size: done.size,
        is_inline: false,
        content_id: None,
        modified: now,
        content: AttachmentContent::Given(done.received),
    };
    let location = format!("{}/v1.0/me/messages/{}/attachments/{}", app.base_url(), done.message_id, file.id);
    t.update_message(&done.message, now, |m| m.attachments.push(file));
    Ok((StatusCode::CREATED, [(header::LOCATION, location)]).into_response())
}

/// `bytes {first}-{last}/{total}`.
fn parse_content_range(v: &str) -> Option<(usize, usize, usize)> {
    let (range, total) = v.strip_prefix("bytes ")?.split_once('/')?;
    let (first, last) = range.split_once('-')?;
    let (first, last, total) = (first.parse().ok()?, last.parse().ok()?, total.parse().ok()?);
    (first <= last && last < total).then_some((first, last, total))
}
