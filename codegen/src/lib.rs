//! Generates the typed Tencent Cloud Rust SDK (`generated/`) from JSON API specs (`specs/`).
//!
//! Pipeline: load → validate → model → emit.

pub mod spec;
