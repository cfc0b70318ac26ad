//! The council ICT's side of the trial's SharePoint: [`Admin::provision`] makes the trial's
//! lists on the trial site as [`companion_evidence::trial_lists`] describes them (typed columns,
//! the key columns indexed, members reading only their own items, the officers' views) and
//! grants the app that one site (`Sites.Selected`). Run it again and it changes only what
//! differs, and says so; it never changes a column's type or deletes anything an officer made.
//!
//! ICT signs in with the device code flow (RFC 8628): [`sign_in`] gets a Graph token and,
//! from the same sign-in, a token for SharePoint's own REST API (item-level permissions and
//! views are not in Graph).

use companion_evidence::{trial_lists, ColumnKind, ColumnSpec, ListSpec, MemberAccess, TrialList};
use companion_graph::{
    FixedNetwork, GraphClient, GraphError, GraphRequest, Method, Network, NoMeter, Secret, SignIn, SignInConfig,
    SignInError, StaticToken,
};
use serde_json::{json, Value};
use std::fmt;
use std::sync::Arc;

/// What provisioning needs to know.
#[derive(Debug, Clone)]
pub struct AdminConfig {
    /// The sign-in authority (`https://login.microsoftonline.com/{tenant}`).
    pub authority: String,
    /// The public client ICT signs in with (the app's registration, device code flow allowed).
    pub client_id: String,
    /// The Graph root (`https://graph.microsoft.com/v1.0`).
    pub graph_url: String,
    /// The trial site: `{hostname}:/sites/{path}` (e.g. `council.sharepoint.com:/sites/MemberTrial`) or its id.
    pub site: String,
}

/// Why provisioning stopped. What was changed before stays changed; running again carries on.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AdminError {
    /// Signing in failed.
    #[error("signing in failed: {0}")]
    SignIn(#[from] SignInError),
    /// Graph or SharePoint refused or could not be reached.
    #[error("{doing}: {source}")]
    Graph {
        /// What was being done.
        doing: String,
        /// Why it failed.
        #[source]
        source: GraphError,
    },
    /// The site address is not one this tool understands.
    #[error("“{0}” is not a site address: give `{{hostname}}:/sites/{{path}}` or the site's id")]
    BadSiteAddress(String),
    /// A column exists with another type; changing it could lose what is in it, so an
    /// officer decides.
    #[error("the list “{list}” already has a column “{column}” that is {found}, not {wanted}: rename or remove it, then run provision again")]
    ColumnConflict {
        /// The list.
        list: String,
        /// The column.
        column: String,
        /// Its type on the site.
        found: String,
        /// The type the app writes.
        wanted: String,
    },
    /// An answer lacked what Graph documents.
    #[error("the answer to “{0}” was not as documented")]
    Malformed(String),
}

type Result<T, E = AdminError> = std::result::Result<T, E>;

fn graph_error(doing: impl Into<String>) -> impl FnOnce(GraphError) -> AdminError {
    let doing = doing.into();
    move |source| AdminError::Graph { doing, source }
}

