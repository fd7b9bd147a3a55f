//! Nested structures (`type: object` members and lists of objects) through the whole pipeline:
//! the fixture `tests/valid/nested/` is generated into a scratch crate that is compiled and
//! tested with cargo, running the tests the generator emits (examples round-trip) plus the
//! checks below (nested rules, nested decoding, the service version's error codes).

use std::path::{Path, PathBuf};
use std::process::Command;

use tencentcloud_codegen::{catalog, generate_dir, write};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/valid/nested")
}

#[test]
fn nested_structures_get_a_types_module_with_one_file_each() {
    let files = generate_dir(&fixture()).unwrap();
    let paths: Vec<&str> = files.keys().map(String::as_str).collect();
    for expected in [
        "services/demo/src/v20200101/types/mod.rs",
        "services/demo/src/v20200101/types/filter.rs",
        "services/demo/src/v20200101/types/placement.rs",
        "services/demo/src/v20200101/types/tag.rs",
        "services/demo/src/v20200101/types/thing.rs",
    ] {
        assert!(
            paths.contains(&expected),
            "{expected} missing from {paths:?}"
        );
    }
    let action = &files["services/demo/src/v20200101/describe_things.rs"];
    assert!(
        action.contains("pub filters: Option<Vec<super::types::Filter>>,"),
        "{action}"
    );
    assert!(
        action.contains("item.validate_at(&format!(\"Filters.{index}.\"))?;"),
        "{action}"
    );
    let thing = &files["services/demo/src/v20200101/types/thing.rs"];
    assert!(
        thing.contains("pub children: Option<Vec<super::Thing>>,"),
        "{thing}"
    );
    assert!(
        !thing.contains("fn validate_at"),
        "response-only structures need no checks"
    );
}

/// The scratch workspace: the generated crates plus a crate whose test uses the facade, depending
/// on the real runtime. Kept under cargo's per-package temporary directory so rebuilds are incremental.
fn scratch_workspace() -> PathBuf {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("nested-fixture");
    let generated = root.join("generated");
    let files = generate_dir(&fixture()).unwrap();
    write::write(&generated, &files).unwrap();
    let repository = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let manifest = catalog::scratch_manifest(
        repository,
        &[
            "generated/sdk",
            "generated/common",
            "generated/services/*",
            "usage",
        ],
    )
    .unwrap();
    std::fs::write(root.join("Cargo.toml"), manifest).unwrap();
    let lock = repository.join("Cargo.lock");
    if !root.join("Cargo.lock").exists() {
        std::fs::copy(lock, root.join("Cargo.lock")).unwrap();
    }
    let usage = root.join("usage");
    std::fs::create_dir_all(usage.join("tests")).unwrap();
    std::fs::write(
        usage.join("Cargo.toml"),
        "[package]\nname = \"usage\"\nedition = \"2024\"\npublish = false\n\n\
         [dev-dependencies]\ntencentcloud-sdk = { path = \"../generated/sdk\", features = [\"demo\"] }\nserde_json = \"1\"\n",
    )
    .unwrap();
    std::fs::create_dir_all(usage.join("src")).unwrap();
    std::fs::write(usage.join("src/lib.rs"), "").unwrap();
    std::fs::write(usage.join("tests/nested.rs"), NESTED_USAGE).unwrap();
    root
}

/// Uses the generated nested types as a user would; compiled and run in the scratch crate.
const NESTED_USAGE: &str = r##"
use tencentcloud_sdk::demo::v20200101::types::{self, Filter, Placement, Thing};
use tencentcloud_sdk::demo::v20200101::{DescribeThingsError, DescribeThingsOutput, DescribeThingsRequest, Error};
use tencentcloud_sdk::{CommonError, ServiceError};

#[test]
fn an_action_without_codes_of_its_own_decodes_the_service_versions_codes() {
    let decode = |code: &str| DescribeThingsError::from(ServiceError::new(code, "m", "r"));
    assert!(matches!(decode("ResourceNotFound.Thing"), Error::ResourceNotFoundThing(_)));
    assert!(matches!(decode("InvalidFilter"), Error::InvalidFilter(_)));
    let common = decode("InternalError");
    assert!(matches!(common, Error::Common(CommonError::InternalError(_))), "{common:?}");
    assert_eq!((common.code(), common.message(), common.request_id()), ("InternalError", "m", "r"));
    let unknown = decode("Brand.New");
    assert!(matches!(unknown, Error::Unhandled(_)));
    assert_eq!(unknown.to_string(), ServiceError::new("Brand.New", "m", "r").to_string());
}

