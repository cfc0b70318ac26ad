//! The app lock and the wipe, end to end through the core: the PIN, restarts, the council's
//! limits, and each reason the app removes everything it holds.

use super::{browser, Rig, PIN};
use companion_app::{AppCoreError, Companion, ProtectionPolicy, ReturnPath};
use companion_graph_sim::{GraphSim, MemberStanding, SimConfig};
use companion_keystore::SecretName;
use serde_json::Value;
use std::sync::Arc;

fn status(app: &Companion, now: chrono::DateTime<chrono::Utc>) -> Value {
    serde_json::to_value(app.protection.status(now)).expect("json")
}

/// What the data folder holds, by name.
fn left_in(rig: &Rig) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(rig.dir.path())
        .expect("the data folder")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// After a wipe: only the marker in the folder, nothing in the keyring, and the next screen
/// chooses a PIN and says why.
fn assert_wiped(rig: &Rig, app: &Companion, reason: &str) {
    assert_eq!(left_in(rig), vec!["wiped.json".to_owned()], "only the marker is left");
    let marker = std::fs::read_to_string(rig.dir.path().join("wiped.json")).expect("marker");
    let marker: Value = serde_json::from_str(&marker).expect("the marker is JSON");
    assert_eq!(marker.as_object().map(|o| o.len()), Some(2), "a time and a reason, nothing else: {marker}");
    let ks = rig.keystore();
    for name in SecretName::ALL {
        assert!(ks.get(name).expect("keyring").is_none(), "{name:?} was removed from the keyring");
    }
    let now = status(app, chrono::Utc::now());
    assert_eq!(now["state"], "choosePin", "{now}");
    assert_eq!(now["wiped"]["reason"], reason, "{now}");
    assert!(now["wiped"]["message"].as_str().is_some_and(|m| m.len() > 40), "{now}");
    assert!(matches!(app.mail.folders(), Err(AppCoreError::Locked)), "nothing can be read");
}

