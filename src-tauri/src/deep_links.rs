//! Links the OS opens the app with. Only one kind is expected: the sign-in browser coming back
//! to a phone through the app's scheme (`uk.gov.membercompanion://auth?...`); the core checks
//! it belongs to the sign-in under way and ignores anything else.

use std::sync::Arc;

/// Hands every link the OS opens the app with to the core.
pub fn listen(app: &tauri::App, core: Arc<companion_app::Companion>) {
    use tauri_plugin_deep_link::DeepLinkExt;
    app.deep_link().on_open_url(move |event| {
        for url in event.urls() {
            if !core.account.deep_link_arrived(url.as_str()) {
                // The URL may hold a sign-in code: log only that one was ignored.
                tracing::info!(scheme = url.scheme(), "ignored a link the app was opened with");
            }
        }
    });
}
