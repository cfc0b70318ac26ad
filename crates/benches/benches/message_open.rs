//! Opening a message: what the member waits for once the body is stored. The baseline is the
//! work opening used to do every time (sanitising the body with its pictures put in); the
//! figure is what it does now (the safe form made once at sync time, its inline pictures put
//! in). Also the bound that keeps a hostile body from reaching the sanitiser at all, against
//! the same baseline: issue 16's "sanitising happens once, at sync time" and "bounds".

use companion_benches::{measure, report};
use companion_mail_html::{
    inline_images, put_in_pictures, sanitise_for_storage, sanitise_with, within_bounds, Images, Pictures,
};
use std::collections::HashMap;

/// A council newsletter as mail programs send it: nested layout tables, styled text, links,
/// twenty remote pictures and a crest in the signature, about 80 KB.
fn newsletter() -> String {
    let mut html = String::from("<html><head><style>td{font-family:Arial}</style></head><body><table width=\"100%\">");
    for i in 0..20 {
        html.push_str(&format!(
            r#"<tr><td><table><tr><td style="padding:8px"><img src="https://news.demoborough.example/story-{i}.jpg" width="560" height="240" alt="Story {i}"></td></tr>
<tr><td><h2 style="color:#1d4f91">Ward update {i}</h2><p>The committee considered the report on the
<a href="https://democracy.demoborough.example/ieListDocuments.aspx?CId=130&amp;MId={i}">agenda item {i}</a>
and agreed the recommendations, subject to the amendments set out in the minutes. {}</p></td></tr></table></td></tr>"#,
            "Residents are invited to comment on the proposals before the closing date. ".repeat(40)
        ));
    }
    html.push_str(r#"</table><p><img src="cid:crest@demoborough.example" alt="Demoborough crest"> Democratic Services</p></body></html>"#);
    html
}

fn main() {
    let html = newsletter();
    let crest = "data:image/png;base64,".to_owned() + &"iVBORw0KGgo".repeat(200);
    let keys = inline_images(&html);
    let by_key: HashMap<String, String> = keys.iter().map(|k| (k.clone(), crest.clone())).collect();
    let pictures = Pictures { inline: by_key.clone(), ..Pictures::default() };
    let stored = sanitise_for_storage(&html).expect("within bounds");
    println!("a {} KB newsletter with {} remote pictures held back", html.len() / 1024, stored.blocked_images);

    let baseline = measure("sanitise at every open (before)", 5, 60, || {
        std::hint::black_box(sanitise_with(&html, Images::Blocked, &pictures));
    });
    let stored_open = measure("put pictures into the stored form (now)", 5, 60, || {
        std::hint::black_box(put_in_pictures(&stored.html, &stored.inline, &by_key));
    });
    let made_once = measure("make the stored form (once, at sync)", 5, 60, || {
        std::hint::black_box(sanitise_for_storage(&html).expect("within bounds"));
    });
    let deep = format!("{}x{}", "<div>".repeat(100_000), "</div>".repeat(100_000));
    let bound = measure("refuse a 100,000-deep body (bounds check)", 2, 20, || {
        assert!(within_bounds(&deep).is_err());
    });
    let big = "<p>Minutes of the meeting</p>".repeat(5 * 1024 * 1024 / 29);
    let size = measure("refuse a 5 MB body (bounds check)", 2, 20, || {
        assert!(within_bounds(&big).is_err());
    });
    println!("{:-<100}", "");
    report(&baseline, &baseline);
    report(&stored_open, &baseline);
    report(&made_once, &baseline);
    report(&bound, &baseline);
    report(&size, &baseline);
}
