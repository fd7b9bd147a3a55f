//! Checks raw spec JSON against the format of `types.rs` and the rules the generator relies on,
//! collecting every problem (file, JSON path, what is wrong) before giving up, then deserializes
//! into the typed spec.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;
use serde_json::{Map, Value};
use tencentcloud_vocabulary::Scalar;

use crate::diagnostics::Diagnostics;
use crate::load::{COMMON_FILE, LoadedSpec, RawSpec, SpecSet};
use crate::names;
use crate::types::{CommonSpec, ServiceSpec};

mod actions;
mod members;
mod resources;

use actions::*;
use members::*;
use resources::*;

/// The spec format version this generator reads.
pub const FORMAT_VERSION: &str = "1.0";

/// The domain every service host is under; an action's own host is given under it, so that
/// the SDK can put it under another root domain (the international site's) like any host.
pub const ROOT_DOMAIN_SUFFIX: &str = ".tencentcloudapi.com";
/// The field of every output listing the members of the answer that could not be read.
pub const UNREAD_MEMBERS_FIELD: &str = "unread_members";
/// Methods that exist besides the per-member setters, on a builder (`new`, `as_request`,
/// `call_options`, `send`, `send_stream`) or a nested structure (`validate_at`), and fields
/// besides the members' (the unread members); a member converting to one of these gets a `_`
/// suffix.
pub const BUILDER_RESERVED: &[&str] = &[
    "new",
    "as_request",
    "call_options",
    "send",
    "send_stream",
    "validate_at",
    UNREAD_MEMBERS_FIELD,
];
/// Client methods that exist besides the per-action methods.
pub const CLIENT_RESERVED: &[&str] = &["new"];

const MEMBER_KINDS: &[&str] = &["string", "int", "bool", "float", "binary", "list", "object"];

/// Validates every parsed file and returns the typed specs, or every problem found.
pub fn validate_set(files: Vec<RawSpec>) -> Result<SpecSet, Diagnostics> {
    validate_read(files, false)
}

/// [`validate_set`] for the files of a directory some of which could not be read or parsed; when
/// `common.json` was among them (`common_reported`), its absence from `files` is no news.
pub(crate) fn validate_read(
    files: Vec<RawSpec>,
    common_reported: bool,
) -> Result<SpecSet, Diagnostics> {
    let mut problems = Diagnostics::default();
    let (common_files, service_files): (Vec<_>, Vec<_>) =
        files.into_iter().partition(|f| f.path == COMMON_FILE);
    let common = match common_files.first() {
        Some(raw) => check_common(raw, &mut problems),
        None if common_reported => None,
        None => {
            problems.push(
                COMMON_FILE,
                "-",
                "missing: the specs directory needs common.json with the common error codes",
            );
            None
        }
    };
    let common_codes: Vec<String> = common
        .as_ref()
        .map(|c| c.errors.iter().map(|e| e.code.clone()).collect())
        .unwrap_or_default();
    // Files check independently, on every core; their problems are kept in file order.
    let checked: Vec<_> = service_files
        .par_iter()
        .map(|raw| validate_service(raw, &common_codes))
        .collect();
    let mut services = Vec::new();
    for outcome in checked {
        match outcome {
            Ok(spec) => services.push(spec),
            Err(more) => problems.extend(more),
        }
    }
    match common {
        Some(common) if problems.is_empty() => Ok(SpecSet { common, services }),
        _ => Err(problems.finish()),
    }
}

/// Validates `common.json` on its own.
pub(crate) fn validate_common(raw: &RawSpec) -> Result<CommonSpec, Diagnostics> {
    let mut problems = Diagnostics::default();
    match check_common(raw, &mut problems) {
        Some(common) if problems.is_empty() => Ok(common),
        _ => Err(problems.finish()),
    }
}

/// Validates one service spec file on its own, against the common codes (`common_codes`) its
/// codes must not shadow: what [`validate_set`] does for each file of a set.
pub(crate) fn validate_service(
    raw: &RawSpec,
    common_codes: &[String],
) -> Result<LoadedSpec, Diagnostics> {
    let mut problems = Diagnostics::default();
    match check_service(raw, common_codes, &mut problems) {
        Some(spec) if problems.is_empty() => Ok(LoadedSpec {
            path: raw.path.clone(),
            sha256: raw.sha256.clone(),
            spec,
        }),
        _ => Err(problems.finish()),
    }
}

/// Problem sink for one file.
struct Ctx<'a> {
    file: &'a str,
    problems: &'a mut Diagnostics,
    clean: bool,
}

