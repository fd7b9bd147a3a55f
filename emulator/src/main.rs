//! `tencentcloud-emulator`: serves the local Tencent Cloud API emulator until Ctrl-C.
//!
//! The first line on stdout is `listening on http://<addr>`, for programs that start it on port 0.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use tencentcloud_emulator::{
    ADMIN_PATH, DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, DEFAULT_SPECS_DIR, Emulator, ServerLimits,
};

/// A local, spec-driven stand-in for Tencent Cloud API 3.0.
#[derive(Parser)]
#[command(version, about)]
struct Args {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:9000")]
    listen: String,
    /// Secret id clients sign with.
    #[arg(long, default_value = DEFAULT_SECRET_ID)]
    secret_id: String,
    /// Secret key clients sign with [default: emulator-secret-key].
    #[arg(long, hide_default_value = true, default_value = DEFAULT_SECRET_KEY)]
    secret_key: String,
    /// Session token clients must send in X-TC-Token (temporary credentials).
    #[arg(long)]
    token: Option<String>,
    /// Directory of the API specs [default: the workspace's specs/].
    #[arg(long)]
    specs_dir: Option<PathBuf>,
    /// Do not enforce the documented per-action rate limits (for load tests).
    #[arg(long)]
    no_rate_limits: bool,
    /// Seed of the RNG behind probabilistic faults.
    #[arg(long, default_value_t = 0)]
    fault_seed: u64,
    /// Seed the resources the reference pages' examples use (ins-3jaw1j8m, link-11112222,
    /// link-11113333, link-4ftf12sb, vpngw-7lcl5331 with vpnx-p0j11j28).
    #[arg(long)]
    seed_examples: bool,
    /// Seconds a client may take to send a request's headers.
    #[arg(long, default_value_t = ServerLimits::default().header_read_timeout.as_secs(), value_parser = clap::value_parser!(u64).range(1..))]
    header_read_timeout: u64,
    /// Seconds a connection may stay open with no request in progress.
    #[arg(long, default_value_t = ServerLimits::default().idle_timeout.as_secs(), value_parser = clap::value_parser!(u64).range(1..))]
    idle_timeout: u64,
    /// Seconds a client may take to send a request's body once its headers arrived.
    #[arg(long, default_value_t = ServerLimits::default().body_read_timeout.as_secs(), value_parser = clap::value_parser!(u64).range(1..))]
    body_read_timeout: u64,
    /// Open connections at most; a new one beyond closes the one idle longest [default: 4096,
    /// or less to fit the open-file limit].
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    max_connections: Option<u64>,
    /// MiB of request bodies being read, beyond 64 KiB of each, all connections may hold.
    #[arg(long, default_value_t = 256, value_parser = clap::value_parser!(u64).range(1..))]
    body_memory_mib: u64,
    /// How many calls the request log keeps, oldest dropped first.
    #[arg(long, default_value_t = 100_000)]
    request_log_capacity: usize,
    /// Serve the CVM metadata service's credential paths with this CAM role bound
    /// (`/latest/meta-data/cam/security-credentials/<role>`), handing out temporary credentials
    /// the emulator accepts.
    #[arg(long)]
    instance_role: Option<String>,
    /// Seconds the temporary credentials the emulator hands out (STS, the metadata service)
    /// stay valid at most, whatever a request asks for [default: as asked, two hours when not].
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    credential_lifetime: Option<u64>,
    /// Serve HTTPS with a certificate made for this run (for 127.0.0.1, ::1 and localhost),
    /// written to this file as PEM for clients to trust (tccli: REQUESTS_CA_BUNDLE=<file>).
    #[arg(long, value_name = "CERT_FILE")]
    tls: Option<PathBuf>,
    /// Keep the state in this file: read at start when it exists, written at shutdown.
    #[arg(long)]
    state_file: Option<PathBuf>,
    /// Print how many actions keep state and how many answer from examples, then exit.
    #[arg(long)]
    coverage: bool,
    /// With --coverage, first print each action (service, version, action, `state` or
    /// `examples`, and the resource and effect it keeps), one per line, tab-separated.
    #[arg(long, requires = "coverage")]
    actions: bool,
}

impl Args {
    fn limits(&self) -> ServerLimits {
        let defaults = ServerLimits::default();
        ServerLimits {
            header_read_timeout: Duration::from_secs(self.header_read_timeout),
            idle_timeout: Duration::from_secs(self.idle_timeout),
            body_read_timeout: Duration::from_secs(self.body_read_timeout),
            max_connections: self.max_connections.map_or(defaults.max_connections, |n| {
                usize::try_from(n).unwrap_or(usize::MAX)
            }),
            body_memory: usize::try_from(self.body_memory_mib.saturating_mul(1024 * 1024))
                .unwrap_or(usize::MAX),
        }
    }
}

