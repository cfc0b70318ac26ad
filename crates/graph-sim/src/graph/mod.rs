//! The Graph v1.0 endpoints, under `/v1.0`.

mod batch;
mod calendar;
mod compose;
mod contacts;
mod directory;
mod drive;
pub(crate) mod lists;
pub(crate) mod mail;
mod me;
mod rest;
mod sites;

use crate::delta::{select_page, DeltaState};
use crate::odata::{GraphError, GraphResult, Prefer, Query};
use crate::server::AppState;
use crate::tenant::{Change, CollectionKey, Tenant};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post};
use axum::Router;
use serde_json::{json, Value};

pub(crate) use batch::BatchInner;
pub(crate) use mail::incoming;

/// Every Graph route. Layers (auth, faults, request ids) are added by the server.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1.0/me", get(me::me))
        .route("/v1.0/me/photo", get(me::photo_meta))
        .route("/v1.0/me/photo/$value", get(me::photo_value))
        .route("/v1.0/me/mailFolders", get(mail::list_folders))
        .route("/v1.0/me/mailFolders/delta", get(mail::folders_delta))
        .route("/v1.0/me/mailFolders/{folder}", get(mail::get_folder))
        .route("/v1.0/me/mailFolders/{folder}/childFolders", get(mail::child_folders))
        .route("/v1.0/me/mailFolders/{folder}/messages", get(mail::list_messages))
        .route("/v1.0/me/mailFolders/{folder}/messages/delta", get(mail::messages_delta))
        .route("/v1.0/me/messages", get(mail::list_all_messages).post(mail::create_draft))
        .route("/v1.0/me/messages/{id}", get(mail::get_message).patch(mail::patch_message).delete(mail::delete_message))
        .route("/v1.0/me/messages/{id}/move", post(mail::move_message))
        .route("/v1.0/me/messages/{id}/createReply", post(mail::create_reply))
        .route("/v1.0/me/messages/{id}/createReplyAll", post(mail::create_reply_all))
        .route("/v1.0/me/messages/{id}/reply", post(mail::reply))
        .route("/v1.0/me/messages/{id}/send", post(mail::send_draft))
        .route("/v1.0/me/messages/{id}/createForward", post(compose::create_forward))
        .route(
            "/v1.0/me/messages/{id}/attachments",
            get(mail::list_attachments)
                .post(compose::add_attachment)
                // 3 MB of file in base64, in JSON.
                .layer(axum::extract::DefaultBodyLimit::max(compose::DIRECT_ATTACHMENT_LIMIT / 3 * 4 + 64 * 1024)),
        )
        .route("/v1.0/me/messages/{id}/attachments/createUploadSession", post(compose::create_upload_session))
        .route("/v1.0/me/messages/{id}/attachments/{aid}", get(mail::get_attachment))
        .route("/v1.0/me/messages/{id}/attachments/{aid}/$value", get(mail::attachment_value))
        .route("/v1.0/me/sendMail", post(mail::send_mail))
        .route(
            "/v1.0/me/drive/{*item}",
            get(drive::get_content)
                .put(drive::put_content)
                .layer(axum::extract::DefaultBodyLimit::max(drive::SIMPLE_UPLOAD_LIMIT + 1)),
        )
        .route("/v1.0/me/calendarView", get(calendar::calendar_view))
        .route("/v1.0/me/calendarView/delta", get(calendar::calendar_view_delta))
        .route("/v1.0/me/events/{id}", get(calendar::get_event).delete(calendar::delete_event))
        .route("/v1.0/me/events/{id}/accept", post(calendar::accept))
        .route("/v1.0/me/events/{id}/decline", post(calendar::decline))
        .route("/v1.0/me/events/{id}/tentativelyAccept", post(calendar::tentatively_accept))
        .route("/v1.0/me/contactFolders", get(contacts::list_folders))
        .route("/v1.0/me/contactFolders/delta", get(contacts::folders_delta))
        .route("/v1.0/me/contactFolders/{folder}/contacts/delta", get(contacts::folder_contacts_delta))
        .route("/v1.0/me/contacts", get(contacts::list_default))
        .route("/v1.0/me/contacts/delta", get(contacts::default_contacts_delta))
        .route("/v1.0/me/contacts/{id}", get(contacts::get_contact).delete(contacts::delete_contact))
        .route("/v1.0/users/delta", get(directory::users_delta))
        .route("/v1.0/sites/{site}", get(sites::get_site))
        // `/sites/{hostname}:/sites/{path}`: the hostname segment ends in a colon.
        .route("/v1.0/sites/{host}/sites/{path}", get(sites::get_site_by_path))
        .route("/v1.0/sites/{site}/permissions", get(sites::list_permissions).post(sites::create_permission))
        .route("/v1.0/sites/{site}/lists", get(lists::get_lists).post(lists::create_list))
        .route("/v1.0/sites/{site}/lists/{list}", get(lists::get_list))
        .route("/v1.0/sites/{site}/lists/{list}/columns", get(lists::get_columns).post(lists::create_column))
        .route("/v1.0/sites/{site}/lists/{list}/columns/{column}", patch(lists::update_column))
        .route("/v1.0/sites/{site}/lists/{list}/items", get(lists::list_items).post(lists::create_item))
        .route("/v1.0/sites/{site}/lists/{list}/items/{item}", get(lists::get_item))
        .route("/v1.0/sites/{site}/lists/{list}/items/{item}/fields", patch(lists::update_fields))
        .route("/v1.0/$batch", post(batch::batch))
        // SharePoint's own REST API at a site's address, for what Graph cannot set.
        .route("/sites/{path}/_api/web/{list}", get(rest::get_list).post(rest::merge_list).patch(rest::merge_list))
        .route("/sites/{path}/_api/web/{list}/views", get(rest::get_views))
        .route("/sites/{path}/_api/web/{list}/views/add", post(rest::add_view))
}

