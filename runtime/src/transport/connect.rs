//! Opening a connection: DNS, TCP and, for `https`, a rustls handshake offering HTTP/1.1.

use std::io;
use std::pin::Pin;
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};

use reqwest::header::HeaderValue;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;
use tokio_rustls::rustls::pki_types::ServerName;
use tokio_rustls::rustls::{ClientConfig, RootCertStore, crypto};

use super::pool::Pool;

/// Where a request goes, and the idle connections to it.
pub(crate) struct Origin {
    /// `https`, not `http`.
    pub(crate) tls: bool,
    /// The name or address to connect to (an IPv6 address without brackets).
    pub(crate) host: String,
    pub(crate) port: u16,
    /// The `Host` header: the host as written, and the port unless it is the scheme's default.
    pub(crate) authority: String,
    /// `authority` as a header value, checked once.
    pub(crate) host_header: HeaderValue,
    pub(crate) idle: Pool,
}

impl Origin {
    pub(crate) fn new(
        tls: bool,
        host: String,
        port: u16,
        authority: String,
    ) -> Result<Self, String> {
        let host_header = HeaderValue::from_str(&authority)
            .map_err(|e| format!("{authority:?} cannot be a Host header: {e}"))?;
        Ok(Self {
            tls,
            host,
            port,
            authority,
            host_header,
            idle: Pool::default(),
        })
    }
}

/// A plain or TLS connection.
pub(crate) enum Stream {
    Plain(TcpStream),
    Tls(Box<TlsStream<TcpStream>>),
}

impl Stream {
    /// The TCP connection underneath.
    pub(crate) fn tcp(&self) -> &TcpStream {
        match self {
            Stream::Plain(s) => s,
            Stream::Tls(s) => s.get_ref().0,
        }
    }
}

impl AsyncRead for Stream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_read(cx, buf),
            Stream::Tls(s) => Pin::new(s).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Stream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_write(cx, buf),
            Stream::Tls(s) => Pin::new(s).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_flush(cx),
            Stream::Tls(s) => Pin::new(s).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_shutdown(cx),
            Stream::Tls(s) => Pin::new(s).poll_shutdown(cx),
        }
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_write_vectored(cx, bufs),
            Stream::Tls(s) => Pin::new(s).poll_write_vectored(cx, bufs),
        }
    }

    fn is_write_vectored(&self) -> bool {
        match self {
            Stream::Plain(s) => s.is_write_vectored(),
            Stream::Tls(s) => s.is_write_vectored(),
        }
    }
}

/// Opens connections; the TLS settings (Mozilla's roots, as webpki-roots ships them) are
/// built on the first `https` connection, so a client that only reaches a local `http`
/// endpoint never pays for them.
#[derive(Default)]
pub(crate) struct Connector {
    tls: OnceLock<TlsConnector>,
}

impl Connector {
    /// A connector that trusts `root` alone, for tests against a local TLS server; otherwise
    /// the settings every connection gets.
    #[cfg(test)]
    pub(crate) fn trusting(root: tokio_rustls::rustls::pki_types::CertificateDer<'static>) -> Self {
        let mut roots = RootCertStore::empty();
        roots.add(root).expect("a certificate made by the test");
        let config = tls_config(roots).expect("ring supports the default versions");
        Self {
            tls: OnceLock::from(TlsConnector::from(Arc::new(config))),
        }
    }

    fn tls(&self) -> io::Result<&TlsConnector> {
        if let Some(tls) = self.tls.get() {
            return Ok(tls);
        }
        let config = tls_config(RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        })?;
        // Two first connections may race to build it: either result serves.
        Ok(self
            .tls
            .get_or_init(|| TlsConnector::from(Arc::new(config))))
    }

    /// A new connection to `origin`; the caller bounds how long it may take.
    pub(crate) async fn connect(&self, origin: &Origin) -> io::Result<Stream> {
        let tcp = TcpStream::connect((origin.host.as_str(), origin.port)).await?;
        // Requests are written whole: waiting to coalesce them only adds latency.
        tcp.set_nodelay(true)?;
        if !origin.tls {
            return Ok(Stream::Plain(tcp));
        }
        let name = ServerName::try_from(origin.host.clone())
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
        let tls = self.tls()?.connect(name, tcp).await?;
        Ok(Stream::Tls(Box::new(tls)))
    }
}

/// TLS settings trusting `roots`: ring, the safe protocol versions, and HTTP/1.1 offered by ALPN.
fn tls_config(roots: RootCertStore) -> io::Result<ClientConfig> {
    let provider = Arc::new(crypto::ring::default_provider());
    let mut config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(io::Error::other)?
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}
