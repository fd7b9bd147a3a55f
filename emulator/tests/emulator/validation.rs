//! Spec-driven request validation: each code, and the lenient forms the docs use.

use serde_json::json;
use tencentcloud_emulator::{Instance, Proxy};

use super::support::{self, Raw};

async fn code(raw: Raw) -> Option<String> {
    let handle = support::start().await;
    raw.code(&handle).await
}

#[tokio::test]
async fn an_unknown_action_is_invalid_action() {
    let raw = Raw::post("cvm", "TerminateEverything", json!({}));
    assert_eq!(code(raw).await.as_deref(), Some("InvalidAction"));
}

#[tokio::test]
async fn an_unknown_version_is_no_such_version() {
    let mut raw = Raw::post(
        "cvm",
        "TerminateInstances",
        json!({"InstanceIds": ["ins-3jaw1j8m"]}),
    );
    raw.version = "2099-01-01".into();
    assert_eq!(code(raw).await.as_deref(), Some("NoSuchVersion"));
}

#[tokio::test]
async fn a_missing_action_header_is_missing_parameter() {
    let mut raw = Raw::post("cvm", "", json!({}));
    raw.action = String::new();
    assert_eq!(code(raw).await.as_deref(), Some("MissingParameter"));
}

#[tokio::test]
async fn an_unknown_parameter_is_unknown_parameter() {
    let raw = Raw::post(
        "gaap",
        "DestroyProxies",
        json!({"Force": 1, "ProxyIds": ["link-11112222"], "Forse": 1}),
    );
    assert_eq!(code(raw).await.as_deref(), Some("UnknownParameter"));
}

#[tokio::test]
async fn a_missing_required_parameter_is_missing_parameter() {
    let raw = Raw::post(
        "gaap",
        "DestroyProxies",
        json!({"ProxyIds": ["link-11112222"]}),
    );
    assert_eq!(code(raw).await.as_deref(), Some("MissingParameter"));
    let raw = Raw::post(
        "vpc",
        "DeleteVpnConnection",
        json!({"VpnGatewayId": "vpngw-7lcl5331"}),
    );
    assert_eq!(code(raw).await.as_deref(), Some("MissingParameter"));
}

#[tokio::test]
async fn a_missing_region_where_the_service_needs_one_is_missing_parameter() {
    let mut raw = Raw::post(
        "cvm",
        "TerminateInstances",
        json!({"InstanceIds": ["ins-3jaw1j8m"]}),
    );
    raw.region = None;
    assert_eq!(code(raw).await.as_deref(), Some("MissingParameter"));
    // GAAP does not need a region.
    let mut raw = Raw::post(
        "gaap",
        "DestroyProxies",
        json!({"Force": 1, "ProxyIds": ["link-00000000"]}),
    );
    raw.region = None;
    assert_eq!(code(raw).await.as_deref(), Some("ResourceNotFound"));
}

#[tokio::test]
async fn a_wrong_type_is_invalid_parameter() {
    for body in [
        json!({"Force": "one", "ProxyIds": ["link-11112222"]}),
        json!({"Force": 1.5, "ProxyIds": ["link-11112222"]}),
        json!({"Force": 1, "ProxyIds": "link-11112222"}),
        json!({"Force": 1, "ProxyIds": [7]}),
        json!({"Force": 1, "ProxyIds": ["link-11112222"], "ClientToken": 12}),
    ] {
        let raw = Raw::post("gaap", "DestroyProxies", body.clone());
        assert_eq!(
            code(raw).await.as_deref(),
            Some("InvalidParameter"),
            "for {body}"
        );
    }
    let raw = Raw::post(
        "cvm",
        "TerminateInstances",
        json!({"InstanceIds": ["ins-3jaw1j8m"], "ReleasePrepaidDataDisks": "maybe"}),
    );
    assert_eq!(code(raw).await.as_deref(), Some("InvalidParameter"));
}

#[tokio::test]
async fn a_value_outside_the_enum_is_invalid_parameter_value() {
    let raw = Raw::post(
        "gaap",
        "DestroyProxies",
        json!({"Force": 2, "ProxyIds": ["link-11112222"]}),
    );
    assert_eq!(code(raw).await.as_deref(), Some("InvalidParameterValue"));
    let raw = Raw::post(
        "gaap",
        "ModifyProxyConfiguration",
        json!({"ProxyId": "link-4ftf12sb", "Bandwidth": 10, "BillingType": 3}),
    );
    assert_eq!(code(raw).await.as_deref(), Some("InvalidParameterValue"));
}

#[tokio::test]
async fn a_negative_unsigned_integer_is_invalid_parameter_value() {
    let raw = Raw::post(
        "gaap",
        "ModifyProxyConfiguration",
        json!({"ProxyId": "link-4ftf12sb", "Bandwidth": -10}),
    );
    assert_eq!(code(raw).await.as_deref(), Some("InvalidParameterValue"));
}

#[tokio::test]
async fn more_than_100_instance_ids_is_limit_exceeded() {
    let ids: Vec<String> = (0..101).map(|i| format!("ins-{i:08}")).collect();
    let raw = Raw::post("cvm", "TerminateInstances", json!({"InstanceIds": ids}));
    assert_eq!(
        code(raw).await.as_deref(),
        Some("InvalidParameterValue.LimitExceeded")
    );
}

#[tokio::test]
async fn an_empty_instance_id_list_is_invalid_parameter_value() {
    let raw = Raw::post("cvm", "TerminateInstances", json!({"InstanceIds": []}));
    assert_eq!(code(raw).await.as_deref(), Some("InvalidParameterValue"));
}

