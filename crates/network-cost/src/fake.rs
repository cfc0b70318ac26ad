//! A stand-in NetworkManager on a private D-Bus (a real `dbus-daemon`), for tests of
//! everything that asks the system whether the connection is metered.

/// NetworkManager's object path.
pub const PATH: &str = "/org/freedesktop/NetworkManager";

/// NetworkManager's main object, with only the property the app reads.
pub struct FakeNetworkManager {
    /// `NMMetered`: 0 unknown, 1 yes, 2 no, 3 guess yes, 4 guess no.
    pub metered: u32,
}

#[zbus::interface(name = "org.freedesktop.NetworkManager")]
impl FakeNetworkManager {
    #[zbus(property)]
    fn metered(&self) -> u32 {
        self.metered
    }
}

pub use companion_test_dbus::{PrivateBus, SilentBus};

/// Serves a NetworkManager saying `metered` on `bus`; it answers while the connection lives.
pub async fn serve_network_manager(bus: &PrivateBus, metered: u32) -> zbus::Result<zbus::Connection> {
    zbus::connection::Builder::address(bus.address.as_str())?
        .name("org.freedesktop.NetworkManager")?
        .serve_at(PATH, FakeNetworkManager { metered })?
        .build()
        .await
}

/// Changes what the NetworkManager served on `connection` says.
pub async fn set_metered(connection: &zbus::Connection, metered: u32) -> zbus::Result<()> {
    let object = connection.object_server().interface::<_, FakeNetworkManager>(PATH).await?;
    object.get_mut().await.metered = metered;
    Ok(())
}
