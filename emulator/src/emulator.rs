//! Building an emulator: credentials, spec source and knobs, checked once up front.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use crate::auth::Credential;
use crate::body::BodyBudget;
use crate::catalog::{Catalog, ServedService};
use crate::connections::Connections;
use crate::faults::{Fault, FaultError, FaultPlan};
use crate::handle::EmulatorHandle;
use crate::keyring::Keyring;
use crate::limits::ServerLimits;
use crate::log::{LogEntry, RequestLog};
use crate::rate_limit::RateLimiter;
use crate::specs::{self, DEFAULT_SPECS_DIR};
use crate::state::World;
use crate::tls::{Tls, TlsError};

/// Secret id accepted when the builder is given none.
pub const DEFAULT_SECRET_ID: &str = "AKIDEMULATOR0000000000000000000000000";
/// Secret key of [`DEFAULT_SECRET_ID`]. It guards nothing: the emulator holds no real resources.
pub const DEFAULT_SECRET_KEY: &str = "emulator-secret-key";
/// Path prefix of the admin HTTP API; no Tencent action lives under it.
pub const ADMIN_PATH: &str = "/_emulator";
/// Largest request body accepted, as the real API does for TC3-signed `POST`s.
pub const DEFAULT_MAX_BODY_BYTES: usize = 10 * 1024 * 1024;
const DEFAULT_LOG_CAPACITY: usize = 100_000;

/// Why an emulator could not be built.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("the specs in {} have problems:\n{diagnostics}", dir.display())]
    Specs {
        dir: PathBuf,
        diagnostics: tencentcloud_spec::Diagnostics,
    },
    #[error("spec {path}: {problem}")]
    SpecModel { path: String, problem: String },
    #[error("no service specs (<service>/<version>.json) in {}", dir.display())]
    NoServices { dir: PathBuf },
    #[error("a credential has an empty secret id or secret key")]
    EmptyCredential,
    #[error(transparent)]
    Tls(#[from] TlsError),
}

/// Configures an [`Emulator`]; see [`Emulator::builder`].
#[derive(Debug, Clone)]
pub struct EmulatorBuilder {
    credentials: Vec<CredentialSeed>,
    specs_dir: Option<PathBuf>,
    compiled: Option<CompiledSpecs>,
    rate_limits: bool,
    fault_seed: u64,
    request_log_capacity: usize,
    max_body_bytes: usize,
    limits: ServerLimits,
    instance_role: Option<String>,
    credential_lifetime: Option<u64>,
    tls: bool,
}

/// How long temporary credentials the emulator hands out stay valid when the request does not
/// say: `AssumeRole`'s default, two hours.
pub const DEFAULT_CREDENTIAL_LIFETIME_SECS: u64 = 7_200;

#[derive(Clone)]
struct CredentialSeed {
    secret_id: String,
    secret_key: String,
    token: Option<String>,
}

impl std::fmt::Debug for CredentialSeed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CredentialSeed")
            .field("secret_id", &self.secret_id)
            .field("secret_key", &"<redacted>")
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl Default for EmulatorBuilder {
    fn default() -> Self {
        EmulatorBuilder {
            credentials: Vec::new(),
            specs_dir: None,
            compiled: None,
            rate_limits: true,
            fault_seed: 0,
            request_log_capacity: DEFAULT_LOG_CAPACITY,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            limits: ServerLimits::default(),
            instance_role: None,
            credential_lifetime: None,
            tls: false,
        }
    }
}

impl EmulatorBuilder {
    /// Accepts requests signed with this key pair. May be called several times; the first
    /// credential is the one [`EmulatorHandle::secret_id`] reports. Without any,
    /// [`DEFAULT_SECRET_ID`]/[`DEFAULT_SECRET_KEY`] are accepted.
    pub fn credential(
        mut self,
        secret_id: impl Into<String>,
        secret_key: impl Into<String>,
    ) -> Self {
        self.credentials.push(CredentialSeed {
            secret_id: secret_id.into(),
            secret_key: secret_key.into(),
            token: None,
        });
        self
    }

    /// Accepts this temporary credential: requests must carry `token` in `X-TC-Token`.
    pub fn credential_with_token(
        mut self,
        secret_id: impl Into<String>,
        secret_key: impl Into<String>,
        token: impl Into<String>,
    ) -> Self {
        self.credentials.push(CredentialSeed {
            secret_id: secret_id.into(),
            secret_key: secret_key.into(),
            token: Some(token.into()),
        });
        self
    }

    /// Serves the CVM instance metadata service's credential paths with `role` bound, as on an
    /// instance with that CAM role: `GET /latest/meta-data/cam/security-credentials/` answers
    /// the role's name, and `…/<role>` temporary credentials the emulator then accepts. Without
    /// a role, those paths answer 404, as on an instance without one.
    pub fn instance_role(mut self, role: impl Into<String>) -> Self {
        self.instance_role = Some(role.into());
        self
    }

