//! How a stream of events can break off, and what the error says of what had arrived.

use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// Why a stream of events ended in an error, or why one event of it was not read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum StreamErrorKind {
    /// No event arrived within [`ConfigBuilder::stream_idle_timeout`](crate::ConfigBuilder::stream_idle_timeout);
    /// the stream was closed.
    IdleTimeout,
    /// The connection broke (closed, reset) before the stream's end.
    Cut,
    /// The stream ended in the middle of an event, before the blank line that ends it.
    EndedInEvent,
    /// An event was larger than [`ConfigBuilder::max_response_bytes`](crate::ConfigBuilder::max_response_bytes);
    /// the stream was closed.
    EventTooLarge,
    /// One event's data could not be read as the action's output (it is not a JSON object);
    /// the stream goes on, and [`StreamError::data`] holds the event as sent.
    UnreadableEvent,
}

/// A stream of events that broke off after it had begun, or one of its events that could not be
/// read. Says how much had arrived; the request is never sent again once a stream has begun.
#[derive(Clone, Debug)]
pub struct StreamError {
    // Boxed: every call's `Result` is as large as its largest error.
    inner: Box<Inner>,
}

#[derive(Clone, Debug)]
struct Inner {
    kind: StreamErrorKind,
    action: &'static str,
    request_id: Option<String>,
    events: u64,
    bytes: u64,
    detail: String,
    data: Option<String>,
    attempts: u32,
    may_have_taken_effect: bool,
    source: Option<Arc<dyn StdError + Send + Sync>>,
}

/// Where in its stream an error happened, and what the call had done.
#[derive(Clone, Debug)]
pub(crate) struct StreamPlace {
    pub(crate) service: &'static str,
    pub(crate) action: &'static str,
    pub(crate) request_id: Option<String>,
    pub(crate) attempts: u32,
    pub(crate) may_have_taken_effect: bool,
}

impl StreamError {
    pub(crate) fn new(
        kind: StreamErrorKind,
        place: &StreamPlace,
        (events, bytes): (u64, u64),
        detail: String,
    ) -> Self {
        Self {
            inner: Box::new(Inner {
                kind,
                action: place.action,
                request_id: place.request_id.clone(),
                events,
                bytes,
                detail,
                data: None,
                attempts: place.attempts,
                may_have_taken_effect: place.may_have_taken_effect,
                source: None,
            }),
        }
    }

    pub(crate) fn idle(place: &StreamPlace, received: (u64, u64), limit: Duration) -> Self {
        Self::new(
            StreamErrorKind::IdleTimeout,
            place,
            received,
            format!("no event arrived for {limit:?}; the stream was closed"),
        )
    }

    #[must_use]
    pub(crate) fn with_data(mut self, data: String) -> Self {
        self.inner.data = Some(data);
        self
    }

    #[must_use]
    pub(crate) fn with_source(mut self, source: impl StdError + Send + Sync + 'static) -> Self {
        self.inner.source = Some(Arc::new(source));
        self
    }

    /// What went wrong.
    pub fn kind(&self) -> StreamErrorKind {
        self.inner.kind
    }

    /// The events that had arrived before the error (read or not).
    pub fn events_received(&self) -> u64 {
        self.inner.events
    }

    /// The bytes of the stream that had arrived before the error.
    pub fn bytes_received(&self) -> u64 {
        self.inner.bytes
    }

    /// The request id the answer's `X-TC-RequestId` header carried.
    pub fn request_id(&self) -> Option<&str> {
        self.inner.request_id.as_deref()
    }

    /// For [`StreamErrorKind::UnreadableEvent`]: the event's data as sent.
    pub fn data(&self) -> Option<&str> {
        self.inner.data.as_deref()
    }

    /// Whether the stream ended with this error; `false` only for an unreadable event, after
    /// which the stream goes on.
    pub fn ends_stream(&self) -> bool {
        self.inner.kind != StreamErrorKind::UnreadableEvent
    }

    /// How many attempts it took to open the stream.
    pub fn attempts(&self) -> u32 {
        self.inner.attempts
    }

    /// Whether the request may have taken effect: for any action but a read, the service had
    /// begun answering, so yes.
    pub fn may_have_taken_effect(&self) -> bool {
        self.inner.may_have_taken_effect
    }
}

impl fmt::Display for StreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (events, bytes) = (self.inner.events, self.inner.bytes);
        if self.inner.kind == StreamErrorKind::UnreadableEvent {
            write!(
                f,
                "event {events} of the {} stream could not be read: {}; the stream goes on \
                 (StreamError::data holds the event)",
                self.inner.action, self.inner.detail
            )?;
        } else {
            write!(
                f,
                "the {} stream broke off after {events} events ({bytes} bytes): {}; not retried",
                self.inner.action, self.inner.detail
            )?;
        }
        if let Some(id) = &self.inner.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

impl StdError for StreamError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.inner
            .source
            .as_deref()
            .map(|source| source as &(dyn StdError + 'static))
    }
}
