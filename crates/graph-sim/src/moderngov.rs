//! A modern.gov-compatible committee site for the demo council: what Civica's
//! `mgWebService.asmx` answers in its HTTP GET form (`GetCommittees`, `GetCommitteesByUser`,
//! `GetMeetings`, `GetMeeting`), and the papers behind `mgConvert2PDF.aspx?ID=`.
//!
//! The answers' shapes follow the service as public clients captured it: DemocracyClub's LGSF
//! (`lgsf/minutes/tests/fixtures/committees.xml`, `meetings.xml`, `meeting_with_minutes.xml`,
//! from Manchester's site), afdy/moderngov (`moderngov/api.py`: `GetCommitteesByUser` with
//! `lUserId`), jadu/modgov-mcp-cloudflare (`src/modgov-client.ts`) and the scrooge indexer
//! (`boroughs/_moderngov.py`: restricted papers answer with a sign-in page; titles escaped
//! twice). As there: no namespace, lower-case names but `restrictionsRef`, `True`/`False`,
//! counts with a leading space, whitespace-only empty values, attendees' details as
//! attributes, dates as `dd/mm/yyyy`, times as the council typed them, an unknown operation
//! answered "Web Service method name is not valid". No capture of `GetCommitteesByUser`'s
//! answer is public: it is given here in `GetCommittees`' shape, as a client would expect.
//!
//! The demo council's committees meet through the trial's months; an agenda is published a
//! week before its meeting, a supplement two days before some; a paper's size is what an
//! agenda pack's papers weigh (a full council's tens of MB). Papers are real PDFs, their bulk
//! incompressible, so what a member downloads costs what it would.

use crate::content::{self, pick};
use crate::server::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use chrono_tz::Europe::London;
use rand::rngs::StdRng;
use rand::{Rng, RngCore, SeedableRng};
use std::fmt::Write as _;

/// A committee of the demo council.
#[derive(Debug, Clone)]
pub(crate) struct SimCommittee {
    pub id: u32,
    pub title: &'static str,
    pub category: &'static str,
    pub expired: bool,
    /// The member sits on it.
    pub member_sits: bool,
}

/// A paper.
#[derive(Debug, Clone)]
pub(crate) struct SimPaper {
    pub id: u32,
    pub title: String,
    pub bytes: u64,
    pub restricted: bool,
    /// Published on this day (a supplement after the agenda).
    pub published: NaiveDate,
}

/// An agenda item.
#[derive(Debug, Clone)]
pub(crate) struct SimItem {
    pub id: u32,
    pub number: u32,
    pub title: String,
    pub restricted: bool,
    pub papers: Vec<SimPaper>,
}

/// A meeting.
#[derive(Debug, Clone)]
pub(crate) struct SimMeeting {
    pub id: u32,
    pub committee: u32,
    pub date: NaiveDate,
    pub time: &'static str,
    pub location: &'static str,
    pub cancelled: bool,
    /// The agenda is out from this day.
    pub agenda_published: NaiveDate,
    pub items: Vec<SimItem>,
    /// Other councillors expected: (id, name, party, ward).
    pub attendees: Vec<(u32, String, &'static str, &'static str)>,
}

/// The council's committee site.
#[derive(Debug, Clone)]
pub(crate) struct CommitteeSite {
    pub committees: Vec<SimCommittee>,
    pub meetings: Vec<SimMeeting>,
    /// The member's id on the site.
    pub member_id: u32,
    pub member_name: String,
    pub member_ward: String,
}

/// (title, category, weeks between meetings, the heaviest pack in MB, evening meeting).
const COMMITTEES: &[(&str, &str, i64, u64, bool)] = &[
    ("Council", "Council", 8, 40, true),
    ("Cabinet", "Executive", 4, 24, true),
    ("Planning Committee", "Regulatory", 4, 30, false),
    ("Licensing Committee", "Regulatory", 6, 8, false),
    ("Audit and Governance Committee", "Governance and decision making", 8, 12, false),
    ("Overview and Scrutiny Committee", "Scrutiny", 6, 16, true),
    ("Children and Young People Scrutiny Committee", "Scrutiny", 8, 14, true),
    ("Health and Wellbeing Board", "Partnership", 8, 10, false),
    ("Standards Committee", "Governance and decision making", 12, 4, false),
    ("Employment Panel", "Governance and decision making", 12, 3, false),
];

