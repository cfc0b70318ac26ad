//! Against a fake NetworkManager served on a private D-Bus (a real `dbus-daemon`), asked as
//! the app asks the system's.
#![cfg(all(target_os = "linux", not(target_os = "android")))]

use companion_network_cost::fake::{serve_network_manager, set_metered, PrivateBus, SilentBus};
use companion_network_cost::{system_metered, CostError, Metered};

#[tokio::test]
async fn a_connection_network_manager_calls_metered_is_metered_and_a_change_is_seen_on_the_next_ask() {
    within_time(async {
        let bus = PrivateBus::start().expect("dbus-daemon (package dbus-daemon) is installed");
        let nm = serve_network_manager(&bus, 1).await.expect("served");
        assert_eq!(system_metered(Some(&bus.address)).await.expect("asked"), Metered::Yes);
        for (value, expected) in [(2, Metered::No), (3, Metered::Yes), (4, Metered::No), (0, Metered::Unknown)] {
            set_metered(&nm, value).await.expect("changed");
            assert_eq!(system_metered(Some(&bus.address)).await.expect("asked"), expected, "NMMetered {value}");
        }
    })
    .await;
}

#[tokio::test]
async fn no_network_manager_on_the_bus_or_no_bus_at_all_is_a_plain_error() {
    within_time(async {
        let bus = PrivateBus::start().expect("dbus-daemon (package dbus-daemon) is installed");
        assert!(matches!(system_metered(Some(&bus.address)).await, Err(CostError::NetworkManager(_))));
        let gone = format!("unix:path={}/no-such-socket", std::env::temp_dir().display());
        assert!(matches!(system_metered(Some(&gone)).await, Err(CostError::Bus(_))));
    })
    .await;
}

#[tokio::test]
async fn a_bus_that_takes_the_connection_and_never_answers_is_given_up_on_as_a_plain_error() {
    within_time(async {
        let bus = SilentBus::start().expect("a socket");
        let error = system_metered(Some(&bus.address)).await.expect_err("no answer");
        assert!(matches!(error, CostError::Bus(_)), "{error}");
        assert!(error.to_string().contains("no answer within"), "{error}");
    })
    .await;
}

/// A bus that never answers must fail the test, not hang the suite.
async fn within_time(test: impl std::future::Future<Output = ()>) {
    tokio::time::timeout(std::time::Duration::from_secs(30), test).await.expect("the bus answered in time");
}
