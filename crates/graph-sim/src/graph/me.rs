//! `/me` and the profile photo.

use crate::odata::{apply_select, json_response, GraphError, GraphResult, Query};
use crate::server::AppState;
use axum::extract::{RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use serde_json::{json, Value};

pub(crate) async fn me(State(app): State<AppState>, RawQuery(raw): RawQuery) -> GraphResult {
    let q = Query::parse(raw.as_deref())?;
    let t = app.tenant.read().unwrap_or_else(|e| e.into_inner());
    let u = &t.user;
    let mut v = json!({
        "@odata.context": format!("{}/v1.0/$metadata#users/$entity", app.base_url()),
        "businessPhones": ["01632 960000"],
        "displayName": u.display_name,
        "givenName": u.given_name,
        "jobTitle": u.job_title,
        "mail": u.mail,
        "mobilePhone": u.mobile_phone,
        "officeLocation": u.office_location,
        "preferredLanguage": "en-GB",
        "surname": u.surname,
        "userPrincipalName": u.mail,
        "id": u.id,
    });
    // Like Graph, /me returns the default set; other properties come only when selected.
    if let Some(select) = q.select.as_deref() {
        let extra = json!({
            "city": "Demo Borough", "country": "United Kingdom", "postalCode": "DB1 1AA",
            "streetAddress": "Town Hall, Market Square", "companyName": crate::content::COUNCIL,
            "department": "Elected members", "usageLocation": "GB", "accountEnabled": true,
            "createdDateTime": "2023-05-05T09:00:00Z", "employeeId": Value::Null, "otherMails": [],
        });
        if let (Some(obj), Value::Object(extra)) = (v.as_object_mut(), extra) {
            obj.extend(extra);
        }
        v = apply_select(v, Some(select));
    }
    Ok(json_response(StatusCode::OK, &v))
}

fn no_photo() -> GraphError {
    GraphError::new(StatusCode::NOT_FOUND, "ImageNotFound", "The photo wasn't found.")
}

pub(crate) async fn photo_meta(State(app): State<AppState>) -> GraphResult {
    let t = app.tenant.read().unwrap_or_else(|e| e.into_inner());
    let photo = t.photo.as_ref().ok_or_else(no_photo)?;
    Ok(json_response(
        StatusCode::OK,
        &json!({
            "@odata.context": format!("{}/v1.0/$metadata#users('me')/photo/$entity", app.base_url()),
            "@odata.mediaContentType": "image/png",
            "@odata.mediaEtag": format!("\"{:08X}\"", crc32fast::hash(photo)),
            "id": "240x240", "width": 240, "height": 240,
        }),
    ))
}

pub(crate) async fn photo_value(State(app): State<AppState>) -> GraphResult {
    let t = app.tenant.read().unwrap_or_else(|e| e.into_inner());
    let photo = t.photo.clone().ok_or_else(no_photo)?;
    let etag = format!("\"{:08X}\"", crc32fast::hash(&photo));
    Ok((StatusCode::OK, [(header::CONTENT_TYPE, "image/png".to_owned()), (header::ETAG, etag)], photo).into_response())
}
