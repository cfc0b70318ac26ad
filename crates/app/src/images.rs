//! "Show images": the app fetches a message's remote pictures itself, metered like every other
//! byte, and hands them to the frame as `data:` URLs. The page's CSP then never needs to allow
//! a remote image, and a tracker in a message can never load unless the member asked.
//!
//! A message can name any address, so the fetcher only ever reaches the public internet: a
//! newsletter must not make a laptop on the council's network ask its routers, printers or a
//! cloud metadata service for a page. Only HTTPS; every address a name resolves to is vetted,
//! and the vetted address is the one connected to (the check is the resolver itself, so no
//! second lookup can answer differently); an address written as a number is vetted before any
//! connection; every redirect is vetted again; no proxy, so the vetting sees the real target.

use companion_graph::{Feature, Meter, NetworkProbe, Traffic};
use ipnet::{Ipv4Net, Ipv6Net};
use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::{Arc, LazyLock};
use std::time::Duration;
use url::{Host, Url};

/// At most this many pictures per message.
pub(crate) const MAX_IMAGES: usize = 40;
/// A picture larger than this is left out (a newsletter banner is rarely 500 KB).
pub(crate) const MAX_IMAGE_BYTES: usize = 2 * 1024 * 1024;
/// Redirects followed for one picture, each vetted as the first address was.
const MAX_REDIRECTS: usize = 3;

/// Why a picture was not shown.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum ImageRefusal {
    #[error("not a web address")]
    NotAnAddress,
    #[error("only pictures sent over HTTPS are fetched")]
    NotHttps,
    #[error("{0} is not on the public internet")]
    NotPublic(String),
    #[error("more than {MAX_REDIRECTS} redirects")]
    TooManyRedirects,
    #[error("the picture could not be reached")]
    Unreachable,
    #[error("the answer is not a picture")]
    NotAPicture,
    #[error("the picture is over {MAX_IMAGE_BYTES} bytes")]
    TooLarge,
}

/// Fetches pictures over plain HTTPS (no cookies, no council token), metered.
pub(crate) struct ImageFetcher {
    http: reqwest::Client,
    meter: Arc<dyn Meter>,
    network: Arc<dyn NetworkProbe>,
    trusted: Option<Url>,
}

