//! One signed HTTP attempt: build the request, send it, read the answer within a size cap.

mod body;
mod connect;
mod direct;
mod headers;
mod http1;
mod pool;
pub(crate) mod via_reqwest;

use bytes::Bytes;
use reqwest::header::HeaderValue;

use crate::config::Config;
use crate::credentials::Credentials;
use crate::error::{ResponseError, TransportError, TransportErrorKind};
use crate::signer::{CanonicalInput, Decimal};
use headers::RequestHeaders;

pub(crate) use connect::Origin;
pub(crate) use direct::Direct;

/// The content type API 3.0 expects for JSON bodies.
pub const CONTENT_TYPE_JSON: &str = "application/json; charset=utf-8";

/// The HTTP client requests go through ([`ConfigBuilder::transport`](crate::ConfigBuilder::transport)).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Transport {
    /// HTTP/1.1 (over rustls for `https`), written and read by the call itself on connections
    /// kept alive between calls in a pool of the configuration's own: no hand-off to a
    /// connection task on another thread, so the least CPU per call. The default. It does not
    /// speak to proxies: whenever a proxy applies ([`ConfigBuilder::proxy`](crate::ConfigBuilder::proxy),
    /// or a standard proxy variable for a non-loopback endpoint), [`Reqwest`](Self::Reqwest)
    /// carries the requests instead.
    #[default]
    Direct,
    /// reqwest, with its own pool and connection tasks: proxies, and HTTP/2 when the server
    /// offers it.
    Reqwest,
}

/// The HTTP client a configuration built.
pub(crate) enum Http {
    Direct(Direct),
    Reqwest(reqwest::Client),
}

impl Http {
    pub(crate) fn transport(&self) -> Transport {
        match self {
            Http::Direct(_) => Transport::Direct,
            Http::Reqwest(_) => Transport::Reqwest,
        }
    }
}

/// What one attempt sends.
pub(crate) struct AttemptRequest<'a> {
    pub(crate) service: &'a str,
    pub(crate) version: &'a str,
    pub(crate) action: &'a str,
    pub(crate) origin: &'a Origin,
    /// `None`: sent unsigned.
    pub(crate) credentials: Option<&'a Credentials>,
    pub(crate) timestamp: u64,
    pub(crate) body: &'a [u8],
}

/// Why an attempt produced no answer to decode.
#[derive(Debug)]
pub(crate) enum AttemptError {
    Transport(TransportError),
    Response(ResponseError),
}

/// Signs and sends one attempt; returns the status and the whole body.
pub(crate) async fn send_attempt(
    config: &Config,
    request: &AttemptRequest<'_>,
) -> Result<(u16, Bytes), AttemptError> {
    let inner = &config.inner;
    let origin = request.origin;
    let host = origin.authority.as_str();
    let with_action = [
        ("content-type", CONTENT_TYPE_JSON),
        ("host", host),
        ("x-tc-action", request.action),
    ];
    let signed: &[(&str, &str)] = if inner.sign_action {
        &with_action
    } else {
        &with_action[..2]
    };
    let authorization = match request.credentials {
        None => "SKIP".to_owned(),
        Some(credentials) => inner.signer.authorization(
            credentials,
            request.service,
            request.timestamp,
            &CanonicalInput {
                method: "POST",
                uri: "/",
                query: "",
                headers: signed,
                payload: request.body,
            },
        ),
    };

    let timestamp = Decimal::new(request.timestamp, 1);
    let headers = RequestHeaders {
        host: origin.host_header.as_bytes(),
        action: request.action.as_bytes(),
        version: request.version.as_bytes(),
        timestamp: timestamp.as_bytes(),
        region: inner.region_header.as_ref().map(HeaderValue::as_bytes),
        token: request
            .credentials
            .and_then(Credentials::token)
            .map(str::as_bytes),
        language: inner.language.map(|language| language.as_str()),
        request_client: inner.request_client_header.as_bytes(),
        authorization: authorization.as_bytes(),
    };

    let cap = inner.max_response_bytes;
    match &inner.http {
        Http::Direct(direct) => direct.send(origin, &headers, request.body, cap).await,
        Http::Reqwest(http) => {
            let scheme = if origin.tls { "https" } else { "http" };
            let url = reqwest::Url::parse(&format!("{scheme}://{host}/")).map_err(|e| {
                AttemptError::Transport(TransportError::new(
                    TransportErrorKind::Request,
                    e.to_string(),
                ))
            })?;
            let body = Bytes::copy_from_slice(request.body);
            via_reqwest::send(http, url, headers.to_map()?, body, cap).await
        }
    }
}
