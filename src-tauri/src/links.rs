//! Links in a message open outside the app, and only after the member has seen where they go.
//!
//! A click listener on the message frame's document cannot be relied on: WebKit (WebKitGTK and
//! WKWebView) runs no listener on a frame sandboxed without scripts. So the frame lets a click
//! navigate the top page (`allow-top-navigation-by-user-activation`, `<base target="_top">`),
//! and every engine asks the shell before any navigation (WebKitGTK's decide-policy, WKWebView's
//! navigation delegate, Android's shouldOverrideUrlLoading, WebView2's NavigationStarting, all
//! behind Tauri's `on_navigation`). The shell lets the app's own pages through, refuses every
//! other address, and hands it to the UI as [`LinkRequestedEvent`] to show and confirm; only
//! `open_external` then gives it to the system.

use serde::Serialize;
use tauri_specta::Event;
use url::Url;

/// The member clicked a link that leads out of the app: the UI shows where it goes and asks.
#[derive(Debug, Clone, Serialize, specta::Type, Event)]
#[tauri_specta(event_name = "link-requested")]
pub struct LinkRequestedEvent {
    /// The address in full, as the engine would have followed it.
    pub url: String,
}

/// Builds the main window from `tauri.conf.json` (where it is marked `create: false`) with the
/// navigation guard.
pub fn open_main_window(app: &tauri::App) -> Result<(), Box<dyn std::error::Error>> {
    let config = app
        .config()
        .app
        .windows
        .iter()
        .find(|w| w.label == "main")
        .ok_or("tauri.conf.json has no main window")?
        .clone();
    let dev_origin = app.config().build.dev_url.as_ref().filter(|_| cfg!(debug_assertions)).map(Url::origin);
    let handle = app.handle().clone();
    tauri::WebviewWindowBuilder::from_config(app.handle(), &config)?
        .on_navigation(move |url| {
            if is_the_app(url, dev_origin.as_ref()) {
                return true;
            }
            if let Err(e) = (LinkRequestedEvent { url: url.to_string() }).emit(&handle) {
                tracing::warn!(error = %e, "a link could not be offered to the window");
            }
            false
        })
        .build()?;
    Ok(())
}

/// Gives a checked web, mail or phone address to the system's browser, mail or phone app.
///
/// A demo build run with `MEMBER_COMPANION_RECORD_OPENED=<file>` writes the address to that
/// file instead: the whole-flow tests' stand-in for the system, which has no browser under Xvfb.
/// A council build has no such switch.
pub fn open_outside(app: &tauri::AppHandle, url: &Url) -> Result<(), String> {
    #[cfg(feature = "demo")]
    if let Some(record) = std::env::var_os("MEMBER_COMPANION_RECORD_OPENED") {
        use std::io::Write;
        let mut file = std::fs::OpenOptions::new().create(true).append(true).open(record).map_err(|e| e.to_string())?;
        return writeln!(file, "{url}").map_err(|e| e.to_string());
    }
    use tauri_plugin_opener::OpenerExt;
    app.opener().open_url(url.as_str(), None::<&str>).map_err(|e| e.to_string())
}

/// The app's own pages: its bundled front end (`tauri://localhost`, or `http(s)://tauri.localhost`
/// on Windows and Android), `about:` documents (a message frame's `about:srcdoc`), and in a
/// debug build the development server.
fn is_the_app(url: &Url, dev_origin: Option<&url::Origin>) -> bool {
    match url.scheme() {
        "tauri" | "about" => true,
        "http" | "https" => url.host_str() == Some("tauri.localhost") || dev_origin.is_some_and(|o| *o == url.origin()),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::is_the_app;
    use url::Url;

    fn app(url: &str) -> bool {
        is_the_app(&Url::parse(url).expect("url"), None)
    }

    #[test]
    fn only_the_apps_own_pages_may_load_in_the_window() {
        for own in [
            "tauri://localhost/",
            "tauri://localhost/index.html",
            "http://tauri.localhost/",
            "about:srcdoc",
            "about:blank",
        ] {
            assert!(app(own), "{own}");
        }
        for outside in [
            "https://council.example/agenda",
            "http://localhost:1420/",
            "https://tauri.localhost.evil.example/",
            "https://user@tauri.localhost.example/",
            "mailto:clerk@council.example",
            "javascript:alert(1)",
            "data:text/html,hi",
            "file:///etc/passwd",
        ] {
            assert!(!app(outside), "{outside}");
        }
        let dev = Url::parse("http://localhost:1420").expect("url").origin();
        assert!(is_the_app(&Url::parse("http://localhost:1420/mail").expect("url"), Some(&dev)));
    }
}
