//! Client cost of one `TerminateInstances` call, this SDK beside `tencent-sdk` 0.1.5, against
//! the fixed-answer server in its own process.
//!
//! For every round, concurrency and client it makes `--calls` calls (after a warm-up that
//! opens the connections) and prints calls/s, p50/p99 latency, client CPU per call (user +
//! system time of this process from `getrusage`, divided by the calls), and allocations and
//! bytes allocated per call (a counting global allocator). Then it prints the median of the
//! rounds for every figure, and the memory of an idle client and of a call in flight.
//!
//! `call_bench [--calls N] [--rounds R] [--concurrency 1,16,64,256] [--clients ours,tencent-sdk,floor] [--one-core]`;
//! `TOKIO_WORKER_THREADS` sets the runtime's workers (default: one per core).
//!
//! `--one-core` runs the bench, its one tokio worker and the server on a single core. A call
//! then wakes nothing on another core: on a virtual machine where waking an idle core is dear,
//! that wake-up is most of a sequential call's CPU, the same for every client, and this
//! placement leaves what the client itself costs.

use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicIsize, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use tencentcloud_runtime::{Config, Credentials};
use tencentcloud_sdk_cvm::v20170312 as cvm;

struct Counting;

/// One thread's counts, on a cache line of its own: a shared counter would bounce between the
/// cores on every allocation and charge the clients for the bench's bookkeeping. A slot has
/// one writer, so counting is a plain load and store; threads beyond the first `SLOTS - 1`
/// share the last slot, which counts with atomic additions.
#[repr(align(128))]
struct Slot {
    allocations: AtomicUsize,
    allocated: AtomicUsize,
    live: AtomicIsize,
}

const SLOTS: usize = 64;
static COUNTS: [Slot; SLOTS] = [const {
    Slot {
        allocations: AtomicUsize::new(0),
        allocated: AtomicUsize::new(0),
        live: AtomicIsize::new(0),
    }
}; SLOTS];
static NEXT_SLOT: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    static SLOT: std::cell::Cell<usize> = const { std::cell::Cell::new(usize::MAX) };
}

fn slot() -> (&'static Slot, bool) {
    let index = SLOT
        .try_with(|slot| {
            if slot.get() == usize::MAX {
                slot.set(NEXT_SLOT.fetch_add(1, Ordering::Relaxed).min(SLOTS - 1));
            }
            slot.get()
        })
        .unwrap_or(SLOTS - 1);
    (&COUNTS[index], index == SLOTS - 1)
}

fn add(counter: &AtomicUsize, shared: bool, n: usize) {
    if shared {
        counter.fetch_add(n, Ordering::Relaxed);
    } else {
        counter.store(counter.load(Ordering::Relaxed) + n, Ordering::Relaxed);
    }
}

fn add_live(counter: &AtomicIsize, shared: bool, n: isize) {
    if shared {
        counter.fetch_add(n, Ordering::Relaxed);
    } else {
        counter.store(counter.load(Ordering::Relaxed) + n, Ordering::Relaxed);
    }
}

/// Sums over every thread: allocations, bytes allocated, bytes live.
fn counts() -> (usize, usize, isize) {
    COUNTS.iter().fold((0, 0, 0), |(a, b, l), slot| {
        (
            a + slot.allocations.load(Ordering::Relaxed),
            b + slot.allocated.load(Ordering::Relaxed),
            l + slot.live.load(Ordering::Relaxed),
        )
    })
}

/// Bytes live since the memory pass began, and their peak; only counted during that pass.
static PASS_LIVE: AtomicIsize = AtomicIsize::new(0);
static PASS_PEAK: AtomicIsize = AtomicIsize::new(0);
static IN_PASS: AtomicBool = AtomicBool::new(false);

