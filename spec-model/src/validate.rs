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

/// The spec format version this generator reads.
pub const FORMAT_VERSION: &str = "1.0";

/// Methods that exist besides the per-member setters, on a builder (`new`, `as_request`, `send`)
/// or a nested structure (`validate_at`); a member converting to one of these gets a `_` suffix.
pub const BUILDER_RESERVED: &[&str] = &["new", "as_request", "send", "validate_at"];
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
        &["errors"],
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

fn check_object(
    ctx: &mut Ctx<'_>,
    name: &str,
    object: &Value,
    object_names: &BTreeSet<String>,
) -> ObjectInfo {
    let path = format!("$.objects.{name}");
    let mut info = ObjectInfo::default();
    if !names::is_tencent_name(name) {
        ctx.report(
            &path,
            format!("object name `{name}` is not an identifier (letters, digits, `_`)"),
        );
    }
    let Some(map) = ctx.object(&path, object, &["type", "members"], &["document"]) else {
        return info;
    };
    ctx.string(&path, map, "document");
    if let Some(kind) = ctx.string(&path, map, "type")
        && kind != "object"
    {
        ctx.report(
            &format!("{path}.type"),
            format!("object type must be `object`, found `{kind}`"),
        );
    }
    let Some(members) = ctx.array(&path, map, "members") else {
        return info;
    };
    let mut first_index: BTreeMap<String, usize> = BTreeMap::new();
    let mut idempotency_tokens = Vec::new();
    let mut replacements = Vec::new();
    for (i, member) in members.iter().enumerate() {
        let member_path = format!("{path}.members[{i}]");
        let Some(checked) = check_member(ctx, &member_path, member, object_names) else {
            continue;
        };
        if let Some(first) = first_index.insert(checked.name.clone(), i) {
            ctx.report(
                &format!("{member_path}.name"),
                format!(
                    "duplicate parameter `{}` (first at members[{first}])",
                    checked.name
                ),
            );
            continue;
        }
        if checked.idempotency_token {
            idempotency_tokens.push(member_path.clone());
        }
        if let Some(replacement) = checked.replacement {
            replacements.push((member_path.clone(), checked.name.clone(), replacement));
        }
        info.name_paths
            .insert(checked.name.clone(), format!("{member_path}.name"));
        if let Some(types) = checked.types {
            info.members.insert(checked.name, types);
        }
    }
    for (member_path, member, replacement) in replacements {
        if replacement == member {
            ctx.report(
                &format!("{member_path}.deprecated.replacement"),
                format!("`{member}` cannot be its own replacement"),
            );
        } else if !first_index.contains_key(&replacement) {
            ctx.report(
                &format!("{member_path}.deprecated.replacement"),
                format!("replacement `{replacement}` of `{member}` is not a member of `{name}`"),
            );
        }
    }
    if idempotency_tokens.len() > 1 {
        for token_path in &idempotency_tokens[1..] {
            ctx.report(
                &format!("{token_path}.idempotencyToken"),
                "an object has at most one idempotency token",
            );
        }
    }
    // Names colliding after conversion are resolved by `names::field_names`, in member order.
    let mut ordered: Vec<(&String, &String)> = info.name_paths.iter().collect();
    ordered.sort_by_key(|(name, _)| first_index.get(*name));
    let rust_names = names::field_names(ordered.iter().map(|(n, _)| n.as_str()), BUILDER_RESERVED);
    for ((name, path), rust) in ordered.into_iter().zip(rust_names) {
        if !names::is_rust_ident(&rust) {
            ctx.report(
                path,
                format!("`{name}` converts to `{rust}`, which is not a Rust identifier"),
            );
        }
    }
    info
}

/// Reports members (or actions) whose Rust names coincide.
fn check_name_collisions<'a>(
    ctx: &mut Ctx<'_>,
    items: impl Iterator<Item = (&'a String, &'a String)>,
    convert: impl Fn(&str) -> String,
    what: &str,
) {
    let mut by_rust_name: BTreeMap<String, &str> = BTreeMap::new();
    for (name, path) in items {
        let rust = convert(name);
        if !names::is_rust_ident(&rust) {
            ctx.report(
                path,
                format!("`{name}` converts to `{rust}`, which is not a Rust identifier"),
            );
        } else if let Some(other) = by_rust_name.insert(rust.clone(), name) {
            ctx.report(
                path,
                format!("`{name}` and `{other}` both convert to the {what} name `{rust}`"),
            );
        }
    }
}

