//! GAAP `DestroyProxies` and `ModifyProxyConfiguration` through the generated SDK: success and
//! every error the emulator models, and `DescribeProxies` listing what they left.

use tencentcloud_emulator::{EmulatorHandle, Proxy, ProxyStatus};
use tencentcloud_runtime::SdkError;
use tencentcloud_sdk::CommonError;
use tencentcloud_sdk::gaap::v20180529::{
    DestroyProxiesError, ModifyProxyConfigurationError, ModifyProxyConfigurationOutput,
};
use tencentcloud_tests::{
    assert_took_effect, destroy_proxies, expect_service_error, gaap, seed_proxies, start_emulator,
};

/// `ModifyProxyConfiguration` of `proxy_id` to `bandwidth` Mbps, nothing else set.
async fn set_bandwidth(
    emulator: &EmulatorHandle,
    proxy_id: &str,
    bandwidth: u64,
) -> Result<ModifyProxyConfigurationOutput, SdkError<ModifyProxyConfigurationError>> {
    gaap(emulator)
        .modify_proxy_configuration()
        .proxy_id(proxy_id)
        .bandwidth(bandwidth)
        .send()
        .await
}

#[tokio::test]
async fn destroy_proxies_without_force_destroys_proxies_with_no_origin_server() {
    let emulator = start_emulator().await;
    seed_proxies(
        &emulator,
        &["link-11112222", "link-11113333", "link-keepme01"],
    );

    let output = destroy_proxies(&emulator, 0, &["link-11112222", "link-11113333"])
        .await
        .unwrap();

    assert!(output.invalid_status_instance_set.is_empty(), "{output:?}");
    assert!(
        output.operation_failed_instance_set.is_empty(),
        "{output:?}"
    );
    assert_took_effect(&emulator, &output.request_id);
    assert!(emulator.proxy("link-11112222").is_none());
    assert!(emulator.proxy("link-11113333").is_none());
    assert!(emulator.proxy("link-keepme01").is_some());
}

#[tokio::test]
async fn destroying_a_bound_proxy_without_force_is_real_server_already_bound_and_keeps_it() {
    let emulator = start_emulator().await;
    emulator
        .seed_proxy(Proxy::new("link-11112222").real_server_bound(true))
        .unwrap();
    seed_proxies(&emulator, &["link-11113333"]);

    let refused = expect_service_error!(
        &emulator,
        destroy_proxies(&emulator, 0, &["link-11112222", "link-11113333"]).await,
        DestroyProxiesError::FailedOperationRealServerAlreadyBound,
        "FailedOperation.RealServerAlreadyBound",
    );

    refused.assert_message_names("link-11112222");
    assert!(emulator.proxy("link-11112222").is_some());
    assert!(
        emulator.proxy("link-11113333").is_some(),
        "a refused batch destroys nothing"
    );
}

#[tokio::test]
async fn destroying_a_bound_proxy_with_force_destroys_it() {
    let emulator = start_emulator().await;
    emulator
        .seed_proxy(Proxy::new("link-11112222").real_server_bound(true))
        .unwrap();

    let output = destroy_proxies(&emulator, 1, &["link-11112222"])
        .await
        .unwrap();

    assert!(output.invalid_status_instance_set.is_empty());
    assert_took_effect(&emulator, &output.request_id);
    assert!(emulator.proxy("link-11112222").is_none());
    assert!(emulator.proxies().is_empty());
}

#[tokio::test]
async fn a_proxy_in_a_non_destroyable_status_is_listed_in_invalid_status_instance_set_and_kept() {
    let emulator = start_emulator().await;
    emulator
        .seed_proxy(Proxy::new("link-11112222").status(ProxyStatus::Adjusting))
        .unwrap();
    seed_proxies(&emulator, &["link-11113333"]);

    let output = destroy_proxies(&emulator, 1, &["link-11113333", "link-11112222"])
        .await
        .unwrap();

    assert_eq!(output.invalid_status_instance_set, ["link-11112222"]);
    assert!(output.operation_failed_instance_set.is_empty());
    assert_took_effect(&emulator, &output.request_id);
    assert_eq!(
        emulator.proxy("link-11112222").unwrap().status,
        ProxyStatus::Adjusting
    );
    assert!(emulator.proxy("link-11113333").is_none());
}

#[tokio::test]
async fn destroying_proxies_of_different_groups_is_belong_different_group_and_destroys_none() {
    let emulator = start_emulator().await;
    for (proxy, group) in [
        ("link-11112222", "lg-aaaaaaaa"),
        ("link-11113333", "lg-bbbbbbbb"),
    ] {
        emulator.seed_proxy(Proxy::new(proxy).group(group)).unwrap();
    }

    expect_service_error!(
        &emulator,
        destroy_proxies(&emulator, 1, &["link-11112222", "link-11113333"]).await,
        DestroyProxiesError::FailedOperationBelongDifferentGroup,
        "FailedOperation.BelongDifferentGroup",
    );

    assert_eq!(emulator.proxies().len(), 2);
}

#[tokio::test]
async fn destroying_proxies_of_one_group_together_succeeds() {
    let emulator = start_emulator().await;
    for proxy in ["link-11112222", "link-11113333"] {
        emulator
            .seed_proxy(Proxy::new(proxy).group("lg-aaaaaaaa"))
            .unwrap();
    }

    destroy_proxies(&emulator, 1, &["link-11112222", "link-11113333"])
        .await
        .unwrap();

    assert!(emulator.proxies().is_empty());
}

