//! Over the wire: `send()` fills `ClientToken` with a fresh UUID when the caller set none, keeps a
//! caller's token (an empty one is replaced), and sends the same token on every retry of one
//! `send()`.

mod support;

use std::time::Duration;

use support::{Answer, Loopback};
use tencentcloud_runtime::RetryConfig;
use tencentcloud_sdk::{Config, Credentials, gaap};

fn config(endpoint: &str, retry: RetryConfig) -> Config {
    Config::builder()
        .credentials(Credentials::new("AKIDtest", "test-secret-key").unwrap())
        .endpoint(endpoint)
        .retry(retry)
        .build()
        .unwrap()
}

fn token(body: &serde_json::Value) -> String {
    body["ClientToken"].as_str().unwrap_or_default().to_owned()
}

/// A UUID in its hyphenated text form, as `idempotency::new_token()` makes.
fn assert_is_uuid(token: &str) {
    let groups: Vec<usize> = token.split('-').map(str::len).collect();
    assert_eq!(groups, [8, 4, 4, 4, 12], "a UUID: {token:?}");
    assert!(
        token.chars().all(|c| c == '-' || c.is_ascii_hexdigit()),
        "a UUID: {token:?}"
    );
}

/// Sends a valid `DestroyProxies` (an action with an idempotency token), with `client_token`
/// when given.
async fn send_destroy_proxies(
    client: &gaap::v20180529::Client,
    client_token: Option<&str>,
) -> gaap::v20180529::DestroyProxiesOutput {
    let mut builder = client.destroy_proxies().force(1).proxy_ids(["link-1"]);
    if let Some(client_token) = client_token {
        builder = builder.client_token(client_token);
    }
    builder.send().await.unwrap()
}

#[tokio::test]
async fn an_unset_client_token_is_filled_with_a_fresh_uuid_per_send() {
    let server = Loopback::start(Answer::Success).await;
    let client = gaap::v20180529::Client::new(&config(&server.endpoint, RetryConfig::disabled()));
    for _ in 0..2 {
        send_destroy_proxies(&client, None).await;
    }
    let bodies = server.bodies.lock().await.clone();
    let (first, second) = (token(&bodies[0]), token(&bodies[1]));
    assert_is_uuid(&first);
    assert_is_uuid(&second);
    assert_ne!(first, second, "each send() gets its own token");
}

#[tokio::test]
async fn a_caller_token_is_sent_unchanged() {
    let server = Loopback::start(Answer::Success).await;
    let client = gaap::v20180529::Client::new(&config(&server.endpoint, RetryConfig::disabled()));
    client
        .modify_proxy_configuration()
        .proxy_id("link-1")
        .concurrent(2)
        .client_token("my-own-token")
        .send()
        .await
        .unwrap();
    let bodies = server.bodies.lock().await.clone();
    assert_eq!(token(&bodies[0]), "my-own-token");
}

#[tokio::test]
async fn retries_of_one_send_carry_the_same_token() {
    let server = Loopback::start(Answer::Success).await;
    server.script.lock().await.extend([
        Answer::Error("InternalError".to_owned()),
        Answer::Error("RequestLimitExceeded".to_owned()),
    ]);
    let retry = RetryConfig::default()
        .max_attempts(3)
        .initial_backoff(Duration::from_millis(1))
        .max_backoff(Duration::from_millis(5));
    let client = gaap::v20180529::Client::new(&config(&server.endpoint, retry));
    let output = send_destroy_proxies(&client, None).await;
    assert_eq!(output.request_id, "req-from-loopback");
    let bodies = server.bodies.lock().await.clone();
    assert_eq!(bodies.len(), 3, "two retried failures, then success");
    let first = token(&bodies[0]);
    assert_is_uuid(&first);
    assert!(bodies.iter().all(|b| token(b) == first), "{bodies:?}");
}

#[tokio::test]
async fn an_empty_client_token_is_replaced_so_a_retried_call_stays_idempotent() {
    let server = Loopback::start(Answer::Success).await;
    server
        .script
        .lock()
        .await
        .push_back(Answer::Error("InternalError".to_owned()));
    let retry = RetryConfig::default()
        .max_attempts(2)
        .initial_backoff(Duration::from_millis(1));
    let client = gaap::v20180529::Client::new(&config(&server.endpoint, retry));
    send_destroy_proxies(&client, Some("")).await;
    let bodies = server.bodies.lock().await.clone();
    assert_eq!(
        bodies.len(),
        2,
        "InternalError is retried for an idempotent call"
    );
    assert_is_uuid(&token(&bodies[0]));
    assert_eq!(token(&bodies[0]), token(&bodies[1]));
}
