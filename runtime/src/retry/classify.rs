//! What a failure says about retrying: the class of an error code, whether an action is safe to
//! repeat, and whether a failed attempt may have acted.

use crate::error::{SdkError, ServiceError, TransportErrorKind};

pub use tencentcloud_vocabulary::Repeatability;

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
        // The service was answering.
        SdkError::Stream(_) => true,
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
}
