//! A real peer: the official Tencent Cloud Node.js SDK (`tencentcloud-sdk-nodejs-cvm` from npm, in
//! a temporary directory) signs `TerminateInstances` calls and sends them to the emulator binary.
//! The Node SDK signs the host name without the port and derives the credential scope's service
//! from the endpoint's first label (`127` on loopback); the emulator accepts both.
//!
//! Skipped, with the reason printed, when `node`/`npm` or the package are unavailable. Set
//! `TENCENTCLOUD_EMULATOR_NODE_MODULES` to a `node_modules` that already has the package to skip
//! the install.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use serde_json::{Value, json};

const SECRET_ID: &str = "AKIDnodePeer00000001";
const SECRET_KEY: &str = "node-peer-secret-key";

struct Emulator(Child);

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn run(command: &mut Command) -> Result<String, String> {
    let output = command
        .output()
        .map_err(|e| format!("cannot run {command:?}: {e}"))?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        Err(format!(
            "{command:?} failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
                .lines()
                .find(|l| l.contains("error"))
                .unwrap_or_default()
        ))
    }
}

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
            "--silent",
            "--fetch-timeout=20000",
            "--fetch-retries=1",
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
    let mut child = Command::new(env!("CARGO_BIN_EXE_tencentcloud-emulator"))
        .args([
            "--listen",
            "127.0.0.1:0",
            "--secret-id",
            SECRET_ID,
            "--secret-key",
            SECRET_KEY,
        ])
        .arg("--seed-examples")
        .stdout(Stdio::piped())
        .spawn()
        .expect("emulator binary starts");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout is piped"));
    let _emulator = Emulator(child);
    let mut first = String::new();
    stdout
        .read_line(&mut first)
        .expect("emulator prints its address");
    std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
    let endpoint = first
        .trim()
        .strip_prefix("listening on ")
        .expect("address line")
        .to_string();

    let response = reqwest::Client::new()
        .post(format!("{endpoint}/_emulator/instances"))
        .body(json!([{"InstanceId": "ins-00000001"}, {"InstanceId": "ins-00000002"}]).to_string())
        .send()
        .await
        .expect("admin API answers");
    assert_eq!(response.status(), 200);

    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/node/official_sdk_calls.js"
    );
    let config = json!({
        "endpoint": endpoint.trim_start_matches("http://"),
        "secret_id": SECRET_ID,
        "secret_key": SECRET_KEY,
    });
    let out = run(Command::new("node")
        .env("NODE_PATH", &modules)
        .arg(script)
        .arg(config.to_string()))
    .unwrap_or_else(|e| panic!("the SDK script runs: {e}"));
    let calls: Vec<Value> = out
        .lines()
        .map(|line| serde_json::from_str(line).expect("one JSON object per line"))
        .collect();
    assert_eq!(calls.len(), 3, "{calls:?}");
    for call in &calls[..2] {
        assert_eq!(call["ok"], true, "{call}");
        assert_eq!(call["request_id"].as_str().map(str::len), Some(36));
    }
    assert_eq!(calls[2]["ok"], false);
    assert_eq!(
        calls[2]["code"], "AuthFailure.SignatureFailure",
        "{}",
        calls[2]
    );
}
