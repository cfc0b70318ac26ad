//! The app lock and the wipe: a PIN that unseals the vault key, the idle lock, growing waits
//! and the wrong-PIN limit, the offline grace period, and the council's remote wipe.
//!
//! States (see [`ProtectionStatus`]): nothing stored → the member chooses a PIN; locked → the
//! PIN opens the cache; unlocked; or unlocked but held back until the app reaches the council.
//! Every path that must remove the member's data calls the one [`Core::wipe`].

use crate::core::{
    lock, private_dir, private_file, Core, LockState, DEVICE_CODE_FILE, KEYRING_KIND_FILE, SEALED_KEY_FILE, WIPE_MARKER,
};
use crate::error::{AppCoreError, Result};
use crate::views::{iso, Collection, ProtectionSettings, ProtectionStatus, WipeNotice, WipeReason};
use chrono::{DateTime, Utc};
use companion_graph::{Feature, GraphClient, GraphRequest};
use companion_keystore::{Persistence, SecretName, Zeroizing};
use companion_protection::{KdfParams, OfflineStanding, Pin, ProtectionError, ProtectionRecord, WrappedKey};
use companion_vault::{OpenError, Vault, VaultKey};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::sync::Arc;

/// What a wipe leaves behind: when and why, nothing of the member's.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct WipeMarker {
    pub(crate) at: DateTime<Utc>,
    pub(crate) reason: WipeReason,
}

impl WipeMarker {
    pub(crate) fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    fn read(data_dir: &Path) -> Option<Self> {
        serde_json::from_str(&std::fs::read_to_string(data_dir.join(WIPE_MARKER)).ok()?).ok()
    }
}

/// Where the lock stands when the app starts, from what the data folder holds.
pub(crate) fn state_at_start(data_dir: &Path) -> LockState {
    if data_dir.join(SEALED_KEY_FILE).exists() {
        LockState::Locked
    } else {
        LockState::ChoosePin
    }
}

/// The app lock.
pub struct ProtectionService {
    core: Arc<Core>,
}

impl ProtectionService {
    pub(crate) fn new(core: Arc<Core>) -> Self {
        Self { core }
    }

    /// Where the lock stands.
    pub fn status(&self, now: DateTime<Utc>) -> ProtectionStatus {
        let policy = &self.core.policy;
        let state = *lock(&self.core.lock_state);
        match state {
            LockState::ChoosePin => ProtectionStatus::ChoosePin {
                pin_length: policy.pin_length,
                wiped: WipeMarker::read(&self.core.data_dir).map(|m| WipeNotice {
                    at: iso(m.at),
                    reason: m.reason,
                    message: m.reason.message().to_owned(),
                }),
            },
            LockState::Locked => {
                // An unreadable record shows as no wrong PINs; `unlock` refuses to go on with it.
                let record = self.core.record().unwrap_or_default();
                ProtectionStatus::Locked {
                    wrong_pins: record.wrong_pins.count,
                    tries_left: record.wrong_pins.left(policy.wrong_pin_limit),
                    wait_seconds: record.wrong_pins.wait(now).as_secs(),
                    biometrics_allowed: policy.biometrics_allowed,
                }
            }
            LockState::ReachCouncil => {
                let offline = self
                    .core
                    .record()
                    .ok()
                    .and_then(|r| r.contact)
                    .map_or(chrono::Duration::zero(), |c| c.offline_for(now));
                ProtectionStatus::ReachCouncil {
                    offline_hours: u32::try_from(offline.num_hours()).unwrap_or(u32::MAX),
                    wipe_in_days: u32::try_from((policy.offline_wipe() - offline).num_days().max(0)).unwrap_or(0),
                }
            }
            LockState::Open => ProtectionStatus::Unlocked { idle_lock_seconds: policy.idle_lock_seconds },
        }
    }

