//! The calendar view (plain and delta) and answering invitations.

use super::{delta_answer, parse_body, DeltaSpec};
use crate::odata::{date_time_time_zone, json_response, parse_datetime, ts, GraphError, GraphResult, Prefer, Query};
use crate::server::AppState;
use crate::tenant::{CollectionKey, Event, EventType};
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use serde_json::{json, Value};

fn person(p: &crate::content::Person) -> Value {
    json!({"emailAddress": {"name": p.name, "address": p.address}})
}

/// An event as Graph draws it (calendar view delta has no `$select`: this is everything).
pub(crate) fn event_json(e: &Event, tz: Option<&str>) -> Value {
    json!({
        "@odata.type": "#microsoft.graph.event",
        "@odata.etag": format!("W/\"DwAAABYAAAD{:016X}\"", e.version),
        "id": e.id,
        "createdDateTime": ts(e.created),
        "lastModifiedDateTime": ts(e.modified),
        "changeKey": format!("DwAAABYAAAD{:016X}", e.version),
        "categories": e.categories,
        "transactionId": Value::Null,
        "originalStartTimeZone": "GMT Standard Time",
        "originalEndTimeZone": "GMT Standard Time",
        "iCalUId": e.ical_uid,
        "uid": e.ical_uid,
        "reminderMinutesBeforeStart": e.reminder_minutes,
        "isReminderOn": true,
        "hasAttachments": false,
        "subject": e.subject,
        "bodyPreview": e.preview,
        "importance": "normal",
        "sensitivity": "normal",
        "originalStart": e.original_start.map(ts),
        "isAllDay": e.all_day,
        "isCancelled": e.cancelled,
        "isOrganizer": e.is_organizer,
        "responseRequested": e.response_requested,
        "seriesMasterId": e.series_master_id,
        "showAs": e.show_as,
        "type": e.kind.as_str(),
        "webLink": format!("https://outlook.office365.com/owa/?itemid={}&exvsurl=1&path=/calendar/item", e.id),
        "onlineMeetingUrl": Value::Null,
        "isOnlineMeeting": e.online_join_url.is_some(),
        "onlineMeetingProvider": if e.online_join_url.is_some() { "teamsForBusiness" } else { "unknown" },
        "allowNewTimeProposals": e.allow_new_time_proposals,
        "occurrenceId": Value::Null,
        "isDraft": false,
        "hideAttendees": false,
        "responseStatus": {"response": e.response, "time": e.response_time.map(ts).unwrap_or_else(|| "0001-01-01T00:00:00Z".to_owned())},
        "body": {"contentType": "html", "content": e.body_html},
        "start": date_time_time_zone(e.start, tz),
        "end": date_time_time_zone(e.end, tz),
        "location": location_json(&e.location),
        "locations": [location_json(&e.location)],
        "recurrence": e.recurrence,
        "attendees": e.attendees.iter().map(|a| json!({
            "type": a.kind,
            "status": {"response": a.response, "time": "0001-01-01T00:00:00Z"},
            "emailAddress": {"name": a.person.name, "address": a.person.address},
        })).collect::<Vec<_>>(),
        "organizer": person(&e.organizer),
        "onlineMeeting": e.online_join_url.as_ref().map(|u| json!({"joinUrl": u})),
    })
}

/// A venue in the borough, with the address and coordinates Outlook keeps for it.
fn location_json(name: &str) -> Value {
    // Venues sit round the town centre; the name decides where, so it is stable.
    let h = crc32fast::hash(name.as_bytes());
    json!({
        "displayName": name,
        "locationType": "default",
        "uniqueId": name,
        "uniqueIdType": "private",
        "address": {"street": name.split(',').next_back().unwrap_or(name).trim(), "city": "Demo Borough", "state": "", "countryOrRegion": "United Kingdom", "postalCode": format!("DB{} {}AA", 1 + h % 9, h % 10)},
        "coordinates": {"latitude": 52.0 + f64::from(h % 1000) / 100_000.0, "longitude": -1.5 - f64::from((h >> 10) % 1000) / 100_000.0},
    })
}

fn in_window(e: &Event, window: Option<(chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>)>) -> bool {
    e.kind != EventType::SeriesMaster && window.is_none_or(|(s, end)| e.start < end && e.end > s)
}

