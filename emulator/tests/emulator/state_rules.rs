//! State rules: answers follow the reference pages for seeded resources.

use serde_json::json;
use tencentcloud_emulator::{
    Instance, InstanceState, Proxy, ProxyStatus, VpnConnection, VpnConnectionState, VpnGateway,
};

use super::support::{self, Raw};

fn terminate(ids: &[&str]) -> Raw {
    Raw::post("cvm", "TerminateInstances", json!({"InstanceIds": ids}))
}

fn destroy(force: i64, ids: &[&str]) -> Raw {
    Raw::post(
        "gaap",
        "DestroyProxies",
        json!({"Force": force, "ProxyIds": ids}),
    )
}

fn delete_vpn(gateway: &str, connection: &str) -> Raw {
    Raw::post(
        "vpc",
        "DeleteVpnConnection",
        json!({"VpnGatewayId": gateway, "VpnConnectionId": connection}),
    )
}

#[tokio::test]
async fn terminating_an_instance_marks_it_terminated_and_a_second_call_is_refused() {
    let handle = support::start().await;
    handle.seed_instance(Instance::new("ins-3jaw1j8m")).unwrap();
    assert_eq!(terminate(&["ins-3jaw1j8m"]).code(&handle).await, None);
    assert_eq!(
        handle.instance("ins-3jaw1j8m").unwrap().instance_state,
        InstanceState::Terminated
    );
    assert_eq!(
        terminate(&["ins-3jaw1j8m"]).code(&handle).await.as_deref(),
        Some("UnsupportedOperation.InstanceStateTerminated")
    );
}

#[tokio::test]
async fn terminating_a_protected_instance_is_instances_protected() {
    let handle = support::start().await;
    handle
        .seed_instance(Instance::new("ins-3jaw1j8m").protected(true))
        .unwrap();
    handle.seed_instance(Instance::new("ins-00000001")).unwrap();
    assert_eq!(
        terminate(&["ins-00000001", "ins-3jaw1j8m"])
            .code(&handle)
            .await
            .as_deref(),
        Some("UnsupportedOperation.InstancesProtected")
    );
    assert_eq!(
        handle.instance("ins-00000001").unwrap().instance_state,
        InstanceState::Running,
        "all or nothing"
    );
}

#[tokio::test]
async fn terminating_an_unknown_instance_is_not_found() {
    let handle = support::start().await;
    handle
        .seed_instance(Instance::new("ins-3jaw1j8m").region("ap-beijing"))
        .unwrap();
    assert_eq!(
        terminate(&["ins-99999999"]).code(&handle).await.as_deref(),
        Some("InvalidInstanceId.NotFound")
    );
    // An instance in another region is not found in this one.
    assert_eq!(
        terminate(&["ins-3jaw1j8m"]).code(&handle).await.as_deref(),
        Some("InvalidInstanceId.NotFound")
    );
}

#[tokio::test]
async fn a_malformed_instance_id_is_malformed() {
    let handle = support::start().await;
    for id in ["ins-1122", "ins-3JAW1J8M", "vm-3jaw1j8m", "ins-3jaw1j8m0"] {
        assert_eq!(
            terminate(&[id]).code(&handle).await.as_deref(),
            Some("InvalidInstanceId.Malformed"),
            "for {id}"
        );
    }
}

#[tokio::test]
async fn an_instance_in_a_transitional_state_gets_the_documented_state_code() {
    let handle = support::start().await;
    handle
        .seed_instance(Instance::new("ins-00000001").state(InstanceState::Pending))
        .unwrap();
    handle
        .seed_instance(Instance::new("ins-00000002").state(InstanceState::Stopped))
        .unwrap();
    assert_eq!(
        terminate(&["ins-00000001"]).code(&handle).await.as_deref(),
        Some("UnsupportedOperation.InstanceStatePending")
    );
    assert_eq!(terminate(&["ins-00000002"]).code(&handle).await, None);
}

