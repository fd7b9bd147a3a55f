//! Retry policy: which failures are retried, how long to wait, and the retry budget.

pub(crate) mod budget;
pub(crate) mod classify;

use std::time::Duration;

pub use budget::BudgetConfig;
pub(crate) use budget::{RetryBudgets, RetryReason, TokenBucket};
pub use classify::Repeatability;
pub(crate) use classify::{CodeClass, attempt_may_have_acted, attempt_was_refused, classify_code};

use crate::error::{RetryRefusal, SdkError, ServiceError};

/// What a call that is not safe to repeat ([`Repeatability::NotRepeatable`]) is retried after.
///
/// Reads and calls with an idempotency token are retried after every transient failure under
/// either setting: repeating them cannot act twice.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum NonRepeatableRetries {
    /// Retry only failures where the request certainly did not act: failure to connect (nothing
    /// was sent), throttling (`RequestLimitExceeded*`) and HTTP 429 (refused unexecuted). After
    /// anything else the call ends, and its error says the request may have taken effect
    /// ([`SdkError::may_have_taken_effect`](crate::SdkError::may_have_taken_effect)).
    #[default]
    OnlyNotExecuted,
    /// Also retry connection resets, timeouts and HTTP 5xx without a Tencent Cloud error body.
    ///
    /// **Risk:** the lost attempt may have acted, so the write may run twice, and the answer
    /// to the repeat may be misleading: a `TerminateInstances` whose first attempt did
    /// terminate comes back as `UnsupportedOperation.InstanceStateTerminated`, a
    /// `DeleteVpnConnection` as `ResourceNotFound`. The final error then still says the request
    /// may have taken effect. `InternalError`/`ServiceUnavailable` stay unretried.
    AllTransient,
}

/// Retry settings: attempts, backoff, retry budget, and what a call that is not safe to repeat
/// may be retried after.
///
/// What is retried (when attempts, budget and deadline allow): failure to connect, connection
/// reset, timeouts, HTTP 5xx/429 without a Tencent Cloud error body, `RequestLimitExceeded` and
/// its sub-codes, `InternalError` and `ServiceUnavailable`. Never retried: everything else,
/// notably `LimitExceeded*` (a quota), `AuthFailure.*`, `InvalidParameter*`,
/// `MissingParameter`, `UnknownParameter`, `ResourceNotFound*`, `FailedOperation*` and
/// `UnsupportedOperation*`.
///
/// **Calls that are not safe to repeat.** Every action has a [`Repeatability`]: reads and
/// writes carrying an idempotency token are retried after every transient failure. A write
/// without a token (e.g. `TerminateInstances`) is retried only when it certainly did not act
/// (failure to connect, throttling); after a reset, a timeout, a gateway's 5xx or
/// `InternalError` the call ends with an error that says the request may have taken effect,
/// instead of repeating it and reporting what the repeat found. See
/// [`NonRepeatableRetries::AllTransient`] for the opt-out and its risk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryConfig {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    budget: Option<BudgetConfig>,
    non_repeatable: NonRepeatableRetries,
}

impl Default for RetryConfig {
    /// 3 attempts, full-jitter exponential backoff from 1 s capped at 20 s, default budget,
    /// [`NonRepeatableRetries::OnlyNotExecuted`].
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(20),
            budget: Some(BudgetConfig::default()),
            non_repeatable: NonRepeatableRetries::OnlyNotExecuted,
        }
    }
}

