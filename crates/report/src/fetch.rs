//! The trial's lists, read through Graph by an officer (device code sign-in, read only) and
//! written as one CSV file a list: the same form as SharePoint's own export, so the report
//! reads either. SharePoint's record of who added each item is not written: the report knows
//! members only by their codes.

use companion_evidence::{trial_lists, ListSpec};
use companion_graph::{
    FixedNetwork, GraphClient, GraphError, GraphRequest, Network, NoMeter, Secret, SignIn, SignInConfig, SignInError,
    StaticToken,
};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where the lists are.
#[derive(Debug, Clone)]
pub struct ListsSource {
    /// The sign-in authority.
    pub authority: String,
    /// The public client the officer signs in with.
    pub client_id: String,
    /// The Graph root.
    pub graph_url: String,
    /// The trial site: `{hostname}:/sites/{path}`.
    pub site: String,
}

/// Why the lists could not be fetched.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FetchError {
    /// Signing in failed.
    #[error("signing in failed: {0}")]
    SignIn(#[from] SignInError),
    /// Graph refused or could not be reached.
    #[error("{doing}: {source}")]
    Graph {
        /// What was being done.
        doing: String,
        /// Why it failed.
        #[source]
        source: GraphError,
    },
    /// The site address is not `{hostname}:/sites/{path}`.
    #[error("“{0}” is not a site address: give {{hostname}}:/sites/{{path}}")]
    BadSite(String),
    /// A file could not be written.
    #[error("{file}: {source}")]
    Write {
        /// The file.
        file: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

/// The permission the report needs: reading the trial site.
pub const REPORT_SCOPES: &str = "openid profile offline_access Sites.Read.All";

/// Signs the officer in by the device code flow; `show` gets the code and the address first.
pub async fn sign_in(source: &ListsSource, show: impl FnOnce(&str, &str)) -> Result<Secret, FetchError> {
    let mut config = SignInConfig::entra(&source.authority, &source.client_id);
    config.scopes = REPORT_SCOPES.to_owned();
    let signin = SignIn::new(config)?;
    let pending = signin.begin_device_code().await?;
    show(pending.user_code(), pending.verification_uri());
    Ok(signin.finish_device_code(pending).await?.access_token)
}

/// Reads every trial list on the site into `{out}/{list}.csv`; returns each list's name and
/// how many items it had.
pub async fn fetch_lists(source: &ListsSource, token: &Secret, out: &Path) -> Result<Vec<(String, usize)>, FetchError> {
    let graph = GraphClient::new(
        &source.graph_url,
        Arc::new(StaticToken(Secret::new(token.expose()))),
        Arc::new(NoMeter),
        Arc::new(FixedNetwork(Network::Wifi)),
    )
    .map_err(|source| FetchError::Graph { doing: "starting the HTTP client".into(), source })?;
    let (host, path) = source.site.split_once(":/").ok_or_else(|| FetchError::BadSite(source.site.clone()))?;
    let site: serde_json::Value = graph
        .json(&GraphRequest::get(format!("/sites/{host}:/{path}"), companion_graph::Feature::Evidence))
        .await
        .map_err(|source| FetchError::Graph { doing: "finding the trial site".into(), source })?;
    let site_id = site["id"].as_str().ok_or_else(|| FetchError::BadSite(source.site.clone()))?;
    std::fs::create_dir_all(out).map_err(|source| FetchError::Write { file: out.to_owned(), source })?;
    let mut done = Vec::new();
    for spec in trial_lists() {
        let items = fetch_items(&graph, site_id, &spec).await?;
        let file = out.join(format!("{}.csv", spec.name));
        write_csv(&file, &spec, &items)?;
        done.push((spec.name.to_owned(), items.len()));
    }
    Ok(done)
}

async fn fetch_items(graph: &GraphClient, site: &str, spec: &ListSpec) -> Result<Vec<serde_json::Value>, FetchError> {
    let mut items = Vec::new();
    let mut next = format!("/sites/{site}/lists/{}/items?$expand=fields&$top=200", spec.name);
    loop {
        let page: serde_json::Value = graph
            .json(&GraphRequest::get(next.clone(), companion_graph::Feature::Evidence))
            .await
            .map_err(|source| FetchError::Graph { doing: format!("reading “{}”", spec.title), source })?;
        items.extend(page["value"].as_array().into_iter().flatten().cloned());
        match page["@odata.nextLink"].as_str() {
            Some(link) if graph.is_own_link(link) => next = link.to_owned(),
            _ => return Ok(items),
        }
    }
}

/// One cell: text as it is, numbers and yes/no as Graph gave them, nothing for an empty one.
fn cell(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn write_csv(file: &Path, spec: &ListSpec, items: &[serde_json::Value]) -> Result<(), FetchError> {
    let error = |source: std::io::Error| FetchError::Write { file: file.to_owned(), source };
    let mut w = csv::Writer::from_path(file).map_err(|e| error(e.into()))?;
    let mut header = vec!["ID".to_owned(), "Title".to_owned(), "Created".to_owned()];
    header.extend(spec.columns.iter().map(|c| c.name.clone()));
    w.write_record(&header).map_err(|e| error(e.into()))?;
    for item in items {
        let f = &item["fields"];
        let mut row = vec![cell(&item["id"]), cell(&f["Title"]), cell(&item["createdDateTime"])];
        row.extend(spec.columns.iter().map(|c| cell(&f[c.name.as_str()])));
        w.write_record(&row).map_err(|e| error(e.into()))?;
    }
    w.flush().map_err(error)
}
