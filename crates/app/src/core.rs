//! What every feature service shares: the configuration, the cache (open only while the app
//! is unlocked), the keyring, the network, the session with the council, the one wipe, and
//! the one line out to whoever listens (the shell).

use crate::error::{AppCoreError, Result};
use crate::views::{Collection, CoreEvent, DataChanged, SyncStatus, WipeReason};
use crate::AppConfig;
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Europe::London;
use companion_allowance::{AllowancePolicy, DataAllowance};
use companion_evidence::EvidenceStore;
use companion_graph::{GraphClient, Network, NetworkProbe, Secret, SessionTokens, SignIn, SignInConfig};
use companion_keystore::{Keystore, SecretName};
use companion_protection::{ContactRecord, ProtectionPolicy, ProtectionRecord};
use companion_sync::{CountingMeter, LedgerMeter, LocalChange, Outbox, SyncEngine, SyncOptions};
use companion_vault::Vault;
use std::collections::{BTreeMap, VecDeque};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicU8, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

/// The file a wipe leaves (the time and the reason, nothing of the member's) so the next
/// screen can say what happened.
pub(crate) const WIPE_MARKER: &str = "wiped.json";
/// The vault key sealed under the member's PIN.
pub(crate) const SEALED_KEY_FILE: &str = "vault.key";
/// The code the council uses to ask for this device's wipe.
pub(crate) const DEVICE_CODE_FILE: &str = "device-code";
/// Where the PIN's keystore half was kept when it was made: `persistent` (a store that
/// survives a restart) or `until-restart` (the Linux kernel keyring). Not a secret.
pub(crate) const KEYRING_KIND_FILE: &str = "keyring-kind";

/// Hears what the core says without being asked (the shell turns it into window events and
/// notifications).
pub type CoreListener = Arc<dyn Fn(CoreEvent) + Send + Sync>;

/// The network the app counts its use against: the member's choice when they made one, else
/// what the system says (on Linux desktops, NetworkManager's `Metered`), else Wi-Fi. Phones
/// will read it from the OS (docs/android-network.md).
pub struct SettableNetwork {
    /// 0: not chosen, 1: Wi-Fi, 2: mobile data.
    member: AtomicU8,
    /// 0: not known, 1: not metered, 2: metered.
    system: AtomicU8,
}

impl SettableNetwork {
    pub(crate) fn new(mobile: bool) -> Self {
        Self { member: AtomicU8::new(if mobile { 2 } else { 0 }), system: AtomicU8::new(0) }
    }

    /// The member's choice (`None`: follow the system).
    pub(crate) fn choose(&self, member: Option<Network>) {
        self.member.store(network_code(member), Ordering::Relaxed);
    }

    /// What the system says (`None`: it does not say).
    pub(crate) fn system_says(&self, system: Option<Network>) {
        self.system.store(network_code(system), Ordering::Relaxed);
    }

    /// Where the current answer comes from.
    pub fn source(&self) -> crate::views::NetworkSource {
        use crate::views::NetworkSource;
        match (self.member.load(Ordering::Relaxed), self.system.load(Ordering::Relaxed)) {
            (1 | 2, _) => NetworkSource::Member,
            (_, 1 | 2) => NetworkSource::System,
            _ => NetworkSource::Assumed,
        }
    }
}

fn network_code(network: Option<Network>) -> u8 {
    match network {
        None => 0,
        Some(Network::Wifi) => 1,
        Some(Network::Mobile) => 2,
    }
}

