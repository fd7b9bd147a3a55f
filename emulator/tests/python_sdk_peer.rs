//! A real peer: the official Tencent Cloud Python SDK (`tencentcloud-sdk-python-cvm`, `-gaap`,
//! `-vpc` from PyPI, in a venv under cargo's temporary directory, reused across runs) signs
//! requests and sends them to the emulator binary, with `POST` and with `GET`, through the
//! per-service clients and through its `CommonClient`.
//!
//! Skipped, with the reason printed, when `python3`, `venv` or the PyPI packages are unavailable
//! (no network). Set `TENCENTCLOUD_EMULATOR_PYTHON` to a Python that already has the packages to
//! skip the install.

mod peer;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use serde_json::{Value, json};

use peer::{EmulatorProcess, json_lines, run};

const SECRET_ID: &str = "AKIDpythonPeer000001";
const SECRET_KEY: &str = "python-peer-secret-key";
const PACKAGES: [&str; 3] = [
    "tencentcloud-sdk-python-cvm",
    "tencentcloud-sdk-python-gaap",
    "tencentcloud-sdk-python-vpc",
];

/// A Python with the three SDK packages, or why there is none; set up once per test run.
fn python_with_sdk() -> Result<PathBuf, String> {
    static PYTHON: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    PYTHON
        .get_or_init(|| {
            if let Some(python) = std::env::var_os("TENCENTCLOUD_EMULATOR_PYTHON") {
                return Ok(PathBuf::from(python));
            }
            let python = install(&Path::new(env!("CARGO_TARGET_TMPDIR")).join("python-sdk-venv"))?;
            if let Ok(version) = run(Command::new(&python)
                .args(["-c", "import tencentcloud; print(tencentcloud.__version__)"]))
            {
                println!("official Python SDK version {}", version.trim());
            }
            Ok(python)
        })
        .clone()
}

fn install(venv_dir: &Path) -> Result<PathBuf, String> {
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

fn sdk_calls(python: &Path, emulator: &EmulatorProcess, method: &str, ids: Value) -> Vec<Value> {
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/python/official_sdk_calls.py"
    );
    let config = json!({
        "endpoint": emulator.host(),
        "secret_id": SECRET_ID,
        "secret_key": SECRET_KEY,
        "method": method,
        "ids": ids,
    });
    let out = run(Command::new(python).arg(script).arg(config.to_string()))
        .unwrap_or_else(|e| panic!("the SDK script runs: {e}"));
    json_lines(&out)
}

fn assert_calls(calls: &[Value], method: &str) {
    for call in calls {
        let outcome = call["request_id"].as_str().or(call["code"].as_str());
        println!(
            "{method} {}: ok={} {}",
            call["call"],
            call["ok"],
            outcome.unwrap_or_default()
        );
    }
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
    let python = match python_with_sdk() {
        Ok(python) => python,
        Err(reason) => {
            println!(
                "SKIPPED official_python_sdk_requests_verify_and_act_with_post_and_get: {reason}"
            );
            return;
        }
    };
    let emulator = EmulatorProcess::start(SECRET_ID, SECRET_KEY);

    let calls = sdk_calls(
        &python,
        &emulator,
        "POST",
        json!({"instance": "ins-3jaw1j8m", "proxies": ["link-11112222", "link-11113333"],
               "proxy_to_modify": "link-4ftf12sb", "vpn_gateway": "vpngw-7lcl5331",
               "vpn_connection": "vpnx-p0j11j28"}),
    );
    assert_calls(&calls, "POST");

    emulator
        .seed("instances", json!({"InstanceId": "ins-00000001"}))
        .await;
    emulator
        .seed(
            "proxies",
            json!([{"ProxyId": "link-00000001"}, {"ProxyId": "link-00000002"},
                   {"ProxyId": "link-00000003"}]),
        )
        .await;
    emulator
        .seed(
            "vpn-connections",
            json!({"VpnConnectionId": "vpnx-00000001", "VpnGatewayId": "vpngw-7lcl5331"}),
        )
        .await;
    let calls = sdk_calls(
        &python,
        &emulator,
        "GET",
        json!({"instance": "ins-00000001", "proxies": ["link-00000001", "link-00000002"],
               "proxy_to_modify": "link-00000003", "vpn_gateway": "vpngw-7lcl5331",
               "vpn_connection": "vpnx-00000001"}),
    );
    assert_calls(&calls, "GET");

    let log = emulator.request_log().await;
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

/// `CommonClient` calls: the service, version and action by name, parameters as JSON.
fn common_client_calls(python: &Path, emulator: &EmulatorProcess, calls: Value) -> Vec<Value> {
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/python/common_client_calls.py"
    );
    let config = json!({
        "endpoint": emulator.host(),
        "secret_id": SECRET_ID,
        "secret_key": SECRET_KEY,
        "calls": calls,
    });
    let out = run(Command::new(python).arg(script).arg(config.to_string()))
        .unwrap_or_else(|e| panic!("the CommonClient script runs: {e}"));
    json_lines(&out)
}