    /// The member's first PIN (after the first start or a wipe): makes the vault key, seals
    /// it under the PIN and a new keystore secret, and opens the cache. Signing in follows.
    pub async fn choose_pin(&self, pin: &str, now: DateTime<Utc>) -> Result<ProtectionStatus> {
        if *lock(&self.core.lock_state) != LockState::ChoosePin {
            return Err(AppCoreError::Invalid("A PIN has already been set. Use Change PIN in Security.".into()));
        }
        let pin = Pin::choose(pin, self.core.policy.pin_length)?;
        let core = self.core.clone();
        let key = tokio::task::spawn_blocking(move || -> Result<VaultKey> {
            let dir = &core.data_dir;
            private_dir(dir).map_err(AppCoreError::File)?;
            let (key, adopted) = adopt_or_make_key(&core)?;
            if !adopted {
                // Keyring entries without a cache beside them are an earlier install's (the
                // data folder was removed, the keyring kept, as iOS does on uninstall): its
                // session must not carry over to whoever sets this app up.
                core.keystore.delete_all()?;
            }
            let mut secret = Zeroizing::new(vec![0u8; companion_protection::KEYSTORE_SECRET_LEN]);
            rand::rng().fill_bytes(&mut secret);
            core.keystore.set(SecretName::PinSecret, &secret)?;
            let sealed = WrappedKey::seal(key.as_bytes(), &pin, &secret, KdfParams::default())?;
            write_atomically(&dir.join(SEALED_KEY_FILE), sealed.to_json().as_bytes())?;
            note_keyring_kind(&core)?;
            core.keystore.set(SecretName::ProtectionRecord, &ProtectionRecord::default().to_bytes())?;
            device_code(dir)?;
            let _ = std::fs::remove_file(dir.join(WIPE_MARKER));
            Ok(key)
        })
        .await
        .map_err(|e| AppCoreError::Invalid(format!("setting the PIN stopped: {e}")))??;
        self.open_with(&key, now).await?;
        // The key served its turn in the old keyring entry; from now on only the sealed copy.
        let _ = self.core.keystore.delete(SecretName::LegacyVaultKey);
        Ok(self.status(now))
    }

    /// Unlocks with `pin`. A wrong PIN is an answer, not an error: the locked status with
    /// one try fewer, or, at the council's limit, the wiped app.
    pub async fn unlock(&self, pin: &str, now: DateTime<Utc>) -> Result<ProtectionStatus> {
        if *lock(&self.core.lock_state) != LockState::Locked {
            return Ok(self.status(now));
        }
        let pin = Pin::entered(pin)?;
        let record = self.core.record()?;
        let wait = record.wrong_pins.wait(now);
        if !wait.is_zero() {
            return Err(AppCoreError::TooSoon(wait.as_secs().max(1)));
        }
        let Some(secret) = self.core.keystore.get(SecretName::PinSecret)? else {
            // The secret was kept where a restart keeps it, but this start found no such store
            // (the desktop's keyring locked, refused or slow, so the kernel keyring stood in):
            // it is not lost, only out of reach. Wiping now would throw away a cache, and any
            // mail still waiting to go, that the next start can open.
            if kept_across_restarts(&self.core.data_dir) && self.core.keystore.persistence() != Persistence::Persistent
            {
                return Err(AppCoreError::KeyringAway);
            }
            // The keyring lost the secret (a Linux restart without a Secret Service, a reset
            // keyring): the cache can never be opened again. Say so and start clean.
            self.core.wipe(WipeReason::KeyLost).await;
            return Ok(self.status(now));
        };
        let sealed = match std::fs::read_to_string(self.core.data_dir.join(SEALED_KEY_FILE))
            .map_err(|e| ProtectionError::Damaged(e.to_string()))
            .and_then(|text| WrappedKey::from_json(&text))
        {
            Ok(sealed) => sealed,
            Err(e) => {
                tracing::error!(error = %e, "the sealed key is unreadable");
                self.core.wipe(WipeReason::KeyLost).await;
                return Ok(self.status(now));
            }
        };
        let opened = tokio::task::spawn_blocking(move || sealed.open(&pin, &secret))
            .await
            .map_err(|e| AppCoreError::Invalid(format!("unlocking stopped: {e}")))?;
        let key = match opened {
            Ok(key) => VaultKey::from_bytes(&key).ok_or(AppCoreError::BadKey)?,
            Err(ProtectionError::WrongPin) => {
                self.wrong_pin(now).await?;
                self.core.changed(&[Collection::Protection]);
                return Ok(self.status(now));
            }
            Err(other) => return Err(other.into()),
        };
        self.core.update_record(|r| r.wrong_pins = Default::default())?;
        // A cache set up before the kind was noted has it from its first unlock on.
        if let Err(e) = note_keyring_kind(&self.core) {
            tracing::warn!(error = %e, "where the PIN's secret is kept could not be noted");
        }
        self.open_with(&key, now).await?;
        Ok(self.status(now))
    }

