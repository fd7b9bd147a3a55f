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
    common_client_calls_with(python, emulator, calls, json!({}))
}

/// [`common_client_calls`] with more settings for the script (`protocol`, `certification`).
fn common_client_calls_with(
    python: &Path,
    emulator: &EmulatorProcess,
    calls: Value,
    settings: Value,
) -> Vec<Value> {
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/python/common_client_calls.py"
    );
    let mut config = json!({
        "endpoint": emulator.host(),
        "secret_id": SECRET_ID,
        "secret_key": SECRET_KEY,
        "calls": calls,
    });
    if let (Some(config), Some(settings)) = (config.as_object_mut(), settings.as_object()) {
        config.extend(settings.clone());
    }
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

/// `[name, service, version, action, params]` as a `CommonClient` call.
fn step(name: &str, service: &str, version: &str, action: &str, params: Value) -> Value {
    json!({"name": name, "service": service, "version": version, "action": action,
           "params": params})
}

/// Runs `calls` through the official SDK's `CommonClient` against a fresh emulator binary whose
/// changes of state take no time, and returns the outcomes by call name; `None` (with the reason
/// printed) when the SDK cannot be installed.
async fn lifecycle(test: &str, calls: Vec<Value>) -> Option<BTreeMap<String, Value>> {
    let python = match python_with_sdk() {
        Ok(python) => python,
        Err(reason) => {
            println!("SKIPPED {test}: {reason}");
            return None;
        }
    };
    let emulator = EmulatorProcess::start(SECRET_ID, SECRET_KEY, &[]);
    emulator
        .admin(
            reqwest::Method::PUT,
            "transitions",
            json!({"launchMs": 0, "changeMs": 0}),
        )
        .await;
    let outcomes = common_client_calls(&python, &emulator, Value::Array(calls.clone()));
    assert_eq!(outcomes.len(), calls.len(), "one outcome per call");
    Some(
        outcomes
            .into_iter()
            .map(|outcome| {
                println!("{outcome}");
                (
                    outcome["call"].as_str().unwrap_or_default().to_owned(),
                    outcome,
                )
            })
            .collect(),
    )
}

/// The answer of a call that must have succeeded.
fn ok<'a>(outcomes: &'a BTreeMap<String, Value>, name: &str) -> &'a Value {
    let outcome = &outcomes[name];
    assert_eq!(outcome["ok"], true, "{name}: {outcome}");
    &outcome["body"]
}

/// The code of a call that must have failed.
fn refused<'a>(outcomes: &'a BTreeMap<String, Value>, name: &str) -> &'a str {
    let outcome = &outcomes[name];
    assert_eq!(outcome["ok"], false, "{name}: {outcome}");
    outcome["code"].as_str().unwrap_or_default()
}

const CVM: (&str, &str) = ("cvm", "2017-03-12");
const VPC: (&str, &str) = ("vpc", "2017-03-12");

fn cvm(name: &str, action: &str, params: Value) -> Value {
    step(name, CVM.0, CVM.1, action, params)
}

fn vpc(name: &str, action: &str, params: Value) -> Value {
    step(name, VPC.0, VPC.1, action, params)
}

/// An instance launched for the lifecycle to act on: `$run.InstanceIdSet.0`.
fn run_instance() -> Value {
    cvm(
        "run",
        "RunInstances",
        json!({"ImageId": "img-pmqg1cw7", "Placement": {"Zone": "ap-guangzhou-3"}}),
    )
}

