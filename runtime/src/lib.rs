//! Hand-written runtime for Tencent Cloud API 3.0 clients: credentials, TC3-HMAC-SHA256
//! signing, transport, retries and error decoding.
//!
//! Generated clients (crate `tencentcloud-sdk`) are thin typed layers over [`Client::invoke`];
//! [`Client::call`] reaches any action with a JSON body before a spec exists for it.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use tencentcloud_runtime::{Client, Config};
//!
//! // Credentials from TENCENTCLOUD_SECRET_ID/_SECRET_KEY or ~/.tencentcloud/credentials,
//! // region from TENCENTCLOUD_REGION.
//! let config = Config::from_env()?;
//! let client = Client::new(&config);
//! let body = serde_json::json!({"Limit": 1});
//! match client.call("cvm", "2017-03-12", "DescribeInstances", &body).await {
//!     Ok(response) => println!("{} instances", response["TotalCount"]),
//!     // e.g. "RequestLimitExceeded: ... (request id ...), after 3 attempts"
//!     Err(e) => eprintln!("{e}; code {:?}, {} attempts", e.code(), e.attempts()),
//! }
//! # Ok(())
//! # }
//! ```
//!
//! # Retries
//!
//! A call is retried (3 attempts by default, full-jitter exponential backoff, a shared retry
//! budget, never past the operation deadline) after a failure to connect, a connection reset, a
//! timeout, HTTP 5xx/429 without a Tencent Cloud error body, or `RequestLimitExceeded*`; after
//! `InternalError`/`ServiceUnavailable` only when the request carries an idempotency token
//! (`ClientToken`). Every attempt is signed afresh and sends the identical body. The final error
//! says how many attempts were made ([`SdkError::attempts`]); when the operation deadline ends a
//! retry, the previous attempt's error stays reachable as the timeout's
//! [`source`](std::error::Error::source).
//!
//! **Requests without an idempotency token.** A timeout, a connection lost after sending, or a
//! gateway's 5xx leaves it unknown whether the request acted, yet by default such failures are
//! retried even without a token: right for reads, but a non-idempotent write may then run twice.
//! Generated clients fill `ClientToken` wherever an action has one; for other writes use
//! [`RetryConfig::tokenless`] with
//! [`TokenlessRetries::OnlyNotExecuted`], which retries
//! a token-less request only when it certainly did not act (connect failure, throttling).

#![warn(missing_docs)]

pub mod client;
pub mod clock;
pub mod config;
pub mod credentials;
pub mod error;
pub mod idempotency;
mod response;
pub mod retry;
pub mod serde_helpers;
pub mod signer;
pub mod transport;
pub mod validate;

pub use client::{Client, Operation, encode_body, send};
pub use config::{Config, ConfigBuilder, ConfigError, Language};
pub use credentials::{Credentials, CredentialsError, ProvideCredentials};
pub use error::{ProvideErrorMetadata, ResponseError, SdkError, ServiceError};
pub use retry::{RetryConfig, TokenlessRetries};
pub use validate::ValidationError;
