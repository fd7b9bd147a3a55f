//! Production credentials end to end on loopback: the CVM instance role, STS `AssumeRole` and
//! the TKE web identity, each against its stand-in (`tencentcloud_emulator::identity`), their
//! caching, and calls to the emulator signed with what they return.

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use tencentcloud_emulator::identity::{
    Issued, Issuing, StandIn, StsRules, metadata_service, sts_service, unix_now,
};
use tencentcloud_runtime::credentials::{
    AssumeRoleProvider, CvmRoleProvider, EnvLookup, ProvideCredentials, WebIdentityProvider,
};
use tencentcloud_runtime::{Client, Credentials, CredentialsError, SdkError};
use tencentcloud_tests::{HandClock, SECRET_ID, SECRET_KEY, config_builder, emulator_builder};

const LIFETIME: u64 = 3_600;
const MARGIN: Duration = Duration::from_secs(300);
const ROLE_ARN: &str = "qcs::cam::uin/100000000001:roleName/deployer";

async fn describe(client: &Client) -> Result<Value, SdkError<tencentcloud_runtime::ServiceError>> {
    client
        .call("cvm", "2017-03-12", "DescribeInstances", &json!({}))
        .await
}

/// The secret ids the emulator saw, oldest first.
fn signers(log: &[tencentcloud_emulator::LogEntry]) -> Vec<String> {
    log.iter().filter_map(|e| e.secret_id.clone()).collect()
}

/// Credentials issued from now on, `lifetime` seconds apart, and a clock stopped at now.
fn issuing_from_now(prefix: &'static str, lifetime: u64) -> (Issuing, Arc<HandClock>) {
    let now = unix_now();
    let issuing = Issuing {
        prefix,
        base: now,
        lifetime,
    };
    (issuing, HandClock::at(now))
}

/// An emulator that accepts exactly the given temporary credentials.
async fn emulator_accepting(issued: &[&Issued]) -> tencentcloud_emulator::EmulatorHandle {
    let builder = issued.iter().fold(emulator_builder(), |builder, issued| {
        builder.credential_with_token(&issued.secret_id, &issued.secret_key, &issued.token)
    });
    tencentcloud_tests::start_emulator_with(builder).await
}

/// A client calling `emulator` with credentials from `provider`.
fn client_with(
    emulator: &tencentcloud_emulator::EmulatorHandle,
    provider: impl ProvideCredentials + 'static,
) -> Client {
    let config = config_builder(emulator)
        .credentials_provider(provider)
        .build()
        .unwrap();
    Client::new(&config)
}

/// The instance role served by `metadata`, refreshed `MARGIN` before expiry by `clock`.
fn role_provider(metadata: &StandIn, clock: &Arc<HandClock>) -> CvmRoleProvider {
    CvmRoleProvider::builder()
        .endpoint(metadata.url())
        .refresh_margin(MARGIN)
        .clock(clock.clone())
        .build()
}

#[tokio::test]
async fn cvm_role_credentials_are_cached_and_refreshed_once_for_a_hundred_calls() {
    let (issuing, clock) = issuing_from_now("cvm", LIFETIME);
    let metadata = metadata_service(Some("app-role"), issuing.clone()).await;
    let (first, second) = (issuing.nth(1), issuing.nth(2));
    let emulator = emulator_accepting(&[&first, &second]).await;
    let client = client_with(&emulator, role_provider(&metadata, &clock));

    describe(&client)
        .await
        .expect("signed with the role's credentials");
    describe(&client).await.expect("still cached");
    assert_eq!(metadata.issued(), 1, "fetched once, then cached");
    let paths: Vec<String> = metadata.received().into_iter().map(|r| r.path).collect();
    assert_eq!(
        paths,
        [
            "/latest/meta-data/cam/security-credentials/",
            "/latest/meta-data/cam/security-credentials/app-role",
        ]
    );

    // 200 s before expiry, inside the 300 s margin: a hundred concurrent calls, one refresh.
    clock.set(first.expired_time - 200);
    let calls: Vec<_> = (0..100)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { describe(&client).await })
        })
        .collect();
    for call in calls {
        call.await
            .unwrap()
            .expect("signed with refreshed credentials");
    }
    assert_eq!(metadata.issued(), 2, "exactly one refresh for 100 calls");
    let seen = signers(&emulator.request_log());
    assert_eq!(seen.len(), 102);
    assert!(seen[..2].iter().all(|id| *id == first.secret_id));
    assert!(
        seen[2..].iter().all(|id| *id == second.secret_id),
        "{seen:?}"
    );
}

