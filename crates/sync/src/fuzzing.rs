//! Entry points for the fuzz targets (`fuzz/`, through `companion-fuzzing`): Graph's answers
//! as the sync reads them, from bytes. Not part of the sync's API; each must never panic.

use crate::bodies::{read_batch, stored_body};
use companion_graph::{Collection, Contact, DeltaItem, DeltaPage, Event, MailFolder, Message};
use std::time::Duration;

/// A page of each kind the sync reads, converted to what the vault would store.
pub fn graph_page(data: &[u8]) {
    fn changed<T>(page: &DeltaPage<T>) -> impl Iterator<Item = &T> {
        page.value.iter().filter_map(|i| match i {
            DeltaItem::Changed(t) => Some(t),
            DeltaItem::Removed { .. } => None,
        })
    }
    if let Ok(page) = serde_json::from_slice::<DeltaPage<Message>>(data) {
        changed(&page).for_each(|m| drop(crate::convert::message(m, "inbox")));
    }
    if let Ok(page) = serde_json::from_slice::<DeltaPage<Event>>(data) {
        changed(&page).for_each(|e| drop(crate::convert::event(e)));
    }
    if let Ok(page) = serde_json::from_slice::<DeltaPage<Contact>>(data) {
        changed(&page).for_each(|c| drop(crate::convert::contact(c, "contacts")));
    }
    if let Ok(page) = serde_json::from_slice::<Collection<MailFolder>>(data) {
        page.value.iter().for_each(|f| drop(crate::convert::folder(f, None)));
    }
}

/// A `$batch` answer to twenty requests, read as the sync reads it, with each answer taken
/// as a body and as an attachment list.
pub fn batch_answer(data: &[u8]) {
    let Ok(answer) = serde_json::from_slice::<serde_json::Value>(data) else { return };
    let pending: Vec<String> = (0..20).map(|i| format!("message-{i}")).collect();
    let reading = read_batch(&answer, &pending);
    assert!(reading.wait <= Duration::from_secs(60), "a batch's wait is bounded: {:?}", reading.wait);
    assert!(reading.answers.len() + reading.again.len() <= pending.len(), "each id is read once at most");
    for a in reading.answers {
        drop(stored_body(a.body));
        drop(crate::attachments::attachment_records(a.item, a.body));
    }
}
