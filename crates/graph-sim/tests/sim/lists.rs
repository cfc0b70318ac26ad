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
    let unindexed = "HonorNonIndexedQueriesWarningMayFailRandomly";
    let found = h.get_prefer(&format!("{path}?$expand=fields&$filter=fields/ResponseId eq 'r-0001'"), unindexed).await;
    assert_eq!(found.json["value"].as_array().map(Vec::len), Some(1));
    let missing =
        h.get_prefer(&format!("{path}?$expand=fields&$filter=fields/ResponseId eq 'r-9999'"), unindexed).await;
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

#[tokio::test]
async fn a_filter_on_a_column_that_is_not_indexed_needs_the_prefer_header_as_on_sharepoint() {
    let h = Harness::small().await;
    let site = h.sim.site_id();
    let refused = h.get(&format!("/sites/{site}/lists/MemberSurveys/items?$filter=fields/ResponseId eq 'r-1'")).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(refused.json["error"]["message"].as_str().is_some_and(|m| m.contains("HonorNonIndexedQueries")));
}

#[tokio::test]
async fn a_wipe_request_is_found_by_its_device_code_and_marked_done_by_patching_its_fields() {
    let h = Harness::small().await;
    let site = h.sim.site_id();
    let id = h.sim.request_device_wipe("AB12-CD34");
    let path = format!("/sites/{site}/lists/DeviceWipeRequests/items");
    let found = h
        .get_prefer(
            &format!("{path}?$expand=fields&$filter=fields/DeviceCode eq 'AB12-CD34'"),
            "HonorNonIndexedQueriesWarningMayFailRandomly",
        )
        .await;
    assert_eq!(found.json["value"][0]["id"], id.as_str());
    assert_eq!(found.json["value"][0]["fields"]["Status"], "Requested");
    let patched = h.patch(&format!("{path}/{id}/fields"), json!({"Status": "Done"})).await;
    assert_eq!(patched.status, StatusCode::OK);
    assert_eq!(patched.json["Status"], "Done");
    assert_eq!(patched.json["DeviceCode"], "AB12-CD34", "the other columns stay");
    assert_eq!(h.patch(&format!("{path}/999/fields"), json!({"Status": "Done"})).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        h.patch(&format!("{path}/{id}/fields"), json!({"Status": {"nested": 1}})).await.status,
        StatusCode::BAD_REQUEST
    );
}
