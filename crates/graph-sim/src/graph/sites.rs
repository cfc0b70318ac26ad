//! SharePoint sites: finding one, who may do what on it, and the app grants `Sites.Selected`
//! rests on.
//!
//! Graph decides a SharePoint request on two things: what the token's permissions allow
//! (`Sites.Read.All` … `Sites.FullControl.All` on every site, or `Sites.Selected` on the sites
//! an administrator granted the app), and what the signed-in person may do there (a member
//! reads the intranet and adds to the trial site; ICT owns both). Both must allow it.

use super::parse_body;
use crate::auth::{Caller, Principal};
use crate::odata::{json_response, GraphError, GraphResult};
use crate::server::AppState;
use crate::tenant::{SharePoint, Site, SiteGrant};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Extension;
use rand::Rng as _;
use serde_json::{json, Value};

/// What a request needs on a site, weakest first (`Sites.Selected`'s roles, in order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Need {
    Read,
    Write,
    /// Lists and columns.
    Manage,
    /// Permissions and list settings.
    FullControl,
}

impl Need {
    fn role(self) -> &'static str {
        match self {
            Need::Read => "read",
            Need::Write => "write",
            Need::Manage => "manage",
            Need::FullControl => "fullcontrol",
        }
    }

    fn from_role(role: &str) -> Option<Need> {
        [Need::Read, Need::Write, Need::Manage, Need::FullControl].into_iter().find(|n| n.role() == role)
    }

    /// The tenant-wide delegated permission that allows this on every site.
    fn satisfied_by_scope(self, caller: &Caller) -> bool {
        let all = ["Sites.Read.All", "Sites.ReadWrite.All", "Sites.Manage.All", "Sites.FullControl.All"];
        all[self as usize..].iter().any(|s| caller.has(s))
    }
}

/// Which of the tenant's sites `id` names (its id, `root` for the intranet at the tenant's root).
pub(crate) fn site_by_id<'t>(t: &'t SharePoint, id: &str) -> Option<&'t Site> {
    [&t.site, &t.intranet].into_iter().find(|s| s.id.eq_ignore_ascii_case(id)).or((id == "root").then_some(&t.intranet))
}

pub(crate) fn site_by_id_mut<'t>(t: &'t mut SharePoint, id: &str) -> Option<&'t mut Site> {
    if t.site.id.eq_ignore_ascii_case(id) {
        Some(&mut t.site)
    } else if t.intranet.id.eq_ignore_ascii_case(id) || id == "root" {
        Some(&mut t.intranet)
    } else {
        None
    }
}

pub(crate) fn site_not_found() -> GraphError {
    GraphError::new(StatusCode::NOT_FOUND, "itemNotFound", "Requested site could not be found")
}

fn access_denied() -> GraphError {
    GraphError::new(StatusCode::FORBIDDEN, "accessDenied", "Access denied")
}

/// Whether `caller`, through the app `client_id`, may do `need` on `site`; Graph's 403 if not.
pub(crate) fn authorise(caller: &Caller, client_id: &str, site: &Site, need: Need, trial: bool) -> GraphResult<()> {
    let app_may = need.satisfied_by_scope(caller)
        || (caller.has("Sites.Selected") && site.app_roles(client_id).filter_map(Need::from_role).any(|r| r >= need));
    // What the person may do: ICT owns every site; a member reads the intranet and reads and
    // adds items on the trial site (each list's item-level security narrows that further).
    let person_may = match caller.principal {
        Principal::Administrator => true,
        Principal::Member => need <= if trial { Need::Write } else { Need::Read },
    };
    if app_may && person_may {
        Ok(())
    } else {
        Err(access_denied())
    }
}

/// Finds the site `id` and checks `need` on it, under the tenant's read lock.
pub(crate) fn checked<'t>(
    t: &'t SharePoint,
    app: &AppState,
    caller: &Caller,
    id: &str,
    need: Need,
) -> GraphResult<&'t Site> {
    let site = site_by_id(t, id).ok_or_else(site_not_found)?;
    authorise(caller, &app.config.client_id, site, need, std::ptr::eq(site, &t.site))?;
    Ok(site)
}

