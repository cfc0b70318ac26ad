//! The trial report's inputs, read and checked. Democratic services gather files from
//! several hands: the carrier's bill (in the carrier's own columns, mapped by a small TOML
//! file), the service desk's ticket export, the costs of the deal, and what other councils
//! said. Every row is either read or named in a [`Problem`] with its file, line and what is
//! wrong; nothing is dropped without a word.
//!
//! The trial's lists come through Graph ([`fetch_lists`], the officer signed in by the device
//! code flow) as one CSV a list, the form SharePoint's own export has.
//!
//! What is here is the first part of issue 15 (the report itself, its tables and outputs, is
//! still to come); `member-companion-report check` runs these checks for an officer
//! preparing the files, and `fetch` brings the lists.

mod bill;
mod charts;
mod costs;
mod csvfile;
mod feedback;
mod fetch;
mod lists;
mod output;
mod parse;
mod projection;
mod tables;
mod tickets;
mod triangulation;

pub use bill::{read_bill, BillLine, BillMapping};
pub use charts::Figure;
pub use costs::{read_costs, Costs};
pub use fetch::{fetch_lists, sign_in, FetchError, ListsSource, REPORT_SCOPES};
pub use lists::{
    read_answers, read_responses, read_support, read_usage, read_wipes, AnswerRow, ResponseRow, SupportRow, UsageRow,
    WipeRow,
};
pub use output::{chromium, html, write_csvs, write_pdf, write_xlsx};
pub use tables::{build, members_cell, Cell, ReportInputs, Section, Table, SMALLEST_GROUP};
pub use tickets::{read_tickets, Ticket};
pub use triangulation::{read_triangulation, OtherCouncil};

use std::collections::BTreeSet;
use std::fmt;

/// Something wrong in an input, for the officer to put right.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file, as the officer named it.
    pub file: String,
    /// The line in the file (the header is line 1), where the problem is a row's.
    pub line: Option<u64>,
    /// What is wrong, in a sentence.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}, line {line}: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

/// An input's rows, and the problems of the rows (or of the file) that could not be read.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked<T> {
    /// The rows read.
    pub rows: Vec<T>,
    /// Everything not read, and why.
    pub problems: Vec<Problem>,
}

impl<T> Default for Checked<T> {
    fn default() -> Self {
        Self { rows: Vec::new(), problems: Vec::new() }
    }
}

/// The trial's members by their codes (from the usage reports and surveys), to find a code
/// that belongs to nobody; `None` where the lists were not read and codes cannot be checked.
pub type KnownMembers = Option<BTreeSet<String>>;
