//! The part of SharePoint's own REST API (`/sites/{path}/_api/web/…`) that Graph lacks and
//! `provision` needs: a list's item-level permissions (who may read and edit which items) and
//! its public views. Answers use the JSON light form (`Accept: application/json;odata=nometadata`).
//!
//! The token must carry SharePoint's own delegated permission (`AllSites.FullControl` on the
//! tenant's SharePoint resource), and its holder must own the site: ICT, not a member.

use super::parse_body;
use crate::auth::{Caller, Principal};
use crate::server::AppState;
use crate::tenant::{ListView, ReadSecurity, SharePoint, SpList};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use rand::Rng as _;
use serde_json::{json, Value};

/// SharePoint's REST error (`{"odata.error": …}`), or a Graph-shaped one for a body that
/// did not parse.
#[derive(Debug)]
pub(crate) enum RestError {
    Rest { status: StatusCode, code: &'static str, message: String },
    Body(crate::odata::GraphError),
}

impl IntoResponse for RestError {
    fn into_response(self) -> Response {
        match self {
            RestError::Rest { status, code, message } => {
                let body = json!({"odata.error": {"code": code, "message": {"lang": "en-US", "value": message}}});
                (status, [(header::CONTENT_TYPE, "application/json;odata=nometadata;charset=utf-8")], body.to_string())
                    .into_response()
            }
            RestError::Body(e) => e.into_response(),
        }
    }
}

type RestResult = Result<Response, RestError>;

fn rest_error(status: StatusCode, code: &'static str, message: &str) -> RestError {
    RestError::Rest { status, code, message: message.to_owned() }
}

fn ok(status: StatusCode, body: &Value) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json;odata=nometadata;charset=utf-8")], body.to_string())
        .into_response()
}

fn denied() -> RestError {
    rest_error(
        StatusCode::FORBIDDEN,
        "-2147024891, System.UnauthorizedAccessException",
        "Access denied. You do not have permission to perform this action or access this resource.",
    )
}

/// SharePoint's REST API answers Atom XML unless the client asks for JSON; the simulator
/// speaks only JSON, so it refuses a client that did not ask (which real SharePoint would
/// answer in a form the client could not read).
fn wants_json(headers: &HeaderMap) -> Result<(), RestError> {
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("");
    if accept.contains("json") {
        Ok(())
    } else {
        Err(rest_error(
            StatusCode::NOT_ACCEPTABLE,
            "-1, Microsoft.SharePoint.Client.ClientServiceException",
            "Ask for JSON (Accept: application/json;odata=nometadata): this server answers Atom XML otherwise.",
        ))
    }
}

fn owner_only(caller: &Caller) -> Result<(), RestError> {
    if caller.has_sharepoint("AllSites.FullControl") && caller.principal == Principal::Administrator {
        Ok(())
    } else {
        Err(denied())
    }
}

/// The list a `lists(guid'…')` segment names, on the site at `path`.
fn list_mut<'t>(t: &'t mut SharePoint, path: &str, target: &str) -> Result<&'t mut SpList, RestError> {
    let missing =
        || rest_error(StatusCode::NOT_FOUND, "-1, System.ArgumentException", "List does not exist at site with URL.");
    let id = target.strip_prefix("lists(guid'").and_then(|r| r.strip_suffix("')")).ok_or_else(|| {
        rest_error(
            StatusCode::BAD_REQUEST,
            "-1, Microsoft.SharePoint.Client.InvalidClientQueryException",
            "Only lists(guid'…') is understood here.",
        )
    })?;
    let site =
        [&mut t.site, &mut t.intranet].into_iter().find(|s| s.path.eq_ignore_ascii_case(path)).ok_or_else(missing)?;
    site.lists.iter_mut().find(|l| l.id.eq_ignore_ascii_case(id)).ok_or_else(missing)
}

fn settings_json(l: &SpList) -> Value {
    json!({
        "Id": l.id,
        "Title": l.display_name,
        "ItemCount": l.items.len(),
        "ReadSecurity": match l.read_security { ReadSecurity::All => 1, ReadSecurity::Own => 2 },
        "WriteSecurity": l.write_security,
    })
}

fn view_json(v: &ListView) -> Value {
    json!({"Id": v.id, "Title": v.title, "PersonalView": false, "ViewQuery": v.query, "ViewFields": {"Items": v.fields}})
}

/// `GET /sites/{path}/_api/web/lists(guid'…')`: the list's settings.
pub(crate) async fn get_list(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path((path, target)): Path<(String, String)>,
    headers: HeaderMap,
) -> RestResult {
    owner_only(&caller)?;
    wants_json(&headers)?;
    let mut t = app.sharepoint.write().unwrap_or_else(|e| e.into_inner());
    let l = list_mut(&mut t, &path, &target)?;
    Ok(ok(StatusCode::OK, &settings_json(l)))
}

