//! Errors a call can end with: service errors Tencent Cloud reports, responses that cannot be
//! understood, transport failures, timeouts, and problems found before sending.

use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::credentials::CredentialsError;
use crate::retry::{CodeClass, classify_code};
pub use crate::stream::{StreamError, StreamErrorKind};
use crate::validate::ValidationError;

/// Why the runtime did not retry a failure that a retry might have cured.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RetryRefusal {
    /// The action is not safe to repeat and the failed attempt may have acted: repeating it
    /// could act twice (see [`Repeatability`](crate::retry::Repeatability)).
    NotSafeToRepeat,
    /// The retry budget of the service is spent: many recent calls to it failed.
    /// Retries resume as calls succeed again.
    BudgetExhausted,
    /// The backoff before the next attempt would pass the operation deadline.
    DeadlineTooClose,
}

impl RetryRefusal {
    fn describe(self) -> &'static str {
        match self {
            Self::NotSafeToRepeat => "the action is not safe to repeat",
            Self::BudgetExhausted => "the retry budget of this service is spent",
            Self::DeadlineTooClose => "the backoff would pass the operation deadline",
        }
    }
}

impl fmt::Display for RetryRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

/// What a call did before it ended with an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct CallSummary {
    pub(crate) attempts: u32,
    pub(crate) may_have_taken_effect: bool,
    pub(crate) retry_refusal: Option<RetryRefusal>,
}

impl CallSummary {
    /// One attempt, known to have had no effect, nothing refused.
    pub(crate) const FIRST: Self = Self::attempts(1);

    pub(crate) const fn attempts(attempts: u32) -> Self {
        Self {
            attempts,
            may_have_taken_effect: false,
            retry_refusal: None,
        }
    }
}

/// Appends what the call did, so that a final error shows it was not a one-off, whether the
/// request may still have acted, and why it was not retried; a single attempt that certainly
/// failed is the normal case and says nothing worth the noise.
fn write_summary(f: &mut fmt::Formatter<'_>, call: &CallSummary) -> fmt::Result {
    if call.attempts > 1 {
        write!(f, ", after {} attempts", call.attempts)?;
    }
    match (call.may_have_taken_effect, call.retry_refusal) {
        (true, Some(refusal)) => write!(
            f,
            "; the request may have taken effect (not retried: {refusal})"
        ),
        (true, None) => write!(f, "; the request may have taken effect"),
        (false, Some(refusal)) => write!(f, "; not retried: {refusal}"),
        (false, None) => Ok(()),
    }
}

/// An error Tencent Cloud reported in `{"Response":{"Error":{"Code","Message"},"RequestId"}}`.
#[derive(Clone, PartialEq, Eq)]
pub struct ServiceError {
    code: String,
    message: String,
    request_id: String,
    repeatable_request: bool,
    call: CallSummary,
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
            repeatable_request: false,
            call: CallSummary::FIRST,
        }
    }

    /// Records that the failed request was safe to repeat (a read, or a write with an
    /// idempotency token), which makes `InternalError` and `ServiceUnavailable` retryable.
    #[must_use]
    pub fn with_repeatable_request(mut self, repeatable: bool) -> Self {
        self.repeatable_request = repeatable;
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

    /// How many attempts the call made before giving up with this error (1 unless retried).
    pub fn attempts(&self) -> u32 {
        self.call.attempts
    }

    /// Whether the request may have taken effect although the call ended with this error: an
    /// earlier attempt of a call that is not safe to repeat may have acted before its answer
    /// was lost, or this is a server fault (`InternalError`) of a write.
    pub fn may_have_taken_effect(&self) -> bool {
        self.call.may_have_taken_effect
    }

    /// Why the runtime did not retry, when a retry might have helped.
    pub fn retry_refusal(&self) -> Option<RetryRefusal> {
        self.call.retry_refusal
    }

    /// Whether repeating the request may succeed and cannot do harm: throttling always, and
    /// `InternalError`/`ServiceUnavailable` only for a request that is safe to repeat.
    pub fn is_retryable(&self) -> bool {
        match classify_code(&self.code) {
            CodeClass::Throttling => true,
            CodeClass::ServerFault => self.repeatable_request,
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
            .field("attempts", &self.call.attempts)
            .field("may_have_taken_effect", &self.call.may_have_taken_effect)
            .field("retry_refusal", &self.call.retry_refusal)
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
        )?;
        write_summary(f, &self.call)
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
    /// The service reported success, but its `Response` object could not be turned into the
    /// output even by the tolerance rules (e.g. it is not an object). The request id and the
    /// whole answer are kept: [`ResponseError::request_id`], [`ResponseError::body`].
    Deserialize,
    /// The service answered with a stream of server-sent events (`text/event-stream`), as
    /// streaming actions do when asked to stream: read them with the action's
    /// `send_stream()`. The stream was left unread.
    EventStream,
    /// A paged listing's pages do not advance (a page equal to the one before, a token given
    /// back unchanged, an empty page before the total): the listing ends here.
    PagesStalled,
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
            Self::Deserialize => "the service reported success, but its answer could not be read",
            Self::PagesStalled => "the pages of the listing do not advance",
            Self::EventStream => {
                "the service answered with a stream of events (text/event-stream), which send() \
                 does not read: call the action's send_stream()"
            }
        }
    }
}

