//! The client: one non-generic call path with signing, retries, deadlines and tracing.

use std::borrow::Cow;
use std::fmt;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde_json::Value;
use tokio::time::Instant;
use tracing::{Instrument, debug, debug_span, field, info, info_span};

use crate::call_options::{CallOptions, Prepared};
use crate::clock::unix_seconds;
use crate::config::{Config, ServiceRoute};
use crate::credentials::Credentials;
use crate::error::{
    CallSummary, ResponseError, ResponseErrorKind, RetryRefusal, SdkError, ServiceError,
    TimeoutError, TimeoutKind, TransportError, TransportErrorKind,
};
use crate::output;
use crate::response::{Answer, decode};
use crate::retry::{
    Repeatability, RetryReason, Verdict, attempt_may_have_acted, attempt_was_refused,
};
use crate::transport::{AttemptError, AttemptRequest, Opened, Origin, open_attempt, send_attempt};
use crate::validate::ValidationError;

/// One API call as generated clients describe it. `Debug` shows the body's size, not its
/// content: a request may carry a password (e.g. `LoginSettings.Password` of `RunInstances`).
#[derive(Clone)]
pub struct Operation<'a> {
    /// The service name, e.g. `cvm` (also the TC3 credential scope's service).
    pub service: &'a str,
    /// The API version, e.g. `2017-03-12`.
    pub version: &'a str,
    /// The action, e.g. `TerminateInstances`.
    pub action: &'a str,
    /// The action cannot run without `X-TC-Region`.
    pub region_required: bool,
    /// Whether the action may be sent again after an attempt whose outcome is unknown.
    pub repeatability: Repeatability,
    /// The serialized JSON request, sent unchanged on every attempt.
    pub body: Vec<u8>,
    /// The host the action is served on under the root domain (`es.ai` for
    /// `es.ai.tencentcloudapi.com`), when it is not the service's own; the endpoint override
    /// still applies. The retry budget is the host's.
    pub host: Option<&'a str>,
    /// Settings of this call alone, over the configuration's.
    pub options: CallOptions,
}

impl fmt::Debug for Operation<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Operation")
            .field("service", &self.service)
            .field("version", &self.version)
            .field("action", &self.action)
            .field("region_required", &self.region_required)
            .field("repeatability", &self.repeatability)
            .field("body", &format_args!("<{} bytes>", self.body.len()))
            .field("options", &self.options)
            .finish()
    }
}

/// A Tencent Cloud API client; cheap to clone (clones share the configuration's pool).
#[derive(Clone)]
pub struct Client {
    inner: Arc<ClientInner>,
}

struct ClientInner {
    config: Config,
    /// The route of the first service called, kept: a client usually calls one service, and
    /// its calls then find their origin and budget without a lookup under the
    /// configuration's locks, which every worker thread would contend for.
    route: OnceLock<ServiceRoute>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.inner.config)
            .finish()
    }
}

