//! HTTP/1.1 driven in the calling task: the connection is polled by the call that uses it,
//! so a request and its answer never wait for another task on another thread to be woken.
//! Idle connections wait in their origin's pool until its next call.

use std::future::{Future, poll_fn};
use std::pin::{Pin, pin};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Body as _;
use hyper::client::conn::http1;
use hyper_util::rt::TokioIo;

use super::AttemptError;
use super::body::CappedBody;
use super::connect::{Connector, Origin, Stream};
use crate::error::{TransportError, TransportErrorKind};

type Driver = http1::Connection<TokioIo<Stream>, Full<Bytes>>;

/// One keep-alive connection: the handle requests are sent on, and the state machine that
/// reads and writes the socket whenever it is polled. `driver` is `None` once it has ended.
pub(crate) struct Connection {
    sender: http1::SendRequest<Full<Bytes>>,
    driver: Option<Driver>,
    gate: Arc<WakeGate>,
    gate_waker: Waker,
}

/// The connection ended (`None`: cleanly, e.g. closed by the server) before the awaited step.
type Ended = Option<hyper::Error>;

const IDLE: u8 = 0;
const POLLING: u8 = 1;
const WOKEN: u8 = 2;
/// Polls in a row for wakes that arrive during the poll, before they go to the runtime (which
/// is how a future that yields on purpose, e.g. out of tokio's budget, still yields).
const MAX_REPOLLS: usize = 8;

/// The waker the connection and the step see. The driver wakes the step and the step wakes
/// the driver (a request written, a body chunk wanted) while the call polls them; passed to
/// tokio, such a wake would send the task to the back of the run queue and wake an idle
/// worker to steal it, a futex round trip per step. Those wakes are noted and the pair polled
/// again instead; wakes from elsewhere (the socket became readable) reach the task's waker.
struct WakeGate {
    state: AtomicU8,
    task: Mutex<Option<Waker>>,
}

impl WakeGate {
    fn new() -> Arc<Self> {
        Arc::new(Self {
            state: AtomicU8::new(IDLE),
            task: Mutex::new(None),
        })
    }

    /// Runs `f` as if polling: its wakes of the driver are noted, not sent to the task, as
    /// the driver is polled next anyway.
    fn quiet<T>(&self, f: impl FnOnce() -> T) -> T {
        self.state.store(POLLING, Ordering::Release);
        let output = f();
        self.state.store(IDLE, Ordering::Release);
        output
    }

    fn wake_task(&self) {
        let task = self.task.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(task) = task.as_ref() {
            task.wake_by_ref();
        }
    }
}

impl Wake for WakeGate {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        let noted = self
            .state
            .compare_exchange(POLLING, WOKEN, Ordering::AcqRel, Ordering::Acquire)
            .is_ok();
        if !noted {
            self.wake_task();
        }
    }
}

/// Polls `step` and the connection's driver together until `step` completes; the driver goes
/// first, so what it reads is there when `step` looks.
async fn drive<F: Future>(
    driver: &mut Option<Driver>,
    gate: &Arc<WakeGate>,
    gate_waker: &Waker,
    step: F,
) -> Result<F::Output, Ended> {
    let mut step = pin!(step);
    poll_fn(|cx| {
        {
            let mut task = gate.task.lock().unwrap_or_else(|e| e.into_inner());
            if !task.as_ref().is_some_and(|t| t.will_wake(cx.waker())) {
                *task = Some(cx.waker().clone());
            }
        }
        let mut inner = Context::from_waker(gate_waker);
        for _ in 0..MAX_REPOLLS {
            gate.state.store(POLLING, Ordering::Release);
            let polled = poll_pair(driver, step.as_mut(), &mut inner);
            let state = gate.state.swap(IDLE, Ordering::AcqRel);
            if polled.is_ready() || state != WOKEN {
                return polled;
            }
        }
        cx.waker().wake_by_ref();
        Poll::Pending
    })
    .await
}

fn poll_pair<F: Future>(
    driver: &mut Option<Driver>,
    mut step: Pin<&mut F>,
    cx: &mut Context<'_>,
) -> Poll<Result<F::Output, Ended>> {
    if let Some(running) = driver.as_mut()
        && let Poll::Ready(result) = Pin::new(running).poll(cx)
    {
        *driver = None;
        // What the connection delivered before it ended can still complete the step.
        return match step.as_mut().poll(cx) {
            Poll::Ready(output) => Poll::Ready(Ok(output)),
            Poll::Pending => Poll::Ready(Err(result.err())),
        };
    }
    step.as_mut().poll(cx).map(Ok)
}

fn ended(ended: Ended, what: &str) -> Box<dyn std::error::Error + Send + Sync> {
    match ended {
        Some(error) => Box::new(error),
        None => format!("the server closed the connection {what}").into(),
    }
}

/// How an exchange on one connection failed.
enum ExchangeError {
    /// The request was never written: it can go on another connection.
    Unsent(hyper::Request<Full<Bytes>>, hyper::Error),
    Failed(AttemptError),
}

