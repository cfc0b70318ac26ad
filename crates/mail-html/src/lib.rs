//! Message HTML, made safe to show in a sandboxed frame. [`sanitise`] keeps ammonia's
//! allow-list of elements and attributes (no script, no event handlers, no forms, no frames,
//! no styles that could fetch), holds back every remote image unless the member asked for
//! them, and counts what it held back with a size estimate for the "show images" control.

use base64::Engine;
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use url::Url;

/// What a remote image is guessed to weigh when it gives no size: a typical newsletter picture.
const IMAGE_GUESS: u64 = 24 * 1024;
/// Bytes per pixel of a compressed web picture, for images that give their width and height.
const BYTES_PER_PIXEL: f64 = 0.4;

/// A body ready to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SafeHtml {
    /// The sanitised HTML.
    pub html: String,
    /// Remote images held back.
    pub blocked_images: u32,
    /// Their estimated size in bytes.
    pub blocked_bytes: u64,
}

/// Whether remote images may load.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Images {
    /// Held back (the default: they cost data and tell senders the message was read).
    Blocked,
    /// Shown, because the member asked.
    Shown,
}

/// The picture types a message may carry inline as `data:` and the app may fetch: raster
/// only, SVG being a document that can hold script and links rather than a picture.
pub const RASTER_IMAGE_TYPES: [&str; 5] = ["image/png", "image/jpeg", "image/gif", "image/webp", "image/avif"];

/// Pictures the app has already fetched for a message, put in as `data:` URLs so the frame
/// never reaches the network (or the message's attachments) itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pictures {
    /// Remote pictures the member asked for, by their address as [`remote_images`] gives it.
    pub remote: HashMap<String, String>,
    /// The message's inline attachments, by [`content_id_key`] of their content id.
    pub inline: HashMap<String, String>,
}

/// `bytes` as a `data:` URL if they are a raster picture, judged by their content rather
/// than by what the sender or server says they are.
pub fn picture_data_url(bytes: &[u8]) -> Option<String> {
    let kind = infer::get(bytes)?.mime_type();
    RASTER_IMAGE_TYPES
        .contains(&kind)
        .then(|| format!("data:{kind};base64,{}", base64::engine::general_purpose::STANDARD.encode(bytes)))
}

/// The form in which a content id is matched: a `cid:` URL is percent-encoded and a
/// `Content-ID` header is wrapped in angle brackets (RFC 2392), and both compare without case.
pub fn content_id_key(content_id: &str) -> String {
    let bare = content_id.trim().trim_start_matches('<').trim_end_matches('>').trim();
    percent_encoding::percent_decode_str(bare).decode_utf8_lossy().to_lowercase()
}

/// A URL in a message, read the way a browser reads it (entities decoded by the parser, tabs
/// and newlines dropped, `\\` as `//`), so what is judged is what would be followed.
/// `None` for an address that cannot be parsed or is relative: a message has no base to be
/// relative to, and the frame's would be the app's own.
fn read_url(value: &str) -> Option<Url> {
    match Url::parse(value) {
        Ok(url) => Some(url),
        Err(url::ParseError::RelativeUrlWithoutBase) => {
            let cleaned: String = value
                .trim_matches(|c: char| c <= ' ')
                .chars()
                .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
                .map(|c| if c == '\\' { '/' } else { c })
                .collect();
            // Protocol-relative (`//host/x`): what a page served over HTTPS would load.
            cleaned.starts_with("//").then(|| Url::parse(&format!("https:{cleaned}")).ok()).flatten()
        }
        Err(_) => None,
    }
}

fn is_web(url: &Url) -> bool {
    matches!(url.scheme(), "http" | "https")
}

/// A `data:` URL holding a raster picture.
fn is_raster_data(url: &Url) -> bool {
    url.scheme() == "data" && {
        let kind = url.path().split([';', ',']).next().unwrap_or("").trim().to_ascii_lowercase();
        RASTER_IMAGE_TYPES.contains(&kind.as_str())
    }
}