impl Client {
    /// A client using `config`.
    pub fn new(config: &Config) -> Self {
        Self {
            inner: Arc::new(ClientInner {
                config: config.clone(),
                route: OnceLock::new(),
            }),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// `service`'s route: the kept one, or looked up (and kept if none is yet).
    fn route(&self, service: &str) -> Result<Cow<'_, ServiceRoute>, String> {
        let kept = match self.inner.route.get() {
            Some(kept) => kept,
            None => {
                let route = self.config().route_for(service)?;
                self.inner.route.get_or_init(|| route)
            }
        };
        if *kept.service == *service {
            return Ok(Cow::Borrowed(kept));
        }
        self.config().route_for(service).map(Cow::Owned)
    }

    /// Calls any action with a JSON body and returns the `Response` object, like the official
    /// SDKs' common client. The action's [`Repeatability`] comes from its name (the read
    /// families) and from a non-empty string `ClientToken` in the body, as
    /// [`Repeatability::of_action`] says. The region, if configured, is sent but not required.
    pub async fn call(
        &self,
        service: &str,
        version: &str,
        action: &str,
        body: &Value,
    ) -> Result<Value, SdkError<ServiceError>> {
        if !body.is_object() {
            return Err(SdkError::Validation(ValidationError::new(
                "body",
                "the request body must be a JSON object",
            )));
        }
        let has_token = body
            .get("ClientToken")
            .and_then(Value::as_str)
            .is_some_and(|token| !token.is_empty());
        let body = serde_json::to_vec(body).map_err(|e| {
            SdkError::Validation(ValidationError::new(
                "body",
                format!("cannot serialize: {e}"),
            ))
        })?;
        self.invoke(Operation {
            service,
            version,
            action,
            region_required: false,
            repeatability: Repeatability::of_action(action, has_token),
            body,
            host: None,
            options: CallOptions::default(),
        })
        .await
    }

    /// Runs an operation: checks it, then signs and sends attempts until one succeeds, a
    /// non-retryable error arrives, or attempts, budget or deadline run out.
    pub(crate) async fn invoke(&self, op: Operation<'_>) -> Result<Value, SdkError<ServiceError>> {
        let repeat = op.repeatability;
        let (answer, attempts) = self.invoke_counting::<Whole>(op).await?;
        answer
            .to_value()
            .map_err(|e| SdkError::Response(e.with_call(success_summary(repeat, attempts))))
    }

    /// [`invoke`](Self::invoke), taking the answer as `X` does, also returning how many
    /// attempts the success took.
    pub(crate) async fn invoke_counting<X: Exchange>(
        &self,
        op: Operation<'_>,
    ) -> Result<(X::Reply, u32), SdkError<ServiceError>> {
        check_name("service", op.service, |b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'
        })?;
        check_name("version", op.version, |b| b.is_ascii_digit() || b == b'-')?;
        check_name("action", op.action, |b| b.is_ascii_alphanumeric())?;
        if let Some(host) = op.host {
            check_name("host", host, |b| {
                b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.'
            })?;
        }
        let options = op.options.prepare()?;
        let region = options.as_ref().and_then(|o| o.region.as_deref());
        if op.region_required && region.or(self.config().region()).is_none() {
            return Err(SdkError::Validation(ValidationError::new(
                "Region",
                format!(
                    "{}.{} requires a region; set ConfigBuilder::region or TENCENTCLOUD_REGION",
                    op.service, op.action
                ),
            )));
        }
        let span = info_span!(
            "tencentcloud.call",
            service = op.service,
            action = op.action,
            version = op.version,
            attempts = field::Empty,
            request_id = field::Empty,
        );
        let call_span = span.clone();
        let started = Instant::now();
        let deadline = options
            .as_ref()
            .and_then(|o| o.operation_timeout)
            .or(self.inner.config.inner.operation_timeout)
            .map(|limit| Deadline::starting(started, limit));
        let (service, action) = (op.service, op.action);
        let result = async move {
            // Fetching credentials counts against the deadline: a provider may do I/O.
            let mut first_attempt = started;
            let credentials = match &self.inner.config.inner.credentials {
                None => None,
                Some(provider) => match provider.fixed_credentials() {
                    Some(fixed) => Some(Cow::Borrowed(fixed)),
                    None => {
                        let provide = provider.provide_credentials();
                        let fetched = match deadline {
                            None => provide.await?,
                            Some(deadline) => tokio::time::timeout(deadline.remaining(), provide)
                                .await
                                .map_err(|_| SdkError::Timeout(deadline.expired()))??,
                        };
                        first_attempt = Instant::now();
                        Some(Cow::Owned(fetched))
                    }
                },
            };
            let times = CallTimes {
                first_attempt,
                deadline,
            };
            let call = CallParts {
                op: &op,
                credentials: credentials.as_deref(),
                span: &call_span,
                options: options.as_ref(),
            };
            self.attempts::<X>(&call, times).await
        }
        .instrument(span)
        .await;
        // Without a subscriber for it, the latency is not measured.
        if tracing::enabled!(tracing::Level::INFO) {
            log_call::<X>(service, action, &result, started.elapsed());
        }
        result
    }

