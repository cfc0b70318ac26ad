#![allow(missing_docs)] // a test binary
//! Kill -9 of a syncing child process at 50 random moments: every restart resumes, and in the
//! end the vault equals the server, with nothing lost or duplicated and no outbox item
//! delivered twice.

use companion_graph_sim::{GraphSim, SimConfig};
use companion_sync::{LocalChange, Response};
use companion_vault::{OutboxState, Vault, VaultKey};
use rand::{Rng, SeedableRng};
use std::collections::BTreeSet;
use std::process::{Command, Stdio};
use std::time::Duration;

/// Queuing needs no token: the outbox only writes the vault until it delivers.
struct NoToken;

impl companion_graph::TokenSource for NoToken {
    fn token(
        &self,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<String, companion_graph::GraphError>> + Send + '_>>
    {
        Box::pin(async { Err(companion_graph::GraphError::SignInRequired) })
    }
    fn invalidate(&self) {}
}

fn child(sim: &GraphSim, dir: &std::path::Path, key_file: &std::path::Path) -> Command {
    let c = sim.credentials();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_companion-sync"));
    cmd.args(["--authority", &c.authority, "--graph", &sim.graph_url(), "--client-id", &c.client_id])
        .arg("--vault")
        .arg(dir)
        .arg("--key-file")
        .arg(key_file)
        .args(["--now", &sim.now().to_rfc3339(), "--page-size", "10"])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_a_syncing_process_at_fifty_random_moments_loses_and_repeats_nothing() {
    let mut config = SimConfig::default().with_messages(2_500).with_events(200).with_contacts(150);
    config.access_token_lifetime = chrono::Duration::days(60);
    let sim = GraphSim::start(config).await.expect("simulator");
    let dir = tempfile::tempdir().expect("dir");
    let vault_dir = dir.path().join("vault");
    let key_file = dir.path().join("key");
    let key = VaultKey::generate();
    std::fs::write(&key_file, key.as_bytes()).expect("key file");

    // Replies queued before the first run, to be delivered by whichever run gets there.
    let targets: Vec<(String, String)> = {
        let snap = sim.snapshot();
        let inbox = snap.folders.iter().find(|(_, n)| n == "Inbox").map(|(i, _)| i.clone()).expect("inbox");
        snap.messages
            .iter()
            .filter(|m| m.folder_id == inbox)
            .take(5)
            .map(|m| (m.immutable_id.clone(), m.subject.clone()))
            .collect()
    };
    let invite = sim
        .snapshot()
        .events
        .iter()
        .find(|(_, subject, response, cancelled)| response == "notResponded" && !cancelled && !subject.is_empty())
        .map(|(id, ..)| id.clone())
        .expect("an invitation");
    {
        let (vault, _) = Vault::open(&vault_dir, &key).expect("vault");
        let vault = std::sync::Arc::new(vault);
        let client = std::sync::Arc::new(
            companion_graph::GraphClient::new(
                &sim.graph_url(),
                std::sync::Arc::new(NoToken),
                std::sync::Arc::new(companion_graph::NoMeter),
                std::sync::Arc::new(companion_graph::FixedNetwork(companion_graph::Network::Wifi)),
            )
            .expect("client"),
        );
        let outbox = companion_sync::Outbox::new(client, vault);
        for (id, _) in &targets {
            outbox
                .queue(&LocalChange::Reply {
                    message_id: id.clone(),
                    comment: "Thank you for writing.".into(),
                    reply_all: false,
                })
                .expect("queue");
        }
        outbox
            .queue(&LocalChange::Respond { event_id: invite.clone(), response: Response::Accept, comment: None })
            .expect("queue");
    }

    let mut rng = rand::rngs::StdRng::seed_from_u64(50);
    let mut killed = 0;
    for _ in 0..50 {
        let mut run = child(&sim, &vault_dir, &key_file).spawn().expect("child starts");
        // Within the first 75 ms: an update that only catches up on a day or two of mail now
        // finishes soon after (pages are fetched ahead and written in batches), and a kill
        // after the process has finished tests nothing; the check below keeps this honest.
        tokio::time::sleep(Duration::from_millis(rng.random_range(5..75))).await;
        if run.try_wait().expect("status").is_none() {
            killed += 1;
        }
        let _ = run.kill(); // SIGKILL: no chance to tidy up
        let _ = run.wait();
        // The server moves on between runs, so there is always work to cut short.
        sim.advance(chrono::Duration::hours(rng.random_range(12..48)));
    }
    assert!(killed >= 25, "most runs were cut short ({killed} of 50)");
    let last = child(&sim, &vault_dir, &key_file).stderr(Stdio::piped()).output().expect("a last, uninterrupted run");
    assert!(last.status.success(), "{}", String::from_utf8_lossy(&last.stderr));

    let (vault, _) = Vault::open(&vault_dir, &key).expect("vault opens after fifty kills");
    let snap = sim.snapshot();
    let since = sim.now() - chrono::Duration::days(30);
    for (folder, name) in &snap.folders {
        let want: BTreeSet<String> = snap
            .messages
            .iter()
            .filter(|m| &m.folder_id == folder && m.received >= since)
            .map(|m| m.immutable_id.clone())
            .collect();
        let got: BTreeSet<String> = vault.message_ids(folder).expect("ids").into_iter().collect();
        assert_eq!(got.len(), want.len(), "folder {name}");
        assert!(got == want, "folder {name} equals the server");
    }
    assert_eq!(vault.counts().expect("counts").2 as usize, snap.contacts.len());
    assert!(vault.outbox().expect("outbox").iter().all(|i| i.state == OutboxState::Done));
    let sent = sim.sent_mail();
    for (_, subject) in &targets {
        let replies = sent
            .iter()
            .filter(|m| m.via == "send" && m.subject.trim_start_matches("RE: ") == subject.trim_start_matches("RE: "))
            .count();
        assert_eq!(replies, 1, "one reply to {subject:?}");
    }
    assert_eq!(sent.iter().filter(|m| m.via == "accepted").count(), 1, "one acceptance");
}
