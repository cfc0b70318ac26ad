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
async fn the_demo_app_opens_on_the_members_inbox() {
    let member = demo_member().await;
    let app = AppSession::launch(&[("COMPANION_DEMO_MESSAGES", "400")]).await;
    app.check("the_demo_app_opens_on_the_members_inbox", |client| async move {
        let name = wait_for(&client, ".member .name", 60).await;
        assert_eq!(name.text().await.expect("text"), member);
        let messages = client.find_all(Locator::Css("li.message")).await.expect("list");
        assert!(!messages.is_empty(), "the inbox lists messages");
        let folders = client.find_all(Locator::Css("ul li")).await.expect("folders");
        assert!(folders.len() >= 6, "the folder list is shown");
        let title = client.title().await.expect("title");
        assert_eq!(title, "Member Companion");
    })
    .await;
}
