//! CVM `TerminateInstances` through the generated SDK: success and every error the emulator models.

use serde_json::json;
use tencentcloud_emulator::{Instance, InstanceState};
use tencentcloud_runtime::{Client, Config, SdkError};
use tencentcloud_sdk::cvm::v20170312::TerminateInstancesError;
use tencentcloud_tests::{assert_service_error, assert_took_effect, config, cvm, start_emulator};

#[tokio::test]
async fn terminate_instances_terminates_every_named_instance() {
    let emulator = start_emulator().await;
    emulator
        .seed_instance(Instance::new("ins-3jaw1j8m"))
        .unwrap();
    emulator
        .seed_instance(Instance::new("ins-r8hr2upy"))
        .unwrap();
    emulator
        .seed_instance(Instance::new("ins-keepme01"))
        .unwrap();

    let output = cvm(&emulator)
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
        assert_eq!(
            emulator.instance(id).unwrap().instance_state,
            InstanceState::Terminated
        );
    }
    assert_eq!(
        emulator.instance("ins-keepme01").unwrap().instance_state,
        InstanceState::Running
    );
}

#[tokio::test]
async fn terminating_a_protected_instance_is_instances_protected_and_it_keeps_running() {
    let emulator = start_emulator().await;
    emulator
        .seed_instance(Instance::new("ins-3jaw1j8m").protected(true))
        .unwrap();

    let error = cvm(&emulator)
        .terminate_instances()
        .instance_ids(["ins-3jaw1j8m"])
        .send()
        .await
        .unwrap_err();

    let SdkError::Service(TerminateInstancesError::UnsupportedOperationInstancesProtected(e)) =
        &error
    else {
        panic!("expected UnsupportedOperationInstancesProtected, got {error:?}");
    };
    assert!(e.message().contains("ins-3jaw1j8m"), "{e}");
    assert!(!e.request_id().is_empty());
    assert_service_error(&emulator, &error, "UnsupportedOperation.InstancesProtected");
    assert_eq!(
        emulator.instance("ins-3jaw1j8m").unwrap().instance_state,
        InstanceState::Running
    );
    assert_eq!(emulator.request_log().len(), 1, "not retried");
}

#[tokio::test]
async fn one_protected_instance_in_a_batch_stops_the_whole_batch() {
    let emulator = start_emulator().await;
    emulator
        .seed_instance(Instance::new("ins-aaaaaaaa"))
        .unwrap();
    emulator
        .seed_instance(Instance::new("ins-bbbbbbbb").protected(true))
        .unwrap();

    let error = cvm(&emulator)
        .terminate_instances()
        .instance_ids(["ins-aaaaaaaa", "ins-bbbbbbbb"])
        .send()
        .await
        .unwrap_err();

    assert!(matches!(
        error,
        SdkError::Service(TerminateInstancesError::UnsupportedOperationInstancesProtected(_))
    ));
    assert_eq!(
        emulator.instance("ins-aaaaaaaa").unwrap().instance_state,
        InstanceState::Running
    );
}

#[tokio::test]
async fn terminating_an_unknown_instance_is_invalid_instance_id_not_found() {
    let emulator = start_emulator().await;

    let error = cvm(&emulator)
        .terminate_instances()
        .instance_ids(["ins-00000000"])
        .send()
        .await
        .unwrap_err();

    let SdkError::Service(TerminateInstancesError::InvalidInstanceIdNotFound(e)) = &error else {
        panic!("expected InvalidInstanceIdNotFound, got {error:?}");
    };
    assert!(e.message().contains("ins-00000000"), "{e}");
    assert_service_error(&emulator, &error, "InvalidInstanceId.NotFound");
}

#[tokio::test]
async fn an_instance_of_another_region_is_not_found_in_the_configured_region() {
    let emulator = start_emulator().await;
    emulator
        .seed_instance(Instance::new("ins-3jaw1j8m").region("ap-shanghai"))
        .unwrap();

    let error = cvm(&emulator)
        .terminate_instances()
        .instance_ids(["ins-3jaw1j8m"])
        .send()
        .await
        .unwrap_err();

    assert!(
        matches!(
            error,
            SdkError::Service(TerminateInstancesError::InvalidInstanceIdNotFound(_))
        ),
        "{error:?}"
    );
    assert_service_error(&emulator, &error, "InvalidInstanceId.NotFound");
    assert_eq!(
        emulator.instance("ins-3jaw1j8m").unwrap().instance_state,
        InstanceState::Running
    );
}

#[tokio::test]
async fn a_malformed_instance_id_is_invalid_instance_id_malformed() {
    let emulator = start_emulator().await;

    let error = cvm(&emulator)
        .terminate_instances()
        .instance_ids(["ins-1122"])
        .send()
        .await
        .unwrap_err();

    let SdkError::Service(TerminateInstancesError::InvalidInstanceIdMalformed(e)) = &error else {
        panic!("expected InvalidInstanceIdMalformed, got {error:?}");
    };
    assert!(e.message().contains("ins-1122"), "{e}");
    assert_service_error(&emulator, &error, "InvalidInstanceId.Malformed");
}

