//! Streaming actions: asked to stream, they answer with server-sent events (their documented
//! events, or their example answer as the one event); otherwise whole. The request log says
//! how far each stream went.

use serde_json::{Value, json};
use tencentcloud_emulator::{StreamEnd, StreamRecord};
use tencentcloud_runtime::__private::ServiceVersion;
use tencentcloud_runtime::error::ResponseErrorKind;
use tencentcloud_runtime::{Repeatability, SdkError, ServiceError};

use super::support::{client, start};

const HUNYUAN: ServiceVersion = ServiceVersion {
    service: "hunyuan",
    version: "2023-09-01",
    region_required: false,
};

fn chat(stream: bool) -> Value {
    json!({"Model": "hunyuan-lite", "Messages": [{"Role": "user", "Content": "hi"}], "Stream": stream})
}

#[tokio::test]
async fn asked_to_stream_the_action_streams_and_otherwise_answers_whole() {
    let handle = start().await;
    let client = client(&handle);
    let whole = client
        .call("hunyuan", "2023-09-01", "ChatCompletions", &chat(false))
        .await
        .expect("a whole answer");
    assert!(whole["Choices"].is_array(), "{whole}");

    let streamed = client
        .call("hunyuan", "2023-09-01", "ChatCompletions", &chat(true))
        .await
        .unwrap_err();
    let SdkError::Response(error) = &streamed else {
        panic!("expected the stream refused by a whole-answer call, got {streamed:?}");
    };
    assert_eq!(error.kind(), ResponseErrorKind::EventStream);

    let log = handle.request_log();
    assert_eq!(log[0].stream, None, "answered whole");
    // Whether the client left before the last event depends on the connection's buffers.
    assert!(log[1].stream.is_some(), "answered as a stream");
}

#[tokio::test]
async fn an_action_without_documented_events_streams_its_example_answer_as_one_event() {
    let handle = start().await;
    let body =
        json!({"Model": "hunyuan-translation", "Stream": true, "Text": "你好", "Target": "en"});
    let mut stream = HUNYUAN
        .send_stream::<Value, ServiceError>(
            None,
            client(&handle),
            "ChatTranslations",
            Repeatability::NotRepeatable,
            tencentcloud_runtime::CallOptions::default(),
            Ok(body.to_string().into_bytes()),
        )
        .await
        .expect("the stream begins");
    let event = stream.next().await.unwrap().unwrap();
    assert!(event.data.get("Choices").is_some(), "{}", event.raw);
    assert!(stream.next().await.is_none());
    let record = handle.request_log()[0].stream;
    assert_eq!(
        record,
        Some(StreamRecord {
            events_sent: 1,
            end: StreamEnd::Complete
        })
    );
}