/// What becomes of one URL attribute: kept (in its parsed form), or dropped.
enum UrlVerdict {
    Keep(String),
    /// A remote picture: held back, inlined or shown by the caller.
    RemoteImage(Url),
    /// One of the message's inline attachments, by [`content_id_key`].
    InlineImage(String),
    Drop,
}

/// The URL policy: links go to the web, mail or phone (calls and texts); pictures come from the web (held
/// back), the message's own inline attachments (`cid:`), or `data:` raster pictures; nothing
/// else, and nothing relative.
fn judge_url(element: &str, attribute: &str, value: &str) -> UrlVerdict {
    let Some(url) = read_url(value) else { return UrlVerdict::Drop };
    match (element, attribute) {
        ("img", "src") if is_web(&url) => UrlVerdict::RemoteImage(url),
        ("img", "src") if url.scheme() == "cid" => UrlVerdict::InlineImage(content_id_key(url.path())),
        ("img", "src") if is_raster_data(&url) => UrlVerdict::Keep(url.into()),
        ("img", "src") => UrlVerdict::Drop,
        (_, "href") if matches!(url.scheme(), "http" | "https" | "mailto" | "tel" | "sms") => {
            UrlVerdict::Keep(url.into())
        }
        (_, "cite") if is_web(&url) => UrlVerdict::Keep(url.into()),
        _ => UrlVerdict::Drop,
    }
}

fn is_url_attribute(attribute: &str) -> bool {
    matches!(attribute, "href" | "src" | "cite")
}

/// Whether an `img`'s `src` as written in the message is a remote picture (for the size guess).
fn is_remote_picture(value: &str) -> bool {
    read_url(value).is_some_and(|url| is_web(&url))
}

/// Bodies larger than this are shown as text unless the member asks for the full message:
/// ammonia takes about a quarter of a second for 5 MB on a laptop, longer on a phone.
pub const MAX_HTML_BYTES: usize = 2 * 1024 * 1024;
/// Bodies nested deeper than this are shown as text: parsing and sanitising grow with the
/// square of the depth (10,000 nested elements take a quarter of a second, 100,000 take
/// tens of seconds), and real mail is rarely nested a hundred deep.
pub const MAX_HTML_DEPTH: usize = 500;

/// Why a body is shown as its text rather than as HTML.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TooComplex {
    /// Over [`MAX_HTML_BYTES`].
    TooLarge {
        /// Its size in bytes.
        bytes: usize,
    },
    /// Nested deeper than [`MAX_HTML_DEPTH`].
    TooDeep,
}

/// Whether `html` is within the bounds for sanitising on the spot. Linear in its length.
pub fn within_bounds(html: &str) -> Result<(), TooComplex> {
    if html.len() > MAX_HTML_BYTES {
        return Err(TooComplex::TooLarge { bytes: html.len() });
    }
    if nesting_depth(html, MAX_HTML_DEPTH) > MAX_HTML_DEPTH {
        return Err(TooComplex::TooDeep);
    }
    Ok(())
}

/// Elements that hold no content, and elements a browser closes by itself when the next one
/// starts: neither makes the tree deeper.
const FLAT: [&str; 30] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr", "p",
    "li", "dd", "dt", "option", "optgroup", "tr", "td", "th", "tbody", "thead", "tfoot", "colgroup", "rp", "rt", "rtc",
];