const EXCERPT_BYTES: usize = 256;

/// A response that could not be turned into a result or a [`ServiceError`].
///
/// Keeps the HTTP status and a short excerpt of the body for diagnosis; a success answer that
/// could not be read ([`ResponseErrorKind::Deserialize`]) also keeps its request id and the
/// whole body, so that nothing the service said is lost.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResponseError {
    kind: ResponseErrorKind,
    status: u16,
    excerpt: String,
    detail: Option<String>,
    call: CallSummary,
    success: Option<Success>,
}

/// What a success answer that could not be read still says.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Success {
    request_id: Option<String>,
    body: bytes::Bytes,
}

impl ResponseError {
    /// Builds an error of `kind` for a response with `status`, keeping a short excerpt of `body`.
    pub fn new(kind: ResponseErrorKind, status: u16, body: &[u8]) -> Self {
        Self {
            kind,
            status,
            excerpt: excerpt(body),
            detail: None,
            call: CallSummary::FIRST,
            success: None,
        }
    }

    /// A success answer (`body`, whose `Response` carries `request_id`) that could not be read
    /// into its output, for the reason `detail`.
    pub(crate) fn unreadable_success(
        status: u16,
        body: bytes::Bytes,
        request_id: Option<&str>,
        detail: String,
    ) -> Self {
        Self {
            success: Some(Success {
                request_id: request_id.map(str::to_owned),
                body: body.clone(),
            }),
            ..Self::new(ResponseErrorKind::Deserialize, status, &body).with_detail(detail)
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

    /// Whether the service reported success ([`ResponseErrorKind::Deserialize`]): the request
    /// did what it asked, only its answer could not be read. Never retried.
    pub fn reported_success(&self) -> bool {
        self.success.is_some()
    }

    /// The request id of a success answer that could not be read.
    pub fn request_id(&self) -> Option<&str> {
        self.success.as_ref()?.request_id.as_deref()
    }

    /// The whole body of a success answer that could not be read (up to the configured
    /// response size cap), for the caller to read what it needs from it.
    pub fn body(&self) -> Option<&[u8]> {
        self.success.as_ref().map(|success| &success.body[..])
    }

    /// How many attempts the call made before giving up with this error (1 unless retried).
    pub fn attempts(&self) -> u32 {
        self.call.attempts
    }

    /// Whether the request may have taken effect although the call ended with this error.
    pub fn may_have_taken_effect(&self) -> bool {
        self.call.may_have_taken_effect
    }

    /// Why the runtime did not retry, when a retry might have helped.
    pub fn retry_refusal(&self) -> Option<RetryRefusal> {
        self.call.retry_refusal
    }

    #[must_use]
    pub(crate) fn with_call(mut self, call: CallSummary) -> Self {
        self.call = call;
        self
    }

    /// Server-side trouble (HTTP 5xx or 429) is worth retrying; a bad 2xx body is not.
    pub fn is_retryable(&self) -> bool {
        self.kind != ResponseErrorKind::Deserialize && (self.status == 429 || self.status >= 500)
    }
}

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (HTTP {}", self.kind.describe(), self.status)?;
        if let Some(id) = self.request_id() {
            write!(f, ", request id {id}")?;
        }
        f.write_str(")")?;
        if let Some(detail) = &self.detail {
            write!(f, ": {detail}")?;
        }
        write!(f, "; body starts with {:?}", self.excerpt)?;
        if self.success.is_some() {
            // "May have taken effect" would understate it: the service said it did.
            if self.call.attempts > 1 {
                write!(f, ", after {} attempts", self.call.attempts)?;
            }
            return f.write_str("; not retried, the whole answer is kept (ResponseError::body)");
        }
        write_summary(f, &self.call)
    }
}

impl StdError for ResponseError {}

/// The first bytes of a body for an error message, at most [`EXCERPT_BYTES`] of text, never
/// splitting a UTF-8 character; bytes that are not UTF-8 show as replacement characters.
fn excerpt(body: &[u8]) -> String {
    let mut end = body.len().min(EXCERPT_BYTES);
    let mut text = loop {
        match body.get(..end).map(std::str::from_utf8) {
            Some(Ok(text)) => break text.to_owned(),
            // A multi-byte character straddles the cut: step back to its first byte (at most 3).
            Some(Err(e)) if e.error_len().is_none() && e.valid_up_to() + 4 > end => {
                end = e.valid_up_to();
            }
            _ => break String::from_utf8_lossy(body.get(..end).unwrap_or_default()).into_owned(),
        }
    };
    let mut cut = end < body.len();
    // Each invalid byte became a three-byte replacement character: cut back to the limit.
    if text.len() > EXCERPT_BYTES {
        let mut keep = EXCERPT_BYTES;
        while !text.is_char_boundary(keep) {
            keep -= 1;
        }
        text.truncate(keep);
        cut = true;
    }
    if cut {
        text.push('…');
    }
    text
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
///
/// When the operation deadline cuts a retry short, the error of the attempt before it is kept as
/// [`last_error`](Self::last_error) and as [`source`](StdError::source), so that the reason the
/// call was retried in the first place is not lost.
#[derive(Clone, Debug)]
pub struct TimeoutError {
    kind: TimeoutKind,
    limit: Duration,
    call: CallSummary,
    last_error: Option<Arc<SdkError<ServiceError>>>,
}

impl TimeoutError {
    /// A timeout of `kind` after `limit`.
    pub fn new(kind: TimeoutKind, limit: Duration) -> Self {
        Self {
            kind,
            limit,
            call: CallSummary::FIRST,
            last_error: None,
        }
    }

    #[must_use]
    pub(crate) fn with_call(mut self, call: CallSummary) -> Self {
        self.call = call;
        self
    }

    /// Records the error of the attempt before the one that ran out of time.
    #[must_use]
    pub(crate) fn with_last_error(mut self, error: Option<SdkError<ServiceError>>) -> Self {
        self.last_error = error.map(Arc::new);
        self
    }

    /// How many attempts the call started, the one cut short included (0 when the deadline
    /// passed while fetching credentials).
    pub fn attempts(&self) -> u32 {
        self.call.attempts
    }

    /// Whether the request may have taken effect: the attempt cut short, or one before it, may
    /// have reached the service. Always `false` for reads.
    pub fn may_have_taken_effect(&self) -> bool {
        self.call.may_have_taken_effect
    }

    /// Why the runtime did not retry, when a retry might have helped.
    pub fn retry_refusal(&self) -> Option<RetryRefusal> {
        self.call.retry_refusal
    }

    /// The error of the last attempt that finished before the time ran out, if any.
    pub fn last_error(&self) -> Option<&SdkError<ServiceError>> {
        self.last_error.as_deref()
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
        write!(f, "{what} timed out after {:?}", self.limit)?;
        write_summary(f, &self.call)
    }
}

/// Equal when kind, limit and call summary agree; the last error is not compared, as transport
/// failures (and so [`SdkError`]) have no equality.
impl PartialEq for TimeoutError {
    fn eq(&self, other: &Self) -> bool {
        (self.kind, self.limit, self.call) == (other.kind, other.limit, other.call)
    }
}

impl Eq for TimeoutError {}

impl StdError for TimeoutError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.last_error
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static))
    }
}

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
    call: CallSummary,
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
            call: CallSummary::FIRST,
        }
    }

    /// Where the failure happened.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// How many attempts the call made before giving up with this error (1 unless retried).
    pub fn attempts(&self) -> u32 {
        self.call.attempts
    }

    /// Whether the request may have taken effect: the connection failed after the request may
    /// have reached the service (or an earlier attempt did). Always `false` for reads.
    pub fn may_have_taken_effect(&self) -> bool {
        self.call.may_have_taken_effect
    }

    /// Why the runtime did not retry, when a retry might have helped.
    pub fn retry_refusal(&self) -> Option<RetryRefusal> {
        self.call.retry_refusal
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            TransportErrorKind::Connect => "could not connect",
            TransportErrorKind::Request => "connection failed before the answer arrived",
            TransportErrorKind::Body => "connection failed while reading the answer",
        };
        write!(f, "{what}: {}", source_chain(&*self.source))?;
        write_summary(f, &self.call)
    }
}