/// Committees that no longer meet: the service lists them too.
const PAST: &[(&str, &str)] =
    &[("Transformation Board", "Executive"), ("Covid-19 Recovery &amp; Renewal Panel", "Scrutiny")];

const REPORTS: &[&str] = &[
    "Revenue Budget Monitoring: Quarter 2",
    "Capital Programme Update",
    "Local Plan: Regulation 18 Consultation",
    "Highways Maintenance Programme",
    "Housing Revenue Account Business Plan",
    "Climate Emergency Action Plan: Annual Report",
    "Fees and Charges",
    "Treasury Management Mid-Year Review",
    "Corporate Risk Register",
    "Members' Allowances Scheme",
    "Community Safety Partnership Plan",
    "Leisure Centre Contract",
    "Public Space Protection Order: Town Centre",
    "Council Tax Reduction Scheme",
    "Annual Governance Statement",
];

const EXEMPT: &[&str] = &[
    "Disposal of Land at Mill Lane (Exempt Category 3)",
    "Contract Award: Waste Collection Fleet (Exempt Category 3)",
    "Staffing Matter (Exempt Category 1)",
];

const PARTIES: &[&str] = &["Conservative", "Labour", "Liberal Democrat", "Green", "Independent"];

fn working_day_before(day: NaiveDate, days: i64) -> NaiveDate {
    let mut d = day - Duration::days(days);
    while matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
        d -= Duration::days(1);
    }
    d
}

