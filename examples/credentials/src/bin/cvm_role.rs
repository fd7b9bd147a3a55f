//! On a CVM instance with a CAM role: `CvmRoleProvider` asks the metadata service (here a
//! loopback stand-in; on CVM the default endpoint) and caches the role's credentials.

use tencentcloud_emulator::identity::{Issuing, metadata_service, unix_now};
use tencentcloud_sdk::credentials::CvmRoleProvider;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let issuing = Issuing {
        prefix: "cvm",
        base: unix_now(),
        lifetime: 3_600,
    };
    let metadata = metadata_service(Some("app-role"), issuing.clone()).await;
    let emulator = credential_examples::emulator(&[issuing.nth(1)]).await?;
    // On CVM: CvmRoleProvider::new(), or Config::from_env() with no other credentials set.
    let provider = CvmRoleProvider::builder().endpoint(metadata.url()).build();
    credential_examples::describe_with(&emulator, provider).await?;
    println!(
        "metadata service asked for credentials {} time(s)",
        metadata.issued()
    );
    Ok(())
}
