//! The harness the end-to-end tests share: the emulator started in-process on loopback, SDK
//! clients pointed at it with fast retries, and assertions that tie what the SDK reports to what
//! the emulator's request log recorded.

use std::fmt::{Debug, Display};
use std::time::Duration;

use tencentcloud_emulator::{Emulator, EmulatorBuilder, EmulatorHandle, LogEntry};
use tencentcloud_runtime::{
    Config, ConfigBuilder, Credentials, ProvideErrorMetadata, RetryConfig, SdkError,
};
use tencentcloud_sdk::{cvm, gaap, vpc};

pub const SECRET_ID: &str = "AKIDe2eTests000000000000000000000001";
pub const SECRET_KEY: &str = "e2e-tests-secret-key";
/// The region resources are seeded in and clients send.
pub const REGION: &str = tencentcloud_emulator::DEFAULT_REGION;

/// An emulator accepting [`SECRET_ID`]/[`SECRET_KEY`], with rate limits off so that tests running
/// in parallel never throttle each other; rate-limit tests turn them on.
pub fn emulator_builder() -> EmulatorBuilder {
    Emulator::builder()
        .credential(SECRET_ID, SECRET_KEY)
        .rate_limits(false)
}

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