impl NetworkProbe for SettableNetwork {
    fn current(&self) -> Network {
        let member = self.member.load(Ordering::Relaxed);
        let chosen = if member == 0 { self.system.load(Ordering::Relaxed) } else { member };
        if chosen == 2 {
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
    /// The council's committee site, where it is set up; metered with Graph's bytes.
    pub(crate) papers: Option<Arc<companion_moderngov::ModernGovClient>>,
}

/// How many failures the help diagnostics remember.
pub(crate) const RECENT_ERRORS_KEPT: usize = 5;

/// How the last updates went, for the status bar, the data screen and help diagnostics.
#[derive(Default)]
pub(crate) struct UpdateRecord {
    pub(crate) status: SyncStatus,
    /// What the last finished update moved, in bytes.
    pub(crate) last_bytes: Option<u64>,
    /// The last few failures, as codes.
    pub(crate) recent_errors: VecDeque<String>,
}

/// The open cache: everything that needs the vault's key. It exists only while the app is
/// unlocked; locking drops it (and with it the key).
pub(crate) struct Cache {
    pub(crate) vault: Arc<Vault>,
    pub(crate) allowance: DataAllowance,
    pub(crate) evidence: Arc<EvidenceStore>,
}

/// Where the app lock stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LockState {
    /// Nothing stored: the member chooses a PIN.
    ChoosePin,
    /// The cache is closed until the PIN is given.
    Locked,
    /// The cache is open but shown to nobody until the app reaches the council.
    ReachCouncil,
    /// Open.
    Open,
}

/// The shared core.
pub(crate) struct Core {
    pub(crate) config: AppConfig,
    pub(crate) demo: bool,
    pub(crate) keystore: Arc<Keystore>,
    pub(crate) policy: ProtectionPolicy,
    pub(crate) allowance_policy: AllowancePolicy,
    pub(crate) network: Arc<SettableNetwork>,
    pub(crate) data_dir: PathBuf,
    cache: RwLock<Option<Arc<Cache>>>,
    pub(crate) lock_state: Mutex<LockState>,
    session: tokio::sync::RwLock<Option<Arc<Session>>>,
    /// Mirrors `session.is_some()` for the synchronous gate on the member's data.
    has_session: AtomicBool,
    /// Bumped by every wipe and lock: a refresh-token keeper or an update from before may
    /// no longer write anything.
    generation: AtomicU64,
    /// Held while a keeper stores a token and while a wipe bumps the generation, so no token
    /// lands in the keyring after a wipe has removed it.
    keeper_gate: Mutex<()>,
    /// Wakes running updates so they stop (a lock or a wipe).
    stop: tokio::sync::Notify,
    /// One update at a time; a wipe waits for the running one to stop.
    pub(crate) update_turn: tokio::sync::Mutex<()>,
    /// Read-modify-write of the protection record in the keyring, one at a time.
    record_gate: Mutex<()>,
    /// The member's last touch, for the idle lock.
    pub(crate) last_activity: Mutex<std::time::Instant>,
    /// Why the last session ended by itself, for the sign-in screen.
    pub(crate) session_problem: Mutex<Option<String>>,
    pub(crate) updates: Mutex<UpdateRecord>,
    /// Feature uses since the last update, by London day, for the usage report. In memory:
    /// opening a message or typing a search must not write the vault.
    uses: Mutex<BTreeMap<(NaiveDate, String), u64>>,
    /// How long the member waited, by day and measure (`open-message`, `search`, `update`),
    /// in milliseconds, since the last save: the usage report's speed as the member felt it.
    timings: Mutex<Vec<(NaiveDate, &'static str, u32)>>,
    /// The display settings the screen reported, by London day, since the last save.
    display: Mutex<BTreeMap<NaiveDate, companion_evidence::DisplaySeen>>,
    listener: Mutex<Option<CoreListener>>,
    /// Where attachments the member opens are written for the device's viewer; emptied at
    /// every start and sign-out, so only what is being looked at lies outside the vault.
    pub(crate) opened_dir: PathBuf,
    /// What dates the ledger, the counted uses and waits: the wall clock, or a simulated one
    /// (a simulated trial lets months happen in seconds).
    clock: RwLock<companion_sync::Clock>,
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
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        config: AppConfig,
        demo: bool,
        keystore: Arc<Keystore>,
        policy: ProtectionPolicy,
        allowance_policy: AllowancePolicy,
        network: Arc<SettableNetwork>,
        data_dir: PathBuf,
        lock_state: LockState,
    ) -> Self {
        Self {
            config,
            demo,
            keystore,
            policy,
            allowance_policy,
            network,
            opened_dir: data_dir.join("opened"),
            data_dir,
            cache: RwLock::new(None),
            lock_state: Mutex::new(lock_state),
            session: tokio::sync::RwLock::new(None),
            has_session: AtomicBool::new(false),
            generation: AtomicU64::new(0),
            keeper_gate: Mutex::new(()),
            stop: tokio::sync::Notify::new(),
            update_turn: tokio::sync::Mutex::new(()),
            record_gate: Mutex::new(()),
            last_activity: Mutex::new(std::time::Instant::now()),
            session_problem: Mutex::new(None),
            updates: Mutex::new(UpdateRecord {
                status: SyncStatus { online: true, ..Default::default() },
                ..Default::default()
            }),
            uses: Mutex::new(BTreeMap::new()),
            timings: Mutex::new(Vec::new()),
            display: Mutex::new(BTreeMap::new()),
            listener: Mutex::new(None),
            clock: RwLock::new(Arc::new(Utc::now)),
        }
    }

