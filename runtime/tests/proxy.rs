//! An explicit proxy carries every request, except to the hosts `no_proxy` names; a proxy URL
//! with a password never shows it in an error.

mod support;

use std::sync::{Arc, Mutex};

use serde_json::json;
use support::server::{Fault, SECRET_ID, SECRET_KEY, Server};
use tencentcloud_runtime::{Client, Config, ConfigError, Credentials};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A forward proxy that answers every request itself, recording each request line.
async fn proxy() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let lines = Arc::new(Mutex::new(Vec::new()));
    let seen = lines.clone();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let seen = seen.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    if stream.read(&mut byte).await.unwrap_or(0) == 0 {
                        return;
                    }
                    head.push(byte[0]);
                }
                let head = String::from_utf8_lossy(&head).into_owned();
                let length: usize = head
                    .lines()
                    .find_map(|l| {
                        l.to_ascii_lowercase()
                            .strip_prefix("content-length:")
                            .map(|v| v.trim().parse().unwrap_or(0))
                    })
                    .unwrap_or(0);
                let mut body = vec![0u8; length];
                let _ = stream.read_exact(&mut body).await;
                seen.lock()
                    .unwrap()
                    .push(head.lines().next().unwrap_or_default().to_owned());
                let answer = r#"{"Response":{"TotalCount":0,"RequestId":"via-proxy"}}"#;
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{answer}",
                    answer.len()
                );
                let _ = stream.write_all(response.as_bytes()).await;
            });
        }
    });
    (url, lines)
}

fn builder() -> tencentcloud_runtime::ConfigBuilder {
    Config::builder()
        .credentials(Credentials::new(SECRET_ID, SECRET_KEY).unwrap())
        .region("ap-guangzhou")
}

#[tokio::test]
async fn an_explicit_proxy_carries_requests_to_the_endpoint() {
    let (proxy_url, lines) = proxy().await;
    // `.invalid` never resolves: only the proxy can have answered.
    let config = builder()
        .endpoint("http://cvm.sdk-test.invalid")
        .proxy(&proxy_url)
        .build()
        .unwrap();
    let response = Client::new(&config)
        .call("cvm", "2017-03-12", "DescribeInstances", &json!({}))
        .await
        .unwrap();
    assert_eq!(response["RequestId"], "via-proxy");
    assert_eq!(
        lines.lock().unwrap().as_slice(),
        ["POST http://cvm.sdk-test.invalid/ HTTP/1.1"]
    );
}

#[tokio::test]
async fn hosts_in_no_proxy_are_reached_directly() {
    let (proxy_url, lines) = proxy().await;
    let server = Server::start("cvm", vec![Fault::ok(json!({"TotalCount": 3}))]).await;
    let config = builder()
        .endpoint(server.endpoint())
        .proxy(&proxy_url)
        .no_proxy("127.0.0.1,localhost")
        .build()
        .unwrap();
    let response = Client::new(&config)
        .call("cvm", "2017-03-12", "DescribeInstances", &json!({}))
        .await
        .unwrap();
    assert_eq!(response["TotalCount"], 3);
    assert!(lines.lock().unwrap().is_empty(), "the proxy was bypassed");
}

#[test]
fn a_bad_proxy_is_a_config_error_that_hides_its_password() {
    let error = builder()
        .proxy("socks9://user:hunter2@proxy.example:1080")
        .build()
        .unwrap_err();
    assert!(
        matches!(error, ConfigError::InvalidProxy { .. }),
        "{error:?}"
    );
    let shown = error.to_string();
    assert!(shown.contains("scheme must be http or https"), "{shown}");
    assert!(
        !shown.contains("hunter2") && !format!("{error:?}").contains("hunter2"),
        "{shown}"
    );
}
