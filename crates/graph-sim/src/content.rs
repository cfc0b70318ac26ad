//! The words of the demo council: people, places, subjects and bodies.
//!
//! Everything is drawn from seeded generators, so a tenant is the same on every run, and
//! bodies are rendered on demand from a seed rather than kept in memory: a 100,000-message
//! mailbox stays small.

use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};

pub(crate) const COUNCIL: &str = "Demo Borough Council";
pub(crate) const DOMAIN: &str = "demoborough.example";
pub(crate) const RESIDENT_DOMAIN: &str = "mail.example";

pub(crate) const GIVEN: &[&str] = &[
    "Aisha",
    "Ben",
    "Catherine",
    "David",
    "Eleanor",
    "Farhan",
    "Grace",
    "Harpreet",
    "Imran",
    "Joanne",
    "Kwame",
    "Linda",
    "Mohammed",
    "Niamh",
    "Owen",
    "Priya",
    "Rhys",
    "Sarah",
    "Tomasz",
    "Una",
    "Victor",
    "Wendy",
    "Yusuf",
    "Zoe",
    "Alan",
    "Bethan",
    "Callum",
    "Deborah",
    "Euan",
    "Fiona",
    "Gareth",
    "Hannah",
    "Iqbal",
    "Julie",
    "Keith",
    "Lucy",
    "Martin",
    "Nadia",
    "Oliver",
    "Patricia",
    "Raj",
    "Sian",
    "Trevor",
];
pub(crate) const SURNAMES: &[&str] = &[
    "Ahmed", "Baker", "Clarke", "Davies", "Evans", "Fletcher", "Green", "Hughes", "Iqbal", "Jones", "Khan", "Lewis",
    "Morgan", "Nowak", "O'Brien", "Patel", "Quinn", "Roberts", "Singh", "Thomas", "Umar", "Vaughan", "Walker", "Young",
    "Ashworth", "Bennett", "Campbell", "Dixon", "Edwards", "Foster", "Gill", "Harrison", "Jackson", "Kaur", "Lloyd",
    "Mitchell", "Nelson", "Owen", "Price",
];
pub(crate) const WARDS: &[&str] = &[
    "Castle",
    "Riverside",
    "Abbey",
    "Northfield",
    "St Mary's",
    "Hillside",
    "Market",
    "Westgate",
    "Brookfield",
    "Old Town",
    "Meadowbank",
    "Kingsway",
];
pub(crate) const STREETS: &[&str] = &[
    "Station Road",
    "Church Lane",
    "Victoria Street",
    "Mill Lane",
    "Park Avenue",
    "The Crescent",
    "High Street",
    "Queen's Road",
    "Orchard Close",
    "Canal Walk",
    "Elm Grove",
    "School Lane",
];
pub(crate) const COMMITTEES: &[&str] = &[
    "Planning Committee",
    "Licensing Committee",
    "Overview and Scrutiny Committee",
    "Cabinet",
    "Full Council",
    "Audit and Governance Committee",
    "Health and Wellbeing Board",
    "Housing and Communities Panel",
];
pub(crate) const DEPARTMENTS: &[&str] = &[
    "Democratic Services",
    "Planning and Building Control",
    "Highways",
    "Housing",
    "Environmental Health",
    "Finance",
    "Waste and Recycling",
    "Legal Services",
    "Communications",
    "ICT Service Desk",
];
/// Where the council's people work.
pub(crate) const OFFICES: &[&str] =
    &["Town Hall", "Civic Centre, Floor 2", "Civic Centre, Floor 3", "Depot, Mill Lane", "Working from home"];
