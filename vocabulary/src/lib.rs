//! The words the Tencent Cloud API 3.0 toolchain shares, each defined once: the runtime, the
//! spec model, the generator and the emulator all use these, so a rule cannot differ between
//! the client that retries a call and the model that documents it.

mod repeatability;
mod scalar;

pub use repeatability::{READ_ACTION_PREFIXES, Repeatability, is_read_action};
pub use scalar::Scalar;
