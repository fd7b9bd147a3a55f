//! Every error code the specs document for an action (plus the common codes), answered by a
//! loopback server in Tencent's error format, reaches the caller as a typed variant of that
//! action's error enum — never `Unhandled` — with code, message and request id intact. Driven by
//! the specs: a new code gets its test for free. (Which variant exactly is checked per code by
//! the tests the generator emits into each action's file.)

mod support;

use std::path::Path;

use support::{Answer, Loopback};
use tencentcloud_codegen::names;
use tencentcloud_runtime::RetryConfig;
use tencentcloud_sdk::{Config, Credentials, SdkError, cvm, gaap, vpc};
use tencentcloud_spec::index::SpecIndex;

fn config(endpoint: &str) -> Config {
    Config::builder()
        .credentials(Credentials::new("AKIDtest", "test-secret-key").unwrap())
        .region("ap-guangzhou")
        .endpoint(endpoint)
        .retry(RetryConfig::disabled())
        .build()
        .unwrap()
}

/// `(action, code)` for every documented code of every action, plus the common codes.
/// `(action, code, the start of the decoded error's Debug form)`: `Variant(` for an action's own
/// code, `Common(Variant(` for a common one (also where the action's page lists it).
fn documented_codes() -> Vec<(String, String, String)> {
    let index = SpecIndex::open(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs")).unwrap();
    let common: Vec<&str> = index
        .common()
        .errors
        .iter()
        .map(|e| e.code.as_str())
        .collect();
    let mut cases = Vec::new();
    // The services whose actions `call` knows how to send.
    for loaded in ["cvm", "gaap", "vpc"]
        .into_iter()
        .flat_map(|service| index.load(service).unwrap())
    {
        // The actions whose pages document codes of their own; the others share their service
        // version's `Error`, decoded by the same generated code.
        for (name, action) in loaded
            .spec
            .actions
            .iter()
            .filter(|(_, a)| !a.errors.is_empty())
        {
            for error in action.errors.iter().chain(&index.common().errors) {
                let variant = names::error_variant(&error.code);
                let debug = if common.contains(&error.code.as_str()) {
                    format!("Common({variant}(")
                } else {
                    format!("{variant}(")
                };
                cases.push((name.clone(), error.code.clone(), debug));
            }
        }
    }
    cases
}

/// What a call decoded to: code, message, request id, whether it is `Unhandled`, its Debug form.
type Decoded = (String, String, String, bool, String);

/// Sends `action` with valid parameters and returns what its error decoded to.
async fn call(action: &str, config: &Config) -> Option<Decoded> {
    fn parts<E: tencentcloud_sdk::ProvideErrorMetadata + std::fmt::Debug, O: std::fmt::Debug>(
        result: Result<O, SdkError<E>>,
        unhandled: impl Fn(&E) -> bool,
    ) -> Option<Decoded> {
        match result {
            Err(SdkError::Service(e)) => {
                let meta = e.meta();
                Some((
                    meta.code().to_owned(),
                    meta.message().to_owned(),
                    meta.request_id().to_owned(),
                    unhandled(&e),
                    // The derived Debug of a tuple variant starts with the variant's name.
                    format!("{e:?}"),
                ))
            }
            other => panic!("expected a service error, got {other:?}"),
        }
    }
    match action {
        "TerminateInstances" => {
            let client = cvm::v20170312::Client::new(config);
            let result = client
                .terminate_instances()
                .instance_ids(["ins-1"])
                .send()
                .await;
            parts(result, |e| {
                matches!(e, cvm::v20170312::TerminateInstancesError::Unhandled(_))
            })
        }
        "DestroyProxies" => {
            let client = gaap::v20180529::Client::new(config);
            let result = client
                .destroy_proxies()
                .force(1)
                .proxy_ids(["link-1"])
                .send()
                .await;
            parts(result, |e| {
                matches!(e, gaap::v20180529::DestroyProxiesError::Unhandled(_))
            })
        }
        "ModifyProxyConfiguration" => {
            let client = gaap::v20180529::Client::new(config);
            let result = client
                .modify_proxy_configuration()
                .proxy_id("link-1")
                .bandwidth(10)
                .send()
                .await;
            parts(result, |e| {
                matches!(
                    e,
                    gaap::v20180529::ModifyProxyConfigurationError::Unhandled(_)
                )
            })
        }
        "DeleteVpnConnection" => {
            let client = vpc::v20170312::Client::new(config);
            let result = client
                .delete_vpn_connection()
                .vpn_gateway_id("vpngw-1")
                .vpn_connection_id("vpnx-1")
                .send()
                .await;
            parts(result, |e| {
                matches!(e, vpc::v20170312::DeleteVpnConnectionError::Unhandled(_))
            })
        }
        _ => None,
    }
}

#[tokio::test]
async fn every_documented_error_code_over_the_wire_decodes_to_a_typed_variant() {
    let server = Loopback::start(Answer::Success).await;
    let config = config(&server.endpoint);
    let cases = documented_codes();
    assert!(
        cases.len() > 200,
        "the specs document {} codes",
        cases.len()
    );
    let mut failures = Vec::new();
    for (action, expected, variant) in &cases {
        *server.fallback.lock().await = Answer::Error(expected.clone());
        let Some((got, message, request_id, unhandled, debug)) = call(action, &config).await else {
            failures.push(format!(
                "{action}: no call for this action in the test; add one"
            ));
            continue;
        };
        if got != *expected
            || unhandled
            || !debug.starts_with(variant.as_str())
            || message != "documented failure"
            || request_id != "req-from-loopback"
        {
            failures.push(format!(
                "{action} {expected}: got code {got}, unhandled {unhandled}, message {message:?}, request id {request_id:?}, decoded {debug:.60} (expected {variant}...)"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn an_undocumented_code_decodes_to_unhandled_keeping_its_code() {
    let server = Loopback::start(Answer::Error("Brand.NewCode".to_owned())).await;
    let config = config(&server.endpoint);
    let (got, _, _, unhandled, _) = call("DeleteVpnConnection", &config).await.unwrap();
    assert_eq!(got, "Brand.NewCode");
    assert!(unhandled);
}
