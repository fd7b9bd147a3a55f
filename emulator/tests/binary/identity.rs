//! The binary as the identity endpoints too: the CVM metadata service's role credentials and
//! STS hand out temporary credentials that the binary then accepts, fetched by the SDK's own
//! credential providers, until they expire.

use super::*;
use tencentcloud_runtime::credentials::{
    AssumeRoleProvider, CvmRoleProvider, ProvideCredentials, WebIdentityProvider,
};
use tencentcloud_sdk::cvm::v20170312::Client;

const ROLE_ARN: &str = "qcs::cam::uin/100000000001:roleName/deployer";

/// A cvm client of the binary signing with what `provider` gives.
fn client_with(running: &Running, provider: impl ProvideCredentials + 'static) -> Client {
    let config = tencentcloud_runtime::Config::builder()
        .credentials_provider(provider)
        .endpoint(&running.endpoint)
        .region(tencentcloud_emulator::DEFAULT_REGION)
        .build()
        .unwrap();
    Client::new(&config)
}

fn source() -> tencentcloud_runtime::Credentials {
    tencentcloud_runtime::Credentials::new(
        tencentcloud_emulator::DEFAULT_SECRET_ID,
        tencentcloud_emulator::DEFAULT_SECRET_KEY,
    )
    .unwrap()
}

#[tokio::test]
async fn an_instance_role_s_credentials_from_the_metadata_paths_sign_calls() {
    let running = Running::start_with(&["--instance-role", "app-role"]);
    let provider = CvmRoleProvider::builder()
        .endpoint(&running.endpoint)
        .build();
    let credentials = provider.provide_credentials().await.unwrap();
    assert!(
        credentials.secret_id().starts_with("AKIDTMP"),
        "{credentials:?}"
    );
    let described = client_with(&running, provider)
        .describe_instances()
        .send()
        .await
        .expect("the binary accepts the role's credentials");
    assert_eq!(described.total_count, Some(0));
    let health = running.admin(reqwest::Method::GET, "/health", None).await;
    assert_eq!(health["temporaryCredentials"], 1);
}

#[tokio::test]
async fn without_an_instance_role_the_metadata_paths_are_not_found() {
    let running = Running::start();
    let listing = reqwest::get(format!(
        "{}/latest/meta-data/cam/security-credentials/",
        running.endpoint
    ))
    .await
    .unwrap();
    assert_eq!(listing.status(), 404);
    let error = CvmRoleProvider::builder()
        .endpoint(&running.endpoint)
        .build()
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(error.to_string().contains("role"), "{error}");
}

#[tokio::test]
async fn assumed_role_credentials_sign_calls_until_they_expire() {
    let running = Running::start_with(&["--credential-lifetime", "2"]);
    let provider = AssumeRoleProvider::builder(ROLE_ARN, source())
        .endpoint(&running.endpoint)
        .session_name("ci-run")
        .build()
        .unwrap();
    let assumed = provider.provide_credentials().await.unwrap();
    assert!(assumed.secret_id().starts_with("AKIDTMP"));
    let fixed = tencentcloud_runtime::Credentials::new(assumed.secret_id(), assumed.secret_key())
        .unwrap()
        .with_token(assumed.token().unwrap_or_default())
        .unwrap();
    let client = client_with(&running, fixed);
    client
        .describe_instances()
        .send()
        .await
        .expect("accepted while valid");
    std::thread::sleep(Duration::from_millis(2_100));
    let expired = client.describe_instances().send().await.unwrap_err();
    assert_eq!(
        expired.code(),
        Some("AuthFailure.TokenFailure"),
        "{expired}"
    );
}

#[tokio::test]
async fn a_web_identity_is_exchanged_unsigned_for_credentials() {
    let running = Running::start();
    let dir = tempfile::tempdir().unwrap();
    let token_file = dir.path().join("token");
    std::fs::write(&token_file, "oidc-token").unwrap();
    let provider = WebIdentityProvider::builder("OIDC", &token_file, ROLE_ARN)
        .endpoint(&running.endpoint)
        .build()
        .unwrap();
    client_with(&running, provider)
        .describe_instances()
        .send()
        .await
        .expect("the exchanged credentials are accepted");
    let log = running.admin(reqwest::Method::GET, "/requests", None).await;
    let exchange = &log[0];
    assert_eq!(
        (&exchange["action"], &exchange["secret_id"]),
        (
            &serde_json::json!("AssumeRoleWithWebIdentity"),
            &serde_json::json!("")
        )
    );
}
