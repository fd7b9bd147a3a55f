//! TC3-HMAC-SHA256 request signing, stage by stage, with a derived-key cache.
//!
//! Stages follow Tencent Cloud's "Signature v3" document: canonical request → string to sign →
//! derived key (`"TC3" + key` → date → service → `tc3_request`) → signature → `Authorization`.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex};

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::credentials::Credentials;

type HmacSha256 = Hmac<Sha256>;

/// The algorithm name in the string to sign and the `Authorization` header.
pub const ALGORITHM: &str = "TC3-HMAC-SHA256";

const SECONDS_PER_DAY: u64 = 86_400;

/// The parts of an HTTP request that the signature covers.
#[derive(Clone, Copy, Debug)]
pub struct CanonicalInput<'a> {
    /// `POST` or `GET`.
    pub method: &'a str,
    /// Always `/` for API 3.0.
    pub uri: &'a str,
    /// The query string (empty for `POST`).
    pub query: &'a str,
    /// The headers to sign, as sent (any case; values are trimmed and lowercased when signing).
    pub headers: &'a [(&'a str, &'a str)],
    /// The exact body bytes sent.
    pub payload: &'a [u8],
}

/// Lowercase hex SHA-256.
pub fn sha256_hex(data: &[u8]) -> String {
    let mut out = String::with_capacity(64);
    push_hex(&mut out, &Sha256::digest(data));
    out
}

fn push_hex(out: &mut String, bytes: &[u8]) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
}

/// Headers in signing order (by lowercase name); borrows when they already are in that order,
/// as the transport's are.
fn sorted_headers<'a>(headers: &'a [(&'a str, &'a str)]) -> Cow<'a, [(&'a str, &'a str)]> {
    if headers.windows(2).all(|pair| match pair {
        [(a, _), (b, _)] => lowercase_key(a).le(lowercase_key(b)),
        _ => true,
    }) {
        return Cow::Borrowed(headers);
    }
    let mut sorted = headers.to_vec();
    sorted.sort_by(|(a, _), (b, _)| lowercase_key(a).cmp(lowercase_key(b)));
    Cow::Owned(sorted)
}

fn lowercase_key(name: &str) -> impl Iterator<Item = u8> + '_ {
    name.bytes().map(|b| b.to_ascii_lowercase())
}

fn push_lowercase(out: &mut String, text: &str) {
    let start = out.len();
    out.push_str(text);
    if let Some(appended) = out.get_mut(start..) {
        appended.make_ascii_lowercase();
    }
}

fn push_signed_headers(out: &mut String, sorted: &[(&str, &str)]) {
    for (i, (name, _)) in sorted.iter().enumerate() {
        if i > 0 {
            out.push(';');
        }
        push_lowercase(out, name);
    }
}

/// The `SignedHeaders` list: lowercase names, sorted, joined by `;`.
pub fn signed_headers(headers: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(64);
    push_signed_headers(&mut out, &sorted_headers(headers));
    out
}

fn write_canonical_request(out: &mut String, input: &CanonicalInput<'_>, sorted: &[(&str, &str)]) {
    out.push_str(input.method);
    out.push('\n');
    out.push_str(input.uri);
    out.push('\n');
    out.push_str(input.query);
    out.push('\n');
    for (name, value) in sorted {
        push_lowercase(out, name);
        out.push(':');
        push_lowercase(out, value.trim());
        out.push('\n');
    }
    out.push('\n');
    push_signed_headers(out, sorted);
    out.push('\n');
    push_hex(out, &Sha256::digest(input.payload));
}

/// Stage 1: the canonical request.
pub fn canonical_request(input: &CanonicalInput<'_>) -> String {
    let mut out = String::with_capacity(256 + input.query.len());
    write_canonical_request(&mut out, input, &sorted_headers(input.headers));
    out
}