    /// Seconds the temporary credentials the emulator hands out (STS `AssumeRole`,
    /// `GetFederationToken`, `AssumeRoleWithWebIdentity`; the metadata service) stay valid at
    /// most, whatever `DurationSeconds` a request asks for: for tests of what happens when they
    /// expire. Without it, they live as long as asked, [`DEFAULT_CREDENTIAL_LIFETIME_SECS`]
    /// when not asked.
    pub fn credential_lifetime(mut self, seconds: u64) -> Self {
        self.credential_lifetime = Some(seconds);
        self
    }

    /// Serves HTTPS instead of HTTP, with a certificate made for this emulator (for
    /// `127.0.0.1`, `::1` and `localhost`) that clients must be told to trust:
    /// [`EmulatorHandle::tls_certificate_pem`]. For clients that cannot speak plain HTTP, such
    /// as tccli.
    pub fn tls(mut self) -> Self {
        self.tls = true;
        self
    }

    /// Serves the specs folder `dir` instead of the workspace's `specs/` ([`DEFAULT_SPECS_DIR`]).
    /// Start-up reads only its listing and its `common.json`; each service is loaded and
    /// compiled on its first call, so a folder of the whole catalog costs memory only for the
    /// services called.
    pub fn specs_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.specs_dir = Some(dir.into());
        self.compiled = None;
        self
    }

    /// Serves the specs of a [`CompiledSpecs`] instead of indexing them again: a program (or a
    /// test suite) starting many emulators compiles each service once. The last of this and
    /// [`specs_dir`](Self::specs_dir) called decides where the specs come from.
    pub fn compiled_specs(mut self, specs: CompiledSpecs) -> Self {
        self.compiled = Some(specs);
        self
    }

    /// Enforces the documented per-action rate limits (default `true`).
    pub fn rate_limits(mut self, enabled: bool) -> Self {
        self.rate_limits = enabled;
        self
    }

    /// Seed of the RNG behind probabilistic faults (default 0), to replay a run exactly.
    pub fn fault_seed(mut self, seed: u64) -> Self {
        self.fault_seed = seed;
        self
    }

    /// How many calls the request log keeps, oldest dropped first (default 100,000; 0 keeps none).
    pub fn request_log_capacity(mut self, capacity: usize) -> Self {
        self.request_log_capacity = capacity;
        self
    }

    /// Largest request body accepted (default [`DEFAULT_MAX_BODY_BYTES`]); larger ones get
    /// `RequestSizeLimitExceeded`.
    pub fn max_body_bytes(mut self, bytes: usize) -> Self {
        self.max_body_bytes = bytes;
        self
    }

    /// Time, connection and memory limits on clients (default [`ServerLimits::default`]).
    pub fn limits(mut self, limits: ServerLimits) -> Self {
        self.limits = limits;
        self
    }

    /// Indexes the specs folder, unless [`compiled_specs`](Self::compiled_specs) gave it.
    pub fn build(self) -> Result<Emulator, BuildError> {
        let CompiledSpecs { catalog, specs_dir } = match self.compiled {
            Some(compiled) => compiled,
            None => CompiledSpecs::load(self.specs_dir)?,
        };
        let mut seeds = self.credentials;
        if seeds.is_empty() {
            seeds.push(CredentialSeed {
                secret_id: DEFAULT_SECRET_ID.to_string(),
                secret_key: DEFAULT_SECRET_KEY.to_string(),
                token: None,
            });
        }
        if seeds
            .iter()
            .any(|c| c.secret_id.is_empty() || c.secret_key.is_empty())
        {
            return Err(BuildError::EmptyCredential);
        }
        let primary_secret_id = seeds[0].secret_id.clone();
        let tls = if self.tls {
            Some(Tls::self_signed()?)
        } else {
            None
        };
        let keyring = Keyring::new(
            seeds
                .into_iter()
                .map(|c| (c.secret_id, Credential::new(c.secret_key, c.token))),
        );
        Ok(Emulator {
            shared: Arc::new(Shared {
                catalog,
                keyring,
                instance_role: self.instance_role,
                tls,
                credential_lifetime: self.credential_lifetime,
                primary_secret_id,
                specs_dir,
                world: Mutex::new(World::default()),
                faults: Mutex::new(FaultPlan::new(self.fault_seed)),
                faults_armed: AtomicBool::new(false),
                rate_limiter: RateLimiter::new(self.rate_limits),
                log: RequestLog::new(self.request_log_capacity),
                max_body_bytes: self.max_body_bytes,
                body_budget: BodyBudget::new(self.limits.body_memory),
                connections: Connections::new(self.limits.max_connections),
                limits: self.limits,
            }),
        })
    }
}

/// A configured emulator, ready to [`start`](Emulator::start).
///
/// ```no_run
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// use tencentcloud_emulator::{Emulator, Instance};
/// let emulator = Emulator::builder().credential("AKIDtest", "test-key").build()?;
/// let handle = emulator.start("127.0.0.1:0").await?;
/// handle.seed_instance(Instance::new("ins-3jaw1j8m"))?;
/// println!("point the SDK at {}", handle.endpoint());
/// handle.shutdown().await;
/// # Ok(()) }
/// ```
pub struct Emulator {
    shared: Arc<Shared>,
}

