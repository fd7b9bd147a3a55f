//! Retries against injected faults: what is retried, what is surfaced, and — per the emulator's
//! request log — that nothing is done twice.

use std::time::{Duration, Instant};
use tencentcloud_sdk::CommonError;

use tencentcloud_emulator::{
    EmulatorHandle, Fault, InstanceState, LogEntry, Outcome, VpnConnection,
};
use tencentcloud_runtime::clock::Jitter;
use tencentcloud_runtime::error::{ResponseErrorKind, TimeoutKind};
use tencentcloud_runtime::retry::BudgetConfig;
use tencentcloud_runtime::{RetryConfig, RetryRefusal, SdkError};
use tencentcloud_sdk::cvm::v20170312::{self as cvm, TerminateInstancesError};
use tencentcloud_sdk::gaap::v20180529::{self as gaap, DestroyProxiesError};
use tencentcloud_tests::{
    assert_service_error, assert_variant, config_builder, cvm as cvm_client, delete_vpn_connection,
    emulator_builder, expect_service_error, gaap, instance_state, is_uuid_v4, seed_instances,
    seed_proxies, start_emulator, start_emulator_with, terminate_instances,
};

fn calls_of(emulator: &EmulatorHandle, action: &str) -> Vec<LogEntry> {
    emulator
        .request_log()
        .into_iter()
        .filter(|e| e.action == action)
        .collect()
}

/// Asserts every attempt carried one and the same token, and returns it.
fn one_token(calls: &[LogEntry]) -> String {
    let token = calls[0].client_token.clone().expect("a token was sent");
    assert!(
        calls
            .iter()
            .all(|c| c.client_token.as_deref() == Some(token.as_str())),
        "every attempt carries the same ClientToken: {calls:#?}"
    );
    token
}

fn effects(calls: &[LogEntry]) -> usize {
    calls.iter().filter(|c| c.took_effect).count()
}

async fn seeded_with_proxy() -> EmulatorHandle {
    let emulator = start_emulator().await;
    seed_proxies(&emulator, &["link-11112222"]);
    emulator
}

/// Destroys the proxy [`seeded_with_proxy`] seeds, with `client`'s retry and timeout settings.
async fn destroy(
    client: &gaap::Client,
) -> Result<gaap::DestroyProxiesOutput, SdkError<DestroyProxiesError>> {
    client
        .destroy_proxies()
        .force(1)
        .proxy_ids(["link-11112222"])
        .send()
        .await
}

#[tokio::test]
async fn a_destroy_whose_answer_is_lost_to_two_resets_is_retried_with_its_token_and_destroys_once()
{
    let emulator = seeded_with_proxy().await;
    emulator
        .script_fault(
            "DestroyProxies",
            Fault::connection_reset().after_effect(),
            2,
        )
        .unwrap();

    let output = destroy(&gaap(&emulator)).await.unwrap();

    assert!(output.invalid_status_instance_set.is_empty());
    assert!(emulator.proxy("link-11112222").is_none());
    let calls = calls_of(&emulator, "DestroyProxies");
    assert_eq!(calls.len(), 3, "{calls:#?}");
    assert!(is_uuid_v4(&one_token(&calls)));
    assert_eq!(effects(&calls), 1, "destroyed exactly once: {calls:#?}");
    assert!(
        calls[0].took_effect,
        "the first attempt acted, its answer was lost"
    );
    assert_eq!(calls[0].outcome, Outcome::ConnectionReset);
    assert_eq!(calls[1].outcome, Outcome::ConnectionReset);
    assert!(calls[1].replayed && calls[2].replayed, "{calls:#?}");
    assert!(calls[2].is_success());
    assert_eq!(calls[2].request_id, output.request_id);
}

#[tokio::test]
async fn a_destroy_refused_by_two_resets_before_acting_is_retried_and_destroys_once() {
    let emulator = seeded_with_proxy().await;
    emulator
        .script_fault("DestroyProxies", Fault::connection_reset(), 2)
        .unwrap();

    destroy(&gaap(&emulator)).await.unwrap();

    let calls = calls_of(&emulator, "DestroyProxies");
    assert_eq!(calls.len(), 3, "{calls:#?}");
    one_token(&calls);
    assert_eq!(effects(&calls), 1);
    assert!(calls[2].took_effect && !calls[2].replayed);
    assert!(emulator.proxy("link-11112222").is_none());
}

