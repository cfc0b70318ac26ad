use super::Harness;
use reqwest::StatusCode;
use serde_json::json;

const UNINDEXED: &str = "HonorNonIndexedQueriesWarningMayFailRandomly";
/// What a client of SharePoint's REST API asks for (it answers Atom XML otherwise).
const JSON: &str = "application/json;odata=nometadata";

/// A list like the trial's survey responses: a key column indexed, typed answers.
async fn surveys(h: &Harness) {
    h.provision_list(
        "Member surveys",
        json!([
            {"name": "ResponseId", "text": {}, "indexed": true},
            {"name": "Score", "number": {}},
            {"name": "Note", "text": {"allowMultipleLines": true}},
            {"name": "Submitted", "dateTime": {"format": "dateTime"}},
            {"name": "Final", "boolean": {}},
            {"name": "Survey", "choice": {"choices": ["Baseline", "Pulse", "Exit"]}},
        ]),
    )
    .await;
}

#[tokio::test]
async fn a_typed_list_item_posted_is_read_back_and_found_by_its_indexed_key() {
    let h = Harness::small().await;
    surveys(&h).await;
    let site = h.sim.site_id();
    let path = format!("/sites/{site}/lists/MemberSurveys/items");
    let fields = json!({"Title": "Monthly pulse", "ResponseId": "r-0001", "Score": 8, "Final": true,
        "Submitted": "2026-10-01T09:00:00Z", "Survey": "Pulse", "Note": "line one\nline two"});
    let created = h.post(&path, json!({ "fields": fields })).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.json);
    assert_eq!(created.json["fields"]["ResponseId"], "r-0001");
    // An indexed column is filtered on as it is, with no warning header.
    let found = h.get(&format!("{path}?$expand=fields&$filter=fields/ResponseId eq 'r-0001'")).await;
    assert_eq!(found.json["value"].as_array().map(Vec::len), Some(1), "{}", found.json);
    let missing = h.get(&format!("{path}?$expand=fields&$filter=fields/ResponseId eq 'r-9999'")).await;
    assert_eq!(missing.json["value"].as_array().map(Vec::len), Some(0));
    let items = h.sim.list_items("MemberSurveys");
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].fields["Score"], 8);
    let one = h.get(&format!("{path}/{}", created.json["id"].as_str().expect("id"))).await;
    assert_eq!(one.json["fields"]["Title"], "Monthly pulse");
    assert_eq!(
        one.json["createdBy"]["user"]["email"],
        h.sim.credentials().member_mail.as_str(),
        "SharePoint records who added it"
    );
}

#[tokio::test]
async fn an_unknown_column_or_a_value_of_the_wrong_type_is_refused_and_nothing_is_written() {
    let h = Harness::small().await;
    surveys(&h).await;
    let path = format!("/sites/{}/lists/MemberSurveys/items", h.sim.site_id());
    for (fields, says) in [
        (json!({"Answers": "{\"q1\":3}"}), "Field 'Answers' is not recognized"),
        (json!({"Score": "eight"}), "field 'Score'"),
        (json!({"Final": "yes"}), "field 'Final'"),
        (json!({"Submitted": "last Tuesday"}), "field 'Submitted'"),
        (json!({"Survey": "Weekly"}), "one of Baseline, Pulse, Exit"),
        (json!({"ResponseId": "x".repeat(256)}), "at most 255"),
        (json!({"Created": "2026-01-01T00:00:00Z"}), "Field 'Created' is not recognized"),
    ] {
        let refused = h.post(&path, json!({ "fields": fields })).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{fields}");
        let message = refused.json["error"]["message"].as_str().unwrap_or_default();
        assert!(message.contains(says), "{message}");
    }
    assert!(h.sim.list_items("MemberSurveys").is_empty());
    assert_eq!(h.post(&path, json!({"Title": "x"})).await.status, StatusCode::BAD_REQUEST, "no fields object");
}