/// How deep `html`'s elements nest, counted from its tags in one pass (an estimate that errs
/// on the deep side: an element never closed counts as open to the end). Stops counting once
/// past `limit`.
pub fn nesting_depth(html: &str, limit: usize) -> usize {
    let bytes = html.as_bytes();
    let (mut depth, mut deepest, mut at) = (0usize, 0usize, 0usize);
    while let Some(offset) = bytes[at..].iter().position(|&b| b == b'<') {
        let open = at + offset;
        let rest = &bytes[open + 1..];
        if rest.starts_with(b"!--") {
            at = find(bytes, open + 4, b"-->").map_or(bytes.len(), |i| i + 3);
            continue;
        }
        let closing = rest.first() == Some(&b'/');
        let name_start = open + 1 + usize::from(closing);
        let name_len = bytes[name_start..].iter().take_while(|b| b.is_ascii_alphanumeric()).count();
        if name_len == 0 || !bytes[name_start].is_ascii_alphabetic() {
            // Not a tag (`a < b`, `<!doctype>`, `<?xml>`): skip the `<`.
            at = open + 1;
            continue;
        }
        let name = html[name_start..name_start + name_len].to_ascii_lowercase();
        let end = tag_end(bytes, name_start + name_len);
        let self_closing = end >= 2 && bytes[end - 2] == b'/';
        at = end;
        if closing {
            depth = depth.saturating_sub(1);
        } else if !self_closing && !FLAT.contains(&name.as_str()) {
            depth += 1;
            deepest = deepest.max(depth);
            if deepest > limit {
                return deepest;
            }
            // Script and style hold text, not tags, up to their own end tag.
            if name == "script" || name == "style" || name == "textarea" || name == "title" {
                let close = format!("</{name}");
                at = find_ignoring_case(bytes, at, close.as_bytes()).unwrap_or(bytes.len());
            }
        }
    }
    deepest
}

/// Where the tag whose attributes start at `from` ends (just past its `>`), respecting quotes.
fn tag_end(bytes: &[u8], from: usize) -> usize {
    let mut quote = None;
    for (i, &b) in bytes.iter().enumerate().skip(from) {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), _) if b == q => quote = None,
            (None, b'>') => return i + 1,
            _ => {}
        }
    }
    bytes.len()
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|i| from + i)
}

fn find_ignoring_case(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes.get(from..)?.windows(needle.len()).position(|w| w.eq_ignore_ascii_case(needle)).map(|i| from + i)
}

/// `text` as a safe body: escaped, in a `<pre>` the frame's stylesheet wraps.
pub fn text_body(text: &str) -> SafeHtml {
    let escaped = text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    SafeHtml { html: format!("<pre>{escaped}</pre>"), blocked_images: 0, blocked_bytes: 0 }
}

/// Makes `html` safe. The result has no script, event handler, form, frame, or `style`
/// attribute (CSS can fetch and hide content); links keep their real address.
pub fn sanitise(html: &str, images: Images) -> SafeHtml {
    clean(html, images, &Pictures::default(), None)
}

/// The remote pictures `html` would load, in order and without repeats: what "show images"
/// fetches (through the app, metered) before [`sanitise_with`] puts them in.
pub fn remote_images(html: &str) -> Vec<String> {
    pictures_named(html, |verdict| match verdict {
        UrlVerdict::RemoteImage(url) => Some(url.into()),
        _ => None,
    })
}

/// The inline attachments `html` shows (`cid:` pictures), as [`content_id_key`]s in order
/// and without repeats: what the app reads from the message's attachments before
/// [`sanitise_with`] puts them in.
pub fn inline_images(html: &str) -> Vec<String> {
    // Most mail has none: skip the parse unless the scheme is written plainly somewhere.
    // One disguised with entities is missed here and then dropped, never fetched.
    if !html.as_bytes().windows(4).any(|w| w.eq_ignore_ascii_case(b"cid:")) {
        return Vec::new();
    }
    pictures_named(html, |verdict| match verdict {
        UrlVerdict::InlineImage(key) => Some(key),
        _ => None,
    })
}

/// Every `img` source in `html` that `pick` names, read as the sanitiser reads it.
fn pictures_named(html: &str, pick: fn(UrlVerdict) -> Option<String>) -> Vec<String> {
    let found = Arc::new(Mutex::new(Vec::<String>::new()));
    let sink = found.clone();
    let mut builder = base_builder();
    builder.attribute_filter(move |element, attribute, value| {
        if element == "img" && attribute == "src" {
            if let Some(name) = pick(judge_url(element, attribute, value)) {
                let mut list = sink.lock().unwrap_or_else(|e| e.into_inner());
                if !list.contains(&name) {
                    list.push(name);
                }
            }
        }
        Some(Cow::Borrowed(value))
    });
    let _ = builder.clean(html);
    let list = found.lock().unwrap_or_else(|e| e.into_inner()).clone();
    list
}

