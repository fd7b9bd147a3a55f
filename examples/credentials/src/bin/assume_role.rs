//! Assuming a CAM role with STS `AssumeRole`, signed by long-term source credentials (here
//! against a loopback STS stand-in that verifies the signature).

use tencentcloud_emulator::identity::{Issuing, StsRules, sts_service, unix_now};
use tencentcloud_sdk::Credentials;
use tencentcloud_sdk::credentials::AssumeRoleProvider;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (source_id, source_key) = ("AKIDsource0000000000000000000000001", "source-key");
    let rules = StsRules {
        source_id,
        source_key,
        valid_tokens: Vec::new(),
        expired_tokens: Vec::new(),
    };
    let issuing = Issuing {
        prefix: "sts",
        base: unix_now(),
        lifetime: 7_200,
    };
    let sts = sts_service(rules, issuing.clone()).await;
    let emulator = credential_examples::emulator(&[issuing.nth(1)]).await?;
    let provider = AssumeRoleProvider::builder(
        "qcs::cam::uin/100000000001:roleName/deployer",
        Credentials::new(source_id, source_key)?,
    )
    .session_name("example")
    .endpoint(sts.url()) // omit for sts.tencentcloudapi.com
    .build()?;
    credential_examples::describe_with(&emulator, provider).await?;
    Ok(())
}