impl ImageFetcher {
    /// `trusted` is the configured Graph service's address: its origin is the council's own
    /// choice (the token already goes there), so pictures from it are fetched whatever its
    /// address; the demo tenant serves its newsletters' pictures that way from loopback.
    pub(crate) fn new(
        meter: Arc<dyn Meter>,
        network: Arc<dyn NetworkProbe>,
        trusted: Option<Url>,
    ) -> Result<Self, String> {
        let for_redirects = trusted.clone();
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(15))
            .connect_timeout(Duration::from_secs(5))
            .no_proxy()
            .dns_resolver(Arc::new(PublicOnly {
                trusted_host: trusted.as_ref().and_then(|t| t.host_str().map(str::to_owned)),
            }))
            .redirect(reqwest::redirect::Policy::custom(move |attempt| {
                if attempt.previous().len() > MAX_REDIRECTS {
                    return attempt.error(ImageRefusal::TooManyRedirects);
                }
                match vet(attempt.url(), for_redirects.as_ref()) {
                    Ok(()) => attempt.follow(),
                    Err(refusal) => attempt.error(refusal),
                }
            }))
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Self { http, meter, network, trusted })
    }

    /// Fetches up to [`MAX_IMAGES`] of `urls`, four at a time; returns address → data URL
    /// for the ones that came back as pictures within the size limit.
    pub(crate) async fn fetch(&self, urls: &[String]) -> HashMap<String, String> {
        let wanted: Vec<&String> = urls.iter().take(MAX_IMAGES).collect();
        let mut fetched = HashMap::new();
        for four in wanted.chunks(4) {
            let answers = futures_util::future::join_all(four.iter().map(|url| self.one(url))).await;
            for (url, answer) in four.iter().zip(answers) {
                match answer {
                    Ok(data) => {
                        fetched.insert((*url).clone(), data);
                    }
                    // The address is the sender's words: it is not logged.
                    Err(refusal) => tracing::debug!(%refusal, "a picture was left out"),
                }
            }
        }
        fetched
    }

    /// One picture as a `data:` URL, or why not.
    pub(crate) async fn one(&self, address: &str) -> Result<String, ImageRefusal> {
        let address = address.trim();
        // Protocol-relative addresses are fetched over HTTPS.
        let address = if address.starts_with("//") { format!("https:{address}") } else { address.to_owned() };
        let url = Url::parse(&address).map_err(|_| ImageRefusal::NotAnAddress)?;
        // Refused before any byte leaves: nothing to meter.
        vet(&url, self.trusted.as_ref())?;
        let network = self.network.current();
        let up = (url.as_str().len() + 120) as u64;
        let record = |down: u64| self.meter.record(Traffic { feature: Feature::MailBodies, network, up, down });
        let mut resp = match self.http.get(url).send().await {
            Ok(resp) => resp,
            Err(e) => {
                let refusal = refusal_in(&e).unwrap_or(ImageRefusal::Unreachable);
                // A name refused by the resolver was never connected to.
                if !matches!(refusal, ImageRefusal::NotPublic(_)) {
                    record(0);
                }
                return Err(refusal);
            }
        };
        let head: u64 = resp.headers().iter().map(|(k, v)| (k.as_str().len() + v.len() + 4) as u64).sum::<u64>() + 17;
        let kind = resp
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
            .unwrap_or_default();
        if !resp.status().is_success() || !companion_mail_html::RASTER_IMAGE_TYPES.contains(&kind.as_str()) {
            record(head);
            return Err(ImageRefusal::NotAPicture);
        }
        if resp.content_length().unwrap_or(0) > MAX_IMAGE_BYTES as u64 {
            record(head);
            return Err(ImageRefusal::TooLarge);
        }
        // Read in chunks so a server that lies about the length cannot make us take more.
        let mut body = Vec::new();
        loop {
            match resp.chunk().await {
                Ok(Some(chunk)) => {
                    body.extend_from_slice(&chunk);
                    if body.len() > MAX_IMAGE_BYTES {
                        record(head + body.len() as u64);
                        return Err(ImageRefusal::TooLarge);
                    }
                }
                Ok(None) => break,
                Err(_) => {
                    record(head + body.len() as u64);
                    return Err(ImageRefusal::Unreachable);
                }
            }
        }
        record(head + body.len() as u64);
        // Judged by the bytes as well as the header: an SVG or a page labelled `image/png` is
        // not a picture.
        companion_mail_html::picture_data_url(&body).ok_or(ImageRefusal::NotAPicture)
    }
}

/// Whether `url` may be asked for at all: HTTPS, and if its host is written as an address,
/// a public one (names are vetted as they resolve, by [`PublicOnly`]).
fn vet(url: &Url, trusted: Option<&Url>) -> Result<(), ImageRefusal> {
    if trusted.is_some_and(|t| t.origin() == url.origin()) {
        return Ok(());
    }
    if url.scheme() != "https" {
        return Err(ImageRefusal::NotHttps);
    }
    match url.host() {
        Some(Host::Ipv4(ip)) if !is_public(IpAddr::V4(ip)) => Err(ImageRefusal::NotPublic(ip.to_string())),
        Some(Host::Ipv6(ip)) if !is_public(IpAddr::V6(ip)) => Err(ImageRefusal::NotPublic(ip.to_string())),
        Some(_) => Ok(()),
        None => Err(ImageRefusal::NotAnAddress),
    }
}

/// The refusal behind a failed request, when the resolver or the redirect check made it fail.
fn refusal_in(error: &reqwest::Error) -> Option<ImageRefusal> {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = cause {
        if let Some(refusal) = e.downcast_ref::<ImageRefusal>() {
            return Some(refusal.clone());
        }
        cause = e.source();
    }
    None
}