#[tokio::test]
async fn destroying_a_bound_proxy_without_force_is_real_server_already_bound() {
    let handle = support::start().await;
    handle
        .seed_proxy(Proxy::new("link-11112222").real_server_bound(true))
        .unwrap();
    assert_eq!(
        destroy(0, &["link-11112222"])
            .code(&handle)
            .await
            .as_deref(),
        Some("FailedOperation.RealServerAlreadyBound")
    );
    assert!(handle.proxy("link-11112222").is_some());
}

#[tokio::test]
async fn destroying_a_bound_proxy_with_force_destroys_it() {
    let handle = support::start().await;
    handle
        .seed_proxy(Proxy::new("link-11112222").real_server_bound(true))
        .unwrap();
    assert_eq!(destroy(1, &["link-11112222"]).code(&handle).await, None);
    assert!(handle.proxy("link-11112222").is_none());
    assert!(handle.request_log()[0].took_effect);
}

#[tokio::test]
async fn a_proxy_in_a_non_destroyable_status_is_listed_in_invalid_status_instance_set() {
    let handle = support::start().await;
    handle.seed_proxy(Proxy::new("link-11113333")).unwrap();
    handle
        .seed_proxy(Proxy::new("link-11112222").status(ProxyStatus::Adjusting))
        .unwrap();
    let answer = destroy(1, &["link-11113333", "link-11112222"])
        .send(&handle)
        .await;
    assert_eq!(
        answer["Response"]["InvalidStatusInstanceSet"],
        json!(["link-11112222"])
    );
    assert_eq!(answer["Response"]["OperationFailedInstanceSet"], json!([]));
    assert!(handle.proxy("link-11113333").is_none());
    assert!(handle.proxy("link-11112222").is_some());
}

#[tokio::test]
async fn proxies_of_different_groups_are_belong_different_group() {
    let handle = support::start().await;
    handle
        .seed_proxy(Proxy::new("link-11113333").group("lg-aaaaaaaa"))
        .unwrap();
    handle
        .seed_proxy(Proxy::new("link-11112222").group("lg-bbbbbbbb"))
        .unwrap();
    assert_eq!(
        destroy(1, &["link-11113333", "link-11112222"])
            .code(&handle)
            .await
            .as_deref(),
        Some("FailedOperation.BelongDifferentGroup")
    );
    assert_eq!(handle.proxies().len(), 2);
}

#[tokio::test]
async fn destroying_an_unknown_proxy_is_resource_not_found() {
    let handle = support::start().await;
    assert_eq!(
        destroy(1, &["link-00000000"])
            .code(&handle)
            .await
            .as_deref(),
        Some("ResourceNotFound")
    );
}

#[tokio::test]
async fn the_deprecated_instance_ids_parameter_still_names_proxies() {
    let handle = support::start().await;
    handle.seed_proxy(Proxy::new("link-11112222")).unwrap();
    let raw = Raw::post(
        "gaap",
        "DestroyProxies",
        json!({"Force": 0, "InstanceIds": ["link-11112222"]}),
    );
    assert_eq!(raw.code(&handle).await, None);
    assert!(handle.proxy("link-11112222").is_none());
}

#[tokio::test]
async fn modifying_a_non_scalable_proxy_is_not_support_scalar() {
    let handle = support::start().await;
    handle
        .seed_proxy(Proxy::new("link-4ftf12sb").scalable(false))
        .unwrap();
    let raw = Raw::post(
        "gaap",
        "ModifyProxyConfiguration",
        json!({"ProxyId": "link-4ftf12sb", "Bandwidth": 20}),
    );
    assert_eq!(
        raw.code(&handle).await.as_deref(),
        Some("FailedOperation.NotSupportScalar")
    );
    assert_eq!(handle.proxy("link-4ftf12sb").unwrap().bandwidth, 10);
}

