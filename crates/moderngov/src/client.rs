//! Asking a council's modern.gov: its web service's GET form, retried when the network or the
//! server stumbles, every exchange metered.

use crate::{model, xml, Committee, Meeting, MeetingSummary, ModernGovError, PaperDocument};
use backon::{ExponentialBuilder, Retryable};
use chrono::NaiveDate;
use companion_graph::{Feature, Meter, NetworkProbe, Traffic};
use reqwest::header::{HeaderMap, ACCEPT_ENCODING, CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE};
use std::io::Read as _;
use std::ops::ControlFlow;
use std::sync::Arc;
use std::time::Duration;
use url::Url;

/// The largest answer to an XML question read (a year of a busy committee is well under).
const LARGEST_XML: u64 = 16 * 1024 * 1024;

/// A council's modern.gov site: the address its web service sits under, e.g.
/// `https://democracy.example.gov.uk/` (many councils' are public).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModernGovSite {
    base: Url,
}

impl ModernGovSite {
    /// The site at `address`: HTTPS, or plain HTTP on this machine alone (the simulator).
    pub fn parse(address: &str) -> Result<Self, ModernGovError> {
        let mut base = Url::parse(address.trim()).map_err(|e| ModernGovError::Address(format!("{address}: {e}")))?;
        let local = base.host_str().is_some_and(|h| h == "127.0.0.1" || h == "localhost" || h == "[::1]");
        if base.scheme() != "https" && !(base.scheme() == "http" && local) {
            return Err(ModernGovError::Address(format!("{address}: the committee site must be reached over HTTPS")));
        }
        if !base.path().ends_with('/') {
            let path = format!("{}/", base.path());
            base.set_path(&path);
        }
        base.set_query(None);
        base.set_fragment(None);
        Ok(Self { base })
    }

    /// The service's address for `operation`.
    fn operation(&self, operation: &str) -> Url {
        let mut url = self.base.clone();
        url.set_path(&format!("{}mgWebService.asmx/{operation}", self.base.path()));
        url
    }

    /// A paper's address as the service gave it, if it is on this site: a paper elsewhere is
    /// never fetched (the app would be sending the member's requests where the council did
    /// not say).
    pub(crate) fn paper_address(&self, address: &str) -> Result<Url, ModernGovError> {
        let url = self.base.join(address).map_err(|e| ModernGovError::Address(format!("{address}: {e}")))?;
        if url.origin() != self.base.origin() {
            return Err(ModernGovError::Address(format!("{address} is not on the council's committee site")));
        }
        Ok(url)
    }

    /// The site's address.
    pub fn address(&self) -> &Url {
        &self.base
    }
}

/// Reads one council's modern.gov.
pub struct ModernGovClient {
    site: ModernGovSite,
    http: reqwest::Client,
    meter: Arc<dyn Meter>,
    network: Arc<dyn NetworkProbe>,
    backoff: ExponentialBuilder,
}

/// What came back: status, headers and the body as it was sent (before gzip is undone).
struct Answer {
    status: u16,
    headers: HeaderMap,
    body: bytes::Bytes,
}

fn header_bytes(headers: &HeaderMap) -> u64 {
    headers.iter().map(|(k, v)| (k.as_str().len() + v.len() + 4) as u64).sum()
}