/// `PATCH /sites/{path}/_api/web/lists(guid'…')`, or `POST` with `X-HTTP-Method: MERGE` as
/// older clients send it: changes
/// `ReadSecurity` (1 all items, 2 only their own) and `WriteSecurity` (1 all, 2 own, 4 none).
pub(crate) async fn merge_list(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path((path, target)): Path<(String, String)>,
    method: axum::http::Method,
    headers: HeaderMap,
    body: Bytes,
) -> RestResult {
    owner_only(&caller)?;
    wants_json(&headers)?;
    let merge = method == axum::http::Method::PATCH
        || headers.get("x-http-method").and_then(|v| v.to_str().ok()).is_some_and(|m| m.eq_ignore_ascii_case("MERGE"));
    // SharePoint's REST API changes an entity only for the version the client names.
    if !headers.contains_key(axum::http::header::IF_MATCH) {
        return Err(rest_error(
            StatusCode::PRECONDITION_REQUIRED,
            "-1, Microsoft.SharePoint.Client.ClientServiceException",
            "The request must name the version it changes in an If-Match header (If-Match: * for any).",
        ));
    }
    if !merge {
        return Err(rest_error(
            StatusCode::BAD_REQUEST,
            "-1, Microsoft.SharePoint.Client.InvalidClientQueryException",
            "A list is changed with X-HTTP-Method: MERGE.",
        ));
    }
    let change = parse_body(&body).map_err(RestError::Body)?;
    let invalid = |what: &str| rest_error(StatusCode::BAD_REQUEST, "-2147024809, System.ArgumentException", what);
    let read = match change.get("ReadSecurity").map(Value::as_u64) {
        None => None,
        Some(Some(1)) => Some(ReadSecurity::All),
        Some(Some(2)) => Some(ReadSecurity::Own),
        Some(_) => return Err(invalid("ReadSecurity must be 1 or 2.")),
    };
    let write = match change.get("WriteSecurity").map(Value::as_u64) {
        None => None,
        Some(Some(w @ (1 | 2 | 4))) => u8::try_from(w).ok(),
        Some(_) => return Err(invalid("WriteSecurity must be 1, 2 or 4.")),
    };
    let mut t = app.sharepoint.write().unwrap_or_else(|e| e.into_inner());
    let l = list_mut(&mut t, &path, &target)?;
    if let Some(r) = read {
        l.read_security = r;
    }
    if let Some(w) = write {
        l.write_security = w;
    }
    if let Some(title) = change.get("Title").and_then(Value::as_str).map(str::trim).filter(|t| !t.is_empty()) {
        l.display_name = title.to_owned();
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `GET /sites/{path}/_api/web/lists(guid'…')/views`.
pub(crate) async fn get_views(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path((path, target)): Path<(String, String)>,
    headers: HeaderMap,
) -> RestResult {
    owner_only(&caller)?;
    wants_json(&headers)?;
    let mut t = app.sharepoint.write().unwrap_or_else(|e| e.into_inner());
    let l = list_mut(&mut t, &path, &target)?;
    Ok(ok(StatusCode::OK, &json!({"value": l.views.iter().map(view_json).collect::<Vec<_>>()})))
}

/// `POST /sites/{path}/_api/web/lists(guid'…')/views/add`: a public view
/// (`{"parameters": {"Title", "ViewFields", "Query", "RowLimit", "PersonalView"}}`).
pub(crate) async fn add_view(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path((path, target)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> RestResult {
    owner_only(&caller)?;
    wants_json(&headers)?;
    let req = parse_body(&body).map_err(RestError::Body)?;
    let p = &req["parameters"];
    let invalid = |what: &str| rest_error(StatusCode::BAD_REQUEST, "-2147024809, System.ArgumentException", what);
    let Some(title) = p["Title"].as_str().map(str::trim).filter(|t| !t.is_empty()) else {
        return Err(invalid("A view needs a Title."));
    };
    // `ViewFields` is a collection: `{"results": […]}` in the verbose form, an array in light.
    let fields: Vec<String> = p["ViewFields"]
        .get("results")
        .unwrap_or(&p["ViewFields"])
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f.as_str().map(str::to_owned))
        .collect();
    let mut t = app.sharepoint.write().unwrap_or_else(|e| e.into_inner());
    let id = uuid::Builder::from_random_bytes(t.rng.random()).into_uuid().to_string();
    let l = list_mut(&mut t, &path, &target)?;
    if let Some(f) = fields.iter().find(|f| l.column(f).is_none()) {
        return Err(invalid(&format!("Column '{f}' does not exist. It may have been deleted by another user.")));
    }
    if l.views.iter().any(|v| v.title.eq_ignore_ascii_case(title)) {
        return Err(invalid(&format!("A view named \"{title}\" already exists in this list.")));
    }
    let view = ListView { id, title: title.to_owned(), fields, query: p["Query"].as_str().unwrap_or("").to_owned() };
    let answer = view_json(&view);
    l.views.push(view);
    Ok(ok(StatusCode::OK, &answer))
}
