//! Graph's JSON, as the app uses it. Field names follow Graph's (camelCase on the wire).

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer, Serialize};

/// A name and an address.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct EmailAddress {
    /// Display name.
    pub name: Option<String>,
    /// Address.
    pub address: Option<String>,
}

/// A recipient, sender or attendee's address.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Recipient {
    /// The address.
    pub email_address: EmailAddress,
}

/// A body: HTML or text.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ItemBody {
    /// `html` or `text`.
    pub content_type: Option<String>,
    /// The content.
    pub content: Option<String>,
}

/// A message's follow-up flag.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct FollowupFlag {
    /// `notFlagged`, `flagged` or `complete`.
    pub flag_status: Option<String>,
}

/// A message (or a meeting message, which adds a few fields).
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Message {
    /// Graph id.
    pub id: String,
    /// `#microsoft.graph.message`, `#microsoft.graph.eventMessageRequest`, …
    #[serde(rename = "@odata.type")]
    pub odata_type: Option<String>,
    /// Subject.
    pub subject: Option<String>,
    /// The first 255 characters of the body.
    pub body_preview: Option<String>,
    /// When it arrived.
    pub received_date_time: Option<DateTime<Utc>>,
    /// When it was sent.
    pub sent_date_time: Option<DateTime<Utc>>,
    /// Read?
    pub is_read: Option<bool>,
    /// Draft?
    pub is_draft: Option<bool>,
    /// Has attachments?
    pub has_attachments: Option<bool>,
    /// `low`, `normal`, `high`.
    pub importance: Option<String>,
    /// Folder.
    pub parent_folder_id: Option<String>,
    /// Conversation.
    pub conversation_id: Option<String>,
    /// Change key.
    pub change_key: Option<String>,
    /// From.
    pub from: Option<Recipient>,
    /// Sender.
    pub sender: Option<Recipient>,
    /// To.
    pub to_recipients: Vec<Recipient>,
    /// Cc.
    pub cc_recipients: Vec<Recipient>,
    /// Flag.
    pub flag: Option<FollowupFlag>,
    /// Categories.
    pub categories: Vec<String>,
    /// The whole body (only when selected).
    pub body: Option<ItemBody>,
    /// The new part of a reply (only when selected).
    pub unique_body: Option<ItemBody>,
    /// For meeting messages: `meetingRequest`, `meetingCancelled`, …
    pub meeting_message_type: Option<String>,
    /// For meeting messages, with `$expand`: the event.
    pub event: Option<Box<Event>>,
}

/// A mail folder.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MailFolder {
    /// Graph id.
    pub id: String,
    /// Name.
    pub display_name: Option<String>,
    /// Parent.
    pub parent_folder_id: Option<String>,
    /// Child folders.
    pub child_folder_count: Option<u32>,
    /// Unread messages.
    pub unread_item_count: Option<u32>,
    /// All messages.
    pub total_item_count: Option<u32>,
    /// Hidden?
    pub is_hidden: Option<bool>,
}

/// A date and time in a named time zone, as Graph writes event times.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DateTimeTimeZone {
    /// Local date and time, e.g. `2026-10-24T09:00:00.0000000`.
    pub date_time: String,
    /// `UTC`, an IANA name, or a Windows name such as `GMT Standard Time`.
    pub time_zone: Option<String>,
}

impl DateTimeTimeZone {
    /// The instant this denotes, when the zone is known.
    pub fn to_utc(&self) -> Option<DateTime<Utc>> {
        let naive = NaiveDateTime::parse_from_str(&self.date_time, "%Y-%m-%dT%H:%M:%S%.f")
            .or_else(|_| NaiveDateTime::parse_from_str(&self.date_time, "%Y-%m-%dT%H:%M:%S"))
            .ok()?;
        let zone = self.time_zone.as_deref().unwrap_or("UTC");
        if matches!(zone, "UTC" | "Etc/UTC" | "tzone://Microsoft/Utc") {
            return Some(Utc.from_utc_datetime(&naive));
        }
        let iana = WINDOWS_ZONES.iter().find(|(windows, _)| *windows == zone).map_or(zone, |(_, iana)| iana);
        // The app carries only these zones (see `CHRONO_TZ_TIMEZONE_FILTER` in
        // .cargo/config.toml): the sync asks Graph for UTC, so another zone here is a fallback.
        let tz: chrono_tz::Tz = iana.parse().ok()?;
        tz.from_local_datetime(&naive).earliest().map(|t| t.with_timezone(&Utc))
    }
}