impl StdError for TransportError {}

/// `error` and each of its sources, joined by `: ` (reqwest's own message is only the outermost).
pub(crate) fn source_chain(error: &dyn StdError) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(inner) = cause {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        cause = inner.source();
    }
    text
}

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
    /// A stream of events broke off after it had begun; nothing is retried past that point.
    Stream(StreamError),
}

impl<E> SdkError<E> {
    /// The service error, if Tencent Cloud answered with one.
    pub fn as_service_error(&self) -> Option<&E> {
        match self {
            Self::Service(e) => Some(e),
            _ => None,
        }
    }

    /// The service error, if Tencent Cloud answered with one, taken out of the `SdkError`;
    /// `Err` gives the error back when it is of another kind.
    pub fn into_service_error(self) -> Result<E, Self> {
        match self {
            Self::Service(e) => Ok(e),
            other => Err(other),
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
            Self::Stream(e) => SdkError::Stream(e),
        }
    }
}

impl<E: ProvideErrorMetadata> SdkError<E> {
    /// The Tencent Cloud error code, for service errors.
    pub fn code(&self) -> Option<&str> {
        self.as_service_error().map(|e| e.meta().code())
    }

    /// The Tencent Cloud error message, for service errors.
    pub fn message(&self) -> Option<&str> {
        self.as_service_error().map(|e| e.meta().message())
    }