#[tokio::test]
async fn more_resets_than_attempts_surface_as_a_transport_error_and_destroy_nothing() {
    let emulator = seeded_with_proxy().await;
    emulator
        .script_fault("DestroyProxies", Fault::connection_reset(), 3)
        .unwrap();

    let error = destroy(&gaap(&emulator)).await.unwrap_err();

    assert!(matches!(error, SdkError::Transport(_)), "{error:?}");
    assert_eq!(error.code(), None);
    assert_eq!(calls_of(&emulator, "DestroyProxies").len(), 3);
    assert!(emulator.proxy("link-11112222").is_some());
}

#[tokio::test]
async fn a_503_html_page_is_retried_and_the_next_answer_is_used() {
    let emulator = seeded_with_proxy().await;
    emulator
        .script_fault("DestroyProxies", Fault::http_error(503), 1)
        .unwrap();

    destroy(&gaap(&emulator)).await.unwrap();

    let calls = calls_of(&emulator, "DestroyProxies");
    assert_eq!(calls.len(), 2, "{calls:#?}");
    assert_eq!(calls[0].outcome, Outcome::HttpError { status: 503 });
    assert!(calls[1].is_success() && calls[1].took_effect);
    one_token(&calls);
    assert!(emulator.proxy("link-11112222").is_none());
}

#[tokio::test]
async fn a_503_that_persists_surfaces_as_a_response_error_keeping_status_and_page() {
    let emulator = seeded_with_proxy().await;
    emulator
        .script_fault("DestroyProxies", Fault::http_error(503), 3)
        .unwrap();

    let error = destroy(&gaap(&emulator)).await.unwrap_err();

    let SdkError::Response(response) = &error else {
        panic!("expected a response error, got {error:?}");
    };
    assert_eq!(response.status(), 503);
    assert_eq!(response.kind(), ResponseErrorKind::NotJson);
    assert!(
        response.excerpt().contains("503 Service Unavailable"),
        "{response}"
    );
    assert!(error.to_string().contains("503"), "{error}");
    assert_eq!(calls_of(&emulator, "DestroyProxies").len(), 3);
    assert!(emulator.proxy("link-11112222").is_some());
}

#[tokio::test]
async fn request_limit_exceeded_twice_is_retried_and_the_third_attempt_terminates() {
    let emulator = start_emulator().await;
    seed_instances(&emulator, &["ins-3jaw1j8m"]);
    emulator
        .script_fault("TerminateInstances", Fault::request_limit_exceeded(), 2)
        .unwrap();

    let output = terminate_instances(&emulator, &["ins-3jaw1j8m"])
        .await
        .unwrap();

    let calls = calls_of(&emulator, "TerminateInstances");
    assert_eq!(calls.len(), 3, "{calls:#?}");
    assert_eq!(calls[0].error_code(), Some("RequestLimitExceeded"));
    assert_eq!(calls[1].error_code(), Some("RequestLimitExceeded"));
    assert_eq!(calls[2].request_id, output.request_id);
    assert_eq!(effects(&calls), 1);
    assert_eq!(
        instance_state(&emulator, "ins-3jaw1j8m"),
        InstanceState::Terminated
    );
}

#[tokio::test]
async fn request_limit_exceeded_on_every_attempt_surfaces_typed_after_three_attempts() {
    let emulator = start_emulator().await;
    seed_instances(&emulator, &["ins-3jaw1j8m"]);
    emulator
        .script_fault("TerminateInstances", Fault::request_limit_exceeded(), 3)
        .unwrap();

    let refused = expect_service_error!(
        &emulator,
        terminate_instances(&emulator, &["ins-3jaw1j8m"]).await,
        TerminateInstancesError::Common => CommonError::RequestLimitExceeded,
        "RequestLimitExceeded",
    );

    assert!(refused.error.is_retryable());
    assert_eq!(calls_of(&emulator, "TerminateInstances").len(), 3);
    assert_eq!(
        instance_state(&emulator, "ins-3jaw1j8m"),
        InstanceState::Running
    );
}

#[tokio::test]
async fn the_documented_rate_limit_of_terminate_instances_surfaces_as_request_limit_exceeded() {
    let emulator = start_emulator_with(emulator_builder().rate_limits(true)).await;
    let config = config_builder(&emulator)
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    let client = cvm::Client::new(&config);

    // The specs document 10 requests per second; the 11th within a second is refused.
    let mut refused = None;
    for call in 1..=60 {
        let error = client
            .terminate_instances()
            .instance_ids(["ins-00000000"])
            .send()
            .await
            .unwrap_err();
        if let SdkError::Service(TerminateInstancesError::Common(
            CommonError::RequestLimitExceeded(_),
        )) = &error
        {
            assert_service_error(&emulator, &error, "RequestLimitExceeded");
            refused = Some(call);
            break;
        }
        assert_variant!(error, TerminateInstancesError::InvalidInstanceIdNotFound);
    }
    let refused = refused.expect("the rate limit refuses a burst of 60 calls");
    assert!(
        refused > 10,
        "the first 10 calls are within the limit; refused call {refused}"
    );
}

