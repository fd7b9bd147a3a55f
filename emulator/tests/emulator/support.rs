//! Starting emulators and sending calls to them, signed by the runtime client or by hand.

use std::sync::LazyLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::Value;
use tencentcloud_emulator::{CompiledSpecs, Emulator, EmulatorBuilder, EmulatorHandle};
use tencentcloud_runtime::{Client, Config, Credentials, RetryConfig, SdkError, ServiceError};

use super::tc3;

pub const SECRET_ID: &str = "AKIDtestEmulator0001";
pub const SECRET_KEY: &str = "test-secret-key-0001";

/// The workspace specs, loaded and compiled once for every emulator this test binary starts.
static SPECS: LazyLock<CompiledSpecs> =
    LazyLock::new(|| CompiledSpecs::load(None).expect("the workspace specs load"));

pub fn builder() -> EmulatorBuilder {
    Emulator::builder()
        .compiled_specs(SPECS.clone())
        .credential(SECRET_ID, SECRET_KEY)
        .rate_limits(false)
}

pub async fn start() -> EmulatorHandle {
    start_with(builder()).await
}

pub async fn start_with(builder: EmulatorBuilder) -> EmulatorHandle {
    builder
        .build()
        .expect("specs load")
        .start("127.0.0.1:0")
        .await
        .expect("emulator starts")
}

pub fn config(handle: &EmulatorHandle, credentials: Credentials) -> Config {
    Config::builder()
        .credentials(credentials)
        .endpoint(handle.endpoint())
        .region("ap-guangzhou")
        .retry(RetryConfig::disabled())
        .attempt_timeout(Duration::from_secs(10))
        .build()
        .expect("config")
}

/// A runtime client signing with the emulator's credential, without retries.
pub fn client(handle: &EmulatorHandle) -> Client {
    let credentials = Credentials::new(SECRET_ID, SECRET_KEY).expect("credentials");
    Client::new(&config(handle, credentials))
}

pub fn version_of(service: &str) -> &'static str {
    match service {
        "cvm" | "vpc" => "2017-03-12",
        "gaap" => "2018-05-29",
        "lkeap" => "2024-05-22",
        other => panic!("no version for {other}"),
    }
}

/// Calls `action` through the runtime client and returns the error code, or `None` on success.
pub async fn code_of(client: &Client, service: &str, action: &str, body: Value) -> Option<String> {
    match client
        .call(service, version_of(service), action, &body)
        .await
    {
        Ok(_) => None,
        Err(e) => Some(error_code(&e)),
    }
}

pub fn error_code(e: &SdkError<ServiceError>) -> String {
    e.code()
        .map(str::to_string)
        .unwrap_or_else(|| panic!("expected a service error, got {e:?}"))
}

pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// A hand-signed request; every part can be bent to test one rule.
pub struct Raw {
    pub method: &'static str,
    pub service: String,
    pub action: String,
    pub version: String,
    pub region: Option<String>,
    pub query: String,
    pub body: Vec<u8>,
    pub content_type: String,
    pub secret_id: String,
    pub secret_key: String,
    pub token: Option<String>,
    pub timestamp: i64,
    /// Extra headers to send and sign, after `content-type` and `host` (lowercase names).
    pub extra_signed: Vec<(String, String)>,
    /// Leave `host` out of `SignedHeaders`.
    pub skip_host_in_signature: bool,
    /// Sign this `host` value instead of the one sent.
    pub signed_host: Option<String>,
    /// Replaces the computed `Authorization` header; `Some("")` sends none.
    pub authorization: Option<String>,
}

impl Raw {
    pub fn post(service: &str, action: &str, body: Value) -> Raw {
        Raw::post_bytes(service, action, body.to_string().into_bytes())
    }

    pub fn post_bytes(service: &str, action: &str, body: Vec<u8>) -> Raw {
        Raw {
            method: "POST",
            service: service.to_string(),
            action: action.to_string(),
            version: version_of(service).to_string(),
            region: Some("ap-guangzhou".to_string()),
            query: String::new(),
            body,
            content_type: "application/json".to_string(),
            secret_id: SECRET_ID.to_string(),
            secret_key: SECRET_KEY.to_string(),
            token: None,
            timestamp: now(),
            extra_signed: Vec::new(),
            skip_host_in_signature: false,
            signed_host: None,
            authorization: None,
        }
    }

    pub fn get(service: &str, action: &str, query: &str) -> Raw {
        let mut raw = Raw::post_bytes(service, action, Vec::new());
        raw.method = "GET";
        raw.query = query.to_string();
        raw.content_type = "application/x-www-form-urlencoded".to_string();
        raw
    }

    /// Sends the request and returns the whole JSON answer.
    pub async fn send(&self, handle: &EmulatorHandle) -> Value {
        let response = self.send_http(handle).await.expect("transport");
        assert_eq!(response.status(), 200, "API answers use HTTP 200");
        let bytes = response.bytes().await.expect("body");
        serde_json::from_slice(&bytes).expect("JSON answer")
    }

    /// The error code of the answer, or `None` on success.
    pub async fn code(&self, handle: &EmulatorHandle) -> Option<String> {
        let answer = self.send(handle).await;
        let response = &answer["Response"];
        assert!(
            response["RequestId"]
                .as_str()
                .is_some_and(|id| id.len() == 36),
            "every answer carries a RequestId: {answer}"
        );
        response["Error"]["Code"].as_str().map(str::to_string)
    }

    pub async fn send_http(&self, handle: &EmulatorHandle) -> reqwest::Result<reqwest::Response> {
        let host = self
            .signed_host
            .clone()
            .unwrap_or_else(|| handle.local_addr().to_string());
        let mut signed: Vec<(&str, &str)> = vec![("content-type", self.content_type.as_str())];
        if !self.skip_host_in_signature {
            signed.push(("host", host.as_str()));
        }
        for (k, v) in &self.extra_signed {
            signed.push((k.as_str(), v.as_str()));
        }
        let authorization = match &self.authorization {
            Some(given) => given.clone(),
            None => tc3::authorization(&tc3::ToSign {
                secret_id: &self.secret_id,
                secret_key: &self.secret_key,
                service: &self.service,
                method: self.method,
                query: &self.query,
                headers: &signed,
                body: &self.body,
                timestamp: self.timestamp,
            }),
        };
        let url = if self.query.is_empty() {
            format!("{}/", handle.endpoint())
        } else {
            format!("{}/?{}", handle.endpoint(), self.query)
        };
        let http = reqwest::Client::new();
        let mut request = if self.method == "GET" {
            http.get(url)
        } else {
            http.post(url).body(self.body.clone())
        };
        request = request
            .header("content-type", &self.content_type)
            .header("x-tc-action", &self.action)
            .header("x-tc-version", &self.version)
            .header("x-tc-timestamp", self.timestamp.to_string());
        if let Some(region) = &self.region {
            request = request.header("x-tc-region", region);
        }
        if let Some(token) = &self.token {
            request = request.header("x-tc-token", token);
        }
        for (k, v) in &self.extra_signed {
            if k != "content-type" && k != "host" {
                request = request.header(k.as_str(), v.as_str());
            }
        }
        if !authorization.is_empty() {
            request = request.header("authorization", authorization);
        }
        request.send().await
    }
}
