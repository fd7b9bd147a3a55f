//! An explicit proxy carries every request, except to the hosts `no_proxy` names; a proxy URL
//! with a password never shows it in an error.

mod support;

use serde_json::json;
use support::server::{Fault, SECRET_ID, SECRET_KEY, Server};
use tencentcloud_runtime::{Client, Config, ConfigError, Credentials};

/// A forward proxy is a server that receives absolute-form request lines; the scripted server
/// records them and answers itself.
async fn proxy() -> Server {
    Server::start("cvm", vec![Fault::ok(json!({"TotalCount": 0}))]).await
}

fn builder() -> tencentcloud_runtime::ConfigBuilder {
    Config::builder()
        .credentials(Credentials::new(SECRET_ID, SECRET_KEY).unwrap())
        .region("ap-guangzhou")
}

async fn describe(config: &Config) -> serde_json::Value {
    Client::new(config)
        .call("cvm", "2017-03-12", "DescribeInstances", &json!({}))
        .await
        .unwrap()
}

#[tokio::test]
async fn an_explicit_proxy_carries_requests_to_the_endpoint() {
    let proxy = proxy().await;
    // `.invalid` never resolves: only the proxy can have answered.
    let config = builder()
        .endpoint("http://cvm.sdk-test.invalid")
        .proxy(proxy.endpoint())
        .build()
        .unwrap();
    let shown = format!("{config:?}");
    assert!(
        shown.contains("transport: Reqwest"),
        "a proxy is reqwest's to speak to: {shown}"
    );
    let response = describe(&config).await;
    assert_eq!(response["TotalCount"], 0);
    let received = proxy.received();
    let heads: Vec<&str> = received.iter().map(|r| r.head.as_str()).collect();
    assert_eq!(heads, ["POST http://cvm.sdk-test.invalid/ HTTP/1.1"]);
    assert_eq!(received[0].header("host"), Some("cvm.sdk-test.invalid"));
    assert_eq!(
        received[0].signature,
        Some(Ok(())),
        "signed for the endpoint's host, not the proxy's"
    );
}

#[tokio::test]
async fn hosts_in_no_proxy_are_reached_directly() {
    let proxy = proxy().await;
    let server = Server::start("cvm", vec![Fault::ok(json!({"TotalCount": 3}))]).await;
    let config = builder()
        .endpoint(server.endpoint())
        .proxy(proxy.endpoint())
        .no_proxy("127.0.0.1,localhost")
        .build()
        .unwrap();
    let response = describe(&config).await;
    assert_eq!(response["TotalCount"], 3);
    assert!(proxy.received().is_empty(), "the proxy was bypassed");
}

#[test]
fn a_bad_proxy_is_a_config_error_that_hides_its_password() {
    let error = builder()
        .proxy("socks9://user:hunter2@proxy.example:1080")
        .build()
        .unwrap_err();
    assert!(
        matches!(error, ConfigError::InvalidProxy { .. }),
        "{error:?}"
    );
    let shown = error.to_string();
    assert!(shown.contains("scheme must be http or https"), "{shown}");
    assert!(
        !shown.contains("hunter2") && !format!("{error:?}").contains("hunter2"),
        "{shown}"
    );
}

#[tokio::test]
async fn an_action_served_on_a_host_of_its_own_is_sent_to_that_host_under_the_root_domain() {
    use tencentcloud_runtime::__private::{Operation, send};
    use tencentcloud_runtime::{Repeatability, SdkError, ServiceError};

    let proxy = proxy().await;
    // No endpoint override: the host is the action's own under the configured root domain, and
    // the proxy is asked for a tunnel to it (which it cannot give, so the call then fails).
    let config = builder()
        .root_domain("sdk-test.invalid")
        .proxy(proxy.endpoint())
        .retry(tencentcloud_runtime::RetryConfig::disabled())
        .connect_timeout(std::time::Duration::from_millis(300))
        .build()
        .unwrap();
    let op = Operation {
        service: "es",
        version: "2025-01-01",
        action: "ChatCompletions",
        region_required: false,
        repeatability: Repeatability::NotRepeatable,
        body: b"{}".to_vec(),
        host: Some("es.ai"),
        options: tencentcloud_runtime::CallOptions::default(),
    };
    let result = send::<serde_json::Value, ServiceError>(Client::new(&config), Ok(op)).await;
    assert!(matches!(result, Err(SdkError::Transport(_))), "{result:?}");
    let heads: Vec<String> = proxy.received().iter().map(|r| r.head.clone()).collect();
    assert_eq!(heads[0], "CONNECT es.ai.sdk-test.invalid:443 HTTP/1.1");
}
