//! The built app, in its real webview, on the demo council. The demo tenant runs inside the app;
//! each test picks its port to reach the simulator's test controls (`/_sim/...`).

use crate::driver::{free_port, wait_for, AppSession};
use companion_graph_sim::{GraphSim, SimConfig};
use fantoccini::{elements::Element, Client, Locator};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// The demo member's name: the app's tenant uses the default seed.
async fn demo_member() -> String {
    let sim = GraphSim::start(SimConfig::default().with_messages(5)).await.expect("simulator");
    let name = sim.credentials().member_name;
    sim.shutdown().await;
    name
}

/// The app on a demo tenant of `messages` messages, its simulator at the returned address.
async fn launch(messages: usize) -> (AppSession, String) {
    let port = free_port();
    let app = AppSession::launch(&[
        ("COMPANION_DEMO_MESSAGES", &messages.to_string()),
        ("COMPANION_DEMO_PORT", &port.to_string()),
        ("COMPANION_DEMO_PAPERS", "off"),
    ])
    .await;
    (app, format!("http://127.0.0.1:{port}"))
}

async fn sim_get(sim: &str, path: &str) -> Value {
    reqwest::get(format!("{sim}{path}")).await.expect("the simulator answers").json().await.expect("json")
}

async fn sim_post(sim: &str, path: &str, body: Value) -> Value {
    reqwest::Client::new()
        .post(format!("{sim}{path}"))
        .json(&body)
        .send()
        .await
        .expect("the simulator answers")
        .json()
        .await
        .expect("json")
}

