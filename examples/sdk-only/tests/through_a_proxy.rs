//! The program, configured only through `tencentcloud-sdk`, reaches a loopback stand-in
//! through its proxy setting and tells the typed error apart.

use std::sync::{Arc, Mutex};

use tencentcloud_sdk::{Credentials, Transport};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Answers as Tencent Cloud would, whether asked as a proxy (absolute URL) or directly;
/// records the `X-TC-Action` and request line of each request.
async fn stand_in() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let log = log.clone();
            tokio::spawn(async move {
                loop {
                    let mut head = Vec::new();
                    let mut byte = [0u8; 1];
                    while !head.ends_with(b"\r\n\r\n") {
                        if stream.read(&mut byte).await.unwrap_or(0) == 0 {
                            return;
                        }
                        head.push(byte[0]);
                    }
                    let head = String::from_utf8_lossy(&head).to_ascii_lowercase();
                    let header = |name: &str| {
                        head.lines()
                            .find_map(|l| l.strip_prefix(name).map(|v| v.trim().to_owned()))
                            .unwrap_or_default()
                    };
                    let length: usize = header("content-length:").parse().unwrap_or(0);
                    let mut body = vec![0u8; length];
                    if stream.read_exact(&mut body).await.is_err() {
                        return;
                    }
                    let action = header("x-tc-action:");
                    let line = head.lines().next().unwrap_or_default().to_owned();
                    log.lock().unwrap().push(format!("{action} {line}"));
                    let answer = if action == "describeinstances" {
                        r#"{"Response":{"TotalCount":2,"InstanceSet":[],"RequestId":"req-describe"}}"#
                    } else {
                        r#"{"Response":{"Error":{"Code":"InvalidInstanceId.NotFound","Message":"No instance found."},"RequestId":"req-terminate"}}"#
                    };
                    let response = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{answer}",
                        answer.len()
                    );
                    if stream.write_all(response.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    (url, seen)
}

#[tokio::test]
async fn a_program_depending_on_the_facade_alone_calls_through_its_proxy() {
    let (url, seen) = stand_in().await;
    let target = sdk_only::Target {
        // `.invalid` never resolves: only the proxy can have answered.
        endpoint: "http://cvm.sdk-only.invalid".to_owned(),
        proxy: Some(url),
        // A proxy needs reqwest; the configuration says so itself.
        transport: Transport::Reqwest,
    };
    let credentials = Credentials::new("AKIDsdkonly000000000000000000000001", "key").unwrap();
    let config = sdk_only::config(&target, credentials).unwrap();
    assert_eq!(
        sdk_only::endpoint(&config).as_deref(),
        Some("http://cvm.sdk-only.invalid/ (Host: cvm.sdk-only.invalid)")
    );
    let report = sdk_only::run(&config, "ins-00000000").await.unwrap();
    assert_eq!(
        report,
        sdk_only::Report {
            instances: 2,
            terminate: "no such instance (request id req-terminate)".to_owned(),
        }
    );
    assert_eq!(
        seen.lock().unwrap().as_slice(),
        [
            "describeinstances post http://cvm.sdk-only.invalid/ http/1.1",
            "terminateinstances post http://cvm.sdk-only.invalid/ http/1.1",
        ]
    );
}