#[tokio::test]
async fn modifying_a_proxy_changes_its_configuration() {
    let handle = support::start().await;
    handle.seed_proxy(Proxy::new("link-4ftf12sb")).unwrap();
    let raw = Raw::post(
        "gaap",
        "ModifyProxyConfiguration",
        json!({"InstanceId": "link-4ftf12sb", "Bandwidth": 50, "BillingType": 1}),
    );
    assert_eq!(raw.code(&handle).await, None);
    let proxy = handle.proxy("link-4ftf12sb").unwrap();
    assert_eq!(
        (proxy.bandwidth, proxy.concurrent, proxy.billing_type),
        (50, 2, 1)
    );
    let raw = Raw::post(
        "gaap",
        "ModifyProxyConfiguration",
        json!({"ProxyId": "link-00000000", "Bandwidth": 50}),
    );
    assert_eq!(raw.code(&handle).await.as_deref(), Some("ResourceNotFound"));
}

#[tokio::test]
async fn deleting_a_vpn_connection_removes_it() {
    let handle = support::start().await;
    handle
        .seed_vpn_connection(VpnConnection::new("vpnx-p0j11j28", "vpngw-7lcl5331"))
        .unwrap();
    let raw = delete_vpn("vpngw-7lcl5331", "vpnx-p0j11j28");
    assert_eq!(raw.code(&handle).await, None);
    assert!(handle.vpn_connection("vpnx-p0j11j28").is_none());
    assert_eq!(raw.code(&handle).await.as_deref(), Some("ResourceNotFound"));
}

#[tokio::test]
async fn deleting_an_unknown_vpn_connection_is_resource_not_found() {
    let handle = support::start().await;
    handle
        .seed_vpn_gateway(VpnGateway::new("vpngw-7lcl5331"))
        .unwrap();
    handle
        .seed_vpn_connection(VpnConnection::new("vpnx-aaaaaaaa", "vpngw-bbbbbbbb"))
        .unwrap();
    for connection in ["vpnx-p0j11j28", "vpnx-aaaaaaaa"] {
        let raw = delete_vpn("vpngw-7lcl5331", connection);
        assert_eq!(
            raw.code(&handle).await.as_deref(),
            Some("ResourceNotFound"),
            "for {connection}"
        );
    }
}

#[tokio::test]
async fn a_malformed_vpn_id_is_malformed() {
    let handle = support::start().await;
    let raw = delete_vpn("gw-1", "vpnx-p0j11j28");
    assert_eq!(
        raw.code(&handle).await.as_deref(),
        Some("InvalidParameterValue.Malformed")
    );
}

#[tokio::test]
async fn a_vpn_connection_being_created_cannot_be_deleted() {
    let handle = support::start().await;
    handle
        .seed_vpn_connection(
            VpnConnection::new("vpnx-p0j11j28", "vpngw-7lcl5331")
                .state(VpnConnectionState::Pending),
        )
        .unwrap();
    let raw = delete_vpn("vpngw-7lcl5331", "vpnx-p0j11j28");
    assert_eq!(
        raw.code(&handle).await.as_deref(),
        Some("UnsupportedOperation.DeleteVpnConnInvalidState")
    );
}

#[tokio::test]
async fn seeding_a_malformed_instance_id_is_refused() {
    let handle = support::start().await;
    assert!(handle.seed_instance(Instance::new("ins-1122")).is_err());
    assert!(
        handle
            .seed_vpn_connection(VpnConnection::new("vpnx-p0j11j28", "gw"))
            .is_err()
    );
}

/// Emulators built from the same compiled specs share the specs and nothing else: what one
/// holds, the other does not see.
#[tokio::test]
async fn emulators_from_the_same_compiled_specs_keep_their_own_state() {
    let first = super::support::start().await;
    let second = super::support::start().await;
    first.seed_instance(Instance::new("ins-3jaw1j8m")).unwrap();
    assert!(first.instance("ins-3jaw1j8m").is_some());
    assert!(second.instance("ins-3jaw1j8m").is_none());
    assert_eq!(first.served_services(), second.served_services());
    assert_eq!(first.specs_dir(), second.specs_dir());
}
