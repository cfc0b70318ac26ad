//! The trial's usage reports over a member's whole trial, on the simulator's timeline.

use super::{browser, Rig, PIN};
use companion_app::{Companion, ReturnPath};
use companion_graph_sim::{SimConfig, TimelineProfile};
use std::sync::Arc;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_four_month_trial_sends_one_usage_report_per_billing_cycle_even_for_a_month_the_app_was_not_opened() {
    // A quiet mailbox: the test is about the months, not the mail.
    let quiet = TimelineProfile {
        messages_per_day: 4.0,
        agenda_packs_per_week: 0.0,
        invitations_per_week: 0.5,
        ..TimelineProfile::typical()
    };
    let mut config = SimConfig::default().with_messages(40).with_events(20).with_contacts(10).with_directory(20);
    config.timeline = quiet;
    config.access_token_lifetime = chrono::Duration::days(200);
    let rig = Rig::start_with(config).await;
    // The council's contracts start on the 15th: billing cycles, not calendar months.
    let policy = rig.dir.path().join("allowance.toml");
    std::fs::write(&policy, "cap-mb = 1024\ncycle-start-day = 15\noverage-charge-pence = 5000\n").expect("policy");
    let mut app_config = rig.config();
    app_config.allowance_policy = Some(policy);
    let app = Arc::new(Companion::open_managed(app_config, rig.dir.path(), false, None).expect("core"));
    app.protection.choose_pin(PIN, chrono::Utc::now()).await.expect("PIN");
    app.account.sign_in(ReturnPath::Loopback, browser).await.expect("sign-in");

    // Enrolled on 20 October 2026 (the simulator's start): the trial runs to 19 February.
    let start = rig.sim.now();
    let consent = app.trial.set_consent(false, true, start).expect("consent");
    let day = |n: i64| start + chrono::Duration::days(n);
    app.updates.sync_now(start).await.expect("first update");
    // In the first cycle the phone's own figure, typed in by the member, is over the 1 GB cap.
    rig.sim.advance(chrono::Duration::days(10));
    app.data.set_device_usage(Some(1_200 * 1024 * 1024), day(10)).expect("the phone's figure");
    // Counted uses follow the simulator's months when the app is given its clock.
    app.set_clock(rig.sim.clock());
    app.link_to_open("tel:+441632960123").expect("a call from a contact");
    // The screen says it is shown with large text and less motion; a size no phone offers is
    // refused, not counted.
    let display = |text_percent| companion_app::views::DisplaySettings {
        text_percent,
        reduced_motion: true,
        more_contrast: false,
        forced_colours: false,
    };
    app.trial.note_display(display(150)).expect("display settings");
    assert!(app.trial.note_display(display(4_000)).is_err(), "40 times the text is not a setting");
    // Weekly updates, but none from 10 December to 20 January: the cycle from 15 December
    // goes by with the app closed.
    let mut n = 10;
    while n < 112 {
        n += 7;
        rig.sim.advance(chrono::Duration::days(7));
        if (51..=92).contains(&n) {
            continue;
        }
        app.updates.sync_now(day(n)).await.expect("weekly update");
    }
    // 12 February: the member signs out; the cycle to date goes with it.
    assert_eq!(n, 115);
    let before_sign_out = rig.sim.list_items("UsageReports").len();
    app.account.sign_out_at(day(n)).await.expect("sign-out");

    let items = rig.sim.list_items("UsageReports");
    assert_eq!(items.len(), before_sign_out + 1, "sign-out sent the last cycle");
    let mut cycles: Vec<(String, bool, bool, u64)> = items
        .iter()
        .map(|i| {
            let f = &i.fields;
            assert_eq!(f["MemberCode"], consent.member_code.as_str());
            (
                f["CycleStart"].as_str().unwrap_or_default().to_owned(),
                f["Partial"].as_bool().unwrap_or_default(),
                f["OverCap"].as_bool().unwrap_or_default(),
                f["OverageChargePence"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    cycles.sort();
    assert_eq!(
        cycles,
        [
            ("2026-10-15".to_owned(), false, true, 5_000),
            ("2026-11-15".to_owned(), false, false, 0),
            ("2026-12-15".to_owned(), false, false, 0),
            ("2027-01-15".to_owned(), true, false, 0),
        ],
        "one report per cycle, none twice, the closed month's sent later: {items:#?}"
    );
    let first = items.iter().find(|i| i.fields["CycleStart"] == "2026-10-15").expect("the first cycle");
    assert_eq!(first.fields["CapBasis"], "Phone");
    assert_eq!(first.fields["CallsStarted"], 1, "the call is in the cycle it was made in");
    assert_eq!(first.fields["CycleEnd"], "2026-11-14");
    assert_eq!((&first.fields["TextSizePercent"], &first.fields["ReducedMotion"]), (&150.into(), &true.into()));
    let closed = items.iter().find(|i| i.fields["CycleStart"] == "2026-12-15").expect("the closed cycle");
    assert!(closed.fields["TextSizePercent"].is_null(), "the app saw no settings in a cycle it was not opened");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_the_trial_the_first_update_sends_every_cycle_not_yet_sent_and_the_last_one_to_the_trials_end() {
    let rig = Rig::start(30).await;
    let app = rig.open().await;
    app.account.sign_in(ReturnPath::Loopback, browser).await.expect("sign-in");
    let now = rig.sim.now();
    // Enrolled 130 days ago (12 June 2026, cycles from the 1st): the trial ended on 11 October.
    let consent = app.trial.set_consent(false, true, now - chrono::Duration::days(130)).expect("consent");
    app.updates.sync_now(now).await.expect("update");
    app.updates.sync_now(now).await.expect("and again");
    let mut cycles: Vec<(String, String, bool)> = rig
        .sim
        .list_items("UsageReports")
        .iter()
        .map(|i| {
            assert_eq!(i.fields["MemberCode"], consent.member_code.as_str());
            (
                i.fields["CycleStart"].as_str().unwrap_or_default().to_owned(),
                i.fields["CycleEnd"].as_str().unwrap_or_default().to_owned(),
                i.fields["Partial"].as_bool().unwrap_or_default(),
            )
        })
        .collect();
    cycles.sort();
    let expected: Vec<(String, String, bool)> = [
        ("2026-06-01", "2026-06-30", false),
        ("2026-07-01", "2026-07-31", false),
        ("2026-08-01", "2026-08-31", false),
        ("2026-09-01", "2026-09-30", false),
        ("2026-10-01", "2026-10-31", true),
    ]
    .iter()
    .map(|(a, b, p)| ((*a).to_owned(), (*b).to_owned(), *p))
    .collect();
    assert_eq!(cycles, expected, "each once; the last to the trial's end; nothing after it");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_service_desks_answer_to_a_request_for_help_reaches_the_member_with_the_next_update() {
    let rig = Rig::start(30).await;
    let app = rig.open().await;
    app.account.sign_in(ReturnPath::Loopback, browser).await.expect("sign-in");
    let now = rig.sim.now();
    app.trial.set_consent(false, false, now).expect("consent");
    let id = app
        .trial
        .send_help(companion_app::views::HelpCategory::SignIn, "It asks me to sign in every morning.", now)
        .await
        .expect("help");
    let mine = app.trial.help_requests().expect("requests");
    assert_eq!((mine.len(), mine[0].waiting, mine[0].status.as_str()), (1, true, "Waiting to send"));
    app.updates.sync_now(now).await.expect("update delivers it");
    let item = rig.sim.list_items("SupportRequests").into_iter().find(|i| i.fields["RequestId"] == id.as_str());
    let item = item.expect("in the list");
    assert_eq!(item.fields["Status"], "New");
    assert_eq!(app.trial.help_requests().expect("requests")[0].status, "Sent to the service desk");

    // The desk works on it in the list itself.
    let token = super::officer_token(&rig.sim).await;
    let url =
        format!("{}/sites/{}/lists/SupportRequests/items/{}/fields", rig.sim.graph_url(), rig.sim.site_id(), item.id);
    let answered = reqwest::Client::new()
        .patch(url)
        .bearer_auth(token)
        .json(&serde_json::json!({
            "Status": "Resolved", "ResolvedOn": "2026-10-21T00:00:00Z", "MinutesSpent": 25, "Complexity": "Moderate",
            "Answer": "Your phone's clock was wrong; we have set it to update itself."
        }))
        .send()
        .await
        .expect("patch");
    assert!(answered.status().is_success(), "{answered:?}");
    app.updates.sync_now(now).await.expect("update");
    let mine = app.trial.help_requests().expect("requests");
    assert_eq!(mine[0].status, "Resolved");
    assert_eq!(mine[0].resolved_on.as_deref(), Some("2026-10-21"));
    assert!(mine[0].answer.as_deref().is_some_and(|a| a.contains("clock")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_survey_the_officers_publish_is_offered_after_an_update_and_offline_and_a_broken_one_never_is() {
    let rig = Rig::start(30).await;
    let app = rig.open().await;
    app.account.sign_in(ReturnPath::Loopback, browser).await.expect("sign-in");
    let now = rig.sim.now();
    app.trial.set_consent(true, true, now).expect("consent");
    // The officers publish a new pulse (a question reworded) and an exit survey with a mistake.
    let token = super::officer_token(&rig.sim).await;
    let items = format!("{}/sites/{}/lists/TrialSurveys/items", rig.sim.graph_url(), rig.sim.site_id());
    let pulse = include_str!("../../../evidence/surveys/monthly-pulse.toml")
        .replacen("version = 3", "version = 4", 1)
        .replace("Did signing in give you trouble this month?", "Was signing in a problem this month?");
    let exit = include_str!("../../../evidence/surveys/exit.toml")
        .replacen("version = 3", "version = 4", 1)
        .replace("required = true", "required = yes");
    for (id, version, text) in [("monthly-pulse", 4, pulse), ("exit", 4, exit)] {
        let made = reqwest::Client::new()
            .post(&items)
            .bearer_auth(&token)
            .json(&serde_json::json!({"fields": {"SurveyId": id, "SurveyVersion": version, "Published": true, "Definition": text}}))
            .send()
            .await
            .expect("published");
        assert_eq!(made.status(), reqwest::StatusCode::CREATED);
    }
    let shipped_exit = app.trial.survey_open("exit", now).expect("exit").questions.len();
    app.updates.sync_now(now).await.expect("update");

    let pulse = app.trial.survey_open("monthly-pulse", now).expect("pulse");
    assert!(pulse.questions.iter().any(|q| q.text == "Was signing in a problem this month?"), "the site's version");
    assert_eq!(
        app.trial.survey_open("exit", now).expect("exit").questions.len(),
        shipped_exit,
        "the shipped exit stays"
    );
    let problems = rig.sim.list_items("SurveyProblems");
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(problems[0].fields["Problem"].as_str().is_some_and(|p| p.contains("not valid")), "{problems:#?}");

    // Offline after a restart: still the site's pulse, from the vault.
    drop(app);
    rig.sim.set_faults(companion_graph_sim::FaultPlan::only(1, 1.0, &[companion_graph_sim::FaultKind::Unavailable]));
    let app = rig.open().await;
    let pulse = app.trial.survey_open("monthly-pulse", now).expect("pulse");
    assert!(pulse.questions.iter().any(|q| q.text == "Was signing in a problem this month?"));
    app.updates.sync_now(now).await.expect("an update that fails is a status");
    assert_eq!(rig.sim.list_items("SurveyProblems").len(), 1, "reported once");
}