impl<'a> Ctx<'a> {
    /// The sink for `raw`, with the duplicate keys its parsing found already reported.
    fn for_file(raw: &'a RawSpec, problems: &'a mut Diagnostics) -> Self {
        let mut ctx = Ctx {
            file: &raw.path,
            problems,
            clean: true,
        };
        for path in &raw.duplicate_keys {
            let key = path.rsplit('.').next().unwrap_or(path);
            let what = match path.rsplit_once('.').map(|(parent, _)| parent) {
                Some("$.actions") => "action",
                Some("$.objects") => "object",
                _ => "key",
            };
            ctx.report(
                path,
                format!("duplicate {what} `{key}`: JSON readers would silently keep only one"),
            );
        }
        ctx
    }

    fn report(&mut self, path: &str, message: impl Into<String>) {
        self.clean = false;
        self.problems.push(self.file, path, message);
    }

    /// `value` as an object with exactly the allowed keys and all the required ones.
    fn object<'v>(
        &mut self,
        path: &str,
        value: &'v Value,
        required: &[&str],
        optional: &[&str],
    ) -> Option<&'v Map<String, Value>> {
        let Some(map) = value.as_object() else {
            self.report(
                path,
                format!("expected an object, found {}", kind_of(value)),
            );
            return None;
        };
        for key in map.keys() {
            if !required.contains(&key.as_str()) && !optional.contains(&key.as_str()) {
                let mut known: Vec<&str> = required.iter().chain(optional).copied().collect();
                known.sort_unstable();
                self.report(
                    &format!("{path}.{key}"),
                    format!("unknown field `{key}` (known: {})", known.join(", ")),
                );
            }
        }
        for key in required {
            if !map.contains_key(*key) {
                self.report(path, format!("missing required field `{key}`"));
            }
        }
        Some(map)
    }

    /// `map[key]` converted by `convert`, reporting `expected ..., found ...` when it does not
    /// convert; `None` when the key is absent.
    fn typed<'v, T>(
        &mut self,
        path: &str,
        map: &'v Map<String, Value>,
        key: &str,
        expected: &str,
        convert: impl FnOnce(&'v Value) -> Option<T>,
    ) -> Option<T> {
        let value = map.get(key)?;
        let found = convert(value);
        if found.is_none() {
            self.report(
                &format!("{path}.{key}"),
                format!("expected {expected}, found {}", kind_of(value)),
            );
        }
        found
    }

    fn string<'v>(
        &mut self,
        path: &str,
        map: &'v Map<String, Value>,
        key: &str,
    ) -> Option<&'v str> {
        self.typed(path, map, key, "a string", Value::as_str)
    }

    fn bool(&mut self, path: &str, map: &Map<String, Value>, key: &str) -> Option<bool> {
        self.typed(path, map, key, "true or false", Value::as_bool)
    }

    fn u32(&mut self, path: &str, map: &Map<String, Value>, key: &str) -> Option<u32> {
        self.typed(
            path,
            map,
            key,
            "a non-negative integer below 2^32",
            |value| value.as_u64().and_then(|n| u32::try_from(n).ok()),
        )
    }

    fn i64(&mut self, path: &str, map: &Map<String, Value>, key: &str) -> Option<i64> {
        self.typed(path, map, key, "a 64-bit integer", Value::as_i64)
    }

    fn array<'v>(
        &mut self,
        path: &str,
        map: &'v Map<String, Value>,
        key: &str,
    ) -> Option<&'v [Value]> {
        self.typed(path, map, key, "an array", |value| {
            value.as_array().map(Vec::as_slice)
        })
    }

    fn map<'v>(
        &mut self,
        path: &str,
        map: &'v Map<String, Value>,
        key: &str,
    ) -> Option<&'v Map<String, Value>> {
        self.typed(path, map, key, "an object", Value::as_object)
    }

    /// Reports a lower bound above its upper bound (`minLength` 5 above `maxLength` 3).
    fn ordered_bounds(
        &mut self,
        path: &str,
        (low_key, low): (&str, Option<i64>),
        (high_key, high): (&str, Option<i64>),
    ) {
        if let (Some(low), Some(high)) = (low, high)
            && low > high
        {
            self.report(
                &format!("{path}.{low_key}"),
                format!("{low_key} {low} is above {high_key} {high}"),
            );
        }
    }
}

/// Checks that `name` at `path`, the name of a `what` (`action`, `resource`), is an identifier
/// starting with an uppercase letter, as Tencent's names are; returns whether it is.
fn check_upper_name(ctx: &mut Ctx<'_>, path: &str, what: &str, name: &str) -> bool {
    let fits = names::is_tencent_name(name) && name.starts_with(|c: char| c.is_ascii_uppercase());
    if !fits {
        ctx.report(
            path,
            format!("{what} name `{name}` must be an identifier starting with an uppercase letter"),
        );
    }
    fits
}

