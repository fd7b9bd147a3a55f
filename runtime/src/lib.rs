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
//!     // e.g. "AuthFailure.SignatureExpire: ... (request id ...)"
//!     Err(e) => eprintln!("{e}; code {:?}, retryable {}", e.code(), e.is_retryable()),
//! }
//! # Ok(())
//! # }
//! ```

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

pub use client::{Client, Operation, send};
pub use config::{Config, ConfigBuilder, ConfigError, Language};
pub use credentials::{Credentials, CredentialsError, ProvideCredentials};
pub use error::{ProvideErrorMetadata, ResponseError, SdkError, ServiceError};
pub use retry::RetryConfig;
pub use validate::ValidationError;