/// One thing provisioning changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A list was made, with its columns.
    ListCreated {
        /// Its title.
        list: String,
        /// How many columns it was made with.
        columns: usize,
    },
    /// A list's title was set.
    ListTitled {
        /// Its address name.
        list: String,
        /// The new title.
        title: String,
    },
    /// A column was added to an existing list.
    ColumnAdded {
        /// The list.
        list: String,
        /// The column.
        column: String,
    },
    /// A column was indexed.
    ColumnIndexed {
        /// The list.
        list: String,
        /// The column.
        column: String,
    },
    /// A choice column's choices were brought up to date.
    ChoicesUpdated {
        /// The list.
        list: String,
        /// The column.
        column: String,
    },
    /// Who may read and edit which items.
    ItemPermissionsSet {
        /// The list.
        list: String,
        /// What members may do.
        access: MemberAccess,
    },
    /// A view was added.
    ViewAdded {
        /// The list.
        list: String,
        /// The view's title.
        view: String,
    },
    /// The app was granted the site.
    AppGranted {
        /// The app's client id.
        app_id: String,
        /// The role granted.
        role: String,
    },
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Change::ListCreated { list, columns } => write!(f, "made the list “{list}” with {columns} columns"),
            Change::ListTitled { list, title } => write!(f, "titled the list {list} “{title}”"),
            Change::ColumnAdded { list, column } => write!(f, "added the column {column} to “{list}”"),
            Change::ColumnIndexed { list, column } => write!(f, "indexed the column {column} of “{list}”"),
            Change::ChoicesUpdated { list, column } => write!(f, "updated the choices of {column} in “{list}”"),
            Change::ItemPermissionsSet { list, access } => {
                let what = match access {
                    MemberAccess::OwnItems => "members read and edit only their own items",
                    MemberAccess::AllItems => "members read and edit every item",
                    MemberAccess::ReadAllEditOwn => "members read every item and edit only their own",
                    MemberAccess::ReadOnly => "members read every item and add or edit none",
                };
                write!(f, "set “{list}” so that {what}")
            }
            Change::ViewAdded { list, view } => write!(f, "added the view “{view}” to “{list}”"),
            Change::AppGranted { app_id, role } => write!(f, "granted the app {app_id} {role} on this site alone"),
        }
    }
}

/// The trial site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrialSite {
    /// Graph's site id.
    pub id: String,
    /// The site's address (SharePoint's REST API lives under it).
    pub web_url: String,
    /// Its title.
    pub display_name: String,
}

/// One of the trial's lists as it stands after provisioning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProvisionedList {
    /// Which list.
    pub role: TrialList,
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
}

/// What provisioning found and did.
#[derive(Debug, Clone)]
pub struct Provisioned {
    /// The site.
    pub site: TrialSite,
    /// The lists.
    pub lists: Vec<ProvisionedList>,
    /// What changed (empty when the site already matched).
    pub changes: Vec<Change>,
}

impl Provisioned {
    /// The lines of the app's configuration that point it at these lists (by id, which
    /// survives an officer renaming a list).
    pub fn app_config(&self) -> String {
        let key = |role| match role {
            TrialList::Surveys => "trial-surveys-list",
            TrialList::SurveyAnswers => "trial-answers-list",
            TrialList::Support => "trial-support-list",
            TrialList::Usage => "trial-usage-list",
            TrialList::DeviceWipes => "device-wipe-list",
            TrialList::SurveyDefinitions => "trial-survey-definitions-list",
            TrialList::SurveyProblems => "trial-survey-problems-list",
        };
        let mut out = format!("trial-site-id = \"{}\"\n", self.site.id);
        for l in &self.lists {
            out.push_str(&format!("{} = \"{}\"   # {}\n", key(l.role), l.id, l.title));
        }
        out
    }
}

/// The app to grant the site to (`Sites.Selected`).
#[derive(Debug, Clone)]
pub struct AppGrant {
    /// The app's client id.
    pub app_id: String,
    /// Its name, as the site's permissions show it.
    pub display_name: String,
}

/// ICT's tokens: one for Graph, one for SharePoint's REST API on the tenant's host.
pub struct AdminTokens {
    /// For Graph.
    pub graph: Secret,
    /// For `https://{host}/_api`.
    pub sharepoint: Secret,
}

/// The Graph permission provisioning needs: making lists and granting apps a site.
pub const GRAPH_SCOPES: &str = "openid profile offline_access Sites.FullControl.All";

