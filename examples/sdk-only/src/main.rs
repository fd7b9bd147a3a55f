//! `cargo run -p sdk-only -- <endpoint> <instance id> [proxy]`, with credentials from
//! `TENCENTCLOUD_SECRET_ID`/`TENCENTCLOUD_SECRET_KEY`.

use std::process::ExitCode;

use tencentcloud_sdk::{Credentials, Transport};

#[tokio::main]
async fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(endpoint), Some(instance)) = (args.next(), args.next()) else {
        eprintln!("usage: sdk-only <endpoint> <instance id> [proxy]");
        return ExitCode::FAILURE;
    };
    let target = sdk_only::Target {
        endpoint,
        proxy: args.next(),
        transport: Transport::default(),
    };
    let credentials = Credentials::new(
        std::env::var("TENCENTCLOUD_SECRET_ID").unwrap_or_default(),
        std::env::var("TENCENTCLOUD_SECRET_KEY").unwrap_or_default(),
    );
    let outcome = match credentials {
        Ok(credentials) => match sdk_only::config(&target, credentials) {
            Ok(config) => sdk_only::run(&config, &instance).await,
            Err(error) => Err(error.into()),
        },
        Err(error) => Err(error.into()),
    };
    match outcome {
        Ok(report) => {
            println!("{} instances; {}", report.instances, report.terminate);
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("{error}");
            ExitCode::FAILURE
        }
    }
}
