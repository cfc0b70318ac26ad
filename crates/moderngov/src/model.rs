//! The typed committees, meetings and papers, made from the service's XML.

use crate::xml;
use crate::ModernGovError;
use chrono::{NaiveDate, NaiveTime};
use url::Url;

/// A committee (or board, panel, full council).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Committee {
    /// Its id on the site.
    pub id: u32,
    /// Its title.
    pub title: String,
    /// No longer meets (the service lists past committees too).
    pub expired: bool,
    /// Removed by the council.
    pub deleted: bool,
    /// The council's grouping, where it gives one.
    pub category: Option<String>,
}

impl Committee {
    /// Still meeting: neither expired nor deleted.
    pub fn is_current(&self) -> bool {
        !self.expired && !self.deleted
    }
}

/// A meeting as a committee's list gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingSummary {
    /// Its id on the site.
    pub id: u32,
    /// The committee's id.
    pub committee_id: u32,
    /// The committee's title.
    pub committee_title: String,
    /// Its day.
    pub date: NaiveDate,
    /// Its time as the council wrote it ("10.00 am").
    pub time: Option<String>,
    /// That time read, where it could be.
    pub starts: Option<NaiveTime>,
    /// "Confirmed", "Cancelled", or the council's own words.
    pub status: String,
}

impl MeetingSummary {
    /// The council has called it off.
    pub fn is_cancelled(&self) -> bool {
        self.status.trim_start().to_ascii_lowercase().starts_with("cancelled")
    }
}

/// One meeting: its agenda, papers and who is expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meeting {
    /// Its id on the site.
    pub id: u32,
    /// Its day.
    pub date: NaiveDate,
    /// Its time as the council wrote it.
    pub time: Option<String>,
    /// That time read, where it could be.
    pub starts: Option<NaiveTime>,
    /// Where it is held.
    pub location: Option<String>,
    /// "Confirmed", "Cancelled", or the council's own words.
    pub status: String,
    /// The agenda is out (before then there are no items).
    pub agenda_published: bool,
    /// The agenda, in order.
    pub items: Vec<AgendaItem>,
    /// Who is expected, or came.
    pub attendees: Vec<Attendee>,
}

impl Meeting {
    /// Every paper once, in agenda order: the service repeats a paper an item refers to.
    pub fn papers(&self) -> Vec<&PaperDocument> {
        let mut seen = std::collections::HashSet::new();
        self.items.iter().flat_map(|i| &i.documents).filter(|d| seen.insert(d.url.as_str())).collect()
    }
}

/// An item on the agenda.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaItem {
    /// Its id on the site.
    pub id: u32,
    /// Its number as the agenda shows it ("4."), where it has one (headings have none).
    pub number: Option<String>,
    /// Its title.
    pub title: String,
    /// Exempt ("Part 2", not for publication).
    pub restricted: bool,
    /// Its papers.
    pub documents: Vec<PaperDocument>,
}

/// A paper: a report, an appendix, the minutes, a supplement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaperDocument {
    /// Its id on the site (`attachmentid`).
    pub id: u32,
    /// Its title.
    pub title: String,
    /// Where it is (on the council's site; a restricted one's address leads to its sign-in).
    pub url: Url,
    /// Exempt: not for publication.
    pub restricted: bool,
    /// When it was published, where the site says.
    pub published: Option<NaiveDate>,
}

/// Someone expected at (or recorded at) a meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attendee {
    /// Their id on the site, where given.
    pub member_id: Option<u32>,
    /// Their name ("Councillor Jane Example").
    pub name: String,
    /// Their role at the meeting ("Committee Member", "Chair").
    pub role: Option<String>,
    /// "Expected" before the meeting; after it, what the council recorded.
    pub attendance: Option<String>,
    /// Their party.
    pub party: Option<String>,
    /// Their ward.
    pub ward: Option<String>,
}

/// A leaf as meant: trimmed, unescaped the second time (the service escapes text for HTML
/// before XML does), and `None` when nothing is left.
pub(crate) fn text(raw: &Option<String>) -> Option<String> {
    let t = raw.as_deref()?.trim();
    if t.is_empty() {
        return None;
    }
    Some(unescape_html(t))
}

