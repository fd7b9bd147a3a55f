//! Tencent's published description as imported into `specs/upstream/<service>/<vYYYYMMDD>/`
//! (tccli's `api.json` and `examples.json`, the Python SDK's error codes, each with an English
//! `.en.json` edition), turned into the spec model by documented rules. Upstream data is never
//! rejected for its oddities: each rule that changes or fills in something is recorded in
//! [`Resolutions`], which the import prints as one summary.
//!
//! The rules (`specs/README.md` lists them too):
//! - Documents are HTML; they become Markdown ([`html`]). The English edition supplies `document`
//!   and the Chinese one `documentZh`; where the English edition lacks a text, `document` is the
//!   Chinese one.
//! - The product's English name is the English edition's; where it gives none, the Chinese name
//!   stands in, else the short name upper-cased.
//! - An action without a status is `online`; `offline` is kept as a status of its own.
//! - A response member is `required` only when upstream says it is always present and never
//!   null (`output_required` and not `value_allowed_null`); `RequestId` always is.
//! - `"无"` ("none") and empty examples of members are dropped; `disabled` flags are dropped.
//! - Examples whose request is neither a JSON `POST` nor a query URL, whose response is not
//!   `{"Response": {...}}` JSON, which set a parameter the action does not have, or whose values
//!   do not fit the member types as the generated SDK reads them, or which leave out a required
//!   parameter, are dropped; line breaks in query URLs are no part of a value, and a JSON body
//!   may follow the headers without a blank line. The English edition's examples are used when
//!   it has the action; where none of them is usable, the Chinese ones stand in.
//! - Error codes not of the form `Word(.Word)*` are dropped, as are later codes converting to the
//!   same Rust variant as an earlier one (byte order): either still decodes, as the catch-all.
//! - A request's `ClientToken` string documented as guaranteeing idempotence ("幂等",
//!   "idempotent") is the action's idempotency token, which the SDK fills when unset and which
//!   makes the action safe to retry.
//! - The endpoint is `<service>.tencentcloudapi.com`; `Region` is taken as optional (upstream
//!   does not say; the SDK sends it whenever one is configured).
//! - An action is served on a host of its own when the official Python SDK's client sends it
//!   there (`client.json`, which the import reads from `<service>_client.py`), or when its
//!   Chinese document says to set the request host ("请求域名（Endpoint）为 <host>").
//! - How an action pages is found from its members by the rules written in `paging.rs`.
//! - An action is streaming (it can answer with server-sent events) when the official Python
//!   SDK's client calls it through the method that reads `text/event-stream` answers. Its
//!   `events` are those of the first example output (English edition first) written as
//!   server-sent events whose every `data:` line is a JSON object.

mod answers;
pub mod html;
mod paging;
mod resolutions;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};
use tencentcloud_vocabulary::Scalar;

use crate::diagnostics::Diagnostics;
use crate::load::RawSpec;
use crate::names;

pub use answers::{
    ExampleAnswer, ExampleAnswers, SPECS_DIR_VARIABLE, example_answers, example_answers_in,
    repository_dir,
};
pub use resolutions::Resolutions;

/// The imported files of one service version.
#[derive(Debug, Clone, PartialEq)]
pub struct UpstreamVersion {
    pub service: String,
    /// `vYYYYMMDD`.
    pub version: String,
    pub api: Value,
    pub api_en: Option<Value>,
    pub examples: Option<Value>,
    pub examples_en: Option<Value>,
    pub error_codes: Option<Value>,
    pub error_codes_en: Option<Value>,
    /// [`CLIENT_CALLS_FILE`]: what the official SDK's client says of streaming actions and
    /// actions served on a host of their own.
    pub client_calls: Option<ClientCalls>,
    /// Hex sha256 over the files read, in a fixed order: changes whenever one of them does.
    pub sha256: String,
}

/// The file of a service version's [`ClientCalls`], as the import reads them from the official
/// Python SDK's client.
pub const CLIENT_CALLS_FILE: &str = "client.json";

/// What the official Python SDK's client of a service version says of its actions beyond
/// `api.json`: `{"streaming": [actions], "hosts": {action: host}}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientCalls {
    /// Actions that can answer as a stream of server-sent events, sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub streaming: Vec<String>,
    /// Action → the host it is served on (`es.ai.tencentcloudapi.com`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub hosts: BTreeMap<String, String>,
}

impl ClientCalls {
    pub fn is_empty(&self) -> bool {
        self.streaming.is_empty() && self.hosts.is_empty()
    }
}

