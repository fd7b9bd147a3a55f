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
    if action.multipart.is_some() {
        text.line("assert!(request.validate().is_err(), \"{title}: a multipart upload is refused before sending\");");
    } else {
        text.line("assert_eq!(request.validate(), Ok(()), \"{title}\");");
    }
    text.line("let written = serde_json::to_value(&request).unwrap();");
    text.line("let expected: serde_json::Value = serde_json::from_str(canonical).unwrap();");
    text.line("assert_eq!(written, expected, \"{title}\");");
    text.close("}");
    text.close("}");
    Some(text)
}

/// How the example tests name the runtime's reading of many answers.
const ANSWER_REPORT: &str = "tencentcloud_runtime::__private::output::AnswerReport";

/// `tests/examples/<version>/mod.rs`: the actions with examples, and the reading of each
/// answer upstream documents for the version by its action's output type.
pub fn emit_version(version: &VersionModel) -> RustText {
    let mut text = RustText::new();
    for action in version.actions.iter().filter(|a| !a.examples.is_empty()) {
        line!(text, "mod {};", action.module);
    }
    if version.actions.iter().any(|a| !a.examples.is_empty()) {
        text.blank();
    }
    text.line("/// Reads every answer upstream documents for this version (none for a version specified by hand) by its action's output type into `report`.");
    text.open(&format!(
        "pub fn read_answers(report: &mut {ANSWER_REPORT}, upstream: &std::path::Path) {{"
    ));
    line!(text, "use {} as api;", version.path);
    line!(
        text,
        "let found = tencentcloud_spec::upstream::example_answers_in(upstream, {}, {}).unwrap();",
        string_literal(&version.service),
        string_literal(&version.module)
    );
    text.open("for answer in found.iter().flat_map(|found| &found.answers) {");
    text.line("let (place, json) = (answer.place(), answer.response.to_string());");
    text.open("match answer.action.as_str() {");
    for action in &version.actions {
        line!(
            text,
            "{} => report.read::<api::{}>(&place, json.as_bytes()),",
            string_literal(&action.name),
            action.output_type
        );
    }
    text.line("_ => report.no_action(place),");
    text.close("}");
    text.close("}");
    text.line("report.not_json(found.map_or(0, |found| found.not_json.len()));");
    text.close("}");
    text
}

/// `tests/examples/main.rs`: the versions, and the test reading every answer upstream documents
/// for the crate's actions by their output types.
pub fn emit_root(service: &ServiceModel) -> RustText {
    let mut text = RustText::new();
    text.line(
        "//! Every documented example request of this crate's actions round-trips through its",
    );
    text.line(
        "//! request type and passes the client-side checks, and every example answer upstream",
    );
    text.line(
        "//! documents (both editions of `examples.json`) is read by its action's output type.",
    );
    text.blank();
    for version in &service.versions {
        line!(text, "mod {};", version.module);
    }
    text.blank();
    text.line("#[test]");
    text.open("fn documented_example_answers_are_read_by_their_output_types() {");
    text.open("let Some(upstream) = tencentcloud_spec::upstream::repository_dir(env!(\"CARGO_MANIFEST_DIR\")) else {");
    line!(
        text,
        "println!(\"skipped: no specs/upstream in a directory above this crate, nor {}\");",
        tencentcloud_spec::upstream::SPECS_DIR_VARIABLE
    );
    text.line("return;");
    text.close("};");
    line!(text, "let mut report = {ANSWER_REPORT}::default();");
    for version in &service.versions {
        line!(
            text,
            "{}::read_answers(&mut report, &upstream);",
            version.module
        );
    }
    text.line("println!(\"{report}\");");
    text.line("assert!(report.lost().is_empty(), \"{report}\");");
    text.close("}");
    text
}