#[tokio::test]
async fn official_python_sdk_takes_a_cvm_instance_through_its_lifecycle() {
    let ids = json!(["$run.InstanceIdSet.0"]);
    let read = |name: &str| cvm(name, "DescribeInstances", json!({"InstanceIds": ids}));
    let Some(out) = lifecycle(
        "official_python_sdk_takes_a_cvm_instance_through_its_lifecycle",
        vec![
            run_instance(),
            read("launched"),
            cvm("stop", "StopInstances", json!({"InstanceIds": ids})),
            read("stopped"),
            cvm("stop again", "StopInstances", json!({"InstanceIds": ids})),
            cvm("start", "StartInstances", json!({"InstanceIds": ids})),
            cvm("reboot", "RebootInstances", json!({"InstanceIds": ids})),
            read("rebooted"),
            cvm(
                "terminate",
                "TerminateInstances",
                json!({"InstanceIds": ids}),
            ),
            read("terminated"),
            cvm(
                "terminate again",
                "TerminateInstances",
                json!({"InstanceIds": ids}),
            ),
        ],
    )
    .await
    else {
        return;
    };
    let id = &ok(&out, "run")["InstanceIdSet"][0];
    let state = |name: &str| {
        let answer = ok(&out, name);
        assert_eq!(
            answer["InstanceSet"][0]["InstanceId"], *id,
            "{name}: {answer}"
        );
        (
            answer["InstanceSet"][0]["InstanceState"].clone(),
            answer["InstanceSet"][0]["LatestOperation"].clone(),
        )
    };
    assert_eq!(state("launched"), (json!("RUNNING"), json!("RunInstances")));
    ok(&out, "stop");
    assert_eq!(state("stopped"), (json!("STOPPED"), json!("StopInstances")));
    assert_eq!(
        refused(&out, "stop again"),
        "UnsupportedOperation.InstanceStateStopped"
    );
    ok(&out, "start");
    ok(&out, "reboot");
    assert_eq!(
        state("rebooted"),
        (json!("RUNNING"), json!("RebootInstances"))
    );
    ok(&out, "terminate");
    assert_eq!(ok(&out, "terminated")["TotalCount"], 0);
    assert_eq!(
        refused(&out, "terminate again"),
        "UnsupportedOperation.InstanceStateTerminated"
    );
}

#[tokio::test]
async fn official_python_sdk_keeps_cvm_key_pairs_and_images() {
    let Some(out) = lifecycle(
        "official_python_sdk_keeps_cvm_key_pairs_and_images",
        vec![
            run_instance(),
            cvm(
                "create key",
                "CreateKeyPair",
                json!({"KeyName": "deploy", "ProjectId": 0}),
            ),
            cvm(
                "create same name",
                "CreateKeyPair",
                json!({"KeyName": "deploy", "ProjectId": 0}),
            ),
            cvm(
                "rename",
                "ModifyKeyPairAttribute",
                json!({"KeyId": "$create key.KeyPair.KeyId", "Description": "for CI"}),
            ),
            cvm(
                "read key",
                "DescribeKeyPairs",
                json!({"KeyIds": ["$create key.KeyPair.KeyId"]}),
            ),
            cvm(
                "image",
                "CreateImage",
                json!({"InstanceId": "$run.InstanceIdSet.0", "ImageName": "golden"}),
            ),
            cvm(
                "image of nothing",
                "CreateImage",
                json!({"InstanceId": "ins-0000dead", "ImageName": "none"}),
            ),
            cvm(
                "read image",
                "DescribeImages",
                json!({"ImageIds": ["$image.ImageId"]}),
            ),
            cvm(
                "delete key",
                "DeleteKeyPairs",
                json!({"KeyIds": ["$create key.KeyPair.KeyId"]}),
            ),
            cvm(
                "read deleted key",
                "DescribeKeyPairs",
                json!({"KeyIds": ["$create key.KeyPair.KeyId"]}),
            ),
            cvm(
                "delete key again",
                "DeleteKeyPairs",
                json!({"KeyIds": ["$create key.KeyPair.KeyId"]}),
            ),
        ],
    )
    .await
    else {
        return;
    };
    let key_id = &ok(&out, "create key")["KeyPair"]["KeyId"];
    assert!(
        key_id.as_str().is_some_and(|id| id.starts_with("skey-")),
        "{key_id}"
    );
    assert_eq!(
        refused(&out, "create same name"),
        "InvalidKeyPairName.Duplicate"
    );
    ok(&out, "rename");
    let read = ok(&out, "read key");
    assert_eq!(read["TotalCount"], 1, "{read}");
    let key = &read["KeyPairSet"][0];
    assert_eq!((&key["KeyId"], &key["KeyName"]), (key_id, &json!("deploy")));
    assert_eq!(key["Description"], "for CI", "the change is seen: {key}");
    let image = ok(&out, "read image");
    assert_eq!(image["TotalCount"], 1, "{image}");
    assert_eq!(image["ImageSet"][0]["ImageName"], "golden", "{image}");
    assert_eq!(image["ImageSet"][0]["ImageState"], "NORMAL", "{image}");
    assert_eq!(
        refused(&out, "image of nothing"),
        "InvalidInstanceId.NotFound"
    );
    ok(&out, "delete key");
    assert_eq!(ok(&out, "read deleted key")["TotalCount"], 0);
    assert_eq!(
        refused(&out, "delete key again"),
        "ResourceNotFound.KeyPairNotFound"
    );
}