/// Signs ICT in by the device code flow: `show` is given the code and the address to enter
/// it at (print them, or in a test approve them) before the wait starts. A second token, for
/// SharePoint's REST API on `host`, comes from the same sign-in's refresh token.
pub async fn sign_in(config: &AdminConfig, host: &str, show: impl FnOnce(&str, &str)) -> Result<AdminTokens> {
    let mut signin = SignInConfig::entra(&config.authority, &config.client_id);
    signin.scopes = GRAPH_SCOPES.to_owned();
    let graph = SignIn::new(signin.clone())?;
    let pending = graph.begin_device_code().await?;
    show(pending.user_code(), pending.verification_uri());
    let tokens = graph.finish_device_code(pending).await?;
    let refresh = tokens.refresh_token.ok_or_else(|| AdminError::Malformed("the device code sign-in".into()))?;
    // Entra gives a token for one resource at a time: SharePoint's comes from the refresh token.
    signin.scopes = format!("https://{host}/AllSites.FullControl offline_access");
    let sharepoint = SignIn::new(signin)?.refresh(&refresh).await?;
    Ok(AdminTokens { graph: tokens.access_token, sharepoint: sharepoint.access_token })
}

/// What `member-companion-admin provision` does: signs ICT in (`show` gets the code and the
/// address), finds the trial site, and provisions it, granting `app` the site when given.
pub async fn run_provision(
    config: &AdminConfig,
    app: Option<&AppGrant>,
    show: impl FnOnce(&str, &str),
) -> Result<Provisioned> {
    let host = site_host(&config.site).ok_or_else(|| AdminError::BadSiteAddress(config.site.clone()))?;
    let tokens = sign_in(config, host, show).await?;
    let admin = Admin::new(&config.graph_url, &tokens)?;
    let site = admin.find_site(&config.site).await?;
    admin.provision(&site, app).await
}

/// The SharePoint host a site address names (`council.sharepoint.com:/sites/X` → `council.sharepoint.com`).
pub fn site_host(site: &str) -> Option<&str> {
    let host = site.split([':', ',']).next()?.trim();
    host.contains('.').then_some(host)
}

/// ICT's connection to the trial site.
pub struct Admin {
    graph: GraphClient,
    sharepoint: GraphClient,
}

fn client(graph_url: &str, token: &Secret) -> Result<GraphClient> {
    GraphClient::new(
        graph_url,
        Arc::new(StaticToken(Secret::new(token.expose()))),
        Arc::new(NoMeter),
        Arc::new(FixedNetwork(Network::Wifi)),
    )
    .map_err(graph_error("starting the HTTP client"))
}

fn column_definition(c: &ColumnSpec) -> Value {
    let mut v = json!({"name": c.name, "displayName": c.title, "indexed": c.indexed});
    match c.kind {
        ColumnKind::Text => v["text"] = json!({"allowMultipleLines": false, "maxLength": 255}),
        ColumnKind::Note => v["text"] = json!({"allowMultipleLines": true}),
        ColumnKind::Number => v["number"] = json!({}),
        ColumnKind::YesNo => v["boolean"] = json!({}),
        ColumnKind::DateTime => v["dateTime"] = json!({"format": "dateTime"}),
        ColumnKind::Choice(choices) => v["choice"] = json!({"choices": choices, "allowTextEntry": false}),
    }
    v
}

/// A column's type as the site has it, in words.
fn found_kind(c: &Value) -> String {
    if c["text"]["allowMultipleLines"] == true {
        "several lines of text".into()
    } else if c.get("text").is_some() {
        "a line of text".into()
    } else if c.get("number").is_some() {
        "a number".into()
    } else if c.get("boolean").is_some() {
        "yes or no".into()
    } else if c.get("dateTime").is_some() {
        "a date".into()
    } else if c.get("choice").is_some() {
        "a choice".into()
    } else {
        "another type".into()
    }
}

fn wanted_kind(k: ColumnKind) -> &'static str {
    match k {
        ColumnKind::Text => "a line of text",
        ColumnKind::Note => "several lines of text",
        ColumnKind::Number => "a number",
        ColumnKind::YesNo => "yes or no",
        ColumnKind::DateTime => "a date",
        ColumnKind::Choice(_) => "a choice",
    }
}

