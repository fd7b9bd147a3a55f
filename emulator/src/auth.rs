//! TC3-HMAC-SHA256 signature verification, written independently of any signer so that it checks
//! clients rather than agreeing with them by construction.
//!
//! The canonical request is rebuilt from what arrived: method, path, raw query string, the headers
//! named in `SignedHeaders` (names lowercase, values trimmed and lowercased, in the listed order)
//! and the SHA-256 of the body. Official SDKs sign `content-type;host` (some versions also
//! `x-tc-action` with a lowercased value); any list containing `content-type` and `host` verifies.

use std::fmt;
use std::sync::RwLock;

use hmac::{Hmac, Mac};
use http::HeaderMap;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::api_error::ApiError;
use crate::keyring::Keyring;

type HmacSha256 = Hmac<Sha256>;

const ALGORITHM: &str = "TC3-HMAC-SHA256";
const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";
/// Tencent rejects timestamps more than five minutes away from its clock.
const MAX_CLOCK_SKEW_SECS: i64 = 300;
/// Derived keys kept per credential; a key is per (date, service), so this holds weeks of traffic.
const MAX_CACHED_KEYS: usize = 64;

struct DerivedKey {
    date: String,
    service: String,
    mac: HmacSha256,
}

/// One secret id the emulator accepts, with its key and optional session token.
pub(crate) struct Credential {
    secret_key: String,
    token: Option<String>,
    derived: RwLock<Vec<DerivedKey>>,
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credential")
            .field("secret_key", &"<redacted>")
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl Credential {
    pub fn new(secret_key: String, token: Option<String>) -> Self {
        Credential {
            secret_key,
            token,
            derived: RwLock::new(Vec::new()),
        }
    }

    pub fn secret_key(&self) -> &str {
        &self.secret_key
    }

    /// `HMAC(kSigning, ·)` ready to absorb a string to sign, from the cache when possible.
    fn signing_mac(&self, date: &str, service: &str) -> HmacSha256 {
        if let Ok(cache) = self.derived.read()
            && let Some(hit) = cache
                .iter()
                .find(|k| k.date == date && k.service == service)
        {
            return hit.mac.clone();
        }
        let k_date = hmac(
            format!("TC3{}", self.secret_key).as_bytes(),
            date.as_bytes(),
        );
        let k_service = hmac(&k_date, service.as_bytes());
        let k_signing = hmac(&k_service, b"tc3_request");
        let mac = keyed(&k_signing);
        if let Ok(mut cache) = self.derived.write() {
            if cache.len() >= MAX_CACHED_KEYS {
                cache.clear();
            }
            cache.push(DerivedKey {
                date: date.to_string(),
                service: service.to_string(),
                mac: mac.clone(),
            });
        }
        mac
    }
}

fn keyed(key: &[u8]) -> HmacSha256 {
    // HMAC accepts keys of any length; this cannot fail.
    <HmacSha256 as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!())
}

fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut mac = keyed(key);
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// The request as the verifier needs it.
pub(crate) struct SignedRequest<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query: &'a str,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
}

/// Who signed a request that verified, and for which service.
#[derive(Debug)]
pub(crate) struct Verified {
    pub secret_id: String,
    pub scope_service: String,
}

struct Authorization<'a> {
    secret_id: &'a str,
    date: &'a str,
    service: &'a str,
    signed_headers: &'a str,
    signature: [u8; 32],
}

fn invalid_authorization(detail: impl fmt::Display) -> ApiError {
    ApiError::new(
        "AuthFailure.InvalidAuthorization",
        format!("The Authorization header is invalid: {detail}."),
    )
}