/// The full backoff ceiling every time, so the wait before a retry is known.
#[derive(Debug)]
struct NoJitter;

impl Jitter for NoJitter {
    fn fraction(&self) -> f64 {
        0.999
    }
}

#[tokio::test]
async fn a_call_refused_by_the_rate_limit_is_retried_after_backoff_and_goes_through() {
    let emulator = start_emulator_with(emulator_builder().rate_limits(true)).await;
    emulator.set_rate_limit("TerminateInstances", Some(2));
    seed_instances(&emulator, &["ins-3jaw1j8m"]);
    let no_retries = cvm::Client::new(
        &config_builder(&emulator)
            .retry(RetryConfig::disabled())
            .build()
            .unwrap(),
    );
    let patient = cvm::Client::new(
        &config_builder(&emulator)
            .retry(
                RetryConfig::default()
                    .max_attempts(3)
                    .initial_backoff(Duration::from_millis(800)),
            )
            .jitter(NoJitter)
            .build()
            .unwrap(),
    );
    // Use up the bucket (2 per second) until the limiter refuses.
    let mut refused = false;
    for _ in 0..50 {
        let error = no_retries
            .terminate_instances()
            .instance_ids(["ins-00000000"])
            .send()
            .await
            .unwrap_err();
        if error.code() == Some("RequestLimitExceeded") {
            refused = true;
            break;
        }
    }
    assert!(refused, "a burst of 50 calls exceeds 2 per second");
    let before = calls_of(&emulator, "TerminateInstances").len();

    patient
        .terminate_instances()
        .instance_ids(["ins-3jaw1j8m"])
        .send()
        .await
        .unwrap();

    let calls = calls_of(&emulator, "TerminateInstances").split_off(before);
    assert_eq!(calls.len(), 2, "{calls:#?}");
    assert_eq!(calls[0].error_code(), Some("RequestLimitExceeded"));
    assert!(calls[1].is_success() && calls[1].took_effect);
    assert_eq!(
        instance_state(&emulator, "ins-3jaw1j8m"),
        InstanceState::Terminated
    );
}

#[tokio::test]
async fn internal_error_is_retried_for_destroy_proxies_because_it_carries_a_token() {
    let emulator = seeded_with_proxy().await;
    emulator
        .script_fault("DestroyProxies", Fault::internal_error(), 2)
        .unwrap();

    destroy(&gaap(&emulator)).await.unwrap();

    let calls = calls_of(&emulator, "DestroyProxies");
    assert_eq!(calls.len(), 3, "{calls:#?}");
    assert_eq!(calls[0].error_code(), Some("InternalError"));
    assert_eq!(calls[1].error_code(), Some("InternalError"));
    one_token(&calls);
    assert_eq!(effects(&calls), 1);
    assert!(emulator.proxy("link-11112222").is_none());
}

#[tokio::test]
async fn an_internal_error_after_the_destroy_acted_is_retried_and_replayed_not_repeated() {
    let emulator = seeded_with_proxy().await;
    emulator
        .script_fault("DestroyProxies", Fault::internal_error().after_effect(), 1)
        .unwrap();

    let output = destroy(&gaap(&emulator)).await.unwrap();

    let calls = calls_of(&emulator, "DestroyProxies");
    assert_eq!(calls.len(), 2, "{calls:#?}");
    assert_eq!(calls[0].error_code(), Some("InternalError"));
    assert!(calls[0].took_effect);
    assert!(calls[1].replayed && !calls[1].took_effect);
    assert_eq!(calls[1].request_id, output.request_id);
    one_token(&calls);
    assert!(emulator.proxy("link-11112222").is_none());
}

#[tokio::test]
async fn internal_error_is_not_retried_for_terminate_instances_which_has_no_token() {
    let emulator = start_emulator().await;
    seed_instances(&emulator, &["ins-3jaw1j8m"]);
    emulator
        .script_fault("TerminateInstances", Fault::internal_error(), 1)
        .unwrap();

    let refused = expect_service_error!(
        &emulator,
        terminate_instances(&emulator, &["ins-3jaw1j8m"]).await,
        TerminateInstancesError::Common => CommonError::InternalError,
        "InternalError",
    );

    assert!(
        !refused.error.is_retryable(),
        "repeating it could act twice"
    );
    let calls = calls_of(&emulator, "TerminateInstances");
    assert_eq!(calls.len(), 1, "sent once: {calls:#?}");
    assert_eq!(calls[0].client_token, None);
    assert_eq!(
        instance_state(&emulator, "ins-3jaw1j8m"),
        InstanceState::Running
    );
}