impl Emulator {
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder::default()
    }

    /// The services called so far, with their actions.
    pub fn served_services(&self) -> Vec<ServedService> {
        self.shared.catalog.served()
    }

    /// Binds `addr` (e.g. `"127.0.0.1:0"` for any free port) and serves until the handle is shut
    /// down or dropped.
    pub async fn start(self, addr: &str) -> Result<EmulatorHandle, StartError> {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| StartError::Bind {
                addr: addr.to_string(),
                source,
            })?;
        EmulatorHandle::serve(self.shared, listener).map_err(StartError::LocalAddr)
    }
}

/// Why an emulator could not start serving.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: String,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot read the bound address: {0}")]
    LocalAddr(#[source] std::io::Error),
}

/// A specs folder indexed for serving, its services compiled on their first call, shared by
/// any number of emulators: cheap to clone, and each emulator built from it keeps its own state.
#[derive(Clone)]
pub struct CompiledSpecs {
    catalog: Arc<Catalog>,
    specs_dir: PathBuf,
}

impl CompiledSpecs {
    /// Indexes `specs_dir` (the workspace's `specs/` when `None`, see [`DEFAULT_SPECS_DIR`]):
    /// its listing and its `common.json` are read and validated now, each service's specs when
    /// the service is first called. A service whose specs turn out broken answers
    /// `InternalError` naming the problems.
    pub fn load(specs_dir: Option<PathBuf>) -> Result<Self, BuildError> {
        let specs_dir = specs_dir.unwrap_or_else(|| PathBuf::from(DEFAULT_SPECS_DIR));
        Ok(Self {
            catalog: Arc::new(Catalog::open(specs::open(&specs_dir)?)),
            specs_dir,
        })
    }
}

impl std::fmt::Debug for CompiledSpecs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CompiledSpecs")
            .field("specs_dir", &self.specs_dir)
            .finish_non_exhaustive()
    }
}

/// State shared by the server, the admin API and the handle.
pub(crate) struct Shared {
    pub catalog: Arc<Catalog>,
    pub keyring: Keyring,
    /// HTTPS, when served.
    pub tls: Option<Tls>,
    /// The role the CVM metadata service stand-in reports, when it serves one.
    pub instance_role: Option<String>,
    /// Seconds temporary credentials the emulator hands out stay valid at most, when limited.
    pub credential_lifetime: Option<u64>,
    pub primary_secret_id: String,
    pub specs_dir: PathBuf,
    pub world: Mutex<World>,
    faults: Mutex<FaultPlan>,
    /// Lets calls skip the fault lock while nothing is scripted.
    faults_armed: AtomicBool,
    pub rate_limiter: RateLimiter,
    pub log: RequestLog,
    pub max_body_bytes: usize,
    pub limits: ServerLimits,
    pub body_budget: BodyBudget,
    pub connections: Connections,
}

impl Shared {
    /// The world, even if a thread panicked while holding it: state stays usable for inspection.
    /// Every change of state due by now has happened in the world returned.
    pub fn world(&self) -> MutexGuard<'_, World> {
        let mut world = self.world.lock().unwrap_or_else(|p| p.into_inner());
        world.settle(Some(std::time::Instant::now()));
        world
    }

    fn fault_plan(&self) -> MutexGuard<'_, FaultPlan> {
        self.faults.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn specs_dir(&self) -> &Path {
        &self.specs_dir
    }

    pub fn next_fault(&self, action: &str) -> Option<Fault> {
        if !self.faults_armed.load(Ordering::Acquire) {
            return None;
        }
        let mut plan = self.fault_plan();
        let fault = plan.next(action);
        self.faults_armed.store(!plan.is_empty(), Ordering::Release);
        fault
    }

    pub fn script_fault(&self, action: &str, fault: Fault, times: u32) -> Result<(), FaultError> {
        let mut plan = self.fault_plan();
        plan.script(action, fault, times)?;
        self.faults_armed.store(!plan.is_empty(), Ordering::Release);
        Ok(())
    }

    pub fn set_fault_rate(
        &self,
        action: &str,
        fault: Fault,
        probability: f64,
    ) -> Result<(), FaultError> {
        let mut plan = self.fault_plan();
        plan.set_rate(action, fault, probability)?;
        self.faults_armed.store(!plan.is_empty(), Ordering::Release);
        Ok(())
    }

    pub fn set_fault_seed(&self, seed: u64) {
        self.fault_plan().reseed(seed);
    }

    pub fn clear_faults(&self) {
        let mut plan = self.fault_plan();
        plan.clear();
        self.faults_armed.store(false, Ordering::Release);
    }

    pub fn request_log(&self) -> Vec<LogEntry> {
        self.log.snapshot()
    }

    /// Back to a fresh start: no resources, remembered tokens, faults, log or rate-limit history.
    pub fn reset(&self) {
        self.world().clear();
        self.clear_faults();
        self.log.clear();
        self.rate_limiter.reset();
    }
}
