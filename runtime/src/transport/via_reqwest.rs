//! The reqwest path: proxies, and HTTP/2 where the server offers it.

use bytes::Bytes;
use reqwest::header::HeaderMap;

use super::AttemptError;
use super::body::CappedBody;
use crate::error::{TransportError, TransportErrorKind};

/// Posts `body` with `headers` to `url` and reads the whole answer, at most `cap` bytes of body.
pub(crate) async fn send(
    http: &reqwest::Client,
    url: reqwest::Url,
    headers: HeaderMap,
    body: Bytes,
    cap: usize,
) -> Result<(u16, Bytes), AttemptError> {
    let mut response = http
        .post(url)
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
        })?;
    let status = response.status().as_u16();
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
