//! The Linux desktop's notifications that open what they are about.
//!
//! Tauri's notification plugin shows a notification on the desktop but cannot tell the app
//! that the member clicked it, so a "New council email" notice would only ever be read, never
//! followed. This speaks the freedesktop notification protocol (`org.freedesktop.Notifications`
//! on the session bus, which GNOME, KDE, XFCE and the others serve) itself: each notice is shown
//! with a `default` action (what the desktop runs when the notice is clicked) and remembered with
//! its target, and [`Clicks::run`] hands the target back when the server says it was clicked.
//!
//! Nothing here logs what a notice says: with details on, it names a sender and a subject.
//! On other platforms there is nothing to connect to; phones use the plugin's own actions.

/// A notification server on a private bus that records what it shows and can be clicked.
#[cfg(all(feature = "test-support", target_os = "linux", not(target_os = "android")))]
pub mod fake;

#[cfg(all(target_os = "linux", not(target_os = "android")))]
mod linux;
#[cfg(all(target_os = "linux", not(target_os = "android")))]
pub use linux::{Clicks, DesktopNotices};

/// Why a notice could not be shown.
#[derive(Debug, thiserror::Error)]
pub enum NoticeError {
    /// The session bus could not be reached (no desktop session, or no bus address).
    #[error("the session bus could not be reached: {0}")]
    Bus(String),
    /// No notification server answered, or it refused the notice.
    #[error("the desktop's notification server did not answer: {0}")]
    Server(String),
}