impl ModernGovClient {
    /// A client of `site`, metering through `meter` on the network `network` says.
    pub fn new(
        site: ModernGovSite,
        meter: Arc<dyn Meter>,
        network: Arc<dyn NetworkProbe>,
    ) -> Result<Self, ModernGovError> {
        let http = reqwest::Client::builder()
            // Compression is asked for and undone here, so the meter counts what crossed the
            // network, not what it unpacked to.
            .no_gzip()
            .connect_timeout(Duration::from_secs(15))
            .read_timeout(Duration::from_secs(60))
            // A restricted paper sends the member to the site's sign-in: followed on the site
            // itself (to be recognised as such), never to another.
            .redirect(reqwest::redirect::Policy::custom(|attempt| {
                let same_site =
                    attempt.previous().first().is_some_and(|first| first.origin() == attempt.url().origin());
                if same_site && attempt.previous().len() < 4 {
                    attempt.follow()
                } else {
                    attempt.stop()
                }
            }))
            .user_agent(concat!("MemberCompanion/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ModernGovError::Network(e.to_string()))?;
        let backoff = ExponentialBuilder::default()
            .with_min_delay(Duration::from_millis(500))
            .with_max_delay(Duration::from_secs(8))
            .with_max_times(3)
            .with_jitter();
        Ok(Self { site, http, meter, network, backoff })
    }

    /// The site this client reads.
    pub fn site(&self) -> &ModernGovSite {
        &self.site
    }

    fn record(&self, network: companion_graph::Network, up: u64, down: u64) {
        self.meter.record(Traffic { feature: Feature::CommitteePapers, network, up, down });
    }

    /// Sends one request and waits for its answer's head; a request that fails is metered
    /// here, an answer by whoever reads it. XML is asked for compressed (it shrinks several
    /// times over); papers are not (a PDF is compressed already).
    async fn open(&self, method: reqwest::Method, url: &Url) -> Result<Opened, ModernGovError> {
        let xml = url.path().contains("/mgWebService.asmx/");
        let mut builder = self.http.request(method, url.clone());
        if xml {
            builder = builder.header(ACCEPT_ENCODING, "gzip");
        }
        let request = builder.build().map_err(|e| ModernGovError::Network(e.to_string()))?;
        let up = (request.method().as_str().len() + url.as_str().len() + 11) as u64 + header_bytes(request.headers());
        let network = self.network.current();
        match self.http.execute(request).await {
            Ok(resp) => {
                let head = 17 + header_bytes(resp.headers());
                Ok(Opened { resp, network, up, head })
            }
            Err(e) => {
                self.record(network, up, 0);
                Err(ModernGovError::Network(e.to_string()))
            }
        }
    }

    /// One exchange, whole and metered; gzip undone.
    async fn exchange(&self, method: reqwest::Method, url: &Url, limit: u64) -> Result<Answer, ModernGovError> {
        let Opened { mut resp, network, up, head } = self.open(method, url).await?;
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let mut body = Vec::new();
        let read = loop {
            match resp.chunk().await {
                Ok(Some(chunk)) => {
                    body.extend_from_slice(&chunk);
                    if body.len() as u64 > limit {
                        break Err(ModernGovError::TooLarge { limit });
                    }
                }
                Ok(None) => break Ok(()),
                Err(e) => break Err(ModernGovError::Network(format!("the answer was cut short: {e}"))),
            }
        };
        self.record(network, up, head + body.len() as u64);
        read?;
        let gzipped = headers.get(CONTENT_ENCODING).is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"gzip"));
        // A `HEAD`'s answer names the encoding its body would have had, and has none.
        let body = if gzipped && !body.is_empty() {
            let mut out = Vec::new();
            flate2::read::GzDecoder::new(body.as_slice())
                .take(limit + 1)
                .read_to_end(&mut out)
                .map_err(|e| ModernGovError::Network(format!("the answer's compression is broken: {e}")))?;
            if out.len() as u64 > limit {
                return Err(ModernGovError::TooLarge { limit });
            }
            out
        } else {
            body
        };
        Ok(Answer { status, headers, body: body.into() })
    }

    /// Asks `operation` with `query`, retrying what is worth retrying, and reads its XML as `T`.
    async fn ask<T: serde::de::DeserializeOwned>(
        &self,
        operation: &'static str,
        query: &[(&str, String)],
    ) -> Result<T, ModernGovError> {
        let mut url = self.site.operation(operation);
        url.query_pairs_mut().extend_pairs(query.iter().map(|(k, v)| (*k, v.as_str())));
        let answer = (|| async {
            let a = self.exchange(reqwest::Method::GET, &url, LARGEST_XML).await?;
            if a.status >= 400 {
                let said = String::from_utf8_lossy(&a.body);
                // ASMX's answer to an operation a council has turned off.
                if said.contains("method name is not valid") {
                    return Err(ModernGovError::NotOffered(operation));
                }
                return Err(ModernGovError::Status { operation, status: a.status });
            }
            Ok(a)
        })
        .retry(self.backoff)
        .when(ModernGovError::is_transient)
        .await?;
        let text = std::str::from_utf8(&answer.body)
            .map_err(|_| ModernGovError::Malformed { operation, detail: "it is not UTF-8 text".into() })?;
        quick_xml::de::from_str(text).map_err(|e| ModernGovError::Malformed { operation, detail: e.to_string() })
    }

    /// Every committee the site lists, past ones included (see [`Committee::is_current`]).
    pub async fn committees(&self) -> Result<Vec<Committee>, ModernGovError> {
        let raw: xml::Committees = self.ask("GetCommittees", &[]).await?;
        model::committees(raw, "GetCommittees")
    }

    /// The committees the councillor `user_id` (their id on the site) sits on.
    pub async fn committees_of(&self, user_id: u32) -> Result<Vec<Committee>, ModernGovError> {
        let raw: xml::Committees = self.ask("GetCommitteesByUser", &[("lUserId", user_id.to_string())]).await?;
        model::committees(raw, "GetCommitteesByUser")
    }

