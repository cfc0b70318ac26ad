//! Issue 6's figure: a heavy councillor's month of mobile data with and without the governor,
//! in total and per message synced, as ratios (the ungoverned month is the baseline, run in
//! the same process on the same seeded simulator). Issue 18's: the same month with its agenda
//! packs from the council's committee site through the committee papers path, all month on
//! mobile data and with Wi-Fi at home in the evenings, against the same baseline.

use companion_allowance::simulation::{run_month, MonthOutcome, MonthPlan};
use companion_allowance::{describe_bytes, GB};

fn line(name: &str, o: &MonthOutcome) {
    let per_message = o.app_mobile_bytes as f64 / o.messages_arrived.max(1) as f64;
    println!(
        "{name:<20} app {:>8}  phone {:>8} ({:.0}% of 1 GB)  per message {:>7.1} KB  opened {} (without body {})  attachments asked {} (held back {})  syncs {}",
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
    if o.meetings > 0 {
        println!(
            "{:<20} papers {:>8} on mobile data of {:>8}  meetings {} (papers all on the phone the evening before: {})  papers asked {} (held back {})",
            "",
            describe_bytes(o.papers_mobile_bytes),
            describe_bytes(o.papers_bytes),
            o.meetings,
            o.meetings_ready,
            o.papers_asked,
            o.papers_held_back
        );
    }
}

fn ratio(name: &str, o: &MonthOutcome, base: &MonthOutcome) {
    println!(
        "ratio {name} / ungoverned: app bytes {:.3}, phone bytes {:.3}, bytes per message {:.3}",
        o.app_mobile_bytes as f64 / base.app_mobile_bytes as f64,
        o.phone_bytes as f64 / base.phone_bytes as f64,
        (o.app_mobile_bytes as f64 / o.messages_arrived.max(1) as f64)
            / (base.app_mobile_bytes as f64 / base.messages_arrived.max(1) as f64),
    );
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    let [free, governed, papers_mobile, papers_home] = rt.block_on(async {
        let free = run_month(&MonthPlan::heavy(false)).await.expect("ungoverned month");
        let governed = run_month(&MonthPlan::heavy(true)).await.expect("governed month");
        let papers_mobile =
            run_month(&MonthPlan::heavy_with_papers(true, false)).await.expect("papers month on mobile data");
        let papers_home = run_month(&MonthPlan::heavy_with_papers(true, true)).await.expect("papers month, home Wi-Fi");
        [free, governed, papers_mobile, papers_home]
    });
    println!("allowance_month: {} messages arrived in the month", free.messages_arrived);
    line("ungoverned", &free);
    line("governed", &governed);
    line("papers, mobile", &papers_mobile);
    line("papers, home Wi-Fi", &papers_home);
    ratio("governed", &governed, &free);
    ratio("papers on mobile data", &papers_mobile, &free);
    ratio("papers with home Wi-Fi", &papers_home, &free);
}
