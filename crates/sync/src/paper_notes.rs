//! The member's notes on committee papers, saved to their own OneDrive where they choose, so
//! they are not lost with the phone: one Markdown file a paper, under "Member Companion/
//! Committee notes", written whole (`PUT …:/content`) whenever the notes changed since the
//! last save. Writing the same file again only replaces it, so a save cut off half way is
//! simply done again.

use crate::error::SyncError;
use bytes::Bytes;
use chrono::{DateTime, Utc};
use chrono_tz::Europe::London;
use companion_graph::{Feature, GraphClient, GraphRequest};
use companion_vault::{PaperNoteRecord, PaperNoteSetRecord, Vault};

/// The folder in the member's OneDrive the notes go in.
pub const NOTES_FOLDER: &str = "Member Companion/Committee notes";

/// What saving the notes did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NotesSaveReport {
    /// Papers whose notes were saved.
    pub saved: usize,
    /// Papers whose notes could not be (kept to try again; the reason is stored with them).
    pub failed: usize,
}

/// The file's name in [`NOTES_FOLDER`]: the meeting's day, committee and paper, with what
/// OneDrive refuses in a name replaced, short enough for any phone's file list.
pub fn notes_file_name(set: &PaperNoteSetRecord) -> String {
    let p = &set.paper;
    let title: String = format!("{} {} - {}", p.meeting_day, p.committee_title, p.paper_title)
        .chars()
        .map(|c| {
            if matches!(c, '"' | '*' | ':' | '<' | '>' | '?' | '/' | '\\' | '|' | '#' | '%') || c.is_control() {
                '-'
            } else {
                c
            }
        })
        .take(150)
        .collect();
    format!("{}.md", title.trim_end_matches(['.', ' ']))
}

/// The notes as the member reads them in OneDrive: plain Markdown, by page.
pub fn notes_markdown(set: &PaperNoteSetRecord, notes: &[PaperNoteRecord]) -> String {
    let p = &set.paper;
    let mut out = format!(
        "# Notes on \u{201c}{}\u{201d}\n\n{}, {}\n",
        p.paper_title,
        p.committee_title,
        p.meeting_day.format("%A %-d %B %Y")
    );
    if notes.is_empty() {
        out.push_str("\nNo notes: the notes on this paper were deleted.\n");
    }
    for n in notes {
        match n.page {
            Some(page) => out.push_str(&format!("\n## Page {page}\n\n")),
            None => out.push_str("\n## The whole paper\n\n"),
        }
        out.push_str(n.text.trim_end());
        out.push('\n');
    }
    let changed = set.changed_at.with_timezone(&London);
    out.push_str(&format!(
        "\n---\nWritten in Member Companion. Last changed {} at {}.\n",
        changed.format("%-d %B %Y"),
        changed.format("%H:%M")
    ));
    out
}

/// A path segment for a Graph address: unreserved characters as they are, the rest escaped.
fn escaped(segment: &str) -> String {
    segment
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Saves every paper's notes changed since they were last saved. One paper failing (the
/// member not yet consenting to `Files.ReadWrite`, a full OneDrive) does not stop the rest;
/// losing the network does, and the rest wait for the next update. With `member_waiting` (the
/// member just wrote a note) a dropped connection is not waited out.
pub async fn save_paper_notes(
    graph: &GraphClient,
    vault: &Vault,
    now: DateTime<Utc>,
    member_waiting: bool,
) -> Result<NotesSaveReport, SyncError> {
    let mut report = NotesSaveReport::default();
    for set in vault.unsaved_paper_note_sets()? {
        let (meeting, paper) = (set.paper.meeting_id, set.paper.paper_id);
        let notes = vault.paper_notes(meeting, paper)?;
        let file = notes_file_name(&set);
        let path: Vec<String> = NOTES_FOLDER.split('/').chain([file.as_str()]).map(escaped).collect();
        let req = GraphRequest::put_content(
            format!("/me/drive/root:/{}:/content", path.join("/")),
            Bytes::from(notes_markdown(&set, &notes)),
            "text/markdown; charset=utf-8",
            Feature::CommitteePapers,
        )
        .member_waiting(member_waiting);
        match graph.send(&req).await {
            Ok(_) => {
                vault.write(|w| w.mark_paper_notes_saved(meeting, paper, set.revision, &file, now))?;
                report.saved += 1;
            }
            Err(
                e @ (companion_graph::GraphError::Network(_)
                | companion_graph::GraphError::GaveUp { .. }
                | companion_graph::GraphError::SignInRequired),
            ) => {
                let reason = "Not saved yet: they are saved with the next update.";
                vault.write(|w| w.set_paper_notes_failure(meeting, paper, reason))?;
                return Err(e.into());
            }
            Err(e) => {
                let reason = match &e {
                    companion_graph::GraphError::Refused { status: 401 | 403, .. } => {
                        "OneDrive refused: sign in again to let Member Companion save to your OneDrive.".to_owned()
                    }
                    _ => "OneDrive did not take them; they are tried again with the next update.".to_owned(),
                };
                vault.write(|w| w.set_paper_notes_failure(meeting, paper, &reason))?;
                report.failed += 1;
            }
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use companion_vault::NotedPaper;

    fn set(title: &str) -> PaperNoteSetRecord {
        PaperNoteSetRecord {
            paper: NotedPaper {
                meeting_id: 5001,
                paper_id: 60_002,
                committee_title: "Planning Committee".into(),
                meeting_day: "2026-11-26".parse().expect("day"),
                paper_title: title.into(),
            },
            revision: 2,
            changed_at: "2026-11-24T18:05:00Z".parse().expect("at"),
            saved: None,
            save_failure: None,
        }
    }

    #[test]
    fn a_notes_file_is_named_by_day_committee_and_paper_without_what_onedrive_refuses() {
        assert_eq!(
            notes_file_name(&set("Land at Mill Lane: Appendix A / Plans?")),
            "2026-11-26 Planning Committee - Land at Mill Lane- Appendix A - Plans-.md"
        );
        assert!(notes_file_name(&set(&"Long ".repeat(80))).chars().count() <= 153);
    }

    #[test]
    fn the_notes_read_by_page_in_british_dates_and_london_time() {
        let at: DateTime<Utc> = "2026-11-24T18:05:00Z".parse().expect("at");
        let notes = [
            PaperNoteRecord { id: 2, page: None, text: "Read before group".into(), created_at: at, updated_at: at },
            PaperNoteRecord {
                id: 1,
                page: Some(7),
                text: "Ask about reserves\n".into(),
                created_at: at,
                updated_at: at,
            },
        ];
        let text = notes_markdown(&set("Budget"), &notes);
        assert!(
            text.starts_with("# Notes on \u{201c}Budget\u{201d}\n\nPlanning Committee, Thursday 26 November 2026\n")
        );
        assert!(text.contains("\n## The whole paper\n\nRead before group\n\n## Page 7\n\nAsk about reserves\n"));
        assert!(text.ends_with("Last changed 24 November 2026 at 18:05.\n"), "{text}");
        assert_eq!(escaped("Committee notes"), "Committee%20notes");
    }
}
