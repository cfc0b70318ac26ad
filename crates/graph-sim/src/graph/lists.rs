//! SharePoint list items: where the trial's surveys, support requests and usage reports land.

use super::parse_body;
use crate::odata::{json_response, ts, GraphError, GraphResult, Query};
use crate::server::AppState;
use crate::tenant::{ListItem, SpList};
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use serde_json::{json, Map, Value};

/// Who created an item: the signed-in member (name, mail, id).
type Author<'a> = (&'a str, &'a str, &'a str);

fn item_json((name, mail, uid): Author<'_>, site: &str, list: &SpList, item: &ListItem, with_fields: bool) -> Value {
    let etag = format!("\"{}-{:08},{}\"", list.id, item.id, item.version);
    let mut v = json!({
        "@odata.etag": etag,
        "id": item.id.to_string(),
        "createdDateTime": ts(item.created),
        "lastModifiedDateTime": ts(item.modified),
        "eTag": etag,
        "webUrl": format!("https://demoborough.sharepoint.com/Lists/{}/{}_.000", list.name, item.id),
        "createdBy": {"user": {"email": mail, "id": uid, "displayName": name}},
        "lastModifiedBy": {"user": {"email": mail, "id": uid, "displayName": name}},
        "parentReference": {"id": list.id, "siteId": site},
        "contentType": {"id": "0x0100A1B2C3D4E5F60718293A4B5C6D7E8F90", "name": "Item"},
    });
    if with_fields {
        let mut fields = item.fields.clone();
        fields.insert("@odata.etag".into(), json!(etag));
        fields.insert("id".into(), json!(item.id.to_string()));
        fields.insert("ContentType".into(), json!("Item"));
        fields.insert("Created".into(), json!(ts(item.created)));
        fields.insert("Modified".into(), json!(ts(item.modified)));
        fields.insert("AuthorLookupId".into(), json!("7"));
        fields.insert("EditorLookupId".into(), json!("7"));
        fields.insert("_UIVersionString".into(), json!(format!("{}.0", item.version)));
        fields.insert("Attachments".into(), json!(false));
        v["fields"] = Value::Object(fields);
    }
    v
}

fn check_site(app: &AppState, site: &str) -> GraphResult<()> {
    let ok = app.tenant.read().unwrap_or_else(|e| e.into_inner()).site.id == site || site == "root";
    if ok {
        Ok(())
    } else {
        Err(GraphError::new(StatusCode::NOT_FOUND, "itemNotFound", "Requested site could not be found"))
    }
}

/// Parses `fields/Name eq 'value'`, the one filter the trial's clients use (to find an item
/// by the response id they made before retrying an insert).
fn field_filter(filter: &str) -> GraphResult<(String, String)> {
    let parts: Vec<&str> = filter.splitn(3, ' ').collect();
    match parts.as_slice() {
        [field, "eq", value] if field.starts_with("fields/") => {
            Ok((field.trim_start_matches("fields/").to_owned(), value.trim_matches('\'').replace("''", "'")))
        }
        _ => Err(GraphError::new(
            StatusCode::BAD_REQUEST,
            "invalidRequest",
            "Only filters of the form fields/Name eq 'value' are supported.",
        )),
    }
}

/// SharePoint refuses a filter on a column that is not indexed unless the client accepts that
/// the query may fail on a large list. No column of the trial's lists is indexed here.
const NON_INDEXED_QUERIES: &str = "honornonindexedquerieswarningmayfailrandomly";

pub(crate) async fn list_items(
    State(app): State<AppState>,
    Path((site, list)): Path<(String, String)>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> GraphResult {
    check_site(&app, &site)?;
    let q = Query::parse(raw.as_deref())?;
    let filter = q.filter.as_deref().map(field_filter).transpose()?;
    let honoured = headers
        .get_all("prefer")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.to_ascii_lowercase().contains(NON_INDEXED_QUERIES));
    if let Some((field, _)) = filter.as_ref().filter(|_| !honoured) {
        return Err(GraphError::new(
            StatusCode::BAD_REQUEST,
            "invalidRequest",
            format!("Field '{field}' cannot be referenced in filter or orderby as it is not indexed. Provide the 'Prefer: HonorNonIndexedQueriesWarningMayFailRandomly' header to allow this, but be warned that such queries may fail on large lists."),
        ));
    }
    let with_fields = q.expand.as_deref().is_some_and(|e| e.starts_with("fields"));
    let t = app.tenant.read().unwrap_or_else(|e| e.into_inner());
    let l = t
        .site
        .list(&list)
        .ok_or_else(|| GraphError::new(StatusCode::NOT_FOUND, "itemNotFound", "The specified list was not found"))?;
    let author = (t.user.display_name.as_str(), t.user.mail.as_str(), t.user.id.as_str());
    let value: Vec<Value> = l
        .items
        .iter()
        .filter(|i| {
            filter.as_ref().is_none_or(|(k, v)| {
                i.fields.get(k).is_some_and(|f| {
                    f.as_str() == Some(v)
                        || serde_json::from_str::<serde_json::Value>(v).is_ok_and(|parsed| parsed == *f)
                })
            })
        })
        .take(q.top.unwrap_or(200))
        .map(|i| item_json(author, &t.site.id, l, i, with_fields))
        .collect();
    Ok(json_response(
        StatusCode::OK,
        &json!({"@odata.context": format!("{}/v1.0/$metadata#sites('{site}')/lists('{list}')/items", app.base_url()), "value": value}),
    ))
}