#[tokio::test]
async fn official_python_sdk_keeps_vpcs_subnets_security_groups_and_eips() {
    let Some(out) = lifecycle(
        "official_python_sdk_keeps_vpcs_subnets_security_groups_and_eips",
        vec![
            run_instance(),
            vpc(
                "vpc",
                "CreateVpc",
                json!({"VpcName": "app", "CidrBlock": "10.0.0.0/16"}),
            ),
            vpc(
                "subnet",
                "CreateSubnet",
                json!({"VpcId": "$vpc.Vpc.VpcId", "SubnetName": "web",
                       "CidrBlock": "10.0.1.0/24", "Zone": "ap-guangzhou-3"}),
            ),
            vpc(
                "subnet in no vpc",
                "CreateSubnet",
                json!({"VpcId": "vpc-0000dead", "SubnetName": "lost",
                       "CidrBlock": "10.1.1.0/24", "Zone": "ap-guangzhou-3"}),
            ),
            vpc(
                "delete vpc in use",
                "DeleteVpc",
                json!({"VpcId": "$vpc.Vpc.VpcId"}),
            ),
            vpc(
                "group",
                "CreateSecurityGroup",
                json!({"GroupName": "web", "GroupDescription": "web tier"}),
            ),
            vpc(
                "read group",
                "DescribeSecurityGroups",
                json!({"SecurityGroupIds": ["$group.SecurityGroup.SecurityGroupId"]}),
            ),
            vpc("eips", "AllocateAddresses", json!({"AddressCount": 2})),
            vpc(
                "associate",
                "AssociateAddress",
                json!({"AddressId": "$eips.AddressSet.0", "InstanceId": "$run.InstanceIdSet.0"}),
            ),
            vpc(
                "associate again",
                "AssociateAddress",
                json!({"AddressId": "$eips.AddressSet.0", "InstanceId": "$run.InstanceIdSet.0"}),
            ),
            vpc(
                "read bound",
                "DescribeAddresses",
                json!({"AddressIds": ["$eips.AddressSet.0"]}),
            ),
            vpc(
                "release bound",
                "ReleaseAddresses",
                json!({"AddressIds": ["$eips.AddressSet.0"]}),
            ),
            vpc(
                "disassociate",
                "DisassociateAddress",
                json!({"AddressId": "$eips.AddressSet.0"}),
            ),
            vpc(
                "release",
                "ReleaseAddresses",
                json!({"AddressIds": ["$eips.AddressSet.0", "$eips.AddressSet.1"]}),
            ),
            vpc("read released", "DescribeAddresses", json!({})),
            vpc(
                "delete subnet",
                "DeleteSubnet",
                json!({"SubnetId": "$subnet.Subnet.SubnetId"}),
            ),
            vpc(
                "delete vpc",
                "DeleteVpc",
                json!({"VpcId": "$vpc.Vpc.VpcId"}),
            ),
            vpc(
                "read vpcs",
                "DescribeVpcs",
                json!({"VpcIds": ["$vpc.Vpc.VpcId"]}),
            ),
        ],
    )
    .await
    else {
        return;
    };
    let vpc_id = &ok(&out, "vpc")["Vpc"]["VpcId"];
    assert_eq!(ok(&out, "subnet")["Subnet"]["VpcId"], *vpc_id);
    assert_eq!(refused(&out, "subnet in no vpc"), "InvalidVpcId.NotFound");
    assert_eq!(refused(&out, "delete vpc in use"), "ResourceInUse");
    let group = ok(&out, "read group");
    assert_eq!(group["TotalCount"], 1, "{group}");
    assert_eq!(
        group["SecurityGroupSet"][0]["SecurityGroupName"], "web",
        "{group}"
    );
    let eips = ok(&out, "eips")["AddressSet"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(eips.len(), 2, "{eips:?}");
    ok(&out, "associate");
    assert_eq!(
        refused(&out, "associate again"),
        "UnsupportedOperation.AddressStatusNotPermit"
    );
    let bound = &ok(&out, "read bound")["AddressSet"][0];
    assert_eq!(bound["AddressStatus"], "BIND", "{bound}");
    assert_eq!(
        bound["InstanceId"],
        ok(&out, "run")["InstanceIdSet"][0],
        "{bound}"
    );
    assert_eq!(
        refused(&out, "release bound"),
        "UnsupportedOperation.AddressStatusNotPermit"
    );
    ok(&out, "disassociate");
    ok(&out, "release");
    assert_eq!(ok(&out, "read released")["TotalCount"], 0);
    ok(&out, "delete subnet");
    ok(&out, "delete vpc");
    assert_eq!(ok(&out, "read vpcs")["TotalCount"], 0);
}

#[tokio::test]
async fn official_python_sdk_attaches_and_detaches_cbs_disks() {
    let cbs =
        |name: &str, action: &str, params: Value| step(name, "cbs", "2017-03-12", action, params);
    let disk = json!(["$disks.DiskIdSet.0"]);
    let Some(out) = lifecycle(
        "official_python_sdk_attaches_and_detaches_cbs_disks",
        vec![
            run_instance(),
            cbs(
                "disks",
                "CreateDisks",
                json!({"DiskType": "CLOUD_PREMIUM", "DiskChargeType": "POSTPAID_BY_HOUR",
                       "Placement": {"Zone": "ap-guangzhou-3"}, "DiskSize": 50,
                       "DiskName": "data", "DiskCount": 2}),
            ),
            cbs(
                "attach",
                "AttachDisks",
                json!({"DiskIds": disk, "InstanceId": "$run.InstanceIdSet.0"}),
            ),
            cbs(
                "attach again",
                "AttachDisks",
                json!({"DiskIds": disk, "InstanceId": "$run.InstanceIdSet.0"}),
            ),
            cbs(
                "attach to nothing",
                "AttachDisks",
                json!({"DiskIds": ["$disks.DiskIdSet.1"], "InstanceId": "ins-0000dead"}),
            ),
            cbs("read attached", "DescribeDisks", json!({"DiskIds": disk})),
            cbs(
                "terminate attached",
                "TerminateDisks",
                json!({"DiskIds": disk}),
            ),
            cbs("detach", "DetachDisks", json!({"DiskIds": disk})),
            cbs("detach again", "DetachDisks", json!({"DiskIds": disk})),
            cbs("read detached", "DescribeDisks", json!({"DiskIds": disk})),
            cbs(
                "terminate",
                "TerminateDisks",
                json!({"DiskIds": ["$disks.DiskIdSet.0", "$disks.DiskIdSet.1"]}),
            ),
            cbs("read terminated", "DescribeDisks", json!({"DiskIds": disk})),
        ],
    )
    .await
    else {
        return;
    };
    ok(&out, "attach");
    assert_eq!(
        refused(&out, "attach again"),
        "ResourceUnavailable.Attached"
    );
    assert_eq!(
        refused(&out, "attach to nothing"),
        "InvalidInstanceId.NotFound"
    );
    let attached = &ok(&out, "read attached")["DiskSet"][0];
    assert_eq!(
        (
            &attached["DiskState"],
            &attached["Attached"],
            &attached["DiskName"]
        ),
        (&json!("ATTACHED"), &json!(true), &json!("data")),
        "{attached}"
    );
    assert_eq!(attached["InstanceId"], ok(&out, "run")["InstanceIdSet"][0]);
    assert_eq!(
        refused(&out, "terminate attached"),
        "ResourceUnavailable.Attached"
    );
    ok(&out, "detach");
    assert_eq!(
        refused(&out, "detach again"),
        "UnsupportedOperation.StateError"
    );
    let detached = &ok(&out, "read detached")["DiskSet"][0];
    assert_eq!(
        (&detached["DiskState"], &detached["Attached"]),
        (&json!("UNATTACHED"), &json!(false)),
        "{detached}"
    );
    ok(&out, "terminate");
    assert_eq!(ok(&out, "read terminated")["TotalCount"], 0);
}

#[tokio::test]
async fn official_python_sdk_keeps_clb_load_balancers_and_listeners() {
    let clb =
        |name: &str, action: &str, params: Value| step(name, "clb", "2018-03-17", action, params);
    let lb = "$lb.LoadBalancerIds.0";
    let Some(out) = lifecycle(
        "official_python_sdk_keeps_clb_load_balancers_and_listeners",
        vec![
            clb(
                "lb",
                "CreateLoadBalancer",
                json!({"LoadBalancerType": "OPEN", "LoadBalancerName": "front"}),
            ),
            clb(
                "listener",
                "CreateListener",
                json!({"LoadBalancerId": lb, "Ports": [80], "Protocol": "HTTP",
                       "ListenerNames": ["http"]}),
            ),
            clb(
                "listener on nothing",
                "CreateListener",
                json!({"LoadBalancerId": "lb-0000dead", "Ports": [80], "Protocol": "HTTP"}),
            ),
            clb(
                "rename",
                "ModifyLoadBalancerAttributes",
                json!({"LoadBalancerId": lb, "LoadBalancerName": "edge"}),
            ),
            clb(
                "read lb",
                "DescribeLoadBalancers",
                json!({"LoadBalancerIds": [lb]}),
            ),
            clb(
                "read listeners",
                "DescribeListeners",
                json!({"LoadBalancerId": lb}),
            ),
            clb(
                "delete listener",
                "DeleteListener",
                json!({"LoadBalancerId": lb, "ListenerId": "$listener.ListenerIds.0"}),
            ),
            clb(
                "delete lb",
                "DeleteLoadBalancer",
                json!({"LoadBalancerIds": [lb]}),
            ),
            clb(
                "read deleted",
                "DescribeLoadBalancers",
                json!({"LoadBalancerIds": [lb]}),
            ),
        ],
    )
    .await
    else {
        return;
    };
    let lb_id = &ok(&out, "lb")["LoadBalancerIds"][0];
    assert!(
        lb_id.as_str().is_some_and(|id| id.starts_with("lb-")),
        "{lb_id}"
    );
    ok(&out, "listener");
    assert_eq!(refused(&out, "listener on nothing"), "ResourceNotFound");
    ok(&out, "rename");
    let read = ok(&out, "read lb");
    assert_eq!(read["TotalCount"], 1, "{read}");
    let balancer = &read["LoadBalancerSet"][0];
    assert_eq!(
        (
            &balancer["LoadBalancerId"],
            &balancer["LoadBalancerName"],
            &balancer["Status"]
        ),
        (lb_id, &json!("edge"), &json!(1)),
        "{balancer}"
    );
    let listeners = ok(&out, "read listeners");
    assert_eq!(listeners["TotalCount"], 1, "{listeners}");
    ok(&out, "delete listener");
    ok(&out, "delete lb");
    assert_eq!(ok(&out, "read deleted")["TotalCount"], 0);
}

#[tokio::test]
async fn official_python_sdk_keeps_cam_users_roles_and_policies() {
    let cam =
        |name: &str, action: &str, params: Value| step(name, "cam", "2019-01-16", action, params);
    let document =
        r#"{"version":"2.0","statement":[{"effect":"allow","action":["cvm:*"],"resource":["*"]}]}"#;
    let Some(out) = lifecycle(
        "official_python_sdk_keeps_cam_users_roles_and_policies",
        vec![
            cam(
                "user",
                "AddUser",
                json!({"Name": "ci-bot", "Remark": "runs CI"}),
            ),
            cam("same user", "AddUser", json!({"Name": "ci-bot"})),
            cam(
                "update user",
                "UpdateUser",
                json!({"Name": "ci-bot", "Remark": "deploys"}),
            ),
            cam("get user", "GetUser", json!({"Name": "ci-bot"})),
            cam("list users", "ListUsers", json!({})),
            cam(
                "role",
                "CreateRole",
                json!({"RoleName": "deployer", "PolicyDocument": document}),
            ),
            cam(
                "same role",
                "CreateRole",
                json!({"RoleName": "deployer", "PolicyDocument": document}),
            ),
            cam("get role", "GetRole", json!({"RoleId": "$role.RoleId"})),
            cam(
                "policy",
                "CreatePolicy",
                json!({"PolicyName": "cvm-all", "PolicyDocument": document}),
            ),
            cam(
                "get policy",
                "GetPolicy",
                json!({"PolicyId": "$policy.PolicyId"}),
            ),
            cam("list policies", "ListPolicies", json!({})),
            cam(
                "delete policy",
                "DeletePolicy",
                json!({"PolicyId": ["$policy.PolicyId"]}),
            ),
            cam(
                "get deleted policy",
                "GetPolicy",
                json!({"PolicyId": "$policy.PolicyId"}),
            ),
            cam(
                "delete role",
                "DeleteRole",
                json!({"RoleId": "$role.RoleId"}),
            ),
            cam("delete user", "DeleteUser", json!({"Name": "ci-bot"})),
            cam("get deleted user", "GetUser", json!({"Name": "ci-bot"})),
        ],
    )
    .await
    else {
        return;
    };
    ok(&out, "user");
    assert_eq!(
        refused(&out, "same user"),
        "InvalidParameter.SubUserNameInUse"
    );
    ok(&out, "update user");
    let user = ok(&out, "get user");
    assert_eq!(
        (&user["Name"], &user["Remark"]),
        (&json!("ci-bot"), &json!("deploys")),
        "{user}"
    );
    let users = ok(&out, "list users")["Data"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(users.len(), 1, "{users:?}");
    assert_eq!(refused(&out, "same role"), "InvalidParameter.RoleNameInUse");
    let role = &ok(&out, "get role")["RoleInfo"];
    assert_eq!(
        (&role["RoleId"], &role["RoleName"]),
        (&ok(&out, "role")["RoleId"], &json!("deployer")),
        "{role}"
    );
    let policy_id = &ok(&out, "policy")["PolicyId"];
    assert!(policy_id.is_u64(), "policy ids are numbers: {policy_id}");
    assert_eq!(ok(&out, "get policy")["PolicyName"], "cvm-all");
    let policies = ok(&out, "list policies");
    assert_eq!(policies["TotalNum"], 1, "{policies}");
    assert_eq!(policies["List"][0]["PolicyId"], *policy_id, "{policies}");
    ok(&out, "delete policy");
    assert_eq!(
        refused(&out, "get deleted policy"),
        "ResourceNotFound.PolicyIdNotFound"
    );
    ok(&out, "delete role");
    ok(&out, "delete user");
    assert!(
        refused(&out, "get deleted user").contains("NotFound")
            || refused(&out, "get deleted user").contains("NotExist")
    );
}

#[tokio::test]
async fn official_python_sdk_sees_a_tke_cluster_through_its_states() {
    let tke =
        |name: &str, action: &str, params: Value| step(name, "tke", "2018-05-25", action, params);
    let Some(out) = lifecycle(
        "official_python_sdk_sees_a_tke_cluster_through_its_states",
        vec![
            vpc(
                "vpc",
                "CreateVpc",
                json!({"VpcName": "k8s", "CidrBlock": "10.2.0.0/16"}),
            ),
            tke(
                "cluster",
                "CreateCluster",
                json!({"ClusterType": "MANAGED_CLUSTER",
                       "ClusterCIDRSettings": {"ClusterCIDR": "172.16.0.0/16"},
                       "ClusterBasicSettings": {"ClusterName": "prod", "VpcId": "$vpc.Vpc.VpcId"}}),
            ),
            tke(
                "read",
                "DescribeClusters",
                json!({"ClusterIds": ["$cluster.ClusterId"]}),
            ),
            tke(
                "rename",
                "ModifyClusterAttribute",
                json!({"ClusterId": "$cluster.ClusterId", "ClusterName": "production"}),
            ),
            tke(
                "read renamed",
                "DescribeClusters",
                json!({"ClusterIds": ["$cluster.ClusterId"]}),
            ),
            tke(
                "delete",
                "DeleteCluster",
                json!({"ClusterId": "$cluster.ClusterId", "InstanceDeleteMode": "terminate"}),
            ),
            tke(
                "delete again",
                "DeleteCluster",
                json!({"ClusterId": "$cluster.ClusterId", "InstanceDeleteMode": "terminate"}),
            ),
            tke(
                "read deleted",
                "DescribeClusters",
                json!({"ClusterIds": ["$cluster.ClusterId"]}),
            ),
        ],
    )
    .await
    else {
        return;
    };
    let id = &ok(&out, "cluster")["ClusterId"];
    assert!(id.as_str().is_some_and(|id| id.starts_with("cls-")), "{id}");
    let cluster = &ok(&out, "read")["Clusters"][0];
    assert_eq!(
        (&cluster["ClusterId"], &cluster["ClusterStatus"]),
        (id, &json!("Running")),
        "{cluster}"
    );
    ok(&out, "rename");
    assert_eq!(
        ok(&out, "read renamed")["Clusters"][0]["ClusterName"],
        "production"
    );
    ok(&out, "delete");
    assert_eq!(
        refused(&out, "delete again"),
        "ResourceNotFound.ClusterNotFound"
    );
    assert_eq!(ok(&out, "read deleted")["TotalCount"], 0);
}

#[tokio::test]
async fn official_python_sdk_calls_over_https_trusting_the_emulator_s_certificate() {
    let test = "official_python_sdk_calls_over_https_trusting_the_emulator_s_certificate";
    let python = match python_with_sdk() {
        Ok(python) => python,
        Err(reason) => {
            println!("SKIPPED {test}: {reason}");
            return;
        }
    };
    let dir = tempfile::tempdir().unwrap();
    let certificate = dir.path().join("emulator.pem");
    let emulator = EmulatorProcess::start(
        SECRET_ID,
        SECRET_KEY,
        &[OsStr::new("--tls"), certificate.as_os_str()],
    );
    let calls = json!([
        vpc(
            "create",
            "CreateVpc",
            json!({"VpcName": "over-tls", "CidrBlock": "10.6.0.0/16"})
        ),
        vpc("read", "DescribeVpcs", json!({})),
    ]);
    let trusted = common_client_calls_with(
        &python,
        &emulator,
        calls.clone(),
        json!({"protocol": "https", "certification": certificate}),
    );
    let read = trusted.iter().find(|c| c["call"] == "read").unwrap();
    assert_eq!(read["body"]["VpcSet"][0]["VpcName"], "over-tls", "{read}");
    // Without trusting it, the SDK refuses the emulator's certificate, as it should.
    let untrusted =
        common_client_calls_with(&python, &emulator, calls, json!({"protocol": "https"}));
    assert_eq!(untrusted[0]["ok"], false, "{:?}", untrusted[0]);
    assert_eq!(
        untrusted[0]["code"], "ClientNetworkError",
        "{:?}",
        untrusted[0]
    );
}
