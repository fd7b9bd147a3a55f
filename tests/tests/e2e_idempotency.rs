//! `ClientToken` end to end: the SDK fills it when unset and keeps it when set; the emulator
//! replays a repeated request without acting twice and refuses a token reused for another body.

use tencentcloud_emulator::{Fault, Proxy, ProxyStatus};
use tencentcloud_sdk::gaap::v20180529::{DestroyProxiesError, ModifyProxyConfigurationError};
use tencentcloud_tests::{
    assert_took_effect, expect_service_error, gaap, is_uuid_v4, logged, seed_proxies,
    start_emulator,
};

#[tokio::test]
async fn an_unset_client_token_is_sent_as_a_fresh_uuid_v4_per_call() {
    let emulator = start_emulator().await;
    seed_proxies(&emulator, &["link-11112222", "link-11113333"]);
    let client = gaap(&emulator);

    let first = client
        .destroy_proxies()
        .force(1)
        .proxy_ids(["link-11112222"])
        .send()
        .await
        .unwrap();
    let second = client
        .destroy_proxies()
        .force(1)
        .proxy_ids(["link-11113333"])
        .send()
        .await
        .unwrap();

    let first_token = logged(&emulator, &first.request_id).client_token.unwrap();
    let second_token = logged(&emulator, &second.request_id).client_token.unwrap();
    assert!(is_uuid_v4(&first_token), "{first_token}");
    assert!(is_uuid_v4(&second_token), "{second_token}");
    assert_ne!(first_token, second_token, "each send() is a new request");
}

#[tokio::test]
async fn a_client_token_that_is_set_is_sent_verbatim() {
    let emulator = start_emulator().await;
    seed_proxies(&emulator, &["link-11112222", "link-4ftf12sb"]);
    let client = gaap(&emulator);

    let destroyed = client
        .destroy_proxies()
        .force(1)
        .proxy_ids(["link-11112222"])
        .client_token("order-42/destroy")
        .send()
        .await
        .unwrap();
    let modified = client
        .modify_proxy_configuration()
        .proxy_id("link-4ftf12sb")
        .bandwidth(30)
        .client_token("order-42/resize")
        .send()
        .await
        .unwrap();

    assert_eq!(
        logged(&emulator, &destroyed.request_id)
            .client_token
            .as_deref(),
        Some("order-42/destroy")
    );
    assert_eq!(
        logged(&emulator, &modified.request_id)
            .client_token
            .as_deref(),
        Some("order-42/resize")
    );
}

#[tokio::test]
async fn modify_proxy_configuration_also_gets_a_uuid_token_when_unset() {
    let emulator = start_emulator().await;
    seed_proxies(&emulator, &["link-4ftf12sb"]);

    let output = gaap(&emulator)
        .modify_proxy_configuration()
        .proxy_id("link-4ftf12sb")
        .concurrent(3)
        .send()
        .await
        .unwrap();

    let token = logged(&emulator, &output.request_id).client_token.unwrap();
    assert!(is_uuid_v4(&token), "{token}");
}

#[tokio::test]
async fn repeating_a_destroy_with_its_client_token_replays_the_answer_without_acting_again() {
    let emulator = start_emulator().await;
    seed_proxies(&emulator, &["link-11112222"]);
    emulator
        .seed_proxy(Proxy::new("link-11113333").status(ProxyStatus::Closing))
        .unwrap();
    let client = gaap(&emulator);
    let destroy = || {
        client
            .destroy_proxies()
            .force(1)
            .proxy_ids(["link-11112222", "link-11113333"])
            .client_token("destroy-once")
            .send()
    };

    let first = destroy().await.unwrap();
    assert_took_effect(&emulator, &first.request_id);
    assert!(emulator.proxy("link-11112222").is_none());
    // A proxy of the same id appears again; a replay must not destroy it.
    seed_proxies(&emulator, &["link-11112222"]);

    let again = destroy().await.unwrap();

    assert_eq!(
        again.invalid_status_instance_set,
        first.invalid_status_instance_set
    );
    assert_eq!(again.invalid_status_instance_set, ["link-11113333"]);
    let replay = logged(&emulator, &again.request_id);
    assert!(
        replay.replayed && replay.is_success() && !replay.took_effect,
        "{replay:?}"
    );
    assert!(
        emulator.proxy("link-11112222").is_some(),
        "the replay did not act"
    );
    assert_eq!(
        emulator
            .request_log()
            .iter()
            .filter(|e| e.took_effect)
            .count(),
        1
    );
}

