//! A stand-in desktop notification server on a private D-Bus (a real `dbus-daemon`): it
//! records each notice it is asked to show, and a test clicks one as a member would.

// zbus's interface macro adds public helpers of its own for each signal, which it leaves
// undocumented, outside the impl block below.
#![allow(missing_docs)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

pub use companion_test_dbus::{PrivateBus, SilentBus};

const PATH: &str = "/org/freedesktop/Notifications";

/// A notice the server was asked to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShownNotice {
    /// The server's id for it.
    pub id: u32,
    /// Who asked.
    pub app_name: String,
    /// Its title.
    pub title: String,
    /// Its text.
    pub body: String,
    /// Its actions, as the protocol lists them: key, label, key, label…
    pub actions: Vec<String>,
}

/// What the fake server has shown, oldest first.
#[derive(Debug, Clone, Default)]
pub struct Shown(Arc<Mutex<Vec<ShownNotice>>>);

impl Shown {
    /// Everything shown so far.
    pub fn all(&self) -> Vec<ShownNotice> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }
}

struct FakeNotificationServer {
    shown: Shown,
}

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl FakeNotificationServer {
    #[allow(clippy::too_many_arguments)]
    fn notify(
        &mut self,
        app_name: String,
        _replaces_id: u32,
        _app_icon: String,
        summary: String,
        body: String,
        actions: Vec<String>,
        _hints: HashMap<String, zbus::zvariant::OwnedValue>,
        _expire_timeout: i32,
    ) -> u32 {
        let mut shown = self.shown.0.lock().unwrap_or_else(PoisonError::into_inner);
        // Ids start at 1: 0 means "a new notice" in the protocol.
        let id = u32::try_from(shown.len()).unwrap_or(u32::MAX - 1) + 1;
        shown.push(ShownNotice { id, app_name, title: summary, body, actions });
        id
    }

    fn get_capabilities(&self) -> Vec<String> {
        vec!["actions".into(), "body".into()]
    }

    fn get_server_information(&self) -> (String, String, String, String) {
        ("companion-fake".into(), "Member Companion tests".into(), "1".into(), "1.2".into())
    }

    async fn close_notification(
        &self,
        id: u32,
        #[zbus(signal_emitter)] emitter: zbus::object_server::SignalEmitter<'_>,
    ) -> zbus::fdo::Result<()> {
        // Reason 3: closed by a call to CloseNotification.
        Self::notification_closed(&emitter, id, 3).await?;
        Ok(())
    }

    /// The member chose one of a notice's actions (`default`: clicked the notice).
    #[zbus(signal)]
    async fn action_invoked(
        emitter: &zbus::object_server::SignalEmitter<'_>,
        id: u32,
        action_key: &str,
    ) -> zbus::Result<()>;

    /// A notice went: 1 expired, 2 dismissed, 3 closed by a call.
    #[zbus(signal)]
    async fn notification_closed(
        emitter: &zbus::object_server::SignalEmitter<'_>,
        id: u32,
        reason: u32,
    ) -> zbus::Result<()>;
}

/// Serves a notification server on `bus` as the desktop would; it answers while the returned
/// connection lives.
pub async fn serve_notifications(bus: &PrivateBus) -> zbus::Result<(zbus::Connection, Shown)> {
    let shown = Shown::default();
    let connection = zbus::connection::Builder::address(bus.address.as_str())?
        .name("org.freedesktop.Notifications")?
        .serve_at(PATH, FakeNotificationServer { shown: shown.clone() })?
        .build()
        .await?;
    Ok((connection, shown))
}

/// The member clicks notice `id` (its default action).
pub async fn click(connection: &zbus::Connection, id: u32) -> zbus::Result<()> {
    let emitter = zbus::object_server::SignalEmitter::new(connection, PATH)?;
    FakeNotificationServer::action_invoked(&emitter, id, "default").await
}

/// Notice `id` expires unclicked.
pub async fn expire(connection: &zbus::Connection, id: u32) -> zbus::Result<()> {
    let emitter = zbus::object_server::SignalEmitter::new(connection, PATH)?;
    // Reason 1: expired.
    FakeNotificationServer::notification_closed(&emitter, id, 1).await
}
