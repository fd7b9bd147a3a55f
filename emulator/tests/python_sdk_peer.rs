//! A real peer: the official Tencent Cloud Python SDK (`tencentcloud-sdk-python-cvm`, `-gaap`,
//! `-vpc` from PyPI, in a venv under cargo's temporary directory, reused across runs) signs
//! requests and sends them to the emulator binary, with `POST` and with `GET`, through the
//! per-service clients and through its `CommonClient`.
//!
//! Skipped, with the reason printed, when `python3`, `venv` or the PyPI packages are unavailable
//! (no network). Set `TENCENTCLOUD_EMULATOR_PYTHON` to a Python that already has the packages to
//! skip the install.

mod peer;

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use serde_json::{Map, Value, json};
use tencentcloud_emulator::{DEFAULT_SPECS_DIR, keeps_state};
use tencentcloud_spec::index::SpecIndex;
use tencentcloud_spec::types::{Member, MemberKind, Object, ServiceSpec};

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
    let emulator = EmulatorProcess::start(SECRET_ID, SECRET_KEY, &[]);

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
    let emulator = EmulatorProcess::start(SECRET_ID, SECRET_KEY, &[]);
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
                "CreateVpc",
                "vpc",
                "2017-03-12",
                "CreateVpc",
                json!({"VpcName": "from-python", "CidrBlock": "10.9.0.0/16"})
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
                "DescribeIpGeolocationInfos",
                "vpc",
                "2017-03-12",
                "DescribeIpGeolocationInfos",
                json!({"AddressIps": ["8.8.8.8"]})
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
    // The VPC the SDK created reads back, as the emulator keeps VPCs as resources.
    let vpcs = by_name("DescribeVpcs");
    assert_eq!(vpcs["body"]["TotalCount"], 1, "{vpcs}");
    let vpc = &vpcs["body"]["VpcSet"][0];
    assert_eq!(
        (&vpc["VpcName"], &vpc["CidrBlock"]),
        (&json!("from-python"), &json!("10.9.0.0/16")),
        "{vpcs}"
    );
    assert_eq!(
        vpc["VpcId"],
        by_name("CreateVpc")["body"]["Vpc"]["VpcId"],
        "{vpcs}"
    );
    for (name, listing) in [
        ("DescribeInstances", "InstanceSet"),
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
    // No usable example is documented for DescribeIpGeolocationInfos: the answer is built from
    // its shape.
    let located = by_name("DescribeIpGeolocationInfos");
    assert_eq!(located["ok"], true, "{located}");
    // Both members are documented as possibly null, and are.
    let body = located["body"].as_object().expect("an answer");
    assert_eq!(body.get("AddressInfo"), Some(&Value::Null), "{located}");
    assert_eq!(body.get("Total"), Some(&Value::Null), "{located}");
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

/// Where the catalog test's services come from: `TENCENTCLOUD_CATALOG_SPECS`, else the
/// repository's `specs/`.
fn catalog_folder() -> PathBuf {
    std::env::var_os("TENCENTCLOUD_CATALOG_SPECS")
        .map_or_else(|| PathBuf::from(DEFAULT_SPECS_DIR), PathBuf::from)
}

/// A request of `object`'s shape with only its required members, each of the simplest value of
/// its type (lists of one element).
fn minimal_request(object: &str, objects: &BTreeMap<String, Object>, depth: usize) -> Value {
    let Some(shape) = objects.get(object) else {
        return json!({});
    };
    let members = shape
        .members
        .iter()
        .filter(|m| m.required)
        .map(|m| {
            let element = match m.member.as_str() {
                "int64" | "uint64" => json!(1),
                "float" => json!(1.5),
                "bool" => json!(false),
                "binary" => json!("AA=="),
                "string" | "datetime" | "datetime_iso" | "date" => json!("x"),
                nested if depth < 8 => minimal_request(nested, objects, depth + 1),
                _ => json!({}),
            };
            let value = if m.kind == MemberKind::List {
                json!([element])
            } else {
                element
            };
            (m.name.clone(), value)
        })
        .collect::<Map<String, Value>>();
    Value::Object(members)
}

/// Problems of `value` against `member`'s documented type; `path` names it in them.
fn shape_problems(
    value: &Value,
    member: &Member,
    objects: &BTreeMap<String, Object>,
    path: &str,
    out: &mut Vec<String>,
) {
    match (member.kind, value) {
        (_, Value::Null) if !member.required => {}
        (MemberKind::List, Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                element_problems(item, &member.member, objects, &format!("{path}[{i}]"), out);
            }
        }
        (MemberKind::List, other) => out.push(format!("{path}: a list expected, got {other}")),
        _ => element_problems(value, &member.member, objects, path, out),
    }
}

