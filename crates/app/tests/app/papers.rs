//! Committee papers through the app core, against the simulator's modern.gov: the member's
//! meetings with the update, packs fetched ahead on Wi-Fi and not on mobile data until the
//! member agrees, supplements marked new, exempt papers not kept, every byte in the ledger once;
//! the member's notes on papers kept on the phone and, once they choose, in their OneDrive.

use super::{browser, Rig, PIN};
use base64::Engine as _;
use chrono::{Duration, NaiveDate};
use companion_app::views::{CommitteeMeetingSummary, NetworkChoice, NotesBackup, PaperDownload};
use companion_app::ErrorKind;
use companion_app::{CommitteePapersConfig, Companion, ReturnPath};
use companion_graph_sim::SimConfig;
use companion_graph_sim::{FaultKind, FaultPlan};
use std::sync::Arc;

async fn member_with_papers() -> (Rig, Arc<Companion>) {
    let mut config = SimConfig::default().with_messages(30).with_events(10).with_contacts(5).with_directory(10);
    config.access_token_lifetime = Duration::days(120);
    let rig = Rig::start_with(config).await;
    let mut app_config = rig.config();
    app_config.committee_papers = Some(CommitteePapersConfig {
        site: rig.sim.committee_site(),
        member_id: rig.sim.committee_member_id(),
        exempt_papers: false,
    });
    let app = Arc::new(Companion::open_managed(app_config, rig.dir.path(), false, None).expect("core"));
    // The ledger dates bytes by the simulator's months (set before the session starts).
    app.set_clock(rig.sim.clock());
    app.protection.choose_pin(PIN, chrono::Utc::now()).await.expect("PIN");
    app.account.sign_in(ReturnPath::Loopback, browser).await.expect("sign-in");
    (rig, app)
}

fn day(m: &CommitteeMeetingSummary) -> NaiveDate {
    m.day.parse().expect("day")
}

/// Moves the simulator on to two days before `m`, and updates.
async fn two_days_before(rig: &Rig, app: &Companion, m: &CommitteeMeetingSummary) {
    let days = (day(m) - rig.sim.now().date_naive()).num_days() - 2;
    if days > 0 {
        rig.sim.advance(Duration::days(days));
    }
    app.updates.sync_now(rig.sim.now()).await.expect("update");
}