/// Resolves names and keeps only public addresses; a name with none is refused, so no
/// connection is made to it.
struct PublicOnly {
    trusted_host: Option<String>,
}

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_owned();
        let trusted = self.trusted_host.as_deref() == Some(host.as_str());
        Box::pin(async move {
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let public: Vec<SocketAddr> = found.into_iter().filter(|a| trusted || is_public(a.ip())).collect();
            if public.is_empty() {
                return Err(Box::new(ImageRefusal::NotPublic(host)) as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(public.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

/// IANA's special-purpose IPv4 ranges (RFC 6890 and later), none of them the public internet.
static NOT_PUBLIC_V4: LazyLock<Vec<Ipv4Net>> = LazyLock::new(|| {
    [
        "0.0.0.0/8",       // this network
        "10.0.0.0/8",      // private
        "100.64.0.0/10",   // carrier-grade NAT
        "127.0.0.0/8",     // loopback
        "169.254.0.0/16",  // link-local, and cloud metadata services
        "172.16.0.0/12",   // private
        "192.0.0.0/24",    // IETF protocol assignments
        "192.0.2.0/24",    // documentation
        "192.88.99.0/24",  // 6to4 relay (deprecated)
        "192.168.0.0/16",  // private
        "198.18.0.0/15",   // benchmarking
        "198.51.100.0/24", // documentation
        "203.0.113.0/24",  // documentation
        "224.0.0.0/4",     // multicast
        "240.0.0.0/4",     // reserved, and broadcast
    ]
    .iter()
    .filter_map(|net| net.parse().ok())
    .collect()
});

/// The same for IPv6 (addresses that embed an IPv4 one are judged by it).
static NOT_PUBLIC_V6: LazyLock<Vec<Ipv6Net>> = LazyLock::new(|| {
    [
        "::/96",          // unspecified, loopback, IPv4-compatible (deprecated)
        "64:ff9b:1::/48", // local NAT64
        "100::/64",       // discard
        "2001::/23",      // IETF protocol assignments, Teredo
        "2001:db8::/32",  // documentation
        "2002::/16",      // 6to4
        "3fff::/20",      // documentation
        "fc00::/7",       // unique local
        "fe80::/10",      // link-local
        "fec0::/10",      // site-local (deprecated)
        "ff00::/8",       // multicast
    ]
    .iter()
    .filter_map(|net| net.parse().ok())
    .collect()
});

/// Whether `ip` is on the public internet.
fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => !NOT_PUBLIC_V4.iter().any(|net| net.contains(&v4)),
        IpAddr::V6(v6) => match embedded_v4(v6) {
            Some(v4) => is_public(IpAddr::V4(v4)),
            None => !NOT_PUBLIC_V6.iter().any(|net| net.contains(&v6)),
        },
    }
}

/// The IPv4 address inside an IPv4-mapped (`::ffff:a.b.c.d`) or NAT64 (`64:ff9b::a.b.c.d`) one.
fn embedded_v4(v6: Ipv6Addr) -> Option<Ipv4Addr> {
    let s = v6.segments();
    let tail = || Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8);
    match s {
        [0, 0, 0, 0, 0, 0xffff, _, _] | [0x64, 0xff9b, 0, 0, 0, 0, _, _] => Some(tail()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use companion_graph::{FixedNetwork, Network, NoMeter};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    #[test]
    fn only_public_addresses_are_public() {
        for private in [
            "127.0.0.1",
            "10.0.0.1",
            "10.255.255.255",
            "169.254.169.254",
            "172.16.4.1",
            "192.168.1.1",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "::1",
            "::",
            "fe80::1",
            "fd00::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a9fe:a9fe",
        ] {
            assert!(!is_public(private.parse().expect("address")), "{private} is not public");
        }
        for public in ["8.8.8.8", "20.190.128.1", "2a00:1450:4009:81d::200e", "::ffff:8.8.8.8"] {
            assert!(is_public(public.parse().expect("address")), "{public} is public");
        }
    }

    fn fetcher(trusted: Option<Url>) -> ImageFetcher {
        ImageFetcher::new(Arc::new(NoMeter), Arc::new(FixedNetwork(Network::Wifi)), trusted).expect("client")
    }

    /// A listener that counts the connections made to it and answers none of them.
    async fn counting_listener() -> (u16, Arc<AtomicUsize>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let count = Arc::new(AtomicUsize::new(0));
        let seen = count.clone();
        tokio::spawn(async move {
            while let Ok((_stream, _)) = listener.accept().await {
                seen.fetch_add(1, Ordering::SeqCst);
            }
        });
        (port, count)
    }

    /// A plain-HTTP server that redirects `/N` to the N-th of `targets`.
    async fn redirector(targets: Vec<String>) -> Url {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base = Url::parse(&format!("http://{}/", listener.local_addr().expect("addr"))).expect("url");
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let targets = targets.clone();
                tokio::spawn(async move {
                    let mut request = Vec::new();
                    let mut buf = [0u8; 1024];
                    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                        match stream.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => request.extend_from_slice(&buf[..n]),
                        }
                    }
                    let line = String::from_utf8_lossy(&request);
                    let index: usize =
                        line.split(' ').nth(1).and_then(|p| p.trim_start_matches('/').parse().ok()).unwrap_or(0);
                    let answer = format!(
                        "HTTP/1.1 302 Found\r\nLocation: {}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                        targets[index.min(targets.len() - 1)]
                    );
                    let _ = stream.write_all(answer.as_bytes()).await;
                });
            }
        });
        base
    }

    #[tokio::test]
    async fn pictures_at_private_addresses_and_redirects_to_them_are_refused_without_a_connection() {
        let (port, connections) = counting_listener().await;
        let inside = [
            format!("https://127.0.0.1:{port}/crest.png"),
            format!("https://[::1]:{port}/crest.png"),
            format!("https://[::ffff:127.0.0.1]:{port}/crest.png"),
            "https://10.0.0.8/printer.png".to_owned(),
            "https://169.254.169.254/latest/meta-data/".to_owned(),
            // A name that resolves to loopback: refused by the resolver, before connecting.
            format!("https://localhost:{port}/crest.png"),
            // The same address written as one number.
            format!("https://2130706433:{port}/crest.png"),
        ];
        let images = fetcher(None);
        for address in &inside {
            let refusal = images.one(address).await.expect_err(address);
            assert!(matches!(refusal, ImageRefusal::NotPublic(_)), "{address}: {refusal:?}");
        }
        assert_eq!(images.one(&format!("http://127.0.0.1:{port}/crest.png")).await, Err(ImageRefusal::NotHttps));
        assert_eq!(images.one("http://news.example/story.png").await, Err(ImageRefusal::NotHttps));
        assert_eq!(images.one("not a url").await, Err(ImageRefusal::NotAnAddress));

        // A redirect from a server the fetcher may use, to each inside address, is refused too.
        let origin = redirector(inside.to_vec()).await;
        let images = fetcher(Some(origin.clone()));
        for (i, address) in inside.iter().enumerate() {
            let refusal = images.one(origin.join(&i.to_string()).expect("url").as_str()).await.expect_err(address);
            assert!(matches!(refusal, ImageRefusal::NotPublic(_)), "redirect to {address}: {refusal:?}");
        }
        assert_eq!(connections.load(Ordering::SeqCst), 0, "no connection reached the inside listener");
    }

    /// A plain-HTTP server that answers every request with `body`, labelled as a PNG.
    async fn labelled_png(body: &'static [u8]) -> Url {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base = Url::parse(&format!("http://{}/", listener.local_addr().expect("addr"))).expect("url");
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                tokio::spawn(async move {
                    let mut buf = [0u8; 2048];
                    let _ = stream.read(&mut buf).await;
                    let head = format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    );
                    let _ = stream.write_all(head.as_bytes()).await;
                    let _ = stream.write_all(body).await;
                });
            }
        });
        base
    }

    #[tokio::test]
    async fn a_picture_is_judged_by_its_bytes_so_an_svg_labelled_png_is_refused() {
        let svg = labelled_png(br#"<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>"#).await;
        let refusal = fetcher(Some(svg.clone())).one(svg.join("crest.png").expect("url").as_str()).await;
        assert_eq!(refusal, Err(ImageRefusal::NotAPicture));
        let png = labelled_png(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").await;
        let shown = fetcher(Some(png.clone())).one(png.join("crest.png").expect("url").as_str()).await;
        assert!(shown.is_ok_and(|url| url.starts_with("data:image/png;base64,")));
    }

    #[tokio::test]
    async fn a_redirect_to_plain_http_is_refused() {
        let origin = redirector(vec!["http://news.example/story.png".to_owned()]).await;
        let refusal = fetcher(Some(origin.clone())).one(origin.join("0").expect("url").as_str()).await;
        assert_eq!(refusal, Err(ImageRefusal::NotHttps));
    }
}
