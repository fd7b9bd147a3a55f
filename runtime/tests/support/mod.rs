//! Test support: a loopback Tencent Cloud stand-in that checks signatures with its own code and
//! plays scripted faults, plus a deterministic clock.

#![allow(dead_code)]

pub mod clock;
pub mod server;
pub mod tc3;