    /// The request id, for service errors, for success answers that could not be read and for
    /// streams that broke off.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::Response(e) => e.request_id(),
            Self::Stream(e) => e.request_id(),
            _ => self.as_service_error().map(|e| e.meta().request_id()),
        }
    }

    /// How many attempts the call made: 0 when nothing was sent (validation or credentials
    /// failed), 1 when the first answer was final, more when the call was retried.
    pub fn attempts(&self) -> u32 {
        match self {
            Self::Validation(_) | Self::Credentials(_) => 0,
            Self::Service(e) => e.meta().attempts(),
            Self::Timeout(e) => e.attempts(),
            Self::Transport(e) => e.attempts(),
            Self::Response(e) => e.attempts(),
            Self::Stream(e) => e.attempts(),
        }
    }

    /// Whether the request may have taken effect although the call failed: an attempt of a
    /// write may have reached the service before the connection failed, the time ran out, a
    /// gateway answered 5xx or the service reported `InternalError`. When `true`, check the
    /// resource's state before acting on the failure (e.g. before creating again or paging
    /// someone); `Display` says it too. Always `false` for reads and for errors raised before
    /// anything was sent.
    pub fn may_have_taken_effect(&self) -> bool {
        match self {
            Self::Validation(_) | Self::Credentials(_) => false,
            Self::Service(e) => e.meta().may_have_taken_effect(),
            Self::Timeout(e) => e.may_have_taken_effect(),
            Self::Transport(e) => e.may_have_taken_effect(),
            Self::Response(e) => e.may_have_taken_effect(),
            Self::Stream(e) => e.may_have_taken_effect(),
        }
    }

    /// Why the runtime did not retry a failure that a retry might have cured: the action is
    /// not safe to repeat, the service's retry budget is spent, or the deadline is too close.
    /// `None` when the failure is final or the attempts ran out.
    pub fn retry_refusal(&self) -> Option<RetryRefusal> {
        match self {
            Self::Validation(_) | Self::Credentials(_) => None,
            Self::Service(e) => e.meta().retry_refusal(),
            Self::Timeout(e) => e.retry_refusal(),
            Self::Transport(e) => e.retry_refusal(),
            Self::Response(e) => e.retry_refusal(),
            Self::Stream(_) => None,
        }
    }

    /// Whether the failure is transient: throttling, timeouts, connection failures and HTTP
    /// 5xx/429 without a Tencent Cloud error body; `InternalError`/`ServiceUnavailable` only
    /// for a request that was safe to repeat. A transient failure of a write may still have
    /// acted: check [`may_have_taken_effect`](Self::may_have_taken_effect) before repeating it.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Validation(_) | Self::Credentials(_) => false,
            Self::Service(e) => e.meta().is_retryable(),
            Self::Timeout(_) | Self::Transport(_) => true,
            Self::Response(e) => e.is_retryable(),
            Self::Stream(_) => false,
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
            Self::Stream(e) => e.fmt(f),
        }
    }
}

