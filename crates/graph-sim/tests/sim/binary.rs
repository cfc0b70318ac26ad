use companion_graph_sim::headless;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

#[tokio::test]
async fn the_standalone_binary_prints_its_address_and_credentials_and_serves_them() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_graph-sim"))
        .args(["--port", "0", "--seed", "7", "--messages", "200"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("graph-sim starts");
    let stdout = child.stdout.take().expect("stdout");
    let lines: Vec<String> = BufReader::new(stdout).lines().take(9).map(|l| l.expect("line")).collect();
    let field = |label: &str| {
        lines
            .iter()
            .find_map(|l| l.trim().strip_prefix(label).map(|v| v.trim().to_owned()))
            .unwrap_or_else(|| panic!("no {label} in {lines:#?}"))
    };
    let authority = field("Authority:");
    let client_id = field("Client id:");
    let scopes = field("Scopes:");
    let graph = field("Graph:");
    assert!(lines[0].starts_with("graph-sim listening on http://127.0.0.1:"));
    let tokens = headless::sign_in(&authority, &client_id, &scopes).await.expect("sign-in against the binary");
    let me: serde_json::Value = reqwest::Client::new()
        .get(format!("{graph}/me"))
        .bearer_auth(&tokens.access_token)
        .send()
        .await
        .expect("answer")
        .json()
        .await
        .expect("json");
    assert_eq!(me["displayName"].as_str().map(|n| field("Member:").starts_with(n)), Some(true));
    let _ = child.kill();
    let _ = child.wait();
}
