//! Committee papers: the meetings of the member's committees from the council's modern.gov,
//! each agenda and its papers, fetched ahead on Wi-Fi in the days before the meeting (on
//! mobile data when the member asks, as the data governor decides for attachments), and kept
//! in the vault, readable offline. Exempt papers only where the council's configuration allows.

use crate::config::CommitteePapersConfig;
use crate::core::{london_day, Core};
use crate::error::{AppCoreError, Result};
use crate::views::{
    stored_at, AgendaItemView, CommitteeMeetingSummary, CommitteeMeetingView, PaperDownload, PaperPiece, PaperView,
};
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::London;
use companion_graph::{Feature, Network, NetworkProbe as _};
use companion_moderngov::{Meeting, ModernGovClient, PaperDocument};
use companion_sync::{DataPolicy, Decision, Download, Purpose};
use companion_vault::{AgendaItemRecord, CommitteeMeetingRecord, CommitteePaperRecord, Vault};
use std::sync::Arc;

/// Meetings read from this many days back (a meeting just held keeps its papers a while)…
const LOOK_BACK_DAYS: i64 = 7;
/// …to this many ahead.
const LOOK_AHEAD_DAYS: i64 = 42;
/// Papers are fetched ahead for meetings this many days away or fewer.
const FETCH_AHEAD_DAYS: i64 = 3;
/// The site is read at most this often (each update still fetches what is due ahead).
const SITE_READ_EVERY_HOURS: i64 = 3;
/// When the site was last read.
const SITE_READ_SETTING: &str = "papers.site-read-at";
/// Meetings held longer ago than this are forgotten, with their papers.
const KEEP_DAYS: i64 = 30;
/// The largest paper fetched (the heaviest packs seen are about 40 MB).
const LARGEST_PAPER: u64 = 200 * 1024 * 1024;
/// A paper's content is written to the vault in pieces of this size.
const PART: usize = 1024 * 1024;
/// The in-app reader takes a paper in pieces of this size.
const PIECE: usize = 4 * 1024 * 1024;

/// The member's committee papers.
pub struct PapersService {
    core: Arc<Core>,
}

/// What one pass over the committee site found.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PapersUpdate {
    /// Meetings stored.
    pub meetings: usize,
    /// Papers fetched ahead.
    pub fetched: usize,
    /// Their bytes.
    pub fetched_bytes: u64,
}

fn meeting_record(committee_id: u32, committee: &str, m: &Meeting) -> CommitteeMeetingRecord {
    let starts_at = m.starts.and_then(|t| London.from_local_datetime(&m.date.and_time(t)).earliest());
    CommitteeMeetingRecord {
        id: i64::from(m.id),
        committee_id: i64::from(committee_id),
        committee_title: committee.to_owned(),
        day: m.date,
        time_text: m.time.clone(),
        starts_at: starts_at.map(|t| t.with_timezone(&Utc)),
        location: m.location.clone(),
        status: m.status.clone(),
        agenda_published: m.agenda_published,
        looked_at: None,
    }
}

/// The council's status says the meeting is called off ("Cancelled", "Cancelled; …").
fn cancelled(status: &str) -> bool {
    status.trim_start().to_ascii_lowercase().starts_with("cancelled")
}

fn document(p: &CommitteePaperRecord) -> Result<PaperDocument> {
    Ok(PaperDocument {
        id: u32::try_from(p.id).map_err(|_| AppCoreError::NotFound("That paper"))?,
        title: p.title.clone(),
        url: p.url.parse().map_err(|_| AppCoreError::NotFound("That paper's address"))?,
        restricted: p.restricted,
        published: p.published,
    })
}

/// Fetches a paper and stores it in the vault a piece at a time; its size.
async fn fetch_paper(
    vault: &Vault,
    client: &ModernGovClient,
    meeting_id: i64,
    p: &CommitteePaperRecord,
    now: DateTime<Utc>,
) -> Result<u64> {
    let content = client.paper(&document(p)?, LARGEST_PAPER).await.map_err(AppCoreError::CommitteeSite)?;
    vault.write(|w| w.drop_paper_parts(meeting_id, p.id))?;
    for (seq, piece) in content.chunks(PART).enumerate() {
        vault.write(|w| w.add_paper_part(meeting_id, p.id, seq as i64, piece))?;
    }
    vault.write(|w| w.finish_paper(meeting_id, p.id, now))?.ok_or(AppCoreError::NotFound("That paper"))
}

/// Reads the member's committees' meetings and agendas from the site into the vault, and asks
/// the size of each paper not yet sized; how many meetings were stored.
async fn read_site(
    vault: &Vault,
    client: &ModernGovClient,
    settings: &CommitteePapersConfig,
    now: DateTime<Utc>,
) -> Result<usize> {
    let today = london_day(now);
    let mut stored = 0;
    let committees = client.committees_of(settings.member_id).await.map_err(AppCoreError::CommitteeSite)?;
    for c in committees.iter().filter(|c| c.is_current()) {
        let meetings = client
            .meetings(c.id, today - Duration::days(LOOK_BACK_DAYS), today + Duration::days(LOOK_AHEAD_DAYS))
            .await
            .map_err(AppCoreError::CommitteeSite)?;
        for summary in meetings {
            let meeting = match client.meeting(summary.id).await {
                Ok(m) => m,
                Err(e) => {
                    tracing::info!(error = %e, meeting = summary.id, "a meeting could not be read");
                    continue;
                }
            };
            store_meeting(vault, c.id, &c.title, &meeting, settings.exempt_papers, now)?;
            stored += 1;
        }
    }
    // A member shown a paper sees its size before fetching it.
    for m in vault.committee_meetings(today, today + Duration::days(LOOK_AHEAD_DAYS))? {
        for p in vault.committee_papers(m.id)?.iter().filter(|p| p.size.is_none()) {
            match client.paper_size(&document(p)?).await {
                Ok(Some(size)) => vault.write(|w| w.set_paper_size(m.id, p.id, size))?,
                Ok(None) => {}
                Err(e) => tracing::info!(error = %e, paper = p.id, "a paper's size could not be asked"),
            }
        }
    }
    Ok(stored)
}

