//! The account: signing in through the system browser (the refresh token kept only in the
//! keyring), resuming at start, signing out.

use crate::core::{lock, Core};
use crate::error::{AppCoreError, Result};
use crate::views::{AccountStatus, Member, WipeReason};
use chrono::Utc;
use companion_graph::{Feature, GraphRequest, LoopbackRedirect, SessionTokens, User};
use companion_vault::AccountRecord;
use std::sync::{Arc, Mutex};

/// The vault settings that say whose cache this is: the directory id from `/me` and the
/// tenant (the authority's, which a single-tenant registration pins).
const ACCOUNT_ID_SETTING: &str = "account.user-id";
const ACCOUNT_TENANT_SETTING: &str = "account.tenant";

/// How the system browser comes back to the app after sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReturnPath {
    /// Desktop: a redirect to `http://127.0.0.1:{free port}` that the app listens on.
    Loopback,
    /// Phones: the app's own URL scheme (the configuration's `mobile-redirect-uri`), which the
    /// OS hands to [`AccountService::deep_link_arrived`].
    DeepLink,
}

/// Tells whether a returning URL answers the sign-in under way (its `state`).
type Answers = Box<dyn Fn(&url::Url) -> bool + Send + Sync>;

/// The URL the browser comes back with, when it does.
type BrowserReturn = std::pin::Pin<Box<dyn std::future::Future<Output = std::result::Result<url::Url, String>> + Send>>;

/// The longest sign-out waits to deliver the last usage report.
pub(crate) const FINAL_REPORT_WAIT: std::time::Duration = std::time::Duration::from_secs(8);

/// Signing in and out.
pub struct AccountService {
    core: Arc<Core>,
    /// Sends the trial's last usage report before the cache goes.
    trial: crate::TrialService,
    /// The sign-in waiting for the browser to come back by deep link: its redirect URI and
    /// where to hand the URL.
    deep_link_waiter: Mutex<Option<(String, Answers, tokio::sync::oneshot::Sender<url::Url>)>>,
}

impl AccountService {
    pub(crate) fn new(core: Arc<Core>, trial: crate::TrialService) -> Self {
        Self { core, trial, deep_link_waiter: Mutex::new(None) }
    }

    /// Signs in: `open_browser` must open the system browser (never a webview, RFC 8252) at
    /// the URL it is given; this waits for the browser to come back by `path`.
    pub async fn sign_in(
        &self,
        path: ReturnPath,
        open_browser: impl FnOnce(&str) -> std::result::Result<(), String>,
    ) -> Result<AccountStatus> {
        let signin = self.core.signin()?;
        let loopback = match path {
            ReturnPath::Loopback => Some(LoopbackRedirect::bind().await.map_err(|e| {
                AppCoreError::SignIn(format!("The app could not listen for the sign-in to finish: {e}"))
            })?),
            ReturnPath::DeepLink => None,
        };
        let redirect_uri = match &loopback {
            Some(loopback) => loopback.redirect_uri(),
            None => self.core.config.mobile_redirect_uri.clone(),
        };
        let pending = signin.begin(&redirect_uri).map_err(sign_in_failed)?;
        let answers = pending.answered_by();
        let arrival: BrowserReturn = match loopback {
            Some(loopback) => Box::pin(async move { loopback.wait(answers).await.map_err(|e| e.to_string()) }),
            None => {
                let (tx, rx) = tokio::sync::oneshot::channel();
                // A newer sign-in replaces an abandoned one: its waiter hears "cancelled".
                *lock(&self.deep_link_waiter) = Some((redirect_uri.clone(), Box::new(answers), tx));
                Box::pin(async move { rx.await.map_err(|_| "a newer sign-in was started".to_owned()) })
            }
        };
        open_browser(pending.authorize_url.as_str())
            .map_err(|e| AppCoreError::SignIn(format!("The browser could not be opened: {e}")))?;
        let callback = tokio::time::timeout(std::time::Duration::from_secs(600), arrival)
            .await
            .map_err(|_| AppCoreError::SignIn("Sign-in took too long. Please try again.".into()))?
            .map_err(|e| AppCoreError::SignIn(format!("The browser did not come back to the app: {e}")))?;
        let tokens = signin.complete(pending, &callback).await.map_err(sign_in_failed)?;
        let session_tokens = Arc::new(SessionTokens::new(signin, tokens, self.core.keeper()).map_err(sign_in_failed)?);
        let session = self.core.start_session(session_tokens)?;
        let me: User = session.graph.json(&GraphRequest::get("/me", Feature::SignIn)).await.map_err(|e| {
            tracing::warn!(error = %e, "signed in, but /me failed");
            AppCoreError::from(e)
        })?;
        let vault = self.core.open_cache()?.vault.clone();
        let tenant = tenant_of(&self.core.config.authority);
        let cached = (vault.setting(ACCOUNT_ID_SETTING)?, vault.setting(ACCOUNT_TENANT_SETTING)?);
        if let (Some(id), Some(cached_tenant)) = &cached {
            if *id != me.id || *cached_tenant != tenant {
                // Someone else's cache: nothing of it may be shown to, or sent by, this member.
                drop((session, vault));
                self.core.wipe(WipeReason::DifferentAccount).await;
                return Err(AppCoreError::DifferentAccount);
            }
        }
        let account = AccountRecord {
            display_name: me.display_name.unwrap_or_default(),
            mail: me.mail.or(me.user_principal_name).unwrap_or_default(),
            tenant_id: Some(tenant.clone()),
            signed_in_at: Some(Utc::now()),
        };
        vault.write(|w| {
            w.set_account(&account)?;
            w.set_setting(ACCOUNT_ID_SETTING, &me.id)?;
            w.set_setting(ACCOUNT_TENANT_SETTING, &tenant)
        })?;
        self.core.set_session(Some(session)).await;
        self.core.record_contact(Utc::now());
        *lock(&self.core.session_problem) = None;
        self.core.changed(&[crate::views::Collection::Account]);
        self.status().await
    }