impl CommitteeSite {
    /// The demo council's site, from `seed`, meeting from a month before `start` to five
    /// months after; the member (`member_name`, of `ward`) sits on the full council and
    /// `seats` other committees.
    pub fn generate(seed: u64, start: DateTime<Utc>, member_name: &str, ward: &str, seats: usize) -> Self {
        let mut rng = StdRng::seed_from_u64(seed ^ 0x6d67_6f76);
        let member_id = 180 + (seed % 60) as u32;
        let mut committees: Vec<SimCommittee> = COMMITTEES
            .iter()
            .enumerate()
            .map(|(i, (title, category, ..))| SimCommittee {
                id: 140 + i as u32,
                title,
                category,
                expired: false,
                member_sits: i == 0,
            })
            .collect();
        // The member's others, by the seed.
        let seats = seats.min(committees.len() - 1);
        let mut chosen = 0;
        while chosen < seats {
            let i = rng.random_range(1..committees.len());
            if !committees[i].member_sits {
                committees[i].member_sits = true;
                chosen += 1;
            }
        }
        committees.extend(PAST.iter().enumerate().map(|(i, (title, category))| SimCommittee {
            id: 90 + i as u32,
            title,
            category,
            expired: true,
            member_sits: false,
        }));
        let councillors: Vec<(u32, String, &'static str, &'static str)> = (0..30)
            .map(|i| {
                let name =
                    format!("Councillor {} {}", pick(&mut rng, content::GIVEN), pick(&mut rng, content::SURNAMES));
                (300 + i, name, *pick(&mut rng, PARTIES), *pick(&mut rng, content::WARDS))
            })
            .collect();
        let first = start.with_timezone(&London).date_naive() - Duration::days(30);
        let last = first + Duration::days(180);
        let mut meetings = Vec::new();
        let mut next_id = 5_000u32;
        let mut next_item = 20_000u32;
        let mut next_paper = 60_000u32;
        for (c, (_, _, every, heaviest_mb, evening)) in committees.iter().zip(COMMITTEES) {
            // Each committee meets on its own weekday, the first a few days into the range.
            let mut date = first + Duration::days(rng.random_range(1..(every * 7)));
            while matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
                date += Duration::days(1);
            }
            while date <= last {
                next_id += 1;
                let pack =
                    rng.random_range((heaviest_mb * 1024 * 1024 / 8).max(2 * 1024 * 1024)..=heaviest_mb * 1024 * 1024);
                let agenda = working_day_before(date, 7);
                let mut items = Vec::new();
                let mut number = 0;
                let mut item = |title: String, restricted: bool, papers: Vec<SimPaper>| {
                    number += 1;
                    next_item += 1;
                    SimItem { id: next_item, number, title, restricted, papers }
                };
                let mut paper = |title: String, bytes: u64, restricted: bool, published: NaiveDate| {
                    next_paper += 1;
                    SimPaper { id: next_paper, title, bytes, restricted, published }
                };
                items.push(item("Apologies for Absence".into(), false, vec![]));
                items.push(item("Declarations of Interest".into(), false, vec![]));
                let minutes =
                    paper("Minutes of the previous meeting".into(), rng.random_range(120_000..400_000), false, agenda);
                items.push(item("Minutes".into(), false, vec![minutes]));
                let reports = rng.random_range(3..=6usize);
                let mut left = pack.saturating_sub(400_000);
                for r in 0..reports {
                    let title = REPORTS[rng.random_range(0..REPORTS.len())].to_owned();
                    let share = if r + 1 == reports { left } else { left / (reports - r) as u64 };
                    left -= share;
                    let mut papers = vec![paper(title.clone(), share * 3 / 5, false, agenda)];
                    papers.push(paper(format!("{title}: Appendix A"), share - share * 3 / 5, false, agenda));
                    items.push(item(title, false, papers));
                }
                // Some meetings have a late paper: a supplement two working days before.
                if rng.random_bool(0.4) {
                    let late = working_day_before(date, 2);
                    let supplement =
                        paper("Supplement 1: Updated Report".into(), rng.random_range(200_000..1_500_000), false, late);
                    if let Some(report) = items.iter_mut().rev().find(|i| !i.papers.is_empty()) {
                        report.papers.push(supplement);
                    }
                }
                // Some have an exempt item: its paper is not for publication.
                if rng.random_bool(0.3) {
                    let title = EXEMPT[rng.random_range(0..EXEMPT.len())].to_owned();
                    let appendix = paper("Exempt appendix".into(), rng.random_range(100_000..800_000), true, agenda);
                    items.push(item(title, true, vec![appendix]));
                }
                let attendees = (0..rng.random_range(6..12usize))
                    .map(|_| councillors[rng.random_range(0..councillors.len())].clone())
                    .collect::<Vec<_>>();
                meetings.push(SimMeeting {
                    id: next_id,
                    committee: c.id,
                    date,
                    time: if *evening { "6.30 pm" } else { ["10.00 am", "2.00 pm"][rng.random_range(0..2)] },
                    location: [
                        "Council Chamber, Town Hall",
                        "Committee Room 1, Civic Centre",
                        "Committee Room 2, Civic Centre",
                    ][rng.random_range(0..3)],
                    cancelled: rng.random_bool(0.05),
                    agenda_published: agenda,
                    items,
                    attendees,
                });
                date += Duration::days(every * 7);
            }
        }
        let member_name =
            member_name.strip_prefix("Cllr ").map_or(member_name.to_owned(), |n| format!("Councillor {n}"));
        Self { committees, meetings, member_id, member_name, member_ward: ward.to_owned() }
    }

    fn paper(&self, id: u32) -> Option<&SimPaper> {
        self.meetings.iter().flat_map(|m| &m.items).flat_map(|i| &i.papers).find(|p| p.id == id)
    }
}

impl SimMeeting {
    /// Its start as hours and minutes ("6.30 pm" is 18:30).
    pub fn clock(&self) -> (u32, u32) {
        let (hm, half) = self.time.split_once(' ').unwrap_or((self.time, "am"));
        let (h, m) = hm.split_once('.').unwrap_or((hm, "0"));
        let h: u32 = h.parse().unwrap_or(10);
        (if half == "pm" && h < 12 { h + 12 } else { h }, m.parse().unwrap_or(0))
    }
}