fn element_problems(
    value: &Value,
    ty: &str,
    objects: &BTreeMap<String, Object>,
    path: &str,
    out: &mut Vec<String>,
) {
    let fits = match (ty, value) {
        ("int64", Value::Number(n)) => n.is_i64(),
        ("uint64", Value::Number(n)) => n.is_u64(),
        ("float", Value::Number(_)) | ("bool", Value::Bool(_)) => true,
        ("string" | "datetime" | "datetime_iso" | "date" | "binary", Value::String(_)) => true,
        (name, Value::Object(map)) if objects.contains_key(name) => {
            members_problems(map, name, objects, path, out);
            true
        }
        _ => false,
    };
    if !fits {
        out.push(format!("{path}: {ty} expected, got {value}"));
    }
}

fn members_problems(
    map: &Map<String, Value>,
    object: &str,
    objects: &BTreeMap<String, Object>,
    path: &str,
    out: &mut Vec<String>,
) {
    let shape = &objects[object];
    for key in map.keys() {
        if !shape.members.iter().any(|m| &m.name == key) {
            out.push(format!("{path}.{key}: not a member of {object}"));
        }
    }
    for member in &shape.members {
        let at = format!("{path}.{}", member.name);
        match map.get(&member.name) {
            Some(value) => shape_problems(value, member, objects, &at, out),
            None if member.required => out.push(format!("{at}: required, missing")),
            None => {}
        }
    }
}

/// A value of another type than `member`'s: a structure for scalars and lists, a string for
/// structures.
fn wrong_type(member: &Member, objects: &BTreeMap<String, Object>) -> Value {
    if member.kind != MemberKind::List && objects.contains_key(&member.member) {
        json!("not a structure")
    } else {
        json!({"Not": "of this type"})
    }
}

struct Probe {
    service: String,
    version: String,
    action: String,
    output: String,
    spec: ServiceSpec,
    request: Value,
}

/// One action of a random version of `service`: preferably one with a required parameter (so a
/// request can leave it out), else one with any parameter; never one the emulator keeps state
/// for, whose answer depends on resources seeded before, not on the request's shape alone.
fn probe(index: &SpecIndex, service: &str, rng: &mut fastrand::Rng) -> Probe {
    let versions = index
        .load(service)
        .unwrap_or_else(|e| panic!("{service} loads:\n{e}"));
    let loaded = &versions[rng.usize(..versions.len())];
    let spec = loaded.spec.clone();
    let input_of = |name: &String| &spec.objects[&spec.actions[name].input].members;
    let actions: Vec<&String> = spec
        .actions
        .keys()
        .filter(|action| !keeps_state(&spec, action))
        .collect();
    let with_required: Vec<&String> = actions
        .iter()
        .copied()
        .filter(|a| input_of(a).iter().any(|m| m.required))
        .collect();
    let with_any: Vec<&String> = actions
        .iter()
        .copied()
        .filter(|a| !input_of(a).is_empty())
        .collect();
    let pool = [with_required, with_any, actions]
        .into_iter()
        .find(|pool| !pool.is_empty())
        .expect("a service version has actions");
    let action = pool[rng.usize(..pool.len())].clone();
    let def = &spec.actions[&action];
    Probe {
        service: service.to_owned(),
        version: spec.metadata.api_version.clone(),
        output: def.output.clone(),
        request: minimal_request(&def.input, &spec.objects, 0),
        action,
        spec,
    }
}

