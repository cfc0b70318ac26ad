//! What other councils said, filled in by the officer: columns `Council`, `Policy`,
//! `Who gets a phone`, `Device`, `Cost per member`, `Usefulness`, `Savings`.

use crate::csvfile::{read_rows, Wanted};
use crate::parse;
use crate::Checked;

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
pub fn read_triangulation(file: &str, csv: &[u8]) -> Checked<OtherCouncil> {
    let wanted: Vec<Wanted> = COLUMNS.iter().map(|c| Wanted::named(c)).collect();
    let mut seen: Vec<(String, u64)> = Vec::new();
    read_rows(
        file,
        csv,
        &wanted,
        |name| format!("there is no column “{name}”"),
        |row| {
            let cell = |name: &str| row.get(name).to_owned();
            let council = cell("Council");
            if council.is_empty() {
                return Err("the council is not named".into());
            }
            if let Some((_, first)) = seen.iter().find(|(c, _)| c.eq_ignore_ascii_case(&council)) {
                return Err(format!("{council} is already on line {first}"));
            }
            let cost = match row.get("Cost per member") {
                "" => None,
                text => Some(parse::pence(text).map_err(|e| format!("cost per member: {e}"))?),
            };
            seen.push((council.clone(), row.line));
            Ok(OtherCouncil {
                council,
                policy: cell("Policy"),
                who: cell("Who gets a phone"),
                device: cell("Device"),
                cost_per_member_pence: cost,
                usefulness: cell("Usefulness"),
                savings: cell("Savings"),
            })
        },
    )
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
        let read = read_triangulation("others.csv", csv.as_bytes());
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