/// Service versions under `dir` (`specs/upstream/`): `(service, vYYYYMMDD)` with an `api.json`.
pub fn list_versions(dir: &Path) -> Result<Vec<(String, String)>, Diagnostics> {
    let mut problems = Diagnostics::default();
    let mut found = Vec::new();
    for service in list_dirs(dir, &mut problems) {
        for version in list_dirs(&dir.join(&service), &mut problems) {
            if dir.join(&service).join(&version).join("api.json").is_file() {
                found.push((service.clone(), version));
            }
        }
    }
    if problems.is_empty() {
        Ok(found)
    } else {
        Err(problems.finish())
    }
}

fn list_dirs(dir: &Path, problems: &mut Diagnostics) -> Vec<String> {
    let mut names = Vec::new();
    match std::fs::read_dir(dir) {
        Ok(entries) => {
            for entry in entries.flatten() {
                if entry.file_type().is_ok_and(|t| t.is_dir()) {
                    names.push(entry.file_name().to_string_lossy().into_owned());
                }
            }
        }
        Err(err) => problems.push(
            dir.display().to_string(),
            "-",
            format!("cannot list: {err}"),
        ),
    }
    names.sort();
    names
}

/// Reads the files of `<dir>/<service>/<version>/`.
pub fn read_version(
    dir: &Path,
    service: &str,
    version: &str,
) -> Result<UpstreamVersion, Diagnostics> {
    let mut problems = Diagnostics::default();
    let mut hasher = Sha256::new();
    let mut read = |name: &str, problems: &mut Diagnostics| -> Option<Value> {
        let relative = format!("{service}/{version}/{name}");
        let bytes = match std::fs::read(dir.join(&relative)) {
            Ok(bytes) => bytes,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return None,
            Err(err) => {
                problems.push(relative, "-", format!("cannot read the file: {err}"));
                return None;
            }
        };
        hasher.update(name.as_bytes());
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(&bytes);
        match serde_json::from_slice(&bytes) {
            Ok(value) => Some(value),
            Err(err) => {
                problems.push(relative, "-", format!("not valid JSON: {err}"));
                None
            }
        }
    };
    let api = read("api.json", &mut problems);
    let api_en = read("api.en.json", &mut problems);
    let examples = read("examples.json", &mut problems);
    let examples_en = read("examples.en.json", &mut problems);
    let error_codes = read("errorcodes.json", &mut problems);
    let error_codes_en = read("errorcodes.en.json", &mut problems);
    let client_calls = read(CLIENT_CALLS_FILE, &mut problems).and_then(|value| {
        serde_json::from_value(value)
            .map_err(|err| {
                let relative = format!("{service}/{version}/{CLIENT_CALLS_FILE}");
                problems.push(relative, "-", format!("not a client calls file: {err}"));
            })
            .ok()
    });
    let sha256 = hex::encode(hasher.finalize());
    match api {
        Some(api) if problems.is_empty() => Ok(UpstreamVersion {
            service: service.to_owned(),
            version: version.to_owned(),
            api,
            api_en,
            examples,
            examples_en,
            error_codes,
            error_codes_en,
            client_calls,
            sha256,
        }),
        None if problems.is_empty() => {
            problems.push(format!("{service}/{version}/api.json"), "-", "missing");
            Err(problems.finish())
        }
        _ => Err(problems.finish()),
    }
}

/// The host `action` is served on when it is not its service's: the official client's, else
/// the one its Chinese document tells callers to set ("请求域名（Endpoint）为 <host>").
fn action_endpoint(upstream: &UpstreamVersion, action: &str, zh: &Value) -> Option<String> {
    let from_client = upstream
        .client_calls
        .as_ref()
        .and_then(|calls| calls.hosts.get(action));
    if let Some(host) = from_client {
        return Some(host.clone());
    }
    let document = text(Some(zh), "document")?;
    let (_, after) = document.split_once("请求域名（Endpoint）为")?;
    let host: String = after
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '-')
        .collect();
    host.ends_with(crate::validate::ROOT_DOMAIN_SUFFIX)
        .then_some(host)
}

/// `v20170312` → `2017-03-12`.
fn api_version_of(version: &str) -> Option<String> {
    let digits = version.strip_prefix('v')?;
    (digits.len() == 8 && digits.chars().all(|c| c.is_ascii_digit()))
        .then(|| format!("{}-{}-{}", &digits[..4], &digits[4..6], &digits[6..]))
}

