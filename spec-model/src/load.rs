//! Reading the specs directory: files → raw JSON values (keeping track of duplicate keys, which a
//! JSON map would silently drop) → validated, typed specs.

use std::fmt;
use std::path::Path;

use rayon::prelude::*;
use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use sha2::{Digest, Sha256};

use crate::diagnostics::Diagnostics;
use crate::types::{CommonSpec, ServiceSpec};
use crate::validate;

/// Name of the common error codes file at the root of the specs directory.
pub const COMMON_FILE: &str = "common.json";

/// Every spec of a specs directory, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct SpecSet {
    /// `common.json`: the error codes every action can return.
    pub common: CommonSpec,
    /// One entry per service version, sorted by relative path.
    pub services: Vec<LoadedSpec>,
}

/// One validated service spec file.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedSpec {
    /// Path relative to the specs directory, `/`-separated (`cvm/2017-03-12.json`).
    pub path: String,
    /// Lowercase hex SHA-256 of the file bytes.
    pub sha256: String,
    pub spec: ServiceSpec,
}

/// A spec file parsed as JSON but not yet validated.
#[derive(Debug, Clone, PartialEq)]
pub struct RawSpec {
    /// Path relative to the specs directory, `/`-separated.
    pub path: String,
    /// Lowercase hex SHA-256 of the file bytes.
    pub sha256: String,
    /// The file's JSON; of repeated keys only the first occurrence is kept.
    pub value: Value,
    /// JSON paths of object keys that appear more than once in their object (`$.actions.DestroyProxies`).
    pub duplicate_keys: Vec<String>,
}

/// Loads and validates every spec under `dir`: `common.json` and `<service>/<yyyy-mm-dd>.json`.
/// Other files (READMEs) and the imported upstream description (`upstream/`) are ignored. All problems of all files are reported together.
pub fn load_dir(dir: &Path) -> Result<SpecSet, Diagnostics> {
    load_dir_resolving(dir).1
}

/// [`load_dir`], also returning which upstream conversion rules applied, and how often.
pub fn load_dir_resolving(
    dir: &Path,
) -> (crate::upstream::Resolutions, Result<SpecSet, Diagnostics>) {
    let mut resolutions = crate::upstream::Resolutions::default();
    let (files, mut problems) = read_dir(dir);
    let files = with_upstream(dir, files, &mut problems, &mut resolutions);
    let common_reported = problems.problems().iter().any(|p| p.file == COMMON_FILE);
    let outcome = match validate::validate_read(files, common_reported) {
        Ok(set) if problems.is_empty() => Ok(set),
        Ok(_) => Err(problems.finish()),
        Err(more) => {
            problems.extend(more);
            Err(problems.finish())
        }
    };
    (resolutions, outcome)
}

/// Reads and parses every `.json` file under `dir`; files that cannot be read or parsed are
/// reported and left out.
pub fn read_dir(dir: &Path) -> (Vec<RawSpec>, Diagnostics) {
    let mut problems = Diagnostics::default();
    let mut paths = Vec::new();
    collect_json_files(dir, "", &mut paths, &mut problems);
    paths.sort();
    let mut files = Vec::new();
    for relative in paths {
        match read_file(dir, &relative) {
            Ok(raw) => files.push(raw),
            Err(problem) => problems.extend(problem),
        }
    }
    (files, problems)
}

/// Reads and parses `dir/relative`.
pub(crate) fn read_file(dir: &Path, relative: &str) -> Result<RawSpec, Diagnostics> {
    match std::fs::read(dir.join(relative)) {
        Ok(bytes) => parse(relative, &bytes),
        Err(err) => {
            let mut problems = Diagnostics::default();
            problems.push(relative, "-", format!("cannot read the file: {err}"));
            Err(problems)
        }
    }
}

/// Every service version of `dir/upstream/`, converted to the spec model, with the spec file of
/// the same service and version (if any) laid over it as an overlay; spec files without an
/// upstream version stay as they are.
fn with_upstream(
    dir: &Path,
    files: Vec<RawSpec>,
    problems: &mut Diagnostics,
    resolutions: &mut crate::upstream::Resolutions,
) -> Vec<RawSpec> {
    let upstream_dir = dir.join(crate::UPSTREAM_DIR);
    if !upstream_dir.is_dir() {
        return files;
    }
    let versions = match crate::upstream::list_versions(&upstream_dir) {
        Ok(versions) => versions,
        Err(more) => {
            problems.extend(more);
            return files;
        }
    };
    let mut by_path: std::collections::BTreeMap<String, RawSpec> = files
        .into_iter()
        .map(|file| (file.path.clone(), file))
        .collect();
    let common_codes = by_path
        .get(COMMON_FILE)
        .map(|common| crate::upstream::common_codes(&common.value))
        .unwrap_or_default();
    // Reading and converting is most of loading; versions convert independently, on every
    // core, and are laid into `by_path` in their listed order.
    let converted: Vec<_> = versions
        .par_iter()
        .map(|(service, version)| {
            let mut found = Diagnostics::default();
            let mut rules = crate::upstream::Resolutions::default();
            let spec = convert_upstream(
                &upstream_dir,
                service,
                version,
                &common_codes,
                &mut found,
                &mut rules,
            );
            (spec, found, rules)
        })
        .collect();
    for (spec, found, rules) in converted {
        problems.extend(found);
        resolutions.extend(rules);
        if let Some(spec) = spec {
            lay_over(spec, &mut by_path);
        }
    }
    by_path.into_values().collect()
}