#[tokio::test]
async fn a_filter_on_a_column_that_is_not_indexed_needs_the_prefer_header_as_on_sharepoint() {
    let h = Harness::small().await;
    surveys(&h).await;
    let path = format!("/sites/{}/lists/MemberSurveys/items", h.sim.site_id());
    let refused = h.get(&format!("{path}?$filter=fields/Score eq 8")).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(refused.json["error"]["message"].as_str().is_some_and(|m| m.contains("HonorNonIndexedQueries")));
    assert_eq!(h.get_prefer(&format!("{path}?$filter=fields/Score eq 8"), UNINDEXED).await.status, StatusCode::OK);
    assert_eq!(h.get(&format!("{path}?$filter=fields/Nope eq 8")).await.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn with_sites_selected_the_app_reaches_only_the_site_it_was_granted() {
    let h = Harness::small().await;
    let site = h.sim.site_id();
    assert!(h.sim.credentials().scopes.contains("Sites.Selected"));
    assert!(!h.sim.credentials().scopes.contains("Sites.ReadWrite.All"));
    // Before ICT grants the app the trial site, the member's token reaches nothing there.
    assert_eq!(h.get(&format!("/sites/{site}")).await.status, StatusCode::FORBIDDEN);
    surveys(&h).await;
    let site_now = h.get(&format!("/sites/{site}")).await;
    assert_eq!(site_now.status, StatusCode::OK);
    assert_eq!(site_now.json["displayName"], "Member device trial");
    // The intranet is another of the council's sites the member can read, but not through this app.
    let intranet = h.get("/sites/root/lists").await;
    assert_eq!(intranet.status, StatusCode::FORBIDDEN);
    assert_eq!(intranet.json["error"]["code"], "accessDenied");
    assert_eq!(
        h.post("/sites/root/lists/News/items", json!({"fields": {"Title": "x"}})).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(h.get("/sites/no-such-site/lists").await.status, StatusCode::NOT_FOUND);
    // A write grant lets the member add items but not make lists or grant apps.
    let list = h.post(&format!("/sites/{site}/lists"), json!({"displayName": "Mine"})).await;
    assert_eq!(list.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn ict_finds_the_site_by_its_address_and_provisioning_twice_is_refused_as_a_duplicate() {
    let h = Harness::small().await;
    let admin = h.administrator_token("Sites.FullControl.All").await;
    let found = h.send_as(&admin, h.client.get(h.url("/sites/demoborough.sharepoint.com:/sites/MemberTrial"))).await;
    assert_eq!(found.status, StatusCode::OK, "{}", found.json);
    assert_eq!(found.json["id"], h.sim.site_id().as_str());
    let body = json!({"displayName": "Usage reports", "columns": [{"name": "Bytes", "number": {}}]});
    let lists = h.url(&format!("/sites/{}/lists", h.sim.site_id()));
    let first = h.send_as(&admin, h.client.post(&lists).json(&body)).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.json);
    assert!(first.json["name"].as_str().is_some_and(|n| n.eq_ignore_ascii_case("UsageReports")), "{}", first.json);
    let again = h.send_as(&admin, h.client.post(&lists).json(&body)).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.json["error"]["code"], "nameAlreadyExists");
    // A column is added and indexed later, as provision does when the schema grows.
    let columns = format!("{lists}/{}/columns", first.json["id"].as_str().expect("list id"));
    let added = h.send_as(&admin, h.client.post(&columns).json(&json!({"name": "MemberCode", "text": {}}))).await;
    assert_eq!(added.status, StatusCode::CREATED);
    let id = added.json["id"].as_str().expect("column id");
    let indexed = h.send_as(&admin, h.client.patch(format!("{columns}/{id}")).json(&json!({"indexed": true}))).await;
    assert_eq!(indexed.json["indexed"], true);
    let all = h.send_as(&admin, h.client.get(&columns)).await;
    let names: Vec<&str> =
        all.json["value"].as_array().expect("columns").iter().filter_map(|c| c["name"].as_str()).collect();
    assert!(names.contains(&"Title") && names.contains(&"Bytes") && names.contains(&"MemberCode"), "{names:?}");
}

/// Sets a list so that members read and edit only the items they added, as ICT does through
/// SharePoint's REST API (Graph cannot).
async fn own_items_only(h: &Harness, admin: &str, rest: &str) -> super::Answer {
    h.send_as(
        admin,
        h.client
            .patch(rest)
            .header("If-Match", "*")
            .header("Accept", JSON)
            .json(&json!({"ReadSecurity": 2, "WriteSecurity": 2, "Title": "Member surveys"})),
    )
    .await
}

#[tokio::test]
async fn members_of_one_council_add_to_the_same_list_and_each_reads_only_their_own() {
    let first = Harness::small().await;
    surveys(&first).await;
    let admin = first
        .administrator_token("Sites.FullControl.All https://demoborough.sharepoint.com/AllSites.FullControl")
        .await;
    let site = first.sim.site_id();
    let list =
        first.get(&format!("/sites/{site}/lists/MemberSurveys")).await.json["id"].as_str().expect("list id").to_owned();
    let rest = format!("{}/sites/MemberTrial/_api/web/lists(guid'{list}')", first.sim.base_url());
    assert_eq!(own_items_only(&first, &admin, &rest).await.status, StatusCode::NO_CONTENT);
    // A second member: a mailbox of their own, the council's sites shared.
    let second = Harness::start(
        companion_graph_sim::SimConfig::default()
            .with_seed(8)
            .with_messages(20)
            .with_events(5)
            .with_contacts(5)
            .joining(first.sim.council_sharepoint()),
    )
    .await;
    assert_eq!(second.sim.site_id(), site, "one trial site");
    let items = |h: &Harness| h.url(&format!("/sites/{site}/lists/MemberSurveys/items"));
    let mine = first.post(&items(&first), json!({"fields": {"ResponseId": "first"}})).await;
    let theirs = second.post(&items(&second), json!({"fields": {"ResponseId": "second"}})).await;
    assert_eq!((mine.status, theirs.status), (StatusCode::CREATED, StatusCode::CREATED), "{}", theirs.json);
    assert_ne!(mine.json["createdBy"]["user"]["id"], theirs.json["createdBy"]["user"]["id"], "two people");
    assert_ne!(mine.json["fields"]["AuthorLookupId"], theirs.json["fields"]["AuthorLookupId"]);
    let seen = |a: super::Answer| -> Vec<String> {
        a.json["value"]
            .as_array()
            .expect("items")
            .iter()
            .filter_map(|i| i["fields"]["ResponseId"].as_str().map(str::to_owned))
            .collect()
    };
    let by_first = first.get(&format!("{}?$expand=fields", items(&first))).await;
    let by_second = second.get(&format!("{}?$expand=fields", items(&second))).await;
    assert_eq!(seen(by_first), ["first"]);
    assert_eq!(seen(by_second), ["second"]);
    let other = mine.json["id"].as_str().expect("id");
    assert_eq!(second.get(&format!("{}/{other}", items(&second))).await.status, StatusCode::NOT_FOUND);
    // The officer, signed in at either, reads the council's list whole.
    let everything = first.send_as(&admin, first.client.get(format!("{}?$expand=fields", items(&first)))).await;
    assert_eq!(seen(everything), ["first", "second"]);
}

#[tokio::test]
async fn a_list_readable_only_by_authors_shows_a_member_none_of_anyone_elses_items() {
    let h = Harness::small().await;
    surveys(&h).await;
    let admin =
        h.administrator_token("Sites.FullControl.All https://demoborough.sharepoint.com/AllSites.FullControl").await;
    let site = h.sim.site_id();
    let list =
        h.get(&format!("/sites/{site}/lists/MemberSurveys")).await.json["id"].as_str().expect("list id").to_owned();
    let rest = format!("{}/sites/MemberTrial/_api/web/lists(guid'{list}')", h.sim.base_url());
    // SharePoint's REST API, not Graph, sets item-level permissions.
    let merged = own_items_only(&h, &admin, &rest).await;
    assert_eq!(merged.status, StatusCode::NO_CONTENT, "{}", merged.json);
    assert_eq!(h.send_as(&admin, h.client.get(&rest).header("Accept", JSON)).await.json["ReadSecurity"], 2);
    let unversioned =
        h.send_as(&admin, h.client.patch(&rest).header("Accept", JSON).json(&json!({"ReadSecurity": 1}))).await;
    assert_eq!(unversioned.status, StatusCode::PRECONDITION_REQUIRED, "an update names its version");
    // A member cannot change it back.
    let member = h
        .send(
            h.client
                .post(&rest)
                .header("X-HTTP-Method", "MERGE")
                .header("If-Match", "*")
                .header("Accept", JSON)
                .json(&json!({"ReadSecurity": 1})),
        )
        .await;
    assert_eq!(member.status, StatusCode::FORBIDDEN);
    let items = h.url(&format!("/sites/{site}/lists/MemberSurveys/items"));
    let theirs =
        h.send_as(&admin, h.client.post(&items).json(&json!({"fields": {"ResponseId": "someone-else"}}))).await;
    assert_eq!(theirs.status, StatusCode::CREATED);
    h.post(&items, json!({"fields": {"ResponseId": "mine"}})).await;
    let seen = h.get(&format!("{items}?$expand=fields")).await;
    let ids: Vec<&str> = seen.json["value"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["fields"]["ResponseId"].as_str())
        .collect();
    assert_eq!(ids, ["mine"]);
    let other = theirs.json["id"].as_str().expect("id");
    assert_eq!(h.get(&format!("{items}/{other}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(h.patch(&format!("{items}/{other}/fields"), json!({"Score": 1})).await.status, StatusCode::NOT_FOUND);
    let everything = h.send_as(&admin, h.client.get(format!("{items}?$expand=fields"))).await;
    assert_eq!(everything.json["value"].as_array().map(Vec::len), Some(2), "ICT sees every item");
}

#[tokio::test]
async fn a_view_is_added_once_with_the_columns_it_names() {
    let h = Harness::small().await;
    surveys(&h).await;
    let admin = h.administrator_token("https://demoborough.sharepoint.com/AllSites.FullControl").await;
    let list = h.get(&format!("/sites/{}/lists/MemberSurveys", h.sim.site_id())).await.json["id"]
        .as_str()
        .expect("list id")
        .to_owned();
    let views = format!("{}/sites/MemberTrial/_api/web/lists(guid'{list}')/views", h.sim.base_url());
    let view = json!({"parameters": {"Title": "By survey", "ViewFields": {"results": ["Survey", "Score"]},
        "Query": "<OrderBy><FieldRef Name=\"Survey\"/></OrderBy>", "RowLimit": 100, "PersonalView": false}});
    let added = h.send_as(&admin, h.client.post(format!("{views}/add")).header("Accept", JSON).json(&view)).await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.json);
    assert_eq!(added.json["ViewFields"]["Items"], json!(["Survey", "Score"]));
    assert_eq!(
        h.send_as(&admin, h.client.post(format!("{views}/add")).header("Accept", JSON).json(&view)).await.status,
        StatusCode::BAD_REQUEST
    );
    let bad = json!({"parameters": {"Title": "Broken", "ViewFields": ["Nope"]}});
    assert_eq!(
        h.send_as(&admin, h.client.post(format!("{views}/add")).header("Accept", JSON).json(&bad)).await.status,
        StatusCode::BAD_REQUEST
    );
    let listed = h.send_as(&admin, h.client.get(&views).header("Accept", JSON)).await;
    let atom = h.send_as(&admin, h.client.get(&views)).await;
    assert_eq!(atom.status, StatusCode::NOT_ACCEPTABLE, "a client that did not ask for JSON");
    assert_eq!(listed.json["value"].as_array().map(Vec::len), Some(1));
    // Without SharePoint's own permission in the token, the REST API refuses.
    let graph_only = h.administrator_token("Sites.FullControl.All").await;
    assert_eq!(h.send_as(&graph_only, h.client.get(&views).header("Accept", JSON)).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_wipe_request_is_found_by_its_device_code_and_marked_done_by_patching_its_fields() {
    let h = Harness::small().await;
    h.provision_list(
        "Device wipe requests",
        json!([
            {"name": "DeviceCode", "text": {}, "indexed": true},
            {"name": "Status", "choice": {"choices": ["Requested", "Done"]}},
            {"name": "RequestedBy", "text": {}},
            {"name": "DoneAt", "dateTime": {}},
        ]),
    )
    .await;
    let site = h.sim.site_id();
    let id = h.sim.request_device_wipe("AB12-CD34");
    let path = format!("/sites/{site}/lists/DeviceWipeRequests/items");
    let found = h.get(&format!("{path}?$expand=fields&$filter=fields/DeviceCode eq 'AB12-CD34'")).await;
    assert_eq!(found.json["value"][0]["id"], id.as_str(), "{}", found.json);
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

#[tokio::test]
async fn the_device_code_flow_waits_for_the_person_and_a_declined_code_gives_no_token() {
    let h = Harness::small().await;
    let code = start_device_code(&h).await;
    assert!(code["verification_uri"].as_str().is_some_and(|u| u.ends_with("/devicelogin")));
    let device = code["device_code"].as_str().expect("device code").to_owned();
    assert_eq!(poll_device_code(&h, &device).await["error"], "authorization_pending");
    let page = h.client.get(code["verification_uri"].as_str().expect("uri")).send().await.expect("page");
    assert!(page.text().await.expect("html").contains("<label for=\"user_code\">"));
    let approved = h
        .client
        .post(code["verification_uri"].as_str().expect("uri"))
        .form(&[
            ("user_code", code["user_code"].as_str().expect("user code")),
            ("principal", "administrator"),
            ("decision", "accept"),
        ])
        .send()
        .await
        .expect("approve");
    assert!(approved.status().is_success());
    let tokens = poll_device_code(&h, &device).await;
    assert!(tokens["access_token"].is_string(), "{tokens}");
    assert!(tokens["refresh_token"].is_string());
    assert_eq!(poll_device_code(&h, &device).await["error"], "invalid_grant", "a device code is redeemed once");

    let declined = start_device_code(&h).await;
    h.client
        .post(declined["verification_uri"].as_str().expect("uri"))
        .form(&[("user_code", declined["user_code"].as_str().expect("user code")), ("decision", "cancel")])
        .send()
        .await
        .expect("decline");
    assert_eq!(
        poll_device_code(&h, declined["device_code"].as_str().expect("code")).await["error"],
        "authorization_declined"
    );
}

async fn start_device_code(h: &Harness) -> serde_json::Value {
    let c = h.sim.credentials();
    h.client
        .post(format!("{}/oauth2/v2.0/devicecode", c.authority))
        .form(&[("client_id", c.client_id.as_str()), ("scope", "Sites.FullControl.All offline_access")])
        .send()
        .await
        .expect("device code")
        .json()
        .await
        .expect("JSON")
}

async fn poll_device_code(h: &Harness, device_code: &str) -> serde_json::Value {
    let c = h.sim.credentials();
    h.client
        .post(format!("{}/oauth2/v2.0/token", c.authority))
        .form(&[
            ("client_id", c.client_id.as_str()),
            ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
            ("device_code", device_code),
        ])
        .send()
        .await
        .expect("token")
        .json()
        .await
        .expect("JSON")
}

#[tokio::test]
async fn a_long_list_comes_in_pages_each_item_once() {
    let h = Harness::small().await;
    surveys(&h).await;
    let path = format!("/sites/{}/lists/MemberSurveys/items", h.sim.site_id());
    for n in 0..7 {
        h.post(&path, json!({"fields": {"ResponseId": format!("r-{n}"), "Score": n}})).await;
    }
    let mut seen = Vec::new();
    let mut next = format!("{path}?$expand=fields&$top=3");
    loop {
        let page = h.get(&next).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.json);
        seen.extend(page.json["value"].as_array().expect("items").iter().map(|i| i["fields"]["ResponseId"].clone()));
        match page.json["@odata.nextLink"].as_str() {
            Some(link) => next = link.to_owned(),
            None => break,
        }
    }
    assert_eq!(seen, (0..7).map(|n| json!(format!("r-{n}"))).collect::<Vec<_>>());
    assert_eq!(h.get(&format!("{path}?$skiptoken=nonsense")).await.status, StatusCode::BAD_REQUEST);
}
