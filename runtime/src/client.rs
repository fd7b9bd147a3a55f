//! The client: one non-generic call path with signing, retries, deadlines and tracing.

use std::time::Instant;

use bytes::Bytes;
use serde::de::DeserializeOwned;
use serde_json::Value;
use tracing::{Instrument, debug, debug_span, field, info_span};

use crate::clock::unix_seconds;
use crate::config::Config;
use crate::credentials::Credentials;
use crate::error::{
    ResponseError, ResponseErrorKind, SdkError, ServiceError, TimeoutError, TimeoutKind,
};
use crate::response::decode;
use crate::retry::RetryReason;
use crate::transport::{AttemptError, AttemptRequest, send_attempt};
use crate::validate::ValidationError;

/// One API call as generated clients describe it.
#[derive(Clone, Debug)]
pub struct Operation<'a> {
    /// The service name, e.g. `cvm` (also the TC3 credential scope's service).
    pub service: &'a str,
    /// The API version, e.g. `2017-03-12`.
    pub version: &'a str,
    /// The action, e.g. `TerminateInstances`.
    pub action: &'a str,
    /// The action cannot run without `X-TC-Region`.
    pub region_required: bool,
    /// The request carries an idempotency token, so server faults are safe to retry.
    pub idempotent: bool,
    /// The serialized JSON request, sent unchanged on every attempt.
    pub body: Vec<u8>,
}

/// A Tencent Cloud API client; cheap to clone (clones share the configuration's pool).
#[derive(Clone, Debug)]
pub struct Client {
    config: Config,
}

impl Client {
    /// A client using `config`.
    pub fn new(config: &Config) -> Self {
        Self {
            config: config.clone(),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Calls any action with a JSON body and returns the `Response` object, like the official
    /// SDKs' common client. A non-empty string `ClientToken` in the body marks the request as
    /// idempotent. The region, if configured, is sent but not required.
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
        let idempotent = body
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
            idempotent,
            body,
        })
        .await
    }

    /// Runs an operation: checks it, then signs and sends attempts until one succeeds, a
    /// non-retryable error arrives, or attempts, budget or deadline run out.
    pub async fn invoke(&self, op: Operation<'_>) -> Result<Value, SdkError<ServiceError>> {
        check_name("service", op.service, |b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'
        })?;
        check_name("version", op.version, |b| b.is_ascii_digit() || b == b'-')?;
        check_name("action", op.action, |b| b.is_ascii_alphanumeric())?;
        if op.region_required && self.config.region().is_none() {
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
        let limit = self.config.inner.operation_timeout;
        let deadline = limit.map(|limit| Instant::now() + limit);
        let mut op = op;
        let body = Bytes::from(std::mem::take(&mut op.body));
        // Fetching credentials counts against the deadline: a provider may do I/O.
        let run = async move {
            let credentials = self.config.inner.credentials.provide_credentials().await?;
            self.attempts(&op, body, &credentials, deadline, &call_span)
                .await
        };
        match limit {
            None => run.instrument(span).await,
            Some(limit) => tokio::time::timeout(limit, run.instrument(span))
                .await
                .unwrap_or_else(|_| {
                    Err(SdkError::Timeout(TimeoutError::new(
                        TimeoutKind::Operation,
                        limit,
                    )))
                }),
        }
    }

    async fn attempts(
        &self,
        op: &Operation<'_>,
        body: Bytes,
        credentials: &Credentials,
        deadline: Option<Instant>,
        call_span: &tracing::Span,
    ) -> Result<Value, SdkError<ServiceError>> {
        let inner = &self.config.inner;
        let max_attempts = inner.retry.attempts();
        let mut retry_tokens = 0_u32;
        let mut attempt = 1_u32;
        loop {
            call_span.record("attempts", attempt);
            let result = self
                .attempt(op, credentials, body.clone(), attempt, call_span)
                .await;
            let error = match result {
                Ok(response) => {
                    inner.budget.on_success(retry_tokens);
                    return Ok(response);
                }
                Err(error) => error,
            };
            if !error.is_retryable() || attempt >= max_attempts {
                return Err(error);
            }
            let reason = match error {
                SdkError::Timeout(_) | SdkError::Transport(_) => RetryReason::Transient,
                _ => RetryReason::Error,
            };
            let backoff = inner.retry.backoff(attempt, inner.jitter.fraction());
            if deadline.is_some_and(|d| Instant::now() + backoff >= d) {
                debug!(error = %error, ?backoff, "backoff would pass the deadline; not retrying");
                return Err(error);
            }
            let Some(cost) = inner.budget.acquire(reason) else {
                debug!(error = %error, "retry budget exhausted; not retrying");
                return Err(error);
            };
            retry_tokens = retry_tokens.saturating_add(cost);
            debug!(error = %error, ?backoff, attempt, "retrying");
            inner.clock.sleep(backoff).await;
            attempt += 1;
        }
    }

    async fn attempt(
        &self,
        op: &Operation<'_>,
        credentials: &Credentials,
        body: Bytes,
        attempt: u32,
        call_span: &tracing::Span,
    ) -> Result<Value, SdkError<ServiceError>> {
        let inner = &self.config.inner;
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
            credentials,
            timestamp,
            body,
        };
        let attempt_span = span.clone();
        async move {
            let limit = inner.attempt_timeout;
            let sent = tokio::time::timeout(limit, send_attempt(&self.config, &request)).await;
            let (status, bytes) = match sent {
                Err(_) => {
                    return Err(SdkError::Timeout(TimeoutError::new(
                        TimeoutKind::Attempt,
                        limit,
                    )));
                }
                Ok(Err(AttemptError::Transport(e))) => return Err(SdkError::Transport(e)),
                Ok(Err(AttemptError::Response(e))) => return Err(SdkError::Response(e)),
                Ok(Ok(answer)) => answer,
            };
            attempt_span.record("status", status);
            let decoded = decode(status, &bytes, op.idempotent);
            let request_id = match &decoded {
                Ok(response) => response.get("RequestId").and_then(Value::as_str),
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
            decoded
        }
        .instrument(span)
        .await
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
/// generated error enum). The one generic layer over [`Client::invoke`].
pub async fn send<O: DeserializeOwned, E: From<ServiceError>>(
    client: &Client,
    op: Operation<'_>,
) -> Result<O, SdkError<E>> {
    let response = client
        .invoke(op)
        .await
        .map_err(|e| e.map_service_error(E::from))?;
    serde_json::from_value::<O>(response.clone()).map_err(|e| {
        let text = serde_json::to_vec(&response).unwrap_or_default();
        SdkError::Response(
            ResponseError::new(ResponseErrorKind::Deserialize, 200, &text)
                .with_detail(e.to_string()),
        )
    })
}