/// Makes `html` safe with the pictures the app has fetched put in as `data:` URLs, so the
/// frame never reaches the network itself. Remote pictures not fetched stay held back and
/// counted (unless `images` shows them); inline pictures not given are left out, their
/// `alt` text standing in.
pub fn sanitise_with(html: &str, images: Images, pictures: &Pictures) -> SafeHtml {
    clean(html, images, pictures, None)
}

/// The version of the sanitising policy. A form stored by another version is made again, so
/// a stricter policy in a later release reaches mail already on the device.
pub const POLICY_VERSION: i64 = 1;

/// A body made safe once, to be stored and shown many times: inline pictures are numbered
/// `cid:` placeholders ([`put_in_pictures`] replaces them), remote pictures held back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredForm {
    /// The sanitised HTML.
    pub html: String,
    /// Remote images held back.
    pub blocked_images: u32,
    /// Their estimated size in bytes.
    pub blocked_bytes: u64,
    /// The inline pictures' content ids ([`content_id_key`]), placeholder `cid:N` naming the N-th.
    pub inline: Vec<String>,
}

/// Makes `html` safe for storing, or says why it is to be shown as its text instead.
pub fn sanitise_for_storage(html: &str) -> Result<StoredForm, TooComplex> {
    within_bounds(html)?;
    let inline = Arc::new(Mutex::new(Vec::new()));
    let safe = clean(html, Images::Blocked, &Pictures::default(), Some(&inline));
    let inline = std::mem::take(&mut *inline.lock().unwrap_or_else(|e| e.into_inner()));
    Ok(StoredForm { html: safe.html, blocked_images: safe.blocked_images, blocked_bytes: safe.blocked_bytes, inline })
}

/// A stored form with its inline pictures put in: each placeholder becomes the picture's data
/// URL from `pictures` (by content id), or is removed (the `alt` text stands in). One pass.
pub fn put_in_pictures(stored: &str, inline: &[String], pictures: &HashMap<String, String>) -> String {
    const PLACEHOLDER: &str = " src=\"cid:";
    let bytes = stored.as_bytes();
    let mut out = String::with_capacity(stored.len() + pictures.values().map(String::len).sum::<usize>());
    let (mut at, mut copied) = (0, 0);
    // The sanitiser's output escapes every `<` in text and every `"` in attribute values, so
    // each `<` starts a real tag and each `"` in a tag delimits a value: a placeholder found
    // this way is a real `src`, never text that looks like one.
    while let Some(offset) = bytes[at..].iter().position(|&b| b == b'<') {
        let start = at + offset;
        let end = serialised_tag_end(bytes, start + 1);
        let tag = &stored[start..end];
        if tag.starts_with("<img ") {
            if let Some(found) = tag.find(PLACEHOLDER) {
                let digits_at = found + PLACEHOLDER.len();
                let digits = tag[digits_at..].bytes().take_while(u8::is_ascii_digit).count();
                if digits > 0 && tag[digits_at + digits..].starts_with('"') {
                    out.push_str(&stored[copied..start + found]);
                    let picture = tag[digits_at..digits_at + digits]
                        .parse::<usize>()
                        .ok()
                        .and_then(|n| inline.get(n))
                        .and_then(|key| pictures.get(key));
                    if let Some(url) = picture {
                        out.push_str(" src=\"");
                        out.push_str(url);
                        out.push('"');
                    }
                    copied = start + digits_at + digits + 1;
                }
            }
        }
        at = end;
    }
    out.push_str(&stored[copied..]);
    out
}

/// Where a tag of the sanitiser's own output ends: its values are always in double quotes.
fn serialised_tag_end(bytes: &[u8], from: usize) -> usize {
    let mut quoted = false;
    for (i, &b) in bytes.iter().enumerate().skip(from) {
        match b {
            b'"' => quoted = !quoted,
            b'>' if !quoted => return i + 1,
            _ => {}
        }
    }
    bytes.len()
}

