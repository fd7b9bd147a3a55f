//! Errors a call can end with: service errors Tencent Cloud reports, responses that cannot be
//! understood, transport failures, timeouts, and problems found before sending.

use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

use crate::credentials::CredentialsError;
use crate::retry::{CodeClass, classify_code};
use crate::validate::ValidationError;

/// An error Tencent Cloud reported in `{"Response":{"Error":{"Code","Message"},"RequestId"}}`.
#[derive(Clone, PartialEq, Eq)]
pub struct ServiceError {
    code: String,
    message: String,
    request_id: String,
    idempotent_request: bool,
}

impl ServiceError {
    /// A service error with the given code, message and request id.
    pub fn new(
        code: impl Into<String>,
        message: impl Into<String>,
        request_id: impl Into<String>,
    ) -> Self {
        Self {
            code: code.into(),
            message: message.into(),
            request_id: request_id.into(),
            idempotent_request: false,
        }
    }

    /// Records that the failed request carried an idempotency token, which makes
    /// `InternalError` and `ServiceUnavailable` safe to retry.
    #[must_use]
    pub fn with_idempotent_request(mut self, idempotent: bool) -> Self {
        self.idempotent_request = idempotent;
        self
    }

    /// The error code, e.g. `AuthFailure.SignatureFailure` or `RequestLimitExceeded`.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The human-readable message Tencent Cloud sent.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The request id to quote to Tencent Cloud support (empty if the service sent none).
    pub fn request_id(&self) -> &str {
        &self.request_id
    }

    /// Whether repeating the request may succeed and cannot do harm: throttling always, and
    /// `InternalError`/`ServiceUnavailable` only for a request with an idempotency token.
    pub fn is_retryable(&self) -> bool {
        match classify_code(&self.code) {
            CodeClass::Throttling => true,
            CodeClass::RetryableIfIdempotent => self.idempotent_request,
            CodeClass::NotRetryable => false,
        }
    }
}

impl fmt::Debug for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceError")
            .field("code", &self.code)
            .field("message", &self.message)
            .field("request_id", &self.request_id)
            .finish()
    }
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let request_id = if self.request_id.is_empty() {
            "<none>"
        } else {
            &self.request_id
        };
        write!(
            f,
            "{}: {} (request id {request_id})",
            self.code, self.message
        )
    }
}

impl StdError for ServiceError {}

/// Access to the [`ServiceError`] inside a typed error (implemented by every generated error enum).
pub trait ProvideErrorMetadata {
    /// The code, message and request id Tencent Cloud sent.
    fn meta(&self) -> &ServiceError;
}

impl ProvideErrorMetadata for ServiceError {
    fn meta(&self) -> &ServiceError {
        self
    }
}

/// What was wrong with a response that carried no usable Tencent Cloud answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ResponseErrorKind {
    /// A non-2xx status without a Tencent Cloud error body.
    HttpStatus,
    /// The body is not JSON (e.g. an HTML page from a proxy).
    NotJson,
    /// The body is JSON cut off before its end.
    Truncated,
    /// The body is JSON but has no `Response` object.
    MissingResponse,
    /// The body has a `Response` object of the wrong shape (e.g. `Error` without a `Code`).
    Malformed,
    /// The body exceeds the configured size cap; reading stopped there.
    TooLarge,
    /// The `Response` object does not match the expected output type.
    Deserialize,
}

impl ResponseErrorKind {
    fn describe(self) -> &'static str {
        match self {
            Self::HttpStatus => "unexpected HTTP status without a Tencent Cloud error body",
            Self::NotJson => "response body is not JSON",
            Self::Truncated => "response body is truncated JSON",
            Self::MissingResponse => "response JSON has no \"Response\" object",
            Self::Malformed => "response JSON has a malformed \"Response\" object",
            Self::TooLarge => "response body exceeds the size limit",
            Self::Deserialize => "response does not match the expected output",
        }
    }
}

const EXCERPT_BYTES: usize = 256;

/// A response that could not be turned into a result or a [`ServiceError`].
///
/// Keeps the HTTP status and a short excerpt of the body for diagnosis.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResponseError {
    kind: ResponseErrorKind,
    status: u16,
    excerpt: String,
    detail: Option<String>,
}

impl ResponseError {
    /// Builds an error of `kind` for a response with `status`, keeping a short excerpt of `body`.
    pub fn new(kind: ResponseErrorKind, status: u16, body: &[u8]) -> Self {
        Self {
            kind,
            status,
            excerpt: excerpt(body),
            detail: None,
        }
    }

    /// Adds a detail such as the JSON parser's message.
    #[must_use]
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    /// What was wrong.
    pub fn kind(&self) -> ResponseErrorKind {
        self.kind
    }

    /// The HTTP status of the response.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The first bytes of the body, cut at a character boundary.
    pub fn excerpt(&self) -> &str {
        &self.excerpt
    }

