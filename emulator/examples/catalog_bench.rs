//! What serving the whole catalog costs: start-up time and resident memory of an emulator given a
//! specs folder (the workspace's `specs/` by default), then the first call of every service
//! (which compiles it) and the memory after 20 services and after all of them. Prints medians
//! over the rounds.
//!
//! ```text
//! cargo run --release -p tencentcloud-emulator --example catalog_bench [-- SPECS_DIR]
//! ```
//!
//! Each service's first call names an action no service has: the emulator compiles the service
//! to find out, then answers `InvalidAction` (the first such answer also reads the action names
//! of the whole folder, for its hint), so every service is compiled exactly once.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde_json::json;
use tencentcloud_emulator::{DEFAULT_SPECS_DIR, Emulator};
use tencentcloud_runtime::{Client, Config, Credentials, RetryConfig};
use tencentcloud_spec::index::SpecIndex;

const ROUNDS: usize = 5;

/// Resident set size of this process, from `/proc/self/status` (Linux).
fn rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn shown(mib: Option<f64>) -> String {
    mib.map_or_else(|| "n/a".to_owned(), |m| format!("{m:.1} MiB"))
}

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    values[values.len() / 2]
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let folder = std::env::args_os()
        .nth(1)
        .map_or_else(|| PathBuf::from(DEFAULT_SPECS_DIR), PathBuf::from);
    let services: Vec<String> = SpecIndex::open(&folder)
        .map_err(|e| format!("{}:\n{e}", folder.display()))?
        .services()
        .map(str::to_owned)
        .collect();
    println!(
        "specs folder {}: {} services",
        folder.display(),
        services.len()
    );
    println!("resident before any emulator: {}", shown(rss_mib()));

    let start = || async {
        let started = Instant::now();
        let handle = Emulator::builder()
            .specs_dir(&folder)
            .rate_limits(false)
            .build()?
            .start("127.0.0.1:0")
            .await?;
        Ok::<_, Box<dyn std::error::Error>>((handle, started.elapsed()))
    };
    let (handle, first_start) = start().await?;
    let folder_info = handle.specs_folder();
    println!(
        "serving: {} services ({} versions), none compiled yet",
        folder_info.services, folder_info.versions
    );
    println!("resident after start-up: {}", shown(rss_mib()));

    let config = Config::builder()
        .credentials(Credentials::new(
            handle.secret_id(),
            tencentcloud_emulator::DEFAULT_SECRET_KEY,
        )?)
        .endpoint(handle.endpoint())
        .region("ap-guangzhou")
        .retry(RetryConfig::disabled())
        .attempt_timeout(Duration::from_secs(60))
        .build()?;
    let client = Client::new(&config);
    let mut first_calls = Vec::new();
    let mut slowest = (Duration::ZERO, String::new());
    for (n, service) in services.iter().enumerate() {
        let started = Instant::now();
        let answer = client
            .call(
                service,
                "2020-01-01",
                "EmulatorBenchNoSuchAction",
                &json!({}),
            )
            .await;
        let took = started.elapsed();
        match answer {
            Err(e) if e.code() == Some("InvalidAction") => {}
            other => return Err(format!("{service}: expected InvalidAction, got {other:?}").into()),
        }
        if took > slowest.0 {
            slowest = (took, service.clone());
        }
        first_calls.push(took);
        if n + 1 == 20 {
            println!("resident after 20 services called: {}", shown(rss_mib()));
        }
    }
    let total: Duration = first_calls.iter().sum();
    println!(
        "first call of each of {} services: median {:.1} ms, slowest {:.1} ms ({}), {:.1} s in all",
        first_calls.len(),
        median(first_calls.clone()).as_secs_f64() * 1000.0,
        slowest.0.as_secs_f64() * 1000.0,
        slowest.1,
        total.as_secs_f64()
    );
    println!(
        "resident after every service called: {} ({} service versions compiled)",
        shown(rss_mib()),
        handle.served_services().len()
    );
    handle.shutdown().await;

    // More start-ups for the median, after the memory figures so they do not blur them.
    let mut starts = vec![first_start];
    for _ in 1..ROUNDS {
        let (handle, took) = start().await?;
        starts.push(took);
        handle.shutdown().await;
    }
    println!(
        "start-up (specs folder indexed, listening): median {:.1} ms of {ROUNDS} ({:?})",
        median(starts.clone()).as_secs_f64() * 1000.0,
        starts
    );
    Ok(())
}
