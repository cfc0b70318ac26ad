//! Committee papers: the member's committees' meetings read from the council's modern.gov into
//! the vault with their agendas and papers' sizes, and the next days' papers fetched ahead as
//! the [`DataPolicy`] allows (the app's governor: on Wi-Fi only). Exempt papers are kept only
//! where the council allows. Here, below the app, so that the app and the allowance's month
//! simulation run the same code.

use crate::error::SyncError;
use crate::policy::{DataPolicy, Decision, Download, Purpose};
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::London;
use companion_graph::{Feature, NetworkProbe};
use companion_moderngov::{Meeting, ModernGovClient, PaperDocument};
use companion_vault::{AgendaItemRecord, CommitteeMeetingRecord, CommitteePaperRecord, Vault};
use std::ops::ControlFlow;
use std::sync::Arc;

/// Meetings are read from this many days back (a meeting just held keeps its papers a while)…
pub const MEETINGS_BACK_DAYS: i64 = 7;
/// …to this many ahead.
pub const MEETINGS_AHEAD_DAYS: i64 = 42;
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

/// The member on the council's committee site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommitteeMember {
    /// Their user id on the site (`lUserId`).
    pub id: u32,
    /// Whether the council lets exempt papers onto the device.
    pub exempt_papers: bool,
}

/// What one update of the committee papers did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PapersUpdate {
    /// Meetings read from the site and stored (0 when the site was read recently).
    pub meetings: usize,
    /// Papers fetched ahead.
    pub fetched: usize,
    /// Their bytes.
    pub fetched_bytes: u64,
    /// Papers due ahead that the data policy held back.
    pub deferred: usize,
}

/// What asking for one paper came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaperFetch {
    /// It is on the device, this many bytes.
    Stored {
        /// Its size.
        size: u64,
    },
    /// The data policy held it back, for this reason.
    Deferred(String),
}

/// The council's status says the meeting is called off ("Cancelled", "Cancelled; …").
pub fn meeting_cancelled(status: &str) -> bool {
    status.trim_start().to_ascii_lowercase().starts_with("cancelled")
}

fn london_day(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&London).date_naive()
}

/// The member's committee papers, kept in step with the site.
pub struct CommitteePapers {
    vault: Arc<Vault>,
    client: Arc<ModernGovClient>,
    policy: Arc<dyn DataPolicy>,
    network: Arc<dyn NetworkProbe>,
    member: CommitteeMember,
}

impl CommitteePapers {
    /// Papers from `client`'s site for `member`, kept in `vault`, each download asked of
    /// `policy` on the network `network` reports.
    pub fn new(
        vault: Arc<Vault>,
        client: Arc<ModernGovClient>,
        policy: Arc<dyn DataPolicy>,
        network: Arc<dyn NetworkProbe>,
        member: CommitteeMember,
    ) -> Self {
        Self { vault, client, policy, network, member }
    }

    /// With each update: the site read (every few hours: on mobile data an update comes every
    /// quarter of an hour, and agendas change far less often), then the papers of the next
    /// days' meetings fetched as the policy allows. A meeting or paper that cannot be read is
    /// left as it was stored; the committee list failing fails the update.
    pub async fn update(&self, now: DateTime<Utc>) -> Result<PapersUpdate, SyncError> {
        let today = london_day(now);
        let mut report = PapersUpdate::default();
        let last_read = self.vault.setting(SITE_READ_SETTING)?.and_then(|t| t.parse::<DateTime<Utc>>().ok());
        if last_read.is_none_or(|at| now - at >= Duration::hours(SITE_READ_EVERY_HOURS) || now < at) {
            report.meetings = self.read_site(now).await?;
            self.vault.write(|w| w.set_setting(SITE_READ_SETTING, &now.to_rfc3339()))?;
        }
        for m in self.vault.committee_meetings(today, today + Duration::days(FETCH_AHEAD_DAYS))? {
            if meeting_cancelled(&m.status) {
                continue;
            }
            for p in self.vault.committee_papers(m.id)?.iter().filter(|p| p.fetched_at.is_none()) {
                let ask = self.download(Purpose::Prefetch, format!("{}: {}", m.committee_title, p.title), p.size);
                if let Decision::Defer(_) = self.policy.decide(&ask) {
                    report.deferred += 1;
                    continue;
                }
                match self.store_paper(m.id, p, now).await {
                    Ok(Some(bytes)) => {
                        report.fetched += 1;
                        report.fetched_bytes += bytes;
                    }
                    Ok(None) => {}
                    Err(e) => tracing::info!(error = %e, paper = p.id, "a paper could not be fetched ahead"),
                }
            }
        }
        self.vault.write(|w| w.forget_meetings_before(today - Duration::days(KEEP_DAYS)))?;
        Ok(report)
    }

    /// Gets one paper onto the device for `purpose` (the member opened it, or agreed to its
    /// size on mobile data), unless it is there already or the policy holds it back.
    pub async fn fetch(
        &self,
        meeting_id: i64,
        paper_id: i64,
        purpose: Purpose,
        now: DateTime<Utc>,
    ) -> Result<Option<PaperFetch>, SyncError> {
        let Some(p) = self.vault.committee_papers(meeting_id)?.into_iter().find(|p| p.id == paper_id) else {
            return Ok(None);
        };
        if p.fetched_at.is_some() {
            return Ok(Some(PaperFetch::Stored { size: p.size.unwrap_or_default() }));
        }
        if let Decision::Defer(reason) = self.policy.decide(&self.download(purpose, p.title.clone(), p.size)) {
            return Ok(Some(PaperFetch::Deferred(reason)));
        }
        Ok(self.store_paper(meeting_id, &p, now).await?.map(|size| PaperFetch::Stored { size }))
    }

