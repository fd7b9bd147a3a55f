//! The spec loader, validator and upstream converter on any input: answered with diagnostics or
//! accepted, never a panic. Cases: `PROPTEST_CASES` (default 64 here: each case validates a
//! whole service).

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::OnceLock;

use proptest::prelude::*;
use serde_json::Value;
use tencentcloud_spec::index::SpecIndex;
use tencentcloud_spec::load::{self, RawSpec};
use tencentcloud_spec::upstream::{self, Resolutions, UpstreamVersion};
use tencentcloud_spec::validate;

const SPECS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../specs");

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64);
    ProptestConfig::with_cases(cases)
}

struct Samples {
    common: RawSpec,
    common_codes: BTreeSet<String>,
    /// gaap as a complete spec file, as loading produces it.
    spec: Value,
    /// gaap as imported from upstream.
    upstream: UpstreamVersion,
}

fn samples() -> &'static Samples {
    static SAMPLES: OnceLock<Samples> = OnceLock::new();
    SAMPLES.get_or_init(|| {
        let common = std::fs::read(Path::new(SPECS).join(load::COMMON_FILE)).unwrap();
        let common = load::parse(load::COMMON_FILE, &common).unwrap();
        let common_codes = upstream::common_codes(&common.value);
        let gaap = SpecIndex::open(Path::new(SPECS))
            .unwrap()
            .load("gaap")
            .unwrap()
            .remove(0);
        let dir = Path::new(SPECS).join(tencentcloud_spec::UPSTREAM_DIR);
        let upstream = upstream::read_version(&dir, "gaap", "v20180529").unwrap();
        Samples {
            common,
            common_codes,
            spec: serde_json::to_value(&gaap.spec).unwrap(),
            upstream,
        }
    })
}

/// Every node of `value`, as a path of keys and indices.
fn paths(value: &Value, at: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                at.push(key.clone());
                paths(child, at, out);
                at.pop();
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                at.push(i.to_string());
                paths(child, at, out);
                at.pop();
            }
        }
        _ => {}
    }
    out.push(at.clone());
}

fn node<'v>(value: &'v mut Value, path: &[String]) -> Option<&'v mut Value> {
    path.iter().try_fold(value, |v, key| match v {
        Value::Object(map) => map.get_mut(key),
        Value::Array(items) => items.get_mut(key.parse::<usize>().ok()?),
        _ => None,
    })
}

/// `value` with the node at a chosen path replaced, or removed from its parent.
fn mutate(value: &Value, pick: prop::sample::Index, replacement: Option<Value>) -> Value {
    let mut all = Vec::new();
    paths(value, &mut Vec::new(), &mut all);
    let path = &all[pick.index(all.len())];
    let mut changed = value.clone();
    match replacement {
        Some(new) => {
            if let Some(slot) = node(&mut changed, path) {
                *slot = new;
            }
        }
        None => {
            if let Some((last, parent)) = path.split_last()
                && let Some(parent) = node(&mut changed, parent)
            {
                match parent {
                    Value::Object(map) => {
                        map.remove(last);
                    }
                    Value::Array(items) => {
                        if let Ok(i) = last.parse::<usize>() {
                            items.remove(i);
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    changed
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        ".{0,12}".prop_map(Value::from),
        Just(Value::from("Link0")),
        Just(Value::from("object")),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::from),
            prop::collection::btree_map("[a-zA-Z]{1,8}", inner, 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn raw(path: &str, value: Value) -> RawSpec {
    RawSpec {
        path: path.to_owned(),
        sha256: String::new(),
        value,
        duplicate_keys: Vec::new(),
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_bytes_parse_to_a_spec_or_a_located_syntax_error(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        if let Err(problems) = load::parse("demo/2020-01-01.json", &bytes) {
            prop_assert!(problems.to_string().contains("demo/2020-01-01.json"));
        }
    }

    #[test]
    fn a_spec_with_any_node_replaced_or_removed_validates_or_is_reported(
        pick in any::<prop::sample::Index>(),
        replacement in prop::option::of(json_value()),
    ) {
        let samples = samples();
        let changed = mutate(&samples.spec, pick, replacement);
        match validate::validate_set(vec![samples.common.clone(), raw("gaap/2018-05-29.json", changed)]) {
            Ok(set) => prop_assert_eq!(set.services.len(), 1),
            Err(problems) => prop_assert!(!problems.to_string().is_empty()),
        }
    }

    #[test]
    fn upstream_data_with_any_node_replaced_or_removed_converts_without_panicking(
        pick in any::<prop::sample::Index>(),
        replacement in prop::option::of(json_value()),
    ) {
        let samples = samples();
        let mut odd = samples.upstream.clone();
        odd.api = mutate(&samples.upstream.api, pick, replacement);
        let mut resolutions = Resolutions::default();
        let converted = upstream::convert(&odd, &samples.common_codes, &mut resolutions);
        // Whatever conversion makes of it, validation answers without panicking.
        let _ = validate::validate_set(vec![samples.common.clone(), converted]);
    }
}
