//! The harness the end-to-end tests share: the emulator started in-process on loopback, SDK
//! clients pointed at it with fast retries, and assertions that tie what the SDK reports to what
//! the emulator's request log recorded.

use std::fmt::{Debug, Display};
use std::sync::{Arc, LazyLock, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tencentcloud_emulator::{
    CompiledSpecs, Emulator, EmulatorBuilder, EmulatorHandle, Instance, InstanceState, LogEntry,
    Proxy,
};
use tencentcloud_runtime::{Config, ConfigBuilder, Credentials, ProvideErrorMetadata, RetryConfig};
use tencentcloud_sdk::cvm::v20170312::{TerminateInstancesError, TerminateInstancesOutput};
use tencentcloud_sdk::gaap::v20180529::{DestroyProxiesError, DestroyProxiesOutput};
use tencentcloud_sdk::vpc::v20170312::{DeleteVpnConnectionError, DeleteVpnConnectionOutput};
use tencentcloud_sdk::{cvm, gaap, vpc};

// The macros below name these through `$crate`, so a test needs no imports for them.
pub use tencentcloud_runtime::{SdkError, ServiceError};

pub const SECRET_ID: &str = "AKIDe2eTests000000000000000000000001";
pub const SECRET_KEY: &str = "e2e-tests-secret-key";
/// The region resources are seeded in and clients send.
pub const REGION: &str = tencentcloud_emulator::DEFAULT_REGION;

/// An emulator accepting [`SECRET_ID`]/[`SECRET_KEY`], with rate limits off so that tests running
/// in parallel never throttle each other; rate-limit tests turn them on.
pub fn emulator_builder() -> EmulatorBuilder {
    Emulator::builder()
        .compiled_specs(SPECS.clone())
        .credential(SECRET_ID, SECRET_KEY)
        .rate_limits(false)
}

/// The workspace specs, loaded and compiled once for every emulator a test binary starts.
static SPECS: LazyLock<CompiledSpecs> =
    LazyLock::new(|| CompiledSpecs::load(None).expect("the workspace specs load"));

pub async fn start_emulator() -> EmulatorHandle {
    start_emulator_with(emulator_builder()).await
}

pub async fn start_emulator_with(builder: EmulatorBuilder) -> EmulatorHandle {
    builder
        .build()
        .expect("the workspace specs load")
        .start("127.0.0.1:0")
        .await
        .expect("the emulator binds a loopback port")
}

/// Three attempts with millisecond backoff: the retry policy of production, minus the waiting.
pub fn fast_retries() -> RetryConfig {
    RetryConfig::default()
        .max_attempts(3)
        .initial_backoff(Duration::from_millis(1))
        .max_backoff(Duration::from_millis(5))
}

pub fn credentials() -> Credentials {
    Credentials::new(SECRET_ID, SECRET_KEY).expect("valid test credentials")
}

/// Configuration for the emulator at `handle`: test credentials, [`REGION`], [`fast_retries`].
pub fn config_builder(handle: &EmulatorHandle) -> ConfigBuilder {
    Config::builder()
        .credentials(credentials())
        .region(REGION)
        .endpoint(handle.endpoint())
        .retry(fast_retries())
        .attempt_timeout(Duration::from_secs(10))
}

pub fn config(handle: &EmulatorHandle) -> Config {
    config_builder(handle).build().expect("valid config")
}

pub fn cvm(handle: &EmulatorHandle) -> cvm::v20170312::Client {
    cvm::v20170312::Client::new(&config(handle))
}

pub fn gaap(handle: &EmulatorHandle) -> gaap::v20180529::Client {
    gaap::v20180529::Client::new(&config(handle))
}

pub fn vpc(handle: &EmulatorHandle) -> vpc::v20170312::Client {
    vpc::v20170312::Client::new(&config(handle))
}

/// Asserts that `error` is the service error `code` as a user sees it: a non-empty message, a
/// request id that the emulator logged for a call answered with exactly that code, and a
/// `Display` naming the code and the request id. Returns the logged call.
pub fn assert_service_error<E>(handle: &EmulatorHandle, error: &SdkError<E>, code: &str) -> LogEntry
where
    E: ProvideErrorMetadata + Display + Debug,
{
    assert_eq!(error.code(), Some(code), "{error:?}");
    assert!(
        error.message().is_some_and(|m| !m.is_empty()),
        "a service error explains itself: {error:?}"
    );
    let request_id = error.request_id().unwrap_or_default();
    assert!(!request_id.is_empty(), "a request id to quote: {error:?}");
    let shown = error.to_string();
    assert!(
        shown.contains(code) && shown.contains(request_id),
        "Display names the code and request id: {shown}"
    );
    let entry = logged(handle, request_id);
    assert_eq!(
        entry.error_code(),
        Some(code),
        "the emulator answered that request with that code: {entry:?}"
    );
    entry
}

/// The emulator's log entry of the call answered with `request_id`.
pub fn logged(handle: &EmulatorHandle, request_id: &str) -> LogEntry {
    handle
        .request_log()
        .into_iter()
        .find(|entry| entry.request_id == request_id)
        .unwrap_or_else(|| panic!("the emulator logged no call with request id {request_id}"))
}

/// Asserts that a request id returned on success is the one the emulator answered a call with
/// that took effect; returns that call.
pub fn assert_took_effect(handle: &EmulatorHandle, request_id: &str) -> LogEntry {
    let entry = logged(handle, request_id);
    assert!(entry.is_success(), "{entry:?}");
    assert!(entry.took_effect, "{entry:?}");
    entry
}

/// Whether `token` is a UUID of version 4, as the SDK generates idempotency tokens.
pub fn is_uuid_v4(token: &str) -> bool {
    uuid::Uuid::try_parse(token).is_ok_and(|u| u.get_version_num() == 4)
}

/// Seeds a running instance of [`REGION`] for each id.
pub fn seed_instances(handle: &EmulatorHandle, ids: &[&str]) {
    for id in ids {
        handle
            .seed_instance(Instance::new(*id))
            .expect("a valid instance");
    }
}

/// Seeds a running, scalable, unbound proxy of no group for each id.
pub fn seed_proxies(handle: &EmulatorHandle, ids: &[&str]) {
    for id in ids {
        handle.seed_proxy(Proxy::new(*id)).expect("a valid proxy");
    }
}

/// The state of a seeded instance; panics when the emulator does not know it.
pub fn instance_state(handle: &EmulatorHandle, id: &str) -> InstanceState {
    handle
        .instance(id)
        .unwrap_or_else(|| panic!("the emulator knows instance {id}"))
        .instance_state
}

/// `TerminateInstances` of `ids` through the generated CVM client, nothing else set.
pub async fn terminate_instances(
    handle: &EmulatorHandle,
    ids: &[&str],
) -> Result<TerminateInstancesOutput, SdkError<TerminateInstancesError>> {
    cvm(handle)
        .terminate_instances()
        .instance_ids(ids.iter().copied())
        .send()
        .await
}

/// `DestroyProxies` of `ids` with `Force=force` through the generated GAAP client.
pub async fn destroy_proxies(
    handle: &EmulatorHandle,
    force: i64,
    ids: &[&str],
) -> Result<DestroyProxiesOutput, SdkError<DestroyProxiesError>> {
    gaap(handle)
        .destroy_proxies()
        .force(force)
        .proxy_ids(ids.iter().copied())
        .send()
        .await
}

/// `DeleteVpnConnection` of tunnel `connection` on `gateway` through the generated VPC client.
pub async fn delete_vpn_connection(
    handle: &EmulatorHandle,
    gateway: &str,
    connection: &str,
) -> Result<DeleteVpnConnectionOutput, SdkError<DeleteVpnConnectionError>> {
    vpc(handle)
        .delete_vpn_connection()
        .vpn_gateway_id(gateway)
        .vpn_connection_id(connection)
        .send()
        .await
}

/// A call the service refused, as [`expect_service_error!`] checked it.
#[derive(Debug)]
pub struct Refused<E> {
    /// What the SDK returned.
    pub error: SdkError<E>,
    /// The service error inside the expected typed variant.
    pub service_error: ServiceError,
    /// The emulator's log entry of the call.
    pub call: LogEntry,
}

impl<E> Refused<E> {
    /// Asserts that the error message names `what` (the id or parameter at fault).
    pub fn assert_message_names(&self, what: &str) {
        let message = self.service_error.message();
        assert!(
            message.contains(what),
            "the message names {what}: {message}"
        );
    }
}

/// Evaluates to a clone of the [`ServiceError`] inside `$error` (an [`SdkError`] place) when it is
/// the typed variant `$variant`; panics naming what it was otherwise.
#[macro_export]
macro_rules! assert_variant {
    ($error:expr, $variant:path $(,)?) => {
        match &$error {
            $crate::SdkError::Service($variant(service_error)) => service_error.clone(),
            other => panic!("expected {}, got {other:?}", stringify!($variant)),
        }
    };
    ($error:expr, $variant:path => $inner:path $(,)?) => {
        match &$error {
            $crate::SdkError::Service($variant($inner(service_error))) => service_error.clone(),
            other => panic!(
                "expected {}({}), got {other:?}",
                stringify!($variant),
                stringify!($inner)
            ),
        }
    };
}

/// Asserts that `$result` (what a `send()` returned) is the typed variant `$variant` of service
/// error `$code`, with everything [`assert_service_error`] checks, and that the refused call did
/// nothing; evaluates to the [`Refused`] call.
#[macro_export]
macro_rules! expect_service_error {
    ($handle:expr, $result:expr, $variant:path $(=> $inner:path)?, $code:expr $(,)?) => {{
        let error = match $result {
            Ok(output) => panic!("expected {}, got {output:?}", stringify!($variant)),
            Err(error) => error,
        };
        let service_error = $crate::assert_variant!(error, $variant $(=> $inner)?);
        let call = $crate::assert_service_error($handle, &error, $code);
        assert!(!call.took_effect, "a refused call does nothing: {call:?}");
        $crate::Refused {
            error,
            service_error,
            call,
        }
    }};
}

/// A clock the test sets by hand, for the credentials caches (signing keeps the real clock, as
/// the emulator checks timestamps against its own).
#[derive(Debug)]
pub struct HandClock(Mutex<SystemTime>);

impl HandClock {
    /// A clock showing `unix` seconds.
    pub fn at(unix: u64) -> Arc<Self> {
        Arc::new(Self(Mutex::new(UNIX_EPOCH + Duration::from_secs(unix))))
    }

    pub fn set(&self, unix: u64) {
        *self.0.lock().unwrap() = UNIX_EPOCH + Duration::from_secs(unix);
    }
}

impl tencentcloud_runtime::clock::Clock for HandClock {
    fn now(&self) -> SystemTime {
        *self.0.lock().unwrap()
    }

    fn sleep(&self, duration: Duration) -> tencentcloud_runtime::clock::Sleep {
        Box::pin(tokio::time::sleep(duration))
    }
}