/// The committee site's routes, under `/moderngov/`.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/moderngov/mgWebService.asmx/{operation}", get(operation))
        .route("/moderngov/mgConvert2PDF.aspx", get(paper))
        .route("/moderngov/mgLogin.aspx", get(sign_in_page))
}

/// Text for an element: escaped for XML after the site has escaped it for HTML, as the service
/// does (an `&` arrives as `&amp;amp;`).
fn twice(text: &str) -> String {
    let html = text.replace('&', "&amp;").replace('\'', "&#39;");
    html.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn yes(b: bool) -> &'static str {
    if b {
        "True"
    } else {
        "False"
    }
}

fn xml(body: String) -> Response {
    let mut resp = format!("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n{body}").into_response();
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/xml; charset=utf-8"));
    resp
}

fn query_value(raw: Option<&str>, key: &str) -> Option<String> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(raw.unwrap_or_default())
        .ok()?
        .into_iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v)
}

/// ASMX's answer to a request it cannot take.
fn asmx_error(message: &str) -> Response {
    (StatusCode::INTERNAL_SERVER_ERROR, format!("System.InvalidOperationException: {message}\r\n   at System.Web.Services.Protocols.HttpServerProtocol.Initialize()")).into_response()
}

fn committee_xml(out: &mut String, c: &SimCommittee) {
    let _ = writeln!(
        out,
        "  <committee>\n    <committeeid>{}</committeeid>\n    <committeetitle>{}</committeetitle>\n    <committeedeleted>False</committeedeleted>\n    <committeeexpired>{}</committeeexpired>\n    <committeecategory>{}</committeecategory>\n  </committee>",
        c.id,
        twice(&c.title.replace("&amp;", "&")),
        yes(c.expired),
        twice(c.category)
    );
}

async fn operation(State(app): State<AppState>, Path(operation): Path<String>, RawQuery(raw): RawQuery) -> Response {
    let site = &app.committee_site;
    let today = app.clock.now().with_timezone(&London).date_naive();
    let q = |key: &str| query_value(raw.as_deref(), key);
    match operation.as_str() {
        "GetCommittees" => {
            let mut out = format!("<committees>\n  <committeescount> {}</committeescount>\n", site.committees.len());
            site.committees.iter().for_each(|c| committee_xml(&mut out, c));
            xml(out + "</committees>")
        }
        "GetCommitteesByUser" => {
            let Some(user) = q("lUserId").and_then(|u| u.trim().parse::<u32>().ok()) else {
                return asmx_error("Missing parameter: lUserId.");
            };
            let theirs: Vec<&SimCommittee> =
                site.committees.iter().filter(|c| user == site.member_id && c.member_sits).collect();
            let mut out = format!("<committees>\n  <committeescount> {}</committeescount>\n", theirs.len());
            theirs.into_iter().for_each(|c| committee_xml(&mut out, c));
            xml(out + "</committees>")
        }
        "GetMeetings" => {
            let (Some(committee), Some(from), Some(to)) = (q("lCommitteeId"), q("sFromDate"), q("sToDate")) else {
                return asmx_error("Missing parameter: lCommitteeId, sFromDate or sToDate.");
            };
            let Ok(committee) = committee.trim().parse::<u32>() else {
                return asmx_error("Cannot convert lCommitteeId to System.Int32.");
            };
            // UK dates only; the real service takes ISO dates and ignores the range.
            let range =
                NaiveDate::parse_from_str(&from, "%d/%m/%Y").ok().zip(NaiveDate::parse_from_str(&to, "%d/%m/%Y").ok());
            let in_range = |d: NaiveDate| range.is_none_or(|(f, t)| d >= f && d <= t);
            let mut out = String::from("<getmeetings>\n");
            let chosen: Vec<&SimCommittee> =
                site.committees.iter().filter(|c| c.id == committee || committee == 0).collect();
            let all: Vec<&SimMeeting> = site
                .meetings
                .iter()
                .filter(|m| chosen.iter().any(|c| c.id == m.committee) && in_range(m.date))
                .collect();
            let _ = writeln!(
                out,
                "  <meetingscount> {}</meetingscount>\n  <committeescount> {}</committeescount>",
                all.len(),
                chosen.len()
            );
            for c in chosen {
                let theirs: Vec<&&SimMeeting> = all.iter().filter(|m| m.committee == c.id).collect();
                let _ = writeln!(
                    out,
                    "  <committee>\n    <committeeid>{}</committeeid>\n    <committeetitle>{}</committeetitle>\n    <committeemeetingcount> {}</committeemeetingcount>\n    <committeemeetings>",
                    c.id,
                    twice(c.title),
                    theirs.len()
                );
                for m in theirs {
                    let _ = writeln!(
                        out,
                        "      <meeting>\n        <meetingid>{}</meetingid>\n        <meetingdate>{}</meetingdate>\n        <meetingstatus>{}</meetingstatus>\n        <meetingtime>{}</meetingtime>\n        <iswebcast>False</iswebcast>\n      </meeting>",
                        m.id,
                        m.date.format("%d/%m/%Y"),
                        if m.cancelled { "Cancelled" } else { "Confirmed" },
                        m.time
                    );
                }
                out.push_str("    </committeemeetings>\n  </committee>\n");
            }
            xml(out + "</getmeetings>")
        }
        "GetMeeting" => {
            let Some(id) = q("lMeetingId").and_then(|m| m.trim().parse::<u32>().ok()) else {
                return asmx_error("Missing parameter: lMeetingId.");
            };
            let Some(m) = site.meetings.iter().find(|m| m.id == id) else {
                return asmx_error("Meeting not found.");
            };
            xml(meeting_xml(&app, m, today))
        }
        _ => asmx_error(&format!("{operation} Web Service method name is not valid.")),
    }
}

