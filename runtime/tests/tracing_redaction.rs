//! The tracing spans of a call name service, action, attempt, status and request id, and never
//! carry a secret; at `info` each call is one line.

mod support;

use std::fmt::{Debug, Write as _};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::json;
use support::clock::{FixedJitter, SteppingClock};
use support::server::{Fault, SECRET_ID, SECRET_KEY, Server};
use tencentcloud_runtime::{Client, Config, Credentials, RetryConfig};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// Writes every span, recorded field and event as text.
struct Capture {
    text: Arc<Mutex<String>>,
    next_id: AtomicU64,
}

struct Fields<'a>(&'a mut String);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        let _ = write!(self.0, " {}={:?}", field.name(), value);
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut text = self.text.lock().unwrap();
        let _ = write!(text, "\nspan {}:", span.metadata().name());
        span.record(&mut Fields(&mut text));
        Id::from_u64(self.next_id.fetch_add(1, Ordering::SeqCst) + 1)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut text = self.text.lock().unwrap();
        let _ = write!(text, "\nrecord {}:", span.into_u64());
        values.record(&mut Fields(&mut text));
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut text = self.text.lock().unwrap();
        text.push_str("\nevent:");
        event.record(&mut Fields(&mut text));
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

#[tokio::test]
async fn spans_name_the_call_and_attempts_but_never_a_secret() {
    let text = Arc::new(Mutex::new(String::new()));
    let _guard = tracing::subscriber::set_default(Capture {
        text: text.clone(),
        next_id: AtomicU64::new(0),
    });
    let token = "SESSIONtokenVALUE123";
    let server = Server::start(
        "cvm",
        vec![
            Fault::error("RequestLimitExceeded"),
            Fault::ok(json!({"TotalCount": 0})),
        ],
    )
    .await;
    let config = Config::builder()
        .credentials(
            Credentials::new(SECRET_ID, SECRET_KEY)
                .unwrap()
                .with_token(token)
                .unwrap(),
        )
        .endpoint(server.endpoint())
        .region("ap-guangzhou")
        .retry(RetryConfig::default().initial_backoff(Duration::from_millis(10)))
        .clock(SteppingClock::default())
        .jitter(FixedJitter(0.5))
        .build()
        .unwrap();
    Client::new(&config)
        .call("cvm", "2017-03-12", "DescribeInstances", &json!({}))
        .await
        .unwrap();

    let text = text.lock().unwrap().clone();
    for expected in [
        "span tencentcloud.call: service=\"cvm\" action=\"DescribeInstances\"",
        "span tencentcloud.attempt: attempt=1",
        "span tencentcloud.attempt: attempt=2",
        "status=200",
        "error_code=\"RequestLimitExceeded\"",
        "request_id=\"req-ok\"",
        "attempts=2",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:{text}");
    }
    let authorization = &server.received()[1];
    let signature = authorization
        .header("authorization")
        .unwrap()
        .rsplit("Signature=")
        .next()
        .unwrap()
        .to_owned();
    for secret in [SECRET_KEY, token, signature.as_str()] {
        assert!(
            !text.contains(secret),
            "{secret:?} leaked into tracing output:{text}"
        );
    }
}

/// A `tracing_subscriber` writer into a shared buffer.
#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Buffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn rust_log_info_shows_one_line_per_call_with_request_id_and_attempts() {
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new("info"))
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let server = Server::start(
        "cvm",
        vec![
            Fault::error("RequestLimitExceeded"),
            Fault::ok(json!({"TotalCount": 0})),
            Fault::error("InvalidInstanceId.NotFound"),
        ],
    )
    .await;
    let config = Config::builder()
        .credentials(Credentials::new(SECRET_ID, SECRET_KEY).unwrap())
        .endpoint(server.endpoint())
        .region("ap-guangzhou")
        .retry(RetryConfig::default().initial_backoff(Duration::from_millis(1)))
        .build()
        .unwrap();
    let client = Client::new(&config);
    client
        .call("cvm", "2017-03-12", "DescribeInstances", &json!({}))
        .await
        .unwrap();
    client
        .call("cvm", "2017-03-12", "DescribeInstances", &json!({}))
        .await
        .unwrap_err();

    let text = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines.len(),
        2,
        "one line per call, retries only at debug:\n{text}"
    );
    for (line, expected) in lines.iter().zip([
        [
            " INFO ",
            "call finished",
            "service=\"cvm\" action=\"DescribeInstances\" request_id=\"req-ok\" attempts=2",
            "outcome=\"ok\"",
        ],
        [
            " INFO ",
            "call failed",
            "attempts=1",
            "error_code=\"InvalidInstanceId.NotFound\"",
        ],
    ]) {
        for part in expected {
            assert!(line.contains(part), "missing {part:?} in {line}");
        }
        assert!(line.contains("latency_ms="), "{line}");
    }
    assert!(lines[1].contains("request_id=\"req-"), "{}", lines[1]);
    assert!(!text.contains(SECRET_KEY));
}