impl Admin {
    /// A connection with ICT's tokens.
    pub fn new(graph_url: &str, tokens: &AdminTokens) -> Result<Self> {
        Ok(Self { graph: client(graph_url, &tokens.graph)?, sharepoint: client(graph_url, &tokens.sharepoint)? })
    }

    async fn graph_json(&self, req: GraphRequest, doing: &str) -> Result<Value> {
        self.graph.json(&req).await.map_err(graph_error(doing))
    }

    async fn rest_json(&self, req: GraphRequest, doing: &str) -> Result<Value> {
        self.sharepoint.json(&req.accept(SHAREPOINT_JSON)).await.map_err(graph_error(doing))
    }

    /// Finds the trial site by its address or id.
    pub async fn find_site(&self, address: &str) -> Result<TrialSite> {
        let address = address.trim();
        let path = if let Some((host, path)) = address.split_once(":/") {
            if host.is_empty() || !path.starts_with("sites/") {
                return Err(AdminError::BadSiteAddress(address.to_owned()));
            }
            format!("/sites/{host}:/{path}")
        } else if address.contains(',') {
            format!("/sites/{address}")
        } else {
            return Err(AdminError::BadSiteAddress(address.to_owned()));
        };
        let site = self
            .graph_json(GraphRequest::get(path, companion_graph::Feature::Evidence), "finding the trial site")
            .await?;
        let text =
            |k: &str| site[k].as_str().map(str::to_owned).ok_or_else(|| AdminError::Malformed("the site".into()));
        Ok(TrialSite {
            id: text("id")?,
            web_url: text("webUrl")?,
            display_name: text("displayName").unwrap_or_default(),
        })
    }

    /// Makes or brings up to date every one of the trial's lists on `site`, and grants `app`
    /// the site if it has not been granted it.
    pub async fn provision(&self, site: &TrialSite, app: Option<&AppGrant>) -> Result<Provisioned> {
        let mut changes = Vec::new();
        let mut lists = Vec::new();
        let existing = self
            .graph_json(GraphRequest::get(format!("/sites/{}/lists", site.id), FEATURE), "reading the site's lists")
            .await?;
        for spec in trial_lists() {
            let found = existing["value"].as_array().into_iter().flatten().find(|l| {
                l["name"].as_str().is_some_and(|n| n.eq_ignore_ascii_case(spec.name))
                    || l["displayName"].as_str().is_some_and(|n| n == spec.title)
            });
            let id = match found.and_then(|l| l["id"].as_str()) {
                Some(id) => {
                    self.update_columns(site, id, &spec, &mut changes).await?;
                    id.to_owned()
                }
                None => self.create_list(site, &spec, &mut changes).await?,
            };
            self.set_permissions_and_title(site, &id, &spec, &mut changes).await?;
            self.add_views(site, &id, &spec, &mut changes).await?;
            lists.push(ProvisionedList { role: spec.role, id, title: spec.title.to_owned() });
        }
        if let Some(app) = app {
            self.grant(site, app, &mut changes).await?;
        }
        Ok(Provisioned { site: site.clone(), lists, changes })
    }

    async fn create_list(&self, site: &TrialSite, spec: &ListSpec, changes: &mut Vec<Change>) -> Result<String> {
        // Made under its address name (the URL keeps it), then titled for the officers.
        let body = json!({
            "displayName": spec.name,
            "columns": spec.columns.iter().map(column_definition).collect::<Vec<_>>(),
            "list": {"template": "genericList"},
        });
        let made = self
            .graph_json(
                GraphRequest::with_json(Method::POST, format!("/sites/{}/lists", site.id), body, FEATURE),
                &format!("making the list “{}”", spec.title),
            )
            .await?;
        let id = made["id"].as_str().ok_or_else(|| AdminError::Malformed("making a list".into()))?.to_owned();
        changes.push(Change::ListCreated { list: spec.title.to_owned(), columns: spec.columns.len() });
        // Graph may not index a column made with the list: check as for an existing one.
        self.update_columns(site, &id, spec, changes).await?;
        Ok(id)
    }

