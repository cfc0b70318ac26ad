//! One member's Member Companion, GUI-free: it opens the encrypted vault with its key from the
//! OS keyring, signs in through the system browser (the refresh token kept only in the
//! keyring), syncs under the data governor, and answers the UI's questions with the views in
//! [`views`]. The Tauri shell calls this and translates; nothing here knows about windows.

mod actions;
mod config;
mod error;
mod evidence;
mod images;
pub mod views;

pub use actions::external_link;
pub use config::{AppConfig, EvidenceIdentity, DEFAULT_MOBILE_REDIRECT_URI};
pub use error::AppCoreError;
pub use evidence::what_we_collect;
pub use companion_evidence::{Answer as SurveyAnswer, SupportCategory};

use chrono::{DateTime, NaiveDate, Utc};
use companion_allowance::{AllowancePolicy, DataAllowance, Level};
use companion_graph::{GraphClient, LoopbackRedirect, Network, NetworkProbe, Secret, SessionTokens, SignIn, SignInConfig};
use companion_keystore::{Keystore, SecretName};
use companion_mail_html::{sanitise, Images};
use companion_sync::{LedgerMeter, LocalChange, Outbox, Purpose, SyncEngine, SyncOptions};
use companion_vault::{AccountRecord, PageCursor, Vault, VaultKey};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use views::*;

type Result<T, E = AppCoreError> = std::result::Result<T, E>;

/// The network the member says the computer is on (desktop); phones read it from the OS.
pub struct SettableNetwork(AtomicBool);

impl NetworkProbe for SettableNetwork {
    fn current(&self) -> Network {
        if self.0.load(Ordering::Relaxed) { Network::Mobile } else { Network::Wifi }
    }
}

struct Session {
    /// Every byte this session's Graph client moves (also in the ledger): what an update cost.
    bytes: Arc<companion_sync::CountingMeter>,
    graph: Arc<GraphClient>,
    engine: Arc<SyncEngine>,
    outbox: Outbox,
}

fn zeroize_bytes(b: &[u8]) -> companion_keystore::Zeroizing<Vec<u8>> {
    companion_keystore::Zeroizing::new(b.to_vec())
}

/// The app's core.
pub struct Companion {
    config: AppConfig,
    demo: bool,
    keystore: Arc<Keystore>,
    vault: Arc<Vault>,
    allowance: DataAllowance,
    network: Arc<SettableNetwork>,
    session: tokio::sync::RwLock<Option<Arc<Session>>>,
    status: Mutex<SyncStatus>,
    problem: Mutex<Option<String>>,
    /// The sign-in waiting for the browser to come back by deep link: its redirect URI and
    /// where to hand the URL.
    deep_link_waiter: Mutex<Option<(String, tokio::sync::oneshot::Sender<url::Url>)>>,
    /// One update at a time: a member's pull to refresh waits for the background one.
    sync_turn: tokio::sync::Mutex<()>,
    /// Who hears of an update's progress (the shell, which tells the window).
    progress: Mutex<Option<ProgressListener>>,
    /// What the last finished update moved, in bytes.
    last_sync_bytes: Mutex<Option<u64>>,
    /// Fetches pictures in messages when the member asks.
    images: images::ImageFetcher,
    /// The trial's evidence on this device.
    evidence: companion_evidence::EvidenceStore,
    /// The trial's surveys.
    surveys: Vec<companion_evidence::SurveyDefinition>,
    /// Feature uses since the last update, by London day, for the usage report.
    uses: Mutex<std::collections::BTreeMap<(NaiveDate, String), u64>>,
    /// The last few update failures, as codes, for diagnostics.
    recent_errors: Mutex<std::collections::VecDeque<String>>,
    /// Where attachments the member opens are written for the device's viewer; emptied at
    /// every start and sign-out, so only what is being looked at lies outside the vault.
    opened_dir: std::path::PathBuf,
}

