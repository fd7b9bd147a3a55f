//! Fault injection and rate limits, seen from the client side.

use std::time::{Duration, Instant};

use serde_json::json;
use tencentcloud_emulator::{AnsweredFrom, Fault, FaultKind, Outcome, Proxy};
use tencentcloud_runtime::{Client, Credentials, RetryConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::support::{self, Raw, SECRET_ID, SECRET_KEY};

fn destroy(id: &str) -> Raw {
    Raw::post(
        "gaap",
        "DestroyProxies",
        json!({"Force": 1, "ProxyIds": [id]}),
    )
}

#[tokio::test]
async fn a_scripted_reset_closes_the_connection_with_a_tcp_reset_and_no_answer() {
    let handle = support::start().await;
    handle
        .script_fault("DestroyProxies", Fault::connection_reset(), 1)
        .unwrap();
    let mut stream = tokio::net::TcpStream::connect(handle.local_addr())
        .await
        .unwrap();
    stream
        .write_all(b"POST / HTTP/1.1\r\nHost: x\r\nX-TC-Action: DestroyProxies\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")
        .await
        .unwrap();
    let mut buf = Vec::new();
    let read = stream.read_to_end(&mut buf).await;
    assert!(
        buf.is_empty(),
        "no bytes of an answer: {:?}",
        String::from_utf8_lossy(&buf)
    );
    assert_eq!(
        read.unwrap_err().kind(),
        std::io::ErrorKind::ConnectionReset
    );
    assert_eq!(handle.request_log()[0].outcome, Outcome::ConnectionReset);
}

#[tokio::test]
async fn a_reset_is_a_transport_error_for_http_clients_not_a_status() {
    let handle = support::start().await;
    handle.seed_proxy(Proxy::new("link-11112222")).unwrap();
    handle
        .script_fault("DestroyProxies", Fault::connection_reset(), 1)
        .unwrap();
    let error = destroy("link-11112222")
        .send_http(&handle)
        .await
        .unwrap_err();
    assert!(error.status().is_none(), "{error:?}");
    assert!(
        handle.proxy("link-11112222").is_some(),
        "a reset before acting changes nothing"
    );
    assert_eq!(
        destroy("link-11112222").code(&handle).await,
        None,
        "only one call was scripted"
    );
}

#[tokio::test]
async fn an_http_5xx_fault_answers_html_with_that_status() {
    let handle = support::start().await;
    handle.script_fault("*", Fault::http_error(503), 1).unwrap();
    let response = destroy("link-11112222").send_http(&handle).await.unwrap();
    assert_eq!(response.status(), 503);
    assert_eq!(response.headers()["content-type"], "text/html");
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("503 Service Unavailable")
    );
}

#[tokio::test]
async fn internal_error_and_request_limit_faults_answer_those_codes_without_acting() {
    let handle = support::start().await;
    handle.seed_proxy(Proxy::new("link-11112222")).unwrap();
    handle
        .script_fault("DestroyProxies", Fault::internal_error(), 1)
        .unwrap();
    handle
        .script_fault("DestroyProxies", Fault::request_limit_exceeded(), 1)
        .unwrap();
    assert_eq!(
        destroy("link-11112222").code(&handle).await.as_deref(),
        Some("InternalError")
    );
    assert_eq!(
        destroy("link-11112222").code(&handle).await.as_deref(),
        Some("RequestLimitExceeded")
    );
    assert!(handle.proxy("link-11112222").is_some());
    let log = handle.request_log();
    assert_eq!(log[0].fault, Some(FaultKind::InternalError));
    assert!(!log[0].took_effect && !log[1].took_effect);
}

#[tokio::test]
async fn an_after_effect_fault_acts_and_then_loses_the_answer() {
    let handle = support::start().await;
    handle.seed_proxy(Proxy::new("link-11112222")).unwrap();
    handle
        .script_fault("DestroyProxies", Fault::internal_error().after_effect(), 1)
        .unwrap();
    assert_eq!(
        destroy("link-11112222").code(&handle).await.as_deref(),
        Some("InternalError")
    );
    assert!(handle.proxy("link-11112222").is_none());
    assert!(handle.request_log()[0].took_effect);
}

