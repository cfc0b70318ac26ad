//! One member's Member Companion, GUI-free. [`Companion::open`] builds one service per
//! feature over a shared core, locked: [`ProtectionService`] opens the encrypted vault with
//! the member's PIN (the key sealed under it and a keystore secret), locks it when idle and
//! wipes everything when it must; then [`AccountService`] (sign-in through the system browser, the refresh token only in the
//! keyring), [`UpdateService`] (updates under the data governor, in the background and on
//! request), [`MailService`], [`CalendarService`], [`ContactsService`], [`SearchService`],
//! [`DataService`] (the allowance) and [`TrialService`] (the trial's evidence). Each answers
//! with the typed views in [`views`]; what changes on its own reaches a [`CoreListener`] as a
//! [`views::CoreEvent`]. The Tauri shell calls this and translates; nothing here knows about
//! windows.

mod account;
mod bodies;
mod calendar;
mod compose;
mod config;
mod contacts;
mod core;
mod data;
#[cfg(feature = "demo")]
pub mod demo;
mod directory;
mod error;
mod images;
mod mail;
mod notifications;
mod papers;
mod protection;
mod search;
mod trial;
mod updates;
pub mod views;

pub use account::{AccountService, ReturnPath};
pub use calendar::CalendarService;
/// The Linux desktop's notifications that open what they are about when clicked (the shell
/// shows the core's notices through them).
#[cfg(all(target_os = "linux", not(target_os = "android")))]
pub use companion_desktop_notices as desktop_notices;
pub use companion_protection::{ManagedValue, ProtectionPolicy};
pub use compose::MAX_ATTACHMENT;
pub use config::{AppConfig, CommitteePapersConfig, EvidenceIdentity, DEFAULT_MOBILE_REDIRECT_URI};
pub use contacts::ContactsService;
pub use core::{CoreListener, SettableNetwork};
pub use data::DataService;
pub use directory::DirectoryService;
pub use error::{AppCoreError, ErrorKind, Result};
pub use mail::{external_link, MailService};
pub use notifications::NotificationService;
pub use papers::{PapersService, PapersUpdate};
pub use protection::ProtectionService;
pub use search::SearchService;
pub use trial::TrialService;
pub use updates::UpdateService;

use companion_allowance::AllowancePolicy;
use companion_keystore::Keystore;
use std::path::Path;
use std::sync::Arc;

/// One member's app: a service per feature over one shared core.
pub struct Companion {
    /// The app lock: PIN, idle lock, wipe.
    pub protection: ProtectionService,
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
    /// The council's directory.
    pub directory: DirectoryService,
    /// Search across the cache.
    pub search: SearchService,
    /// The data allowance.
    pub data: DataService,
    /// Notification settings (the notifications themselves come as core events).
    pub notifications: NotificationService,
    /// The trial's evidence.
    pub trial: TrialService,
    /// Committee papers from the council's modern.gov.
    pub papers: PapersService,
    core: Arc<core::Core>,
}

impl Companion {
    /// The app over `data_dir`, locked (or waiting for a first PIN): nothing of the member's
    /// is readable until [`ProtectionService::unlock`]. Core dumps are switched off first, so
    /// a crash leaves nothing readable. The protection policy is the council's file, or
    /// `managed` (the MDM's managed app configuration) when the device has one.
    pub fn open(config: AppConfig, data_dir: &Path, demo: bool) -> Result<Self> {
        Self::open_managed(config, data_dir, demo, None)
    }