/// The URL the browser comes back with, when it does.
type BrowserReturn = std::pin::Pin<Box<dyn std::future::Future<Output = std::result::Result<url::Url, String>> + Send>>;

/// Hears an update's progress.
pub type ProgressListener = Arc<dyn Fn(&views::SyncProgress) + Send + Sync>;

/// How the system browser comes back to the app after sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReturnPath {
    /// Desktop: a redirect to `http://127.0.0.1:{free port}` that the app listens on.
    Loopback,
    /// Phones: the app's own URL scheme (the configuration's `mobile-redirect-uri`), which the
    /// OS hands to [`Companion::deep_link_arrived`].
    DeepLink,
}

impl Companion {
    /// Opens the member's vault in `data_dir` (its key from the keyring, made on first use).
    pub fn open(config: AppConfig, data_dir: &std::path::Path, demo: bool) -> Result<Self> {
        let keystore = Arc::new(Keystore::native(&config.keyring_service)?);
        let (key, _) = keystore.get_or_create(SecretName::VaultKey, || zeroize_bytes(VaultKey::generate().as_bytes()))?;
        let key = VaultKey::from_bytes(&key).ok_or_else(|| AppCoreError::Keyring("the stored key has the wrong length".into()))?;
        let (vault, _) = Vault::open(data_dir, &key).map_err(|e| AppCoreError::Vault(e.to_string()))?;
        let vault = Arc::new(vault);
        let policy = match &config.allowance_policy {
            Some(path) => AllowancePolicy::from_toml(&std::fs::read_to_string(path).map_err(|e| AppCoreError::Config(format!("{}: {e}", path.display())))?)?,
            None => AllowancePolicy::default(),
        };
        let allowance = DataAllowance::new(vault.clone(), policy)?;
        let mobile = vault.setting("app.network")?.as_deref() == Some("mobile");
        let network = Arc::new(SettableNetwork(AtomicBool::new(mobile)));
        let images = images::ImageFetcher::new(Arc::new(LedgerMeter::new(vault.clone())), network.clone()).map_err(AppCoreError::Config)?;
        let opened_dir = data_dir.join("opened");
        let evidence = companion_evidence::EvidenceStore::new(vault.clone());
        // Whatever was opened last time is no longer being looked at.
        let _ = std::fs::remove_dir_all(&opened_dir);
        Ok(Self {
            config,
            demo,
            keystore,
            vault,
            allowance,
            network,
            session: tokio::sync::RwLock::new(None),
            status: Mutex::new(SyncStatus { online: true, ..Default::default() }),
            problem: Mutex::new(None),
            deep_link_waiter: Mutex::new(None),
            sync_turn: tokio::sync::Mutex::new(()),
            last_sync_bytes: Mutex::new(None),
            progress: Mutex::new(None),
            images,
            evidence,
            surveys: companion_evidence::trial_surveys(),
            uses: Mutex::new(std::collections::BTreeMap::new()),
            recent_errors: Mutex::new(std::collections::VecDeque::new()),
            opened_dir,
        })
    }

    fn signin(&self) -> Result<SignIn> {
        let mut cfg = SignInConfig::entra(&self.config.authority, &self.config.client_id);
        if let Some(s) = &self.config.scopes {
            cfg.scopes = s.clone();
        }
        let ledger = Arc::new(LedgerMeter::new(self.vault.clone()));
        Ok(SignIn::new(cfg).map_err(sign_in_failed)?.metered(ledger, self.network.clone()))
    }

