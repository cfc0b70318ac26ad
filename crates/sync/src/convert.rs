//! Graph's models into the vault's records.

use companion_graph::{Contact, EmailAddress, Event, MailFolder, Message, Recipient};
use companion_vault::{Attendee, ContactRecord, EventRecord, FlagStatus, MailFolderRecord, Mailbox, MessageRecord};

fn mailbox(e: &EmailAddress) -> Option<Mailbox> {
    let address = e.address.clone()?;
    Some(Mailbox { name: e.name.clone().unwrap_or_else(|| address.clone()), address })
}

fn recipients(list: &[Recipient]) -> Vec<Mailbox> {
    list.iter().filter_map(|r| mailbox(&r.email_address)).collect()
}

pub(crate) fn folder(f: &MailFolder, well_known: Option<&str>) -> MailFolderRecord {
    MailFolderRecord {
        id: f.id.clone(),
        parent_id: f.parent_folder_id.clone(),
        display_name: f.display_name.clone().unwrap_or_default(),
        well_known: well_known.map(str::to_owned),
        unread_count: f.unread_item_count.unwrap_or(0),
        total_count: f.total_item_count.unwrap_or(0),
    }
}

pub(crate) fn message(m: &Message, folder_id: &str) -> MessageRecord {
    MessageRecord {
        id: m.id.clone(),
        folder_id: m.parent_folder_id.clone().unwrap_or_else(|| folder_id.to_owned()),
        conversation_id: m.conversation_id.clone(),
        subject: m.subject.clone().unwrap_or_default(),
        from: m.from.as_ref().or(m.sender.as_ref()).and_then(|r| mailbox(&r.email_address)),
        to: recipients(&m.to_recipients),
        cc: recipients(&m.cc_recipients),
        preview: m.body_preview.clone().unwrap_or_default(),
        received_at: m.received_date_time.unwrap_or_default(),
        sent_at: m.sent_date_time,
        is_read: m.is_read.unwrap_or(false),
        is_draft: m.is_draft.unwrap_or(false),
        flag: match m.flag.as_ref().and_then(|f| f.flag_status.as_deref()) {
            Some("flagged") => FlagStatus::Flagged,
            Some("complete") => FlagStatus::Complete,
            _ => FlagStatus::NotFlagged,
        },
        categories: m.categories.clone(),
        importance: m.importance.clone().unwrap_or_else(|| "normal".into()),
        has_attachments: m.has_attachments.unwrap_or(false),
        change_key: m.change_key.clone(),
        event_id: m.event.as_ref().map(|e| e.id.clone()),
    }
}

pub(crate) fn event(e: &Event) -> Option<EventRecord> {
    let start_at = e.start.as_ref()?.to_utc()?;
    let end_at = e.end.as_ref().and_then(|d| d.to_utc()).unwrap_or(start_at);
    Some(EventRecord {
        id: e.id.clone(),
        series_master_id: e.series_master_id.clone(),
        kind: e.kind.clone().unwrap_or_else(|| "singleInstance".into()),
        subject: e.subject.clone().unwrap_or_default(),
        preview: e.body_preview.clone().unwrap_or_default(),
        body_html: e.body.as_ref().and_then(|b| b.content.clone()),
        start_at,
        end_at,
        is_all_day: e.is_all_day.unwrap_or(false),
        is_cancelled: e.is_cancelled.unwrap_or(false),
        location: e.location.as_ref().and_then(|l| l.display_name.clone()).unwrap_or_default(),
        organizer: e.organizer.as_ref().and_then(|o| mailbox(&o.email_address)),
        response: e.response_status.as_ref().and_then(|r| r.response.clone()).unwrap_or_else(|| "none".into()),
        response_requested: e.response_requested.unwrap_or(false),
        online_join_url: e
            .online_meeting
            .as_ref()
            .and_then(|o| o.join_url.clone())
            .or_else(|| e.online_meeting_url.clone()),
        // Graph's default is on; a reminder switched off is no reminder.
        reminder_minutes: if e.is_reminder_on == Some(false) { None } else { e.reminder_minutes_before_start },
        attendees: e
            .attendees
            .iter()
            .filter_map(|a| {
                Some(Attendee {
                    mailbox: mailbox(&a.email_address)?,
                    response: a.status.as_ref().and_then(|s| s.response.clone()).unwrap_or_else(|| "none".into()),
                    kind: a.kind.clone().unwrap_or_else(|| "required".into()).to_ascii_lowercase(),
                })
            })
            .collect(),
        change_key: e.change_key.clone(),
    })
}

pub(crate) fn contact(c: &Contact, folder_id: &str) -> ContactRecord {
    ContactRecord {
        id: c.id.clone(),
        folder_id: Some(c.parent_folder_id.clone().unwrap_or_else(|| folder_id.to_owned())),
        display_name: c.display_name.clone().unwrap_or_default(),
        given_name: c.given_name.clone(),
        surname: c.surname.clone(),
        job_title: c.job_title.clone(),
        company: c.company_name.clone(),
        department: c.department.clone(),
        emails: c.email_addresses.iter().filter_map(mailbox).collect(),
        phones: c.business_phones.iter().chain(&c.home_phones).cloned().collect(),
        mobile_phone: c.mobile_phone.clone(),
        change_key: c.change_key.clone(),
    }
}

/// A directory person, or `None` for an entry with neither a name nor an address (a room or
/// a service account the directory lists without either is no use to a member).
pub(crate) fn directory_person(u: &companion_graph::DirectoryUser) -> Option<companion_vault::DirectoryPersonRecord> {
    let clean = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    let mail = clean(&u.mail);
    let display_name = clean(&u.display_name).or_else(|| mail.clone())?;
    Some(companion_vault::DirectoryPersonRecord {
        id: u.id.clone(),
        display_name,
        job_title: clean(&u.job_title),
        department: clean(&u.department),
        office_location: clean(&u.office_location),
        office_phone: u.business_phones.iter().map(|p| p.trim()).find(|p| !p.is_empty()).map(str::to_owned),
        mail,
    })
}
