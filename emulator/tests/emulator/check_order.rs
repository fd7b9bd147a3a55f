//! The order of checks the README documents (authentication first, as Tencent Cloud does): a
//! request that breaks several rules gets the code of the earliest — authentication before the
//! action, the action before its parameters, the parameters before the resources they name.

use serde_json::json;

use super::support::{self, Raw};

fn terminate(body: serde_json::Value) -> Raw {
    Raw::post("cvm", "TerminateInstances", body)
}

#[tokio::test]
async fn a_request_breaking_several_rules_gets_the_code_of_the_first_check() {
    let handle = support::start().await;
    let unknown_parameter = json!({"InstanceIds": ["ins-1122"], "Bogus": 1});
    let too_many_malformed_ids: Vec<String> = (0..101).map(|i| format!("ins-{i}")).collect();
    let cases: Vec<(&str, Raw, &str)> = vec![
        (
            "a wrong key before an unknown parameter",
            {
                let mut raw = terminate(unknown_parameter.clone());
                raw.secret_key = "not-the-key".into();
                raw
            },
            "AuthFailure.SignatureFailure",
        ),
        (
            "an expired signature before a missing parameter",
            {
                let mut raw = terminate(json!({}));
                raw.timestamp = support::now() - 3_600;
                raw
            },
            "AuthFailure.SignatureExpire",
        ),
        (
            "an unknown secret id before an unknown version",
            {
                let mut raw = terminate(json!({}));
                raw.secret_id = "AKIDnobody".into();
                raw.version = "2099-01-01".into();
                raw
            },
            "AuthFailure.SecretIdNotFound",
        ),
        (
            "a wrong key before an unknown action",
            {
                let mut raw = Raw::post("cvm", "TerminateEverything", json!({}));
                raw.secret_key = "not-the-key".into();
                raw
            },
            "AuthFailure.SignatureFailure",
        ),
        (
            "an unknown version before its parameters",
            {
                let mut raw = terminate(unknown_parameter.clone());
                raw.version = "2099-01-01".into();
                raw
            },
            "NoSuchVersion",
        ),
        (
            "a missing region before the parameters",
            {
                let mut raw = terminate(unknown_parameter.clone());
                raw.region = None;
                raw
            },
            "MissingParameter",
        ),
        (
            "an unknown parameter before a malformed instance id",
            terminate(unknown_parameter.clone()),
            "UnknownParameter",
        ),
        (
            "too many ids before whether they are well-formed",
            terminate(json!({"InstanceIds": too_many_malformed_ids})),
            "InvalidParameterValue.LimitExceeded",
        ),
    ];
    for (case, raw, code) in cases {
        assert_eq!(raw.code(&handle).await.as_deref(), Some(code), "{case}");
    }
    assert!(handle.request_log().iter().all(|call| !call.took_effect));
}
