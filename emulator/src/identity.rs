//! Loopback stand-ins for the two identity endpoints production credentials come from: the CVM
//! instance metadata service and STS (`AssumeRole`, `AssumeRoleWithWebIdentity`). STS checks
//! every `AssumeRole` signature with the emulator's verifier, which is written independently of
//! the SDK's signer, and insists that `AssumeRoleWithWebIdentity` arrives unsigned, as the real
//! service does. Each records what it was asked, and tests switch failures on and off.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http::{HeaderMap, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};
use tokio::net::TcpListener;

/// Temporary credentials a stand-in hands out: `n` is the how-manieth fetch (from 1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issued {
    pub secret_id: String,
    pub secret_key: String,
    pub token: String,
    pub expired_time: u64,
}

impl Issued {
    /// The `n`th credentials of a stand-in, expiring `lifetime` seconds after `base`·`n`.
    pub fn nth(prefix: &str, n: u32, base: u64, lifetime: u64) -> Self {
        Self {
            secret_id: format!("AKID{prefix}{n:04}"),
            secret_key: format!("{prefix}-key-{n}"),
            token: format!("{prefix}-token-{n}"),
            expired_time: base + lifetime * u64::from(n),
        }
    }
}

/// How a stand-in numbers and dates what it issues.
#[derive(Clone, Debug)]
pub struct Issuing {
    pub prefix: &'static str,
    /// Credentials `n` expire at `base + lifetime * n`.
    pub base: u64,
    pub lifetime: u64,
}

impl Issuing {
    pub fn nth(&self, n: u32) -> Issued {
        Issued::nth(self.prefix, n, self.base, self.lifetime)
    }
}

/// One request a stand-in received.
#[derive(Clone, Debug)]
pub struct Received {
    pub path: String,
    pub headers: HeaderMap,
    /// The body as sent (what a signature covers).
    pub raw_body: Bytes,
    /// The body parsed, `null` when it is no JSON.
    pub body: Value,
}

struct Common {
    issuing: Issuing,
    issued: AtomicU32,
    failing: AtomicBool,
    received: Mutex<Vec<Received>>,
}

impl Common {
    fn new(issuing: Issuing) -> Self {
        Self {
            issuing,
            issued: AtomicU32::new(0),
            failing: AtomicBool::new(false),
            received: Mutex::new(Vec::new()),
        }
    }

    fn issue(&self) -> Issued {
        let n = self.issued.fetch_add(1, Ordering::SeqCst) + 1;
        self.issuing.nth(n)
    }

    fn record(&self, received: Received) {
        self.received.lock().unwrap().push(received);
    }
}

/// A stand-in's address and controls, shared by both kinds.
#[derive(Clone)]
pub struct StandIn {
    addr: SocketAddr,
    common: Arc<Common>,
}

impl StandIn {
    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// How many credentials were handed out.
    pub fn issued(&self) -> u32 {
        self.common.issued.load(Ordering::SeqCst)
    }

    /// While on, credential requests fail (HTTP 500 from the metadata service, `InternalError`
    /// from STS).
    pub fn set_failing(&self, failing: bool) {
        self.common.failing.store(failing, Ordering::SeqCst);
    }

    /// Every request received, in order.
    pub fn received(&self) -> Vec<Received> {
        self.common.received.lock().unwrap().clone()
    }

    /// The credentials handed out `n`th (from 1).
    pub fn nth(&self, n: u32) -> Issued {
        self.common.issuing.nth(n)
    }
}

async fn serve<F, Fut>(common: Arc<Common>, handle: F) -> StandIn
where
    F: Fn(Arc<Common>, Received) -> Fut + Send + Sync + Clone + 'static,
    Fut: std::future::Future<Output = Response<Full<Bytes>>> + Send,
{
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let addr = listener.local_addr().expect("bound address");
    let shared = common.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let common = shared.clone();
            let handle = handle.clone();
            tokio::spawn(async move {
                let service = service_fn(move |request: Request<Incoming>| {
                    let common = common.clone();
                    let handle = handle.clone();
                    async move {
                        let (parts, body) = request.into_parts();
                        let bytes = body
                            .collect()
                            .await
                            .map(|b| b.to_bytes())
                            .unwrap_or_default();
                        let received = Received {
                            path: parts.uri.path().to_owned(),
                            headers: parts.headers,
                            body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
                            raw_body: bytes,
                        };
                        Ok::<_, Infallible>(handle(common, received).await)
                    }
                });
                let _ = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    StandIn { addr, common }
}

fn answer(status: StatusCode, body: String) -> Response<Full<Bytes>> {
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(body)))
        .expect("a valid response")
}

