//! The runtime against a real HTTP server on loopback that verifies TC3 signatures with its own
//! code and plays faults.

mod support;

use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::json;
use support::clock::{FixedJitter, SteppingClock};
use support::server::{Fault, Received, SECRET_ID, SECRET_KEY, Server};
use tencentcloud_runtime::error::{ResponseErrorKind, TimeoutKind, TransportErrorKind};
use tencentcloud_runtime::retry::BudgetConfig;
use tencentcloud_runtime::{
    Client, Config, ConfigBuilder, Credentials, Language, Operation, RetryConfig, SdkError,
    ServiceError, send,
};

const VERSION: &str = "2017-03-12";

fn credentials() -> Credentials {
    Credentials::new(SECRET_ID, SECRET_KEY).unwrap()
}

/// Config for `server` with a stepping clock (distinct timestamps, instant backoff sleeps) and
/// a fixed jitter of one half.
fn builder(server: &Server, clock: &SteppingClock) -> ConfigBuilder {
    Config::builder()
        .credentials(credentials())
        .endpoint(server.endpoint())
        .region("ap-guangzhou")
        .retry(RetryConfig::default().initial_backoff(Duration::from_millis(100)))
        .clock(clock.clone())
        .jitter(FixedJitter(0.5))
}

fn client(config: ConfigBuilder) -> Client {
    Client::new(&config.build().unwrap())
}

fn assert_all_signatures_valid(received: &[Received]) {
    for (i, r) in received.iter().enumerate() {
        if let Some(check) = &r.signature {
            assert_eq!(check, &Ok(()), "attempt {} signature", i + 1);
        }
    }
}

fn assert_identical_bodies_and_fresh_signatures(received: &[Received], body: &[u8]) {
    for r in received.iter().filter(|r| r.signature.is_some()) {
        assert_eq!(r.body, body, "every attempt sends the identical body");
    }
    let timestamps: Vec<&str> = received
        .iter()
        .map(|r| r.header("x-tc-timestamp").unwrap())
        .collect();
    let mut unique = timestamps.clone();
    unique.dedup();
    assert_eq!(
        unique.len(),
        timestamps.len(),
        "a new timestamp per attempt: {timestamps:?}"
    );
    let mut signatures: Vec<&str> = received
        .iter()
        .map(|r| r.header("authorization").unwrap())
        .collect();
    signatures.sort();
    signatures.dedup();
    assert_eq!(
        signatures.len(),
        received.len(),
        "a new signature per attempt"
    );
}

