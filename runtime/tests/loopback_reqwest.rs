//! The loopback fault tests on the `Transport::Reqwest` path.

mod support;

const TRANSPORT: tencentcloud_runtime::Transport = tencentcloud_runtime::Transport::Reqwest;

#[path = "loopback/cases.rs"]
mod cases;
