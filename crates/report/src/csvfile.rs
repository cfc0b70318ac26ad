//! Reading an officer's CSV file the one way every input is read: its columns found by their
//! headers (without regard to case), blank lines skipped, and every row either read or named
//! in a [`Problem`] with its line.

use crate::{Checked, Problem};

/// A column the reader looks for: the name rows ask for it by, and the headers that stand for
/// it (the first is the one a problem names).
pub(crate) struct Wanted {
    pub key: String,
    pub headers: Vec<String>,
    pub required: bool,
}

impl Wanted {
    /// A required column known by one header, asked for by that header.
    pub fn named(header: &str) -> Self {
        Self { key: header.to_owned(), headers: vec![header.to_owned()], required: true }
    }
}

/// One row, its cells by the key of the column they are in.
pub(crate) struct Row<'r> {
    record: &'r csv::StringRecord,
    index: &'r [(String, usize)],
    /// Its line in the file (the header is line 1).
    pub line: u64,
}

impl Row<'_> {
    /// The cell of the column `key` ("" where the file has no such column or the row ends early).
    pub fn get(&self, key: &str) -> &str {
        self.index.iter().find(|(k, _)| k == key).and_then(|(_, i)| self.record.get(*i)).map_or("", str::trim)
    }
}

/// Reads `csv` (named `file` in problems): `missing` says what a required column's absence is
/// (given its first header); `read` makes each row, or says what is wrong with it. With a
/// required column missing, no row is read.
pub(crate) fn read_rows<T>(
    file: &str,
    csv: &[u8],
    wanted: &[Wanted],
    missing: impl Fn(&str) -> String,
    mut read: impl FnMut(&Row<'_>) -> Result<T, String>,
) -> Checked<T> {
    let problem = |line: Option<u64>, message: String| Problem { file: file.to_owned(), line, message };
    let mut out = Checked::default();
    let mut reader = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(csv);
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            out.problems.push(problem(Some(1), format!("the header row could not be read: {e}")));
            return out;
        }
    };
    let mut index = Vec::new();
    for w in wanted {
        match headers.iter().position(|h| w.headers.iter().any(|name| h.eq_ignore_ascii_case(name))) {
            Some(i) => index.push((w.key.clone(), i)),
            None if w.required => out.problems.push(problem(Some(1), missing(&w.headers[0]))),
            None => {}
        }
    }
    if !out.problems.is_empty() {
        return out;
    }
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                out.problems.push(problem(e.position().map(|p| p.line()), format!("the row could not be read: {e}")));
                continue;
            }
        };
        if record.iter().all(str::is_empty) {
            continue; // a blank line is not a row
        }
        let line = record.position().map_or(0, |p| p.line());
        match read(&Row { record: &record, index: &index, line }) {
            Ok(row) => out.rows.push(row),
            Err(message) => out.problems.push(problem(Some(line), message)),
        }
    }
    out
}
