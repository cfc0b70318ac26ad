//! One member's Member Companion, GUI-free. [`Companion::open`] opens the encrypted vault with
//! its key from the OS keyring and builds one service per feature over a shared core:
//! [`AccountService`] (sign-in through the system browser, the refresh token only in the
//! keyring), [`UpdateService`] (updates under the data governor, in the background and on
//! request), [`MailService`], [`CalendarService`], [`ContactsService`], [`SearchService`],
//! [`DataService`] (the allowance) and [`TrialService`] (the trial's evidence). Each answers
//! with the typed views in [`views`]; what changes on its own reaches a [`CoreListener`] as a
//! [`views::CoreEvent`]. The Tauri shell calls this and translates; nothing here knows about
//! windows.

mod account;
mod calendar;
mod config;
mod contacts;
mod core;
mod data;
#[cfg(feature = "demo")]
pub mod demo;
mod error;
mod images;
mod mail;
mod search;
mod trial;
mod updates;
pub mod views;

pub use account::{AccountService, ReturnPath};
pub use calendar::CalendarService;
pub use config::{AppConfig, EvidenceIdentity, DEFAULT_MOBILE_REDIRECT_URI};
pub use contacts::ContactsService;
pub use core::{CoreListener, SettableNetwork};
pub use data::DataService;
pub use error::{AppCoreError, ErrorKind, Result};
pub use mail::{external_link, MailService};
pub use search::SearchService;
pub use trial::TrialService;
pub use updates::UpdateService;

use companion_allowance::{AllowancePolicy, DataAllowance};
use companion_keystore::{Keystore, SecretName, Zeroizing};
use companion_sync::LedgerMeter;
use companion_vault::{Vault, VaultKey};
use std::path::Path;
use std::sync::Arc;

/// One member's app: a service per feature over one shared core.
pub struct Companion {
    /// Signing in and out.
    pub account: AccountService,
    /// Updating the cache.
    pub updates: UpdateService,
    /// Mail.
    pub mail: MailService,
    /// The calendar.
    pub calendar: CalendarService,
    /// Contacts.
    pub contacts: ContactsService,
    /// Search across the cache.
    pub search: SearchService,
    /// The data allowance.
    pub data: DataService,
    /// The trial's evidence.
    pub trial: TrialService,
    core: Arc<core::Core>,
}

impl Companion {
    /// Opens the member's vault in `data_dir` (its key from the keyring, made on first use).
    pub fn open(config: AppConfig, data_dir: &Path, demo: bool) -> Result<Self> {
        let keystore = Arc::new(Keystore::native(&config.keyring_service)?);
        let (key, _) = keystore
            .get_or_create(SecretName::VaultKey, || Zeroizing::new(VaultKey::generate().as_bytes().to_vec()))?;
        let key = VaultKey::from_bytes(&key).ok_or(AppCoreError::BadKey)?;
        let (vault, _) = Vault::open(data_dir, &key).map_err(AppCoreError::VaultOpen)?;
        let vault = Arc::new(vault);
        let policy = match &config.allowance_policy {
            Some(path) => AllowancePolicy::from_toml(
                &std::fs::read_to_string(path).map_err(|e| AppCoreError::Config(format!("{}: {e}", path.display())))?,
            )?,
            None => AllowancePolicy::default(),
        };
        let allowance = DataAllowance::new(vault.clone(), policy)?;
        let mobile = vault.setting("app.network")?.as_deref() == Some("mobile");
        let network = Arc::new(SettableNetwork::new(mobile));
        let images = images::ImageFetcher::new(Arc::new(LedgerMeter::new(vault.clone())), network.clone())
            .map_err(AppCoreError::Config)?;
        let core =
            Arc::new(core::Core::new(config, demo, keystore, vault, allowance, network, data_dir.join("opened")));
        // Whatever was opened last time is no longer being looked at.
        core.forget_opened_files();
        let trial = TrialService::new(core.clone());
        Ok(Self {
            account: AccountService::new(core.clone()),
            updates: UpdateService::new(core.clone(), trial.clone()),
            mail: MailService::new(core.clone(), images),
            calendar: CalendarService::new(core.clone()),
            contacts: ContactsService::new(core.clone()),
            search: SearchService::new(core.clone()),
            data: DataService::new(core.clone()),
            trial,
            core,
        })
    }

    /// Tells `listener` what changes without being asked: data changed, an update's status and
    /// progress, allowance warnings (sessions started from now on report progress too).
    pub fn subscribe(&self, listener: CoreListener) {
        self.core.set_listener(listener);
    }
}