#[tokio::test]
async fn call_sends_documented_headers_and_a_signature_the_server_accepts() {
    let server = Server::start("cvm", vec![Fault::ok(json!({"TotalCount": 0}))]).await;
    let clock = SteppingClock::default();
    let client = client(
        builder(&server, &clock)
            .language(Language::EnUs)
            .request_client("loopback-test"),
    );
    let body = json!({"Limit": 1, "Filters": [{"Name": "instance-name", "Values": ["未命名"]}]});
    let response = client
        .call("cvm", VERSION, "DescribeInstances", &body)
        .await
        .unwrap();
    assert_eq!(response, json!({"TotalCount": 0, "RequestId": "req-ok"}));

    let received = server.received();
    assert_eq!(received.len(), 1);
    let r = &received[0];
    assert_eq!(r.head, "POST / HTTP/1.1");
    assert_eq!(r.signature, Some(Ok(())));
    assert_eq!(r.header("host"), Some(server.addr.to_string().as_str()));
    assert_eq!(
        r.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    assert_eq!(r.header("x-tc-action"), Some("DescribeInstances"));
    assert_eq!(r.header("x-tc-version"), Some(VERSION));
    assert_eq!(r.header("x-tc-timestamp"), Some("1551113065"));
    assert_eq!(r.header("x-tc-region"), Some("ap-guangzhou"));
    assert_eq!(r.header("x-tc-language"), Some("en-US"));
    assert_eq!(r.header("x-tc-token"), None);
    let request_client = r.header("x-tc-requestclient").unwrap();
    assert!(request_client.starts_with("tencentcloud-rs/"));
    assert!(request_client.ends_with(" loopback-test"));
    assert!(
        r.header("authorization")
            .unwrap()
            .contains("/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, "),
        "credential scope names the service even though the endpoint is 127.0.0.1"
    );
    assert_eq!(r.body, serde_json::to_vec(&body).unwrap());
}

#[tokio::test]
async fn action_header_can_be_signed_too() {
    let server = Server::start("cvm", vec![]).await;
    let clock = SteppingClock::default();
    let client = client(builder(&server, &clock).sign_action_header(true));
    client
        .call("cvm", VERSION, "DescribeInstances", &json!({}))
        .await
        .unwrap();
    let r = &server.received()[0];
    assert_eq!(r.signature, Some(Ok(())));
    assert!(
        r.header("authorization")
            .unwrap()
            .contains("SignedHeaders=content-type;host;x-tc-action, ")
    );
}

#[tokio::test]
async fn session_token_is_sent_and_region_header_omitted_when_unset() {
    let server = Server::start("vpc", vec![]).await;
    let config = Config::builder()
        .credentials(credentials().with_token("session-token-value").unwrap())
        .endpoint(server.endpoint())
        .build()
        .unwrap();
    Client::new(&config)
        .call("vpc", VERSION, "DescribeVpcs", &json!({}))
        .await
        .unwrap();
    let r = &server.received()[0];
    assert_eq!(r.header("x-tc-token"), Some("session-token-value"));
    assert_eq!(r.header("x-tc-region"), None);
    assert_eq!(r.header("x-tc-language"), None);
    assert_eq!(r.signature, Some(Ok(())));
}

#[tokio::test]
async fn wrong_secret_key_is_rejected_by_the_independent_verifier_and_not_retried() {
    let server = Server::start("cvm", vec![]).await;
    let clock = SteppingClock::default();
    let client = client(
        builder(&server, &clock).credentials(Credentials::new(SECRET_ID, "not-the-key").unwrap()),
    );
    let err = client
        .call("cvm", VERSION, "DescribeInstances", &json!({}))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("AuthFailure.SignatureFailure"));
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn connection_closed_mid_request_is_retried_with_the_identical_body() {
    let server = Server::start(
        "cvm",
        vec![Fault::CloseMidRequest, Fault::ok(json!({"TotalCount": 3}))],
    )
    .await;
    let clock = SteppingClock::default();
    let client = client(builder(&server, &clock));
    let body = json!({"InstanceIds": ["ins-1"]});
    let response = client
        .call("cvm", VERSION, "DescribeInstances", &body)
        .await
        .unwrap();
    assert_eq!(response["TotalCount"], 3);
    let received = server.received();
    assert_eq!(received.len(), 2, "one cut attempt, one successful retry");
    assert_all_signatures_valid(&received);
    assert_identical_bodies_and_fresh_signatures(&received, &serde_json::to_vec(&body).unwrap());
}

#[tokio::test]
async fn connection_closed_mid_answer_is_a_retryable_transport_error() {
    let server = Server::start("cvm", vec![Fault::CloseMidBody; 3]).await;
    let clock = SteppingClock::default();
    let client = client(builder(&server, &clock));
    let err = client
        .call("cvm", VERSION, "DescribeInstances", &json!({}))
        .await
        .unwrap_err();
    match &err {
        SdkError::Transport(e) => assert_eq!(e.kind(), TransportErrorKind::Body),
        other => panic!("expected a transport error, got {other:?}"),
    }
    assert!(err.is_retryable());
    assert_eq!(server.received().len(), 3);
}

#[tokio::test]
async fn html_503_is_retried_then_reported_with_status_and_excerpt() {
    let server = Server::start("cvm", vec![Fault::html(503); 3]).await;
    let clock = SteppingClock::default();
    let client = client(builder(&server, &clock));
    let err = client
        .call("cvm", VERSION, "DescribeInstances", &json!({}))
        .await
        .unwrap_err();
    let SdkError::Response(response) = &err else {
        panic!("expected a response error, got {err:?}");
    };
    assert_eq!(response.kind(), ResponseErrorKind::NotJson);
    assert_eq!(response.status(), 503);
    assert!(response.excerpt().starts_with("<html><body><h1>503"));
    assert!(err.to_string().contains("HTTP 503"), "{err}");
    assert_eq!(server.received().len(), 3, "default policy: 3 attempts");
    // Full jitter of one half under a 100 ms ceiling doubling per retry; no sleep after the last.
    assert_eq!(
        clock.sleeps(),
        vec![Duration::from_millis(50), Duration::from_millis(100)]
    );
}

#[tokio::test]
async fn request_limit_exceeded_twice_then_success_takes_three_fresh_attempts() {
    let server = Server::start(
        "cvm",
        vec![
            Fault::error("RequestLimitExceeded"),
            Fault::error("RequestLimitExceeded.UinLimitExceeded"),
            Fault::ok(json!({"TotalCount": 1})),
        ],
    )
    .await;
    let clock = SteppingClock::default();
    let client = client(builder(&server, &clock));
    let body = json!({"Limit": 1});
    let started = Instant::now();
    let response = client
        .call("cvm", VERSION, "DescribeInstances", &body)
        .await
        .unwrap();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(response["TotalCount"], 1);
    let received = server.received();
    assert_eq!(received.len(), 3);
    assert_all_signatures_valid(&received);
    assert_identical_bodies_and_fresh_signatures(&received, &serde_json::to_vec(&body).unwrap());
}

#[tokio::test]
async fn slow_answer_times_out_per_attempt_and_is_retried_within_the_deadline() {
    let server = Server::start(
        "cvm",
        vec![
            Fault::delay(Duration::from_secs(5), Fault::ok(json!({}))),
            Fault::ok(json!({"TotalCount": 2})),
        ],
    )
    .await;
    let clock = SteppingClock::default();
    let deadline = Duration::from_secs(3);
    let client = client(
        builder(&server, &clock)
            .attempt_timeout(Duration::from_millis(300))
            .operation_timeout(deadline),
    );
    let started = Instant::now();
    let response = client
        .call("cvm", VERSION, "DescribeInstances", &json!({}))
        .await
        .unwrap();
    assert!(started.elapsed() < deadline, "took {:?}", started.elapsed());
    assert_eq!(response["TotalCount"], 2);
    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn every_attempt_too_slow_ends_with_an_attempt_timeout() {
    let slow = Fault::delay(Duration::from_secs(5), Fault::ok(json!({})));
    let server = Server::start("cvm", vec![slow; 3]).await;
    let clock = SteppingClock::default();
    let client = client(builder(&server, &clock).attempt_timeout(Duration::from_millis(200)));
    let started = Instant::now();
    let err = client
        .call("cvm", VERSION, "DescribeInstances", &json!({}))
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2));
    match err {
        SdkError::Timeout(t) => {
            assert_eq!(t.kind(), TimeoutKind::Attempt);
            assert_eq!(t.limit(), Duration::from_millis(200));
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert_eq!(server.received().len(), 3);
}

#[tokio::test]
async fn operation_deadline_cuts_a_slow_attempt_short() {
    let slow = Fault::delay(Duration::from_secs(5), Fault::ok(json!({})));
    let server = Server::start("cvm", vec![slow; 3]).await;
    let clock = SteppingClock::default();
    let deadline = Duration::from_millis(400);
    let client = client(
        builder(&server, &clock)
            .attempt_timeout(Duration::from_secs(10))
            .operation_timeout(deadline),
    );
    let started = Instant::now();
    let err = client
        .call("cvm", VERSION, "DescribeInstances", &json!({}))
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    assert!(
        elapsed >= deadline && elapsed < Duration::from_secs(2),
        "{elapsed:?}"
    );
    assert!(
        matches!(&err, SdkError::Timeout(t) if t.kind() == TimeoutKind::Operation),
        "{err:?}"
    );
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn backoff_that_would_pass_the_deadline_is_not_slept() {
    let server = Server::start("cvm", vec![Fault::error("RequestLimitExceeded"); 3]).await;
    let clock = SteppingClock::default();
    let client = client(
        builder(&server, &clock)
            .retry(RetryConfig::default().initial_backoff(Duration::from_secs(60)))
            .operation_timeout(Duration::from_secs(5)),
    );
    let err = client
        .call("cvm", VERSION, "DescribeInstances", &json!({}))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("RequestLimitExceeded"));
    assert_eq!(server.received().len(), 1);
    assert!(clock.sleeps().is_empty());
}

#[tokio::test]
async fn failed_operation_returns_after_one_attempt_with_full_details() {
    let server = Server::start("cvm", vec![Fault::error("FailedOperation")]).await;
    let clock = SteppingClock::default();
    let client = client(builder(&server, &clock));
    let err = client
        .call(
            "cvm",
            VERSION,
            "TerminateInstances",
            &json!({"InstanceIds": ["ins-1"], "ClientToken": "t-1"}),
        )
        .await
        .unwrap_err();
    assert_eq!(server.received().len(), 1);
    assert!(!err.is_retryable());
    assert_eq!(err.code(), Some("FailedOperation"));
    assert_eq!(err.message(), Some("FailedOperation happened"));
    assert_eq!(err.request_id(), Some("req-FailedOperation"));
    assert_eq!(
        err.to_string(),
        "FailedOperation: FailedOperation happened (request id req-FailedOperation)"
    );
}

#[tokio::test]
async fn internal_error_is_not_retried_without_a_client_token() {
    let server = Server::start(
        "cvm",
        vec![Fault::error("InternalError"), Fault::ok(json!({}))],
    )
    .await;
    let clock = SteppingClock::default();
    let client = client(builder(&server, &clock));
    let err = client
        .call(
            "cvm",
            VERSION,
            "TerminateInstances",
            &json!({"InstanceIds": ["ins-1"]}),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("InternalError"));
    assert!(!err.is_retryable());
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn internal_error_is_retried_when_the_body_carries_a_client_token() {
    let server = Server::start(
        "cvm",
        vec![
            Fault::error("InternalError"),
            Fault::ok(json!({"Done": true})),
        ],
    )
    .await;
    let clock = SteppingClock::default();
    let client = client(builder(&server, &clock));
    let body = json!({"InstanceIds": ["ins-1"], "ClientToken": "6b1c0f1e-token"});
    let response = client
        .call("cvm", VERSION, "TerminateInstances", &body)
        .await
        .unwrap();
    assert_eq!(response["Done"], true);
    let received = server.received();
    assert_eq!(received.len(), 2);
    assert_identical_bodies_and_fresh_signatures(&received, &serde_json::to_vec(&body).unwrap());
}

#[tokio::test]
async fn service_unavailable_is_retried_for_idempotent_operations() {
    let server = Server::start(
        "gaap",
        vec![Fault::error("ServiceUnavailable"), Fault::ok(json!({}))],
    )
    .await;
    let clock = SteppingClock::default();
    let client = client(builder(&server, &clock));
    let op = |idempotent| Operation {
        service: "gaap",
        version: "2018-05-29",
        action: "DestroyProxies",
        region_required: true,
        idempotent,
        body: br#"{"ProxyIds":["link-1"],"Force":1,"ClientToken":"abc"}"#.to_vec(),
    };
    client.invoke(op(true)).await.unwrap();
    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn limit_exceeded_is_a_quota_not_throttling() {
    let server = Server::start("cvm", vec![Fault::error("LimitExceeded.InstanceQuota")]).await;
    let clock = SteppingClock::default();
    let client = client(builder(&server, &clock));
    let err = client
        .call("cvm", VERSION, "RunInstances", &json!({"ClientToken": "x"}))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("LimitExceeded.InstanceQuota"));
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn empty_retry_budget_stops_retries() {
    let server = Server::start("cvm", vec![Fault::error("RequestLimitExceeded"); 10]).await;
    let clock = SteppingClock::default();
    let budget = BudgetConfig {
        capacity: 5,
        retry_cost: 5,
        timeout_retry_cost: 10,
        success_refund: 1,
    };
    let client = client(
        builder(&server, &clock).retry(
            RetryConfig::default()
                .initial_backoff(Duration::from_millis(10))
                .budget(Some(budget)),
        ),
    );
    let first = client
        .call("cvm", VERSION, "DescribeInstances", &json!({}))
        .await
        .unwrap_err();
    assert_eq!(first.code(), Some("RequestLimitExceeded"));
    assert_eq!(server.received().len(), 2, "the budget paid for one retry");
    client
        .call("cvm", VERSION, "DescribeInstances", &json!({}))
        .await
        .unwrap_err();
    assert_eq!(
        server.received().len(),
        3,
        "an empty bucket allows no retry"
    );
}

#[tokio::test]
async fn region_required_without_region_fails_before_any_request() {
    let server = Server::start("gaap", vec![]).await;
    let config = Config::builder()
        .credentials(credentials())
        .endpoint(server.endpoint())
        .build()
        .unwrap();
    let err = Client::new(&config)
        .invoke(Operation {
            service: "gaap",
            version: "2018-05-29",
            action: "DestroyProxies",
            region_required: true,
            idempotent: false,
            body: b"{}".to_vec(),
        })
        .await
        .unwrap_err();
    match err {
        SdkError::Validation(v) => assert_eq!(v.parameter, "Region"),
        other => panic!("expected a validation error, got {other:?}"),
    }
    assert!(server.received().is_empty());
}

#[tokio::test]
async fn oversized_answer_is_cut_at_the_size_cap() {
    let big = format!(
        r#"{{"Response":{{"Data":"{}","RequestId":"r"}}}}"#,
        "x".repeat(10_000)
    );
    let server = Server::start("cvm", vec![Fault::raw(200, &big)]).await;
    let clock = SteppingClock::default();
    let client = client(builder(&server, &clock).max_response_bytes(1024));
    let err = client
        .call("cvm", VERSION, "DescribeInstances", &json!({}))
        .await
        .unwrap_err();
    let SdkError::Response(e) = err else {
        panic!("expected a response error, got {err:?}")
    };
    assert_eq!((e.kind(), e.status()), (ResponseErrorKind::TooLarge, 200));
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn truncated_json_with_success_status_is_reported_not_retried() {
    let server = Server::start(
        "cvm",
        vec![Fault::raw(200, r#"{"Response":{"TotalCount":"#)],
    )
    .await;
    let clock = SteppingClock::default();
    let client = client(builder(&server, &clock));
    let err = client
        .call("cvm", VERSION, "DescribeInstances", &json!({}))
        .await
        .unwrap_err();
    let SdkError::Response(e) = err else {
        panic!("expected a response error, got {err:?}")
    };
    assert_eq!(e.kind(), ResponseErrorKind::Truncated);
    assert_eq!(e.excerpt(), r#"{"Response":{"TotalCount":"#);
    assert_eq!(server.received().len(), 1);
}

#[derive(Debug, Deserialize)]
struct DescribeOutput {
    #[serde(rename = "TotalCount")]
    total_count: u64,
    #[serde(rename = "RequestId")]
    request_id: String,
}

#[derive(Debug)]
struct TypedError(ServiceError);

impl From<ServiceError> for TypedError {
    fn from(e: ServiceError) -> Self {
        Self(e)
    }
}

impl tencentcloud_runtime::ProvideErrorMetadata for TypedError {
    fn meta(&self) -> &ServiceError {
        &self.0
    }
}

fn describe_op(body: &[u8]) -> Operation<'_> {
    Operation {
        service: "cvm",
        version: VERSION,
        action: "DescribeInstances",
        region_required: true,
        idempotent: false,
        body: body.to_vec(),
    }
}

#[tokio::test]
async fn send_decodes_typed_output_and_maps_service_errors() {
    let server = Server::start(
        "cvm",
        vec![
            Fault::ok(json!({"TotalCount": 7})),
            Fault::error("InvalidParameter"),
            Fault::ok(json!({"TotalCount": "not a number"})),
        ],
    )
    .await;
    let clock = SteppingClock::default();
    let client = client(builder(&server, &clock));
    let out: DescribeOutput = send::<_, TypedError>(&client, describe_op(b"{}"))
        .await
        .unwrap();
    assert_eq!((out.total_count, out.request_id.as_str()), (7, "req-ok"));

    let err = send::<DescribeOutput, TypedError>(&client, describe_op(b"{}"))
        .await
        .unwrap_err();
    assert_eq!(
        err.service_error().map(|e| e.0.code()),
        Some("InvalidParameter")
    );

    let err = send::<DescribeOutput, TypedError>(&client, describe_op(b"{}"))
        .await
        .unwrap_err();
    let SdkError::Response(e) = err else {
        panic!("expected a response error, got {err:?}")
    };
    assert_eq!(e.kind(), ResponseErrorKind::Deserialize);
    assert!(e.detail().unwrap().contains("TotalCount") || e.detail().unwrap().contains("u64"));
}

#[tokio::test]
async fn connection_refused_is_retried_then_reported_as_connect_failure() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let clock = SteppingClock::default();
    let config = Config::builder()
        .credentials(credentials())
        .endpoint(format!("http://{addr}"))
        .retry(RetryConfig::default().initial_backoff(Duration::from_millis(10)))
        .clock(clock.clone())
        .jitter(FixedJitter(0.5))
        .build()
        .unwrap();
    let err = Client::new(&config)
        .call("cvm", VERSION, "DescribeInstances", &json!({}))
        .await
        .unwrap_err();
    match err {
        SdkError::Transport(e) => assert_eq!(e.kind(), TransportErrorKind::Connect),
        other => panic!("expected a connect failure, got {other:?}"),
    }
    assert_eq!(clock.sleeps().len(), 2, "three attempts, two backoffs");
}
