//! SharePoint lists, their typed columns and their items: where the trial's surveys, support
//! requests and usage reports land, and what `member-companion-admin provision` makes.
//!
//! As SharePoint does: an item's columns are checked against the list's (an unknown column or
//! a value of the wrong type is refused); a filter on a column that is not indexed is refused
//! unless the client accepts that it may fail, and fails anyway on a list over the threshold;
//! who added each item is recorded; and a list whose items are readable only by their authors
//! shows a member nothing of anyone else's.

use super::parse_body;
use super::sites::{checked, checked_mut, Need};
use crate::auth::{administrator, Caller, Principal};
use crate::odata::{json_response, ts, GraphError, GraphResult, Query};
use crate::server::AppState;
use crate::tenant::{Column, ColumnType, ListItem, ReadSecurity, SharePoint, SpList};
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Extension;
use rand::Rng as _;
use serde_json::{json, Map, Value};

/// SharePoint's list view threshold: past this many items, a query that cannot use an index fails.
const LIST_VIEW_THRESHOLD: usize = 5_000;

/// SharePoint refuses a filter on a column that is not indexed unless the client accepts that
/// the query may fail on a large list.
const NON_INDEXED_QUERIES: &str = "honornonindexedquerieswarningmayfailrandomly";

/// The columns every list has from the start: a writable Title, and read-only ones SharePoint fills.
pub(crate) fn built_in_columns() -> Vec<Column> {
    let column = |id: &str, name: &str, kind: ColumnType, indexed: bool| Column {
        id: id.to_owned(),
        name: name.to_owned(),
        display_name: name.to_owned(),
        kind,
        indexed,
        built_in: true,
    };
    vec![
        column("fa564e0f-0c70-4ab9-b863-0177e6ddd247", "Title", ColumnType::Text { multiple_lines: false }, false),
        column("1d22ea11-1e32-424e-89ab-9fedbadb6ce1", "ID", ColumnType::Number, true),
        column("8c06beca-0777-48f7-91c7-6da68bc07b69", "Created", ColumnType::DateTime, false),
        column("28cf69c5-fa48-462a-b5cd-27b6f9d2bd5f", "Modified", ColumnType::DateTime, true),
    ]
}

fn list_not_found() -> GraphError {
    GraphError::new(StatusCode::NOT_FOUND, "itemNotFound", "The specified list was not found")
}

fn item_not_found() -> GraphError {
    GraphError::new(StatusCode::NOT_FOUND, "itemNotFound", "The specified list item was not found")
}

fn invalid(message: impl Into<String>) -> GraphError {
    GraphError::new(StatusCode::BAD_REQUEST, "invalidRequest", message)
}

fn new_id(t: &mut SharePoint) -> String {
    uuid::Builder::from_random_bytes(t.rng.random()).into_uuid().to_string()
}

fn column_json(c: &Column) -> Value {
    let mut v = json!({
        "id": c.id,
        "name": c.name,
        "displayName": c.display_name,
        "description": "",
        "indexed": c.indexed,
        "readOnly": c.built_in && c.name != "Title",
        "columnGroup": if c.built_in { "Core Document Columns" } else { "Custom Columns" },
        "required": c.name == "Title",
    });
    let (facet, body) = match &c.kind {
        ColumnType::Text { multiple_lines } => (
            "text",
            json!({"allowMultipleLines": multiple_lines, "maxLength": if *multiple_lines { 63_999 } else { 255 }}),
        ),
        ColumnType::Number => ("number", json!({"decimalPlaces": "automatic"})),
        ColumnType::Boolean => ("boolean", json!({})),
        ColumnType::DateTime => ("dateTime", json!({"format": "dateTime", "displayAs": "standard"})),
        ColumnType::Choice { choices } => {
            ("choice", json!({"allowTextEntry": false, "choices": choices, "displayAs": "dropDownMenu"}))
        }
    };
    v[facet] = body;
    v
}

