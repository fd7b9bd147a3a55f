//! Signature verification: each AuthFailure code, and the signing variants real SDKs use.

use serde_json::json;
use tencentcloud_emulator::{EmulatorHandle, Instance};
use tencentcloud_runtime::{Client, Credentials};

use super::support::{self, Raw, SECRET_ID, SECRET_KEY};

fn terminate(id: &str) -> Raw {
    Raw::post("cvm", "TerminateInstances", json!({"InstanceIds": [id]}))
}

/// The error code (`None` on success) of a `TerminateInstances` of `ins-3jaw1j8m` with one part
/// of the signed request bent by `bend`.
async fn bent_terminate(handle: &EmulatorHandle, bend: impl FnOnce(&mut Raw)) -> Option<String> {
    let mut raw = terminate("ins-3jaw1j8m");
    bend(&mut raw);
    raw.code(handle).await
}

/// Asserts that a fresh emulator answers a `TerminateInstances` bent by `bend` with `code`.
async fn assert_refused_when_bent(bend: impl FnOnce(&mut Raw), code: &str) {
    let handle = support::start().await;
    assert_eq!(bent_terminate(&handle, bend).await.as_deref(), Some(code));
}

#[tokio::test]
async fn runtime_client_requests_verify_and_act() {
    let handle = support::start().await;
    handle.seed_instance(Instance::new("ins-3jaw1j8m")).unwrap();
    let answer = support::client(&handle)
        .call(
            "cvm",
            "2017-03-12",
            "TerminateInstances",
            &json!({"InstanceIds": ["ins-3jaw1j8m"]}),
        )
        .await
        .unwrap();
    assert_eq!(answer["RequestId"].as_str().map(str::len), Some(36));
    let log = handle.request_log();
    assert_eq!(log.len(), 1);
    assert!(log[0].is_success() && log[0].took_effect);
    assert_eq!(log[0].secret_id.as_deref(), Some(SECRET_ID));
}

#[tokio::test]
async fn unknown_secret_id_is_secret_id_not_found() {
    assert_refused_when_bent(
        |raw| raw.secret_id = "AKIDnobody".into(),
        "AuthFailure.SecretIdNotFound",
    )
    .await;
}

#[tokio::test]
async fn wrong_secret_key_is_signature_failure() {
    let handle = support::start().await;
    let credentials = Credentials::new(SECRET_ID, "not-the-key").unwrap();
    let client = Client::new(&support::config(&handle, credentials));
    let code = support::code_of(
        &client,
        "cvm",
        "TerminateInstances",
        json!({"InstanceIds": ["ins-3jaw1j8m"]}),
    )
    .await;
    assert_eq!(code.as_deref(), Some("AuthFailure.SignatureFailure"));
    assert!(!handle.request_log()[0].took_effect);
}

#[tokio::test]
async fn a_tampered_body_is_signature_failure() {
    let handle = support::start().await;
    let mut raw = terminate("ins-3jaw1j8m");
    raw.authorization = Some(crate::tc3::authorization(&crate::tc3::ToSign {
        secret_id: SECRET_ID,
        secret_key: SECRET_KEY,
        service: "cvm",
        method: "POST",
        query: "",
        headers: &[
            ("content-type", "application/json"),
            ("host", &handle.local_addr().to_string()),
        ],
        body: br#"{"InstanceIds":["ins-00000000"]}"#,
        timestamp: raw.timestamp,
    }));
    assert_eq!(
        raw.code(&handle).await.as_deref(),
        Some("AuthFailure.SignatureFailure")
    );
}

#[tokio::test]
async fn missing_or_garbled_authorization_is_invalid_authorization() {
    let handle = support::start().await;
    for garbage in [
        "",
        "garbage",
        "TC3-HMAC-SHA256 Credential=AKID/2020-01-01/cvm, SignedHeaders=content-type;host, Signature=00",
        "HMAC-SHA1 Credential=x",
        "TC3-HMAC-SHA256 Credential=AKIDtestEmulator0001/2020-01-01/cvm/tc3_request, SignedHeaders=content-type;host, Signature=zz",
    ] {
        assert_eq!(
            bent_terminate(&handle, |raw| raw.authorization = Some(garbage.to_string()))
                .await
                .as_deref(),
            Some("AuthFailure.InvalidAuthorization"),
            "for {garbage:?}"
        );
    }
}

#[tokio::test]
async fn timestamps_more_than_five_minutes_off_are_signature_expire() {
    let handle = support::start().await;
    for offset in [-301, 301, -86_400] {
        assert_eq!(
            bent_terminate(&handle, |raw| raw.timestamp = support::now() + offset)
                .await
                .as_deref(),
            Some("AuthFailure.SignatureExpire"),
            "offset {offset}"
        );
    }
    assert_eq!(
        bent_terminate(&handle, |raw| raw.timestamp = support::now() - 200)
            .await
            .as_deref(),
        Some("InvalidInstanceId.NotFound")
    );
}

