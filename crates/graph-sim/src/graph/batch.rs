//! JSON batching: up to 20 requests in one, with `dependsOn` ordering and 424 for a failed
//! dependency. Each inner request runs through the same routes, auth and throttling.

use crate::odata::{json_response, GraphError, GraphResult};
use crate::server::AppState;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use futures_util::stream::{self, StreamExt};
use http_body_util::BodyExt;
use serde_json::{json, Map, Value};
use std::collections::{HashMap, HashSet};
use tower::ServiceExt;

/// Marks a request as one item of a batch: it skips the per-connection faults and the
/// connection-level concurrency count (the batch holds that slot), but can still be throttled.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BatchInner;

const MAX_REQUESTS: usize = 20;
/// Graph runs a parallel batch's items a few at a time against one mailbox.
const PARALLEL_ITEMS: usize = 4;

struct Item {
    id: String,
    method: Method,
    url: String,
    headers: Map<String, Value>,
    body: Option<Value>,
    depends_on: Vec<String>,
}

fn parse(body: &[u8]) -> GraphResult<Vec<Item>> {
    let v: Value = serde_json::from_slice(body)
        .map_err(|_| GraphError::new(StatusCode::BAD_REQUEST, "BadRequest", "Invalid batch payload format."))?;
    let requests = v["requests"].as_array().ok_or_else(|| {
        GraphError::new(StatusCode::BAD_REQUEST, "BadRequest", "Invalid batch payload format: requests is missing.")
    })?;
    if requests.len() > MAX_REQUESTS {
        return Err(GraphError::new(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            "Number of requests in batch exceeds the limit of 20.",
        ));
    }
    let mut seen = HashSet::new();
    let mut items = Vec::with_capacity(requests.len());
    for r in requests {
        let id = r["id"].as_str().map(str::to_owned).or_else(|| r["id"].as_u64().map(|n| n.to_string()));
        let (Some(id), Some(method), Some(url)) = (id, r["method"].as_str(), r["url"].as_str()) else {
            return Err(GraphError::new(
                StatusCode::BAD_REQUEST,
                "BadRequest",
                "Each request needs an id, a method and a url.",
            ));
        };
        if !seen.insert(id.clone()) {
            return Err(GraphError::new(
                StatusCode::BAD_REQUEST,
                "BadRequest",
                format!("Request id '{id}' appears more than once."),
            ));
        }
        let method = Method::from_bytes(method.to_ascii_uppercase().as_bytes())
            .map_err(|_| GraphError::bad_request("Invalid method."))?;
        let headers = r["headers"].as_object().cloned().unwrap_or_default();
        let body = r.get("body").cloned().filter(|b| !b.is_null());
        if body.is_some() && !headers.keys().any(|k| k.eq_ignore_ascii_case("content-type")) {
            return Err(GraphError::new(
                StatusCode::BAD_REQUEST,
                "BadRequest",
                format!("Request '{id}' has a body but no Content-Type header."),
            ));
        }
        let depends_on = r["dependsOn"]
            .as_array()
            .map(|a| a.iter().filter_map(|d| d.as_str().map(str::to_owned)).collect())
            .unwrap_or_default();
        items.push(Item { id, method, url: url.to_owned(), headers, body, depends_on });
    }
    for (i, item) in items.iter().enumerate() {
        for dep in &item.depends_on {
            if !items[..i].iter().any(|earlier| &earlier.id == dep) {
                return Err(GraphError::new(
                    StatusCode::BAD_REQUEST,
                    "BadRequest",
                    format!("Request '{}' depends on '{dep}', which does not come before it.", item.id),
                ));
            }
        }
    }
    Ok(items)
}

