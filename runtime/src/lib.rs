//! Hand-written runtime for Tencent Cloud API 3.0 clients: credentials, TC3-HMAC-SHA256
//! signing, transport, retries and error decoding.
//!
//! Generated clients (crate `tencentcloud-sdk`) are thin typed layers over [`Client::invoke`];
//! [`Client::call`] reaches any action with a JSON body before a spec exists for it.

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
