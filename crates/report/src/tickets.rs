//! The service desk's ticket export: help sought outside the app (by phone or email) as well
//! as through it. Columns by header: `Member code`, `Opened`, `Closed`, `Minutes`, `Category`.

use crate::csvfile::{read_rows, Wanted};
use crate::parse;
use crate::{Checked, KnownMembers};
use chrono::NaiveDate;

/// One ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ticket {
    /// Whose.
    pub member: String,
    /// When it was opened.
    pub opened: NaiveDate,
    /// When it was closed (open tickets have none).
    pub closed: Option<NaiveDate>,
    /// The desk's time on it.
    pub minutes: u64,
    /// The desk's category (e.g. `Sign-in`, `Device`).
    pub category: String,
    /// Where it was in the file.
    pub line: u64,
}

const COLUMNS: [&str; 5] = ["Member code", "Opened", "Closed", "Minutes", "Category"];

/// Reads the desk's export at `csv` (named `file` in problems).
pub fn read_tickets(file: &str, csv: &[u8], members: &KnownMembers) -> Checked<Ticket> {
    let wanted: Vec<Wanted> = COLUMNS.iter().map(|c| Wanted::named(c)).collect();
    read_rows(
        file,
        csv,
        &wanted,
        |name| format!("there is no column “{name}”"),
        |row| {
            let member = row.get("Member code").to_owned();
            if member.is_empty() {
                return Err("the member code is empty".to_owned());
            }
            if members.as_ref().is_some_and(|known| !known.contains(&member)) {
                return Err(format!("the member code “{member}” is not one of the trial's members"));
            }
            let opened = parse::date(row.get("Opened")).map_err(|e| format!("opened: {e}"))?;
            let closed = match row.get("Closed") {
                "" => None,
                text => Some(parse::date(text).map_err(|e| format!("closed: {e}"))?),
            };
            if closed.is_some_and(|c| c < opened) {
                return Err(format!(
                    "it was closed ({}) before it was opened ({})",
                    row.get("Closed"),
                    row.get("Opened")
                ));
            }
            let minutes = parse::whole(row.get("Minutes")).map_err(|e| format!("minutes: {e}"))?;
            let category = row.get("Category").to_owned();
            if category.is_empty() {
                return Err("the category is empty".to_owned());
            }
            Ok(Ticket { member, opened, closed, minutes, category, line: row.line })
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tickets_are_read_and_each_bad_one_is_named_with_its_line() {
        let members: KnownMembers = Some(["M-AAAA".to_owned()].into_iter().collect());
        let csv = "Ticket,Member code,Opened,Closed,Minutes,Category\n\
                   1,M-AAAA,02/11/2026,03/11/2026,25,Sign-in\n\
                   2,M-AAAA,2026-11-05,,10,Device\n\
                   3,M-AAAA,05/11/2026,04/11/2026,5,Device\n\
                   4,M-QQQQ,05/11/2026,,5,Device\n\
                   5,M-AAAA,5th Nov,,5,Device\n\
                   6,M-AAAA,05/11/2026,,half an hour,Device\n";
        let read = read_tickets("desk.csv", csv.as_bytes(), &members);
        assert_eq!(read.rows.len(), 2);
        assert_eq!((read.rows[1].closed, read.rows[1].minutes), (None, 10));
        let said: Vec<String> = read.problems.iter().map(ToString::to_string).collect();
        assert_eq!(said.len(), 4, "{said:#?}");
        assert!(said[0].starts_with("desk.csv, line 4: it was closed"), "{}", said[0]);
        assert!(said[1].starts_with("desk.csv, line 5: the member code “M-QQQQ”"), "{}", said[1]);
        assert!(said[2].starts_with("desk.csv, line 6: opened: “5th Nov” is not a date"), "{}", said[2]);
        assert!(said[3].starts_with("desk.csv, line 7: minutes:"), "{}", said[3]);
    }
}