fn meeting_xml(app: &AppState, m: &SimMeeting, today: NaiveDate) -> String {
    let site = &app.committee_site;
    let base = format!("{}/moderngov", app.base_url());
    let committee = site.committees.iter().find(|c| c.id == m.committee).map_or("", |c| c.title);
    let published = m.agenda_published <= today;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<meeting>\n  <meetingid>{}</meetingid>\n  <meetingdate>{}</meetingdate>\n  <meetingstatus>{}</meetingstatus>\n  <isdisplayallowed>True</isdisplayallowed>\n  <meetingtime>{}</meetingtime>\n  <meetingactualstarttime>\n  </meetingactualstarttime>\n  <meetinglocation>{}</meetinglocation>\n  <iswebcast>False</iswebcast>\n  <agendaid>{}</agendaid>\n  <agendapublished>{}</agendapublished>\n  <decisionpublished>False</decisionpublished>\n  <minutepublished>False</minutepublished>\n  <meetingroom> </meetingroom>\n  <agendaitems>",
        m.id,
        m.date.format("%d/%m/%Y"),
        if m.cancelled { "Cancelled" } else { "Confirmed" },
        m.time,
        twice(m.location),
        m.id,
        yes(published)
    );
    if published {
        for i in &m.items {
            let _ = writeln!(
                out,
                "    <agendaitem>\n      <agendaitemid>{}</agendaitemid>\n      <agendaitemtitle>{}</agendaitemtitle>\n      <agendatext> </agendatext>\n      <agendaitemnumber>{}</agendaitemnumber>\n      <agendaitemsubnumber> </agendaitemsubnumber>\n      <fulldisplaynumberformat>{}.</fulldisplaynumberformat>\n      <isrestricted>{}</isrestricted>\n      <isdisplayallowed>True</isdisplayallowed>\n      <refertocommittee>{}</refertocommittee>\n      <linkeddocuments>",
                i.id,
                twice(&i.title),
                i.number + 3,
                i.number,
                yes(i.restricted),
                twice(committee)
            );
            for (n, p) in i.papers.iter().filter(|p| p.published <= today).enumerate() {
                let _ = writeln!(
                    out,
                    "        <linkeddoc>\n          <attachmentid>{}</attachmentid>\n          <title>{}</title>\n          <isurl>False</isurl>\n          <url>{base}/mgConvert2PDF.aspx?ID={}</url>\n          <isrestricted>{}</isrestricted>\n          <restrictionsRef> </restrictionsRef>\n          <itemnum>{}</itemnum>\n          <publicationdate>{}</publicationdate>\n          <committeetitle>{}</committeetitle>\n          <isdecisionattachment>False</isdecisionattachment>\n          <ownertitle>{}</ownertitle>\n        </linkeddoc>",
                    p.id,
                    twice(&p.title),
                    p.id,
                    yes(p.restricted),
                    n + 1,
                    p.published.format("%d/%m/%Y"),
                    twice(committee),
                    twice(&i.title)
                );
            }
            out.push_str("      </linkeddocuments>\n    </agendaitem>\n");
        }
    }
    out.push_str("  </agendaitems>\n  <attendees>\n");
    let member = site.committees.iter().any(|c| c.id == m.committee && c.member_sits);
    let mine = member.then(|| (site.member_id, site.member_name.clone(), "Independent", site.member_ward.as_str()));
    for (id, name, party, ward) in
        mine.into_iter().chain(m.attendees.iter().map(|(i, n, p, w)| (*i, n.clone(), *p, *w)))
    {
        let _ = writeln!(
            out,
            "    <attendee membertype=\"U\" memberid=\"{id}\" name=\"{}\" roledescription=\"Committee Member\" attendance=\"Expected\" politicalparty=\"{party}\" ward=\"{}\">\n      <url>{base}/mgUserInfo.aspx?UID={id}</url>\n    </attendee>",
            twice(&name).replace('"', "&quot;"),
            twice(ward)
        );
    }
    out + "  </attendees>\n</meeting>"
}

