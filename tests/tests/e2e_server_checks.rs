//! What the emulator refuses on its own, for clients that skip the SDK's checks (the generic
//! `Client::call`, other languages): the documented common codes, which decode into the generated
//! error enums like any other answer.

use serde_json::{Value, json};
use tencentcloud_emulator::{EmulatorHandle, VpnConnection};
use tencentcloud_runtime::{Client, Language, SdkError};
use tencentcloud_sdk::CommonError;
use tencentcloud_sdk::cvm::v20170312::TerminateInstancesError;
use tencentcloud_sdk::gaap::v20180529::{DestroyProxiesError, ModifyProxyConfigurationError};
use tencentcloud_sdk::vpc::v20170312::DeleteVpnConnectionError;
use tencentcloud_tests::{
    assert_service_error, assert_variant, config, config_builder, expect_service_error,
    seed_proxies, start_emulator,
};

async fn refused(
    emulator: &EmulatorHandle,
    service: &str,
    version: &str,
    action: &str,
    body: Value,
    code: &str,
) -> SdkError<tencentcloud_runtime::ServiceError> {
    let error = Client::new(&config(emulator))
        .call(service, version, action, &body)
        .await
        .expect_err(code);
    let entry = assert_service_error(emulator, &error, code);
    assert!(!entry.took_effect, "{entry:?}");
    error
}

#[tokio::test]
async fn the_emulator_refuses_the_rules_the_sdk_checks_with_invalid_parameter_value() {
    let emulator = start_emulator().await;
    seed_proxies(&emulator, &["link-11112222", "link-4ftf12sb"]);
    let cases = [
        (
            "DestroyProxies",
            json!({"Force": 2, "ProxyIds": ["link-11112222"]}),
        ),
        (
            "DestroyProxies",
            json!({"Force": 1, "ProxyIds": ["link-11112222"], "ClientToken": "t".repeat(65)}),
        ),
        (
            "DestroyProxies",
            json!({"Force": 1, "ProxyIds": ["link-11112222"], "InstanceIds": ["link-11112222"]}),
        ),
        (
            "ModifyProxyConfiguration",
            json!({"ProxyId": "link-4ftf12sb"}),
        ),
        (
            "ModifyProxyConfiguration",
            json!({"ProxyId": "link-4ftf12sb", "InstanceId": "link-4ftf12sb", "Bandwidth": 5}),
        ),
    ];
    for (action, body) in cases {
        let error = refused(
            &emulator,
            "gaap",
            "2018-05-29",
            action,
            body,
            "InvalidParameterValue",
        )
        .await;
        if action == "DestroyProxies" {
            assert_variant!(
                error.map_service_error(DestroyProxiesError::from),
                DestroyProxiesError::Common => CommonError::InvalidParameterValue
            );
        } else {
            assert_variant!(
                error.map_service_error(ModifyProxyConfigurationError::from),
                ModifyProxyConfigurationError::Common => CommonError::InvalidParameterValue
            );
        }
    }
    assert!(emulator.proxy("link-11112222").is_some());
    assert_eq!(emulator.proxy("link-4ftf12sb").unwrap().bandwidth, 10);
}

#[tokio::test]
async fn the_documented_string_form_of_integers_is_accepted() {
    let emulator = start_emulator().await;
    seed_proxies(&emulator, &["link-4ftf12sb"]);

    Client::new(&config(&emulator))
        .call(
            "gaap",
            "2018-05-29",
            "ModifyProxyConfiguration",
            &json!({"Bandwidth": "10", "Concurrent": "2", "ProxyId": "link-4ftf12sb"}),
        )
        .await
        .unwrap();

    let proxy = emulator.proxy("link-4ftf12sb").unwrap();
    assert_eq!((proxy.bandwidth, proxy.concurrent), (10, 2));
}

#[tokio::test]
async fn an_unknown_parameter_is_unknown_parameter() {
    let emulator = start_emulator().await;

    let error = refused(
        &emulator,
        "gaap",
        "2018-05-29",
        "ModifyProxyConfiguration",
        json!({"ProxyId": "link-4ftf12sb", "Bandwidth": 5, "Bandwith": 5}),
        "UnknownParameter",
    )
    .await;

    assert!(error.message().unwrap().contains("Bandwith"), "{error}");
    assert_variant!(
        error.map_service_error(ModifyProxyConfigurationError::from),
        ModifyProxyConfigurationError::Common => CommonError::UnknownParameter
    );
}

