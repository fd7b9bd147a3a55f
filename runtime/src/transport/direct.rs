//! The direct HTTP/1.1 client: each call takes an idle connection of its origin (or opens
//! one), makes its exchange on it in its own task, and puts it back if the answer left it
//! usable.

use std::pin::Pin;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use bytes::Bytes;
use tokio::io::{AsyncRead, ReadBuf};

use super::AttemptError;
use super::connect::{Connector, Origin, Stream};
use super::headers::RequestHeaders;
use super::http1::{self, Buffers, ExchangeError};
use crate::error::{TransportError, TransportErrorKind};

/// One keep-alive connection and the buffers its exchanges reuse.
pub(crate) struct Connection {
    stream: Stream,
    buffers: Buffers,
}

impl Connection {
    /// Whether the server closed the connection (or wrote to it unasked) while it was idle,
    /// told from what the socket has to read, without waiting.
    fn closed_while_idle(&mut self) -> bool {
        let mut cx = Context::from_waker(Waker::noop());
        match self.stream.tcp().poll_read_ready(&mut cx) {
            // Nothing arrived since the last read came up empty.
            Poll::Pending => false,
            Poll::Ready(Err(_)) => true,
            Poll::Ready(Ok(())) => {
                let mut probe = [0u8; 1];
                let mut probe = ReadBuf::new(&mut probe);
                // Pending: the readiness was left from the last answer, and the read found
                // nothing new. Anything else (the end, bytes no request asked for, an error)
                // leaves the connection unusable.
                Pin::new(&mut self.stream)
                    .poll_read(&mut cx, &mut probe)
                    .is_ready()
            }
        }
    }
}

/// The direct HTTP/1.1 client: connections opened on demand, kept between calls.
pub(crate) struct Direct {
    connector: Connector,
    connect_timeout: Duration,
}

impl Direct {
    pub(crate) fn new(connect_timeout: Duration) -> Self {
        Self {
            connector: Connector::default(),
            connect_timeout,
        }
    }

    async fn open(&self, origin: &Origin) -> Result<Connection, TransportError> {
        let connect = |source: Box<dyn std::error::Error + Send + Sync>| {
            TransportError::new(TransportErrorKind::Connect, source)
        };
        let stream = tokio::time::timeout(self.connect_timeout, self.connector.connect(origin))
            .await
            .map_err(|_| {
                connect(format!("connect timed out after {:?}", self.connect_timeout).into())
            })?
            .map_err(|e| connect(Box::new(e)))?;
        Ok(Connection {
            stream,
            buffers: Buffers::default(),
        })
    }

    /// Sends a request with `headers` and `body` to `origin` on an idle connection if one is
    /// still open, else on a new one, and reads the whole answer; the connection is kept for
    /// the next call if the answer left it usable.
    pub(crate) async fn send(
        &self,
        origin: &Origin,
        headers: &RequestHeaders<'_>,
        body: &[u8],
        cap: usize,
    ) -> Result<(u16, Bytes), AttemptError> {
        loop {
            let (mut connection, reused) = match origin.idle.checkout() {
                Some(mut idle) => {
                    if idle.closed_while_idle() {
                        // Dropped, and the next one tried.
                        continue;
                    }
                    (idle, true)
                }
                None => (
                    self.open(origin).await.map_err(AttemptError::Transport)?,
                    false,
                ),
            };
            let exchanged = http1::exchange(
                &mut connection.stream,
                &mut connection.buffers,
                headers,
                body,
                cap,
            )
            .await;
            match exchanged {
                Ok(answer) => {
                    if answer.reusable {
                        origin.idle.checkin(connection);
                    }
                    return Ok((answer.status, answer.body));
                }
                // The server closed an idle connection as it was taken: nothing was sent.
                Err(ExchangeError::Unsent(_)) if reused => {}
                Err(ExchangeError::Unsent(error)) => {
                    return Err(AttemptError::Transport(TransportError::new(
                        TransportErrorKind::Connect,
                        error,
                    )));
                }
                Err(ExchangeError::Failed(error)) => return Err(error),
            }
        }
    }
}
