//! Delta rounds into the vault.

use crate::ahead::{Chain, Fetched, PagesAhead};
use crate::convert;
use crate::error::SyncError;
use crate::policy::DataPolicy;
use chrono::{DateTime, Duration, Utc};
use companion_graph::{
    Contact, DeltaItem, DirectoryUser, Event, Feature, GraphClient, GraphError, GraphRequest, MailFolder, Message,
    NetworkProbe,
};
use companion_vault::{CheckpointKind, DeltaCheckpoint, Vault, Writer};
use serde::de::DeserializeOwned;
use std::sync::Arc;

/// Only what the app shows of a message's headers: every other field costs data for nothing.
pub(crate) const MESSAGE_SELECT: &str = "subject,from,sender,toRecipients,ccRecipients,receivedDateTime,sentDateTime,isRead,isDraft,flag,categories,importance,hasAttachments,bodyPreview,conversationId,parentFolderId,changeKey";
/// What the directory keeps of each person: Graph's default user has a dozen more fields.
pub(crate) const DIRECTORY_SELECT: &str = "displayName,jobTitle,department,officeLocation,businessPhones,mail";
/// The directory's round, as the vault's checkpoints and progress name it.
pub const DIRECTORY: &str = "directory";
pub(crate) const IMMUTABLE_IDS: &str = "IdType=\"ImmutableId\"";
/// Resets in a row (with no page landing between) before the engine gives up on a collection.
const MAX_RESETS_IN_A_ROW: u32 = 4;
/// Resets in one sync before it gives up: a server that keeps resetting is not converging.
const MAX_RESETS: u32 = 60;
/// The most delta pages one transaction writes, when that many have arrived while the last
/// batch was written. Each commit encrypts and writes every page of the database it touched
/// (a message id lands on a random page of the id index, so a commit of a few hundred messages
/// touches hundreds of pages) and flushes the search index: fewer, larger commits keep up with
/// the wire, on a large mailbox most of all (100,000 messages: 10.2 s with up to 8, 6.0 s with
/// 32). A crash loses no more than these pages' download, about 450 KB.
const PAGES_PER_WRITE: usize = 32;

/// How much to keep.
#[derive(Debug, Clone)]
pub struct SyncOptions {
    /// Days of mail headers and previews to keep; `None` keeps everything. A window uses a
    /// received-date filter, which Graph caps at 5,000 messages a round: keep windows short.
    pub mail_days: Option<i64>,
    /// Days of calendar before today.
    pub calendar_past_days: i64,
    /// Days of calendar after today.
    pub calendar_future_days: i64,
    /// Items per page asked for.
    pub page_size: usize,
}

impl Default for SyncOptions {
    fn default() -> Self {
        Self { mail_days: Some(30), calendar_past_days: 14, calendar_future_days: 90, page_size: 100 }
    }
}

/// One step of progress, for the UI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    /// The collection (`folders`, `mail:{id}`, `calendar`, `contacts:{id}`, `directory`).
    pub collection: String,
    /// Items applied so far in this collection in this sync.
    pub items: u64,
    /// Bytes on the wire so far in this sync (0 unless a [`CountingMeter`] is attached).
    ///
    /// [`CountingMeter`]: crate::CountingMeter
    pub bytes: u64,
}

/// What a sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Items added or changed.
    pub changed: u64,
    /// Items removed.
    pub removed: u64,
    /// Pages applied.
    pub pages: u64,
    /// Collections the server reset (synced again from the start).
    pub resets: u32,
    /// Downloads the data policy held back, with its reasons.
    pub deferred: Vec<String>,
}

type ProgressFn = dyn Fn(&Progress) + Send + Sync;

/// Syncs one mailbox into one vault.
pub struct SyncEngine {
    graph: Arc<GraphClient>,
    vault: Arc<Vault>,
    policy: Arc<dyn DataPolicy>,
    network: Arc<dyn NetworkProbe>,
    options: SyncOptions,
    progress: Option<Box<ProgressFn>>,
    bytes: Option<(Arc<crate::CountingMeter>, std::sync::atomic::AtomicU64)>,
}