    fn start_session(&self, tokens: Arc<SessionTokens>) -> Result<Arc<Session>> {
        let bytes = Arc::new(companion_sync::CountingMeter::new(Arc::new(LedgerMeter::new(self.vault.clone()))));
        let graph = Arc::new(GraphClient::new(&self.config.graph_url, tokens, bytes.clone(), self.network.clone()).map_err(|e| AppCoreError::Sync(e.to_string()))?);
        let mut engine = SyncEngine::new(graph.clone(), self.vault.clone(), self.allowance.governor(), self.network.clone(), SyncOptions::default()).counting_bytes(bytes.clone());
        if let Some(listener) = self.progress.lock().unwrap_or_else(|e| e.into_inner()).clone() {
            engine = engine.on_progress(move |p| listener(&views::SyncProgress::from(p)));
        }
        let engine = Arc::new(engine);
        Ok(Arc::new(Session { bytes, engine, outbox: Outbox::new(graph.clone(), self.vault.clone()), graph }))
    }

    fn keeper(&self) -> companion_graph::KeepRefreshToken {
        // The same keyring handle that holds the vault key (a second one may not be allowed in).
        let keystore = self.keystore.clone();
        Box::new(move |token: &Secret| keystore.set(SecretName::RefreshToken, token.expose().as_bytes()).map_err(|e| e.to_string()))
    }

    /// Signs in: `open_browser` must open the system browser (never a webview, RFC 8252) at
    /// the URL it is given; this waits for the browser to come back by `path`.
    pub async fn sign_in(&self, path: ReturnPath, open_browser: impl FnOnce(&str) -> std::result::Result<(), String>) -> Result<AccountStatus> {
        let signin = self.signin()?;
        let (redirect_uri, arrival): (String, BrowserReturn) = match path {
            ReturnPath::Loopback => {
                let loopback = LoopbackRedirect::bind().await.map_err(|e| AppCoreError::SignIn(format!("The app could not listen for the sign-in to finish: {e}")))?;
                (loopback.redirect_uri(), Box::pin(async move { loopback.wait().await.map_err(|e| e.to_string()) }))
            }
            ReturnPath::DeepLink => {
                let uri = self.config.mobile_redirect_uri.clone();
                let (tx, rx) = tokio::sync::oneshot::channel();
                // A newer sign-in replaces an abandoned one: its waiter hears "cancelled".
                *self.deep_link_waiter.lock().unwrap_or_else(|e| e.into_inner()) = Some((uri.clone(), tx));
                (uri, Box::pin(async move { rx.await.map_err(|_| "a newer sign-in was started".to_owned()) }))
            }
        };
        let pending = signin.begin(&redirect_uri).map_err(sign_in_failed)?;
        open_browser(pending.authorize_url.as_str()).map_err(|e| AppCoreError::SignIn(format!("The browser could not be opened: {e}")))?;
        let callback = tokio::time::timeout(std::time::Duration::from_secs(600), arrival)
            .await
            .map_err(|_| AppCoreError::SignIn("Sign-in took too long. Please try again.".into()))?
            .map_err(|e| AppCoreError::SignIn(format!("The browser did not come back to the app: {e}")))?;
        let tokens = signin.complete(pending, &callback).await.map_err(sign_in_failed)?;
        let session_tokens = Arc::new(SessionTokens::new(signin, tokens, self.keeper()).map_err(sign_in_failed)?);
        let session = self.start_session(session_tokens)?;
        let me: companion_graph::User = session.graph.json(&companion_graph::GraphRequest::get("/me", companion_graph::Feature::SignIn)).await.map_err(|e| {
            tracing::warn!(error = %e, "signed in, but /me failed");
            AppCoreError::Sync(e.to_string())
        })?;
        let account = AccountRecord { display_name: me.display_name.unwrap_or_default(), mail: me.mail.or(me.user_principal_name).unwrap_or_default(), tenant_id: None, signed_in_at: Some(Utc::now()) };
        self.vault.write(|w| w.set_account(&account))?;
        *self.session.write().await = Some(session);
        *self.problem.lock().unwrap_or_else(|e| e.into_inner()) = None;
        self.account_status().await
    }