#[tokio::test]
async fn a_failed_refresh_keeps_calls_working_until_the_credentials_expire() {
    let (issuing, clock) = issuing_from_now("cvm", LIFETIME);
    let metadata = metadata_service(Some("app-role"), issuing.clone()).await;
    let first = issuing.nth(1);
    let emulator = emulator_accepting(&[&first]).await;
    let client = client_with(&emulator, role_provider(&metadata, &clock));
    describe(&client).await.unwrap();

    metadata.set_failing(true);
    clock.set(first.expired_time - 100);
    for _ in 0..10 {
        describe(&client)
            .await
            .expect("the still-valid credentials keep working");
    }
    let document_requests = |metadata: &StandIn| {
        metadata
            .received()
            .iter()
            .filter(|r| r.path.ends_with("/app-role"))
            .count()
    };
    assert_eq!(
        document_requests(&metadata),
        2,
        "one failed refresh, then a pause instead of asking on every call"
    );

    clock.set(first.expired_time + 1);
    let error = describe(&client).await.unwrap_err();
    let SdkError::Credentials(credentials) = &error else {
        panic!("expected a credentials error, got {error:?}");
    };
    let shown = credentials.to_string();
    assert!(
        shown.starts_with(&format!(
            "credentials from CVM instance role (metadata service at {}) expired at {}",
            metadata.url(),
            first.expired_time
        )),
        "{shown}"
    );
    assert!(shown.contains("HTTP 500"), "{shown}");
    assert!(!shown.contains(&first.secret_key) && !shown.contains(&first.token));
    assert_eq!(error.attempts(), 0, "nothing was sent unsigned");
}

#[tokio::test]
async fn an_instance_without_a_role_says_so() {
    let metadata = metadata_service(
        None,
        Issuing {
            prefix: "cvm",
            base: 0,
            lifetime: 1,
        },
    )
    .await;
    let role = CvmRoleProvider::builder().endpoint(metadata.url()).build();
    let error = role.provide_credentials().await.unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "no credentials found; tried: CVM instance role (metadata service at {}) (no CAM \
             role is bound to this instance (HTTP 404))",
            metadata.url()
        )
    );
}

fn sts_rules() -> StsRules {
    StsRules {
        source_id: SECRET_ID,
        source_key: SECRET_KEY,
        valid_tokens: vec!["oidc-token-1".into(), "oidc-token-2".into()],
        expired_tokens: vec![expired_jwt()],
    }
}

