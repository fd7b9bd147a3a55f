//! HTTPS for clients that speak nothing else (tccli, the official SDKs' defaults): a
//! certificate made for this run, for `127.0.0.1`, `::1` and `localhost`, that clients are told
//! to trust (its PEM, from [`EmulatorHandle::tls_certificate_pem`] or the binary's `--tls` file).
//!
//! [`EmulatorHandle::tls_certificate_pem`]: crate::EmulatorHandle::tls_certificate_pem

use std::sync::Arc;

use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};

/// Why HTTPS could not be set up.
#[derive(Debug, thiserror::Error)]
#[error("cannot set up HTTPS: {0}")]
pub struct TlsError(String);

/// The certificate served and what accepts connections with it.
#[derive(Clone)]
pub(crate) struct Tls {
    pub certificate_pem: String,
    pub acceptor: TlsAcceptor,
}

impl Tls {
    /// A fresh self-signed certificate for the loopback names.
    pub fn self_signed() -> Result<Self, TlsError> {
        let names = ["127.0.0.1", "::1", "localhost"]
            .map(str::to_owned)
            .to_vec();
        let made =
            rcgen::generate_simple_self_signed(names).map_err(|e| TlsError(e.to_string()))?;
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(made.key_pair.serialize_der()));
        let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
        let config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| TlsError(e.to_string()))?
            .with_no_client_auth()
            .with_single_cert(vec![made.cert.der().clone()], key)
            .map_err(|e| TlsError(e.to_string()))?;
        Ok(Tls {
            certificate_pem: made.cert.pem(),
            acceptor: TlsAcceptor::from(Arc::new(config)),
        })
    }
}
