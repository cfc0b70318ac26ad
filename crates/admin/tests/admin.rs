//! `provision` against the simulator's empty trial site, as ICT would run it.

use companion_admin::{sign_in, Admin, AdminConfig, AdminError, AdminTokens, AppGrant, Change};
use companion_evidence::trial_lists;
use companion_graph_sim::{GraphSim, Principal, SimConfig};
use std::io::BufRead as _;

async fn sim() -> GraphSim {
    GraphSim::start(SimConfig::default().with_messages(50).with_events(10).with_contacts(5)).await.expect("simulator")
}

fn config(sim: &GraphSim) -> AdminConfig {
    let c = sim.credentials();
    AdminConfig { authority: c.authority, client_id: c.client_id, graph_url: sim.graph_url(), site: sim.site_address() }
}

/// Signs ICT in, approving the code at once as the person at the login page would.
async fn ict(sim: &GraphSim) -> AdminTokens {
    sign_in(&config(sim), "demoborough.sharepoint.com", |code, _| {
        assert!(sim.approve_device_code(code, Principal::Administrator), "the code is waiting");
    })
    .await
    .expect("ICT signs in")
}

fn grant(sim: &GraphSim) -> AppGrant {
    AppGrant { app_id: sim.credentials().client_id, display_name: "Member Companion".into() }
}

#[tokio::test]
async fn provisioning_an_empty_site_makes_every_list_and_running_it_again_changes_nothing() {
    let sim = sim().await;
    let admin = Admin::new(&sim.graph_url(), &ict(&sim).await).expect("admin");
    let site = admin.find_site(&sim.site_address()).await.expect("the trial site");
    assert_eq!(site.id, sim.site_id());
    let first = admin.provision(&site, Some(&grant(&sim))).await.expect("provision");
    let made: Vec<&Change> = first.changes.iter().filter(|c| matches!(c, Change::ListCreated { .. })).collect();
    assert_eq!(made.len(), trial_lists().len(), "{:#?}", first.changes);
    assert!(first.changes.iter().any(|c| matches!(c, Change::AppGranted { role, .. } if role == "write")));
    assert!(first.changes.contains(&Change::ItemPermissionsSet {
        list: "Usage reports".into(),
        access: companion_evidence::MemberAccess::OwnItems
    }));
    assert!(first.changes.iter().any(|c| matches!(c, Change::ViewAdded { view, .. } if view == "Cycles over the cap")));
    for change in &first.changes {
        assert!(!change.to_string().is_empty());
    }
    // Every column of the schema is on the site with its type, and the keys are indexed.
    for spec in trial_lists() {
        let items = sim.list_items(spec.name);
        assert!(items.is_empty(), "{} starts empty", spec.name);
    }
    let config = first.app_config();
    assert!(config.contains(&format!("trial-site-id = \"{}\"", sim.site_id())));
    assert!(config.contains("trial-answers-list = \"") && config.contains("device-wipe-list = \""), "{config}");

    let again = admin.provision(&site, Some(&grant(&sim))).await.expect("provision again");
    assert_eq!(again.changes, vec![], "the site already matches");
    assert_eq!(again.lists, first.lists, "the same lists, found by name");
}

#[tokio::test]
async fn a_column_of_another_type_is_reported_and_left_as_it_is() {
    let sim = sim().await;
    let tokens = ict(&sim).await;
    // An officer made the usage list by hand, with the member code as a number.
    let made = reqwest::Client::new()
        .post(format!("{}/sites/{}/lists", sim.graph_url(), sim.site_id()))
        .bearer_auth(tokens.graph.expose())
        .json(&serde_json::json!({"displayName": "UsageReports", "columns": [{"name": "MemberCode", "number": {}}]}))
        .send()
        .await
        .expect("made by hand");
    assert_eq!(made.status(), reqwest::StatusCode::CREATED);
    let admin = Admin::new(&sim.graph_url(), &tokens).expect("admin");
    let site = admin.find_site(&sim.site_address()).await.expect("site");
    let err = admin.provision(&site, None).await.expect_err("a conflicting column");
    assert!(
        matches!(&err, AdminError::ColumnConflict { list, column, found, .. } if list == "Usage reports" && column == "MemberCode" && found == "a number"),
        "{err}"
    );
    assert!(err.to_string().contains("rename or remove it"), "{err}");
}

#[tokio::test]
async fn a_member_cannot_provision_and_is_told_why() {
    let sim = sim().await;
    let tokens = sign_in(&config(&sim), "demoborough.sharepoint.com", |code, _| {
        assert!(sim.approve_device_code(code, Principal::Member));
    })
    .await
    .expect("the member signs in");
    let admin = Admin::new(&sim.graph_url(), &tokens).expect("admin");
    let site = admin.find_site(&sim.site_address()).await.expect("a member can see the site");
    let err = admin.provision(&site, None).await.expect_err("members do not own the site");
    assert!(err.to_string().contains("making the list"), "{err}");
    assert!(sim.list_items("MemberSurveys").is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_prints_the_code_then_what_it_changed_and_the_apps_configuration() {
    let sim = sim().await;
    let c = sim.credentials();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_member-companion-admin"))
        .args(["provision", "--authority", &c.authority, "--client-id", &c.client_id, "--site", &sim.site_address()])
        .args(["--graph-url", &sim.graph_url(), "--grant-app", &c.client_id])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the command starts");
    let stderr = child.stderr.take().expect("stderr");
    let line = tokio::task::spawn_blocking(move || {
        std::io::BufReader::new(stderr).lines().next().and_then(Result::ok).unwrap_or_default()
    })
    .await
    .expect("a line");
    let code = line.rsplit(' ').next().expect("the code ends the line");
    assert!(line.contains("/devicelogin"), "{line}");
    assert!(sim.approve_device_code(code, Principal::Administrator), "{line}");
    let out = tokio::task::spawn_blocking(move || child.wait_with_output()).await.expect("joined").expect("output");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.contains("- made the list “Member surveys”"), "{stdout}");
    assert!(stdout.contains("granted the app"), "{stdout}");
    assert!(stdout.contains(&format!("trial-site-id = \"{}\"", sim.site_id())), "{stdout}");
    assert_eq!(sim.list_items("UsageReports").len(), 0);
}
