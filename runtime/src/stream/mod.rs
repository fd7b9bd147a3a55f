//! Answers streamed as server-sent events (`text/event-stream`), which streaming actions send
//! when asked to stream: read event by event as they arrive, each event's data read into the
//! action's output type by the same rules as a whole answer.

mod error;
mod events;
mod sse;

use std::fmt;
use std::future::poll_fn;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use serde::de::DeserializeOwned;

pub use error::{StreamError, StreamErrorKind};

use crate::client::{Client, Opening, Operation, Reply, read_output, success_summary};
use crate::error::{SdkError, ServiceError};
use crate::output;
use crate::response::error_in_event;
use crate::retry::Repeatability;
use crate::validate::ValidationError;
use error::StreamPlace;
use events::Events;
use sse::RawEvent;

/// One event of a stream.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Event<O> {
    /// The event's `id:` field, when it has one.
    pub id: Option<String>,
    /// The event's `event:` field (its type), when it has one.
    pub event_type: Option<String>,
    /// The event's data read as the action's output; members it does not document are in
    /// [`raw`](Self::raw) only, and members that could not be read are listed in the output's
    /// `unread_members`.
    pub data: O,
    /// The event's data as sent.
    pub raw: String,
}

/// The events of a streaming action's answer, in the order they arrive; from a generated
/// `send_stream()`. Read them with [`next`](Self::next) or as a [`futures_core::Stream`].
///
/// - A service that answers whole instead (the action did not stream this time) gives that
///   answer as the one event.
/// - Each wait for an event is limited by
///   [`ConfigBuilder::stream_idle_timeout`](crate::ConfigBuilder::stream_idle_timeout), and
///   each event's size by [`ConfigBuilder::max_response_bytes`](crate::ConfigBuilder::max_response_bytes).
/// - An error the service sends as an event ends the stream as [`SdkError::Service`]; a
///   broken connection, an idle timeout or an event too large end it as [`SdkError::Stream`],
///   saying how many events and bytes had arrived. Nothing is retried once the stream has
///   begun. An event whose data is not JSON is reported ([`StreamErrorKind::UnreadableEvent`],
///   the data kept) and the stream goes on.
/// - Dropping the stream closes its connection: the service stops sending.
pub struct EventStream<O, E> {
    source: Source<O>,
    errors: PhantomData<fn() -> E>,
}

enum Source<O> {
    /// A whole answer, given once.
    Whole(Option<Event<O>>),
    Events(Box<Events>),
}

impl<O, E> fmt::Debug for EventStream<O, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("EventStream");
        match &self.source {
            Source::Whole(event) => debug.field("whole_answer_pending", &event.is_some()),
            Source::Events(events) => debug
                .field("action", &events.place().action)
                .field("request_id", &events.place().request_id),
        };
        debug.finish_non_exhaustive()
    }
}

impl<O: DeserializeOwned, E: From<ServiceError>> EventStream<O, E> {
    /// The next event; `None` once the stream has ended (after its last event, or after an
    /// error that ended it).
    pub async fn next(&mut self) -> Option<Result<Event<O>, SdkError<E>>> {
        poll_fn(|cx| self.poll_event(cx)).await
    }

    fn poll_event(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Event<O>, SdkError<E>>>> {
        let events = match &mut self.source {
            Source::Whole(event) => return Poll::Ready(event.take().map(Ok)),
            Source::Events(events) => events,
        };
        let raw = match events.poll_event(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(None) => return Poll::Ready(None),
            Poll::Ready(Some(Err(error))) => {
                return Poll::Ready(Some(Err(SdkError::Stream(error))));
            }
            Poll::Ready(Some(Ok(raw))) => raw,
        };
        Poll::Ready(Some(read_event(events, raw)))
    }
}

impl<O: DeserializeOwned, E: From<ServiceError>> futures_core::Stream for EventStream<O, E> {
    type Item = Result<Event<O>, SdkError<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        // Nothing in the stream is pinned in place: its body and timer are boxed.
        self.get_mut().poll_event(cx)
    }
}

impl<O, E> Unpin for EventStream<O, E> {}

/// Reads one event's data into `O`; an error the service sent as the event ends the stream.
fn read_event<O: DeserializeOwned, E: From<ServiceError>>(
    events: &mut Events,
    raw: RawEvent,
) -> Result<Event<O>, SdkError<E>> {
    let place = events.place();
    if let Some(error) = error_in_event(&raw.data, place.request_id.as_deref()) {
        events.close();
        return Err(SdkError::Service(E::from(error)));
    }
    match output::read::<O>(raw.data.as_bytes()) {
        Ok(decoded) => {
            output::warn_unread(place.service, place.action, &decoded.unread);
            Ok(Event {
                id: raw.id,
                event_type: raw.event_type,
                data: decoded.output,
                raw: raw.data,
            })
        }
        Err(unreadable) => Err(SdkError::Stream(
            events
                .error(StreamErrorKind::UnreadableEvent, unreadable.reason)
                .with_data(raw.data),
        )),
    }
}

/// Runs `op`, asking for a stream, and returns its events; service errors become `E`. The
/// attempts until the answer begins are retried as any call's; the stream itself never is.
pub(crate) async fn open<O: DeserializeOwned, E: From<ServiceError>>(
    client: Client,
    op: Result<Operation<'static>, ValidationError>,
) -> Result<EventStream<O, E>, SdkError<E>> {
    let op = op?;
    let (service, action, repeat) = (op.service, op.action, op.repeatability);
    let (reply, attempts) = client
        .invoke_counting::<Opening>(op)
        .await
        .map_err(|e| e.map_service_error(E::from))?;
    let source = match reply {
        Reply::Whole(answer) => {
            let data = read_output(
                &answer,
                (service, action),
                success_summary(repeat, attempts),
            )?;
            let raw = String::from_utf8_lossy(answer.response_json()).into_owned();
            Source::Whole(Some(Event {
                id: None,
                event_type: None,
                data,
                raw,
            }))
        }
        Reply::Events(response) => {
            let request_id = Opening::request_id_of(&response).map(str::to_owned);
            let config = &client.config().inner;
            let place = StreamPlace {
                service,
                action,
                request_id,
                attempts,
                may_have_taken_effect: repeat != Repeatability::Read,
            };
            Source::Events(Box::new(Events::new(
                response,
                config.max_response_bytes,
                config.stream_idle_timeout,
                place,
            )))
        }
    };
    Ok(EventStream {
        source,
        errors: PhantomData,
    })
}
