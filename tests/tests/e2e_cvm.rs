//! CVM `TerminateInstances` through the generated SDK: success and every error the emulator models.

use serde_json::{Value, json};
use tencentcloud_emulator::{EmulatorHandle, Instance, InstanceState, LogEntry};
use tencentcloud_runtime::{Client, Config, SdkError, ServiceError};
use tencentcloud_sdk::CommonError;
use tencentcloud_sdk::cvm::v20170312::TerminateInstancesError;
use tencentcloud_tests::{
    assert_service_error, assert_took_effect, assert_variant, config, expect_service_error,
    instance_state, seed_instances, start_emulator, terminate_instances,
};

/// `TerminateInstances` with `body` through the generic client (which skips the SDK's checks);
/// asserts the emulator answered `code` and returns the error and its log entry.
async fn generic_call_refused(
    emulator: &EmulatorHandle,
    client: &Client,
    body: Value,
    code: &str,
) -> (SdkError<ServiceError>, LogEntry) {
    let error = client
        .call("cvm", "2017-03-12", "TerminateInstances", &body)
        .await
        .expect_err(code);
    let entry = assert_service_error(emulator, &error, code);
    (error, entry)
}

#[tokio::test]
async fn terminate_instances_terminates_every_named_instance() {
    let emulator = start_emulator().await;
    seed_instances(&emulator, &["ins-3jaw1j8m", "ins-r8hr2upy", "ins-keepme01"]);

    let output = tencentcloud_tests::cvm(&emulator)
        .terminate_instances()
        .instance_ids(["ins-3jaw1j8m", "ins-r8hr2upy"])
        .release_prepaid_data_disks(true)
        .send()
        .await
        .unwrap();

    let call = assert_took_effect(&emulator, &output.request_id);
    assert_eq!(call.action, "TerminateInstances");
    assert_eq!(call.client_token, None, "TerminateInstances has no token");
    for id in ["ins-3jaw1j8m", "ins-r8hr2upy"] {
        assert_eq!(instance_state(&emulator, id), InstanceState::Terminated);
    }
    assert_eq!(
        instance_state(&emulator, "ins-keepme01"),
        InstanceState::Running
    );
}

#[tokio::test]
async fn terminating_a_protected_instance_is_instances_protected_and_it_keeps_running() {
    let emulator = start_emulator().await;
    emulator
        .seed_instance(Instance::new("ins-3jaw1j8m").protected(true))
        .unwrap();

    let refused = expect_service_error!(
        &emulator,
        terminate_instances(&emulator, &["ins-3jaw1j8m"]).await,
        TerminateInstancesError::UnsupportedOperationInstancesProtected,
        "UnsupportedOperation.InstancesProtected",
    );

    refused.assert_message_names("ins-3jaw1j8m");
    assert!(!refused.service_error.request_id().is_empty());
    assert_eq!(
        instance_state(&emulator, "ins-3jaw1j8m"),
        InstanceState::Running
    );
    assert_eq!(emulator.request_log().len(), 1, "not retried");
}

#[tokio::test]
async fn one_protected_instance_in_a_batch_stops_the_whole_batch() {
    let emulator = start_emulator().await;
    seed_instances(&emulator, &["ins-aaaaaaaa"]);
    emulator
        .seed_instance(Instance::new("ins-bbbbbbbb").protected(true))
        .unwrap();

    expect_service_error!(
        &emulator,
        terminate_instances(&emulator, &["ins-aaaaaaaa", "ins-bbbbbbbb"]).await,
        TerminateInstancesError::UnsupportedOperationInstancesProtected,
        "UnsupportedOperation.InstancesProtected",
    );

    assert_eq!(
        instance_state(&emulator, "ins-aaaaaaaa"),
        InstanceState::Running
    );
}

#[tokio::test]
async fn terminating_an_unknown_instance_is_invalid_instance_id_not_found() {
    let emulator = start_emulator().await;

    let refused = expect_service_error!(
        &emulator,
        terminate_instances(&emulator, &["ins-00000000"]).await,
        TerminateInstancesError::InvalidInstanceIdNotFound,
        "InvalidInstanceId.NotFound",
    );

    refused.assert_message_names("ins-00000000");
}

#[tokio::test]
async fn an_instance_of_another_region_is_not_found_in_the_configured_region() {
    let emulator = start_emulator().await;
    emulator
        .seed_instance(Instance::new("ins-3jaw1j8m").region("ap-shanghai"))
        .unwrap();

    expect_service_error!(
        &emulator,
        terminate_instances(&emulator, &["ins-3jaw1j8m"]).await,
        TerminateInstancesError::InvalidInstanceIdNotFound,
        "InvalidInstanceId.NotFound",
    );

    assert_eq!(
        instance_state(&emulator, "ins-3jaw1j8m"),
        InstanceState::Running
    );
}

#[tokio::test]
async fn a_malformed_instance_id_is_invalid_instance_id_malformed() {
    let emulator = start_emulator().await;

    let refused = expect_service_error!(
        &emulator,
        terminate_instances(&emulator, &["ins-1122"]).await,
        TerminateInstancesError::InvalidInstanceIdMalformed,
        "InvalidInstanceId.Malformed",
    );

    refused.assert_message_names("ins-1122");
}

