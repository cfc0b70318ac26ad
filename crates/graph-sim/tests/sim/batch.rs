use super::Harness;
use reqwest::StatusCode;
use serde_json::{json, Value};

fn by_id<'a>(responses: &'a Value, id: &str) -> &'a Value {
    responses["responses"].as_array().and_then(|r| r.iter().find(|x| x["id"] == id)).expect("a response per request")
}

#[tokio::test]
async fn a_batch_runs_each_item_and_reports_its_own_status() {
    let h = Harness::small().await;
    let ids: Vec<String> = h.get("/me/mailFolders/inbox/messages?$top=3&$select=id").await.json["value"]
        .as_array()
        .expect("messages")
        .iter()
        .map(|m| m["id"].as_str().unwrap_or_default().to_owned())
        .collect();
    let mut requests: Vec<Value> = ids.iter().enumerate().map(|(i, id)| json!({"id": format!("{}", i + 1), "method": "GET", "url": format!("/me/messages/{id}?$select=body"), "headers": {"Prefer": "outlook.body-content-type=\"text\""}})).collect();
    requests.push(json!({"id": "404", "method": "GET", "url": "/me/messages/AAkALgAAAAAAAAAAAAAAAAAAAAAA"}));
    let a = h.post("/$batch", json!({"requests": requests})).await;
    assert_eq!(a.status, StatusCode::OK);
    for i in 1..=3 {
        let r = by_id(&a.json, &i.to_string());
        assert_eq!(r["status"], 200);
        assert_eq!(r["body"]["body"]["contentType"], "text");
    }
    assert_eq!(by_id(&a.json, "404")["status"], 404);
}

#[tokio::test]
async fn depends_on_orders_items_and_a_failed_dependency_gets_424() {
    let h = Harness::small().await;
    let id = h.get("/me/mailFolders/inbox/messages?$top=1&$select=id").await.json["value"][0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let a = h
        .post("/$batch", json!({"requests": [
            {"id": "1", "method": "PATCH", "url": format!("/me/messages/{id}"), "headers": {"Content-Type": "application/json"}, "body": {"isRead": true}},
            {"id": "2", "dependsOn": ["1"], "method": "GET", "url": format!("/me/messages/{id}?$select=isRead")},
            {"id": "3", "method": "GET", "url": "/me/messages/AAkALgAAAAAAAAAAAAAAAAAAAAAA"},
            {"id": "4", "dependsOn": ["3"], "method": "GET", "url": "/me"},
        ]}))
        .await;
    assert_eq!(by_id(&a.json, "1")["status"], 200);
    assert_eq!(by_id(&a.json, "2")["body"]["isRead"], true);
    assert_eq!(by_id(&a.json, "3")["status"], 404);
    assert_eq!(by_id(&a.json, "4")["status"], 424);
}

#[tokio::test]
async fn a_malformed_batch_is_refused_whole() {
    let h = Harness::small().await;
    let many: Vec<Value> = (0..21).map(|i| json!({"id": i.to_string(), "method": "GET", "url": "/me"})).collect();
    assert_eq!(h.post("/$batch", json!({"requests": many})).await.status, StatusCode::BAD_REQUEST);
    let dup =
        json!({"requests": [{"id": "1", "method": "GET", "url": "/me"}, {"id": "1", "method": "GET", "url": "/me"}]});
    assert_eq!(h.post("/$batch", dup).await.status, StatusCode::BAD_REQUEST);
    let no_type = json!({"requests": [{"id": "1", "method": "POST", "url": "/me/sendMail", "body": {"message": {}}}]});
    assert_eq!(h.post("/$batch", no_type).await.status, StatusCode::BAD_REQUEST);
}
