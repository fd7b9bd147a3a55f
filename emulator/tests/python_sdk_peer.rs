//! A real peer: the official Tencent Cloud Python SDK (`tencentcloud-sdk-python-cvm`, `-gaap`,
//! `-vpc` from PyPI, in a temporary venv) signs requests and sends them to the emulator binary,
//! with `POST` and with `GET`.
//!
//! Skipped, with the reason printed, when `python3`, `venv` or the PyPI packages are unavailable
//! (no network). Set `TENCENTCLOUD_EMULATOR_PYTHON` to a Python that already has the packages to
//! skip the install.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use serde_json::{Value, json};

const SECRET_ID: &str = "AKIDpythonPeer000001";
const SECRET_KEY: &str = "python-peer-secret-key";
const PACKAGES: [&str; 3] = [
    "tencentcloud-sdk-python-cvm",
    "tencentcloud-sdk-python-gaap",
    "tencentcloud-sdk-python-vpc",
];

/// Stops the emulator process this test started, also when an assertion fails.
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
                .last()
                .unwrap_or_default()
        ))
    }
}

/// A Python with the three SDK packages, or why there is none.
fn python_with_sdk(venv_dir: &Path) -> Result<PathBuf, String> {
    if let Some(python) = std::env::var_os("TENCENTCLOUD_EMULATOR_PYTHON") {
        return Ok(PathBuf::from(python));
    }
    run(Command::new("python3").arg("--version"))?;
    run(Command::new("python3").args(["-m", "venv"]).arg(venv_dir))?;
    let python = venv_dir.join("bin").join("python");
    run(Command::new(&python)
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
        ])
        .args(["--timeout", "20", "--retries", "1"])
        .args(PACKAGES))?;
    Ok(python)
}

fn start_emulator() -> (Emulator, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tencentcloud-emulator"))
        .args(["--listen", "127.0.0.1:0", "--secret-id", SECRET_ID])
        .args(["--secret-key", SECRET_KEY, "--seed-examples"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("emulator binary starts");
    let stdout = child.stdout.take().expect("stdout is piped");
    let guard = Emulator(child);
    let mut stdout = BufReader::new(stdout);
    let mut first = String::new();
    stdout
        .read_line(&mut first)
        .expect("emulator prints its address");
    // Keep draining so the emulator never blocks on a full pipe.
    std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
    let endpoint = first
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {first:?}"))
        .to_string();
    (guard, endpoint)
}

async fn seed(endpoint: &str, path: &str, body: Value) {
    let response = reqwest::Client::new()
        .post(format!("{endpoint}/_emulator/{path}"))
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .expect("admin API answers");
    assert_eq!(response.status(), 200, "seeding {path}");
}

fn sdk_calls(python: &Path, endpoint: &str, method: &str, ids: Value) -> Vec<Value> {
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/python/official_sdk_calls.py"
    );
    let config = json!({
        "endpoint": endpoint.trim_start_matches("http://"),
        "secret_id": SECRET_ID,
        "secret_key": SECRET_KEY,
        "method": method,
        "ids": ids,
    });
    let out = run(Command::new(python).arg(script).arg(config.to_string()))
        .unwrap_or_else(|e| panic!("the SDK script runs: {e}"));
    out.lines()
        .map(|line| serde_json::from_str(line).expect("one JSON object per line"))
        .collect()
}

fn assert_calls(calls: &[Value], method: &str) {
    let by_name = |name: &str| {
        calls
            .iter()
            .find(|c| c["call"] == name)
            .unwrap_or_else(|| panic!("no {name} call in {calls:?}"))
    };
    for name in [
        "TerminateInstances",
        "DestroyProxies",
        "DestroyProxies (same ClientToken)",
        "ModifyProxyConfiguration",
        "ModifyProxyConfiguration (unsigned payload)",
        "DeleteVpnConnection",
    ] {
        let call = by_name(name);
        assert_eq!(call["ok"], true, "{method} {name}: {call}");
        assert_eq!(call["request_id"].as_str().map(str::len), Some(36));
    }
    assert_eq!(
        by_name("DestroyProxies")["body"]["InvalidStatusInstanceSet"],
        json!([])
    );
    let wrong = by_name("TerminateInstances (wrong key)");
    assert_eq!(wrong["ok"], false);
    assert_eq!(wrong["code"], "AuthFailure.SignatureFailure", "{wrong}");
}

#[tokio::test]
async fn official_python_sdk_requests_verify_and_act_with_post_and_get() {
    let venv = tempfile::tempdir().expect("temp dir");
    let python = match python_with_sdk(venv.path()) {
        Ok(python) => python,
        Err(reason) => {
            println!(
                "SKIPPED official_python_sdk_requests_verify_and_act_with_post_and_get: {reason}"
            );
            return;
        }
    };
    if let Ok(version) =
        run(Command::new(&python)
            .args(["-c", "import tencentcloud; print(tencentcloud.__version__)"]))
    {
        println!("official Python SDK version {}", version.trim());
    }
    let (_emulator, endpoint) = start_emulator();

    let calls = sdk_calls(
        &python,
        &endpoint,
        "POST",
        json!({"instance": "ins-3jaw1j8m", "proxies": ["link-11112222", "link-11113333"],
               "proxy_to_modify": "link-4ftf12sb", "vpn_gateway": "vpngw-7lcl5331",
               "vpn_connection": "vpnx-p0j11j28"}),
    );
    assert_calls(&calls, "POST");

    seed(
        &endpoint,
        "instances",
        json!({"InstanceId": "ins-00000001"}),
    )
    .await;
    seed(&endpoint, "proxies", json!([{"ProxyId": "link-00000001"}, {"ProxyId": "link-00000002"}, {"ProxyId": "link-00000003"}])).await;
    seed(
        &endpoint,
        "vpn-connections",
        json!({"VpnConnectionId": "vpnx-00000001", "VpnGatewayId": "vpngw-7lcl5331"}),
    )
    .await;
    let calls = sdk_calls(
        &python,
        &endpoint,
        "GET",
        json!({"instance": "ins-00000001", "proxies": ["link-00000001", "link-00000002"],
               "proxy_to_modify": "link-00000003", "vpn_gateway": "vpngw-7lcl5331",
               "vpn_connection": "vpnx-00000001"}),
    );
    assert_calls(&calls, "GET");

    let log = reqwest::get(format!("{endpoint}/_emulator/requests"))
        .await
        .expect("admin API answers")
        .bytes()
        .await
        .expect("log body");
    let log: Vec<Value> = serde_json::from_slice(&log).expect("JSON log");
    let destroys: Vec<&Value> = log
        .iter()
        .filter(|e| e["action"] == "DestroyProxies")
        .collect();
    assert_eq!(destroys.len(), 4);
    assert_eq!(
        destroys.iter().filter(|e| e["took_effect"] == true).count(),
        2,
        "replays act once: {destroys:?}"
    );
}