    async fn attempts<X: Exchange>(
        &self,
        call: &CallParts<'_, '_>,
        times: CallTimes,
    ) -> Result<(X::Reply, u32), SdkError<ServiceError>> {
        let (op, call_span) = (call.op, call.span);
        let deadline = times.deadline;
        let inner = &self.inner.config.inner;
        let retry = call
            .options
            .and_then(|o| o.retry.as_ref())
            .unwrap_or(&inner.retry);
        let attempt_timeout = call
            .options
            .and_then(|o| o.attempt_timeout)
            .unwrap_or(inner.attempt_timeout);
        let max_attempts = retry.attempts();
        let repeat = op.repeatability;
        let name = op.host.unwrap_or(op.service);
        let route = match call.options.and_then(|o| o.region.as_deref()) {
            None => self.route(name),
            Some(region) => self.config().route_in(name, Some(region)).map(Cow::Owned),
        };
        let route = route.map_err(|e| {
            SdkError::Transport(TransportError::new(TransportErrorKind::Request, e))
                .with_call(CallSummary::attempts(0))
        })?;
        let budget = &route.budget;
        let mut retry_tokens = 0_u32;
        let mut last_error = None;
        // Whether an attempt so far may have acted. A read acts on nothing. The token makes
        // every attempt of an idempotent write share one outcome, which the service's latest
        // answer reports, unless that attempt was refused unexecuted (throttled, not
        // connected): then an earlier attempt may still have acted. Without a token, any
        // attempt may have.
        let mut maybe_acted = false;
        let mut attempt = 1_u32;
        loop {
            if !call_span.is_disabled() {
                call_span.record("attempts", attempt);
            }
            let now = if attempt == 1 {
                times.first_attempt
            } else {
                Instant::now()
            };
            let limit = AttemptLimit::new(attempt_timeout, deadline, now);
            if limit.wait.is_zero() && limit.on_expiry.kind() == TimeoutKind::Operation {
                let call = CallSummary {
                    may_have_taken_effect: maybe_acted,
                    ..CallSummary::attempts(attempt - 1)
                };
                let timeout = limit.on_expiry.with_call(call);
                return Err(SdkError::Timeout(timeout.with_last_error(last_error)));
            }
            let result = self.attempt::<X>(call, &route.origin, attempt, limit).await;
            let error = match result {
                Ok(response) => {
                    budget.on_success(retry_tokens);
                    return Ok((response, attempt));
                }
                Err(error) => error,
            };
            let acted = attempt_may_have_acted(&error);
            maybe_acted = match repeat {
                Repeatability::Read => false,
                Repeatability::Idempotent if attempt_was_refused(&error) => maybe_acted,
                Repeatability::Idempotent => acted,
                _ => maybe_acted || acted,
            };
            let mut call = CallSummary {
                may_have_taken_effect: maybe_acted,
                ..CallSummary::attempts(attempt)
            };
            let error = match error {
                SdkError::Timeout(timeout) if timeout.kind() == TimeoutKind::Operation => {
                    let timeout = timeout.with_call(call).with_last_error(last_error);
                    return Err(SdkError::Timeout(timeout));
                }
                error => error,
            };
            let refusal = match retry.verdict(&error, repeat) {
                Verdict::Final => return Err(error.with_call(call)),
                Verdict::Refused(refusal) => Some(refusal),
                Verdict::Retry if attempt >= max_attempts => return Err(error.with_call(call)),
                Verdict::Retry => None,
            };
            let reason = match error {
                SdkError::Timeout(_) | SdkError::Transport(_) => RetryReason::Transient,
                _ => RetryReason::Error,
            };
            let backoff = retry.backoff(attempt, inner.jitter.fraction());
            let refusal = refusal.or_else(|| {
                if deadline.is_some_and(|d| backoff >= d.remaining()) {
                    return Some(RetryRefusal::DeadlineTooClose);
                }
                match budget.acquire(reason) {
                    Some(cost) => {
                        retry_tokens = retry_tokens.saturating_add(cost);
                        None
                    }
                    None => Some(RetryRefusal::BudgetExhausted),
                }
            });
            if let Some(refusal) = refusal {
                debug!(error = %error, %refusal, "not retrying");
                call.retry_refusal = Some(refusal);
                return Err(error.with_call(call));
            }
            debug!(error = %error, ?backoff, attempt, "retrying");
            inner.clock.sleep(backoff).await;
            last_error = Some(error.with_call(call));
            attempt += 1;
        }
    }