fn list_json(app: &AppState, site: &crate::tenant::Site, l: &SpList, with_columns: bool) -> Value {
    let mut v = json!({
        "id": l.id,
        "name": l.name,
        "displayName": l.display_name,
        "createdDateTime": ts(l.created),
        "lastModifiedDateTime": ts(l.items.iter().map(|i| i.modified).max().unwrap_or(l.created)),
        "webUrl": format!("{}/sites/{}/Lists/{}", app.base_url(), site.path, l.name),
        "list": {"template": "genericList", "hidden": false, "contentTypesEnabled": false},
        "parentReference": {"siteId": site.id},
    });
    if with_columns {
        v["columns"] = json!(l.columns.iter().map(column_json).collect::<Vec<_>>());
    }
    v
}

/// A column definition from a request (`name`, `displayName`, `indexed` and one type facet).
fn parse_column(v: &Value, id: String) -> GraphResult<Column> {
    let Some(name) = v["name"].as_str().filter(|n| !n.is_empty()) else {
        return Err(invalid("A column needs a name."));
    };
    if name.len() > 64
        || !name.starts_with(|c: char| c.is_ascii_alphabetic())
        || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        return Err(invalid(format!(
            "'{name}' is not a valid column name: letters, digits and underscores, starting with a letter."
        )));
    }
    let kind = if let Some(text) = v.get("text") {
        ColumnType::Text { multiple_lines: text["allowMultipleLines"].as_bool().unwrap_or(false) }
    } else if v.get("number").is_some() {
        ColumnType::Number
    } else if v.get("boolean").is_some() {
        ColumnType::Boolean
    } else if v.get("dateTime").is_some() {
        ColumnType::DateTime
    } else if let Some(choice) = v.get("choice") {
        let choices: Vec<String> =
            choice["choices"].as_array().into_iter().flatten().filter_map(|c| c.as_str().map(str::to_owned)).collect();
        if choices.is_empty() {
            return Err(invalid(format!("The choice column '{name}' has no choices.")));
        }
        ColumnType::Choice { choices }
    } else {
        return Err(invalid(format!("The column '{name}' has no type (text, number, boolean, dateTime or choice).")));
    };
    Ok(Column {
        id,
        name: name.to_owned(),
        display_name: v["displayName"].as_str().unwrap_or(name).to_owned(),
        kind,
        indexed: v["indexed"].as_bool().unwrap_or(false),
        built_in: false,
    })
}

fn add_column(l: &mut SpList, c: Column) -> GraphResult<()> {
    if l.column(&c.name).is_some() {
        return Err(GraphError::new(
            StatusCode::CONFLICT,
            "nameAlreadyExists",
            format!("A duplicate field name \"{}\" was found.", c.name),
        ));
    }
    l.columns.push(c);
    Ok(())
}

/// `GET /sites/{site}/lists`.
pub(crate) async fn get_lists(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(site): Path<String>,
) -> GraphResult {
    let t = app.sharepoint.read().unwrap_or_else(|e| e.into_inner());
    let s = checked(&t, &app, &caller, &site, Need::Read)?;
    let value: Vec<Value> = s.lists.iter().map(|l| list_json(&app, s, l, false)).collect();
    Ok(json_response(StatusCode::OK, &json!({"value": value})))
}

/// `POST /sites/{site}/lists`: a new list with its columns.
pub(crate) async fn create_list(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(site): Path<String>,
    body: Bytes,
) -> GraphResult {
    let req = parse_body(&body)?;
    let Some(display_name) = req["displayName"].as_str().map(str::trim).filter(|n| !n.is_empty()) else {
        return Err(invalid("A list needs a displayName."));
    };
    let name: String = display_name.chars().filter(char::is_ascii_alphanumeric).collect();
    if name.is_empty() {
        return Err(invalid("A list's displayName needs at least one letter or digit."));
    }
    let now = app.clock.now();
    let mut t = app.sharepoint.write().unwrap_or_else(|e| e.into_inner());
    let list_id = new_id(&mut t);
    let column_ids: Vec<String> = (0..req["columns"].as_array().map_or(0, Vec::len)).map(|_| new_id(&mut t)).collect();
    let s = checked_mut(&mut t, &app, &caller, &site, Need::Manage)?;
    if s.list(&name).is_some() || s.list(display_name).is_some() {
        return Err(GraphError::new(
            StatusCode::CONFLICT,
            "nameAlreadyExists",
            "A list, survey, discussion board, or document library with the specified title already exists in this Web site.  Please choose another title.",
        ));
    }
    let mut list = SpList {
        id: list_id,
        name,
        display_name: display_name.to_owned(),
        columns: built_in_columns(),
        read_security: ReadSecurity::All,
        write_security: 1,
        views: Vec::new(),
        items: Vec::new(),
        next_id: 1,
        created: now,
    };
    for (c, id) in req["columns"].as_array().into_iter().flatten().zip(column_ids) {
        add_column(&mut list, parse_column(c, id)?)?;
    }
    let answer = list_json(&app, s, &list, true);
    s.lists.push(list);
    Ok(json_response(StatusCode::CREATED, &answer))
}

