//! One crate to depend on: everything a user names to configure, call and handle errors is
//! reachable through `tencentcloud_sdk` alone — no path below names another crate of the SDK.

use std::time::Duration;

use serde_json::json;
use tencentcloud_emulator::Fault;
use tencentcloud_sdk::retry::BudgetConfig;
use tencentcloud_sdk::{
    Client, Config, ConfigError, Credentials, Language, NonRepeatableRetries, Repeatability,
    RetryConfig, RetryRefusal, SdkError, cvm,
};
use tencentcloud_tests::{REGION, SECRET_ID, SECRET_KEY, seed_instances, start_emulator};

fn config(endpoint: &str, retry: RetryConfig) -> Config {
    Config::builder()
        .credentials(Credentials::new(SECRET_ID, SECRET_KEY).unwrap())
        .region(REGION)
        .endpoint(endpoint)
        .language(Language::EnUs)
        .retry(retry)
        .attempt_timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

#[tokio::test]
async fn the_facade_alone_configures_retries_calls_generically_and_explains_a_refused_retry() {
    let emulator = start_emulator().await;
    seed_instances(&emulator, &["ins-3jaw1j8m"]);
    emulator
        .script_fault(
            "TerminateInstances",
            Fault::connection_reset().after_effect(),
            1,
        )
        .unwrap();
    let retry = RetryConfig::default()
        .initial_backoff(Duration::from_millis(1))
        .non_repeatable(NonRepeatableRetries::OnlyNotExecuted)
        .budget(Some(BudgetConfig::default()));
    let config = config(&emulator.endpoint(), retry);

    assert_eq!(
        Repeatability::of_action("TerminateInstances", false),
        Repeatability::NotRepeatable
    );
    let error = Client::new(&config)
        .call(
            "cvm",
            "2017-03-12",
            "TerminateInstances",
            &json!({"InstanceIds": ["ins-3jaw1j8m"]}),
        )
        .await
        .unwrap_err();
    assert!(matches!(error, SdkError::Transport(_)), "{error:?}");
    assert_eq!(error.retry_refusal(), Some(RetryRefusal::NotSafeToRepeat));
    assert!(error.may_have_taken_effect());

    let typed = cvm::v20170312::Client::new(&config)
        .describe_instances()
        .instance_ids(["ins-3jaw1j8m"])
        .send()
        .await
        .unwrap();
    // The termination took effect before the connection broke: the instance is gone.
    assert_eq!(typed.total_count, Some(0));
}

#[test]
fn configuration_errors_are_named_through_the_facade() {
    let error: ConfigError = Config::builder().build().unwrap_err();
    assert!(matches!(error, ConfigError::MissingCredentials), "{error}");
}
