#![doc = include_str!("../README.md")]

mod actions;
mod admin;
mod api_error;
mod auth;
mod body;
mod catalog;
mod connections;
mod coverage;
mod dispatch;
mod emulator;
mod faults;
mod handle;
mod idempotency;
pub mod identity;
mod instance_metadata;
mod keyring;
mod limits;
mod listing;
mod log;
mod params;
mod rate_limit;
mod records;
#[cfg(test)]
mod request_properties;
mod resource_model;
mod resources;
mod response;
mod server;
mod snapshot;
mod specs;
mod state;
mod streaming;
mod synthesize;
mod tls;
mod transitions;
mod validate;

pub use actions::keeps_state;
pub use auth::{SignatureRejected, verify_signature};
pub use catalog::{ServedService, SpecsFolder};
pub use coverage::{ActionCoverage, Coverage, CoverageReport, Keeps, coverage};
pub use dispatch::STATE_HEADER;
pub use emulator::{
    ADMIN_PATH, BuildError, CompiledSpecs, DEFAULT_CREDENTIAL_LIFETIME_SECS,
    DEFAULT_MAX_BODY_BYTES, DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, Emulator, EmulatorBuilder,
    StartError,
};
pub use faults::{ANY_ACTION, Fault, FaultError, FaultKind};
pub use handle::EmulatorHandle;
pub use keyring::{IssuedCredential, MAX_ISSUED};
pub use limits::{BODY_ALLOWANCE, MAX_HEAD_BYTES, ServerLimits};
pub use log::{AnsweredFrom, LogEntry, Outcome, StreamEnd, StreamRecord};
pub use resources::{
    DEFAULT_REGION, Instance, InstanceState, Proxy, ProxyStatus, VpnConnection, VpnConnectionState,
    VpnGateway,
};
pub use snapshot::{SavedRecord, Snapshot, UnderWay};
pub use specs::DEFAULT_SPECS_DIR;
pub use state::SeedError;
pub use tls::TlsError;
pub use transitions::Transitions;