struct CheckedMember {
    name: String,
    types: Option<(String, String)>,
    idempotency_token: bool,
    replacement: Option<String>,
}

fn check_member(
    ctx: &mut Ctx<'_>,
    path: &str,
    member: &Value,
    object_names: &BTreeSet<String>,
) -> Option<CheckedMember> {
    let map = ctx.object(
        path,
        member,
        &["name", "type", "member", "required", "document"],
        &[
            ["documentZh", "example", "deprecated", "idempotencyToken"].as_slice(),
            &CONSTRAINT_KEYS,
        ]
        .concat(),
    )?;
    for key in ["document", "documentZh", "example"] {
        ctx.string(path, map, key);
    }
    ctx.bool(path, map, "required");
    let name = ctx.string(path, map, "name")?.to_owned();
    if !names::is_tencent_name(&name) {
        ctx.report(
            &format!("{path}.name"),
            format!("parameter name `{name}` is not an identifier (an ASCII letter, then letters, digits or `_`)"),
        );
    }
    let kind = ctx.string(path, map, "type");
    if let Some(kind) = kind
        && !MEMBER_KINDS.contains(&kind)
    {
        ctx.report(
            &format!("{path}.type"),
            format!("unknown type `{kind}` (known: {})", MEMBER_KINDS.join(", ")),
        );
    }
    let kind = kind.filter(|k| MEMBER_KINDS.contains(k));
    let element = ctx.string(path, map, "member");
    let types = match (kind, element) {
        (Some(kind), Some(element)) => check_member_type(ctx, path, kind, element, object_names)
            .then(|| (kind.to_owned(), element.to_owned())),
        _ => None,
    };
    if let Some((kind, element)) = &types {
        check_constraints(ctx, path, map, kind, element);
    }
    let idempotency_token = ctx.bool(path, map, "idempotencyToken").unwrap_or(false);
    if idempotency_token && types.as_ref().is_some_and(|(kind, _)| kind != "string") {
        ctx.report(
            &format!("{path}.idempotencyToken"),
            "only a string member can be an idempotency token",
        );
    }
    let replacement = ctx.map(path, map, "deprecated").and_then(|deprecated| {
        let deprecated_path = format!("{path}.deprecated");
        ctx.object(
            &deprecated_path,
            &Value::Object(deprecated.clone()),
            &["replacement"],
            &[],
        )?;
        ctx.string(&deprecated_path, deprecated, "replacement")
            .map(str::to_owned)
    });
    Some(CheckedMember {
        name,
        types,
        idempotency_token,
        replacement,
    })
}

/// Whether `member` names a type that fits the JSON category `kind`.
fn check_member_type(
    ctx: &mut Ctx<'_>,
    path: &str,
    kind: &str,
    element: &str,
    object_names: &BTreeSet<String>,
) -> bool {
    let member_path = format!("{path}.member");
    let expected: &[&str] = match kind {
        "string" => &["string", "datetime", "datetime_iso", "date"],
        "int" => &["int64", "uint64"],
        "bool" => &["bool"],
        "float" => &["float"],
        "binary" => &["binary"],
        _ => &[],
    };
    if !expected.is_empty() {
        if !expected.contains(&element) {
            ctx.report(
                &member_path,
                format!(
                    "unknown member type `{element}` for type `{kind}` (expected {})",
                    expected.join(" or ")
                ),
            );
            return false;
        }
        return true;
    }
    if kind == "list" && Scalar::parse(element).is_some() {
        return true;
    }
    if !object_names.contains(element) {
        ctx.report(
            &member_path,
            format!(
                "unknown member type `{element}`: neither a scalar ({}) nor an object of this spec",
                Scalar::ALL.map(Scalar::name).join(", ")
            ),
        );
        return false;
    }
    true
}

/// Member constraint keys, in the order their problems are reported.
const CONSTRAINT_KEYS: [&str; 9] = [
    "enum",
    "minimum",
    "maximum",
    "default",
    "minLength",
    "maxLength",
    "charset",
    "minItems",
    "maxItems",
];

/// Which members a constraint key applies to.
#[derive(Clone, Copy)]
enum ConstraintTarget {
    Integers,
    Strings,
    Lists,
    Scalars,
}

