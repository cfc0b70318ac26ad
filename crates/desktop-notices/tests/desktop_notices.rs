//! The notices against a notification server on a private D-Bus.

#![cfg(all(target_os = "linux", not(target_os = "android")))]

use companion_desktop_notices::fake::{click, expire, serve_notifications, PrivateBus, Shown, SilentBus};
use companion_desktop_notices::{DesktopNotices, NoticeError};
use std::time::Duration;
use tokio::sync::mpsc;

/// What the app would open: a message or a meeting.
#[derive(Debug, Clone, PartialEq)]
enum Target {
    Message(&'static str),
    Meeting(&'static str),
}

/// A private bus with the fake server on it, the app's notices connected to it, and the
/// targets of the clicks as they come.
struct Desktop {
    _bus: PrivateBus,
    server: zbus::Connection,
    shown: Shown,
    notices: DesktopNotices<Target>,
    opened: mpsc::UnboundedReceiver<Target>,
}

async fn desktop() -> Desktop {
    let bus = PrivateBus::start().expect("dbus-daemon (package dbus-daemon) is installed");
    let (server, shown) = serve_notifications(&bus).await.expect("the fake server");
    let (notices, clicks) =
        DesktopNotices::<Target>::connect(Some(&bus.address), "Member Companion").await.expect("connected");
    let (tx, opened) = mpsc::unbounded_channel();
    tokio::spawn(clicks.run(move |target| {
        let _ = tx.send(target);
    }));
    Desktop { _bus: bus, server, shown, notices, opened }
}

async fn next(opened: &mut mpsc::UnboundedReceiver<Target>) -> Option<Target> {
    tokio::time::timeout(Duration::from_secs(5), opened.recv()).await.ok().flatten()
}

#[tokio::test]
async fn a_clicked_notice_opens_its_own_target_and_one_without_a_target_offers_no_click() {
    let Desktop { _bus, server, shown, notices, mut opened } = desktop().await;

    let mail = notices.show("New council email", "1 new message", Some(Target::Message("m1"))).await.expect("shown");
    let meeting = notices.show("Council meeting soon", "At 18:00", Some(Target::Meeting("e1"))).await.expect("shown");
    let warning = notices.show("Data allowance", "75% used", None).await.expect("shown");

    let all = shown.all();
    assert_eq!(all.len(), 3);
    assert_eq!((all[0].app_name.as_str(), all[0].title.as_str()), ("Member Companion", "New council email"));
    assert_eq!(all[0].actions, ["default", "Open"], "a notice that opens something offers the click");
    assert!(all[2].actions.is_empty(), "a warning with nothing to open offers none");

    click(&server, meeting).await.expect("clicked");
    assert_eq!(next(&mut opened).await, Some(Target::Meeting("e1")));
    click(&server, mail).await.expect("clicked");
    assert_eq!(next(&mut opened).await, Some(Target::Message("m1")));
    // A second click on the same notice, a click on the warning and one on another app's
    // notice open nothing.
    click(&server, mail).await.expect("clicked");
    click(&server, warning).await.expect("clicked");
    click(&server, 999).await.expect("clicked");
    assert_eq!(next(&mut opened).await, None);
}

#[tokio::test]
async fn a_notice_that_expired_unclicked_is_forgotten() {
    let Desktop { _bus, server, notices, mut opened, .. } = desktop().await;
    let id = notices.show("New council email", "1 new message", Some(Target::Message("m1"))).await.expect("shown");
    expire(&server, id).await.expect("expired");
    // The server may reuse an expired notice's id for another app's notice; a click on it now
    // is not this app's.
    tokio::time::sleep(Duration::from_millis(200)).await;
    click(&server, id).await.expect("clicked");
    assert_eq!(next(&mut opened).await, None);
}

#[tokio::test]
async fn with_no_notification_server_showing_a_notice_fails_plainly() {
    let bus = PrivateBus::start().expect("dbus-daemon (package dbus-daemon) is installed");
    let (notices, _clicks) =
        DesktopNotices::<Target>::connect(Some(&bus.address), "Member Companion").await.expect("the bus answers");
    let error = notices.show("New council email", "1 new message", None).await.expect_err("no server");
    assert!(error.to_string().starts_with("the desktop's notification server did not answer"), "{error}");
}

#[tokio::test]
async fn a_session_bus_that_takes_the_connection_and_never_answers_is_given_up_on_as_a_plain_error() {
    let bus = SilentBus::start().expect("a socket");
    // Without its own time limit the connection would wait for ever: the test's is longer.
    let connecting = DesktopNotices::<Target>::connect(Some(&bus.address), "Member Companion");
    let result = tokio::time::timeout(Duration::from_secs(30), connecting).await.expect("given up on in time");
    let error = result.err().expect("no connection");
    assert!(matches!(error, NoticeError::Bus(_)), "{error}");
    assert!(error.to_string().contains("no answer within"), "{error}");
}
