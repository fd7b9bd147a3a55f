//! One signed HTTP attempt: build the request, send it, read the answer within a size cap.

mod body;
mod connect;
mod direct;
mod pool;
mod via_reqwest;

use bytes::Bytes;
use http_body_util::Full;
use reqwest::header::{
    AUTHORIZATION, CONTENT_TYPE, HOST, HeaderMap, HeaderName, HeaderValue, InvalidHeaderValue,
};

use crate::config::Config;
use crate::credentials::Credentials;
use crate::error::{ResponseError, TransportError, TransportErrorKind};
use crate::signer::{CanonicalInput, Decimal};

pub(crate) use connect::Origin;
pub(crate) use direct::Direct;

/// The content type API 3.0 expects for JSON bodies.
pub const CONTENT_TYPE_JSON: &str = "application/json; charset=utf-8";

// Constants, so the names are checked when the runtime is compiled, not on every request.
const X_TC_ACTION: HeaderName = HeaderName::from_static("x-tc-action");
const X_TC_VERSION: HeaderName = HeaderName::from_static("x-tc-version");
const X_TC_TIMESTAMP: HeaderName = HeaderName::from_static("x-tc-timestamp");
const X_TC_REGION: HeaderName = HeaderName::from_static("x-tc-region");
const X_TC_TOKEN: HeaderName = HeaderName::from_static("x-tc-token");
const X_TC_LANGUAGE: HeaderName = HeaderName::from_static("x-tc-language");
const X_TC_REQUESTCLIENT: HeaderName = HeaderName::from_static("x-tc-requestclient");
const JSON: HeaderValue = HeaderValue::from_static(CONTENT_TYPE_JSON);

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

/// An operation's version and action as header values, made once per call. A generated
/// operation's names live as long as the program and are sent as they are, not copied.
#[derive(Clone)]
pub(crate) struct NameHeaders {
    pub(crate) version: HeaderValue,
    pub(crate) action: HeaderValue,
}

impl NameHeaders {
    pub(crate) fn of_static(version: &'static str, action: &'static str) -> Option<Self> {
        let header = |name: &'static str| {
            HeaderValue::from_maybe_shared(Bytes::from_static(name.as_bytes())).ok()
        };
        Some(Self {
            version: header(version)?,
            action: header(action)?,
        })
    }

    pub(crate) fn copied(version: &str, action: &str) -> Result<Self, InvalidHeaderValue> {
        Ok(Self {
            version: HeaderValue::from_str(version)?,
            action: HeaderValue::from_str(action)?,
        })
    }
}

/// What one attempt sends.
pub(crate) struct AttemptRequest<'a> {
    pub(crate) service: &'a str,
    pub(crate) action: &'a str,
    pub(crate) names: &'a NameHeaders,
    pub(crate) origin: &'a Origin,
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
    bytes_header(value.as_bytes())
}

fn bytes_header(value: &[u8]) -> Result<HeaderValue, AttemptError> {
    HeaderValue::from_bytes(value).map_err(invalid_header)
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
                payload: &request.body,
            },
        ),
    };

    let mut headers = HeaderMap::with_capacity(10);
    headers.insert(CONTENT_TYPE, JSON);
    headers.insert(HOST, origin.host_header.clone());
    headers.insert(X_TC_ACTION, request.names.action.clone());
    headers.insert(X_TC_VERSION, request.names.version.clone());
    let timestamp = Decimal::new(request.timestamp, 1);
    headers.insert(X_TC_TIMESTAMP, bytes_header(timestamp.as_bytes())?);
    if let Some(region) = &inner.region_header {
        headers.insert(X_TC_REGION, region.clone());
    }
    if let Some(token) = request.credentials.and_then(Credentials::token) {
        let mut value = header(token)?;
        value.set_sensitive(true);
        headers.insert(X_TC_TOKEN, value);
    }
    if let Some(language) = inner.language {
        headers.insert(X_TC_LANGUAGE, HeaderValue::from_static(language.as_str()));
    }
    headers.insert(X_TC_REQUESTCLIENT, inner.request_client_header.clone());
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
            direct.send(origin, http_request, cap).await
        }
        Http::Reqwest(http) => {
            let url = config.url_for(request.service).map_err(|e| {
                AttemptError::Transport(TransportError::new(TransportErrorKind::Request, e))
            })?;
            via_reqwest::send(http, url, headers, request.body.clone(), cap).await
        }
    }
}
