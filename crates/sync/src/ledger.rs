//! Metering into the vault: every exchange's bytes go to the day's ledger, by feature and
//! network, in Europe/London days (the member's billing cycle follows the clock on the wall).

use chrono::Utc;
use chrono_tz::Europe::London;
use companion_graph::{Meter, Traffic};
use companion_vault::Vault;
use std::sync::Arc;

/// A [`Meter`] that adds each exchange to the vault's data ledger.
pub struct LedgerMeter {
    vault: Arc<Vault>,
}

impl LedgerMeter {
    /// Meters into `vault`.
    pub fn new(vault: Arc<Vault>) -> Self {
        Self { vault }
    }
}

impl Meter for LedgerMeter {
    fn record(&self, t: Traffic) {
        let day = Utc::now().with_timezone(&London).date_naive();
        // A full disk must not stop a sync: the bytes are lost from the ledger, nothing else.
        let _ = self.vault.write(|w| w.record_traffic(day, t.feature.as_str(), t.network.as_str(), t.up, t.down));
    }
}
