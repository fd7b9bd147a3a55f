//! What a user program does with `tencentcloud-sdk` alone: configure retries, language, a
//! proxy, the transport and timeouts (from the defaults), read back the endpoint, call any
//! action through the generic `call`, call a typed action and match its typed error.

use std::time::Duration;

use tencentcloud_sdk::cvm::v20170312::{Client as CvmClient, TerminateInstancesError};
use tencentcloud_sdk::{
    Client, Config, ConfigError, Credentials, DEFAULT_ATTEMPT_TIMEOUT, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_OPERATION_TIMEOUT, Endpoint, Language, NonRepeatableRetries, RetryConfig, SdkError,
    Transport,
};

/// Where the program sends its requests, through which proxy and transport.
pub struct Target {
    pub endpoint: String,
    pub proxy: Option<String>,
    pub transport: Transport,
}

/// The configuration a production program would build, pointed at `target`.
pub fn config(target: &Target, credentials: Credentials) -> Result<Config, ConfigError> {
    let mut builder = Config::builder()
        .credentials(credentials)
        .region("ap-guangzhou")
        .endpoint(&target.endpoint)
        .language(Language::EnUs)
        // A program that gives up sooner than the defaults.
        .connect_timeout(DEFAULT_CONNECT_TIMEOUT / 2)
        .attempt_timeout(DEFAULT_ATTEMPT_TIMEOUT / 3)
        .operation_timeout(DEFAULT_OPERATION_TIMEOUT / 3)
        .transport(target.transport)
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

/// Where `config` sends requests, as a program would log it: the URL and the `Host` header.
pub fn endpoint(config: &Config) -> Option<String> {
    config
        .endpoint()
        .map(|endpoint: &Endpoint| format!("{} (Host: {})", endpoint.url(), endpoint.host()))
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
