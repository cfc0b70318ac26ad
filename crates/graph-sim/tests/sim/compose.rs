use super::Harness;
use base64::Engine as _;
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn message_with_files(h: &Harness) -> String {
    let page = h.get("/me/mailFolders/inbox/messages?$select=hasAttachments&$top=200").await;
    page.json["value"]
        .as_array()
        .and_then(|v| v.iter().find(|m| m["hasAttachments"] == true))
        .and_then(|m| m["id"].as_str())
        .expect("a message with files")
        .to_owned()
}

async fn sent(h: &Harness) -> Vec<Value> {
    let url = format!("{}/_sim/sent", h.sim.base_url());
    h.client.get(url).send().await.expect("sent").json().await.expect("json")
}

#[tokio::test]
async fn a_forward_carries_the_original_files_and_a_large_file_added_through_an_upload_session() {
    let h = Harness::small().await;
    let original = message_with_files(&h).await;
    let files = h.get(&format!("/me/messages/{original}/attachments?$select=name,size")).await.json["value"]
        .as_array()
        .map(Vec::len)
        .unwrap_or_default();
    let to = json!([{"emailAddress": {"name": "Clerk", "address": "clerk@demoborough.example"}}]);
    let draft =
        h.post(&format!("/me/messages/{original}/createForward"), json!({"comment": "FYI", "toRecipients": to})).await;
    assert_eq!(draft.status, StatusCode::CREATED, "{}", draft.json);
    assert!(draft.json["subject"].as_str().is_some_and(|s| s.starts_with("FW: ")));
    let id = draft.json["id"].as_str().expect("id").to_owned();

    // A small file in one request; a large one refused there.
    let small = json!({"@odata.type": "#microsoft.graph.fileAttachment", "name": "note.txt", "contentType": "text/plain",
                       "contentBytes": base64::engine::general_purpose::STANDARD.encode(b"hello")});
    assert_eq!(h.post(&format!("/me/messages/{id}/attachments"), small).await.status, StatusCode::CREATED);
    let big = vec![7u8; 3 * 1024 * 1024 + 1];
    let too_big = json!({"@odata.type": "#microsoft.graph.fileAttachment", "name": "big.bin",
                         "contentBytes": base64::engine::general_purpose::STANDARD.encode(&big)});
    assert_eq!(h.post(&format!("/me/messages/{id}/attachments"), too_big).await.status, StatusCode::PAYLOAD_TOO_LARGE);

    // The large one through a session: two pieces, the second sent out of turn first.
    let file: Vec<u8> = (0..5_000_000u32).map(|i| (i % 251) as u8).collect();
    let session = h
        .post(
            &format!("/me/messages/{id}/attachments/createUploadSession"),
            json!({"AttachmentItem": {"attachmentType": "file", "name": "plans.pdf", "size": file.len()}}),
        )
        .await;
    assert_eq!(session.status, StatusCode::CREATED, "{}", session.json);
    let url = session.json["uploadUrl"].as_str().expect("uploadUrl").to_owned();
    let put = |from: usize, to: usize| {
        h.client
            .put(&url)
            .header("content-range", format!("bytes {from}-{}/{}", to - 1, file.len()))
            .body(file[from..to].to_vec())
            .send()
    };
    let cut = 3_276_800;
    assert_eq!(put(cut, file.len()).await.expect("put").status(), StatusCode::RANGE_NOT_SATISFIABLE);
    assert_eq!(put(0, cut).await.expect("put").status(), StatusCode::OK);
    let status: Value = h.client.get(&url).send().await.expect("status").json().await.expect("json");
    assert_eq!(status["nextExpectedRanges"][0], format!("{cut}-"));
    let with_token = h.client.put(&url).bearer_auth(&h.token).header("content-range", "bytes 0-0/1").body(vec![0]);
    assert_eq!(with_token.send().await.expect("put").status(), StatusCode::UNAUTHORIZED, "no bearer token to it");
    assert_eq!(put(cut, file.len()).await.expect("put").status(), StatusCode::CREATED);

    assert_eq!(h.post(&format!("/me/messages/{id}/send"), json!({})).await.status, StatusCode::ACCEPTED);
    let last = sent(&h).await.pop().expect("sent");
    let names: Vec<_> = last["attachments"].as_array().expect("files").iter().map(|f| f["name"].clone()).collect();
    assert_eq!(names.len(), files + 2, "the original's files, the note and the plans: {names:?}");
    let plans =
        last["attachments"].as_array().and_then(|a| a.iter().find(|f| f["name"] == "plans.pdf")).expect("plans");
    use sha2::Digest as _;
    assert_eq!(plans["sha256"], format!("{:x}", sha2::Sha256::digest(&file)), "every byte arrived in order");
}