/// Graph accepts a function as a path segment (`…/messages/delta`), in its function form
/// (`…/messages/delta()`) and by its fully qualified name (`…/microsoft.graph.delta()`, which
/// Microsoft's own SDKs send): answer them all alike, so a tool
/// written with an SDK works against the simulator (the router would take `delta()` for an id).
pub(crate) fn function_form_as_path(uri: axum::http::Uri) -> axum::http::Uri {
    let path = uri.path();
    let function = |seg: &str| {
        let name = seg.strip_prefix("microsoft.graph.").unwrap_or(seg);
        name == "delta()" || name.eq_ignore_ascii_case("delta%28%29") || (name == "delta" && name != seg)
    };
    if !path.split('/').any(function) {
        return uri;
    }
    let rewritten = path.split('/').map(|seg| if function(seg) { "delta" } else { seg }).collect::<Vec<_>>().join("/");
    let with_query = match uri.query() {
        Some(q) => format!("{rewritten}?{q}"),
        None => rewritten,
    };
    let mut parts = uri.into_parts();
    match with_query.parse() {
        Ok(pq) => {
            parts.path_and_query = Some(pq);
            axum::http::Uri::from_parts(parts).unwrap_or_default()
        }
        Err(_) => axum::http::Uri::from_parts(parts).unwrap_or_default(),
    }
}

/// Upload sessions' addresses: outside the bearer check (the address is the authorisation),
/// inside the fault layer (a piece can be lost as any request can).
pub(crate) fn upload_routes() -> Router<AppState> {
    Router::new().route(
        "/upload/attachments/{session}",
        get(compose::upload_status)
            .put(compose::upload_piece)
            .layer(axum::extract::DefaultBodyLimit::max(compose::UPLOAD_PIECE_LIMIT + 1024)),
    )
}

/// Rejects requests without a valid, unexpired bearer token, with Graph's 401.
pub(crate) async fn require_bearer(State(app): State<AppState>, mut req: Request, next: Next) -> Response {
    let token = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(str::trim)
        .filter(|t| !t.is_empty());
    let verdict = match token {
        None => Err("Access token is empty."),
        Some(t) => app.auth.lock().unwrap_or_else(|e| e.into_inner()).check_access(t, app.clock.now()),
    };
    match verdict {
        Ok(caller) => {
            // Handlers that check permissions (SharePoint's) read who is calling.
            req.extensions_mut().insert(caller);
            next.run(req).await
        }
        Err(why) => GraphError::new(StatusCode::UNAUTHORIZED, "InvalidAuthenticationToken", why)
            .with_header(header::WWW_AUTHENTICATE, "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", client_id=\"00000003-0000-0000-c000-000000000000\"")
            .into_response(),
    }
}

/// How a delta round's items are filtered and drawn, per collection.
pub(crate) struct DeltaSpec<'a> {
    pub key: CollectionKey,
    /// The path of the delta endpoint (for next and delta links).
    pub path: String,
    pub odata_type: &'static str,
    pub default_page: usize,
    pub keep: &'a dyn Fn(&Tenant, &Change, &DeltaState) -> bool,
    pub render: &'a dyn Fn(&Tenant, &Change, &DeltaState) -> Option<Value>,
}

