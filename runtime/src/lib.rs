//! Hand-written runtime for Tencent Cloud API 3.0 clients: credentials, TC3-HMAC-SHA256
//! signing, transport, retries and error decoding.
//!
//! Generated clients (crate `tencentcloud-sdk` and its service crates) are thin typed layers over
//! [`Client`]; [`Client::call`] reaches any action with a JSON body before a spec exists for it.
//! Every item here is re-exported by the generated crates, so a program depending on
//! `tencentcloud-sdk` alone names them as `tencentcloud_sdk::Config` and so on.
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
//! A call is retried (3 attempts by default, full-jitter exponential backoff, a retry budget
//! per service, never past the operation deadline) after a failure to connect, a
//! connection reset, a timeout, HTTP 5xx/429 without a Tencent Cloud error body,
//! `RequestLimitExceeded*`, `InternalError` or `ServiceUnavailable` — as far as the action's
//! [`Repeatability`] allows. Every attempt is signed afresh and sends the identical body.
//!
//! **Retries never lie.** Reads and writes carrying an idempotency token (`ClientToken`, which
//! generated clients fill) are safe to repeat. Any other write (e.g. `TerminateInstances`) is
//! retried only when it certainly did not act (failure to connect, throttling). After a reset,
//! a timeout, a gateway's 5xx or `InternalError` the call ends instead, and its error says the
//! request may have taken effect ([`SdkError::may_have_taken_effect`], and in `Display`), rather
//! than repeating it and reporting what the repeat found (`ResourceNotFound` for a deletion
//! that did happen). [`NonRepeatableRetries::AllTransient`] opts out, with the risk it
//! documents.
//!
//! The final error says how many attempts were made ([`SdkError::attempts`]) and why a retry
//! was refused ([`SdkError::retry_refusal`]: not safe to repeat, retry budget spent, deadline
//! too close); when the operation deadline ends a retry, the previous attempt's error stays
//! reachable as the timeout's [`source`](std::error::Error::source).