async fn run(app: &AppState, auth: Option<&header::HeaderValue>, item: &Item) -> Value {
    let path = if item.url.starts_with('/') { format!("/v1.0{}", item.url) } else { format!("/v1.0/{}", item.url) };
    let uri = super::function_form_as_path(path.parse().unwrap_or_default());
    let mut req = Request::builder().method(item.method.clone()).uri(uri);
    if let Some(auth) = auth {
        req = req.header(header::AUTHORIZATION, auth.clone());
    }
    for (k, v) in &item.headers {
        if let Some(v) = v.as_str() {
            req = req.header(k.as_str(), v);
        }
    }
    let body = match &item.body {
        Some(Value::String(s))
            if item
                .headers
                .iter()
                .any(|(k, v)| k.eq_ignore_ascii_case("content-type") && !v.as_str().unwrap_or("").contains("json")) =>
        {
            Body::from(STANDARD.decode(s).unwrap_or_else(|_| s.clone().into_bytes()))
        }
        Some(v) => Body::from(v.to_string()),
        None => Body::empty(),
    };
    let mut req = match req.body(body) {
        Ok(r) => r,
        Err(_) => {
            return error_item(&item.id, StatusCode::BAD_REQUEST, "BadRequest", "The request could not be built.")
        }
    };
    req.extensions_mut().insert(super::BatchInner);
    let resp = match app.router().oneshot(req).await {
        Ok(r) => r,
        Err(never) => match never {},
    };
    let status = resp.status();
    let mut headers = Map::new();
    for name in ["retry-after", "location", "content-type", "preference-applied", "etag"] {
        if let Some(v) = resp.headers().get(name).and_then(|v| v.to_str().ok()) {
            let display = match name {
                "retry-after" => "Retry-After",
                "location" => "Location",
                "content-type" => "Content-Type",
                "preference-applied" => "Preference-Applied",
                _ => "ETag",
            };
            headers.insert(display.into(), json!(v));
        }
    }
    let is_json = headers.get("Content-Type").and_then(Value::as_str).is_some_and(|c| c.contains("json"));
    let bytes = resp.into_body().collect().await.map(|b| b.to_bytes()).unwrap_or_default();
    let mut out = json!({"id": item.id, "status": status.as_u16(), "headers": headers});
    if !bytes.is_empty() {
        out["body"] = if is_json {
            serde_json::from_slice(&bytes).unwrap_or(Value::Null)
        } else {
            json!(STANDARD.encode(&bytes))
        };
    }
    out
}

fn error_item(id: &str, status: StatusCode, code: &str, message: &str) -> Value {
    json!({"id": id, "status": status.as_u16(), "headers": {"Content-Type": "application/json"}, "body": GraphError::new(status, code, message).body()})
}

pub(crate) async fn batch(State(app): State<AppState>, headers: HeaderMap, body: Bytes) -> GraphResult {
    let items = parse(&body)?;
    let auth = headers.get(header::AUTHORIZATION);
    let sequential = items.iter().any(|i| !i.depends_on.is_empty());
    let responses: Vec<Value> = if sequential {
        let mut done: HashMap<String, u16> = HashMap::new();
        let mut out = Vec::with_capacity(items.len());
        for item in &items {
            let failed = item.depends_on.iter().find(|d| done.get(*d).is_none_or(|s| *s >= 400));
            let resp = match failed {
                Some(dep) => error_item(
                    &item.id,
                    StatusCode::FAILED_DEPENDENCY,
                    "FailedDependency",
                    &format!("The request depends on request '{dep}', which failed."),
                ),
                None => run(&app, auth, item).await,
            };
            done.insert(item.id.clone(), resp["status"].as_u64().unwrap_or(500) as u16);
            out.push(resp);
        }
        out
    } else {
        let auth = auth.cloned();
        stream::iter(items)
            .map(|item| {
                let (app, auth) = (app.clone(), auth.clone());
                async move { run(&app, auth.as_ref(), &item).await }
            })
            .buffered(PARALLEL_ITEMS)
            .collect()
            .await
    };
    Ok(json_response(StatusCode::OK, &json!({"responses": responses})))
}
