use super::Harness;
use companion_graph_sim::SimConfig;
use reqwest::StatusCode;
use serde_json::json;

async fn an_inbox_message(h: &Harness) -> String {
    let page = h.get("/me/mailFolders/inbox/messages?$top=5&$select=subject").await;
    page.json["value"][0]["id"].as_str().expect("an inbox message").to_owned()
}

#[tokio::test]
async fn a_body_is_served_as_text_when_preferred_and_the_preference_is_confirmed() {
    let h = Harness::small().await;
    let id = an_inbox_message(&h).await;
    let a = h
        .get_prefer(
            &format!("/me/messages/{id}?$select=body"),
            "outlook.body-content-type=\"text\", IdType=\"ImmutableId\"",
        )
        .await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.json["body"]["contentType"], "text");
    assert!(!a.json["body"]["content"].as_str().unwrap_or("<").contains("<html"));
    let applied = a.headers.get("preference-applied").and_then(|v| v.to_str().ok()).unwrap_or_default();
    assert!(applied.contains("outlook.body-content-type=\"text\""), "{applied}");
    let html = h.get(&format!("/me/messages/{id}?$select=body")).await;
    assert_eq!(html.json["body"]["contentType"], "html");
    assert!(html.json.get("subject").is_none(), "$select limits the answer");
}

#[tokio::test]
async fn a_reply_s_unique_body_leaves_out_the_quoted_thread() {
    let h = Harness::start(SimConfig::default().with_messages(600)).await;
    let sent = h.get("/me/mailFolders/sentitems/messages?$top=50&$select=subject").await;
    let reply = sent.json["value"]
        .as_array()
        .and_then(|v| v.iter().find(|m| m["subject"].as_str().is_some_and(|s| s.starts_with("RE:"))))
        .expect("a reply in Sent Items");
    let a = h
        .get_prefer(
            &format!("/me/messages/{}?$select=body,uniqueBody", reply["id"].as_str().unwrap_or_default()),
            "outlook.body-content-type=\"text\", IdType=\"ImmutableId\"",
        )
        .await;
    let whole = a.json["body"]["content"].as_str().expect("body");
    let unique = a.json["uniqueBody"]["content"].as_str().expect("uniqueBody");
    assert!(whole.contains("From:") && !unique.contains("From:"));
    assert!(unique.len() < whole.len());
}

#[tokio::test]
async fn attachments_list_metadata_under_select_and_bytes_without_it() {
    let h = Harness::start(SimConfig::default().with_messages(800)).await;
    let snap = h.sim.snapshot();
    let with = snap.messages.iter().find(|m| m.has_attachments).expect("some mail has attachments");
    let list = h
        .get(&format!("/me/messages/{}/attachments?$select=id,name,contentType,size,isInline", with.immutable_id))
        .await;
    let first = &list.json["value"][0];
    assert!(first.get("contentBytes").is_none());
    let size = first["size"].as_u64().expect("size");
    let value = h
        .send(h.client.get(h.url(&format!(
            "/me/messages/{}/attachments/{}/$value",
            with.immutable_id,
            first["id"].as_str().unwrap_or_default()
        ))))
        .await;
    assert_eq!(value.status, StatusCode::OK);
    let raw = h
        .client
        .get(h.url(&format!(
            "/me/messages/{}/attachments/{}/$value",
            with.immutable_id,
            first["id"].as_str().unwrap_or_default()
        )))
        .bearer_auth(&h.token)
        .send()
        .await
        .expect("answer")
        .bytes()
        .await
        .expect("bytes");
    assert_eq!(raw.len() as u64, size);
    let full = h.get(&format!("/me/messages/{}/attachments", with.immutable_id)).await;
    assert!(full.json["value"][0]["contentBytes"].is_string(), "without $select the bytes come inline");
}