#[test]
fn nested_rules_name_the_full_parameter_path() {
    let mut request = DescribeThingsRequest::default();
    request.filters = Some(vec![
        Filter::default().name("zone").values(["a"]),
        Filter::default().values(["b"]),
    ]);
    let err = request.validate().unwrap_err();
    assert_eq!(err.parameter, "Filters.1.Name");
    request.filters = None;
    request.placement = Some(Placement::default().zone("z").project_id(2));
    assert_eq!(request.validate().unwrap_err().parameter, "Placement.ProjectId");
}

#[test]
fn nested_responses_decode() {
    let output: DescribeThingsOutput = serde_json::from_str(
        r#"{"TotalCount": "1", "ThingSet": [{"ThingId": "t-1", "Tags": [{"Key": "env"}], "Children": [{"ThingId": "t-2"}]}], "RequestId": "r"}"#,
    )
    .unwrap();
    assert_eq!(output.total_count, Some(1));
    assert_eq!(output.thing_set[0].children.as_ref().unwrap()[0].thing_id.as_deref(), Some("t-2"));
}

#[test]
fn upstream_names_that_clash_in_rust_are_resolved_by_rule() {
    let output: DescribeThingsOutput = serde_json::from_str(
        r#"{"ThingSet": [{"ThingId": "t-1", "ThingID": "T-1", "Parent": {"ThingId": "t-0"},
            "LastResult": {"Code": "ok"}, "Summary": {"Count": 2}, "Label": {"Text": "blue"}}],
            "RequestId": "r"}"#,
    )
    .unwrap();
    let thing = &output.thing_set[0];
    // `ThingId` and `ThingID` both snake-case to `thing_id`: the later one takes `thing_id_2`.
    assert_eq!((thing.thing_id.as_deref(), thing.thing_id_2.as_deref()), (Some("t-1"), Some("T-1")));
    // A structure containing itself by value is boxed.
    let parent: &Box<Thing> = thing.parent.as_ref().unwrap();
    assert_eq!(parent.thing_id.as_deref(), Some("t-0"));
    // `Result` would shadow the prelude's: the type is `Result_`, serialized as before.
    let result: &types::Result_ = thing.last_result.as_ref().unwrap();
    assert_eq!(result.code.as_deref(), Some("ok"));
    // A nested structure may share its name with the action's output: they live apart.
    let summary: &types::DescribeThingsOutput = thing.summary.as_ref().unwrap();
    assert_eq!(summary.count, Some(2));
    let label: &types::Thing_Label = thing.label.as_ref().unwrap();
    assert_eq!(label.text.as_deref(), Some("blue"));
    let built = Thing::default().parent(Thing::default().thing_id("t-0"));
    assert_eq!(serde_json::to_value(&built).unwrap()["Parent"]["ThingId"], "t-0");
}

#[test]
fn documented_response_fields_left_out_or_null_do_not_fail_decoding() {
    for answer in [r#"{"TotalCount": null, "ThingSet": null, "RequestId": "r"}"#, r#"{"RequestId": "r"}"#] {
        let output: DescribeThingsOutput = serde_json::from_str(answer).unwrap();
        assert_eq!(output.total_count, None, "{answer}");
        assert!(output.thing_set.is_empty(), "{answer}");
        assert_eq!(output.request_id, "r");
    }
}
"##;

#[test]
fn generated_nested_structures_compile_and_pass_their_tests() {
    let root = scratch_workspace();
    let output = Command::new(env!("CARGO"))
        .args(["test", "--offline", "--manifest-path"])
        .arg(root.join("Cargo.toml"))
        // Shared with `catalog_sample`, so the dependencies' build scripts and proc macros are
        // built once for both.
        .env(
            "CARGO_TARGET_DIR",
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("scratch-target"),
        )
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "cargo test of the generated crates failed:\n{stdout}\n{stderr}"
    );
    assert!(
        !stderr.contains("warning"),
        "the generated crates have warnings:\n{stderr}"
    );
    for test in [
        "v20200101::describe_things::documented_example_requests_round_trip_and_pass_validation ... ok",
        "nested_rules_name_the_full_parameter_path ... ok",
        "an_action_without_codes_of_its_own_decodes_the_service_versions_codes ... ok",
        "nested_responses_decode ... ok",
        "documented_response_fields_left_out_or_null_do_not_fail_decoding ... ok",
        "upstream_names_that_clash_in_rust_are_resolved_by_rule ... ok",
    ] {
        assert!(stdout.contains(test), "`{test}` did not run:\n{stdout}");
    }
}
