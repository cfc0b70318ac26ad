//! The app core's whole flows against the Graph simulator, with the real OS keyring: sign in
//! (loopback and deep link), sync, read, resume after a restart, sign out; and (in
//! `protection`) the app lock and every path to the wipe.

mod papers;
mod protection;
mod trial;

use companion_app::{AppConfig, Companion, ProtectionPolicy, ReturnPath};
use companion_graph_sim::{headless, GraphSim, SimConfig};
use companion_keystore::{Keystore, SecretName};
use std::sync::Arc;

/// The member's PIN in these tests.
const PIN: &str = "274916";

/// A simulator, a data folder, and a keyring service of the test's own (removed on drop).
struct Rig {
    sim: GraphSim,
    dir: tempfile::TempDir,
    service: String,
}

/// The trial site as ICT leaves it: `member-companion-admin provision` run against `sim`, the
/// app granted the site.
async fn provision(sim: &GraphSim) {
    let c = sim.credentials();
    let admin = companion_admin::AdminConfig {
        authority: c.authority.clone(),
        client_id: c.client_id.clone(),
        graph_url: sim.graph_url(),
        site: sim.site_address(),
    };
    let app = companion_admin::AppGrant { app_id: c.client_id, display_name: "Member Companion".into() };
    companion_admin::run_provision(&admin, Some(&app), |code, _| {
        sim.approve_device_code(code, companion_graph_sim::Principal::Administrator);
    })
    .await
    .expect("provisioned");
}

/// A Graph token for the council's officers (the service desk, ICT), who own the trial site.
async fn officer_token(sim: &GraphSim) -> String {
    let c = sim.credentials();
    let admin = companion_admin::AdminConfig {
        authority: c.authority,
        client_id: c.client_id,
        graph_url: sim.graph_url(),
        site: sim.site_address(),
    };
    let tokens = companion_admin::sign_in(&admin, "demoborough.sharepoint.com", |code, _| {
        sim.approve_device_code(code, companion_graph_sim::Principal::Administrator);
    })
    .await
    .expect("the officer signs in");
    tokens.graph.expose().to_owned()
}

impl Rig {
    async fn start(messages: usize) -> Rig {
        Self::start_with(SimConfig::default().with_messages(messages).with_events(40).with_contacts(30)).await
    }

    async fn start_with(config: SimConfig) -> Rig {
        let sim = GraphSim::start(config).await.expect("simulator");
        provision(&sim).await;
        let nanos =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
        Rig {
            sim,
            dir: tempfile::tempdir().expect("temp dir"),
            service: format!("uk.gov.membercompanion.test.app.{}.{nanos}", std::process::id()),
        }
    }

    fn config(&self) -> AppConfig {
        self.config_for(&self.sim)
    }

    /// The configuration against `sim` (another member's tenant), with this rig's keyring.
    fn config_for(&self, sim: &GraphSim) -> AppConfig {
        let c = sim.credentials();
        AppConfig::from_toml(&format!(
            // No bus at that address: the tests never read the machine's own NetworkManager.
            "authority = \"{}\"\nclient-id = \"{}\"\ngraph-url = \"{}\"\nkeyring-service = \"{}\"\ntrial-site-id = \"{}\"\nsupport-mailbox = \"servicedesk@demoborough.example\"\nnetwork-bus = \"unix:path=/nonexistent/member-companion-tests\"\n",
            c.authority,
            c.client_id,
            sim.graph_url(),
            self.service,
            sim.site_id()
        ))
        .expect("config")
    }

    /// The core as it starts, before the PIN: under the council's `policy` if given.
    fn start_core(&self, policy: Option<ProtectionPolicy>) -> Arc<Companion> {
        Arc::new(Companion::open_managed(self.config(), self.dir.path(), false, policy).expect("the core opens"))
    }

    /// Starts the core as the app does and gets past the lock: the first start chooses the
    /// PIN, later ones unlock with it.
    async fn open(&self) -> Arc<Companion> {
        let app = self.start_core(None);
        let now = chrono::Utc::now();
        match serde_json::to_value(app.protection.status(now)).expect("json")["state"].as_str() {
            Some("choosePin") => app.protection.choose_pin(PIN, now).await.expect("a PIN is chosen"),
            Some("locked") => app.protection.unlock(PIN, now).await.expect("the PIN unlocks"),
            other => panic!("the core starts locked or choosing a PIN, not {other:?}"),
        };
        app
    }

    fn keystore(&self) -> Keystore {
        Keystore::native(&self.service).expect("keyring")
    }
}

impl Drop for Rig {
    fn drop(&mut self) {
        if let Ok(ks) = Keystore::native(&self.service) {
            let _ = ks.delete_all();
        }
    }
}

/// The member's browser: approves the consent page and follows the redirect to the loopback.
/// The member's inbox as the app lists it.
fn inbox_of(app: &Companion) -> companion_app::views::MailFolder {
    app.mail
        .folders()
        .expect("folders")
        .into_iter()
        .find(|f| f.well_known_name.as_deref() == Some("inbox"))
        .expect("an inbox")
}