/// A started core signed in and synced.
async fn signed_in(rig: &Rig) -> Arc<Companion> {
    let app = rig.open().await;
    app.account.sign_in(ReturnPath::Loopback, browser).await.expect("sign-in");
    app.updates.sync_now(chrono::Utc::now()).await.expect("sync");
    app
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cache_opens_only_with_the_pin_and_locking_shuts_it_again() {
    let rig = Rig::start(60).await;
    let app = signed_in(&rig).await;
    let cached = app.mail.folders().expect("unlocked, the folders read").len();
    let sealed = std::fs::read(rig.dir.path().join("vault.key")).expect("the sealed key");
    assert!(!String::from_utf8_lossy(&sealed).contains(PIN), "the PIN is not stored");

    let now = chrono::Utc::now();
    assert_eq!(serde_json::to_value(app.protection.lock(now).await).expect("json")["state"], "locked");
    assert!(matches!(app.mail.folders(), Err(AppCoreError::Locked)), "locked, nothing reads");
    assert!(matches!(app.search.search("council"), Err(AppCoreError::Locked)));
    drop(app);

    // A restart starts locked.
    let app = rig.start_core(None);
    assert_eq!(status(&app, now)["state"], "locked");
    assert!(matches!(app.mail.folders(), Err(AppCoreError::Locked)));
    let wrong = serde_json::to_value(app.protection.unlock("000000", now).await.expect("an answer")).expect("json");
    assert_eq!(wrong["state"], "locked", "{wrong}");
    assert_eq!(wrong["wrongPins"], 1, "{wrong}");
    assert_eq!(wrong["triesLeft"], 9, "{wrong}");
    assert!(matches!(app.mail.folders(), Err(AppCoreError::Locked)));

    let right = serde_json::to_value(app.protection.unlock(PIN, now).await.expect("unlock")).expect("json");
    assert_eq!(right["state"], "unlocked", "{right}");
    assert_eq!(app.mail.folders().expect("folders").len(), cached, "the same cache, from before the restart");
    let (sync, _) = app.updates.sync_now(chrono::Utc::now()).await.expect("sync");
    assert!(sync.last_error.is_none(), "unlocking resumed the session: {:?}", sync.last_error);
    let again = serde_json::to_value(app.protection.lock(now).await).expect("json");
    assert_eq!(again["wrongPins"], 0, "a right PIN clears the count: {again}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_pins_wait_longer_each_time_and_the_councils_limit_wipes_everything() {
    let rig = Rig::start(30).await;
    drop(signed_in(&rig).await);
    let policy = ProtectionPolicy { wrong_pin_limit: 5, ..ProtectionPolicy::default() };
    let app = rig.start_core(Some(policy));
    let mut now = chrono::Utc::now();
    for tried in 1..=3 {
        let answer = serde_json::to_value(app.protection.unlock("135790", now).await.expect("answer")).expect("json");
        assert_eq!(answer["triesLeft"], 5 - tried, "{answer}");
        assert_eq!(answer["waitSeconds"], if tried < 3 { 0 } else { 30 }, "three free tries: {answer}");
    }
    assert!(
        matches!(app.protection.unlock(PIN, now).await, Err(AppCoreError::TooSoon(30))),
        "even the right PIN waits"
    );
    // A clock set back does not end the wait.
    assert!(matches!(
        app.protection.unlock(PIN, now - chrono::Duration::hours(2)).await,
        Err(AppCoreError::TooSoon(_))
    ));
    now += chrono::Duration::seconds(31);
    let fourth = serde_json::to_value(app.protection.unlock("135790", now).await.expect("answer")).expect("json");
    assert_eq!(fourth["triesLeft"], 1, "{fourth}");
    assert_eq!(fourth["waitSeconds"], 60, "the wait doubles: {fourth}");
    now += chrono::Duration::hours(1);
    let last = serde_json::to_value(app.protection.unlock("135790", now).await.expect("answer")).expect("json");
    assert_eq!(last["state"], "choosePin", "the fifth wrong PIN wipes: {last}");
    assert_wiped(&rig, &app, "wrongPins");
    drop(app);
    // The next start is a first start: a new PIN, and nobody is signed in.
    let app = rig.open().await;
    assert!(!app.account.resume().await.expect("resume"), "no session survives the wipe");
    assert!(matches!(app.mail.folders(), Err(AppCoreError::SignedOut)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changing_the_pin_keeps_the_cache_and_only_the_new_pin_opens_it() {
    let rig = Rig::start(30).await;
    let app = signed_in(&rig).await;
    let now = chrono::Utc::now();
    assert!(app.protection.change_pin("999999", "582049", now).await.is_err(), "a wrong current PIN is refused");
    assert!(app.protection.change_pin(PIN, "111111", now).await.is_err(), "a PIN anyone would try first is refused");
    app.protection.change_pin(PIN, "582049", now).await.expect("changed");
    drop(app);
    let app = rig.start_core(None);
    let old = serde_json::to_value(app.protection.unlock(PIN, now).await.expect("answer")).expect("json");
    assert_eq!(old["state"], "locked", "the old PIN no longer opens it: {old}");
    let new = serde_json::to_value(app.protection.unlock("582049", now).await.expect("answer")).expect("json");
    assert_eq!(new["state"], "unlocked", "{new}");
    assert!(!app.mail.folders().expect("the cache is kept").is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forgotten_pin_and_signing_out_each_remove_everything() {
    let rig = Rig::start(30).await;
    let app = signed_in(&rig).await;
    app.protection.lock(chrono::Utc::now()).await;
    app.protection.forget_pin(chrono::Utc::now()).await;
    assert_wiped(&rig, &app, "forgottenPin");
    drop(app);

    let app = signed_in(&rig).await;
    app.account.sign_out().await.expect("sign out");
    assert_wiped(&rig, &app, "signedOut");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_different_member_signing_in_wipes_the_first_members_cache_first_and_sends_nothing_of_theirs() {
    let rig = Rig::start(40).await;
    let first = signed_in(&rig).await;
    // The first member writes while the council is out of reach: it waits in the outbox.
    rig.sim.set_faults(companion_graph_sim::FaultPlan::only(
        3,
        1.0,
        &[companion_graph_sim::FaultKind::ConnectionReset],
    ));
    first
        .mail
        .send(companion_app::views::NewMessage {
            to: vec!["clerk@demoborough.example".into()],
            cc: vec![],
            subject: "First member's private note".into(),
            body: "Not for anyone else's mailbox.".into(),
            attachments: vec![],
        })
        .await
        .expect("queued");
    assert!(!first.mail.outbox().expect("outbox").is_empty());
    drop(first);
    // Someone else from the same council, on the same device.
    let other = GraphSim::start(SimConfig::default().with_seed(99).with_messages(20)).await.expect("simulator");
    super::provision(&other).await;
    assert_ne!(other.credentials().member_mail, rig.sim.credentials().member_mail);
    let config = rig.config_for(&other);
    let app = Arc::new(Companion::open(config, rig.dir.path(), false).expect("core"));
    app.protection.unlock(PIN, chrono::Utc::now()).await.expect("unlock");
    let err = app.account.sign_in(ReturnPath::Loopback, browser).await.expect_err("refused");
    assert!(matches!(err, AppCoreError::DifferentAccount), "{err:?}");
    assert_wiped(&rig, &app, "differentAccount");

    // The second member sets up and signs in: their cache is their own, and the first
    // member's queued message never leaves from the second member's mailbox.
    app.protection.choose_pin(PIN, chrono::Utc::now()).await.expect("a new PIN");
    app.account.sign_in(ReturnPath::Loopback, browser).await.expect("the second member signs in");
    app.updates.sync_now(chrono::Utc::now()).await.expect("sync");
    assert!(app.mail.outbox().expect("outbox").is_empty(), "nothing of the first member's is queued");
    assert!(other.sent_mail().iter().all(|m| !m.subject.contains("private note")), "nothing of theirs was sent");
    let inbox = serde_json::to_string(&app.search.search("private").expect("search")).expect("json");
    assert!(!inbox.contains("First member"), "nothing of theirs is visible");
    other.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_disabled_account_wipes_at_the_next_update() {
    let rig = Rig::start(40).await;
    let app = signed_in(&rig).await;
    rig.sim.set_member_standing(MemberStanding::Disabled);
    let err = app.updates.sync_now(chrono::Utc::now()).await.expect_err("the account is gone");
    assert!(matches!(err, AppCoreError::AccountGone(_)), "{err:?}");
    assert_wiped(&rig, &app, "accountGone");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deleted_account_wipes_when_the_app_next_renews_its_session() {
    let rig = Rig::start(40).await;
    drop(signed_in(&rig).await);
    rig.sim.set_member_standing(MemberStanding::Deleted);
    let app = rig.open().await;
    assert!(app.updates.sync_now(chrono::Utc::now()).await.is_err());
    assert_wiped(&rig, &app, "accountGone");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_session_asks_to_sign_in_again_and_keeps_the_cache_for_the_same_member() {
    let rig = Rig::start(60).await;
    let app = signed_in(&rig).await;
    let before = app.mail.folders().expect("folders").len();
    rig.sim.revoke_all_grants();
    // The access token is refused, the refresh token too (AADSTS50173): sign in again.
    let _ = app.updates.sync_now(chrono::Utc::now()).await;
    assert!(!app.account.signed_in().await, "the session ended");
    assert!(rig.keystore().get(SecretName::RefreshToken).expect("keyring").is_none(), "the refused token is gone");
    assert!(matches!(app.mail.folders(), Err(AppCoreError::SignedOut)), "nothing shows until sign-in");
    assert!(rig.dir.path().join("vault.db").exists(), "but the cache is kept, still sealed");
    let account = serde_json::to_value(app.account.status().await.expect("status")).expect("json");
    assert!(account["problem"].as_str().is_some_and(|p| !p.is_empty()), "the sign-in screen says why: {account}");

    app.account.sign_in(ReturnPath::Loopback, browser).await.expect("the same member signs in again");
    assert_eq!(app.mail.folders().expect("folders").len(), before, "the kept cache reads at once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_councils_wipe_request_for_this_device_wipes_it_and_is_marked_done() {
    let rig = Rig::start(40).await;
    let app = signed_in(&rig).await;
    let code = app.protection.settings().expect("settings").device_code;
    assert!(code.len() == 9 && code.as_bytes()[4] == b'-', "a code ICT can read out, as XXXX-XXXX: {code}");
    rig.sim.request_device_wipe("ZZZZ-ZZZZ");
    app.updates.sync_now(chrono::Utc::now()).await.expect("another device's request changes nothing here");
    assert!(app.mail.folders().is_ok());

    // With consent to usage reports, the cycle to date goes before the wipe.
    let consent = app.trial.set_consent(false, true, chrono::Utc::now()).expect("consent");
    rig.sim.request_device_wipe(&code);
    assert!(app.updates.sync_now(chrono::Utc::now()).await.is_err(), "the update ends in the wipe");
    assert_wiped(&rig, &app, "councilRequest");
    let usage = rig.sim.list_items("UsageReports");
    assert!(
        usage.iter().any(|i| i.fields["MemberCode"] == consent.member_code.as_str() && i.fields["Partial"] == true),
        "the cycle to date was sent before the wipe: {usage:?}"
    );
    let requests = rig.sim.list_items("DeviceWipeRequests");
    let ours: Vec<_> = requests.iter().filter(|i| i.fields["DeviceCode"] == code.as_str()).collect();
    assert_eq!(ours.len(), 1);
    assert_eq!(ours[0].fields["Status"], "Done", "ICT sees it happened: {:?}", ours[0].fields);
    assert!(ours[0].fields["DoneAt"].as_str().is_some());
    let other = requests.iter().find(|i| i.fields["DeviceCode"] == "ZZZZ-ZZZZ").expect("the other request");
    assert_eq!(other.fields["Status"], "Requested", "another device's request is left alone");
    drop(app);
    // Set up again, the device has a new code: the old request can never match it again.
    let app = rig.open().await;
    assert_ne!(app.protection.settings().expect("settings").device_code, code);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offline_past_the_grace_period_holds_the_cache_back_and_then_wipes_and_setting_the_clock_back_gives_no_time() {
    let rig = Rig::start(40).await;
    let app = signed_in(&rig).await;
    let contact = chrono::Utc::now();
    let unlock_at = |hours: i64| {
        let app = app.clone();
        async move {
            let at = contact + chrono::Duration::hours(hours);
            app.protection.lock(at).await;
            serde_json::to_value(app.protection.unlock(PIN, at).await.expect("unlock")).expect("json")
        }
    };
    assert_eq!(unlock_at(11).await["state"], "unlocked", "within the council's 12 hours");
    let held = unlock_at(13).await;
    assert_eq!(held["state"], "reachCouncil", "{held}");
    assert_eq!(held["offlineHours"], 13, "{held}");
    assert_eq!(held["wipeInDays"], 89, "{held}");
    assert!(matches!(app.mail.folders(), Err(AppCoreError::ReachCouncil)));
    // Setting the clock back does not hand the time back.
    assert_eq!(unlock_at(2).await["state"], "reachCouncil");

    // Reaching the council opens it again.
    let (sync, _) = app.updates.sync_now(contact + chrono::Duration::hours(14)).await.expect("sync");
    assert!(sync.last_error.is_none(), "{:?}", sync.last_error);
    assert_eq!(status(&app, contact + chrono::Duration::hours(14))["state"], "unlocked");
    assert!(app.mail.folders().is_ok());

    // Past the wipe period, the next unlock wipes.
    let after = unlock_at(14 + 24 * 91).await;
    assert_eq!(after["state"], "choosePin", "{after}");
    assert_wiped(&rig, &app, "offlineTooLong");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_keyring_that_lost_the_pins_secret_wipes_the_unopenable_cache_and_says_so() {
    let rig = Rig::start(30).await;
    drop(signed_in(&rig).await);
    // As a Linux restart without a Secret Service leaves it.
    rig.keystore().delete(SecretName::PinSecret).expect("delete");
    let app = rig.start_core(None);
    let answer =
        serde_json::to_value(app.protection.unlock(PIN, chrono::Utc::now()).await.expect("answer")).expect("json");
    assert_eq!(answer["state"], "choosePin", "{answer}");
    assert_wiped(&rig, &app, "keyLost");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_start_that_cannot_reach_the_keyring_the_pins_secret_was_kept_in_refuses_to_unlock_and_removes_nothing() {
    let rig = Rig::start(30).await;
    drop(signed_in(&rig).await);
    let kind = rig.dir.path().join("keyring-kind");
    assert_eq!(std::fs::read_to_string(&kind).expect("the kind is noted"), "until-restart", "no Secret Service here");
    // As a desktop leaves it when the PIN was chosen with its Secret Service answering, and this
    // start found the keyring locked or refusing, so the kernel keyring stood in without the
    // secret. (The rig's keyring is the kernel's: the secret is taken out and put back.)
    std::fs::write(&kind, "persistent").expect("the kind");
    let ks = rig.keystore();
    let secret = ks.get(SecretName::PinSecret).expect("keyring").expect("the secret");
    ks.delete(SecretName::PinSecret).expect("delete");
    let before = left_in(&rig);

    let app = rig.start_core(None);
    let refused = app.protection.unlock(PIN, chrono::Utc::now()).await.expect_err("refused");
    assert!(matches!(refused, AppCoreError::KeyringAway), "{refused:?}");
    assert!(refused.to_string().contains("Nothing has been removed"), "{refused}");
    assert_eq!(left_in(&rig), before, "the cache and its sealed key are kept");
    assert_eq!(status(&app, chrono::Utc::now())["state"], "locked", "still locked, not choosing a PIN");
    drop(app);

    // The next start reaches the keyring again: the same PIN opens the same cache.
    ks.set(SecretName::PinSecret, &secret).expect("the keyring is back");
    let app = rig.start_core(None);
    let opened =
        serde_json::to_value(app.protection.unlock(PIN, chrono::Utc::now()).await.expect("unlocked")).expect("json");
    assert_eq!(opened["state"], "unlocked", "{opened}");
    assert!(!app.mail.folders().expect("the folders").is_empty(), "the cache kept its mail");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_set_up_never_resumes_a_session_an_earlier_install_left_in_the_keyring() {
    let rig = Rig::start(20).await;
    rig.keystore().set(SecretName::RefreshToken, b"an earlier install's refresh token").expect("set");
    let app = rig.open().await;
    assert!(!app.account.signed_in().await);
    assert!(rig.keystore().get(SecretName::RefreshToken).expect("keyring").is_none(), "it was cleared");
}