#[tokio::test]
async fn a_destroy_slower_than_the_attempt_timeout_is_retried_and_acts_once() {
    let emulator = seeded_with_proxy().await;
    emulator
        .script_fault(
            "DestroyProxies",
            Fault::delay(Duration::from_millis(700)),
            1,
        )
        .unwrap();
    let config = config_builder(&emulator)
        .attempt_timeout(Duration::from_millis(200))
        .build()
        .unwrap();

    destroy(&gaap::Client::new(&config)).await.unwrap();

    assert!(emulator.proxy("link-11112222").is_none());
    // Give the abandoned slow attempt time to finish, should the server still run it.
    tokio::time::sleep(Duration::from_millis(900)).await;
    let calls = calls_of(&emulator, "DestroyProxies");
    assert!(!calls.is_empty());
    one_token(&calls);
    assert_eq!(effects(&calls), 1, "destroyed exactly once: {calls:#?}");
}

#[tokio::test]
async fn a_destroy_that_acted_but_answered_after_the_attempt_timeout_is_replayed_on_retry() {
    let emulator = seeded_with_proxy().await;
    emulator
        .script_fault(
            "DestroyProxies",
            Fault::delay(Duration::from_millis(700)).after_effect(),
            1,
        )
        .unwrap();
    let config = config_builder(&emulator)
        .attempt_timeout(Duration::from_millis(200))
        .build()
        .unwrap();

    // Without the token the retry would find the proxy gone and fail with ResourceNotFound.
    let output = destroy(&gaap::Client::new(&config)).await.unwrap();

    assert!(emulator.proxy("link-11112222").is_none());
    let answered = tencentcloud_tests::logged(&emulator, &output.request_id);
    assert!(
        answered.replayed && !answered.took_effect,
        "the retry was answered from the attempt that acted: {answered:?}"
    );
    assert!(is_uuid_v4(answered.client_token.as_deref().unwrap()));
}

#[tokio::test]
async fn a_destroy_that_acted_before_its_client_timed_out_is_in_the_request_log() {
    let emulator = seeded_with_proxy().await;
    emulator
        .script_fault(
            "DestroyProxies",
            Fault::delay(Duration::from_millis(700)).after_effect(),
            1,
        )
        .unwrap();
    let config = config_builder(&emulator)
        .attempt_timeout(Duration::from_millis(200))
        .build()
        .unwrap();

    destroy(&gaap::Client::new(&config)).await.unwrap();
    tokio::time::sleep(Duration::from_millis(900)).await;

    let calls = calls_of(&emulator, "DestroyProxies");
    assert_eq!(calls.len(), 2, "{calls:#?}");
    one_token(&calls);
    assert_eq!(effects(&calls), 1, "{calls:#?}");
}

#[tokio::test]
async fn attempts_that_all_time_out_surface_as_an_attempt_timeout() {
    let emulator = seeded_with_proxy().await;
    emulator
        .script_fault(
            "DestroyProxies",
            Fault::delay(Duration::from_millis(600)),
            3,
        )
        .unwrap();
    let config = config_builder(&emulator)
        .attempt_timeout(Duration::from_millis(100))
        .build()
        .unwrap();

    let error = destroy(&gaap::Client::new(&config)).await.unwrap_err();

    let SdkError::Timeout(timeout) = &error else {
        panic!("expected a timeout, got {error:?}");
    };
    assert_eq!(timeout.kind(), TimeoutKind::Attempt);
    assert_eq!(timeout.limit(), Duration::from_millis(100));
    tokio::time::sleep(Duration::from_millis(800)).await;
    let calls = calls_of(&emulator, "DestroyProxies");
    assert!(effects(&calls) <= 1, "never destroyed twice: {calls:#?}");
}