/// Answers a delta request: starts a round, continues one, or starts the next.
pub(crate) fn delta_answer(app: &AppState, q: &Query, prefer: &Prefer, spec: DeltaSpec<'_>) -> GraphResult {
    let tenant = app.tenant.read().unwrap_or_else(|e| e.into_inner());
    let key = spec.key.encode();
    let stale = || {
        let location = format!("{}{}?$deltatoken=", app.base_url(), spec.path);
        GraphError::new(
            StatusCode::GONE,
            "syncStateNotFound",
            "The sync state generation is not found. Please do a full resync.",
        )
        .with_header(header::LOCATION, location)
    };
    let decode = |token: &str| -> GraphResult<DeltaState> {
        let state = DeltaState::decode(token)
            .ok_or_else(|| GraphError::bad_request("The delta or skip token is not valid."))?;
        if state.c != key {
            return Err(GraphError::bad_request("The token belongs to a different collection."));
        }
        if state.e != tenant.epoch {
            return Err(stale());
        }
        Ok(state)
    };
    let state = if let Some(token) = &q.skip_token {
        decode(token)?
    } else if let Some(token) = q.delta_token.as_deref().filter(|t| !t.is_empty()) {
        let mut s = decode(token)?;
        s.t = tenant.seq();
        s
    } else {
        let g = match q.filter.as_deref() {
            None => None,
            Some(f) => Some(mail::parse_received_filter(f)?),
        };
        let w = match (&q.start, &q.end) {
            (Some(s), Some(e)) => Some((
                crate::odata::parse_datetime(s)
                    .ok_or_else(|| GraphError::bad_request("startDateTime is not a valid date-time."))?,
                crate::odata::parse_datetime(e)
                    .ok_or_else(|| GraphError::bad_request("endDateTime is not a valid date-time."))?,
            )),
            _ => None,
        };
        DeltaState {
            c: key.clone(),
            e: tenant.epoch,
            f: 0,
            t: tenant.seq(),
            a: 0,
            s: q.select.clone(),
            ct: q.change_type.clone(),
            w,
            g,
            n: 0,
        }
    };
    let size = prefer.max_page_size.unwrap_or(spec.default_page).clamp(1, 1000);
    let replay = app.faults.replay_count();
    let page =
        select_page(tenant.log(&spec.key), &state, size, replay, |c| c.removed || (spec.keep)(&tenant, c, &state));
    let value: Vec<Value> = page
        .items
        .iter()
        .map(|c| {
            let live = if c.removed { None } else { (spec.render)(&tenant, c, &state) };
            live.unwrap_or_else(|| {
                let id =
                    if spec.key_is_messages() { mail::message_id_for(&c.key, c.moves, prefer) } else { c.key.clone() };
                json!({"@odata.type": spec.odata_type, "id": id, "@removed": {"reason": "deleted"}})
            })
        })
        .collect();
    let context = format!(
        "{}/v1.0/$metadata#Collection({})",
        app.base_url(),
        spec.odata_type.trim_start_matches("#microsoft.graph.")
    );
    let mut body = json!({"@odata.context": context, "value": value});
    match page.next {
        Some(next) => {
            body["@odata.nextLink"] = json!(format!("{}{}?$skiptoken={}", app.base_url(), spec.path, next.encode()))
        }
        None => {
            body["@odata.deltaLink"] =
                json!(format!("{}{}?$deltatoken={}", app.base_url(), spec.path, state.next_round().encode()))
        }
    }
    let mut resp = crate::odata::json_response(StatusCode::OK, &body);
    if let Some(applied) = prefer.applied(false) {
        if let Ok(v) = HeaderValue::from_str(&applied) {
            resp.headers_mut().insert("preference-applied", v);
        }
    }
    Ok(resp)
}

impl DeltaSpec<'_> {
    fn key_is_messages(&self) -> bool {
        matches!(self.key, CollectionKey::Messages(_))
    }
}

/// Adds `Preference-Applied` when the request's preferences were honoured.
pub(crate) fn with_preference(mut resp: Response, prefer: &Prefer, body: bool) -> Response {
    if let Some(applied) = prefer.applied(body) {
        if let Ok(v) = HeaderValue::from_str(&applied) {
            resp.headers_mut().insert("preference-applied", v);
        }
    }
    resp
}

/// Reads a JSON request body, answering Graph's 400 when it is not JSON.
pub(crate) fn parse_body(bytes: &[u8]) -> GraphResult<Value> {
    if bytes.is_empty() {
        return Ok(json!({}));
    }
    serde_json::from_slice(bytes)
        .map_err(|e| GraphError::bad_request(format!("Unable to read JSON request payload. {e}")))
}
