//! The carrier's bill: one row per phone line per month, in whatever columns the carrier's
//! export has. A [`BillMapping`] (TOML, see `docs/report-inputs.md`) says which column is
//! which and in what units, so any carrier's export can be used as it comes.

use crate::csvfile::{read_rows, Wanted};
use crate::parse;
use crate::{Checked, KnownMembers};
use chrono::NaiveDate;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};

/// Which of the export's columns (by header) holds what.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BillColumns {
    /// The member's code, where the officer added it to the export…
    pub member: Option<String>,
    /// …or the phone number, with `[lines]` giving each number's member.
    pub line: Option<String>,
    /// The month billed.
    pub month: String,
    /// Mobile data used.
    pub data: String,
    /// Calls made.
    pub calls_made: String,
    /// Calls received.
    pub calls_received: String,
    /// What the line cost that month (rental, overage and the rest).
    pub charge: String,
}

/// How the values are written.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BillFormats {
    /// The month column's chrono format, e.g. `%m/%Y` or `%d/%m/%Y` (the day is ignored).
    pub month: String,
    /// The data column's unit: `B`, `KB`, `MB` or `GB` (binary: 1 MB = 1,048,576 bytes, as
    /// the contract's 1 GB cap and the app count).
    pub data_unit: String,
    /// The charge column's unit: `pounds` or `pence`.
    #[serde(default = "pounds")]
    pub charge_unit: String,
}

fn pounds() -> String {
    "pounds".into()
}

/// A carrier's export described: its columns, its formats, and (where it names lines, not
/// members) whose each line is.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BillMapping {
    /// The columns.
    pub columns: BillColumns,
    /// The formats.
    pub formats: BillFormats,
    /// Phone number → member code.
    #[serde(default)]
    pub lines: BTreeMap<String, String>,
}

impl BillMapping {
    /// Reads a mapping; the error names what is wrong.
    pub fn from_toml(text: &str) -> Result<Self, String> {
        let m: Self = toml::from_str(text).map_err(|e| e.to_string().trim().replace('\n', " "))?;
        match (&m.columns.member, &m.columns.line) {
            (Some(_), Some(_)) => return Err("give the member column or the line column, not both".into()),
            (None, None) => return Err("give a member column, or a line column with [lines]".into()),
            (None, Some(_)) if m.lines.is_empty() => {
                return Err("a line column needs [lines] saying whose each number is".into())
            }
            _ => {}
        }
        if unit_bytes(&m.formats.data_unit).is_none() {
            return Err(format!("data-unit “{}” is not B, KB, MB or GB", m.formats.data_unit));
        }
        if !matches!(m.formats.charge_unit.as_str(), "pounds" | "pence") {
            return Err(format!("charge-unit “{}” is not pounds or pence", m.formats.charge_unit));
        }
        Ok(m)
    }
}

fn unit_bytes(unit: &str) -> Option<f64> {
    match unit {
        "B" => Some(1.0),
        "KB" => Some(1024.0),
        "MB" => Some(1024.0 * 1024.0),
        "GB" => Some(1024.0 * 1024.0 * 1024.0),
        _ => None,
    }
}

/// One line's month on the bill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BillLine {
    /// The member's code.
    pub member: String,
    /// The month's first day.
    pub month: NaiveDate,
    /// Mobile data, in bytes.
    pub data_bytes: u64,
    /// Calls made.
    pub calls_made: u64,
    /// Calls received.
    pub calls_received: u64,
    /// The charge, in pence.
    pub charge_pence: u64,
    /// Where it was in the file.
    pub line: u64,
}

