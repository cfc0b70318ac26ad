//! Committee papers: the meetings of the member's committees from the council's modern.gov,
//! each agenda and its papers, fetched ahead on Wi-Fi in the days before the meeting (on
//! mobile data when the member asks, as the data governor decides for attachments), and kept
//! in the vault, readable offline. Exempt papers only where the council's configuration allows.

use crate::core::{london_day, Core};
use crate::error::{AppCoreError, Result};
use crate::views::{
    iso, stored_at, AgendaItemView, CommitteeMeetingSummary, CommitteeMeetingView, NotesBackup, PaperDownload,
    PaperNoteView, PaperNotesView, PaperPiece, PaperView,
};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use companion_graph::{Network, NetworkProbe as _};
use companion_moderngov::ModernGovClient;
use companion_sync::{
    meeting_cancelled, CommitteeMember, CommitteePapers, PaperFetch, Purpose, MEETINGS_AHEAD_DAYS, MEETINGS_BACK_DAYS,
};
use companion_vault::{CommitteeMeetingRecord, CommitteePaperRecord, NotedPaper, Vault};
use std::sync::Arc;

pub use companion_sync::PapersUpdate;

/// The in-app reader takes a paper in pieces of this size.
const PIECE: usize = 4 * 1024 * 1024;
/// Whether the member keeps their notes on papers in their OneDrive too.
const NOTES_TO_ONEDRIVE_SETTING: &str = "papers.notes-to-onedrive";
/// The longest note (a page of writing; OneDrive takes far more, the screen does not).
const LONGEST_NOTE: usize = 10_000;

/// Whether the member keeps their notes on papers in their OneDrive too.
pub(crate) fn notes_to_one_drive(vault: &Vault) -> Result<bool> {
    Ok(vault.setting(NOTES_TO_ONEDRIVE_SETTING)?.as_deref() == Some("on"))
}

/// With the update, where the member keeps their notes in OneDrive: the notes changed since
/// they were last saved.
pub(crate) async fn save_notes(
    vault: &Vault,
    graph: &companion_graph::GraphClient,
    now: DateTime<Utc>,
    member_waiting: bool,
) -> Result<companion_sync::NotesSaveReport> {
    if !notes_to_one_drive(vault)? {
        return Ok(companion_sync::NotesSaveReport::default());
    }
    Ok(companion_sync::save_paper_notes(graph, vault, now, member_waiting).await?)
}

/// The member's committee papers.
pub struct PapersService {
    core: Arc<Core>,
}

fn not_set_up() -> AppCoreError {
    AppCoreError::Invalid("The council has not set up its committee papers for the app.".into())
}

/// The sync side of the papers for this session: the vault, the governor and the network the
/// app counts against.
fn committee_papers(core: &Core, client: &Arc<ModernGovClient>) -> Result<CommitteePapers> {
    let settings = core.config.committee_papers.as_ref().ok_or_else(not_set_up)?;
    let cache = core.open_cache()?;
    Ok(CommitteePapers::new(
        cache.vault.clone(),
        client.clone(),
        cache.allowance.governor(),
        core.network.clone(),
        CommitteeMember { id: settings.member_id, exempt_papers: settings.exempt_papers },
    ))
}

/// With the update, where the council has set up its committee site: the site read (every few
/// hours), then the next days' papers fetched as the data governor allows (on Wi-Fi).
pub(crate) async fn update(core: &Core, client: &Arc<ModernGovClient>, now: DateTime<Utc>) -> Result<PapersUpdate> {
    Ok(committee_papers(core, client)?.update(now).await?)
}

/// A paper listed since the member last opened an agenda that already had papers: a
/// supplement, or a late paper. (When the agenda itself comes out, the meeting shows it is
/// published; its papers are not each "new".)
fn is_new(m: &CommitteeMeetingRecord, papers: &[CommitteePaperRecord], p: &CommitteePaperRecord) -> bool {
    m.looked_at.is_some_and(|seen| p.first_seen_at > seen && papers.iter().any(|q| q.first_seen_at <= seen))
}

impl PapersService {
    pub(crate) fn new(core: Arc<Core>) -> Self {
        Self { core }
    }

    /// Whether the council has set up its committee site for the app.
    pub fn configured(&self) -> bool {
        self.core.config.committee_papers.is_some()
    }

    fn summary(&self, vault: &Vault, m: &CommitteeMeetingRecord) -> Result<CommitteeMeetingSummary> {
        let papers = vault.committee_papers(m.id)?;
        let new = |p: &&CommitteePaperRecord| is_new(m, &papers, p);
        // The member's calendar entry for it: the same start and the committee's name in its
        // subject (a committee called "Council" is in many a subject; the time tells them apart).
        let title = m.committee_title.to_lowercase();
        let event_id = vault
            .agenda(m.day, m.day)?
            .into_iter()
            .find(|e| m.starts_at.is_some_and(|t| e.start_at == t) && e.subject.to_lowercase().contains(&title))
            .map(|e| e.id);
        Ok(CommitteeMeetingSummary {
            id: u32::try_from(m.id).unwrap_or_default(),
            committee: m.committee_title.clone(),
            day: m.day.to_string(),
            time: m.time_text.clone(),
            location: m.location.clone(),
            cancelled: meeting_cancelled(&m.status),
            agenda_published: m.agenda_published,
            papers: papers.len() as u32,
            papers_bytes: papers.iter().filter_map(|p| p.size).sum(),
            stored_bytes: papers.iter().filter(|p| p.fetched_at.is_some()).filter_map(|p| p.size).sum(),
            new_papers: papers.iter().filter(new).count() as u32,
            event_id,
        })
    }

