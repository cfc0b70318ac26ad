//! The golden tables of a fixed simulated trial: ten members live four months against the
//! simulator with the real app core (`support/simulated_trial.rs`, as `make report-demo`
//! runs it), the officer fetches the council's lists, and every table of the report is
//! compared with its copy in `tests/fixtures/golden-simulated/`. Run with `UPDATE_GOLDEN=1` to
//! write the copies after a change meant to move a figure, and review the difference.

#[path = "support/simulated_trial.rs"]
mod simulated_trial;

use companion_report::{build, write_csvs, Cell};
use std::path::Path;

/// Member codes are drawn at random on each phone: the tables name the members by the order
/// they joined instead, so a run compares with the last.
fn relabel(lists: &Path, codes: &[(String, String)]) {
    for entry in std::fs::read_dir(lists).expect("lists") {
        let path = entry.expect("file").path();
        let mut text = std::fs::read_to_string(&path).expect("read");
        for (code, label) in codes {
            text = text.replace(code.as_str(), label);
        }
        std::fs::write(&path, text).expect("write");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_table_of_the_simulated_trial_matches_its_golden_copy() {
    let work = tempfile::tempdir().expect("dir");
    let members = simulated_trial::live_trial(work.path(), |_, _| {}).await.expect("the trial is lived");
    let lists = work.path().join("lists");
    std::fs::create_dir_all(&lists).expect("dir");
    simulated_trial::fetch(&members[0].sim, &lists).await.expect("the officer fetches the lists");
    let codes: Vec<(String, String)> = members
        .iter()
        .enumerate()
        .map(|(i, m)| (m.code.clone(), format!("M-SIM{}", char::from(b'A' + i as u8))))
        .collect();
    relabel(&lists, &codes);
    let lived: Vec<_> = members.iter().zip(&codes).map(|(m, (_, label))| (label.clone(), m.phone_mb.clone())).collect();
    let sections = build(&simulated_trial::inputs(&lists, &lived).expect("every input reads"));
    let out = work.path().join("report");
    write_csvs(&sections, &out).expect("tables");

    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/golden-simulated");
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    if update {
        let _ = std::fs::remove_dir_all(&golden);
        std::fs::create_dir_all(&golden).expect("dir");
    }
    let mut compared = 0;
    for entry in std::fs::read_dir(&out).expect("dir") {
        let path = entry.expect("file").path();
        if path.extension().is_none_or(|e| e != "csv") {
            continue;
        }
        let name = path.file_name().expect("name");
        let got = std::fs::read_to_string(&path).expect("read");
        if update {
            std::fs::write(golden.join(name), &got).expect("write");
        }
        let want = std::fs::read_to_string(golden.join(name)).unwrap_or_else(|_| panic!("no golden copy of {name:?}"));
        assert_eq!(got, want, "{name:?} differs from its golden copy");
        compared += 1;
    }
    assert_eq!(
        compared,
        std::fs::read_dir(&golden).expect("golden").count(),
        "every table has a golden copy and no more"
    );
    // What the trial was made to hold is in the tables, whatever the figures: the heaviest
    // member over the cap, the lost phone wiped, display settings reported.
    let table = |id: &str| sections.iter().flat_map(|s| &s.tables).find(|t| t.id == id).expect(id).clone();
    let per_member = table("data-per-member");
    assert!(per_member.rows.iter().any(|r| r[0].text() == "M-SIMJ" && r[5].text() == "Yes"), "member ten went over");
    let security = table("security");
    assert_eq!(security.rows[1][1], Cell::Suppressed, "one wipe: a group too small to show");
    assert_eq!(table("display-settings").rows[0][2].text(), "10", "every member's app reported its settings");
}
