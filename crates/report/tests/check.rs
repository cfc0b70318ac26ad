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