    /// As [`Companion::open`], with the protection policy the MDM pushed (it wins over the file).
    pub fn open_managed(
        config: AppConfig,
        data_dir: &Path,
        demo: bool,
        managed: Option<ProtectionPolicy>,
    ) -> Result<Self> {
        no_core_dumps();
        let keystore = Arc::new(Keystore::native(&config.keyring_service)?);
        let read = |path: &Path| {
            std::fs::read_to_string(path).map_err(|e| AppCoreError::Config(format!("{}: {e}", path.display())))
        };
        let allowance_policy = match &config.allowance_policy {
            Some(path) => AllowancePolicy::from_toml(&read(path)?)?,
            None => AllowancePolicy::default(),
        };
        let policy = match (managed, &config.protection_policy) {
            (Some(managed), _) => managed,
            (None, Some(path)) => ProtectionPolicy::from_toml(&read(path)?)?,
            (None, None) => ProtectionPolicy::default(),
        };
        let network = Arc::new(SettableNetwork::new(false));
        let graph_origin = url::Url::parse(&config.graph_url).ok();
        let state = protection::state_at_start(data_dir);
        let core = Arc::new(core::Core::new(
            config,
            demo,
            keystore,
            policy,
            allowance_policy,
            network.clone(),
            data_dir.to_owned(),
            state,
        ));
        // Whatever was opened last time is no longer being looked at.
        core.forget_opened_files();
        let images = images::ImageFetcher::new(Arc::new(core::OpenCacheMeter(core.clone())), network, graph_origin)
            .map_err(AppCoreError::Config)?;
        let trial = TrialService::new(core.clone());
        let protection = ProtectionService::new(core.clone());
        Ok(Self {
            account: AccountService::new(core.clone(), trial.clone()),
            updates: UpdateService::new(core.clone(), trial.clone(), ProtectionService::new(core.clone())),
            mail: MailService::new(core.clone(), images),
            calendar: CalendarService::new(core.clone()),
            contacts: ContactsService::new(core.clone()),
            directory: DirectoryService::new(core.clone()),
            search: SearchService::new(core.clone()),
            data: DataService::new(core.clone()),
            notifications: NotificationService::new(core.clone()),
            papers: PapersService::new(core.clone()),
            protection,
            trial,
            core,
        })
    }

    /// Tells `listener` what changes without being asked: data changed, an update's status and
    /// progress, allowance warnings (sessions started from now on report progress too).
    pub fn subscribe(&self, listener: CoreListener) {
        self.core.set_listener(listener);
    }

    /// Dates the data ledger, counted uses and waits by `clock` instead of the wall clock: for
    /// a simulated trial (the report's demo, tests), where months pass in seconds. Everything
    /// else that takes a time already takes it as an argument.
    pub fn set_clock(&self, clock: companion_sync::Clock) {
        self.core.set_clock(clock);
    }

    /// A link the member agreed to open outside the app (from a message, a meeting or a
    /// contact), checked as [`external_link`] checks it. Calls and texts started this way are
    /// counted for the trial's evidence ("frequency of calls made"); nothing of the number is kept.
    pub fn link_to_open(&self, url: &str) -> Result<url::Url> {
        let url = external_link(url)?;
        match url.scheme() {
            "tel" => self.core.count_use(companion_evidence::Use::CallStarted),
            "sms" => self.core.count_use(companion_evidence::Use::TextStarted),
            _ => {}
        }
        Ok(url)
    }
}

/// Switches core dumps off for this process: a crash must not leave the decrypted cache, the
/// key or a token in a file. Both the size limit (for a plain `core` file) and the dumpable
/// flag (for a crash handler behind a pipe, and other processes of the same user reading
/// this one's memory).
fn no_core_dumps() {
    #[cfg(unix)]
    {
        use rustix::process::{setrlimit, Resource, Rlimit};
        if let Err(e) = setrlimit(Resource::Core, Rlimit { current: Some(0), maximum: Some(0) }) {
            tracing::warn!(error = %e, "core dumps could not be limited");
        }
    }
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        use rustix::process::{set_dumpable_behavior, DumpableBehavior};
        if let Err(e) = set_dumpable_behavior(DumpableBehavior::NotDumpable) {
            tracing::warn!(error = %e, "the process could not be made undumpable");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_and_texts_started_from_the_app_are_counted_without_the_number() {
        let dir = tempfile::tempdir().expect("dir");
        let config = AppConfig::from_toml(&format!(
            "authority = \"https://login.microsoftonline.com/demoborough.example\"\nclient-id = \"c\"\nkeyring-service = \"uk.gov.membercompanion.test.links.{}\"\n",
            std::process::id()
        ))
        .expect("config");
        let app = Companion::open(config, dir.path(), false).expect("core");
        for url in ["tel:+441632960123", "tel:01632960124", "sms:+447700900123", "https://democracy.example/agenda"] {
            app.link_to_open(url).expect("opens");
        }
        assert!(app.link_to_open("javascript:alert(1)").is_err());
        let counted: Vec<(String, u64)> = app.core.take_uses().into_iter().map(|((_, f), n)| (f, n)).collect();
        assert_eq!(counted, vec![("call-started".to_owned(), 2), ("text-started".to_owned(), 1)]);
        assert!(!format!("{counted:?}").contains("1632"), "no number is kept");
    }
}
