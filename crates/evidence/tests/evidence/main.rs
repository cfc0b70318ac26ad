//! Trial evidence against the Graph simulator: answers kept through a restart, delivered into
//! the SharePoint list exactly once through lost connections and a restart.

use chrono::Utc;
use companion_evidence::*;
use companion_graph::*;
use companion_graph_sim::{headless, FaultKind, FaultPlan, GraphSim, SimConfig};
use companion_vault::{Vault, VaultKey};
use std::sync::Arc;

struct Rig {
    sim: GraphSim,
    graph: Arc<GraphClient>,
    dir: tempfile::TempDir,
    key: VaultKey,
}

impl Rig {
    async fn start() -> Rig {
        Self::start_granting(true).await
    }

    /// The site provisioned; the app granted it (`Sites.Selected`) only when `grant`.
    async fn start_granting(grant: bool) -> Rig {
        let mut config = SimConfig::default().with_messages(20);
        config.access_token_lifetime = chrono::Duration::days(60);
        let sim = GraphSim::start(config).await.expect("simulator");
        let c = sim.credentials();
        // The site as ICT leaves it: `member-companion-admin provision` run against it.
        let admin = companion_admin::AdminConfig {
            authority: c.authority.clone(),
            client_id: c.client_id.clone(),
            graph_url: sim.graph_url(),
            site: sim.site_address(),
        };
        let app = companion_admin::AppGrant { app_id: c.client_id.clone(), display_name: "Member Companion".into() };
        companion_admin::run_provision(&admin, grant.then_some(&app), |code, _| {
            sim.approve_device_code(code, companion_graph_sim::Principal::Administrator);
        })
        .await
        .expect("provisioned");
        let tokens = headless::sign_in(&c.authority, &c.client_id, &c.scopes).await.expect("sign-in");
        let graph = Arc::new(
            GraphClient::new(
                &sim.graph_url(),
                Arc::new(StaticToken(Secret::new(tokens.access_token))),
                Arc::new(NoMeter),
                Arc::new(FixedNetwork(Network::Mobile)),
            )
            .expect("client"),
        );
        Rig { sim, graph, dir: tempfile::tempdir().expect("dir"), key: VaultKey::generate() }
    }

    /// The app's store as a fresh start finds it (the vault reopened from its file).
    fn open_store(&self) -> EvidenceStore {
        let (vault, _) = Vault::open(self.dir.path(), &self.key).expect("vault");
        EvidenceStore::new(Arc::new(vault))
    }

    fn delivery(&self) -> ListDelivery {
        let lists = TrialLists {
            site_id: self.sim.site_id(),
            surveys: "MemberSurveys".into(),
            answers: "SurveyAnswers".into(),
            definitions: "TrialSurveys".into(),
            problems: "SurveyProblems".into(),
            support: "SupportRequests".into(),
            usage: "UsageReports".into(),
        };
        ListDelivery::new(self.graph.clone(), lists, "M-7F3K")
    }
}