fn base_builder() -> ammonia::Builder<'static> {
    let mut builder = ammonia::Builder::default();
    builder
        // A first gate only: every URL attribute is then judged whole by `judge_url`.
        .url_schemes(["http", "https", "mailto", "tel", "sms", "cid", "data"].into_iter().collect())
        .link_rel(Some("noopener noreferrer"))
        .rm_tags(["img"])
        .add_tags(["img"])
        .add_tag_attributes("img", ["src", "alt", "width", "height"])
        .add_tag_attributes("td", ["align", "valign", "colspan", "rowspan"]);
    builder
}

/// `numbered`, when given, collects inline pictures' content ids and writes each as the
/// placeholder `cid:N` (N its place in the list) instead of putting in `pictures.inline`.
fn clean(html: &str, images: Images, pictures: &Pictures, numbered: Option<&Arc<Mutex<Vec<String>>>>) -> SafeHtml {
    let numbered = numbered.cloned();
    let blocked = Arc::new(AtomicU64::new(0));
    let counter = blocked.clone();
    let (remote, inline) = (pictures.remote.clone(), pictures.inline.clone());
    let mut builder = base_builder();
    builder.attribute_filter(move |element, attribute, value| {
        if !is_url_attribute(attribute) {
            return Some(Cow::Borrowed(value));
        }
        match judge_url(element, attribute, value) {
            UrlVerdict::Keep(url) => Some(Cow::Owned(url)),
            UrlVerdict::Drop => None,
            UrlVerdict::RemoteImage(url) if images == Images::Shown => Some(Cow::Owned(url.into())),
            UrlVerdict::RemoteImage(url) => {
                if let Some(data) = remote.get(url.as_str()) {
                    return Some(Cow::Owned(data.clone()));
                }
                counter.fetch_add(1, Ordering::Relaxed);
                None
            }
            UrlVerdict::InlineImage(key) => match &numbered {
                Some(list) => {
                    let mut list = list.lock().unwrap_or_else(|e| e.into_inner());
                    let at = list.iter().position(|k| *k == key).unwrap_or_else(|| {
                        list.push(key);
                        list.len() - 1
                    });
                    Some(Cow::Owned(format!("cid:{at}")))
                }
                None => inline.get(&key).map(|data| Cow::Owned(data.clone())),
            },
        }
    });
    let clean = builder.clean(html).to_string();
    // Size hints are read from the original: width × height when both are given.
    let mut estimate = 0u64;
    if images == Images::Blocked && pictures.remote.is_empty() {
        for tag in html.split("<img").skip(1) {
            let end = tag.find('>').unwrap_or(tag.len());
            let attrs = &tag[..end];
            let number = |name: &str| -> Option<f64> {
                let at = attrs.find(&format!("{name}="))? + name.len() + 1;
                let rest = attrs[at..].trim_start_matches(['"', '\'']);
                let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
                digits.parse().ok()
            };
            let src_remote = attrs
                .find("src=")
                .map(|i| is_remote_picture(attrs[i + 4..].trim_start_matches(['"', '\''])))
                .unwrap_or(false);
            if !src_remote {
                continue;
            }
            estimate += match (number("width"), number("height")) {
                (Some(w), Some(h)) if w * h > 4.0 => (w * h * BYTES_PER_PIXEL) as u64,
                (Some(_), Some(_)) => 100,
                _ => IMAGE_GUESS,
            };
        }
    }
    let blocked_images = blocked.load(Ordering::Relaxed) as u32;
    // The estimate comes from the original text, the count from what ammonia actually removed.
    SafeHtml { html: clean, blocked_images, blocked_bytes: if blocked_images == 0 { 0 } else { estimate } }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &str = r#"<html><head><script>alert(1)</script><style>body{background:url(https://evil.example/bg.png)}</style></head>
<body onload="steal()"><p style="background:url(https://evil.example/s.png)">Hello <b>councillor</b></p>
<img src="https://tracker.example/pixel.gif" width="1" height="1">
<img src="https://news.example/story.png" width="560" height="240" alt="Story">
<iframe src="https://evil.example/frame"></iframe><form action="https://evil.example/f"><input name="password"></form>
<a href="javascript:alert(2)">click</a> <a href="https://council.example/agenda" onclick="x()">Agenda</a>
<object data="https://evil.example/o"></object><svg><script>alert(3)</script></svg></body></html>"#;

    #[test]
    fn hostile_html_loses_every_script_handler_frame_form_and_remote_fetch() {
        let safe = sanitise(HOSTILE, Images::Blocked);
        let lower = safe.html.to_ascii_lowercase();
        for bad in [
            "<script",
            "onload",
            "onclick",
            "javascript:",
            "<iframe",
            "<form",
            "<input",
            "<object",
            "<style",
            "style=",
            "evil.example",
            "tracker.example",
            "news.example",
        ] {
            assert!(!lower.contains(bad), "{bad} survived: {}", safe.html);
        }
        assert!(safe.html.contains("Hello <b>councillor</b>"));
        assert!(
            safe.html.contains(r#"href="https://council.example/agenda""#),
            "links keep their real address: {}",
            safe.html
        );
        assert!(safe.html.contains(r#"rel="noopener noreferrer""#));
        assert_eq!(safe.blocked_images, 2);
        // 560 × 240 at 0.4 bytes a pixel, plus a one-pixel tracker.
        assert_eq!(safe.blocked_bytes, 53_760 + 100);
    }

    #[test]
    fn images_the_member_asked_for_keep_their_address() {
        let safe = sanitise(HOSTILE, Images::Shown);
        assert!(safe.html.contains("https://news.example/story.png"));
        assert_eq!((safe.blocked_images, safe.blocked_bytes), (0, 0));
    }

    #[test]
    fn fetched_pictures_go_in_as_data_and_the_rest_stay_held_back() {
        assert_eq!(
            remote_images(HOSTILE),
            vec!["https://tracker.example/pixel.gif".to_owned(), "https://news.example/story.png".to_owned()]
        );
        let fetched = Pictures {
            remote: HashMap::from([(
                "https://news.example/story.png".to_owned(),
                "data:image/png;base64,iVBORw0KGgo=".to_owned(),
            )]),
            inline: HashMap::new(),
        };
        let safe = sanitise_with(HOSTILE, Images::Blocked, &fetched);
        assert!(safe.html.contains(r#"src="data:image/png;base64,iVBORw0KGgo=""#), "{}", safe.html);
        assert!(!safe.html.contains("news.example") && !safe.html.contains("tracker.example"), "{}", safe.html);
        assert_eq!(safe.blocked_images, 1, "the tracker was not fetched, so it stays out");
    }

    #[test]
    fn an_image_of_unknown_size_is_guessed_at_a_newsletter_picture() {
        let safe = sanitise(r#"<p>x</p><img src="http://a.example/b.jpg">"#, Images::Blocked);
        assert_eq!((safe.blocked_images, safe.blocked_bytes), (1, IMAGE_GUESS));
        assert!(!safe.html.contains("a.example"));
    }

    #[test]
    fn a_remote_picture_disguised_by_a_newline_entity_or_backslashes_is_still_held_back() {
        for disguised in [
            r#"<img src="ht&#10;tps://tracker.example/a.gif">"#,
            r#"<img src="  HTTPS://tracker.example/a.gif">"#,
            r#"<img src="\\tracker.example\a.gif">"#,
            r#"<img src="//tracker.example/a.gif">"#,
            r#"<img src="/\tracker.example/a.gif">"#,
        ] {
            let safe = sanitise(disguised, Images::Blocked);
            assert!(!safe.html.contains("tracker"), "{disguised} loaded: {}", safe.html);
            assert_eq!(safe.blocked_images, 1, "{disguised} is counted as held back");
            assert_eq!(remote_images(disguised), vec!["https://tracker.example/a.gif".to_owned()], "{disguised}");
        }
    }

    #[test]
    fn relative_and_unknown_scheme_addresses_are_dropped() {
        let safe = sanitise(
            r#"<a href="/inbox">a</a><a href="agenda.pdf">b</a><a href="file:///etc/passwd">c</a><a href="ftp://x.example/">d</a><a href="java&#10;script:alert(1)">e</a><img src="pic.png"><blockquote cite="javascript:alert(1)">q</blockquote>"#,
            Images::Blocked,
        );
        for bad in ["href", "src", "cite", "passwd", "javascript", "x.example", "pic.png"] {
            assert!(!safe.html.contains(bad), "{bad} survived: {}", safe.html);
        }
        assert_eq!(safe.blocked_images, 0, "nothing remote was held back");
    }

    #[test]
    fn data_is_allowed_only_as_a_raster_picture_and_cid_only_as_a_picture() {
        let crest = Pictures {
            inline: HashMap::from([("crest@council".to_owned(), "data:image/png;base64,AAAA".to_owned())]),
            ..Pictures::default()
        };
        let safe = sanitise_with(
            r#"<img src="data:image/png;base64,iVBORw0KGgo="><img src="data:image/svg+xml,<svg onload=alert(1)>"><img src="data:text/html,<script>x</script>"><img src="cid:crest@council"><a href="data:text/html,hi">d</a><a href="cid:crest@council">c</a>"#,
            Images::Blocked,
            &crest,
        );
        assert!(safe.html.contains(r#"src="data:image/png;base64,iVBORw0KGgo=""#), "{}", safe.html);
        assert!(safe.html.contains(r#"src="data:image/png;base64,AAAA""#), "the crest is put in: {}", safe.html);
        assert!(!safe.html.contains("cid:"), "{}", safe.html);
        assert!(!safe.html.contains("svg") && !safe.html.contains("text/html"), "{}", safe.html);
        assert_eq!(safe.html.matches("href").count(), 0, "no data: or cid: link: {}", safe.html);
    }

    #[test]
    fn inline_pictures_are_found_by_content_id_whatever_its_case_brackets_or_encoding() {
        let html = r#"<p>Cllr Jones</p><img src="cid:Crest%40Council.example" alt="Council crest"><img src="CID:crest@council.example"><img src="cid:logo.png@01DA" alt="Logo"><img src="https://x.example/a.png">"#;
        assert_eq!(inline_images(html), vec!["crest@council.example".to_owned(), "logo.png@01da".to_owned()]);
        assert_eq!(content_id_key(" <Crest@Council.example> "), "crest@council.example");
        assert!(inline_images("<p>No pictures, only a cidade.</p>").is_empty());
        let pictures = Pictures {
            inline: HashMap::from([("crest@council.example".to_owned(), "data:image/png;base64,AAAA".to_owned())]),
            ..Pictures::default()
        };
        let safe = sanitise_with(html, Images::Blocked, &pictures);
        assert_eq!(safe.html.matches(r#"src="data:image/png;base64,AAAA""#).count(), 2, "{}", safe.html);
        assert!(
            !safe.html.contains("cid:") && safe.html.contains(r#"alt="Logo""#),
            "a picture not given keeps its alt text only: {}",
            safe.html
        );
        assert_eq!(safe.blocked_images, 1, "the remote picture is still held back");
    }

    #[test]
    fn a_stored_form_gets_its_inline_pictures_put_in_and_text_that_looks_like_a_placeholder_is_left_alone() {
        let html = r#"<p title='x" src="cid:0"'>Said src="cid:0" and <img src="cid:Crest@Council" alt="Crest"></p><img alt="Seal" src="cid:seal@council" width="10"><img src="https://t.example/p.gif">"#;
        let stored = sanitise_for_storage(html).expect("within bounds");
        assert_eq!(stored.inline, vec!["crest@council".to_owned(), "seal@council".to_owned()]);
        assert_eq!((stored.blocked_images, stored.blocked_bytes), (1, IMAGE_GUESS));
        let pictures = HashMap::from([("crest@council".to_owned(), "data:image/png;base64,AAAA".to_owned())]);
        let shown = put_in_pictures(&stored.html, &stored.inline, &pictures);
        assert_eq!(shown.matches("data:image/png;base64,AAAA").count(), 1, "{shown}");
        assert!(shown.contains(r#"<img src="data:image/png;base64,AAAA" alt="Crest">"#), "{shown}");
        assert!(shown.contains(r#"<img alt="Seal" width="10">"#), "a picture not found leaves its alt: {shown}");
        assert!(shown.contains(r#"Said src="cid:0" and"#), "the text is the text: {shown}");
        assert!(shown.contains(r#"title="x&quot; src=&quot;cid:0&quot;""#), "so is an attribute: {shown}");
        assert_eq!(put_in_pictures("<p>no pictures</p>", &[], &HashMap::new()), "<p>no pictures</p>");
        let deep = format!("{}x", "<div>".repeat(MAX_HTML_DEPTH + 1));
        assert_eq!(sanitise_for_storage(&deep), Err(TooComplex::TooDeep));
    }

    #[test]
    fn only_bytes_that_are_a_raster_picture_become_a_data_url() {
        let png = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, b'I', b'H', b'D', b'R'];
        assert!(picture_data_url(&png).is_some_and(|url| url.starts_with("data:image/png;base64,iVBORw0KGgo")));
        assert_eq!(picture_data_url(b"GIF89a\x01\x00").map(|u| u[..15].to_owned()), Some("data:image/gif;".to_owned()));
        assert_eq!(picture_data_url(br#"<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>"#), None);
        assert_eq!(picture_data_url(b"%PDF-1.7"), None);
        assert_eq!(picture_data_url(b""), None);
    }

    #[test]
    fn links_to_the_web_mail_and_phone_keep_the_address_a_browser_would_follow() {
        let safe = sanitise(
            r#"<a href="ht&#9;tps://council.example/agenda?item=4">a</a><a href="mailto:clerk@council.example">m</a><a href="tel:+441432260000">t</a><a href="sms:+447700900123">s</a>"#,
            Images::Blocked,
        );
        assert!(safe.html.contains(r#"href="sms:+447700900123""#), "{}", safe.html);
        assert!(safe.html.contains(r#"href="https://council.example/agenda?item=4""#), "{}", safe.html);
        assert!(safe.html.contains(r#"href="mailto:clerk@council.example""#), "{}", safe.html);
        assert!(safe.html.contains(r#"href="tel:+441432260000""#), "{}", safe.html);
    }

    #[test]
    fn nesting_is_measured_in_one_pass_and_flat_or_void_elements_do_not_deepen_it() {
        assert_eq!(nesting_depth("<div><div><p>a<p>b<br><img src=x></div></div>", 100), 2);
        assert_eq!(nesting_depth("<table><tr><td>1<td>2<tr><td>3</table>", 100), 1);
        assert_eq!(nesting_depth("<script>if (a<b) { '<div><div><div>' }</script><b>x</b>", 100), 1);
        assert_eq!(nesting_depth("<!-- <div><div> --><i title='>'>x</i> 3 < 4", 100), 1);
        let deep = format!("{}x{}", "<div>".repeat(100_000), "</div>".repeat(100_000));
        assert_eq!(nesting_depth(&deep, MAX_HTML_DEPTH), MAX_HTML_DEPTH + 1, "it stops once past the limit");
        assert_eq!(within_bounds(&deep), Err(TooComplex::TooDeep));
    }

    #[test]
    fn a_body_over_the_size_limit_is_not_within_bounds_but_ordinary_newsletters_are() {
        let big = "<p>Minutes</p>".repeat(MAX_HTML_BYTES / 14 + 1);
        assert_eq!(within_bounds(&big), Err(TooComplex::TooLarge { bytes: big.len() }));
        let newsletter =
            "<table><tr><td><table><tr><td><div><span><b>News</b></span></div></td></tr></table></td></tr></table>"
                .repeat(200);
        assert_eq!(within_bounds(&newsletter), Ok(()));
    }

    #[test]
    fn the_text_form_is_escaped() {
        assert_eq!(text_body("a < b & <script>").html, "<pre>a &lt; b &amp; &lt;script&gt;</pre>");
    }
}