fn text<'v>(value: Option<&'v Value>, key: &str) -> Option<&'v str> {
    value?.get(key)?.as_str().filter(|s| !s.trim().is_empty())
}

/// The codes a `common.json` document lists (`errors[].code`); whatever is malformed there is the
/// validator's to report.
pub fn common_codes(common: &Value) -> BTreeSet<String> {
    common
        .get("errors")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter_map(|e| e.get("code")?.as_str().map(str::to_owned))
        .collect()
}

/// Turns one service version into a spec file's JSON, `<service>/<yyyy-mm-dd>.json` as the
/// validator expects it, recording every rule applied. `common_codes` are the codes of
/// `common.json`, which the service version's own codes must not shadow.
pub fn convert(
    upstream: &UpstreamVersion,
    common_codes: &BTreeSet<String>,
    resolutions: &mut Resolutions,
) -> RawSpec {
    let service = &upstream.service;
    let place = |what: &str| format!("{service} {}: {what}", upstream.version);
    let api_version = text(upstream.api.get("metadata"), "apiVersion")
        .map(str::to_owned)
        .or_else(|| api_version_of(&upstream.version))
        .unwrap_or_else(|| upstream.version.clone());
    let section = |api: Option<&Value>, key: &str| -> Map<String, Value> {
        api.and_then(|a| a.get(key))
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default()
    };
    let actions_zh = section(Some(&upstream.api), "actions");
    let actions_en = section(upstream.api_en.as_ref(), "actions");
    let objects_zh = section(Some(&upstream.api), "objects");
    let objects_en = section(upstream.api_en.as_ref(), "objects");

    let metadata_zh = upstream.api.get("metadata");
    let metadata_en = upstream.api_en.as_ref().and_then(|a| a.get("metadata"));
    let name_cn = text(metadata_zh, "serviceNameCN")
        .unwrap_or(service)
        .to_owned();
    let name_en = text(metadata_en, "serviceNameEN")
        .or_else(|| text(metadata_en, "serviceNameCN").filter(|n| n.is_ascii()))
        .map(str::to_owned)
        .unwrap_or_else(|| {
            resolutions.record(
                "no English product name: the Chinese one stands in, else the short name",
                place("metadata"),
            );
            text(metadata_zh, "serviceNameCN").map_or_else(|| service.to_uppercase(), str::to_owned)
        });
    let brief = text(metadata_en, "api_brief")
        .or_else(|| text(metadata_zh, "api_brief"))
        .unwrap_or_default();
    let metadata = json!({
        "serviceShortName": service,
        "apiVersion": api_version,
        "serviceNameEN": name_en,
        "serviceNameCN": name_cn,
        "endpoint": format!("{service}.tencentcloudapi.com"),
        "regionRequired": false,
        "document": html::to_markdown(brief),
    });

    let input_members: BTreeMap<String, BTreeSet<String>> = objects_zh
        .iter()
        .map(|(name, object)| {
            let members =
                object
                    .get("members")
                    .and_then(Value::as_array)
                    .map_or_else(BTreeSet::new, |m| {
                        m.iter()
                            .filter_map(|m| m.get("name").and_then(Value::as_str))
                            .map(str::to_owned)
                            .collect()
                    });
            (name.clone(), members)
        })
        .collect();
    let examples_zh = section(upstream.examples.as_ref(), "actions");
    let examples_en = section(upstream.examples_en.as_ref(), "actions");

    let mut actions = Map::new();
    for (name, zh) in &actions_zh {
        let en = actions_en.get(name);
        let mut action = Map::new();
        action.insert(
            "name".into(),
            json!(text(en, "name").or(text(Some(zh), "name")).unwrap_or(name)),
        );
        let (document, document_zh) = documents(zh, en, resolutions, || place(name));
        action.insert("document".into(), json!(document));
        if let Some(document_zh) = document_zh {
            action.insert("documentZh".into(), json!(document_zh));
        }
        let input = text(Some(zh), "input").unwrap_or_default().to_owned();
        action.insert("input".into(), json!(input));
        action.insert(
            "output".into(),
            json!(text(Some(zh), "output").unwrap_or_default()),
        );
        let status = match text(Some(zh), "status") {
            Some(status) => status,
            None => {
                resolutions.record("action without a status: taken as online", place(name));
                "online"
            }
        };
        action.insert("status".into(), json!(status));
        if let Some(host) = action_endpoint(upstream, name, zh) {
            action.insert("endpoint".into(), json!(host));
        }
        if upstream
            .client_calls
            .as_ref()
            .is_some_and(|calls| calls.streaming.contains(name))
        {
            action.insert("streaming".into(), json!(true));
            let outputs = [examples_en.get(name), examples_zh.get(name)]
                .into_iter()
                .flatten()
                .filter_map(Value::as_array)
                .flatten()
                .filter_map(|example| text(Some(example), "output"));
            if let Some(events) = outputs.filter_map(documented_events).next() {
                action.insert("events".into(), Value::Array(events));
            }
        }
        let parameters = input_members.get(&input);
        let convert_all = |listed: Option<&Value>, resolutions: &mut Resolutions| -> Vec<Value> {
            listed
                .and_then(Value::as_array)
                .map(|list| {
                    list.iter()
                        .filter_map(|example| {
                            let converted = convert_example(
                                example,
                                name,
                                parameters,
                                resolutions,
                                &place(name),
                            )?;
                            let body = converted["request"]["body"].as_object();
                            if body.is_some_and(|body| !object_fits(body, &input, &objects_zh)) {
                                resolutions.record(
                                    "example value does not fit its member's type: example dropped",
                                    place(name),
                                );
                                return None;
                            }
                            if !sets_required(&converted["request"], &input, &objects_zh) {
                                resolutions.record(
                                    "example leaves out a required parameter: example dropped",
                                    place(name),
                                );
                                return None;
                            }
                            Some(converted)
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        let listed = examples_en.get(name).or_else(|| examples_zh.get(name));
        let mut examples = convert_all(listed, resolutions);
        if examples.is_empty() && examples_en.contains_key(name) {
            examples = convert_all(examples_zh.get(name), resolutions);
            if !examples.is_empty() {
                resolutions.record(
                    "no English example usable: the Chinese ones stand in",
                    place(name),
                );
            }
        }
        if !examples.is_empty() {
            action.insert("examples".into(), Value::Array(examples));
        }
        let output = text(Some(zh), "output").unwrap_or_default();
        if let Some(found) = paging::detect(name, &input, output, &objects_zh) {
            resolutions.record(
                match found.rule {
                    "offset" => "paged by offset",
                    "page" => "paged by page number",
                    _ => "paged by token",
                },
                place(name),
            );
            action.insert("paging".into(), found.paging);
        }
        actions.insert(name.clone(), Value::Object(action));
    }

    let outputs: BTreeSet<&str> = actions_zh
        .values()
        .filter_map(|a| text(Some(a), "output"))
        .collect();
    let inputs: BTreeSet<&str> = actions_zh
        .values()
        .filter_map(|a| text(Some(a), "input"))
        .collect();
    let mut objects = Map::new();
    for (name, zh) in &objects_zh {
        let en = objects_en.get(name);
        let (document, _) = documents(zh, en, resolutions, || place(name));
        let en_members: BTreeMap<&str, &Value> = en
            .and_then(|e| e.get("members"))
            .and_then(Value::as_array)
            .map(|m| {
                m.iter()
                    .filter_map(|m| Some((m.get("name")?.as_str()?, m)))
                    .collect()
            })
            .unwrap_or_default();
        let members: Vec<Value> = zh
            .get("members")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .map(|member| {
                let member_name = text(Some(member), "name").unwrap_or_default();
                let role = if outputs.contains(name.as_str()) {
                    Role::Response
                } else if inputs.contains(name.as_str()) {
                    Role::Request
                } else {
                    Role::Nested
                };
                convert_member(
                    member,
                    en_members.get(member_name).copied(),
                    role,
                    resolutions,
                    || place(&format!("{name}.{member_name}")),
                )
            })
            .collect();
        objects.insert(
            name.clone(),
            json!({"type": "object", "document": document, "members": members}),
        );
    }

    let errors = convert_error_codes(upstream, common_codes, resolutions, &place("errorcodes"));
    let mut top = Map::new();
    top.insert("version".into(), json!("1.0"));
    top.insert("metadata".into(), metadata);
    top.insert("actions".into(), Value::Object(actions));
    top.insert("objects".into(), Value::Object(objects));
    if !errors.is_empty() {
        top.insert("errors".into(), Value::Array(errors));
    }
    RawSpec {
        path: format!("{service}/{api_version}.json"),
        sha256: upstream.sha256.clone(),
        value: Value::Object(top),
        duplicate_keys: Vec::new(),
    }
}

/// Whether an example request sets every parameter `object` marks required.
fn sets_required(request: &Value, object: &str, objects: &Map<String, Value>) -> bool {
    let set: BTreeSet<String> = match request.get("body").and_then(Value::as_object) {
        Some(body) => body.keys().cloned().collect(),
        None => request["query"]
            .as_str()
            .unwrap_or_default()
            .split('&')
            .map(|pair| pair.split(['=', '.']).next().unwrap_or(pair).to_owned())
            .collect(),
    };
    objects
        .get(object)
        .and_then(|o| o.get("members"))
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter(|m| m.get("required").and_then(Value::as_bool) == Some(true))
        .filter_map(|m| m.get("name").and_then(Value::as_str))
        .all(|name| set.contains(name))
}

/// Whether a JSON example body decodes into `object` as the generated types read it: integers as
/// numbers (or, for a request's own integer parameters, numeric strings as well), booleans as
/// booleans, strings as strings, nulls as unset.
fn object_fits(body: &Map<String, Value>, object: &str, objects: &Map<String, Value>) -> bool {
    fields_fit(body, object, objects, true)
}

fn fields_fit(
    body: &Map<String, Value>,
    object: &str,
    objects: &Map<String, Value>,
    top_level: bool,
) -> bool {
    let Some(members) = objects
        .get(object)
        .and_then(|o| o.get("members"))
        .and_then(Value::as_array)
    else {
        return false;
    };
    body.iter().all(|(key, value)| {
        members
            .iter()
            .find(|m| m.get("name").and_then(Value::as_str) == Some(key))
            .is_some_and(|member| {
                let kind = member
                    .get("type")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let element = member
                    .get("member")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                match (kind, value) {
                    (_, Value::Null) => true,
                    ("list", Value::Array(items)) => items
                        .iter()
                        .all(|item| value_fits(item, element, objects, false)),
                    ("list", _) => false,
                    _ => value_fits(value, element, objects, top_level),
                }
            })
    })
}

/// `numeric_strings`: whether an integer may be written as a string here.
fn value_fits(
    value: &Value,
    element: &str,
    objects: &Map<String, Value>,
    numeric_strings: bool,
) -> bool {
    if let Some(scalar) = Scalar::parse(element) {
        return value.is_null() || scalar.fits(value, numeric_strings);
    }
    match value {
        Value::Null => true,
        Value::Object(map) if objects.contains_key(element) => {
            fields_fit(map, element, objects, false)
        }
        _ => false,
    }
}

/// `(document, documentZh)`: English where the English edition has it, else Chinese.
fn documents(
    zh: &Value,
    en: Option<&Value>,
    resolutions: &mut Resolutions,
    place: impl Fn() -> String,
) -> (String, Option<String>) {
    let raw_zh = text(Some(zh), "document");
    let raw_en = text(en, "document");
    if raw_zh.into_iter().chain(raw_en).any(html::has_markup) {
        resolutions.record("HTML document turned into Markdown", place());
    }
    let chinese = raw_zh.map(html::to_markdown);
    match raw_en.map(html::to_markdown) {
        Some(english) => (english, chinese),
        None => {
            if chinese.is_some() {
                resolutions.record("no English text: the Chinese one stands in", place());
            }
            (chinese.clone().unwrap_or_default(), chinese)
        }
    }
}

/// Which kind of object a member belongs to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    /// An action's request.
    Request,
    /// An action's response.
    Response,
    /// A structure nested in either.
    Nested,
}

/// Whether a request member is the action's idempotency token: Tencent's `ClientToken`, a
/// string documented as guaranteeing idempotence.
fn is_idempotency_token(zh: &Value, en: Option<&Value>) -> bool {
    let documented = [Some(zh), en].into_iter().flatten().any(|m| {
        text(Some(m), "document")
            .is_some_and(|d| d.contains("幂等") || d.to_ascii_lowercase().contains("idempoten"))
    });
    text(Some(zh), "name") == Some("ClientToken")
        && text(Some(zh), "type") == Some("string")
        && documented
}

fn convert_member(
    zh: &Value,
    en: Option<&Value>,
    role: Role,
    resolutions: &mut Resolutions,
    place: impl Fn() -> String,
) -> Value {
    let in_response = role == Role::Response;
    let field = |key: &str| zh.get(key).cloned().unwrap_or(Value::Null);
    let flag = |key: &str| zh.get(key).and_then(Value::as_bool);
    // Tencent answers every call with a RequestId, whatever upstream marks.
    let request_id = in_response && zh.get("name").and_then(Value::as_str) == Some("RequestId");
    let required = if request_id {
        true
    } else if in_response {
        let always = flag("output_required")
            .or(flag("required"))
            .unwrap_or(false);
        always && !flag("value_allowed_null").unwrap_or(false)
    } else {
        flag("required").unwrap_or(false)
    };
    let (document, document_zh) = documents(zh, en, resolutions, &place);
    let mut member = Map::new();
    member.insert("name".into(), field("name"));
    member.insert("type".into(), field("type"));
    member.insert("member".into(), field("member"));
    member.insert("required".into(), json!(required));
    member.insert("document".into(), json!(document));
    if let Some(document_zh) = document_zh {
        member.insert("documentZh".into(), json!(document_zh));
    }
    match zh.get("example").and_then(Value::as_str).map(str::trim) {
        Some("无" | "") | None => {}
        Some(example) => {
            member.insert("example".into(), json!(example));
        }
    }
    if role == Role::Request && is_idempotency_token(zh, en) {
        resolutions.record(
            "ClientToken documented as guaranteeing idempotence: marked as the idempotency token",
            place(),
        );
        member.insert("idempotencyToken".into(), json!(true));
    }
    Value::Object(member)
}

/// The `data` of each event of an example output written as server-sent events (`data: {...}`
/// lines, among prose the pages put before them); `None` unless there is at least one and each
/// is a JSON object.
fn documented_events(output: &str) -> Option<Vec<Value>> {
    let events = output
        .lines()
        .filter_map(|line| line.strip_prefix("data:"))
        .map(|data| match serde_json::from_str::<Value>(data.trim()) {
            Ok(event @ Value::Object(_)) => Some(event),
            _ => None,
        })
        .collect::<Option<Vec<Value>>>()?;
    (!events.is_empty()).then_some(events)
}

/// An upstream example (`title`, `document`, `input`: the HTTP request as text, `output`: the
/// response JSON as text) in the spec's form, or `None` (recorded) when it cannot be read.
fn convert_example(
    example: &Value,
    action: &str,
    parameters: Option<&BTreeSet<String>>,
    resolutions: &mut Resolutions,
    place: &str,
) -> Option<Value> {
    let input = text(Some(example), "input").unwrap_or_default();
    let request = if input.trim_start().starts_with("POST") {
        // Some pages leave out the blank line between the headers and the body.
        let body = match input.split_once("\n\n") {
            Some((_, body)) => body,
            None => input.find("\n{").map_or("", |at| &input[at + 1..]),
        }
        .trim();
        match serde_json::from_str::<Value>(if body.is_empty() { "{}" } else { body }) {
            Ok(body @ Value::Object(_)) => json!({"format": "json", "body": body}),
            _ => {
                resolutions.record(
                    "example request body is not a JSON object: example dropped",
                    place,
                );
                return None;
            }
        }
    } else if let Some((_, query)) = input.trim().split_once('?') {
        let common = [
            "Action",
            "Version",
            "Region",
            "Timestamp",
            "Nonce",
            "SecretId",
            "Signature",
            "SignatureMethod",
            "Token",
            "Language",
        ];
        // Pages write long query URLs across lines: the line breaks are no part of a value.
        let kept: Vec<&str> = query
            .split('&')
            .map(str::trim)
            .filter(|pair| {
                let key = pair.split_once('=').map_or(*pair, |(k, _)| k);
                !pair.is_empty() && !common.contains(&key) && !key.starts_with('<')
            })
            .collect();
        json!({"format": "query", "query": kept.join("&")})
    } else {
        resolutions.record(
            "example request is neither a JSON POST nor a query URL: example dropped",
            place,
        );
        return None;
    };
    let set: Vec<String> = match &request["format"] {
        Value::String(f) if f == "json" => request["body"]
            .as_object()
            .map(|b| b.keys().cloned().collect())
            .unwrap_or_default(),
        _ => request["query"]
            .as_str()
            .unwrap_or_default()
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| p.split(['=', '.']).next().unwrap_or(p).to_owned())
            .collect(),
    };
    if let Some(parameters) = parameters
        && set.iter().any(|name| !parameters.contains(name))
    {
        resolutions.record(
            "example sets a parameter the action does not have: example dropped",
            place,
        );
        return None;
    }
    let response =
        match serde_json::from_str::<Value>(text(Some(example), "output").unwrap_or_default()) {
            Ok(response) if response.get("Response").is_some_and(Value::is_object) => response,
            _ => {
                resolutions.record(
                    "example response is not {\"Response\": {...}} JSON: example dropped",
                    place,
                );
                return None;
            }
        };
    let mut out = Map::new();
    out.insert(
        "title".into(),
        json!(text(Some(example), "title").unwrap_or(action)),
    );
    if let Some(document) = text(Some(example), "document") {
        out.insert("document".into(), json!(html::to_markdown(document)));
    }
    out.insert("request".into(), request);
    out.insert("response".into(), response);
    Some(Value::Object(out))
}

/// The service version's codes: English and Chinese editions joined by code, sorted by code.
fn convert_error_codes(
    upstream: &UpstreamVersion,
    common_codes: &BTreeSet<String>,
    resolutions: &mut Resolutions,
    place: &str,
) -> Vec<Value> {
    let common: BTreeMap<String, &String> = common_codes
        .iter()
        .map(|code| (names::error_variant(code), code))
        .collect();
    let listed = |codes: &Option<Value>| -> BTreeMap<String, String> {
        codes
            .as_ref()
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .filter_map(|c| {
                Some((
                    c.get("code")?.as_str()?.to_owned(),
                    c.get("document")?.as_str()?.to_owned(),
                ))
            })
            .collect()
    };
    let zh = listed(&upstream.error_codes);
    let en = listed(&upstream.error_codes_en);
    let mut variants: BTreeMap<String, String> = BTreeMap::new();
    let mut errors = Vec::new();
    for code in zh.keys().chain(en.keys()).collect::<BTreeSet<_>>() {
        if !names::is_error_code(code) {
            resolutions.record(
                "malformed error code dropped (it still decodes, as the catch-all)",
                format!("{place}: `{code}`"),
            );
            continue;
        }
        let variant = names::error_variant(code);
        if let Some(shadowed) = common.get(&variant).filter(|c| **c != code) {
            resolutions.record(
                "error code converting to the variant of a different common code dropped (it still decodes, as the catch-all)",
                format!("{place}: `{code}` (like common `{shadowed}`)"),
            );
            continue;
        }
        if let Some(first) = variants.get(&variant) {
            resolutions.record(
                "error code converting to the same variant as an earlier one dropped (it still decodes, as the catch-all)",
                format!("{place}: `{code}` (like `{first}`)"),
            );
            continue;
        }
        variants.insert(variant, code.clone());
        let mut error = Map::new();
        error.insert("code".into(), json!(code));
        let english = en.get(code).filter(|d| !d.trim().is_empty());
        error.insert(
            "document".into(),
            json!(english.or(zh.get(code)).cloned().unwrap_or_default()),
        );
        if let Some(chinese) = zh.get(code).filter(|d| !d.trim().is_empty()) {
            error.insert("documentZh".into(), json!(chinese));
        }
        errors.push(Value::Object(error));
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(api: Value, examples: Value) -> UpstreamVersion {
        UpstreamVersion {
            service: "demo".into(),
            version: "v20200101".into(),
            api,
            api_en: None,
            examples: Some(examples),
            examples_en: None,
            error_codes: None,
            error_codes_en: None,
            client_calls: None,
            sha256: String::new(),
        }
    }

    fn demo_api() -> Value {
        json!({"metadata": {"apiVersion": "2020-01-01"}, "actions": {"Run": {"document": "<p>运行</p>", "input": "RunRequest", "name": "运行", "output": "RunResponse"}},
        "objects": {
            "RunRequest": {"members": [
                {"name": "Count", "type": "int", "member": "int64", "required": true, "document": "n"},
                {"name": "Ids", "type": "list", "member": "int64", "required": false, "document": "ids"},
                {"name": "Spec", "type": "object", "member": "Spec", "required": false, "document": "s"}
            ]},
            "Spec": {"members": [{"name": "Size", "type": "int", "member": "uint64", "document": "size"}]},
            "RunResponse": {"members": [
                {"name": "Total", "type": "int", "member": "int64", "output_required": true, "value_allowed_null": true, "document": "t"},
                {"name": "RequestId", "type": "string", "member": "string", "document": "id"}
            ]}
        }})
    }

    fn example(body: &str) -> Value {
        json!({"title": "t", "input": format!("POST / HTTP/1.1\nHost: x\n\n{body}"), "output": "{\"Response\": {\"RequestId\": \"r\"}}"})
    }

    #[test]
    fn response_members_are_required_only_when_always_present_and_request_id_always_is() {
        let mut resolutions = Resolutions::default();
        let raw = convert(
            &version(demo_api(), json!({"actions": {}})),
            &BTreeSet::new(),
            &mut resolutions,
        );
        let members = &raw.value["objects"]["RunResponse"]["members"];
        assert_eq!(members[0]["required"], json!(false), "may be null");
        assert_eq!(members[1]["required"], json!(true), "RequestId");
        assert_eq!(raw.value["actions"]["Run"]["status"], json!("online"));
        assert_eq!(raw.value["actions"]["Run"]["document"], json!("运行"));
        assert_eq!(
            resolutions.count("action without a status: taken as online"),
            1
        );
        assert_eq!(
            resolutions.count("no English text: the Chinese one stands in"),
            1 + 3 + 1 + 2
        );
    }

    #[test]
    fn service_codes_shadowing_a_common_code_or_an_earlier_code_are_dropped_and_counted() {
        let mut upstream = version(demo_api(), json!({"actions": {}}));
        upstream.error_codes = Some(json!([
            {"code": "InvalidParameter.Value", "document": "shadows the common code"},
            {"code": "InvalidParameterValue", "document": "the common code itself"},
            {"code": "ResourceNotFound.Thing", "document": "kept"},
            {"code": "ResourceNotFoundThing", "document": "like the one before"},
        ]));
        let common = BTreeSet::from(["InvalidParameterValue".to_owned()]);
        let mut resolutions = Resolutions::default();
        let raw = convert(&upstream, &common, &mut resolutions);
        let codes: Vec<&str> = raw.value["errors"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|e| e["code"].as_str())
            .collect();
        assert_eq!(codes, ["InvalidParameterValue", "ResourceNotFound.Thing"]);
        assert_eq!(
            resolutions.count(
                "error code converting to the variant of a different common code dropped (it still decodes, as the catch-all)"
            ),
            1
        );
    }

    #[test]
    fn a_streaming_actions_events_are_those_of_its_first_example_written_as_events() {
        let streamed = "说明：流式输出\n\ndata: {\"Total\":1}\n\ndata: {\"Total\":2}\n\n";
        let examples = json!({"actions": {"Run": [
            {"title": "whole", "input": "POST / HTTP/1.1\n\n{\"Count\": 1}", "output": "{\"Response\": {\"RequestId\": \"r\"}}"},
            {"title": "cut short", "input": "POST / HTTP/1.1\n\n{\"Count\": 1}", "output": "data: {\"Total\":1}\n\ndata: {\"Tot"},
            {"title": "streamed", "input": "POST / HTTP/1.1\n\n{\"Count\": 1}", "output": streamed},
        ]}});
        let mut upstream = version(demo_api(), examples);
        let converted = |upstream: &UpstreamVersion| {
            convert(upstream, &BTreeSet::new(), &mut Resolutions::default()).value["actions"]["Run"]
                .clone()
        };
        assert_eq!(
            converted(&upstream).get("events"),
            None,
            "not a streaming action"
        );
        upstream.client_calls = Some(ClientCalls {
            streaming: vec!["Run".into()],
            hosts: BTreeMap::new(),
        });
        let run = converted(&upstream);
        assert_eq!(run["streaming"], json!(true));
        assert_eq!(
            run["events"],
            json!([{"Total": 1}, {"Total": 2}]),
            "the example whose every event is JSON, prose before it ignored"
        );
    }

    #[test]
    fn examples_are_kept_only_where_their_values_fit_the_member_types() {
        let cases = [
            (
                r#"{"Count": "5", "Ids": [1, 2], "Spec": {"Size": 3}}"#,
                true,
            ),
            (r#"{"Count": 5, "Spec": null}"#, true),
            (r#"{"Count": "1", "Ids": ["1"]}"#, false),
            (r#"{"Count": "5\n"}"#, false),
            (r#"{"Count": 1, "Spec": {"Size": "3"}}"#, false),
            (r#"{"Count": 1, "Spec": {"Size": -1}}"#, false),
            (r#"{"Nope": 1}"#, false),
            (r#"{"Ids": [1]}"#, false),
            ("not json", false),
        ];
        for (body, kept) in cases {
            let mut resolutions = Resolutions::default();
            let examples = json!({"actions": {"Run": [example(body)]}});
            let raw = convert(
                &version(demo_api(), examples),
                &BTreeSet::new(),
                &mut resolutions,
            );
            let found = raw.value["actions"]["Run"].get("examples").is_some();
            assert_eq!(found, kept, "{body}: {resolutions}");
        }
    }
}
