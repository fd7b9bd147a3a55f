//! The example answers upstream documents, as it writes them: every example output of a
//! service version's `examples.json` (Chinese edition) and `examples.en.json` (English), for
//! checking that generated output types read what Tencent Cloud says its services send.
//! Unlike the spec model's examples, none is dropped for its values: drifted values are the
//! point.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{UpstreamVersion, read_version};
use crate::diagnostics::Diagnostics;

/// The variable naming the `specs` directory whose `upstream/` tests read.
pub const SPECS_DIR_VARIABLE: &str = "TENCENTCLOUD_SPECS_DIR";

/// The `specs/upstream` directory for tests of a crate at `crate_dir`: under
/// `TENCENTCLOUD_SPECS_DIR` when set, else in the nearest directory above the crate that has
/// one (the repository it was generated in); `None` when there is none, as for a published
/// crate.
pub fn repository_dir(crate_dir: &str) -> Option<PathBuf> {
    if let Some(specs) = std::env::var_os(SPECS_DIR_VARIABLE) {
        return Some(PathBuf::from(specs).join(crate::UPSTREAM_DIR));
    }
    Path::new(crate_dir)
        .ancestors()
        .map(|dir| dir.join("specs").join(crate::UPSTREAM_DIR))
        .find(|dir| dir.is_dir())
}

/// [`example_answers`] of `<upstream>/<service>/<version>/`; `None` when upstream has no such
/// version (a service specified by hand).
pub fn example_answers_in(
    upstream: &Path,
    service: &str,
    version: &str,
) -> Result<Option<ExampleAnswers>, Diagnostics> {
    if !upstream.join(service).join(version).is_dir() {
        return Ok(None);
    }
    read_version(upstream, service, version).map(|found| Some(example_answers(&found)))
}

/// One documented answer: the `Response` object of an example output.
#[derive(Debug, Clone, PartialEq)]
pub struct ExampleAnswer {
    pub action: String,
    /// `zh` or `en`: the `examples.json` it comes from.
    pub edition: &'static str,
    pub title: String,
    /// The `Response` object.
    pub response: Value,
}

impl ExampleAnswer {
    /// `DescribeInstances (en): Querying instances`, for reports.
    pub fn place(&self) -> String {
        format!("{} ({}): {}", self.action, self.edition, self.title)
    }
}

/// A service version's documented answers, and the example outputs that are no JSON
/// `{"Response": {...}}` (their places), which no SDK could read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExampleAnswers {
    pub answers: Vec<ExampleAnswer>,
    pub not_json: Vec<String>,
}

/// Every example output of `upstream`, both editions, in file order.
pub fn example_answers(upstream: &UpstreamVersion) -> ExampleAnswers {
    let mut found = ExampleAnswers::default();
    for (edition, examples) in [("zh", &upstream.examples), ("en", &upstream.examples_en)] {
        let Some(actions) = examples
            .as_ref()
            .and_then(|e| e.get("actions"))
            .and_then(Value::as_object)
        else {
            continue;
        };
        for (action, list) in actions {
            for example in list.as_array().map(Vec::as_slice).unwrap_or_default() {
                let title = example
                    .get("title")
                    .and_then(Value::as_str)
                    .unwrap_or(action)
                    .to_owned();
                let output = example.get("output").and_then(Value::as_str).unwrap_or("");
                match serde_json::from_str::<Value>(output) {
                    Ok(Value::Object(mut body))
                        if body.get("Response").is_some_and(Value::is_object) =>
                    {
                        found.answers.push(ExampleAnswer {
                            action: action.clone(),
                            edition,
                            title,
                            response: body.remove("Response").unwrap_or_default(),
                        });
                    }
                    _ => found
                        .not_json
                        .push(format!("{action} ({edition}): {title}")),
                }
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn version(examples: Value, examples_en: Option<Value>) -> UpstreamVersion {
        UpstreamVersion {
            service: "cvm".into(),
            version: "v20170312".into(),
            api: json!({}),
            api_en: None,
            examples: Some(examples),
            examples_en,
            error_codes: None,
            error_codes_en: None,
            client_calls: None,
            sha256: String::new(),
        }
    }

    #[test]
    fn every_json_answer_of_both_editions_is_listed_drifted_values_and_all() {
        let zh = json!({"actions": {"CreateVpc": [
            {"title": "创建", "output": "{\"Response\": {\"Vpc\": {\"VpcName\": 12345}, \"RequestId\": \"r\"}}"},
            {"title": "坏", "output": "<xml/>"},
        ]}});
        let en = json!({"actions": {"CreateVpc": [
            {"title": "Create", "output": "{\"Response\": []}"},
        ]}});
        let found = example_answers(&version(zh, Some(en)));
        assert_eq!(found.answers.len(), 1);
        assert_eq!(found.answers[0].place(), "CreateVpc (zh): 创建");
        assert_eq!(found.answers[0].response["Vpc"]["VpcName"], 12345);
        assert_eq!(
            found.not_json,
            ["CreateVpc (zh): 坏", "CreateVpc (en): Create"]
        );
    }
}