pub(crate) async fn get_item(
    State(app): State<AppState>,
    Path((site, list, item)): Path<(String, String, String)>,
) -> GraphResult {
    check_site(&app, &site)?;
    let t = app.tenant.read().unwrap_or_else(|e| e.into_inner());
    let l = t
        .site
        .list(&list)
        .ok_or_else(|| GraphError::new(StatusCode::NOT_FOUND, "itemNotFound", "The specified list was not found"))?;
    let i = l.items.iter().find(|i| i.id.to_string() == item).ok_or_else(|| {
        GraphError::new(StatusCode::NOT_FOUND, "itemNotFound", "The specified list item was not found")
    })?;
    let author = (t.user.display_name.as_str(), t.user.mail.as_str(), t.user.id.as_str());
    let mut v = item_json(author, &t.site.id, l, i, true);
    v["@odata.context"] =
        json!(format!("{}/v1.0/$metadata#sites('{site}')/lists('{list}')/items/$entity", app.base_url()));
    Ok(json_response(StatusCode::OK, &v))
}

pub(crate) async fn create_item(
    State(app): State<AppState>,
    Path((site, list)): Path<(String, String)>,
    body: Bytes,
) -> GraphResult {
    check_site(&app, &site)?;
    let req = parse_body(&body)?;
    let Some(Value::Object(fields)) = req.get("fields").cloned() else {
        return Err(GraphError::new(
            StatusCode::BAD_REQUEST,
            "invalidRequest",
            "The request must contain a fields object.",
        ));
    };
    if let Some((k, _)) = fields.iter().find(|(k, v)| k.starts_with('@') || k.is_empty() || v.is_object()) {
        return Err(GraphError::new(
            StatusCode::BAD_REQUEST,
            "invalidRequest",
            format!("Field '{k}' is not recognized or its value is not a column value."),
        ));
    }
    let now = app.clock.now();
    let created = {
        let mut t = app.tenant.write().unwrap_or_else(|e| e.into_inner());
        let l = t.site.list_mut(&list).ok_or_else(|| {
            GraphError::new(StatusCode::NOT_FOUND, "itemNotFound", "The specified list was not found")
        })?;
        let id = l.next_id;
        l.next_id += 1;
        l.items.push(ListItem {
            id,
            fields: fields.into_iter().collect::<Map<_, _>>(),
            created: now,
            modified: now,
            version: 1,
        });
        id
    };
    let t = app.tenant.read().unwrap_or_else(|e| e.into_inner());
    let l = t.site.list(&list).ok_or_else(|| GraphError::not_found("list"))?;
    let item = l.items.iter().find(|i| i.id == created).ok_or_else(|| GraphError::not_found("list item"))?;
    let author = (t.user.display_name.as_str(), t.user.mail.as_str(), t.user.id.as_str());
    let mut v = item_json(author, &t.site.id, l, item, true);
    v["@odata.context"] =
        json!(format!("{}/v1.0/$metadata#sites('{site}')/lists('{list}')/items/$entity", app.base_url()));
    Ok(json_response(StatusCode::CREATED, &v))
}

/// `PATCH …/items/{item}/fields`: changes some of an item's columns; answers the whole
/// `fieldValueSet`, as Graph does.
pub(crate) async fn update_fields(
    State(app): State<AppState>,
    Path((site, list, item)): Path<(String, String, String)>,
    body: Bytes,
) -> GraphResult {
    check_site(&app, &site)?;
    let Value::Object(changes) = parse_body(&body)? else {
        return Err(GraphError::new(
            StatusCode::BAD_REQUEST,
            "invalidRequest",
            "The request must be a JSON object of column values.",
        ));
    };
    if let Some((k, _)) = changes.iter().find(|(k, v)| k.starts_with('@') || k.is_empty() || v.is_object()) {
        return Err(GraphError::new(
            StatusCode::BAD_REQUEST,
            "invalidRequest",
            format!("Field '{k}' is not recognized or its value is not a column value."),
        ));
    }
    let now = app.clock.now();
    let mut t = app.tenant.write().unwrap_or_else(|e| e.into_inner());
    let l = t
        .site
        .list_mut(&list)
        .ok_or_else(|| GraphError::new(StatusCode::NOT_FOUND, "itemNotFound", "The specified list was not found"))?;
    let list_id = l.id.clone();
    let i = l.items.iter_mut().find(|i| i.id.to_string() == item).ok_or_else(|| {
        GraphError::new(StatusCode::NOT_FOUND, "itemNotFound", "The specified list item was not found")
    })?;
    i.fields.extend(changes);
    i.modified = now;
    i.version += 1;
    let mut fields = i.fields.clone();
    fields.insert("@odata.etag".into(), json!(format!("\"{list_id}-{:08},{}\"", i.id, i.version)));
    fields.insert("id".into(), json!(i.id.to_string()));
    fields.insert("Modified".into(), json!(ts(i.modified)));
    fields.insert(
        "@odata.context".into(),
        json!(format!(
            "{}/v1.0/$metadata#sites('{site}')/lists('{list}')/items('{item}')/fields/$entity",
            app.base_url()
        )),
    );
    Ok(json_response(StatusCode::OK, &Value::Object(fields)))
}