pub(crate) const JOB_TITLES: &[&str] = &[
    "Democratic Services Officer",
    "Senior Planning Officer",
    "Highways Engineer",
    "Housing Options Manager",
    "Environmental Health Officer",
    "Finance Business Partner",
    "Waste Services Manager",
    "Solicitor",
    "Communications Officer",
    "ICT Service Desk Analyst",
];
pub(crate) const CASEWORK: &[(&str, &str)] = &[
    ("Pothole outside", "There is a deep pothole in the road outside number {n} {street}. Two cyclists have already come off their bikes and a car tyre was damaged last week."),
    ("Fly-tipping on", "Someone has dumped mattresses, rubble and black bags at the end of {street} again. It has been there for nine days and rats have been seen."),
    ("Missed bin collection,", "Our recycling has been missed for the third fortnight running on {street}. The crew seem to skip the whole side of the road."),
    ("Parking problems on", "Commuters are parking across driveways on {street} from 7am. An ambulance could not get through on Tuesday evening."),
    ("Objection to planning application at", "I wish to object to the application for a three-storey extension at {n} {street}. It will overlook our garden and the parking survey is out of date."),
    ("Noise from premises on", "The late licence at the bar on {street} is causing noise until 2am most weekends. We have young children and cannot sleep."),
    ("Street light out on", "The street light by the footpath on {street} has been out for a month. Residents, particularly older residents, feel unsafe walking home."),
    ("Overgrown trees on", "The council-owned trees on {street} are now blocking the pavement and touching the telephone lines."),
    ("Damp and mould in council flat,", "My daughter's flat at {n} {street} has black mould in both bedrooms. The repair was logged in August and nobody has come."),
    ("School crossing patrol for", "Parents are worried that the crossing patrol at {street} is being withdrawn. The road is very busy at school times."),
];
pub(crate) const BRIEFINGS: &[&str] = &[
    "Budget consultation 2027/28: member briefing",
    "Update on the local plan examination",
    "Highways resurfacing programme for your ward",
    "Councillor casework system: change to response times",
    "Members' allowances: annual statement",
    "Cost of living support: new referral routes",
    "Safeguarding training for members: dates",
    "Ward budget: applications received",
    "Flood resilience works: consultation",
    "Declarations of interest: annual reminder",
];
pub(crate) const NEWSLETTERS: &[(&str, &str)] = &[
    ("Local Government Association", "LGA Bulletin"),
    ("County Councils Network", "CCN Weekly"),
    ("Local Government Information Unit", "LGIU Daily Briefing"),
    ("Centre for Public Scrutiny", "Scrutiny News"),
    ("Councillor Development Network", "Member Development Digest"),
];
pub(crate) const CATEGORIES: &[&str] = &["Casework", "Planning", "Committee", "Ward", "Follow up"];

/// Picks from a non-empty pool.
pub(crate) fn pick<'a, T>(rng: &mut impl Rng, pool: &'a [T]) -> &'a T {
    pool.choose(rng).unwrap_or(&pool[0])
}

/// A person in the tenant's world.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Person {
    pub name: String,
    pub address: String,
}

impl Person {
    pub(crate) fn officer(rng: &mut impl Rng) -> Self {
        let g = pick(rng, GIVEN);
        let s = pick(rng, SURNAMES);
        Self {
            name: format!("{g} {s}"),
            address: format!("{}.{}@{DOMAIN}", g.to_lowercase(), s.to_lowercase().replace('\'', "")),
        }
    }
    pub(crate) fn member(rng: &mut impl Rng) -> Self {
        let g = pick(rng, GIVEN);
        let s = pick(rng, SURNAMES);
        Self {
            name: format!("Cllr {g} {s}"),
            address: format!("cllr.{}.{}@{DOMAIN}", g.to_lowercase(), s.to_lowercase().replace('\'', "")),
        }
    }
    pub(crate) fn resident(rng: &mut impl Rng) -> Self {
        let g = pick(rng, GIVEN);
        let s = pick(rng, SURNAMES);
        let n: u16 = rng.random_range(1..99);
        Self {
            name: format!("{g} {s}"),
            address: format!("{}{}{n}@{RESIDENT_DOMAIN}", g.to_lowercase(), s.to_lowercase().replace('\'', "")),
        }
    }
}

/// What a message is, which decides its body and folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodyKind {
    Casework,
    Briefing,
    AgendaPack,
    Newsletter,
    Invitation,
    MemberGroup,
    Reply,
}

/// A message body, rendered as both HTML and text, whole and "unique" (without the quote).
pub(crate) struct RenderedBody {
    pub html: String,
    pub text: String,
    pub unique_html: String,
    pub unique_text: String,
}

