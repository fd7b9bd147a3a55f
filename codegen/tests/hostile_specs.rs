//! No input makes loading panic: every value of a real spec replaced by each wrong kind of JSON
//! value, and every truncation of the file, is answered with diagnostics, or accepted and then
//! generated into valid Rust.

use std::path::Path;

use serde_json::Value;
use tencentcloud_codegen::load::{self, RawSpec};
use tencentcloud_codegen::{emit, model, validate};

fn read(relative: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../specs")
            .join(relative),
    )
    .unwrap()
}

/// JSON pointers of every node of `value`.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                pointers(
                    child,
                    format!("{at}/{}", key.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                pointers(child, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

fn validate_one(common: &RawSpec, path: &str, value: Value) -> Result<(), String> {
    let raw = RawSpec {
        path: path.to_owned(),
        sha256: String::new(),
        value,
        duplicate_keys: Vec::new(),
    };
    let specs = validate::validate_set(vec![common.clone(), raw])
        .map_err(|problems| problems.to_string())?;
    // Whatever validation accepts, the generator must turn into valid Rust.
    emit::emit(&model::build(&specs, &Default::default())).unwrap();
    Ok(())
}

#[test]
fn every_value_replaced_by_a_wrong_kind_is_reported_without_panicking() {
    let common = load::parse(load::COMMON_FILE, &read("common.json")).unwrap();
    let path = "gaap/2018-05-29.json";
    let spec = load::parse(path, &read(path)).unwrap().value;
    let mut all = Vec::new();
    pointers(&spec, String::new(), &mut all);
    let replacements = [
        Value::Null,
        Value::Bool(true),
        serde_json::json!(-1),
        serde_json::json!(1.5),
        serde_json::json!("Not A.Valid Name"),
        serde_json::json!([]),
        serde_json::json!({}),
    ];
    let mut reported = 0;
    for pointer in all.iter().filter(|p| !p.is_empty()) {
        for replacement in &replacements {
            let mut broken = spec.clone();
            *broken.pointer_mut(pointer).unwrap() = replacement.clone();
            if let Err(problems) = validate_one(&common, path, broken) {
                assert!(problems.starts_with(path), "{pointer}: {problems}");
                reported += 1;
            }
        }
    }
    assert!(
        reported > all.len(),
        "most replacements break the spec: {reported} reported"
    );
}

#[test]
fn every_truncation_of_a_spec_file_is_a_located_syntax_error() {
    let bytes = read("vpc/2017-03-12.json");
    let json_end = bytes.trim_ascii_end().len();
    for end in (0..json_end).step_by(3) {
        let problems = load::parse("vpc/2017-03-12.json", &bytes[..end]).unwrap_err();
        let text = problems.to_string();
        assert!(
            text.starts_with("vpc/2017-03-12.json: line ")
                || text.starts_with("vpc/2017-03-12.json: byte "),
            "{text}"
        );
    }
}