/// Answers the first-run trial consent screen (taking part in surveys), if it is shown.
async fn consent(client: &Client) {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(30) {
        if let Ok(form) = client.find(Locator::Css("section.consent form")).await {
            let boxes = form.find_all(Locator::Css("input[type=checkbox]")).await.expect("choices");
            click(client, &boxes[0]).await;
            click(client, &form.find(Locator::Css("button[type=submit]")).await.expect("continue")).await;
            return;
        }
        if client.find(Locator::Css("nav.sections")).await.is_ok() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("neither the consent screen nor the app appeared");
}

/// The member's PIN in these tests.
const PIN: &str = "274916";

/// Types `pin` into every PIN box of the lock's screen `screen` and sends it.
async fn enter_pin(client: &Client, screen: &str, pin: &str) {
    let form = wait_for(client, &format!("section.{screen} form"), 60).await;
    for field in form.find_all(Locator::Css("input[type=password]")).await.expect("PIN boxes") {
        field.clear().await.expect("clear");
        field.send_keys(pin).await.expect("type the PIN");
    }
    click(client, &form.find(Locator::Css("button[type=submit]")).await.expect("the form's button")).await;
}

/// The first start: chooses the PIN.
async fn choose_pin(client: &Client) {
    enter_pin(client, "pin-setup", PIN).await;
}

/// Chooses the PIN, signs in through the demo's PKCE flow and waits for the synced inbox.
async fn sign_in(client: &Client) {
    choose_pin(client).await;
    wait_for(client, ".sign-in button.primary", 60).await.click().await.expect("click sign in");
    wait_for(client, ".member .name", 60).await;
    consent(client).await;
    wait_for(client, "li[data-row] button.row", 90).await;
    // The first update also fetches the newest bodies: let it finish, as a member on Wi-Fi would.
    idle(client).await;
}

/// Scrolls `element` to the middle of the window (clear of the navigation bar) and clicks it.
async fn click(client: &Client, element: &Element) {
    let arg = serde_json::to_value(element).expect("element");
    client.execute("arguments[0].scrollIntoView({block: 'center'})", vec![arg]).await.expect("scroll");
    element.click().await.expect("click");
}

/// Waits for the update under way to finish; returns the Refresh button.
async fn idle(client: &Client) -> Element {
    let start = Instant::now();
    loop {
        let button = wait_for(client, ".status-bar button.refresh", 10).await;
        if button.attr("aria-disabled").await.expect("attr").as_deref() != Some("true") {
            return button;
        }
        assert!(start.elapsed() < Duration::from_secs(120), "the update never finished");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// Asks for an update (the status bar's Refresh, once the update under way has finished).
async fn refresh(client: &Client) {
    let button = idle(client).await;
    click(client, &button).await;
}

/// Updates until a row whose text has `text` is listed.
async fn refresh_until_row(client: &Client, text: &str) -> Element {
    let start = Instant::now();
    loop {
        refresh(client).await;
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Some(e) = with_text(client, "li[data-row] button.row", text).await {
                return e;
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        assert!(start.elapsed() < Duration::from_secs(90), "no message “{text}” arrived");
    }
}

/// The first element matching `css` whose text contains `text`, if any. The text is read in
/// the page (`textContent`), which does not depend on the element being in view.
async fn with_text(client: &Client, css: &str, text: &str) -> Option<Element> {
    let script = "const [css, text] = arguments; return Array.from(document.querySelectorAll(css)).findIndex((e) => e.textContent.includes(text));";
    let index = client.execute(script, vec![json!(css), json!(text)]).await.ok()?.as_i64()?;
    let index = usize::try_from(index).ok()?;
    client.find_all(Locator::Css(css)).await.ok()?.into_iter().nth(index)
}

/// The first element matching `css` whose text contains `text`, waiting up to `secs`.
async fn find_with_text(client: &Client, css: &str, text: &str, secs: u64) -> Element {
    let start = Instant::now();
    loop {
        if let Some(e) = with_text(client, css, text).await {
            return e;
        }
        assert!(start.elapsed() < Duration::from_secs(secs), "no {css} with “{text}” appeared in {secs} s");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// Opens a section from the navigation (Mail, Calendar, Contacts, Search, Data).
async fn go_to(client: &Client, section: &str) {
    click(client, &find_with_text(client, "nav.sections button", section, 10).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_sign_in_opens_the_members_synced_inbox_and_a_message_shows_its_body() {
    let member = demo_member().await;
    let (app, _) = launch(400).await;
    app.check("the_demo_sign_in_opens_the_members_synced_inbox_and_a_message_shows_its_body", |client| async move {
        // The first start: a PIN before anything else.
        choose_pin(&client).await;
        let sign_in = wait_for(&client, ".sign-in button.primary", 60).await;
        sign_in.click().await.expect("click sign in");
        let name = wait_for(&client, ".member .name", 60).await;
        assert_eq!(name.text().await.expect("text"), member);
        // The first start asks about the trial before anything else.
        wait_for(&client, "section.consent form", 30).await;
        consent(&client).await;
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hostile_message_runs_no_script_and_loads_no_remote_image() {
    let (app, sim) = launch(200).await;
    app.check("a_hostile_message_runs_no_script_and_loads_no_remote_image", |client| async move {
        sign_in(&client).await;
        let pwn = "parent.document.title='pwned';document.title='pwned'";
        let html = format!(
            r#"<html><head><script>{pwn}</script><style>body{{background:url({sim}/_sim/assets/newsletter/hostile-css.png)}}</style></head>
<body onload="{pwn}"><p>Please see the figures below.</p>
<img src="{sim}/_sim/assets/newsletter/hostile-1.png" width="300" height="200" alt="Figures">
<img src="x" onerror="{pwn}"><svg onload="{pwn}"></svg>
<a href="javascript:{pwn}">Open the figures</a>
<iframe src="{sim}/_sim/assets/newsletter/hostile-frame.png"></iframe>
<div style="background:url({sim}/_sim/assets/newsletter/hostile-div.png)">Total</div></body></html>"#
        );
        sim_post(&sim, "/_sim/deliver", json!({"from_name": "Unknown Sender", "from_address": "figures@outside.example", "subject": "Quarterly figures", "html": html})).await;
        let row = refresh_until_row(&client, "Quarterly figures").await;
        click(&client, &row).await;
        let frame = wait_for(&client, "iframe[title='Message body']", 60).await;
        let srcdoc = frame.attr("srcdoc").await.expect("attr").unwrap_or_default().to_lowercase();
        assert!(srcdoc.contains("please see the figures"), "the message's text is shown: {srcdoc}");
        for bad in ["<script", "onload", "onerror", "javascript:", "<iframe", "hostile-", "url("] {
            assert!(!srcdoc.contains(bad), "{bad} reached the frame: {srcdoc}");
        }
        // Give anything that could run or load the time to do so.
        tokio::time::sleep(Duration::from_secs(2)).await;
        assert_eq!(client.title().await.expect("title"), "Member Companion", "no script ran");
        let stats = sim_get(&sim, "/_sim/stats").await;
        assert_eq!(stats["assetRequests"], 0, "no remote image was loaded: {stats}");
        let notice = find_with_text(&client, ".body .notice", "image", 10).await.text().await.expect("text");
        assert!(notice.contains("KB") || notice.contains("MB"), "the member is offered the images with their size: {notice}");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_finds_a_message_by_a_word_in_its_body() {
    let (app, sim) = launch(200).await;
    app.check("search_finds_a_message_by_a_word_in_its_body", |client| async move {
        sign_in(&client).await;
        let html = "<p>The drainage survey for the allotments mentions quokkaflume twice.</p>";
        sim_post(&sim, "/_sim/deliver", json!({"from_name": "Parks Team", "from_address": "parks@demoborough.example", "subject": "Allotment drainage", "html": html})).await;
        refresh_until_row(&client, "Allotment drainage").await;
        go_to(&client, "Search").await;
        let input = wait_for(&client, "form[role=search] input", 10).await;
        input.send_keys("quokkaflu").await.expect("type");
        let hit = find_with_text(&client, "button.hit", "Allotment drainage", 20).await;
        assert!(hit.attr("data-hit").await.expect("attr").is_some(), "a result the member can open");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_mail_notification_names_no_sender_or_subject_and_clicking_it_opens_the_message() {
    use companion_desktop_notices::fake::{click as click_notice, serve_notifications, PrivateBus};
    // The desktop's notification server, on a session bus of the test's own.
    let bus = PrivateBus::start().expect("dbus-daemon (package dbus-daemon) is installed");
    let (server, shown) = serve_notifications(&bus).await.expect("the fake notification server");
    let port = free_port();
    let app = AppSession::launch(&[
        ("COMPANION_DEMO_MESSAGES", "50"),
        ("COMPANION_DEMO_PORT", &port.to_string()),
        ("COMPANION_DEMO_PAPERS", "off"),
        ("DBUS_SESSION_BUS_ADDRESS", &bus.address),
    ])
    .await;
    let sim = format!("http://127.0.0.1:{port}");
    app.check("a_new_mail_notification_names_no_sender_or_subject_and_clicking_it_opens_the_message", |client| async move {
        sign_in(&client).await;
        sim_post(&sim, "/_sim/deliver", json!({"from_name": "Chief Executive's Office", "from_address": "ceo@demoborough.example", "subject": "Budget scrutiny: revised papers", "html": "<p>Revised papers attached.</p>"})).await;
        refresh_until_row(&client, "Budget scrutiny: revised papers").await;
        let start = Instant::now();
        let notice = loop {
            if let Some(notice) = shown.all().into_iter().find(|n| n.app_name == "Member Companion") {
                break notice;
            }
            assert!(start.elapsed() < Duration::from_secs(20), "no notification reached the desktop");
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        // Private by default: what the lock screen shows names neither sender nor subject.
        assert_eq!(notice.title, "New council email");
        for secret in ["Chief Executive", "ceo@", "Budget", "scrutiny"] {
            assert!(!notice.body.contains(secret) && !notice.title.contains(secret), "{secret} on the lock screen: {notice:?}");
        }
        assert_eq!(notice.actions, ["default", "Open"], "the notice can be clicked");
        // The member is elsewhere in the app when they click it.
        go_to(&client, "Calendar").await;
        click_notice(&server, notice.id).await.expect("clicked");
        find_with_text(&client, ".message-view h2, .message-view h3", "Budget scrutiny: revised papers", 20).await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn older_mail_is_found_on_the_server_with_its_cost_and_opens() {
    // About a hundred days of mail, of which the app keeps thirty.
    let (app, _sim) = launch(3_000).await;
    app.check("older_mail_is_found_on_the_server_with_its_cost_and_opens", |client| async move {
        sign_in(&client).await;
        go_to(&client, "Search").await;
        let input = wait_for(&client, "form[role=search] input", 10).await;
        input.send_keys("planning").await.expect("type");
        let ask = find_with_text(&client, "button", "Search older mail on the server", 20).await;
        click(&client, &ask).await;
        find_with_text(&client, ".search .server h3", "Older mail on the server (", 20).await;
        find_with_text(&client, ".search .server p", "This search used", 10).await;
        let hit = wait_for(&client, ".search .server button.hit", 10).await;
        let title = hit.find(Locator::Css(".title")).await.expect("title").text().await.expect("text");
        click(&client, &hit).await;
        let heading = find_with_text(&client, ".message-view h2, .message-view h3", &title, 20).await;
        assert!(!heading.text().await.unwrap_or_default().is_empty(), "the message found opens");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accepting_an_invitation_changes_its_state_on_the_simulator() {
    let (app, sim) = launch(200).await;
    app.check("accepting_an_invitation_changes_its_state_on_the_simulator", |client| async move {
        sign_in(&client).await;
        go_to(&client, "Calendar").await;
        wait_for(&client, "button.event[data-event-id]", 60).await;
        let open: Vec<String> = sim_get(&sim, "/_sim/events")
            .await
            .as_array()
            .expect("events")
            .iter()
            .filter(|e| e["response"] == "notResponded" && e["cancelled"] == false)
            .filter_map(|e| e["id"].as_str().map(str::to_owned))
            .collect();
        let mut chosen = None;
        for row in client.find_all(Locator::Css("button.event[data-event-id]")).await.expect("events") {
            let id = row.attr("data-event-id").await.expect("attr").unwrap_or_default();
            if open.contains(&id) {
                chosen = Some((row, id));
                break;
            }
        }
        let (row, id) = chosen.expect("the agenda shows an invitation not yet answered");
        click(&client, &row).await;
        wait_for(&client, "section.respond textarea", 20).await.send_keys("I will attend.").await.expect("comment");
        let accept = find_with_text(&client, "section.respond button.answer", "Accept", 10).await;
        click(&client, &accept).await;
        wait_for(&client, "section.respond p.result", 20).await;
        let start = Instant::now();
        loop {
            let events = sim_get(&sim, "/_sim/events").await;
            let now =
                events.as_array().and_then(|a| a.iter().find(|e| e["id"] == id.as_str()).cloned()).unwrap_or_default();
            if now["response"] == "accepted" {
                break;
            }
            assert!(start.elapsed() < Duration::from_secs(30), "the simulator still has {now}");
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_meeting_shows_who_is_invited_and_their_answers() {
    let (app, _sim) = launch(200).await;
    app.check("a_meeting_shows_who_is_invited_and_their_answers", |client| async move {
        sign_in(&client).await;
        go_to(&client, "Calendar").await;
        wait_for(&client, "button.event[data-event-id]", 60).await;
        let mut ids = Vec::new();
        for row in client.find_all(Locator::Css("button.event[data-event-id]")).await.expect("events") {
            ids.push(row.attr("data-event-id").await.expect("attr").unwrap_or_default());
        }
        // The demo's meetings follow today's date, so which answers the first one has varies:
        // read meetings until every kind of answer has been shown.
        let wanted = ["Invited", "Accepted", "Declined", "accepted"];
        let mut answers = String::new();
        for id in ids.iter().take(20) {
            let row = wait_for(&client, &format!("button.event[data-event-id=\"{id}\"]"), 20).await;
            click(&client, &row).await;
            let back = find_with_text(&client, "div.back button", "Back", 20).await;
            if let Ok(section) = client.find(Locator::Css("section.attendees")).await {
                answers.push_str(&section.text().await.expect("text"));
                answers.push('\n');
            }
            if wanted.iter().all(|w| answers.contains(w)) {
                break;
            }
            click(&client, &back).await;
        }
        assert!(!answers.is_empty(), "one of the first meetings lists who is invited");
        for words in wanted {
            assert!(answers.contains(words), "the answers say {words:?}: {answers}");
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_the_council_out_of_reach_cached_mail_reads_and_a_reply_waits_in_the_outbox() {
    let (app, sim) = launch(200).await;
    app.check("with_the_council_out_of_reach_cached_mail_reads_and_a_reply_waits_in_the_outbox", |client| async move {
        sign_in(&client).await;
        let first = wait_for(&client, "li[data-row] button.row", 10).await;
        // Every request to the council now loses its connection, as on a train with no signal.
        sim_post(&sim, "/_sim/network?up=false", json!({})).await;
        first.click().await.expect("open a cached message");
        let frame = wait_for(&client, "iframe[title='Message body']", 30).await;
        assert!(
            frame.attr("srcdoc").await.expect("attr").unwrap_or_default().contains("<p"),
            "the cached body reads offline"
        );
        let subject =
            wait_for(&client, ".message-view h2, .message-view h3", 10).await.text().await.unwrap_or_default();
        click(&client, &find_with_text(&client, ".message-view .actions button", "Reply", 10).await).await;
        wait_for(&client, "section.compose textarea", 10)
            .await
            .send_keys("Thank you: I will raise this at committee.")
            .await
            .expect("type");
        click(&client, &wait_for(&client, "section.compose button[type=submit]", 10).await).await;
        wait_for(&client, "section.compose p.queued", 20).await;
        let sent = sim_get(&sim, "/_sim/sent").await;
        assert!(
            sent.as_array().is_some_and(|a| a.iter().all(|m| !m["subject"].as_str().unwrap_or("").starts_with("RE: "))),
            "nothing left while offline: {sent}"
        );

        click(&client, &find_with_text(&client, "section.compose button", "Back to mail", 10).await).await;
        click(&client, &find_with_text(&client, ".panel:not([hidden]) button", "Back to Inbox", 10).await).await;
        let picker = wait_for(&client, ".panel:not([hidden]) select", 10).await;
        click(&client, &picker).await;
        picker.select_by_value(" outbox").await.expect("show the outbox");
        let waiting = find_with_text(&client, "li.item", "Reply to", 20).await;
        let class = waiting.attr("class").await.expect("attr").unwrap_or_default();
        assert!(!class.contains("state-sent"), "the reply waits: {class}");

        sim_post(&sim, "/_sim/network?up=true", json!({})).await;
        refresh(&client).await;
        let start = Instant::now();
        loop {
            let sent = sim_get(&sim, "/_sim/sent").await;
            let replies = sent
                .as_array()
                .map(|a| a.iter().filter(|m| m["subject"].as_str().unwrap_or("").starts_with("RE: ")).count())
                .unwrap_or(0);
            if replies > 0 {
                assert_eq!(replies, 1, "the reply went exactly once: {sent} ({subject})");
                break;
            }
            assert!(start.elapsed() < Duration::from_secs(60), "the reply never left: {sent}");
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        find_with_text(&client, "li.item.state-sent", "Reply to", 60).await;
    })
    .await;
}

/// Clicks `element` in the page (a radio button or checkbox drawn by the app's own styles).
async fn js_click(client: &Client, element: &Element) {
    let arg = serde_json::to_value(element).expect("element");
    client.execute("arguments[0].click()", vec![arg]).await.expect("click");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_survey_answered_in_the_app_reaches_the_councils_list_once() {
    let (app, sim) = launch(100).await;
    app.check("a_survey_answered_in_the_app_reaches_the_councils_list_once", |client| async move {
        sign_in(&client).await; // ticks "surveys" on the consent screen
        go_to(&client, "Trial").await;
        click(&client, &find_with_text(&client, ".panel:not([hidden]) button", "Start", 20).await).await;
        // One question at a time: the first choice of each, a sentence for free text, then Next.
        for _ in 0..20 {
            if with_text(&client, "section.player button", "Send").await.is_some() {
                break;
            }
            let fieldset = wait_for(&client, "section.player fieldset", 20).await;
            if let Ok(text) = fieldset.find(Locator::Css("textarea")).await {
                text.send_keys("A bigger screen for agenda packs.").await.expect("type");
            } else if let Some(first) = fieldset
                .find_all(Locator::Css("input[type=radio], input[type=checkbox]"))
                .await
                .expect("choices")
                .first()
            {
                js_click(&client, first).await;
            }
            click(&client, &wait_for(&client, "section.player button[type=submit]", 10).await).await;
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
        let review =
            client.execute("return document.querySelector('section.player').innerText", vec![]).await.expect("text");
        assert!(
            review.as_str().unwrap_or("").contains("A bigger screen for agenda packs."),
            "free text is shown before it is sent: {review}"
        );
        click(&client, &find_with_text(&client, "section.player button", "Send", 10).await).await;
        refresh(&client).await;
        let start = Instant::now();
        loop {
            let items = sim_get(&sim, "/_sim/lists/MemberSurveys").await;
            let n = items.as_array().map_or(0, Vec::len);
            if n > 0 {
                assert_eq!(n, 1, "{items}");
                assert_eq!(items[0]["SurveyId"], "baseline");
                assert!(items[0]["MemberCode"].as_str().is_some_and(|c| c.starts_with("M-")), "{items}");
                // Each answer is a typed item of its own; the free text among them.
                let answers = sim_get(&sim, "/_sim/lists/SurveyAnswers").await;
                assert!(
                    answers
                        .as_array()
                        .into_iter()
                        .flatten()
                        .any(|a| a["AnswerText"] == "A bigger screen for agenda packs."),
                    "{answers}"
                );
                break;
            }
            assert!(start.elapsed() < Duration::from_secs(60), "the survey never reached the list");
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        refresh(&client).await;
        idle(&client).await;
        assert_eq!(
            sim_get(&sim, "/_sim/lists/MemberSurveys").await.as_array().map_or(0, Vec::len),
            1,
            "a second update sends nothing again"
        );
    })
    .await;
}

/// Everything in `dir`, read as text (lossily), for a scan for mailbox words.
fn files_under(dir: &std::path::Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files_under(&path));
        } else if let Ok(bytes) = std::fs::read(&path) {
            found.push((path, bytes));
        }
    }
    found
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_locks_the_app_with_no_mail_left_in_the_page_and_the_wrong_pin_limit_wipes_it() {
    const CANARY: &str = "CANARYLOCK4471";
    let policy_dir = tempfile::tempdir().expect("dir");
    let policy = policy_dir.path().join("protection.toml");
    std::fs::write(&policy, "idle-lock-seconds = 10\nwrong-pin-limit = 3\n").expect("policy");
    let port = free_port();
    let app = AppSession::launch(&[
        ("COMPANION_DEMO_MESSAGES", "40"),
        ("COMPANION_DEMO_PORT", &port.to_string()),
        ("COMPANION_DEMO_PAPERS", "off"),
        ("MEMBER_COMPANION_PROTECTION_POLICY", policy.to_str().expect("path")),
    ])
    .await;
    let sim = format!("http://127.0.0.1:{port}");
    let pid = app.app_pid().expect("the app is running");
    let data = std::env::temp_dir().join(format!("member-companion-demo-{pid}"));
    let keystore =
        companion_keystore::Keystore::native(&format!("uk.gov.membercompanion.demo.{pid}")).expect("keyring");
    app.check("protection", |client| async move {
        // The canary arrives before the first update, so the cache holds it.
        wait_for(&client, "section.pin-setup", 60).await;
        sim_post(
            &sim,
            "/_sim/deliver",
            json!({"from_name": "Resident", "from_address": "resident@outside.example", "subject": format!("Flooding at {CANARY}"), "html": format!("<p>The drain at {CANARY} is blocked.</p>")}),
        )
        .await;
        sign_in(&client).await;
        refresh_until_row(&client, CANARY).await;
        assert!(
            keystore.get(companion_keystore::SecretName::PinSecret).expect("keyring").is_some(),
            "this test sees the app's keyring, so its check after the wipe can fail"
        );

        // Nobody touches it: after ten seconds it locks, and the page holds nothing of the mail.
        wait_for(&client, "section.lock", 40).await;
        let page = client.source().await.expect("page source");
        assert!(!page.contains(CANARY), "no mailbox text remains in the page");
        assert!(!page.contains("Flooding"), "no subject remains in the page");

        // The right PIN opens it again where it was.
        enter_pin(&client, "lock", PIN).await;
        refresh_until_row(&client, CANARY).await;

        // Locked again; three wrong PINs (the council's limit here) wipe everything.
        wait_for(&client, "section.lock", 40).await;
        for _ in 0..3 {
            enter_pin(&client, "lock", "135790").await;
            tokio::time::sleep(Duration::from_millis(1500)).await;
        }
        let notice = wait_for(&client, "section.pin-setup .protection-notice", 30).await;
        assert!(notice.text().await.expect("text").contains("wrong PIN"), "the member is told why");
        let files = files_under(&data);
        let names: Vec<_> = files.iter().map(|(p, _)| p.file_name().map(|n| n.to_string_lossy().into_owned())).collect();
        assert_eq!(names, vec![Some("wiped.json".to_owned())], "only the marker is left in {}", data.display());
        for (path, bytes) in &files {
            let text = String::from_utf8_lossy(bytes);
            assert!(!text.contains(CANARY) && !text.contains("Flooding"), "{} holds mailbox text", path.display());
        }
        for name in companion_keystore::SecretName::ALL {
            assert!(keystore.get(name).expect("keyring").is_none(), "{name:?} is left in the keyring");
        }
    })
    .await;
}

/// Clicks the link whose text is `text` inside the message frame, as the member would (a real
/// WebDriver click inside the frame, so WebKit treats it as the member's own gesture).
async fn click_link_in_body(client: &Client, text: &str) {
    let frame = wait_for(client, "iframe[title='Message body']", 60).await;
    frame.enter_frame().await.expect("into the message frame");
    let link = client.find(Locator::LinkText(text)).await;
    let clicked = match link {
        Ok(link) => link.click().await.map(|_| ()),
        Err(e) => Err(e),
    };
    client.enter_parent_frame().await.expect("back to the app");
    clicked.expect("the link is in the message and can be clicked");
}

/// A 24 × 16 PNG, as a sender's mail program would attach a crest to a signature.
const CREST_PNG: &str = "iVBORw0KGgoAAAANSUhEUgAAABgAAAAQCAIAAACDRijCAAAClUlEQVR42hXSERuGMBiF4XEyicfJJB4nk3icTOKHk0k8TibxOJnE42TS7/j63h9wX+c65xVC0Al6gRIMglFgBJNgFjjBIlgFCDbBLoiCQ3AKsuAS3IIqeASvQAhJJ+klSjJIRomRTJJZ4iSLZJUg2SS7JEoOySnJkktyS6rkkbzygxSdolcoxaAYFUYxKWaFUyyKVYFiU+yKqDgUpyIrLsWtqIpH8aoP0nSaXqM0g2bUGM2kmTVOs2hWDZpNs2ui5tCcmqy5NLemah7Nqz/I0Bl6gzIMhtFgDJNhNjjDYlgNGDbDboiGw3AasuEy3IZqeAyv+SBLZ+ktyjJYRouxTJbZ4iyLZbVg2Sy7JVoOy2nJlstyW6rlsbz2gxydo3cox+AYHcYxOWaHcyyO1YFjc+yO6DgcpyM7LsftqI7H8boP8nSe3qM8g2f0GM/kmT3Os3hWD57Ns3ui5/Ccnuy5PLeneh7P6z8IOuj/yzDA+C+ECeZ/DhZY+d8GO0Q44IQMF9xQ4YH3ezUR6AJ9QAWGwBgwgSkwB1xgCawBAltgD8TAETgDOXAF7kANPIE3fFCki/QRFRkiY8REpsgccZElssZ/ki2yR2LkiJyRHLkid6RGnsgbPyjRJfqESgyJMWESU2JOuMSSWBMktsSeiIkjcSZy4krciZp4Em/6oEyX6TMqM2TGjMlMmTnjMktmzf9KtsyeiZkjc2Zy5srcmZp5Mm/+oEJX6AuqMBTGgilMhbngCkthLVDYCnshFo7CWciFq3AXauEpvOWDKl2lr6jKUBkrpjJV5oqrLJW1/rfZKnslVo7KWcmVq3JXauWpvPWDGl2jb6jG0BgbpjE15oZrLI21QWNr7I3YOBpnIzeuxt2ojafxNn6Q3Alfj1hY1gAAAABJRU5ErkJggg==";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cid_crest_in_a_signature_is_shown_from_the_message_s_own_attachment_with_no_request_from_the_frame() {
    let (app, sim) = launch(200).await;
    app.check("a_cid_crest_in_a_signature_is_shown_from_the_message_s_own_attachment_with_no_request_from_the_frame", |client| async move {
        sign_in(&client).await;
        let html = r#"<p>The papers for Thursday are published.</p><p><img src="cid:crest@demoborough.example" alt="Demoborough crest"> Democratic Services</p>"#;
        let inline = json!([{"contentId": "crest@demoborough.example", "name": "crest.png", "contentType": "image/png", "contentBytes": CREST_PNG}]);
        sim_post(&sim, "/_sim/deliver", json!({"from_name": "Democratic Services", "from_address": "democratic.services@demoborough.example", "subject": "Papers published", "html": html, "inline": inline})).await;
        let row = refresh_until_row(&client, "Papers published").await;
        click(&client, &row).await;
        let frame = wait_for(&client, "iframe[title='Message body']", 60).await;
        frame.enter_frame().await.expect("into the message frame");
        let script = "const img = document.querySelector('img[alt=\\'Demoborough crest\\']');
            return img && img.complete ? [img.getAttribute('src').slice(0, 22), img.naturalWidth, img.naturalHeight] : null;";
        let start = Instant::now();
        let mut shown = serde_json::Value::Null;
        while start.elapsed() < Duration::from_secs(20) {
            shown = client.execute(script, vec![]).await.unwrap_or_default();
            if shown[1].as_u64().unwrap_or(0) > 0 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        client.enter_parent_frame().await.expect("back to the app");
        assert_eq!(shown, json!(["data:image/png;base64,", 24, 16]), "the crest is drawn from the message itself");
        let stats = sim_get(&sim, "/_sim/stats").await;
        assert_eq!(stats["assetRequests"], 0, "nothing was asked of the network for it: {stats}");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_link_in_a_message_shows_where_it_goes_and_reaches_the_system_only_when_the_member_agrees() {
    let record = std::env::temp_dir().join(format!("member-companion-opened-{}.txt", std::process::id()));
    let _ = std::fs::remove_file(&record);
    let port = free_port();
    let app = AppSession::launch(&[
        ("COMPANION_DEMO_MESSAGES", "200"),
        ("COMPANION_DEMO_PORT", &port.to_string()),
        ("COMPANION_DEMO_PAPERS", "off"),
        ("MEMBER_COMPANION_RECORD_OPENED", record.to_str().expect("path")),
    ])
    .await;
    let sim = format!("http://127.0.0.1:{port}");
    let opened = record.clone();
    app.check("a_link_in_a_message_shows_where_it_goes_and_reaches_the_system_only_when_the_member_agrees", |client| async move {
        sign_in(&client).await;
        let agenda = "https://democracy.demoborough.example/ieListDocuments.aspx?CId=130&MId=4521";
        let html = format!(
            r#"<p>The papers for Thursday are published: <a href="{agenda}">read the agenda</a>.</p>
<p><a href="data:text/html,&lt;p&gt;hi">a data link</a> and <a href="javascript:parent.document.title='pwned'">a script link</a></p>"#
        );
        sim_post(&sim, "/_sim/deliver", json!({"from_name": "Democratic Services", "from_address": "democratic.services@demoborough.example", "subject": "Agenda published", "html": html})).await;
        let row = refresh_until_row(&client, "Agenda published").await;
        click(&client, &row).await;

        // A click shows the confirmation with the real host and the whole path.
        click_link_in_body(&client, "read the agenda").await;
        let dialog = find_with_text(&client, "dialog[open]", "democracy.demoborough.example", 10).await;
        let words = dialog.text().await.expect("text");
        assert!(words.contains("/ieListDocuments.aspx?CId=130&MId=4521"), "the whole path is shown: {words}");
        assert_eq!(client.title().await.expect("title"), "Member Companion", "the app did not navigate away");
        click(&client, &find_with_text(&client, "dialog[open] button", "Cancel", 5).await).await;
        tokio::time::sleep(Duration::from_secs(1)).await;
        assert!(!opened.exists(), "Cancel opens nothing");

        // Links that are not web, mail or phone addresses open nothing at all.
        for text in ["a data link", "a script link"] {
            click_link_in_body(&client, text).await;
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
        assert!(with_text(&client, "dialog[open] button", "Open").await.is_none(), "no offer to open them");
        assert!(!opened.exists(), "nothing reached the system");
        assert_eq!(client.title().await.expect("title"), "Member Companion", "no script ran");

        // Agreeing hands the address, unchanged, to the system's opener.
        click_link_in_body(&client, "read the agenda").await;
        click(&client, &find_with_text(&client, "dialog[open] button", "Open", 10).await).await;
        let start = Instant::now();
        while !opened.exists() && start.elapsed() < Duration::from_secs(10) {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let handed = std::fs::read_to_string(&opened).expect("the opener was given the address");
        assert_eq!(handed.lines().collect::<Vec<_>>(), vec![agenda], "exactly the link, once");
        let _ = std::fs::remove_file(&opened);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_nested_a_hundred_thousand_deep_or_of_five_megabytes_opens_as_text_and_the_app_keeps_answering() {
    let (app, sim) = launch(200).await;
    app.check("a_message_nested_a_hundred_thousand_deep_or_of_five_megabytes_opens_as_text_and_the_app_keeps_answering", |client| async move {
        sign_in(&client).await;
        let deep = format!("<p>Nested motion</p>{}the end{}", "<div>".repeat(100_000), "</div>".repeat(100_000));
        let paragraph = "<p>The committee considered the report on highways maintenance and resolved to note it.</p>\n";
        let large = format!("<p>Full minutes</p>{}", paragraph.repeat(5 * 1024 * 1024 / paragraph.len()));
        for (subject, html, words) in [("Nested motion", deep, "the end"), ("Full minutes", large, "resolved to note it")] {
            sim_post(&sim, "/_sim/deliver", json!({"from_name": "Democratic Services", "from_address": "democratic.services@demoborough.example", "subject": subject, "html": html})).await;
            let row = refresh_until_row(&client, subject).await;
            click(&client, &row).await;
            let notice = find_with_text(&client, ".body .notice", "only its text is shown", 30).await;
            let frame = wait_for(&client, "iframe[title='Message body']", 30).await;
            let srcdoc = frame.attr("srcdoc").await.expect("attr").unwrap_or_default();
            assert!(srcdoc.contains("<pre>") && srcdoc.contains(words), "{subject}: the text is shown");
            assert!(!srcdoc.contains("<div>"), "{subject}: as text, not as its HTML");
            // The app answers while the body is there: the section buttons still work.
            go_to(&client, "Calendar").await;
            wait_for(&client, "section.calendar", 10).await;
            go_to(&client, "Mail").await;
            assert!(notice.text().await.is_ok(), "{subject}: the message view is still there");
            if subject == "Nested motion" {
                click(&client, &find_with_text(&client, "button", "Back to Inbox", 10).await).await;
            }
        }
        // The large one can still be read in full when the member asks.
        click(&client, &find_with_text(&client, ".body .notice button", "Show the full message", 10).await).await;
        let start = Instant::now();
        loop {
            let frame = wait_for(&client, "iframe[title='Message body']", 30).await;
            let srcdoc = frame.attr("srcdoc").await.expect("attr").unwrap_or_default();
            if srcdoc.contains("<p>Full minutes</p>") {
                break;
            }
            assert!(start.elapsed() < Duration::from_secs(60), "the full message never came");
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    })
    .await;
}

/// The bytes of the test's 5 MB file, made the same way in the page and here.
fn five_megabytes() -> Vec<u8> {
    (0..5 * 1024 * 1024u32).map(|i| (i % 251) as u8).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offline_a_directory_address_autocompletes_and_a_forward_with_5_mb_goes_once_after_a_dropped_upload() {
    let (app, sim) = launch(200).await;
    app.check(
        "offline_a_directory_address_autocompletes_and_a_forward_with_5_mb_goes_once_after_a_dropped_upload",
        |client| async move {
            // The first update (on Wi-Fi) brought the council's directory.
            sign_in(&client).await;
            let first = wait_for(&client, "li[data-row] button.row", 10).await;
            first.click().await.expect("open a message");
            let subject =
                wait_for(&client, ".message-view h2, .message-view h3", 20).await.text().await.unwrap_or_default();
            // No signal from here: the address comes from the phone's own copy of the directory.
            sim_post(&sim, "/_sim/network?up=false", json!({})).await;
            click(&client, &find_with_text(&client, ".message-view .actions button", "Forward", 10).await).await;
            let to = wait_for(&client, "section.compose input[role=combobox]", 10).await;
            to.send_keys("highways").await.expect("type");
            let offered = find_with_text(&client, "section.compose [role=option]", "Council directory", 20).await;
            let chosen = offered.find(Locator::Css(".address")).await.expect("address").text().await.expect("text");
            click(&client, &offered).await;
            let value = to.prop("value").await.expect("prop").unwrap_or_default();
            assert!(value.contains(&format!("<{chosen}>")), "the chosen address is in To: {value}");

            // A 5 MB file, attached as the file picker would.
            let attach = "const input = document.querySelector('section.compose input[type=file]'); \
                const bytes = new Uint8Array(5 * 1024 * 1024); for (let i = 0; i < bytes.length; i++) bytes[i] = i % 251; \
                const transfer = new DataTransfer(); transfer.items.add(new File([bytes], 'site-plans.pdf', { type: 'application/pdf' })); \
                input.files = transfer.files; input.dispatchEvent(new Event('change', { bubbles: true }));";
            client.execute(attach, vec![]).await.expect("attach");
            find_with_text(&client, "section.compose .file-list li", "site-plans.pdf", 60).await;
            find_with_text(&client, "section.compose p", "in all", 10).await;
            click(&client, &wait_for(&client, "section.compose button[type=submit]", 10).await).await;
            wait_for(&client, "section.compose p.queued", 30).await;

            // The signal comes back but drops while the file uploads; then it holds.
            let before = sim_get(&sim, "/_sim/stats").await["resets"].as_u64().unwrap_or(0);
            sim_post(&sim, "/_sim/network?up=false&only=PUT", json!({})).await;
            refresh(&client).await;
            idle(&client).await;
            let dropped = sim_get(&sim, "/_sim/stats").await;
            assert!(dropped["resets"].as_u64().unwrap_or(0) > before, "an upload piece was cut off: {dropped}");
            let early = sim_get(&sim, "/_sim/sent").await;
            assert!(
                early.as_array().is_some_and(|a| a.iter().all(|m| !m["subject"].as_str().unwrap_or("").starts_with("FW: "))),
                "nothing sent with the file half uploaded: {early}"
            );
            sim_post(&sim, "/_sim/network?up=true", json!({})).await;
            let start = Instant::now();
            let forwarded = loop {
                refresh(&client).await;
                let sent = sim_get(&sim, "/_sim/sent").await;
                let forwards: Vec<Value> = sent
                    .as_array()
                    .map(|a| a.iter().filter(|m| m["subject"].as_str().unwrap_or("").starts_with("FW: ")).cloned().collect())
                    .unwrap_or_default();
                if !forwards.is_empty() {
                    break forwards;
                }
                assert!(start.elapsed() < Duration::from_secs(90), "the forward never left: {sent}");
                tokio::time::sleep(Duration::from_millis(500)).await;
            };
            // A later update sends nothing again.
            refresh(&client).await;
            idle(&client).await;
            let again = sim_get(&sim, "/_sim/sent").await;
            let count = again
                .as_array()
                .map(|a| a.iter().filter(|m| m["subject"].as_str().unwrap_or("").starts_with("FW: ")).count())
                .unwrap_or(0);
            assert_eq!(count, 1, "sent once ({subject}): {again}");
            assert_eq!(forwarded[0]["to"][0].as_str(), Some(chosen.as_str()));
            let plans = forwarded[0]["attachments"]
                .as_array()
                .and_then(|a| a.iter().find(|f| f["name"] == "site-plans.pdf"))
                .cloned()
                .expect("the file went with it");
            use sha2::Digest as _;
            // Only an upload session takes a file over 3 MB: Graph refuses it in one request.
            assert_eq!(plans["size"], 5 * 1024 * 1024);
            assert_eq!(plans["sha256"], format!("{:x}", sha2::Sha256::digest(five_megabytes())), "every byte, in order");
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_committee_paper_on_the_phone_opens_offline_in_the_app_with_its_words_and_takes_a_note() {
    // Committee papers on (the demo council's modern.gov), a small mailbox.
    let port = free_port();
    let app =
        AppSession::launch(&[("COMPANION_DEMO_MESSAGES", "40"), ("COMPANION_DEMO_PORT", &port.to_string())]).await;
    let sim = format!("http://127.0.0.1:{port}");
    app.check(
        "a_committee_paper_on_the_phone_opens_offline_in_the_app_with_its_words_and_takes_a_note",
        |client| async move {
            sign_in(&client).await;
            go_to(&client, "Calendar").await;
            click(&client, &find_with_text(&client, "button", "Committee meetings", 10).await).await;
            // A meeting whose agenda is out lists its papers' sizes.
            click(&client, &find_with_text(&client, "button.meeting", "MB", 60).await).await;
            let first = wait_for(&client, "article.agenda li.paper button", 30).await;
            let title =
                wait_for(&client, "article.agenda li.paper .paper-title", 10).await.text().await.expect("title");
            if !first.text().await.expect("text").starts_with("Open") {
                click(&client, &first).await;
                // On mobile data the app asks first; on Wi-Fi it just fetches.
                let start = Instant::now();
                while with_text(&client, "article.agenda li.paper button", "Open").await.is_none() {
                    if let Some(anyway) = with_text(&client, "button", "Download anyway").await {
                        click(&client, &anyway).await;
                    }
                    assert!(start.elapsed() < Duration::from_secs(120), "the paper never arrived");
                    tokio::time::sleep(Duration::from_millis(250)).await;
                }
            }
            // Every request to the council now fails: the paper is read from the phone alone.
            sim_post(&sim, "/_sim/network?up=false", json!({})).await;
            click(&client, &find_with_text(&client, "article.agenda li.paper button", "Open", 10).await).await;
            wait_for(&client, "article.paper-viewer section.page canvas", 60).await;
            let words = find_with_text(&client, "article.paper-viewer .text-layer", &title, 60).await;
            assert!(words.text().await.expect("text").contains(&title), "pdf.js laid the paper's words over its page");
            // A note on it, written offline: kept on the phone, and the panel says so.
            click(&client, &find_with_text(&client, "article.paper-viewer button", "Notes", 10).await).await;
            find_with_text(&client, "section.notes h4", "Notes on this paper", 10).await;
            let note = wait_for(&client, "section.notes form textarea", 10).await;
            note.send_keys("Ask about the reserves").await.expect("type the note");
            click(&client, &find_with_text(&client, "section.notes form button", "Save note", 10).await).await;
            find_with_text(&client, "section.notes li.note .text", "Ask about the reserves", 20).await;
            find_with_text(&client, "section.notes .backup-state", "on this phone only", 10).await;
        },
    )
    .await;
}
