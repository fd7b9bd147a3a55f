//! What a user program does with `tencentcloud-sdk` alone: configure retries, language, a
//! proxy and timeouts, call any action through the generic `call`, call a typed action and
//! match its typed error.

use std::time::Duration;

use tencentcloud_sdk::cvm::v20170312::{Client as CvmClient, TerminateInstancesError};
use tencentcloud_sdk::{
    Client, Config, ConfigError, Credentials, Language, NonRepeatableRetries, RetryConfig, SdkError,
};

/// Where the program sends its requests, and through which proxy.
pub struct Target {
    pub endpoint: String,
    pub proxy: Option<String>,
}

/// The configuration a production program would build, pointed at `target`.
pub fn config(target: &Target, credentials: Credentials) -> Result<Config, ConfigError> {
    let mut builder = Config::builder()
        .credentials(credentials)
        .region("ap-guangzhou")
        .endpoint(&target.endpoint)
        .language(Language::EnUs)
        .connect_timeout(Duration::from_secs(2))
        .attempt_timeout(Duration::from_secs(10))
        .operation_timeout(Duration::from_secs(20))
        .retry(
            RetryConfig::default()
                .max_attempts(4)
                .initial_backoff(Duration::from_millis(5))
                .non_repeatable(NonRepeatableRetries::OnlyNotExecuted),
        );
    if let Some(proxy) = &target.proxy {
        builder = builder.proxy(proxy);
    }
    builder.build()
}

/// What the program found.
#[derive(Debug, PartialEq, Eq)]
pub struct Report {
    /// `TotalCount` of the generic `DescribeInstances` call.
    pub instances: u64,
    /// How the typed `TerminateInstances` call ended.
    pub terminate: String,
}

/// Counts instances with the generic call, then terminates `instance_id`, telling its typed
/// errors apart.
pub async fn run(config: &Config, instance_id: &str) -> Result<Report, Box<dyn std::error::Error>> {
    let described = Client::new(config)
        .call(
            "cvm",
            "2017-03-12",
            "DescribeInstances",
            &serde_json::json!({"Limit": 10}),
        )
        .await?;
    let instances = described["TotalCount"].as_u64().unwrap_or(0);
    let result = CvmClient::new(config)
        .terminate_instances()
        .instance_ids([instance_id])
        .send()
        .await;
    let terminate = match result {
        Ok(output) => format!("terminated (request id {})", output.request_id),
        Err(SdkError::Service(TerminateInstancesError::InvalidInstanceIdNotFound(err))) => {
            format!("no such instance (request id {})", err.request_id())
        }
        Err(error) if error.may_have_taken_effect() => {
            format!("unknown outcome, check the instance: {error}")
        }
        Err(error) => return Err(error.into()),
    };
    Ok(Report {
        instances,
        terminate,
    })
}
