//! Every error code the specs document for an action (plus the common codes), answered by a
//! loopback server in Tencent's error format, reaches the caller as a typed variant of that
//! action's error enum — never `Unhandled` — with code, message and request id intact. Driven by
//! the specs: a new code gets its test for free. (Which variant exactly is checked per code by
//! the tests the generator emits into each action's file.)

use std::path::Path;
use std::sync::Arc;

use tencentcloud_codegen::load;
use tencentcloud_runtime::RetryConfig;
use tencentcloud_sdk::{Config, Credentials, SdkError, cvm, gaap, vpc};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::Mutex;

/// A server answering every request with the error code currently in `code`.
async fn error_server(code: Arc<Mutex<String>>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            let code = code.clone();
            tokio::spawn(async move {
                let mut request = Vec::new();
                let mut buffer = [0u8; 4096];
                loop {
                    let Ok(read) = stream.read(&mut buffer).await else {
                        return;
                    };
                    if read == 0 {
                        return;
                    }
                    request.extend_from_slice(&buffer[..read]);
                    if request_complete(&request) {
                        break;
                    }
                }
                let body = serde_json::json!({"Response": {
                    "Error": {"Code": code.lock().await.clone(), "Message": "documented failure"},
                    "RequestId": "req-from-loopback",
                }})
                .to_string();
                let response = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = stream.write_all(response.as_bytes()).await;
            });
        }
    });
    format!("http://{address}")
}

/// Whether the bytes hold the headers and the whole body announced by Content-Length.
fn request_complete(request: &[u8]) -> bool {
    let Some(end) = request.windows(4).position(|w| w == b"\r\n\r\n") else {
        return false;
    };
    let headers = String::from_utf8_lossy(&request[..end]).to_ascii_lowercase();
    let length = headers
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(0);
    request.len() >= end + 4 + length
}

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
fn documented_codes() -> Vec<(String, String)> {
    let specs = load::load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs")).unwrap();
    let mut cases = Vec::new();
    for loaded in &specs.services {
        for (name, action) in &loaded.spec.actions {
            let codes = action.errors.iter().chain(&specs.common.errors);
            cases.extend(codes.map(|e| (name.clone(), e.code.clone())));
        }
    }
    cases
}

/// Sends `action` with valid parameters; returns the decoded error's `(code, message, request id,
/// is Unhandled)`.
async fn call(action: &str, config: &Config) -> Option<(String, String, String, bool)> {
    fn parts<E: tencentcloud_sdk::ProvideErrorMetadata + std::fmt::Debug, O: std::fmt::Debug>(
        result: Result<O, SdkError<E>>,
        unhandled: impl Fn(&E) -> bool,
    ) -> Option<(String, String, String, bool)> {
        match result {
            Err(SdkError::Service(e)) => {
                let meta = e.meta();
                Some((
                    meta.code().to_owned(),
                    meta.message().to_owned(),
                    meta.request_id().to_owned(),
                    unhandled(&e),
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
    let code = Arc::new(Mutex::new(String::new()));
    let config = config(&error_server(code.clone()).await);
    let cases = documented_codes();
    assert!(
        cases.len() > 200,
        "the specs document {} codes",
        cases.len()
    );
    let mut failures = Vec::new();
    for (action, expected) in &cases {
        *code.lock().await = expected.clone();
        let Some((got, message, request_id, unhandled)) = call(action, &config).await else {
            failures.push(format!(
                "{action}: no call for this action in the test; add one"
            ));
            continue;
        };
        if got != *expected
            || unhandled
            || message != "documented failure"
            || request_id != "req-from-loopback"
        {
            failures.push(format!(
                "{action} {expected}: got code {got}, unhandled {unhandled}, message {message:?}, request id {request_id:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn an_undocumented_code_decodes_to_unhandled_keeping_its_code() {
    let code = Arc::new(Mutex::new("Brand.NewCode".to_owned()));
    let config = config(&error_server(code).await);
    let (got, _, _, unhandled) = call("DeleteVpnConnection", &config).await.unwrap();
    assert_eq!(got, "Brand.NewCode");
    assert!(unhandled);
}