    /// Extra detail, e.g. the JSON parser's message.
    pub fn detail(&self) -> Option<&str> {
        self.detail.as_deref()
    }

    /// Server-side trouble (HTTP 5xx or 429) is worth retrying; a bad 2xx body is not.
    pub fn is_retryable(&self) -> bool {
        self.kind != ResponseErrorKind::Deserialize && (self.status == 429 || self.status >= 500)
    }
}

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (HTTP {})", self.kind.describe(), self.status)?;
        if let Some(detail) = &self.detail {
            write!(f, ": {detail}")?;
        }
        write!(f, "; body starts with {:?}", self.excerpt)
    }
}

impl StdError for ResponseError {}

/// The first bytes of a body for an error message, never splitting a UTF-8 character.
fn excerpt(body: &[u8]) -> String {
    let mut end = body.len().min(EXCERPT_BYTES);
    let text = loop {
        match body.get(..end).map(std::str::from_utf8) {
            Some(Ok(text)) => break text.to_owned(),
            // A multi-byte character straddles the cut: step back to its first byte (at most 3).
            Some(Err(e)) if e.error_len().is_none() && e.valid_up_to() + 4 > end => {
                end = e.valid_up_to();
            }
            _ => break String::from_utf8_lossy(body.get(..end).unwrap_or_default()).into_owned(),
        }
    };
    if end < body.len() {
        format!("{text}…")
    } else {
        text
    }
}

/// Which time limit ran out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// One attempt (connect, send, and reading the whole answer) took too long.
    Attempt,
    /// The whole operation, retries and backoff included, took too long.
    Operation,
}

/// A time limit ran out before an answer arrived.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimeoutError {
    kind: TimeoutKind,
    limit: Duration,
}

impl TimeoutError {
    /// A timeout of `kind` after `limit`.
    pub fn new(kind: TimeoutKind, limit: Duration) -> Self {
        Self { kind, limit }
    }

    /// Which limit ran out.
    pub fn kind(&self) -> TimeoutKind {
        self.kind
    }

    /// The configured limit.
    pub fn limit(&self) -> Duration {
        self.limit
    }
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            TimeoutKind::Attempt => "attempt",
            TimeoutKind::Operation => "operation",
        };
        write!(f, "{what} timed out after {:?}", self.limit)
    }
}

impl StdError for TimeoutError {}

/// Where a transport failure happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection could be made (refused, DNS failure, TLS handshake, connect timeout).
    Connect,
    /// The connection failed while sending the request or waiting for the answer (e.g. reset).
    Request,
    /// The connection failed while reading the answer's body.
    Body,
}

/// The connection failed; no complete answer arrived.
#[derive(Debug)]
pub struct TransportError {
    kind: TransportErrorKind,
    source: Box<dyn StdError + Send + Sync>,
}

impl TransportError {
    /// A transport failure of `kind` caused by `source`.
    pub fn new(
        kind: TransportErrorKind,
        source: impl Into<Box<dyn StdError + Send + Sync>>,
    ) -> Self {
        Self {
            kind,
            source: source.into(),
        }
    }

    /// Where the failure happened.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            TransportErrorKind::Connect => "could not connect",
            TransportErrorKind::Request => "connection failed before the answer arrived",
            TransportErrorKind::Body => "connection failed while reading the answer",
        };
        write!(f, "{what}: {}", self.source)?;
        let mut cause = self.source.source();
        while let Some(inner) = cause {
            write!(f, ": {inner}")?;
            cause = inner.source();
        }
        Ok(())
    }
}

impl StdError for TransportError {}

/// Everything a call can fail with; `E` is the service error type (a generated enum or
/// [`ServiceError`]).
#[derive(Debug)]
#[non_exhaustive]
pub enum SdkError<E> {
    /// A parameter broke a documented rule; nothing was sent.
    Validation(ValidationError),
    /// No usable credentials; nothing was sent.
    Credentials(CredentialsError),
    /// Tencent Cloud answered with an error.
    Service(E),
    /// A time limit ran out.
    Timeout(TimeoutError),
    /// The connection failed.
    Transport(TransportError),
    /// The answer could not be understood.
    Response(ResponseError),
}

impl<E> SdkError<E> {
    /// The service error, if Tencent Cloud answered with one.
    pub fn service_error(&self) -> Option<&E> {
        match self {
            Self::Service(e) => Some(e),
            _ => None,
        }
    }

    /// Converts the service error type, keeping every other variant.
    pub fn map_service_error<F>(self, f: impl FnOnce(E) -> F) -> SdkError<F> {
        match self {
            Self::Validation(e) => SdkError::Validation(e),
            Self::Credentials(e) => SdkError::Credentials(e),
            Self::Service(e) => SdkError::Service(f(e)),
            Self::Timeout(e) => SdkError::Timeout(e),
            Self::Transport(e) => SdkError::Transport(e),
            Self::Response(e) => SdkError::Response(e),
        }
    }
}

