//! What other councils said, filled in by the officer: columns `Council`, `Policy`,
//! `Who gets a phone`, `Device`, `Cost per member`, `Usefulness`, `Savings`.

use crate::parse;
use crate::{Checked, InputError, Problem};

/// One council's answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtherCouncil {
    /// Which council.
    pub council: String,
    /// Their policy, in their words.
    pub policy: String,
    /// Who gets a phone.
    pub who: String,
    /// The device.
    pub device: String,
    /// Their cost per member, in pence a month, where they said.
    pub cost_per_member_pence: Option<u64>,
    /// How useful members found it, in their words.
    pub usefulness: String,
    /// Savings they reported, in their words.
    pub savings: String,
}

const COLUMNS: [&str; 7] =
    ["Council", "Policy", "Who gets a phone", "Device", "Cost per member", "Usefulness", "Savings"];

/// Reads the officer's triangulation file.
pub fn read_triangulation(file: &str, csv: &[u8]) -> Result<Checked<OtherCouncil>, InputError> {
    let problem = |line: Option<u64>, message: String| Problem { file: file.to_owned(), line, message };
    let mut out = Checked::default();
    let mut reader = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(csv);
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            out.problems.push(problem(Some(1), format!("the header row could not be read: {e}")));
            return Ok(out);
        }
    };
    let mut index = Vec::new();
    for name in COLUMNS {
        match headers.iter().position(|h| h.eq_ignore_ascii_case(name)) {
            Some(i) => index.push(i),
            None => out.problems.push(problem(Some(1), format!("there is no column “{name}”"))),
        }
    }
    if index.len() < COLUMNS.len() {
        return Ok(out);
    }
    let mut seen: Vec<(String, u64)> = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                out.problems.push(problem(e.position().map(|p| p.line()), format!("the row could not be read: {e}")));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(str::is_empty) {
            continue;
        }
        let cell = |i: usize| record.get(index[i]).unwrap_or("").to_owned();
        let council = cell(0);
        if council.is_empty() {
            out.problems.push(problem(Some(line), "the council is not named".into()));
            continue;
        }
        if let Some((_, first)) = seen.iter().find(|(c, _)| c.eq_ignore_ascii_case(&council)) {
            out.problems.push(problem(Some(line), format!("{council} is already on line {first}")));
            continue;
        }
        let cost = match cell(4).as_str() {
            "" => None,
            text => match parse::pence(text) {
                Ok(p) => Some(p),
                Err(e) => {
                    out.problems.push(problem(Some(line), format!("cost per member: {e}")));
                    continue;
                }
            },
        };
        seen.push((council.clone(), line));
        out.rows.push(OtherCouncil {
            council,
            policy: cell(1),
            who: cell(2),
            device: cell(3),
            cost_per_member_pence: cost,
            usefulness: cell(5),
            savings: cell(6),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_council_is_read_once_and_a_bad_cost_is_named() {
        let csv = "Council,Policy,Who gets a phone,Device,Cost per member,Usefulness,Savings\n\
                   Northshire,All members,Every member,iPhone SE,£21.50,High,Printing\n\
                   Westvale,On request,Those who ask,,,,\n\
                   northshire,Again,,,,,\n\
                   Eastby,All,,Android,about £20,,\n";
        let read = read_triangulation("others.csv", csv.as_bytes()).expect("read");
        assert_eq!(read.rows.len(), 2);
        assert_eq!(read.rows[0].cost_per_member_pence, Some(2_150));
        assert_eq!(read.rows[1].cost_per_member_pence, None, "not given is not zero");
        let said: Vec<String> = read.problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            said,
            [
                "others.csv, line 4: northshire is already on line 2",
                "others.csv, line 5: cost per member: “about £20” is not an amount of money (e.g. £12.50)"
            ]
        );
    }
}
