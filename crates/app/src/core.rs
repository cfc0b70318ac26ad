//! What every feature service shares: the configuration, the vault, the keyring, the network,
//! the session with the council, and the one line out to whoever listens (the shell).

use crate::error::{AppCoreError, Result};
use crate::views::{Collection, CoreEvent, DataChanged, SyncStatus};
use crate::AppConfig;
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Europe::London;
use companion_allowance::DataAllowance;
use companion_graph::{GraphClient, Network, NetworkProbe, SessionTokens};
use companion_keystore::Keystore;
use companion_sync::{CountingMeter, LedgerMeter, LocalChange, Outbox, SyncEngine, SyncOptions};
use companion_vault::Vault;
use std::collections::{BTreeMap, VecDeque};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

/// Hears what the core says without being asked (the shell turns it into window events and
/// notifications).
pub type CoreListener = Arc<dyn Fn(CoreEvent) + Send + Sync>;

/// The network the member says the computer is on (desktop); phones will read it from the OS.
pub struct SettableNetwork(AtomicBool);

impl SettableNetwork {
    pub(crate) fn new(mobile: bool) -> Self {
        Self(AtomicBool::new(mobile))
    }

    pub(crate) fn set(&self, mobile: bool) {
        self.0.store(mobile, Ordering::Relaxed);
    }
}

impl NetworkProbe for SettableNetwork {
    fn current(&self) -> Network {
        if self.0.load(Ordering::Relaxed) {
            Network::Mobile
        } else {
            Network::Wifi
        }
    }
}

/// A signed-in session with the council's tenant.
pub(crate) struct Session {
    /// Every byte this session's Graph client moves (also in the ledger): what an update cost.
    pub(crate) bytes: Arc<CountingMeter>,
    pub(crate) graph: Arc<GraphClient>,
    pub(crate) engine: Arc<SyncEngine>,
    pub(crate) outbox: Outbox,
}

/// How the last updates went, for the status bar, the data screen and help diagnostics.
#[derive(Default)]
pub(crate) struct UpdateRecord {
    pub(crate) status: SyncStatus,
    /// What the last finished update moved, in bytes.
    pub(crate) last_bytes: Option<u64>,
    /// The last few failures, as codes.
    pub(crate) recent_errors: VecDeque<String>,
}

/// The shared core.
pub(crate) struct Core {
    pub(crate) config: AppConfig,
    pub(crate) demo: bool,
    pub(crate) keystore: Arc<Keystore>,
    pub(crate) vault: Arc<Vault>,
    pub(crate) allowance: DataAllowance,
    pub(crate) network: Arc<SettableNetwork>,
    session: tokio::sync::RwLock<Option<Arc<Session>>>,
    /// Why the last session ended by itself, for the sign-in screen.
    pub(crate) session_problem: Mutex<Option<String>>,
    pub(crate) updates: Mutex<UpdateRecord>,
    /// Feature uses since the last update, by London day, for the usage report. In memory:
    /// opening a message or typing a search must not write the vault.
    uses: Mutex<BTreeMap<(NaiveDate, String), u64>>,
    listener: Mutex<Option<CoreListener>>,
    /// Where attachments the member opens are written for the device's viewer; emptied at
    /// every start and sign-out, so only what is being looked at lies outside the vault.
    pub(crate) opened_dir: PathBuf,
}

/// Locks a mutex, carrying on past a panic elsewhere (the data is plain state).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The London date of an instant.
pub(crate) fn london_day(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&London).date_naive()
}

impl Core {
    pub(crate) fn new(
        config: AppConfig,
        demo: bool,
        keystore: Arc<Keystore>,
        vault: Arc<Vault>,
        allowance: DataAllowance,
        network: Arc<SettableNetwork>,
        opened_dir: PathBuf,
    ) -> Self {
        Self {
            config,
            demo,
            keystore,
            vault,
            allowance,
            network,
            session: tokio::sync::RwLock::new(None),
            session_problem: Mutex::new(None),
            updates: Mutex::new(UpdateRecord {
                status: SyncStatus { online: true, ..Default::default() },
                ..Default::default()
            }),
            uses: Mutex::new(BTreeMap::new()),
            listener: Mutex::new(None),
            opened_dir,
        }
    }

    /// The session, or "please sign in".
    pub(crate) async fn session(&self) -> Result<Arc<Session>> {
        self.session.read().await.clone().ok_or(AppCoreError::SignedOut)
    }

