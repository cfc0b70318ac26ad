//! The built app, in its real webview, on the demo council.

use crate::driver::{wait_for, AppSession};
use fantoccini::Locator;
use companion_graph_sim::{GraphSim, SimConfig};

/// The demo member's name: the app's tenant uses the default seed.
async fn demo_member() -> String {
    let sim = GraphSim::start(SimConfig::default().with_messages(5)).await.expect("simulator");
    let name = sim.credentials().member_name;
    sim.shutdown().await;
    name
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_sign_in_opens_the_members_synced_inbox_and_a_message_shows_its_body() {
    let member = demo_member().await;
    let app = AppSession::launch(&[("COMPANION_DEMO_MESSAGES", "400")]).await;
    app.check("the_demo_sign_in_opens_the_members_synced_inbox_and_a_message_shows_its_body", |client| async move {
        let sign_in = wait_for(&client, ".sign-in button.primary", 60).await;
        sign_in.click().await.expect("click sign in");
        let name = wait_for(&client, ".member .name", 60).await;
        assert_eq!(name.text().await.expect("text"), member);
        let first = wait_for(&client, "li[data-row] button.row", 90).await;
        let rows = client.find_all(Locator::Css("li[data-row]")).await.expect("list");
        assert!(rows.len() > 3, "the inbox lists the synced messages");
        assert!(rows.len() < 100, "the list is virtualised: {} rows drawn", rows.len());
        first.click().await.expect("open message");
        let frame = wait_for(&client, "iframe[title='Message body']", 60).await;
        let sandbox = frame.attr("sandbox").await.expect("attr").unwrap_or_default();
        assert!(!sandbox.contains("allow-scripts"), "the body frame runs no script: {sandbox}");
        let srcdoc = frame.attr("srcdoc").await.expect("attr").unwrap_or_default();
        assert!(srcdoc.contains("<p") && !srcdoc.to_lowercase().contains("<script"), "the sanitised body is shown");
        let title = client.title().await.expect("title");
        assert_eq!(title, "Member Companion");
    })
    .await;
}
