//! Settings for one call (`call_options`): a call's own attempt timeout, trace header, region
//! and retries, while the client's other calls keep the configuration's, as the emulator's
//! request log shows.

use std::time::Duration;

use tencentcloud_emulator::Fault;
use tencentcloud_runtime::error::TimeoutKind;
use tencentcloud_runtime::{CallOptions, RetryConfig, SdkError};
use tencentcloud_tests::{seed_instances, start_emulator};

#[tokio::test]
async fn one_call_has_its_own_timeout_and_trace_header_and_the_next_keeps_the_clients() {
    let emulator = start_emulator().await;
    seed_instances(&emulator, &["ins-00000001", "ins-00000002"]);
    let cvm = tencentcloud_tests::cvm(&emulator);
    // Both calls wait 1.5 s at the emulator.
    emulator
        .script_fault(
            "TerminateInstances",
            Fault::delay(Duration::from_millis(1500)),
            2,
        )
        .unwrap();

    let quick = cvm
        .terminate_instances()
        .instance_ids(["ins-00000001"])
        .call_options(
            CallOptions::new()
                .attempt_timeout(Duration::from_secs(1))
                .header("X-TC-TraceId", "trace-0001"),
        )
        .send()
        .await
        .unwrap_err();
    let SdkError::Timeout(timeout) = &quick else {
        panic!("expected the call's own 1 s attempt timeout, got {quick:?}");
    };
    assert_eq!(timeout.kind(), TimeoutKind::Attempt);
    assert_eq!(timeout.limit(), Duration::from_secs(1));

    let patient = cvm
        .terminate_instances()
        .instance_ids(["ins-00000002"])
        .send()
        .await
        .expect("the client's 30 s attempt timeout outlasts the delay");

    let log = emulator.request_log();
    assert_eq!(log.len(), 2, "{log:?}");
    assert_eq!(log[0].trace_id.as_deref(), Some("trace-0001"));
    assert_eq!(log[1].trace_id, None, "the header was that call's alone");
    assert_eq!(log[1].request_id, patient.request_id);
}

#[tokio::test]
async fn a_call_can_set_its_region_and_retries_and_refuses_a_header_the_runtime_writes() {
    let emulator = start_emulator().await;
    seed_instances(&emulator, &["ins-00000003"]);
    let cvm = tencentcloud_tests::cvm(&emulator);
    emulator
        .script_fault("DescribeInstances", Fault::request_limit_exceeded(), 1)
        .unwrap();
    let once = cvm
        .describe_instances()
        .call_options(CallOptions::new().retry(RetryConfig::disabled()))
        .send()
        .await
        .unwrap_err();
    assert_eq!(once.code(), Some("RequestLimitExceeded"));
    assert_eq!(once.attempts(), 1, "retries were off for this call");

    let error = cvm
        .describe_instances()
        .call_options(CallOptions::new().header("Authorization", "forged"))
        .send()
        .await
        .unwrap_err();
    let SdkError::Validation(refused) = &error else {
        panic!("expected the header refused before sending, got {error:?}");
    };
    assert_eq!(refused.parameter, "header Authorization");

    // The seeded instance is in the configured region; another region has none.
    let elsewhere = cvm
        .terminate_instances()
        .instance_ids(["ins-00000003"])
        .call_options(CallOptions::new().region("ap-singapore"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        elsewhere.code(),
        Some("InvalidInstanceId.NotFound"),
        "{elsewhere}"
    );
    assert!(
        elsewhere.to_string().contains("ap-singapore"),
        "{elsewhere}"
    );
    cvm.terminate_instances()
        .instance_ids(["ins-00000003"])
        .send()
        .await
        .expect("found in the client's region");
    let actions: Vec<String> = emulator
        .request_log()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        actions,
        [
            "DescribeInstances",
            "TerminateInstances",
            "TerminateInstances"
        ],
        "the refused header sent nothing"
    );
}