#[tokio::test]
async fn reusing_a_client_token_for_a_different_destroy_is_duplicated_request() {
    let emulator = start_emulator().await;
    seed_proxies(&emulator, &["link-11112222", "link-11113333"]);
    let client = gaap(&emulator);

    client
        .destroy_proxies()
        .force(1)
        .proxy_ids(["link-11112222"])
        .client_token("reused-token")
        .send()
        .await
        .unwrap();
    let refused = expect_service_error!(
        &emulator,
        client
            .destroy_proxies()
            .force(1)
            .proxy_ids(["link-11113333"])
            .client_token("reused-token")
            .send()
            .await,
        DestroyProxiesError::FailedOperationDuplicatedRequest,
        "FailedOperation.DuplicatedRequest",
    );

    refused.assert_message_names("reused-token");
    assert!(
        emulator.proxy("link-11113333").is_some(),
        "the conflicting request did nothing"
    );
}

#[tokio::test]
async fn reusing_a_client_token_for_a_different_resize_is_duplicated_request() {
    let emulator = start_emulator().await;
    seed_proxies(&emulator, &["link-4ftf12sb"]);
    let client = gaap(&emulator);

    client
        .modify_proxy_configuration()
        .proxy_id("link-4ftf12sb")
        .bandwidth(30)
        .client_token("resize-token")
        .send()
        .await
        .unwrap();
    expect_service_error!(
        &emulator,
        client
            .modify_proxy_configuration()
            .proxy_id("link-4ftf12sb")
            .bandwidth(40)
            .client_token("resize-token")
            .send()
            .await,
        ModifyProxyConfigurationError::FailedOperationDuplicatedRequest,
        "FailedOperation.DuplicatedRequest",
    );

    assert_eq!(emulator.proxy("link-4ftf12sb").unwrap().bandwidth, 30);
}

#[tokio::test]
async fn a_failed_request_does_not_use_up_its_client_token() {
    let emulator = start_emulator().await;
    emulator
        .seed_proxy(Proxy::new("link-11112222").real_server_bound(true))
        .unwrap();
    let client = gaap(&emulator);
    let destroy = || {
        client
            .destroy_proxies()
            .force(0)
            .proxy_ids(["link-11112222"])
            .client_token("after-unbinding")
            .send()
    };

    expect_service_error!(
        &emulator,
        destroy().await,
        DestroyProxiesError::FailedOperationRealServerAlreadyBound,
        "FailedOperation.RealServerAlreadyBound",
    );
    seed_proxies(&emulator, &["link-11112222"]);

    let output = destroy().await.unwrap();

    assert_took_effect(&emulator, &output.request_id);
    assert!(emulator.proxy("link-11112222").is_none());
}

#[tokio::test]
async fn concurrent_copies_of_one_request_destroy_the_proxy_once_and_all_get_its_answer() {
    let emulator = start_emulator().await;
    seed_proxies(&emulator, &["link-11112222"]);
    emulator
        .seed_proxy(Proxy::new("link-11113333").status(ProxyStatus::Closing))
        .unwrap();
    let client = gaap(&emulator);

    let sends = (0..8).map(|_| {
        let client = client.clone();
        tokio::spawn(async move {
            client
                .destroy_proxies()
                .force(1)
                .proxy_ids(["link-11112222", "link-11113333"])
                .client_token("one-logical-request")
                .send()
                .await
        })
    });
    let mut answers = Vec::new();
    for send in sends {
        answers.push(send.await.unwrap().unwrap());
    }

    assert!(
        answers
            .iter()
            .all(|a| a.invalid_status_instance_set == ["link-11113333"]),
        "{answers:?}"
    );
    let log = emulator.request_log();
    assert_eq!(log.len(), 8);
    assert_eq!(log.iter().filter(|e| e.took_effect).count(), 1, "{log:#?}");
    assert_eq!(log.iter().filter(|e| e.replayed).count(), 7, "{log:#?}");
    assert!(emulator.proxy("link-11112222").is_none());
}

#[tokio::test]
async fn an_empty_client_token_still_protects_a_retried_destroy_from_acting_twice() {
    let emulator = start_emulator().await;
    seed_proxies(&emulator, &["link-11112222"]);
    emulator
        .script_fault("DestroyProxies", Fault::internal_error().after_effect(), 1)
        .unwrap();

    let output = gaap(&emulator)
        .destroy_proxies()
        .force(1)
        .proxy_ids(["link-11112222"])
        .client_token("")
        .send()
        .await;

    let log = emulator.request_log();
    assert!(output.is_ok(), "{output:?} {log:#?}");
    assert!(
        log.iter()
            .all(|e| e.client_token.as_deref().is_some_and(is_uuid_v4)),
        "{log:#?}"
    );
}
