//! Measurement helpers shared by the bench binaries in `benches/`.
//!
//! Every figure is printed beside a baseline measured in the same process, as a ratio, so
//! that results compare across machines. Run with `cargo bench -p companion-benches`.

pub mod corpus;

use std::time::{Duration, Instant};

/// What members type: single words, prefixes as they type, a sender, two words, a street.
pub const TYPED_QUERIES: &[&str] = &[
    "pothole",
    "pot",
    "planning app",
    "agenda",
    "bin coll",
    "damp mould",
    "grace",
    "priya patel",
    "mill lane",
    "canal",
    "licence",
    "noise",
    "flood",
    "drain",
    "school cross",
    "budget consultation",
    "safeguard",
    "petition",
    "appeal",
    "tenan",
    "zoe",
    "aberg",
    "o'brien",
    "playground grant",
    "enforcement",
    "bus service",
    "library",
    "declaration interest",
    "footpath",
    "park",
];

/// Timings of repeated runs of one operation.
#[derive(Debug, Clone)]
pub struct Samples {
    /// What was measured.
    pub name: String,
    /// Each run's duration, sorted.
    pub sorted: Vec<Duration>,
}

impl Samples {
    /// The p-th percentile (0–100).
    pub fn percentile(&self, p: f64) -> Duration {
        if self.sorted.is_empty() {
            return Duration::ZERO;
        }
        let rank = ((p / 100.0) * (self.sorted.len() - 1) as f64).round() as usize;
        self.sorted[rank.min(self.sorted.len() - 1)]
    }
    /// The median.
    pub fn p50(&self) -> Duration {
        self.percentile(50.0)
    }
    /// The 95th percentile.
    pub fn p95(&self) -> Duration {
        self.percentile(95.0)
    }
    /// The mean.
    pub fn mean(&self) -> Duration {
        if self.sorted.is_empty() {
            return Duration::ZERO;
        }
        self.sorted.iter().sum::<Duration>() / self.sorted.len() as u32
    }
}

/// Runs `op` `warmup` times unmeasured, then `runs` times measured.
pub fn measure(name: &str, warmup: usize, runs: usize, mut op: impl FnMut()) -> Samples {
    for _ in 0..warmup {
        op();
    }
    let mut sorted: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            op();
            t.elapsed()
        })
        .collect();
    sorted.sort();
    Samples { name: name.to_owned(), sorted }
}

/// Prints one line: the figure, and its ratio to the baseline.
pub fn report(samples: &Samples, baseline: &Samples) {
    let ratio = samples.p50().as_secs_f64() / baseline.p50().as_secs_f64().max(1e-12);
    println!(
        "{:<44} p50 {:>10.3} ms  p95 {:>10.3} ms  = {:>7.2}x {}",
        samples.name,
        samples.p50().as_secs_f64() * 1e3,
        samples.p95().as_secs_f64() * 1e3,
        ratio,
        baseline.name
    );
}

/// Pages through a Graph collection the simple way, as a baseline for the sync engine: whole
/// objects, no compression. Counts bytes as the client's meter does (status line, headers,
/// body, request line) and returns them with the items seen.
pub async fn naive_collection(http: &reqwest::Client, token: &str, first: String) -> (u64, usize) {
    let (mut bytes, mut items) = (0u64, 0usize);
    let mut next = Some(first);
    while let Some(url) = next.take() {
        let resp =
            http.get(&url).bearer_auth(token).header("accept-encoding", "identity").send().await.expect("naive page");
        let headers: u64 = resp.headers().iter().map(|(k, v)| (k.as_str().len() + v.len() + 4) as u64).sum();
        let body = resp.bytes().await.expect("body");
        bytes += 17 + headers + body.len() as u64 + url.len() as u64 + 120;
        let page: serde_json::Value = serde_json::from_slice(&body).expect("json");
        items += page["value"].as_array().map_or(0, Vec::len);
        next = page["@odata.nextLink"].as_str().map(str::to_owned);
    }
    (bytes, items)
}

/// Bytes on the wire, as the Graph client reports them.
#[derive(Debug, Default)]
pub struct WireTally(pub std::sync::atomic::AtomicU64);

impl companion_graph::Meter for WireTally {
    fn record(&self, t: companion_graph::Traffic) {
        self.0.fetch_add(t.up + t.down, std::sync::atomic::Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_come_from_the_sorted_runs() {
        let s = Samples { name: "x".into(), sorted: (1..=100).map(Duration::from_millis).collect() };
        assert_eq!(s.p50(), Duration::from_millis(51));
        assert_eq!(s.p95(), Duration::from_millis(95));
    }
}