    /// "My meetings": the member's committees' meetings from today on (and the last week's),
    /// from the device.
    pub fn my_meetings(&self, now: DateTime<Utc>) -> Result<Vec<CommitteeMeetingSummary>> {
        let vault = self.core.vault()?;
        let today = london_day(now);
        vault
            .committee_meetings(
                today - Duration::days(MEETINGS_BACK_DAYS),
                today + Duration::days(MEETINGS_AHEAD_DAYS),
            )?
            .iter()
            .map(|m| self.summary(&vault, m))
            .collect()
    }

    /// A meeting's agenda with its papers. Opening it marks what is listed as seen.
    pub fn meeting(&self, id: u32, now: DateTime<Utc>) -> Result<CommitteeMeetingView> {
        let vault = self.core.vault()?;
        let m = vault.committee_meeting(i64::from(id))?.ok_or(AppCoreError::NotFound("That meeting"))?;
        let papers = vault.committee_papers(m.id)?;
        let meeting = self.summary(&vault, &m)?;
        let items = vault
            .agenda_items(m.id)?
            .into_iter()
            .map(|i| AgendaItemView {
                number: i.number,
                title: i.title,
                exempt: i.restricted,
                papers: papers
                    .iter()
                    .filter(|p| p.item_seq == i.seq)
                    .map(|p| PaperView {
                        id: u32::try_from(p.id).unwrap_or_default(),
                        title: p.title.clone(),
                        size: p.size,
                        stored: p.fetched_at.is_some(),
                        new: is_new(&m, &papers, p),
                        published: p.published.map(|d: NaiveDate| d.to_string()),
                        stored_at: stored_at(p.fetched_at),
                    })
                    .collect(),
            })
            .collect();
        vault.write(|w| w.mark_meeting_looked(m.id, now))?;
        Ok(CommitteeMeetingView { meeting, items })
    }

    /// Gets a paper onto the device if it is not there: on mobile data the member is asked
    /// first (`confirmed`), and the data governor can still hold it back, with its reason.
    pub async fn fetch_paper(&self, meeting_id: u32, paper_id: u32, confirmed: bool) -> Result<PaperDownload> {
        let vault = self.core.vault()?;
        let (meeting_id, paper_id) = (i64::from(meeting_id), i64::from(paper_id));
        let p = vault
            .committee_papers(meeting_id)?
            .into_iter()
            .find(|p| p.id == paper_id)
            .ok_or(AppCoreError::NotFound("That paper"))?;
        if p.fetched_at.is_some() {
            return Ok(PaperDownload::Stored { size: p.size.unwrap_or_default() });
        }
        let network = self.core.network.current();
        if network == Network::Mobile && !confirmed {
            return Ok(PaperDownload::Confirm {
                size: p.size,
                network: network.into(),
                reason: "You are on mobile data.".into(),
            });
        }
        let session = self.core.session().await?;
        let client = session.papers.as_ref().ok_or_else(not_set_up)?;
        let purpose = if confirmed { Purpose::Confirmed } else { Purpose::Opened };
        match committee_papers(&self.core, client)?.fetch(meeting_id, paper_id, purpose, (self.core.clock())()).await? {
            Some(PaperFetch::Stored { size }) => Ok(PaperDownload::Stored { size }),
            Some(PaperFetch::Deferred(reason)) => {
                Ok(PaperDownload::Confirm { size: p.size, network: network.into(), reason })
            }
            None => Err(AppCoreError::NotFound("That paper")),
        }
    }

    /// A piece of a stored paper (up to 4 MiB from `offset`) for the in-app reader, offline too.
    pub fn paper_piece(&self, meeting_id: u32, paper_id: u32, offset: u64) -> Result<PaperPiece> {
        use base64::Engine as _;
        let (piece, total) = self
            .core
            .vault()?
            .paper_range(i64::from(meeting_id), i64::from(paper_id), offset, PIECE)?
            .ok_or(AppCoreError::NotFound("That paper on this device"))?;
        Ok(PaperPiece { offset, total, base64: base64::engine::general_purpose::STANDARD.encode(piece) })
    }

    /// Copies a stored paper to `out` a piece at a time, offline too.
    pub fn read_paper(&self, meeting_id: u32, paper_id: u32, out: &mut dyn std::io::Write) -> Result<u64> {
        self.core
            .vault()?
            .copy_paper_to(i64::from(meeting_id), i64::from(paper_id), out)?
            .ok_or(AppCoreError::NotFound("That paper on this device"))
    }

