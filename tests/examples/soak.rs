//! Soak: signed calls of the four core actions against the emulator binary, with faults of every
//! kind injected before and after the effect, and what each call reported checked against what
//! the emulator's request log says happened.
//!
//! ```text
//! cargo build --release -p tencentcloud-emulator
//! cargo run --release -p tencentcloud-tests --example soak -- --calls 100000 --concurrency 64
//! ```
//!
//! Calls cycle through six kinds: `TerminateInstances` and `DeleteVpnConnection` (no token
//! exists for them), `DestroyProxies` and `ModifyProxyConfiguration` through the generated
//! clients (which fill `ClientToken`) and through `Client::call` without a token. Every call
//! acts on a resource of its own, so the log's entries per resource are the call's attempts.
//! Printed: outcomes by kind, attempts per call, faults injected, double executions (more than
//! one attempt took effect), misleading outcomes (a call that took effect reported as a definite
//! failure, or one that did not reported as a success), panics, and the peak RSS of both
//! processes. Exits 1 if any double execution, misleading outcome or panic was seen.

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use clap::Parser;
use serde_json::{Value, json};
use tencentcloud_emulator::{DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, LogEntry};
use tencentcloud_runtime::{
    Client, Config, Credentials, ProvideErrorMetadata, RetryConfig, SdkError,
};
use tencentcloud_sdk::{cvm, gaap, vpc};

#[derive(Parser, Debug)]
struct Args {
    /// Calls to make (at most 2,000,000).
    #[arg(long, default_value_t = 100_000)]
    calls: u64,
    /// Calls in flight at once.
    #[arg(long, default_value_t = 64)]
    concurrency: usize,
    /// Probability of each of the nine faults (five kinds before the effect, four after it);
    /// the default injects about 6% in all.
    #[arg(long, default_value_t = 0.007)]
    fault_rate: f64,
    /// Seed of the emulator's fault RNG.
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// The emulator binary [default: next to this example's directory, as cargo builds it].
    #[arg(long)]
    emulator: Option<PathBuf>,
}

const KINDS: [&str; 6] = [
    "TerminateInstances",
    "DeleteVpnConnection",
    "DestroyProxies+token",
    "ModifyProxyConfiguration+token",
    "DestroyProxies",
    "ModifyProxyConfiguration",
];
const GATEWAY: &str = "vpngw-soak0000";
/// Longer than the attempt timeout, so a delay is a timeout to the client.
const DELAY_MS: u64 = 1_500;
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(1);

/// The resource call `n` acts on: `ins-`, `vpnx-` or `link-` and eight base-36 digits.
fn resource(n: u64) -> String {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let prefix = match n % 6 {
        0 => "ins-",
        1 => "vpnx-",
        _ => "link-",
    };
    let mut digits = [b'0'; 8];
    let mut rest = n;
    for slot in digits.iter_mut().rev() {
        *slot = DIGITS[(rest % 36) as usize];
        rest /= 36;
    }
    format!("{prefix}{}", String::from_utf8_lossy(&digits))
}

/// What a call reported.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Reported {
    Success,
    /// An error that says the request may have taken effect.
    MayHaveTakenEffect(String),
    /// An error that says nothing of the kind: a definite failure.
    Failed(String),
}

fn reported<E: ProvideErrorMetadata + std::fmt::Debug>(
    result: Result<(), SdkError<E>>,
) -> Reported {
    let Err(error) = result else {
        return Reported::Success;
    };
    let kind = match &error {
        SdkError::Service(e) => e.meta().code().to_owned(),
        SdkError::Timeout(_) => "timeout".to_owned(),
        SdkError::Transport(_) => "transport".to_owned(),
        SdkError::Response(e) => format!("HTTP {}", e.status()),
        other => format!("{other:?}"),
    };
    if error.may_have_taken_effect() {
        Reported::MayHaveTakenEffect(kind)
    } else {
        Reported::Failed(kind)
    }
}

