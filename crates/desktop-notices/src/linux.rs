//! `org.freedesktop.Notifications` over zbus.

use crate::NoticeError;
use futures_util::StreamExt;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

const SERVICE: &str = "org.freedesktop.Notifications";
const PATH: &str = "/org/freedesktop/Notifications";
/// The action a desktop runs when the notice itself is clicked (the specification's name).
const DEFAULT_ACTION: &str = "default";
/// How many shown notices are remembered for a click. A server that never says a notice has
/// closed (some keep them in a tray for ever) must not grow this without end; the oldest go.
const REMEMBERED: usize = 64;
/// How long the server may take to show one: a notice is never worth holding an update for.
const ANSWER_LIMIT: std::time::Duration = std::time::Duration::from_secs(5);

/// The notices on screen that open something, oldest first.
type Waiting<T> = Arc<Mutex<Vec<(u32, T)>>>;

/// Shows notices on the desktop; each may carry a target, handed back by [`Clicks`] when the
/// member clicks it.
pub struct DesktopNotices<T> {
    proxy: zbus::Proxy<'static>,
    app_name: String,
    waiting: Waiting<T>,
}

/// The clicks on this app's notices, as their targets. Run it on a task of its own.
pub struct Clicks<T> {
    invoked: zbus::proxy::SignalStream<'static>,
    closed: zbus::proxy::SignalStream<'static>,
    waiting: Waiting<T>,
}

impl<T: Send + 'static> DesktopNotices<T> {
    /// Connects to the notification server on the session bus, or on the bus at `address`
    /// (tests), as `app_name`. Clicks are listened for from here on.
    pub async fn connect(address: Option<&str>, app_name: &str) -> Result<(Self, Clicks<T>), NoticeError> {
        let bus = |e: zbus::Error| NoticeError::Bus(e.to_string());
        let server = |e: zbus::Error| NoticeError::Server(e.to_string());
        let builder = match address {
            Some(address) => zbus::connection::Builder::address(address).map_err(bus)?,
            None => zbus::connection::Builder::session().map_err(bus)?,
        };
        // zbus bounds method calls, not the handshake before them: a session bus that takes the
        // connection and never answers would otherwise hold this notice, and every later one
        // waiting behind it, for ever.
        let connection = within(ANSWER_LIMIT, builder.method_timeout(ANSWER_LIMIT).build())
            .await
            .ok_or_else(|| NoticeError::Bus(format!("no answer within {} s", ANSWER_LIMIT.as_secs())))?
            .map_err(bus)?;
        let proxy = zbus::Proxy::new_owned(connection, SERVICE, PATH, SERVICE).await.map_err(server)?;
        // Subscribed before the first notice is shown, so no click can come before the listener.
        let invoked = proxy.receive_signal("ActionInvoked").await.map_err(server)?;
        let closed = proxy.receive_signal("NotificationClosed").await.map_err(server)?;
        let waiting: Waiting<T> = Arc::default();
        let clicks = Clicks { invoked, closed, waiting: waiting.clone() };
        Ok((Self { proxy, app_name: app_name.to_owned(), waiting }, clicks))
    }

    /// Shows a notice; with a `target`, clicking it opens that. Returns the server's id for it.
    pub async fn show(&self, title: &str, body: &str, target: Option<T>) -> Result<u32, NoticeError> {
        let actions: Vec<&str> = if target.is_some() { vec![DEFAULT_ACTION, "Open"] } else { vec![] };
        let hints: HashMap<&str, zbus::zvariant::Value<'_>> = HashMap::new();
        // Notify(app_name, replaces_id, app_icon, summary, body, actions, hints, expire_timeout):
        // a new notice each time, the server's own timeout.
        let id: u32 = self
            .proxy
            .call("Notify", &(self.app_name.as_str(), 0u32, "", title, body, actions, hints, -1i32))
            .await
            .map_err(|e| NoticeError::Server(e.to_string()))?;
        if let Some(target) = target {
            let mut waiting = self.waiting.lock().unwrap_or_else(PoisonError::into_inner);
            if waiting.len() >= REMEMBERED {
                waiting.remove(0);
            }
            waiting.push((id, target));
        }
        Ok(id)
    }
}

impl<T: Send + 'static> Clicks<T> {
    /// Calls `on_open` with a notice's target each time the member clicks one of this app's
    /// notices, until the bus goes. A notice closed without a click is forgotten.
    pub async fn run(mut self, on_open: impl Fn(T)) {
        while let Some(signal) = self.next_signal().await {
            let mut waiting = self.waiting.lock().unwrap_or_else(PoisonError::into_inner);
            match signal {
                // Another app's notice has an id this app never gave out, and is ignored.
                Signal::Clicked(id) => {
                    if let Some(at) = waiting.iter().position(|(shown, _)| *shown == id) {
                        let (_, target) = waiting.remove(at);
                        drop(waiting);
                        on_open(target);
                    }
                }
                Signal::Closed(id) => waiting.retain(|(shown, _)| *shown != id),
                Signal::Other => {}
            }
        }
    }

    /// The next signal from the server, or `None` once the connection is gone. (Written
    /// without an async runtime's `select!`: zbus's streams run on any executor.)
    async fn next_signal(&mut self) -> Option<Signal> {
        use futures_util::future::{select, Either};
        match select(self.invoked.next(), self.closed.next()).await {
            Either::Left((Some(message), _)) => Some(match message.body().deserialize::<(u32, String)>() {
                Ok((id, action)) if action == DEFAULT_ACTION => Signal::Clicked(id),
                _ => Signal::Other,
            }),
            Either::Right((Some(message), _)) => Some(match message.body().deserialize::<(u32, u32)>() {
                Ok((id, _reason)) => Signal::Closed(id),
                Err(_) => Signal::Other,
            }),
            Either::Left((None, _)) | Either::Right((None, _)) => None,
        }
    }
}

/// `work`'s result, or `None` once `limit` has passed (on zbus's own timer thread, so on any
/// executor).
async fn within<T>(limit: std::time::Duration, work: impl std::future::Future<Output = T>) -> Option<T> {
    use futures_util::future::{select, Either};
    match select(std::pin::pin!(work), async_io::Timer::after(limit)).await {
        Either::Left((done, _)) => Some(done),
        Either::Right(_) => None,
    }
}

/// What the server said about a notice.
enum Signal {
    /// The member clicked it (its default action).
    Clicked(u32),
    /// It went: expired, dismissed or closed.
    Closed(u32),
    /// Another action, or a signal that did not read.
    Other,
}
