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

use crate::call_options::Prepared;
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
    /// The call's own settings, if it has any.
    pub(crate) options: Option<&'a Prepared>,
}

/// Why an attempt produced no answer to decode.
#[derive(Debug)]
pub(crate) enum AttemptError {
    Transport(TransportError),
    Response(ResponseError),
}

/// The signature and the timestamp of one attempt, which its headers borrow.
struct Signed {
    authorization: String,
    timestamp: Decimal,
}

/// Signs `request` as the configuration says.
fn sign(config: &Config, request: &AttemptRequest<'_>) -> Signed {
    let inner = &config.inner;
    let host = request.origin.authority.as_str();
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
    Signed {
        authorization,
        timestamp: Decimal::new(request.timestamp, 1),
    }
}

fn request_headers<'a>(
    config: &'a Config,
    request: &'a AttemptRequest<'_>,
    signed: &'a Signed,
) -> RequestHeaders<'a> {
    let inner = &config.inner;
    let options = request.options;
    let region = match options.and_then(|o| o.region.as_deref()) {
        Some(region) => Some(region.as_bytes()),
        None => inner.region_header.as_ref().map(HeaderValue::as_bytes),
    };
    RequestHeaders {
        host: request.origin.host_header.as_bytes(),
        action: request.action.as_bytes(),
        version: request.version.as_bytes(),
        timestamp: signed.timestamp.as_bytes(),
        region,
        token: request
            .credentials
            .and_then(Credentials::token)
            .map(str::as_bytes),
        language: options
            .and_then(|o| o.language)
            .or(inner.language)
            .map(|language| language.as_str()),
        request_client: inner.request_client_header.as_bytes(),
        authorization: signed.authorization.as_bytes(),
        extra: options.map_or(&[], |o| o.headers.as_slice()),
    }
}

/// The URL reqwest posts an attempt to: the origin's root.
fn url(origin: &Origin) -> Result<reqwest::Url, AttemptError> {
    let scheme = if origin.tls { "https" } else { "http" };
    reqwest::Url::parse(&format!("{scheme}://{}/", origin.authority)).map_err(|e| {
        AttemptError::Transport(TransportError::new(
            TransportErrorKind::Request,
            e.to_string(),
        ))
    })
}

/// Whether a `Content-Type` value announces server-sent events.
pub(crate) fn is_event_stream(content_type: &[u8]) -> bool {
    const EVENT_STREAM: &[u8] = b"text/event-stream";
    content_type
        .trim_ascii_start()
        .get(..EVENT_STREAM.len())
        .is_some_and(|mime| mime.eq_ignore_ascii_case(EVENT_STREAM))
}

/// Signs and sends one attempt; returns the status and the whole body.
pub(crate) async fn send_attempt(
    config: &Config,
    request: &AttemptRequest<'_>,
) -> Result<(u16, Bytes), AttemptError> {
    let signed = sign(config, request);
    let headers = request_headers(config, request, &signed);
    let cap = config.inner.max_response_bytes;
    match &config.inner.http {
        Http::Direct(direct) => {
            direct
                .send(request.origin, &headers, request.body, cap)
                .await
        }
        Http::Reqwest(http) => {
            let body = Bytes::copy_from_slice(request.body);
            let response = via_reqwest::post(http, url(request.origin)?, headers.to_map()?, body);
            via_reqwest::read_whole(response.await?, cap).await
        }
    }
}

/// What an attempt that may be answered with a stream received.
pub(crate) enum Opened {
    /// A whole answer: its status and body.
    Whole(u16, Bytes),
    /// A stream of server-sent events, its body not yet read.
    Events(reqwest::Response),
}

/// Signs and sends one attempt of a streaming call, always through reqwest (whose connection
/// tasks read a stream while the caller awaits each event); returns the answer whole unless it
/// is a stream of events.
pub(crate) async fn open_attempt(
    config: &Config,
    request: &AttemptRequest<'_>,
) -> Result<Opened, AttemptError> {
    let signed = sign(config, request);
    let headers = request_headers(config, request, &signed);
    let http = config.streaming_http().map_err(|e| {
        AttemptError::Transport(TransportError::new(TransportErrorKind::Request, e))
    })?;
    let body = Bytes::copy_from_slice(request.body);
    let response = via_reqwest::post(http, url(request.origin)?, headers.to_map()?, body).await?;
    if via_reqwest::announces_events(&response) {
        return Ok(Opened::Events(response));
    }
    let (status, body) = via_reqwest::read_whole(response, config.inner.max_response_bytes).await?;
    Ok(Opened::Whole(status, body))
}