fn on_alloc(size: usize) {
    let (slot, shared) = slot();
    add(&slot.allocations, shared, 1);
    add(&slot.allocated, shared, size);
    add_live(&slot.live, shared, size as isize);
    if IN_PASS.load(Ordering::Relaxed) {
        let live = PASS_LIVE.fetch_add(size as isize, Ordering::Relaxed) + size as isize;
        PASS_PEAK.fetch_max(live, Ordering::Relaxed);
    }
}

fn on_dealloc(size: usize) {
    let (slot, shared) = slot();
    add_live(&slot.live, shared, -(size as isize));
    if IN_PASS.load(Ordering::Relaxed) {
        PASS_LIVE.fetch_sub(size as isize, Ordering::Relaxed);
    }
}

// SAFETY: every call is forwarded to the system allocator unchanged; the counters only observe.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        on_alloc(layout.size());
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        on_dealloc(layout.size());
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        on_alloc(layout.size());
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        on_alloc(new_size);
        on_dealloc(layout.size());
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

const SECRET_ID: &str = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";
const SECRET_KEY: &str = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";
const REGION: &str = "ap-guangzhou";
const INSTANCE: &str = "ins-r8hr2upy";

/// One client under test, cheap to clone into every task.
#[derive(Clone)]
enum Sdk {
    Ours(cvm::Client),
    Peer(tencent_sdk::Client),
    /// No SDK: a request made once, written as it is on a kept-alive connection, and the
    /// answer read up to its length. What the machine costs per call, before any client does.
    Floor(Arc<Floor>),
}

struct Floor {
    address: String,
    request: Vec<u8>,
    idle: std::sync::Mutex<Vec<tokio::net::TcpStream>>,
}

impl Floor {
    fn new(endpoint: &str) -> Self {
        let address = endpoint.trim_start_matches("http://").to_owned();
        let body = format!(r#"{{"InstanceIds":["{INSTANCE}"]}}"#);
        let request = format!(
            "POST / HTTP/1.1\r\nhost: {address}\r\ncontent-type: application/json\r\n\
             x-tc-action: TerminateInstances\r\nx-tc-version: 2017-03-12\r\n\
             content-length: {}\r\n\r\n{body}",
            body.len()
        );
        Self {
            address,
            request: request.into_bytes(),
            idle: std::sync::Mutex::new(Vec::new()),
        }
    }

    async fn call(&self) -> Result<(), String> {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let idle = self.idle.lock().map_err(|e| e.to_string())?.pop();
        let mut stream = match idle {
            Some(stream) => stream,
            None => {
                let stream = tokio::net::TcpStream::connect(&self.address)
                    .await
                    .map_err(|e| e.to_string())?;
                stream.set_nodelay(true).map_err(|e| e.to_string())?;
                stream
            }
        };
        stream
            .write_all(&self.request)
            .await
            .map_err(|e| e.to_string())?;
        let mut answer = [0u8; 1024];
        let mut read = 0;
        loop {
            let n = stream
                .read(&mut answer[read..])
                .await
                .map_err(|e| e.to_string())?;
            if n == 0 {
                return Err("server closed the connection".into());
            }
            read += n;
            if complete_length(&answer[..read]).is_some_and(|length| read >= length) {
                break;
            }
            if read == answer.len() {
                return Err("answer larger than expected".into());
            }
        }
        self.idle.lock().map_err(|e| e.to_string())?.push(stream);
        Ok(())
    }
}

/// The whole answer's length (head and body) once its head has arrived.
fn complete_length(answer: &[u8]) -> Option<usize> {
    let text = std::str::from_utf8(answer).ok()?;
    let head_end = text.find("\r\n\r\n")? + 4;
    let length = text[..head_end]
        .lines()
        .find_map(|line| line.strip_prefix("content-length: "))?
        .trim()
        .parse::<usize>()
        .ok()?;
    Some(head_end + length)
}

impl Sdk {
    fn name(&self) -> &'static str {
        match self {
            Sdk::Ours(_) => "ours",
            Sdk::Peer(_) => "tencent-sdk",
            Sdk::Floor(_) => "floor",
        }
    }

