//! Retry policy: which failures are retried, how long to wait, and the retry budget.

use std::sync::Mutex;
use std::time::Duration;

use crate::error::{SdkError, ServiceError, TransportErrorKind};

/// How an error code reacts to a retry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeClass {
    /// Throttling (`RequestLimitExceeded` and its sub-codes): always retried after backoff.
    Throttling,
    /// A server fault (`InternalError`, `ServiceUnavailable`) that may or may not have executed
    /// the request: retried only when the request carries an idempotency token.
    RetryableIfIdempotent,
    /// Everything else, notably `LimitExceeded*` (a quota, not throttling), `AuthFailure.*`,
    /// `InvalidParameter*`, `MissingParameter`, `UnknownParameter`, `ResourceNotFound*`,
    /// `FailedOperation*` and `UnsupportedOperation*`.
    NotRetryable,
}

/// Classifies a Tencent Cloud error code.
///
/// Only the exact codes `InternalError` and `ServiceUnavailable` count as server faults: their
/// sub-codes (e.g. `InternalError.ParamError`) usually describe deterministic failures.
pub fn classify_code(code: &str) -> CodeClass {
    if code == "RequestLimitExceeded" || code.starts_with("RequestLimitExceeded.") {
        CodeClass::Throttling
    } else if code == "InternalError" || code == "ServiceUnavailable" {
        CodeClass::RetryableIfIdempotent
    } else {
        CodeClass::NotRetryable
    }
}

/// Which failures a request without an idempotency token (`ClientToken`) is retried after.
///
/// A request with a token is safe to repeat: Tencent Cloud executes it at most once. Without a
/// token, a timeout, a connection lost after sending, or an HTTP 5xx from a gateway leaves it
/// unknown whether the request acted; repeating a write then may do it twice (e.g. create two
/// instances). Reads are harmless to repeat either way, and the runtime cannot tell a read from
/// a write, so the choice is the caller's.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum TokenlessRetries {
    /// Retry every transient failure: failure to connect, connection reset, timeouts, HTTP
    /// 5xx/429 without a Tencent Cloud error body, and throttling. Best for reads and the
    /// default (it is what issue 2 of this project specifies); a write whose answer was lost may
    /// run twice.
    #[default]
    AllTransient,
    /// Retry only failures where the request certainly did not act: failure to connect
    /// (nothing was sent) and throttling (`RequestLimitExceeded*`, HTTP 429: refused unexecuted).
    /// Safe for writes without a token, at the cost of surfacing transient faults of reads too.
    OnlyNotExecuted,
}

/// Retry settings: attempts, backoff, retry budget, and what a request without an idempotency
/// token may be retried after.
///
/// What is retried (when attempts, budget and deadline allow): failure to connect, connection
/// reset, timeouts, HTTP 5xx/429 without a Tencent Cloud error body, `RequestLimitExceeded` and
/// its sub-codes; `InternalError` and `ServiceUnavailable` only when the request carries an
/// idempotency token. Never retried: everything else, notably `LimitExceeded*` (a quota),
/// `AuthFailure.*`, `InvalidParameter*`, `MissingParameter`, `UnknownParameter`,
/// `ResourceNotFound*`, `FailedOperation*` and `UnsupportedOperation*`.
///
/// **Trade-off for requests without a token.** By default a timeout or a lost connection is
/// retried even when the request carries no token, although the lost request may have acted; a
/// non-idempotent write can then run twice. Generated clients fill `ClientToken` for every
/// action that has one, which makes those safe. For token-less writes, choose
/// [`TokenlessRetries::OnlyNotExecuted`] with [`tokenless`](Self::tokenless).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryConfig {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    budget: Option<BudgetConfig>,
    tokenless: TokenlessRetries,
}

/// Token-bucket retry budget (the AWS SDK's standard mode): retries spend tokens, successes
/// return them, and an empty bucket stops retries while a service is down.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BudgetConfig {
    /// Tokens in a full bucket.
    pub capacity: u32,
    /// Tokens a retry after an error costs.
    pub retry_cost: u32,
    /// Tokens a retry after a timeout or connection failure costs.
    pub timeout_retry_cost: u32,
    /// Tokens a success at the first attempt returns.
    pub success_refund: u32,
}

impl Default for BudgetConfig {
    fn default() -> Self {
        Self {
            capacity: 500,
            retry_cost: 5,
            timeout_retry_cost: 10,
            success_refund: 1,
        }
    }
}

