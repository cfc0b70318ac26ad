//! What the app's notifications say, decided without any I/O so every rule is tested here.
//!
//! A notification can be read by anyone who picks up the phone, so the default is private:
//! "New council email", with no sender and no subject. Details show only when the member turns
//! them on, the council's protection policy allows them, and the app is not locked. After each
//! update there is at most one summary, however much arrived. During the member's quiet hours
//! (London time, which may cross midnight) only mail from their VIP senders notifies. A meeting
//! reminds the member at its own reminder time, quiet hours or not: it starts soon.

use chrono::{DateTime, NaiveTime, Utc};
use chrono_tz::Europe::London;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Hours in which only VIP mail notifies, in London time. `from == until` means none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QuietHours {
    /// When they begin (e.g. 22:00).
    pub from: NaiveTime,
    /// When they end (e.g. 07:00, the next morning).
    pub until: NaiveTime,
}

impl QuietHours {
    /// Whether `at` falls in them, on London's clock (so they follow the clocks changing).
    pub fn contains(&self, at: DateTime<Utc>) -> bool {
        let time = at.with_timezone(&London).time();
        if self.from <= self.until {
            self.from <= time && time < self.until
        } else {
            time >= self.from || time < self.until
        }
    }
}

/// The member's choices.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct NotifySettings {
    /// Whether new mail notifies at all.
    pub new_mail_off: bool,
    /// Whether meetings remind the member at their reminder time.
    pub reminders_off: bool,
    /// Sender and subject on the lock screen (off unless the member turns it on).
    pub show_details: bool,
    /// Senders whose mail always notifies, even in quiet hours (addresses, any case).
    pub vip_senders: BTreeSet<String>,
    /// Quiet hours, if the member set them.
    pub quiet_hours: Option<QuietHours>,
}

/// What the council decides for every member (from its protection policy and configuration).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CouncilRules {
    /// The protection policy requires notifications to hide the sender and subject.
    pub private_notifications: bool,
    /// Senders the council treats as VIP for every member (democratic services, the chief
    /// executive's office).
    pub vip_senders: Vec<String>,
}

/// A message that arrived since the last notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArrivedMail {
    /// Its id, to open it from the notification.
    pub id: String,
    /// The sender's name as shown (may be empty).
    pub sender_name: String,
    /// The sender's address.
    pub sender_address: String,
    /// Its subject.
    pub subject: String,
}

/// What tapping a notification opens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind", content = "id")]
pub enum NoticeTarget {
    /// One message.
    Message(String),
    /// The inbox (several arrived).
    Inbox,
    /// A meeting.
    Event(String),
}

/// One notification, ready to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Notice {
    /// Its title.
    pub title: String,
    /// Its text.
    pub body: String,
    /// What it opens.
    pub target: NoticeTarget,
}

/// The title of every private new-mail notification.
pub const PRIVATE_TITLE: &str = "New council email";

fn is_vip(mail: &ArrivedMail, settings: &NotifySettings, council: &CouncilRules) -> bool {
    let address = mail.sender_address.trim().to_lowercase();
    !address.is_empty()
        && (settings.vip_senders.iter().any(|v| v.trim().eq_ignore_ascii_case(&address))
            || council.vip_senders.iter().any(|v| v.trim().eq_ignore_ascii_case(&address)))
}

fn sender(mail: &ArrivedMail) -> &str {
    if mail.sender_name.trim().is_empty() {
        mail.sender_address.trim()
    } else {
        mail.sender_name.trim()
    }
}

/// The one notification for the mail that `arrived` in an update, if any is due at `now`.
pub fn new_mail_notice(
    arrived: &[ArrivedMail],
    settings: &NotifySettings,
    council: &CouncilRules,
    app_locked: bool,
    now: DateTime<Utc>,
) -> Option<Notice> {
    if settings.new_mail_off {
        return None;
    }
    let quiet = settings.quiet_hours.is_some_and(|q| q.contains(now));
    let due: Vec<&ArrivedMail> = arrived.iter().filter(|m| !quiet || is_vip(m, settings, council)).collect();
    let target = match due.as_slice() {
        [] => return None,
        [one] => NoticeTarget::Message(one.id.clone()),
        _ => NoticeTarget::Inbox,
    };
    let details = settings.show_details && !council.private_notifications && !app_locked;
    let (title, body) = match (details, due.as_slice()) {
        (false, [_]) => (PRIVATE_TITLE.to_owned(), "1 new message".to_owned()),
        (false, many) => (PRIVATE_TITLE.to_owned(), format!("{} new messages", many.len())),
        (true, [one]) => {
            let subject = if one.subject.trim().is_empty() { "(No subject)" } else { one.subject.trim() };
            (sender(one).to_owned(), subject.to_owned())
        }
        (true, many) => {
            let mut senders: Vec<&str> = Vec::new();
            for m in many {
                let s = sender(m);
                if !senders.contains(&s) {
                    senders.push(s);
                }
            }
            let named = match senders.as_slice() {
                [a] => (*a).to_owned(),
                [a, b] => format!("{a} and {b}"),
                [a, b, rest @ ..] => {
                    format!("{a}, {b} and {} other{}", rest.len(), if rest.len() == 1 { "" } else { "s" })
                }
                [] => String::new(),
            };
            (format!("{} new messages", many.len()), format!("From {named}"))
        }
    };
    Some(Notice { title, body, target })
}