    fn build(name: &str, endpoint: &str) -> Result<Self, String> {
        match name {
            "ours" => {
                let credentials =
                    Credentials::new(SECRET_ID, SECRET_KEY).map_err(|e| e.to_string())?;
                let config = Config::builder()
                    .credentials(credentials)
                    .region(REGION)
                    .endpoint(endpoint)
                    .build()
                    .map_err(|e| e.to_string())?;
                Ok(Sdk::Ours(cvm::Client::new(&config)))
            }
            "tencent-sdk" => {
                let client = tencent_sdk::Client::builder(endpoint)
                    .and_then(|builder| {
                        builder
                            .auth(tencent_sdk::Auth::tc3(SECRET_ID, SECRET_KEY))
                            .endpoint_mode(tencent_sdk::client::EndpointMode::FixedHost)
                            .default_region(REGION)
                            .no_system_proxy(true)
                            .build()
                    })
                    .map_err(|e| e.to_string())?;
                Ok(Sdk::Peer(client))
            }
            "floor" => Ok(Sdk::Floor(Arc::new(Floor::new(endpoint)))),
            other => Err(format!(
                "unknown client {other:?}: ours, tencent-sdk or floor"
            )),
        }
    }

    async fn call(&self) -> Result<(), String> {
        match self {
            Sdk::Ours(client) => client
                .terminate_instances()
                .instance_ids([INSTANCE])
                .send()
                .await
                .map(drop)
                .map_err(|e| e.to_string()),
            Sdk::Peer(client) => {
                let request =
                    tencent_sdk::types::cvm::TerminateInstancesRequest::new(REGION, [INSTANCE]);
                client
                    .cvm()
                    .terminate_instances(&request)
                    .await
                    .map(drop)
                    .map_err(|e| e.to_string())
            }
            Sdk::Floor(floor) => floor.call().await,
        }
    }
}

/// CPU time this process has used so far: user, system.
fn cpu_time() -> (Duration, Duration) {
    // SAFETY: getrusage writes into the zeroed struct we own; RUSAGE_SELF is always valid.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let time = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    (time(usage.ru_utime), time(usage.ru_stime))
}

#[derive(Clone, Copy, Debug, Default)]
struct Figures {
    calls_per_second: f64,
    p50_us: f64,
    p99_us: f64,
    cpu_us_per_call: f64,
    user_us_per_call: f64,
    allocations_per_call: f64,
    bytes_per_call: f64,
}