/// How a round writes one page.
type Apply<'a, T> = &'a (dyn Fn(&mut Writer<'_>, &[DeltaItem<T>]) -> companion_vault::Result<(u64, u64)> + Sync);
type Clear<'a> = &'a (dyn Fn(&mut Writer<'_>) -> companion_vault::Result<usize> + Sync);

/// Applies one folder's page of message changes: a change lands in this folder (a move
/// elsewhere brings it here), a removal takes it only if it is still here.
pub(crate) fn apply_messages(
    w: &mut Writer<'_>,
    folder: &str,
    items: &[DeltaItem<Message>],
) -> companion_vault::Result<(u64, u64)> {
    let (mut changed, mut removed) = (0, 0);
    // Runs of changes are written together (one statement keeps the search index quick);
    // a removal between them keeps its place, so the last word on a message still wins.
    let mut run = Vec::with_capacity(items.len());
    for item in items {
        match item {
            DeltaItem::Changed(m) => {
                run.push(convert::message(m, folder));
                changed += 1;
            }
            DeltaItem::Removed { id } => {
                w.upsert_messages(&run)?;
                run.clear();
                w.remove_message_from(id, folder)?;
                removed += 1;
            }
        }
    }
    w.upsert_messages(&run)?;
    Ok((changed, removed))
}

impl SyncEngine {
    /// An engine for `graph` and `vault`, asking `policy` before every download.
    pub fn new(
        graph: Arc<GraphClient>,
        vault: Arc<Vault>,
        policy: Arc<dyn DataPolicy>,
        network: Arc<dyn NetworkProbe>,
        options: SyncOptions,
    ) -> Self {
        Self { graph, vault, policy, network, options, progress: None, bytes: None }
    }

    pub(crate) fn graph(&self) -> &GraphClient {
        &self.graph
    }
    pub(crate) fn vault(&self) -> &Vault {
        &self.vault
    }
    pub(crate) fn policy(&self) -> &dyn DataPolicy {
        self.policy.as_ref()
    }
    pub(crate) fn network(&self) -> &dyn NetworkProbe {
        self.network.as_ref()
    }

    /// Reads the bytes a sync has cost from `meter` (the one the Graph client records into).
    pub fn counting_bytes(mut self, meter: Arc<crate::CountingMeter>) -> Self {
        self.bytes = Some((meter, std::sync::atomic::AtomicU64::new(0)));
        self
    }

    pub(crate) fn bytes_so_far(&self) -> u64 {
        self.bytes
            .as_ref()
            .map_or(0, |(m, start)| m.total().saturating_sub(start.load(std::sync::atomic::Ordering::Relaxed)))
    }

    /// Reports progress through `f` (e.g. to a Tauri channel).
    pub fn on_progress(mut self, f: impl Fn(&Progress) + Send + Sync + 'static) -> Self {
        self.progress = Some(Box::new(f));
        self
    }

    /// Syncs folders, every folder's recent mail, the calendar window, contacts and the
    /// directory. `now` sets
    /// the windows (the app passes the real time; tests the simulator's).
    pub async fn sync_all(&self, now: DateTime<Utc>) -> Result<SyncReport, SyncError> {
        let mut report = SyncReport::default();
        self.start_counting();
        let folders = self.sync_folders(&mut report).await?;
        self.sync_after_folders(&folders, None, now, &mut report).await?;
        Ok(report)
    }

    /// Starts counting this sync's bytes from here.
    pub(crate) fn start_counting(&self) {
        if let Some((meter, start)) = &self.bytes {
            start.store(meter.total(), std::sync::atomic::Ordering::Relaxed);
        }
    }

    /// Tells the listener about a step that is not a delta round (e.g. `bodies`).
    pub(crate) fn report_progress(&self, collection: &str, items: u64) {
        if let Some(f) = &self.progress {
            f(&Progress { collection: collection.to_owned(), items, bytes: self.bytes_so_far() });
        }
    }

    /// The folder list, then (when asked) the inbox, whose id is returned with the report.
    pub(crate) async fn sync_folders_and_inbox(
        &self,
        now: DateTime<Utc>,
        report: &mut SyncReport,
    ) -> Result<(Vec<String>, Option<String>), SyncError> {
        let folders = self.sync_folders(report).await?;
        let inbox = self.vault.well_known_folder_id("inbox")?.filter(|id| folders.contains(id));
        if let Some(inbox) = &inbox {
            self.sync_messages(inbox, now, report).await?;
        }
        Ok((folders, inbox))
    }

    /// Every folder's mail but `done` (already synced), then the calendar, contacts and the
    /// directory.
    pub(crate) async fn sync_after_folders(
        &self,
        folders: &[String],
        done: Option<&str>,
        now: DateTime<Utc>,
        report: &mut SyncReport,
    ) -> Result<(), SyncError> {
        for folder in folders.iter().filter(|f| Some(f.as_str()) != done) {
            self.sync_messages(folder, now, report).await?;
        }
        self.sync_calendar(now, report).await?;
        self.sync_contacts(report).await?;
        self.sync_directory(report).await
    }

    async fn sync_folders(&self, report: &mut SyncReport) -> Result<Vec<String>, SyncError> {
        let apply = |w: &mut Writer<'_>, items: &[DeltaItem<MailFolder>]| {
            let (mut changed, mut removed) = (0, 0);
            for item in items {
                match item {
                    DeltaItem::Changed(f) => {
                        w.upsert_folder(&convert::folder(f, None))?;
                        changed += 1;
                    }
                    DeltaItem::Removed { id } => {
                        w.remove_folder(id)?;
                        removed += 1;
                    }
                }
            }
            Ok((changed, removed))
        };
        let first = "/me/mailFolders/delta?$select=displayName,parentFolderId,childFolderCount,unreadItemCount,totalItemCount,isHidden";
        self.round::<MailFolder>("folders", first, Feature::MailHeaders, &[], &apply, &|_| Ok(0), report).await?;
        self.learn_well_known_folders().await?;
        Ok(self.vault.folders()?.into_iter().map(|f| f.id).collect())
    }

    /// Graph's folders do not say which is the inbox; ask once for each well-known name.
    async fn learn_well_known_folders(&self) -> Result<(), SyncError> {
        let known = self.vault.folders()?;
        if known.iter().any(|f| f.well_known.as_deref() == Some("inbox")) {
            return Ok(());
        }
        for name in ["inbox", "drafts", "sentitems", "deleteditems", "archive", "junkemail"] {
            match self
                .graph
                .json::<MailFolder>(&GraphRequest::get(
                    format!("/me/mailFolders/{name}?$select=displayName"),
                    Feature::MailHeaders,
                ))
                .await
            {
                Ok(f) => {
                    if let Some(mut record) = known.iter().find(|k| k.id == f.id).cloned() {
                        record.well_known = Some(name.to_owned());
                        self.vault.write(|w| w.upsert_folder(&record))?;
                    }
                }
                Err(GraphError::Refused { status: 404, .. }) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(())
    }

    pub(crate) async fn sync_messages(
        &self,
        folder_id: &str,
        now: DateTime<Utc>,
        report: &mut SyncReport,
    ) -> Result<(), SyncError> {
        let mut first = format!("/me/mailFolders/{folder_id}/messages/delta?$select={MESSAGE_SELECT}");
        if let Some(days) = self.options.mail_days {
            let since = (now - Duration::days(days)).format("%Y-%m-%dT%H:%M:%SZ");
            first.push_str(&format!("&$filter=receivedDateTime+ge+{since}"));
        }
        let folder = folder_id.to_owned();
        let apply = move |w: &mut Writer<'_>, items: &[DeltaItem<Message>]| apply_messages(w, &folder, items);
        let folder = folder_id.to_owned();
        let clear = move |w: &mut Writer<'_>| w.clear_folder_messages(&folder);
        let page = format!("odata.maxpagesize={}", self.options.page_size);
        self.round::<Message>(
            &format!("mail:{folder_id}"),
            &first,
            Feature::MailHeaders,
            &[&page, IMMUTABLE_IDS],
            &apply,
            &clear,
            report,
        )
        .await?;
        // The round's filter was fixed when it began; the window moves with the clock.
        if let Some(days) = self.options.mail_days {
            let cutoff = now - Duration::days(days);
            report.removed += self.vault.write(|w| w.prune_messages_before(folder_id, cutoff))? as u64;
        }
        Ok(())
    }

    async fn sync_calendar(&self, now: DateTime<Utc>, report: &mut SyncReport) -> Result<(), SyncError> {
        let start = (now - Duration::days(self.options.calendar_past_days)).format("%Y-%m-%dT00:00:00Z");
        let end = (now + Duration::days(self.options.calendar_future_days)).format("%Y-%m-%dT00:00:00Z");
        let first = format!("/me/calendarView/delta?startDateTime={start}&endDateTime={end}");
        let apply = |w: &mut Writer<'_>, items: &[DeltaItem<Event>]| {
            let (mut changed, mut removed) = (0, 0);
            for item in items {
                match item {
                    DeltaItem::Changed(e) => {
                        if let Some(record) = convert::event(e) {
                            w.upsert_event(&record)?;
                            changed += 1;
                        }
                    }
                    DeltaItem::Removed { id } => {
                        w.remove_event(id)?;
                        removed += 1;
                    }
                }
            }
            Ok((changed, removed))
        };
        let page = format!("odata.maxpagesize={}", self.options.page_size.min(50));
        self.round::<Event>(
            "calendar",
            &first,
            Feature::Calendar,
            &[&page, IMMUTABLE_IDS, "outlook.timezone=\"UTC\""],
            &apply,
            &|w| w.clear_events(),
            report,
        )
        .await
    }

    async fn sync_contacts(&self, report: &mut SyncReport) -> Result<(), SyncError> {
        #[derive(serde::Deserialize)]
        struct Folder {
            id: String,
        }
        let folders: companion_graph::Collection<Folder> =
            self.graph.json(&GraphRequest::get("/me/contactFolders?$select=id", Feature::Contacts)).await?;
        for f in folders.value {
            let folder = f.id.clone();
            let apply = move |w: &mut Writer<'_>, items: &[DeltaItem<Contact>]| {
                let (mut changed, mut removed) = (0, 0);
                for item in items {
                    match item {
                        DeltaItem::Changed(c) => {
                            w.upsert_contact(&convert::contact(c, &folder))?;
                            changed += 1;
                        }
                        DeltaItem::Removed { id } => {
                            w.remove_contact(id)?;
                            removed += 1;
                        }
                    }
                }
                Ok((changed, removed))
            };
            let folder = f.id.clone();
            let clear = move |w: &mut Writer<'_>| w.clear_contacts(&folder);
            let first = format!("/me/contactFolders/{}/contacts/delta?$select=displayName,givenName,surname,jobTitle,companyName,department,emailAddresses,businessPhones,homePhones,mobilePhone,parentFolderId,changeKey", f.id);
            let page = format!("odata.maxpagesize={}", self.options.page_size);
            self.round::<Contact>(
                &format!("contacts:{}", f.id),
                &first,
                Feature::Contacts,
                &[&page],
                &apply,
                &clear,
                report,
            )
            .await?;
        }
        Ok(())
    }

    /// Brings the council's directory up to date on its own (every update does it too).
    pub async fn refresh_directory(&self) -> Result<SyncReport, SyncError> {
        let mut report = SyncReport::default();
        self.start_counting();
        self.sync_directory(&mut report).await?;
        Ok(report)
    }

    /// The council's directory: the people (`users`) with only the fields the app shows. The
    /// data policy keeps it to Wi-Fi (the first fetch of a large council is megabytes; a
    /// refresh is small, but nothing a member waits for), so on mobile data the round is
    /// deferred and the directory stays as it was.
    async fn sync_directory(&self, report: &mut SyncReport) -> Result<(), SyncError> {
        let apply = |w: &mut Writer<'_>, items: &[DeltaItem<DirectoryUser>]| {
            let (mut changed, mut removed) = (0, 0);
            for item in items {
                match item {
                    DeltaItem::Changed(u) => match convert::directory_person(u) {
                        Some(person) => {
                            w.upsert_directory_person(&person)?;
                            changed += 1;
                        }
                        // Nothing to show or write to: as good as not listed.
                        None => removed += u64::from(w.remove_directory_person(&u.id)?),
                    },
                    DeltaItem::Removed { id } => {
                        w.remove_directory_person(id)?;
                        removed += 1;
                    }
                }
            }
            Ok((changed, removed))
        };
        let page = format!("odata.maxpagesize={}", self.options.page_size);
        self.round::<DirectoryUser>(
            DIRECTORY,
            &format!("/users/delta?$select={DIRECTORY_SELECT}"),
            Feature::Directory,
            &[&page],
            &apply,
            &|w| w.clear_directory(),
            report,
        )
        .await
    }

    /// Runs one collection's round to its delta link, from where the vault's checkpoint left it.
    #[allow(clippy::too_many_arguments)]
    async fn round<T: DeserializeOwned + Send + 'static>(
        &self,
        collection: &str,
        first: &str,
        feature: Feature,
        prefer: &[&str],
        apply: Apply<'_, T>,
        clear: Clear<'_>,
        report: &mut SyncReport,
    ) -> Result<(), SyncError> {
        let checkpoint = self.vault.checkpoint(collection)?;
        // A round resumed from an earlier run (a stored next link) only brings the cache up to
        // when that round began; finish it, then run one round that begins now.
        let mut fresh_round = !matches!(checkpoint, Some(DeltaCheckpoint { kind: CheckpointKind::Next, .. }));
        let url = checkpoint.map(|c| c.link).unwrap_or_else(|| first.to_owned());
        let (mut resets, mut in_a_row) = (0, 0);
        let mut items = 0u64;
        let chain =
            Chain { graph: &self.graph, policy: &self.policy, network: &self.network, feature, collection, prefer };
        let mut pages = PagesAhead::<T>::start(&chain, url);
        loop {
            let mut batch = pages.take(PAGES_PER_WRITE).await;
            // Anything but a page ends a batch and comes last: the pages before it are kept.
            let end = match batch.last() {
                Some(Fetched::Page { .. }) | None => None,
                Some(_) => batch.pop(),
            };
            let mut last = None;
            let pages_written: Vec<_> = batch
                .into_iter()
                .filter_map(|step| match step {
                    Fetched::Page { page, link, kind } => Some((page, link, kind)),
                    _ => None,
                })
                .collect();
            if let Some((_, link, kind)) = pages_written.last() {
                // The pages and the link that continues from the last of them land together,
                // or not at all.
                let checkpoint = DeltaCheckpoint { collection: collection.to_owned(), link: link.clone(), kind: *kind };
                let (changed, removed) = self.vault.write(|w| {
                    let (mut changed, mut removed) = (0, 0);
                    for (page, _, _) in &pages_written {
                        let (c, r) = apply(w, &page.value)?;
                        changed += c;
                        removed += r;
                    }
                    w.set_checkpoint(&checkpoint, Utc::now())?;
                    Ok((changed, removed))
                })?;
                in_a_row = 0;
                report.changed += changed;
                report.removed += removed;
                report.pages += pages_written.len() as u64;
                items += changed + removed;
                if let Some(f) = &self.progress {
                    f(&Progress { collection: collection.to_owned(), items, bytes: self.bytes_so_far() });
                }
                last = Some((link.clone(), *kind));
            }
            match end {
                None => {}
                Some(Fetched::Deferred(why)) => {
                    report.deferred.push(format!("{collection}: {why}"));
                    return Ok(());
                }
                Some(Fetched::Failed(GraphError::ResyncRequired)) => {
                    resets += 1;
                    in_a_row += 1;
                    report.resets += 1;
                    if resets > MAX_RESETS || in_a_row > MAX_RESETS_IN_A_ROW {
                        return Err(SyncError::ResetLoop(collection.to_owned()));
                    }
                    // Start again cleanly: what the cache holds of this collection may be stale.
                    self.vault.write(|w| {
                        clear(w)?;
                        w.clear_checkpoint(collection)
                    })?;
                    fresh_round = true;
                    pages = PagesAhead::start(&chain, first.to_owned());
                    continue;
                }
                Some(Fetched::Failed(e)) => return Err(e.into()),
                Some(Fetched::Malformed) | Some(Fetched::Page { .. }) => return Err(SyncError::Malformed),
            }
            if let Some((link, CheckpointKind::Delta)) = last {
                if fresh_round {
                    return Ok(());
                }
                fresh_round = true;
                pages = PagesAhead::start(&chain, link);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::apply_messages;
    use companion_graph::{DeltaItem, Message};
    use companion_vault::{MailFolderRecord, Vault, VaultKey};
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    const FOLDERS: [&str; 2] = ["inbox", "archive"];

    /// One change as a folder's delta page brings it: message `id` changed (its subject now
    /// `subject`) or removed.
    #[derive(Debug, Clone)]
    enum Change {
        Changed { id: u8, subject: u8 },
        Removed { id: u8 },
    }

    fn change() -> impl Strategy<Value = Change> {
        prop_oneof![
            (0u8..6, any::<u8>()).prop_map(|(id, subject)| Change::Changed { id, subject }),
            (0u8..6).prop_map(|id| Change::Removed { id }),
        ]
    }

    fn item(c: &Change) -> DeltaItem<Message> {
        match c {
            Change::Changed { id, subject } => DeltaItem::Changed(
                serde_json::from_value(serde_json::json!({
                    "id": format!("m{id}"), "subject": format!("s{subject}"),
                    "receivedDateTime": "2026-12-01T09:00:00Z"
                }))
                .expect("a message"),
            ),
            Change::Removed { id } => DeltaItem::Removed { id: format!("m{id}") },
        }
    }

    fn vault() -> (tempfile::TempDir, Vault) {
        let dir = tempfile::tempdir().expect("dir");
        let (vault, _) = Vault::open(dir.path(), &VaultKey::generate()).expect("vault");
        vault
            .write(|w| {
                for id in FOLDERS {
                    w.upsert_folder(&MailFolderRecord {
                        id: id.into(),
                        parent_id: None,
                        display_name: id.into(),
                        well_known: Some(id.into()),
                        unread_count: 0,
                        total_count: 0,
                    })?;
                }
                Ok(())
            })
            .expect("folders");
        (dir, vault)
    }

    /// What the vault holds of the six ids: (folder, subject) each.
    fn held(vault: &Vault) -> BTreeMap<String, (String, String)> {
        (0..6)
            .filter_map(|i| vault.message(&format!("m{i}")).expect("read"))
            .map(|m| (m.id, (m.folder_id, m.subject)))
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

        /// Pages from two folders' rounds, interleaved as the engine meets them (a move shows
        /// as a change in the new folder and a removal from the old, in either order).
        #[test]
        fn any_interleaving_of_two_folders_pages_leaves_what_the_last_word_on_each_message_says(
            pages in prop::collection::vec((0usize..2, prop::collection::vec(change(), 0..8)), 1..12)
        ) {
            let (_dir, vault) = vault();
            let mut model: BTreeMap<String, (String, String)> = BTreeMap::new();
            for (folder, changes) in &pages {
                let folder = FOLDERS[*folder];
                let items: Vec<_> = changes.iter().map(item).collect();
                vault.write(|w| apply_messages(w, folder, &items)).expect("applied");
                for c in changes {
                    match c {
                        Change::Changed { id, subject } => {
                            model.insert(format!("m{id}"), (folder.to_owned(), format!("s{subject}")));
                        }
                        Change::Removed { id } => {
                            if model.get(&format!("m{id}")).is_some_and(|(f, _)| f == folder) {
                                model.remove(&format!("m{id}"));
                            }
                        }
                    }
                }
            }
            prop_assert_eq!(held(&vault), model);
        }

        /// Graph may send a page again (after a dropped connection the same link is asked
        /// for): the second time changes nothing.
        #[test]
        fn a_page_applied_twice_leaves_what_it_left_once(
            before in prop::collection::vec(change(), 0..8),
            page in prop::collection::vec(change(), 1..8),
        ) {
            let (_dir, vault) = vault();
            let before: Vec<_> = before.iter().map(item).collect();
            let page: Vec<_> = page.iter().map(item).collect();
            vault.write(|w| apply_messages(w, FOLDERS[0], &before)).expect("applied");
            vault.write(|w| apply_messages(w, FOLDERS[0], &page)).expect("applied");
            let once = held(&vault);
            vault.write(|w| apply_messages(w, FOLDERS[0], &page)).expect("applied again");
            prop_assert_eq!(held(&vault), once);
        }
    }
}