#[tokio::test]
async fn a_client_token_over_64_characters_or_not_ascii_is_invalid_parameter_value() {
    for token in ["x".repeat(65), "tökén".to_string()] {
        let raw = Raw::post(
            "gaap",
            "DestroyProxies",
            json!({"Force": 1, "ProxyIds": ["link-11112222"], "ClientToken": token}),
        );
        assert_eq!(
            code(raw).await.as_deref(),
            Some("InvalidParameterValue"),
            "for {token}"
        );
    }
}

#[tokio::test]
async fn neither_bandwidth_nor_concurrent_breaks_the_group_constraint() {
    let raw = Raw::post(
        "gaap",
        "ModifyProxyConfiguration",
        json!({"ProxyId": "link-4ftf12sb", "BillingType": 0}),
    );
    assert_eq!(code(raw).await.as_deref(), Some("InvalidParameterValue"));
}

#[tokio::test]
async fn both_an_old_and_a_new_id_parameter_break_the_group_constraint() {
    let raw = Raw::post(
        "gaap",
        "DestroyProxies",
        json!({"Force": 1, "ProxyIds": ["link-11112222"], "InstanceIds": ["link-11112222"]}),
    );
    assert_eq!(code(raw).await.as_deref(), Some("InvalidParameterValue"));
    let raw = Raw::post("gaap", "ModifyProxyConfiguration", json!({"Bandwidth": 10}));
    assert_eq!(code(raw).await.as_deref(), Some("InvalidParameterValue"));
}

#[tokio::test]
async fn integers_sent_as_numeric_strings_are_accepted_as_the_docs_send_them() {
    let handle = support::start().await;
    handle.seed_proxy(Proxy::new("link-4ftf12sb")).unwrap();
    handle.seed_proxy(Proxy::new("link-11113333")).unwrap();
    handle.seed_proxy(Proxy::new("link-11112222")).unwrap();
    let raw = Raw::post(
        "gaap",
        "ModifyProxyConfiguration",
        json!({"ProxyId": "link-4ftf12sb", "Concurrent": "2", "Bandwidth": "10"}),
    );
    assert_eq!(raw.code(&handle).await, None);
    let proxy = handle.proxy("link-4ftf12sb").unwrap();
    assert_eq!((proxy.bandwidth, proxy.concurrent), (10, 2));
    let raw = Raw::post(
        "gaap",
        "DestroyProxies",
        json!({"Force": "1", "ProxyIds": ["link-11113333", "link-11112222"]}),
    );
    assert_eq!(raw.code(&handle).await, None);
    assert!(
        handle
            .proxies()
            .iter()
            .all(|p| p.proxy_id == "link-4ftf12sb")
    );
}

#[tokio::test]
async fn the_get_form_with_indexed_arrays_from_the_chinese_page_is_accepted() {
    let handle = support::start().await;
    handle.seed_proxy(Proxy::new("link-11112222")).unwrap();
    handle.seed_proxy(Proxy::new("link-11113333")).unwrap();
    let mut raw = Raw::get(
        "gaap",
        "DestroyProxies",
        "ProxyIds.0=link-11112222&ProxyIds.1=link-11113333&Force=1",
    );
    raw.region = None;
    let answer = raw.send(&handle).await;
    assert_eq!(
        answer["Response"]["InvalidStatusInstanceSet"],
        json!([]),
        "{answer}"
    );
    assert!(handle.proxies().is_empty());
}

#[tokio::test]
async fn a_non_json_body_is_invalid_parameter() {
    for body in [&b"not json"[..], b"[1,2]", b"\"text\"", b"{\"Force\":"] {
        let raw = Raw::post_bytes("gaap", "DestroyProxies", body.to_vec());
        assert_eq!(
            code(raw).await.as_deref(),
            Some("InvalidParameter"),
            "for {:?}",
            String::from_utf8_lossy(body)
        );
    }
}

#[tokio::test]
async fn a_deeply_nested_body_is_invalid_parameter() {
    let body = format!("{{\"Force\":{}1{}}}", "[".repeat(5000), "]".repeat(5000));
    let raw = Raw::post_bytes("gaap", "DestroyProxies", body.into_bytes());
    assert_eq!(code(raw).await.as_deref(), Some("InvalidParameter"));
}

#[tokio::test]
async fn a_body_over_the_size_limit_is_request_size_limit_exceeded() {
    let handle = support::start_with(support::builder().max_body_bytes(1024)).await;
    let raw = Raw::post_bytes("gaap", "DestroyProxies", vec![b' '; 4096]);
    assert_eq!(
        raw.code(&handle).await.as_deref(),
        Some("RequestSizeLimitExceeded")
    );
}

#[tokio::test]
async fn a_form_encoded_post_is_invalid_parameter() {
    let mut raw = Raw::post_bytes("gaap", "DestroyProxies", b"Force=1".to_vec());
    raw.content_type = "application/x-www-form-urlencoded".into();
    assert_eq!(code(raw).await.as_deref(), Some("InvalidParameter"));
}

#[tokio::test]
async fn validation_failures_never_touch_state() {
    let handle = support::start().await;
    handle.seed_instance(Instance::new("ins-3jaw1j8m")).unwrap();
    let raw = Raw::post(
        "cvm",
        "TerminateInstances",
        json!({"InstanceIds": ["ins-3jaw1j8m"], "Extra": 1}),
    );
    assert_eq!(raw.code(&handle).await.as_deref(), Some("UnknownParameter"));
    assert_eq!(
        handle.instance("ins-3jaw1j8m").unwrap().instance_state,
        tencentcloud_emulator::InstanceState::Running
    );
    assert!(!handle.request_log()[0].took_effect);
}
