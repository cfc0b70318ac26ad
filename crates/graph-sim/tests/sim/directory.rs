use super::Harness;
use companion_graph_sim::{ChangeKind, CollectionKey, SimConfig};
use reqwest::StatusCode;
use std::collections::BTreeMap;

const SELECT: &str = "$select=displayName,jobTitle,department,officeLocation,businessPhones,mail";

#[tokio::test]
async fn the_directory_lists_every_person_once_with_only_the_fields_selected() {
    let h = Harness::start(SimConfig::default().with_messages(50).with_directory(1_200)).await;
    let (people, link) = h.delta_round(&format!("/users/delta?{SELECT}"), "odata.maxpagesize=250").await;
    assert_eq!(people.len(), 1_200);
    let mails: std::collections::HashSet<_> = people.iter().map(|p| p["mail"].as_str().expect("mail")).collect();
    assert_eq!(mails.len(), 1_200, "every address is someone's own");
    let fields: std::collections::BTreeSet<_> = people[0].as_object().expect("object").keys().cloned().collect();
    assert_eq!(
        fields.into_iter().collect::<Vec<_>>(),
        ["@odata.type", "businessPhones", "department", "displayName", "id", "jobTitle", "mail", "officeLocation"]
    );
    assert!(link.contains("/v1.0/users/delta?$deltatoken="));
    let (unselected, _) = h.delta_round("/users/delta", "odata.maxpagesize=250").await;
    assert!(unselected[0].get("userPrincipalName").is_some() && unselected[0].get("department").is_none());
}

#[tokio::test]
async fn a_directory_round_after_some_weeks_brings_the_joiners_leavers_and_changes() {
    let h = Harness::long_lived(SimConfig::default().with_messages(50).with_directory(2_000)).await;
    let (_, link) = h.delta_round(&format!("/users/delta?{SELECT}"), "odata.maxpagesize=500").await;
    let report = h.sim.advance(chrono::Duration::days(21));
    let want: BTreeMap<String, bool> = report
        .in_collection(&CollectionKey::Users)
        .into_iter()
        .map(|c| (c.id.clone(), c.kind == ChangeKind::Removed))
        .collect();
    assert!(want.len() > 10, "three weeks of a council's turnover: {}", want.len());
    assert!(want.values().any(|removed| *removed), "someone left");
    let (items, _) = h.delta_round(&link, "odata.maxpagesize=500").await;
    let got: BTreeMap<String, bool> =
        items.iter().map(|i| (i["id"].as_str().unwrap_or_default().to_owned(), i.get("@removed").is_some())).collect();
    assert_eq!(got, want);
}

#[tokio::test]
async fn delta_in_its_function_form_is_answered_as_the_path_form_is() {
    let h = Harness::small().await;
    for (function, path) in [
        (
            "/me/mailFolders/inbox/messages/delta()?$select=subject",
            "/me/mailFolders/inbox/messages/delta?$select=subject",
        ),
        ("/me/mailFolders/delta()", "/me/mailFolders/delta"),
        (
            "/me/calendarView/delta()?startDateTime=2026-10-01T00:00:00Z&endDateTime=2026-11-01T00:00:00Z",
            "/me/calendarView/delta?startDateTime=2026-10-01T00:00:00Z&endDateTime=2026-11-01T00:00:00Z",
        ),
        ("/me/contacts/delta()", "/me/contacts/delta"),
        ("/me/contacts/microsoft.graph.delta()", "/me/contacts/delta"),
        ("/me/mailFolders/microsoft.graph.delta", "/me/mailFolders/delta"),
        ("/users/delta()?$select=displayName", "/users/delta?$select=displayName"),
    ] {
        let (a, b) = (h.get(function).await, h.get(path).await);
        assert_eq!(a.status, StatusCode::OK, "{function}: {}", a.json);
        assert_eq!(a.json["value"], b.json["value"], "{function}");
    }
    let batch = h
        .post("/$batch", serde_json::json!({"requests": [{"id": "1", "method": "GET", "url": "/me/contacts/delta()"}]}))
        .await;
    assert_eq!(batch.json["responses"][0]["status"], 200, "{}", batch.json);
}
