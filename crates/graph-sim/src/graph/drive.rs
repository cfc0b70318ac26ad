//! The member's OneDrive, as far as the app writes to it: a small file written whole by path
//! (`PUT /me/drive/root:/{path}:/content`, up to 4 MB, as Graph allows in one request) and
//! read back (`GET …:/content`). Folders on the path are made as needed; names are checked as
//! OneDrive checks them and compared without case. Writing needs `Files.ReadWrite` (or
//! `.All`); reading `Files.Read` or better.

use crate::auth::Caller;
use crate::ids;
use crate::odata::{json_response, ts, GraphError, GraphResult};
use crate::server::AppState;
use crate::tenant::DriveFile;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::Extension;
use serde_json::json;

/// The most one request may write: larger files need an upload session.
pub(crate) const SIMPLE_UPLOAD_LIMIT: usize = 4 * 1024 * 1024;

/// Characters OneDrive for Business refuses in a name.
const REFUSED: &[char] = &['"', '*', ':', '<', '>', '?', '/', '\\', '|'];

/// The path `root:/{path}:/content` names, checked.
fn content_path(item: &str) -> GraphResult<String> {
    let path = item
        .strip_prefix("root:/")
        .and_then(|p| p.strip_suffix(":/content"))
        .ok_or_else(|| GraphError::bad_request("Only root:/{path}:/content is supported here."))?;
    let names: Vec<&str> = path.split('/').collect();
    let bad = |n: &&str| {
        n.trim().is_empty()
            || n.ends_with(' ')
            || n.ends_with('.')
            || n.contains(REFUSED)
            || n.chars().count() > 255
            || *n == ".."
    };
    if names.iter().any(bad) || path.len() > 400 {
        return Err(GraphError::new(StatusCode::BAD_REQUEST, "invalidRequest", "The item's name is not valid."));
    }
    Ok(path.to_owned())
}

fn can_write(caller: &Caller) -> bool {
    caller.has("Files.ReadWrite") || caller.has("Files.ReadWrite.All")
}

fn denied() -> GraphError {
    GraphError::new(StatusCode::FORBIDDEN, "accessDenied", "Access denied")
}

fn item_json(app: &AppState, f: &DriveFile) -> serde_json::Value {
    let (folder, name) = f.path.rsplit_once('/').unwrap_or(("", f.path.as_str()));
    json!({
        "@odata.context": format!("{}/v1.0/$metadata#drives('me')/items/$entity", app.base_url()),
        "id": f.id,
        "name": name,
        "size": f.content.len(),
        "createdDateTime": ts(f.created),
        "lastModifiedDateTime": ts(f.modified),
        "webUrl": format!("{}/_sim/onedrive/{}", app.base_url(), f.path.replace(' ', "%20")),
        "file": { "mimeType": f.content_type },
        "parentReference": { "driveType": "business", "path": format!("/drive/root:/{folder}") },
    })
}

/// `PUT /me/drive/root:/{path}:/content`: writes the file whole, `201` when new, `200` when it
/// replaced one.
pub(crate) async fn put_content(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(item): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> GraphResult {
    let path = content_path(&item)?;
    if !can_write(&caller) {
        return Err(denied());
    }
    if body.len() > SIMPLE_UPLOAD_LIMIT {
        return Err(GraphError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "requestEntityTooLarge",
            "Files over 4 MB need an upload session.",
        ));
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/octet-stream")
        .to_owned();
    let now = app.clock.now();
    let mut t = app.tenant.write().unwrap_or_else(|e| e.into_inner());
    let key = path.to_lowercase();
    let status = if t.drive.contains_key(&key) { StatusCode::OK } else { StatusCode::CREATED };
    let id = t.drive.get(&key).map(|f| f.id.clone()).unwrap_or_else(|| format!("01{}", ids::core(&mut t.rng)));
    let created = t.drive.get(&key).map_or(now, |f| f.created);
    let file = DriveFile { id, path, content: body.to_vec(), content_type, created, modified: now };
    let answer = item_json(&app, &file);
    t.drive.insert(key, file);
    Ok(json_response(status, &answer))
}

/// `GET /me/drive/root:/{path}:/content`: the file's content (Graph redirects to a download
/// address; the simulator answers it directly).
pub(crate) async fn get_content(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(item): Path<String>,
) -> GraphResult {
    let path = content_path(&item)?;
    if !(can_write(&caller) || caller.has("Files.Read") || caller.has("Files.Read.All")) {
        return Err(denied());
    }
    let t = app.tenant.read().unwrap_or_else(|e| e.into_inner());
    let f = t
        .drive
        .get(&path.to_lowercase())
        .ok_or_else(|| GraphError::new(StatusCode::NOT_FOUND, "itemNotFound", "The resource could not be found."))?;
    Ok(([(header::CONTENT_TYPE, f.content_type.clone())], f.content.clone()).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_is_taken_only_in_the_content_form_and_with_names_onedrive_accepts() {
        assert_eq!(
            content_path("root:/Member Companion/Committee notes/2026-11-26 Council.md:/content").expect("ok"),
            "Member Companion/Committee notes/2026-11-26 Council.md"
        );
        for bad in [
            "root:/a/../b:/content",
            "root:/a//b:/content",
            "root:/a?b:/content",
            "items/abc/content",
            "root:/a :/content",
        ] {
            assert!(content_path(bad).is_err(), "{bad}");
        }
    }
}