impl Default for RetryConfig {
    /// 3 attempts, full-jitter exponential backoff from 1 s capped at 20 s, default budget.
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(20),
            budget: Some(BudgetConfig::default()),
            tokenless: TokenlessRetries::AllTransient,
        }
    }
}

impl RetryConfig {
    /// A single attempt, never retried.
    pub fn disabled() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Total attempts including the first (at least 1; 0 is treated as 1).
    #[must_use]
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The backoff ceiling before the first retry; it doubles for each later retry.
    #[must_use]
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The largest backoff ceiling.
    #[must_use]
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// Sets the retry budget; `None` lets every retryable failure retry up to `max_attempts`.
    #[must_use]
    pub fn budget(mut self, budget: Option<BudgetConfig>) -> Self {
        self.budget = budget;
        self
    }

    /// Which failures a request without an idempotency token is retried after (default
    /// [`TokenlessRetries::AllTransient`]).
    #[must_use]
    pub fn tokenless(mut self, tokenless: TokenlessRetries) -> Self {
        self.tokenless = tokenless;
        self
    }

    /// Total attempts including the first.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// What a request without an idempotency token is retried after.
    pub fn tokenless_retries(&self) -> TokenlessRetries {
        self.tokenless
    }

    /// Whether `error`, the answer to a request that did (`idempotent`) or did not carry an
    /// idempotency token, may be retried under this policy (attempts, budget and deadline
    /// aside).
    pub(crate) fn allows_retry(&self, error: &SdkError<ServiceError>, idempotent: bool) -> bool {
        if !error.is_retryable() {
            return false;
        }
        if idempotent || self.tokenless == TokenlessRetries::AllTransient {
            return true;
        }
        match error {
            SdkError::Transport(e) => e.kind() == TransportErrorKind::Connect,
            SdkError::Service(e) => classify_code(e.code()) == CodeClass::Throttling,
            SdkError::Response(e) => e.status() == 429,
            _ => false,
        }
    }

    /// The retry budget, if any.
    pub fn budget_config(&self) -> Option<BudgetConfig> {
        self.budget
    }

    /// The backoff before retry number `retry` (1 for the first retry), given a jitter fraction
    /// in `[0, 1)`: full jitter, uniform between zero and `min(max, initial * 2^(retry-1))`.
    /// A jitter outside that range (or NaN, from a custom [`Jitter`](crate::clock::Jitter)) is
    /// clamped, and a ceiling too large to scale exactly is used as is, so no setting panics.
    pub fn backoff(&self, retry: u32, jitter: f64) -> Duration {
        let exponent = retry.saturating_sub(1).min(31);
        let ceiling = self
            .initial_backoff
            .saturating_mul(1_u32 << exponent)
            .min(self.max_backoff);
        let fraction = if jitter.is_nan() {
            0.0
        } else {
            jitter.clamp(0.0, 1.0)
        };
        Duration::try_from_secs_f64(ceiling.as_secs_f64() * fraction)
            .map_or(ceiling, |scaled| scaled.min(ceiling))
    }
}

/// Why a retry is wanted, which decides its cost in the budget.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryReason {
    /// A retryable error answer (throttling, server fault, HTTP 5xx/429).
    Error,
    /// A timeout or a connection failure.
    Transient,
}

/// The shared retry budget of one [`Config`](crate::Config).
#[derive(Debug)]
pub struct TokenBucket {
    config: Option<BudgetConfig>,
    tokens: Mutex<u32>,
}

impl TokenBucket {
    /// A full bucket; `None` means an unlimited budget.
    pub fn new(config: Option<BudgetConfig>) -> Self {
        Self {
            tokens: Mutex::new(config.map_or(0, |c| c.capacity)),
            config,
        }
    }

    /// Takes the cost of one retry; `None` when the bucket cannot pay, so the retry must not
    /// happen. Returns the tokens taken.
    pub fn acquire(&self, reason: RetryReason) -> Option<u32> {
        let Some(config) = self.config else {
            return Some(0);
        };
        let cost = match reason {
            RetryReason::Error => config.retry_cost,
            RetryReason::Transient => config.timeout_retry_cost,
        };
        let mut tokens = self.lock();
        if *tokens < cost {
            return None;
        }
        *tokens -= cost;
        Some(cost)
    }

