//! `member-companion-report check` on the example inputs in `tests/fixtures/`.

use std::process::Command;

fn check(bill: &str) -> std::process::Output {
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    Command::new(env!("CARGO_BIN_EXE_member-companion-report"))
        .arg("check")
        .args(["--bill", &format!("{fixtures}/{bill}"), "--bill-mapping", &format!("{fixtures}/carrier-mapping.toml")])
        .args(["--tickets", &format!("{fixtures}/tickets.csv"), "--costs", &format!("{fixtures}/costs.toml")])
        .args([
            "--triangulation",
            &format!("{fixtures}/triangulation.csv"),
            "--members",
            &format!("{fixtures}/members.txt"),
        ])
        .output()
        .expect("the command runs")
}

#[test]
fn the_example_inputs_are_all_usable() {
    let out = check("bill.csv");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{said}{}", String::from_utf8_lossy(&out.stderr));
    assert!(said.contains("bill.csv: 3 lines read") && said.contains("tickets.csv: 2 tickets read"), "{said}");
    assert!(said.contains("Every row can be used."), "{said}");
}

#[test]
fn a_bill_with_mistakes_names_each_by_file_and_line_and_fails() {
    let out = check("bill-with-mistakes.csv");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "{said}");
    assert!(said.contains("bill-with-mistakes.csv: 1 lines read"), "{said}");
    assert!(said.contains("bill-with-mistakes.csv, line 3: “31/10/2026” is not a month"), "{said}");
    assert!(
        said.contains("bill-with-mistakes.csv, line 4: the line “07700900009” is not in the mapping's [lines]"),
        "{said}"
    );
    assert!(
        said.contains("bill-with-mistakes.csv, line 5: M-AAAA in October 2026 is already billed on line 2"),
        "{said}"
    );
    assert!(said.contains("3 problem(s) to put right"), "{said}");
}

#[test]
fn build_makes_the_html_and_a_csv_a_table_from_the_example_inputs() {
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    let out = tempfile::tempdir().expect("dir");
    let run = Command::new(env!("CARGO_BIN_EXE_member-companion-report"))
        .args(["build", "--lists", &format!("{fixtures}/lists"), "--bill", &format!("{fixtures}/bill.csv")])
        .args([
            "--bill-mapping",
            &format!("{fixtures}/carrier-mapping.toml"),
            "--tickets",
            &format!("{fixtures}/tickets.csv"),
        ])
        .args(["--costs", &format!("{fixtures}/costs.toml"), "--out"])
        .arg(out.path())
        .output()
        .expect("runs");
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let page = std::fs::read_to_string(out.path().join("report.html")).expect("report.html");
    assert!(page.contains("<h1>Member device trial: the report</h1>"));
    assert!(std::fs::metadata(out.path().join("report.xlsx")).is_ok_and(|m| m.len() > 1_000), "the workbook");
    // `make test` installs Chromium, so the PDF is made here.
    let pdf = std::fs::read(out.path().join("report.pdf")).expect("report.pdf");
    assert!(pdf.starts_with(b"%PDF") && pdf.len() > 10_000, "a PDF of the page");
    for table in ["usage-by-cycle", "data-per-member", "calls", "costs", "support"] {
        assert!(out.path().join(format!("{table}.csv")).exists(), "{table}.csv");
    }
    // A bill with a mistake: nothing is built, and the mistake is named.
    let again = tempfile::tempdir().expect("dir");
    let run = Command::new(env!("CARGO_BIN_EXE_member-companion-report"))
        .args([
            "build",
            "--lists",
            &format!("{fixtures}/lists"),
            "--bill",
            &format!("{fixtures}/bill-with-mistakes.csv"),
        ])
        .args([
            "--bill-mapping",
            &format!("{fixtures}/carrier-mapping.toml"),
            "--tickets",
            &format!("{fixtures}/tickets.csv"),
        ])
        .args(["--costs", &format!("{fixtures}/costs.toml"), "--out"])
        .arg(again.path())
        .output()
        .expect("runs");
    let said = String::from_utf8_lossy(&run.stderr);
    assert!(!run.status.success() && said.contains("bill-with-mistakes.csv, line 3"), "{said}");
    assert!(!again.path().join("report.html").exists(), "nothing is built");
}

/// Every table built from the example inputs, against the tables kept in
/// `tests/fixtures/golden/` (checked by hand when they were made; a change to any figure shows
/// here as a difference to review).
#[test]
fn every_table_of_the_example_report_matches_its_golden_copy() {
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    let out = tempfile::tempdir().expect("dir");
    let run = Command::new(env!("CARGO_BIN_EXE_member-companion-report"))
        .args(["build", "--lists", &format!("{fixtures}/lists"), "--bill", &format!("{fixtures}/bill.csv")])
        .args([
            "--bill-mapping",
            &format!("{fixtures}/carrier-mapping.toml"),
            "--tickets",
            &format!("{fixtures}/tickets.csv"),
        ])
        .args([
            "--costs",
            &format!("{fixtures}/costs.toml"),
            "--triangulation",
            &format!("{fixtures}/triangulation.csv"),
        ])
        .arg("--out")
        .arg(out.path())
        .output()
        .expect("runs");
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let golden = std::path::Path::new(fixtures).join("golden");
    let mut compared = 0;
    for entry in std::fs::read_dir(out.path()).expect("dir") {
        let path = entry.expect("file").path();
        if path.extension().is_none_or(|e| e != "csv") {
            continue;
        }
        let name = path.file_name().expect("name");
        let want = std::fs::read_to_string(golden.join(name)).unwrap_or_else(|_| panic!("no golden copy of {name:?}"));
        assert_eq!(std::fs::read_to_string(&path).expect("read"), want, "{name:?}");
        compared += 1;
    }
    assert_eq!(
        compared,
        std::fs::read_dir(&golden).expect("golden").count(),
        "every table has a golden copy and no more"
    );
}
