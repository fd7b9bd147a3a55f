//! One signed HTTP attempt: build the request, send it, read the answer within a size cap.

mod body;
mod connect;
mod direct;
mod pool;
mod via_reqwest;

use bytes::Bytes;
use http_body_util::Full;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HOST, HeaderMap, HeaderName, HeaderValue};

use crate::config::Config;
use crate::credentials::Credentials;
use crate::error::{ResponseError, TransportError, TransportErrorKind};
use crate::signer::CanonicalInput;

pub(crate) use connect::Origin;
pub(crate) use direct::Direct;

/// The content type API 3.0 expects for JSON bodies.
pub const CONTENT_TYPE_JSON: &str = "application/json; charset=utf-8";

/// The HTTP client requests go through ([`ConfigBuilder::transport`](crate::ConfigBuilder::transport)).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Transport {
    /// HTTP/1.1 (over rustls for `https`), each connection read and written by the call using
    /// it and kept alive between calls in a pool of the configuration's own: no hand-off to a
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
    /// `None`: sent unsigned.
    pub(crate) credentials: Option<&'a Credentials>,
    pub(crate) timestamp: u64,
    pub(crate) body: Bytes,
}

/// Why an attempt produced no answer to decode.
#[derive(Debug)]
pub(crate) enum AttemptError {
    Transport(TransportError),
    Response(ResponseError),
}

fn header(value: &str) -> Result<HeaderValue, AttemptError> {
    HeaderValue::from_str(value).map_err(invalid_header)
}

/// A header value that takes over `value`'s buffer instead of copying it.
fn owned_header(value: String) -> Result<HeaderValue, AttemptError> {
    HeaderValue::from_maybe_shared(Bytes::from(value)).map_err(invalid_header)
}

fn invalid_header(error: reqwest::header::InvalidHeaderValue) -> AttemptError {
    AttemptError::Transport(TransportError::new(TransportErrorKind::Request, error))
}

/// Signs and sends one attempt; returns the status and the whole body.
pub(crate) async fn send_attempt(
    config: &Config,
    request: &AttemptRequest<'_>,
) -> Result<(u16, Bytes), AttemptError> {
    let inner = &config.inner;
    let origin = config.origin_for(request.service).map_err(|e| {
        AttemptError::Transport(TransportError::new(TransportErrorKind::Request, e))
    })?;
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
                payload: &request.body,
            },
        ),
    };

    let mut headers = HeaderMap::with_capacity(10);
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE_JSON));
    headers.insert(HOST, origin.host_header.clone());
    headers.insert(
        HeaderName::from_static("x-tc-action"),
        header(request.action)?,
    );
    headers.insert(
        HeaderName::from_static("x-tc-version"),
        header(request.version)?,
    );
    headers.insert(
        HeaderName::from_static("x-tc-timestamp"),
        owned_header(request.timestamp.to_string())?,
    );
    if let Some(region) = &inner.region_header {
        headers.insert(HeaderName::from_static("x-tc-region"), region.clone());
    }
    if let Some(token) = request.credentials.and_then(Credentials::token) {
        let mut value = header(token)?;
        value.set_sensitive(true);
        headers.insert(HeaderName::from_static("x-tc-token"), value);
    }
    if let Some(language) = inner.language {
        headers.insert(
            HeaderName::from_static("x-tc-language"),
            HeaderValue::from_static(language.as_str()),
        );
    }
    headers.insert(
        HeaderName::from_static("x-tc-requestclient"),
        inner.request_client_header.clone(),
    );
    headers.insert(
        reqwest::header::USER_AGENT,
        inner.request_client_header.clone(),
    );
    let mut authorization = owned_header(authorization)?;
    authorization.set_sensitive(true);
    headers.insert(AUTHORIZATION, authorization);

    let cap = inner.max_response_bytes;
    match &inner.http {
        Http::Direct(direct) => {
            let mut http_request = hyper::Request::new(Full::new(request.body.clone()));
            *http_request.method_mut() = hyper::Method::POST;
            *http_request.uri_mut() = hyper::Uri::from_static("/");
            *http_request.headers_mut() = headers;
            direct.send(&origin, http_request, cap).await
        }
        Http::Reqwest(http) => {
            let url = config.url_for(request.service).map_err(|e| {
                AttemptError::Transport(TransportError::new(TransportErrorKind::Request, e))
            })?;
            via_reqwest::send(http, url, headers, request.body.clone(), cap).await
        }
    }
}
