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

    pub fn folder_id(&self, name: &str) -> String {
        self.sim.snapshot().folders.into_iter().find(|(_, n)| n == name).map(|(id, _)| id).expect("folder exists")
    }
}
