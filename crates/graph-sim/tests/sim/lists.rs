use super::Harness;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn a_list_item_posted_is_read_back_and_found_by_a_field() {
    let h = Harness::small().await;
    let site = h.sim.site_id();
    let path = format!("/sites/{site}/lists/MemberSurveys/items");
    let created =
        h.post(&path, json!({"fields": {"Title": "Monthly pulse", "ResponseId": "r-0001", "Score": 8}})).await;
    assert_eq!(created.status, StatusCode::CREATED);
    assert_eq!(created.json["fields"]["ResponseId"], "r-0001");
    let found = h.get(&format!("{path}?$expand=fields&$filter=fields/ResponseId eq 'r-0001'")).await;
    assert_eq!(found.json["value"].as_array().map(Vec::len), Some(1));
    let missing = h.get(&format!("{path}?$expand=fields&$filter=fields/ResponseId eq 'r-9999'")).await;
    assert_eq!(missing.json["value"].as_array().map(Vec::len), Some(0));
    let items = h.sim.list_items("MemberSurveys");
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].fields["Score"], 8);
    let one = h.get(&format!("{path}/{}", created.json["id"].as_str().expect("id"))).await;
    assert_eq!(one.json["fields"]["Title"], "Monthly pulse");
}

#[tokio::test]
async fn a_list_item_without_fields_or_on_an_unknown_list_is_refused() {
    let h = Harness::small().await;
    let site = h.sim.site_id();
    assert_eq!(
        h.post(&format!("/sites/{site}/lists/MemberSurveys/items"), json!({"Title": "x"})).await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        h.post(&format!("/sites/{site}/lists/Nope/items"), json!({"fields": {"Title": "x"}})).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        h.post("/sites/other-site/lists/MemberSurveys/items", json!({"fields": {"Title": "x"}})).await.status,
        StatusCode::NOT_FOUND
    );
}