    fn download(&self, purpose: Purpose, subject: String, expected_bytes: Option<u64>) -> Download {
        Download {
            purpose,
            feature: Feature::CommitteePapers,
            network: self.network.current(),
            expected_bytes,
            subject,
        }
    }

    /// Fetches a paper into the vault a part at a time as it arrives (never whole in memory);
    /// its size (none when the paper went from the agenda while it was fetched: nothing is
    /// kept). A download cut short leaves no parts behind.
    async fn store_paper(
        &self,
        meeting_id: i64,
        p: &CommitteePaperRecord,
        now: DateTime<Utc>,
    ) -> Result<Option<u64>, SyncError> {
        let document = document(p)?;
        self.vault.write(|w| w.drop_paper_parts(meeting_id, p.id))?;
        let mut pending: Vec<u8> = Vec::with_capacity(PART);
        let mut seq = 0i64;
        let mut kept: Result<(), companion_vault::VaultError> = Ok(());
        let vault = &self.vault;
        let mut keep = |piece: &[u8]| {
            let mut piece = piece;
            while !piece.is_empty() {
                let take = piece.len().min(PART - pending.len());
                pending.extend_from_slice(&piece[..take]);
                piece = &piece[take..];
                if pending.len() == PART {
                    if let Err(e) = vault.write(|w| w.add_paper_part(meeting_id, p.id, seq, &pending)) {
                        kept = Err(e);
                        return ControlFlow::Break(());
                    }
                    pending.clear();
                    seq += 1;
                }
            }
            ControlFlow::Continue(())
        };
        let fetched = self.client.paper_to(&document, LARGEST_PAPER, &mut keep).await;
        let finished = match (fetched, kept) {
            (Ok(_), Ok(())) if !pending.is_empty() => {
                self.vault.write(|w| w.add_paper_part(meeting_id, p.id, seq, &pending)).map_err(SyncError::from)
            }
            (Ok(_), Ok(())) => Ok(()),
            // Where it was being kept failed (a full disk): that is the reason, not the stop.
            (_, Err(e)) => Err(e.into()),
            (Err(e), Ok(())) => Err(e.into()),
        };
        if let Err(e) = finished {
            if let Err(cleanup) = self.vault.write(|w| w.drop_paper_parts(meeting_id, p.id)) {
                tracing::info!(error = %cleanup, "a cut-short paper's parts could not be removed yet");
            }
            return Err(e);
        }
        Ok(self.vault.write(|w| w.finish_paper(meeting_id, p.id, now))?)
    }

    /// Reads the member's committees' meetings and agendas from the site into the vault, and
    /// asks the size of each paper not yet sized; how many meetings were stored.
    async fn read_site(&self, now: DateTime<Utc>) -> Result<usize, SyncError> {
        let today = london_day(now);
        let (from, to) = (today - Duration::days(MEETINGS_BACK_DAYS), today + Duration::days(MEETINGS_AHEAD_DAYS));
        let mut stored = 0;
        let committees = self.client.committees_of(self.member.id).await?;
        for c in committees.iter().filter(|c| c.is_current()) {
            for summary in self.client.meetings(c.id, from, to).await? {
                let meeting = match self.client.meeting(summary.id).await {
                    Ok(m) => m,
                    Err(e) => {
                        tracing::info!(error = %e, meeting = summary.id, "a meeting could not be read");
                        continue;
                    }
                };
                self.store_meeting(c.id, &c.title, &meeting, now)?;
                stored += 1;
            }
        }
        // A member shown a paper sees its size before fetching it.
        for m in self.vault.committee_meetings(today, to)? {
            for p in self.vault.committee_papers(m.id)?.iter().filter(|p| p.size.is_none()) {
                match self.client.paper_size(&document(p)?).await {
                    Ok(Some(size)) => self.vault.write(|w| w.set_paper_size(m.id, p.id, size))?,
                    Ok(None) => {}
                    Err(e) => tracing::info!(error = %e, paper = p.id, "a paper's size could not be asked"),
                }
            }
        }
        Ok(stored)
    }

    /// Stores a meeting as the site gives it now. Exempt papers are left out unless the council
    /// allows them (their items stay on the agenda: the titles are public).
    fn store_meeting(
        &self,
        committee_id: u32,
        committee: &str,
        m: &Meeting,
        now: DateTime<Utc>,
    ) -> Result<(), SyncError> {
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
            for d in i.documents.iter().filter(|d| self.member.exempt_papers || !d.restricted) {
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
        self.vault.write(|w| {
            w.put_committee_meeting(&record)?;
            w.put_agenda(record.id, &items, &papers)
        })?;
        Ok(())
    }
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

/// The stored paper as the client asks for it. A stored id or address that no longer reads is
/// the site's answer gone bad, not a bug here.
fn document(p: &CommitteePaperRecord) -> Result<PaperDocument, SyncError> {
    Ok(PaperDocument {
        id: u32::try_from(p.id).map_err(|_| SyncError::Malformed)?,
        title: p.title.clone(),
        url: p.url.parse().map_err(|_| SyncError::Malformed)?,
        restricted: p.restricted,
        published: p.published,
    })
}