/// What the body generator needs to know about the message.
pub(crate) struct BodyContext<'a> {
    pub kind: BodyKind,
    pub seed: u64,
    pub subject: &'a str,
    pub from_name: &'a str,
    pub to_name: &'a str,
    /// The text of the message this one replies to, quoted below the new part.
    pub quoted: Option<(String, String, String)>, // (from, sent, text)
    /// Where newsletter images are served from (the simulator's own address).
    pub asset_base: &'a str,
}

fn paragraphs(ctx: &BodyContext<'_>, rng: &mut StdRng) -> Vec<String> {
    let greet = format!("Dear {},", ctx.to_name);
    let sign = format!("Kind regards,\n{}", ctx.from_name);
    let street = pick(rng, STREETS);
    let n: u16 = rng.random_range(1..140);
    let mut out = vec![greet];
    match ctx.kind {
        BodyKind::Casework => {
            let (_, text) = pick(rng, CASEWORK);
            out.push(text.replace("{street}", street).replace("{n}", &n.to_string()));
            out.push("I reported this through the council website but have heard nothing back. Could you please chase this up with the right department?".into());
            out.push(format!("I am happy for you to share my details with officers. My number is 07700 900{:03}.", n));
        }
        BodyKind::Briefing => {
            out.push(format!(
                "Please find below a short briefing on \"{}\" ahead of the next round of meetings.",
                ctx.subject
            ));
            out.push("Officers will be available at the members' drop-in session on Thursday from 5pm in Committee Room 2 to answer questions.".into());
            out.push("The key dates, the options considered and the financial implications are set out in the attached report. Please treat the figures as confidential until publication.".into());
        }
        BodyKind::AgendaPack => {
            out.push(format!(
                "The agenda pack for {} is attached and has been published on the council's website.",
                ctx.subject.trim_start_matches("Agenda pack: ")
            ));
            out.push("Members are reminded to declare any disclosable pecuniary interests at the start of the meeting. Substitutions must be notified to Democratic Services by noon on the day.".into());
            out.push("Site visits, where agreed, will leave the Town Hall car park at 9.30am.".into());
        }
        BodyKind::Newsletter => {
            out.push("This week: council finances, adult social care reform, and a new guide to handling online abuse of councillors.".into());
            out.push("Read the full stories on our website. You are receiving this because you subscribed as an elected member.".into());
        }
        BodyKind::Invitation => {
            out.push(format!("You are invited to {}. Papers will follow a week before the meeting.", ctx.subject));
            out.push(
                "Please let Democratic Services know if you cannot attend so that a substitute can be arranged.".into(),
            );
        }
        BodyKind::MemberGroup => {
            out.push("A quick note before group meeting on Monday: we need two volunteers for the scrutiny task and finish group on bus services.".into());
            out.push(format!("Also, residents on {street} have asked all three ward members about the consultation, so let's agree one reply."));
        }
        BodyKind::Reply => {
            out.push("Thank you for getting in touch. I have raised this with the officers concerned and asked for an update within ten working days.".into());
            out.push(format!(
                "I will let you know as soon as I hear anything. Reference: CW-{:05}.",
                rng.random_range(10000..99999)
            ));
        }
    }
    out.push(sign);
    out
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn html_document(inner: &str) -> String {
    format!(
        "<html>\r\n<head>\r\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">\r\n</head>\r\n<body>\r\n<div style=\"font-family:Calibri,Arial,sans-serif;font-size:11pt;color:#000000\">\r\n{inner}</div>\r\n</body>\r\n</html>\r\n"
    )
}

fn to_html(paras: &[String]) -> String {
    paras.iter().map(|p| format!("<p>{}</p>\r\n", escape(p).replace('\n', "<br>"))).collect()
}

/// Renders a body from its seed. Newsletters carry remote images and a layout table.
pub(crate) fn render_body(ctx: &BodyContext<'_>) -> RenderedBody {
    let mut rng = StdRng::seed_from_u64(ctx.seed);
    let paras = paragraphs(ctx, &mut rng);
    let unique_text = paras.join("\r\n\r\n");
    let mut unique_inner = to_html(&paras);
    if ctx.kind == BodyKind::Newsletter {
        let mut stories = String::new();
        for i in 0..rng.random_range(3..7u32) {
            let img = format!("{}/_sim/assets/newsletter/{}-{i}.png", ctx.asset_base, ctx.seed);
            let title = *pick(&mut rng, BRIEFINGS);
            stories.push_str(&format!(
                "<tr><td style=\"padding:12px\"><img src=\"{img}\" width=\"560\" height=\"240\" alt=\"Story {n}\" style=\"display:block\"><h2 style=\"font-size:18px\">Story {n}: {t}</h2><p>{p}</p><a href=\"https://news.example/story/{s}-{i}\">Read more</a></td></tr>\r\n",
                n = i + 1,
                t = escape(title),
                p = escape("Councils across England are responding to new duties, with funding to follow in the settlement. Our analysis sets out what it means for members and how to raise it locally."),
                s = ctx.seed,
            ));
        }
        unique_inner.push_str(&format!(
            "<table role=\"presentation\" width=\"600\" cellpadding=\"0\" cellspacing=\"0\" style=\"border:1px solid #dddddd\">\r\n{stories}</table>\r\n<img src=\"{}/_sim/assets/newsletter/{}-pixel.png\" width=\"1\" height=\"1\" alt=\"\">\r\n",
            ctx.asset_base, ctx.seed
        ));
    }
    let (html, text) = match &ctx.quoted {
        Some((from, sent, quoted)) => {
            let quote_text = format!("\r\n\r\nFrom: {from}\r\nSent: {sent}\r\n\r\n{quoted}");
            let quote_html = format!(
                "<hr style=\"display:inline-block;width:98%\"><div id=\"divRplyFwdMsg\"><b>From:</b> {}<br><b>Sent:</b> {}</div><div>{}</div>\r\n",
                escape(from),
                escape(sent),
                escape(quoted).replace("\r\n", "<br>")
            );
            (html_document(&format!("{unique_inner}{quote_html}")), format!("{unique_text}{quote_text}"))
        }
        None => (html_document(&unique_inner), unique_text.clone()),
    };
    RenderedBody { html, text, unique_html: html_document(&unique_inner), unique_text }
}

/// The first 255 characters of a text body, on one line, as Graph's `bodyPreview`.
pub(crate) fn preview(text: &str) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    flat.chars().take(255).collect()
}