#[tokio::test]
async fn an_operation_timeout_bounds_the_whole_call_retries_included() {
    let emulator = seeded_with_proxy().await;
    emulator
        .script_fault("DestroyProxies", Fault::delay(Duration::from_secs(3)), 3)
        .unwrap();
    let config = config_builder(&emulator)
        .operation_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let started = Instant::now();

    let error = destroy(&gaap::Client::new(&config)).await.unwrap_err();

    let SdkError::Timeout(timeout) = &error else {
        panic!("expected a timeout, got {error:?}");
    };
    assert_eq!(timeout.kind(), TimeoutKind::Operation);
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_terminate_without_a_token_reset_after_it_acted_is_sent_once_and_says_the_outcome_is_unknown()
 {
    let emulator = start_emulator().await;
    seed_instances(&emulator, &["ins-3jaw1j8m"]);
    emulator
        .script_fault(
            "TerminateInstances",
            Fault::connection_reset().after_effect(),
            1,
        )
        .unwrap();

    let error = terminate_instances(&emulator, &["ins-3jaw1j8m"])
        .await
        .unwrap_err();

    let calls = calls_of(&emulator, "TerminateInstances");
    assert_eq!(calls.len(), 1, "sent once, never repeated: {calls:#?}");
    assert!(calls[0].took_effect && calls[0].client_token.is_none());
    assert!(matches!(error, SdkError::Transport(_)), "{error:?}");
    assert!(error.may_have_taken_effect(), "{error:?}");
    assert_eq!(error.retry_refusal(), Some(RetryRefusal::NotSafeToRepeat));
    assert!(
        error
            .to_string()
            .contains("the request may have taken effect"),
        "{error}"
    );
    assert_eq!(
        instance_state(&emulator, "ins-3jaw1j8m"),
        InstanceState::Terminated,
        "it did act: the error must not have said otherwise"
    );
}

#[tokio::test]
async fn a_delete_vpn_connection_whose_answer_is_lost_is_not_reported_as_resource_not_found() {
    let emulator = start_emulator().await;
    for fault in [
        Fault::connection_reset().after_effect(),
        Fault::http_error(502).after_effect(),
        Fault::internal_error().after_effect(),
    ] {
        emulator
            .seed_vpn_connection(VpnConnection::new("vpnx-p0j11j28", "vpngw-7lcl5331"))
            .unwrap();
        emulator
            .script_fault("DeleteVpnConnection", fault.clone(), 1)
            .unwrap();
        let before = calls_of(&emulator, "DeleteVpnConnection").len();

        let error = delete_vpn_connection(&emulator, "vpngw-7lcl5331", "vpnx-p0j11j28")
            .await
            .unwrap_err();

        assert_ne!(error.code(), Some("ResourceNotFound"), "{fault:?}: {error}");
        assert!(error.may_have_taken_effect(), "{fault:?}: {error}");
        assert_eq!(
            calls_of(&emulator, "DeleteVpnConnection").len() - before,
            1,
            "{fault:?}"
        );
        assert!(emulator.vpn_connection("vpnx-p0j11j28").is_none());
    }
}

#[tokio::test]
async fn a_read_is_retried_after_a_503_and_answers() {
    let emulator = start_emulator().await;
    seed_instances(&emulator, &["ins-3jaw1j8m"]);
    emulator
        .script_fault("DescribeInstances", Fault::http_error(503), 1)
        .unwrap();

    let output = cvm_client(&emulator)
        .describe_instances()
        .instance_ids(["ins-3jaw1j8m"])
        .send()
        .await
        .unwrap();

    assert_eq!(output.total_count, Some(1));
    let calls = calls_of(&emulator, "DescribeInstances");
    assert_eq!(calls.len(), 2, "{calls:#?}");
    assert_eq!(calls[0].outcome, Outcome::HttpError { status: 503 });
    assert!(calls[1].is_success());
}

#[tokio::test]
async fn a_retry_refused_by_the_spent_budget_says_so_in_the_error() {
    let emulator = start_emulator().await;
    seed_instances(&emulator, &["ins-3jaw1j8m"]);
    emulator
        .script_fault("DescribeInstances", Fault::http_error(503), 3)
        .unwrap();
    let budget = BudgetConfig {
        capacity: 5,
        retry_cost: 5,
        ..BudgetConfig::default()
    };
    let config = config_builder(&emulator)
        .retry(tencentcloud_tests::fast_retries().budget(Some(budget)))
        .build()
        .unwrap();
    let client = cvm::Client::new(&config);

    let first = client.describe_instances().send().await.unwrap_err();
    assert_eq!(first.attempts(), 2, "the budget paid one retry: {first}");
    let second = client.describe_instances().send().await.unwrap_err();

    assert_eq!(second.attempts(), 1);
    assert_eq!(second.retry_refusal(), Some(RetryRefusal::BudgetExhausted));
    assert!(
        second
            .to_string()
            .contains("not retried: the retry budget of this service is spent"),
        "{second}"
    );
    assert_eq!(calls_of(&emulator, "DescribeInstances").len(), 3);
}