    /// A committee's meetings from `from` to `to`, both included, by date. The range is also
    /// applied here: some councils' sites ignore it.
    pub async fn meetings(
        &self,
        committee_id: u32,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<MeetingSummary>, ModernGovError> {
        // The service reads dates in the UK's order; an ISO date is taken and the range
        // silently ignored.
        let query = [
            ("lCommitteeId", committee_id.to_string()),
            ("sFromDate", from.format("%d/%m/%Y").to_string()),
            ("sToDate", to.format("%d/%m/%Y").to_string()),
        ];
        let raw: xml::GetMeetings = self.ask("GetMeetings", &query).await?;
        let mut meetings = model::meeting_summaries(raw)?;
        meetings.retain(|m| m.date >= from && m.date <= to);
        meetings.sort_by_key(|m| (m.date, m.starts, m.id));
        Ok(meetings)
    }

    /// One meeting: its agenda (items the council keeps off it left out), papers and attendees.
    pub async fn meeting(&self, meeting_id: u32) -> Result<Meeting, ModernGovError> {
        let raw: xml::RawMeeting = self.ask("GetMeeting", &[("lMeetingId", meeting_id.to_string())]).await?;
        model::meeting(raw, &self.site)
    }

    /// A paper's size in bytes, asked of the site before it is fetched (the service's XML
    /// gives none). `None` where the site does not say.
    pub async fn paper_size(&self, paper: &PaperDocument) -> Result<Option<u64>, ModernGovError> {
        let url = self.site.paper_address(paper.url.as_str())?;
        let answer = (|| async {
            let a = self.exchange(reqwest::Method::HEAD, &url, 0).await?;
            paper_status(a.status, &a.headers)?;
            Ok(a)
        })
        .retry(self.backoff)
        .when(ModernGovError::is_transient)
        .await?;
        Ok(answer.headers.get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.trim().parse().ok()))
    }

    /// Fetches a paper whole, at most `limit` bytes.
    pub async fn paper(&self, paper: &PaperDocument, limit: u64) -> Result<bytes::Bytes, ModernGovError> {
        let mut content = Vec::new();
        self.paper_to(paper, limit, &mut |piece| {
            content.extend_from_slice(piece);
            ControlFlow::Continue(())
        })
        .await?;
        Ok(content.into())
    }

    /// Streams a paper to `sink` as it arrives, at most `limit` bytes, so a 40 MB pack never
    /// sits whole in memory; its size. Tried again until the paper starts to come; a break
    /// after that is returned, and the caller starts again (what `sink` took is incomplete).
    /// `sink` stops it with [`ControlFlow::Break`] ([`ModernGovError::Stopped`]).
    pub async fn paper_to(
        &self,
        paper: &PaperDocument,
        limit: u64,
        sink: &mut (dyn FnMut(&[u8]) -> ControlFlow<()> + Send),
    ) -> Result<u64, ModernGovError> {
        let url = self.site.paper_address(paper.url.as_str())?;
        let Opened { mut resp, network, up, head } = (|| async {
            let opened = self.open(reqwest::Method::GET, &url).await?;
            match paper_status(opened.resp.status().as_u16(), opened.resp.headers()) {
                Ok(()) => Ok(opened),
                Err(e) => {
                    // The error page is read (a little of it) and counted: it crossed too.
                    let Opened { mut resp, network, up, head } = opened;
                    let mut read = 0u64;
                    while let Ok(Some(chunk)) = resp.chunk().await {
                        read += chunk.len() as u64;
                        if read > 1024 * 1024 {
                            break;
                        }
                    }
                    self.record(network, up, head + read);
                    Err(e)
                }
            }
        })
        .retry(self.backoff)
        .when(ModernGovError::is_transient)
        .await?;
        let mut total = 0u64;
        let flowed = loop {
            match resp.chunk().await {
                Ok(Some(chunk)) => {
                    total += chunk.len() as u64;
                    if total > limit {
                        break Err(ModernGovError::TooLarge { limit });
                    }
                    if sink(&chunk).is_break() {
                        break Err(ModernGovError::Stopped);
                    }
                }
                Ok(None) => break Ok(total),
                Err(e) => break Err(ModernGovError::Network(format!("the paper was cut short: {e}"))),
            }
        };
        self.record(network, up, head + total);
        flowed
    }
}

/// An answer's head, before its body is read.
struct Opened {
    resp: reqwest::Response,
    network: companion_graph::Network,
    /// Bytes sent.
    up: u64,
    /// The answer's status line and headers, in bytes.
    head: u64,
}

/// A paper's answer judged: an HTTP error, or the site's sign-in page where a restricted paper
/// was asked for (it answers with a page, not the paper).
fn paper_status(status: u16, headers: &HeaderMap) -> Result<(), ModernGovError> {
    if status >= 400 {
        return Err(ModernGovError::Status { operation: "a paper", status });
    }
    // Sent elsewhere (another site's sign-in): not the paper.
    if (300..400).contains(&status) {
        return Err(ModernGovError::Restricted);
    }
    let kind = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_ascii_lowercase();
    if kind.starts_with("text/html") {
        return Err(ModernGovError::Restricted);
    }
    Ok(())
}