/// Converts one upstream service version into its spec file, laying the spec file of the same
/// path in `by_path` (if any) over it as an overlay, and puts the result in `by_path`.
pub(crate) fn lay_upstream(
    upstream_dir: &Path,
    service: &str,
    version: &str,
    common_codes: &std::collections::BTreeSet<String>,
    by_path: &mut std::collections::BTreeMap<String, RawSpec>,
    problems: &mut Diagnostics,
    resolutions: &mut crate::upstream::Resolutions,
) {
    if let Some(converted) = convert_upstream(
        upstream_dir,
        service,
        version,
        common_codes,
        problems,
        resolutions,
    ) {
        lay_over(converted, by_path);
    }
}

fn convert_upstream(
    upstream_dir: &Path,
    service: &str,
    version: &str,
    common_codes: &std::collections::BTreeSet<String>,
    problems: &mut Diagnostics,
    resolutions: &mut crate::upstream::Resolutions,
) -> Option<RawSpec> {
    match crate::upstream::read_version(upstream_dir, service, version) {
        Ok(read) => Some(crate::upstream::convert(&read, common_codes, resolutions)),
        Err(more) => {
            problems.extend(more);
            None
        }
    }
}

/// Puts `converted` into `by_path`, with the spec file of its path there laid over it.
fn lay_over(mut converted: RawSpec, by_path: &mut std::collections::BTreeMap<String, RawSpec>) {
    if let Some(overlay) = by_path.remove(&converted.path) {
        converted.value = crate::merge::merge(&converted.value, &overlay.value);
        converted.sha256 = hex::encode(Sha256::digest(format!(
            "{}{}",
            converted.sha256, overlay.sha256
        )));
        converted.duplicate_keys = overlay.duplicate_keys;
    }
    by_path.insert(converted.path.clone(), converted);
}

pub(crate) fn collect_json_files(
    dir: &Path,
    prefix: &str,
    out: &mut Vec<String>,
    problems: &mut Diagnostics,
) {
    let display = if prefix.is_empty() { "." } else { prefix };
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) => {
            problems.push(
                display,
                "-",
                format!("cannot read directory {}: {err}", dir.display()),
            );
            return;
        }
    };
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                problems.push(display, "-", format!("cannot list directory: {err}"));
                continue;
            }
        };
        let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
            problems.push(display, "-", "a file name is not valid UTF-8");
            continue;
        };
        let relative = format!("{prefix}{name}");
        let path = entry.path();
        // Directories are entered only when they are real ones: a symlink cycle cannot loop.
        let real_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if real_dir && prefix.is_empty() && name == crate::UPSTREAM_DIR {
            // Tencent's description as imported, in its own format: not a spec file.
            continue;
        }
        if real_dir {
            collect_json_files(&path, &format!("{relative}/"), out, problems);
        } else if name.ends_with(".json") && path.is_file() {
            out.push(relative);
        }
    }
}

/// Parses one file's bytes. Fails with the line and column of the first syntax error.
pub fn parse(path: &str, bytes: &[u8]) -> Result<RawSpec, Diagnostics> {
    let mut problems = Diagnostics::default();
    // Editors on Windows may save UTF-8 with a byte order mark; it carries no meaning in JSON.
    let without_bom = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(without_bom) {
        Ok(text) => text,
        Err(err) => {
            problems.push(
                path,
                format!(
                    "byte {}",
                    bytes.len() - without_bom.len() + err.valid_up_to()
                ),
                "not valid UTF-8",
            );
            return Err(problems);
        }
    };
    let mut duplicate_keys = Vec::new();
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let parsed = TrackDuplicates {
        path: "$".to_owned(),
        duplicates: &mut duplicate_keys,
    }
    .deserialize(&mut deserializer)
    .and_then(|value| deserializer.end().map(|()| value));
    match parsed {
        Ok(value) => Ok(RawSpec {
            path: path.to_owned(),
            sha256: hex::encode(Sha256::digest(bytes)),
            value,
            duplicate_keys,
        }),
        Err(err) => {
            let message = err.to_string();
            let message = message
                .rsplit_once(" at line ")
                .map_or(message.as_str(), |(head, _)| head);
            problems.push(
                path,
                format!("line {}, column {}", err.line(), err.column()),
                format!("not valid JSON: {message}"),
            );
            Err(problems)
        }
    }
}