/// Reads the bill at `csv` (named `file` in problems) through `mapping`.
pub fn read_bill(file: &str, csv: &[u8], mapping: &BillMapping, members: &KnownMembers) -> Checked<BillLine> {
    let c = &mapping.columns;
    let column =
        |key: &str, header: &str| Wanted { key: key.to_owned(), headers: vec![header.to_owned()], required: true };
    let wanted = [
        column("who", c.member.as_deref().or(c.line.as_deref()).unwrap_or_default()),
        column("month", &c.month),
        column("data", &c.data),
        column("calls-made", &c.calls_made),
        column("calls-received", &c.calls_received),
        column("charge", &c.charge),
    ];
    let unit = unit_bytes(&mapping.formats.data_unit).unwrap_or(1.0);
    let mut seen: HashMap<(String, NaiveDate), u64> = HashMap::new();
    let missing = |name: &str| format!("there is no column “{name}” (the mapping names it)");
    read_rows(file, csv, &wanted, missing, |row| {
        let who = row.get("who");
        let member = match &c.member {
            Some(_) => who.to_owned(),
            None => {
                let number: String = who.chars().filter(|ch| !ch.is_whitespace()).collect();
                mapping
                    .lines
                    .iter()
                    .find(|(n, _)| n.chars().filter(|ch| !ch.is_whitespace()).collect::<String>() == number)
                    .map(|(_, m)| m.clone())
                    .ok_or_else(|| format!("the line “{who}” is not in the mapping's [lines]"))?
            }
        };
        if member.is_empty() {
            return Err("the member code is empty".to_owned());
        }
        if members.as_ref().is_some_and(|known| !known.contains(&member)) {
            return Err(format!("the member code “{member}” is not one of the trial's members"));
        }
        let month = parse::month(row.get("month"), &mapping.formats.month)?;
        let data = parse::decimal(row.get("data")).map_err(|e| format!("data: {e}"))?;
        let calls_made = parse::whole(row.get("calls-made")).map_err(|e| format!("calls made: {e}"))?;
        let calls_received = parse::whole(row.get("calls-received")).map_err(|e| format!("calls received: {e}"))?;
        let charge_pence = match mapping.formats.charge_unit.as_str() {
            "pence" => parse::whole(row.get("charge")),
            _ => parse::pence(row.get("charge")),
        }
        .map_err(|e| format!("charge: {e}"))?;
        if let Some(first) = seen.get(&(member.clone(), month)) {
            return Err(format!(
                "{member} in {} is already billed on line {first}: a duplicated line is counted once, so this one is left out",
                month.format("%B %Y")
            ));
        }
        seen.insert((member.clone(), month), row.line);
        Ok(BillLine {
            member,
            month,
            data_bytes: (data * unit).round() as u64,
            calls_made,
            calls_received,
            charge_pence,
            line: row.line,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAPPING: &str = r#"
[columns]
line = "Mobile number"
month = "Bill month"
data = "Data (MB)"
calls-made = "Outgoing calls"
calls-received = "Incoming calls"
charge = "Total (£)"

[formats]
month = "%m/%Y"
data-unit = "MB"

[lines]
"07700 900001" = "M-AAAA"
"07700 900002" = "M-BBBB"
"#;

    fn members() -> KnownMembers {
        Some(["M-AAAA", "M-BBBB", "M-CCCC"].iter().map(|s| (*s).to_owned()).collect())
    }

    #[test]
    fn a_carriers_own_columns_are_read_through_the_mapping() {
        let mapping = BillMapping::from_toml(MAPPING).expect("mapping");
        let csv = "Mobile number,Bill month,Data (MB),Outgoing calls,Incoming calls,Total (£)\n07700900001,10/2026,\"1,100.5\",12,30,£62.50\n07700 900002,10/2026,300,0,4,12.00\n";
        let read = read_bill("bill.csv", csv.as_bytes(), &mapping, &members());
        assert_eq!(read.problems, vec![]);
        assert_eq!(read.rows.len(), 2);
        let a = &read.rows[0];
        assert_eq!((a.member.as_str(), a.month.to_string().as_str()), ("M-AAAA", "2026-10-01"));
        assert_eq!(a.data_bytes, (1_100.5 * 1_048_576.0_f64).round() as u64);
        assert_eq!((a.calls_made, a.calls_received, a.charge_pence, a.line), (12, 30, 6_250, 2));
    }

    #[test]
    fn a_bad_date_an_unknown_member_and_a_duplicated_line_are_each_named_by_file_line_and_problem() {
        let mapping = BillMapping::from_toml(
            &MAPPING
                .replace("line = \"Mobile number\"", "member = \"Code\"")
                .replace("[lines]\n\"07700 900001\" = \"M-AAAA\"\n\"07700 900002\" = \"M-BBBB\"\n", ""),
        )
        .expect("mapping");
        let csv = "Code,Bill month,Data (MB),Outgoing calls,Incoming calls,Total (£)\n\
                   M-AAAA,10/2026,100,1,1,12.00\n\
                   M-AAAA,13/2026,100,1,1,12.00\n\
                   M-ZZZZ,10/2026,100,1,1,12.00\n\
                   M-AAAA,10/2026,100,1,1,12.00\n\
                   M-BBBB,10/2026,lots,1,1,12.00\n";
        let read = read_bill("bill.csv", csv.as_bytes(), &mapping, &members());
        assert_eq!(read.rows.len(), 1);
        let said: Vec<String> = read.problems.iter().map(ToString::to_string).collect();
        assert_eq!(said.len(), 4, "{said:#?}");
        assert!(said[0].starts_with("bill.csv, line 3: “13/2026” is not a month"), "{}", said[0]);
        assert!(
            said[1].starts_with("bill.csv, line 4: the member code “M-ZZZZ” is not one of the trial's members"),
            "{}",
            said[1]
        );
        assert!(
            said[2].starts_with("bill.csv, line 5: M-AAAA in October 2026 is already billed on line 2"),
            "{}",
            said[2]
        );
        assert!(said[3].starts_with("bill.csv, line 6: data: “lots” is not a number"), "{}", said[3]);
    }

    #[test]
    fn a_missing_column_or_a_mapping_that_cannot_work_is_said_before_any_row() {
        let mapping = BillMapping::from_toml(MAPPING).expect("mapping");
        let read = read_bill("bill.csv", b"Number,Month\n1,2\n", &mapping, &None);
        assert!(read.rows.is_empty());
        assert!(read.problems[0].to_string().contains("there is no column “Mobile number”"), "{:?}", read.problems);
        assert!(BillMapping::from_toml(&MAPPING.replace("data-unit = \"MB\"", "data-unit = \"megs\""))
            .expect_err("refused")
            .contains("megs"));
        let no_lines = MAPPING.split("[lines]").next().unwrap_or_default();
        assert!(BillMapping::from_toml(no_lines).expect_err("refused").contains("[lines]"));
        assert!(
            BillMapping::from_toml(&MAPPING.replace("[formats]", "colour = \"red\"\n[formats]")).is_err(),
            "unknown keys are refused"
        );
    }
}