fn say(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let args = Args::parse();
    if args.coverage {
        let dir = args
            .specs_dir
            .clone()
            .unwrap_or_else(|| PathBuf::from(tencentcloud_emulator::DEFAULT_SPECS_DIR));
        return match tencentcloud_emulator::coverage(&dir) {
            Ok(report) => {
                if args.actions {
                    let lines: String = report.actions.iter().map(|a| format!("{a}\n")).collect();
                    say(&lines);
                }
                say(&format!("{}\n", report.counts));
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        };
    }
    let mut builder = Emulator::builder()
        .rate_limits(!args.no_rate_limits)
        .fault_seed(args.fault_seed)
        .limits(args.limits())
        .request_log_capacity(args.request_log_capacity);
    if let Some(role) = &args.instance_role {
        builder = builder.instance_role(role);
    }
    if let Some(seconds) = args.credential_lifetime {
        builder = builder.credential_lifetime(seconds);
    }
    builder = match args.token {
        Some(token) => builder.credential_with_token(&args.secret_id, &args.secret_key, token),
        None => builder.credential(&args.secret_id, &args.secret_key),
    };
    if let Some(dir) = &args.specs_dir {
        builder = builder.specs_dir(dir);
    }
    if args.tls.is_some() {
        builder = builder.tls();
    }
    let emulator = match builder.build() {
        Ok(emulator) => emulator,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let handle = match emulator.start(&args.listen).await {
        Ok(handle) => handle,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    if args.seed_examples
        && let Err(e) = handle.seed_reference_examples()
    {
        eprintln!("error: {e}");
        return ExitCode::FAILURE;
    }
    if let (Some(path), Some(pem)) = (&args.tls, handle.tls_certificate_pem())
        && let Err(e) = write_whole(path, pem.as_bytes())
    {
        eprintln!("error: certificate file {}: {e}", path.display());
        return ExitCode::FAILURE;
    }
    if let Some(path) = &args.state_file
        && let Err(e) = restore(&handle, path)
    {
        eprintln!("error: state file {}: {e}", path.display());
        return ExitCode::FAILURE;
    }
    let specs = args
        .specs_dir
        .map(|d| d.display().to_string())
        .unwrap_or_else(|| format!("{DEFAULT_SPECS_DIR} (built-in default)"));
    let key_source = if args.secret_key == DEFAULT_SECRET_KEY {
        "the default (see --help)"
    } else {
        "set by --secret-key"
    };
    // The handler is installed before the banner says we serve: whoever reads the banner and
    // then sends SIGINT must find it installed, not kill an unprepared process.
    let interrupted = match Interrupt::install() {
        Ok(interrupted) => interrupted,
        Err(e) => {
            eprintln!("error: cannot wait for Ctrl-C: {e}");
            return ExitCode::from(1);
        }
    };
    let mut banner = format!("listening on {}\n", handle.endpoint());
    banner += &format!("  secret id:   {}\n", handle.secret_id());
    banner += &format!("  secret key:  {key_source}\n");
    let folder = handle.specs_folder();
    banner += &format!(
        "  specs:       {specs}: {} services, {} versions, each loaded on its first call\n",
        folder.services, folder.versions
    );
    banner += &format!(
        "  rate limits: {}\n",
        if args.no_rate_limits {
            "off"
        } else {
            "as documented"
        }
    );
    banner += &format!(
        "  admin API:   {}{ADMIN_PATH}/ (unauthenticated)\n",
        handle.endpoint()
    );
    if let Some(path) = &args.tls {
        banner += &format!(
            "  certificate: {} (trust it to call over HTTPS)\n",
            path.display()
        );
    }
    banner += "press Ctrl-C to stop\n";
    // Whoever started us may have stopped reading stdout after the first line; serving goes on.
    say(&banner);
    interrupted.wait().await;
    say("shutting down\n");
    let saved = args
        .state_file
        .as_deref()
        .map(|path| (path, save(&handle, path)));
    handle.shutdown().await;
    match saved {
        Some((path, Err(e))) => {
            eprintln!("error: state file {}: {e}", path.display());
            ExitCode::FAILURE
        }
        _ => ExitCode::SUCCESS,
    }
}

/// Restores the state `path` holds, when the file exists.
fn restore(handle: &tencentcloud_emulator::EmulatorHandle, path: &Path) -> Result<(), String> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e.to_string()),
    };
    let snapshot = serde_json::from_slice(&bytes).map_err(|e| format!("not a snapshot: {e}"))?;
    handle.restore(snapshot).map_err(|e| e.to_string())
}

/// Writes the state to `path`, through a file beside it renamed over it, so a crash while
/// writing leaves the previous state whole.
fn save(handle: &tencentcloud_emulator::EmulatorHandle, path: &Path) -> Result<(), String> {
    let text = serde_json::to_vec_pretty(&handle.snapshot()).map_err(|e| e.to_string())?;
    write_whole(path, &text)
}

/// Writes `bytes` to `path` through a `.partial` file renamed over it, so that a reader never
/// sees half of it.
fn write_whole(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    std::fs::write(&partial, bytes).map_err(|e| e.to_string())?;
    std::fs::rename(&partial, path).map_err(|e| e.to_string())
}

/// Ctrl-C (SIGINT), listened for from the moment it is installed.
struct Interrupt {
    #[cfg(unix)]
    signal: tokio::signal::unix::Signal,
}

impl Interrupt {
    fn install() -> std::io::Result<Interrupt> {
        Ok(Interrupt {
            #[cfg(unix)]
            signal: tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())?,
        })
    }

    async fn wait(mut self) {
        #[cfg(unix)]
        self.signal.recv().await;
        #[cfg(not(unix))]
        if let Err(e) = tokio::signal::ctrl_c().await {
            eprintln!("error: cannot wait for Ctrl-C: {e}");
        }
    }
}
