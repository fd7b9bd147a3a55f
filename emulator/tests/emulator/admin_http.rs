//! The admin HTTP API under /_emulator.

use serde_json::{Value, json};
use tencentcloud_emulator::{DEFAULT_SPECS_DIR, EmulatorHandle};

use super::support::{self, Raw};

async fn admin(
    handle: &EmulatorHandle,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request =
        reqwest::Client::new().request(method, format!("{}{path}", handle.admin_url()));
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(body.to_string());
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let bytes = response.bytes().await.unwrap();
    (status, serde_json::from_slice(&bytes).unwrap())
}

#[tokio::test]
async fn health_lists_the_served_actions() {
    // An emulator of its own: the shared specs of the other tests have services compiled.
    let handle = support::start_with(support::builder().specs_dir(DEFAULT_SPECS_DIR)).await;
    let (status, body) = admin(&handle, reqwest::Method::GET, "/health", None).await;
    assert_eq!(status, 200);
    assert_eq!(body["services"], json!([]), "nothing called yet: {body}");
    assert_eq!(body["specs"]["compiled"], 0, "{body}");
    assert!(body["specs"]["services"].as_u64() >= Some(3), "{body}");
    let client = support::client(&handle);
    for (service, version, action) in [
        ("cvm", "2017-03-12", "TerminateInstances"),
        ("gaap", "2018-05-29", "DestroyProxies"),
        ("vpc", "2017-03-12", "DeleteVpnConnection"),
    ] {
        // Any answer compiles the service; these lack their required parameters.
        let _ = client.call(service, version, action, &json!({})).await;
    }
    let (_, body) = admin(&handle, reqwest::Method::GET, "/health", None).await;
    assert_eq!(body["specs"]["compiled"], 3, "{body}");
    let actions: Vec<&str> = body["services"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| {
            s["actions"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(Value::as_str)
        })
        .collect();
    for action in [
        "TerminateInstances",
        "DestroyProxies",
        "ModifyProxyConfiguration",
        "DeleteVpnConnection",
    ] {
        assert!(actions.contains(&action), "{body}");
    }
}

#[tokio::test]
async fn resources_seeded_over_http_are_listed_and_acted_on() {
    let handle = support::start().await;
    let (status, _) = admin(
        &handle,
        reqwest::Method::POST,
        "/instances",
        Some(json!({"InstanceId": "ins-3jaw1j8m", "DisableApiTermination": true})),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = admin(&handle, reqwest::Method::POST, "/proxies", Some(json!([{"ProxyId": "link-11112222", "RealServerBound": true}, {"ProxyId": "link-4ftf12sb", "Scalable": false}]))).await;
    assert_eq!(status, 200);
    let (status, _) = admin(
        &handle,
        reqwest::Method::POST,
        "/vpn-connections",
        Some(json!({"VpnConnectionId": "vpnx-p0j11j28", "VpnGatewayId": "vpngw-7lcl5331"})),
    )
    .await;
    assert_eq!(status, 200);

    let (_, instances) = admin(&handle, reqwest::Method::GET, "/instances", None).await;
    assert_eq!(
        instances,
        json!([{"InstanceId": "ins-3jaw1j8m", "Region": "ap-guangzhou", "DisableApiTermination": true, "InstanceState": "RUNNING"}])
    );
    let (_, gateways) = admin(&handle, reqwest::Method::GET, "/vpn-gateways", None).await;
    assert_eq!(gateways[0]["VpnGatewayId"], "vpngw-7lcl5331");

    let raw = Raw::post(
        "cvm",
        "TerminateInstances",
        json!({"InstanceIds": ["ins-3jaw1j8m"]}),
    );
    assert_eq!(
        raw.code(&handle).await.as_deref(),
        Some("UnsupportedOperation.InstancesProtected")
    );
    let raw = Raw::post(
        "gaap",
        "DestroyProxies",
        json!({"Force": 0, "ProxyIds": ["link-11112222"]}),
    );
    assert_eq!(
        raw.code(&handle).await.as_deref(),
        Some("FailedOperation.RealServerAlreadyBound")
    );
    let (_, proxies) = admin(&handle, reqwest::Method::GET, "/proxies", None).await;
    assert_eq!(proxies.as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn faults_scripted_over_http_strike_and_show_in_the_request_log() {
    let handle = support::start().await;
    let (status, _) = admin(
        &handle,
        reqwest::Method::POST,
        "/faults",
        Some(json!({"action": "DestroyProxies", "fault": {"kind": "internal_error"}, "times": 1})),
    )
    .await;
    assert_eq!(status, 200);
    let raw = Raw::post(
        "gaap",
        "DestroyProxies",
        json!({"Force": 1, "ProxyIds": ["link-11112222"], "ClientToken": "t-1"}),
    );
    assert_eq!(raw.code(&handle).await.as_deref(), Some("InternalError"));
    let (_, log) = admin(&handle, reqwest::Method::GET, "/requests", None).await;
    assert_eq!(log[0]["action"], "DestroyProxies");
    assert_eq!(log[0]["client_token"], "t-1");
    assert_eq!(log[0]["outcome"]["type"], "error");
    assert_eq!(log[0]["outcome"]["code"], "InternalError");
    assert_eq!(log[0]["took_effect"], false);
    assert_eq!(log[0]["fault"]["kind"], "internal_error");

    let (status, _) = admin(&handle, reqwest::Method::POST, "/fault-rates", Some(json!({"action": "*", "fault": {"kind": "http_error", "status": 502}, "probability": 1.0, "seed": 3}))).await;
    assert_eq!(status, 200);
    assert_eq!(raw.send_http(&handle).await.unwrap().status(), 502);
    let (status, _) = admin(&handle, reqwest::Method::DELETE, "/faults", None).await;
    assert_eq!(status, 200);
    assert_eq!(raw.code(&handle).await.as_deref(), Some("ResourceNotFound"));

    let (_, _) = admin(&handle, reqwest::Method::DELETE, "/requests", None).await;
    let (_, log) = admin(&handle, reqwest::Method::GET, "/requests", None).await;
    assert_eq!(log, json!([]));
}

#[tokio::test]
async fn rate_limits_can_be_switched_over_http() {
    let handle = support::start_with(support::builder().rate_limits(true)).await;
    let (status, body) = admin(
        &handle,
        reqwest::Method::PUT,
        "/rate-limits",
        Some(json!({"overrides": {"DestroyProxies": 1}})),
    )
    .await;
    assert_eq!((status, &body["enabled"]), (200, &json!(true)));
    let raw = Raw::post(
        "gaap",
        "DestroyProxies",
        json!({"Force": 1, "ProxyIds": ["link-11112222"]}),
    );
    assert_eq!(raw.code(&handle).await.as_deref(), Some("ResourceNotFound"));
    assert_eq!(
        raw.code(&handle).await.as_deref(),
        Some("RequestLimitExceeded")
    );
    admin(
        &handle,
        reqwest::Method::PUT,
        "/rate-limits",
        Some(json!({"enabled": false})),
    )
    .await;
    assert_eq!(raw.code(&handle).await.as_deref(), Some("ResourceNotFound"));
}

#[tokio::test]
async fn reset_forgets_everything() {
    let handle = support::start().await;
    admin(
        &handle,
        reqwest::Method::POST,
        "/instances",
        Some(json!({"InstanceId": "ins-3jaw1j8m"})),
    )
    .await;
    admin(&handle, reqwest::Method::POST, "/reset", None).await;
    let (_, instances) = admin(&handle, reqwest::Method::GET, "/instances", None).await;
    assert_eq!(instances, json!([]));
}

#[tokio::test]
async fn bad_admin_requests_get_clear_4xx_answers() {
    let handle = support::start().await;
    let (status, body) = admin(
        &handle,
        reqwest::Method::POST,
        "/instances",
        Some(json!({"InstanceId": "ins-1"})),
    )
    .await;
    assert_eq!(status, 400);
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("malformed instance id")
    );
    let (status, _) = admin(
        &handle,
        reqwest::Method::POST,
        "/faults",
        Some(json!({"action": "X", "fault": {"kind": "http_error", "status": 404}})),
    )
    .await;
    assert_eq!(status, 400);
    let (status, _) = admin(
        &handle,
        reqwest::Method::POST,
        "/faults",
        Some(json!({"action": "X"})),
    )
    .await;
    assert_eq!(status, 400);
    let (status, _) = admin(&handle, reqwest::Method::GET, "/nothing", None).await;
    assert_eq!(status, 404);
    let (status, _) = admin(&handle, reqwest::Method::PATCH, "/instances", None).await;
    assert_eq!(status, 405);
}

#[tokio::test]
async fn the_request_log_is_read_in_bounded_pages() {
    let handle = support::start().await;
    let client = support::client(&handle);
    for _ in 0..5 {
        client
            .call("cvm", "2017-03-12", "DescribeRegions", &json!({}))
            .await
            .unwrap();
    }
    let url = |query: &str| format!("{}/requests{query}", handle.admin_url());
    let first = reqwest::get(url("?limit=2")).await.unwrap();
    let next = first
        .headers()
        .get("x-emulator-next-after")
        .expect("a page with more after it says where to go on")
        .to_str()
        .unwrap()
        .to_owned();
    let page: Value = serde_json::from_slice(&first.bytes().await.unwrap()).unwrap();
    let seqs = |page: &Value| -> Vec<u64> {
        page.as_array()
            .unwrap()
            .iter()
            .map(|e| e["seq"].as_u64().unwrap())
            .collect()
    };
    assert_eq!(seqs(&page), [1, 2]);
    assert_eq!(next, "2");
    let rest = reqwest::get(url(&format!("?after={next}&limit=10")))
        .await
        .unwrap();
    assert!(rest.headers().get("x-emulator-next-after").is_none());
    let rest: Value = serde_json::from_slice(&rest.bytes().await.unwrap()).unwrap();
    assert_eq!(seqs(&rest), [3, 4, 5]);
    for bad in ["?limit=0", "?limit=10001", "?after=x", "?page=2"] {
        let (status, body) = admin(
            &handle,
            reqwest::Method::GET,
            &format!("/requests{bad}"),
            None,
        )
        .await;
        assert_eq!(status, 400, "{bad}: {body}");
    }
}
