//! On a workstation: `~/.tencentcloud/credentials` (or the file `TENCENTCLOUD_CREDENTIALS_FILE`
//! names), section `[default]` or `TENCENTCLOUD_PROFILE`, with its `region`. Here a temporary
//! file and the emulator.

use tencentcloud_emulator::identity::Issued;
use tencentcloud_sdk::credentials::ProfileFileProvider;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let file = dir.path().join("credentials");
    std::fs::write(
        &file,
        "[default]\nsecret_id = AKIDprofile000000000000000000000001\nsecret_key = profile-key\nregion = ap-guangzhou\n",
    )?;
    let accepted = Issued {
        secret_id: "AKIDprofile000000000000000000000001".to_owned(),
        secret_key: "profile-key".to_owned(),
        token: String::new(),
        expired_time: 0,
    };
    let emulator = tencentcloud_emulator::Emulator::builder()
        .credential(&accepted.secret_id, &accepted.secret_key)
        .build()?
        .start("127.0.0.1:0")
        .await?;
    credential_examples::describe_with(&emulator, ProfileFileProvider::new().path(&file)).await?;
    Ok(())
}