    /// The OS opened the app with `url` (a mobile deep link). Returns whether it finished a
    /// sign-in under way; any other link, or one with another sign-in's `state`, is ignored and
    /// the sign-in goes on waiting.
    pub fn deep_link_arrived(&self, url: &str) -> bool {
        let mut waiter = lock(&self.deep_link_waiter);
        let Ok(parsed) = url::Url::parse(url) else { return false };
        match waiter.take() {
            Some((expected, answers, tx)) if url.starts_with(&expected) && answers(&parsed) => tx.send(parsed).is_ok(),
            other => {
                *waiter = other;
                false
            }
        }
    }

    /// Resumes the last session from the keyring's refresh token, if there is one and the
    /// app is unlocked (unlocking resumes it otherwise).
    pub async fn resume(&self) -> Result<bool> {
        if self.core.open_cache().is_err() {
            return Ok(false);
        }
        self.core.resume_session().await
    }

    /// Signs out: the one wipe, so nothing of the member's stays on the device (the cache,
    /// the outbox, the evidence, the keys, the refresh token, opened attachments).
    pub async fn sign_out(&self) -> Result<AccountStatus> {
        self.sign_out_at(chrono::Utc::now()).await
    }

    /// Signs out at `now` (the day the last usage report runs to).
    pub async fn sign_out_at(&self, now: chrono::DateTime<chrono::Utc>) -> Result<AccountStatus> {
        // The cycle's usage to this day goes first (with consent), if the council answers
        // within a few seconds: signing out must not wait on a weak signal.
        if let Err(e) = self.trial.send_final_report(now, FINAL_REPORT_WAIT).await {
            tracing::info!(error = %e, "no final usage report at sign-out");
        }
        self.core.wipe(WipeReason::SignedOut).await;
        self.status().await
    }

    /// Signed in or not.
    pub async fn status(&self) -> Result<AccountStatus> {
        let demo = self.core.demo;
        let account = match self.core.open_cache() {
            Ok(cache) => cache.vault.account()?,
            Err(_) => None,
        };
        Ok(match (self.core.signed_in().await, account) {
            (true, Some(a)) => {
                AccountStatus::SignedIn { demo, member: Member { display_name: a.display_name, mail: a.mail } }
            }
            _ => AccountStatus::SignedOut { demo, problem: lock(&self.core.session_problem).clone() },
        })
    }

    /// Whether someone is signed in.
    pub async fn signed_in(&self) -> bool {
        self.core.signed_in().await
    }
}

/// The member sees the plain message; the engineers' log gets the kind and the detail (which
/// never holds a token).
pub(crate) fn sign_in_failed(e: companion_graph::SignInError) -> AppCoreError {
    tracing::warn!(problem = ?e.problem, aadsts = ?e.aadsts, detail = e.detail.as_deref().unwrap_or("-"), "sign-in failed");
    AppCoreError::SignIn(e.problem.message().into())
}

/// The tenant named in the authority (`https://login.microsoftonline.com/{tenant}`).
fn tenant_of(authority: &str) -> String {
    authority.trim_end_matches('/').rsplit('/').next().unwrap_or_default().to_ascii_lowercase()
}