/// `mgConvert2PDF.aspx?ID=`: a paper (its size alone for `HEAD`), or, for a restricted one,
/// the site's sign-in page, as the real site sends.
async fn paper(State(app): State<AppState>, method: Method, RawQuery(raw): RawQuery) -> Response {
    let today = app.clock.now().with_timezone(&London).date_naive();
    let found = query_value(raw.as_deref(), "ID")
        .and_then(|id| id.trim().parse::<u32>().ok())
        .and_then(|id| app.committee_site.paper(id).cloned())
        .filter(|p| p.published <= today);
    let Some(p) = found else {
        return (StatusCode::NOT_FOUND, "The document could not be found.").into_response();
    };
    if p.restricted {
        let mut resp = StatusCode::FOUND.into_response();
        resp.headers_mut().insert(header::LOCATION, HeaderValue::from_static("/moderngov/mgLogin.aspx"));
        return resp;
    }
    let mut resp = if method == Method::HEAD {
        let mut r = StatusCode::OK.into_response();
        r.headers_mut().insert(header::CONTENT_LENGTH, HeaderValue::from(p.bytes));
        r
    } else {
        pdf(&p.title, p.bytes, u64::from(p.id)).into_response()
    };
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/pdf"));
    resp
}

async fn sign_in_page() -> Response {
    let mut resp = "<!DOCTYPE html><html lang=\"en\"><head><title>Sign in</title></head><body><h1>Sign in to view this document</h1></body></html>".into_response();
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    resp
}

