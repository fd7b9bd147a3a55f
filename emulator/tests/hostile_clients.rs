//! Clients that hold the server without using it — connections that never send, bodies that
//! never finish — do not stop it answering a normal client, and its timeouts close them.

#[allow(dead_code)]
#[path = "emulator/support.rs"]
mod support;
#[allow(dead_code)]
#[path = "emulator/tc3.rs"]
mod tc3;

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tencentcloud_emulator::{EmulatorHandle, ServerLimits};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::task::JoinSet;

const IDLE_CONNECTIONS: usize = 2_000;
const SLOW_UPLOADS: usize = 100;
/// Bytes each slow upload announces (just under the 10 MiB body limit) and actually sends.
const ANNOUNCED: usize = 10 * 1024 * 1024 - 1;
const SENT: usize = 1024 * 1024;

fn limits() -> ServerLimits {
    ServerLimits {
        header_read_timeout: Duration::from_secs(2),
        idle_timeout: Duration::from_secs(3),
        body_read_timeout: Duration::from_secs(3),
        // Fewer than the hostile connections: the limit is reached and must make room.
        max_connections: 1_500,
        body_memory: 32 * 1024 * 1024,
    }
}

async fn health(handle: &EmulatorHandle) -> Value {
    let url = format!("{}/_emulator/health", handle.endpoint());
    let body = reqwest::get(&url).await.unwrap().bytes().await.unwrap();
    serde_json::from_slice(&body).unwrap()
}

/// Opens a connection and starts a body it never finishes; resolves with whatever the server
/// answers before closing, once it does.
async fn slow_upload(addr: std::net::SocketAddr) -> Vec<u8> {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST / HTTP/1.1\r\nHost: cvm.tencentcloudapi.com\r\nContent-Type: application/json\r\n\
         Content-Length: {ANNOUNCED}\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let chunk = vec![b' '; 64 * 1024];
    for _ in 0..SENT / chunk.len() {
        // The server may refuse the body part-way and close: that is one of the outcomes.
        if stream.write_all(&chunk).await.is_err() {
            break;
        }
    }
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await;
    answer
}

/// Whether the server has closed `stream` (end of file or reset) within `within`.
async fn closed_within(stream: &mut TcpStream, within: Duration) -> bool {
    let mut byte = [0_u8; 1];
    matches!(
        tokio::time::timeout(within, stream.read(&mut byte)).await,
        Ok(Ok(0) | Err(_))
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_normal_client_is_answered_while_idle_and_slow_clients_are_closed_by_the_timeouts() {
    let handle = support::start_with(support::builder().limits(limits())).await;
    let addr = handle.local_addr();

    let mut idle = Vec::with_capacity(IDLE_CONNECTIONS);
    for _ in 0..IDLE_CONNECTIONS {
        idle.push(TcpStream::connect(addr).await.unwrap());
    }
    let mut uploads = JoinSet::new();
    for _ in 0..SLOW_UPLOADS {
        uploads.spawn(slow_upload(addr));
    }
    let flood_started = Instant::now();

    // The normal client: sequential signed calls over a kept-alive connection, while the
    // hostile connections are open (the idle timeout is 3 s; this takes well under that).
    let client = support::client(&handle);
    let mut latencies = Vec::new();
    for _ in 0..200 {
        let started = Instant::now();
        let answer = client
            .call("cvm", "2017-03-12", "DescribeInstances", &json!({}))
            .await;
        latencies.push(started.elapsed());
        answer.expect("the normal client is answered during the flood");
    }
    let during = health(&handle).await;
    latencies.sort();
    let percentile = |p: usize| latencies[(latencies.len() * p / 100).min(latencies.len() - 1)];
    println!(
        "200 calls during {IDLE_CONNECTIONS} idle connections and {SLOW_UPLOADS} slow uploads: \
         p50 {:?}, p99 {:?}, max {:?}; open connections {}, body bytes held {}",
        percentile(50),
        percentile(99),
        latencies[latencies.len() - 1],
        during["connections"],
        during["bodyBytesHeld"]
    );
    assert_eq!(during["status"], "ok");
    let open = during["connections"].as_u64().unwrap();
    assert!(
        open <= limits().max_connections as u64,
        "never more open than the limit: {open}"
    );

    // Every idle connection is closed: evicted to make room, or by the idle timeout.
    let deadline = limits().idle_timeout + Duration::from_secs(5);
    let mut still_open = 0;
    for stream in &mut idle {
        let left = deadline.saturating_sub(flood_started.elapsed());
        if !closed_within(stream, left.max(Duration::from_millis(10))).await {
            still_open += 1;
        }
    }
    assert_eq!(still_open, 0, "idle connections outlived the idle timeout");

    // Every slow upload ends: answered 408 (too slow) or 503 (no body memory left), or closed.
    let mut answers = std::collections::BTreeMap::<String, usize>::new();
    while let Some(answer) = tokio::time::timeout(Duration::from_secs(15), uploads.join_next())
        .await
        .expect("slow uploads are closed by the body timeout")
    {
        let answer = answer.unwrap();
        let status = String::from_utf8_lossy(&answer)
            .lines()
            .next()
            .unwrap_or("closed without an answer")
            .to_owned();
        *answers.entry(status).or_default() += 1;
    }
    println!("slow uploads ended with: {answers:?}");
    assert!(
        answers.keys().all(|status| {
            status.contains(" 408 ")
                || status.contains(" 503 ")
                || status == "closed without an answer"
        }),
        "{answers:?}"
    );
    assert!(
        answers.keys().any(|status| status.contains(" 408 ")),
        "the body timeout answered: {answers:?}"
    );
    assert!(
        answers.keys().any(|status| status.contains(" 503 ")),
        "the body memory budget refused some: {answers:?}"
    );

    let after = health(&handle).await;
    assert_eq!(
        after["bodyBytesHeld"], 0,
        "no body memory stays held: {after}"
    );
    assert!(
        after["connections"].as_u64().unwrap() <= 2,
        "only the health checks' own connections remain: {after}"
    );
    assert!(
        client
            .call("cvm", "2017-03-12", "DescribeInstances", &json!({}))
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn a_client_that_sends_headers_too_slowly_is_cut_off() {
    let handle = support::start_with(support::builder().limits(limits())).await;
    let mut stream = TcpStream::connect(handle.local_addr()).await.unwrap();
    stream
        .write_all(b"POST / HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let started = Instant::now();
    // One header line a second: never a complete head within the 2 s header timeout.
    let mut cut = false;
    for n in 0..20 {
        tokio::time::sleep(Duration::from_secs(1)).await;
        if stream
            .write_all(format!("X-Slow-{n}: 1\r\n").as_bytes())
            .await
            .is_err()
        {
            cut = true;
            break;
        }
        if closed_within(&mut stream, Duration::from_millis(10)).await {
            cut = true;
            break;
        }
    }
    assert!(cut, "the trickling client was never cut off");
    println!("cut off after {:?}", started.elapsed());
}
