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