impl ConstraintTarget {
    fn fits(self, kind: &str) -> bool {
        match self {
            Self::Integers => kind == "int",
            Self::Strings => kind == "string",
            Self::Lists => kind == "list",
            Self::Scalars => kind != "list" && kind != "object",
        }
    }

    fn applies_to(self) -> &'static str {
        match self {
            Self::Integers => "integers",
            Self::Strings => "strings",
            Self::Lists => "lists",
            Self::Scalars => "scalars",
        }
    }
}

fn constraint_target(key: &str) -> ConstraintTarget {
    match key {
        "enum" | "minimum" | "maximum" => ConstraintTarget::Integers,
        "minLength" | "maxLength" | "charset" => ConstraintTarget::Strings,
        "minItems" | "maxItems" => ConstraintTarget::Lists,
        _ => ConstraintTarget::Scalars,
    }
}

fn check_constraints(
    ctx: &mut Ctx<'_>,
    path: &str,
    map: &Map<String, Value>,
    kind: &str,
    element: &str,
) {
    let what = match kind {
        "list" => "a list",
        "int" => "an integer",
        "string" => "a string",
        "bool" => "a boolean",
        "float" => "a float",
        _ => "an object",
    };
    for key in CONSTRAINT_KEYS {
        let target = constraint_target(key);
        if map.contains_key(key) && !target.fits(kind) {
            ctx.report(
                &format!("{path}.{key}"),
                format!(
                    "`{key}` does not apply to {what} member (only to {})",
                    target.applies_to()
                ),
            );
        }
    }
    let unsigned = element == "uint64";
    let lowest = if unsigned { 0 } else { i64::MIN };
    let mut allowed = None;
    if kind == "int" {
        if let Some(values) = ctx.array(path, map, "enum") {
            let mut parsed = Vec::new();
            for (i, value) in values.iter().enumerate() {
                match value.as_i64() {
                    Some(v) if v >= lowest => parsed.push(v),
                    _ => ctx.report(
                        &format!("{path}.enum[{i}]"),
                        format!("enum value {} does not fit `{element}`", kind_of(value)),
                    ),
                }
            }
            if parsed.is_empty() {
                ctx.report(&format!("{path}.enum"), "`enum` needs at least one value");
            }
            allowed = Some(parsed);
        }
        let minimum = ctx.i64(path, map, "minimum");
        let maximum = ctx.i64(path, map, "maximum");
        if let Some(min) = minimum
            && min < lowest
        {
            ctx.report(
                &format!("{path}.minimum"),
                format!("minimum {min} does not fit `{element}`"),
            );
        }
        ctx.ordered_bounds(path, ("minimum", minimum), ("maximum", maximum));
    }
    if kind == "string" {
        let min = ctx.u32(path, map, "minLength").map(i64::from);
        let max = ctx.u32(path, map, "maxLength").map(i64::from);
        ctx.ordered_bounds(path, ("minLength", min), ("maxLength", max));
        if let Some(charset) = ctx.string(path, map, "charset")
            && charset != "ascii"
        {
            ctx.report(
                &format!("{path}.charset"),
                format!("unknown charset `{charset}` (known: ascii)"),
            );
        }
    }
    if kind == "list" {
        let min = ctx.u32(path, map, "minItems").map(i64::from);
        let max = ctx.u32(path, map, "maxItems").map(i64::from);
        ctx.ordered_bounds(path, ("minItems", min), ("maxItems", max));
    }
    if let Some(default) = map.get("default")
        && constraint_target("default").fits(kind)
    {
        let ok = match element {
            "string" => default.is_string(),
            "bool" => default.is_boolean(),
            "float" => default.is_number(),
            _ => default.as_i64().is_some_and(|v| v >= lowest),
        };
        if !ok {
            ctx.report(
                &format!("{path}.default"),
                format!("default {} does not fit `{element}`", kind_of(default)),
            );
        } else if let (Some(allowed), Some(v)) = (&allowed, default.as_i64())
            && !allowed.contains(&v)
        {
            ctx.report(
                &format!("{path}.default"),
                format!("default {v} is not one of the enum values"),
            );
        }
    }
}