#[tokio::test]
async fn a_delay_fault_delays_then_answers_normally() {
    let handle = support::start().await;
    handle
        .script_fault(
            "DestroyProxies",
            Fault::delay(Duration::from_millis(300)),
            1,
        )
        .unwrap();
    let started = Instant::now();
    assert_eq!(
        destroy("link-11112222").code(&handle).await.as_deref(),
        Some("ResourceNotFound")
    );
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn retried_resets_with_a_client_token_destroy_the_proxy_once() {
    let handle = support::start().await;
    handle.seed_proxy(Proxy::new("link-11112222")).unwrap();
    handle
        .script_fault(
            "DestroyProxies",
            Fault::connection_reset().after_effect(),
            2,
        )
        .unwrap();
    let config = tencentcloud_runtime::Config::builder()
        .credentials(Credentials::new(SECRET_ID, SECRET_KEY).unwrap())
        .endpoint(handle.endpoint())
        .retry(
            RetryConfig::default()
                .max_attempts(3)
                .initial_backoff(Duration::from_millis(1)),
        )
        .build()
        .unwrap();
    let answer = Client::new(&config)
        .call(
            "gaap",
            "2018-05-29",
            "DestroyProxies",
            &json!({"Force": 1, "ProxyIds": ["link-11112222"], "ClientToken": "retry-me"}),
        )
        .await
        .unwrap();
    assert_eq!(answer["InvalidStatusInstanceSet"], json!([]));
    let log = handle.request_log();
    assert_eq!(log.len(), 3);
    assert_eq!(log.iter().filter(|e| e.took_effect).count(), 1, "{log:#?}");
    assert!(log[2].replayed && log[2].is_success());
    assert!(
        log.iter()
            .all(|e| e.client_token.as_deref() == Some("retry-me"))
    );
}

#[tokio::test]
async fn a_fault_rate_of_one_fails_every_call_and_zero_removes_it() {
    let handle = support::start().await;
    handle
        .set_fault_rate("*", Fault::internal_error(), 1.0)
        .unwrap();
    for _ in 0..3 {
        assert_eq!(
            destroy("link-11112222").code(&handle).await.as_deref(),
            Some("InternalError")
        );
    }
    handle
        .set_fault_rate("*", Fault::internal_error(), 0.0)
        .unwrap();
    assert_eq!(
        destroy("link-11112222").code(&handle).await.as_deref(),
        Some("ResourceNotFound")
    );
}

#[tokio::test]
async fn a_burst_over_the_documented_rate_limit_is_request_limit_exceeded() {
    let handle = support::start_with(support::builder().rate_limits(true)).await;
    let mut codes = Vec::new();
    for _ in 0..30 {
        codes.push(destroy("link-00000000").code(&handle).await.unwrap());
    }
    // DestroyProxies allows 20 per second.
    assert!(
        codes[..20].iter().all(|c| c == "ResourceNotFound"),
        "{codes:?}"
    );
    assert!(
        codes[20..].iter().any(|c| c == "RequestLimitExceeded"),
        "{codes:?}"
    );
    handle.set_rate_limit("DestroyProxies", Some(0));
    assert_eq!(
        destroy("link-00000000").code(&handle).await.as_deref(),
        Some("ResourceNotFound")
    );
}

#[tokio::test]
async fn a_scripted_answer_or_error_is_what_the_next_call_gets_and_the_header_says_so() {
    let handle = support::start().await;
    let describe = || Raw::post("vpc", "DescribeVpcs", json!({}));
    let header = |response: &reqwest::Response| {
        response
            .headers()
            .get(tencentcloud_emulator::STATE_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let drifted = json!({"TotalCount": "3", "VpcSet": {"not": "a list"}});
    handle
        .script_fault(
            "DescribeVpcs",
            Fault::answer(drifted.as_object().unwrap().clone()),
            1,
        )
        .unwrap();
    handle
        .script_fault(
            "DescribeVpcs",
            Fault::error("ResourceUnavailable.Maintenance", "Down for maintenance."),
            1,
        )
        .unwrap();
    let scripted = describe().send_http(&handle).await.unwrap();
    assert_eq!(header(&scripted).as_deref(), Some("script"));
    let body: serde_json::Value = serde_json::from_slice(&scripted.bytes().await.unwrap()).unwrap();
    assert_eq!(body["Response"]["VpcSet"], drifted["VpcSet"], "{body}");
    assert_eq!(
        body["Response"]["RequestId"].as_str().map(str::len),
        Some(36)
    );
    let failed = describe().send_http(&handle).await.unwrap();
    assert_eq!(header(&failed).as_deref(), Some("script"));
    let body: serde_json::Value = serde_json::from_slice(&failed.bytes().await.unwrap()).unwrap();
    assert_eq!(
        body["Response"]["Error"],
        json!({"Code": "ResourceUnavailable.Maintenance", "Message": "Down for maintenance."})
    );
    // The script used up, the action answers from the state it keeps again.
    let kept = describe().send_http(&handle).await.unwrap();
    assert_eq!(header(&kept).as_deref(), Some("state"));
    let from_examples = Raw::post(
        "vpc",
        "DescribeIpGeolocationInfos",
        json!({"AddressIps": ["8.8.8.8"]}),
    )
    .send_http(&handle)
    .await
    .unwrap();
    assert_eq!(header(&from_examples).as_deref(), Some("examples"));
    let log = handle.request_log();
    assert!(!log[0].took_effect && !log[1].took_effect);
    assert_eq!(
        log.iter().map(|e| e.answered_from).collect::<Vec<_>>(),
        [
            Some(AnsweredFrom::Script),
            Some(AnsweredFrom::Script),
            Some(AnsweredFrom::State),
            Some(AnsweredFrom::Examples)
        ]
    );
}

#[tokio::test]
async fn a_scripted_error_needs_a_well_formed_code() {
    let handle = support::start().await;
    let refused = handle
        .script_fault("DescribeVpcs", Fault::error("not a code!", "x"), 1)
        .unwrap_err();
    assert_eq!(
        refused.to_string(),
        "error code `not a code!` is not of the form Word(.Word)*"
    );
}
