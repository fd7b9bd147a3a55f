//! The loopback fault tests on the `Transport::Direct` path.

mod support;

const TRANSPORT: tencentcloud_runtime::Transport = tencentcloud_runtime::Transport::Direct;

#[path = "loopback/cases.rs"]
mod cases;