impl<E: StdError + 'static> StdError for SdkError<E> {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Self::Validation(_) | Self::Response(_) => None,
            Self::Stream(e) => e.source(),
            Self::Credentials(e) => e.source(),
            Self::Timeout(e) => e.source(),
            Self::Service(e) => e.source(),
            Self::Transport(e) => e.source(),
        }
    }
}

impl SdkError<ServiceError> {
    /// Records what the call did before ending with this error; errors raised before anything
    /// was sent keep their 0 attempts.
    #[must_use]
    pub(crate) fn with_call(self, call: CallSummary) -> Self {
        match self {
            Self::Service(mut e) => {
                e.call = call;
                Self::Service(e)
            }
            Self::Timeout(e) => Self::Timeout(e.with_call(call)),
            Self::Transport(mut e) => {
                e.call = call;
                Self::Transport(e)
            }
            Self::Response(mut e) => {
                e.call = call;
                Self::Response(e)
            }
            // Nothing was sent, or the stream had begun: the call's summary is already in it.
            kept @ (Self::Validation(_) | Self::Credentials(_) | Self::Stream(_)) => kept,
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
        let sdk: SdkError<ServiceError> = SdkError::Service(e.clone());
        assert_eq!(sdk.code(), Some("AuthFailure.SignatureFailure"));
        assert_eq!(sdk.as_service_error(), Some(&e));
        assert_eq!(
            sdk.request_id(),
            Some("b5b41468-520d-4192-b42f-595cc34b6c1c")
        );
        assert!(sdk.to_string().contains("request id b5b41468"));
        assert_eq!(sdk.into_service_error().ok(), Some(e));
        let timeout: SdkError<ServiceError> = SdkError::Timeout(TimeoutError::new(
            TimeoutKind::Attempt,
            Duration::from_secs(1),
        ));
        assert!(matches!(
            timeout.into_service_error(),
            Err(SdkError::Timeout(_))
        ));
    }

    #[test]
    fn final_errors_say_how_many_attempts_were_made() {
        let retried = SdkError::Service(ServiceError::new(
            "RequestLimitExceeded",
            "slow down",
            "r-3",
        ))
        .with_call(CallSummary::attempts(3));
        assert_eq!(retried.attempts(), 3);
        assert_eq!(
            retried.to_string(),
            "RequestLimitExceeded: slow down (request id r-3), after 3 attempts"
        );
        let once = SdkError::Service(ServiceError::new("FailedOperation", "no", "r-1"));
        assert_eq!(once.attempts(), 1);
        assert_eq!(once.to_string(), "FailedOperation: no (request id r-1)");

        let response: SdkError<ServiceError> = SdkError::Response(ResponseError::new(
            ResponseErrorKind::NotJson,
            502,
            b"<html>",
        ))
        .with_call(CallSummary::attempts(2));
        assert_eq!(response.attempts(), 2);
        assert!(
            response.to_string().ends_with(", after 2 attempts"),
            "{response}"
        );
        let transport: SdkError<ServiceError> = SdkError::Transport(TransportError::new(
            TransportErrorKind::Connect,
            "connection refused",
        ))
        .with_call(CallSummary::attempts(3));
        assert_eq!(
            transport.to_string(),
            "could not connect: connection refused, after 3 attempts"
        );
        let timeout: SdkError<ServiceError> = SdkError::Timeout(TimeoutError::new(
            TimeoutKind::Attempt,
            Duration::from_secs(1),
        ))
        .with_call(CallSummary::attempts(3));
        assert_eq!(timeout.attempts(), 3);
        assert_eq!(
            timeout.to_string(),
            "attempt timed out after 1s, after 3 attempts"
        );
    }

    #[test]
    fn final_errors_say_when_the_request_may_have_taken_effect_and_why_it_was_not_retried() {
        let reset: SdkError<ServiceError> = SdkError::Transport(TransportError::new(
            TransportErrorKind::Request,
            "connection reset by peer",
        ))
        .with_call(CallSummary {
            attempts: 1,
            may_have_taken_effect: true,
            retry_refusal: Some(RetryRefusal::NotSafeToRepeat),
        });
        assert!(reset.may_have_taken_effect());
        assert_eq!(reset.retry_refusal(), Some(RetryRefusal::NotSafeToRepeat));
        assert_eq!(
            reset.to_string(),
            "connection failed before the answer arrived: connection reset by peer; the request \
             may have taken effect (not retried: the action is not safe to repeat)"
        );
        let after_lost_answer: SdkError<ServiceError> = SdkError::Service(ServiceError::new(
            "UnsupportedOperation.InstanceStateTerminated",
            "terminated",
            "r-2",
        ))
        .with_call(CallSummary {
            attempts: 2,
            may_have_taken_effect: true,
            retry_refusal: None,
        });
        assert_eq!(
            after_lost_answer.to_string(),
            "UnsupportedOperation.InstanceStateTerminated: terminated (request id r-2), after 2 \
             attempts; the request may have taken effect"
        );
        let budget: SdkError<ServiceError> =
            SdkError::Response(ResponseError::new(ResponseErrorKind::HttpStatus, 503, b""))
                .with_call(CallSummary {
                    attempts: 2,
                    may_have_taken_effect: false,
                    retry_refusal: Some(RetryRefusal::BudgetExhausted),
                });
        assert!(!budget.may_have_taken_effect());
        assert_eq!(budget.retry_refusal(), Some(RetryRefusal::BudgetExhausted));
        assert!(
            budget.to_string().ends_with(
                ", after 2 attempts; not retried: the retry budget of this service is spent"
            ),
            "{budget}"
        );
    }

    #[test]
    fn errors_raised_before_sending_count_zero_attempts() {
        let validation: SdkError<ServiceError> =
            SdkError::Validation(ValidationError::new("Limit", "too big"))
                .with_call(CallSummary::attempts(3));
        assert_eq!(validation.attempts(), 0);
        let credentials: SdkError<ServiceError> =
            SdkError::Credentials(CredentialsError::Provider("down".to_owned()))
                .with_call(CallSummary::attempts(2));
        assert_eq!(credentials.attempts(), 0);
    }

    #[test]
    fn operation_timeout_keeps_the_previous_attempts_error_as_its_source() {
        let previous = SdkError::Service(ServiceError::new("InternalError", "oops", "r-9"));
        let timeout = TimeoutError::new(TimeoutKind::Operation, Duration::from_millis(400))
            .with_call(CallSummary::attempts(2))
            .with_last_error(Some(previous));
        assert_eq!(
            timeout.last_error().and_then(SdkError::code),
            Some("InternalError")
        );
        let sdk: SdkError<ServiceError> = SdkError::Timeout(timeout);
        let source = StdError::source(&sdk).expect("the last attempt's error is the source");
        assert_eq!(source.to_string(), "InternalError: oops (request id r-9)");
        assert_eq!(
            sdk.to_string(),
            "operation timed out after 400ms, after 2 attempts"
        );
        let bare = TimeoutError::new(TimeoutKind::Operation, Duration::from_millis(400));
        assert!(StdError::source(&bare).is_none());
    }

    #[test]
    fn internal_error_is_retryable_only_for_requests_safe_to_repeat() {
        let e = ServiceError::new("InternalError", "oops", "r");
        assert!(!e.is_retryable());
        assert!(e.clone().with_repeatable_request(true).is_retryable());
        assert!(ServiceError::new("RequestLimitExceeded.UinLimitExceeded", "", "").is_retryable());
        assert!(
            !ServiceError::new("FailedOperation", "", "")
                .with_repeatable_request(true)
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
