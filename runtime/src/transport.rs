//! One signed HTTP attempt: build the request, send it, read the answer within a size cap.

use bytes::{Bytes, BytesMut};
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HOST, HeaderMap, HeaderName, HeaderValue};

use crate::config::Config;
use crate::credentials::Credentials;
use crate::error::{ResponseError, ResponseErrorKind, TransportError, TransportErrorKind};
use crate::signer::CanonicalInput;

/// The content type API 3.0 expects for JSON bodies.
pub const CONTENT_TYPE_JSON: &str = "application/json; charset=utf-8";

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
    HeaderValue::from_str(value)
        .map_err(|e| AttemptError::Transport(TransportError::new(TransportErrorKind::Request, e)))
}

/// Signs and sends one attempt; returns the status and the whole body.
pub(crate) async fn send_attempt(
    config: &Config,
    request: &AttemptRequest<'_>,
) -> Result<(u16, Bytes), AttemptError> {
    let inner = &config.inner;
    let host = config.host_for(request.service);
    let url = config.url_for(request.service).map_err(|e| {
        AttemptError::Transport(TransportError::new(TransportErrorKind::Request, e))
    })?;
    let with_action = [
        ("content-type", CONTENT_TYPE_JSON),
        ("host", host.as_str()),
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
    headers.insert(HOST, header(&host)?);
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
        HeaderValue::from(request.timestamp),
    );
    if let Some(region) = &inner.region {
        headers.insert(HeaderName::from_static("x-tc-region"), header(region)?);
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
        header(&inner.request_client)?,
    );
    let mut authorization = header(&authorization)?;
    authorization.set_sensitive(true);
    headers.insert(AUTHORIZATION, authorization);

    let mut response = inner
        .http
        .post(url)
        .headers(headers)
        .body(request.body.clone())
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
    let cap = inner.max_response_bytes;
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
