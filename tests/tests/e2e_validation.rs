//! Client-side validation: a request that breaks a documented rule fails with
//! `SdkError::Validation` naming the parameter, and never reaches the emulator (its log stays
//! empty). The boundary values just inside each rule do reach it.

use tencentcloud_emulator::{EmulatorHandle, Instance, Proxy};
use tencentcloud_runtime::{Config, SdkError, ValidationError};
use tencentcloud_sdk::cvm::v20170312 as cvm;
use tencentcloud_tests::{credentials, gaap, start_emulator, vpc};

/// Asserts that the SDK refused the call with a validation error and sent nothing to `emulator`
/// (its log is empty); returns the error.
fn refused_before_sending<E: std::fmt::Debug>(
    emulator: &EmulatorHandle,
    result: Result<impl std::fmt::Debug, SdkError<E>>,
) -> ValidationError {
    let error = match result {
        Err(SdkError::Validation(e)) => e,
        other => panic!("expected a validation error, got {other:?}"),
    };
    let log = emulator.request_log();
    assert!(log.is_empty(), "nothing reached the emulator: {log:#?}");
    error
}

#[tokio::test]
async fn terminating_101_instances_is_refused_before_sending() {
    let emulator = start_emulator().await;
    let ids: Vec<String> = (0..101).map(|i| format!("ins-{i:08}")).collect();

    let error = refused_before_sending(
        &emulator,
        tencentcloud_tests::cvm(&emulator)
            .terminate_instances()
            .instance_ids(ids)
            .send()
            .await,
    );

    assert_eq!(error.parameter, "InstanceIds");
    assert_eq!(error.rule, "at most 100 items allowed, got 101");
    assert_eq!(
        error.to_string(),
        "invalid parameter `InstanceIds`: at most 100 items allowed, got 101"
    );
}

#[tokio::test]
async fn terminating_exactly_100_instances_is_sent() {
    let emulator = start_emulator().await;
    let ids: Vec<String> = (0..100).map(|i| format!("ins-{i:08}")).collect();
    for id in &ids {
        emulator.seed_instance(Instance::new(id)).unwrap();
    }

    tencentcloud_tests::cvm(&emulator)
        .terminate_instances()
        .instance_ids(ids)
        .send()
        .await
        .unwrap();

    assert_eq!(emulator.request_log().len(), 1);
}

#[tokio::test]
async fn terminating_no_instances_is_refused_before_sending() {
    let emulator = start_emulator().await;
    let client = tencentcloud_tests::cvm(&emulator);

    let empty = refused_before_sending(
        &emulator,
        client
            .terminate_instances()
            .instance_ids(Vec::<String>::new())
            .send()
            .await,
    );
    let unset = refused_before_sending(&emulator, client.terminate_instances().send().await);

    assert_eq!(empty.parameter, "InstanceIds");
    assert_eq!(unset.parameter, "InstanceIds");
}

#[tokio::test]
async fn terminate_instances_without_a_region_is_refused_before_sending() {
    let emulator = start_emulator().await;
    let no_region = Config::builder()
        .credentials(credentials())
        .endpoint(emulator.endpoint())
        .build()
        .unwrap();

    let error = refused_before_sending(
        &emulator,
        cvm::Client::new(&no_region)
            .terminate_instances()
            .instance_ids(["ins-3jaw1j8m"])
            .send()
            .await,
    );

    assert_eq!(error.parameter, "Region");
    assert!(error.rule.contains("requires a region"), "{error}");
}

#[tokio::test]
async fn gaap_and_vpc_actions_need_no_region() {
    let emulator = start_emulator().await;
    emulator
        .seed_proxy(tencentcloud_emulator::Proxy::new("link-11112222"))
        .unwrap();
    emulator
        .seed_vpn_connection(tencentcloud_emulator::VpnConnection::new(
            "vpnx-p0j11j28",
            "vpngw-7lcl5331",
        ))
        .unwrap();
    let no_region = Config::builder()
        .credentials(credentials())
        .endpoint(emulator.endpoint())
        .build()
        .unwrap();

    tencentcloud_sdk::gaap::v20180529::Client::new(&no_region)
        .destroy_proxies()
        .force(1)
        .proxy_ids(["link-11112222"])
        .send()
        .await
        .unwrap();
    tencentcloud_sdk::vpc::v20170312::Client::new(&no_region)
        .delete_vpn_connection()
        .vpn_gateway_id("vpngw-7lcl5331")
        .vpn_connection_id("vpnx-p0j11j28")
        .send()
        .await
        .unwrap();

    assert!(emulator.proxies().is_empty());
    assert!(emulator.vpn_connections().is_empty());
}

#[tokio::test]
async fn force_other_than_0_or_1_is_refused_before_sending() {
    let emulator = start_emulator().await;
    emulator.seed_proxy(Proxy::new("link-11112222")).unwrap();

    let error = refused_before_sending(
        &emulator,
        gaap(&emulator)
            .destroy_proxies()
            .force(2)
            .proxy_ids(["link-11112222"])
            .send()
            .await,
    );

    assert_eq!(error.parameter, "Force");
    assert_eq!(error.rule, "must be one of [0, 1], got 2");
    assert!(emulator.proxy("link-11112222").is_some());
}

#[tokio::test]
async fn destroy_proxies_without_force_is_refused_before_sending() {
    let emulator = start_emulator().await;

    let error = refused_before_sending(
        &emulator,
        gaap(&emulator)
            .destroy_proxies()
            .proxy_ids(["link-11112222"])
            .send()
            .await,
    );

    assert_eq!(error.parameter, "Force");
}

