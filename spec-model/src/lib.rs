//! The Tencent Cloud API spec model, shared by the code generator (`tencentcloud-codegen`) and the
//! emulator (`tencentcloud-emulator`), so the emulator builds without the generator's syn, quote
//! and prettyplease.
//!
//! [`load`] reads a specs directory (files → raw JSON, keeping duplicate keys in view), [`index`]
//! lists one so its services can be loaded one at a time, and
//! [`validate`] checks it, reporting every problem at once as [`Diagnostics`], before the files
//! become typed [`types`] values. [`names`] holds every rule that turns a Tencent name into a Rust
//! one, so the validator (which reports collisions) and the generator (which settles names) cannot
//! disagree. `specs/README.md` documents the format.

pub mod diagnostics;
pub mod index;
pub mod load;
pub mod merge;
pub mod names;
pub mod repeatability;
pub mod resources;
pub mod types;
pub mod upstream;
pub mod validate;

pub use diagnostics::{Diagnostic, Diagnostics};

/// Folder under the specs directory that holds Tencent's published description as imported
/// (`specs/upstream/`), in its own format: the loader does not read it as spec files.
pub const UPSTREAM_DIR: &str = "upstream";
