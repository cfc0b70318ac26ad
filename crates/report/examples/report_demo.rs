//! `make report-demo`: a whole trial to try the report on. Ten members of one council, each
//! with the real app core, its own vault and its own keyring entries, live four months against
//! the simulator (see `tests/support/simulated_trial.rs`, which the golden tables of the
//! simulated trial share); the officer fetches the trial's lists from the council's site, and
//! the report is built and opened.

#[path = "../tests/support/simulated_trial.rs"]
mod simulated_trial;

use companion_report::{build, html, write_csvs, write_xlsx};
use simulated_trial::{Failure, MEMBERS};
use std::path::PathBuf;
use std::time::Instant;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), Failure> {
    let began = Instant::now();
    let out = PathBuf::from(std::env::var("REPORT_DEMO_OUT").unwrap_or_else(|_| "target/report-demo".into()));
    let _ = std::fs::remove_dir_all(&out);
    let work = tempfile::tempdir()?;
    let members = simulated_trial::live_trial(work.path(), |i, member| {
        println!(
            "member {} ({}) has lived the trial ({:.0} s so far)",
            i + 1,
            member.code,
            began.elapsed().as_secs_f64()
        );
    })
    .await?;
    let lists = out.join("lists");
    std::fs::create_dir_all(&lists)?;
    simulated_trial::fetch(&members[0].sim, &lists).await?;
    let codes: Vec<_> = members.iter().map(|m| (m.code.clone(), m.phone_mb.clone())).collect();
    let sections = build(&simulated_trial::inputs(&lists, &codes)?);
    let title = "Member device trial: the report (simulated trial)";
    write_csvs(&sections, &out)?;
    std::fs::write(out.join("report.html"), html(title, &sections))?;
    write_xlsx(title, &sections, &out.join("report.xlsx"))?;
    let page = std::fs::canonicalize(out.join("report.html"))?;
    println!("The report of a simulated {MEMBERS}-member, four-month trial: {}", page.display());
    println!("It took {:.0} s.", began.elapsed().as_secs_f64());
    if std::env::var_os("DISPLAY").is_some() || std::env::var_os("WAYLAND_DISPLAY").is_some() {
        let _ = std::process::Command::new("xdg-open").arg(&page).status();
    }
    Ok(())
}