fn parse_authorization(value: &str) -> Result<Authorization<'_>, ApiError> {
    let (algorithm, rest) = value.trim().split_once(' ').ok_or_else(|| {
        invalid_authorization(
            "expected `TC3-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...`",
        )
    })?;
    if algorithm != ALGORITHM {
        return Err(invalid_authorization(format_args!(
            "algorithm `{algorithm}` is not supported, use {ALGORITHM}"
        )));
    }
    let (mut credential, mut signed_headers, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let (key, value) = part.trim().split_once('=').ok_or_else(|| {
            invalid_authorization(format_args!("`{}` is not `Key=Value`", part.trim()))
        })?;
        match key {
            "Credential" => credential = Some(value),
            "SignedHeaders" => signed_headers = Some(value),
            "Signature" => signature = Some(value),
            other => {
                return Err(invalid_authorization(format_args!(
                    "unknown field `{other}`"
                )));
            }
        }
    }
    let credential = credential.ok_or_else(|| invalid_authorization("`Credential` is missing"))?;
    let signed_headers =
        signed_headers.ok_or_else(|| invalid_authorization("`SignedHeaders` is missing"))?;
    let signature = signature.ok_or_else(|| invalid_authorization("`Signature` is missing"))?;
    let mut scope = credential.split('/');
    let (Some(secret_id), Some(date), Some(service), Some("tc3_request"), None) = (
        scope.next(),
        scope.next(),
        scope.next(),
        scope.next(),
        scope.next(),
    ) else {
        return Err(invalid_authorization(
            "`Credential` must be `<SecretId>/<yyyy-mm-dd>/<service>/tc3_request`",
        ));
    };
    if secret_id.is_empty() || service.is_empty() || date.len() != 10 {
        return Err(invalid_authorization(
            "`Credential` must be `<SecretId>/<yyyy-mm-dd>/<service>/tc3_request`",
        ));
    }
    let mut decoded = [0u8; 32];
    if signature.len() != 64 || hex::decode_to_slice(signature, &mut decoded).is_err() {
        return Err(invalid_authorization("`Signature` must be 64 hex digits"));
    }
    Ok(Authorization {
        secret_id,
        date,
        service,
        signed_headers,
        signature: decoded,
    })
}