#[tokio::test]
async fn an_inline_picture_s_content_id_is_selected_through_the_type_cast_as_graph_requires() {
    let h = Harness::small().await;
    let crest = companion_graph_sim::InlinePicture {
        content_id: "crest@council.example".into(),
        name: "crest.png".into(),
        content_type: "image/png".into(),
        bytes: vec![0x89, b'P', b'N', b'G'],
    };
    let id = h.sim.deliver_html_with_pictures(
        ("Democratic Services", "democratic.services@demoborough.example"),
        "Agenda published",
        r#"<p>Agenda attached.</p><img src="cid:crest@council.example" alt="Council crest">"#,
        vec![crest],
    );
    let message = h.get(&format!("/me/messages/{id}?$select=hasAttachments")).await;
    assert_eq!(message.json["hasAttachments"], false, "inline pictures are not attachments to the member");
    let plain = h.get(&format!("/me/messages/{id}/attachments?$select=id,isInline,contentId")).await;
    assert_eq!(plain.status, StatusCode::BAD_REQUEST, "contentId is not on the base attachment type");
    assert_eq!(plain.json["error"]["code"], "RequestBroker--ParseUri");
    let cast = h
        .get(&format!(
            "/me/messages/{id}/attachments?$select=id,size,isInline,microsoft.graph.fileAttachment/contentId"
        ))
        .await;
    assert_eq!(cast.status, StatusCode::OK);
    let first = &cast.json["value"][0];
    assert_eq!((first["isInline"].as_bool(), first["contentId"].as_str()), (Some(true), Some("crest@council.example")));
    assert_eq!(first["size"], 4);
    assert!(first.get("contentBytes").is_none() && first.get("name").is_none(), "only what was selected: {first}");
}

#[tokio::test]
async fn patch_marks_read_and_flags_and_refuses_a_string_boolean() {
    let h = Harness::small().await;
    let id = an_inbox_message(&h).await;
    let a = h
        .patch(
            &format!("/me/messages/{id}"),
            json!({"isRead": false, "flag": {"flagStatus": "flagged"}, "categories": ["Casework"]}),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.json["isRead"], false);
    assert_eq!(a.json["flag"]["flagStatus"], "flagged");
    assert_eq!(a.json["categories"], json!(["Casework"]));
    let bad = h.patch(&format!("/me/messages/{id}"), json!({"isRead": "true"})).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let locked = h.patch(&format!("/me/messages/{id}"), json!({"subject": "changed"})).await;
    assert_eq!(locked.json["error"]["code"], "ErrorInvalidPropertyUpdateSentMessage");
}

#[tokio::test]
async fn moving_changes_the_default_id_but_not_the_immutable_one() {
    let h = Harness::small().await;
    let default_page = h.get_prefer("/me/mailFolders/inbox/messages?$top=1&$select=subject", "").await;
    let default_id = default_page.json["value"][0]["id"].as_str().expect("id").to_owned();
    let moved = h
        .send(
            h.client.post(h.url(&format!("/me/messages/{default_id}/move"))).json(&json!({"destinationId": "archive"})),
        )
        .await;
    assert_eq!(moved.status, StatusCode::CREATED);
    let new_default = moved.json["id"].as_str().expect("id").to_owned();
    assert_ne!(new_default, default_id);
    assert_eq!(h.get_prefer(&format!("/me/messages/{default_id}"), "").await.status, StatusCode::NOT_FOUND);
    assert_eq!(moved.json["parentFolderId"], h.folder_id("Archive"));
    let imm = h.get(&format!("/me/messages/{new_default}?$select=id")).await.json["id"]
        .as_str()
        .expect("immutable")
        .to_owned();
    let again = h.post(&format!("/me/messages/{imm}/move"), json!({"destinationId": "inbox"})).await;
    assert_eq!(again.json["id"], imm.as_str(), "an immutable id survives a move");
}

#[tokio::test]
async fn send_mail_answers_202_with_an_empty_body_and_is_recorded() {
    let h = Harness::small().await;
    let resp = h
        .client
        .post(h.url("/me/sendMail"))
        .bearer_auth(&h.token)
        .json(&json!({"message": {"subject": "Surgery moved", "body": {"contentType": "Text", "content": "See you at 11."}, "toRecipients": [{"emailAddress": {"address": "resident@mail.example"}}]}}))
        .send()
        .await
        .expect("answer");
    assert_eq!(resp.status(), StatusCode::ACCEPTED);
    assert!(resp.bytes().await.expect("body").is_empty());
    let sent = h.sim.sent_mail();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].to, vec!["resident@mail.example".to_owned()]);
    let none = h.post("/me/sendMail", json!({"message": {"subject": "x", "toRecipients": []}})).await;
    assert_eq!(none.json["error"]["code"], "ErrorInvalidRecipients");
}