    /// The member's notes on a paper.
    pub fn notes(&self, meeting_id: u32, paper_id: u32) -> Result<PaperNotesView> {
        let vault = self.core.vault()?;
        let (meeting_id, paper_id) = (i64::from(meeting_id), i64::from(paper_id));
        let to_one_drive = notes_to_one_drive(&vault)?;
        let set = vault.paper_note_set(meeting_id, paper_id)?;
        let backup = match set {
            _ if !to_one_drive => NotesBackup::Off,
            Some(set) if !set.unsaved() => {
                let (_, at, file) = set.saved.unwrap_or_default();
                NotesBackup::Saved { at: iso(at), file }
            }
            Some(set) => NotesBackup::Waiting { reason: set.save_failure },
            None => NotesBackup::Waiting { reason: None },
        };
        let notes = vault
            .paper_notes(meeting_id, paper_id)?
            .into_iter()
            .map(|n| PaperNoteView {
                id: u32::try_from(n.id).unwrap_or_default(),
                page: n.page,
                text: n.text,
                updated: iso(n.updated_at),
            })
            .collect();
        Ok(PaperNotesView { notes, to_one_drive, backup })
    }

    /// What a note on this paper is on: from the agenda on the device, or, once the meeting
    /// has been forgotten, from the notes already written.
    fn noted_paper(&self, vault: &Vault, meeting_id: i64, paper_id: i64) -> Result<NotedPaper> {
        if let Some(m) = vault.committee_meeting(meeting_id)? {
            if let Some(p) = vault.committee_papers(meeting_id)?.into_iter().find(|p| p.id == paper_id) {
                return Ok(NotedPaper {
                    meeting_id,
                    paper_id,
                    committee_title: m.committee_title,
                    meeting_day: m.day,
                    paper_title: p.title,
                });
            }
        }
        Ok(vault.paper_note_set(meeting_id, paper_id)?.ok_or(AppCoreError::NotFound("That paper"))?.paper)
    }

    /// Writes a note on a paper (a new one when `note_id` is `None`), kept on the device and,
    /// where the member keeps them there, saved to their OneDrive now if it can be (else with
    /// the next update).
    pub async fn save_note(
        &self,
        meeting_id: u32,
        paper_id: u32,
        note_id: Option<u32>,
        page: Option<u32>,
        text: &str,
    ) -> Result<PaperNotesView> {
        let text = text.trim();
        if text.is_empty() {
            return Err(AppCoreError::Invalid("Write something in the note first.".into()));
        }
        if text.chars().count() > LONGEST_NOTE {
            return Err(AppCoreError::Invalid(format!("A note can be up to {LONGEST_NOTE} characters.")));
        }
        if page == Some(0) {
            return Err(AppCoreError::Invalid("Pages are numbered from 1.".into()));
        }
        let vault = self.core.vault()?;
        let paper = self.noted_paper(&vault, i64::from(meeting_id), i64::from(paper_id))?;
        let now = (self.core.clock())();
        vault
            .write(|w| w.put_paper_note(&paper, note_id.map(i64::from), page, text, now))?
            .ok_or(AppCoreError::NotFound("That note"))?;
        self.save_notes_now(&vault).await;
        self.notes(meeting_id, paper_id)
    }

    /// Deletes a note on a paper (and saves the paper's notes without it, as for a change).
    pub async fn delete_note(&self, meeting_id: u32, paper_id: u32, note_id: u32) -> Result<PaperNotesView> {
        let vault = self.core.vault()?;
        let paper = self.noted_paper(&vault, i64::from(meeting_id), i64::from(paper_id))?;
        let now = (self.core.clock())();
        if !vault.write(|w| w.delete_paper_note(&paper, i64::from(note_id), now))? {
            return Err(AppCoreError::NotFound("That note"));
        }
        self.save_notes_now(&vault).await;
        self.notes(meeting_id, paper_id)
    }

    /// Whether the member keeps their notes on papers in their OneDrive too; turned on, what
    /// is not there yet is saved now if it can be. The paper's notes as they now stand.
    pub async fn set_notes_to_one_drive(&self, meeting_id: u32, paper_id: u32, on: bool) -> Result<PaperNotesView> {
        let vault = self.core.vault()?;
        vault.write(|w| w.set_setting(NOTES_TO_ONEDRIVE_SETTING, if on { "on" } else { "off" }))?;
        self.save_notes_now(&vault).await;
        self.notes(meeting_id, paper_id)
    }

    /// Saves changed notes now where the member keeps them in OneDrive. Failing is not the
    /// member's action failing: the notes are on the device, and the next update tries again.
    async fn save_notes_now(&self, vault: &Vault) {
        let Ok(session) = self.core.session().await else { return };
        if let Err(e) = save_notes(vault, &session.graph, (self.core.clock())(), true).await {
            tracing::info!(error = %e, "notes on papers could not be saved to OneDrive yet");
        }
    }
}