/// The UTC date (`YYYY-MM-DD`) of a Unix timestamp, as used in the credential scope.
pub fn utc_date(timestamp: u64) -> String {
    let mut out = String::with_capacity(10);
    push_utc_date(&mut out, timestamp);
    out
}

fn push_utc_date(out: &mut String, timestamp: u64) {
    let (year, month, day) = civil_from_days(timestamp / SECONDS_PER_DAY);
    let _ = write!(out, "{year:04}-{month:02}-{day:02}");
}

/// Gregorian date of a day count since 1970-01-01 (H. Hinnant's `civil_from_days`), exact for
/// every `u64` timestamp, so signing never fails on an odd clock.
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

/// `{date}/{service}/tc3_request`.
pub fn credential_scope(date: &str, service: &str) -> String {
    format!("{date}/{service}/tc3_request")
}

/// Writes the string to sign; returns where the date of its credential scope is in `out`.
fn write_string_to_sign(
    out: &mut String,
    timestamp: u64,
    service: &str,
    canonical_request: &str,
) -> std::ops::Range<usize> {
    let _ = write!(out, "{ALGORITHM}\n{timestamp}\n");
    let date_start = out.len();
    push_utc_date(out, timestamp);
    let date = date_start..out.len();
    out.push('/');
    out.push_str(service);
    out.push_str("/tc3_request\n");
    push_hex(out, &Sha256::digest(canonical_request.as_bytes()));
    date
}

/// Stage 2: the string to sign.
pub fn string_to_sign(timestamp: u64, service: &str, canonical_request: &str) -> String {
    let mut out = String::with_capacity(128);
    write_string_to_sign(&mut out, timestamp, service, canonical_request);
    out
}

fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
    keyed(key).chain_update(data).finalize().into_bytes().into()
}

fn keyed(key: &[u8]) -> HmacSha256 {
    // HMAC accepts keys of any length; `new_from_slice` cannot fail for it.
    <HmacSha256 as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!())
}

/// Stage 3: the derived signing key for a secret key, UTC date and service.
pub fn derive_key(secret_key: &str, date: &str, service: &str) -> [u8; 32] {
    let mut first = Vec::with_capacity(3 + secret_key.len());
    first.extend_from_slice(b"TC3");
    first.extend_from_slice(secret_key.as_bytes());
    let k_date = hmac(&first, date.as_bytes());
    let k_service = hmac(&k_date, service.as_bytes());
    hmac(&k_service, b"tc3_request")
}

/// Stage 4: the hex signature of a string to sign.
pub fn signature(derived_key: &[u8; 32], string_to_sign: &str) -> String {
    let mut out = String::with_capacity(64);
    push_hex(&mut out, &hmac(derived_key, string_to_sign.as_bytes()));
    out
}

/// Stage 5: the `Authorization` header value.
pub fn authorization(
    secret_id: &str,
    date: &str,
    service: &str,
    signed_headers: &str,
    signature: &str,
) -> String {
    format!(
        "{ALGORITHM} Credential={secret_id}/{}, SignedHeaders={signed_headers}, Signature={signature}",
        credential_scope(date, service)
    )
}

struct CachedKey {
    secret_key: Arc<str>,
    day: u64,
    service: String,
    /// HMAC state already keyed with the derived key, so signing skips the key schedule too.
    mac: HmacSha256,
}

/// Signs requests, caching derived keys per (secret key, date, service).
#[derive(Default)]
pub struct Signer {
    cache: Mutex<Vec<CachedKey>>,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Signer { .. }")
    }
}

/// Derived keys kept; a handful covers a few services across a date change.
const CACHE_ENTRIES: usize = 16;