    async fn update_columns(
        &self,
        site: &TrialSite,
        list: &str,
        spec: &ListSpec,
        changes: &mut Vec<Change>,
    ) -> Result<()> {
        let columns_path = format!("/sites/{}/lists/{list}/columns", site.id);
        let doing = format!("reading the columns of “{}”", spec.title);
        let have = self.graph_json(GraphRequest::get(columns_path.clone(), FEATURE), &doing).await?;
        let have = have["value"].as_array().cloned().unwrap_or_default();
        for c in &spec.columns {
            let Some(existing) = have.iter().find(|h| h["name"] == c.name.as_str()) else {
                let doing = format!("adding the column {} to “{}”", c.name, spec.title);
                self.graph_json(
                    GraphRequest::with_json(Method::POST, columns_path.clone(), column_definition(c), FEATURE),
                    &doing,
                )
                .await?;
                changes.push(Change::ColumnAdded { list: spec.title.to_owned(), column: c.name.clone() });
                continue;
            };
            let found = found_kind(existing);
            if found != wanted_kind(c.kind) {
                return Err(AdminError::ColumnConflict {
                    list: spec.title.to_owned(),
                    column: c.name.clone(),
                    found,
                    wanted: wanted_kind(c.kind).to_owned(),
                });
            }
            let column_path = format!("{columns_path}/{}", existing["id"].as_str().unwrap_or(&c.name));
            if let ColumnKind::Choice(choices) = c.kind {
                let on_site: Vec<&str> =
                    existing["choice"]["choices"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
                // New choices are added; ones the site has that the app no longer writes stay
                // (items may hold them).
                if choices.iter().any(|ch| !on_site.contains(ch)) {
                    let mut all: Vec<&str> = on_site.clone();
                    all.extend(choices.iter().filter(|ch| !on_site.contains(ch)));
                    let body = json!({"choice": {"choices": all, "allowTextEntry": false}});
                    let doing = format!("updating the choices of {} in “{}”", c.name, spec.title);
                    self.graph_json(GraphRequest::with_json(Method::PATCH, column_path.clone(), body, FEATURE), &doing)
                        .await?;
                    changes.push(Change::ChoicesUpdated { list: spec.title.to_owned(), column: c.name.clone() });
                }
            }
            if c.indexed && existing["indexed"] != true {
                let doing = format!("indexing the column {} of “{}”", c.name, spec.title);
                self.graph_json(
                    GraphRequest::with_json(Method::PATCH, column_path, json!({"indexed": true}), FEATURE),
                    &doing,
                )
                .await?;
                changes.push(Change::ColumnIndexed { list: spec.title.to_owned(), column: c.name.clone() });
            }
        }
        Ok(())
    }

    fn rest_list(site: &TrialSite, list: &str) -> String {
        format!("{}/_api/web/lists(guid'{list}')", site.web_url.trim_end_matches('/'))
    }

    async fn set_permissions_and_title(
        &self,
        site: &TrialSite,
        list: &str,
        spec: &ListSpec,
        changes: &mut Vec<Change>,
    ) -> Result<()> {
        let url = Self::rest_list(site, list);
        let now = self
            .rest_json(GraphRequest::get(url.clone(), FEATURE), &format!("reading the settings of “{}”", spec.title))
            .await?;
        // SharePoint's item-level permissions: ReadSecurity 2 and WriteSecurity 2 are "only
        // their own", 1 "all items", WriteSecurity 4 "none".
        let (read, write) = spec.access.security();
        let mut change = serde_json::Map::new();
        if now["ReadSecurity"] != read || now["WriteSecurity"] != write {
            change.insert("ReadSecurity".into(), json!(read));
            change.insert("WriteSecurity".into(), json!(write));
            changes.push(Change::ItemPermissionsSet { list: spec.title.to_owned(), access: spec.access });
        }
        if now["Title"] != spec.title {
            change.insert("Title".into(), json!(spec.title));
            changes.push(Change::ListTitled { list: spec.name.to_owned(), title: spec.title.to_owned() });
        }
        if !change.is_empty() {
            let doing = format!("setting who may read “{}”", spec.title);
            self.sharepoint
                .send(
                    &GraphRequest::with_json(Method::PATCH, url, Value::Object(change), FEATURE)
                        .if_match("*")
                        .accept(SHAREPOINT_JSON),
                )
                .await
                .map_err(graph_error(doing))?;
        }
        Ok(())
    }

    async fn add_views(&self, site: &TrialSite, list: &str, spec: &ListSpec, changes: &mut Vec<Change>) -> Result<()> {
        let views = format!("{}/views", Self::rest_list(site, list));
        let have = self
            .rest_json(GraphRequest::get(views.clone(), FEATURE), &format!("reading the views of “{}”", spec.title))
            .await?;
        for view in &spec.views {
            let exists = have["value"].as_array().into_iter().flatten().any(|v| v["Title"] == view.title);
            if exists {
                continue;
            }
            let body = json!({"parameters": {
                "Title": view.title,
                "ViewFields": view.fields,
                "Query": view.query,
                "RowLimit": 100,
                "PersonalView": false,
            }});
            let doing = format!("adding the view “{}” to “{}”", view.title, spec.title);
            self.rest_json(GraphRequest::with_json(Method::POST, format!("{views}/add"), body, FEATURE), &doing)
                .await?;
            changes.push(Change::ViewAdded { list: spec.title.to_owned(), view: view.title.to_owned() });
        }
        Ok(())
    }

    async fn grant(&self, site: &TrialSite, app: &AppGrant, changes: &mut Vec<Change>) -> Result<()> {
        let path = format!("/sites/{}/permissions", site.id);
        let have =
            self.graph_json(GraphRequest::get(path.clone(), FEATURE), "reading the site's app permissions").await?;
        let granted = have["value"].as_array().into_iter().flatten().any(|p| {
            let apps = p["grantedToIdentitiesV2"].as_array().or(p["grantedToIdentities"].as_array());
            let this_app = apps.into_iter().flatten().any(|i| i["application"]["id"] == app.app_id.as_str());
            let writes = p["roles"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|r| ["write", "manage", "fullcontrol", "owner"].contains(&r.as_str().unwrap_or("")));
            this_app && writes
        });
        if !granted {
            let body = json!({
                "roles": ["write"],
                "grantedToIdentities": [{"application": {"id": app.app_id, "displayName": app.display_name}}],
            });
            self.graph_json(GraphRequest::with_json(Method::POST, path, body, FEATURE), "granting the app the site")
                .await?;
            changes.push(Change::AppGranted { app_id: app.app_id.clone(), role: "write".into() });
        }
        Ok(())
    }
}

/// SharePoint's REST API answers in JSON only when asked (otherwise Atom XML).
const SHAREPOINT_JSON: &str = "application/json;odata=nometadata";

/// ICT's traffic is counted under the evidence feature (the admin tool meters nothing itself).
const FEATURE: companion_graph::Feature = companion_graph::Feature::Evidence;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_site_address_names_its_host() {
        assert_eq!(site_host("council.sharepoint.com:/sites/MemberTrial"), Some("council.sharepoint.com"));
        assert_eq!(site_host("council.sharepoint.com,abc,def"), Some("council.sharepoint.com"));
        assert_eq!(site_host("MemberTrial"), None);
    }

    #[test]
    fn every_kind_of_column_is_defined_with_its_graph_facet_and_found_again_as_the_same_kind() {
        for kind in [
            ColumnKind::Text,
            ColumnKind::Note,
            ColumnKind::Number,
            ColumnKind::YesNo,
            ColumnKind::DateTime,
            ColumnKind::Choice(&["A", "B"]),
        ] {
            let spec = ColumnSpec { name: "X".into(), title: "X".into(), kind, indexed: false };
            assert_eq!(found_kind(&column_definition(&spec)), wanted_kind(kind));
        }
    }
}
