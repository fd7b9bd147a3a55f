//! Every action of the seeded services (cvm, vpc, gaap) answers at protocol level: the request is
//! checked against the action's imported shape, and a valid one gets a `Response` (the documented
//! example, or one built from the output shape), never `InvalidAction`. The rest of the catalog is
//! served the same way; the official Python SDK's test draws services from it at random.

use std::path::Path;

use serde_json::{Value, json};
use tencentcloud_emulator::DEFAULT_SPECS_DIR;
use tencentcloud_spec::index::SpecIndex;

use super::support;

#[tokio::test]
async fn every_action_is_served_and_checks_its_required_parameters() {
    let index = SpecIndex::open(Path::new(DEFAULT_SPECS_DIR)).unwrap();
    let specs: Vec<_> = ["cvm", "gaap", "vpc"]
        .into_iter()
        .flat_map(|service| index.load(service).unwrap())
        .collect();
    let handle = support::start_with(support::builder().rate_limits(false)).await;
    let client = support::client(&handle);
    let mut served = 0;
    let mut mismatches = Vec::new();
    for loaded in &specs {
        let spec = &loaded.spec;
        let service = spec.metadata.service_short_name.as_str();
        for (name, action) in &spec.actions {
            let required = spec.objects[&action.input]
                .members
                .iter()
                .any(|m| m.required);
            let constrained = !action.constraints.is_empty();
            let answer = client
                .call(service, support::version_of(service), name, &json!({}))
                .await;
            let outcome = match &answer {
                Ok(_) => None,
                Err(e) => Some(support::error_code(e)),
            };
            // A rule over several parameters may fail first, with its own parameter code.
            let fits = match outcome.as_deref() {
                None => !required,
                Some("MissingParameter") => required || constrained,
                Some("InvalidParameter" | "InvalidParameterValue") => constrained,
                Some(_) => false,
            };
            if !fits {
                mismatches.push(format!(
                    "{service} {name}: {outcome:?} (required parameters: {required}, rules over several: {constrained})"
                ));
            }
            if let Ok(answer) = &answer {
                let output = &spec.objects[&action.output];
                for member in output.members.iter().filter(|m| m.required) {
                    if answer.get(&member.name).is_none() {
                        mismatches.push(format!("{service} {name}: answer lacks {}", member.name));
                    }
                }
            }
            served += 1;
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
    println!("{served} actions answered");
    assert!(
        served >= 656,
        "cvm, vpc and gaap are served whole: {served}"
    );
}

#[tokio::test]
async fn an_action_without_a_usable_example_answers_with_its_output_shape() {
    let handle = support::start().await;
    let client = support::client(&handle);
    // Neither edition documents a usable example of this action.
    let answer = client
        .call(
            "vpc",
            "2017-03-12",
            "DescribeIpGeolocationInfos",
            &json!({"AddressIps": ["8.8.8.8"]}),
        )
        .await
        .expect("DescribeIpGeolocationInfos answers");
    // Both members are documented as possibly null, and are.
    assert_eq!(answer.get("AddressInfo"), Some(&Value::Null), "{answer:?}");
    assert_eq!(answer.get("Total"), Some(&Value::Null), "{answer:?}");
}

#[tokio::test]
async fn a_documented_member_named_error_holding_nothing_is_left_out_of_a_success() {
    let handle = support::start().await;
    let answer = support::Raw::post(
        "lkeap",
        "GetReconstructDocumentResult",
        json!({"TaskId": "x"}),
    )
    .send(&handle)
    .await;
    let response = &answer["Response"];
    // An `Error` key, even null, makes the official SDKs read the answer as a failure.
    assert!(response.get("Error").is_none(), "{answer}");
    assert!(response["RequestId"].is_string(), "{answer}");
}