/// Builds a `serde_json::Value` like its own `Deserialize` does, but records the path of every
/// object key seen twice instead of letting the later value silently replace the earlier one.
struct TrackDuplicates<'a> {
    path: String,
    duplicates: &'a mut Vec<String>,
}

impl<'de> DeserializeSeed<'de> for TrackDuplicates<'_> {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for TrackDuplicates<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let TrackDuplicates { path, duplicates } = self;
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(TrackDuplicates {
            path: format!("{path}[{}]", items.len()),
            duplicates: &mut *duplicates,
        })? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let TrackDuplicates { path, duplicates } = self;
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let child = format!("{path}.{key}");
            let value = map.next_value_seed(TrackDuplicates {
                path: child.clone(),
                duplicates: &mut *duplicates,
            })?;
            if object.contains_key(&key) {
                duplicates.push(child);
            } else {
                object.insert(key, value);
            }
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_keys_are_recorded_with_their_path() {
        let raw = parse(
            "x.json",
            br#"{"actions": {"A": 1, "B": {"k": 1, "k": 2}, "A": 3}}"#,
        )
        .unwrap();
        assert_eq!(raw.duplicate_keys, ["$.actions.B.k", "$.actions.A"]);
        assert_eq!(raw.value["actions"]["A"], 1);
    }

    #[test]
    fn syntax_errors_name_line_and_column() {
        let problems = parse("x.json", b"{\n  \"a\": 1,\n  oops\n}").unwrap_err();
        let text = problems.to_string();
        assert!(
            text.starts_with("x.json: line 3, column 3: not valid JSON: "),
            "{text}"
        );
    }

    #[test]
    fn non_utf8_is_reported_not_panicked_on() {
        let problems = parse("x.json", b"{\"a\": \"\xff\"}").unwrap_err();
        assert_eq!(problems.to_string(), "x.json: byte 7: not valid UTF-8\n");
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_cycle_in_the_specs_directory_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).unwrap();
        std::fs::write(
            dir.path().join("common.json"),
            r#"{"version": "1.0", "errors": []}"#,
        )
        .unwrap();
        let set = load_dir(dir.path()).unwrap();
        assert!(set.services.is_empty());
    }

    #[test]
    fn a_utf8_byte_order_mark_is_skipped() {
        let raw = parse("x.json", b"\xEF\xBB\xBF{\"a\": 1}").unwrap();
        assert_eq!(raw.value["a"], 1);
        let problems = parse("x.json", b"\xEF\xBB\xBF{\"a\": \"\xff\"}").unwrap_err();
        assert_eq!(
            problems.to_string(),
            "x.json: byte 10: not valid UTF-8\n",
            "offsets count from the start of the file"
        );
    }

    #[test]
    fn the_imported_upstream_folder_is_not_read_as_spec_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("upstream/cvm/v20170312")).unwrap();
        std::fs::write(
            dir.path().join("upstream/cvm/v20170312/api.json"),
            "{\"actions\": {}}",
        )
        .unwrap();
        std::fs::create_dir_all(dir.path().join("cvm/upstream")).unwrap();
        std::fs::write(dir.path().join("cvm/upstream/x.json"), "{}").unwrap();
        let (files, problems) = read_dir(dir.path());
        assert!(problems.is_empty(), "{problems}");
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            ["cvm/upstream/x.json"],
            "only the top-level upstream/ is skipped"
        );
    }

    #[test]
    fn a_broken_common_json_is_reported_as_broken_not_also_as_missing() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("common.json"), "{").unwrap();
        let problems = load_dir(dir.path()).unwrap_err();
        assert_eq!(
            problems.to_string(),
            "common.json: line 1, column 1: not valid JSON: EOF while parsing an object\n"
        );
        std::fs::remove_file(dir.path().join("common.json")).unwrap();
        let problems = load_dir(dir.path()).unwrap_err();
        assert!(
            problems.to_string().contains("common.json: -: missing"),
            "{problems}"
        );
    }

    #[test]
    fn trailing_garbage_is_an_error() {
        assert!(parse("x.json", b"{} {}").is_err());
    }
}