impl<E: ProvideErrorMetadata> SdkError<E> {
    /// The Tencent Cloud error code, for service errors.
    pub fn code(&self) -> Option<&str> {
        self.service_error().map(|e| e.meta().code())
    }

    /// The Tencent Cloud error message, for service errors.
    pub fn message(&self) -> Option<&str> {
        self.service_error().map(|e| e.meta().message())
    }

    /// The request id, for service errors.
    pub fn request_id(&self) -> Option<&str> {
        self.service_error().map(|e| e.meta().request_id())
    }

    /// Whether the same request may succeed if repeated and cannot do harm (the policy the
    /// runtime's own retries follow).
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Validation(_) | Self::Credentials(_) => false,
            Self::Service(e) => e.meta().is_retryable(),
            Self::Timeout(_) | Self::Transport(_) => true,
            Self::Response(e) => e.is_retryable(),
        }
    }
}

impl<E: fmt::Display> fmt::Display for SdkError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Validation(e) => e.fmt(f),
            Self::Credentials(e) => write!(f, "credentials error: {e}"),
            Self::Service(e) => e.fmt(f),
            Self::Timeout(e) => e.fmt(f),
            Self::Transport(e) => e.fmt(f),
            Self::Response(e) => e.fmt(f),
        }
    }
}

impl<E: StdError + 'static> StdError for SdkError<E> {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Self::Validation(_) | Self::Timeout(_) | Self::Response(_) => None,
            Self::Credentials(e) => e.source(),
            Self::Service(e) => e.source(),
            Self::Transport(e) => e.source(),
        }
    }
}

impl<E> From<ValidationError> for SdkError<E> {
    fn from(e: ValidationError) -> Self {
        Self::Validation(e)
    }
}

impl<E> From<CredentialsError> for SdkError<E> {
    fn from(e: CredentialsError) -> Self {
        Self::Credentials(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_error_display_has_code_message_and_request_id() {
        let e = ServiceError::new(
            "AuthFailure.SignatureFailure",
            "The provided credentials could not be validated.",
            "b5b41468-520d-4192-b42f-595cc34b6c1c",
        );
        assert_eq!(
            e.to_string(),
            "AuthFailure.SignatureFailure: The provided credentials could not be validated. \
             (request id b5b41468-520d-4192-b42f-595cc34b6c1c)"
        );
        let sdk: SdkError<ServiceError> = SdkError::Service(e);
        assert_eq!(sdk.code(), Some("AuthFailure.SignatureFailure"));
        assert_eq!(
            sdk.request_id(),
            Some("b5b41468-520d-4192-b42f-595cc34b6c1c")
        );
        assert!(sdk.to_string().contains("request id b5b41468"));
    }

    #[test]
    fn internal_error_is_retryable_only_for_idempotent_requests() {
        let e = ServiceError::new("InternalError", "oops", "r");
        assert!(!e.is_retryable());
        assert!(e.clone().with_idempotent_request(true).is_retryable());
        assert!(ServiceError::new("RequestLimitExceeded.UinLimitExceeded", "", "").is_retryable());
        assert!(
            !ServiceError::new("FailedOperation", "", "")
                .with_idempotent_request(true)
                .is_retryable()
        );
    }

    #[test]
    fn excerpt_never_splits_a_multibyte_character() {
        // 255 ASCII bytes then a 3-byte character straddling the 256-byte cut.
        let mut body = "a".repeat(255).into_bytes();
        body.extend_from_slice("未命名".as_bytes());
        let e = ResponseError::new(ResponseErrorKind::NotJson, 502, &body);
        assert_eq!(e.excerpt(), format!("{}…", "a".repeat(255)));
        let short = ResponseError::new(
            ResponseErrorKind::NotJson,
            502,
            "<html>未</html>".as_bytes(),
        );
        assert_eq!(short.excerpt(), "<html>未</html>");
    }

    #[test]
    fn excerpt_of_invalid_utf8_is_lossy_not_a_panic() {
        let e = ResponseError::new(ResponseErrorKind::NotJson, 200, &[0xff, 0xfe, b'x']);
        assert_eq!(e.excerpt(), "\u{fffd}\u{fffd}x");
    }

    #[test]
    fn response_error_display_keeps_status_and_excerpt() {
        let e = ResponseError::new(ResponseErrorKind::NotJson, 502, b"<html>Bad Gateway</html>");
        assert_eq!(
            e.to_string(),
            "response body is not JSON (HTTP 502); body starts with \"<html>Bad Gateway</html>\""
        );
        assert!(e.is_retryable());
        assert!(!ResponseError::new(ResponseErrorKind::Truncated, 200, b"{").is_retryable());
    }
}