    /// Records a successful operation: a first-attempt success adds the small refund, a success
    /// after retries returns what those retries took.
    pub fn on_success(&self, retry_tokens_spent: u32) {
        let Some(config) = self.config else {
            return;
        };
        let refund = if retry_tokens_spent == 0 {
            config.success_refund
        } else {
            retry_tokens_spent
        };
        let mut tokens = self.lock();
        *tokens = tokens.saturating_add(refund).min(config.capacity);
    }

    /// Tokens currently available (the capacity for an unlimited budget is not tracked: 0).
    pub fn available(&self) -> u32 {
        *self.lock()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, u32> {
        // The counter stays consistent even if a holder panicked: every update is one store.
        self.tokens.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification_table_matches_the_documented_policy() {
        let table = [
            ("RequestLimitExceeded", CodeClass::Throttling),
            (
                "RequestLimitExceeded.UinLimitExceeded",
                CodeClass::Throttling,
            ),
            (
                "RequestLimitExceeded.GlobalRegionUinLimitExceeded",
                CodeClass::Throttling,
            ),
            ("InternalError", CodeClass::RetryableIfIdempotent),
            ("ServiceUnavailable", CodeClass::RetryableIfIdempotent),
            ("InternalError.DbError", CodeClass::NotRetryable),
            ("LimitExceeded", CodeClass::NotRetryable),
            ("LimitExceeded.InstanceQuota", CodeClass::NotRetryable),
            ("AuthFailure.SignatureExpire", CodeClass::NotRetryable),
            ("InvalidParameter", CodeClass::NotRetryable),
            ("InvalidParameterValue.Range", CodeClass::NotRetryable),
            ("MissingParameter", CodeClass::NotRetryable),
            ("UnknownParameter", CodeClass::NotRetryable),
            ("ResourceNotFound.NoSuchVpc", CodeClass::NotRetryable),
            ("FailedOperation", CodeClass::NotRetryable),
            (
                "FailedOperation.ProxyStatusNotInRunning",
                CodeClass::NotRetryable,
            ),
            (
                "UnsupportedOperation.InstancesProtected",
                CodeClass::NotRetryable,
            ),
            ("RequestLimitExceededX", CodeClass::NotRetryable),
        ];
        for (code, expected) in table {
            assert_eq!(classify_code(code), expected, "{code}");
        }
    }

    #[test]
    fn backoff_is_full_jitter_under_a_doubling_capped_ceiling() {
        let cfg = RetryConfig::default()
            .initial_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_millis(1000));
        assert_eq!(cfg.backoff(1, 0.0), Duration::ZERO);
        assert_eq!(cfg.backoff(1, 0.5), Duration::from_millis(50));
        assert_eq!(cfg.backoff(2, 0.5), Duration::from_millis(100));
        assert_eq!(cfg.backoff(3, 0.5), Duration::from_millis(200));
        // 100 ms * 2^9 = 51.2 s, capped at 1 s.
        assert_eq!(cfg.backoff(10, 0.5), Duration::from_millis(500));
        assert_eq!(cfg.backoff(u32::MAX, 0.999), Duration::from_millis(999));
        for retry in 1..40 {
            for jitter in [0.0, 0.3, 0.999_999] {
                assert!(cfg.backoff(retry, jitter) < Duration::from_millis(1000));
            }
        }
    }

    #[test]
    fn backoff_never_panics_on_odd_jitter_or_huge_ceilings() {
        let cfg = RetryConfig::default()
            .initial_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_millis(1000));
        assert_eq!(cfg.backoff(1, f64::NAN), Duration::ZERO);
        assert_eq!(cfg.backoff(1, -3.0), Duration::ZERO);
        assert_eq!(cfg.backoff(1, 7.0), Duration::from_millis(100));
        let huge = RetryConfig::default()
            .initial_backoff(Duration::MAX)
            .max_backoff(Duration::MAX);
        assert_eq!(huge.backoff(5, 1.0), Duration::MAX);
        assert!(huge.backoff(5, 0.5) < Duration::MAX);
    }

