//! Updates: one at a time, in the background at the governor's interval or when the member
//! pulls to refresh. An update sends the outbox, syncs, prefetches under the governor,
//! reassesses the allowance, gathers the trial's evidence, and says what changed.

use crate::account::FINAL_REPORT_WAIT;
use crate::core::{lock, Core};
use crate::error::{AppCoreError, ErrorKind, Result};
use crate::protection::{council_wants_wipe, ProtectionService};
use crate::trial::TrialService;
use crate::views::{iso, AllowanceAlert, Collection, CoreEvent, SyncStatus, WipeReason};
use chrono::{DateTime, Utc};
use companion_graph::NetworkProbe;
use std::sync::Arc;

/// Set (to when) once an update has fetched ahead everything it would on Wi-Fi: until then,
/// an update on mobile data follows the governor's first-download plan.
const FILLED_SETTING: &str = "updates.filled-at";

/// Updating the cache.
pub struct UpdateService {
    core: Arc<Core>,
    trial: TrialService,
    protection: ProtectionService,
}

impl UpdateService {
    pub(crate) fn new(core: Arc<Core>, trial: TrialService, protection: ProtectionService) -> Self {
        Self { core, trial, protection }
    }

    /// How the cache stands.
    pub fn status(&self) -> SyncStatus {
        self.core.sync_status()
    }

    /// Runs an update now and tells the listener: the status as it starts and ends, any
    /// allowance warnings, and that everything may have changed.
    pub async fn run(&self, now: DateTime<Utc>) -> Result<SyncStatus> {
        self.core.tell(CoreEvent::SyncStatus(SyncStatus { running: true, ..self.status() }));
        let result = self.sync_now(now).await;
        self.core.tell(CoreEvent::SyncStatus(self.status()));
        let (status, alerts) = result?;
        for alert in alerts {
            self.core.tell(CoreEvent::AllowanceAlert(alert));
        }
        self.core.changed(&Collection::ALL);
        Ok(status)
    }

    /// Updates in the background for as long as the future runs: at once (a resumed session),
    /// then at the governor's interval for its level and network (15 minutes normally, up to
    /// an hour when the allowance is nearly spent).
    pub async fn run_in_background(&self) {
        loop {
            if self.core.signed_in().await && !self.status().running {
                if let Err(e) = self.run(Utc::now()).await {
                    tracing::info!(error = ?e, "a background update did not finish");
                }
            }
            tokio::time::sleep(self.next_in()).await;
        }
    }

    /// How long to wait before the next background update.
    pub fn next_in(&self) -> std::time::Duration {
        match self.core.open_cache() {
            Ok(cache) => cache.allowance.governor().level().sync_interval(self.core.network.current()),
            // Locked: look again in a minute (unlocking does not wait for this).
            Err(_) => std::time::Duration::from_secs(60),
        }
    }

