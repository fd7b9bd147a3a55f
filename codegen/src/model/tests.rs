use super::build::*;
use super::examples::*;
use super::fields::*;
use super::*;
use crate::types::Constraints;

fn member(name: &str, kind: MemberKind, element: &str) -> Member {
    Member {
        name: name.to_owned(),
        kind,
        member: element.to_owned(),
        required: false,
        document: String::new(),
        document_zh: None,
        example: None,
        deprecated: None,
        idempotency_token: false,
        constraints: Constraints::default(),
    }
}

#[test]
fn query_examples_become_json_with_name_n_indices_as_arrays() {
    let members = [
        member("ProxyIds", MemberKind::List, "string"),
        member("Force", MemberKind::Int, "int64"),
        member("DryRun", MemberKind::Bool, "bool"),
    ];
    let objects = BTreeMap::new();
    let json = typed_object(
        &query_to_json("ProxyIds.1=b&ProxyIds.0=a&Force=1&DryRun=true"),
        &members,
        &objects,
        Mode::Query,
    );
    assert_eq!(
        json,
        serde_json::json!({"ProxyIds": ["a", "b"], "Force": "1", "DryRun": true})
    );
    let example = example_model(
        "t",
        &ExampleRequest::Query {
            query: "ProxyIds.0=a&Force=1".to_owned(),
        },
        &members,
        &objects,
    );
    assert_eq!(
        example.canonical,
        serde_json::json!({"ProxyIds": ["a"], "Force": 1})
    );
}

fn action_with_errors(errors: &[(&str, &str)]) -> Action {
    serde_json::from_value(serde_json::json!({
        "name": "Terminate instances",
        "document": "",
        "input": "TerminateInstancesRequest",
        "output": "TerminateInstancesResponse",
        "status": "online",
        "rateLimit": 10,
        "errors": errors
            .iter()
            .map(|(code, document)| serde_json::json!({"code": code, "document": document}))
            .collect::<Vec<_>>(),
    }))
    .unwrap()
}

#[test]
fn error_handling_example_shows_the_own_code_described_at_greatest_length() {
    let action = action_with_errors(&[
        ("FailedOperation.InvalidInstanceApplicationRole", ""),
        (
            "InternalError",
            "Internal error, and a long common description that must not win.",
        ),
        ("InvalidInstanceId.Malformed", "Invalid instance ID."),
        (
            "UnsupportedOperation.InstancesProtected",
            "The instance is under termination protection and cannot be terminated.",
        ),
    ]);
    let common = BTreeSet::from(["InternalError"]);
    let shown = showcase_error(&action, &common).unwrap();
    assert_eq!(shown.code, "UnsupportedOperation.InstancesProtected");
}

#[test]
fn error_handling_example_breaks_ties_by_code_and_needs_a_described_own_code() {
    let tie = action_with_errors(&[("B.Same", "Same."), ("A.Same", "Same.")]);
    assert_eq!(
        showcase_error(&tie, &BTreeSet::new()).unwrap().code,
        "A.Same"
    );
    let undescribed = action_with_errors(&[("A.Bare", " "), ("InternalError", "Common.")]);
    assert!(showcase_error(&undescribed, &BTreeSet::from(["InternalError"])).is_none());
}

#[test]
fn library_names_are_the_crate_names_as_rust_writes_them() {
    assert_eq!(FACADE_CRATE.replace('-', "_"), FACADE_LIB);
    assert_eq!(COMMON_CRATE.replace('-', "_"), COMMON_LIB);
}

#[test]
fn serde_rename_is_kept_only_where_pascal_case_would_not_give_the_tencent_name_back() {
    let plain = field_base(
        &member("InstanceIds", MemberKind::List, "string"),
        "instance_ids".to_owned(),
    );
    assert_eq!(
        (plain.rust_name.as_str(), plain.serde_rename),
        ("instance_ids", None)
    );
    let acronym = field_base(
        &member("MFACode", MemberKind::String, "string"),
        "mfa_code".to_owned(),
    );
    assert_eq!(acronym.rust_name, "mfa_code");
    assert_eq!(acronym.serde_rename.as_deref(), Some("MFACode"));
}
