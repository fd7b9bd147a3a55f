//! Test support: a loopback Tencent Cloud stand-in that checks signatures with its own code and
//! plays scripted faults, plus a deterministic clock.

// Each test binary uses a different part of the support code.
#![allow(dead_code)]

pub mod clock;
pub mod server;
pub mod tc3;