#[tokio::test]
async fn an_instance_in_a_transitional_state_gets_that_states_documented_code() {
    let emulator = start_emulator().await;
    let terminate = || terminate_instances(&emulator, &["ins-3jaw1j8m"]);
    macro_rules! case {
        ($state:expr, $variant:ident, $code:literal) => {
            emulator
                .seed_instance(Instance::new("ins-3jaw1j8m").state($state))
                .unwrap();
            expect_service_error!(
                &emulator,
                terminate().await,
                TerminateInstancesError::$variant,
                $code
            );
            assert_eq!(instance_state(&emulator, "ins-3jaw1j8m"), $state);
        };
    }

    case!(
        InstanceState::Pending,
        UnsupportedOperationInstanceStatePending,
        "UnsupportedOperation.InstanceStatePending"
    );
    case!(
        InstanceState::Starting,
        UnsupportedOperationInstanceStateStarting,
        "UnsupportedOperation.InstanceStateStarting"
    );
    case!(
        InstanceState::Stopping,
        UnsupportedOperationInstanceStateStopping,
        "UnsupportedOperation.InstanceStateStopping"
    );
    case!(
        InstanceState::Rebooting,
        UnsupportedOperationInstanceStateRebooting,
        "UnsupportedOperation.InstanceStateRebooting"
    );
    case!(
        InstanceState::Terminating,
        UnsupportedOperationInstanceStateTerminating,
        "UnsupportedOperation.InstanceStateTerminating"
    );
    case!(
        InstanceState::Terminated,
        UnsupportedOperationInstanceStateTerminated,
        "UnsupportedOperation.InstanceStateTerminated"
    );
}

#[tokio::test]
async fn terminating_the_same_instance_twice_is_instance_state_terminated_the_second_time() {
    let emulator = start_emulator().await;
    seed_instances(&emulator, &["ins-3jaw1j8m"]);

    terminate_instances(&emulator, &["ins-3jaw1j8m"])
        .await
        .unwrap();
    expect_service_error!(
        &emulator,
        terminate_instances(&emulator, &["ins-3jaw1j8m"]).await,
        TerminateInstancesError::UnsupportedOperationInstanceStateTerminated,
        "UnsupportedOperation.InstanceStateTerminated",
    );

    let log = emulator.request_log();
    assert_eq!(log.iter().filter(|e| e.took_effect).count(), 1);
}

/// The SDK refuses 101 ids before sending (see e2e_validation), so the service's own limit is
/// reached through the generic client, as a user of `Client::call` would.
#[tokio::test]
async fn the_emulator_answers_more_than_100_ids_with_limit_exceeded_which_decodes_to_the_typed_variant()
 {
    let emulator = start_emulator().await;
    let ids: Vec<String> = (0..101).map(|i| format!("ins-{i:08}")).collect();

    let (error, _) = generic_call_refused(
        &emulator,
        &Client::new(&config(&emulator)),
        json!({ "InstanceIds": ids }),
        "InvalidParameterValue.LimitExceeded",
    )
    .await;

    assert!(error.message().unwrap().contains("101"), "{error}");
    assert_variant!(
        error.map_service_error(TerminateInstancesError::from),
        TerminateInstancesError::InvalidParameterValueLimitExceeded
    );
}

#[tokio::test]
async fn without_a_region_the_emulator_answers_missing_parameter() {
    let emulator = start_emulator().await;
    seed_instances(&emulator, &["ins-3jaw1j8m"]);
    let no_region = Config::builder()
        .credentials(tencentcloud_tests::credentials())
        .endpoint(emulator.endpoint())
        .build()
        .unwrap();

    let (error, entry) = generic_call_refused(
        &emulator,
        &Client::new(&no_region),
        json!({ "InstanceIds": ["ins-3jaw1j8m"] }),
        "MissingParameter",
    )
    .await;

    assert!(error.message().unwrap().contains("Region"), "{error}");
    assert!(!entry.took_effect);
    assert_variant!(
        error.map_service_error(TerminateInstancesError::from),
        TerminateInstancesError::Common => CommonError::MissingParameter
    );
    assert_eq!(
        instance_state(&emulator, "ins-3jaw1j8m"),
        InstanceState::Running
    );
}

#[tokio::test]
async fn without_instance_ids_the_emulator_answers_missing_parameter() {
    let emulator = start_emulator().await;

    let (error, _) = generic_call_refused(
        &emulator,
        &Client::new(&config(&emulator)),
        json!({}),
        "MissingParameter",
    )
    .await;

    assert!(error.message().unwrap().contains("InstanceIds"), "{error}");
}

#[tokio::test]
async fn an_empty_instance_id_list_from_the_generic_client_is_invalid_parameter_value() {
    let emulator = start_emulator().await;

    generic_call_refused(
        &emulator,
        &Client::new(&config(&emulator)),
        json!({ "InstanceIds": [] }),
        "InvalidParameterValue",
    )
    .await;
}