fn pulse() -> SurveyDefinition {
    trial_surveys().into_iter().find(|s| s.id == "monthly-pulse").expect("the pulse ships")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_survey_answered_offline_and_resumed_after_a_restart_reaches_the_list_exactly_once() {
    let rig = Rig::start().await;
    let survey = pulse();
    let now = Utc::now();

    // Offline, on the train: the member starts the pulse, answers one question; the app is killed.
    let started_id = {
        let store = rig.open_store();
        let mut r = SurveyResponse::start(&survey, now);
        r.answer(&survey, "recommend", Some(Answer::Score(4))).expect("answer");
        store.save(&r).expect("saved as they go");
        r.response_id
    };
    // Restarted: the survey resumes where it stopped, with the follow-up a low score asks.
    let store = rig.open_store();
    let mut r = store.unfinished("monthly-pulse").expect("read").expect("the unfinished survey is still there");
    assert_eq!(r.response_id, started_id);
    assert_eq!(r.next(&survey).map(|q| q.id.as_str()), Some("improve"));
    r.answer(&survey, "improve", Some(Answer::Choice("A bigger screen for agenda packs".into()))).expect("answer");
    r.answer(&survey, "used-for", Some(Answer::Choices(vec!["Email".into(), "Calendar".into()]))).expect("answer");
    r.answer(&survey, "easy", Some(Answer::Choice("Agree".into()))).expect("answer");
    r.submit(&survey, now).expect("sent");
    store.save(&r).expect("saved");
    // Two more responses waiting too.
    let mut others = vec![];
    for score in [8, 10] {
        let mut o = SurveyResponse::start(&survey, now);
        o.answer(&survey, "recommend", Some(Answer::Score(score))).expect("answer");
        o.answer(&survey, "used-for", Some(Answer::Choices(vec!["Email".into()]))).expect("answer");
        o.answer(&survey, "easy", Some(Answer::Choice("Strongly agree".into()))).expect("answer");
        o.submit(&survey, now).expect("sent");
        store.save(&o).expect("saved");
        others.push(o.response_id);
    }
    drop(store);

    // Back online, on a weak signal: connections drop, half of them after the list took the item.
    rig.sim.set_faults(FaultPlan::only(11, 0.6, &[FaultKind::ConnectionReset]));
    let delivery = rig.delivery();
    let mut passes = 0;
    loop {
        let store = rig.open_store(); // a restart before every pass
        let _ = delivery.deliver(&store, std::slice::from_ref(&survey)).await;
        passes += 1;
        if store.undelivered().expect("read").is_empty() || passes > 40 {
            break;
        }
    }
    rig.sim.set_faults(FaultPlan::none());
    let store = rig.open_store();
    assert!(store.undelivered().expect("read").is_empty(), "everything was delivered in {passes} passes");
    assert_eq!(
        delivery.deliver(&store, std::slice::from_ref(&survey)).await.expect("pass"),
        0,
        "nothing is sent twice"
    );
    assert!(rig.sim.stats().resets > 0, "connections really were dropped");

    let items = rig.sim.list_items("MemberSurveys");
    for id in std::iter::once(&started_id).chain(&others) {
        assert_eq!(
            items.iter().filter(|i| i.fields.get("ResponseId").and_then(|v| v.as_str()) == Some(id.as_str())).count(),
            1,
            "exactly one item for {id}: {items:#?}"
        );
    }
    assert_eq!(items.len(), 3);
    let first = items
        .iter()
        .find(|i| i.fields.get("ResponseId").and_then(|v| v.as_str()) == Some(started_id.as_str()))
        .expect("item");
    assert_eq!(
        first.fields.get("MemberCode").and_then(|v| v.as_str()),
        Some("M-7F3K"),
        "a pseudonymous code, not a name"
    );
    assert_eq!(first.fields["QuestionsAnswered"], 4);
    // One typed item per answer, each once, for an officer to filter and chart by question.
    let answers = rig.sim.list_items("SurveyAnswers");
    let answer = |question: &str| {
        let found: Vec<_> = answers
            .iter()
            .filter(|a| a.fields["ResponseId"] == started_id.as_str() && a.fields["QuestionId"] == question)
            .collect();
        assert_eq!(found.len(), 1, "one item for {question}");
        found[0].fields.clone()
    };
    assert_eq!(answer("recommend")["Score"], 4);
    assert_eq!(answer("improve")["AnswerText"], "A bigger screen for agenda packs");
    assert_eq!(answer("used-for")["Choices"], "Email\nCalendar");
    assert_eq!(answer("easy")["Choice"], "Agree");
    assert_eq!(answer("easy")["Score"], 4, "its place on the five-point scale");
    assert_eq!(answers.len(), 4 + 3 + 3);
    assert!(store.is_delivered(&started_id).expect("read"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_a_captive_portal_swallowed_is_not_counted_as_delivered_and_goes_later_once() {
    let rig = Rig::start().await;
    let survey = pulse();
    let now = Utc::now();
    let store = rig.open_store();
    let mut ids = vec![];
    for score in [3, 9, 6, 10, 7, 8] {
        let mut r = SurveyResponse::start(&survey, now);
        r.answer(&survey, "recommend", Some(Answer::Score(score))).expect("answer");
        r.answer(&survey, "improve", Some(Answer::Choice("Longer battery life".into()))).ok();
        r.answer(&survey, "used-for", Some(Answer::Choices(vec!["Email".into()]))).expect("answer");
        r.answer(&survey, "easy", Some(Answer::Choice("Agree".into()))).expect("answer");
        r.submit(&survey, now).expect("sent");
        store.save(&r).expect("saved");
        ids.push(r.response_id);
    }
    // Hotel Wi-Fi: every item created meets a 200 page that is not SharePoint's (half of them
    // after the list took the item, half passing nothing on); the checks get through.
    rig.sim.set_faults(FaultPlan::only(5, 1.0, &[FaultKind::MalformedJson]).on_method("POST"));
    let delivery = rig.delivery();
    for _ in 0..4 {
        let _ = delivery.deliver(&store, std::slice::from_ref(&survey)).await;
    }
    assert!(rig.sim.stats().malformed >= 2, "{:?}", rig.sim.stats());
    let in_list = |id: &str| {
        rig.sim
            .list_items("MemberSurveys")
            .iter()
            .filter(|i| i.fields.get("ResponseId").and_then(|v| v.as_str()) == Some(id))
            .count()
    };
    // Counted as delivered only when the list has it (one that landed but whose answer was
    // cut is found by the next pass's check).
    for id in &ids {
        if store.is_delivered(id).expect("read") {
            assert_eq!(in_list(id), 1, "{id} is counted as delivered but the list does not have it");
        }
    }
    rig.sim.set_faults(FaultPlan::none());
    delivery.deliver(&store, std::slice::from_ref(&survey)).await.expect("a good connection");
    for id in &ids {
        assert!(store.is_delivered(id).expect("read"));
        assert_eq!(in_list(id), 1, "exactly one item for {id}");
    }
}

/// A Graph token for an officer who owns the trial site.
async fn officer(sim: &GraphSim) -> String {
    let c = sim.credentials();
    let config = companion_admin::AdminConfig {
        authority: c.authority,
        client_id: c.client_id,
        graph_url: sim.graph_url(),
        site: sim.site_address(),
    };
    let tokens = companion_admin::sign_in(&config, "demoborough.sharepoint.com", |code, _| {
        sim.approve_device_code(code, companion_graph_sim::Principal::Administrator);
    })
    .await
    .expect("the officer signs in");
    tokens.graph.expose().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_survey_published_on_the_trial_site_is_used_and_a_broken_one_is_refused_with_one_message_to_the_officers() {
    let rig = Rig::start().await;
    let token = officer(&rig.sim).await;
    let items = format!("{}/sites/{}/lists/TrialSurveys/items", rig.sim.graph_url(), rig.sim.site_id());
    let publish = |survey: &str, version: u32, text: String| {
        let (items, token) = (items.clone(), token.clone());
        let fields = serde_json::json!({"fields": {
            "Title": survey, "SurveyId": survey, "SurveyVersion": version, "Published": true, "Definition": text}});
        async move {
            let made = reqwest::Client::new().post(items).bearer_auth(token).json(&fields).send().await.expect("post");
            assert_eq!(made.status(), reqwest::StatusCode::CREATED);
        }
    };
    let pulse = include_str!("../../surveys/monthly-pulse.toml")
        .replacen("version = 3", "version = 9", 1)
        .replace("Did signing in give you trouble this month?", "Did signing in trouble you this month?");
    publish("monthly-pulse", 9, pulse).await;
    // A typo an officer could make: a kind the app does not know.
    let exit = include_str!("../../surveys/exit.toml").replacen("version = 3", "version = 9", 1).replacen(
        "kind = \"nps\"",
        "kind = \"stars\"",
        1,
    );
    publish("exit", 9, exit).await;

    // Members read the published surveys but cannot publish one.
    let member_publish = GraphRequest::with_json(
        Method::POST,
        format!("/sites/{}/lists/TrialSurveys/items", rig.sim.site_id()),
        serde_json::json!({"fields": {"SurveyId": "exit"}}),
        Feature::Evidence,
    );
    assert!(matches!(rig.graph.send(&member_publish).await, Err(GraphError::Refused { status: 403, .. })));

    let delivery = rig.delivery();
    let shipped = trial_surveys();
    let site = delivery.fetch_site_surveys(&shipped).await.expect("read");
    assert_eq!(site.accepted.len(), 1, "{:?}", site.refused);
    assert_eq!((site.accepted[0].definition.id.as_str(), site.accepted[0].definition.version), ("monthly-pulse", 9));
    assert_eq!(site.refused.len(), 1);
    assert!(site.refused[0].problem.contains("stars"), "{}", site.refused[0].problem);
    assert_eq!(delivery.report_refused(&site.refused).await.expect("reported"), 1);
    assert_eq!(delivery.report_refused(&site.refused).await.expect("reported"), 0, "once, whatever the retries");
    let problems = rig.sim.list_items("SurveyProblems");
    assert_eq!(problems.len(), 1);
    assert_eq!(
        (problems[0].fields["SurveyId"].as_str(), problems[0].fields["SurveyVersion"].as_u64()),
        (Some("exit"), Some(9))
    );

    // Kept on the device: after a restart, offline, the site's pulse is the one offered and
    // the broken exit survey is not (the shipped one stays).
    let store = rig.open_store();
    store
        .set_site_surveys(site.accepted.iter().map(|a| a.text.clone()).collect(), Utc::now().date_naive())
        .expect("kept");
    drop(store);
    let kept: Vec<SurveyDefinition> = rig
        .open_store()
        .site_surveys()
        .expect("read")
        .iter()
        .map(|t| SurveyDefinition::from_toml(t).expect("valid"))
        .collect();
    let offered = effective_surveys(&shipped, &kept);
    let pulse = offered.iter().find(|s| s.id == "monthly-pulse").expect("pulse");
    assert!(pulse.questions.iter().any(|q| q.text == "Did signing in trouble you this month?"));
    assert_eq!(offered.iter().find(|s| s.id == "exit").map(|s| s.version), Some(3), "the shipped exit survey stays");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_the_sites_grant_delivery_says_what_ict_must_do_and_loses_nothing() {
    let rig = Rig::start_granting(false).await;
    let survey = pulse();
    let store = rig.open_store();
    let mut r = SurveyResponse::start(&survey, Utc::now());
    r.answer(&survey, "recommend", Some(Answer::Score(9))).expect("answer");
    r.answer(&survey, "used-for", Some(Answer::Choices(vec!["Email".into()]))).expect("answer");
    r.answer(&survey, "easy", Some(Answer::Choice("Agree".into()))).expect("answer");
    r.submit(&survey, Utc::now()).expect("sent");
    store.save(&r).expect("saved");
    let err = rig.delivery().deliver(&store, std::slice::from_ref(&survey)).await.expect_err("refused");
    assert!(matches!(err, DeliveryError::SiteNotGranted), "{err:?}");
    assert!(err.to_string().contains("provision --grant-app"), "{err}");
    assert_eq!(store.undelivered().expect("read").len(), 1, "it waits on the phone");

    // ICT grants the site (provision again, with the grant): the same answers go, once.
    let c = rig.sim.credentials();
    let admin = companion_admin::AdminConfig {
        authority: c.authority.clone(),
        client_id: c.client_id.clone(),
        graph_url: rig.sim.graph_url(),
        site: rig.sim.site_address(),
    };
    let app = companion_admin::AppGrant { app_id: c.client_id, display_name: "Member Companion".into() };
    let done = companion_admin::run_provision(&admin, Some(&app), |code, _| {
        rig.sim.approve_device_code(code, companion_graph_sim::Principal::Administrator);
    })
    .await
    .expect("granted");
    assert_eq!(done.changes.len(), 1, "only the grant: {:?}", done.changes);
    assert_eq!(rig.delivery().deliver(&store, std::slice::from_ref(&survey)).await.expect("delivered"), 1);
    assert_eq!(rig.sim.list_items("MemberSurveys").len(), 1);
}