/// What the policy says about one failed attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Worth another attempt, if attempts, deadline and budget allow.
    Retry,
    /// The answer is final: retrying cannot change it.
    Final,
    /// Retrying might help but is refused for this reason.
    Refused(RetryRefusal),
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

    /// Sets the retry budget of each service; `None` lets every retryable failure
    /// retry up to `max_attempts`.
    #[must_use]
    pub fn budget(mut self, budget: Option<BudgetConfig>) -> Self {
        self.budget = budget;
        self
    }

    /// What a call that is not safe to repeat is retried after (default
    /// [`NonRepeatableRetries::OnlyNotExecuted`]).
    #[must_use]
    pub fn non_repeatable(mut self, retries: NonRepeatableRetries) -> Self {
        self.non_repeatable = retries;
        self
    }

    /// Total attempts including the first.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// What a call that is not safe to repeat is retried after.
    pub fn non_repeatable_retries(&self) -> NonRepeatableRetries {
        self.non_repeatable
    }

    /// The retry budget of each service, if any.
    pub fn budget_config(&self) -> Option<BudgetConfig> {
        self.budget
    }

    /// What this policy makes of `error`, the answer to an attempt of a call of class `repeat`
    /// (attempts, budget and deadline aside).
    pub(crate) fn verdict(&self, error: &SdkError<ServiceError>, repeat: Repeatability) -> Verdict {
        let transient = match error {
            SdkError::Validation(_) | SdkError::Credentials(_) | SdkError::Stream(_) => false,
            SdkError::Timeout(_) | SdkError::Transport(_) => true,
            SdkError::Response(e) => e.is_retryable(),
            SdkError::Service(e) => classify_code(e.code()) != CodeClass::NotRetryable,
        };
        if !transient {
            return Verdict::Final;
        }
        if repeat.is_safe_to_repeat() || !attempt_may_have_acted(error) {
            return Verdict::Retry;
        }
        let server_fault = matches!(error, SdkError::Service(_));
        if self.non_repeatable == NonRepeatableRetries::AllTransient && !server_fault {
            return Verdict::Retry;
        }
        Verdict::Refused(RetryRefusal::NotSafeToRepeat)
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

#[cfg(test)]
mod tests {
    use super::*;

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

    /// One error of each kind that matters to the policy.
    fn failures() -> Vec<(&'static str, SdkError<ServiceError>)> {
        use crate::error::{
            ResponseError, ResponseErrorKind, TimeoutError, TimeoutKind, TransportError,
            TransportErrorKind,
        };
        let transport = |kind| SdkError::Transport(TransportError::new(kind, "cut"));
        let response = |status| {
            SdkError::Response(ResponseError::new(
                ResponseErrorKind::NotJson,
                status,
                b"<html>",
            ))
        };
        let service = |code| SdkError::Service(ServiceError::new(code, "", ""));
        vec![
            ("connect", transport(TransportErrorKind::Connect)),
            ("throttled", service("RequestLimitExceeded")),
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
            ("internal error", service("InternalError")),
            ("failed operation", service("FailedOperation")),
            ("not found", service("ResourceNotFound")),
        ]
    }

    fn verdicts(cfg: &RetryConfig, repeat: Repeatability) -> Vec<(&'static str, Verdict)> {
        failures()
            .into_iter()
            .map(|(name, error)| (name, cfg.verdict(&error, repeat)))
            .collect()
    }

    fn named(names: &[&'static str], verdict: Verdict) -> Vec<(&'static str, Verdict)> {
        names.iter().map(|&name| (name, verdict)).collect()
    }

    const NOT_EXECUTED: [&str; 3] = ["connect", "throttled", "http 429"];
    const MAY_HAVE_ACTED: [&str; 5] = [
        "reset",
        "cut answer",
        "attempt timeout",
        "http 503",
        "internal error",
    ];
    const FINAL: [&str; 2] = ["failed operation", "not found"];

    #[test]
    fn reads_and_token_carrying_writes_retry_every_transient_failure_under_either_setting() {
        for setting in [
            NonRepeatableRetries::OnlyNotExecuted,
            NonRepeatableRetries::AllTransient,
        ] {
            let cfg = RetryConfig::default().non_repeatable(setting);
            for repeat in [Repeatability::Read, Repeatability::Idempotent] {
                let mut expected = named(&NOT_EXECUTED, Verdict::Retry);
                expected.extend(named(&MAY_HAVE_ACTED, Verdict::Retry));
                expected.extend(named(&FINAL, Verdict::Final));
                assert_eq!(verdicts(&cfg, repeat), expected, "{setting:?} {repeat:?}");
            }
        }
    }

    #[test]
    fn a_non_repeatable_call_is_retried_only_when_it_certainly_did_not_act() {
        let cfg = RetryConfig::default();
        assert_eq!(
            cfg.non_repeatable_retries(),
            NonRepeatableRetries::OnlyNotExecuted
        );
        let mut expected = named(&NOT_EXECUTED, Verdict::Retry);
        expected.extend(named(
            &MAY_HAVE_ACTED,
            Verdict::Refused(RetryRefusal::NotSafeToRepeat),
        ));
        expected.extend(named(&FINAL, Verdict::Final));
        assert_eq!(verdicts(&cfg, Repeatability::NotRepeatable), expected);
    }

    #[test]
    fn the_all_transient_opt_in_retries_lost_answers_but_never_a_server_fault() {
        let cfg = RetryConfig::default().non_repeatable(NonRepeatableRetries::AllTransient);
        let verdicts = verdicts(&cfg, Repeatability::NotRepeatable);
        let retried: Vec<_> = verdicts
            .iter()
            .filter(|(_, v)| *v == Verdict::Retry)
            .map(|(name, _)| *name)
            .collect();
        assert_eq!(
            retried,
            [
                "connect",
                "throttled",
                "http 429",
                "reset",
                "cut answer",
                "attempt timeout",
                "http 503"
            ]
        );
        assert!(verdicts.contains(&(
            "internal error",
            Verdict::Refused(RetryRefusal::NotSafeToRepeat)
        )));
    }

    #[test]
    fn max_attempts_is_at_least_one() {
        assert_eq!(RetryConfig::default().attempts(), 3);
        assert_eq!(RetryConfig::disabled().attempts(), 1);
        assert_eq!(RetryConfig::default().max_attempts(0).attempts(), 1);
    }
}
