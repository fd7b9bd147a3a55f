//! Accepting connections and serving HTTP/1.1 with keep-alive on them, within the server's
//! limits (connections, header and idle timeouts), with graceful shutdown and the ability to
//! drop a connection with a TCP reset instead of an answer.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::connections::Connection;
use crate::dispatch;
use crate::emulator::Shared;
use crate::limits::MAX_HEAD_BYTES;

/// How long shutdown waits for in-flight calls before cutting connections.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(5);

pub(crate) async fn serve(
    listener: TcpListener,
    shared: Arc<Shared>,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    // Small answers go out at once instead of waiting on Nagle's algorithm.
                    let _ = stream.set_nodelay(true);
                    connections.spawn(admit(stream, Arc::clone(&shared), shutdown.clone()));
                }
                Err(e) => {
                    // Out of file descriptors or similar: back off instead of spinning.
                    tracing::warn!("accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
            _ = shutdown.changed() => break,
        }
    }
    drop(listener);
    let drain = async { while connections.join_next().await.is_some() {} };
    if tokio::time::timeout(DRAIN_TIMEOUT, drain).await.is_err() {
        connections.abort_all();
    }
}

/// Serves `stream` if the connection limit leaves room (making room by closing the connection
/// idle longest); otherwise closes it at once.
async fn admit(stream: TcpStream, shared: Arc<Shared>, shutdown: watch::Receiver<bool>) {
    let registry = Arc::clone(&shared);
    let Some(registration) = registry.connections.admit() else {
        tracing::debug!("connection limit reached with every connection busy: closing a new one");
        return;
    };
    let connection = Arc::clone(&registration.connection);
    serve_connection(stream, shared, connection, shutdown).await;
    drop(registration);
}

/// Resolves once `connection` has been idle for `limit`.
async fn idle_expiry(connection: &Connection, limit: Duration) {
    loop {
        let idle = connection.idle_for();
        if idle >= limit {
            return;
        }
        // Idle so far or busy: the earliest the limit can be reached.
        tokio::time::sleep(limit - idle).await;
    }
}

async fn serve_connection(
    stream: TcpStream,
    shared: Arc<Shared>,
    tracked: Arc<Connection>,
    shutdown: watch::Receiver<bool>,
) {
    let reset = Arc::new(AtomicBool::new(false));
    let stream = ResettableStream {
        inner: stream,
        reset: Arc::clone(&reset),
    };
    let Some(tls) = shared.tls.clone() else {
        return serve_http(TokioIo::new(stream), shared, tracked, reset, shutdown).await;
    };
    // The handshake counts against the time a client has to send its request's headers.
    let limit = shared.limits.header_read_timeout;
    match tokio::time::timeout(limit, tls.acceptor.accept(stream)).await {
        Ok(Ok(secured)) => {
            serve_http(TokioIo::new(secured), shared, tracked, reset, shutdown).await
        }
        Ok(Err(e)) => tracing::debug!("TLS handshake failed: {e}"),
        Err(_) => tracing::debug!("TLS handshake not done within {limit:?}"),
    }
}

async fn serve_http<I>(
    io: TokioIo<I>,
    shared: Arc<Shared>,
    tracked: Arc<Connection>,
    reset: Arc<AtomicBool>,
    mut shutdown: watch::Receiver<bool>,
) where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let limits = shared.limits.clone();
    let in_service = Arc::clone(&tracked);
    let service = service_fn(move |request| {
        let shared = Arc::clone(&shared);
        let reset = Arc::clone(&reset);
        let in_flight = in_service.request_started();
        async move {
            // A real service finishes a call whose client hung up; run it on its own task so that
            // dropping the connection does not cancel it half-way (acted on but never logged).
            let mut answer = tokio::spawn(dispatch::handle(shared, request))
                .await
                .unwrap_or(Err(dispatch::DropConnection));
            match &mut answer {
                Ok(response) => response.body_mut().keep_busy(in_flight),
                Err(_) => reset.store(true, Ordering::Relaxed),
            }
            answer
        }
    });
    let connection = http1::Builder::new()
        .keep_alive(true)
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .max_buf_size(MAX_HEAD_BYTES)
        .serve_connection(io, service);
    tokio::pin!(connection);
    let result = loop {
        tokio::select! {
            result = connection.as_mut() => break result,
            _ = shutdown.changed() => {
                connection.as_mut().graceful_shutdown();
                break connection.await;
            }
            // Nothing is in progress on an idle connection: closing it loses nothing.
            () = idle_expiry(&tracked, limits.idle_timeout) => {
                tracing::debug!("closing a connection idle for {:?}", limits.idle_timeout);
                break Ok(());
            }
            () = tracked.close_requested() => {
                tracing::debug!("closing the connection idle longest to make room for a new one");
                if tracked.is_idle() {
                    break Ok(());
                }
                // A request began since it was chosen: answer it, then close.
                connection.as_mut().graceful_shutdown();
            }
        }
    };
    if let Err(e) = result {
        tracing::debug!("connection ended: {e}");
    }
}

/// A TCP stream that, once flagged, closes with RST instead of FIN, so the client sees
/// "connection reset" exactly as when a real server or middlebox drops the call.
struct ResettableStream {
    inner: TcpStream,
    reset: Arc<AtomicBool>,
}

impl Drop for ResettableStream {
    fn drop(&mut self) {
        if self.reset.load(Ordering::Relaxed) {
            let _ = self.inner.set_zero_linger();
        }
    }
}

impl AsyncRead for ResettableStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for ResettableStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if self.reset.load(Ordering::Relaxed) {
            // A FIN now would turn the reset into an orderly close.
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}