    /// Counts a wrong PIN at `now`; at the council's limit, wipes. Returns whether it wiped.
    async fn wrong_pin(&self, now: DateTime<Utc>) -> Result<bool> {
        let limit = self.core.policy.wrong_pin_limit;
        let exhausted = self.core.update_record(|r| {
            r.wrong_pins.record_failure(now);
            r.wrong_pins.exhausted(limit)
        })?;
        if exhausted {
            self.core.wipe(WipeReason::WrongPins).await;
        }
        Ok(exhausted)
    }

    /// Opens the cache with `key`, then applies the grace period and resumes the session.
    async fn open_with(&self, key: &VaultKey, now: DateTime<Utc>) -> Result<()> {
        let vault = match Vault::open(&self.core.data_dir, key) {
            Ok((vault, _)) => vault,
            Err(OpenError::WrongKey | OpenError::NotEncrypted) => {
                self.core.wipe(WipeReason::KeyLost).await;
                return Ok(());
            }
            Err(e) => return Err(AppCoreError::VaultOpen(e)),
        };
        self.core.set_cache(vault)?;
        *lock(&self.core.lock_state) = LockState::Open;
        self.touch();
        if self.assess_offline(now).await? {
            return Ok(());
        }
        if let Err(e) = self.core.resume_session().await {
            tracing::warn!(error = ?e, "the session could not be resumed after unlocking");
        }
        self.core.changed(&[Collection::Protection, Collection::Account]);
        Ok(())
    }

    /// Locks now: the cache closes, the session ends (its refresh token stays for the next
    /// unlock), and attachments written for the viewer go.
    pub async fn lock(&self, now: DateTime<Utc>) -> ProtectionStatus {
        if matches!(*lock(&self.core.lock_state), LockState::Open | LockState::ReachCouncil) {
            // Counted for the trial's security evidence (kept with consent, like every use).
            self.core.count_use(companion_evidence::Use::Locked);
            self.core.close(LockState::Locked).await;
            self.core.changed(&[Collection::Protection]);
        }
        self.status(now)
    }

    /// Changes the PIN: the same vault key sealed again under the new PIN. A wrong current PIN
    /// counts as a wrong PIN.
    pub async fn change_pin(&self, current: &str, next: &str, now: DateTime<Utc>) -> Result<()> {
        if *lock(&self.core.lock_state) != LockState::Open {
            return Err(AppCoreError::Locked);
        }
        let current = Pin::entered(current)?;
        let next = Pin::choose(next, self.core.policy.pin_length)?;
        let wait = self.core.record()?.wrong_pins.wait(now);
        if !wait.is_zero() {
            return Err(AppCoreError::TooSoon(wait.as_secs().max(1)));
        }
        let secret = self.core.keystore.get(SecretName::PinSecret)?.ok_or(AppCoreError::BadKey)?;
        let path = self.core.data_dir.join(SEALED_KEY_FILE);
        let sealed = WrappedKey::from_json(&std::fs::read_to_string(&path).map_err(AppCoreError::File)?)?;
        let resealed = tokio::task::spawn_blocking(move || -> std::result::Result<WrappedKey, ProtectionError> {
            let key = sealed.open(&current, &secret)?;
            WrappedKey::seal(&key, &next, &secret, KdfParams::default())
        })
        .await
        .map_err(|e| AppCoreError::Invalid(format!("changing the PIN stopped: {e}")))?;
        match resealed {
            Ok(resealed) => {
                write_atomically(&path, resealed.to_json().as_bytes())?;
                self.core.update_record(|r| r.wrong_pins = Default::default())?;
                Ok(())
            }
            Err(ProtectionError::WrongPin) => match self.wrong_pin(now).await? {
                true => Err(AppCoreError::Locked),
                false => Err(ProtectionError::WrongPin.into()),
            },
            Err(other) => Err(other.into()),
        }
    }