    /// The OS opened the app with `url` (a mobile deep link). Returns whether it finished a
    /// sign-in under way; any other link is ignored.
    pub fn deep_link_arrived(&self, url: &str) -> bool {
        let mut waiter = self.deep_link_waiter.lock().unwrap_or_else(|e| e.into_inner());
        let Ok(parsed) = url::Url::parse(url) else { return false };
        match waiter.take() {
            Some((expected, tx)) if url.starts_with(&expected) => tx.send(parsed).is_ok(),
            other => {
                *waiter = other;
                false
            }
        }
    }

    /// Resumes the last session from the keyring's refresh token, if there is one.
    pub async fn resume(&self) -> Result<bool> {
        let Some(token) = self.keystore.get(SecretName::RefreshToken)? else { return Ok(false) };
        let token = Secret::new(String::from_utf8_lossy(&token).into_owned());
        let tokens = Arc::new(SessionTokens::resume(self.signin()?, token, self.keeper()));
        *self.session.write().await = Some(self.start_session(tokens)?);
        Ok(true)
    }

    /// Forgets the session and its refresh token (the cache stays, encrypted).
    pub async fn sign_out(&self) -> Result<AccountStatus> {
        self.keystore.delete(SecretName::RefreshToken)?;
        let _ = std::fs::remove_dir_all(&self.opened_dir);
        *self.session.write().await = None;
        self.account_status().await
    }

    /// Signed in or not.
    pub async fn account_status(&self) -> Result<AccountStatus> {
        let signed_in = self.session.read().await.is_some();
        Ok(match (signed_in, self.vault.account()?) {
            (true, Some(a)) => AccountStatus::SignedIn { demo: self.demo, member: Member { display_name: a.display_name, mail: a.mail } },
            _ => AccountStatus::SignedOut { demo: self.demo, problem: self.problem.lock().unwrap_or_else(|e| e.into_inner()).clone() },
        })
    }

    pub(crate) async fn session(&self) -> Result<Arc<Session>> {
        self.session.read().await.clone().ok_or(AppCoreError::SignedOut)
    }

    /// The sync status.
    pub fn sync_status(&self) -> SyncStatus {
        self.status.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Sends the outbox, syncs, prefetches under the governor and reassesses the allowance.
    /// Returns the status and any allowance warnings due (titles and texts for notifications).
    pub async fn sync_now(&self, now: DateTime<Utc>) -> Result<(SyncStatus, Vec<companion_allowance::ThresholdAlert>)> {
        let session = self.session().await?;
        let _turn = self.sync_turn.lock().await;
        self.status.lock().unwrap_or_else(|e| e.into_inner()).running = true;
        let before = session.bytes.total();
        let result = async {
            session.outbox.deliver().await?;
            session.engine.sync_all(now).await?;
            session.engine.prefetch(now - chrono::Duration::days(2)).await?;
            session.outbox.deliver().await?;
            Ok::<_, companion_sync::SyncError>(())
        }
        .await;
        let status = {
            let mut status = self.status.lock().unwrap_or_else(|e| e.into_inner());
            // Cleared before anything else can fail, so the UI never shows an update running forever.
            status.running = false;
            match &result {
                Ok(()) => {
                    status.online = true;
                    status.last_synced_at = Some(iso(now));
                    *self.last_sync_bytes.lock().unwrap_or_else(|e| e.into_inner()) = Some(session.bytes.total().saturating_sub(before));
                    status.last_error = None;
                }
                Err(e) => {
                    status.online = !matches!(e, companion_sync::SyncError::Graph(companion_graph::GraphError::Network(_) | companion_graph::GraphError::GaveUp { .. }));
                    status.last_error = Some(e.to_string());
                    let mut recent = self.recent_errors.lock().unwrap_or_else(|e| e.into_inner());
                    recent.push_back(evidence::error_code(e));
                    while recent.len() > 5 {
                        recent.pop_front();
                    }
                }
            }
            status.clone()
        };
        let report = self.allowance.refresh(now)?;
        self.after_update(session.graph.clone(), result.is_ok(), !report.alerts.is_empty(), now).await;
        Ok((status, report.alerts))
    }

    /// Tells `listener` of every update's progress (sessions started from now on).
    pub fn on_progress(&self, listener: ProgressListener) {
        *self.progress.lock().unwrap_or_else(|e| e.into_inner()) = Some(listener);
    }

    /// How long to wait before the next background update: the governor's interval for its
    /// level and the current network (longer on mobile data, longer still when saving data).
    pub fn next_sync_in(&self) -> std::time::Duration {
        self.allowance.governor().level().sync_interval(self.network.current())
    }

    fn network_now(&self) -> Network {
        self.network.current()
    }

    /// Writes an attachment the member opens where the device's viewer can read it.
    fn opened_file(&self, name: &str, content: &[u8]) -> Result<std::path::PathBuf> {
        // The name comes from the sender: keep only a safe file name.
        let safe: String = name.chars().map(|c| if c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | ' ' | '(' | ')') { c } else { '_' }).collect();
        let safe = safe.trim_start_matches('.').trim();
        let safe = if safe.is_empty() { "attachment" } else { safe };
        std::fs::create_dir_all(&self.opened_dir).map_err(|e| AppCoreError::Vault(format!("the attachment could not be saved: {e}")))?;
        let path = self.opened_dir.join(safe);
        std::fs::write(&path, content).map_err(|e| AppCoreError::Vault(format!("the attachment could not be saved: {e}")))?;
        Ok(path)
    }

