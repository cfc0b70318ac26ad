//! A mailbox of council mail for the benchmarks: subjects and bodies from a council's words,
//! senders from a list of residents, everyday filler drawn Zipf-like, five minutes apart.

use chrono::{Duration, TimeZone, Utc};
use companion_vault::{FlagStatus, Mailbox, MessageBody, MessageRecord};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};

/// Words of council business, each in a few per cent of mail.
pub const WORDS: &[&str] = &[
    "council",
    "ward",
    "planning",
    "application",
    "committee",
    "agenda",
    "pothole",
    "road",
    "bin",
    "collection",
    "recycling",
    "parking",
    "permit",
    "housing",
    "repair",
    "damp",
    "mould",
    "school",
    "crossing",
    "budget",
    "consultation",
    "licence",
    "noise",
    "street",
    "light",
    "tree",
    "flooding",
    "drain",
    "resident",
    "complaint",
    "officer",
    "report",
    "meeting",
    "minutes",
    "cabinet",
    "scrutiny",
    "highways",
    "footpath",
    "bus",
    "service",
    "library",
    "park",
    "playground",
    "grant",
    "funding",
    "allowance",
    "training",
    "safeguarding",
    "declaration",
    "interest",
    "motion",
    "amendment",
    "petition",
    "survey",
    "newsletter",
    "briefing",
    "update",
    "deadline",
    "appendix",
    "decision",
    "appeal",
    "enforcement",
    "tenancy",
];
/// Residents who write.
pub const NAMES: &[&str] = &[
    "Grace Hughes",
    "Imran Khan",
    "Niamh O'Brien",
    "Tomasz Nowak",
    "Priya Patel",
    "Rhys Evans",
    "Zoë Åberg",
    "Kwame Mensah",
    "Aisha Ahmed",
    "Ben Clarke",
    "Catherine Davies",
    "David Fletcher",
    "Eleanor Green",
    "Farhan Iqbal",
    "Harpreet Kaur",
    "Joanne Lewis",
    "Linda Morgan",
    "Owen Price",
    "Sarah Roberts",
    "Una Singh",
    "Victor Thomas",
    "Wendy Vaughan",
    "Yusuf Walker",
    "Alan Young",
];
/// Streets they write about.
pub const STREETS: &[&str] = &[
    "Mill Lane",
    "Church Lane",
    "Station Road",
    "Victoria Street",
    "Canal Walk",
    "Orchard Close",
    "Park Avenue",
    "The Crescent",
    "High Street",
    "Queen's Road",
    "Elm Grove",
    "School Lane",
    "Market Square",
    "Abbey Road",
    "Castle Street",
    "Meadow Way",
];

/// Everyday words, drawn Zipf-like (a few very common, most rare), as in real mail.
fn filler(rng: &mut StdRng) -> String {
    let rank = (1.0 / (rng.random::<f64>() * 0.9999 + 0.0001)).min(5_000.0) as usize;
    format!("w{rank}")
}

fn body(rng: &mut StdRng, name: &str, street: &str) -> String {
    // Ninety words: a handful of topic words (each in a few per cent of mail), the rest filler.
    let mut words: Vec<String> = (0..84).map(|_| filler(rng)).collect();
    for _ in 0..6 {
        let at = rng.random_range(0..words.len());
        words.insert(at, (*WORDS.choose(rng).unwrap_or(&"council")).to_owned());
    }
    format!("Dear councillor, {} on {street}. Regards, {name}", words.join(" "))
}

/// `messages` messages (bodies of about 600 characters), the same every run.
pub fn corpus(messages: usize) -> Vec<(MessageRecord, MessageBody)> {
    let mut rng = StdRng::seed_from_u64(7);
    let start = Utc.with_ymd_and_hms(2026, 6, 1, 8, 0, 0).single().unwrap_or_default();
    (0..messages)
        .map(|i| {
            let name = *NAMES.choose(&mut rng).unwrap_or(&"Grace Hughes");
            let street = *STREETS.choose(&mut rng).unwrap_or(&"Mill Lane");
            let topic: Vec<&str> = (0..3).map(|_| *WORDS.choose(&mut rng).unwrap_or(&"council")).collect();
            let subject = format!("{} on {street}", topic.join(" "));
            let body = body(&mut rng, name, street);
            let folder = if rng.random_bool(0.6) { "inbox" } else { "archive" };
            let m = MessageRecord {
                id: format!("AAkALg{i:016}"),
                folder_id: folder.into(),
                conversation_id: Some(format!("conv{}", i / 3)),
                subject,
                from: Some(Mailbox {
                    name: name.into(),
                    address: format!("{}@mail.example", name.to_lowercase().replace(' ', ".")),
                }),
                to: vec![Mailbox {
                    name: "Cllr Sarah Baker".into(),
                    address: "cllr.sarah.baker@demoborough.example".into(),
                }],
                cc: vec![],
                preview: body.chars().take(200).collect(),
                received_at: start + Duration::minutes(i as i64 * 5),
                sent_at: None,
                is_read: rng.random_bool(0.8),
                is_draft: false,
                flag: FlagStatus::NotFlagged,
                categories: vec![],
                importance: "normal".into(),
                has_attachments: false,
                change_key: None,
                event_id: None,
            };
            (m, MessageBody { text: Some(body), html: None })
        })
        .collect()
}
