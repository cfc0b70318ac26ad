//! Whether the computer's connection costs by the byte, as the operating system says.
//!
//! A laptop tethered to the trial phone, or on a mobile dongle, spends the member's 1 GB as
//! surely as the phone does; left to a setting the member must remember, it would count as
//! Wi-Fi and the allowance's warnings would stay silent. On Linux the answer is
//! NetworkManager's `Metered` property (`org.freedesktop.NetworkManager`, on the system bus),
//! which NetworkManager sets from the connection itself (a phone's hotspot says so) or from the
//! member's own choice in the system settings. macOS (`NWPath.isExpensive`) and Windows
//! (`ConnectionCost.NetworkCostType`) have their own flags; they are not read yet, and the
//! answer there is [`Metered::Unknown`].

/// A fake NetworkManager on a private bus, for tests.
#[cfg(all(feature = "test-support", target_os = "linux", not(target_os = "android")))]
pub mod fake;

/// Whether the connection is metered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metered {
    /// It costs by the byte (NetworkManager: yes, or its guess of yes).
    Yes,
    /// It does not (no, or a guess of no).
    No,
    /// Nothing says.
    Unknown,
}

impl Metered {
    /// NetworkManager's `NMMetered` value: 0 unknown, 1 yes, 2 no, 3 guess yes, 4 guess no.
    pub fn from_network_manager(value: u32) -> Self {
        match value {
            1 | 3 => Self::Yes,
            2 | 4 => Self::No,
            _ => Self::Unknown,
        }
    }
}

/// Why the system could not be asked.
#[derive(Debug, thiserror::Error)]
pub enum CostError {
    /// The D-Bus could not be reached.
    #[error("the system bus could not be reached: {0}")]
    Bus(String),
    /// NetworkManager is not running, or did not answer.
    #[error("NetworkManager did not answer: {0}")]
    NetworkManager(String),
    /// This platform's flag is not read.
    #[error("this system's connection cost is not read")]
    Unsupported,
}

#[cfg(all(target_os = "linux", not(target_os = "android")))]
mod network_manager {
    use super::{CostError, Metered};

    const SERVICE: &str = "org.freedesktop.NetworkManager";
    const PATH: &str = "/org/freedesktop/NetworkManager";

    /// How long NetworkManager may take to answer: the question is asked before every update,
    /// which must never wait on a daemon that has stopped answering.
    const ANSWER_LIMIT: std::time::Duration = std::time::Duration::from_secs(2);

    /// Asks NetworkManager on the bus at `address` (the system bus when `None`).
    pub async fn metered(address: Option<&str>) -> Result<Metered, CostError> {
        let bus = |e: zbus::Error| CostError::Bus(e.to_string());
        let builder = match address {
            Some(address) => zbus::connection::Builder::address(address).map_err(bus)?,
            None => zbus::connection::Builder::system().map_err(bus)?,
        };
        // zbus bounds method calls, not the handshake before them: a bus that takes the
        // connection and never answers would otherwise hold every update for ever.
        let connection = within(ANSWER_LIMIT, builder.method_timeout(ANSWER_LIMIT).build())
            .await
            .ok_or_else(|| CostError::Bus(format!("no answer within {} s", ANSWER_LIMIT.as_secs())))?
            .map_err(bus)?;
        let proxy = zbus::Proxy::new(&connection, SERVICE, PATH, SERVICE)
            .await
            .map_err(|e| CostError::NetworkManager(e.to_string()))?;
        let value: u32 = proxy.get_property("Metered").await.map_err(|e| CostError::NetworkManager(e.to_string()))?;
        Ok(Metered::from_network_manager(value))
    }

    /// `work`'s result, or `None` once `limit` has passed (on zbus's own timer thread, so on
    /// any executor).
    async fn within<T>(limit: std::time::Duration, work: impl std::future::Future<Output = T>) -> Option<T> {
        use futures_util::future::{select, Either};
        match select(std::pin::pin!(work), async_io::Timer::after(limit)).await {
            Either::Left((done, _)) => Some(done),
            Either::Right(_) => None,
        }
    }
}

/// Whether the connection is metered, as the system says: NetworkManager on the bus at
/// `bus_address` (the system bus when `None`) on Linux.
pub async fn system_metered(bus_address: Option<&str>) -> Result<Metered, CostError> {
    #[cfg(all(target_os = "linux", not(target_os = "android")))]
    {
        network_manager::metered(bus_address).await
    }
    #[cfg(not(all(target_os = "linux", not(target_os = "android"))))]
    {
        let _ = bus_address;
        Err(CostError::Unsupported)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn network_manager_s_guesses_count_as_its_answers_and_anything_else_is_unknown() {
        assert_eq!(Metered::from_network_manager(1), Metered::Yes);
        assert_eq!(Metered::from_network_manager(3), Metered::Yes);
        assert_eq!(Metered::from_network_manager(2), Metered::No);
        assert_eq!(Metered::from_network_manager(4), Metered::No);
        assert_eq!(Metered::from_network_manager(0), Metered::Unknown);
        assert_eq!(Metered::from_network_manager(99), Metered::Unknown);
    }
}