fn meeting(app: &Companion, id: u32, rig: &Rig) -> CommitteeMeetingSummary {
    app.papers.my_meetings(rig.sim.now()).expect("meetings").into_iter().find(|m| m.id == id).expect("the meeting")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pack_is_fetched_ahead_on_wifi_and_on_mobile_data_only_once_the_member_agrees() {
    let (rig, app) = member_with_papers().await;
    // Democratic services invite the member to their committees' meetings.
    let invited = rig.sim.invite_to_committee_meetings();
    app.data.set_network(NetworkChoice::Wifi).expect("Wi-Fi");
    app.updates.sync_now(rig.sim.now()).await.expect("first update");
    let meetings = app.papers.my_meetings(rig.sim.now()).expect("my meetings");
    let upcoming = meetings.iter().filter(|m| !m.cancelled && day(m) >= rig.sim.now().date_naive()).count();
    assert!(invited >= upcoming && upcoming > 0);
    for m in meetings.iter().filter(|m| !m.cancelled && day(m) >= rig.sim.now().date_naive()) {
        let event = m.event_id.as_deref().expect("each meeting is joined to its calendar entry");
        assert_eq!(app.calendar.event(event).await.expect("the entry").summary.subject, m.committee);
    }
    let committees: std::collections::BTreeSet<&str> = meetings.iter().map(|m| m.committee.as_str()).collect();
    assert!(committees.contains("Council") && committees.len() <= 3, "the member's committees only: {committees:?}");
    assert!(meetings.windows(2).all(|w| w[0].day <= w[1].day), "in date order");
    let today = rig.sim.now().date_naive();
    let ahead: Vec<&CommitteeMeetingSummary> =
        meetings.iter().filter(|m| day(m) > today + Duration::days(3) && !m.cancelled).collect();
    // On Wi-Fi, two days before a meeting, its pack is on the device.
    let first = ahead.first().copied().expect("a meeting ahead").clone();
    two_days_before(&rig, &app, &first).await;
    let first = meeting(&app, first.id, &rig);
    assert!(first.agenda_published && first.papers > 0, "{first:?}");
    assert_eq!(first.stored_bytes, first.papers_bytes, "every paper fetched ahead on Wi-Fi");
    assert!(first.papers_bytes >= 2 * 1024 * 1024, "a pack weighs megabytes");
    // On mobile data, the next meeting's pack waits for the member.
    app.data.set_network(NetworkChoice::Mobile).expect("mobile");
    let next = app
        .papers
        .my_meetings(rig.sim.now())
        .expect("meetings")
        .into_iter()
        .find(|m| day(m) > day(&first) + Duration::days(2) && !m.cancelled)
        .expect("another meeting");
    two_days_before(&rig, &app, &next).await;
    let next = meeting(&app, next.id, &rig);
    assert!(next.papers > 0);
    assert_eq!(next.stored_bytes, 0, "nothing fetched ahead on mobile data");
    let agenda = app.papers.meeting(next.id, rig.sim.now()).expect("agenda");
    let paper = agenda.items.iter().flat_map(|i| &i.papers).next().expect("a paper").clone();
    let size = paper.size.expect("its size is shown before it is fetched");
    assert_eq!(
        app.papers.fetch_paper(next.id, paper.id, false).await.expect("asked"),
        PaperDownload::Confirm {
            size: Some(size),
            network: companion_app::views::NetworkKind::Mobile,
            reason: "You are on mobile data.".into()
        }
    );
    let papers_on_mobile = |app: &Companion| {
        app.data
            .overview(rig.sim.now())
            .expect("overview")
            .by_feature
            .iter()
            .find(|f| f.feature == "committee-papers")
            .map_or(0, |f| f.mobile_bytes)
    };
    let before = papers_on_mobile(&app);
    assert_eq!(app.papers.fetch_paper(next.id, paper.id, true).await.expect("fetched"), PaperDownload::Stored { size });
    let spent = papers_on_mobile(&app) - before;
    assert!(spent >= size && spent < size + 4096, "its bytes are in the ledger once: {spent} for {size}");
    // Stored: it opens offline, and asking again fetches nothing.
    let mut pdf = Vec::new();
    assert_eq!(app.papers.read_paper(next.id, paper.id, &mut pdf).expect("read"), size);
    assert!(pdf.starts_with(b"%PDF-"));
    // The in-app reader takes it in pieces.
    let piece = app.papers.paper_piece(next.id, paper.id, 0).expect("a piece");
    assert_eq!(piece.total, size);
    let first = base64::engine::general_purpose::STANDARD.decode(&piece.base64).expect("base64");
    assert_eq!(first[..], pdf[..first.len()]);
    assert_eq!(app.papers.fetch_paper(next.id, paper.id, false).await.expect("again"), PaperDownload::Stored { size });
    assert_eq!(papers_on_mobile(&app) - before, spent, "nothing fetched twice");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_supplement_published_after_the_member_looked_is_marked_new_and_exempt_papers_are_not_kept() {
    let (rig, app) = member_with_papers().await;
    app.data.set_network(NetworkChoice::Wifi).expect("Wi-Fi");
    let mut exempt_items = 0;
    let mut supplements = 0;
    // Six weeks of updates every other day, the member opening every agenda each time.
    for _ in 0..21 {
        app.updates.sync_now(rig.sim.now()).await.expect("update");
        for m in app.papers.my_meetings(rig.sim.now()).expect("meetings") {
            if m.new_papers > 0 {
                let view = app.papers.meeting(m.id, rig.sim.now()).expect("agenda");
                let new: Vec<&str> =
                    view.items.iter().flat_map(|i| &i.papers).filter(|p| p.new).map(|p| p.title.as_str()).collect();
                assert_eq!(new.len() as u32, m.new_papers);
                assert!(new.iter().all(|t| t.starts_with("Supplement")), "only a late paper is new: {new:?}");
                supplements += 1;
            }
            let view = app.papers.meeting(m.id, rig.sim.now()).expect("agenda");
            assert!(view.items.iter().flat_map(|i| &i.papers).all(|p| !p.new), "seen once opened");
            for item in view.items.iter().filter(|i| i.exempt) {
                assert!(item.papers.is_empty(), "an exempt paper is not kept unless the council allows it");
                exempt_items += 1;
            }
        }
        rig.sim.advance(Duration::days(2));
    }
    assert!(supplements > 0, "a supplement came after its agenda was opened");
    assert!(exempt_items > 0, "an exempt item was on an agenda");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_committee_site_is_read_every_few_hours_not_with_every_update() {
    let (rig, app) = member_with_papers().await;
    app.data.set_network(NetworkChoice::Wifi).expect("Wi-Fi");
    let papers_bytes = |app: &Companion| {
        app.data
            .overview(rig.sim.now())
            .expect("overview")
            .by_feature
            .iter()
            .find(|f| f.feature == "committee-papers")
            .map_or(0, |f| f.wifi_bytes + f.mobile_bytes)
    };
    app.updates.sync_now(rig.sim.now()).await.expect("first update");
    let first = papers_bytes(&app);
    assert!(first > 0, "the first update reads the site");
    rig.sim.advance(Duration::minutes(15));
    app.updates.sync_now(rig.sim.now()).await.expect("a quarter of an hour on");
    assert_eq!(papers_bytes(&app), first, "nothing asked of the site a quarter of an hour later");
    rig.sim.advance(Duration::hours(3));
    app.updates.sync_now(rig.sim.now()).await.expect("three hours on");
    assert!(papers_bytes(&app) > first, "read again after three hours");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notes_on_a_paper_stay_on_the_phone_and_once_the_member_chooses_are_saved_to_their_onedrive_after_a_dropped_connection(
) {
    let (rig, app) = member_with_papers().await;
    app.data.set_network(NetworkChoice::Wifi).expect("Wi-Fi");
    app.updates.sync_now(rig.sim.now()).await.expect("update");
    let m = app
        .papers
        .my_meetings(rig.sim.now())
        .expect("meetings")
        .into_iter()
        .find(|m| m.papers > 0)
        .expect("a meeting with papers");
    let paper =
        app.papers.meeting(m.id, rig.sim.now()).expect("agenda").items.into_iter().flat_map(|i| i.papers).next();
    let paper = paper.expect("a paper");
    let refused = app.papers.save_note(m.id, paper.id, None, None, "   ").await.expect_err("an empty note");
    assert_eq!(refused.kind(), ErrorKind::Invalid);
    // On the phone only, until the member chooses otherwise.
    let notes = app.papers.save_note(m.id, paper.id, None, Some(3), "Ask about the reserves").await.expect("a note");
    assert_eq!(notes.backup, NotesBackup::Off);
    let first = notes.notes[0].id;
    app.papers.save_note(m.id, paper.id, None, None, "Read before the group meeting").await.expect("another");
    // The connection drops as the member turns OneDrive on: the notes wait, and say why.
    rig.sim.set_faults(FaultPlan::only(9, 1.0, &[FaultKind::ConnectionReset]));
    let notes = app.papers.set_notes_to_one_drive(m.id, paper.id, true).await.expect("turned on");
    assert!(matches!(notes.backup, NotesBackup::Waiting { reason: Some(_) }), "{:?}", notes.backup);
    rig.sim.set_faults(FaultPlan::none());
    app.updates.sync_now(rig.sim.now()).await.expect("the next update");
    let notes = app.papers.notes(m.id, paper.id).expect("notes");
    let NotesBackup::Saved { file, .. } = notes.backup else { panic!("saved with the update: {:?}", notes.backup) };
    let in_drive = |file: &str| {
        let bytes = rig.sim.drive_file(&format!("Member Companion/Committee notes/{file}")).expect("in OneDrive");
        String::from_utf8(bytes).expect("text")
    };
    let text = in_drive(&file);
    assert!(file.contains(&m.committee) && file.ends_with(".md"), "{file}");
    assert!(text.contains(&paper.title), "{text}");
    assert!(
        text.find("## The whole paper").expect("whole") < text.find("## Page 3\n\nAsk about the reserves").expect("3")
    );
    // A change is saved at once, over the same file; a deleted note goes from it too.
    let notes = app.papers.save_note(m.id, paper.id, Some(first), Some(4), "Reserves: page 4").await.expect("edit");
    assert!(matches!(&notes.backup, NotesBackup::Saved { file: f, .. } if *f == file), "{:?}", notes.backup);
    assert!(in_drive(&file).contains("## Page 4\n\nReserves: page 4") && !in_drive(&file).contains("Page 3"));
    let whole = notes.notes.iter().find(|n| n.page.is_none()).expect("the whole-paper note").id;
    let notes = app.papers.delete_note(m.id, paper.id, whole).await.expect("deleted");
    assert_eq!(notes.notes.len(), 1);
    assert!(!in_drive(&file).contains("group meeting"));
    assert_eq!(app.papers.delete_note(m.id, paper.id, whole).await.expect_err("gone").kind(), ErrorKind::NotFound);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_paper_cut_short_is_not_kept_half_and_comes_whole_when_asked_again() {
    let (rig, app) = member_with_papers().await;
    // On mobile data nothing is fetched ahead; the days pass until an agenda is out.
    app.data.set_network(NetworkChoice::Mobile).expect("mobile");
    let mut found = None;
    for _ in 0..21 {
        app.updates.sync_now(rig.sim.now()).await.expect("update");
        found = app.papers.my_meetings(rig.sim.now()).expect("meetings").into_iter().find(|m| m.papers > 0);
        if found.is_some() {
            break;
        }
        rig.sim.advance(Duration::days(1));
    }
    let m = found.expect("a meeting with papers");
    assert_eq!(m.stored_bytes, 0);
    app.data.set_network(NetworkChoice::Wifi).expect("Wi-Fi");
    let agenda = app.papers.meeting(m.id, rig.sim.now()).expect("agenda");
    let paper = agenda.items.iter().flat_map(|i| &i.papers).max_by_key(|p| p.size).expect("a paper").clone();
    let size = paper.size.expect("sized");
    // Every answer stops half-way: the paper is not kept, not even in part.
    rig.sim.set_faults(FaultPlan::only(3, 1.0, &[FaultKind::TruncatedBody]));
    app.papers.fetch_paper(m.id, paper.id, false).await.expect_err("cut short");
    rig.sim.set_faults(FaultPlan::none());
    let again = app.papers.meeting(m.id, rig.sim.now()).expect("agenda");
    assert!(again.items.iter().flat_map(|i| &i.papers).all(|p| !p.stored), "nothing kept of a paper cut short");
    assert!(app.papers.paper_piece(m.id, paper.id, 0).is_err());
    // Asked again, it comes whole (written to the vault a part at a time as it arrives).
    assert_eq!(app.papers.fetch_paper(m.id, paper.id, false).await.expect("fetched"), PaperDownload::Stored { size });
    let mut pdf = Vec::new();
    assert_eq!(app.papers.read_paper(m.id, paper.id, &mut pdf).expect("read"), size);
    assert!(pdf.starts_with(b"%PDF-") && pdf.trim_ascii_end().ends_with(b"%%EOF"));
}
