//! What a failure says about retrying: the class of an error code, whether an action is safe to
//! repeat, and whether a failed attempt may have acted.

use crate::error::{SdkError, ServiceError, TransportErrorKind};

/// How an error code reacts to a retry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeClass {
    /// Throttling (`RequestLimitExceeded` and its sub-codes): refused unexecuted, always retried
    /// after backoff.
    Throttling,
    /// A server fault (`InternalError`, `ServiceUnavailable`) that may or may not have executed
    /// the request: retried only when the action is safe to repeat.
    ServerFault,
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
        CodeClass::ServerFault
    } else {
        CodeClass::NotRetryable
    }
}

/// Whether an action may be sent again after an attempt whose outcome is unknown.
///
/// Generated clients carry each action's class, computed from its spec; [`Client::call`]
/// derives it with [`Repeatability::of_action`].
///
/// [`Client::call`]: crate::Client::call
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Repeatability {
    /// A read (`Describe*`, `Inquiry*`, `Get*`, `List*`, `Query*`, `Check*`): it changes
    /// nothing, so repeating it is harmless and a failure never leaves an effect behind.
    Read,
    /// A write Tencent Cloud executes at most once however often it is sent: it carries an
    /// idempotency token (`ClientToken`), or its spec says it is idempotent.
    Idempotent,
    /// A write that may act again when repeated (e.g. `TerminateInstances`): after an attempt
    /// that may have reached the service, it is not retried by default, and the error says the
    /// request may have taken effect.
    NotRepeatable,
}

/// Name prefixes of the action families that only read. The spec crate applies the same list
/// to every imported action; a cross-crate test keeps the two in step.
pub const READ_ACTION_PREFIXES: [&str; 6] =
    ["Describe", "Inquiry", "Get", "List", "Query", "Check"];

impl Repeatability {
    /// The class of `action` by its name, for a request that does (`has_token`) or does not
    /// carry an idempotency token: reads by their family, then token-carrying writes, then the
    /// rest.
    pub fn of_action(action: &str, has_token: bool) -> Self {
        if is_read_action(action) {
            Self::Read
        } else if has_token {
            Self::Idempotent
        } else {
            Self::NotRepeatable
        }
    }

    /// Whether a server fault or an unknown outcome may be retried without risk.
    pub fn is_safe_to_repeat(self) -> bool {
        self != Self::NotRepeatable
    }
}

/// Whether `action` belongs to a read family: one of [`READ_ACTION_PREFIXES`] followed by an
/// upper-case letter or digit (`DescribeInstances`, not `Getaway`).
pub fn is_read_action(action: &str) -> bool {
    READ_ACTION_PREFIXES.iter().any(|prefix| {
        action
            .strip_prefix(prefix)
            .and_then(|rest| rest.bytes().next())
            .is_some_and(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    })
}

/// Whether the attempt that ended with `error` may have reached the service and acted: a
/// connection that failed after connecting, an attempt timeout, an answer that is not
/// Tencent Cloud's error (HTTP 5xx from a gateway, a 2xx body that cannot be read), or a server
/// fault. A failure to connect, throttling and HTTP 429 are refusals: nothing ran.
pub fn attempt_may_have_acted(error: &SdkError<ServiceError>) -> bool {
    match error {
        SdkError::Validation(_) | SdkError::Credentials(_) => false,
        SdkError::Transport(e) => e.kind() != TransportErrorKind::Connect,
        SdkError::Timeout(e) => e.attempts() > 0,
        SdkError::Response(e) => e.status() >= 500 || (200..300).contains(&e.status()),
        SdkError::Service(e) => classify_code(e.code()) == CodeClass::ServerFault,
    }
}

/// Whether the attempt that ended with `error` was refused before it could run: a failure to
/// connect, throttling, or HTTP 429. Such an answer says nothing about earlier attempts of the
/// same call.
pub fn attempt_was_refused(error: &SdkError<ServiceError>) -> bool {
    match error {
        SdkError::Transport(e) => e.kind() == TransportErrorKind::Connect,
        SdkError::Service(e) => classify_code(e.code()) == CodeClass::Throttling,
        SdkError::Response(e) => e.status() == 429,
        _ => false,
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
            ("InternalError", CodeClass::ServerFault),
            ("ServiceUnavailable", CodeClass::ServerFault),
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
    fn read_families_are_recognised_by_prefix_and_a_word_boundary() {
        for read in [
            "DescribeInstances",
            "InquiryPriceRunInstances",
            "GetAccountSummary",
            "ListUsers",
            "QueryCreditQuota",
            "CheckProxyCreate",
            "Describe2Things",
        ] {
            assert!(is_read_action(read), "{read}");
            assert_eq!(Repeatability::of_action(read, true), Repeatability::Read);
        }
        for write in [
            "TerminateInstances",
            "DeleteVpnConnection",
            "Describe",
            "Getaway",
            "Listen",
            "Checkout",
            "ModifyDescribeThing",
        ] {
            assert!(!is_read_action(write), "{write}");
        }
        assert_eq!(
            Repeatability::of_action("DestroyProxies", true),
            Repeatability::Idempotent
        );
        assert_eq!(
            Repeatability::of_action("TerminateInstances", false),
            Repeatability::NotRepeatable
        );
    }
}
