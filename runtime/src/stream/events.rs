//! Reading a stream's body: frames as they arrive, events framed out of them, the idle timer
//! between events. One type for every action: the typed layer above only reads each event.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use http_body::Body as _;
use tokio::time::{Instant, Sleep};

use super::error::{StreamError, StreamErrorKind, StreamPlace};
use super::sse::{Framer, RawEvent};
use crate::error::source_chain;

/// The events of one answer, as they arrive.
pub(crate) struct Events {
    /// `None` once the stream has ended; dropping the body closes its connection.
    body: Option<reqwest::Body>,
    body_ended: bool,
    framer: Framer,
    idle: Duration,
    timer: Pin<Box<Sleep>>,
    events: u64,
    bytes: u64,
    cap: usize,
    place: StreamPlace,
}

impl Events {
    pub(crate) fn new(
        response: reqwest::Response,
        cap: usize,
        idle: Duration,
        place: StreamPlace,
    ) -> Self {
        Self {
            body: Some(reqwest::Body::from(response)),
            body_ended: false,
            framer: Framer::new(cap),
            idle,
            timer: Box::pin(tokio::time::sleep(idle)),
            events: 0,
            bytes: 0,
            cap,
            place,
        }
    }

    pub(crate) fn place(&self) -> &StreamPlace {
        &self.place
    }

    /// An error about the stream so far, of `kind`.
    pub(crate) fn error(&self, kind: StreamErrorKind, detail: String) -> StreamError {
        StreamError::new(kind, &self.place, (self.events, self.bytes), detail)
    }

    /// Ends the stream here, closing its connection.
    pub(crate) fn close(&mut self) {
        self.body = None;
    }

    fn fail(&mut self, kind: StreamErrorKind, detail: String) -> StreamError {
        self.close();
        self.error(kind, detail)
    }

    /// The next event; `None` at the stream's end (and after an error).
    pub(crate) fn poll_event(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<RawEvent, StreamError>>> {
        loop {
            let Some(body) = self.body.as_mut() else {
                return Poll::Ready(None);
            };
            match self.framer.next_event(self.body_ended) {
                Ok(Some(event)) => {
                    self.events += 1;
                    return Poll::Ready(Some(Ok(event)));
                }
                Ok(None) if self.body_ended => {
                    if self.framer.inside_event() {
                        let held = self.framer.held();
                        let detail = format!(
                            "the stream ended in the middle of an event ({held} bytes of it arrived)"
                        );
                        return Poll::Ready(Some(Err(
                            self.fail(StreamErrorKind::EndedInEvent, detail)
                        )));
                    }
                    self.close();
                    return Poll::Ready(None);
                }
                Ok(None) => {}
                Err(_) => {
                    let detail = format!("an event is larger than the {}-byte limit", self.cap);
                    return Poll::Ready(Some(Err(
                        self.fail(StreamErrorKind::EventTooLarge, detail)
                    )));
                }
            }
            match Pin::new(body).poll_frame(cx) {
                Poll::Ready(Some(Ok(frame))) => {
                    // Trailers carry no events.
                    if let Ok(data) = frame.into_data() {
                        self.bytes += data.len() as u64;
                        self.framer.push(&data);
                        self.timer.as_mut().reset(Instant::now() + self.idle);
                    }
                }
                Poll::Ready(Some(Err(error))) => {
                    let detail = format!("the connection broke: {}", source_chain(&error));
                    let error = self.fail(StreamErrorKind::Cut, detail).with_source(error);
                    return Poll::Ready(Some(Err(error)));
                }
                Poll::Ready(None) => self.body_ended = true,
                Poll::Pending => {
                    if self.timer.as_mut().poll(cx).is_ready() {
                        let error =
                            StreamError::idle(&self.place, (self.events, self.bytes), self.idle);
                        self.close();
                        return Poll::Ready(Some(Err(error)));
                    }
                    return Poll::Pending;
                }
            }
        }
    }
}
