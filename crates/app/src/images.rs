//! "Show images": the app fetches a message's remote pictures itself, metered like every other
//! byte, and hands them to the frame as `data:` URLs. The page's CSP then never needs to allow
//! a remote image, and a tracker in a message can never load unless the member asked.

use base64::Engine;
use companion_graph::{Feature, Meter, NetworkProbe, Traffic};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

/// At most this many pictures per message.
pub(crate) const MAX_IMAGES: usize = 40;
/// A picture larger than this is left out (a newsletter banner is rarely 500 KB).
pub(crate) const MAX_IMAGE_BYTES: usize = 2 * 1024 * 1024;
/// The types a picture may have; SVG is left out, being a document rather than a picture.
const PICTURE_TYPES: [&str; 5] = ["image/png", "image/jpeg", "image/gif", "image/webp", "image/avif"];

/// Fetches pictures over plain HTTPS (no cookies, no council token), metered.
pub(crate) struct ImageFetcher {
    http: reqwest::Client,
    meter: Arc<dyn Meter>,
    network: Arc<dyn NetworkProbe>,
}

impl ImageFetcher {
    pub(crate) fn new(meter: Arc<dyn Meter>, network: Arc<dyn NetworkProbe>) -> Result<Self, String> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(15))
            .redirect(reqwest::redirect::Policy::limited(3))
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Self { http, meter, network })
    }

    /// Fetches up to [`MAX_IMAGES`] of `urls`, four at a time; returns address → data URL
    /// for the ones that came back as pictures within the size limit.
    pub(crate) async fn fetch(&self, urls: &[String]) -> HashMap<String, String> {
        let wanted: Vec<&String> = urls.iter().take(MAX_IMAGES).collect();
        let mut fetched = HashMap::new();
        for four in wanted.chunks(4) {
            let answers = futures_util::future::join_all(four.iter().map(|url| self.one(url))).await;
            for (url, answer) in four.iter().zip(answers) {
                if let Some(data) = answer {
                    fetched.insert((*url).clone(), data);
                }
            }
        }
        fetched
    }

    async fn one(&self, url: &str) -> Option<String> {
        // Protocol-relative addresses are fetched over HTTPS.
        let url = if url.starts_with("//") { format!("https:{url}") } else { url.to_owned() };
        let network = self.network.current();
        let up = (url.len() + 120) as u64;
        let record = |down: u64| self.meter.record(Traffic { feature: Feature::MailBodies, network, up, down });
        let Ok(resp) = self.http.get(&url).send().await else {
            record(0);
            return None;
        };
        let head: u64 = resp.headers().iter().map(|(k, v)| (k.as_str().len() + v.len() + 4) as u64).sum::<u64>() + 17;
        let kind = resp
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
            .unwrap_or_default();
        let declared = resp.content_length().unwrap_or(0);
        if !resp.status().is_success() || !PICTURE_TYPES.contains(&kind.as_str()) || declared > MAX_IMAGE_BYTES as u64 {
            record(head);
            return None;
        }
        // Read in chunks so a server that lies about the length cannot make us take more.
        let mut body = Vec::new();
        let mut resp = resp;
        while let Ok(Some(chunk)) = resp.chunk().await {
            body.extend_from_slice(&chunk);
            if body.len() > MAX_IMAGE_BYTES {
                record(head + body.len() as u64);
                return None;
            }
        }
        record(head + body.len() as u64);
        Some(format!("data:{kind};base64,{}", base64::engine::general_purpose::STANDARD.encode(&body)))
    }
}
