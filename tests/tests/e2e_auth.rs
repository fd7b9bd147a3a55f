//! Signature verification end to end: what a user with a wrong key, an unknown secret id, a bad
//! session token or a skewed clock gets back, typed, and that nothing was done.

use std::time::{Duration, SystemTime};
use tencentcloud_sdk::CommonError;

use tencentcloud_emulator::{EmulatorHandle, InstanceState, VpnConnection};
use tencentcloud_runtime::clock::{Clock, Sleep, SystemClock};
use tencentcloud_runtime::{Config, Credentials, SdkError};
use tencentcloud_sdk::cvm::v20170312::{
    self as cvm, TerminateInstancesError, TerminateInstancesOutput,
};
use tencentcloud_sdk::gaap::v20180529::{self as gaap, DestroyProxiesError, DestroyProxiesOutput};
use tencentcloud_sdk::vpc::v20170312::{self as vpc, DeleteVpnConnectionError};
use tencentcloud_tests::{
    SECRET_ID, SECRET_KEY, config_builder, emulator_builder, expect_service_error, instance_state,
    seed_instances, seed_proxies, start_emulator, start_emulator_with,
};

fn signing_with(emulator: &EmulatorHandle, credentials: Credentials) -> Config {
    config_builder(emulator)
        .credentials(credentials)
        .build()
        .unwrap()
}

/// Terminates `ins-3jaw1j8m` with `config`.
async fn terminate_with(
    config: &Config,
) -> Result<TerminateInstancesOutput, SdkError<TerminateInstancesError>> {
    cvm::Client::new(config)
        .terminate_instances()
        .instance_ids(["ins-3jaw1j8m"])
        .send()
        .await
}

/// Destroys `link-11112222` (`Force=1`) with `config`.
async fn destroy_with(
    config: &Config,
) -> Result<DestroyProxiesOutput, SdkError<DestroyProxiesError>> {
    gaap::Client::new(config)
        .destroy_proxies()
        .force(1)
        .proxy_ids(["link-11112222"])
        .send()
        .await
}

#[tokio::test]
async fn a_wrong_secret_key_is_signature_failure_and_terminates_nothing() {
    let emulator = start_emulator().await;
    seed_instances(&emulator, &["ins-3jaw1j8m"]);
    let config = signing_with(
        &emulator,
        Credentials::new(SECRET_ID, "not-the-key").unwrap(),
    );

    let refused = expect_service_error!(
        &emulator,
        terminate_with(&config).await,
        TerminateInstancesError::Common => CommonError::AuthFailureSignatureFailure,
        "AuthFailure.SignatureFailure",
    );

    assert!(!refused.error.is_retryable());
    assert_eq!(
        emulator.request_log().len(),
        1,
        "auth failures are not retried"
    );
    assert_eq!(
        instance_state(&emulator, "ins-3jaw1j8m"),
        InstanceState::Running
    );
}

#[tokio::test]
async fn an_unknown_secret_id_is_secret_id_not_found_for_every_service() {
    let emulator = start_emulator().await;
    seed_proxies(&emulator, &["link-11112222"]);
    emulator
        .seed_vpn_connection(VpnConnection::new("vpnx-p0j11j28", "vpngw-7lcl5331"))
        .unwrap();
    let config = signing_with(
        &emulator,
        Credentials::new("AKIDunknown0000000000000000000000000", SECRET_KEY).unwrap(),
    );

    expect_service_error!(
        &emulator,
        terminate_with(&config).await,
        TerminateInstancesError::Common => CommonError::AuthFailureSecretIdNotFound,
        "AuthFailure.SecretIdNotFound",
    );
    expect_service_error!(
        &emulator,
        destroy_with(&config).await,
        DestroyProxiesError::Common => CommonError::AuthFailureSecretIdNotFound,
        "AuthFailure.SecretIdNotFound",
    );
    expect_service_error!(
        &emulator,
        vpc::Client::new(&config)
            .delete_vpn_connection()
            .vpn_gateway_id("vpngw-7lcl5331")
            .vpn_connection_id("vpnx-p0j11j28")
            .send()
            .await,
        DeleteVpnConnectionError::Common => CommonError::AuthFailureSecretIdNotFound,
        "AuthFailure.SecretIdNotFound",
    );

    assert!(emulator.proxy("link-11112222").is_some());
    assert!(emulator.vpn_connection("vpnx-p0j11j28").is_some());
    assert!(emulator.request_log().iter().all(|e| !e.took_effect));
}

#[tokio::test]
async fn a_temporary_credential_works_with_its_token_and_fails_with_token_failure_without_it() {
    let emulator = start_emulator_with(emulator_builder().credential_with_token(
        "AKIDtemporary000000000000000000000001",
        "temporary-key",
        "session-token-1",
    ))
    .await;
    seed_proxies(&emulator, &["link-11112222"]);
    let destroy = |credentials: Credentials| {
        let config = signing_with(&emulator, credentials);
        async move { destroy_with(&config).await }
    };

    let wrong_token = Credentials::new("AKIDtemporary000000000000000000000001", "temporary-key")
        .unwrap()
        .with_token("stolen-or-stale")
        .unwrap();
    let error = expect_service_error!(
        &emulator,
        destroy(wrong_token).await,
        DestroyProxiesError::Common => CommonError::AuthFailureTokenFailure,
        "AuthFailure.TokenFailure",
    )
    .error;
    assert!(
        !format!("{error:?}{error}").contains("stolen-or-stale"),
        "the token never appears in errors"
    );
    assert!(emulator.proxy("link-11112222").is_some());

    let right_token = Credentials::new("AKIDtemporary000000000000000000000001", "temporary-key")
        .unwrap()
        .with_token("session-token-1")
        .unwrap();
    destroy(right_token).await.unwrap();
    assert!(emulator.proxy("link-11112222").is_none());
}

/// A machine whose clock runs ten minutes fast.
#[derive(Debug)]
struct FastClock;

impl Clock for FastClock {
    fn now(&self) -> SystemTime {
        SystemTime::now() + Duration::from_secs(600)
    }

    fn sleep(&self, duration: Duration) -> Sleep {
        SystemClock.sleep(duration)
    }
}

#[tokio::test]
async fn a_clock_more_than_five_minutes_off_is_signature_expire() {
    let emulator = start_emulator().await;
    seed_instances(&emulator, &["ins-3jaw1j8m"]);
    let config = config_builder(&emulator).clock(FastClock).build().unwrap();

    expect_service_error!(
        &emulator,
        terminate_with(&config).await,
        TerminateInstancesError::Common => CommonError::AuthFailureSignatureExpire,
        "AuthFailure.SignatureExpire",
    );

    assert_eq!(
        instance_state(&emulator, "ins-3jaw1j8m"),
        InstanceState::Running
    );
}

#[tokio::test]
async fn the_secret_key_never_appears_in_an_auth_errors_debug_or_display() {
    let emulator = start_emulator().await;
    let config = signing_with(
        &emulator,
        Credentials::new(SECRET_ID, "super-secret-wrong-key").unwrap(),
    );

    let error = terminate_with(&config).await.unwrap_err();

    assert_eq!(error.code(), Some("AuthFailure.SignatureFailure"));
    let shown = format!("{error:?} {error} {config:?}");
    assert!(!shown.contains("super-secret-wrong-key"), "{shown}");
}
