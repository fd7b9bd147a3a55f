//! Hostile input: a broken specs folder refuses to build with a clear message; garbage on the wire
//! never takes the server down.

use std::path::Path;

use serde_json::json;
use tencentcloud_emulator::{DEFAULT_SPECS_DIR, Emulator};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::support::{self, Raw};

/// A folder's `common.json` is read at start-up; a broken one is refused then. (A broken service
/// spec fails only that service's calls: see `specs_folder`.)
#[test]
fn a_broken_common_file_is_refused_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("cvm")).unwrap();
    std::fs::copy(
        Path::new(DEFAULT_SPECS_DIR).join("cvm/2017-03-12.json"),
        dir.path().join("cvm/2017-03-12.json"),
    )
    .unwrap();
    std::fs::write(dir.path().join("common.json"), "{\"version\": ").unwrap();
    let error = Emulator::builder()
        .specs_dir(dir.path())
        .build()
        .err()
        .expect("build fails");
    assert!(error.to_string().contains("common.json"), "{error}");
}

#[test]
fn a_missing_specs_dir_is_refused() {
    let error = Emulator::builder()
        .specs_dir("/nonexistent/specs")
        .build()
        .err()
        .expect("build fails");
    assert!(error.to_string().contains("/nonexistent/specs"), "{error}");
}

#[test]
fn an_empty_secret_key_is_refused() {
    assert!(Emulator::builder().credential("AKID", "").build().is_err());
}

#[tokio::test]
async fn garbage_on_the_wire_does_not_stop_the_server() {
    let handle = support::start().await;
    for garbage in [
        &b"\x00\x01\x02\xff\xfe\r\n\r\n"[..],
        b"GET / HTTP/9.9\r\n\r\n",
        b"POST / HTTP/1.1\r\nContent-Length: -5\r\n\r\n",
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n{",
    ] {
        let mut stream = tokio::net::TcpStream::connect(handle.local_addr())
            .await
            .unwrap();
        stream.write_all(garbage).await.unwrap();
        stream.shutdown().await.unwrap();
        let mut sink = Vec::new();
        let _ = stream.read_to_end(&mut sink).await;
    }
    let raw = Raw::post(
        "gaap",
        "DestroyProxies",
        json!({"Force": 1, "ProxyIds": ["link-00000000"]}),
    );
    assert_eq!(raw.code(&handle).await.as_deref(), Some("ResourceNotFound"));
}

#[tokio::test]
async fn non_utf8_header_values_get_an_api_error() {
    let handle = support::start().await;
    let mut stream = tokio::net::TcpStream::connect(handle.local_addr())
        .await
        .unwrap();
    stream
        .write_all(b"POST / HTTP/1.1\r\nHost: x\r\nX-TC-Action: DestroyProxies\r\nX-TC-Version: 2018-05-29\r\nAuthorization: TC3-HMAC-SHA256 Credential=\xff\xfe\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")
        .await
        .unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(
        answer.contains("AuthFailure.InvalidAuthorization"),
        "{answer}"
    );
}

#[tokio::test]
async fn unsupported_http_methods_get_unsupported_protocol() {
    let handle = support::start().await;
    let response = reqwest::Client::new()
        .put(format!("{}/", handle.endpoint()))
        .header("x-tc-action", "DestroyProxies")
        .send()
        .await
        .unwrap();
    let body: serde_json::Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
    assert_eq!(body["Response"]["Error"]["Code"], "UnsupportedProtocol");
}

#[tokio::test]
async fn extreme_timestamps_are_signature_expire_not_a_crash() {
    let handle = support::start().await;
    for timestamp in [i64::MIN, i64::MAX, 0] {
        let mut raw = Raw::post(
            "gaap",
            "DestroyProxies",
            json!({"Force": 1, "ProxyIds": ["link-00000000"]}),
        );
        raw.timestamp = timestamp;
        raw.authorization = Some(format!(
            "TC3-HMAC-SHA256 Credential={}/2020-01-01/gaap/tc3_request, SignedHeaders=content-type;host, Signature={}",
            support::SECRET_ID,
            "0".repeat(64)
        ));
        assert_eq!(
            raw.code(&handle).await.as_deref(),
            Some("AuthFailure.SignatureExpire"),
            "{timestamp}"
        );
    }
}

#[tokio::test]
async fn mangled_bodies_and_queries_always_get_a_tencent_answer() {
    use rand::{Rng, SeedableRng};
    let handle = support::start().await;
    let mut rng = rand::rngs::StdRng::seed_from_u64(4);
    let valid =
        br#"{"Force":"1","ProxyIds":["link-11112222"],"InstanceIds":[],"ClientToken":"abc"}"#;
    let query = b"ProxyIds.0=link-1&ProxyIds.1=link-2&Force=1&Filters.0.Name=x";
    const SPECIALS: &[u8] = b"[{\".=&%\\";
    for round in 0..200 {
        let source: &[u8] = if round % 2 == 0 { valid } else { query };
        let mut mangled = source.to_vec();
        for _ in 0..rng.gen_range(1..6) {
            let at = rng.gen_range(0..mangled.len());
            match rng.gen_range(0..3) {
                0 => mangled[at] = rng.r#gen(),
                1 => mangled.truncate(at.max(1)),
                _ => mangled.insert(at, SPECIALS[rng.gen_range(0..SPECIALS.len())]),
            }
        }
        let raw = if round % 2 == 0 {
            Raw::post_bytes("gaap", "DestroyProxies", mangled)
        } else {
            Raw::get(
                "gaap",
                "DestroyProxies",
                &String::from_utf8_lossy(&mangled).replace(['#', ' '], ""),
            )
        };
        let response = raw
            .send_http(&handle)
            .await
            .expect("an answer, never a dropped connection");
        assert_eq!(response.status(), 200);
        let answer: serde_json::Value =
            serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
        assert!(answer["Response"]["RequestId"].is_string(), "{answer}");
    }
}
