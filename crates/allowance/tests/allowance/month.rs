//! A heavy councillor's month on the simulator's timeline, with and without the governor.

use companion_allowance::simulation::{run_month, MonthPlan};
use companion_allowance::GB;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_heavy_month_goes_over_without_the_governor_and_stays_under_with_it() {
    let free = run_month(&MonthPlan::heavy(false)).await.expect("ungoverned month");
    let governed = run_month(&MonthPlan::heavy(true)).await.expect("governed month");
    eprintln!("ungoverned: {free:?}\ngoverned: {governed:?}");
    assert!(free.phone_bytes > GB, "without the governor the phone goes over 1 GB: {free:?}");
    assert!(governed.phone_bytes < GB, "with it the phone stays under: {governed:?}");
    assert!(governed.opened > 500, "{governed:?}");
    assert_eq!(governed.opened_without_body, 0, "every message the member opened had its body");
    assert_eq!(free.opened_without_body, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_heavy_month_with_packs_from_the_committee_site_fetches_them_ahead_on_home_wifi_and_asks_on_mobile_data() {
    let mobile = run_month(&MonthPlan::heavy_with_papers(true, false)).await.expect("all month on mobile data");
    let home = run_month(&MonthPlan::heavy_with_papers(true, true)).await.expect("home Wi-Fi in the evenings");
    eprintln!("all mobile: {mobile:?}\nhome Wi-Fi: {home:?}");
    assert!(mobile.meetings >= 4 && mobile.meetings == home.meetings, "a heavy month of meetings: {mobile:?}");
    // All month on mobile data nothing is fetched ahead: the member asks, the governor decides.
    assert!(mobile.papers_asked > 0 && mobile.papers_mobile_bytes > 0);
    assert!(mobile.phone_bytes < GB, "the governor keeps the phone under 1 GB: {mobile:?}");
    // With Wi-Fi at home, every meeting's papers are on the phone the evening before, and
    // papers cost mobile data only for reading the site in the day (a few MB a month for a
    // member on every committee).
    assert_eq!((home.papers_asked, home.meetings_ready), (0, home.meetings), "{home:?}");
    assert!(home.papers_bytes > 20 * companion_allowance::MB, "{home:?}");
    assert!(home.papers_mobile_bytes < 5 * companion_allowance::MB, "{home:?}");
    assert!(home.papers_mobile_bytes * 20 < mobile.papers_mobile_bytes, "{home:?}");
    assert_eq!(home.opened_without_body, 0);
}
