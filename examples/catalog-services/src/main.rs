//! `cargo run -p catalog-services -- <endpoint>`, with credentials from
//! `TENCENTCLOUD_SECRET_ID`/`TENCENTCLOUD_SECRET_KEY`; against the emulator binary:
//!
//! ```text
//! cargo run -p tencentcloud-emulator -- --listen 127.0.0.1:9000 &
//! TENCENTCLOUD_SECRET_ID=AKIDEMULATOR0000000000000000000000000 \
//! TENCENTCLOUD_SECRET_KEY=emulator-secret-key \
//!   cargo run -p catalog-services -- http://127.0.0.1:9000
//! ```

use std::process::ExitCode;

use tencentcloud_sdk::{Config, Credentials};

#[tokio::main]
async fn main() -> ExitCode {
    let Some(endpoint) = std::env::args().nth(1) else {
        eprintln!("usage: catalog-services <endpoint>");
        return ExitCode::FAILURE;
    };
    let config = Credentials::new(
        std::env::var("TENCENTCLOUD_SECRET_ID").unwrap_or_default(),
        std::env::var("TENCENTCLOUD_SECRET_KEY").unwrap_or_default(),
    )
    .map_err(Into::into)
    .and_then(|credentials| {
        Config::builder()
            .credentials(credentials)
            .region("ap-guangzhou")
            .endpoint(&endpoint)
            .build()
            .map_err(Into::into)
    });
    let outcome = match config {
        Ok(config) => catalog_services::run(&config).await,
        Err(error) => Err(error),
    };
    match outcome {
        Ok(lines) => {
            for line in lines {
                println!("{line}");
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("{error}");
            ExitCode::FAILURE
        }
    }
}
