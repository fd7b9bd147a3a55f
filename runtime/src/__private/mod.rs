//! What generated code (and this workspace's own tests) call, and users do not: how an action is
//! sent, its request encoded and checked, its answer's members read, its error enum declared.
//! Hidden from the docs and outside the semver promise; a generated crate pins the runtime
//! version it was generated against.

mod error_enum;
mod service;

pub use crate::client::{Operation, send};
pub use crate::idempotency::fill as fill_idempotency_token;
pub use crate::output::take_pending as unread_members;
pub use crate::serde_helpers::{null_as_empty, option_int64, option_uint64};

/// Reading an output by the tolerance rules alone, counting what each rule read: for the
/// measurement over Tencent Cloud's documented example answers.
pub mod output {
    pub use crate::output::{AnswerReport, Decoded, Rule, Unreadable, read_tolerantly};
}
pub use crate::paging::{Paging, PagingRule};
pub use crate::waiter::{Acceptor, Expected, Test, WaiterSpec};
pub use service::{ServiceVersion, encode, encode_value};

/// The checks a generated `validate()` runs, one per documented rule.
pub mod validate {
    pub use crate::validate::{
        allowed_values, ascii, at_least_one_of, exactly_one_of, length, max_items, min_items,
        multipart_upload, range, required,
    };
}

/// The signing steps one by one, for the published test vectors and the benchmarks.
pub mod signer {
    pub use crate::signer::*;
}

/// The retry policy's parts, for tests that pin them.
pub mod retry {
    pub use crate::retry::budget::{RetryReason, TokenBucket};
    pub use crate::retry::classify::{
        CodeClass, attempt_may_have_acted, attempt_was_refused, classify_code,
    };
}

/// Runs an operation and returns the `Response` object as JSON, for tests of the call path.
pub async fn invoke(
    client: &crate::Client,
    op: Operation<'_>,
) -> Result<serde_json::Value, crate::SdkError<crate::ServiceError>> {
    client.invoke(op).await
}

pub use crate::__tencentcloud_error_enum as error_enum;