#[tokio::test]
async fn a_parameter_of_the_wrong_type_is_invalid_parameter() {
    let emulator = start_emulator().await;

    let error = refused(
        &emulator,
        "gaap",
        "2018-05-29",
        "DestroyProxies",
        json!({"Force": "yes", "ProxyIds": ["link-11112222"]}),
        "InvalidParameter",
    )
    .await;

    assert!(error.message().unwrap().contains("Force"), "{error}");
    assert_variant!(
        error.map_service_error(DestroyProxiesError::from),
        DestroyProxiesError::Common => CommonError::InvalidParameter
    );
}

#[tokio::test]
async fn a_missing_required_parameter_is_missing_parameter() {
    let emulator = start_emulator().await;

    let error = refused(
        &emulator,
        "vpc",
        "2017-03-12",
        "DeleteVpnConnection",
        json!({"VpnGatewayId": "vpngw-7lcl5331"}),
        "MissingParameter",
    )
    .await;

    assert!(
        error.message().unwrap().contains("VpnConnectionId"),
        "{error}"
    );
    assert_variant!(
        error.map_service_error(DeleteVpnConnectionError::from),
        DeleteVpnConnectionError::Common => CommonError::MissingParameter
    );
}

#[tokio::test]
async fn an_unknown_action_is_invalid_action_and_an_unknown_version_is_no_such_version() {
    let emulator = start_emulator().await;

    refused(
        &emulator,
        "cvm",
        "2017-03-12",
        "DescribeNothing",
        json!({}),
        "InvalidAction",
    )
    .await;
    let error = refused(
        &emulator,
        "cvm",
        "2099-01-01",
        "TerminateInstances",
        json!({"InstanceIds": ["ins-3jaw1j8m"]}),
        "NoSuchVersion",
    )
    .await;
    assert!(error.message().unwrap().contains("2017-03-12"), "{error}");
    assert_variant!(
        error.map_service_error(TerminateInstancesError::from),
        TerminateInstancesError::Common => CommonError::NoSuchVersion
    );
}

#[tokio::test]
async fn an_action_sent_to_the_wrong_service_is_invalid_authorization() {
    let emulator = start_emulator().await;

    let error = refused(
        &emulator,
        "cvm",
        "2018-05-29",
        "DestroyProxies",
        json!({"Force": 1, "ProxyIds": ["link-11112222"]}),
        "AuthFailure.InvalidAuthorization",
    )
    .await;

    assert_variant!(
        error.map_service_error(DestroyProxiesError::from),
        DestroyProxiesError::Common => CommonError::AuthFailureInvalidAuthorization
    );
}

#[tokio::test]
async fn both_documented_languages_are_accepted() {
    let emulator = start_emulator().await;
    for language in [Language::ZhCn, Language::EnUs] {
        emulator
            .seed_vpn_connection(VpnConnection::new("vpnx-p0j11j28", "vpngw-7lcl5331"))
            .unwrap();
        let config = config_builder(&emulator)
            .language(language)
            .build()
            .unwrap();
        tencentcloud_sdk::vpc::v20170312::Client::new(&config)
            .delete_vpn_connection()
            .vpn_gateway_id("vpngw-7lcl5331")
            .vpn_connection_id("vpnx-p0j11j28")
            .send()
            .await
            .unwrap();
    }
    assert_eq!(emulator.request_log().len(), 2);
}

#[tokio::test]
async fn a_body_over_the_size_limit_is_request_size_limit_exceeded_typed() {
    let emulator = tencentcloud_tests::start_emulator_with(
        tencentcloud_tests::emulator_builder().max_body_bytes(512),
    )
    .await;
    let ids: Vec<String> = (0..100).map(|i| format!("ins-{i:08}")).collect();

    expect_service_error!(
        &emulator,
        tencentcloud_tests::cvm(&emulator)
            .terminate_instances()
            .instance_ids(ids)
            .send()
            .await,
        TerminateInstancesError::Common => CommonError::RequestSizeLimitExceeded,
        "RequestSizeLimitExceeded",
    );
}
