//! Issue 6's figure: a heavy councillor's month of mobile data with and without the governor,
//! in total and per message synced, as ratios (the ungoverned month is the baseline, run in
//! the same process on the same seeded simulator).

use companion_allowance::simulation::{run_month, MonthOutcome, MonthPlan};
use companion_allowance::{describe_bytes, GB};

fn line(name: &str, o: &MonthOutcome) {
    let per_message = o.app_mobile_bytes as f64 / o.messages_arrived.max(1) as f64;
    println!(
        "{name:<12} app {:>8}  phone {:>8} ({:.0}% of 1 GB)  per message {:>7.1} KB  opened {} (without body {})  attachments asked {} (held back {})  syncs {}",
        describe_bytes(o.app_mobile_bytes),
        describe_bytes(o.phone_bytes),
        o.phone_bytes as f64 / GB as f64 * 100.0,
        per_message / 1024.0,
        o.opened,
        o.opened_without_body,
        o.attachments_asked,
        o.attachments_held_back,
        o.syncs
    );
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    let (free, governed) = rt.block_on(async {
        let free = run_month(&MonthPlan::heavy(false)).await.expect("ungoverned month");
        let governed = run_month(&MonthPlan::heavy(true)).await.expect("governed month");
        (free, governed)
    });
    println!("allowance_month: {} messages arrived in the month", free.messages_arrived);
    line("ungoverned", &free);
    line("governed", &governed);
    println!(
        "ratio governed / ungoverned: app bytes {:.3}, phone bytes {:.3}, bytes per message {:.3}",
        governed.app_mobile_bytes as f64 / free.app_mobile_bytes as f64,
        governed.phone_bytes as f64 / free.phone_bytes as f64,
        (governed.app_mobile_bytes as f64 / governed.messages_arrived.max(1) as f64)
            / (free.app_mobile_bytes as f64 / free.messages_arrived.max(1) as f64),
    );
}
