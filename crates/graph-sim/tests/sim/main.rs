//! The simulator, driven over HTTP as a Graph client would.
#![allow(missing_docs)] // test helpers

mod auth;
mod batch;
mod binary;
mod calendar;
mod compose;
mod conformance;
mod delta;
mod directory;
mod faults;
mod lists;
mod mail;

use companion_graph_sim::{headless, GraphSim, SimConfig};
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde_json::Value;

/// A running simulator with a signed-in client.
pub struct Harness {
    pub sim: GraphSim,
    pub client: reqwest::Client,
    pub token: String,
}

/// An answer: status, headers and JSON body (null when empty or not JSON).
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub json: Value,
}

impl Harness {
    pub async fn start(config: SimConfig) -> Self {
        let sim = GraphSim::start(config).await.expect("simulator starts");
        let c = sim.credentials();
        let tokens = headless::sign_in(&c.authority, &c.client_id, &c.scopes).await.expect("demo sign-in");
        let client = reqwest::Client::builder().gzip(true).build().expect("client");
        Self { sim, client, token: tokens.access_token }
    }

    /// A tenant whose tokens outlive the days a test lets pass on the simulated clock.
    pub async fn long_lived(mut config: SimConfig) -> Self {
        config.access_token_lifetime = chrono::Duration::days(60);
        Self::start(config).await
    }

    pub async fn small() -> Self {
        Self::start(SimConfig::default().with_messages(300).with_events(120).with_contacts(60)).await
    }

    pub fn url(&self, path: &str) -> String {
        if path.starts_with("http") {
            path.to_owned()
        } else {
            format!("{}{path}", self.sim.graph_url())
        }
    }

    pub async fn send(&self, req: reqwest::RequestBuilder) -> Answer {
        let resp = req.bearer_auth(&self.token).send().await.expect("request is answered");
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = resp.bytes().await.expect("body");
        let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Answer { status, headers, json }
    }

    pub async fn get(&self, path: &str) -> Answer {
        self.send(self.client.get(self.url(path)).header("prefer", "IdType=\"ImmutableId\"")).await
    }

    pub async fn get_prefer(&self, path: &str, prefer: &str) -> Answer {
        self.send(self.client.get(self.url(path)).header("prefer", prefer)).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Answer {
        self.send(self.client.post(self.url(path)).header("prefer", "IdType=\"ImmutableId\"").json(&body)).await
    }

    pub async fn patch(&self, path: &str, body: Value) -> Answer {
        self.send(self.client.patch(self.url(path)).header("prefer", "IdType=\"ImmutableId\"").json(&body)).await
    }

    /// Follows a delta round to its end; returns every item and the deltaLink.
    pub async fn delta_round(&self, first: &str, prefer: &str) -> (Vec<Value>, String) {
        let mut items = Vec::new();
        let mut next = self.url(first);
        loop {
            let page = self.get_prefer(&next, prefer).await;
            assert_eq!(page.status, StatusCode::OK, "{}", page.json);
            items.extend(page.json["value"].as_array().cloned().unwrap_or_default());
            let (n, d) = (page.json["@odata.nextLink"].as_str(), page.json["@odata.deltaLink"].as_str());
            assert!(n.is_some() != d.is_some(), "a page has exactly one of nextLink and deltaLink");
            match (n, d) {
                (Some(n), _) => next = n.to_owned(),
                (_, Some(d)) => return (items, d.to_owned()),
                _ => unreachable!(),
            }
        }
    }

    /// Signs ICT's administrator in by the device code flow (as `member-companion-admin` does)
    /// with `scope`, approving the code as a person would at the login page.
    pub async fn administrator_token(&self, scope: &str) -> String {
        let c = self.sim.credentials();
        let code: Value = self
            .client
            .post(format!("{}/oauth2/v2.0/devicecode", c.authority))
            .form(&[("client_id", c.client_id.as_str()), ("scope", scope)])
            .send()
            .await
            .expect("device code")
            .json()
            .await
            .expect("device code JSON");
        let user_code = code["user_code"].as_str().expect("user code");
        assert!(self.sim.approve_device_code(user_code, companion_graph_sim::Principal::Administrator));
        let tokens: Value = self
            .client
            .post(format!("{}/oauth2/v2.0/token", c.authority))
            .form(&[
                ("client_id", c.client_id.as_str()),
                ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
                ("device_code", code["device_code"].as_str().expect("device code")),
            ])
            .send()
            .await
            .expect("token")
            .json()
            .await
            .expect("token JSON");
        tokens["access_token"].as_str().expect("access token").to_owned()
    }

    /// Sends `req` with `token` instead of the member's.
    pub async fn send_as(&self, token: &str, req: reqwest::RequestBuilder) -> Answer {
        let resp = req.bearer_auth(token).send().await.expect("request is answered");
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = resp.bytes().await.expect("body");
        let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Answer { status, headers, json }
    }

    /// As ICT: makes a list on the trial site with `columns` and grants the app `write` on the
    /// site (`Sites.Selected`), as `member-companion-admin provision` does.
    pub async fn provision_list(&self, display_name: &str, columns: Value) {
        let admin = self.administrator_token("Sites.FullControl.All").await;
        let site = self.sim.site_id();
        let made = self
            .send_as(
                &admin,
                self.client
                    .post(self.url(&format!("/sites/{site}/lists")))
                    .json(&serde_json::json!({"displayName": display_name, "columns": columns, "list": {"template": "genericList"}})),
            )
            .await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.json);
        self.grant_app(&admin, "write").await;
    }

    /// As ICT: grants the app `role` on the trial site (once is enough; twice is harmless).
    pub async fn grant_app(&self, admin: &str, role: &str) {
        let site = self.sim.site_id();
        let c = self.sim.credentials();
        let granted = self
            .send_as(
                admin,
                self.client.post(self.url(&format!("/sites/{site}/permissions"))).json(&serde_json::json!({
                    "roles": [role],
                    "grantedToIdentities": [{"application": {"id": c.client_id, "displayName": "Member Companion"}}],
                })),
            )
            .await;
        assert_eq!(granted.status, StatusCode::CREATED, "{}", granted.json);
    }

    pub fn folder_id(&self, name: &str) -> String {
        self.sim.snapshot().folders.into_iter().find(|(_, n)| n == name).map(|(id, _)| id).expect("folder exists")
    }
}