impl Signer {
    /// A signer with an empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// The `Authorization` header for a request at `timestamp` to `service`.
    pub fn authorization(
        &self,
        credentials: &Credentials,
        service: &str,
        timestamp: u64,
        input: &CanonicalInput<'_>,
    ) -> String {
        let sorted = sorted_headers(input.headers);
        let mut canonical = String::with_capacity(256 + input.query.len());
        write_canonical_request(&mut canonical, input, &sorted);
        // Sized for the longest service names, so the string is written without growing.
        let mut to_sign = String::with_capacity(160);
        let date = write_string_to_sign(&mut to_sign, timestamp, service, &canonical);
        let date = to_sign.get(date).unwrap_or_default();
        let mac = self.keyed_mac(credentials, service, timestamp / SECONDS_PER_DAY, date);
        let digest = mac.chain_update(to_sign.as_bytes()).finalize().into_bytes();

        // The canonical request's buffer is no longer needed: reuse it for the header.
        let mut out = canonical;
        out.clear();
        let _ = write!(
            out,
            "{ALGORITHM} Credential={}/{date}/{service}/tc3_request, SignedHeaders=",
            credentials.secret_id()
        );
        push_signed_headers(&mut out, &sorted);
        out.push_str(", Signature=");
        push_hex(&mut out, &digest);
        out
    }

    fn keyed_mac(
        &self,
        credentials: &Credentials,
        service: &str,
        day: u64,
        date: &str,
    ) -> HmacSha256 {
        let secret = credentials.secret_key();
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(hit) = cache
            .iter()
            .find(|c| c.day == day && c.service == service && &*c.secret_key == secret)
        {
            return hit.mac.clone();
        }
        let mac = keyed(&derive_key(secret, date, service));
        if cache.len() >= CACHE_ENTRIES {
            cache.remove(0);
        }
        cache.push(CachedKey {
            secret_key: Arc::from(secret),
            day,
            service: service.to_owned(),
            mac: mac.clone(),
        });
        mac
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_date_switches_exactly_at_midnight() {
        assert_eq!(utc_date(0), "1970-01-01");
        assert_eq!(utc_date(1_551_113_065), "2019-02-25");
        assert_eq!(utc_date(1_551_139_199), "2019-02-25");
        assert_eq!(utc_date(1_551_139_200), "2019-02-26");
        assert_eq!(utc_date(951_782_400), "2000-02-29");
        assert_eq!(utc_date(4_107_542_400), "2100-03-01");
    }

    #[test]
    fn utc_date_agrees_with_the_time_crate() {
        for ts in (0..4_102_444_800_u64).step_by(86_400 * 13 + 7_777) {
            let expected = time::OffsetDateTime::from_unix_timestamp(ts as i64)
                .unwrap()
                .date();
            assert_eq!(
                utc_date(ts),
                format!(
                    "{:04}-{:02}-{:02}",
                    expected.year(),
                    u8::from(expected.month()),
                    expected.day()
                ),
                "{ts}"
            );
        }
    }

    #[test]
    fn cached_and_uncached_signatures_agree_across_dates_and_services() {
        let signer = Signer::new();
        let creds = Credentials::new("AKIDx", "secret").unwrap();
        let headers = [("Content-Type", "application/json"), ("Host", "h")];
        let input = CanonicalInput {
            method: "POST",
            uri: "/",
            query: "",
            headers: &headers,
            payload: b"{}",
        };
        for (service, ts) in [
            ("cvm", 1_551_139_199),
            ("cvm", 1_551_139_200),
            ("vpc", 1_551_139_200),
        ] {
            for _ in 0..2 {
                let date = utc_date(ts);
                let expected = authorization(
                    "AKIDx",
                    &date,
                    service,
                    "content-type;host",
                    &signature(
                        &derive_key("secret", &date, service),
                        &string_to_sign(ts, service, &canonical_request(&input)),
                    ),
                );
                assert_eq!(signer.authorization(&creds, service, ts, &input), expected);
            }
        }
        let other = Credentials::new("AKIDx", "other-secret").unwrap();
        assert_ne!(
            signer.authorization(&other, "cvm", 1_551_139_200, &input),
            signer.authorization(&creds, "cvm", 1_551_139_200, &input)
        );
    }
}