struct Clients {
    cvm: cvm::v20170312::Client,
    vpc: vpc::v20170312::Client,
    gaap: gaap::v20180529::Client,
    generic: Client,
}

async fn call(clients: &Clients, n: u64) -> Reported {
    let id = resource(n);
    match n % 6 {
        0 => reported(
            clients
                .cvm
                .terminate_instances()
                .instance_ids([id])
                .send()
                .await
                .map(drop),
        ),
        1 => reported(
            clients
                .vpc
                .delete_vpn_connection()
                .vpn_gateway_id(GATEWAY)
                .vpn_connection_id(id)
                .send()
                .await
                .map(drop),
        ),
        2 => reported(
            clients
                .gaap
                .destroy_proxies()
                .force(1)
                .proxy_ids([id])
                .send()
                .await
                .map(drop),
        ),
        3 => reported(
            clients
                .gaap
                .modify_proxy_configuration()
                .proxy_id(id)
                .bandwidth(20)
                .send()
                .await
                .map(drop),
        ),
        4 => reported(
            clients
                .generic
                .call(
                    "gaap",
                    "2018-05-29",
                    "DestroyProxies",
                    &json!({"ProxyIds": [id], "Force": 1}),
                )
                .await
                .map(|_| ()),
        ),
        _ => reported(
            clients
                .generic
                .call(
                    "gaap",
                    "2018-05-29",
                    "ModifyProxyConfiguration",
                    &json!({"ProxyId": id, "Bandwidth": 20}),
                )
                .await
                .map(|_| ()),
        ),
    }
}

/// Peak resident memory of a process, from `/proc/<pid>/status` (Linux).
fn peak_rss(pid: &str) -> String {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l.trim_start_matches("VmHWM:").trim().to_owned())
        })
        .unwrap_or_else(|| "unknown (no /proc)".to_owned())
}

async fn admin(http: &reqwest::Client, endpoint: &str, path: &str, body: &Value) {
    let response = http
        .post(format!("{endpoint}/_emulator{path}"))
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .expect("the emulator's admin API answers");
    assert!(
        response.status().is_success(),
        "{path}: {}",
        response.text().await.unwrap_or_default()
    );
}

async fn seed(http: &reqwest::Client, endpoint: &str, calls: u64) {
    admin(
        http,
        endpoint,
        "/vpn-gateways",
        &json!({"VpnGatewayId": GATEWAY}),
    )
    .await;
    let mut batches: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
    for n in 0..calls {
        let id = resource(n);
        let (path, item) = match n % 6 {
            0 => ("/instances", json!({"InstanceId": id})),
            1 => (
                "/vpn-connections",
                json!({"VpnConnectionId": id, "VpnGatewayId": GATEWAY}),
            ),
            _ => ("/proxies", json!({"ProxyId": id})),
        };
        let batch = batches.entry(path).or_default();
        batch.push(item);
        if batch.len() == 20_000 {
            admin(http, endpoint, path, &Value::from(std::mem::take(batch))).await;
        }
    }
    for (path, batch) in batches {
        if !batch.is_empty() {
            admin(http, endpoint, path, &Value::from(batch)).await;
        }
    }
}

async fn set_faults(http: &reqwest::Client, endpoint: &str, rate: f64, seed: u64) {
    let kinds = [
        json!({"kind": "delay", "millis": DELAY_MS}),
        json!({"kind": "http_error", "status": 503}),
        json!({"kind": "connection_reset"}),
        json!({"kind": "internal_error"}),
        json!({"kind": "request_limit_exceeded"}),
    ];
    for fault in kinds {
        // Throttling means "refused, not executed" (Tencent's contract, which the SDK relies
        // on to retry any call): a service throttling after acting does not exist.
        let afters: &[bool] = if fault["kind"] == "request_limit_exceeded" {
            &[false]
        } else {
            &[false, true]
        };
        for &after_effect in afters {
            let mut fault = fault.clone();
            fault["after_effect"] = Value::from(after_effect);
            let body = json!({"action": "*", "fault": fault, "probability": rate, "seed": seed});
            admin(http, endpoint, "/fault-rates", &body).await;
        }
    }
}