    async fn attempt<X: Exchange>(
        &self,
        call: &CallParts<'_, '_>,
        origin: &Origin,
        attempt: u32,
        limit: AttemptLimit,
    ) -> Result<X::Reply, SdkError<ServiceError>> {
        let (op, call_span) = (call.op, call.span);
        let inner = &self.inner.config.inner;
        let timestamp = unix_seconds(inner.clock.now());
        let span = debug_span!(
            "tencentcloud.attempt",
            attempt,
            timestamp,
            status = field::Empty,
            request_id = field::Empty,
            error_code = field::Empty,
        );
        let request = AttemptRequest {
            service: op.service,
            version: op.version,
            action: op.action,
            origin,
            credentials: call.credentials,
            timestamp,
            body: &op.body,
            options: call.options,
        };
        let attempt_span = span.clone();
        async move {
            let repeatable = op.repeatability.is_safe_to_repeat();
            let exchange = X::exchange(self.config(), &request, repeatable);
            let (status, decoded) = match tokio::time::timeout(limit.wait, exchange).await {
                Err(_) => {
                    let call = CallSummary::attempts(attempt);
                    return Err(SdkError::Timeout(limit.on_expiry.with_call(call)));
                }
                Ok(Err(AttemptError::Transport(e))) => return Err(SdkError::Transport(e)),
                Ok(Err(AttemptError::Response(e))) => return Err(SdkError::Response(e)),
                Ok(Ok(answer)) => answer,
            };
            // A disabled span still looks each field up by name; most calls are not traced.
            if !attempt_span.is_disabled() || !call_span.is_disabled() {
                record_answer::<X>(&attempt_span, call_span, status, &decoded);
            }
            decoded
        }
        .instrument(span)
        .await
    }
}

/// How an attempt's answer is taken: read whole ([`Whole`]), or opened as a stream of events
/// when it is one ([`Opening`]).
pub(crate) trait Exchange {
    /// What a success gives.
    type Reply: Send;

    /// Sends `request` and takes its answer: the status, and the reply or the error the answer
    /// carries; `Err` when no answer came.
    fn exchange<'a>(
        config: &'a Config,
        request: &'a AttemptRequest<'a>,
        repeatable: bool,
    ) -> impl Future<Output = ExchangeResult<Self::Reply>> + Send + 'a;

    fn request_id(reply: &Self::Reply) -> Option<&str>;
}

type ExchangeResult<R> = Result<(u16, Result<R, SdkError<ServiceError>>), AttemptError>;

/// The answer read whole and decoded.
pub(crate) struct Whole;

impl Exchange for Whole {
    type Reply = Answer;

    async fn exchange<'a>(
        config: &'a Config,
        request: &'a AttemptRequest<'a>,
        repeatable: bool,
    ) -> ExchangeResult<Answer> {
        let (status, body) = send_attempt(config, request).await?;
        Ok((status, decode(status, body, repeatable)))
    }

    fn request_id(answer: &Answer) -> Option<&str> {
        answer.request_id()
    }
}

/// The answer of a call that asked for a stream.
pub(crate) enum Reply {
    /// The service answered whole after all.
    Whole(Answer),
    /// A stream of events, not yet read.
    Events(reqwest::Response),
}

/// The answer opened as a stream of events when it is one, else read whole.
pub(crate) struct Opening;

impl Exchange for Opening {
    type Reply = Reply;

    async fn exchange<'a>(
        config: &'a Config,
        request: &'a AttemptRequest<'a>,
        repeatable: bool,
    ) -> ExchangeResult<Reply> {
        Ok(match open_attempt(config, request).await? {
            Opened::Whole(status, body) => {
                (status, decode(status, body, repeatable).map(Reply::Whole))
            }
            Opened::Events(response) => {
                let status = response.status().as_u16();
                let reply = if response.status().is_success() {
                    Ok(Reply::Events(response))
                } else {
                    let error = ResponseError::new(ResponseErrorKind::HttpStatus, status, &[]);
                    Err(SdkError::Response(error))
                };
                (status, reply)
            }
        })
    }

    fn request_id(reply: &Reply) -> Option<&str> {
        match reply {
            Reply::Whole(answer) => answer.request_id(),
            Reply::Events(response) => Self::request_id_of(response),
        }
    }
}

impl Opening {
    /// The request id of a streamed answer, which its `X-TC-RequestId` header carries.
    pub(crate) fn request_id_of(response: &reqwest::Response) -> Option<&str> {
        response
            .headers()
            .get("x-tc-requestid")
            .and_then(|id| id.to_str().ok())
    }
}