#[tokio::test]
async fn a_reply_draft_is_created_edited_and_sent_once() {
    let h = Harness::small().await;
    let id = an_inbox_message(&h).await;
    let draft = h.post(&format!("/me/messages/{id}/createReply"), json!({})).await;
    assert_eq!(draft.status, StatusCode::CREATED);
    assert_eq!(draft.json["isDraft"], true);
    assert_eq!(draft.json["parentFolderId"], h.folder_id("Drafts"));
    let draft_id = draft.json["id"].as_str().expect("id").to_owned();
    let edit = h
        .patch(
            &format!("/me/messages/{draft_id}"),
            json!({"body": {"contentType": "Text", "content": "Thank you, I will raise this."}}),
        )
        .await;
    assert_eq!(edit.status, StatusCode::OK);
    assert_eq!(h.post(&format!("/me/messages/{draft_id}/send"), json!({})).await.status, StatusCode::ACCEPTED);
    assert_eq!(h.sim.sent_mail().len(), 1);
    assert_eq!(
        h.post(&format!("/me/messages/{draft_id}/send"), json!({})).await.status,
        StatusCode::BAD_REQUEST,
        "a sent draft cannot be sent again"
    );
    let both = h
        .post(&format!("/me/messages/{id}/createReply"), json!({"comment": "a", "message": {"body": {"content": "b"}}}))
        .await;
    assert_eq!(both.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn reply_answers_202_and_files_the_reply_in_sent_items() {
    let h = Harness::small().await;
    let id = an_inbox_message(&h).await;
    let before = h.get("/me/mailFolders/sentitems").await.json["totalItemCount"].as_u64().expect("count");
    assert_eq!(
        h.post(&format!("/me/messages/{id}/reply"), json!({"comment": "On it."})).await.status,
        StatusCode::ACCEPTED
    );
    let after = h.get("/me/mailFolders/sentitems").await.json["totalItemCount"].as_u64().expect("count");
    assert_eq!(after, before + 1);
}

#[tokio::test]
async fn me_has_a_photo_and_a_tenant_without_one_answers_404() {
    let h = Harness::small().await;
    let photo = h.client.get(h.url("/me/photo/$value")).bearer_auth(&h.token).send().await.expect("answer");
    assert_eq!(photo.status(), StatusCode::OK);
    assert!(photo.bytes().await.expect("bytes").starts_with(b"\x89PNG"));
    let mut config = SimConfig::default().with_messages(10);
    config.has_photo = false;
    let bare = Harness::start(config).await;
    let a = bare.get("/me/photo/$value").await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    assert_eq!(a.json["error"]["code"], "ImageNotFound");
}

#[tokio::test]
async fn gzip_is_used_when_the_client_asks_and_the_content_is_the_same() {
    let h = Harness::small().await;
    let raw = reqwest::Client::builder().no_gzip().build().expect("client");
    let url = h.url("/me/mailFolders/inbox/messages?$top=50");
    let zipped = raw.get(&url).bearer_auth(&h.token).header("accept-encoding", "gzip").send().await.expect("answer");
    assert_eq!(zipped.headers().get("content-encoding").and_then(|v| v.to_str().ok()), Some("gzip"));
    let zipped = zipped.bytes().await.expect("bytes");
    let plain = raw.get(&url).bearer_auth(&h.token).send().await.expect("answer");
    assert!(plain.headers().get("content-encoding").is_none());
    let plain = plain.bytes().await.expect("bytes");
    let mut unzipped = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&zipped[..]), &mut unzipped).expect("valid gzip");
    assert_eq!(unzipped, plain.to_vec());
    assert!(zipped.len() * 3 < plain.len(), "mail JSON compresses well: {} vs {}", zipped.len(), plain.len());
}

