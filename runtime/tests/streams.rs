//! Streaming calls against a loopback server that answers with server-sent events: events in
//! order and typed, the idle timeout, a cut stream, dropping a stream, errors sent as events,
//! and `send()` refusing to wait for a stream's end.

mod support;

use std::time::Duration;

use serde::Deserialize;
use support::server::{Fault, SECRET_ID, SECRET_KEY, Server, StreamEnd};
use tencentcloud_runtime::__private::{Operation, ServiceVersion, send};
use tencentcloud_runtime::error::ResponseErrorKind;
use tencentcloud_runtime::{
    Client, Config, Credentials, EventStream, Repeatability, SdkError, ServiceError,
    StreamErrorKind, Transport,
};

const SERVICE: ServiceVersion = ServiceVersion {
    service: "hunyuan",
    version: "2023-09-01",
    region_required: false,
};

/// An event of the stand-in chat action.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Chunk {
    #[serde(default)]
    content: Option<String>,
    #[serde(default)]
    index: Option<i64>,
}

fn client(
    server: &Server,
    configure: impl FnOnce(tencentcloud_runtime::ConfigBuilder) -> tencentcloud_runtime::ConfigBuilder,
) -> Client {
    let builder = Config::builder()
        .credentials(Credentials::new(SECRET_ID, SECRET_KEY).unwrap())
        .endpoint(server.endpoint())
        .region("ap-guangzhou");
    Client::new(&configure(builder).build().unwrap())
}