/// Records what an attempt's answer said on the attempt's and the call's spans.
fn record_answer<X: Exchange>(
    attempt_span: &tracing::Span,
    call_span: &tracing::Span,
    status: u16,
    decoded: &Result<X::Reply, SdkError<ServiceError>>,
) {
    attempt_span.record("status", status);
    let request_id = match decoded {
        Ok(reply) => X::request_id(reply),
        Err(SdkError::Service(e)) => {
            attempt_span.record("error_code", e.code());
            Some(e.request_id())
        }
        Err(_) => None,
    };
    if let Some(id) = request_id {
        attempt_span.record("request_id", id);
        call_span.record("request_id", id);
    }
}

/// The one `info` event of a call: what was called, its request id, how many attempts it
/// took, how long, and how it ended.
fn log_call<X: Exchange>(
    service: &str,
    action: &str,
    result: &Result<(X::Reply, u32), SdkError<ServiceError>>,
    latency: Duration,
) {
    let latency_ms = latency.as_secs_f64() * 1_000.0;
    match result {
        Ok((reply, attempts)) => info!(
            service,
            action,
            request_id = X::request_id(reply),
            attempts,
            latency_ms,
            outcome = "ok",
            "call finished"
        ),
        Err(error) => info!(
            service,
            action,
            request_id = error.request_id(),
            attempts = error.attempts(),
            latency_ms,
            outcome = "error",
            error_code = error.code(),
            may_have_taken_effect = error.may_have_taken_effect(),
            "call failed"
        ),
    }
}

/// What every attempt of one call shares.
struct CallParts<'a, 'op> {
    op: &'a Operation<'op>,
    /// `None`: sent unsigned.
    credentials: Option<&'a Credentials>,
    span: &'a tracing::Span,
    /// The call's own settings, checked.
    options: Option<&'a Prepared>,
}

/// When a call's first attempt began (as the call did, unless credentials had to be fetched:
/// the clock is read once for both), and when its time is up.
#[derive(Clone, Copy, Debug)]
struct CallTimes {
    first_attempt: Instant,
    deadline: Option<Deadline>,
}

/// The end of the whole operation's time.
#[derive(Clone, Copy, Debug)]
struct Deadline {
    /// `None` when the limit reaches beyond what `Instant` can represent: effectively no limit.
    at: Option<Instant>,
    limit: Duration,
}

impl Deadline {
    fn starting(now: Instant, limit: Duration) -> Self {
        Self {
            at: now.checked_add(limit),
            limit,
        }
    }

    fn remaining(&self) -> Duration {
        self.remaining_at(Instant::now())
    }

    fn remaining_at(&self, now: Instant) -> Duration {
        self.at
            .map_or(Duration::MAX, |at| at.saturating_duration_since(now))
    }

    /// The timeout the operation ends with, before any attempt is counted.
    fn expired(&self) -> TimeoutError {
        TimeoutError::new(TimeoutKind::Operation, self.limit).with_call(CallSummary::attempts(0))
    }
}

/// How long one attempt may take, and the timeout it ends with: its own limit, or the
/// operation's when the deadline comes first.
#[derive(Clone, Debug)]
struct AttemptLimit {
    wait: Duration,
    on_expiry: TimeoutError,
}

impl AttemptLimit {
    fn new(attempt_timeout: Duration, deadline: Option<Deadline>, now: Instant) -> Self {
        match deadline.map(|d| (d, d.remaining_at(now))) {
            Some((deadline, remaining)) if remaining < attempt_timeout => Self {
                wait: remaining,
                on_expiry: deadline.expired(),
            },
            _ => Self {
                wait: attempt_timeout,
                on_expiry: TimeoutError::new(TimeoutKind::Attempt, attempt_timeout),
            },
        }
    }
}

fn check_name(
    parameter: &str,
    value: &str,
    allowed: impl Fn(u8) -> bool,
) -> Result<(), SdkError<ServiceError>> {
    if value.is_empty() || !value.bytes().all(allowed) {
        return Err(SdkError::Validation(ValidationError::new(
            parameter,
            format!("{value:?} is not a valid {parameter} name"),
        )));
    }
    Ok(())
}

