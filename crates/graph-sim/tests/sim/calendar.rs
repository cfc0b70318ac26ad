use super::Harness;
use reqwest::StatusCode;
use serde_json::json;

const WINDOW: &str = "startDateTime=2026-07-01T00:00:00Z&endDateTime=2027-03-01T00:00:00Z";

#[tokio::test]
async fn the_calendar_view_round_expands_the_surgery_series_and_keeps_its_exception() {
    let h = Harness::small().await;
    let (events, _) = h.delta_round(&format!("/me/calendarView/delta?{WINDOW}"), "odata.maxpagesize=50").await;
    let types: Vec<&str> = events.iter().filter_map(|e| e["type"].as_str()).collect();
    assert!(types.iter().filter(|t| **t == "occurrence").count() > 5);
    assert_eq!(types.iter().filter(|t| **t == "exception").count(), 1);
    assert!(!types.contains(&"seriesMaster"), "the view lists occurrences, not the master");
    assert!(events.iter().filter(|e| e["type"] == "occurrence").all(|e| e["seriesMasterId"].is_string()));
    assert!(events.iter().any(|e| e["isCancelled"] == true), "one meeting was called off");
    assert!(events.iter().any(|e| e["onlineMeeting"]["joinUrl"].is_string()));
}

#[tokio::test]
async fn the_calendar_view_round_refuses_select_and_needs_a_window() {
    let h = Harness::small().await;
    let a = h.get(&format!("/me/calendarView/delta?{WINDOW}&$select=subject")).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    let b = h.get("/me/calendarView/delta").await;
    assert_eq!(b.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn times_come_in_london_time_when_asked() {
    let h = Harness::small().await;
    let (events, _) =
        h.delta_round(&format!("/me/calendarView/delta?{WINDOW}"), "outlook.timezone=\"Europe/London\"").await;
    let surgery = events.iter().find(|e| e["type"] == "occurrence").expect("an occurrence");
    assert_eq!(surgery["start"]["timeZone"], "Europe/London");
    assert!(surgery["start"]["dateTime"].as_str().is_some_and(|d| d.contains("T10:00:00")), "{surgery}");
}

#[tokio::test]
async fn accepting_an_invitation_changes_its_state_on_the_server() {
    let h = Harness::small().await;
    let (events, link) = h.delta_round(&format!("/me/calendarView/delta?{WINDOW}"), "odata.maxpagesize=50").await;
    let invite = events
        .iter()
        .find(|e| e["responseStatus"]["response"] == "notResponded" && e["isCancelled"] == false)
        .expect("an open invitation");
    let id = invite["id"].as_str().expect("id");
    let resp = h
        .client
        .post(h.url(&format!("/me/events/{id}/accept")))
        .bearer_auth(&h.token)
        .json(&json!({"comment": "I will attend.", "sendResponse": true}))
        .send()
        .await
        .expect("answer");
    assert_eq!(resp.status(), StatusCode::ACCEPTED);
    assert!(resp.bytes().await.expect("body").is_empty());
    assert_eq!(h.get(&format!("/me/events/{id}")).await.json["responseStatus"]["response"], "accepted");
    let (changes, _) = h.delta_round(&link, "").await;
    assert!(changes.iter().any(|e| e["id"] == id && e["responseStatus"]["response"] == "accepted"));
    assert!(h.sim.sent_mail().iter().any(|m| m.subject.starts_with("Accepted:")));
}

#[tokio::test]
async fn a_proposed_new_time_needs_send_response() {
    let h = Harness::small().await;
    let (events, _) = h.delta_round(&format!("/me/calendarView/delta?{WINDOW}"), "odata.maxpagesize=50").await;
    let invite = events
        .iter()
        .find(|e| e["responseStatus"]["response"] == "notResponded" && e["isCancelled"] == false)
        .expect("an open invitation");
    let id = invite["id"].as_str().expect("id");
    let slot = json!({"start": {"dateTime": "2026-11-20T18:00:00", "timeZone": "GMT Standard Time"}, "end": {"dateTime": "2026-11-20T19:00:00", "timeZone": "GMT Standard Time"}});
    let refused = h
        .post(&format!("/me/events/{id}/tentativelyAccept"), json!({"sendResponse": false, "proposedNewTime": slot}))
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    let ok = h
        .post(
            &format!("/me/events/{id}/decline"),
            json!({"comment": "Clash with ward surgery", "sendResponse": true, "proposedNewTime": slot}),
        )
        .await;
    assert_eq!(ok.status, StatusCode::ACCEPTED);
}
