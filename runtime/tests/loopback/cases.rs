//! The runtime against a real HTTP server on loopback that verifies TC3 signatures with its own
//! code and plays faults; included once per transport, which `super::TRANSPORT` names.

use std::time::{Duration, Instant};

use crate::support::clock::{FixedJitter, SteppingClock};
use crate::support::server::{Fault, Received, SECRET_ID, SECRET_KEY, Server};
use serde::Deserialize;
use serde_json::{Value, json};
use tencentcloud_runtime::__private::{Operation, invoke, send};
use tencentcloud_runtime::error::{
    ResponseError, ResponseErrorKind, TimeoutError, TimeoutKind, TransportError, TransportErrorKind,
};
use tencentcloud_runtime::retry::{BudgetConfig, NonRepeatableRetries};
use tencentcloud_runtime::{
    Client, Config, ConfigBuilder, Credentials, Language, RetryConfig, SdkError, ServiceError,
    UnreadMembers, ValidationError,
};
use tencentcloud_runtime::{Repeatability, RetryRefusal};

const VERSION: &str = "2017-03-12";

fn credentials() -> Credentials {
    Credentials::new(SECRET_ID, SECRET_KEY).unwrap()
}

/// Config for `server` with a stepping clock (distinct timestamps, instant backoff sleeps) and
/// a fixed jitter of one half.
fn builder(server: &Server, clock: &SteppingClock) -> ConfigBuilder {
    Config::builder()
        .transport(super::TRANSPORT)
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

/// A client whose attempts may take `attempt` each and the whole call `deadline`.
fn with_deadline(
    server: &Server,
    clock: &SteppingClock,
    attempt: Duration,
    deadline: Duration,
) -> Client {
    client(
        builder(server, clock)
            .attempt_timeout(attempt)
            .operation_timeout(deadline),
    )
}

/// A cvm stand-in playing `script`, with a fresh stepping clock for the client's config.
async fn cvm_server(script: Vec<Fault>) -> (Server, SteppingClock) {
    (Server::start("cvm", script).await, SteppingClock::default())
}

async fn call_cvm(
    client: &Client,
    action: &str,
    body: &Value,
) -> Result<Value, SdkError<ServiceError>> {
    client.call("cvm", VERSION, action, body).await
}

/// `DescribeInstances` with an empty body: a token-less call, as a read usually is.
async fn describe(client: &Client) -> Result<Value, SdkError<ServiceError>> {
    call_cvm(client, "DescribeInstances", &json!({})).await
}

/// An answer that arrives after `seconds`, far beyond the limits these tests set.
fn slow(seconds: u64) -> Fault {
    Fault::delay(Duration::from_secs(seconds), Fault::ok(json!({})))
}

fn expect_timeout(err: SdkError<ServiceError>) -> TimeoutError {
    match err {
        SdkError::Timeout(t) => t,
        other => panic!("expected a timeout, got {other:?}"),
    }
}

fn expect_response_error<E: std::fmt::Debug>(err: SdkError<E>) -> ResponseError {
    match err {
        SdkError::Response(e) => e,
        other => panic!("expected a response error, got {other:?}"),
    }
}

fn expect_transport_error(err: SdkError<ServiceError>) -> TransportError {
    match err {
        SdkError::Transport(e) => e,
        other => panic!("expected a transport error, got {other:?}"),
    }
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
    let (server, clock) = cvm_server(vec![Fault::ok(json!({"TotalCount": 0}))]).await;
    let client = client(
        builder(&server, &clock)
            .language(Language::EnUs)
            .request_client("loopback-test"),
    );
    let body = json!({"Limit": 1, "Filters": [{"Name": "instance-name", "Values": ["未命名"]}]});
    let response = call_cvm(&client, "DescribeInstances", &body).await.unwrap();
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
    let (server, clock) = cvm_server(vec![]).await;
    let client = client(builder(&server, &clock).sign_action_header(true));
    describe(&client).await.unwrap();
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
        .transport(super::TRANSPORT)
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
    let (server, clock) = cvm_server(vec![]).await;
    let client = client(
        builder(&server, &clock).credentials(Credentials::new(SECRET_ID, "not-the-key").unwrap()),
    );
    let err = describe(&client).await.unwrap_err();
    assert_eq!(err.code(), Some("AuthFailure.SignatureFailure"));
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn connection_closed_mid_request_is_retried_with_the_identical_body() {
    let (server, clock) = cvm_server(vec![
        Fault::CloseMidRequest,
        Fault::ok(json!({"TotalCount": 3})),
    ])
    .await;
    let client = client(builder(&server, &clock));
    let body = json!({"InstanceIds": ["ins-1"]});
    let response = call_cvm(&client, "DescribeInstances", &body).await.unwrap();
    assert_eq!(response["TotalCount"], 3);
    let received = server.received();
    assert_eq!(received.len(), 2, "one cut attempt, one successful retry");
    assert_all_signatures_valid(&received);
    assert_identical_bodies_and_fresh_signatures(&received, &serde_json::to_vec(&body).unwrap());
}

#[tokio::test]
async fn connection_closed_mid_answer_is_a_retryable_transport_error() {
    let (server, clock) = cvm_server(vec![Fault::CloseMidBody; 3]).await;
    let client = client(builder(&server, &clock));
    let err = describe(&client).await.unwrap_err();
    assert!(err.is_retryable());
    assert_eq!(err.attempts(), 3);
    assert_eq!(expect_transport_error(err).kind(), TransportErrorKind::Body);
    assert_eq!(server.received().len(), 3);
}

#[tokio::test]
async fn html_503_is_retried_then_reported_with_status_and_excerpt() {
    let (server, clock) = cvm_server(vec![Fault::html(503); 3]).await;
    let client = client(builder(&server, &clock));
    let err = describe(&client).await.unwrap_err();
    let shown = err.to_string();
    assert!(shown.contains("HTTP 503"), "{shown}");
    assert!(shown.ends_with(", after 3 attempts"), "{shown}");
    let response = expect_response_error(err);
    assert_eq!(response.kind(), ResponseErrorKind::NotJson);
    assert_eq!(response.status(), 503);
    assert_eq!(response.attempts(), 3);
    assert!(response.excerpt().starts_with("<html><body><h1>503"));
    assert_eq!(server.received().len(), 3, "default policy: 3 attempts");
    // Full jitter of one half under a 100 ms ceiling doubling per retry; no sleep after the last.
    assert_eq!(
        clock.sleeps(),
        vec![Duration::from_millis(50), Duration::from_millis(100)]
    );
}

#[tokio::test]
async fn request_limit_exceeded_twice_then_success_takes_three_fresh_attempts() {
    let (server, clock) = cvm_server(vec![
        Fault::error("RequestLimitExceeded"),
        Fault::error("RequestLimitExceeded.UinLimitExceeded"),
        Fault::ok(json!({"TotalCount": 1})),
    ])
    .await;
    let client = client(builder(&server, &clock));
    let body = json!({"Limit": 1});
    let started = Instant::now();
    let response = call_cvm(&client, "DescribeInstances", &body).await.unwrap();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(response["TotalCount"], 1);
    let received = server.received();
    assert_eq!(received.len(), 3);
    assert_all_signatures_valid(&received);
    assert_identical_bodies_and_fresh_signatures(&received, &serde_json::to_vec(&body).unwrap());
}

#[tokio::test]
async fn slow_answer_times_out_per_attempt_and_is_retried_within_the_deadline() {
    let (server, clock) = cvm_server(vec![slow(5), Fault::ok(json!({"TotalCount": 2}))]).await;
    let deadline = Duration::from_secs(3);
    let client = with_deadline(&server, &clock, Duration::from_millis(300), deadline);
    let started = Instant::now();
    let response = describe(&client).await.unwrap();
    assert!(started.elapsed() < deadline, "took {:?}", started.elapsed());
    assert_eq!(response["TotalCount"], 2);
    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn every_attempt_too_slow_ends_with_an_attempt_timeout() {
    let (server, clock) = cvm_server(vec![slow(5); 3]).await;
    let client = client(builder(&server, &clock).attempt_timeout(Duration::from_millis(200)));
    let started = Instant::now();
    let timeout = expect_timeout(describe(&client).await.unwrap_err());
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(timeout.kind(), TimeoutKind::Attempt);
    assert_eq!(timeout.limit(), Duration::from_millis(200));
    assert_eq!(timeout.attempts(), 3);
    assert_eq!(server.received().len(), 3);
}

#[tokio::test]
async fn operation_deadline_cuts_a_slow_attempt_short() {
    let (server, clock) = cvm_server(vec![slow(5); 3]).await;
    let deadline = Duration::from_millis(400);
    let client = with_deadline(&server, &clock, Duration::from_secs(10), deadline);
    let started = Instant::now();
    let timeout = expect_timeout(describe(&client).await.unwrap_err());
    let elapsed = started.elapsed();
    assert!(
        elapsed >= deadline && elapsed < Duration::from_secs(2),
        "{elapsed:?}"
    );
    assert_eq!(
        (timeout.kind(), timeout.limit()),
        (TimeoutKind::Operation, deadline)
    );
    assert_eq!(timeout.attempts(), 1);
    assert!(timeout.last_error().is_none(), "no attempt finished");
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn operation_deadline_keeps_the_previous_attempts_error_as_source() {
    let (server, clock) =
        cvm_server(vec![Fault::error("RequestLimitExceeded"), slow(5), slow(5)]).await;
    let deadline = Duration::from_millis(400);
    let client = with_deadline(&server, &clock, Duration::from_secs(10), deadline);
    let err = describe(&client).await.unwrap_err();
    assert_eq!(
        err.attempts(),
        2,
        "the throttled attempt and the one cut short"
    );
    assert_eq!(
        err.to_string(),
        "operation timed out after 400ms, after 2 attempts"
    );
    let source = std::error::Error::source(&err).expect("the throttled answer is kept");
    assert_eq!(
        source.to_string(),
        "RequestLimitExceeded: RequestLimitExceeded happened (request id req-RequestLimitExceeded)"
    );
    let timeout = expect_timeout(err);
    assert_eq!(
        timeout.last_error().and_then(SdkError::request_id),
        Some("req-RequestLimitExceeded")
    );
    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn backoff_that_would_pass_the_deadline_is_not_slept() {
    let (server, clock) = cvm_server(vec![Fault::error("RequestLimitExceeded"); 3]).await;
    let client = client(
        builder(&server, &clock)
            .retry(RetryConfig::default().initial_backoff(Duration::from_secs(60)))
            .operation_timeout(Duration::from_secs(5)),
    );
    let err = describe(&client).await.unwrap_err();
    assert_eq!(err.code(), Some("RequestLimitExceeded"));
    assert_eq!(err.attempts(), 1);
    assert_eq!(server.received().len(), 1);
    assert!(clock.sleeps().is_empty());
}

#[tokio::test]
async fn failed_operation_returns_after_one_attempt_with_full_details() {
    let (server, clock) = cvm_server(vec![Fault::error("FailedOperation")]).await;
    let client = client(builder(&server, &clock));
    let err = call_cvm(
        &client,
        "TerminateInstances",
        &json!({"InstanceIds": ["ins-1"], "ClientToken": "t-1"}),
    )
    .await
    .unwrap_err();
    assert_eq!(server.received().len(), 1);
    assert_eq!(err.attempts(), 1);
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
    let (server, clock) =
        cvm_server(vec![Fault::error("InternalError"), Fault::ok(json!({}))]).await;
    let client = client(builder(&server, &clock));
    let err = call_cvm(
        &client,
        "TerminateInstances",
        &json!({"InstanceIds": ["ins-1"]}),
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), Some("InternalError"));
    assert!(!err.is_retryable());
    assert_eq!(err.attempts(), 1);
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn internal_error_is_retried_when_the_body_carries_a_client_token() {
    let (server, clock) = cvm_server(vec![
        Fault::error("InternalError"),
        Fault::ok(json!({"Done": true})),
    ])
    .await;
    let client = client(builder(&server, &clock));
    let body = json!({"InstanceIds": ["ins-1"], "ClientToken": "6b1c0f1e-token"});
    let response = call_cvm(&client, "TerminateInstances", &body)
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
    let op = Operation {
        service: "gaap",
        version: "2018-05-29",
        action: "DestroyProxies",
        region_required: true,
        repeatability: Repeatability::Idempotent,
        body: br#"{"ProxyIds":["link-1"],"Force":1,"ClientToken":"abc"}"#.to_vec(),
        host: None,
        options: tencentcloud_runtime::CallOptions::default(),
    };
    invoke(&client, op).await.unwrap();
    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn a_calls_own_headers_region_and_language_are_sent_signed_with_it_alone() {
    let (server, clock) = cvm_server(vec![]).await;
    let client = client(builder(&server, &clock));
    let op = |options| Operation {
        service: "cvm",
        version: VERSION,
        action: "DescribeInstances",
        region_required: true,
        repeatability: Repeatability::Read,
        body: b"{}".to_vec(),
        host: None,
        options,
    };
    let options = tencentcloud_runtime::CallOptions::new()
        .header("X-TC-TraceId", "trace-7")
        .region("ap-singapore")
        .language(Language::ZhCn);
    invoke(&client, op(options)).await.unwrap();
    invoke(&client, op(Default::default())).await.unwrap();
    let received = server.received();
    assert_eq!(received[0].signature, Some(Ok(())));
    assert_eq!(received[0].header("x-tc-traceid"), Some("trace-7"));
    assert_eq!(received[0].header("x-tc-region"), Some("ap-singapore"));
    assert_eq!(received[0].header("x-tc-language"), Some("zh-CN"));
    assert_eq!(received[1].header("x-tc-traceid"), None);
    assert_eq!(received[1].header("x-tc-region"), Some("ap-guangzhou"));
    assert_eq!(received[1].header("x-tc-language"), None);
}

#[tokio::test]
async fn limit_exceeded_is_a_quota_not_throttling() {
    let (server, clock) = cvm_server(vec![Fault::error("LimitExceeded.InstanceQuota")]).await;
    let client = client(builder(&server, &clock));
    let err = call_cvm(&client, "RunInstances", &json!({"ClientToken": "x"}))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("LimitExceeded.InstanceQuota"));
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn empty_retry_budget_stops_retries() {
    let (server, clock) = cvm_server(vec![Fault::error("RequestLimitExceeded"); 10]).await;
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
    let first = describe(&client).await.unwrap_err();
    assert_eq!(first.code(), Some("RequestLimitExceeded"));
    assert_eq!(first.attempts(), 2);
    assert_eq!(server.received().len(), 2, "the budget paid for one retry");
    assert_eq!(first.retry_refusal(), Some(RetryRefusal::BudgetExhausted));
    let second = describe(&client).await.unwrap_err();
    assert_eq!(second.attempts(), 1);
    assert_eq!(
        server.received().len(),
        3,
        "an empty bucket allows no retry"
    );
    assert_eq!(second.retry_refusal(), Some(RetryRefusal::BudgetExhausted));
    assert!(!second.may_have_taken_effect(), "a read acts on nothing");
    assert_eq!(
        second.to_string(),
        "RequestLimitExceeded: RequestLimitExceeded happened (request id \
         req-RequestLimitExceeded); not retried: the retry budget of this service is spent"
    );
}

#[tokio::test]
async fn each_service_has_its_own_retry_budget() {
    let server = Server::start_for(
        &["cvm", "vpc"],
        vec![
            Fault::error("RequestLimitExceeded"),
            Fault::error("RequestLimitExceeded"),
            Fault::error("RequestLimitExceeded"),
            Fault::error("RequestLimitExceeded"),
            Fault::ok(json!({"TotalCount": 0})),
        ],
    )
    .await;
    let budget = BudgetConfig {
        capacity: 5,
        ..BudgetConfig::default()
    };
    let clock = SteppingClock::default();
    let client =
        client(builder(&server, &clock).retry(RetryConfig::default().budget(Some(budget))));
    // cvm's outage spends cvm's budget: one retry, then none.
    assert_eq!(describe(&client).await.unwrap_err().attempts(), 2);
    let refused = describe(&client).await.unwrap_err();
    assert_eq!(refused.retry_refusal(), Some(RetryRefusal::BudgetExhausted));
    // The same configuration still retries vpc, whose budget is untouched.
    let answer = client
        .call("vpc", "2017-03-12", "DescribeVpcs", &json!({}))
        .await
        .unwrap();
    assert_eq!(answer["TotalCount"], 0);
    assert_eq!(server.received().len(), 5);
}

#[tokio::test]
async fn region_required_without_region_fails_before_any_request() {
    let server = Server::start("gaap", vec![]).await;
    let config = Config::builder()
        .transport(super::TRANSPORT)
        .credentials(credentials())
        .endpoint(server.endpoint())
        .build()
        .unwrap();
    let err = invoke(
        &Client::new(&config),
        Operation {
            service: "gaap",
            version: "2018-05-29",
            action: "DestroyProxies",
            region_required: true,
            repeatability: Repeatability::NotRepeatable,
            body: b"{}".to_vec(),
            host: None,
            options: tencentcloud_runtime::CallOptions::default(),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.attempts(), 0);
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
    let (server, clock) = cvm_server(vec![Fault::raw(200, &big)]).await;
    let client = client(builder(&server, &clock).max_response_bytes(1024));
    let e = expect_response_error(describe(&client).await.unwrap_err());
    assert_eq!((e.kind(), e.status()), (ResponseErrorKind::TooLarge, 200));
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn truncated_json_with_success_status_is_reported_not_retried() {
    let (server, clock) = cvm_server(vec![Fault::raw(200, r#"{"Response":{"TotalCount":"#)]).await;
    let client = client(builder(&server, &clock));
    let e = expect_response_error(describe(&client).await.unwrap_err());
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

fn describe_op(body: &[u8]) -> Operation<'static> {
    Operation {
        service: "cvm",
        version: VERSION,
        action: "DescribeInstances",
        region_required: true,
        repeatability: Repeatability::Read,
        body: body.to_vec(),
        host: None,
        options: tencentcloud_runtime::CallOptions::default(),
    }
}

#[tokio::test]
async fn send_decodes_typed_output_and_maps_service_errors() {
    let (server, clock) = cvm_server(vec![
        Fault::ok(json!({"TotalCount": 7})),
        Fault::error("InvalidParameter"),
        Fault::error("RequestLimitExceeded"),
        Fault::ok(json!({"TotalCount": "not a number"})),
    ])
    .await;
    let client = client(builder(&server, &clock));
    let out: DescribeOutput = send::<_, TypedError>(client.clone(), Ok(describe_op(b"{}")))
        .await
        .unwrap();
    assert_eq!((out.total_count, out.request_id.as_str()), (7, "req-ok"));

    let err = send::<DescribeOutput, TypedError>(client.clone(), Ok(describe_op(b"{}")))
        .await
        .unwrap_err();
    assert_eq!(
        err.as_service_error().map(|e| e.0.code()),
        Some("InvalidParameter")
    );

    let e = expect_response_error(
        send::<DescribeOutput, TypedError>(client.clone(), Ok(describe_op(b"{}")))
            .await
            .unwrap_err(),
    );
    assert_eq!(e.kind(), ResponseErrorKind::Deserialize);
    assert_eq!(e.attempts(), 2, "decoded after one throttled attempt");
    assert!(e.detail().unwrap().contains("TotalCount") || e.detail().unwrap().contains("u64"));

    let invalid = send::<DescribeOutput, TypedError>(
        client,
        Err(ValidationError::new("InstanceIds", "at most 100 items")),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(&invalid, SdkError::Validation(v) if v.to_string().contains("InstanceIds")),
        "a request that could not be built fails as it is: {invalid:?}"
    );
}

/// Shaped as a generated output is: every member defaulted, the unread ones listed.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CreateVpcOutput {
    #[serde(default)]
    vpc: Option<Vpc>,
    #[serde(default)]
    request_id: String,
    #[serde(skip, default = "tencentcloud_runtime::__private::unread_members")]
    unread_members: UnreadMembers,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Vpc {
    #[serde(default)]
    vpc_id: Option<String>,
    #[serde(default)]
    vpc_name: Option<String>,
    #[serde(default)]
    enable_multicast: Option<bool>,
}

fn create_vpc_op() -> Operation<'static> {
    Operation {
        action: "CreateVpc",
        repeatability: Repeatability::NotRepeatable,
        ..describe_op(br#"{"VpcName":"12345"}"#)
    }
}

#[tokio::test]
async fn a_write_whose_success_answer_has_a_drifted_member_returns_ok_with_the_member_read_by_its_rule()
 {
    let (server, clock) = cvm_server(vec![Fault::ok(json!({"Vpc": {
        "VpcId": "vpc-1", "VpcName": 12345, "EnableMulticast": "False",
    }}))])
    .await;
    let out: CreateVpcOutput =
        send::<_, TypedError>(client(builder(&server, &clock)), Ok(create_vpc_op()))
            .await
            .unwrap();
    let vpc = out.vpc.unwrap();
    assert_eq!(
        (
            vpc.vpc_id.as_deref(),
            vpc.vpc_name.as_deref(),
            vpc.enable_multicast
        ),
        (Some("vpc-1"), Some("12345"), Some(false))
    );
    assert_eq!(out.request_id, "req-ok");
    assert!(out.unread_members.is_empty());
    assert_eq!(server.received().len(), 1, "a success is never repeated");
}

#[tokio::test]
async fn a_read_with_one_unreadable_member_returns_the_rest_and_names_the_member() {
    let (server, clock) = cvm_server(vec![Fault::ok(json!({"Vpc": {
        "VpcId": "vpc-1", "VpcName": {"Text": "prod"}, "EnableMulticast": true,
    }}))])
    .await;
    let out: CreateVpcOutput =
        send::<_, TypedError>(client(builder(&server, &clock)), Ok(describe_op(b"{}")))
            .await
            .unwrap();
    let vpc = out.vpc.unwrap();
    assert_eq!(
        (vpc.vpc_id.as_deref(), vpc.vpc_name, vpc.enable_multicast),
        (Some("vpc-1"), None, Some(true))
    );
    let unread: Vec<String> = out.unread_members.iter().map(ToString::to_string).collect();
    assert_eq!(unread, ["Vpc.VpcName: expected a string, found an object"]);
}

#[tokio::test]
async fn a_success_answer_that_cannot_be_read_is_an_error_naming_success_the_request_id_and_the_whole_body()
 {
    // Longer than an error's excerpt, so that only the kept body holds all of it.
    let note = "x".repeat(600);
    let body =
        json!({"Response": {"TotalCount": "lots", "Note": note, "RequestId": "req-7"}}).to_string();
    let (server, clock) = cvm_server(vec![Fault::raw(200, &body)]).await;
    let err =
        send::<DescribeOutput, TypedError>(client(builder(&server, &clock)), Ok(create_vpc_op()))
            .await
            .unwrap_err();
    assert_eq!(err.request_id(), Some("req-7"));
    assert!(!err.is_retryable());
    let e = expect_response_error(err);
    let text = e.to_string();
    assert!(text.contains("the service reported success"), "{text}");
    assert!(text.contains("request id req-7"), "{text}");
    assert!(text.contains("TotalCount"), "{text}");
    assert!(
        !text.contains("may have taken effect"),
        "the service said it did: {text}"
    );
    assert!(e.reported_success());
    assert_eq!(e.body(), Some(body.as_bytes()));
    assert_eq!(server.received().len(), 1, "a success is never repeated");
}

/// An endpoint on loopback where nothing listens: every connection is refused.
fn refused_endpoint() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{addr}")
}

fn refused_client(clock: &SteppingClock, retry: RetryConfig) -> Client {
    client(
        Config::builder()
            .transport(super::TRANSPORT)
            .credentials(credentials())
            .endpoint(refused_endpoint())
            .retry(retry.initial_backoff(Duration::from_millis(10)))
            .clock(clock.clone())
            .jitter(FixedJitter(0.5)),
    )
}

#[tokio::test]
async fn connection_refused_is_retried_then_reported_as_connect_failure() {
    let clock = SteppingClock::default();
    let client = refused_client(&clock, RetryConfig::default());
    let err = describe(&client).await.unwrap_err();
    assert_eq!(err.attempts(), 3);
    assert!(err.to_string().ends_with(", after 3 attempts"), "{err}");
    assert_eq!(
        expect_transport_error(err).kind(),
        TransportErrorKind::Connect
    );
    assert_eq!(clock.sleeps().len(), 2, "three attempts, two backoffs");
}

fn quick_retries() -> RetryConfig {
    RetryConfig::default().initial_backoff(Duration::from_millis(100))
}

/// `TerminateInstances` without a token: a write that may act again when repeated.
async fn terminate(client: &Client) -> Result<Value, SdkError<ServiceError>> {
    call_cvm(
        client,
        "TerminateInstances",
        &json!({"InstanceIds": ["ins-1"]}),
    )
    .await
}

/// The failures after which a request may have reached the service and acted.
fn lost_answers() -> [Fault; 5] {
    [
        Fault::html(503),
        Fault::CloseMidRequest,
        Fault::CloseMidBody,
        slow(5),
        Fault::error("InternalError"),
    ]
}

#[tokio::test]
async fn a_write_without_a_token_whose_answer_was_lost_is_sent_once_and_says_it_may_have_acted() {
    for lost in lost_answers() {
        let (server, clock) = cvm_server(vec![lost.clone(), Fault::ok(json!({}))]).await;
        let client = client(
            builder(&server, &clock)
                .retry(quick_retries())
                .attempt_timeout(Duration::from_millis(200)),
        );
        let err = terminate(&client).await.unwrap_err();
        assert_eq!(err.attempts(), 1, "{lost:?}: {err:?}");
        assert_eq!(server.received().len(), 1, "{lost:?}");
        assert!(err.may_have_taken_effect(), "{lost:?}: {err:?}");
        assert_eq!(
            err.retry_refusal(),
            Some(RetryRefusal::NotSafeToRepeat),
            "{lost:?}"
        );
        let shown = err.to_string();
        assert!(
            shown.ends_with(
                "the request may have taken effect (not retried: the action is not safe to repeat)"
            ),
            "{lost:?}: {shown}"
        );
    }
}

#[tokio::test]
async fn a_read_is_retried_after_every_lost_answer_and_never_claims_an_effect() {
    for lost in lost_answers() {
        let (server, clock) =
            cvm_server(vec![lost.clone(), Fault::ok(json!({"TotalCount": 1}))]).await;
        let client = client(
            builder(&server, &clock)
                .retry(quick_retries())
                .attempt_timeout(Duration::from_millis(200)),
        );
        assert_eq!(
            describe(&client).await.unwrap()["TotalCount"],
            1,
            "{lost:?}"
        );
        assert_eq!(server.received().len(), 2, "{lost:?}");
    }
    let (server, clock) = cvm_server(vec![Fault::CloseMidRequest; 3]).await;
    let client = client(builder(&server, &clock).retry(quick_retries()));
    let err = describe(&client).await.unwrap_err();
    assert_eq!(err.attempts(), 3);
    assert!(!err.may_have_taken_effect(), "{err}");
    assert_eq!(err.retry_refusal(), None);
}

#[tokio::test]
async fn a_write_without_a_token_is_still_retried_when_it_certainly_did_not_act() {
    let (server, clock) = cvm_server(vec![
        Fault::error("RequestLimitExceeded"),
        Fault::raw(429, "{}"),
        Fault::ok(json!({})),
    ])
    .await;
    let client = client(builder(&server, &clock).retry(quick_retries()));
    terminate(&client).await.unwrap();
    assert_eq!(server.received().len(), 3);

    let clock = SteppingClock::default();
    let err = terminate(&refused_client(&clock, quick_retries()))
        .await
        .unwrap_err();
    assert_eq!(err.attempts(), 3, "a refused connection sent nothing");
    assert!(!err.may_have_taken_effect());
}

#[tokio::test]
async fn the_all_transient_opt_in_repeats_a_lost_write_and_its_error_still_says_it_may_have_acted()
{
    let (server, clock) = cvm_server(vec![
        Fault::CloseMidBody,
        Fault::error("UnsupportedOperation.InstanceStateTerminated"),
    ])
    .await;
    let retry = quick_retries().non_repeatable(NonRepeatableRetries::AllTransient);
    let client = client(builder(&server, &clock).retry(retry));
    let err = terminate(&client).await.unwrap_err();
    assert_eq!(server.received().len(), 2, "the opt-in repeats the write");
    assert_eq!(
        err.code(),
        Some("UnsupportedOperation.InstanceStateTerminated")
    );
    assert!(
        err.may_have_taken_effect(),
        "the first attempt may have terminated the instance: {err}"
    );
    assert!(
        err.to_string()
            .ends_with("after 2 attempts; the request may have taken effect"),
        "{err}"
    );
}

#[tokio::test]
async fn lost_answers_of_calls_with_a_client_token_are_retried() {
    let (server, clock) = cvm_server(vec![
        Fault::html(503),
        Fault::CloseMidRequest,
        Fault::ok(json!({"InstanceIdSet": ["ins-1"]})),
    ])
    .await;
    let client = client(builder(&server, &clock).retry(quick_retries()));
    let body = json!({"ImageId": "img-1", "ClientToken": "7d1f-token"});
    call_cvm(&client, "RunInstances", &body).await.unwrap();
    let received = server.received();
    assert_eq!(received.len(), 3);
    assert_identical_bodies_and_fresh_signatures(&received, &serde_json::to_vec(&body).unwrap());
}

#[tokio::test]
async fn a_token_call_whose_retries_are_throttled_still_says_an_earlier_attempt_may_have_acted() {
    let (server, clock) = cvm_server(vec![
        Fault::CloseMidBody,
        Fault::error("RequestLimitExceeded"),
        Fault::error("RequestLimitExceeded"),
    ])
    .await;
    let throttled = client(builder(&server, &clock).retry(quick_retries()));
    let body = json!({"ImageId": "img-1", "ClientToken": "7d1f-token"});
    let err = call_cvm(&throttled, "RunInstances", &body)
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("RequestLimitExceeded"));
    assert_eq!(err.attempts(), 3);
    assert!(
        err.may_have_taken_effect(),
        "the first attempt's answer was lost; throttling refused only the retries: {err}"
    );

    let (server, clock) =
        cvm_server(vec![Fault::CloseMidBody, Fault::error("FailedOperation")]).await;
    let answered = client(builder(&server, &clock).retry(quick_retries()));
    let err = call_cvm(&answered, "RunInstances", &body)
        .await
        .unwrap_err();
    assert!(
        !err.may_have_taken_effect(),
        "with the token, the service's answer to the retry speaks for the call: {err}"
    );
}

#[tokio::test]
async fn a_deadline_that_stops_a_retry_says_so() {
    let (server, clock) = cvm_server(vec![Fault::error("RequestLimitExceeded"); 2]).await;
    let client = client(
        builder(&server, &clock)
            .retry(RetryConfig::default().initial_backoff(Duration::from_secs(60)))
            .operation_timeout(Duration::from_secs(5)),
    );
    let err = describe(&client).await.unwrap_err();
    assert_eq!(err.retry_refusal(), Some(RetryRefusal::DeadlineTooClose));
    assert!(
        err.to_string()
            .ends_with("not retried: the backoff would pass the operation deadline"),
        "{err}"
    );
}

#[tokio::test]
async fn limits_too_large_for_the_clock_mean_no_limit_rather_than_a_panic() {
    let (server, clock) = cvm_server(vec![
        Fault::error("RequestLimitExceeded"),
        Fault::ok(json!({"TotalCount": 5})),
    ])
    .await;
    let client = client(
        builder(&server, &clock)
            .operation_timeout(Duration::MAX)
            .retry(
                RetryConfig::default()
                    .initial_backoff(Duration::MAX)
                    .max_backoff(Duration::MAX),
            ),
    );
    assert_eq!(describe(&client).await.unwrap()["TotalCount"], 5);
    assert_eq!(clock.sleeps().len(), 1);
}

/// A provider that takes far longer than any deadline in these tests.
struct SlowProvider;

impl tencentcloud_runtime::ProvideCredentials for SlowProvider {
    fn provide_credentials(
        &self,
    ) -> tencentcloud_runtime::credentials::ProvideCredentialsFuture<'_> {
        Box::pin(async {
            tokio::time::sleep(Duration::from_secs(30)).await;
            Ok(credentials())
        })
    }
}

#[tokio::test]
async fn a_slow_credentials_provider_counts_against_the_deadline_with_zero_attempts() {
    let (server, clock) = cvm_server(vec![]).await;
    let deadline = Duration::from_millis(200);
    let config = builder(&server, &clock)
        .credentials_provider(SlowProvider)
        .operation_timeout(deadline);
    let timeout = expect_timeout(describe(&client(config)).await.unwrap_err());
    assert_eq!(
        (timeout.kind(), timeout.limit()),
        (TimeoutKind::Operation, deadline)
    );
    assert_eq!(timeout.attempts(), 0);
    assert!(server.received().is_empty());
}

/// A server that accepts connections, reads nothing and never answers.
async fn silent_server() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            held.push(stream);
        }
    });
    format!("http://{addr}")
}

#[tokio::test(start_paused = true)]
async fn with_default_settings_a_silent_server_holds_a_call_at_most_the_60_second_deadline() {
    use tencentcloud_runtime::{DEFAULT_ATTEMPT_TIMEOUT, DEFAULT_OPERATION_TIMEOUT};
    let endpoint = silent_server().await;
    let config = Config::builder()
        .transport(super::TRANSPORT)
        .credentials(credentials())
        .endpoint(&endpoint)
        .build()
        .unwrap();
    let client = Client::new(&config);

    let started = tokio::time::Instant::now();
    let read = expect_timeout(describe(&client).await.unwrap_err());
    let read_took = started.elapsed();
    assert_eq!(
        (read.kind(), read.limit()),
        (TimeoutKind::Operation, DEFAULT_OPERATION_TIMEOUT)
    );
    assert_eq!(
        read.attempts(),
        2,
        "30 s, a backoff, then the rest of the 60 s"
    );
    assert!(
        read_took >= DEFAULT_OPERATION_TIMEOUT
            && read_took < DEFAULT_OPERATION_TIMEOUT + Duration::from_millis(500),
        "{read_took:?}"
    );
    assert!(!read.may_have_taken_effect(), "a read acts on nothing");

    let started = tokio::time::Instant::now();
    let write = expect_timeout(terminate(&client).await.unwrap_err());
    let write_took = started.elapsed();
    assert_eq!(
        (write.kind(), write.limit()),
        (TimeoutKind::Attempt, DEFAULT_ATTEMPT_TIMEOUT)
    );
    assert_eq!(write.attempts(), 1);
    assert!(write.may_have_taken_effect());
    assert_eq!(write.retry_refusal(), Some(RetryRefusal::NotSafeToRepeat));
    assert!(
        write_took < DEFAULT_ATTEMPT_TIMEOUT + Duration::from_millis(500),
        "{write_took:?}"
    );
}

#[tokio::test]
async fn the_transport_under_test_is_the_one_configured() {
    let (server, clock) = cvm_server(vec![]).await;
    let config = builder(&server, &clock).build().unwrap();
    let shown = format!("{config:?}");
    assert!(
        shown.contains(&format!("transport: {:?}", super::TRANSPORT)),
        "{shown}"
    );
}

#[tokio::test]
async fn calls_in_a_row_share_one_kept_alive_connection() {
    let (server, clock) = cvm_server(vec![]).await;
    let client = client(builder(&server, &clock));
    for _ in 0..3 {
        describe(&client).await.unwrap();
    }
    assert_eq!(server.received().len(), 3);
    assert_eq!(server.connections(), 1, "one connection for three calls");
}

#[tokio::test]
async fn a_connection_the_server_closed_while_idle_is_replaced_without_costing_an_attempt() {
    let script = vec![Fault::ThenClose(Box::new(Fault::ok(
        json!({"TotalCount": 1}),
    )))];
    let (server, clock) = cvm_server(script).await;
    // One attempt: a failure on the stale connection would end the call, not be retried.
    let client = client(builder(&server, &clock).retry(RetryConfig::default().max_attempts(1)));
    describe(&client).await.unwrap();
    // Let the server's close arrive, as it would for a connection idle past its timeout.
    tokio::time::sleep(Duration::from_millis(50)).await;
    let response = describe(&client).await.unwrap();
    assert_eq!(response["RequestId"], "req-ok");
    assert_eq!(server.received().len(), 2, "the second call was sent once");
    assert_eq!(server.connections(), 2);
}

#[tokio::test]
async fn a_tls_handshake_that_never_completes_is_a_connect_failure_and_sends_nothing() {
    // The scripted server speaks plain HTTP: it waits for a request head, never a ClientHello.
    let (server, clock) = cvm_server(vec![]).await;
    let https = format!("https://{}", server.addr);
    let config = builder(&server, &clock)
        .endpoint(https)
        .connect_timeout(Duration::from_millis(300))
        .retry(RetryConfig::default().max_attempts(1));
    let err = describe(&client(config)).await.unwrap_err();
    assert!(!err.may_have_taken_effect(), "{err}");
    assert_eq!(
        expect_transport_error(err).kind(),
        TransportErrorKind::Connect
    );
    assert!(
        server.received().is_empty(),
        "no request reached the server"
    );
}