    /// "Forgotten your PIN?": there is no way round the PIN, so everything goes and the
    /// member starts again.
    pub async fn forget_pin(&self, now: DateTime<Utc>) -> ProtectionStatus {
        self.core.wipe(WipeReason::ForgottenPin).await;
        self.status(now)
    }

    /// The member did something: the idle clock starts again.
    pub fn touch(&self) {
        *lock(&self.core.last_activity) = std::time::Instant::now();
    }

    /// Locks the app after the council's idle time, for as long as the future runs.
    pub async fn lock_when_idle(&self) {
        let idle = self.core.policy.idle_lock();
        loop {
            let since = lock(&self.core.last_activity).elapsed();
            let open = matches!(*lock(&self.core.lock_state), LockState::Open | LockState::ReachCouncil);
            if open && since >= idle {
                tracing::info!("locking after {} seconds idle", idle.as_secs());
                self.lock(Utc::now()).await;
                continue;
            }
            let wake = if open { idle.saturating_sub(since) } else { idle };
            tokio::time::sleep(wake.max(std::time::Duration::from_secs(1))).await;
        }
    }

    /// The protection part of the settings screen.
    pub fn settings(&self) -> Result<ProtectionSettings> {
        let p = &self.core.policy;
        Ok(ProtectionSettings {
            device_code: device_code(&self.core.data_dir)?,
            pin_length: p.pin_length,
            idle_lock_seconds: p.idle_lock_seconds,
            wrong_pin_limit: p.wrong_pin_limit,
            offline_lock_hours: p.offline_lock_hours,
            offline_wipe_days: p.offline_wipe_days,
            biometrics_allowed: p.biometrics_allowed,
            keys_survive_restart: self.core.keystore.persistence() == Persistence::Persistent,
        })
    }

    /// Applies the offline grace period at `now`: past the lock period the cache is held back
    /// until the app reaches the council; past the wipe period the app wipes. Returns whether
    /// it wiped.
    pub(crate) async fn assess_offline(&self, now: DateTime<Utc>) -> Result<bool> {
        let contact = self.core.update_record(|r| {
            if let Some(c) = &mut r.contact {
                c.observe(now);
            }
            r.contact
        })?;
        let Some(contact) = contact else { return Ok(false) };
        match contact.standing(now, &self.core.policy) {
            OfflineStanding::Wipe => {
                self.core.wipe(WipeReason::OfflineTooLong).await;
                Ok(true)
            }
            OfflineStanding::Blocked => {
                let mut state = lock(&self.core.lock_state);
                if *state == LockState::Open {
                    *state = LockState::ReachCouncil;
                    drop(state);
                    self.core.changed(&[Collection::Protection]);
                }
                Ok(false)
            }
            OfflineStanding::Fine => Ok(false),
        }
    }
}

/// The vault key: a key from before the PIN (an upgraded install) if it opens the vault
/// there (`true`: adopted, its session carries on), else a new one (and any vault it cannot
/// open is removed).
fn adopt_or_make_key(core: &Core) -> Result<(VaultKey, bool)> {
    let dir = &core.data_dir;
    if dir.join("vault.db").exists() {
        let legacy = core.keystore.get(SecretName::LegacyVaultKey)?.and_then(|k| VaultKey::from_bytes(&k));
        if let Some(key) = legacy {
            if Vault::open(dir, &key).is_ok() {
                return Ok((key, true));
            }
        }
        tracing::warn!("a vault without a usable key was found; it is removed");
        Vault::wipe_dir(dir).map_err(AppCoreError::Vault)?;
    }
    Ok((VaultKey::generate(), false))
}