#[tokio::test]
async fn official_python_common_client_gets_documented_shapes_from_random_catalog_services() {
    let test = "official_python_common_client_gets_documented_shapes_from_random_catalog_services";
    let python = match python_with_sdk() {
        Ok(python) => python,
        Err(reason) => {
            println!("SKIPPED {test}: {reason}");
            return;
        }
    };
    let folder = catalog_folder();
    let index = SpecIndex::open(&folder).unwrap_or_else(|e| panic!("{}:\n{e}", folder.display()));
    let seed = std::env::var("TENCENTCLOUD_CATALOG_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs())
        });
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut services: Vec<&str> = index.services().collect();
    rng.shuffle(&mut services);
    services.truncate(20);
    services.sort_unstable();
    println!(
        "{} services of {} (seed {seed}; TENCENTCLOUD_CATALOG_SEED={seed} replays): {}",
        services.len(),
        folder.display(),
        services.join(", ")
    );
    let probes: Vec<Probe> = services
        .iter()
        .map(|service| probe(&index, service, &mut rng))
        .collect();

    let emulator = EmulatorProcess::start(
        SECRET_ID,
        SECRET_KEY,
        &[
            OsStr::new("--specs-dir"),
            folder.as_os_str(),
            OsStr::new("--no-rate-limits"),
        ],
    );
    let mut calls = Vec::new();
    for p in &probes {
        let call = |kind: &str, params: &Value| {
            json!({"name": format!("{} {} {kind}", p.service, p.action), "service": p.service,
                   "version": p.version, "action": p.action, "params": params})
        };
        calls.push(call("documented", &p.request));
        let mut unknown = p.request.clone();
        unknown["NoSuchParameterAnywhere"] = json!(1);
        calls.push(call("UnknownParameter", &unknown));
        let input = &p.spec.objects[&p.spec.actions[&p.action].input].members;
        if let Some(required) = input.iter().find(|m| m.required) {
            let mut missing = p.request.clone();
            missing
                .as_object_mut()
                .expect("an object")
                .remove(&required.name);
            calls.push(call("MissingParameter", &missing));
        }
        if let Some(member) = input.first() {
            let mut wrong = p.request.clone();
            wrong[&member.name] = wrong_type(member, &p.spec.objects);
            calls.push(call("InvalidParameter", &wrong));
        }
    }
    let outcomes = common_client_calls(&python, &emulator, Value::Array(calls.clone()));
    assert_eq!(outcomes.len(), calls.len(), "one outcome per call");

    let mut problems = Vec::new();
    for (call, outcome) in calls.iter().zip(&outcomes) {
        let name = call["name"].as_str().unwrap_or_default();
        let kind = name.rsplit(' ').next().unwrap_or_default();
        println!("{name}: {}", outcome["code"].as_str().unwrap_or("answered"));
        if kind != "documented" {
            if outcome["code"] != kind {
                problems.push(format!("{name}: expected {kind}, got {outcome}"));
            }
            continue;
        }
        let probe = probes
            .iter()
            .find(|p| call["service"] == p.service.as_str())
            .expect("each call is a probe's");
        let Some(body) = outcome["body"]
            .as_object()
            .filter(|_| outcome["ok"] == true)
        else {
            // An action that keeps state refuses an example's id that names no resource made
            // here, with a code its documents list.
            let code = outcome["code"].as_str().unwrap_or_default();
            let action = &probe.spec.actions[&probe.action];
            let documented = action
                .errors
                .iter()
                .chain(&probe.spec.errors)
                .any(|e| e.code == code);
            if !(documented && code.contains("NotFound")) {
                problems.push(format!("{name}: expected an answer, got {outcome}"));
            }
            continue;
        };
        if body.get("RequestId").and_then(Value::as_str).map(str::len) != Some(36) {
            problems.push(format!("{name}: no RequestId in {body:?}"));
        }
        let mut shape = Vec::new();
        members_problems(
            body,
            &probe.output,
            &probe.spec.objects,
            "Response",
            &mut shape,
        );
        problems.extend(shape.into_iter().map(|p| format!("{name}: {p}")));
    }
    assert!(
        problems.is_empty(),
        "seed {seed}: {} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}