    /// Whether someone is signed in.
    pub async fn signed_in(&self) -> bool {
        self.session.read().await.is_some()
    }

    /// The folders.
    pub fn folders(&self) -> Result<Vec<MailFolder>> {
        Ok(self.vault.folders()?.into_iter().map(MailFolder::from).collect())
    }

    /// A page of a folder, newest first.
    pub fn page(&self, folder_id: &str, after: Option<MessageCursor>, limit: usize) -> Result<MessagePage> {
        let cursor = after
            .map(|c| DateTime::parse_from_rfc3339(&c.received_date_time).map(|t| PageCursor { received_at: t.timestamp_millis(), id: c.id }))
            .transpose()
            .map_err(|_| AppCoreError::Invalid("That list position is not valid.".into()))?;
        let page = self.vault.folder_page(folder_id, cursor.as_ref(), limit)?;
        let total = self.vault.folders()?.into_iter().find(|f| f.id == folder_id).map_or(0, |f| f.total_count);
        Ok(MessagePage {
            items: page.messages.iter().map(MessageSummary::from).collect(),
            next: page.next.map(|n| MessageCursor { received_date_time: iso(DateTime::from_timestamp_millis(n.received_at).unwrap_or_default()), id: n.id }),
            total,
        })
    }

    /// Opens a message: fetches its body if allowed, marks it read, sanitises the body.
    pub async fn open_message(&self, id: &str, images: Images) -> Result<MessageDetail> {
        self.count_use("mail-opened");
        let mut held_back = None;
        if self.vault.message_body(id)?.is_none() {
            if let Ok(session) = self.session().await {
                if let Ok(report) = session.engine.fetch_bodies(&[id.to_owned()], Purpose::Opened).await {
                    held_back = report.deferred.into_iter().next();
                }
            }
        }
        let message = self.vault.message(id)?.ok_or(AppCoreError::NotFound("That message"))?;
        // Older messages' attachment lists are not prefetched: the member opening one sees them.
        if message.has_attachments && self.vault.attachments(id)?.is_empty() {
            if let Ok(session) = self.session().await {
                let _ = session.engine.fetch_attachment_lists(&[id.to_owned()]).await;
            }
        }
        if !message.is_read {
            self.queue(LocalChange::MarkRead { message_id: id.to_owned(), read: true }).await?;
        }
        let body = self.vault.message_body(id)?;
        let safe = body.as_ref().map(|b| match (&b.html, &b.text) {
            (Some(html), _) => sanitise(html, images),
            (None, Some(text)) => sanitise(&format!("<pre>{}</pre>", escape(text)), images),
            (None, None) => sanitise("", images),
        });
        let attachments = self.vault.attachments(id)?.into_iter().filter(|a| !a.is_inline).map(|a| AttachmentInfo { id: a.id, name: a.name, content_type: a.content_type, size: a.size, saved: a.downloaded }).collect();
        Ok(MessageDetail {
            // Marking it read changed the record: show it as it now is.
            summary: MessageSummary::from(&self.vault.message(id)?.unwrap_or_else(|| message.clone())),
            to: MessageDetail::recipients(&message.to),
            cc: MessageDetail::recipients(&message.cc),
            body_state: if safe.is_some() { "ready" } else if held_back.is_some() { "heldBack" } else { "notDownloaded" },
            held_back_reason: held_back,
            blocked_images: BlockedImages { count: safe.as_ref().map_or(0, |s| s.blocked_images), approx_bytes: safe.as_ref().map(|s| s.blocked_bytes) },
            body_html: safe.map(|s| s.html),
            images_shown: images == Images::Shown,
            attachments,
        })
    }