/// Verifies one request against the credentials accepted; `now` is the server's Unix time.
pub(crate) fn verify(
    keyring: &Keyring,
    request: &SignedRequest<'_>,
    now: i64,
) -> Result<Verified, ApiError> {
    let header = request
        .headers
        .get(http::header::AUTHORIZATION)
        .ok_or_else(|| {
            if signs_in_parameters(request) {
                invalid_authorization(
                    "signature v1 (HmacSHA1/HmacSHA256 in the `Signature` parameter) is not supported by the emulator; sign with TC3-HMAC-SHA256",
                )
            } else {
                invalid_authorization("the request has no Authorization header")
            }
        })?;
    let header = header
        .to_str()
        .map_err(|_| invalid_authorization("it is not visible ASCII"))?;
    let auth = parse_authorization(header)?;

    let credential = keyring.find(auth.secret_id, now)?;

    let timestamp_text = request
        .headers
        .get("x-tc-timestamp")
        .ok_or_else(|| ApiError::missing_parameter("Timestamp (X-TC-Timestamp)"))?
        .to_str()
        .unwrap_or_default();
    let timestamp: i64 = timestamp_text.parse().map_err(|_| {
        ApiError::invalid_parameter(format!(
            "X-TC-Timestamp `{timestamp_text}` is not a Unix time in seconds."
        ))
    })?;
    if now.abs_diff(timestamp) > MAX_CLOCK_SKEW_SECS.unsigned_abs() {
        return Err(ApiError::new(
            "AuthFailure.SignatureExpire",
            format!(
                "Signature expired: X-TC-Timestamp {timestamp} is more than {MAX_CLOCK_SKEW_SECS} seconds away from the server time {now}."
            ),
        ));
    }
    let expected_date = utc_date(timestamp);
    if auth.date != expected_date {
        return Err(ApiError::new(
            "AuthFailure.SignatureFailure",
            format!(
                "The credential scope date {} does not match the UTC date {expected_date} of X-TC-Timestamp.",
                auth.date
            ),
        ));
    }

    let names: Vec<&str> = auth.signed_headers.split(';').collect();
    if !names.contains(&"content-type") || !names.contains(&"host") {
        return Err(invalid_authorization(
            "`SignedHeaders` must include `content-type` and `host`",
        ));
    }
    for name in &names {
        if name.is_empty() || name.bytes().any(|b| b.is_ascii_uppercase()) {
            return Err(invalid_authorization(format_args!(
                "`SignedHeaders` must list lowercase header names separated by `;`, got `{}`",
                auth.signed_headers
            )));
        }
        if !request.headers.contains_key(*name) {
            return Err(invalid_authorization(format_args!(
                "signed header `{name}` is not in the request"
            )));
        }
    }
    let payload_hash = hex::encode(Sha256::digest(signed_payload(request)));
    let signature_with = |host: HostForm| {
        let canonical_hash = canonical_request_hash(request, &auth, &names, &payload_hash, host);
        let mut mac = credential.signing_mac(auth.date, auth.service);
        mac.update(ALGORITHM.as_bytes());
        mac.update(b"\n");
        mac.update(timestamp_text.as_bytes());
        mac.update(b"\n");
        mac.update(auth.date.as_bytes());
        mac.update(b"/");
        mac.update(auth.service.as_bytes());
        mac.update(b"/tc3_request\n");
        mac.update(canonical_hash.as_bytes());
        let expected: [u8; 32] = mac.finalize().into_bytes().into();
        bool::from(expected.ct_eq(&auth.signature))
    };
    // The official Node SDK signs the host name without the port it sends in `Host`; on Tencent's
    // port 443 both are the same, on a loopback port only the second form matches.
    let host_has_port = request
        .headers
        .get(http::header::HOST)
        .is_some_and(|h| host_without_port(h.as_bytes()).len() != h.as_bytes().len());
    let verified = signature_with(HostForm::AsSent)
        || (host_has_port && signature_with(HostForm::WithoutPort));
    if !verified {
        return Err(ApiError::new(
            "AuthFailure.SignatureFailure",
            "The provided credentials could not be validated. Please check your signature is correct.",
        ));
    }

    let sent_token = request
        .headers
        .get("x-tc-token")
        .map(|v| v.as_bytes())
        .filter(|v| !v.is_empty());
    let token_ok = match (&credential.token, sent_token) {
        (None, None) => true,
        (Some(expected), Some(sent)) => bool::from(expected.as_bytes().ct_eq(sent)),
        _ => false,
    };
    if !token_ok {
        return Err(ApiError::new(
            "AuthFailure.TokenFailure",
            "The token is invalid or missing for this SecretId.",
        ));
    }

    Ok(Verified {
        secret_id: auth.secret_id.to_string(),
        scope_service: auth.service.to_string(),
    })
}

/// A request whose signature did not verify: the error code and message the service answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignatureRejected {
    /// e.g. `AuthFailure.SignatureFailure`.
    pub code: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for SignatureRejected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for SignatureRejected {}

/// Checks a request's TC3-HMAC-SHA256 signature exactly as the emulator checks every call:
/// signed by `secret_id`/`secret_key`, carrying `token` as `X-TC-Token` when one is given,
/// timestamped within five minutes of `now` (Unix seconds). For local stand-ins of other
/// Tencent Cloud endpoints, such as STS, that must verify what a client signed.
#[allow(clippy::too_many_arguments)]
pub fn verify_signature(
    secret_id: &str,
    secret_key: &str,
    token: Option<&str>,
    method: &str,
    path: &str,
    query: &str,
    headers: &HeaderMap,
    body: &[u8],
    now: i64,
) -> Result<(), SignatureRejected> {
    let keyring = Keyring::new([(
        secret_id.to_owned(),
        Credential::new(secret_key.to_owned(), token.map(str::to_owned)),
    )]);
    let request = SignedRequest {
        method,
        path,
        query,
        headers,
        body,
    };
    verify(&keyring, &request, now)
        .map(|_| ())
        .map_err(|e| SignatureRejected {
            code: e.code.into_owned(),
            message: e.message,
        })
}

