//! Contact folders and contacts, with delta per folder and for the default folder.

use super::{delta_answer, DeltaSpec};
use crate::delta::DeltaState;
use crate::odata::{apply_select, json_response, ts, GraphError, GraphResult, Prefer, Query};
use crate::server::AppState;
use crate::tenant::{Change, CollectionKey, Contact, ContactFolder, Tenant};
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use serde_json::{json, Value};

pub(crate) fn contact_json(c: &Contact) -> Value {
    json!({
        "@odata.type": "#microsoft.graph.contact",
        "@odata.etag": format!("W/\"EQAAABYAAAD{:016X}\"", c.version),
        "id": c.id,
        "createdDateTime": ts(c.created),
        "lastModifiedDateTime": ts(c.modified),
        "changeKey": format!("EQAAABYAAAD{:016X}", c.version),
        "categories": c.categories,
        "parentFolderId": c.folder,
        "birthday": Value::Null,
        "fileAs": "",
        "displayName": c.display_name,
        "givenName": c.given_name,
        "initials": Value::Null,
        "middleName": Value::Null,
        "nickName": Value::Null,
        "surname": c.surname,
        "title": Value::Null,
        "yomiGivenName": Value::Null,
        "yomiSurname": Value::Null,
        "yomiCompanyName": Value::Null,
        "generation": Value::Null,
        "imAddresses": [],
        "jobTitle": c.job_title,
        "companyName": c.company,
        "department": c.department,
        "officeLocation": Value::Null,
        "profession": Value::Null,
        "businessHomePage": Value::Null,
        "assistantName": Value::Null,
        "manager": Value::Null,
        "homePhones": [],
        "mobilePhone": c.mobile_phone,
        "businessPhones": c.business_phones,
        "spouseName": Value::Null,
        "personalNotes": c.notes,
        "children": [],
        "emailAddresses": c.emails.iter().map(|p| json!({"name": p.name, "address": p.address})).collect::<Vec<_>>(),
        "homeAddress": {},
        "businessAddress": c.business_address.clone().unwrap_or_else(|| json!({})),
        "otherAddress": {},
    })
}

fn folder_json(f: &ContactFolder) -> Value {
    json!({"@odata.type": "#microsoft.graph.contactFolder", "id": f.id, "displayName": f.display_name, "parentFolderId": f.parent_id})
}

pub(crate) async fn list_folders(State(app): State<AppState>) -> GraphResult {
    let t = app.tenant.read().unwrap_or_else(|e| e.into_inner());
    let value: Vec<Value> = t.contact_folders.iter().map(folder_json).collect();
    Ok(json_response(
        StatusCode::OK,
        &json!({"@odata.context": format!("{}/v1.0/$metadata#users('me')/contactFolders", app.base_url()), "value": value}),
    ))
}

pub(crate) async fn folders_delta(
    State(app): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> GraphResult {
    let q = Query::parse(raw.as_deref())?;
    let prefer = Prefer::from_headers(&headers);
    delta_answer(
        &app,
        &q,
        &prefer,
        DeltaSpec {
            key: CollectionKey::ContactFolders,
            path: "/v1.0/me/contactFolders/delta".into(),
            odata_type: "#microsoft.graph.contactFolder",
            default_page: 100,
            keep: &|_, _, _| true,
            render: &|t: &Tenant, c: &Change, s: &DeltaState| {
                t.contact_folder(&c.key).map(|f| apply_select(folder_json(f), s.s.as_deref()))
            },
        },
    )
}

fn contacts_delta(app: &AppState, folder: String, path: String, headers: &HeaderMap, raw: Option<&str>) -> GraphResult {
    let q = Query::parse(raw)?;
    let prefer = Prefer::from_headers(headers);
    delta_answer(
        app,
        &q,
        &prefer,
        DeltaSpec {
            key: CollectionKey::Contacts(folder),
            path,
            odata_type: "#microsoft.graph.contact",
            default_page: 10,
            keep: &|_, _, _| true,
            render: &|t: &Tenant, c: &Change, s: &DeltaState| {
                t.contacts.get(&c.key).map(|c| apply_select(contact_json(c), s.s.as_deref()))
            },
        },
    )
}

pub(crate) async fn folder_contacts_delta(
    State(app): State<AppState>,
    Path(folder): Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> GraphResult {
    let exists = app.tenant.read().unwrap_or_else(|e| e.into_inner()).contact_folder(&folder).is_some();
    if !exists {
        return Err(GraphError::not_found("contact folder"));
    }
    let path = format!("/v1.0/me/contactFolders/{folder}/contacts/delta");
    contacts_delta(&app, folder, path, &headers, raw.as_deref())
}

pub(crate) async fn default_contacts_delta(
    State(app): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> GraphResult {
    let folder = app.tenant.read().unwrap_or_else(|e| e.into_inner()).default_contact_folder();
    contacts_delta(&app, folder, "/v1.0/me/contacts/delta".into(), &headers, raw.as_deref())
}

pub(crate) async fn list_default(State(app): State<AppState>, RawQuery(raw): RawQuery) -> GraphResult {
    let q = Query::parse(raw.as_deref())?;
    let t = app.tenant.read().unwrap_or_else(|e| e.into_inner());
    let folder = t.default_contact_folder();
    let mut list: Vec<&Contact> = t.contacts.values().filter(|c| c.folder == folder).collect();
    list.sort_by(|a, b| a.display_name.cmp(&b.display_name));
    let value: Vec<Value> = list
        .into_iter()
        .take(q.top.unwrap_or(10))
        .map(|c| apply_select(contact_json(c), q.select.as_deref()))
        .collect();
    Ok(json_response(
        StatusCode::OK,
        &json!({"@odata.context": format!("{}/v1.0/$metadata#users('me')/contacts", app.base_url()), "value": value}),
    ))
}

pub(crate) async fn delete_contact(State(app): State<AppState>, Path(id): Path<String>) -> GraphResult {
    let mut t = app.tenant.write().unwrap_or_else(|e| e.into_inner());
    if t.delete_contact(&id) {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(GraphError::not_found("contact"))
    }
}

pub(crate) async fn get_contact(
    State(app): State<AppState>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> GraphResult {
    let q = Query::parse(raw.as_deref())?;
    let t = app.tenant.read().unwrap_or_else(|e| e.into_inner());
    let c = t.contacts.get(&id).ok_or_else(|| GraphError::not_found("contact"))?;
    let mut v = apply_select(contact_json(c), q.select.as_deref());
    v["@odata.context"] = json!(format!("{}/v1.0/$metadata#users('me')/contacts/$entity", app.base_url()));
    Ok(json_response(StatusCode::OK, &v))
}