/// A deterministic stand-in for an attachment's bytes: a PDF header, then seeded noise
/// (agenda packs are mostly compressed images and fonts, so they do not shrink under gzip).
pub(crate) fn attachment_bytes(seed: u64, size: usize, content_type: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(size);
    if content_type == "application/pdf" {
        out.extend_from_slice(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n");
    }
    let mut rng = StdRng::seed_from_u64(seed);
    while out.len() < size {
        let word: u64 = rng.random();
        out.extend_from_slice(&word.to_le_bytes());
    }
    out.truncate(size);
    out
}

/// Strips tags from HTML the simulator was given (e.g. in `sendMail`) to serve it as text.
pub(crate) fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&").trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(kind: BodyKind, quoted: Option<(String, String, String)>) -> BodyContext<'static> {
        BodyContext {
            kind,
            seed: 42,
            subject: "Pothole outside 12 Mill Lane",
            from_name: "Grace Hughes",
            to_name: "Cllr Sam Taylor",
            quoted,
            asset_base: "http://127.0.0.1:1",
        }
    }

    #[test]
    fn a_body_renders_the_same_from_the_same_seed() {
        let a = render_body(&ctx(BodyKind::Casework, None));
        let b = render_body(&ctx(BodyKind::Casework, None));
        assert_eq!(a.html, b.html);
        assert!(a.text.starts_with("Dear Cllr Sam Taylor,"));
    }

    #[test]
    fn a_reply_quotes_the_earlier_message_but_its_unique_body_does_not() {
        let r = render_body(&ctx(BodyKind::Reply, Some(("Grace".into(), "Mon".into(), "the original words".into()))));
        assert!(r.text.contains("the original words"));
        assert!(!r.unique_text.contains("the original words"));
    }

    #[test]
    fn a_newsletter_carries_remote_images() {
        let r = render_body(&ctx(BodyKind::Newsletter, None));
        assert!(r.html.matches("<img src=\"http://127.0.0.1:1/_sim/assets/newsletter/").count() >= 4);
    }

    #[test]
    fn html_to_text_drops_tags_and_unescapes() {
        assert_eq!(html_to_text("<p>Fish &amp; chips</p>"), "Fish & chips");
    }
}
