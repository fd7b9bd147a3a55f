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
        Self::with_connector(Connector::default(), connect_timeout)
    }

    fn with_connector(connector: Connector, connect_timeout: Duration) -> Self {
        Self {
            connector,
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
                // Boxed: opening a connection (DNS, TCP, the TLS handshake) needs far more
                // state than an exchange, and every call's future would carry that room.
                None => (
                    Box::pin(self.open(origin))
                        .await
                        .map_err(AttemptError::Transport)?,
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

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;
    use tokio_rustls::TlsAcceptor;
    use tokio_rustls::rustls::ServerConfig;
    use tokio_rustls::rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};

    use super::*;

    const ANSWERS_PER_CONNECTION: usize = 2;

    /// An `https` server on loopback with a certificate made for 127.0.0.1: it answers two
    /// requests per connection, the first by length and the second in chunks, then ends the
    /// connection as a server ending an idle one does (close_notify, then FIN). Counts the
    /// connections and requests it saw.
    struct TlsServer {
        port: u16,
        connections: Arc<AtomicUsize>,
        requests: Arc<AtomicUsize>,
    }

    async fn tls_server() -> (TlsServer, Connector) {
        let made = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned()]).unwrap();
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(made.key_pair.serialize_der()));
        let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
        let config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(vec![made.cert.der().clone()], key)
            .unwrap();
        let acceptor = TlsAcceptor::from(Arc::new(config));
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let server = TlsServer {
            port: listener.local_addr().unwrap().port(),
            connections: Arc::default(),
            requests: Arc::default(),
        };
        let (connections, requests) = (server.connections.clone(), server.requests.clone());
        tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                connections.fetch_add(1, Ordering::SeqCst);
                let (acceptor, requests) = (acceptor.clone(), requests.clone());
                tokio::spawn(async move {
                    let mut tls = acceptor.accept(tcp).await.unwrap();
                    for answer in 0..ANSWERS_PER_CONNECTION {
                        let mut request = Vec::new();
                        while !request.ends_with(b"{}") {
                            let mut chunk = [0u8; 2048];
                            match tls.read(&mut chunk).await {
                                Ok(0) | Err(_) => return,
                                Ok(n) => request.extend_from_slice(&chunk[..n]),
                            }
                        }
                        let n = requests.fetch_add(1, Ordering::SeqCst) + 1;
                        let body = format!(r#"{{"Response":{{"RequestId":"r{n}"}}}}"#);
                        let reply = if answer == 0 {
                            format!(
                                "HTTP/1.1 200 OK\r\ncontent-length: {}\r\n\r\n{body}",
                                body.len()
                            )
                        } else {
                            let (a, b) = body.split_at(10);
                            format!(
                                "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n\
                                 {:x}\r\n{a}\r\n{:x}\r\n{b}\r\n0\r\n\r\n",
                                a.len(),
                                b.len()
                            )
                        };
                        tls.write_all(reply.as_bytes()).await.unwrap();
                        tls.flush().await.unwrap();
                    }
                    let _ = tls.shutdown().await;
                });
            }
        });
        (server, Connector::trusting(made.cert.der().clone()))
    }

    fn describe_headers(authority: &str) -> RequestHeaders<'_> {
        RequestHeaders {
            host: authority.as_bytes(),
            action: b"DescribeInstances",
            version: b"2017-03-12",
            timestamp: b"1551113065",
            region: None,
            token: None,
            language: None,
            request_client: b"test",
            authorization: b"SKIP",
            extra: &[],
        }
    }

    #[tokio::test]
    async fn https_calls_share_a_kept_alive_connection_and_one_the_server_ended_is_replaced() {
        let (server, connector) = tls_server().await;
        let direct = Direct::with_connector(connector, Duration::from_secs(5));
        let authority = format!("127.0.0.1:{}", server.port);
        let origin = Origin::new(true, "127.0.0.1".into(), server.port, authority.clone()).unwrap();
        let headers = describe_headers(&authority);
        for n in 1..=2 {
            let (status, body) = direct.send(&origin, &headers, b"{}", 1024).await.unwrap();
            assert_eq!(status, 200);
            assert_eq!(body, format!(r#"{{"Response":{{"RequestId":"r{n}"}}}}"#));
        }
        assert_eq!(
            server.connections.load(Ordering::SeqCst),
            1,
            "two calls, one connection"
        );

        // The server ends the connection after its second answer; once that has arrived, the
        // idle connection is found closed when taken, and the call goes on a new one.
        tokio::time::sleep(Duration::from_millis(50)).await;
        let (_, body) = direct.send(&origin, &headers, b"{}", 1024).await.unwrap();
        assert_eq!(body, r#"{"Response":{"RequestId":"r3"}}"#);
        assert_eq!(server.connections.load(Ordering::SeqCst), 2);
        assert_eq!(
            server.requests.load(Ordering::SeqCst),
            3,
            "the third call was sent once"
        );
    }

    #[tokio::test]
    async fn an_https_server_with_a_certificate_nobody_vouches_for_is_a_connect_failure() {
        let (server, _) = tls_server().await;
        let direct = Direct::new(Duration::from_secs(5));
        let authority = format!("127.0.0.1:{}", server.port);
        let origin = Origin::new(true, "127.0.0.1".into(), server.port, authority.clone()).unwrap();
        let headers = describe_headers(&authority);
        match direct.send(&origin, &headers, b"{}", 1024).await {
            Err(AttemptError::Transport(error)) => {
                assert_eq!(error.kind(), TransportErrorKind::Connect);
                assert!(error.to_string().contains("certificate"), "{error}");
            }
            other => panic!("expected a connect failure, got {other:?}"),
        }
        assert_eq!(server.requests.load(Ordering::SeqCst), 0);
    }
}
