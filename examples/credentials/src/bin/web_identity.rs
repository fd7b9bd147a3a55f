//! In a TKE pod whose service account has a CAM role: TKE sets `TKE_REGION`,
//! `TKE_PROVIDER_ID`, `TKE_WEB_IDENTITY_TOKEN_FILE` and `TKE_ROLE_ARN`, and
//! `WebIdentityProvider` exchanges the token for the role's credentials (here with a loopback
//! STS stand-in).

use std::sync::Arc;

use tencentcloud_emulator::identity::{Issuing, StsRules, sts_service, unix_now};
use tencentcloud_sdk::credentials::{EnvLookup, WebIdentityProvider};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let token_file = dir.path().join("token");
    std::fs::write(&token_file, "service-account-token")?;
    let rules = StsRules {
        source_id: "unused",
        source_key: "unused",
        valid_tokens: vec!["service-account-token".to_owned()],
        expired_tokens: Vec::new(),
    };
    let issuing = Issuing {
        prefix: "oidc",
        base: unix_now(),
        lifetime: 7_200,
    };
    let sts = sts_service(rules, issuing.clone()).await;
    let emulator = credential_examples::emulator(&[issuing.nth(1)]).await?;
    // In the pod the variables come from the process: WebIdentityProvider::from_tke_env(&process_env()).
    let vars = [
        ("TKE_REGION", "ap-guangzhou".to_owned()),
        ("TKE_PROVIDER_ID", "tke-oidc".to_owned()),
        (
            "TKE_WEB_IDENTITY_TOKEN_FILE",
            token_file.display().to_string(),
        ),
        (
            "TKE_ROLE_ARN",
            "qcs::cam::uin/100000000001:roleName/web".to_owned(),
        ),
    ];
    let env: EnvLookup = Arc::new(move |name| {
        vars.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.clone())
    });
    let provider = WebIdentityProvider::tke_builder(&env)?
        .ok_or("TKE variables not set")?
        .endpoint(sts.url())
        .build()?;
    credential_examples::describe_with(&emulator, provider).await?;
    Ok(())
}