/// Windows zone names Graph uses, for the UK and common cases, with their IANA zones.
const WINDOWS_ZONES: &[(&str, &str)] = &[
    ("GMT Standard Time", "Europe/London"),
    ("W. Europe Standard Time", "Europe/Berlin"),
    ("Romance Standard Time", "Europe/Paris"),
    ("Eastern Standard Time", "America/New_York"),
    ("Pacific Standard Time", "America/Los_Angeles"),
];

/// Where an event is.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Location {
    /// Name shown.
    pub display_name: Option<String>,
}

/// A response and when it was given.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ResponseStatus {
    /// `none`, `organizer`, `tentativelyAccepted`, `accepted`, `declined`, `notResponded`.
    pub response: Option<String>,
}

/// An attendee.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Attendee {
    /// `required`, `optional`, `resource`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// Their answer.
    pub status: Option<ResponseStatus>,
    /// Who.
    pub email_address: EmailAddress,
}

/// An online meeting's details.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct OnlineMeeting {
    /// The link to join.
    pub join_url: Option<String>,
}

/// A calendar event (a single meeting, an occurrence or an exception).
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Event {
    /// Graph id.
    pub id: String,
    /// Subject.
    pub subject: Option<String>,
    /// Short text.
    pub body_preview: Option<String>,
    /// Details.
    pub body: Option<ItemBody>,
    /// Start.
    pub start: Option<DateTimeTimeZone>,
    /// End.
    pub end: Option<DateTimeTimeZone>,
    /// All day?
    pub is_all_day: Option<bool>,
    /// Cancelled?
    pub is_cancelled: Option<bool>,
    /// Organiser?
    pub is_organizer: Option<bool>,
    /// Is an answer asked for?
    pub response_requested: Option<bool>,
    /// `singleInstance`, `occurrence`, `exception`, `seriesMaster`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// The series, for occurrences and exceptions.
    pub series_master_id: Option<String>,
    /// Where.
    pub location: Option<Location>,
    /// Organiser.
    pub organizer: Option<Recipient>,
    /// Attendees.
    pub attendees: Vec<Attendee>,
    /// The member's answer.
    pub response_status: Option<ResponseStatus>,
    /// Online meeting details.
    pub online_meeting: Option<OnlineMeeting>,
    /// Online meeting URL (older field).
    pub online_meeting_url: Option<String>,
    /// Minutes before the start that the organiser's or member's reminder fires.
    pub reminder_minutes_before_start: Option<i64>,
    /// Whether the reminder is on.
    pub is_reminder_on: Option<bool>,
    /// Change key.
    pub change_key: Option<String>,
}

/// A contact.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Contact {
    /// Graph id.
    pub id: String,
    /// Folder.
    pub parent_folder_id: Option<String>,
    /// Name shown.
    pub display_name: Option<String>,
    /// Given name.
    pub given_name: Option<String>,
    /// Surname.
    pub surname: Option<String>,
    /// Job title.
    pub job_title: Option<String>,
    /// Organisation.
    pub company_name: Option<String>,
    /// Department.
    pub department: Option<String>,
    /// Addresses.
    pub email_addresses: Vec<EmailAddress>,
    /// Business numbers.
    pub business_phones: Vec<String>,
    /// Home numbers.
    pub home_phones: Vec<String>,
    /// Mobile.
    pub mobile_phone: Option<String>,
    /// Change key.
    pub change_key: Option<String>,
}

/// A person in the organisation's directory (Graph's `user`), as `$select` asks for it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DirectoryUser {
    /// Graph id.
    pub id: String,
    /// Name shown.
    pub display_name: Option<String>,
    /// Job title.
    pub job_title: Option<String>,
    /// Department.
    pub department: Option<String>,
    /// Office.
    pub office_location: Option<String>,
    /// Office numbers.
    pub business_phones: Vec<String>,
    /// Email address.
    pub mail: Option<String>,
}