/// The longest of HTML's named character references (`CounterClockwiseContourIntegral`).
const LONGEST_ENTITY_NAME: usize = 31;

/// Text that was escaped for HTML, as meant: `&amp;`, `&#39;`, `&#x2019;`, `&nbsp;`. HTML's table
/// of names comes from `web_atoms`, the one the mail sanitiser's parser already carries, so the
/// app holds it once. Whatever is not a reference (a stray `&`, an unknown name, a number that
/// is no character) stays as written, and the rest of the text is still unescaped.
fn unescape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        // The `;` is looked for only as far as the longest name reaches, so text with many a
        // stray `&` and no `;` costs one pass, not one pass for each `&`.
        let reference = after
            .bytes()
            .take(LONGEST_ENTITY_NAME + 2)
            .position(|b| b == b';')
            .and_then(|end| character_reference(&after[..end]).map(|chars| (end, chars)));
        match reference {
            Some((end, chars)) => {
                out.extend(chars.into_iter().flatten());
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The one or two characters a reference's name (between `&` and `;`) stands for.
fn character_reference(name: &str) -> Option<[Option<char>; 2]> {
    if let Some(number) = name.strip_prefix('#') {
        let (digits, radix) = match number.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16),
            None => (number, 10),
        };
        if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
            return None;
        }
        let c = u32::from_str_radix(digits, radix).ok().filter(|&n| n != 0).and_then(char::from_u32)?;
        return Some([Some(c), None]);
    }
    // The table's keys keep the `;` (a few names are also valid without it, as older HTML
    // allowed); prefixes of names map to nothing.
    let &(first, second) = web_atoms::NAMED_ENTITIES.get(format!("{name};").as_str())?;
    let first = char::from_u32(first).filter(|&c| c != '\0')?;
    Some([Some(first), char::from_u32(second).filter(|&c| c != '\0')])
}

fn flag(raw: &Option<String>) -> bool {
    raw.as_deref().is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
}

fn id(raw: &Option<String>, what: &str) -> Result<u32, String> {
    let t = raw.as_deref().map(str::trim).unwrap_or_default();
    t.parse().map_err(|_| {
        if t.is_empty() {
            format!("{what} has no id")
        } else {
            format!("{what}'s id “{t}” is not a number")
        }
    })
}

fn date(raw: &Option<String>, what: &str) -> Result<NaiveDate, String> {
    let t = raw.as_deref().map(str::trim).unwrap_or_default();
    NaiveDate::parse_from_str(t, "%d/%m/%Y").map_err(|_| format!("{what}'s date “{t}” is not dd/mm/yyyy"))
}

/// A meeting's time as councils write it: "10.00 am", "2pm", "6.30 p.m.", "13:30". `None`
/// where it is not a time ("To be confirmed").
pub(crate) fn time_of_day(text: &str) -> Option<NaiveTime> {
    let t = text.trim().to_ascii_lowercase().replace(['.', ' '], ":").replace("::", ":");
    let (clock, half) = if let Some(c) = t.strip_suffix(":a:m:").or(t.strip_suffix("am")).or(t.strip_suffix(":a:m")) {
        (c.trim_end_matches(':'), Some(false))
    } else if let Some(c) = t.strip_suffix(":p:m:").or(t.strip_suffix("pm")).or(t.strip_suffix(":p:m")) {
        (c.trim_end_matches(':'), Some(true))
    } else {
        (t.as_str(), None)
    };
    let mut parts = clock.split(':');
    let hour: u32 = parts.next()?.parse().ok()?;
    let minute: u32 = match parts.next() {
        Some("") | None => 0,
        Some(m) => m.parse().ok()?,
    };
    if parts.next().is_some_and(|p| !p.is_empty()) {
        return None;
    }
    let hour = match half {
        Some(pm) if (1..=12).contains(&hour) => (hour % 12) + if pm { 12 } else { 0 },
        Some(_) => return None,
        None => hour,
    };
    NaiveTime::from_hms_opt(hour, minute, 0)
}

fn malformed(operation: &'static str) -> impl Fn(String) -> ModernGovError {
    move |detail| ModernGovError::Malformed { operation, detail }
}