async fn open(client: Client) -> Result<EventStream<Chunk, ServiceError>, SdkError<ServiceError>> {
    SERVICE
        .send_stream(
            None,
            client,
            "ChatCompletions",
            Repeatability::NotRepeatable,
            tencentcloud_runtime::CallOptions::default(),
            Ok(br#"{"Model":"hunyuan-lite","Stream":true}"#.to_vec()),
        )
        .await
}

/// Events `a`, `b` and `c`, pausing `pause` after `pause_after` of them, ending as `end` says.
fn abc(pause_after: usize, pause: Duration, end: StreamEnd) -> Fault {
    Fault::Events {
        events: ["a", "b", "c"]
            .map(|content| format!(r#"{{"Content":"{content}"}}"#))
            .to_vec(),
        pause_after,
        pause,
        end,
    }
}

fn content(event: Result<tencentcloud_runtime::Event<Chunk>, SdkError<ServiceError>>) -> String {
    event.unwrap().data.content.unwrap_or_default()
}

#[tokio::test]
async fn events_arrive_in_order_read_into_the_output_type() {
    let server = Server::start(
        "hunyuan",
        vec![Fault::events(&[
            r#"{"Content":"你","Index":1}"#,
            r#"{"Content":"好","Index":"2","Undocumented":true}"#,
            r#"{"Content":"！","Index":3}"#,
        ])],
    )
    .await;
    let mut stream = open(client(&server, |b| b)).await.unwrap();
    let mut seen = Vec::new();
    while let Some(event) = stream.next().await {
        let event = event.unwrap();
        seen.push((event.data.content.clone().unwrap(), event.data.index));
        if event.data.index == Some(2) {
            assert!(
                event.raw.contains("Undocumented"),
                "the raw data keeps every member"
            );
        }
    }
    assert_eq!(
        seen,
        [
            ("你".to_owned(), Some(1)),
            ("好".to_owned(), Some(2)),
            ("！".to_owned(), Some(3))
        ],
        "in order; the index sent as a string read by its rule"
    );
    let received = server.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].signature, Some(Ok(())));
    assert_eq!(received[0].header("x-tc-action"), Some("ChatCompletions"));
}

#[tokio::test]
async fn a_stream_works_the_same_through_reqwest_as_configured_transport() {
    let server = Server::start("hunyuan", vec![Fault::events(&[r#"{"Content":"a"}"#])]).await;
    let client = client(&server, |b| b.transport(Transport::Reqwest));
    let mut stream = open(client).await.unwrap();
    assert_eq!(content(stream.next().await.unwrap()), "a");
    assert!(stream.next().await.is_none());
}

#[tokio::test]
async fn a_stream_gone_quiet_ends_by_its_idle_timeout_and_closes_its_connection() {
    let server = Server::start(
        "hunyuan",
        vec![abc(2, Duration::from_secs(30), StreamEnd::Complete)],
    )
    .await;
    let client = client(&server, |b| {
        b.stream_idle_timeout(Duration::from_millis(300))
    });
    let mut stream = open(client).await.unwrap();
    assert_eq!(content(stream.next().await.unwrap()), "a");
    assert_eq!(content(stream.next().await.unwrap()), "b");
    let Some(Err(SdkError::Stream(error))) = stream.next().await else {
        panic!("expected the idle timeout");
    };
    assert_eq!(error.kind(), StreamErrorKind::IdleTimeout);
    assert_eq!(error.events_received(), 2);
    assert_eq!(error.request_id(), Some("req-stream"));
    assert!(error.ends_stream());
    let text = error.to_string();
    assert!(
        text.contains("broke off after 2 events") && text.contains("300ms"),
        "{text}"
    );
    assert!(
        stream.next().await.is_none(),
        "the stream ended with the error"
    );
    wait_for(|| server.closed_by_client() == 1, "the connection closed").await;
}

#[tokio::test]
async fn a_cut_stream_errs_with_what_arrived_and_is_not_sent_again() {
    let server = Server::start("hunyuan", vec![abc(0, Duration::ZERO, StreamEnd::Cut)]).await;
    let mut stream = open(client(&server, |b| b)).await.unwrap();
    assert_eq!(content(stream.next().await.unwrap()), "a");
    assert_eq!(content(stream.next().await.unwrap()), "b");
    let Some(Err(error)) = stream.next().await else {
        panic!("expected the cut");
    };
    let SdkError::Stream(stream_error) = &error else {
        panic!("expected a stream error, got {error:?}");
    };
    assert_eq!(stream_error.kind(), StreamErrorKind::Cut);
    assert_eq!(stream_error.events_received(), 2);
    // Two whole events of 25 bytes each, and part of the third.
    assert!(stream_error.bytes_received() >= 50, "{stream_error}");
    assert!(error.may_have_taken_effect() && !error.is_retryable());
    assert_eq!(error.request_id(), Some("req-stream"));
    assert!(stream.next().await.is_none());
    assert_eq!(server.received().len(), 1, "never sent again");
}

#[tokio::test]
async fn dropping_a_stream_closes_its_connection() {
    let server = Server::start(
        "hunyuan",
        vec![abc(1, Duration::from_secs(30), StreamEnd::Complete)],
    )
    .await;
    let mut stream = open(client(&server, |b| b)).await.unwrap();
    assert_eq!(content(stream.next().await.unwrap()), "a");
    drop(stream);
    wait_for(|| server.closed_by_client() == 1, "the connection closed").await;
}

#[tokio::test]
async fn a_whole_answer_to_a_streaming_call_is_its_one_event() {
    let server = Server::start(
        "hunyuan",
        vec![Fault::ok(
            serde_json::json!({"Content": "whole", "Index": 7}),
        )],
    )
    .await;
    let mut stream = open(client(&server, |b| b)).await.unwrap();
    let event = stream.next().await.unwrap().unwrap();
    assert_eq!(event.data.content.as_deref(), Some("whole"));
    assert!(event.raw.contains("req-ok"), "{}", event.raw);
    assert!(stream.next().await.is_none());
}

#[tokio::test]
async fn errors_before_and_inside_a_stream_are_service_errors() {
    let server = Server::start(
        "hunyuan",
        vec![
            Fault::error("InvalidParameter"),
            Fault::events(&[
                r#"{"Content":"a"}"#,
                r#"{"Error":{"Code":"InternalError","Message":"model overloaded"}}"#,
                r#"{"Content":"never read"}"#,
            ]),
        ],
    )
    .await;
    let before = open(client(&server, |b| b)).await.unwrap_err();
    assert_eq!(before.code(), Some("InvalidParameter"));

    let mut stream = open(client(&server, |b| b)).await.unwrap();
    assert_eq!(content(stream.next().await.unwrap()), "a");
    let Some(Err(error)) = stream.next().await else {
        panic!("expected the error event");
    };
    assert_eq!(error.code(), Some("InternalError"));
    assert_eq!(error.message(), Some("model overloaded"));
    assert_eq!(
        error.request_id(),
        Some("req-stream"),
        "the header's id stands in"
    );
    assert!(stream.next().await.is_none(), "the error ends the stream");
}

#[tokio::test]
async fn an_event_that_is_not_json_is_reported_and_the_stream_goes_on() {
    let server = Server::start(
        "hunyuan",
        vec![Fault::events(&[
            r#"{"Content":"a"}"#,
            "[DONE]",
            r#"{"Content":"b"}"#,
        ])],
    )
    .await;
    let mut stream = open(client(&server, |b| b)).await.unwrap();
    assert_eq!(content(stream.next().await.unwrap()), "a");
    let Some(Err(SdkError::Stream(error))) = stream.next().await else {
        panic!("expected the unreadable event");
    };
    assert_eq!(error.kind(), StreamErrorKind::UnreadableEvent);
    assert_eq!(error.data(), Some("[DONE]"));
    assert!(!error.ends_stream());
    assert_eq!(content(stream.next().await.unwrap()), "b");
    assert!(stream.next().await.is_none());
}

#[tokio::test]
async fn an_event_larger_than_the_cap_ends_the_stream() {
    let long = format!(r#"{{"Content":"{}"}}"#, "x".repeat(200));
    let server = Server::start(
        "hunyuan",
        vec![Fault::events(&[r#"{"Content":"a"}"#, &long])],
    )
    .await;
    let mut stream = open(client(&server, |b| b.max_response_bytes(128)))
        .await
        .unwrap();
    assert_eq!(content(stream.next().await.unwrap()), "a");
    let Some(Err(SdkError::Stream(error))) = stream.next().await else {
        panic!("expected the event refused");
    };
    assert_eq!(error.kind(), StreamErrorKind::EventTooLarge);
    assert!(error.to_string().contains("128-byte limit"), "{error}");
    assert!(stream.next().await.is_none());
}

#[tokio::test]
async fn a_throttled_opening_is_retried_before_any_event() {
    let server = Server::start(
        "hunyuan",
        vec![
            Fault::error("RequestLimitExceeded"),
            Fault::events(&[r#"{"Content":"a"}"#]),
        ],
    )
    .await;
    let client = client(&server, |b| {
        b.retry(
            tencentcloud_runtime::RetryConfig::default().initial_backoff(Duration::from_millis(1)),
        )
    });
    let mut stream = open(client).await.unwrap();
    assert_eq!(content(stream.next().await.unwrap()), "a");
    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn send_on_an_answer_that_streams_says_to_use_send_stream() {
    for transport in [Transport::Direct, Transport::Reqwest] {
        let server = Server::start(
            "hunyuan",
            vec![abc(1, Duration::from_secs(30), StreamEnd::Complete)],
        )
        .await;
        let op = Operation {
            service: "hunyuan",
            version: "2023-09-01",
            action: "ChatCompletions",
            region_required: false,
            repeatability: Repeatability::NotRepeatable,
            body: br#"{"Stream":true}"#.to_vec(),
            host: None,
            options: tencentcloud_runtime::CallOptions::default(),
        };
        let client = client(&server, |b| b.transport(transport));
        // Without waiting for the paused stream's end.
        let result = tokio::time::timeout(
            Duration::from_secs(10),
            send::<serde_json::Value, ServiceError>(client, Ok(op)),
        )
        .await
        .expect("send() returned before the stream's end");
        let Err(SdkError::Response(error)) = result else {
            panic!("{transport:?}: expected the stream refused, got {result:?}");
        };
        assert_eq!(
            error.kind(),
            ResponseErrorKind::EventStream,
            "{transport:?}"
        );
        assert!(error.to_string().contains("send_stream()"), "{error}");
        assert!(error.may_have_taken_effect());
        assert_eq!(server.received().len(), 1, "{transport:?}: not retried");
    }
}

/// Waits up to 5 s for `done`.
async fn wait_for(done: impl Fn() -> bool, what: &str) {
    for _ in 0..500 {
        if done() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("{what}: not within 5 s");
}

#[test]
fn a_stream_can_be_moved_to_another_task() {
    fn sendable<T: Send + 'static>() {}
    sendable::<EventStream<Chunk, ServiceError>>();
}