/// `calls` calls spread over `concurrency` tasks, each call awaited before the task's next.
async fn run(sdk: &Sdk, calls: usize, concurrency: usize) -> Result<Figures, String> {
    let per_task = calls.div_ceil(concurrency);
    let total = per_task * concurrency;
    let (allocations, allocated, _) = counts();
    let cpu = cpu_time();
    let started = Instant::now();
    let tasks: Vec<_> = (0..concurrency)
        .map(|_| {
            let sdk = sdk.clone();
            tokio::spawn(async move {
                let mut latencies = Vec::with_capacity(per_task);
                for _ in 0..per_task {
                    let call_started = Instant::now();
                    sdk.call().await?;
                    latencies.push(call_started.elapsed());
                }
                Ok::<_, String>(latencies)
            })
        })
        .collect();
    let mut latencies = Vec::with_capacity(total);
    for task in tasks {
        latencies.extend(task.await.map_err(|e| e.to_string())??);
    }
    let wall = started.elapsed();
    let (user, system) = cpu_time();
    let (user, cpu) = (user - cpu.0, user + system - cpu.0 - cpu.1);
    let (allocations_after, allocated_after, _) = counts();
    let (allocations, allocated) = (allocations_after - allocations, allocated_after - allocated);
    latencies.sort_unstable();
    let percentile = |p: f64| {
        let index = ((latencies.len() as f64 * p) as usize).min(latencies.len() - 1);
        latencies[index].as_secs_f64() * 1e6
    };
    let n = total as f64;
    Ok(Figures {
        calls_per_second: n / wall.as_secs_f64(),
        p50_us: percentile(0.50),
        p99_us: percentile(0.99),
        cpu_us_per_call: cpu.as_secs_f64() * 1e6 / n,
        user_us_per_call: user.as_secs_f64() * 1e6 / n,
        // The latency vectors are the bench's own, a few per task: not counted against a call.
        allocations_per_call: allocations as f64 / n,
        bytes_per_call: allocated as f64 / n,
    })
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Bytes a built client holds while idle, and bytes held per call in flight at `concurrency`.
async fn memory(name: &str, endpoint: &str, concurrency: usize) -> Result<(f64, f64), String> {
    const CLIENTS: usize = 100;
    let before = counts().2;
    let clients = (0..CLIENTS)
        .map(|_| Sdk::build(name, endpoint))
        .collect::<Result<Vec<_>, _>>()?;
    let per_client = (counts().2 - before) as f64 / CLIENTS as f64;
    drop(clients);

    let sdk = Sdk::build(name, endpoint)?;
    run(&sdk, concurrency, concurrency).await?;
    PASS_LIVE.store(0, Ordering::Relaxed);
    PASS_PEAK.store(0, Ordering::Relaxed);
    IN_PASS.store(true, Ordering::Relaxed);
    let figures = run(&sdk, concurrency * 20, concurrency).await;
    IN_PASS.store(false, Ordering::Relaxed);
    figures?;
    let per_call = PASS_PEAK.load(Ordering::Relaxed) as f64 / concurrency as f64;
    Ok((per_client, per_call))
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_server() -> Result<(Server, String), String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let path = exe.with_file_name("fixed_answer_server");
    let mut child = Command::new(&path)
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", path.display()))?;
    let stdout = child.stdout.take().ok_or("server has no stdout")?;
    let server = Server(child);
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .map_err(|e| format!("server said nothing: {e}"))?;
    Ok((server, line.trim().to_owned()))
}

struct Options {
    calls: usize,
    rounds: usize,
    concurrency: Vec<usize>,
    clients: Vec<String>,
    one_core: bool,
}

fn options() -> Result<Options, String> {
    let mut options = Options {
        calls: 20_000,
        rounds: 3,
        concurrency: vec![1, 16, 64, 256],
        clients: vec!["ours".into(), "tencent-sdk".into(), "floor".into()],
        one_core: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        if flag == "--one-core" {
            options.one_core = true;
            continue;
        }
        let value = args.next().ok_or(format!("{flag} needs a value"))?;
        let number = |v: &str| v.parse::<usize>().map_err(|e| format!("{flag} {v:?}: {e}"));
        match flag.as_str() {
            "--calls" => options.calls = number(&value)?.max(1),
            "--rounds" => options.rounds = number(&value)?.max(1),
            "--concurrency" => {
                options.concurrency = value
                    .split(',')
                    .map(|v| number(v).map(|c| c.max(1)))
                    .collect::<Result<_, _>>()?
            }
            "--clients" => options.clients = value.split(',').map(str::to_owned).collect(),
            _ => return Err(format!("unknown flag {flag}")),
        }
    }
    Ok(options)
}

/// Keeps this process, and the server it starts, to the first core it may run on.
fn pin_to_one_core() -> Result<usize, String> {
    // SAFETY: the set is a plain bit set we own, read and written only through libc's macros;
    // pid 0 is this process.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        let size = std::mem::size_of::<libc::cpu_set_t>();
        if libc::sched_getaffinity(0, size, &mut set) != 0 {
            return Err(format!(
                "sched_getaffinity: {}",
                std::io::Error::last_os_error()
            ));
        }
        let core = (0..libc::CPU_SETSIZE as usize)
            .find(|&core| libc::CPU_ISSET(core, &set))
            .ok_or("this process may run on no core")?;
        libc::CPU_ZERO(&mut set);
        libc::CPU_SET(core, &mut set);
        if libc::sched_setaffinity(0, size, &set) != 0 {
            return Err(format!(
                "sched_setaffinity: {}",
                std::io::Error::last_os_error()
            ));
        }
        Ok(core)
    }
}