/// A meeting whose reminder is due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpcomingMeeting {
    /// Its id, to open it from the notification.
    pub id: String,
    /// Its subject.
    pub subject: String,
    /// When it starts.
    pub start: DateTime<Utc>,
    /// Where, as the invitation says (may be empty).
    pub location: String,
    /// The online meeting's link, if it has one.
    pub join_url: Option<String>,
}

/// The title of every private meeting reminder.
pub const PRIVATE_MEETING_TITLE: &str = "Council meeting soon";

/// The reminder for `meeting`, unless the member turned reminders off. Private as new mail is:
/// only the time, unless details may show; with details, the subject, the place and the link.
pub fn meeting_reminder(
    meeting: &UpcomingMeeting,
    settings: &NotifySettings,
    council: &CouncilRules,
    app_locked: bool,
) -> Option<Notice> {
    if settings.reminders_off {
        return None;
    }
    let time = meeting.start.with_timezone(&London).format("%H:%M");
    let details = settings.show_details && !council.private_notifications && !app_locked;
    let (title, body) = if details {
        let mut body = format!("Starts at {time}");
        if !meeting.location.trim().is_empty() {
            body.push_str(&format!(", {}", meeting.location.trim()));
        }
        body.push('.');
        if let Some(url) = &meeting.join_url {
            body.push_str(&format!(" Join online: {url}"));
        }
        let subject = if meeting.subject.trim().is_empty() { "Meeting" } else { meeting.subject.trim() };
        (subject.to_owned(), body)
    } else {
        (PRIVATE_MEETING_TITLE.to_owned(), format!("Starts at {time}."))
    };
    Some(Notice { title, body, target: NoticeTarget::Event(meeting.id.clone()) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn mail(id: &str, name: &str, address: &str, subject: &str) -> ArrivedMail {
        ArrivedMail { id: id.into(), sender_name: name.into(), sender_address: address.into(), subject: subject.into() }
    }

    fn noon() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 3, 12, 0, 0).single().expect("time")
    }

    fn details_on() -> NotifySettings {
        NotifySettings { show_details: true, ..NotifySettings::default() }
    }

    #[test]
    fn by_default_a_notification_names_no_sender_and_no_subject() {
        let arrived = [mail("m1", "Chief Executive", "ceo@demoborough.example", "Confidential: budget gap")];
        let notice = new_mail_notice(&arrived, &NotifySettings::default(), &CouncilRules::default(), false, noon())
            .expect("due");
        assert_eq!(notice.title, PRIVATE_TITLE);
        assert_eq!(notice.body, "1 new message");
        assert!(!format!("{notice:?}").contains("budget") && !format!("{notice:?}").contains("Chief"));
        assert_eq!(notice.target, NoticeTarget::Message("m1".into()));
    }

    #[test]
    fn details_show_only_when_the_member_asks_the_council_allows_and_the_app_is_unlocked() {
        let arrived = [mail("m1", "Planning", "planning@demoborough.example", "Mill Lane appeal")];
        let allows = CouncilRules { private_notifications: false, ..CouncilRules::default() };
        let shown = new_mail_notice(&arrived, &details_on(), &allows, false, noon()).expect("due");
        assert_eq!((shown.title.as_str(), shown.body.as_str()), ("Planning", "Mill Lane appeal"));

        let forbids = CouncilRules { private_notifications: true, ..CouncilRules::default() };
        assert_eq!(
            new_mail_notice(&arrived, &details_on(), &forbids, false, noon()).expect("due").title,
            PRIVATE_TITLE
        );
        assert_eq!(
            new_mail_notice(&arrived, &details_on(), &allows, true, noon()).expect("due").title,
            PRIVATE_TITLE,
            "locked: only that something arrived"
        );
    }

    #[test]
    fn an_update_that_brought_many_gives_one_summary_that_opens_the_inbox() {
        let arrived = [
            mail("m1", "Democratic Services", "democratic.services@demoborough.example", "Agenda"),
            mail("m2", "Democratic Services", "democratic.services@demoborough.example", "Supplement"),
            mail("m3", "", "resident@mail.example", "Bins"),
            mail("m4", "Highways", "highways@demoborough.example", "Potholes"),
        ];
        let allows = CouncilRules::default();
        let notice = new_mail_notice(&arrived, &details_on(), &allows, false, noon()).expect("due");
        assert_eq!(notice.title, "4 new messages");
        assert_eq!(notice.body, "From Democratic Services, resident@mail.example and 1 other");
        assert_eq!(notice.target, NoticeTarget::Inbox);
        let private = new_mail_notice(&arrived, &NotifySettings::default(), &allows, false, noon()).expect("due");
        assert_eq!((private.title.as_str(), private.body.as_str()), (PRIVATE_TITLE, "4 new messages"));
    }

    #[test]
    fn in_quiet_hours_only_vip_senders_notify_and_the_hours_follow_london_s_clock() {
        let quiet = QuietHours {
            from: NaiveTime::from_hms_opt(22, 0, 0).expect("time"),
            until: NaiveTime::from_hms_opt(7, 0, 0).expect("time"),
        };
        let mut settings = NotifySettings { quiet_hours: Some(quiet), ..NotifySettings::default() };
        settings.vip_senders.insert("Leader@DemoBorough.example".into());
        let council = CouncilRules { vip_senders: vec!["ceo@demoborough.example".into()], ..CouncilRules::default() };
        let resident = mail("m1", "", "resident@mail.example", "Noise");
        let leader = mail("m2", "Council Leader", "leader@demoborough.example", "Tomorrow");
        let ceo = mail("m3", "Chief Executive", "CEO@demoborough.example", "Urgent");
        // 06:30 UTC in July is 07:30 in London (summer time): no longer quiet.
        let summer_morning = Utc.with_ymd_and_hms(2026, 7, 1, 6, 30, 0).single().expect("time");
        // 06:30 UTC in December is 06:30 in London: still quiet.
        let winter_morning = Utc.with_ymd_and_hms(2026, 12, 1, 6, 30, 0).single().expect("time");
        assert!(!quiet.contains(summer_morning) && quiet.contains(winter_morning));

        let at_night = Utc.with_ymd_and_hms(2026, 12, 1, 23, 15, 0).single().expect("time");
        assert_eq!(new_mail_notice(std::slice::from_ref(&resident), &settings, &council, false, at_night), None);
        let notice =
            new_mail_notice(&[resident.clone(), leader, ceo], &settings, &council, false, at_night).expect("VIP");
        assert_eq!(notice.body, "2 new messages", "the member's and the council's VIPs, not the resident");
        assert!(new_mail_notice(&[resident], &settings, &council, false, summer_morning).is_some());
    }

    #[test]
    fn nothing_notifies_when_new_mail_is_turned_off_or_nothing_arrived() {
        let off = NotifySettings { new_mail_off: true, ..NotifySettings::default() };
        let arrived = [mail("m1", "A", "a@b.example", "S")];
        assert_eq!(new_mail_notice(&arrived, &off, &CouncilRules::default(), false, noon()), None);
        assert_eq!(new_mail_notice(&[], &NotifySettings::default(), &CouncilRules::default(), false, noon()), None);
    }

    fn planning() -> UpcomingMeeting {
        UpcomingMeeting {
            id: "e1".into(),
            subject: "Planning Committee".into(),
            // 18:30 UTC in July is 19:30 in London.
            start: Utc.with_ymd_and_hms(2026, 7, 8, 18, 30, 0).single().expect("time"),
            location: "Council Chamber".into(),
            join_url: Some("https://teams.microsoft.com/l/meetup-join/x".into()),
        }
    }

    #[test]
    fn a_meeting_reminder_gives_only_the_time_unless_details_may_show_and_then_the_place_and_link() {
        let private =
            meeting_reminder(&planning(), &NotifySettings::default(), &CouncilRules::default(), false).expect("due");
        assert_eq!((private.title.as_str(), private.body.as_str()), (PRIVATE_MEETING_TITLE, "Starts at 19:30."));
        assert_eq!(private.target, NoticeTarget::Event("e1".into()));
        let shown = meeting_reminder(&planning(), &details_on(), &CouncilRules::default(), false).expect("due");
        assert_eq!(shown.title, "Planning Committee");
        assert_eq!(
            shown.body,
            "Starts at 19:30, Council Chamber. Join online: https://teams.microsoft.com/l/meetup-join/x"
        );
        let locked = meeting_reminder(&planning(), &details_on(), &CouncilRules::default(), true).expect("due");
        assert_eq!(locked.title, PRIVATE_MEETING_TITLE);
        let off = NotifySettings { reminders_off: true, ..NotifySettings::default() };
        assert_eq!(meeting_reminder(&planning(), &off, &CouncilRules::default(), false), None);
    }
}
