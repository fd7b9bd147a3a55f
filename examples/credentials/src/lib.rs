//! What every credential example shares: an emulator accepting the credentials a stand-in
//! issues, and one call signed with them.

use tencentcloud_emulator::identity::Issued;
use tencentcloud_emulator::{Emulator, EmulatorHandle};
use tencentcloud_sdk::{Client, Config, ProvideCredentials};

/// The emulator on a loopback port, accepting `accepted`.
pub async fn emulator(accepted: &[Issued]) -> Result<EmulatorHandle, Box<dyn std::error::Error>> {
    let mut builder = Emulator::builder();
    for issued in accepted {
        builder =
            builder.credential_with_token(&issued.secret_id, &issued.secret_key, &issued.token);
    }
    Ok(builder.build()?.start("127.0.0.1:0").await?)
}

/// Calls `DescribeInstances` on `emulator`, signed with what `provider` gives, and prints it.
pub async fn describe_with(
    emulator: &EmulatorHandle,
    provider: impl ProvideCredentials + 'static,
) -> Result<(), Box<dyn std::error::Error>> {
    let config = Config::builder()
        .credentials_provider(provider)
        .region("ap-guangzhou")
        .endpoint(emulator.endpoint())
        .build()?;
    let response = Client::new(&config)
        .call(
            "cvm",
            "2017-03-12",
            "DescribeInstances",
            &serde_json::json!({}),
        )
        .await?;
    println!(
        "DescribeInstances: {} instances (request id {})",
        response["TotalCount"], response["RequestId"]
    );
    Ok(())
}