impl Connection {
    /// Whether the connection can take a request now; `false` when the server closed it.
    async fn ready(&mut self) -> bool {
        matches!(
            drive(
                &mut self.driver,
                &self.gate,
                &self.gate_waker,
                self.sender.ready()
            )
            .await,
            Ok(Ok(()))
        )
    }

    /// Sends `request` and reads the whole answer, at most `cap` bytes of body.
    async fn exchange(
        &mut self,
        request: hyper::Request<Full<Bytes>>,
        cap: usize,
    ) -> Result<(u16, Bytes), ExchangeError> {
        // Queuing the request wakes the driver, which is polled next in this task anyway.
        let sender = &mut self.sender;
        let sent = self.gate.quiet(|| sender.try_send_request(request));
        let response = match drive(&mut self.driver, &self.gate, &self.gate_waker, sent).await {
            Ok(Ok(response)) => response,
            Ok(Err(mut error)) => {
                return Err(match error.take_message() {
                    Some(unsent) => ExchangeError::Unsent(unsent, error.into_error()),
                    None => ExchangeError::Failed(AttemptError::Transport(TransportError::new(
                        TransportErrorKind::Request,
                        error.into_error(),
                    ))),
                });
            }
            Err(end) => {
                return Err(ExchangeError::Failed(AttemptError::Transport(
                    TransportError::new(
                        TransportErrorKind::Request,
                        ended(end, "before the answer arrived"),
                    ),
                )));
            }
        };
        let status = response.status().as_u16();
        let mut body = response.into_body();
        let body_error = |source: Box<dyn std::error::Error + Send + Sync>| {
            ExchangeError::Failed(AttemptError::Transport(TransportError::new(
                TransportErrorKind::Body,
                source,
            )))
        };
        let mut collected = CappedBody::new(status, cap, body.size_hint().exact());
        loop {
            let frame =
                match drive(&mut self.driver, &self.gate, &self.gate_waker, body.frame()).await {
                    Ok(None) => break,
                    Ok(Some(Ok(frame))) => frame,
                    Ok(Some(Err(error))) => return Err(body_error(Box::new(error))),
                    Err(end) => return Err(body_error(ended(end, "while sending the answer"))),
                };
            if let Ok(chunk) = frame.into_data() {
                collected
                    .push(chunk)
                    .map_err(|e| ExchangeError::Failed(AttemptError::Response(e)))?;
            }
        }
        Ok((status, collected.finish()))
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

    async fn open(&self, origin: &Origin) -> Result<Box<Connection>, TransportError> {
        let connect = |source: Box<dyn std::error::Error + Send + Sync>| {
            TransportError::new(TransportErrorKind::Connect, source)
        };
        let stream = tokio::time::timeout(self.connect_timeout, self.connector.connect(origin))
            .await
            .map_err(|_| {
                connect(format!("connect timed out after {:?}", self.connect_timeout).into())
            })?
            .map_err(|e| connect(Box::new(e)))?;
        let (sender, driver) = http1::Builder::new()
            .handshake(TokioIo::new(stream))
            .await
            .map_err(|e| connect(Box::new(e)))?;
        let gate = WakeGate::new();
        Ok(Box::new(Connection {
            sender,
            driver: Some(driver),
            gate_waker: Waker::from(gate.clone()),
            gate,
        }))
    }

    /// Sends `request` to `origin` on an idle connection if one is still open, else on a new
    /// one, and reads the whole answer; the connection is kept for the next call if the
    /// exchange left it usable.
    pub(crate) async fn send(
        &self,
        origin: &Origin,
        mut request: hyper::Request<Full<Bytes>>,
        cap: usize,
    ) -> Result<(u16, Bytes), AttemptError> {
        loop {
            let (mut connection, reused) = match origin.idle.checkout() {
                Some(mut idle) => {
                    // A connection whose driver asked for the next request takes it at once;
                    // if the server closed it while idle, the request comes back unsent below.
                    if !idle.sender.is_ready() && !idle.ready().await {
                        // Closed by the server while idle: dropped, and the next one tried.
                        continue;
                    }
                    (idle, true)
                }
                None => {
                    let mut fresh = self.open(origin).await.map_err(AttemptError::Transport)?;
                    if !fresh.ready().await {
                        return Err(AttemptError::Transport(TransportError::new(
                            TransportErrorKind::Connect,
                            "the server closed the connection before the request was sent",
                        )));
                    }
                    (fresh, false)
                }
            };
            match connection.exchange(request, cap).await {
                Ok(answer) => {
                    if connection.driver.is_some() {
                        origin.idle.checkin(connection);
                    }
                    return Ok(answer);
                }
                // The server closed an idle connection as it was taken: nothing was sent.
                Err(ExchangeError::Unsent(unsent, _)) if reused => request = unsent,
                Err(ExchangeError::Unsent(_, error)) => {
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