#[tokio::test]
async fn a_65_character_client_token_is_refused_before_sending() {
    let emulator = start_emulator().await;

    let error = refused_before_sending(
        &emulator,
        gaap(&emulator)
            .destroy_proxies()
            .force(1)
            .proxy_ids(["link-11112222"])
            .client_token("t".repeat(65))
            .send()
            .await,
    );

    assert_eq!(error.parameter, "ClientToken");
    assert!(error.rule.contains("64"), "{error}");
}

#[tokio::test]
async fn a_64_character_client_token_is_sent_verbatim() {
    let emulator = start_emulator().await;
    emulator.seed_proxy(Proxy::new("link-11112222")).unwrap();
    let token = "t".repeat(64);

    gaap(&emulator)
        .destroy_proxies()
        .force(1)
        .proxy_ids(["link-11112222"])
        .client_token(token.clone())
        .send()
        .await
        .unwrap();

    assert_eq!(emulator.request_log()[0].client_token, Some(token));
}

#[tokio::test]
async fn a_non_ascii_client_token_is_refused_before_sending() {
    let emulator = start_emulator().await;

    let error = refused_before_sending(
        &emulator,
        gaap(&emulator)
            .modify_proxy_configuration()
            .proxy_id("link-4ftf12sb")
            .bandwidth(10)
            .client_token("令牌")
            .send()
            .await,
    );

    assert_eq!(error.parameter, "ClientToken");
}

#[tokio::test]
async fn destroy_proxies_with_both_proxy_ids_and_instance_ids_is_refused_before_sending() {
    let emulator = start_emulator().await;

    #[allow(deprecated)]
    let builder = gaap(&emulator)
        .destroy_proxies()
        .force(1)
        .proxy_ids(["link-11112222"])
        .instance_ids(["link-11113333"]);
    let error = refused_before_sending(&emulator, builder.send().await);

    assert_eq!(error.parameter, "ProxyIds, InstanceIds");
    assert!(error.rule.contains("exactly one"), "{error}");
}

#[tokio::test]
async fn destroy_proxies_naming_no_proxy_is_refused_before_sending() {
    let emulator = start_emulator().await;

    let error = refused_before_sending(
        &emulator,
        gaap(&emulator).destroy_proxies().force(1).send().await,
    );

    assert_eq!(error.parameter, "ProxyIds, InstanceIds");
}

#[tokio::test]
async fn modify_proxy_configuration_with_neither_bandwidth_nor_concurrent_is_refused_before_sending()
 {
    let emulator = start_emulator().await;

    let error = refused_before_sending(
        &emulator,
        gaap(&emulator)
            .modify_proxy_configuration()
            .proxy_id("link-4ftf12sb")
            .send()
            .await,
    );

    assert_eq!(error.parameter, "Bandwidth, Concurrent");
    assert_eq!(
        error.rule,
        "at least one of Bandwidth, Concurrent must be set, none is"
    );
}

#[tokio::test]
async fn modify_proxy_configuration_with_both_proxy_id_and_instance_id_is_refused_before_sending() {
    let emulator = start_emulator().await;

    #[allow(deprecated)]
    let builder = gaap(&emulator)
        .modify_proxy_configuration()
        .proxy_id("link-4ftf12sb")
        .instance_id("link-4ftf12sb")
        .bandwidth(10);
    let error = refused_before_sending(&emulator, builder.send().await);

    assert_eq!(error.parameter, "ProxyId, InstanceId");
    assert!(error.rule.contains("got 2"), "{error}");
}

#[tokio::test]
async fn modify_proxy_configuration_naming_no_proxy_is_refused_before_sending() {
    let emulator = start_emulator().await;

    let error = refused_before_sending(
        &emulator,
        gaap(&emulator)
            .modify_proxy_configuration()
            .bandwidth(10)
            .send()
            .await,
    );

    assert_eq!(error.parameter, "ProxyId, InstanceId");
}

#[tokio::test]
async fn a_billing_type_other_than_0_or_1_is_refused_before_sending() {
    let emulator = start_emulator().await;

    let error = refused_before_sending(
        &emulator,
        gaap(&emulator)
            .modify_proxy_configuration()
            .proxy_id("link-4ftf12sb")
            .bandwidth(10)
            .billing_type(2)
            .send()
            .await,
    );

    assert_eq!(error.parameter, "BillingType");
}

#[tokio::test]
async fn delete_vpn_connection_without_either_id_is_refused_before_sending() {
    let emulator = start_emulator().await;
    let client = vpc(&emulator);

    let no_gateway = refused_before_sending(
        &emulator,
        client
            .delete_vpn_connection()
            .vpn_connection_id("vpnx-p0j11j28")
            .send()
            .await,
    );
    let no_connection = refused_before_sending(
        &emulator,
        client
            .delete_vpn_connection()
            .vpn_gateway_id("vpngw-7lcl5331")
            .send()
            .await,
    );

    assert_eq!(no_gateway.parameter, "VpnGatewayId");
    assert_eq!(no_connection.parameter, "VpnConnectionId");
}

#[tokio::test]
async fn a_validation_error_is_not_retryable_and_has_no_service_metadata() {
    let emulator = start_emulator().await;

    let error = gaap(&emulator)
        .destroy_proxies()
        .force(2)
        .proxy_ids(["link-11112222"])
        .send()
        .await
        .unwrap_err();

    assert!(!error.is_retryable());
    assert_eq!(error.code(), None);
    assert_eq!(error.request_id(), None);
    assert!(emulator.request_log().is_empty());
}