pub(crate) fn committees(raw: xml::Committees, operation: &'static str) -> Result<Vec<Committee>, ModernGovError> {
    raw.committees
        .iter()
        .enumerate()
        .map(|(n, c)| {
            let what = format!("committee {}", n + 1);
            Ok(Committee {
                id: id(&c.committeeid, &what)?,
                title: text(&c.committeetitle).ok_or(format!("{what} has no title"))?,
                expired: flag(&c.committeeexpired),
                deleted: flag(&c.committeedeleted),
                category: text(&c.committeecategory),
            })
        })
        .collect::<Result<_, String>>()
        .map_err(malformed(operation))
}

pub(crate) fn meeting_summaries(raw: xml::GetMeetings) -> Result<Vec<MeetingSummary>, ModernGovError> {
    let mut out = Vec::new();
    for c in &raw.committees {
        let committee_id = id(&c.committeeid, "the committee").map_err(malformed("GetMeetings"))?;
        let committee_title = text(&c.committeetitle).unwrap_or_default();
        for (n, m) in c.committeemeetings.meetings.iter().enumerate() {
            let what = format!("meeting {} of committee {committee_id}", n + 1);
            let time = text(&m.meetingtime);
            out.push(MeetingSummary {
                id: id(&m.meetingid, &what).map_err(malformed("GetMeetings"))?,
                committee_id,
                committee_title: committee_title.clone(),
                date: date(&m.meetingdate, &what).map_err(malformed("GetMeetings"))?,
                starts: time.as_deref().and_then(time_of_day),
                time,
                status: text(&m.meetingstatus).unwrap_or_default(),
            });
        }
    }
    Ok(out)
}