fn check_actions(
    ctx: &mut Ctx<'_>,
    actions: &Map<String, Value>,
    objects: &BTreeMap<String, ObjectInfo>,
    common_codes: &[String],
) {
    let mut action_paths = BTreeMap::new();
    for (name, action) in actions {
        let path = format!("$.actions.{name}");
        if !(names::is_tencent_name(name) && name.starts_with(|c: char| c.is_ascii_uppercase())) {
            ctx.report(
                &path,
                format!(
                    "action name `{name}` must be an identifier starting with an uppercase letter"
                ),
            );
        } else {
            action_paths.insert(name.clone(), path.clone());
        }
        check_action(ctx, &path, action, objects, common_codes);
    }
    check_name_collisions(
        ctx,
        action_paths.iter(),
        |n| names::snake(n, CLIENT_RESERVED),
        "client method",
    );
    let mut type_names = BTreeMap::new();
    for name in action_paths.keys() {
        for suffix in ["Request", "Output", "Builder", "Error"] {
            type_names.insert(format!("{name}{suffix}"), name.clone());
        }
    }
    for (name, path) in &action_paths {
        if type_names.contains_key(name) || name == "Client" {
            ctx.report(
                path,
                format!("action `{name}` collides with a generated type of the same name"),
            );
        }
    }
}

fn check_action(
    ctx: &mut Ctx<'_>,
    path: &str,
    action: &Value,
    objects: &BTreeMap<String, ObjectInfo>,
    common_codes: &[String],
) {
    let Some(map) = ctx.object(
        path,
        action,
        &["name", "document", "input", "output", "status"],
        &[
            "documentZh",
            "rateLimit",
            "errors",
            "constraints",
            "examples",
            "repeatability",
        ],
    ) else {
        return;
    };
    for key in ["name", "document", "documentZh"] {
        ctx.string(path, map, key);
    }
    if let Some(repeatability) = ctx.string(path, map, "repeatability")
        && !["read", "idempotent", "notRepeatable"].contains(&repeatability)
    {
        ctx.report(
            &format!("{path}.repeatability"),
            format!(
                "unknown repeatability `{repeatability}` (known: idempotent, notRepeatable, read)"
            ),
        );
    }
    if let Some(status) = ctx.string(path, map, "status")
        && !["online", "deprecated", "offline"].contains(&status)
    {
        ctx.report(
            &format!("{path}.status"),
            format!("unknown status `{status}` (known: deprecated, offline, online)"),
        );
    }
    if ctx.u32(path, map, "rateLimit") == Some(0) {
        ctx.report(
            &format!("{path}.rateLimit"),
            "a rate limit of 0 requests per second makes the action unusable",
        );
    }
    let resolve = |ctx: &mut Ctx<'_>, key: &str| {
        let name = ctx.string(path, map, key)?;
        let found = objects.get(name);
        if found.is_none() {
            ctx.report(
                &format!("{path}.{key}"),
                format!("{key} object `{name}` is not defined in `objects`"),
            );
        }
        found.map(|info| (name.to_owned(), info))
    };
    let input = resolve(ctx, "input");
    let output = resolve(ctx, "output");
    if let Some((output_name, info)) = &output
        && info
            .members
            .get("RequestId")
            .is_none_or(|(kind, _)| kind != "string")
    {
        ctx.report(
            &format!("{path}.output"),
            format!("output object `{output_name}` needs a string member `RequestId`"),
        );
    }
    if let Some(errors) = ctx.array(path, map, "errors") {
        let codes = check_error_codes(ctx, &format!("{path}.errors"), errors);
        check_variant_collisions(ctx, &codes, common_codes);
    }
    let input_info = input.as_ref().map(|(_, info)| *info);
    if let Some(constraints) = ctx.array(path, map, "constraints") {
        for (i, constraint) in constraints.iter().enumerate() {
            check_group_constraint(
                ctx,
                &format!("{path}.constraints[{i}]"),
                constraint,
                input_info,
            );
        }
    }
    if let Some(examples) = ctx.array(path, map, "examples") {
        for (i, example) in examples.iter().enumerate() {
            check_example(ctx, &format!("{path}.examples[{i}]"), example, input_info);
        }
    }
}