/// As [`checked`], for a change.
pub(crate) fn checked_mut<'t>(
    t: &'t mut SharePoint,
    app: &AppState,
    caller: &Caller,
    id: &str,
    need: Need,
) -> GraphResult<&'t mut Site> {
    let trial = t.site.id.eq_ignore_ascii_case(id);
    let client_id = app.config.client_id.clone();
    let site = site_by_id_mut(t, id).ok_or_else(site_not_found)?;
    authorise(caller, &client_id, site, need, trial)?;
    Ok(site)
}

pub(crate) fn site_json(app: &AppState, site: &Site) -> Value {
    json!({
        "id": site.id,
        "name": site.path,
        "displayName": site.display_name,
        // The site's address is the simulator's, so that a client calling SharePoint's own REST
        // API at the site's address (list settings, views) reaches it.
        "webUrl": format!("{}/sites/{}", app.base_url(), site.path),
        "siteCollection": {"hostname": "demoborough.sharepoint.com"},
    })
}

/// `GET /sites/{site}`.
pub(crate) async fn get_site(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(site): Path<String>,
) -> GraphResult {
    let t = app.sharepoint.read().unwrap_or_else(|e| e.into_inner());
    let s = checked(&t, &app, &caller, &site, Need::Read)?;
    Ok(json_response(StatusCode::OK, &site_json(&app, s)))
}

/// `GET /sites/{hostname}:/sites/{path}`: a site by its address, as an administrator knows it.
pub(crate) async fn get_site_by_path(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path((host, path)): Path<(String, String)>,
) -> GraphResult {
    let Some(host) = host.strip_suffix(':') else { return Err(site_not_found()) };
    if !host.eq_ignore_ascii_case("demoborough.sharepoint.com") {
        return Err(site_not_found());
    }
    let path = path.trim_end_matches(':');
    let t = app.sharepoint.read().unwrap_or_else(|e| e.into_inner());
    let id = [&t.site, &t.intranet]
        .into_iter()
        .find(|s| s.path.eq_ignore_ascii_case(path))
        .ok_or_else(site_not_found)?
        .id
        .clone();
    let s = checked(&t, &app, &caller, &id, Need::Read)?;
    Ok(json_response(StatusCode::OK, &site_json(&app, s)))
}

fn grant_json(g: &SiteGrant) -> Value {
    let identity = json!({"application": {"id": g.app_id, "displayName": g.app_name}});
    json!({"id": g.id, "roles": g.roles, "grantedToIdentitiesV2": [identity], "grantedToIdentities": [identity]})
}

/// `GET /sites/{site}/permissions`: the apps granted this site.
pub(crate) async fn list_permissions(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(site): Path<String>,
) -> GraphResult {
    let t = app.sharepoint.read().unwrap_or_else(|e| e.into_inner());
    let s = checked(&t, &app, &caller, &site, Need::FullControl)?;
    Ok(json_response(StatusCode::OK, &json!({"value": s.grants.iter().map(grant_json).collect::<Vec<_>>()})))
}

/// `POST /sites/{site}/permissions`: an administrator grants an app roles on this site alone.
pub(crate) async fn create_permission(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(site): Path<String>,
    body: Bytes,
) -> GraphResult {
    let req = parse_body(&body)?;
    let roles: Vec<String> = req["roles"]
        .as_array()
        .map(|r| r.iter().filter_map(|v| v.as_str()).map(str::to_ascii_lowercase).collect())
        .unwrap_or_default();
    if roles.is_empty() || roles.iter().any(|r| Need::from_role(r).is_none()) {
        return Err(GraphError::bad_request("roles must be one or more of read, write, manage, fullcontrol."));
    }
    let application = req["grantedToIdentities"]
        .as_array()
        .or(req["grantedToIdentitiesV2"].as_array())
        .and_then(|a| a.first())
        .map(|i| i["application"].clone())
        .unwrap_or(Value::Null);
    let (Some(app_id), app_name) = (application["id"].as_str(), application["displayName"].as_str().unwrap_or(""))
    else {
        return Err(GraphError::bad_request("grantedToIdentities must name an application by its id."));
    };
    let mut t = app.sharepoint.write().unwrap_or_else(|e| e.into_inner());
    let id = uuid::Builder::from_random_bytes(t.rng.random()).into_uuid().to_string();
    let s = checked_mut(&mut t, &app, &caller, &site, Need::FullControl)?;
    let grant = SiteGrant { id: id.clone(), app_id: app_id.to_owned(), app_name: app_name.to_owned(), roles };
    let answer = grant_json(&grant);
    s.grants.push(grant);
    Ok(json_response(StatusCode::CREATED, &answer))
}
