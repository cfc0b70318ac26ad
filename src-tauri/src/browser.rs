//! Where sign-in happens: the system browser (RFC 8252: never a webview inside the app), or,
//! in demo mode, the demo council's consent page answered for the member.

use companion_app::ReturnPath;

/// Opens the sign-in page.
#[derive(Clone)]
pub enum SignInBrowser {
    /// The demo tenant's consent page, answered in the background (same PKCE flow).
    #[cfg(feature = "demo")]
    Demo,
    /// The member's own browser, through the opener plugin.
    System(tauri::AppHandle),
}

impl SignInBrowser {
    /// Opens `url`.
    pub fn open(&self, url: &str) -> Result<(), String> {
        match self {
            #[cfg(feature = "demo")]
            Self::Demo => companion_app::demo::answer_consent(url),
            Self::System(app) => {
                use tauri_plugin_opener::OpenerExt;
                app.opener().open_url(url, None::<&str>).map_err(|e| e.to_string())
            }
        }
    }

    /// How the browser comes back: phones by the app's URL scheme, desktops (and the demo,
    /// which answers in-process) by loopback.
    pub fn return_path(&self) -> ReturnPath {
        match self {
            Self::System(_) if cfg!(mobile) => ReturnPath::DeepLink,
            _ => ReturnPath::Loopback,
        }
    }
}