/// Error codes of an action plus the common codes must map to distinct variants.
fn check_variant_collisions(
    ctx: &mut Ctx<'_>,
    codes: &[(String, String)],
    common_codes: &[String],
) {
    let mut variants: BTreeMap<String, String> = BTreeMap::new();
    for code in common_codes {
        variants.insert(names::error_variant(code), format!("common code `{code}`"));
    }
    for (code, code_path) in codes {
        if common_codes.contains(code) {
            continue;
        }
        let variant = names::error_variant(code);
        if !names::is_rust_ident(&variant) {
            ctx.report(
                code_path,
                format!(
                    "error code `{code}` converts to `{variant}`, which is not a Rust identifier"
                ),
            );
        } else if let Some(other) = variants.insert(variant.clone(), format!("`{code}`")) {
            ctx.report(
                code_path,
                format!("error code `{code}` and {other} both convert to the variant `{variant}`"),
            );
        }
    }
}

fn check_group_constraint(
    ctx: &mut Ctx<'_>,
    path: &str,
    constraint: &Value,
    input: Option<&ObjectInfo>,
) {
    let Some(map) = ctx.object(path, constraint, &["rule", "members", "document"], &[]) else {
        return;
    };
    ctx.string(path, map, "document");
    if let Some(rule) = ctx.string(path, map, "rule")
        && rule != "atLeastOneOf"
        && rule != "exactlyOneOf"
    {
        ctx.report(
            &format!("{path}.rule"),
            format!("unknown rule `{rule}` (known: atLeastOneOf, exactlyOneOf)"),
        );
    }
    let Some(members) = ctx.array(path, map, "members") else {
        return;
    };
    if members.len() < 2 {
        ctx.report(
            &format!("{path}.members"),
            "a group constraint needs at least two members",
        );
    }
    let mut seen = BTreeSet::new();
    for (i, member) in members.iter().enumerate() {
        let member_path = format!("{path}.members[{i}]");
        let Some(name) = member.as_str() else {
            ctx.report(
                &member_path,
                format!("expected a member name, found {}", kind_of(member)),
            );
            continue;
        };
        if !seen.insert(name) {
            ctx.report(&member_path, format!("`{name}` is listed twice"));
        } else if let Some(input) = input
            && !input.name_paths.contains_key(name)
        {
            ctx.report(
                &member_path,
                format!("`{name}` is not a parameter of the action's input"),
            );
        }
    }
}

fn check_example(ctx: &mut Ctx<'_>, path: &str, example: &Value, input: Option<&ObjectInfo>) {
    let Some(map) = ctx.object(
        path,
        example,
        &["title", "request", "response"],
        &["document"],
    ) else {
        return;
    };
    ctx.string(path, map, "title");
    ctx.string(path, map, "document");
    if let Some(response) = ctx.map(path, map, "response") {
        let response_path = format!("{path}.response");
        if !response.get("Response").is_some_and(Value::is_object) {
            ctx.report(
                &response_path,
                "an example response is an object `{\"Response\": {...}}`",
            );
        }
    }
    let Some(request) = ctx.map(path, map, "request") else {
        return;
    };
    let request_path = format!("{path}.request");
    let request_value = Value::Object(request.clone());
    let mut names: Vec<(String, String)> = Vec::new();
    match request.get("format").and_then(Value::as_str) {
        Some("json") => {
            if let Some(body) = ctx
                .object(&request_path, &request_value, &["format", "body"], &[])
                .and_then(|_| ctx.map(&request_path, request, "body"))
            {
                names = body
                    .keys()
                    .map(|k| (k.clone(), format!("{request_path}.body.{k}")))
                    .collect();
            }
        }
        Some("query") => {
            if let Some(query) = ctx
                .object(&request_path, &request_value, &["format", "query"], &[])
                .and_then(|_| ctx.string(&request_path, request, "query"))
            {
                for pair in query.split('&').filter(|p| !p.is_empty()) {
                    let key = pair.split_once('=').map_or(pair, |(k, _)| k);
                    let name = key.split('.').next().unwrap_or(key);
                    names.push((name.to_owned(), format!("{request_path}.query")));
                }
            }
        }
        Some(other) => ctx.report(
            &format!("{request_path}.format"),
            format!("unknown example format `{other}` (known: json, query)"),
        ),
        None => ctx.report(
            &request_path,
            "missing required field `format` (json or query)",
        ),
    }
    if let Some(input) = input {
        for (name, name_path) in names {
            if !input.name_paths.contains_key(&name) {
                ctx.report(
                    &name_path,
                    format!("example sets `{name}`, which is not a parameter of the action"),
                );
            }
        }
    }
}