/// Whether the request carries a signature v1 `Signature` parameter (query or form body).
fn signs_in_parameters(request: &SignedRequest<'_>) -> bool {
    let has_signature = |bytes: &[u8]| form_urlencoded::parse(bytes).any(|(k, _)| k == "Signature");
    has_signature(request.query.as_bytes()) || has_signature(request.body)
}

#[derive(Clone, Copy)]
enum HostForm {
    AsSent,
    WithoutPort,
}

/// SDKs may opt out of hashing large bodies; the payload hash then covers this marker.
fn signed_payload<'a>(request: &SignedRequest<'a>) -> &'a [u8] {
    let unsigned = request
        .headers
        .get("x-tc-content-sha256")
        .is_some_and(|v| v.as_bytes() == UNSIGNED_PAYLOAD.as_bytes());
    if unsigned {
        UNSIGNED_PAYLOAD.as_bytes()
    } else {
        request.body
    }
}

fn canonical_request_hash(
    request: &SignedRequest<'_>,
    auth: &Authorization<'_>,
    names: &[&str],
    payload_hash: &str,
    host: HostForm,
) -> String {
    let mut canonical = Sha256::new();
    canonical.update(request.method.as_bytes());
    canonical.update(b"\n");
    canonical.update(request.path.as_bytes());
    canonical.update(b"\n");
    canonical.update(request.query.as_bytes());
    canonical.update(b"\n");
    for name in names {
        let value = request
            .headers
            .get(*name)
            .map(|v| v.as_bytes().trim_ascii())
            .unwrap_or_default();
        let value = match host {
            HostForm::WithoutPort if *name == "host" => host_without_port(value),
            _ => value,
        };
        canonical.update(name.as_bytes());
        canonical.update(b":");
        update_lowercase(&mut canonical, value);
        canonical.update(b"\n");
    }
    canonical.update(b"\n");
    canonical.update(auth.signed_headers.as_bytes());
    canonical.update(b"\n");
    canonical.update(payload_hash.as_bytes());
    hex::encode(canonical.finalize())
}

/// `127.0.0.1:9000` → `127.0.0.1`, `[::1]:9000` → `[::1]`; hosts without a port unchanged.
fn host_without_port(host: &[u8]) -> &[u8] {
    match host.iter().rposition(|&b| b == b':') {
        Some(colon)
            if colon + 1 < host.len()
                && host[colon + 1..].iter().all(u8::is_ascii_digit)
                && (host.first() != Some(&b'[') || host[..colon].ends_with(b"]")) =>
        {
            &host[..colon]
        }
        _ => host,
    }
}

fn update_lowercase(hasher: &mut Sha256, bytes: &[u8]) {
    let mut buf = [0u8; 64];
    for chunk in bytes.chunks(buf.len()) {
        let out = &mut buf[..chunk.len()];
        out.copy_from_slice(chunk);
        out.make_ascii_lowercase();
        hasher.update(&*out);
    }
}

fn utc_date(timestamp: i64) -> String {
    match time::OffsetDateTime::from_unix_timestamp(timestamp) {
        Ok(t) => format!("{:04}-{:02}-{:02}", t.year(), u8::from(t.month()), t.day()),
        Err(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::host_without_port;

    #[test]
    fn ports_are_stripped_from_hosts_but_ipv6_addresses_stay_whole() {
        assert_eq!(host_without_port(b"127.0.0.1:9000"), b"127.0.0.1");
        assert_eq!(host_without_port(b"[::1]:9000"), b"[::1]");
        assert_eq!(host_without_port(b"[::1]"), b"[::1]");
        assert_eq!(
            host_without_port(b"cvm.tencentcloudapi.com"),
            b"cvm.tencentcloudapi.com"
        );
        assert_eq!(host_without_port(b"host:"), b"host:");
    }
}