#[tokio::test]
async fn destroying_an_unknown_proxy_is_resource_not_found() {
    let emulator = start_emulator().await;
    seed_proxies(&emulator, &["link-11112222"]);

    let refused = expect_service_error!(
        &emulator,
        destroy_proxies(&emulator, 1, &["link-11112222", "link-00000000"]).await,
        DestroyProxiesError::Common => CommonError::ResourceNotFound,
        "ResourceNotFound",
    );

    refused.assert_message_names("link-00000000");
    assert!(emulator.proxy("link-11112222").is_some());
}

#[tokio::test]
#[allow(deprecated)]
async fn the_deprecated_instance_ids_parameter_still_destroys_proxies() {
    let emulator = start_emulator().await;
    seed_proxies(&emulator, &["link-11112222"]);

    let output = gaap(&emulator)
        .destroy_proxies()
        .force(1)
        .instance_ids(["link-11112222"])
        .send()
        .await
        .unwrap();

    assert_took_effect(&emulator, &output.request_id);
    assert!(emulator.proxy("link-11112222").is_none());
}

#[tokio::test]
async fn modify_proxy_configuration_changes_bandwidth_concurrency_and_billing_type() {
    let emulator = start_emulator().await;
    seed_proxies(&emulator, &["link-4ftf12sb"]);

    let output = gaap(&emulator)
        .modify_proxy_configuration()
        .proxy_id("link-4ftf12sb")
        .bandwidth(20)
        .concurrent(5)
        .billing_type(1)
        .send()
        .await
        .unwrap();

    assert_took_effect(&emulator, &output.request_id);
    let proxy = emulator.proxy("link-4ftf12sb").unwrap();
    assert_eq!(
        (proxy.bandwidth, proxy.concurrent, proxy.billing_type),
        (20, 5, 1)
    );
}

#[tokio::test]
async fn modifying_only_the_bandwidth_leaves_the_concurrency_unchanged() {
    let emulator = start_emulator().await;
    seed_proxies(&emulator, &["link-4ftf12sb"]);
    let before = emulator.proxy("link-4ftf12sb").unwrap();

    set_bandwidth(&emulator, "link-4ftf12sb", 50).await.unwrap();

    let after = emulator.proxy("link-4ftf12sb").unwrap();
    assert_eq!(after.bandwidth, 50);
    assert_eq!(after.concurrent, before.concurrent);
}

#[tokio::test]
#[allow(deprecated)]
async fn the_deprecated_instance_id_parameter_still_modifies_the_proxy() {
    let emulator = start_emulator().await;
    seed_proxies(&emulator, &["link-4ftf12sb"]);

    gaap(&emulator)
        .modify_proxy_configuration()
        .instance_id("link-4ftf12sb")
        .concurrent(7)
        .send()
        .await
        .unwrap();

    assert_eq!(emulator.proxy("link-4ftf12sb").unwrap().concurrent, 7);
}

#[tokio::test]
async fn modifying_a_non_scalable_proxy_is_not_support_scalar_and_changes_nothing() {
    let emulator = start_emulator().await;
    emulator
        .seed_proxy(Proxy::new("link-4ftf12sb").scalable(false))
        .unwrap();
    let before = emulator.proxy("link-4ftf12sb").unwrap();

    let refused = expect_service_error!(
        &emulator,
        set_bandwidth(&emulator, "link-4ftf12sb", 20).await,
        ModifyProxyConfigurationError::FailedOperationNotSupportScalar,
        "FailedOperation.NotSupportScalar",
    );

    refused.assert_message_names("link-4ftf12sb");
    assert_eq!(emulator.proxy("link-4ftf12sb").unwrap(), before);
}

#[tokio::test]
async fn modifying_an_unknown_proxy_is_resource_not_found() {
    let emulator = start_emulator().await;

    expect_service_error!(
        &emulator,
        set_bandwidth(&emulator, "link-00000000", 20).await,
        ModifyProxyConfigurationError::Common => CommonError::ResourceNotFound,
        "ResourceNotFound",
    );
}

#[tokio::test]
async fn modifying_a_proxy_that_is_not_running_is_resource_unavailable() {
    let emulator = start_emulator().await;
    emulator
        .seed_proxy(Proxy::new("link-4ftf12sb").status(ProxyStatus::Isolated))
        .unwrap();
    let before = emulator.proxy("link-4ftf12sb").unwrap();

    expect_service_error!(
        &emulator,
        set_bandwidth(&emulator, "link-4ftf12sb", 20).await,
        ModifyProxyConfigurationError::Common => CommonError::ResourceUnavailable,
        "ResourceUnavailable",
    );

    assert_eq!(emulator.proxy("link-4ftf12sb").unwrap(), before);
}

#[tokio::test]
async fn a_configuration_change_reads_back_under_both_names_of_the_proxy_listing() {
    let emulator = start_emulator().await;
    seed_proxies(&emulator, &["link-11112222", "link-11113333"]);
    set_bandwidth(&emulator, "link-11112222", 50).await.unwrap();
    let read = gaap(&emulator)
        .describe_proxies()
        .proxy_ids(["link-11112222".to_owned()])
        .send()
        .await
        .unwrap();
    assert_eq!(read.total_count, Some(1));
    let listed = |set: &[tencentcloud_sdk::gaap::v20180529::types::ProxyInfo]| {
        set.iter()
            .map(|p| (p.proxy_id.clone(), p.instance_id.clone(), p.bandwidth))
            .collect::<Vec<_>>()
    };
    let expected = vec![(
        Some("link-11112222".to_owned()),
        Some("link-11112222".to_owned()),
        Some(50),
    )];
    assert_eq!(listed(&read.proxy_set), expected);
    // `InstanceSet` is the older name of the same listing.
    assert_eq!(listed(&read.instance_set), expected);
    assert_eq!(emulator.proxy("link-11112222").unwrap().bandwidth, 50);
}
