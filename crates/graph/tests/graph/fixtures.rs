//! Every JSON response body in Microsoft's own Graph docs examples (the repo's copy under
//! `fixtures/graph-docs/`) for the types the app reads parses into the models, or is named
//! here with the reason it does not.

use companion_graph::*;
use serde::de::DeserializeOwned;
use serde_json::Value;

const EXAMPLES: &str = include_str!("../../../../fixtures/graph-docs/graph-docs-examples.jsonl");

/// Examples known not to parse, and why: the docs' own mistakes.
const REJECTED: &[(&str, &str)] = &[
    ("message-delta.md", "the sample writes isRead as the string \"true\", not a Boolean"),
    ("delta-query-messages.md", "the sample writes isRead as the string \"true\", not a Boolean"),
    ("message-createreply.md", "one of its samples writes \"datetime-value\" where a date belongs (the other parses)"),
    ("message-update.md", "the sample writes \"datetime-value\" where a date belongs"),
    ("message.md", "the resource page writes \"String (timestamp)\" where a date belongs"),
];

enum Shape {
    One,
    Many,
    Delta,
}

fn parse<T: DeserializeOwned>(body: &Value, shape: &Shape) -> Result<(), String> {
    let r = match shape {
        Shape::One => serde_json::from_value::<T>(body.clone()).map(|_| ()),
        Shape::Many => serde_json::from_value::<Collection<T>>(body.clone()).map(|_| ()),
        Shape::Delta => serde_json::from_value::<DeltaPage<T>>(body.clone()).map(|_| ()),
    };
    r.map_err(|e| e.to_string())
}

/// Which model a docs page's response is.
fn check(page: &str, body: &Value) -> Option<Result<(), String>> {
    let many = if body.get("value").is_some_and(Value::is_array) { Shape::Many } else { Shape::One };
    let delta = Shape::Delta;
    Some(match page {
        "message-get.md"
        | "message-update.md"
        | "message-move.md"
        | "message-createreply.md"
        | "message.md"
        | "eventmessage-get.md"
        | "user-list-messages.md"
        | "mailfolder-list-messages.md" => parse::<Message>(body, &many),
        "message-delta.md" | "delta-query-messages.md" => parse::<Message>(body, &delta),
        "mailfolder-get.md" | "mailfolder.md" | "user-list-mailfolders.md" | "mailfolder-list-childfolders.md" => {
            parse::<MailFolder>(body, &many)
        }
        "mailfolder-delta.md" => parse::<MailFolder>(body, &delta),
        "event-get.md"
        | "event.md"
        | "user-list-events.md"
        | "user-list-calendarview.md"
        | "calendar-list-calendarview.md" => parse::<Event>(body, &many),
        "event-delta.md" | "delta-query-events.md" => parse::<Event>(body, &delta),
        "contact-get.md" | "contact.md" | "user-list-contacts.md" => parse::<Contact>(body, &many),
        "contact-delta.md" => parse::<Contact>(body, &delta),
        "attachment-get.md"
        | "attachment.md"
        | "fileattachment.md"
        | "message-list-attachments.md"
        | "event-list-attachments.md"
        | "eventmessage-list-attachments.md" => parse::<AttachmentMeta>(body, &many),
        "listitem-create.md" | "listitem-get.md" | "listitem-list.md" => parse::<ListItem>(body, &many),
        "user-get.md" | "user.md" => parse::<User>(body, &many),
        "errors.md" if body.get("error").is_some() => parse::<ErrorBody>(body, &Shape::One),
        _ => return None,
    })
}

#[test]
fn every_docs_response_for_the_app_s_types_parses_or_is_named() {
    let mut parsed = 0;
    let mut failures = Vec::new();
    let mut rejected_seen = std::collections::BTreeSet::new();
    for line in EXAMPLES.lines() {
        let Ok(row) = serde_json::from_str::<Value>(line) else { continue };
        if row["body_is_json"] != true || row["kind"] == "request" {
            continue;
        }
        let page = row["source"].as_str().and_then(|s| s.rsplit('/').next()).unwrap_or_default().to_owned();
        let Ok(body) = serde_json::from_str::<Value>(row["body"].as_str().unwrap_or("")) else { continue };
        match check(&page, &body) {
            None => {}
            Some(Ok(())) => parsed += 1,
            Some(Err(e)) => {
                if REJECTED.iter().any(|(p, _)| *p == page) {
                    rejected_seen.insert(page);
                } else {
                    failures.push(format!("{page} {:?}: {e}", row["name"]));
                }
            }
        }
    }
    assert!(failures.is_empty(), "docs examples that do not parse: {failures:#?}");
    assert!(parsed >= 45, "parsed {parsed} examples");
    // Every named rejection is still needed; drop a name when the docs are fixed.
    let unused: Vec<&str> = REJECTED.iter().map(|(p, _)| *p).filter(|p| !rejected_seen.contains(*p)).collect();
    assert!(unused.is_empty(), "named rejections that now parse: {unused:?}");
}

#[test]
fn a_delta_page_tells_removals_from_changes() {
    let page: DeltaPage<Message> = serde_json::from_str(
        r##"{"@odata.deltaLink":"https://graph/delta?$deltatoken=x","value":[
            {"@odata.type":"#microsoft.graph.message","id":"gone","@removed":{"reason":"deleted"}},
            {"id":"kept","subject":"Flooding","isRead":false,"receivedDateTime":"2026-10-20T08:00:00Z","unknownFutureField":{"a":1}}]}"##,
    )
    .expect("parses");
    assert_eq!(page.value[0], DeltaItem::Removed { id: "gone".into() });
    match &page.value[1] {
        DeltaItem::Changed(m) => {
            assert_eq!((m.id.as_str(), m.subject.as_deref(), m.is_read), ("kept", Some("Flooding"), Some(false)))
        }
        other => panic!("{other:?}"),
    }
    assert!(page.delta_link.is_some() && page.next_link.is_none());
}

#[test]
fn event_times_in_windows_and_iana_zones_become_utc() {
    let london = DateTimeTimeZone {
        date_time: "2026-10-24T10:00:00.0000000".into(),
        time_zone: Some("GMT Standard Time".into()),
    };
    assert_eq!(london.to_utc().map(|t| t.to_rfc3339()).as_deref(), Some("2026-10-24T09:00:00+00:00"), "BST");
    let after = DateTimeTimeZone { date_time: "2026-10-31T10:00:00".into(), time_zone: Some("Europe/London".into()) };
    assert_eq!(after.to_utc().map(|t| t.to_rfc3339()).as_deref(), Some("2026-10-31T10:00:00+00:00"), "GMT");
    assert!(DateTimeTimeZone { date_time: "nonsense".into(), time_zone: None }.to_utc().is_none());
}