pub(crate) fn meeting(raw: xml::RawMeeting, site: &crate::ModernGovSite) -> Result<Meeting, ModernGovError> {
    let bad = malformed("GetMeeting");
    let time = text(&raw.meetingtime);
    let mut items = Vec::new();
    for (n, i) in raw.agendaitems.items.iter().enumerate() {
        // An item the council keeps off the public agenda is not shown to anyone.
        if i.isdisplayallowed.as_deref().is_some_and(|v| v.trim().eq_ignore_ascii_case("false")) {
            continue;
        }
        let what = format!("agenda item {}", n + 1);
        let restricted = flag(&i.isrestricted);
        let mut documents = Vec::new();
        for (k, d) in i.linkeddocuments.docs.iter().enumerate() {
            let what = format!("paper {} of {what}", k + 1);
            let address = text(&d.url).ok_or_else(|| bad(format!("{what} has no address")))?;
            documents.push(PaperDocument {
                id: id(&d.attachmentid, &what).map_err(&bad)?,
                title: text(&d.title).unwrap_or_else(|| "Untitled paper".to_owned()),
                url: site.paper_address(&address)?,
                restricted: restricted || flag(&d.isrestricted),
                published: d.publicationdate.as_ref().and_then(|_| date(&d.publicationdate, &what).ok()),
            });
        }
        items.push(AgendaItem {
            id: id(&i.agendaitemid, &what).map_err(&bad)?,
            number: text(&i.fulldisplaynumberformat),
            title: text(&i.agendaitemtitle).unwrap_or_default(),
            restricted,
            documents,
        });
    }
    let attendees = raw
        .attendees
        .attendees
        .iter()
        .filter_map(|a| {
            Some(Attendee {
                member_id: a.memberid.as_deref().and_then(|m| m.trim().parse().ok()),
                name: text(&a.name)?,
                role: text(&a.roledescription),
                attendance: text(&a.attendance),
                party: text(&a.politicalparty),
                ward: text(&a.ward),
            })
        })
        .collect();
    Ok(Meeting {
        id: id(&raw.meetingid, "the meeting").map_err(&bad)?,
        date: date(&raw.meetingdate, "the meeting").map_err(&bad)?,
        starts: time.as_deref().and_then(time_of_day),
        time,
        location: text(&raw.meetinglocation),
        status: text(&raw.meetingstatus).unwrap_or_default(),
        agenda_published: flag(&raw.agendapublished),
        items,
        attendees,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meeting_times_are_read_as_councils_write_them() {
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0);
        assert_eq!(time_of_day("10.00 am"), t(10, 0));
        assert_eq!(time_of_day("2.00 pm"), t(14, 0));
        assert_eq!(time_of_day("6.30 p.m."), t(18, 30));
        assert_eq!(time_of_day("12.00 pm"), t(12, 0));
        assert_eq!(time_of_day("12.15 am"), t(0, 15));
        assert_eq!(time_of_day("2pm"), t(14, 0));
        assert_eq!(time_of_day("13:30"), t(13, 30));
        assert_eq!(time_of_day("To be confirmed"), None);
        assert_eq!(time_of_day("13.00 pm"), None, "not a time");
    }

    /// A meeting as the service sends it (written after the Manchester capture in
    /// DemocracyClub's LGSF fixtures): double escaping, whitespace for empty values, an item
    /// kept off the agenda, a paper referred twice, attendees as attributes.
    const MEETING: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<meeting>
  <meetingid>4967</meetingid>
  <meetingdate>10/02/2026</meetingdate>
  <meetingstatus>Confirmed</meetingstatus>
  <meetingtime>10.00 am</meetingtime>
  <meetingactualstarttime>
  </meetingactualstarttime>
  <meetinglocation>Council Antechamber, Town Hall</meetinglocation>
  <agendapublished>True</agendapublished>
  <agendaitems>
    <agendaitem>
      <agendaitemid>18831</agendaitemid>
      <agendaitemtitle>Roads &amp;amp; Transport</agendaitemtitle>
      <fulldisplaynumberformat>1.</fulldisplaynumberformat>
      <isrestricted>False</isrestricted>
      <isdisplayallowed>True</isdisplayallowed>
      <linkeddocuments>
        <linkeddoc>
          <attachmentid>60860</attachmentid>
          <title>Members&amp;#39; report</title>
          <url>https://democracy.example.gov.uk/mgConvert2PDF.aspx?ID=60860</url>
          <isrestricted>False</isrestricted>
          <restrictionsRef> </restrictionsRef>
          <publicationdate>02/02/2026</publicationdate>
        </linkeddoc>
      </linkeddocuments>
    </agendaitem>
    <agendaitem>
      <agendaitemid>18832</agendaitemid>
      <agendaitemtitle>Kept off</agendaitemtitle>
      <isdisplayallowed>False</isdisplayallowed>
    </agendaitem>
    <agendaitem>
      <agendaitemid>18840</agendaitemid>
      <agendaitemtitle>Asset Disposal (Exempt Category 3)</agendaitemtitle>
      <fulldisplaynumberformat>10.</fulldisplaynumberformat>
      <isrestricted>True</isrestricted>
      <linkeddocuments>
        <linkeddoc>
          <attachmentid>60860</attachmentid>
          <title>Members&amp;#39; report</title>
          <url>https://democracy.example.gov.uk/mgConvert2PDF.aspx?ID=60860</url>
        </linkeddoc>
        <linkeddoc>
          <attachmentid>60911</attachmentid>
          <title>Exempt appendix</title>
          <url>https://democracy.example.gov.uk/mgConvert2PDF.aspx?ID=60911</url>
          <isrestricted>True</isrestricted>
        </linkeddoc>
      </linkeddocuments>
    </agendaitem>
  </agendaitems>
  <attendees>
    <attendee membertype="U" memberid="192" name="Councillor Basil Curley" roledescription="Committee Member" attendance="Expected" politicalparty="LAB" ward="Charlestown">
      <url>https://democracy.example.gov.uk/mgUserInfo.aspx?UID=192</url>
    </attendee>
  </attendees>
</meeting>"#;

    fn site() -> crate::ModernGovSite {
        crate::ModernGovSite::parse("https://democracy.example.gov.uk/").expect("site")
    }

    #[test]
    fn a_meeting_is_read_as_the_service_sends_it() {
        let raw: xml::RawMeeting = quick_xml::de::from_str(MEETING).expect("xml");
        let m = meeting(raw, &site()).expect("meeting");
        assert_eq!(
            (m.id, m.date.to_string(), m.starts),
            (4967, "2026-02-10".into(), NaiveTime::from_hms_opt(10, 0, 0))
        );
        assert_eq!(m.location.as_deref(), Some("Council Antechamber, Town Hall"));
        assert!(m.agenda_published);
        let titles: Vec<&str> = m.items.iter().map(|i| i.title.as_str()).collect();
        assert_eq!(
            titles,
            ["Roads & Transport", "Asset Disposal (Exempt Category 3)"],
            "the item kept off is left out"
        );
        assert_eq!(m.items[0].documents[0].title, "Members' report");
        assert_eq!(m.items[0].documents[0].published, NaiveDate::from_ymd_opt(2026, 2, 2));
        assert!(
            m.items[1].restricted && m.items[1].documents.iter().all(|d| d.restricted),
            "an exempt item's papers are exempt"
        );
        let papers: Vec<u32> = m.papers().iter().map(|p| p.id).collect();
        assert_eq!(papers, [60860, 60911], "a paper referred twice is one paper");
        let a = &m.attendees[0];
        assert_eq!(
            (a.member_id, a.name.as_str(), a.attendance.as_deref()),
            (Some(192), "Councillor Basil Curley", Some("Expected"))
        );
    }

    #[test]
    fn a_paper_on_another_site_or_a_meeting_without_a_readable_date_is_refused_by_name() {
        let elsewhere = MEETING.replace(
            "https://democracy.example.gov.uk/mgConvert2PDF.aspx?ID=60911",
            "https://tracker.example.com/x.pdf",
        );
        let raw: xml::RawMeeting = quick_xml::de::from_str(&elsewhere).expect("xml");
        assert!(matches!(meeting(raw, &site()), Err(ModernGovError::Address(_))));
        let undated = MEETING.replace("<meetingdate>10/02/2026</meetingdate>", "<meetingdate>2026-02-10</meetingdate>");
        let raw: xml::RawMeeting = quick_xml::de::from_str(&undated).expect("xml");
        let Err(ModernGovError::Malformed { detail, .. }) = meeting(raw, &site()) else { panic!("malformed") };
        assert!(detail.contains("“2026-02-10” is not dd/mm/yyyy"), "{detail}");
    }

    #[test]
    fn text_is_trimmed_emptied_and_unescaped_the_second_time() {
        assert_eq!(text(&Some("  \n ".into())), None);
        assert_eq!(text(&Some(" Roads &amp; Transport ".into())).as_deref(), Some("Roads & Transport"));
        assert_eq!(text(&Some("Members&#39; Allowances".into())).as_deref(), Some("Members' Allowances"));
        assert_eq!(text(&Some("A &nbsp;B".into())).as_deref(), Some("A \u{a0}B"));
        assert_eq!(text(&Some("Fish & Chips".into())).as_deref(), Some("Fish & Chips"), "a stray & stays");
    }

    #[test]
    fn every_kind_of_reference_is_unescaped_and_whatever_is_not_one_stays() {
        assert_eq!(unescape_html("Fish & Chips &amp; Peas"), "Fish & Chips & Peas", "one stray & spoils nothing else");
        assert_eq!(unescape_html("&#x2019;&#X2019;&#8217;"), "’’’");
        assert_eq!(unescape_html("&pound;5 &ndash; &frac12;"), "£5 – ½");
        assert_eq!(unescape_html("&NotEqualTilde;"), "\u{2242}\u{338}", "two characters");
        assert_eq!(unescape_html("&CounterClockwiseContourIntegral;"), "\u{2233}");
        assert_eq!(
            unescape_html("&nosuchthing; &am; &#; &#x; &#0; &#xD800; &#12a; &#+39;"),
            "&nosuchthing; &am; &#; &#x; &#0; &#xD800; &#12a; &#+39;"
        );
        assert_eq!(unescape_html("&amp"), "&amp", "no ; no reference");
        assert_eq!(unescape_html("a & b; c"), "a & b; c");
        assert_eq!(unescape_html("&&amp;;"), "&&;");
        assert_eq!(unescape_html("ends with &"), "ends with &");
        let strays = "& ".repeat(50_000);
        assert_eq!(unescape_html(&strays), strays, "many a stray & with no ; anywhere");
    }
}
