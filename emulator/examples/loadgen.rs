//! Load generator: signed calls over HTTP/1.1 keep-alive connections, on loopback only, bounded
//! in count and time. Prints requests/s and latency percentiles.
//!
//! ```text
//! cargo run --release -p tencentcloud-emulator --example loadgen -- --concurrency 64 --duration 10
//! # or against a running binary (started with --no-rate-limits):
//! cargo run --release -p tencentcloud-emulator --example loadgen -- --endpoint http://127.0.0.1:9000
//! ```
//!
//! `--workload terminate` (the default): every request terminates a distinct, freshly seeded
//! instance, so every answer is a success and the emulator does real work (signature,
//! validation, state change, log) on each one. `--workload vpc`: each connection creates a VPC
//! and deletes it, again and again, through the resource model; afterwards the VPCs kept must
//! be exactly those created and not yet deleted.

#[path = "../tests/emulator/tc3.rs"]
mod tc3;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use clap::Parser;
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;
use tencentcloud_emulator::{
    DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, Emulator, EmulatorHandle, Instance,
};

#[derive(Parser, Debug)]
struct Args {
    /// Target a running emulator (loopback only) instead of one started in this process.
    #[arg(long)]
    endpoint: Option<String>,
    #[arg(long, default_value = DEFAULT_SECRET_ID)]
    secret_id: String,
    #[arg(long, default_value = DEFAULT_SECRET_KEY)]
    secret_key: String,
    /// Concurrent connections, each with one request in flight.
    #[arg(long, default_value_t = 64)]
    concurrency: usize,
    /// Stop after this many seconds (at most 120).
    #[arg(long, default_value_t = 10)]
    duration: u64,
    /// Stop after this many requests (at most 5,000,000); for `terminate`, this many
    /// instances are seeded.
    #[arg(long, default_value_t = 600_000)]
    requests: u64,
    #[arg(long, value_enum, default_value_t = Workload::Terminate)]
    workload: Workload,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Workload {
    /// cvm `TerminateInstances` on seeded instances.
    Terminate,
    /// vpc `CreateVpc` then `DeleteVpc` of the VPC made, per connection.
    Vpc,
}

fn instance_id(n: u64) -> String {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut id = *b"ins-00000000";
    let mut rest = n;
    for slot in id[4..].iter_mut().rev() {
        *slot = DIGITS[(rest % 36) as usize];
        rest /= 36;
    }
    String::from_utf8_lossy(&id).into_owned()
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs() as i64
}

async fn seed_over_http(endpoint: &str, workload: Workload, count: u64) {
    let client = reqwest::Client::new();
    let count = if workload == Workload::Terminate {
        count
    } else {
        0
    };
    let mut next = 0;
    while next < count {
        let batch: Vec<_> = (next..count.min(next + 50_000))
            .map(|n| serde_json::json!({"InstanceId": instance_id(n)}))
            .collect();
        next += batch.len() as u64;
        let response = client
            .post(format!("{endpoint}/_emulator/instances"))
            .body(serde_json::to_vec(&batch).expect("JSON"))
            .send()
            .await
            .expect("admin API reachable");
        assert!(
            response.status().is_success(),
            "seeding failed: {}",
            response.status()
        );
    }
    client
        .put(format!("{endpoint}/_emulator/rate-limits"))
        .body(r#"{"enabled":false}"#)
        .send()
        .await
        .expect("admin API reachable");
}

struct Totals {
    ok: AtomicU64,
    errors: AtomicU64,
    created: AtomicU64,
    deleted: AtomicU64,
}

/// The next call of a connection: `(service, action, body)`.
fn next_call(
    workload: Workload,
    n: u64,
    made: &mut Option<String>,
) -> (&'static str, &'static str, String) {
    match (workload, made.take()) {
        (Workload::Terminate, _) => (
            "cvm",
            "TerminateInstances",
            format!(r#"{{"InstanceIds":["{}"]}}"#, instance_id(n)),
        ),
        (Workload::Vpc, Some(id)) => ("vpc", "DeleteVpc", format!(r#"{{"VpcId":"{id}"}}"#)),
        (Workload::Vpc, None) => ("vpc", "CreateVpc", format!(r#"{{"VpcName":"lg-{n}"}}"#)),
    }
}

/// The `VpcId` a `CreateVpc` answer gives.
fn vpc_id(answer: &[u8]) -> Option<String> {
    let answer: serde_json::Value = serde_json::from_slice(answer).ok()?;
    Some(answer["Response"]["Vpc"]["VpcId"].as_str()?.to_owned())
}

#[allow(clippy::too_many_arguments)]
async fn worker(
    workload: Workload,
    addr: SocketAddr,
    secret_id: Arc<str>,
    secret_key: Arc<str>,
    next: Arc<AtomicU64>,
    limit: u64,
    deadline: Instant,
    totals: Arc<Totals>,
) -> Vec<u32> {
    let stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    stream.set_nodelay(true).expect("nodelay");
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .expect("handshake");
    tokio::spawn(connection);
    let host = addr.to_string();
    let mut latencies = Vec::new();
    let mut made = None;
    loop {
        let n = next.fetch_add(1, Ordering::Relaxed);
        if n >= limit || Instant::now() >= deadline {
            break;
        }
        let (service, action, body) = next_call(workload, n, &mut made);
        let timestamp = now();
        let authorization = tc3::authorization(&tc3::ToSign {
            secret_id: &secret_id,
            secret_key: &secret_key,
            service,
            method: "POST",
            query: "",
            headers: &[("content-type", "application/json"), ("host", &host)],
            body: body.as_bytes(),
            timestamp,
        });
        let request = http::Request::post("/")
            .header("host", &host)
            .header("content-type", "application/json")
            .header("authorization", authorization)
            .header("x-tc-action", action)
            .header("x-tc-version", "2017-03-12")
            .header("x-tc-region", "ap-guangzhou")
            .header("x-tc-timestamp", timestamp.to_string())
            .body(Full::new(Bytes::from(body)))
            .expect("request");
        let started = Instant::now();
        let response = sender.send_request(request).await.expect("answer");
        let answer = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        latencies.push(u32::try_from(started.elapsed().as_micros()).unwrap_or(u32::MAX));
        if answer.windows(8).any(|w| w == b"\"Error\":") {
            if totals.errors.fetch_add(1, Ordering::Relaxed) == 0 {
                eprintln!("first error answer: {}", String::from_utf8_lossy(&answer));
            }
        } else {
            totals.ok.fetch_add(1, Ordering::Relaxed);
            match action {
                "CreateVpc" => {
                    made = vpc_id(&answer);
                    totals.created.fetch_add(1, Ordering::Relaxed);
                }
                "DeleteVpc" => {
                    totals.deleted.fetch_add(1, Ordering::Relaxed);
                }
                _ => {}
            }
        }
    }
    latencies
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let index = ((sorted.len() - 1) as f64 * p).round() as usize;
    f64::from(sorted[index]) / 1000.0
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let duration = Duration::from_secs(args.duration.clamp(1, 120));
    let requests = args.requests.clamp(1, 5_000_000);

    let mut in_process: Option<EmulatorHandle> = None;
    let (endpoint, secret_id, secret_key) = match &args.endpoint {
        Some(endpoint) => {
            seed_over_http(endpoint, args.workload, requests).await;
            (
                endpoint.clone(),
                args.secret_id.clone(),
                args.secret_key.clone(),
            )
        }
        None => {
            let handle = Emulator::builder()
                .credential(&args.secret_id, &args.secret_key)
                .rate_limits(false)
                .build()
                .expect("specs load")
                .start("127.0.0.1:0")
                .await
                .expect("emulator starts");
            let seeded = if args.workload == Workload::Terminate {
                requests
            } else {
                0
            };
            for n in 0..seeded {
                handle
                    .seed_instance(Instance::new(instance_id(n)))
                    .expect("well-formed id");
            }
            let endpoint = handle.endpoint();
            in_process = Some(handle);
            (endpoint, args.secret_id.clone(), args.secret_key.clone())
        }
    };
    let addr: SocketAddr = endpoint
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .parse()
        .expect("endpoint is http://<ip>:<port>");
    assert!(
        addr.ip().is_loopback(),
        "the load generator only targets loopback"
    );

    let next = Arc::new(AtomicU64::new(0));
    let totals = Arc::new(Totals {
        ok: AtomicU64::new(0),
        errors: AtomicU64::new(0),
        created: AtomicU64::new(0),
        deleted: AtomicU64::new(0),
    });
    let (secret_id, secret_key): (Arc<str>, Arc<str>) = (secret_id.into(), secret_key.into());
    let started = Instant::now();
    let deadline = started + duration;
    let workers: Vec<_> = (0..args.concurrency.max(1))
        .map(|_| {
            tokio::spawn(worker(
                args.workload,
                addr,
                Arc::clone(&secret_id),
                Arc::clone(&secret_key),
                Arc::clone(&next),
                requests,
                deadline,
                Arc::clone(&totals),
            ))
        })
        .collect();
    let mut latencies = Vec::new();
    for worker in workers {
        latencies.extend(worker.await.expect("worker finishes"));
    }
    let elapsed = started.elapsed();
    latencies.sort_unstable();
    let total = latencies.len();
    println!(
        "target {endpoint} ({}), concurrency {}",
        if in_process.is_some() {
            "in-process"
        } else {
            "external"
        },
        args.concurrency
    );
    println!(
        "{total} {:?} requests in {:.2}s: {:.0} req/s ({} ok, {} errors)",
        args.workload,
        elapsed.as_secs_f64(),
        total as f64 / elapsed.as_secs_f64(),
        totals.ok.load(Ordering::Relaxed),
        totals.errors.load(Ordering::Relaxed)
    );
    println!(
        "latency ms: p50 {:.3}  p90 {:.3}  p99 {:.3}  p99.9 {:.3}  max {:.3}",
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.90),
        percentile(&latencies, 0.99),
        percentile(&latencies, 0.999),
        percentile(&latencies, 1.0)
    );
    if args.workload == Workload::Vpc {
        let snapshot: serde_json::Value = match &in_process {
            Some(handle) => serde_json::to_value(handle.snapshot()).expect("JSON"),
            None => {
                let answer = reqwest::get(format!("{endpoint}/_emulator/snapshot"))
                    .await
                    .expect("admin API reachable")
                    .bytes()
                    .await
                    .expect("a snapshot");
                serde_json::from_slice(&answer).expect("a snapshot")
            }
        };
        let kept = snapshot["records"].as_array().map_or(0, Vec::len) as u64;
        let (created, deleted) = (
            totals.created.load(Ordering::Relaxed),
            totals.deleted.load(Ordering::Relaxed),
        );
        println!(
            "state afterwards: {kept} VPCs kept; {created} created - {deleted} deleted = {} ({})",
            created - deleted,
            if kept == created - deleted {
                "consistent"
            } else {
                "INCONSISTENT"
            }
        );
    }
    if let Some(handle) = in_process {
        handle.shutdown().await;
    }
}