/// A JWT whose `exp` passed long ago.
fn expired_jwt() -> String {
    use base64::Engine;
    let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    format!(
        "{}.{}.c2lnbmF0dXJl",
        b64(r#"{"alg":"RS256"}"#),
        b64(r#"{"sub":"system:serviceaccount:apps:web","exp":1600000000}"#)
    )
}

#[tokio::test]
async fn assume_role_is_signed_by_the_source_credentials_and_its_expiry_honoured() {
    let (issuing, clock) = issuing_from_now("sts", 1_800);
    let sts = sts_service(sts_rules(), issuing.clone()).await;
    let source = Credentials::new(SECRET_ID, SECRET_KEY).unwrap();
    let provider = AssumeRoleProvider::builder(ROLE_ARN, source)
        .endpoint(sts.url())
        .region("ap-shanghai")
        .session_name("ci-run")
        .duration(Duration::from_secs(1_800))
        .policy(r#"{"version":"2.0","statement":[]}"#)
        .external_id("ext-1")
        .refresh_margin(MARGIN)
        .clock(clock.clone())
        .build()
        .unwrap();

    let first = provider
        .provide_credentials()
        .await
        .expect("STS verified the signature");
    assert_eq!(
        first,
        issued_credentials(&issuing.nth(1)).with_expiry(expiry(&issuing, 1))
    );
    let request = &sts.received()[0];
    let header = |name: &str| request.headers.get(name).unwrap().to_str().unwrap();
    assert_eq!(header("x-tc-action"), "AssumeRole");
    assert_eq!(header("x-tc-region"), "ap-shanghai");
    assert!(
        header("authorization").starts_with(&format!("TC3-HMAC-SHA256 Credential={SECRET_ID}/"))
    );
    assert_eq!(
        request.body,
        json!({
            "RoleArn": ROLE_ARN,
            "RoleSessionName": "ci-run",
            "DurationSeconds": 1800,
            "Policy": "%7B%22version%22%3A%222%2E0%22%2C%22statement%22%3A%5B%5D%7D",
            "ExternalId": "ext-1",
        })
    );

    provider.provide_credentials().await.unwrap();
    assert_eq!(sts.issued(), 1, "cached");
    clock.set(issuing.nth(1).expired_time - 60);
    let second = provider.provide_credentials().await.unwrap();
    assert_eq!(second.secret_id(), issuing.nth(2).secret_id);
    assert_eq!(sts.issued(), 2, "refreshed before expiry");

    // The stand-in's verifier is not a rubber stamp: a wrong source key is refused.
    let wrong =
        AssumeRoleProvider::builder(ROLE_ARN, Credentials::new(SECRET_ID, "wrong").unwrap())
            .endpoint(sts.url())
            .build()
            .unwrap();
    let refused = wrong.provide_credentials().await.unwrap_err().to_string();
    assert!(
        refused.starts_with(&format!(
            "STS AssumeRole of {ROLE_ARN}: AuthFailure.SignatureFailure"
        )),
        "{refused}"
    );
    assert!(!refused.contains("wrong"), "{refused}");
}

fn expiry(issuing: &Issuing, n: u32) -> std::time::SystemTime {
    std::time::SystemTime::UNIX_EPOCH + Duration::from_secs(issuing.nth(n).expired_time)
}

#[tokio::test]
async fn calls_signed_with_assumed_credentials_carry_their_token() {
    let (issuing, _) = issuing_from_now("sts", 1_800);
    let sts = sts_service(sts_rules(), issuing.clone()).await;
    let assumed = issuing.nth(1);
    let emulator = emulator_accepting(&[&assumed]).await;
    let provider =
        AssumeRoleProvider::builder(ROLE_ARN, Credentials::new(SECRET_ID, SECRET_KEY).unwrap())
            .endpoint(sts.url())
            .build()
            .unwrap();
    describe(&client_with(&emulator, provider))
        .await
        .expect("the emulator accepts the role's token");
    assert_eq!(signers(&emulator.request_log()), [assumed.secret_id]);
}

fn tke_env(token_file: &std::path::Path) -> EnvLookup {
    let vars = [
        ("TKE_REGION", "ap-guangzhou".to_owned()),
        ("TKE_PROVIDER_ID", "tke-oidc".to_owned()),
        (
            "TKE_WEB_IDENTITY_TOKEN_FILE",
            token_file.display().to_string(),
        ),
        ("TKE_ROLE_ARN", ROLE_ARN.to_owned()),
    ];
    Arc::new(move |name| {
        vars.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.clone())
    })
}

#[tokio::test]
async fn web_identity_requests_go_unsigned_with_the_current_token_from_the_file() {
    let (issuing, clock) = issuing_from_now("oidc", 7_200);
    let sts = sts_service(sts_rules(), issuing.clone()).await;
    let dir = tempfile::tempdir().unwrap();
    let token_file = dir.path().join("token");
    std::fs::write(&token_file, "oidc-token-1\n").unwrap();
    let provider = WebIdentityProvider::tke_builder(&tke_env(&token_file))
        .unwrap()
        .expect("the TKE variables are set")
        .endpoint(sts.url())
        .refresh_margin(MARGIN)
        .clock(clock.clone())
        .build()
        .unwrap();

    let first = provider.provide_credentials().await.unwrap();
    assert_eq!(first.secret_id(), issuing.nth(1).secret_id);
    assert_eq!(first.expiry(), Some(expiry(&issuing, 1)));
    let request = &sts.received()[0];
    assert_eq!(
        request.headers["authorization"], "SKIP",
        "STS refuses a signed request"
    );
    assert!(request.headers.get("x-tc-token").is_none());
    assert_eq!(request.headers["x-tc-action"], "AssumeRoleWithWebIdentity");
    assert_eq!(request.headers["x-tc-region"], "ap-guangzhou");
    assert_eq!(request.body["ProviderId"], "tke-oidc");
    assert_eq!(request.body["WebIdentityToken"], "oidc-token-1");
    assert_eq!(request.body["RoleArn"], ROLE_ARN);
    assert_eq!(request.body["DurationSeconds"], 7200);
    assert!(
        request.body["RoleSessionName"]
            .as_str()
            .unwrap()
            .starts_with("tencentcloud-rs-")
    );

    // TKE rotates the token; the refresh before expiry sends the new one.
    std::fs::write(&token_file, "oidc-token-2").unwrap();
    clock.set(issuing.nth(1).expired_time - 60);
    let second = provider.provide_credentials().await.unwrap();
    assert_eq!(second.secret_id(), issuing.nth(2).secret_id);
    assert_eq!(sts.received()[1].body["WebIdentityToken"], "oidc-token-2");
}

#[tokio::test]
async fn an_expired_web_identity_token_is_a_clear_error_not_a_panic() {
    let sts = sts_service(sts_rules(), issuing_from_now("oidc", 7_200).0).await;
    let dir = tempfile::tempdir().unwrap();
    let token_file = dir.path().join("token");
    let token = expired_jwt();
    std::fs::write(&token_file, &token).unwrap();
    let provider = WebIdentityProvider::tke_builder(&tke_env(&token_file))
        .unwrap()
        .unwrap()
        .endpoint(sts.url())
        .build()
        .unwrap();
    let emulator = tencentcloud_tests::start_emulator().await;

    let error = describe(&client_with(&emulator, provider))
        .await
        .unwrap_err();
    let SdkError::Credentials(CredentialsError::Fetch { origin, message }) = &error else {
        panic!("expected a fetch error, got {error:?}");
    };
    assert_eq!(
        origin,
        &format!(
            "STS AssumeRoleWithWebIdentity of {ROLE_ARN} (token file {})",
            token_file.display()
        )
    );
    assert!(
        message.starts_with("the web identity token expired at 1600000000 (Unix time)"),
        "{message}"
    );
    assert!(
        message.contains("InvalidParameter.WebIdentityTokenError"),
        "{message}"
    );
    assert!(!error.to_string().contains(&token), "the token never shows");
    assert!(
        emulator.request_log().is_empty(),
        "nothing was sent without credentials"
    );
}

#[tokio::test]
async fn a_missing_token_file_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let token_file = dir.path().join("absent");
    let provider = WebIdentityProvider::from_tke_env(&tke_env(&token_file))
        .unwrap()
        .unwrap();
    let error = provider
        .provide_credentials()
        .await
        .unwrap_err()
        .to_string();
    assert!(error.contains(&token_file.display().to_string()), "{error}");
}

/// The credentials a stand-in issued, as the SDK holds them.
fn issued_credentials(issued: &Issued) -> Credentials {
    Credentials::new(&issued.secret_id, &issued.secret_key)
        .and_then(|c| c.with_token(&issued.token))
        .expect("valid issued credentials")
}
