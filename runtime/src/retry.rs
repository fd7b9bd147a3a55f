//! Retry policy: which failures are retried, how long to wait, and the retry budget.

use std::sync::Mutex;
use std::time::Duration;

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

/// Retry settings: attempts, backoff and retry budget.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryConfig {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    budget: Option<BudgetConfig>,
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

    /// Total attempts including the first.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The retry budget, if any.
    pub fn budget_config(&self) -> Option<BudgetConfig> {
        self.budget
    }

    /// The backoff before retry number `retry` (1 for the first retry), given a jitter fraction
    /// in `[0, 1)`: full jitter, uniform between zero and `min(max, initial * 2^(retry-1))`.
    pub fn backoff(&self, retry: u32, jitter: f64) -> Duration {
        let exponent = retry.saturating_sub(1).min(31);
        let ceiling = self
            .initial_backoff
            .saturating_mul(1_u32 << exponent)
            .min(self.max_backoff);
        ceiling.mul_f64(jitter.clamp(0.0, 1.0))
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
