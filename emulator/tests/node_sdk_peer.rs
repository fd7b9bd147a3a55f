//! A real peer: the official Tencent Cloud Node.js SDK (`tencentcloud-sdk-nodejs-cvm` from npm, in
//! a temporary directory) signs `TerminateInstances` calls and sends them to the emulator binary.
//! The Node SDK signs the host name without the port and derives the credential scope's service
//! from the endpoint's first label (`127` on loopback); the emulator accepts both.
//!
//! Skipped, with the reason printed, when `node`/`npm` or the package are unavailable. Set
//! `TENCENTCLOUD_EMULATOR_NODE_MODULES` to a `node_modules` that already has the package to skip
//! the install.

mod peer;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::json;

use peer::{EmulatorProcess, json_lines, run};

const SECRET_ID: &str = "AKIDnodePeer00000001";
const SECRET_KEY: &str = "node-peer-secret-key";

/// A `node_modules` with the SDK, or why there is none.
fn node_modules(dir: &Path) -> Result<PathBuf, String> {
    run(Command::new("node").arg("--version"))?;
    if let Some(modules) = std::env::var_os("TENCENTCLOUD_EMULATOR_NODE_MODULES") {
        return Ok(PathBuf::from(modules));
    }
    run(Command::new("npm")
        .current_dir(dir)
        .args([
            "install",
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
            "--fetch-timeout=20000",
            "--fetch-retries=1",
            // npm waits 10 s before its retry by default; an unreachable registry should skip fast.
            "--fetch-retry-mintimeout=500",
            "--fetch-retry-maxtimeout=2000",
        ])
        .arg("tencentcloud-sdk-nodejs-cvm"))?;
    Ok(dir.join("node_modules"))
}

#[tokio::test]
async fn official_node_sdk_requests_verify_and_act() {
    let dir = tempfile::tempdir().expect("temp dir");
    let modules = match node_modules(dir.path()) {
        Ok(modules) => modules,
        Err(reason) => {
            println!("SKIPPED official_node_sdk_requests_verify_and_act: {reason}");
            return;
        }
    };
    let emulator = EmulatorProcess::start(SECRET_ID, SECRET_KEY, &[]);
    emulator
        .seed(
            "instances",
            json!([{"InstanceId": "ins-00000001"}, {"InstanceId": "ins-00000002"}]),
        )
        .await;

    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/node/official_sdk_calls.js"
    );
    let config = json!({
        "endpoint": emulator.host(),
        "secret_id": SECRET_ID,
        "secret_key": SECRET_KEY,
    });
    let out = run(Command::new("node")
        .env("NODE_PATH", &modules)
        .arg(script)
        .arg(config.to_string()))
    .unwrap_or_else(|e| panic!("the SDK script runs: {e}"));
    let calls = json_lines(&out);
    assert_eq!(calls.len(), 3, "{calls:?}");
    for call in &calls[..2] {
        assert_eq!(call["ok"], true, "{call}");
        assert_eq!(call["request_id"].as_str().map(str::len), Some(36));
    }
    assert_eq!(calls[2]["ok"], false);
    let log = emulator.request_log().await;
    assert_eq!(
        log.iter().filter(|e| e["took_effect"] == true).count(),
        2,
        "the two verified calls acted, the wrongly signed one did not: {log:?}"
    );
    assert_eq!(
        calls[2]["code"], "AuthFailure.SignatureFailure",
        "{}",
        calls[2]
    );
}