fn kind_of(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the string {s:?}"),
        Value::Array(_) => "an array".to_owned(),
        Value::Object(_) => "an object".to_owned(),
    }
}

fn check_common(raw: &RawSpec, problems: &mut Diagnostics) -> Option<CommonSpec> {
    let mut ctx = Ctx::for_file(raw, problems);
    if let Some(top) = ctx.object("$", &raw.value, &["version", "errors"], &[]) {
        check_format_version(&mut ctx, top);
        if let Some(errors) = ctx.array("$", top, "errors") {
            let codes = check_error_codes(&mut ctx, "$.errors", errors);
            check_variant_collisions(&mut ctx, &codes, &[]);
        }
    }
    finish(ctx, &raw.value)
}

fn check_format_version(ctx: &mut Ctx<'_>, top: &Map<String, Value>) {
    if let Some(version) = ctx.string("$", top, "version")
        && version != FORMAT_VERSION
    {
        ctx.report(
            "$.version",
            format!("unsupported spec format version `{version}` (this generator reads `{FORMAT_VERSION}`)"),
        );
    }
}

/// Deserializes a file that passed every check; a failure here means validation missed a rule.
fn finish<T: serde::de::DeserializeOwned>(ctx: Ctx<'_>, value: &Value) -> Option<T> {
    if !ctx.clean {
        return None;
    }
    match serde_json::from_value(value.clone()) {
        Ok(typed) => Some(typed),
        Err(err) => {
            ctx.problems.push(ctx.file, "$", err.to_string());
            None
        }
    }
}

/// Checks a list of `{code, document, documentZh?}` and returns the well-formed codes.
fn check_error_codes(ctx: &mut Ctx<'_>, path: &str, errors: &[Value]) -> Vec<(String, String)> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut codes = Vec::new();
    for (i, error) in errors.iter().enumerate() {
        let path = format!("{path}[{i}]");
        let Some(map) = ctx.object(&path, error, &["code", "document"], &["documentZh"]) else {
            continue;
        };
        ctx.string(&path, map, "document");
        ctx.string(&path, map, "documentZh");
        let Some(code) = ctx.string(&path, map, "code") else {
            continue;
        };
        let code_path = format!("{path}.code");
        if !names::is_error_code(code) {
            ctx.report(
                &code_path,
                format!("error code `{code}` is not of the form Word(.Word)* (letters and digits, each word starting with a letter)"),
            );
            continue;
        }
        if let Some(first) = seen.insert(code.to_owned(), i) {
            ctx.report(
                &code_path,
                format!("duplicate error code `{code}` (first at index {first})"),
            );
            continue;
        }
        codes.push((code.to_owned(), code_path));
    }
    codes
}

/// What the action checks need to know about an object.
#[derive(Default)]
struct ObjectInfo {
    /// Member name → its type (`type`, `member`) when well-formed.
    members: BTreeMap<String, (String, String)>,
    /// JSON path of each member's `name`.
    name_paths: BTreeMap<String, String>,
}

fn check_service(
    raw: &RawSpec,
    common_codes: &[String],
    problems: &mut Diagnostics,
) -> Option<ServiceSpec> {
    let mut ctx = Ctx::for_file(raw, problems);
    let location = raw
        .path
        .strip_suffix(".json")
        .and_then(|stem| stem.split_once('/'))
        .filter(|(_, version)| !version.contains('/'));
    if location.is_none() {
        ctx.report(
            "-",
            "unexpected spec file location: service specs live at <service>/<yyyy-mm-dd>.json",
        );
    }
    let top = ctx.object(
        "$",
        &raw.value,
        &["version", "metadata", "actions", "objects"],
        &["errors", "resources"],
    )?;
    check_format_version(&mut ctx, top);
    if let Some(errors) = ctx.array("$", top, "errors") {
        let codes = check_error_codes(&mut ctx, "$.errors", errors);
        check_variant_collisions(&mut ctx, &codes, common_codes);
    }
    if let Some(metadata) = ctx.map("$", top, "metadata") {
        check_metadata(&mut ctx, metadata, location);
    }
    let object_names: BTreeSet<String> = top
        .get("objects")
        .and_then(Value::as_object)
        .map(|objects| objects.keys().cloned().collect())
        .unwrap_or_default();
    let mut objects = BTreeMap::new();
    if let Some(raw_objects) = ctx.map("$", top, "objects") {
        for (name, object) in raw_objects {
            let info = check_object(&mut ctx, name, object, &object_names);
            objects.insert(name.clone(), info);
        }
    }
    if let Some(actions) = ctx.map("$", top, "actions") {
        check_actions(&mut ctx, actions, &objects, common_codes);
        check_nested_types(&mut ctx, actions, &objects);
        if let Some(resources) = ctx.map("$", top, "resources") {
            let service_codes = top
                .get("errors")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|e| e.get("code").and_then(Value::as_str));
            let known = Known {
                actions,
                objects: &objects,
                codes: service_codes
                    .chain(common_codes.iter().map(String::as_str))
                    .map(str::to_owned)
                    .collect(),
            };
            check_resources(&mut ctx, resources, &known);
        }
    }
    finish(ctx, &raw.value)
}