#[tokio::test]
async fn an_unknown_path_and_a_malformed_id_get_graph_errors() {
    let h = Harness::small().await;
    let a = h.get("/me/nonsense").await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(a.json["error"]["code"].is_string() && a.json["error"]["message"].is_string());
    let b = h.get("/me/messages/not-an-id").await;
    assert_eq!(b.json["error"]["code"], "ErrorInvalidIdMalformed");
}

#[tokio::test]
async fn a_new_draft_is_created_in_drafts_and_sent_once() {
    let h = Harness::small().await;
    let draft = h.post("/me/messages", json!({"subject": "Ward walkabout", "body": {"contentType": "Text", "content": "Saturday at 10."}, "toRecipients": [{"emailAddress": {"address": "resident@mail.example"}}]})).await;
    assert_eq!(draft.status, StatusCode::CREATED);
    assert_eq!(
        (draft.json["isDraft"].as_bool(), draft.json["parentFolderId"].as_str()),
        (Some(true), Some(h.folder_id("Drafts").as_str()))
    );
    let id = draft.json["id"].as_str().expect("id");
    assert_eq!(h.post(&format!("/me/messages/{id}/send"), json!({})).await.status, StatusCode::ACCEPTED);
    assert_eq!(h.sim.sent_mail().len(), 1);
    assert_eq!(h.get(&format!("/me/messages/{id}?$select=isDraft")).await.json["isDraft"], false);
}

#[tokio::test]
async fn a_folder_listed_page_by_page_comes_newest_first_with_no_gap_or_repeat() {
    let h = Harness::start(SimConfig::default().with_messages(900)).await;
    let mut seen: Vec<(String, String)> = Vec::new();
    let mut next = Some(h.url("/me/mailFolders/inbox/messages?$top=37&$select=receivedDateTime"));
    while let Some(url) = next.take() {
        let page = h.send(h.client.get(&url)).await;
        assert_eq!(page.status, StatusCode::OK);
        for m in page.json["value"].as_array().expect("value") {
            seen.push((
                m["receivedDateTime"].as_str().expect("time").to_owned(),
                m["id"].as_str().expect("id").to_owned(),
            ));
        }
        next = page.json["@odata.nextLink"].as_str().map(str::to_owned);
    }
    assert!(seen.len() > 37, "more than one page: {}", seen.len());
    assert!(seen.windows(2).all(|w| w[0].0 >= w[1].0), "newest first across pages");
    let ids: std::collections::BTreeSet<&String> = seen.iter().map(|(_, id)| id).collect();
    assert_eq!(ids.len(), seen.len(), "no repeats");
    let inbox_total = h.get("/me/mailFolders/inbox?$select=totalItemCount").await.json["totalItemCount"].as_u64();
    assert_eq!(inbox_total, Some(seen.len() as u64), "no gaps");
}

#[tokio::test]
async fn search_finds_old_mail_across_folders_newest_first_and_refuses_a_filter_beside_it() {
    let h = Harness::start(SimConfig::default().with_messages(900)).await;
    let snap = h.sim.snapshot();
    let oldest = snap.messages.iter().min_by_key(|m| m.received).expect("a message");
    let words: Vec<&str> = oldest.subject.split_whitespace().take(3).collect();
    let query = format!("\"{}\"", words.join(" ").to_uppercase());
    let url = format!("/me/messages?$search={}&$select=subject,sentDateTime&$top=1000", urlencode(&query));
    let found = h.get(&url).await;
    assert_eq!(found.status, StatusCode::OK, "{}", found.json);
    let value = found.json["value"].as_array().expect("value");
    assert!(
        value.iter().any(|m| m["subject"] == oldest.subject.as_str()),
        "the oldest message is found, whatever the case"
    );
    let sent: Vec<&str> = value.iter().map(|m| m["sentDateTime"].as_str().expect("sent")).collect();
    assert!(sent.windows(2).all(|w| w[0] >= w[1]), "newest sent first");

    let none = h.get(&format!("/me/messages?$search={}", urlencode("\"zzqqxx-nothing\""))).await;
    assert_eq!(none.json["value"].as_array().map(Vec::len), Some(0));
    let refused = h.get(&format!("/me/messages?$search={}&$filter=isRead+eq+false", urlencode("\"agenda\""))).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}