    pub(crate) async fn signed_in(&self) -> bool {
        self.session.read().await.is_some()
    }

    pub(crate) async fn set_session(&self, session: Option<Arc<Session>>) {
        *self.session.write().await = session;
    }

    /// The council refused the session (the refresh token): forget it, and say why on the
    /// sign-in screen.
    pub(crate) async fn session_ended(&self, why: &AppCoreError) {
        tracing::warn!(error = ?why, "the council ended the session");
        if let Err(e) = self.keystore.delete(companion_keystore::SecretName::RefreshToken) {
            tracing::warn!(error = %e, "the refused refresh token could not be removed");
        }
        self.set_session(None).await;
        *lock(&self.session_problem) = Some(why.to_string());
        self.changed(&[Collection::Account]);
    }

    /// Starts a session's Graph client, sync engine and outbox over `tokens`.
    pub(crate) fn start_session(&self, tokens: Arc<SessionTokens>) -> Result<Arc<Session>> {
        let bytes = Arc::new(CountingMeter::new(Arc::new(LedgerMeter::new(self.vault.clone()))));
        let graph = Arc::new(GraphClient::new(&self.config.graph_url, tokens, bytes.clone(), self.network.clone())?);
        let mut engine = SyncEngine::new(
            graph.clone(),
            self.vault.clone(),
            self.allowance.governor(),
            self.network.clone(),
            SyncOptions::default(),
        )
        .counting_bytes(bytes.clone());
        if let Some(listener) = lock(&self.listener).clone() {
            engine = engine.on_progress(move |p| {
                if let Some(progress) = crate::views::SyncProgress::from_engine(p) {
                    listener(CoreEvent::SyncProgress(progress));
                }
            });
        }
        let engine = Arc::new(engine);
        Ok(Arc::new(Session { bytes, engine, outbox: Outbox::new(graph.clone(), self.vault.clone()), graph }))
    }

    pub(crate) fn set_listener(&self, listener: CoreListener) {
        *lock(&self.listener) = Some(listener);
    }

    /// Tells the listener, if any.
    pub(crate) fn tell(&self, event: CoreEvent) {
        let listener = lock(&self.listener).clone();
        if let Some(listener) = listener {
            listener(event);
        }
    }

    /// Tells the listener which collections changed, so the views reload them.
    pub(crate) fn changed(&self, collections: &[Collection]) {
        self.tell(CoreEvent::Changed(DataChanged { collections: collections.to_vec() }));
    }

    pub(crate) fn sync_status(&self) -> SyncStatus {
        lock(&self.updates).status.clone()
    }

    /// Queues a change (applied to the cache at once), tries to deliver it in the background,
    /// and says what changed.
    pub(crate) async fn queue(self: &Arc<Self>, change: LocalChange, changed: &[Collection]) -> Result<()> {
        let session = self.session().await?;
        session.outbox.queue(&change)?;
        self.changed(changed);
        let core = self.clone();
        tokio::spawn(async move {
            let _ = session.outbox.deliver().await;
            core.changed(&[Collection::Outbox]);
        });
        Ok(())
    }

    /// Counts one use of a feature for the usage report (saved with the next update, and only
    /// with consent).
    pub(crate) fn count_use(&self, feature: &str) {
        *lock(&self.uses).entry((london_day(Utc::now()), feature.to_owned())).or_default() += 1;
    }

    /// The uses counted since the last call.
    pub(crate) fn take_uses(&self) -> BTreeMap<(NaiveDate, String), u64> {
        std::mem::take(&mut *lock(&self.uses))
    }

    /// Writes an attachment the member opens where the device's viewer can read it.
    pub(crate) fn opened_file(&self, name: &str, content: &[u8]) -> Result<PathBuf> {
        // The name comes from the sender: keep only a safe file name.
        let safe: String = name
            .chars()
            .map(|c| if c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | ' ' | '(' | ')') { c } else { '_' })
            .collect();
        let safe = safe.trim_start_matches('.').trim();
        let safe = if safe.is_empty() { "attachment" } else { safe };
        std::fs::create_dir_all(&self.opened_dir).map_err(AppCoreError::File)?;
        let path = self.opened_dir.join(safe);
        std::fs::write(&path, content).map_err(AppCoreError::File)?;
        Ok(path)
    }

    /// Removes every attachment written for the viewer.
    pub(crate) fn forget_opened_files(&self) {
        let _ = std::fs::remove_dir_all(&self.opened_dir);
    }
}
