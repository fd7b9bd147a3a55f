//! `send()` of the generated SDK rejects requests that break a documented rule with
//! `SdkError::Validation` naming the parameter and the rule, before any network I/O: every config
//! here points at a closed loopback port, so a request that got past validation would end in a
//! transport error instead (checked by the first test).

use std::time::Duration;

use tencentcloud_runtime::RetryConfig;
use tencentcloud_sdk::{Config, Credentials, SdkError, ValidationError};
use tencentcloud_sdk::{cvm, gaap, vpc};

/// A config whose endpoint is a loopback port nothing listens on.
fn closed_port_config(region: Option<&str>) -> Config {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let mut builder = Config::builder()
        .credentials(Credentials::new("AKIDtest", "test-secret-key").unwrap())
        .endpoint(format!("http://127.0.0.1:{port}"))
        .retry(RetryConfig::disabled())
        .connect_timeout(Duration::from_secs(2));
    if let Some(region) = region {
        builder = builder.region(region);
    }
    builder.build().unwrap()
}

fn validation<E: std::fmt::Debug>(
    result: Result<impl std::fmt::Debug, SdkError<E>>,
) -> ValidationError {
    match result {
        Err(SdkError::Validation(err)) => err,
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_valid_request_does_reach_the_network_so_validation_errors_prove_nothing_was_sent() {
    let client = cvm::v20170312::Client::new(&closed_port_config(Some("ap-guangzhou")));
    let result = client
        .terminate_instances()
        .instance_ids(["ins-3jaw1j8m"])
        .send()
        .await;
    assert!(matches!(result, Err(SdkError::Transport(_))), "{result:?}");
}

#[tokio::test]
async fn more_than_100_instance_ids_are_rejected() {
    let client = cvm::v20170312::Client::new(&closed_port_config(Some("ap-guangzhou")));
    let ids: Vec<String> = (0..101).map(|i| format!("ins-{i:08}")).collect();
    let err = validation(client.terminate_instances().instance_ids(ids).send().await);
    assert_eq!(err.parameter, "InstanceIds");
    assert_eq!(err.rule, "at most 100 items allowed, got 101");
}

#[tokio::test]
async fn force_outside_0_and_1_is_rejected() {
    let client = gaap::v20180529::Client::new(&closed_port_config(None));
    let err = validation(
        client
            .destroy_proxies()
            .force(2)
            .proxy_ids(["link-1"])
            .send()
            .await,
    );
    assert_eq!(err.parameter, "Force");
    assert_eq!(err.rule, "must be one of [0, 1], got 2");
}

#[tokio::test]
async fn a_65_character_client_token_is_rejected() {
    let client = gaap::v20180529::Client::new(&closed_port_config(None));
    let token = "t".repeat(65);
    let err = validation(
        client
            .destroy_proxies()
            .force(1)
            .proxy_ids(["link-1"])
            .client_token(token)
            .send()
            .await,
    );
    assert_eq!(err.parameter, "ClientToken");
    assert_eq!(err.rule, "at most 64 characters allowed, got 65");
}

#[tokio::test]
async fn a_non_ascii_client_token_is_rejected() {
    let client = gaap::v20180529::Client::new(&closed_port_config(None));
    let err = validation(
        client
            .modify_proxy_configuration()
            .proxy_id("link-1")
            .bandwidth(10)
            .client_token("令牌")
            .send()
            .await,
    );
    assert_eq!(err.parameter, "ClientToken");
    assert!(
        err.rule.starts_with("only ASCII characters allowed"),
        "{err}"
    );
}

#[tokio::test]
async fn neither_bandwidth_nor_concurrent_is_rejected() {
    let client = gaap::v20180529::Client::new(&closed_port_config(None));
    let err = validation(
        client
            .modify_proxy_configuration()
            .proxy_id("link-1")
            .send()
            .await,
    );
    assert_eq!(err.parameter, "Bandwidth, Concurrent");
    assert_eq!(
        err.rule,
        "at least one of Bandwidth, Concurrent must be set, none is"
    );
}

#[tokio::test]
#[allow(deprecated)]
async fn an_old_parameter_together_with_its_replacement_is_rejected() {
    let client = gaap::v20180529::Client::new(&closed_port_config(None));
    let err = validation(
        client
            .destroy_proxies()
            .force(0)
            .proxy_ids(["link-1"])
            .instance_ids(["link-1"])
            .send()
            .await,
    );
    assert_eq!(err.parameter, "ProxyIds, InstanceIds");
    assert!(
        err.rule
            .starts_with("exactly one of ProxyIds, InstanceIds must be set"),
        "{err}"
    );
}

#[tokio::test]
async fn a_missing_required_parameter_is_rejected() {
    let client = vpc::v20170312::Client::new(&closed_port_config(None));
    let err = validation(
        client
            .delete_vpn_connection()
            .vpn_gateway_id("vpngw-7lcl5331")
            .send()
            .await,
    );
    assert_eq!(err.parameter, "VpnConnectionId");
    assert_eq!(err.rule, "required but not set");
    let err = validation(
        gaap::v20180529::Client::new(&closed_port_config(None))
            .destroy_proxies()
            .proxy_ids(["link-1"])
            .send()
            .await,
    );
    assert_eq!(err.parameter, "Force");
}

#[tokio::test]
async fn cvm_without_a_region_is_rejected() {
    let client = cvm::v20170312::Client::new(&closed_port_config(None));
    let err = validation(
        client
            .terminate_instances()
            .instance_ids(["ins-3jaw1j8m"])
            .send()
            .await,
    );
    assert_eq!(err.parameter, "Region");
}

#[tokio::test]
async fn gaap_and_vpc_need_no_region() {
    let gaap = gaap::v20180529::Client::new(&closed_port_config(None));
    let result = gaap
        .destroy_proxies()
        .force(1)
        .proxy_ids(["link-1"])
        .send()
        .await;
    assert!(matches!(result, Err(SdkError::Transport(_))), "{result:?}");
    let vpc = vpc::v20170312::Client::new(&closed_port_config(None));
    let result = vpc
        .delete_vpn_connection()
        .vpn_gateway_id("vpngw-7lcl5331")
        .vpn_connection_id("vpnx-p0j11j28")
        .send()
        .await;
    assert!(matches!(result, Err(SdkError::Transport(_))), "{result:?}");
}

#[test]
fn builder_setters_fill_the_request_with_the_spec_types() {
    let config = closed_port_config(None);
    let builder = gaap::v20180529::Client::new(&config)
        .modify_proxy_configuration()
        .proxy_id("link-4ftf12sb")
        .bandwidth(10)
        .concurrent(2)
        .billing_type(1);
    let request = builder.as_request();
    assert_eq!(request.proxy_id.as_deref(), Some("link-4ftf12sb"));
    assert_eq!(
        (request.bandwidth, request.concurrent),
        (Some(10u64), Some(2u64))
    );
    assert_eq!(
        request.client_token, None,
        "filled by send(), not by the builder"
    );
    let json = serde_json::to_value(request).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"ProxyId": "link-4ftf12sb", "Bandwidth": 10, "Concurrent": 2, "BillingType": 1}),
        "unset options are omitted"
    );
}