/// A one-page PDF showing `title`, `bytes` long (or as short as a PDF can be), its bulk an
/// unreferenced stream of bytes drawn from `seed` so that it does not compress.
pub(crate) fn pdf(title: &str, bytes: u64, seed: u64) -> Vec<u8> {
    let text: String = title.chars().filter(|c| c.is_ascii() && !matches!(c, '(' | ')' | '\\')).collect();
    let content = format!("BT /F1 18 Tf 72 760 Td ({text}) Tj ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_owned(),
        format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    let mut out: Vec<u8> = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    offsets.push(out.len());
    let trailer = |xref_at: usize| {
        let mut t = String::from("xref\n0 7\n0000000000 65535 f \n");
        for o in &offsets {
            let _ = writeln!(t, "{o:010} 00000 n ");
        }
        let _ = writeln!(t, "trailer\n<< /Size 7 /Root 1 0 R >>\nstartxref\n{xref_at}\n%%EOF");
        t
    };
    const HEAD: usize = "6 0 obj\n<< /Length 0000000000 >>\nstream\n".len();
    const FOOT: &str = "\nendstream\nendobj\n";
    // The padding that makes the whole `bytes` long: the table's offset, written at its end,
    // is as long as its digits.
    let least = out.len() + HEAD + FOOT.len();
    let pad = (1..=20)
        .find_map(|digits| {
            let xref_at = (bytes as usize).checked_sub(trailer(0).len() - 1 + digits)?;
            (xref_at.to_string().len() == digits && xref_at >= least).then(|| xref_at - least)
        })
        .unwrap_or(0);
    out.extend_from_slice(format!("6 0 obj\n<< /Length {pad:010} >>\nstream\n").as_bytes());
    let at = out.len();
    out.resize(at + pad, 0);
    StdRng::seed_from_u64(seed).fill_bytes(&mut out[at..]);
    out.extend_from_slice(FOOT.as_bytes());
    let xref_at = out.len();
    out.extend_from_slice(trailer(xref_at).as_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_paper_is_a_pdf_of_the_size_asked_with_its_cross_references_right() {
        let doc = pdf("Capital Programme Update", 250_000, 7);
        assert_eq!(doc.len(), 250_000);
        assert!(doc.starts_with(b"%PDF-1.4") && doc.ends_with(b"%%EOF\n"));
        let text = String::from_utf8_lossy(&doc);
        let xref: usize = text
            .rsplit("startxref\n")
            .next()
            .and_then(|t| t.lines().next())
            .and_then(|n| n.parse().ok())
            .expect("startxref");
        assert!(doc[xref..].starts_with(b"xref"), "startxref points at the table");
        let table = String::from_utf8_lossy(&doc[xref..]);
        for (n, line) in table.lines().skip(3).take(6).enumerate() {
            let at: usize = line[..10].parse().expect("offset");
            assert!(doc[at..].starts_with(format!("{} 0 obj", n + 1).as_bytes()), "object {} at {at}", n + 1);
        }
        assert_eq!(pdf("x", 10, 1).len(), pdf("x", 0, 1).len(), "as short as a PDF can be");
    }

    #[test]
    fn the_member_sits_on_the_full_council_and_two_committees_and_every_meeting_has_its_agenda_a_week_ahead() {
        let start = "2026-10-20T08:00:00Z".parse().expect("start");
        let site = CommitteeSite::generate(7, start, "Cllr Jo Bloggs", "Castle", 2);
        let theirs: Vec<&str> = site.committees.iter().filter(|c| c.member_sits).map(|c| c.title).collect();
        assert_eq!(theirs.len(), 3);
        assert_eq!(theirs[0], "Council");
        assert_eq!(site.member_name, "Councillor Jo Bloggs");
        for m in &site.meetings {
            assert!(m.agenda_published < m.date && m.date - m.agenda_published <= Duration::days(9));
            let pack: u64 = m.items.iter().flat_map(|i| &i.papers).map(|p| p.bytes).sum();
            assert!((2 * 1024 * 1024..=42 * 1024 * 1024).contains(&pack), "a pack of {pack} bytes");
        }
    }

    #[test]
    fn a_heavy_member_sits_on_every_current_committee_and_no_expired_one() {
        let start = "2026-11-01T06:00:00Z".parse().expect("start");
        let site = CommitteeSite::generate(2026, start, "Cllr Jo Bloggs", "Castle", 20);
        assert!(site.committees.iter().all(|c| c.member_sits != c.expired));
    }
}