    /// Queues a change (applied to the cache at once) and tries to deliver it.
    pub async fn queue(&self, change: LocalChange) -> Result<()> {
        let session = self.session().await?;
        session.outbox.queue(&change)?;
        let deliver = session.clone();
        tokio::spawn(async move {
            let _ = deliver.outbox.deliver().await;
        });
        Ok(())
    }

    /// The agenda: `days` London days from `from`, days without events left out.
    pub fn agenda(&self, from: NaiveDate, days: u32) -> Result<Vec<AgendaDay>> {
        let to = from + chrono::Duration::days(i64::from(days.clamp(1, 62)) - 1);
        let mut out: Vec<AgendaDay> = Vec::new();
        for e in self.vault.agenda(from, to)? {
            let summary = EventSummary::from(&e);
            let day = e.start_at.with_timezone(&chrono_tz::Europe::London).date_naive().max(from).to_string();
            match out.last_mut() {
                Some(d) if d.date == day => d.events.push(summary),
                _ => out.push(AgendaDay { date: day, events: vec![summary] }),
            }
        }
        Ok(out)
    }

    /// An event's details.
    pub fn event(&self, id: &str) -> Result<EventDetail> {
        self.count_use("event-opened");
        let e = self.vault.event(id)?.ok_or(AppCoreError::NotFound("That event"))?;
        Ok(EventDetail { summary: EventSummary::from(&e), attendees: vec![], body_html: e.body_html.as_deref().map(|h| sanitise(h, Images::Blocked).html) })
    }

    /// Contacts whose name, organisation or address contains `filter`.
    pub fn contacts(&self, filter: &str) -> Result<Vec<ContactDetail>> {
        let needle = filter.trim().to_lowercase();
        Ok(self
            .vault
            .contacts(0, 5_000)?
            .into_iter()
            .filter(|c| needle.is_empty() || [c.display_name.as_str(), c.company.as_deref().unwrap_or(""), c.job_title.as_deref().unwrap_or("")].iter().any(|s| s.to_lowercase().contains(&needle)) || c.emails.iter().any(|e| e.address.to_lowercase().contains(&needle)))
            .map(ContactDetail::from)
            .collect())
    }

    /// One contact.
    pub fn contact(&self, id: &str) -> Result<ContactDetail> {
        self.count_use("contact-opened");
        Ok(self.vault.contact(id)?.ok_or(AppCoreError::NotFound("That contact"))?.into())
    }

    /// Searches the cache.
    pub fn search(&self, query: &str) -> Result<SearchResults> {
        self.count_use("search");
        let hits = self.vault.search(query, 60)?;
        let mut r = SearchResults { query: query.to_owned(), mail: vec![], events: vec![], contacts: vec![] };
        for h in hits {
            match h.kind {
                companion_vault::SearchKind::Mail => r.mail.push(h.into()),
                companion_vault::SearchKind::Event => r.events.push(h.into()),
                companion_vault::SearchKind::Contact => r.contacts.push(h.into()),
            }
        }
        Ok(r)
    }