const ROLE_PATH: &str = "/latest/meta-data/cam/security-credentials/";

/// The CVM metadata service with the role `role` bound (or none).
pub async fn metadata_service(role: Option<&'static str>, issuing: Issuing) -> StandIn {
    serve(
        Arc::new(Common::new(issuing)),
        move |common, received| async move {
            let path = received.path.clone();
            common.record(received);
            let Some(role) = role else {
                return answer(StatusCode::NOT_FOUND, String::new());
            };
            if path == ROLE_PATH {
                return answer(StatusCode::OK, role.to_owned());
            }
            if path != format!("{ROLE_PATH}{role}") {
                return answer(StatusCode::NOT_FOUND, String::new());
            }
            if common.failing.load(Ordering::SeqCst) {
                return answer(StatusCode::INTERNAL_SERVER_ERROR, "busy".to_owned());
            }
            let issued = common.issue();
            let document = json!({
                "TmpSecretId": issued.secret_id,
                "TmpSecretKey": issued.secret_key,
                "Token": issued.token,
                "ExpiredTime": issued.expired_time,
                "Expiration": "2030-01-01T00:00:00Z",
                "Code": "Success",
            });
            answer(StatusCode::OK, document.to_string())
        },
    )
    .await
}

/// What STS accepts: the source credentials `AssumeRole` must be signed with, and the web
/// identity tokens it trusts (a token listed as expired is refused as STS refuses one).
#[derive(Clone, Debug)]
pub struct StsRules {
    pub source_id: &'static str,
    pub source_key: &'static str,
    pub valid_tokens: Vec<String>,
    pub expired_tokens: Vec<String>,
}

fn sts_error(code: &str, message: &str) -> Response<Full<Bytes>> {
    let body = json!({"Response": {
        "Error": {"Code": code, "Message": message},
        "RequestId": uuid::Uuid::new_v4().to_string(),
    }});
    answer(StatusCode::OK, body.to_string())
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// STS on loopback.
pub async fn sts_service(rules: StsRules, issuing: Issuing) -> StandIn {
    let rules = Arc::new(rules);
    serve(Arc::new(Common::new(issuing)), move |common, received| {
        let rules = rules.clone();
        async move {
            let Received {
                path,
                headers,
                raw_body,
                body,
            } = received.clone();
            common.record(received);
            let action = headers
                .get("x-tc-action")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            if headers.get("x-tc-version").and_then(|v| v.to_str().ok()) != Some("2018-08-13") {
                return sts_error("InvalidParameter", "X-TC-Version must be 2018-08-13");
            }
            if headers.get("x-tc-region").is_none() {
                return sts_error("MissingParameter", "X-TC-Region is missing");
            }
            let authorization = headers
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            match action.as_str() {
                "AssumeRole" => {
                    let verified = crate::verify_signature(
                        rules.source_id,
                        rules.source_key,
                        None,
                        "POST",
                        &path,
                        "",
                        &headers,
                        &raw_body,
                        now(),
                    );
                    if let Err(rejected) = verified {
                        return sts_error(&rejected.code, &rejected.message);
                    }
                }
                "AssumeRoleWithWebIdentity" => {
                    if authorization != "SKIP" {
                        return sts_error(
                            "AuthFailure.InvalidAuthorization",
                            "Authorization must be SKIP for AssumeRoleWithWebIdentity",
                        );
                    }
                    let token = body["WebIdentityToken"].as_str().unwrap_or_default();
                    if rules.expired_tokens.iter().any(|t| t == token) {
                        return sts_error(
                            "InvalidParameter.WebIdentityTokenError",
                            "The web identity token has expired.",
                        );
                    }
                    if !rules.valid_tokens.iter().any(|t| t == token) {
                        return sts_error(
                            "InvalidParameter.WebIdentityTokenError",
                            "The web identity token is invalid.",
                        );
                    }
                }
                other => {
                    return sts_error(
                        "InvalidAction",
                        &format!("the stand-in does not serve {other:?}"),
                    );
                }
            }
            if common.failing.load(Ordering::SeqCst) {
                return sts_error("InternalError", "An internal error occurred.");
            }
            let issued = common.issue();
            let body = json!({"Response": {
                "Credentials": {
                    "Token": issued.token,
                    "TmpSecretId": issued.secret_id,
                    "TmpSecretKey": issued.secret_key,
                },
                "ExpiredTime": issued.expired_time,
                "Expiration": "2030-01-01T00:00:00Z",
                "RequestId": uuid::Uuid::new_v4().to_string(),
            }});
            answer(StatusCode::OK, body.to_string())
        }
    })
    .await
}

/// The current Unix time in seconds.
pub fn unix_now() -> u64 {
    now().max(0) as u64
}
