//! The reqwest path: proxies, and HTTP/2 where the server offers it.

use bytes::{Bytes, BytesMut};
use reqwest::header::HeaderMap;

use super::AttemptError;
use crate::error::{ResponseError, ResponseErrorKind, TransportError, TransportErrorKind};

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
    let mut body = BytesMut::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| AttemptError::Transport(TransportError::new(TransportErrorKind::Body, e)))?
    {
        if body.len().saturating_add(chunk.len()) > cap {
            body.extend_from_slice(&chunk);
            return Err(AttemptError::Response(
                ResponseError::new(ResponseErrorKind::TooLarge, status, &body)
                    .with_detail(format!("limit is {cap} bytes")),
            ));
        }
        body.extend_from_slice(&chunk);
    }
    Ok((status, body.freeze()))
}