#[tokio::test]
async fn temporary_credentials_need_their_exact_token() {
    let handle = support::start_with(support::builder().credential_with_token(
        "AKIDtemp",
        "temp-key",
        "the-token",
    ))
    .await;
    handle.seed_instance(Instance::new("ins-3jaw1j8m")).unwrap();
    let call = |token: Option<&str>| {
        let mut raw = terminate("ins-3jaw1j8m");
        raw.secret_id = "AKIDtemp".into();
        raw.secret_key = "temp-key".into();
        raw.token = token.map(str::to_string);
        raw
    };
    assert_eq!(
        call(None).code(&handle).await.as_deref(),
        Some("AuthFailure.TokenFailure")
    );
    assert_eq!(
        call(Some("other")).code(&handle).await.as_deref(),
        Some("AuthFailure.TokenFailure")
    );
    assert_eq!(call(Some("the-token")).code(&handle).await, None);

    let credentials = Credentials::new("AKIDtemp", "temp-key")
        .unwrap()
        .with_token("the-token")
        .unwrap();
    let client = Client::new(&support::config(&handle, credentials));
    let code = support::code_of(
        &client,
        "cvm",
        "TerminateInstances",
        json!({"InstanceIds": ["ins-3jaw1j8m"]}),
    )
    .await;
    assert_eq!(
        code.as_deref(),
        Some("UnsupportedOperation.InstanceStateTerminated")
    );
}

#[tokio::test]
async fn a_token_for_a_permanent_credential_is_token_failure() {
    assert_refused_when_bent(
        |raw| raw.token = Some("unexpected".into()),
        "AuthFailure.TokenFailure",
    )
    .await;
}

#[tokio::test]
async fn any_signed_header_list_with_content_type_and_host_verifies() {
    let handle = support::start().await;
    handle.seed_instance(Instance::new("ins-3jaw1j8m")).unwrap();
    let mut raw = terminate("ins-3jaw1j8m");
    // Newer official SDKs also sign X-TC-Action, with its value lowercased.
    raw.extra_signed = vec![("x-tc-action".into(), "TerminateInstances".into())];
    assert_eq!(raw.code(&handle).await, None);
}

#[tokio::test]
async fn a_signed_header_list_without_host_is_invalid_authorization() {
    assert_refused_when_bent(
        |raw| raw.skip_host_in_signature = true,
        "AuthFailure.InvalidAuthorization",
    )
    .await;
}

#[tokio::test]
async fn the_credential_scope_must_name_the_actions_service() {
    let handle = support::start().await;
    let mut raw = terminate("ins-3jaw1j8m");
    raw.service = "gaap".into();
    raw.version = "2017-03-12".into();
    assert_eq!(
        raw.code(&handle).await.as_deref(),
        Some("AuthFailure.InvalidAuthorization")
    );
}

#[tokio::test]
async fn signed_get_requests_with_query_parameters_verify() {
    let handle = support::start().await;
    handle.seed_instance(Instance::new("ins-3jaw1j8m")).unwrap();
    let raw = Raw::get(
        "cvm",
        "TerminateInstances",
        "InstanceIds.0=ins-3jaw1j8m&ReleasePrepaidDataDisks=True",
    );
    assert_eq!(raw.code(&handle).await, None);
    assert_eq!(
        handle.instance("ins-3jaw1j8m").unwrap().instance_state,
        tencentcloud_emulator::InstanceState::Terminated
    );
}

#[tokio::test]
async fn node_sdk_style_signing_of_the_host_name_without_port_and_service_from_the_endpoint_verifies()
 {
    let handle = support::start().await;
    handle.seed_instance(Instance::new("ins-3jaw1j8m")).unwrap();
    let mut raw = terminate("ins-3jaw1j8m");
    raw.signed_host = Some("127.0.0.1".into());
    raw.service = "127".into();
    assert_eq!(raw.code(&handle).await, None);
    assert_eq!(
        bent_terminate(&handle, |raw| raw.signed_host = Some("127.0.0.2".into()))
            .await
            .as_deref(),
        Some("AuthFailure.SignatureFailure")
    );
}

#[tokio::test]
async fn a_misspelled_scope_service_is_invalid_authorization() {
    assert_refused_when_bent(
        |raw| raw.service = "cvn".into(),
        "AuthFailure.InvalidAuthorization",
    )
    .await;
}

#[tokio::test]
async fn signature_v1_parameters_are_refused_with_a_message_naming_tc3() {
    let handle = support::start().await;
    let mut raw = Raw::get(
        "gaap",
        "DestroyProxies",
        "ProxyIds.0=link-11112222&Force=1&SecretId=AKID&Nonce=1&SignatureMethod=HmacSHA256&Signature=abc%3D",
    );
    raw.authorization = Some(String::new());
    let answer = raw.send(&handle).await;
    assert_eq!(
        answer["Response"]["Error"]["Code"],
        "AuthFailure.InvalidAuthorization"
    );
    assert!(
        answer["Response"]["Error"]["Message"]
            .as_str()
            .unwrap()
            .contains("TC3-HMAC-SHA256")
    );
}
