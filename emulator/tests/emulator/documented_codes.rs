//! Every error code the emulator answers is one the reference pages document for that action or
//! in the common error codes, so generated SDKs can map each to a typed variant.

use std::collections::HashSet;
use std::path::Path;

use serde_json::json;
use tencentcloud_emulator::{
    DEFAULT_SPECS_DIR, Fault, Instance, InstanceState, Proxy, ProxyStatus, VpnConnection,
    VpnConnectionState,
};

use tencentcloud_spec::index::SpecIndex;

use super::support::{self, Raw};

#[tokio::test]
async fn every_error_code_answered_is_documented_for_its_action_or_common() {
    let index = SpecIndex::open(Path::new(DEFAULT_SPECS_DIR)).unwrap();
    let specs: Vec<_> = ["cvm", "gaap", "vpc"]
        .into_iter()
        .flat_map(|service| index.load(service).unwrap())
        .collect();
    let common: HashSet<&str> = index
        .common()
        .errors
        .iter()
        .map(|e| e.code.as_str())
        .collect();

    let handle = support::start_with(support::builder().rate_limits(true)).await;
    handle
        .seed_instance(Instance::new("ins-00000001").protected(true))
        .unwrap();
    handle
        .seed_instance(Instance::new("ins-00000002").state(InstanceState::Rebooting))
        .unwrap();
    handle
        .seed_proxy(
            Proxy::new("link-00000001")
                .real_server_bound(true)
                .group("lg-1"),
        )
        .unwrap();
    handle
        .seed_proxy(Proxy::new("link-00000002").group("lg-2"))
        .unwrap();
    handle
        .seed_proxy(Proxy::new("link-00000003").scalable(false))
        .unwrap();
    handle
        .seed_proxy(Proxy::new("link-00000004").status(ProxyStatus::Isolating))
        .unwrap();
    handle
        .seed_vpn_connection(
            VpnConnection::new("vpnx-00000001", "vpngw-00000001")
                .state(VpnConnectionState::Deleting),
        )
        .unwrap();

    let calls = [
        (
            "cvm",
            "TerminateInstances",
            json!({"InstanceIds": ["ins-1"]}),
        ),
        (
            "cvm",
            "TerminateInstances",
            json!({"InstanceIds": ["ins-99999999"]}),
        ),
        (
            "cvm",
            "TerminateInstances",
            json!({"InstanceIds": ["ins-00000001"]}),
        ),
        (
            "cvm",
            "TerminateInstances",
            json!({"InstanceIds": ["ins-00000002"]}),
        ),
        (
            "cvm",
            "TerminateInstances",
            json!({"InstanceIds": (0..101).map(|i| format!("ins-{i:08}")).collect::<Vec<_>>()}),
        ),
        (
            "cvm",
            "TerminateInstances",
            json!({"InstanceIds": "ins-00000001"}),
        ),
        ("cvm", "TerminateInstances", json!({})),
        (
            "gaap",
            "DestroyProxies",
            json!({"Force": 0, "ProxyIds": ["link-00000001"]}),
        ),
        (
            "gaap",
            "DestroyProxies",
            json!({"Force": 1, "ProxyIds": ["link-00000001", "link-00000002"]}),
        ),
        (
            "gaap",
            "DestroyProxies",
            json!({"Force": 1, "ProxyIds": ["link-99999999"]}),
        ),
        (
            "gaap",
            "DestroyProxies",
            json!({"Force": 1, "ProxyIds": ["link-00000004"], "ClientToken": "a"}),
        ),
        (
            "gaap",
            "DestroyProxies",
            json!({"Force": 0, "ProxyIds": ["link-00000004"], "ClientToken": "a"}),
        ),
        ("gaap", "DestroyProxies", json!({"Force": 1, "Nope": 1})),
        (
            "gaap",
            "ModifyProxyConfiguration",
            json!({"ProxyId": "link-00000003", "Bandwidth": 1}),
        ),
        (
            "gaap",
            "ModifyProxyConfiguration",
            json!({"ProxyId": "link-00000004", "Bandwidth": 1}),
        ),
        (
            "gaap",
            "ModifyProxyConfiguration",
            json!({"ProxyId": "link-99999999", "Bandwidth": 1}),
        ),
        (
            "gaap",
            "ModifyProxyConfiguration",
            json!({"ProxyId": "link-00000003"}),
        ),
        (
            "vpc",
            "DeleteVpnConnection",
            json!({"VpnGatewayId": "vpngw-1", "VpnConnectionId": "vpnx-00000001"}),
        ),
        (
            "vpc",
            "DeleteVpnConnection",
            json!({"VpnGatewayId": "vpngw-00000001", "VpnConnectionId": "vpnx-00000001"}),
        ),
        (
            "vpc",
            "DeleteVpnConnection",
            json!({"VpnGatewayId": "vpngw-00000001", "VpnConnectionId": "vpnx-99999999"}),
        ),
    ];
    for (service, action, body) in calls {
        Raw::post(service, action, body).send(&handle).await;
    }
    handle
        .script_fault("*", Fault::internal_error(), 1)
        .unwrap();
    Raw::post("vpc", "DeleteVpnConnection", json!({}))
        .send(&handle)
        .await;
    for _ in 0..25 {
        Raw::post(
            "gaap",
            "DestroyProxies",
            json!({"Force": 1, "ProxyIds": ["link-99999999"]}),
        )
        .send(&handle)
        .await;
    }

    let mut seen = HashSet::new();
    for entry in handle.request_log() {
        let Some(code) = entry.error_code() else {
            continue;
        };
        let spec = specs
            .iter()
            .find(|s| s.spec.metadata.service_short_name == entry.service)
            .unwrap_or_else(|| panic!("{entry:?} names its service"));
        let documented = spec.spec.actions[&entry.action]
            .errors
            .iter()
            .any(|e| e.code == code);
        assert!(
            documented || common.contains(code),
            "{} answered undocumented {code}",
            entry.action
        );
        seen.insert(code.to_string());
    }
    assert!(
        seen.len() >= 18,
        "the scenario covers the emulator's codes: {seen:?}"
    );
}