/// Runs `op` and decodes the `Response` object into `O`; service errors become `E` (a
/// generated error enum), and an `op` that could not be built (a request breaking a documented
/// rule) fails as it is, nothing sent. The one generic layer over `Client::invoke`. It owns
/// what it needs, so a generated `send()` returns this future as it is instead of wrapping it
/// in a future of its own for every action, which would cost each action's crate build time.
pub async fn send<O: DeserializeOwned, E: From<ServiceError>>(
    client: Client,
    op: Result<Operation<'static>, ValidationError>,
) -> Result<O, SdkError<E>> {
    let op = op?;
    let (service, action, repeat) = (op.service, op.action, op.repeatability);
    let (answer, attempts) = client
        .invoke_counting::<Whole>(op)
        .await
        .map_err(|e| e.map_service_error(E::from))?;
    read_output(
        &answer,
        (service, action),
        success_summary(repeat, attempts),
    )
}

/// Reads a success answer of `action` of `service` into `O`; when it cannot be read at all,
/// the error says the service reported success and keeps the answer.
pub(crate) fn read_output<O: DeserializeOwned, E>(
    answer: &Answer,
    (service, action): (&'static str, &'static str),
    call: CallSummary,
) -> Result<O, SdkError<E>> {
    match output::read::<O>(answer.response_json()) {
        Ok(decoded) => {
            output::warn_unread(service, action, &decoded.unread);
            Ok(decoded.output)
        }
        Err(unreadable) => Err(SdkError::Response(
            ResponseError::unreadable_success(
                200,
                answer.body().clone(),
                answer.request_id(),
                unreadable.reason,
            )
            .with_call(call),
        )),
    }
}

/// A call the service answered with success, as an error about that answer reports it: a
/// write took effect.
pub(crate) fn success_summary(repeat: Repeatability, attempts: u32) -> CallSummary {
    CallSummary {
        may_have_taken_effect: repeat != Repeatability::Read,
        ..CallSummary::attempts(attempts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_debug_shows_the_body_size_not_a_password_in_it() {
        let op = Operation {
            service: "cvm",
            version: "2017-03-12",
            action: "RunInstances",
            region_required: true,
            repeatability: Repeatability::Idempotent,
            body: br#"{"LoginSettings":{"Password":"Hunter2!pass"}}"#.to_vec(),
            host: None,
            options: CallOptions::default(),
        };
        let debug = format!("{op:?}");
        assert!(
            debug.contains("RunInstances") && debug.contains("<45 bytes>"),
            "{debug}"
        );
        assert!(
            !debug.contains("Hunter2") && !debug.contains("72, 117"),
            "{debug}"
        );
    }

    #[test]
    fn a_client_keeps_its_first_services_route_and_looks_up_any_other() {
        let config = Config::builder()
            .without_signing()
            .region("ap-guangzhou")
            .build()
            .unwrap();
        let client = Client::new(&config);
        let cvm = client.route("cvm").unwrap().into_owned();
        assert!(matches!(client.route("cvm").unwrap(), Cow::Borrowed(_)));
        assert!(Arc::ptr_eq(
            &cvm.origin,
            &config.origin_for("cvm", None).unwrap()
        ));

        let vpc = client.route("vpc").unwrap();
        assert!(matches!(vpc, Cow::Owned(_)), "only the first route is kept");
        assert_eq!(vpc.origin.authority, "vpc.tencentcloudapi.com");
        assert!(
            !Arc::ptr_eq(&vpc.budget, &cvm.budget),
            "each service has its own budget"
        );
        assert!(Arc::ptr_eq(
            &vpc.budget,
            &client.route("vpc").unwrap().budget
        ));
        // A clone shares the kept route.
        assert!(matches!(
            client.clone().route("cvm").unwrap(),
            Cow::Borrowed(_)
        ));
    }

    #[tokio::test]
    async fn names_that_could_break_a_header_line_are_refused_before_sending() {
        let config = Config::builder()
            .without_signing()
            .region("ap-guangzhou")
            .endpoint("http://127.0.0.1:9")
            .build()
            .unwrap();
        let client = Client::new(&config);
        let op = |version, action| Operation {
            service: "cvm",
            version,
            action,
            region_required: false,
            repeatability: Repeatability::Read,
            body: b"{}".to_vec(),
            host: None,
            options: CallOptions::default(),
        };
        for (version, action, parameter) in [
            ("2017-03-12", "Describe\r\nX-Injected: 1", "action"),
            ("2017-03-12\n", "DescribeInstances", "version"),
            ("2017-03-12", "", "action"),
        ] {
            match client.invoke(op(version, action)).await {
                Err(SdkError::Validation(error)) => assert_eq!(error.parameter, parameter),
                other => panic!("expected {parameter} refused, got {other:?}"),
            }
        }
    }
}
