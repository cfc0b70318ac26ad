//! `fetch` against the simulator: the trial's lists, provisioned and holding a member's
//! items, read by an officer into CSV files with no names in them.

use companion_graph_sim::{headless, GraphSim, Principal, SimConfig};
use companion_report::{fetch_lists, sign_in, ListsSource};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_officer_fetches_every_list_as_csv_with_codes_and_no_names() {
    let sim = GraphSim::start(SimConfig::default().with_messages(10)).await.expect("simulator");
    let c = sim.credentials();
    let admin = companion_admin::AdminConfig {
        authority: c.authority.clone(),
        client_id: c.client_id.clone(),
        graph_url: sim.graph_url(),
        site: sim.site_address(),
    };
    let grant = companion_admin::AppGrant { app_id: c.client_id.clone(), display_name: "Member Companion".into() };
    companion_admin::run_provision(&admin, Some(&grant), |code, _| {
        sim.approve_device_code(code, Principal::Administrator);
    })
    .await
    .expect("provisioned");
    // A member's app adds 205 usage reports (more than a page) under their own account.
    let member = headless::sign_in(&c.authority, &c.client_id, &c.scopes).await.expect("member");
    let client = reqwest::Client::new();
    let items = format!("{}/sites/{}/lists/UsageReports/items", sim.graph_url(), sim.site_id());
    for n in 0..205 {
        let fields = json!({"fields": {"ReportId": format!("M-AAAA-{n}"), "MemberCode": "M-AAAA", "AppMobileBytes": n * 1000, "OverCap": n == 3}});
        let made = client.post(&items).bearer_auth(&member.access_token).json(&fields).send().await.expect("post");
        assert_eq!(made.status(), reqwest::StatusCode::CREATED);
    }

    let source = ListsSource {
        authority: c.authority.clone(),
        client_id: c.client_id.clone(),
        graph_url: sim.graph_url(),
        site: sim.site_address(),
    };
    let token = sign_in(&source, |code, _| {
        sim.approve_device_code(code, Principal::Administrator);
    })
    .await
    .expect("the officer signs in");
    let out = tempfile::tempdir().expect("dir");
    let fetched = fetch_lists(&source, &token, out.path()).await.expect("fetched");
    assert_eq!(fetched.len(), companion_evidence::trial_lists().len());
    assert!(fetched.contains(&("UsageReports".to_owned(), 205)), "{fetched:?}");

    let usage = std::fs::read_to_string(out.path().join("UsageReports.csv")).expect("csv");
    let mut rows = csv::Reader::from_reader(usage.as_bytes());
    let header = rows.headers().expect("header").clone();
    assert_eq!(header.iter().take(5).collect::<Vec<_>>(), ["ID", "Title", "Created", "ReportId", "MemberCode"]);
    let records: Vec<csv::StringRecord> = rows.records().map(|r| r.expect("row")).collect();
    assert_eq!(records.len(), 205);
    let at = |name: &str| header.iter().position(|h| h == name).expect(name);
    assert_eq!(
        (&records[3][at("ReportId")], &records[3][at("OverCap")], &records[3][at("AppMobileBytes")]),
        ("M-AAAA-3", "true", "3000")
    );
    for file in std::fs::read_dir(out.path()).expect("dir") {
        let text = std::fs::read_to_string(file.expect("file").path()).expect("read");
        assert!(!text.contains(&c.member_name) && !text.contains(&c.member_mail), "no names in {text}");
    }
}
