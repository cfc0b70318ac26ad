//! Answers no honest Graph sends, from a bare listener: a link to another host, an answer
//! that never ends, a gzip bomb. The client must stop, say why, and never hand the token on.

use companion_graph::*;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const TOKEN: &str = "secret-access-token";

/// What a listener saw: one request head per connection.
#[derive(Default)]
struct Seen(Mutex<Vec<String>>);

impl Seen {
    fn heads(&self) -> Vec<String> {
        self.0.lock().expect("the record").clone()
    }
}

async fn read_head(stream: &mut TcpStream) -> String {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte).await {
            Ok(1) => head.push(byte[0]),
            _ => break,
        }
    }
    String::from_utf8_lossy(&head).into_owned()
}

/// Serves every connection with `answer`, recording each request head.
async fn listen<F, Fut>(answer: F) -> (String, Arc<Seen>)
where
    F: Fn(TcpStream) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let root = format!("http://{}/v1.0", listener.local_addr().expect("its address"));
    let seen = Arc::new(Seen::default());
    let recorder = seen.clone();
    let answer = Arc::new(answer);
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let head = read_head(&mut stream).await;
            recorder.0.lock().expect("the record").push(head);
            let answer = answer.clone();
            tokio::spawn(async move { answer(stream).await });
        }
    });
    (root, seen)
}

async fn respond(mut stream: TcpStream, headers: &str, body: &[u8]) {
    let head = format!("HTTP/1.1 200 OK\r\ncontent-length: {}\r\n{headers}\r\n", body.len());
    let _ = stream.write_all(head.as_bytes()).await;
    let _ = stream.write_all(body).await;
}

#[derive(Default)]
struct Down(AtomicU64);
impl Meter for Down {
    fn record(&self, t: Traffic) {
        self.0.fetch_add(t.down, Ordering::SeqCst);
    }
}

fn client(root: &str, meter: Arc<Down>) -> GraphClient {
    let token = Arc::new(StaticToken(Secret::new(TOKEN.to_owned())));
    GraphClient::new(root, token, meter, Arc::new(FixedNetwork(Network::Wifi))).expect("client")
}

#[tokio::test]
async fn the_token_never_reaches_the_host_a_foreign_next_link_names() {
    let (elsewhere, foreign_seen) = listen(|s| respond(s, "content-type: application/json\r\n", b"{}")).await;
    let link = format!("{elsewhere}/me/messages/delta?$skiptoken=stolen");
    let page = serde_json::json!({ "value": [], "@odata.nextLink": link }).to_string();
    let (root, graph_seen) = listen(move |s| {
        let page = page.clone();
        async move { respond(s, "content-type: application/json\r\n", page.as_bytes()).await }
    })
    .await;
    let client = client(&root, Arc::new(Down::default()));

    let first: DeltaPage<Message> =
        client.json(&GraphRequest::get("/me/messages/delta", Feature::MailHeaders)).await.expect("the first page");
    let next = first.next_link.expect("the page names a next link");
    let refused = client.send(&GraphRequest::get(next, Feature::MailHeaders)).await;

    assert!(matches!(refused, Err(GraphError::Malformed(_))), "{refused:?}");
    assert!(graph_seen.heads()[0].contains(&format!("Bearer {TOKEN}")), "Graph itself gets the token");
    assert!(foreign_seen.heads().is_empty(), "nothing reached the other host: {:?}", foreign_seen.heads());
}

#[tokio::test]
async fn an_answer_that_never_ends_is_cut_off_at_the_limit_and_metered_as_far_as_it_was_read() {
    let (root, _) = listen(|mut s| async move {
        let _ = s.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\r\n").await;
        let chunk = vec![b' '; 64 * 1024];
        while s.write_all(&chunk).await.is_ok() {}
    })
    .await;
    let meter = Arc::new(Down::default());
    let client = client(&root, meter.clone());
    let limit = 4 * 1024 * 1024;

    let answer = client.send(&GraphRequest::get("/me", Feature::SignIn).max_answer(limit)).await;

    assert!(matches!(answer, Err(GraphError::TooLarge { limit: l }) if l == limit), "{answer:?}");
    let down = meter.0.load(Ordering::SeqCst);
    assert!(down > limit && down < limit + 1024 * 1024, "metered {down} bytes for a cut at {limit}");
}

#[tokio::test]
async fn an_answer_longer_than_its_limit_is_refused_before_it_is_read() {
    let (root, _) = listen(|s| respond(s, "", &[b'x'; 2048])).await;
    let meter = Arc::new(Down::default());
    let answer = client(&root, meter.clone()).send(&GraphRequest::get("/me", Feature::SignIn).max_answer(1024)).await;
    assert!(matches!(answer, Err(GraphError::TooLarge { limit: 1024 })), "{answer:?}");
    assert!(meter.0.load(Ordering::SeqCst) < 1024, "the body was not read");
}

#[tokio::test]
async fn a_gzip_bomb_is_refused_without_filling_memory_and_not_asked_for_again() {
    use std::io::Write;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&vec![b' '; 128 * 1024 * 1024]).expect("gzip");
    let bomb = Arc::new(gz.finish().expect("gzip"));
    let sent = bomb.len();
    let bomb_for_server = bomb.clone();
    let (root, seen) = listen(move |s| {
        let bomb = bomb_for_server.clone();
        async move { respond(s, "content-type: application/json\r\ncontent-encoding: gzip\r\n", &bomb).await }
    })
    .await;

    let answer = client(&root, Arc::new(Down::default())).send(&GraphRequest::get("/me", Feature::SignIn)).await;

    assert!(matches!(answer, Err(GraphError::TooLarge { limit: MAX_ANSWER_BYTES })), "{answer:?}");
    assert!(sent < 1024 * 1024, "the bomb is small on the wire ({sent} bytes)");
    assert_eq!(seen.heads().len(), 1, "a bomb is not a passing fault: it is not asked for again");
}