/// With the update: the site read (every few hours), then papers of the next days' meetings
/// fetched as the data governor allows (on Wi-Fi). A meeting that cannot be read is left as it
/// was stored.
pub(crate) async fn update(core: &Core, client: &ModernGovClient, now: DateTime<Utc>) -> Result<PapersUpdate> {
    let Some(settings) = core.config.committee_papers.as_ref() else { return Ok(PapersUpdate::default()) };
    let cache = core.open_cache()?;
    let vault = cache.vault.clone();
    let governor = cache.allowance.governor();
    drop(cache);
    let today = london_day(now);
    let mut report = PapersUpdate::default();
    // The site is read every few hours, not with every update: on mobile data an update comes
    // every quarter of an hour, and agendas change far less often than that.
    let last_read = vault.setting(SITE_READ_SETTING)?.and_then(|t| t.parse::<DateTime<Utc>>().ok());
    if last_read.is_none_or(|at| now - at >= Duration::hours(SITE_READ_EVERY_HOURS) || now < at) {
        report.meetings = read_site(&vault, client, settings, now).await?;
        vault.write(|w| w.set_setting(SITE_READ_SETTING, &now.to_rfc3339()))?;
    }
    for m in vault.committee_meetings(today, today + Duration::days(FETCH_AHEAD_DAYS))? {
        if cancelled(&m.status) {
            continue;
        }
        for p in vault.committee_papers(m.id)?.iter().filter(|p| p.fetched_at.is_none()) {
            let ask = Download {
                purpose: Purpose::Prefetch,
                feature: Feature::CommitteePapers,
                network: core.network.current(),
                expected_bytes: p.size,
                subject: format!("{}: {}", m.committee_title, p.title),
            };
            if let Decision::Defer(_) = governor.decide(&ask) {
                continue;
            }
            match fetch_paper(&vault, client, m.id, p, now).await {
                Ok(bytes) => {
                    report.fetched += 1;
                    report.fetched_bytes += bytes;
                }
                Err(e) => tracing::info!(error = %e, paper = p.id, "a paper could not be fetched ahead"),
            }
        }
    }
    vault.write(|w| w.forget_meetings_before(today - Duration::days(KEEP_DAYS)))?;
    Ok(report)
}

/// Stores a meeting as the site gives it now. Exempt papers are left out unless the council
/// allows them (their items stay on the agenda: the titles are public).
fn store_meeting(
    vault: &Vault,
    committee_id: u32,
    committee: &str,
    m: &Meeting,
    exempt_allowed: bool,
    now: DateTime<Utc>,
) -> Result<()> {
    let items: Vec<AgendaItemRecord> = m
        .items
        .iter()
        .enumerate()
        .map(|(seq, i)| AgendaItemRecord {
            seq: seq as i64,
            id: i64::from(i.id),
            number: i.number.clone(),
            title: i.title.clone(),
            restricted: i.restricted,
        })
        .collect();
    let mut papers: Vec<CommitteePaperRecord> = Vec::new();
    for (seq, i) in m.items.iter().enumerate() {
        for d in i.documents.iter().filter(|d| exempt_allowed || !d.restricted) {
            // A paper an item refers to again is kept once, under its first item.
            if papers.iter().any(|p| p.id == i64::from(d.id)) {
                continue;
            }
            papers.push(CommitteePaperRecord {
                id: i64::from(d.id),
                item_seq: seq as i64,
                title: d.title.clone(),
                url: d.url.to_string(),
                restricted: d.restricted,
                published: d.published,
                size: None,
                first_seen_at: now,
                fetched_at: None,
            });
        }
    }
    let record = meeting_record(committee_id, committee, m);
    vault.write(|w| {
        w.put_committee_meeting(&record)?;
        w.put_agenda(record.id, &items, &papers)
    })?;
    Ok(())
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
            cancelled: cancelled(&m.status),
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
            .committee_meetings(today - Duration::days(LOOK_BACK_DAYS), today + Duration::days(LOOK_AHEAD_DAYS))?
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
        let ask = Download {
            purpose: if confirmed { Purpose::Confirmed } else { Purpose::Opened },
            feature: Feature::CommitteePapers,
            network,
            expected_bytes: p.size,
            subject: p.title.clone(),
        };
        if let Decision::Defer(reason) = self.core.open_cache()?.allowance.governor().decide(&ask) {
            return Ok(PaperDownload::Confirm { size: p.size, network: network.into(), reason });
        }
        let session = self.core.session().await?;
        let client = session.papers.as_ref().ok_or_else(|| {
            AppCoreError::Invalid("The council has not set up its committee papers for the app.".into())
        })?;
        let size = fetch_paper(&vault, client, meeting_id, &p, (self.core.clock())()).await?;
        Ok(PaperDownload::Stored { size })
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
}