async fn bench(options: Options) -> Result<(), String> {
    let (_server, endpoint) = start_server()?;
    let placement = match options.one_core {
        true => "bench, its one worker and the server on one core".to_owned(),
        false => format!(
            "{} tokio workers, the server on its own thread",
            tokio::runtime::Handle::current().metrics().num_workers()
        ),
    };
    println!(
        "server {endpoint}, {} calls per run; {placement}",
        options.calls
    );
    let sdks = options
        .clients
        .iter()
        .map(|name| Sdk::build(name, &endpoint).map(Arc::new))
        .collect::<Result<Vec<_>, _>>()?;
    let mut results: BTreeMap<(usize, &str), Vec<Figures>> = BTreeMap::new();
    println!(
        "{:>5} {:>12} {:>4} {:>10} {:>9} {:>9} {:>8} {:>8} {:>7} {:>7}",
        "round",
        "client",
        "c",
        "calls/s",
        "p50 µs",
        "p99 µs",
        "CPU µs",
        "user µs",
        "allocs",
        "bytes"
    );
    for round in 1..=options.rounds {
        for &concurrency in &options.concurrency {
            // Alternating clients within a round puts both under the same machine noise.
            for sdk in &sdks {
                run(sdk, concurrency * 4, concurrency).await?;
                let f = run(sdk, options.calls, concurrency).await?;
                println!(
                    "{round:>5} {:>12} {concurrency:>4} {:>10.0} {:>9.1} {:>9.1} {:>8.2} {:>8.2} {:>7.1} {:>7.0}",
                    sdk.name(),
                    f.calls_per_second,
                    f.p50_us,
                    f.p99_us,
                    f.cpu_us_per_call,
                    f.user_us_per_call,
                    f.allocations_per_call,
                    f.bytes_per_call
                );
                results
                    .entry((concurrency, sdk.name()))
                    .or_default()
                    .push(f);
            }
        }
    }
    println!("\nmedians of {} rounds", options.rounds);
    println!(
        "{:>12} {:>4} {:>10} {:>9} {:>9} {:>8} {:>8} {:>7} {:>7}",
        "client", "c", "calls/s", "p50 µs", "p99 µs", "CPU µs", "user µs", "allocs", "bytes"
    );
    for ((concurrency, name), figures) in &results {
        let pick = |f: fn(&Figures) -> f64| median(&mut figures.iter().map(f).collect::<Vec<_>>());
        println!(
            "{name:>12} {concurrency:>4} {:>10.0} {:>9.1} {:>9.1} {:>8.2} {:>8.2} {:>7.1} {:>7.0}",
            pick(|f| f.calls_per_second),
            pick(|f| f.p50_us),
            pick(|f| f.p99_us),
            pick(|f| f.cpu_us_per_call),
            pick(|f| f.user_us_per_call),
            pick(|f| f.allocations_per_call),
            pick(|f| f.bytes_per_call)
        );
    }
    println!("\nmemory (bytes)");
    let in_flight = options.concurrency.iter().copied().max().unwrap_or(1);
    for name in &options.clients {
        let (per_client, per_call) = memory(name, &endpoint, in_flight).await?;
        println!(
            "{name:>12}: {per_client:.0} per idle client, {per_call:.0} per call in flight (c={in_flight})"
        );
    }
    Ok(())
}

fn main() {
    let run = || -> Result<(), String> {
        let options = options()?;
        let mut runtime = tokio::runtime::Builder::new_multi_thread();
        if options.one_core {
            pin_to_one_core()?;
            runtime.worker_threads(1);
        }
        let runtime = runtime.enable_all().build().map_err(|e| e.to_string())?;
        runtime.block_on(bench(options))
    };
    if let Err(e) = run() {
        eprintln!("call_bench: {e}");
        std::process::exit(1);
    }
}
