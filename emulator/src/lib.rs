//! A local, spec-driven stand-in for Tencent Cloud API 3.0: what moto and LocalStack are for AWS.
//!
//! The emulator speaks the real wire protocol (TC3-HMAC-SHA256 signatures, `X-TC-*` headers,
//! `{"Response": {...}}` answers, errors with HTTP 200) for every action in the specs, validates
//! requests from the specs, keeps state so answers follow the reference pages, enforces the
//! documented rate limits, honours `ClientToken` idempotency, and can inject faults.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use tencentcloud_emulator::{Emulator, Fault, Instance, Proxy};
//!
//! let handle = Emulator::builder()
//!     .credential("AKIDexample", "example-key")
//!     .build()?
//!     .start("127.0.0.1:0")
//!     .await?;
//! handle.seed_instance(Instance::new("ins-3jaw1j8m").protected(true))?;
//! handle.seed_proxy(Proxy::new("link-11112222").real_server_bound(true))?;
//! handle.script_fault("DestroyProxies", Fault::connection_reset(), 2)?;
//! // ... point an SDK at handle.endpoint() with handle.secret_id() / handle.secret_key() ...
//! for call in handle.request_log() {
//!     println!("{} {:?} took effect: {}", call.action, call.outcome, call.took_effect);
//! }
//! handle.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! The same controls are available over HTTP under [`ADMIN_PATH`] (see the `admin` module docs in
//! the README of this crate), and the `tencentcloud-emulator` binary serves it for other programs.

mod actions;
mod admin;
mod api_error;
mod auth;
mod catalog;
mod dispatch;
mod emulator;
mod faults;
mod handle;
mod idempotency;
mod log;
mod params;
mod rate_limit;
mod resources;
mod response;
mod server;
mod specs;
mod state;
mod validate;

pub use catalog::ServedService;
pub use emulator::{
    ADMIN_PATH, BuildError, DEFAULT_MAX_BODY_BYTES, DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY,
    Emulator, EmulatorBuilder, StartError,
};
pub use faults::{ANY_ACTION, Fault, FaultError, FaultKind};
pub use handle::EmulatorHandle;
pub use log::{LogEntry, Outcome};
pub use resources::{
    DEFAULT_REGION, Instance, InstanceState, Proxy, ProxyStatus, VpnConnection, VpnConnectionState,
    VpnGateway,
};
pub use specs::DEFAULT_SPECS_DIR;
pub use state::SeedError;