#[tokio::test]
async fn an_instance_in_a_transitional_state_gets_that_states_documented_code() {
    let cases = [
        (
            InstanceState::Pending,
            "UnsupportedOperation.InstanceStatePending",
        ),
        (
            InstanceState::Starting,
            "UnsupportedOperation.InstanceStateStarting",
        ),
        (
            InstanceState::Stopping,
            "UnsupportedOperation.InstanceStateStopping",
        ),
        (
            InstanceState::Rebooting,
            "UnsupportedOperation.InstanceStateRebooting",
        ),
        (
            InstanceState::Terminating,
            "UnsupportedOperation.InstanceStateTerminating",
        ),
        (
            InstanceState::Terminated,
            "UnsupportedOperation.InstanceStateTerminated",
        ),
    ];
    let emulator = start_emulator().await;
    let client = cvm(&emulator);
    for (state, code) in cases {
        emulator
            .seed_instance(Instance::new("ins-3jaw1j8m").state(state))
            .unwrap();
        let error = client
            .terminate_instances()
            .instance_ids(["ins-3jaw1j8m"])
            .send()
            .await
            .unwrap_err();
        let typed = matches!(
            (&error, state),
            (
                SdkError::Service(
                    TerminateInstancesError::UnsupportedOperationInstanceStatePending(_)
                ),
                InstanceState::Pending
            ) | (
                SdkError::Service(
                    TerminateInstancesError::UnsupportedOperationInstanceStateStarting(_)
                ),
                InstanceState::Starting
            ) | (
                SdkError::Service(
                    TerminateInstancesError::UnsupportedOperationInstanceStateStopping(_)
                ),
                InstanceState::Stopping
            ) | (
                SdkError::Service(
                    TerminateInstancesError::UnsupportedOperationInstanceStateRebooting(_)
                ),
                InstanceState::Rebooting
            ) | (
                SdkError::Service(
                    TerminateInstancesError::UnsupportedOperationInstanceStateTerminating(_)
                ),
                InstanceState::Terminating
            ) | (
                SdkError::Service(
                    TerminateInstancesError::UnsupportedOperationInstanceStateTerminated(_)
                ),
                InstanceState::Terminated
            )
        );
        assert!(typed, "{state:?} decoded as {error:?}");
        assert_service_error(&emulator, &error, code);
        assert_eq!(
            emulator.instance("ins-3jaw1j8m").unwrap().instance_state,
            state
        );
    }
}

#[tokio::test]
async fn terminating_the_same_instance_twice_is_instance_state_terminated_the_second_time() {
    let emulator = start_emulator().await;
    emulator
        .seed_instance(Instance::new("ins-3jaw1j8m"))
        .unwrap();
    let client = cvm(&emulator);

    client
        .terminate_instances()
        .instance_ids(["ins-3jaw1j8m"])
        .send()
        .await
        .unwrap();
    let error = client
        .terminate_instances()
        .instance_ids(["ins-3jaw1j8m"])
        .send()
        .await
        .unwrap_err();

    assert!(
        matches!(
            error,
            SdkError::Service(
                TerminateInstancesError::UnsupportedOperationInstanceStateTerminated(_)
            )
        ),
        "{error:?}"
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

    let error = Client::new(&config(&emulator))
        .call(
            "cvm",
            "2017-03-12",
            "TerminateInstances",
            &json!({ "InstanceIds": ids }),
        )
        .await
        .unwrap_err();

    assert_service_error(&emulator, &error, "InvalidParameterValue.LimitExceeded");
    assert!(error.message().unwrap().contains("101"), "{error}");
    let typed = error.map_service_error(TerminateInstancesError::from);
    assert!(
        matches!(
            typed,
            SdkError::Service(TerminateInstancesError::InvalidParameterValueLimitExceeded(
                _
            ))
        ),
        "{typed:?}"
    );
}

#[tokio::test]
async fn without_a_region_the_emulator_answers_missing_parameter() {
    let emulator = start_emulator().await;
    emulator
        .seed_instance(Instance::new("ins-3jaw1j8m"))
        .unwrap();
    let no_region = Config::builder()
        .credentials(tencentcloud_tests::credentials())
        .endpoint(emulator.endpoint())
        .build()
        .unwrap();

    let error = Client::new(&no_region)
        .call(
            "cvm",
            "2017-03-12",
            "TerminateInstances",
            &json!({ "InstanceIds": ["ins-3jaw1j8m"] }),
        )
        .await
        .unwrap_err();

    let entry = assert_service_error(&emulator, &error, "MissingParameter");
    assert!(error.message().unwrap().contains("Region"), "{error}");
    assert!(!entry.took_effect);
    let typed = error.map_service_error(TerminateInstancesError::from);
    assert!(
        matches!(
            typed,
            SdkError::Service(TerminateInstancesError::MissingParameter(_))
        ),
        "{typed:?}"
    );
    assert_eq!(
        emulator.instance("ins-3jaw1j8m").unwrap().instance_state,
        InstanceState::Running
    );
}

#[tokio::test]
async fn without_instance_ids_the_emulator_answers_missing_parameter() {
    let emulator = start_emulator().await;

    let error = Client::new(&config(&emulator))
        .call("cvm", "2017-03-12", "TerminateInstances", &json!({}))
        .await
        .unwrap_err();

    assert_service_error(&emulator, &error, "MissingParameter");
    assert!(error.message().unwrap().contains("InstanceIds"), "{error}");
}

#[tokio::test]
async fn an_empty_instance_id_list_from_the_generic_client_is_invalid_parameter_value() {
    let emulator = start_emulator().await;

    let error = Client::new(&config(&emulator))
        .call(
            "cvm",
            "2017-03-12",
            "TerminateInstances",
            &json!({ "InstanceIds": [] }),
        )
        .await
        .unwrap_err();

    assert_service_error(&emulator, &error, "InvalidParameterValue");
}
