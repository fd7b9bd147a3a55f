//! ClientToken idempotency.

use serde_json::json;
use tencentcloud_emulator::Proxy;

use super::support::{self, Raw};

#[tokio::test]
async fn the_same_token_and_body_replays_the_first_answer_without_acting_twice() {
    let handle = support::start().await;
    handle.seed_proxy(Proxy::new("link-11112222")).unwrap();
    handle
        .seed_proxy(Proxy::new("link-11113333").status(tencentcloud_emulator::ProxyStatus::Closing))
        .unwrap();
    let body = json!({"Force": 1, "ProxyIds": ["link-11112222", "link-11113333"], "ClientToken": "token-1"});
    let first = Raw::post("gaap", "DestroyProxies", body.clone())
        .send(&handle)
        .await;
    // The same request with integers as strings and keys reordered is the same request.
    let again = json!({"ClientToken": "token-1", "ProxyIds": ["link-11112222", "link-11113333"], "Force": "1"});
    let second = Raw::post("gaap", "DestroyProxies", again)
        .send(&handle)
        .await;
    assert_eq!(
        first["Response"]["InvalidStatusInstanceSet"],
        json!(["link-11113333"])
    );
    assert_eq!(
        second["Response"]["InvalidStatusInstanceSet"],
        first["Response"]["InvalidStatusInstanceSet"]
    );
    assert!(second["Response"]["Error"].is_null(), "{second}");
    let log = handle.request_log();
    assert_eq!(log.len(), 2);
    assert!(log[0].took_effect && !log[0].replayed);
    assert!(!log[1].took_effect && log[1].replayed);
    assert_eq!(log[1].client_token.as_deref(), Some("token-1"));
}

#[tokio::test]
async fn the_same_token_with_a_different_body_is_duplicated_request() {
    let handle = support::start().await;
    handle.seed_proxy(Proxy::new("link-4ftf12sb")).unwrap();
    let modify = |bandwidth: u64| {
        Raw::post(
            "gaap",
            "ModifyProxyConfiguration",
            json!({"ProxyId": "link-4ftf12sb", "Bandwidth": bandwidth, "ClientToken": "token-2"}),
        )
    };
    assert_eq!(modify(20).code(&handle).await, None);
    assert_eq!(
        modify(30).code(&handle).await.as_deref(),
        Some("FailedOperation.DuplicatedRequest")
    );
    assert_eq!(handle.proxy("link-4ftf12sb").unwrap().bandwidth, 20);
}

#[tokio::test]
async fn a_failed_call_does_not_bind_its_token() {
    let handle = support::start().await;
    let body = json!({"Force": 0, "ProxyIds": ["link-11112222"], "ClientToken": "token-3"});
    assert_eq!(
        Raw::post("gaap", "DestroyProxies", body.clone())
            .code(&handle)
            .await
            .as_deref(),
        Some("ResourceNotFound")
    );
    handle.seed_proxy(Proxy::new("link-11112222")).unwrap();
    assert_eq!(
        Raw::post("gaap", "DestroyProxies", body)
            .code(&handle)
            .await,
        None
    );
    assert!(handle.proxy("link-11112222").is_none());
}

#[tokio::test]
async fn tokens_are_scoped_to_the_action() {
    let handle = support::start().await;
    handle.seed_proxy(Proxy::new("link-4ftf12sb")).unwrap();
    let modify = Raw::post(
        "gaap",
        "ModifyProxyConfiguration",
        json!({"ProxyId": "link-4ftf12sb", "Bandwidth": 20, "ClientToken": "shared"}),
    );
    assert_eq!(modify.code(&handle).await, None);
    let destroy = Raw::post(
        "gaap",
        "DestroyProxies",
        json!({"Force": 1, "ProxyIds": ["link-4ftf12sb"], "ClientToken": "shared"}),
    );
    assert_eq!(destroy.code(&handle).await, None);
    assert!(handle.proxy("link-4ftf12sb").is_none());
}