/// `GET /sites/{site}/lists/{list}` (`$expand=columns` adds its columns).
pub(crate) async fn get_list(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path((site, list)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
) -> GraphResult {
    let q = Query::parse(raw.as_deref())?;
    let t = app.sharepoint.read().unwrap_or_else(|e| e.into_inner());
    let s = checked(&t, &app, &caller, &site, Need::Read)?;
    let l = s.list(&list).ok_or_else(list_not_found)?;
    let with_columns = q.expand.as_deref().is_some_and(|e| e.starts_with("columns"));
    Ok(json_response(StatusCode::OK, &list_json(&app, s, l, with_columns)))
}

/// `GET /sites/{site}/lists/{list}/columns`.
pub(crate) async fn get_columns(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path((site, list)): Path<(String, String)>,
) -> GraphResult {
    let t = app.sharepoint.read().unwrap_or_else(|e| e.into_inner());
    let s = checked(&t, &app, &caller, &site, Need::Read)?;
    let l = s.list(&list).ok_or_else(list_not_found)?;
    Ok(json_response(StatusCode::OK, &json!({"value": l.columns.iter().map(column_json).collect::<Vec<_>>()})))
}

/// `POST /sites/{site}/lists/{list}/columns`: adds a column.
pub(crate) async fn create_column(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path((site, list)): Path<(String, String)>,
    body: Bytes,
) -> GraphResult {
    let req = parse_body(&body)?;
    let mut t = app.sharepoint.write().unwrap_or_else(|e| e.into_inner());
    let id = new_id(&mut t);
    let column = parse_column(&req, id)?;
    let s = checked_mut(&mut t, &app, &caller, &site, Need::Manage)?;
    let l = s.list_mut(&list).ok_or_else(list_not_found)?;
    let answer = column_json(&column);
    add_column(l, column)?;
    Ok(json_response(StatusCode::CREATED, &answer))
}

/// `PATCH /sites/{site}/lists/{list}/columns/{column}`: changes a column's title or index.
pub(crate) async fn update_column(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path((site, list, column)): Path<(String, String, String)>,
    body: Bytes,
) -> GraphResult {
    let req = parse_body(&body)?;
    let mut t = app.sharepoint.write().unwrap_or_else(|e| e.into_inner());
    let s = checked_mut(&mut t, &app, &caller, &site, Need::Manage)?;
    let l = s.list_mut(&list).ok_or_else(list_not_found)?;
    let c = l
        .columns
        .iter_mut()
        .find(|c| c.id == column || c.name == column)
        .ok_or_else(|| GraphError::new(StatusCode::NOT_FOUND, "itemNotFound", "Column not found"))?;
    if let Some(indexed) = req["indexed"].as_bool() {
        c.indexed = indexed;
    }
    if let Some(title) = req["displayName"].as_str() {
        c.display_name = title.to_owned();
    }
    if let (ColumnType::Choice { choices }, Some(new)) = (&mut c.kind, req["choice"]["choices"].as_array()) {
        *choices = new.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect();
    }
    Ok(json_response(StatusCode::OK, &column_json(c)))
}

/// The person behind `caller` (name, mail, id): this simulator's member or ICT's
/// administrator. Read before the SharePoint lock is taken.
fn caller_person(app: &AppState, caller: &Caller) -> (String, String, String) {
    match caller.principal {
        Principal::Member => {
            let t = app.tenant.read().unwrap_or_else(|e| e.into_inner());
            (t.user.display_name.clone(), t.user.mail.clone(), t.user.id.clone())
        }
        Principal::Administrator => administrator(),
    }
}

fn item_json(app: &AppState, site: &crate::tenant::Site, list: &SpList, item: &ListItem, with_fields: bool) -> Value {
    let etag = format!("\"{}-{:08},{}\"", list.id, item.id, item.version);
    let (name, mail, uid) = (&item.author.name, &item.author.mail, &item.author.id);
    let mut v = json!({
        "@odata.etag": etag,
        "id": item.id.to_string(),
        "createdDateTime": ts(item.created),
        "lastModifiedDateTime": ts(item.modified),
        "eTag": etag,
        "webUrl": format!("{}/sites/{}/Lists/{}/{}_.000", app.base_url(), site.path, list.name, item.id),
        "createdBy": {"user": {"email": mail, "id": uid, "displayName": name}},
        "lastModifiedBy": {"user": {"email": mail, "id": uid, "displayName": name}},
        "parentReference": {"id": list.id, "siteId": site.id},
        "contentType": {"id": "0x0100A1B2C3D4E5F60718293A4B5C6D7E8F90", "name": "Item"},
    });
    if with_fields {
        v["fields"] = Value::Object(fields_json(list, item));
    }
    v
}

fn fields_json(list: &SpList, item: &ListItem) -> Map<String, Value> {
    let mut fields = item.fields.clone();
    fields.insert("@odata.etag".into(), json!(format!("\"{}-{:08},{}\"", list.id, item.id, item.version)));
    fields.insert("id".into(), json!(item.id.to_string()));
    fields.insert("ContentType".into(), json!("Item"));
    fields.insert("Created".into(), json!(ts(item.created)));
    fields.insert("Modified".into(), json!(ts(item.modified)));
    let lookup = item.author.lookup.to_string();
    fields.insert("AuthorLookupId".into(), json!(lookup));
    fields.insert("EditorLookupId".into(), json!(lookup));
    fields.insert("_UIVersionString".into(), json!(format!("{}.0", item.version)));
    fields.insert("Attachments".into(), json!(false));
    fields
}

/// Whether `caller` may see `item` (item-level read security).
fn may_read(caller: &Caller, caller_id: &str, list: &SpList, item: &ListItem) -> bool {
    list.read_security == ReadSecurity::All
        || caller.principal == Principal::Administrator
        || item.author.id == caller_id
}

/// Checks `fields` against the list's columns: each must exist, be writable and hold a value
/// of its type. Nothing is written unless every one passes.
fn check_fields(list: &SpList, fields: &Map<String, Value>) -> GraphResult<()> {
    for (k, v) in fields {
        // `Name@odata.type` annotations describe the value beside them.
        if k.contains("@odata.") {
            continue;
        }
        let Some(column) = list.column(k).filter(|c| !c.built_in || c.name == "Title") else {
            return Err(invalid(format!("Field '{k}' is not recognized")));
        };
        let fits = match (&column.kind, v) {
            (_, Value::Null) => true,
            (ColumnType::Text { multiple_lines }, Value::String(s)) => *multiple_lines || s.chars().count() <= 255,
            (ColumnType::Number, Value::Number(_)) => true,
            (ColumnType::Boolean, Value::Bool(_)) => true,
            (ColumnType::DateTime, Value::String(s)) => {
                crate::odata::parse_datetime(s).is_some() || chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok()
            }
            (ColumnType::Choice { choices }, Value::String(s)) => choices.iter().any(|c| c == s),
            _ => false,
        };
        if !fits {
            let expected = match &column.kind {
                ColumnType::Text { multiple_lines: false } => "text of at most 255 characters".to_owned(),
                ColumnType::Text { multiple_lines: true } => "text".to_owned(),
                ColumnType::Number => "a number".to_owned(),
                ColumnType::Boolean => "true or false".to_owned(),
                ColumnType::DateTime => "a date or date and time".to_owned(),
                ColumnType::Choice { choices } => format!("one of {}", choices.join(", ")),
            };
            return Err(invalid(format!("The value of field '{k}' is not valid: it must be {expected}.")));
        }
    }
    Ok(())
}

/// Parses `fields/Name eq 'value'` (or a number or boolean), the filter the trial's clients use.
fn field_filter(filter: &str) -> GraphResult<(String, String)> {
    let parts: Vec<&str> = filter.splitn(3, ' ').collect();
    match parts.as_slice() {
        [field, "eq", value] if field.starts_with("fields/") => {
            Ok((field.trim_start_matches("fields/").to_owned(), value.trim_matches('\'').replace("''", "'")))
        }
        _ => Err(invalid("Only filters of the form fields/Name eq 'value' are supported.")),
    }
}

fn matches(item: &ListItem, (field, value): &(String, String)) -> bool {
    item.fields.get(field).is_some_and(|f| {
        f.as_str() == Some(value) || serde_json::from_str::<Value>(value).is_ok_and(|parsed| parsed == *f)
    })
}

/// `GET /sites/{site}/lists/{list}/items`, with `$filter` on one column and `$expand=fields`.
pub(crate) async fn list_items(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path((site, list)): Path<(String, String)>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> GraphResult {
    let q = Query::parse(raw.as_deref())?;
    let filter = q.filter.as_deref().map(field_filter).transpose()?;
    let (_, _, me) = caller_person(&app, &caller);
    let t = app.sharepoint.read().unwrap_or_else(|e| e.into_inner());
    let s = checked(&t, &app, &caller, &site, Need::Read)?;
    let l = s.list(&list).ok_or_else(list_not_found)?;
    if let Some((field, _)) = &filter {
        let column = l.column(field).ok_or_else(|| invalid(format!("Field '{field}' is not recognized")))?;
        if !column.indexed {
            let honoured = headers
                .get_all("prefer")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .any(|v| v.to_ascii_lowercase().contains(NON_INDEXED_QUERIES));
            if !honoured {
                return Err(invalid(format!("Field '{field}' cannot be referenced in filter or orderby as it is not indexed. Provide the 'Prefer: HonorNonIndexedQueriesWarningMayFailRandomly' header to allow this, but be warned that such queries may fail on large lists.")));
            }
            if l.items.len() > LIST_VIEW_THRESHOLD {
                return Err(invalid(
                    "The attempted operation is prohibited because it exceeds the list view threshold.",
                ));
            }
        }
    }
    let with_fields = q.expand.as_deref().is_some_and(|e| e.starts_with("fields"));
    // Pages of `$top` (200 by default, as SharePoint), continued by a `$skiptoken` link.
    let page = q.top.unwrap_or(200).clamp(1, 5_000);
    let skip: usize = match q.skip_token.as_deref() {
        None => 0,
        Some(token) => token
            .strip_prefix("Paged=TRUE&p_ID=")
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| invalid("The skip token is not one this list gave."))?,
    };
    let visible: Vec<&ListItem> = l
        .items
        .iter()
        .filter(|i| may_read(&caller, &me, l, i))
        .filter(|i| filter.as_ref().is_none_or(|f| matches(i, f)))
        .collect();
    let value: Vec<Value> =
        visible.iter().skip(skip).take(page).map(|i| item_json(&app, s, l, i, with_fields)).collect();
    let mut body = json!({
        "@odata.context": format!("{}/v1.0/$metadata#sites('{site}')/lists('{list}')/items", app.base_url()),
        "value": value,
    });
    if skip + page < visible.len() {
        let mut query: Vec<(String, String)> =
            serde_urlencoded::from_str(raw.as_deref().unwrap_or("")).unwrap_or_default();
        query.retain(|(k, _)| !k.eq_ignore_ascii_case("$skiptoken"));
        query.push(("$skiptoken".into(), format!("Paged=TRUE&p_ID={}", skip + page)));
        let encoded = serde_urlencoded::to_string(&query).unwrap_or_default();
        body["@odata.nextLink"] = json!(format!("{}/v1.0/sites/{site}/lists/{list}/items?{encoded}", app.base_url()));
    }
    Ok(json_response(StatusCode::OK, &body))
}

/// `GET /sites/{site}/lists/{list}/items/{item}`.
pub(crate) async fn get_item(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path((site, list, item)): Path<(String, String, String)>,
) -> GraphResult {
    let (_, _, me) = caller_person(&app, &caller);
    let t = app.sharepoint.read().unwrap_or_else(|e| e.into_inner());
    let s = checked(&t, &app, &caller, &site, Need::Read)?;
    let l = s.list(&list).ok_or_else(list_not_found)?;
    let i =
        l.items.iter().find(|i| i.id.to_string() == item && may_read(&caller, &me, l, i)).ok_or_else(item_not_found)?;
    let mut v = item_json(&app, s, l, i, true);
    v["@odata.context"] =
        json!(format!("{}/v1.0/$metadata#sites('{site}')/lists('{list}')/items/$entity", app.base_url()));
    Ok(json_response(StatusCode::OK, &v))
}

/// `POST /sites/{site}/lists/{list}/items`: a new item, its author the caller.
pub(crate) async fn create_item(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path((site, list)): Path<(String, String)>,
    body: Bytes,
) -> GraphResult {
    let req = parse_body(&body)?;
    let Some(Value::Object(fields)) = req.get("fields").cloned() else {
        return Err(invalid("The request must contain a fields object."));
    };
    let now = app.clock.now();
    let (name, mail, me) = caller_person(&app, &caller);
    let (site_id, created) = {
        let mut t = app.sharepoint.write().unwrap_or_else(|e| e.into_inner());
        let author = t.author(caller.principal, me, name, mail);
        let s = checked_mut(&mut t, &app, &caller, &site, Need::Write)?;
        let site_id = s.id.clone();
        let l = s.list_mut(&list).ok_or_else(list_not_found)?;
        if l.write_security == 4 && caller.principal != Principal::Administrator {
            // "Create and edit: none": only the site's owners add items.
            return Err(GraphError::new(StatusCode::FORBIDDEN, "accessDenied", "Access denied"));
        }
        check_fields(l, &fields)?;
        let id = l.next_id;
        l.next_id += 1;
        let fields = fields.into_iter().filter(|(k, _)| !k.contains("@odata.")).collect::<Map<_, _>>();
        l.items.push(ListItem { id, fields, created: now, modified: now, version: 1, author });
        (site_id, id)
    };
    let t = app.sharepoint.read().unwrap_or_else(|e| e.into_inner());
    let s = super::sites::site_by_id(&t, &site_id).ok_or_else(super::sites::site_not_found)?;
    let l = s.list(&list).ok_or_else(list_not_found)?;
    let item = l.items.iter().find(|i| i.id == created).ok_or_else(item_not_found)?;
    let mut v = item_json(&app, s, l, item, true);
    v["@odata.context"] =
        json!(format!("{}/v1.0/$metadata#sites('{site}')/lists('{list}')/items/$entity", app.base_url()));
    Ok(json_response(StatusCode::CREATED, &v))
}

/// `PATCH …/items/{item}/fields`: changes some of an item's columns; answers the whole
/// `fieldValueSet`, as Graph does.
pub(crate) async fn update_fields(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path((site, list, item)): Path<(String, String, String)>,
    body: Bytes,
) -> GraphResult {
    let Value::Object(changes) = parse_body(&body)? else {
        return Err(invalid("The request must be a JSON object of column values."));
    };
    let now = app.clock.now();
    let (_, _, me) = caller_person(&app, &caller);
    let mut t = app.sharepoint.write().unwrap_or_else(|e| e.into_inner());
    let s = checked_mut(&mut t, &app, &caller, &site, Need::Write)?;
    let l = s.list_mut(&list).ok_or_else(list_not_found)?;
    check_fields(l, &changes)?;
    let (read_security, write_security) = (l.read_security, l.write_security);
    let i = l.items.iter_mut().find(|i| i.id.to_string() == item).ok_or_else(item_not_found)?;
    let own = caller.principal == Principal::Administrator || i.author.id == me;
    if read_security == ReadSecurity::Own && !own {
        return Err(item_not_found());
    }
    if (write_security == 2 && !own) || (write_security == 4 && caller.principal != Principal::Administrator) {
        return Err(GraphError::new(StatusCode::FORBIDDEN, "accessDenied", "Access denied"));
    }
    i.fields.extend(changes.into_iter().filter(|(k, _)| !k.contains("@odata.")));
    i.modified = now;
    i.version += 1;
    let Some(l) = s.list(&list) else { return Err(list_not_found()) };
    let Some(i) = l.items.iter().find(|i| i.id.to_string() == item) else { return Err(item_not_found()) };
    let mut fields = fields_json(l, i);
    fields.insert(
        "@odata.context".into(),
        json!(format!(
            "{}/v1.0/$metadata#sites('{site}')/lists('{list}')/items('{item}')/fields/$entity",
            app.base_url()
        )),
    );
    Ok(json_response(StatusCode::OK, &Value::Object(fields)))
}