/// An attachment's metadata (its bytes are fetched separately, on demand).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AttachmentMeta {
    /// Graph id.
    pub id: String,
    /// `#microsoft.graph.fileAttachment`, `…itemAttachment`, `…referenceAttachment`.
    #[serde(rename = "@odata.type")]
    pub odata_type: Option<String>,
    /// File name.
    pub name: Option<String>,
    /// MIME type.
    pub content_type: Option<String>,
    /// Size in bytes.
    pub size: Option<u64>,
    /// Inline?
    pub is_inline: Option<bool>,
}

/// A SharePoint list item.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ListItem {
    /// Item id within the list.
    pub id: String,
    /// Its columns.
    pub fields: Option<serde_json::Map<String, serde_json::Value>>,
}

/// The signed-in user.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct User {
    /// Directory id.
    pub id: String,
    /// Name shown.
    pub display_name: Option<String>,
    /// Address.
    pub mail: Option<String>,
    /// Sign-in name.
    pub user_principal_name: Option<String>,
}

/// A page of a collection.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(bound = "T: DeserializeOwned")]
pub struct Collection<T> {
    /// The items.
    #[serde(default = "Vec::new")]
    pub value: Vec<T>,
    /// The next page, if any.
    #[serde(rename = "@odata.nextLink", default)]
    pub next_link: Option<String>,
}

/// One item of a delta page: a change or a removal.
#[derive(Debug, Clone, PartialEq)]
pub enum DeltaItem<T> {
    /// Added or changed.
    Changed(T),
    /// Deleted (or moved out of the collection).
    Removed {
        /// The item's id.
        id: String,
    },
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for DeltaItem<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        if v.get("@removed").is_some() {
            let id =
                v.get("id").and_then(|i| i.as_str()).ok_or_else(|| D::Error::custom("a removed item without an id"))?;
            return Ok(Self::Removed { id: id.to_owned() });
        }
        serde_json::from_value(v).map(Self::Changed).map_err(D::Error::custom)
    }
}

/// A page of a delta round: changes, and either the next page's link or the next round's.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(bound = "T: DeserializeOwned")]
pub struct DeltaPage<T> {
    /// The changes.
    #[serde(default = "Vec::new")]
    pub value: Vec<DeltaItem<T>>,
    /// Continue the round here.
    #[serde(rename = "@odata.nextLink", default)]
    pub next_link: Option<String>,
    /// Start the next round here (store it whole).
    #[serde(rename = "@odata.deltaLink", default)]
    pub delta_link: Option<String>,
}

/// Graph's error body.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(default)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// The inside of Graph's error body. Branch on `code`, never on `message`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(default)]
pub struct ErrorDetail {
    /// e.g. `TooManyRequests`, `syncStateNotFound`, `ErrorItemNotFound`.
    pub code: String,
    /// Human text (never shown to members as is, never logged with content).
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_zone_the_windows_names_map_to_is_in_the_zones_the_app_carries() {
        for (windows, iana) in WINDOWS_ZONES {
            assert!(iana.parse::<chrono_tz::Tz>().is_ok(), "{iana} (for {windows}) is filtered out of chrono-tz");
            let at = DateTimeTimeZone { date_time: "2026-07-01T12:00:00".into(), time_zone: Some((*windows).into()) };
            assert!(at.to_utc().is_some(), "{windows}");
        }
    }

    #[test]
    fn the_app_carries_only_the_zones_it_needs_and_another_gives_no_time_rather_than_a_wrong_one() {
        assert!("Asia/Tokyo".parse::<chrono_tz::Tz>().is_err(), "the tz database is filtered (.cargo/config.toml)");
        let tokyo = DateTimeTimeZone { date_time: "2026-07-01T12:00:00".into(), time_zone: Some("Asia/Tokyo".into()) };
        assert_eq!(tokyo.to_utc(), None);
        let jersey =
            DateTimeTimeZone { date_time: "2026-07-01T12:00:00".into(), time_zone: Some("Europe/Jersey".into()) };
        assert_eq!(
            jersey.to_utc().map(|t| t.to_rfc3339()).as_deref(),
            Some("2026-07-01T11:00:00+00:00"),
            "a link to London"
        );
    }
}