    /// The clock that dates the ledger, uses and waits.
    pub(crate) fn clock(&self) -> companion_sync::Clock {
        self.clock.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Replaces that clock (for a simulated trial).
    pub(crate) fn set_clock(&self, clock: companion_sync::Clock) {
        *self.clock.write().unwrap_or_else(|e| e.into_inner()) = clock;
    }

    /// The cache, for the member's own reading: only while unlocked, signed in and within
    /// the offline grace period. Everything a screen shows goes through here.
    pub(crate) fn cache(&self) -> Result<Arc<Cache>> {
        match *lock(&self.lock_state) {
            LockState::Open => {}
            LockState::ReachCouncil => return Err(AppCoreError::ReachCouncil),
            LockState::ChoosePin | LockState::Locked => return Err(AppCoreError::Locked),
        }
        if !self.has_session.load(Ordering::SeqCst) {
            return Err(AppCoreError::SignedOut);
        }
        self.open_cache()
    }

    /// The vault, for the member's own reading (see [`Core::cache`]).
    pub(crate) fn vault(&self) -> Result<Arc<Vault>> {
        Ok(self.cache()?.vault.clone())
    }

    /// The cache whoever asks, as long as it is open: for signing in, updates and the
    /// evidence's delivery, which run before the member may read (or without them).
    pub(crate) fn open_cache(&self) -> Result<Arc<Cache>> {
        self.cache.read().unwrap_or_else(|e| e.into_inner()).clone().ok_or(AppCoreError::Locked)
    }

    /// Asks the system whether the connection is metered (NetworkManager on Linux desktops);
    /// an answer it cannot give leaves the member's choice, or Wi-Fi, in force.
    pub(crate) async fn read_system_network(&self) {
        let said = match companion_network_cost::system_metered(self.config.network_bus.as_deref()).await {
            Ok(companion_network_cost::Metered::Yes) => Some(Network::Mobile),
            Ok(companion_network_cost::Metered::No) => Some(Network::Wifi),
            Ok(companion_network_cost::Metered::Unknown) => None,
            Err(e) => {
                tracing::debug!(error = %e, "the system does not say whether the connection is metered");
                None
            }
        };
        self.network.system_says(said);
    }

    /// Opens the cache over `vault` (the PIN was right, or a new one was chosen).
    pub(crate) fn set_cache(&self, vault: Vault) -> Result<()> {
        let vault = Arc::new(vault);
        let allowance = DataAllowance::new(vault.clone(), self.allowance_policy.clone())?;
        let evidence = Arc::new(EvidenceStore::new(vault.clone()));
        self.network.choose(match vault.setting("app.network")?.as_deref() {
            Some("mobile") => Some(Network::Mobile),
            Some("wifi") => Some(Network::Wifi),
            _ => None,
        });
        *self.cache.write().unwrap_or_else(|e| e.into_inner()) = Some(Arc::new(Cache { vault, allowance, evidence }));
        Ok(())
    }

    /// The app's generation: what a keeper or an update started under.
    pub(crate) fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// Resolves when a lock or wipe after `generation` asks running work to stop.
    pub(crate) async fn stopped_since(&self, generation: u64) {
        loop {
            let notified = self.stop.notified();
            if self.generation() != generation {
                return;
            }
            notified.await;
        }
    }

    /// Ends the session and closes the cache: running updates stop, no keeper may store a
    /// token from before, and the key leaves memory with the last handle on the vault.
    pub(crate) async fn close(&self, state: LockState) {
        {
            let _gate = lock(&self.keeper_gate);
            self.generation.fetch_add(1, Ordering::SeqCst);
        }
        self.stop.notify_waiters();
        let _turn = self.update_turn.lock().await;
        self.set_session(None).await;
        *lock(&self.lock_state) = state;
        self.cache.write().unwrap_or_else(|e| e.into_inner()).take();
        self.forget_opened_files();
    }

    /// The one wipe: stops updates, closes the cache, removes every file the app wrote and
    /// every secret it keeps, and leaves a marker that says when and why (nothing else).
    pub(crate) async fn wipe(&self, reason: WipeReason) {
        tracing::warn!(?reason, "wiping the app's data");
        self.close(LockState::ChoosePin).await;
        if let Err(e) = remove_contents(&self.data_dir) {
            tracing::error!(error = %e, "part of the data folder could not be removed");
        }
        let marker = crate::protection::WipeMarker { at: Utc::now(), reason };
        if let Err(e) = std::fs::create_dir_all(&self.data_dir)
            .and_then(|()| std::fs::write(self.data_dir.join(WIPE_MARKER), marker.to_json()))
        {
            tracing::error!(error = %e, "the wipe marker could not be written");
        }
        {
            let _gate = lock(&self.keeper_gate);
            if let Err(e) = self.keystore.delete_all() {
                tracing::error!(error = %e, "the keyring entries could not all be removed");
            }
        }
        *lock(&self.session_problem) = None;
        self.changed(&[Collection::Protection, Collection::Account]);
    }

    /// Signing in with the council's tenant, metered into the open cache's ledger.
    pub(crate) fn signin(&self) -> Result<SignIn> {
        let config = &self.config;
        let mut cfg = SignInConfig::entra(&config.authority, &config.client_id);
        if let Some(s) = &config.scopes {
            cfg.scopes = s.clone();
        }
        if let Some(t) = &config.tenant_id {
            cfg.tenant = Some(t.clone());
        }
        let ledger = Arc::new(LedgerMeter::with_clock(self.open_cache()?.vault.clone(), self.clock()));
        Ok(SignIn::new(cfg).map_err(crate::account::sign_in_failed)?.metered(ledger, self.network.clone()))
    }

    /// Keeps each new refresh token in the keyring, unless the app has been locked, wiped or
    /// signed out since this keeper was made: then the token is refused and the session ends.
    pub(crate) fn keeper(self: &Arc<Self>) -> companion_graph::KeepRefreshToken {
        let core = Arc::downgrade(self);
        let generation = self.generation();
        Box::new(move |token: &Secret| {
            let core = core.upgrade().ok_or("the app has closed")?;
            let _gate = lock(&core.keeper_gate);
            if core.generation() != generation {
                return Err("the app was locked or wiped since this session began".to_owned());
            }
            core.keystore.set(SecretName::RefreshToken, token.expose().as_bytes()).map_err(|e| e.to_string())?;
            // A renewed token is a contact with the tenant.
            core.record_contact(Utc::now());
            Ok(())
        })
    }

    /// Resumes the session from the keyring's refresh token, if there is one.
    pub(crate) async fn resume_session(self: &Arc<Self>) -> Result<bool> {
        let Some(token) = self.keystore.get(SecretName::RefreshToken)? else { return Ok(false) };
        let token = Secret::new(String::from_utf8_lossy(&token).into_owned());
        let tokens = Arc::new(SessionTokens::resume(self.signin()?, token, self.keeper()));
        self.set_session(Some(self.start_session(tokens)?)).await;
        Ok(true)
    }

    /// The protection record from the keyring (a fresh one when there is none).
    pub(crate) fn record(&self) -> Result<ProtectionRecord> {
        match self.keystore.get(SecretName::ProtectionRecord)? {
            Some(bytes) => Ok(ProtectionRecord::from_bytes(&bytes)?),
            None => Ok(ProtectionRecord::default()),
        }
    }

    /// Changes the protection record in the keyring.
    pub(crate) fn update_record<T>(&self, change: impl FnOnce(&mut ProtectionRecord) -> T) -> Result<T> {
        let _gate = lock(&self.record_gate);
        let mut record = self.record()?;
        let answer = change(&mut record);
        self.keystore.set(SecretName::ProtectionRecord, &record.to_bytes())?;
        Ok(answer)
    }

    /// The app reached the tenant at `now` (a sign-in, a renewed token, an update that got
    /// through): the offline grace period starts again, and a cache held back opens.
    pub(crate) fn record_contact(&self, now: DateTime<Utc>) {
        let result = self.update_record(|r| match &mut r.contact {
            Some(c) => c.contact(now),
            None => r.contact = Some(ContactRecord::new(now)),
        });
        if let Err(e) = result {
            tracing::warn!(error = %e, "the contact time could not be kept");
        }
        let mut state = lock(&self.lock_state);
        if *state == LockState::ReachCouncil {
            *state = LockState::Open;
            drop(state);
            self.changed(&[Collection::Protection]);
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
        let mut slot = self.session.write().await;
        self.has_session.store(session.is_some(), Ordering::SeqCst);
        *slot = session;
    }

    /// The council refused the session (the refresh token): forget it, and say why on the
    /// sign-in screen. The cache stays, closed to the member until they sign in again as the
    /// same member.
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
        let cache = self.open_cache()?;
        let bytes = Arc::new(CountingMeter::new(Arc::new(LedgerMeter::with_clock(cache.vault.clone(), self.clock()))));
        let graph = Arc::new(GraphClient::new(&self.config.graph_url, tokens, bytes.clone(), self.network.clone())?);
        let mut engine = SyncEngine::new(
            graph.clone(),
            cache.vault.clone(),
            cache.allowance.governor(),
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
        let papers = match &self.config.committee_papers {
            Some(c) => {
                let site = companion_moderngov::ModernGovSite::parse(&c.site)
                    .map_err(|e| AppCoreError::Config(format!("committee-papers: {e}")))?;
                let client = companion_moderngov::ModernGovClient::new(site, bytes.clone(), self.network.clone())
                    .map_err(AppCoreError::CommitteeSite)?;
                Some(Arc::new(client))
            }
            None => None,
        };
        let outbox = Outbox::new(graph.clone(), cache.vault.clone());
        Ok(Arc::new(Session { bytes, engine, outbox, graph, papers }))
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

    /// Notes a failure's code for the help diagnostics (the last few are kept).
    pub(crate) fn note_error_code(&self, code: &str) {
        let mut record = lock(&self.updates);
        record.recent_errors.push_back(code.to_owned());
        while record.recent_errors.len() > RECENT_ERRORS_KEPT {
            record.recent_errors.pop_front();
        }
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
    pub(crate) fn count_use(&self, what: companion_evidence::Use) {
        let today = london_day((self.clock())());
        *lock(&self.uses).entry((today, what.key().to_owned())).or_default() += 1;
    }

    /// Records how long the member waited for `measure` (kept for the usage report, with
    /// consent). A few hundred a day at most are kept: a median needs no more.
    pub(crate) fn record_time(&self, measure: &'static str, waited: std::time::Duration) {
        let mut timings = lock(&self.timings);
        if timings.len() < 2_000 {
            let ms = u32::try_from(waited.as_millis()).unwrap_or(u32::MAX);
            timings.push((london_day((self.clock())()), measure, ms));
        }
    }

    /// The times recorded since the last call.
    pub(crate) fn take_timings(&self) -> Vec<(NaiveDate, &'static str, u32)> {
        std::mem::take(&mut *lock(&self.timings))
    }

    /// Notes the display settings the screen is shown with today (kept for the usage report,
    /// with consent).
    pub(crate) fn note_display(&self, seen: companion_evidence::DisplaySeen) {
        let today = london_day((self.clock())());
        let mut display = lock(&self.display);
        let kept = display.entry(today).or_default();
        *kept = kept.merge(seen);
    }

    /// The display settings noted since the last call.
    pub(crate) fn take_display(&self) -> Vec<(NaiveDate, companion_evidence::DisplaySeen)> {
        std::mem::take(&mut *lock(&self.display)).into_iter().collect()
    }

    /// The uses counted since the last call.
    pub(crate) fn take_uses(&self) -> BTreeMap<(NaiveDate, String), u64> {
        std::mem::take(&mut *lock(&self.uses))
    }

    /// Writes an attachment the member opens where the device's viewer can read it.
    /// `fill` writes the content (from the vault, a piece at a time); a file it could not
    /// fill is removed.
    pub(crate) fn opened_file(
        &self,
        name: &str,
        fill: impl FnOnce(&mut dyn std::io::Write) -> Result<()>,
    ) -> Result<PathBuf> {
        // The name comes from the sender: keep only a safe file name.
        let safe: String = name
            .chars()
            .map(|c| if c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | ' ' | '(' | ')') { c } else { '_' })
            .collect();
        let safe = safe.trim_start_matches('.').trim();
        let safe = if safe.is_empty() { "attachment" } else { safe };
        private_dir(&self.opened_dir).map_err(AppCoreError::File)?;
        let path = self.opened_dir.join(safe);
        let mut file = new_private_file(&path).map_err(AppCoreError::File)?;
        let filled = fill(&mut file).and_then(|()| file.sync_all().map_err(AppCoreError::File));
        if let Err(e) = filled {
            drop(file);
            let _ = std::fs::remove_file(&path);
            return Err(e);
        }
        Ok(path)
    }

    /// Removes every attachment written for the viewer.
    pub(crate) fn forget_opened_files(&self) {
        let _ = std::fs::remove_dir_all(&self.opened_dir);
    }
}

/// Meters into whichever cache is open (nothing the member asks for runs while locked).
pub(crate) struct OpenCacheMeter(pub(crate) Arc<Core>);

impl companion_graph::Meter for OpenCacheMeter {
    fn record(&self, traffic: companion_graph::Traffic) {
        if let Ok(cache) = self.0.open_cache() {
            LedgerMeter::with_clock(cache.vault.clone(), self.0.clock()).record(traffic);
        }
    }
}

/// Removes everything inside `dir` (the app's own data folder), keeping the folder.
fn remove_contents(dir: &std::path::Path) -> std::io::Result<()> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    let mut first_error = None;
    for entry in entries {
        let result = entry.and_then(|entry| {
            if entry.file_type()?.is_dir() {
                std::fs::remove_dir_all(entry.path())
            } else {
                std::fs::remove_file(entry.path())
            }
        });
        if let Err(e) = result {
            first_error.get_or_insert(e);
        }
    }
    first_error.map_or(Ok(()), Err)
}

/// A folder only the member's account can enter (0700 on Unix).
pub(crate) fn private_dir(dir: &std::path::Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// Writes a file only the member's account can read (0600 on Unix), created so from the
/// start rather than narrowed afterwards.
pub(crate) fn private_file(path: &std::path::Path, content: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut file = new_private_file(path)?;
    file.write_all(content)?;
    file.sync_all()
}

/// A new (or emptied) file only the member's account can read, to be filled by the caller.
pub(crate) fn new_private_file(path: &std::path::Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}
