//! The example tests of a service crate, one integration test (`tests/examples/main.rs`) with a module
//! per version and a file per action: only what the action's spec itself declares, every
//! documented example request round-trips through the request type. Behaviour every action shares
//! (error decoding, filling the idempotency token) is tested once, in the generator's own tests.
//! An integration test links the built library instead of compiling the crate again for a unit
//! test harness.

use super::text::{RustText, raw_string_literal, string_literal};
use crate::line;
use crate::model::{ActionModel, ServiceModel, VersionModel};

/// An action's test file, or `None` for an action without examples.
pub fn emit_action(action: &ActionModel) -> Option<RustText> {
    if action.examples.is_empty() {
        return None;
    }
    let mut text = RustText::new();
    text.line("#[test]");
    text.open("fn documented_example_requests_round_trip_and_pass_validation() {");
    text.open("let examples = [");
    for example in &action.examples {
        line!(
            text,
            "({}, {}, {}),",
            string_literal(&example.title),
            raw_string_literal(&example.request.to_string()),
            raw_string_literal(&example.canonical.to_string())
        );
    }
    text.close("];");
    text.open("for (title, documented, canonical) in examples {");
    line!(
        text,
        "let request: {} = serde_json::from_str(documented).unwrap();",
        action.request_path
    );
    text.line("assert_eq!(request.validate(), Ok(()), \"{title}\");");
    text.line("let written = serde_json::to_value(&request).unwrap();");
    text.line("let expected: serde_json::Value = serde_json::from_str(canonical).unwrap();");
    text.line("assert_eq!(written, expected, \"{title}\");");
    text.close("}");
    text.close("}");
    Some(text)
}

/// `tests/examples/<version>/mod.rs`: the actions with examples, or `None` when there are none.
pub fn emit_version(version: &VersionModel) -> Option<RustText> {
    let mut text = RustText::new();
    for action in version.actions.iter().filter(|a| !a.examples.is_empty()) {
        line!(text, "mod {};", action.module);
    }
    version
        .actions
        .iter()
        .any(|a| !a.examples.is_empty())
        .then_some(text)
}

/// `tests/examples/main.rs`: the versions with examples, or `None` when there are none.
pub fn emit_root(service: &ServiceModel) -> Option<RustText> {
    let tested: Vec<&VersionModel> = service
        .versions
        .iter()
        .filter(|v| v.actions.iter().any(|a| !a.examples.is_empty()))
        .collect();
    if tested.is_empty() {
        return None;
    }
    let mut text = RustText::new();
    text.line(
        "//! Every documented example request of this crate's actions round-trips through its",
    );
    text.line("//! request type and passes the client-side checks.");
    text.blank();
    for version in tested {
        line!(text, "mod {};", version.module);
    }
    Some(text)
}
