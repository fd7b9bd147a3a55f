//! The reqwest path: proxies, and HTTP/2 where the server offers it. The client is built here
//! too, from the configuration's proxy settings.

use bytes::Bytes;
use reqwest::header::{CONTENT_TYPE, HeaderMap};

use std::time::Duration;

use super::body::CappedBody;
use super::{AttemptError, is_event_stream};
use crate::config::{ConfigError, redacted};
use crate::error::{ResponseError, ResponseErrorKind, TransportError, TransportErrorKind};

/// Posts `body` with `headers` to `url`; the answer's body is left to read.
pub(crate) async fn post(
    http: &reqwest::Client,
    url: reqwest::Url,
    headers: HeaderMap,
    body: Bytes,
) -> Result<reqwest::Response, AttemptError> {
    http.post(url)
        .headers(headers)
        .body(body)
        .send()
        .await
        .map_err(|e| {
            let kind = if e.is_connect() {
                TransportErrorKind::Connect
            } else {
                TransportErrorKind::Request
            };
            AttemptError::Transport(TransportError::new(kind, e))
        })
}

/// Whether `response` is a stream of server-sent events.
pub(crate) fn announces_events(response: &reqwest::Response) -> bool {
    response
        .headers()
        .get(CONTENT_TYPE)
        .is_some_and(|value| is_event_stream(value.as_bytes()))
}

/// Reads the whole answer, at most `cap` bytes of body; a stream of events is left unread.
pub(crate) async fn read_whole(
    mut response: reqwest::Response,
    cap: usize,
) -> Result<(u16, Bytes), AttemptError> {
    let status = response.status().as_u16();
    if announces_events(&response) {
        return Err(AttemptError::Response(ResponseError::new(
            ResponseErrorKind::EventStream,
            status,
            &[],
        )));
    }
    let mut collected = CappedBody::new(status, cap, response.content_length());
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| AttemptError::Transport(TransportError::new(TransportErrorKind::Body, e)))?
    {
        collected.push(chunk).map_err(AttemptError::Response)?;
    }
    Ok((status, collected.finish()))
}

/// The reqwest client: through `proxy` (except to the hosts `no_proxy` lists) or, without
/// one, through the standard variables' proxy unless the endpoint is `loopback`.
pub(crate) fn client(
    proxy: Option<&str>,
    no_proxy: Option<&str>,
    loopback: bool,
    connect_timeout: Duration,
) -> Result<reqwest::Client, ConfigError> {
    let mut http = reqwest::Client::builder();
    if let Some(url) = proxy {
        let invalid = |reason: String| ConfigError::InvalidProxy {
            proxy: redacted(url),
            reason,
        };
        let parsed = reqwest::Url::parse(url).map_err(|e| invalid(e.to_string()))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(invalid("scheme must be http or https".to_owned()));
        }
        let proxy = reqwest::Proxy::all(parsed)
            .map_err(|e| invalid(e.to_string()))?
            .no_proxy(no_proxy.and_then(reqwest::NoProxy::from_string));
        http = http.proxy(proxy);
    } else if loopback {
        // A proxy from the environment must not capture a loopback endpoint (the emulator).
        http = http.no_proxy();
    }
    http.use_rustls_tls()
        .connect_timeout(connect_timeout)
        // A redirected POST would be resent elsewhere unsigned for that host: never follow.
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| ConfigError::HttpClient(e.to_string()))
}

/// Whether a standard proxy variable is set for requests over `https` (or plain `http`), as
/// reqwest reads them.
pub(crate) fn proxy_variable_set(plain_http: bool) -> bool {
    let names: &[&str] = if plain_http {
        &["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"]
    } else {
        &["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"]
    };
    names
        .iter()
        .any(|name| std::env::var_os(name).is_some_and(|value| !value.is_empty()))
}