fn browser(url: &str) -> Result<(), String> {
    let url = url.to_owned();
    tokio::spawn(async move {
        let back = headless::consent(&url, true).await.expect("the consent page answers");
        reqwest::get(back.as_str()).await.expect("the loopback answers");
    });
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_in_keeps_the_refresh_token_in_the_keyring_and_the_synced_inbox_reads() {
    let rig = Rig::start(300).await;
    let app = rig.open().await;
    let heard = Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = heard.clone();
    app.subscribe(Arc::new(move |event| {
        if let companion_app::views::CoreEvent::SyncProgress(p) = event {
            let collection = serde_json::to_value(p.collection).expect("json");
            sink.lock().expect("lock").push((collection, p.done, p.bytes));
        }
    }));
    let status = app.account.sign_in(ReturnPath::Loopback, browser).await.expect("sign-in");
    let json = serde_json::to_value(&status).expect("json");
    assert_eq!(json["state"], "signedIn", "{json}");
    assert!(
        rig.keystore().get(SecretName::RefreshToken).expect("keyring").is_some(),
        "the refresh token is in the keyring"
    );

    let (sync, _alerts) = app.updates.sync_now(rig.sim.now()).await.expect("sync");
    assert!(sync.last_error.is_none(), "{:?}", sync.last_error);
    // The ledger dates traffic by the real clock, not the simulator's.
    let heard = heard.lock().expect("lock").clone();
    assert!(heard.iter().any(|(c, done, _)| *c == "mail" && *done > 0), "mail progress was told: {heard:?}");
    assert!(heard.windows(2).all(|w| w[0].2 <= w[1].2), "bytes only grow within an update");
    let data = serde_json::to_value(app.data.overview(chrono::Utc::now()).expect("data")).expect("json");
    let cost = data["lastSync"]["bytes"].as_u64().expect("bytes");
    let total = data["appWifiBytes"].as_u64().expect("wifi") + data["appMobileBytes"].as_u64().expect("mobile");
    assert!(
        cost > 10_000 && cost < total,
        "the first update's cost is shown ({cost} of {total} this cycle, sign-in included)"
    );
    let inbox = inbox_of(&app);
    let page = app.mail.page(&inbox.id, None, 50).expect("page");
    assert!(!page.items.is_empty(), "the inbox lists messages");
    let first = &page.items[0];
    let opened = app.mail.open(&first.id).await.expect("open");
    assert_eq!(opened.body_state, companion_app::views::BodyState::Ready);
    assert!(opened.body_html.as_deref().is_some_and(|h| !h.is_empty()), "the body is shown");
    assert!(opened.summary.is_read, "opening marks it read");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_sign_in_finishes_when_the_os_hands_back_the_deep_link() {
    let rig = Rig::start(50).await;
    let app = rig.open().await;
    assert!(
        !app.account.deep_link_arrived("uk.gov.membercompanion://auth?code=x&state=y"),
        "no sign-in is waiting yet"
    );
    let handle = app.clone();
    let status = app
        .account
        .sign_in(ReturnPath::DeepLink, move |url| {
            let url = url.to_owned();
            assert!(
                url.contains("redirect_uri=uk.gov.membercompanion%3A%2F%2Fauth"),
                "the app's scheme is the redirect: {url}"
            );
            tokio::spawn(async move {
                let back = headless::consent(&url, true).await.expect("consent");
                assert!(
                    !handle.account.deep_link_arrived("https://example.org/elsewhere"),
                    "another link does not finish the sign-in"
                );
                assert!(
                    !handle.account.deep_link_arrived("uk.gov.membercompanion://auth?code=forged&state=not-this-one"),
                    "the app's own scheme with another sign-in's state does not cancel this one"
                );
                assert!(handle.account.deep_link_arrived(back.as_str()), "the deep link finishes the sign-in");
            });
            Ok(())
        })
        .await
        .expect("sign-in by deep link");
    assert_eq!(serde_json::to_value(&status).expect("json")["state"], "signedIn");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_sign_in_says_so_in_plain_words_and_keeps_no_token() {
    let rig = Rig::start(20).await;
    let app = rig.open().await;
    let refused = |url: &str| {
        let url = url.to_owned();
        tokio::spawn(async move {
            let back = headless::consent(&url, false).await.expect("consent page");
            reqwest::get(back.as_str()).await.expect("loopback");
        });
        Ok(())
    };
    let err = app.account.sign_in(ReturnPath::Loopback, refused).await.expect_err("cancelled");
    assert!(err.to_string().contains("cancelled"), "{err}");
    assert!(rig.keystore().get(SecretName::RefreshToken).expect("keyring").is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_next_start_resumes_from_the_keyring_and_signing_out_forgets_the_token() {
    let rig = Rig::start(80).await;
    {
        let app = rig.open().await;
        app.account.sign_in(ReturnPath::Loopback, browser).await.expect("sign-in");
        app.updates.sync_now(rig.sim.now()).await.expect("sync");
    }
    let app = rig.open().await;
    assert!(app.account.resume().await.expect("resume"), "a stored session resumes");
    let (sync, _) = app.updates.sync_now(rig.sim.now()).await.expect("sync after restart");
    assert!(sync.last_error.is_none(), "the kept refresh token still works: {:?}", sync.last_error);
    let status = app.account.sign_out().await.expect("sign out");
    assert_eq!(serde_json::to_value(&status).expect("json")["state"], "signedOut");
    assert!(rig.keystore().get(SecretName::RefreshToken).expect("keyring").is_none(), "signing out forgets the token");
    assert!(!rig.open().await.account.resume().await.expect("resume"), "nothing to resume after signing out");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pictures_load_only_when_asked_and_then_through_the_app_as_data() {
    let rig = Rig::start(40).await;
    let app = rig.open().await;
    app.account.sign_in(ReturnPath::Loopback, browser).await.expect("sign-in");
    let base = rig.sim.base_url();
    let html = format!(
        r#"<p>Figures below.</p><img src="{base}/_sim/assets/newsletter/chart-1.png" width="300" height="200" alt="Chart"><img src="https://127.0.0.1:1/tracker.gif">"#
    );
    let id = rig.sim.deliver_html("Finance", "finance@outside.example", "Budget chart", &html);
    app.updates.sync_now(rig.sim.now()).await.expect("sync");
    let opened = app.mail.open(&id).await.expect("open");
    assert_eq!(opened.blocked_images.count, 2);
    assert!(
        opened.blocked_images.approx_bytes.is_some_and(|b| b > 20_000),
        "the size is offered: {:?}",
        opened.blocked_images.approx_bytes
    );
    assert_eq!(rig.sim.asset_requests(), 0, "nothing loaded before the member asked");
    let shown = app.mail.show_images(&id).await.expect("show images");
    let body = shown.body_html.expect("body");
    assert!(body.contains("src=\"data:image/png;base64,"), "the chart is inlined: {}", &body[..body.len().min(300)]);
    assert!(!body.contains(&base), "the frame is never sent to the network");
    assert_eq!(rig.sim.asset_requests(), 1, "the chart was fetched once, by the app");
    assert_eq!(shown.blocked_images.count, 1, "the unreachable tracker stays out");
}

/// A 24 × 16 PNG, as a sender's mail program would attach a crest.
const CREST_PNG: &str = "iVBORw0KGgoAAAANSUhEUgAAABgAAAAQCAIAAACDRijCAAAClUlEQVR42hXSERuGMBiF4XEyicfJJB4nk3icTOKHk0k8TibxOJnE42TS7/j63h9wX+c65xVC0Al6gRIMglFgBJNgFjjBIlgFCDbBLoiCQ3AKsuAS3IIqeASvQAhJJ+klSjJIRomRTJJZ4iSLZJUg2SS7JEoOySnJkktyS6rkkbzygxSdolcoxaAYFUYxKWaFUyyKVYFiU+yKqDgUpyIrLsWtqIpH8aoP0nSaXqM0g2bUGM2kmTVOs2hWDZpNs2ui5tCcmqy5NLemah7Nqz/I0Bl6gzIMhtFgDJNhNjjDYlgNGDbDboiGw3AasuEy3IZqeAyv+SBLZ+ktyjJYRouxTJbZ4iyLZbVg2Sy7JVoOy2nJlstyW6rlsbz2gxydo3cox+AYHcYxOWaHcyyO1YFjc+yO6DgcpyM7LsftqI7H8boP8nSe3qM8g2f0GM/kmT3Os3hWD57Ns3ui5/Ccnuy5PLeneh7P6z8IOuj/yzDA+C+ECeZ/DhZY+d8GO0Q44IQMF9xQ4YH3ezUR6AJ9QAWGwBgwgSkwB1xgCawBAltgD8TAETgDOXAF7kANPIE3fFCki/QRFRkiY8REpsgccZElssZ/ki2yR2LkiJyRHLkid6RGnsgbPyjRJfqESgyJMWESU2JOuMSSWBMktsSeiIkjcSZy4krciZp4Em/6oEyX6TMqM2TGjMlMmTnjMktmzf9KtsyeiZkjc2Zy5srcmZp5Mm/+oEJX6AuqMBTGgilMhbngCkthLVDYCnshFo7CWciFq3AXauEpvOWDKl2lr6jKUBkrpjJV5oqrLJW1/rfZKnslVo7KWcmVq3JXauWpvPWDGl2jb6jG0BgbpjE15oZrLI21QWNr7I3YOBpnIzeuxt2ojafxNn6Q3Alfj1hY1gAAAABJRU5ErkJggg==";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cid_crest_is_put_in_from_the_message_s_own_attachment_and_shows_again_offline() {
    use base64::Engine;
    let rig = Rig::start(40).await;
    let app = rig.open().await;
    app.account.sign_in(ReturnPath::Loopback, browser).await.expect("sign-in");
    let crest = base64::engine::general_purpose::STANDARD.decode(CREST_PNG).expect("png");
    let id = rig.sim.deliver_html_with_pictures(
        ("Democratic Services", "democratic.services@demoborough.example"),
        "Agenda published",
        r#"<p>The agenda is published.</p><p><img src="cid:crest@council.example" alt="Council crest"> Democratic Services</p><img src="cid:missing@council.example" alt="Seal">"#,
        vec![companion_graph_sim::InlinePicture {
            content_id: "crest@council.example".into(),
            name: "crest.png".into(),
            content_type: "image/png".into(),
            bytes: crest.clone(),
        }],
    );
    app.updates.sync_now(rig.sim.now()).await.expect("sync");
    let expected = format!("src=\"data:image/png;base64,{CREST_PNG}\"");
    let opened = app.mail.open(&id).await.expect("open");
    let body = opened.body_html.expect("body");
    assert!(body.contains(&expected), "the crest is put in: {body}");
    assert!(!body.contains("cid:") && body.contains(r#"alt="Seal""#), "a picture not attached keeps its alt: {body}");
    assert_eq!(opened.blocked_images.count, 0, "an inline picture is not a remote one");
    assert!(opened.attachments.is_empty(), "the crest is not offered as a file");
    assert_eq!(rig.sim.asset_requests(), 0);

    rig.sim.set_faults(companion_graph_sim::FaultPlan::only(
        3,
        1.0,
        &[companion_graph_sim::FaultKind::ConnectionReset],
    ));
    let offline = app.mail.open(&id).await.expect("opens from the vault");
    assert!(offline.body_html.is_some_and(|b| b.contains(&expected)), "the stored crest needs no connection");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_actions_apply_at_once_and_reach_the_server_with_a_plain_outbox() {
    let rig = Rig::start(120).await;
    let app = rig.open().await;
    app.account.sign_in(ReturnPath::Loopback, browser).await.expect("sign-in");
    app.updates.sync_now(rig.sim.now()).await.expect("sync");
    let inbox = inbox_of(&app);
    let archive = app
        .mail
        .folders()
        .expect("folders")
        .into_iter()
        .find(|f| f.well_known_name.as_deref() == Some("archive"))
        .expect("archive");
    let page = app.mail.page(&inbox.id, None, 10).expect("page").items;
    let (a, b, c) = (&page[0], &page[1], &page[2]);
    app.mail.set_flag(&a.id, true).await.expect("flag");
    app.mail.mark_read(&b.id, !b.is_read).await.expect("read");
    app.mail.move_to(&c.id, &archive.id).await.expect("move");
    app.mail.reply(&a.id, "Thank you.", false).await.expect("reply");
    app.mail
        .send(companion_app::views::NewMessage {
            to: vec!["Clerk <clerk@demoborough.example>".into()],
            cc: vec![],
            subject: "Apologies".into(),
            body: "I cannot attend.".into(),
            attachments: vec![],
        })
        .await
        .expect("send");
    assert!(app.mail.reply(&a.id, "  ", false).await.is_err(), "an empty reply is refused");
    assert!(app
        .mail
        .send(companion_app::views::NewMessage {
            to: vec!["not an address".into()],
            cc: vec![],
            subject: "x".into(),
            body: "y".into(),
            attachments: vec![],
        })
        .await
        .is_err());
    assert!(app.mail.move_to(&a.id, "no-such-folder").await.is_err());

    // At once, before delivery: the cache shows the changes.
    let now = app.mail.page(&inbox.id, None, 10).expect("page").items;
    assert!(now.iter().find(|m| m.id == a.id).is_some_and(|m| m.flagged));
    assert!(!now.iter().any(|m| m.id == c.id), "moved out of the inbox");
    let outbox = app.mail.outbox().expect("outbox");
    let summaries: Vec<&str> = outbox.iter().map(|o| o.summary.as_str()).collect();
    assert!(summaries.iter().any(|s| s.starts_with("Flag ‘")), "{summaries:?}");
    assert!(summaries.iter().any(|s| s.starts_with("Reply to ‘")), "{summaries:?}");
    assert!(summaries.contains(&"Send ‘Apologies’"), "{summaries:?}");

    // A forward with a file of the member's: staged, costed on mobile data, sent with it.
    use base64::Engine as _;
    let minutes = vec![b'm'; 40_000];
    let staged = app
        .mail
        .stage_attachment(
            "C:\\Users\\cllr\\minutes.docx",
            "",
            &base64::engine::general_purpose::STANDARD.encode(&minutes),
        )
        .expect("staged");
    assert_eq!((staged.name.as_str(), staged.size), ("minutes.docx", 40_000), "the name without its folder");
    assert!(app.mail.send_cost(std::slice::from_ref(&staged.id)).expect("cost").note.is_none(), "on Wi-Fi");
    app.data.set_network(companion_app::views::NetworkChoice::Mobile).expect("mobile");
    let cost = app.mail.send_cost(std::slice::from_ref(&staged.id)).expect("cost");
    assert!(cost.bytes > 40_000 && cost.note.as_deref().is_some_and(|n| n.contains("mobile data")), "{cost:?}");
    app.data.set_network(companion_app::views::NetworkChoice::Wifi).expect("Wi-Fi");
    assert!(app.mail.stage_attachment("empty.txt", "text/plain", "").is_err(), "an empty file is refused");
    app.mail
        .forward(companion_app::views::ForwardMessage {
            message_id: b.id.clone(),
            to: vec!["clerk@demoborough.example".into()],
            cc: vec![],
            comment: "See the minutes.".into(),
            attachments: vec![staged.id.clone()],
        })
        .await
        .expect("forward");
    let again = app
        .mail
        .forward(companion_app::views::ForwardMessage {
            message_id: b.id.clone(),
            to: vec!["clerk@demoborough.example".into()],
            cc: vec![],
            comment: "Twice?".into(),
            attachments: vec![staged.id.clone()],
        })
        .await;
    assert!(again.is_err(), "a file goes with one message");

    app.updates.sync_now(rig.sim.now()).await.expect("sync delivers the outbox");
    let outbox = app.mail.outbox().expect("outbox");
    assert!(outbox.iter().all(|o| o.state == companion_app::views::OutboxItemState::Sent), "{outbox:?}");
    let sent = rig.sim.sent_mail();
    assert_eq!(sent.iter().filter(|m| m.subject == "Apologies").count(), 1);
    assert_eq!(sent.iter().filter(|m| m.subject.starts_with("RE: ")).count(), 1);
    let forwarded: Vec<_> = sent.iter().filter(|m| m.subject.starts_with("FW: ")).collect();
    assert_eq!(forwarded.len(), 1);
    assert!(forwarded[0].attachments.iter().any(|(name, bytes)| name == "minutes.docx" && *bytes == minutes));
    let server = rig.sim.snapshot();
    assert!(
        server.messages.iter().any(|m| m.immutable_id == c.id && m.folder_id == archive.id)
            || server.messages.iter().all(|m| m.immutable_id != c.id)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_first_sign_in_on_mobile_data_reads_the_newest_mail_first_and_leaves_attachments_for_wifi() {
    let rig = Rig::start(300).await;
    let app = rig.open().await;
    let heard = Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = heard.clone();
    app.subscribe(Arc::new(move |event| match event {
        companion_app::views::CoreEvent::SyncProgress(p) => {
            sink.lock().expect("lock").push(serde_json::to_value(p.collection).expect("json").to_string());
        }
        companion_app::views::CoreEvent::SyncStatus(s) => {
            if let Some(note) = s.plan_note {
                sink.lock().expect("lock").push(note);
            }
        }
        _ => {}
    }));
    app.account.sign_in(ReturnPath::Loopback, browser).await.expect("sign-in");
    app.data.set_network(companion_app::views::NetworkChoice::Mobile).expect("mobile data");
    let (status, _) = app.updates.sync_now(rig.sim.now()).await.expect("first update");
    assert!(status.last_error.is_none() && status.plan_note.is_none(), "{status:?}");
    let told = heard.lock().expect("lock").clone();
    assert!(told.iter().any(|h| h.contains("attachments wait for Wi-Fi")), "the member was told: {told:?}");
    let bodies = told.iter().position(|h| h == "\"bodies\"").expect("the newest bodies step");
    let calendar = told.iter().position(|h| h == "\"calendar\"").expect("the calendar step");
    assert!(bodies < calendar, "the newest mail is readable before the rest comes: {told:?}");

    let inbox = inbox_of(&app);
    let page = app.mail.page(&inbox.id, None, 300).expect("page").items;
    let newest = app.mail.open(&page[0].id).await.expect("open");
    assert_eq!(newest.body_state, companion_app::views::BodyState::Ready, "the newest message was fetched ahead");
    let with_attachments: Vec<_> = page.iter().filter(|m| m.has_attachments).take(10).collect();
    assert!(!with_attachments.is_empty());
    let mut saved = 0;
    for m in &with_attachments {
        saved += app.mail.open(&m.id).await.expect("open").attachments.iter().filter(|a| a.saved).count();
    }
    assert_eq!(saved, 0, "no attachment was fetched ahead on mobile data");
    let directory = app.directory.search("").expect("directory");
    assert_eq!((directory.held, directory.refreshed_at.as_deref()), (0, None), "the directory waits for Wi-Fi");

    // On Wi-Fi, the next update fetches what waited, and the plan is not needed again.
    app.data.set_network(companion_app::views::NetworkChoice::Wifi).expect("Wi-Fi");
    app.updates.sync_now(rig.sim.now()).await.expect("update on Wi-Fi");
    let mut saved = 0;
    for m in &with_attachments {
        saved += app.mail.open(&m.id).await.expect("open").attachments.iter().filter(|a| a.saved).count();
    }
    assert!(saved > 0, "the attachments came on Wi-Fi");
    // The council's directory came too, and answers from the cache.
    let directory = app.directory.search("").expect("directory");
    assert_eq!(directory.held as usize, rig.sim.snapshot().directory.len());
    assert!(directory.refreshed_at.is_some());
    let someone = directory.people.iter().find(|p| p.job_title.as_deref() != Some("Councillor")).expect("staff");
    let surname = someone.display_name.rsplit(' ').next().expect("a surname");
    let found = app.directory.search(&surname[..3]).expect("search");
    assert!(found.people.iter().any(|p| p.id == someone.id), "found by the start of a surname");
    assert_eq!(app.directory.person(&someone.id).expect("person").mail, someone.mail);
    let typed = someone.mail.as_deref().expect("an address");
    let offered = app.directory.suggest_addresses(&typed[..4]).expect("suggestions");
    assert!(!offered.is_empty() && offered.len() <= 8, "{offered:?}");
    app.data.set_network(companion_app::views::NetworkChoice::Mobile).expect("mobile data");
    heard.lock().expect("lock").clear();
    app.updates.sync_now(rig.sim.now()).await.expect("later update on mobile data");
    let told = heard.lock().expect("lock").clone();
    assert!(!told.iter().any(|h| h.contains("wait for Wi-Fi")), "the cache is filled: no plan again: {told:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_attachment_on_mobile_data_shows_its_size_first_and_is_saved_once_agreed() {
    let rig = Rig::start(300).await;
    let app = rig.open().await;
    app.account.sign_in(ReturnPath::Loopback, browser).await.expect("sign-in");
    app.updates.sync_now(rig.sim.now()).await.expect("sync");
    app.data.set_network(companion_app::views::NetworkChoice::Mobile).expect("mobile data");
    let inbox = inbox_of(&app);
    let mut found = None;
    for m in app.mail.page(&inbox.id, None, 300).expect("page").items.iter().filter(|m| m.has_attachments) {
        let opened = app.mail.open(&m.id).await.expect("open");
        if let Some(a) = opened.attachments.into_iter().find(|a| !a.saved) {
            found = Some((m.id.clone(), a));
            break;
        }
    }
    let (message_id, attachment) = found.expect("a message with an attachment");
    let first =
        serde_json::to_value(app.mail.download_attachment(&message_id, &attachment.id, false).await.expect("ask"))
            .expect("json");
    assert_eq!(first["state"], "confirm", "{first}");
    assert_eq!(first["size"], attachment.size);
    let saved =
        serde_json::to_value(app.mail.download_attachment(&message_id, &attachment.id, true).await.expect("download"))
            .expect("json");
    assert_eq!(saved["state"], "saved", "{saved}");
    let path = std::path::PathBuf::from(saved["path"].as_str().expect("path"));
    assert_eq!(std::fs::metadata(&path).expect("the file is there").len(), attachment.size);
    assert!(path.starts_with(rig.dir.path()), "kept in the app's own folder");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_trial_evidence_reaches_the_lists_once_with_no_mail_content_and_no_token() {
    const CANARY: &str = "CANARYQ7X9";
    let rig = Rig::start(60).await;
    let app = rig.open().await;
    // The simulator's clock throughout (the mail window follows it).
    let now = rig.sim.now();
    // Enrolled last month, so last month's usage report is due.
    app.account.sign_in(ReturnPath::Loopback, browser).await.expect("sign-in");
    let consent = app.trial.set_consent(true, true, now - chrono::Duration::days(40)).expect("consent");
    let member = rig.sim.credentials();
    let id = rig.sim.deliver_html(
        "Resident",
        "resident@outside.example",
        &format!("Flooding at {CANARY} Lane"),
        &format!("<p>The drain at {CANARY} Lane is blocked again.</p>"),
    );
    app.updates.sync_now(now).await.expect("sync");
    app.mail.open(&id).await.expect("open");
    app.search.search(CANARY).expect("search");
    app.mail.reply(&id, &format!("I will chase {CANARY} Lane with highways."), false).await.expect("reply");
    // A failed update leaves a code in the diagnostics, not its text.
    rig.sim.set_faults(companion_graph_sim::FaultPlan::only(5, 1.0, &[companion_graph_sim::FaultKind::Unavailable]));
    let (failed, _) = app.updates.sync_now(now).await.expect("a failed update is a status");
    assert!(failed.last_error.is_some());
    rig.sim.set_faults(companion_graph_sim::FaultPlan::none());
    let diagnostics = app.trial.diagnostics().expect("diagnostics");
    assert!(!diagnostics.recent_error_codes.is_empty(), "{diagnostics:?}");
    app.trial
        .send_help(companion_app::views::HelpCategory::Sync, "Mail is slow on the train.", now)
        .await
        .expect("help");

    let due =
        serde_json::to_value(app.trial.survey_due(now).expect("due").expect("the baseline is offered")).expect("json");
    assert_eq!(due["surveyId"], "baseline");
    let survey = serde_json::to_value(app.trial.survey_open("baseline", now).expect("open")).expect("json");
    let rid = survey["responseId"].as_str().expect("id").to_owned();
    use companion_app::views::SurveyAnswer as A;
    app.trial.survey_answer(&rid, "role", Some(A::Choice("Committee chair or vice-chair".into()))).expect("answer");
    app.trial.survey_answer(&rid, "current-device", Some(A::Choices(vec!["Council laptop".into()]))).expect("answer");
    app.trial.survey_answer(&rid, "checks-per-day", Some(A::Choice("Three to five times".into()))).expect("answer");
    app.trial.survey_answer(&rid, "confidence", Some(A::Choice("Agree".into()))).expect("answer");
    app.trial.survey_answer(&rid, "missed-info", Some(A::Choice("No".into()))).expect("answer");
    app.trial.survey_submit(&rid, due["key"].as_str().expect("key"), now).expect("submit");
    assert!(
        app.trial.survey_due(now).expect("due").is_none_or(|p| p.survey_id != "baseline"),
        "the baseline is not offered again"
    );

    for _ in 0..2 {
        app.updates.sync_now(now).await.expect("sync delivers the evidence");
    }
    assert_eq!(app.trial.pending().expect("pending"), (0, 0, 0));
    let desk: Vec<_> = rig
        .sim
        .sent_mail()
        .into_iter()
        .filter(|m| m.to.contains(&"servicedesk@demoborough.example".to_owned()))
        .collect();
    assert_eq!(desk.len(), 1, "the service desk is emailed once: {desk:?}");
    assert!(
        desk[0].subject.contains(&consent.member_code) && desk[0].body.contains("Mail is slow on the train."),
        "{desk:?}"
    );
    assert!(!desk[0].body.contains(CANARY), "no mail content in the help email");
    // Every list `provision` made, the canary looked for in all of them.
    let lists: Vec<_> = companion_evidence::trial_lists().iter().map(|l| rig.sim.list_items(l.name)).collect();
    assert_eq!(lists.len(), 7, "every list provision makes");
    assert_eq!(
        lists.iter().map(Vec::len).collect::<Vec<_>>(),
        vec![1, 5, 1, 1, 0, 0, 0],
        "one of each (an item per answer), even after two updates: {lists:#?}"
    );
    let refresh = rig.keystore().get(SecretName::RefreshToken).expect("keyring").expect("token");
    let refresh = String::from_utf8_lossy(&refresh).into_owned();
    let delivered =
        serde_json::to_string(&lists.iter().flatten().map(|i| &i.fields).collect::<Vec<_>>()).expect("json");
    for secret in [CANARY, refresh.as_str(), member.member_mail.as_str(), member.member_name.as_str()] {
        assert!(!delivered.contains(secret), "“{secret}” left the device: {delivered}");
    }
    assert!(delivered.contains(&consent.member_code), "the lists know the member by their code");
    // Typed columns an officer can sum and chart, not JSON text (last cycle's report: this
    // cycle's opening and searching go in the next one).
    let usage = &lists[3][0].fields;
    assert!(usage["UsesMailOpened"].is_u64() && usage["UsesSearch"].is_u64(), "{usage:?}");
    assert!(usage["MailHeadersMobileBytes"].is_u64() && usage["MailHeadersWifiBytes"].is_u64(), "{usage:?}");
    assert!(usage["OverCap"].is_boolean() && usage["CapBytes"].is_u64(), "{usage:?}");
    assert!(usage.get("FeatureUse").is_none() && usage.get("Bytes").is_none(), "{usage:?}");
    let support = &lists[2][0].fields;
    assert!(
        support["RecentErrors"].as_str().is_some_and(|e| !e.is_empty()) && support["Online"].is_boolean(),
        "{support:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_meeting_shows_who_is_invited_and_their_answers_and_a_date_far_out_is_refused() {
    let rig = Rig::start(50).await;
    let app = rig.open().await;
    app.account.sign_in(ReturnPath::Loopback, browser).await.expect("sign-in");
    app.updates.sync_now(rig.sim.now()).await.expect("sync");
    let from = rig.sim.now().date_naive() - chrono::Duration::days(30);
    let events: Vec<_> = (0..3)
        .flat_map(|i| app.calendar.agenda(from + chrono::Duration::days(62 * i), 62).expect("agenda"))
        .flat_map(|d| d.events)
        .collect();
    for far in
        [chrono::NaiveDate::MAX, chrono::NaiveDate::MIN, chrono::Datelike::with_year(&from, 9999).unwrap_or(from)]
    {
        assert!(
            matches!(app.calendar.agenda(far, 62), Err(companion_app::AppCoreError::Invalid(_))),
            "a date far out is refused, not a panic: {far}"
        );
    }
    let mut meeting = None;
    for e in &events {
        let detail = app.calendar.event(&e.id).await.expect("event");
        if detail.attendees.len() >= 4 {
            meeting = Some(detail);
            break;
        }
    }
    let meeting = meeting.expect("a meeting with four or more invited");
    use companion_app::views::{AttendeeKind, ResponseStatus};
    let answers: Vec<ResponseStatus> = meeting.attendees.iter().map(|a| a.response).collect();
    assert!(answers.contains(&ResponseStatus::Accepted) && answers.contains(&ResponseStatus::Declined), "{answers:?}");
    assert!(meeting.attendees.iter().any(|a| a.kind == AttendeeKind::Optional), "optional attendees are told apart");
    assert!(meeting.attendees.iter().all(|a| a.address.contains('@')), "every attendee has an address");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn opening_an_uncached_message_offline_says_offline_without_waiting_out_the_retries() {
    let rig = Rig::start(300).await;
    let app = rig.open().await;
    app.account.sign_in(ReturnPath::Loopback, browser).await.expect("sign-in");
    app.updates.sync_now(rig.sim.now()).await.expect("sync");
    let inbox = inbox_of(&app);
    // Only the newest days' bodies are fetched ahead: the oldest message's is not here.
    let oldest = app.mail.page(&inbox.id, None, 300).expect("page").items.pop().expect("a message");
    rig.sim.set_faults(companion_graph_sim::FaultPlan::only(
        9,
        1.0,
        &[companion_graph_sim::FaultKind::ConnectionReset],
    ));
    // The whole retry schedule takes well over ten seconds; a member waiting is told at once.
    let opened = tokio::time::timeout(std::time::Duration::from_secs(8), app.mail.open(&oldest.id))
        .await
        .expect("no wait through the retries")
        .expect("the cached message opens");
    assert_eq!(opened.body_state, companion_app::views::BodyState::Offline);
    assert_eq!(opened.summary.subject, oldest.subject, "what is cached is shown");
    let (status, _) = app.updates.sync_now(rig.sim.now()).await.expect("a failed update is a status");
    assert!(!status.online, "the status says offline");
    rig.sim.set_faults(companion_graph_sim::FaultPlan::none());
    let opened = app.mail.open(&oldest.id).await.expect("open");
    assert_eq!(opened.body_state, companion_app::views::BodyState::Ready, "back online, the body comes");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_older_than_the_cache_is_found_on_the_server_with_its_cost_and_opens_and_offline_says_so() {
    // About a hundred days of mail, of which the cache keeps thirty.
    let rig = Rig::start(3_000).await;
    let app = rig.open().await;
    app.account.sign_in(ReturnPath::Loopback, browser).await.expect("sign-in");
    app.updates.sync_now(rig.sim.now()).await.expect("sync");
    let snap = rig.sim.snapshot();
    let old = snap
        .messages
        .iter()
        .filter(|m| m.received < rig.sim.now() - chrono::Duration::days(60))
        .min_by_key(|m| m.received)
        .expect("a message from long ago");
    assert!(
        app.search.search(&old.subject).expect("local").mail.iter().all(|h| h.id != old.immutable_id),
        "outside the window, the cache does not have it"
    );

    let found = app.search.search_server(&old.subject).await.expect("server search");
    let hit = found.mail.iter().find(|h| h.id == old.immutable_id).expect("the server finds it");
    assert!(found.bytes > 0, "the search's cost is told");
    assert_eq!(hit.title, old.subject);
    let opened = app.mail.open(&hit.id).await.expect("it opens like cached mail");
    assert_eq!(opened.body_state, companion_app::views::BodyState::Ready);
    let data = serde_json::to_value(app.data.overview(chrono::Utc::now()).expect("data")).expect("json");
    assert!(data["appWifiBytes"].as_u64().expect("wifi") >= found.bytes, "metered like every download");

    rig.sim.set_faults(companion_graph_sim::FaultPlan::only(
        9,
        1.0,
        &[companion_graph_sim::FaultKind::ConnectionReset],
    ));
    let offline = tokio::time::timeout(std::time::Duration::from_secs(8), app.search.search_server("budget"))
        .await
        .expect("a member waiting is told at once")
        .expect_err("offline");
    assert_eq!(offline.kind(), companion_app::ErrorKind::Offline, "{offline}");
    rig.sim.set_faults(companion_graph_sim::FaultPlan::none());
}

/// Collects the new-mail notifications the core asks the shell to show.
fn new_mail_notices(app: &Companion) -> Arc<std::sync::Mutex<Vec<companion_app::views::NewMailNotice>>> {
    let heard = Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = heard.clone();
    app.subscribe(Arc::new(move |event| {
        if let companion_app::views::CoreEvent::NewMail(notice) = event {
            sink.lock().expect("lock").push(notice);
        }
    }));
    heard
}

fn taken(
    heard: &std::sync::Mutex<Vec<companion_app::views::NewMailNotice>>,
) -> Vec<companion_app::views::NewMailNotice> {
    std::mem::take(&mut *heard.lock().expect("lock"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn new_mail_gives_one_private_notification_an_update_and_the_council_s_policy_keeps_it_private() {
    let rig = Rig::start(300).await;
    let app = rig.open().await;
    let heard = new_mail_notices(&app);
    app.account.sign_in(ReturnPath::Loopback, browser).await.expect("sign-in");
    app.updates.sync_now(rig.sim.now()).await.expect("first update");
    assert!(taken(&heard).is_empty(), "the mailbox as it stood at sign-in is not news");

    let id = rig.sim.deliver_html("Chief Executive", "ceo@demoborough.example", "Confidential: budget gap", "<p>x</p>");
    app.updates.sync_now(rig.sim.now()).await.expect("update");
    let notices = taken(&heard);
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert_eq!(notices[0].title, "New council email");
    assert_eq!(notices[0].body, "1 new message");
    assert_eq!(notices[0].message_id.as_deref(), Some(id.as_str()), "it opens the message");

    // The member asks for details, but the council's default policy keeps notifications private.
    let mut settings = app.notifications.settings().expect("settings");
    assert!(!settings.show_details && !settings.details_allowed);
    settings.show_details = true;
    app.notifications.set_settings(&settings).expect("kept");
    rig.sim.deliver_html("Democratic Services", "democratic.services@demoborough.example", "Agenda", "<p>a</p>");
    rig.sim.deliver_html("Highways", "highways@demoborough.example", "Potholes", "<p>b</p>");
    app.updates.sync_now(rig.sim.now()).await.expect("update");
    let notices = taken(&heard);
    assert_eq!(notices.len(), 1, "one summary for the update: {notices:?}");
    assert_eq!((notices[0].title.as_str(), notices[0].body.as_str()), ("New council email", "2 new messages"));
    assert_eq!(notices[0].message_id, None, "several open the inbox");
    let text = format!("{notices:?}");
    assert!(!text.contains("Agenda") && !text.contains("Highways"), "{text}");

    app.updates.sync_now(rig.sim.now()).await.expect("nothing new");
    assert!(taken(&heard).is_empty(), "told once");

    settings.quiet_from = Some("25:00".into());
    settings.quiet_until = Some("07:00".into());
    assert_eq!(
        app.notifications.set_settings(&settings).expect_err("not a time").kind(),
        companion_app::ErrorKind::Invalid
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn where_the_council_allows_details_they_show_and_quiet_hours_let_only_vip_mail_through() {
    let rig = Rig::start(300).await;
    let policy = ProtectionPolicy { private_notifications: false, ..ProtectionPolicy::default() };
    let app = rig.start_core(Some(policy));
    app.protection.choose_pin(PIN, chrono::Utc::now()).await.expect("PIN");
    let heard = new_mail_notices(&app);
    app.account.sign_in(ReturnPath::Loopback, browser).await.expect("sign-in");
    app.updates.sync_now(rig.sim.now()).await.expect("first update");

    let mut settings = app.notifications.settings().expect("settings");
    assert!(settings.details_allowed);
    settings.show_details = true;
    app.notifications.set_settings(&settings).expect("kept");
    rig.sim.deliver_html("Planning Services", "planning@demoborough.example", "Mill Lane appeal", "<p>x</p>");
    app.updates.sync_now(rig.sim.now()).await.expect("update");
    let notices = taken(&heard);
    assert_eq!((notices[0].title.as_str(), notices[0].body.as_str()), ("Planning Services", "Mill Lane appeal"));

    // Quiet hours around now (London time), with the leader as a VIP.
    let london = chrono::Utc::now().with_timezone(&chrono_tz::Europe::London);
    settings.quiet_from = Some((london - chrono::Duration::hours(1)).format("%H:%M").to_string());
    settings.quiet_until = Some((london + chrono::Duration::hours(1)).format("%H:%M").to_string());
    settings.vip_senders = vec!["Leader@DemoBorough.example".into()];
    let kept = app.notifications.set_settings(&settings).expect("kept");
    assert_eq!(kept.vip_senders, vec!["leader@demoborough.example".to_owned()]);
    rig.sim.deliver_html("A resident", "resident@mail.example", "Noise at night", "<p>x</p>");
    app.updates.sync_now(rig.sim.now()).await.expect("update");
    assert!(taken(&heard).is_empty(), "quiet hours: not a VIP");
    rig.sim.deliver_html("Council Leader", "leader@demoborough.example", "Tomorrow's meeting", "<p>x</p>");
    app.updates.sync_now(rig.sim.now()).await.expect("update");
    let notices = taken(&heard);
    assert_eq!(notices.len(), 1);
    assert_eq!(notices[0].title, "Council Leader", "{notices:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_meeting_reminds_the_member_once_at_its_own_reminder_time_privately_by_default() {
    let rig = Rig::start(300).await;
    let app = rig.open().await;
    app.account.sign_in(ReturnPath::Loopback, browser).await.expect("sign-in");
    app.updates.sync_now(rig.sim.now()).await.expect("sync");
    let now = rig.sim.now();
    let meeting = app
        .calendar
        .agenda(now.date_naive(), 30)
        .expect("agenda")
        .into_iter()
        .flat_map(|day| day.events)
        .find(|e| {
            !e.is_cancelled
                && !e.is_all_day
                && e.response_status != companion_app::views::ResponseStatus::Declined
                && chrono::DateTime::parse_from_rfc3339(&e.start).is_ok_and(|s| s > now + chrono::Duration::hours(1))
        })
        .expect("a meeting to come");
    let start = chrono::DateTime::parse_from_rfc3339(&meeting.start).expect("start").with_timezone(&chrono::Utc);
    // The simulator's meetings remind 15 minutes before (Graph's reminderMinutesBeforeStart).
    let reminder = start - chrono::Duration::minutes(15);
    let due = |from: chrono::DateTime<chrono::Utc>, to| {
        app.notifications
            .due_reminders(from, to)
            .expect("reminders")
            .into_iter()
            .filter(|n| n.event_id == meeting.id)
            .count()
    };
    assert_eq!(due(reminder - chrono::Duration::seconds(30), reminder), 1, "due in the window that holds its time");
    assert_eq!(due(reminder, reminder + chrono::Duration::seconds(30)), 0, "and only then");
    assert_eq!(due(reminder - chrono::Duration::hours(2), reminder - chrono::Duration::minutes(1)), 0, "not early");

    let notice = app
        .notifications
        .due_reminders(reminder - chrono::Duration::seconds(30), reminder)
        .expect("reminders")
        .into_iter()
        .find(|n| n.event_id == meeting.id)
        .expect("its reminder");
    assert_eq!(notice.title, "Council meeting soon");
    assert!(notice.body.starts_with("Starts at "), "{}", notice.body);
    assert!(!notice.body.contains(&meeting.subject), "private by default");

    let mut settings = app.notifications.settings().expect("settings");
    settings.meeting_reminders = false;
    app.notifications.set_settings(&settings).expect("kept");
    assert_eq!(due(reminder - chrono::Duration::seconds(30), reminder), 0, "turned off");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_laptop_the_system_calls_metered_counts_as_mobile_data_until_the_member_says_otherwise() {
    use companion_app::views::{NetworkChoice, NetworkKind, NetworkSource};
    use companion_network_cost::fake::{serve_network_manager, set_metered, PrivateBus};
    let rig = Rig::start(30).await;
    let bus = PrivateBus::start().expect("dbus-daemon (package dbus-daemon) is installed");
    // Tethered to the trial phone: NetworkManager says the connection is metered.
    let nm = serve_network_manager(&bus, 1).await.expect("the fake NetworkManager");
    let mut config = rig.config();
    config.network_bus = Some(bus.address.clone());
    let app = Arc::new(Companion::open_managed(config, rig.dir.path(), false, None).expect("core"));
    app.protection.choose_pin(PIN, chrono::Utc::now()).await.expect("PIN");
    app.account.sign_in(ReturnPath::Loopback, browser).await.expect("sign-in");
    let seen = |app: &Companion| {
        let o = app.data.overview(chrono::Utc::now()).expect("overview");
        (o.network, o.network_source)
    };
    assert_eq!(seen(&app), (NetworkKind::Wifi, NetworkSource::Assumed), "nothing asked yet");
    app.updates.sync_now(rig.sim.now()).await.expect("update");
    assert_eq!(seen(&app), (NetworkKind::Mobile, NetworkSource::System), "the update asked the system");

    // The member's choice overrides the system's, and can be handed back to it.
    app.data.set_network(NetworkChoice::Wifi).expect("chosen");
    assert_eq!(seen(&app), (NetworkKind::Wifi, NetworkSource::Member));
    app.data.set_network(NetworkChoice::System).expect("follow the system");
    assert_eq!(seen(&app), (NetworkKind::Mobile, NetworkSource::System));

    // Back on the office Wi-Fi: the next update sees it.
    set_metered(&nm, 2).await.expect("changed");
    app.updates.sync_now(rig.sim.now()).await.expect("update");
    assert_eq!(seen(&app), (NetworkKind::Wifi, NetworkSource::System));
}