async fn request_log(http: &reqwest::Client, endpoint: &str) -> Vec<LogEntry> {
    let mut entries = Vec::new();
    let mut after = 0_u64;
    loop {
        let response = http
            .get(format!(
                "{endpoint}/_emulator/requests?after={after}&limit=10000"
            ))
            .send()
            .await
            .expect("the request log answers");
        let next = response
            .headers()
            .get("x-emulator-next-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        let bytes = response.bytes().await.expect("a log page");
        let page: Vec<LogEntry> = serde_json::from_slice(&bytes).expect("log entries");
        entries.extend(page);
        match next {
            Some(next) => after = next,
            None => return entries,
        }
    }
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args = Args::parse();
    let calls = args.calls.min(2_000_000);
    let client_panics = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&client_panics);
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        counted.fetch_add(1, Ordering::Relaxed);
        default_hook(info);
    }));

    let binary = args.emulator.clone().unwrap_or_else(|| {
        let exe = std::env::current_exe().expect("the example's own path");
        exe.parent()
            .and_then(|examples| examples.parent())
            .map(|dir| dir.join("tencentcloud-emulator"))
            .expect("a target directory")
    });
    if !binary.exists() {
        eprintln!(
            "no emulator binary at {}; build it first: cargo build --release -p tencentcloud-emulator",
            binary.display()
        );
        return std::process::ExitCode::from(2);
    }
    let mut emulator = Command::new(&binary)
        .args(["--listen", "127.0.0.1:0", "--no-rate-limits"])
        .args(["--request-log-capacity", &(calls * 3).to_string()])
        .args(["--fault-seed", &args.seed.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the emulator starts");
    let pid = emulator.id().to_string();
    let mut stdout = BufReader::new(emulator.stdout.take().expect("stdout"));
    let mut first = String::new();
    stdout
        .read_line(&mut first)
        .expect("the emulator says where it listens");
    let endpoint = first
        .trim()
        .strip_prefix("listening on ")
        .expect("`listening on <url>`")
        .to_owned();
    std::thread::spawn(move || for _ in stdout.lines() {});
    let emulator_panics = Arc::new(AtomicUsize::new(0));
    let stderr = emulator.stderr.take().expect("stderr");
    let seen = Arc::clone(&emulator_panics);
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if line.contains("panicked") {
                seen.fetch_add(1, Ordering::Relaxed);
                eprintln!("emulator: {line}");
            }
        }
    });

    let http = reqwest::Client::new();
    let seeding = Instant::now();
    seed(&http, &endpoint, calls).await;
    set_faults(&http, &endpoint, args.fault_rate, args.seed).await;
    println!(
        "emulator {} (pid {pid}) at {endpoint}; {calls} resources seeded in {:.1?}",
        binary.display(),
        seeding.elapsed()
    );

    let config = Config::builder()
        .credentials(Credentials::new(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY).expect("credentials"))
        .endpoint(&endpoint)
        .region("ap-guangzhou")
        .attempt_timeout(ATTEMPT_TIMEOUT)
        .retry(
            RetryConfig::default()
                .max_attempts(3)
                .initial_backoff(Duration::from_millis(20))
                .max_backoff(Duration::from_millis(200)),
        )
        .build()
        .expect("config");
    let clients = Arc::new(Clients {
        cvm: cvm::v20170312::Client::new(&config),
        vpc: vpc::v20170312::Client::new(&config),
        gaap: gaap::v20180529::Client::new(&config),
        generic: Client::new(&config),
    });
    let next = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..args.concurrency.max(1) {
        let clients = Arc::clone(&clients);
        let next = Arc::clone(&next);
        workers.spawn(async move {
            let mut outcomes = Vec::new();
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= calls {
                    return outcomes;
                }
                outcomes.push((n, call(&clients, n).await));
            }
        });
    }
    let mut outcomes = HashMap::with_capacity(calls as usize);
    while let Some(done) = workers.join_next().await {
        outcomes.extend(done.expect("a worker ends without panicking"));
    }
    let elapsed = started.elapsed();
    // Delayed attempts the client gave up on may still be running: let them finish.
    tokio::time::sleep(Duration::from_millis(DELAY_MS + 500)).await;
    let log = request_log(&http, &endpoint).await;

    let mut by_resource: HashMap<&str, Vec<&LogEntry>> = HashMap::new();
    for entry in &log {
        for id in &entry.resource_ids {
            by_resource.entry(id.as_str()).or_default().push(entry);
        }
    }
    let mut outcome_counts: BTreeMap<(String, Reported), u64> = BTreeMap::new();
    let mut attempts: BTreeMap<usize, u64> = BTreeMap::new();
    let mut faults: BTreeMap<String, u64> = BTreeMap::new();
    let (mut doubles, mut misleading) = (Vec::new(), Vec::new());
    for entry in &log {
        if let Some(fault) = &entry.fault {
            let acted = if entry.took_effect {
                ", the request acted"
            } else {
                ""
            };
            *faults.entry(format!("{fault:?}{acted}")).or_default() += 1;
        }
    }
    for n in 0..calls {
        let id = resource(n);
        let reported = outcomes.get(&n).cloned().expect("every call reported");
        let entries = by_resource.get(id.as_str()).map_or(&[][..], Vec::as_slice);
        let effects = entries.iter().filter(|e| e.took_effect).count();
        *attempts.entry(entries.len()).or_default() += 1;
        let kind = KINDS[(n % 6) as usize];
        if effects > 1 {
            doubles.push(format!("{kind} {id}: {effects} effects"));
        }
        let lie = match &reported {
            Reported::Success => effects == 0,
            Reported::Failed(_) => effects > 0,
            Reported::MayHaveTakenEffect(_) => false,
        };
        if lie {
            misleading.push(format!(
                "{kind} {id}: reported {reported:?}, {effects} effects"
            ));
        }
        *outcome_counts
            .entry((kind.to_owned(), reported))
            .or_default() += 1;
    }
    let injected: u64 = faults.values().sum();

    println!(
        "\n{calls} calls at concurrency {} in {elapsed:.1?}: {:.0} calls/s",
        args.concurrency,
        calls as f64 / elapsed.as_secs_f64()
    );
    println!(
        "{} attempts logged; faults injected: {injected} ({:.2}% of attempts)",
        log.len(),
        100.0 * injected as f64 / log.len().max(1) as f64
    );
    for (fault, count) in &faults {
        println!("  {count:>7}  {fault}");
    }
    println!("outcomes:");
    for ((kind, reported), count) in &outcome_counts {
        println!("  {count:>7}  {kind}: {reported:?}");
    }
    println!("attempts per call (from the log):");
    for (n, count) in &attempts {
        println!("  {count:>7}  {n}");
    }
    let panics = client_panics.load(Ordering::Relaxed) + emulator_panics.load(Ordering::Relaxed);
    let alive = emulator.try_wait().ok().flatten().is_none();
    println!(
        "double executions: {}; misleading outcomes: {}; panics: {panics}; emulator still running: {alive}",
        doubles.len(),
        misleading.len()
    );
    println!(
        "peak RSS: client {}, emulator {}",
        peak_rss("self"),
        peak_rss(&pid)
    );
    for line in doubles.iter().chain(&misleading).take(20) {
        println!("  {line}");
    }
    let _ = emulator.kill();
    let _ = emulator.wait();
    if doubles.is_empty() && misleading.is_empty() && panics == 0 && alive {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::FAILURE
    }
}