/// Notes in the data folder whether the PIN's keystore half is in a store that survives a
/// restart, so a later start that cannot reach that store refuses rather than wipes. Written
/// only when it changes: unlocking asks this every time, and need not write every time.
fn note_keyring_kind(core: &Core) -> Result<()> {
    let kind = match core.keystore.persistence() {
        Persistence::Persistent => "persistent",
        Persistence::UntilRestart => "until-restart",
    };
    let path = core.data_dir.join(KEYRING_KIND_FILE);
    if std::fs::read_to_string(&path).is_ok_and(|noted| noted == kind) {
        return Ok(());
    }
    write_atomically(&path, kind.as_bytes())
}

/// Whether the PIN's keystore half was put in a store that survives a restart.
fn kept_across_restarts(data_dir: &Path) -> bool {
    std::fs::read_to_string(data_dir.join(KEYRING_KIND_FILE)).is_ok_and(|kind| kind.trim() == "persistent")
}

/// Writes `content` to `path` through a temporary file and a rename, so a crash leaves the
/// old file or the new one, never half of one.
fn write_atomically(path: &Path, content: &[u8]) -> Result<()> {
    let temporary = path.with_extension("new");
    private_file(&temporary, content).map_err(AppCoreError::File)?;
    std::fs::rename(&temporary, path).map_err(AppCoreError::File)
}

/// The device's code for the council's wipe requests (made once per set-up; a wipe makes a
/// new one, so an old request never matches again). Letters and digits that cannot be
/// misread aloud (Crockford's base 32), as `XXXX-XXXX`.
fn device_code(data_dir: &Path) -> Result<String> {
    let path = data_dir.join(DEVICE_CODE_FILE);
    if let Ok(code) = std::fs::read_to_string(&path) {
        let code = code.trim();
        if !code.is_empty() {
            return Ok(code.to_owned());
        }
    }
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut bytes = [0u8; 8];
    rand::rng().fill_bytes(&mut bytes);
    let chars: String = bytes.iter().map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()])).collect();
    let code = format!("{}-{}", &chars[..4], &chars[4..]);
    private_dir(data_dir).map_err(AppCoreError::File)?;
    private_file(&path, code.as_bytes()).map_err(AppCoreError::File)?;
    Ok(code)
}

/// Asks the council's wipe list whether this device is to be wiped; if so, marks each request
/// done (the officer sees it happened; nothing of the member's is sent) and says so.
pub(crate) async fn council_wants_wipe(core: &Core, graph: &GraphClient, now: DateTime<Utc>) -> Result<bool> {
    let Some(site) = &core.config.trial_site_id else { return Ok(false) };
    let code = device_code(&core.data_dir)?;
    let items = format!("/sites/{site}/lists/{}/items", core.config.device_wipe_list);
    let found: serde_json::Value = graph
        .json(
            // DeviceCode is indexed (`provision` makes it so): no warning header needed.
            &GraphRequest::get(
                format!("{items}?$expand=fields&$filter=fields/DeviceCode eq '{code}'"),
                Feature::Protection,
            ),
        )
        .await?;
    let pending: Vec<String> = found["value"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|item| item["fields"]["Status"].as_str() != Some("Done"))
        .filter_map(|item| item["id"].as_str().map(str::to_owned))
        .collect();
    for id in &pending {
        let done = serde_json::json!({ "Status": "Done", "DoneAt": iso(now) });
        // The answer is parsed so that a captive portal's page is not taken for SharePoint's.
        let _: serde_json::Value = graph
            .json(&GraphRequest::with_json(
                companion_graph::Method::PATCH,
                format!("{items}/{id}/fields"),
                done,
                Feature::Protection,
            ))
            .await?;
    }
    Ok(!pending.is_empty())
}