    /// The data allowance, as the data screen shows it.
    pub fn data_overview(&self, now: DateTime<Utc>) -> Result<serde_json::Value> {
        let r = self.allowance.refresh(now)?;
        let gov = self.allowance.governor();
        let label = |f: &str| match f {
            "sign-in" => "Signing in",
            "mail-headers" => "Mail lists",
            "mail-bodies" => "Messages",
            "attachments" => "Attachments",
            "calendar" => "Calendar",
            "contacts" => "Contacts",
            "evidence" => "Trial feedback",
            _ => "Other",
        };
        let level = |l: Level| match l {
            Level::Normal => "normal",
            Level::Saver => "saver",
            Level::Critical => "critical",
        };
        Ok(serde_json::json!({
            "cycleStart": r.usage.cycle.start.to_string(),
            "cycleEnd": r.usage.cycle.end.to_string(),
            "capBytes": r.allowance.cap_bytes,
            "appMobileBytes": r.usage.mobile,
            "appWifiBytes": r.usage.wifi,
            "deviceBytes": r.device.map(|d| d.bytes),
            "thresholds": r.allowance.thresholds,
            "daily": r.usage.daily_mobile.iter().map(|(d, b)| serde_json::json!({"date": d.to_string(), "bytes": b})).collect::<Vec<_>>(),
            "projection": {"expectedBytes": r.projection.expected, "lowBytes": r.projection.low, "highBytes": r.projection.high, "sentence": r.sentence()},
            "byFeature": r.usage.by_feature.iter().map(|f| serde_json::json!({"feature": f.feature, "label": label(&f.feature), "mobileBytes": f.mobile, "wifiBytes": f.wifi})).collect::<Vec<_>>(),
            "lastSync": self.sync_status().last_synced_at.map(|at| serde_json::json!({"at": at, "bytes": self.last_sync_bytes.lock().unwrap_or_else(|e| e.into_inner()).unwrap_or(0)})),
            "level": level(r.assessment.level),
            "levelReason": r.assessment.reason,
            "override": gov.forced().map(|l| serde_json::json!({"level": level(l), "extraBytesLeft": gov.extra_left()})).or_else(|| (gov.extra_left() > 0).then(|| serde_json::json!({"level": null, "extraBytesLeft": gov.extra_left()}))),
            "network": if self.network.current() == Network::Mobile { "mobile" } else { "wifi" },
            // The member sets it until the phone plugin reads it from the OS (docs/android-network.md).
            "networkSettable": true,
        }))
    }

    /// The member chooses a level (`None`: automatic).
    pub fn set_level(&self, level: Option<Level>) -> Result<()> {
        Ok(self.allowance.force_level(level)?)
    }

    /// "Spend this much anyway".
    pub fn spend_anyway(&self, bytes: u64) {
        self.allowance.governor().spend_anyway(bytes);
    }

    /// The phone's own figure.
    pub fn set_device_usage(&self, bytes: Option<u64>, now: DateTime<Utc>) -> Result<()> {
        Ok(self.allowance.set_device_usage(bytes, now)?)
    }

    /// The network the computer is on (desktop).
    pub fn set_network(&self, mobile: bool) -> Result<()> {
        self.network.0.store(mobile, Ordering::Relaxed);
        self.vault.write(|w| w.set_setting("app.network", if mobile { "mobile" } else { "wifi" }))?;
        Ok(())
    }
}

/// The member sees the plain message; the engineers' log gets the kind and the detail (which
/// never holds a token).
fn sign_in_failed(e: companion_graph::SignInError) -> AppCoreError {
    tracing::warn!(problem = ?e.problem, aadsts = ?e.aadsts, detail = e.detail.as_deref().unwrap_or("-"), "sign-in failed");
    AppCoreError::SignIn(e.problem.message().into())
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}