#[tokio::test]
async fn official_python_common_client_reaches_any_action_of_the_three_services() {
    let python = match python_with_sdk() {
        Ok(python) => python,
        Err(reason) => {
            println!(
                "SKIPPED official_python_common_client_reaches_any_action_of_the_three_services: {reason}"
            );
            return;
        }
    };
    let emulator = EmulatorProcess::start(SECRET_ID, SECRET_KEY);
    let call = |name: &str, service: &str, version: &str, action: &str, params: Value| json!({"name": name, "service": service, "version": version, "action": action, "params": params});
    let calls = common_client_calls(
        &python,
        &emulator,
        json!([
            call(
                "DescribeInstances",
                "cvm",
                "2017-03-12",
                "DescribeInstances",
                json!({"Limit": 1})
            ),
            call(
                "DescribeVpcs",
                "vpc",
                "2017-03-12",
                "DescribeVpcs",
                json!({})
            ),
            call(
                "DescribeProxies",
                "gaap",
                "2018-05-29",
                "DescribeProxies",
                json!({})
            ),
            call(
                "DescribeHosts",
                "cvm",
                "2017-03-12",
                "DescribeHosts",
                json!({})
            ),
            call(
                "wrong type",
                "cvm",
                "2017-03-12",
                "DescribeInstances",
                json!({"Limit": "many"})
            ),
        ]),
    );
    let by_name = |name: &str| {
        calls
            .iter()
            .find(|c| c["call"] == name)
            .unwrap_or_else(|| panic!("no {name} call in {calls:?}"))
    };
    for (name, listing) in [
        ("DescribeInstances", "InstanceSet"),
        ("DescribeVpcs", "VpcSet"),
        ("DescribeProxies", "InstanceSet"),
    ] {
        let answer = by_name(name);
        assert_eq!(answer["ok"], true, "{name}: {answer}");
        assert_eq!(
            answer["request_id"].as_str().map(str::len),
            Some(36),
            "{answer}"
        );
        assert!(
            answer["body"][listing]
                .as_array()
                .is_some_and(|l| !l.is_empty()),
            "{name} answers with its documented example: {answer}"
        );
    }
    // No usable example is documented for DescribeHosts: the answer is built from its shape.
    let hosts = by_name("DescribeHosts");
    assert_eq!(hosts["ok"], true, "{hosts}");
    assert_eq!(hosts["body"]["HostSet"], json!([]), "{hosts}");
    assert!(hosts["body"]["TotalCount"].is_i64(), "{hosts}");
    let wrong = by_name("wrong type");
    assert_eq!(wrong["ok"], false, "{wrong}");
    assert_eq!(wrong["code"], "InvalidParameter", "{wrong}");
    assert!(
        wrong["message"]
            .as_str()
            .unwrap_or_default()
            .contains("Limit"),
        "{wrong}"
    );
}