//!
//! # Answers that drift from their documentation
//!
//! Services do not always send what their reference documents, and a call that succeeded is
//! never reported as failed for it. An answer is read as documented when it can be; when it
//! cannot, it is read again by these rules:
//!
//! - integers and floats are read from numeric strings (`"147286"`, `"5000.00"`);
//! - booleans from `"true"`, `"false"`, `"True"`, `"False"`, `0` and `1`;
//! - strings from numbers and booleans (`2385736` reads as `"2385736"`);
//! - `null` anywhere reads as absent, and so does `""` where an object or a list is documented;
//! - members the documentation does not list are ignored.
//!
//! A member that no rule reads (an object where a string is documented, `"n/a"` for an
//! integer) is left absent, `None` or an empty list, and the rest of the answer is read: the
//! output's `unread_members` names each one and why ([`UnreadMembers`]), and a `warn` event
//! says so once per action and member. Only an answer whose `Response` cannot be read at all
//! fails, with [`ResponseErrorKind::Deserialize`](error::ResponseErrorKind::Deserialize): the
//! error says that the service reported success, is never retried, and keeps the request id
//! ([`SdkError::request_id`]) and the whole answer ([`ResponseError::body`]).
//!
//! # Listing everything
//!
//! The builders of paged actions have `into_paginator()`, a [`Paginator`]: [`Paginator::items`]
//! gives every item of every page, [`Paginator::pages`] every answer, both as
//! [`futures_core::Stream`]s or with `next().await`; [`Paginator::page_size`] and
//! [`Paginator::max_items`] shape the listing. Each page is a read, retried as reads are. A
//! listing whose pages do not advance (a page equal to the one before, a token given back
//! unchanged, an empty page before the total) ends with
//! [`ResponseErrorKind::PagesStalled`](error::ResponseErrorKind::PagesStalled) instead of
//! going round forever.
//!
//! # Waiting for a state
//!
//! The reads whose resources Tencent Cloud documents states for have `wait_until_*` methods
//! (cvm `describe_instances().instance_ids(ids).wait_until_instance_running()`, cbs disks
//! attached, clb and vpc tasks done, tke clusters and cdb instances running): a [`Waiter`] that
//! polls the read with backoff and jitter until every instance, disk or task is in the
//! documented success state. `.await` it for the answer that showed that state; a failure state
//! (`LAUNCH_FAILED`), the deadline or a failed poll end it with a [`WaitError`] that keeps the
//! last answer ([`WaitError::last_output`]). [`Waiter::delays`] and [`Waiter::max_wait`] change
//! its timing. [`Waiter::poll`] waits on any read with conditions written in Rust.
//!
//! # One call's settings
//!
//! Every generated builder has `call_options(`[`CallOptions`]`)`: timeouts, retries, region,
//! language and extra headers (e.g. `X-TC-TraceId`) for that call alone, over the client's
//! [`Config`]. A header the runtime writes itself (the signed ones, the common parameters)
//! cannot be set: such a call fails as a validation error, nothing sent.
//!
//! # Streams
//!
//! Some actions (hunyuan `ChatCompletions` and the other chat and speech actions) can answer
//! with a stream of server-sent events. Their builders have `send_stream()`, which asks for a
//! stream (sets `Stream` where the request has it) and returns an [`EventStream`]: each event's
//! data read into the action's output type as it arrives, by the rules above. The attempts until
//! the answer begins are retried as any call's; once it has begun, nothing is retried, and an
//! error ([`StreamError`]) says how many events and bytes had arrived. The wait for each event
//! is limited ([`ConfigBuilder::stream_idle_timeout`]), each event's size too
//! ([`ConfigBuilder::max_response_bytes`]); dropping the stream closes its connection. `send()`
//! on an answer that streams anyway fails with
//! [`ResponseErrorKind::EventStream`](error::ResponseErrorKind::EventStream) rather than
//! waiting for the stream's end.
//!
//! ```no_run
//! # async fn demo(stream: tencentcloud_runtime::EventStream<serde_json::Value, tencentcloud_runtime::ServiceError>) {
//! # let mut stream = stream;
//! // let mut stream = client.chat_completions().model("hunyuan-lite").messages(…).send_stream().await?;
//! while let Some(event) = stream.next().await {
//!     match event {
//!         Ok(event) => println!("{}", event.raw),
//!         Err(e) => eprintln!("{e}"),
//!     }
//! }
//! # }
//! ```
//!
//! # Credentials
//!
//! [`Config::from_env`] signs with the first of: `TENCENTCLOUD_SECRET_ID`/`_SECRET_KEY` (and
//! `TENCENTCLOUD_SESSION_TOKEN`), the profile file (`~/.tencentcloud/credentials`), the TKE
//! web identity (`TKE_*` variables, [`credentials::WebIdentityProvider`]) and the CVM instance
//! role ([`credentials::CvmRoleProvider`]); [`credentials::AssumeRoleProvider`] assumes a role
//! with any of them. Temporary credentials are cached and refreshed before they expire, one
//! refresh at a time ([`credentials::CredentialsCache`]).
//!
//! # Proxies
//!
//! The standard variables (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY`) apply unless
//! [`ConfigBuilder::proxy`] names a proxy (then [`ConfigBuilder::no_proxy`] lists the hosts
//! reached directly). An endpoint on this machine (the emulator) is never proxied implicitly.
//! Requests go through [`Transport::Direct`], HTTP/1.1 connections driven by the call itself,
//! unless a proxy applies: then, or with [`ConfigBuilder::transport`] set to
//! [`Transport::Reqwest`], through reqwest.
//!
//! # Logging
//!
//! Calls report through [`tracing`](https://docs.rs/tracing): at `info`, one event per call
//! (`call finished` or `call failed`, with `service`, `action`, `request_id`, `attempts`,
//! `latency_ms`, `outcome` and, on failure, `error_code` and `may_have_taken_effect`); at
//! `debug`, a `retrying` or `not retrying` event per retry decision and the spans
//! `tencentcloud.call` and `tencentcloud.attempt` (`attempt`, `timestamp`, `status`,
//! `request_id`, `error_code`). No secret key, token or signature is ever recorded. With
//! `tracing-subscriber` (features `fmt` and `env-filter`), `RUST_LOG=info` prints one line
//! per call:
//!
//! ```no_run
//! tracing_subscriber::fmt()
//!     .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
//!     .init();
//! // INFO call finished service="cvm" action="DescribeInstances" request_id="…" attempts=1
//! //      latency_ms=41.2 outcome="ok"
//! ```

#![warn(missing_docs)]

mod call_options;
mod client;
pub mod clock;
mod config;
pub mod credentials;
pub mod error;
mod idempotency;
mod output;
mod paging;
mod response;
pub mod retry;
mod serde_helpers;
mod signer;
mod stream;
mod transport;
mod validate;
mod waiter;

#[doc(hidden)]
pub mod __private;

pub use call_options::CallOptions;
pub use client::Client;
pub use config::{
    Config, ConfigBuilder, ConfigError, DEFAULT_ATTEMPT_TIMEOUT, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_OPERATION_TIMEOUT, DEFAULT_STREAM_IDLE_TIMEOUT, Endpoint, Language,
};
pub use credentials::{Credentials, CredentialsError, ProvideCredentials};
pub use error::{ProvideErrorMetadata, ResponseError, RetryRefusal, SdkError, ServiceError};
pub use output::{UnreadMember, UnreadMembers};
pub use paging::{Items, Pages, Paginator};
pub use retry::{NonRepeatableRetries, Repeatability, RetryConfig};
pub use stream::{Event, EventStream, StreamError, StreamErrorKind};
pub use transport::Transport;
pub use validate::ValidationError;
pub use waiter::{WaitError, WaitErrorKind, Waiter};
