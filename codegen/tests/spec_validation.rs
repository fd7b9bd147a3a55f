//! Golden tests of the validator: every broken spec set under `tests/invalid/<case>/` must be
//! rejected with exactly the messages in its `expected.txt` (all problems of a case in one run).
//! Run with `BLESS=1` to rewrite the expected files after a deliberate wording change.

use std::path::{Path, PathBuf};

use tencentcloud_codegen::{generate_dir, load};

fn cases_dir(kind: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(kind)
}

#[test]
fn broken_specs_are_rejected_with_every_problem_named_by_file_and_json_path() {
    let bless = std::env::var_os("BLESS").is_some();
    let mut cases: Vec<PathBuf> = std::fs::read_dir(cases_dir("invalid"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 10, "the golden cases are missing: {cases:?}");
    let mut mismatches = Vec::new();
    for case in &cases {
        let actual = match load::load_dir(case) {
            Ok(_) => "accepted\n".to_owned(),
            Err(problems) => problems.to_string(),
        };
        let expected_path = case.join("expected.txt");
        if bless {
            std::fs::write(&expected_path, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if actual != expected {
            mismatches.push(format!(
                "{}:\n--- expected\n{expected}--- actual\n{actual}",
                case.display()
            ));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

#[test]
fn rust_keywords_and_reserved_method_names_get_a_suffix_instead_of_failing() {
    let files = generate_dir(&cases_dir("valid").join("keywords")).unwrap();
    let action = &files["services/demo/src/v20200101/match_.rs"];
    for expected in [
        "pub type_: Option<String>,",
        "pub fn type_(mut self, value: impl Into<String>) -> Self",
        "pub self_: Option<String>,",
        "pub fn send_(mut self, value: impl Into<String>) -> Self",
        "pub as_: Option<bool>,",
        "pub loop_: Option<i64>,",
    ] {
        assert!(
            action.contains(expected),
            "missing `{expected}` in:\n{action}"
        );
    }
    let client = &files["services/demo/src/v20200101/mod.rs"];
    assert!(
        client.contains("pub fn match_(&self) -> MatchBuilder"),
        "{client}"
    );
    assert!(
        client.contains("pub fn new_(&self) -> NewBuilder"),
        "{client}"
    );
    assert!(
        client.contains("pub fn new(config: &tencentcloud_runtime::Config) -> Self"),
        "{client}"
    );
}

/// The generator adds `Common` and `Unhandled` to every error enum and `types` and `errors` to
/// every version module; an upstream code or action of those names takes the `_` suffix rather
/// than clashing.
#[test]
fn upstream_names_equal_to_generated_ones_get_a_suffix_instead_of_clashing() {
    let files = generate_dir(&cases_dir("valid").join("keywords")).unwrap();
    let action = &files["services/demo/src/v20200101/match_.rs"];
    for expected in [
        "Common_ = \"Common\",",
        "Unhandled_ = \"Unhandled\",",
        "common = tencentcloud_sdk_common::CommonError;",
    ] {
        assert!(
            action.contains(expected),
            "missing `{expected}` in:\n{action}"
        );
    }
    let client = &files["services/demo/src/v20200101/mod.rs"];
    for expected in [
        "mod errors;",
        "mod types_;",
        "pub use self::types_::{TypesBuilder, TypesError, TypesOutput, TypesRequest};",
    ] {
        assert!(
            client.contains(expected),
            "missing `{expected}` in:\n{client}"
        );
    }
    assert!(files.contains_key("services/demo/src/v20200101/types_.rs"));
}

#[test]
fn a_missing_specs_directory_is_reported_not_panicked_on() {
    let problems = load::load_dir(Path::new("/nonexistent/specs")).unwrap_err();
    let text = problems.to_string();
    assert!(
        text.contains("cannot read directory /nonexistent/specs"),
        "{text}"
    );
}
