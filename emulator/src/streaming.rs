//! Answers streamed as server-sent events, as streaming actions send them when asked to: the
//! documented events (or the example answer as the one event) sent one by one by a task of
//! their own, paced or broken off by the call's fault, and how far they went written into the
//! call's log entry.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use serde_json::{Map, Value};
use tokio::sync::mpsc;

use crate::catalog::Streaming;
use crate::emulator::Shared;
use crate::faults::FaultKind;
use crate::log::{LogEntry, Outcome, StreamEnd, StreamRecord};
use crate::response::{self, HttpResponse, StreamCut};

/// Answers the call `entry` with the events of `streaming`, or `members` (the answer it would
/// have given whole) as the one event, under `fault`.
pub(crate) fn answer(
    shared: &Arc<Shared>,
    mut entry: LogEntry,
    streaming: &Streaming,
    members: Map<String, Value>,
    fault: Option<FaultKind>,
) -> HttpResponse {
    let events: Vec<Bytes> = if streaming.events.is_empty() {
        vec![frame(&Value::Object(members))]
    } else {
        streaming.events.iter().map(frame).collect()
    };
    entry.outcome = Outcome::Success;
    entry.stream = Some(StreamRecord {
        events_sent: 0,
        end: StreamEnd::Sending,
    });
    let request_id = entry.request_id.clone();
    let seq = shared.log.record(entry);
    // One event waits in the channel at most: the task sends as fast as the client reads.
    let (sender, receiver) = mpsc::channel(1);
    tokio::spawn(send(Arc::clone(shared), seq, events, fault, sender));
    response::events(&request_id, receiver)
}

/// Ample time for the server to write what it took from the channel.
const FLUSH_TIME: Duration = Duration::from_millis(20);

fn frame(data: &Value) -> Bytes {
    Bytes::from(format!("data: {data}\n\n"))
}

async fn send(
    shared: Arc<Shared>,
    seq: u64,
    events: Vec<Bytes>,
    fault: Option<FaultKind>,
    sender: mpsc::Sender<Result<Bytes, StreamCut>>,
) {
    let mut sent = 0_u32;
    let mut end = StreamEnd::Complete;
    for event in events {
        match fault {
            Some(FaultKind::StallStream {
                after_events,
                millis,
            }) if after_events == sent => {
                tokio::select! {
                    () = sender.closed() => {
                        end = StreamEnd::ClientLeft;
                        break;
                    }
                    () = tokio::time::sleep(Duration::from_millis(millis)) => {}
                }
            }
            Some(FaultKind::CutStream { after_events }) if after_events == sent => {
                let half = event.slice(..event.len() / 2);
                let _ = sender.send(Ok(half)).await;
                // What was sent goes out before the cut: the server writes the events it
                // holds once it finds none waiting, and a cut before that would lose them.
                while sender.capacity() < sender.max_capacity() && !sender.is_closed() {
                    tokio::time::sleep(Duration::from_millis(1)).await;
                }
                tokio::time::sleep(FLUSH_TIME).await;
                // Recorded before the cut, which the client may see at once.
                record(&shared, seq, sent, StreamEnd::Cut);
                let _ = sender.send(Err(StreamCut)).await;
                return;
            }
            _ => {}
        }
        if sender.send(Ok(event)).await.is_err() {
            end = StreamEnd::ClientLeft;
            break;
        }
        sent += 1;
    }
    // Recorded while `sender` still holds the stream open: the client sees its end after.
    record(&shared, seq, sent, end);
}

fn record(shared: &Shared, seq: u64, events_sent: u32, end: StreamEnd) {
    shared.log.update(seq, |entry| {
        entry.stream = Some(StreamRecord { events_sent, end });
    });
}