pub(crate) async fn calendar_view_delta(
    State(app): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> GraphResult {
    let q = Query::parse(raw.as_deref())?;
    if q.select.is_some() {
        return Err(GraphError::new(StatusCode::BAD_REQUEST, "ErrorInvalidUrlQuery", "The following parameters are not supported with change tracking over the 'CalendarView' resource: '$select'."));
    }
    let fresh = q.skip_token.is_none() && q.delta_token.is_none();
    if fresh && (q.start.is_none() || q.end.is_none()) {
        return Err(GraphError::new(StatusCode::BAD_REQUEST, "ErrorInvalidParameter", "This request requires a time window specified by the query string parameters StartDateTime and EndDateTime."));
    }
    let prefer = Prefer::from_headers(&headers);
    let tz = prefer.time_zone.clone();
    delta_answer(
        &app,
        &q,
        &prefer,
        DeltaSpec {
            key: CollectionKey::Events,
            path: "/v1.0/me/calendarView/delta".into(),
            odata_type: "#microsoft.graph.event",
            default_page: 10,
            keep: &|t, c, s| t.events.get(&c.key).is_some_and(|e| in_window(e, s.w)),
            render: &|t, c, _| t.events.get(&c.key).map(|e| event_json(e, tz.as_deref())),
        },
    )
}

pub(crate) async fn calendar_view(
    State(app): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> GraphResult {
    let q = Query::parse(raw.as_deref())?;
    let (Some(s), Some(e)) = (q.start.as_deref().and_then(parse_datetime), q.end.as_deref().and_then(parse_datetime))
    else {
        return Err(GraphError::new(StatusCode::BAD_REQUEST, "ErrorInvalidParameter", "This request requires a time window specified by the query string parameters StartDateTime and EndDateTime."));
    };
    let prefer = Prefer::from_headers(&headers);
    let t = app.tenant.read().unwrap_or_else(|e| e.into_inner());
    let mut events: Vec<&Event> = t.events.values().filter(|ev| in_window(ev, Some((s, e)))).collect();
    events.sort_by_key(|ev| ev.start);
    let value: Vec<Value> = events
        .into_iter()
        .take(q.top.unwrap_or(10))
        .map(|ev| crate::odata::apply_select(event_json(ev, prefer.time_zone.as_deref()), q.select.as_deref()))
        .collect();
    Ok(json_response(
        StatusCode::OK,
        &json!({"@odata.context": format!("{}/v1.0/$metadata#users('me')/calendarView", app.base_url()), "value": value}),
    ))
}

pub(crate) async fn get_event(
    State(app): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> GraphResult {
    let q = Query::parse(raw.as_deref())?;
    let prefer = Prefer::from_headers(&headers);
    let t = app.tenant.read().unwrap_or_else(|e| e.into_inner());
    let e = t.events.get(&id).ok_or_else(|| GraphError::not_found("event"))?;
    let mut v = crate::odata::apply_select(event_json(e, prefer.time_zone.as_deref()), q.select.as_deref());
    v["@odata.context"] = json!(format!("{}/v1.0/$metadata#users('me')/events/$entity", app.base_url()));
    Ok(json_response(StatusCode::OK, &v))
}

pub(crate) async fn delete_event(State(app): State<AppState>, Path(id): Path<String>) -> GraphResult {
    let mut t = app.tenant.write().unwrap_or_else(|e| e.into_inner());
    if t.delete_event(&id) {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(GraphError::not_found("event"))
    }
}

async fn respond(app: AppState, id: String, body: Bytes, response: &'static str, may_propose: bool) -> GraphResult {
    let req = parse_body(&body)?;
    let send = req.get("sendResponse").and_then(Value::as_bool).unwrap_or(true);
    let now = app.clock.now();
    let mut t = app.tenant.write().unwrap_or_else(|e| e.into_inner());
    let e = t.events.get(&id).ok_or_else(|| GraphError::not_found("event"))?;
    if e.is_organizer {
        return Err(GraphError::new(
            StatusCode::BAD_REQUEST,
            "ErrorInvalidRequest",
            "Your request can't be completed. You can't respond to a meeting you organised.",
        ));
    }
    if e.cancelled {
        return Err(GraphError::new(
            StatusCode::BAD_REQUEST,
            "ErrorInvalidRequest",
            "Your request can't be completed. The meeting has been cancelled.",
        ));
    }
    if let Some(proposal) = req.get("proposedNewTime").filter(|p| !p.is_null()) {
        if !may_propose || !e.allow_new_time_proposals || !send {
            return Err(GraphError::new(
                StatusCode::BAD_REQUEST,
                "ErrorInvalidRequest",
                "A new time can only be proposed when the organiser allows it and sendResponse is true.",
            ));
        }
        if proposal["start"]["dateTime"].as_str().is_none() || proposal["end"]["dateTime"].as_str().is_none() {
            return Err(GraphError::bad_request("proposedNewTime must have a start and an end."));
        }
    }
    let me = t.user.mail.clone();
    t.update_event(&id, now, |e| {
        e.response = response.to_owned();
        e.response_time = Some(now);
        for a in e.attendees.iter_mut().filter(|a| a.person.address == me) {
            a.response = response.to_owned();
        }
    });
    if send {
        let subject = t.events.get(&id).map(|e| e.subject.clone()).unwrap_or_default();
        let organiser = t.events.get(&id).map(|e| e.organizer.address.clone()).unwrap_or_default();
        let word = match response {
            "accepted" => "Accepted",
            "declined" => "Declined",
            _ => "Tentative",
        };
        let comment = req.get("comment").and_then(Value::as_str).unwrap_or("").to_owned();
        t.sent.push(crate::tenant::SentMail {
            to: vec![organiser],
            cc: vec![],
            subject: format!("{word}: {subject}"),
            body: comment,
            via: response.to_owned(),
            sent_at: now,
            attachments: vec![],
        });
    }
    Ok(crate::odata::accepted())
}

pub(crate) async fn accept(State(app): State<AppState>, Path(id): Path<String>, body: Bytes) -> GraphResult {
    respond(app, id, body, "accepted", false).await
}
pub(crate) async fn decline(State(app): State<AppState>, Path(id): Path<String>, body: Bytes) -> GraphResult {
    respond(app, id, body, "declined", true).await
}
pub(crate) async fn tentatively_accept(
    State(app): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> GraphResult {
    respond(app, id, body, "tentativelyAccepted", true).await
}