    /// One error of each kind that matters to the token-less policy.
    fn failures() -> Vec<(&'static str, SdkError<ServiceError>)> {
        use crate::error::TransportError;
        use crate::error::{ResponseError, ResponseErrorKind, TimeoutError, TimeoutKind};
        let transport = |kind| SdkError::Transport(TransportError::new(kind, "cut"));
        let response = |status| {
            SdkError::Response(ResponseError::new(
                ResponseErrorKind::NotJson,
                status,
                b"<html>",
            ))
        };
        vec![
            ("connect", transport(TransportErrorKind::Connect)),
            (
                "throttled",
                SdkError::Service(ServiceError::new("RequestLimitExceeded", "", "")),
            ),
            ("http 429", response(429)),
            ("reset", transport(TransportErrorKind::Request)),
            ("cut answer", transport(TransportErrorKind::Body)),
            (
                "attempt timeout",
                SdkError::Timeout(TimeoutError::new(
                    TimeoutKind::Attempt,
                    Duration::from_secs(1),
                )),
            ),
            ("http 503", response(503)),
            (
                "internal error",
                SdkError::Service(ServiceError::new("InternalError", "", "")),
            ),
            (
                "failed operation",
                SdkError::Service(ServiceError::new("FailedOperation", "", "")),
            ),
        ]
    }

    /// The names of the [`failures`] that `cfg` retries for a request with or without a token.
    fn retried(cfg: &RetryConfig, idempotent: bool) -> Vec<&'static str> {
        failures()
            .into_iter()
            .map(|(name, e)| match e {
                SdkError::Service(s) => (
                    name,
                    SdkError::Service(s.with_idempotent_request(idempotent)),
                ),
                other => (name, other),
            })
            .filter(|(_, e)| cfg.allows_retry(e, idempotent))
            .map(|(name, _)| name)
            .collect()
    }

    const ALL_TRANSIENT: [&str; 7] = [
        "connect",
        "throttled",
        "http 429",
        "reset",
        "cut answer",
        "attempt timeout",
        "http 503",
    ];

    #[test]
    fn tokenless_requests_retry_every_transient_failure_by_default() {
        let cfg = RetryConfig::default();
        assert_eq!(cfg.tokenless_retries(), TokenlessRetries::AllTransient);
        assert_eq!(retried(&cfg, false), ALL_TRANSIENT);
    }

    #[test]
    fn only_not_executed_retries_tokenless_requests_that_certainly_did_not_act() {
        let cfg = RetryConfig::default().tokenless(TokenlessRetries::OnlyNotExecuted);
        assert_eq!(retried(&cfg, false), ["connect", "throttled", "http 429"]);
    }

    #[test]
    fn requests_with_a_token_retry_every_transient_failure_under_either_policy() {
        for policy in [
            TokenlessRetries::AllTransient,
            TokenlessRetries::OnlyNotExecuted,
        ] {
            let cfg = RetryConfig::default().tokenless(policy);
            let mut expected = ALL_TRANSIENT.to_vec();
            expected.push("internal error");
            assert_eq!(retried(&cfg, true), expected, "{policy:?}");
        }
    }

    #[test]
    fn max_attempts_is_at_least_one() {
        assert_eq!(RetryConfig::default().attempts(), 3);
        assert_eq!(RetryConfig::disabled().attempts(), 1);
        assert_eq!(RetryConfig::default().max_attempts(0).attempts(), 1);
    }

    #[test]
    fn token_bucket_runs_dry_then_refills_on_success() {
        let bucket = TokenBucket::new(Some(BudgetConfig {
            capacity: 12,
            retry_cost: 5,
            timeout_retry_cost: 10,
            success_refund: 1,
        }));
        assert_eq!(bucket.acquire(RetryReason::Error), Some(5));
        assert_eq!(bucket.acquire(RetryReason::Error), Some(5));
        assert_eq!(bucket.available(), 2);
        assert_eq!(bucket.acquire(RetryReason::Error), None);
        assert_eq!(bucket.acquire(RetryReason::Transient), None);
        bucket.on_success(5);
        assert_eq!(bucket.available(), 7);
        bucket.on_success(0);
        assert_eq!(bucket.available(), 8);
        assert_eq!(bucket.acquire(RetryReason::Transient), None);
        bucket.on_success(100);
        assert_eq!(bucket.available(), 12, "never above capacity");
    }

    #[test]
    fn unlimited_budget_never_refuses() {
        let bucket = TokenBucket::new(None);
        for _ in 0..10_000 {
            assert_eq!(bucket.acquire(RetryReason::Transient), Some(0));
        }
    }
}