    /// Sends the outbox, syncs, prefetches under the governor and reassesses the allowance.
    /// A failed update is a status (`lastError`), not an error; the error is for a session
    /// that is gone. Returns the allowance warnings due.
    pub async fn sync_now(&self, now: DateTime<Utc>) -> Result<(SyncStatus, Vec<AllowanceAlert>)> {
        if self.protection.assess_offline(now).await? {
            return Err(AppCoreError::Locked);
        }
        let session = self.core.session().await?;
        // Tethered to a phone since the last update? The system says (a D-Bus call on Linux).
        self.core.read_system_network().await;
        let turn = self.core.update_turn.lock().await;
        // A lock or wipe from here on stops this update where it stands.
        let generation = self.core.generation();
        lock(&self.core.updates).status.running = true;
        let before = session.bytes.total();
        let started = std::time::Instant::now();
        let cache = self.core.open_cache()?;
        let vault = cache.vault.clone();
        let filled = vault.setting(FILLED_SETTING)?.is_some();
        let plan = cache.allowance.governor().update_plan(self.core.network.current(), filled);
        drop(cache);
        // Say what this update holds back while it runs (a first sign-in on mobile data).
        lock(&self.core.updates).status.plan_note = plan.note.clone();
        self.core.tell(CoreEvent::SyncStatus(self.status()));
        let work = async {
            session.outbox.deliver().await?;
            session.engine.update(now, plan.prefetch).await?;
            session.outbox.deliver().await?;
            if plan.prefetch == companion_sync::PrefetchPlan::FULL && !filled {
                vault.write(|w| w.set_setting(FILLED_SETTING, &iso(now)))?;
            }
            // The member's notes on papers, where they keep them in their OneDrive.
            if let Err(e) = crate::papers::save_notes(&vault, &session.graph, now, false).await {
                tracing::info!(error = %e, "notes on papers could not be saved to OneDrive");
            }
            // Bodies are made safe once, here, so opening a message sanitises nothing. A
            // failure only means a message is made safe when it is opened instead.
            if let Err(e) = crate::bodies::make_safe_forms(vault).await {
                tracing::info!(error = ?e, "bodies could not be made safe ahead");
            }
            // The committee site, where the council set one up: agendas stored, the next
            // days' papers fetched ahead as the governor allows. Its failure is not the
            // update's: what is stored stays readable.
            if let Some(client) = &session.papers {
                if let Err(e) = crate::papers::update(&self.core, client, now).await {
                    tracing::info!(error = %e, "committee papers could not be updated");
                }
            }
            Ok::<_, companion_sync::SyncError>(())
        };
        let result = tokio::select! {
            r = work => r.map_err(AppCoreError::from),
            () = self.core.stopped_since(generation) => Err(AppCoreError::Locked),
        };
        // Only an update that reached the tenant asks the council's wipe list.
        let wipe = match &result {
            Ok(()) => {
                self.core.record_contact(now);
                self.core.record_time("update", started.elapsed());
                match council_wants_wipe(&self.core, &session.graph, now).await {
                    Ok(true) => Some(WipeReason::CouncilRequest),
                    Ok(false) => None,
                    Err(e) => {
                        tracing::info!(error = ?e, "the council's wipe list could not be read");
                        None
                    }
                }
            }
            Err(AppCoreError::AccountGone(_)) => Some(WipeReason::AccountGone),
            Err(_) => None,
        };
        let status = {
            let mut record = lock(&self.core.updates);
            // Cleared before anything else can fail, so the UI never shows an update running forever.
            record.status.running = false;
            record.status.plan_note = None;
            match &result {
                Ok(()) => {
                    record.status.online = true;
                    record.status.last_synced_at = Some(iso(now));
                    record.status.last_error = None;
                    record.last_bytes = Some(session.bytes.total().saturating_sub(before));
                }
                Err(e) => {
                    tracing::info!(error = ?e, "an update did not finish");
                    record.status.online = e.kind() != ErrorKind::Offline;
                    record.status.last_error = Some(e.to_string());
                    record.recent_errors.push_back(e.code());
                    while record.recent_errors.len() > crate::core::RECENT_ERRORS_KEPT {
                        record.recent_errors.pop_front();
                    }
                }
            }
            record.status.clone()
        };
        // The wipe waits for the update's turn, so it comes after the turn is given back.
        drop(turn);
        if let Some(reason) = wipe {
            drop(session);
            // The council's wipe comes through a working connection: the cycle's usage to this
            // day goes first (with consent), so the trial's evidence does not go with the phone.
            if reason == WipeReason::CouncilRequest {
                if let Err(e) = self.trial.send_final_report(now, FINAL_REPORT_WAIT).await {
                    tracing::info!(error = %e, "no final usage report before the council's wipe");
                }
            }
            self.core.wipe(reason).await;
            return Err(match (reason, result) {
                (WipeReason::AccountGone, Err(e)) => e,
                _ => AppCoreError::Locked,
            });
        }
        if let Err(e) = &result {
            if e.kind() == ErrorKind::SignInRequired {
                self.core.session_ended(e).await;
            }
        }
        if self.core.generation() != generation {
            return result.map(|()| (status, Vec::new()));
        }
        if result.is_ok() {
            // A failure to work out the notification loses only the notification.
            match crate::notifications::new_mail_after_update(&self.core, Utc::now()) {
                Ok(Some(notice)) => self.core.tell(CoreEvent::NewMail(notice)),
                Ok(None) => {}
                Err(e) => tracing::info!(error = ?e, "the new-mail notification could not be worked out"),
            }
        }
        let report = self.core.open_cache()?.allowance.refresh(now)?;
        self.trial.after_update(session.graph.clone(), result.is_ok(), !report.alerts.is_empty(), now).await;
        Ok((status, report.alerts.into_iter().map(AllowanceAlert::from).collect()))
    }
}