/// Objects used as member types become Rust structs of their own in a `types` module: they must
/// not be an action's request or response, need a usable name, and cannot contain themselves
/// except through a list (a struct cannot hold itself by value).
fn check_nested_types(
    ctx: &mut Ctx<'_>,
    actions: &Map<String, Value>,
    objects: &BTreeMap<String, ObjectInfo>,
) {
    let io: BTreeSet<&str> = actions
        .values()
        .filter_map(Value::as_object)
        .flat_map(|a| {
            ["input", "output"]
                .into_iter()
                .filter_map(|k| a.get(k).and_then(Value::as_str))
        })
        .collect();
    let mut nested: BTreeSet<&str> = BTreeSet::new();
    for (object, info) in objects {
        for (member, (_, element)) in &info.members {
            if !objects.contains_key(element) {
                continue;
            }
            let path = info
                .name_paths
                .get(member)
                .map(|p| format!("{}.member", p.trim_end_matches(".name")))
                .unwrap_or_default();
            if io.contains(element.as_str()) {
                ctx.report(
                    &path,
                    format!("`{object}.{member}` uses `{element}`, an action's request or response, as a member type"),
                );
            } else {
                nested.insert(element);
            }
        }
    }
    let mut modules: BTreeMap<String, &str> = BTreeMap::new();
    for name in &nested {
        let path = format!("$.objects.{name}");
        if !name.starts_with(|c: char| c.is_ascii_uppercase()) || !names::is_rust_ident(name) {
            ctx.report(&path, format!("`{name}` is used as a member type, so it must be a Rust type name starting with an uppercase letter"));
        }
        let module = names::snake(name, &[]);
        if let Some(other) = modules.insert(module.clone(), name) {
            ctx.report(
                &path,
                format!("`{name}` and `{other}` both convert to the module name `{module}`"),
            );
        }
    }
}

fn check_metadata(
    ctx: &mut Ctx<'_>,
    metadata: &Map<String, Value>,
    location: Option<(&str, &str)>,
) {
    let path = "$.metadata";
    ctx.object(
        path,
        &Value::Object(metadata.clone()),
        &[
            "serviceShortName",
            "apiVersion",
            "serviceNameEN",
            "serviceNameCN",
            "endpoint",
            "regionRequired",
            "document",
        ],
        &[],
    );
    for key in ["serviceNameEN", "serviceNameCN", "document"] {
        ctx.string(path, metadata, key);
    }
    ctx.bool(path, metadata, "regionRequired");
    if let Some(service) = ctx.string(path, metadata, "serviceShortName") {
        let well_formed = service
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase())
            && service
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
        if !well_formed {
            ctx.report(
                "$.metadata.serviceShortName",
                format!("service name `{service}` must be lowercase ASCII letters and digits, starting with a letter"),
            );
        } else if let Some((dir, _)) = location
            && dir != service
        {
            ctx.report(
                "$.metadata.serviceShortName",
                format!("service `{service}` does not match the directory `{dir}/`"),
            );
        }
    }
    if let Some(version) = ctx.string(path, metadata, "apiVersion") {
        if !names::is_api_version(version) {
            ctx.report(
                "$.metadata.apiVersion",
                format!("API version `{version}` is not of the form yyyy-mm-dd"),
            );
        } else if let Some((_, stem)) = location
            && stem != version
        {
            ctx.report(
                "$.metadata.apiVersion",
                format!("API version `{version}` does not match the file name `{stem}.json`"),
            );
        }
    }
    if let Some(endpoint) = ctx.string(path, metadata, "endpoint")
        && (endpoint.is_empty() || endpoint.contains('/') || endpoint.contains(char::is_whitespace))
    {
        ctx.report(
            "$.metadata.endpoint",
            format!("endpoint `{endpoint}` must be a host name such as cvm.tencentcloudapi.com"),
        );
    }
}
