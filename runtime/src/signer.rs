//! TC3-HMAC-SHA256 request signing, stage by stage, with a derived-key cache.
//!
//! Stages follow Tencent Cloud's "Signature v3" document: canonical request → string to sign →
//! derived key (`"TC3" + key` → date → service → `tc3_request`) → signature → `Authorization`.

use std::borrow::Cow;
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

/// Where signing text goes: a buffer for the stage functions, or straight into the digest
/// when signing, which needs only the hashes of the canonical request and the string to sign.
trait Sink {
    fn put(&mut self, bytes: &[u8]);

    fn put_str(&mut self, text: &str) {
        self.put(text.as_bytes());
    }
}

impl Sink for Vec<u8> {
    fn put(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }
}

impl Sink for Sha256 {
    fn put(&mut self, bytes: &[u8]) {
        Digest::update(self, bytes);
    }
}

impl Sink for HmacSha256 {
    fn put(&mut self, bytes: &[u8]) {
        Mac::update(self, bytes);
    }
}

/// Text a stage wrote. Its pieces are whole `str`s, or ASCII-lowercased slices of them, which
/// stay UTF-8 even where a slice ends inside a character, once the pieces are joined.
fn into_text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Lowercase hex SHA-256.
pub fn sha256_hex(data: &[u8]) -> String {
    let mut out = Vec::with_capacity(64);
    put_hex(&mut out, &Sha256::digest(data).into());
    into_text(out)
}

fn put_hex(out: &mut impl Sink, bytes: &[u8; 32]) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut hex = [0_u8; 64];
    for (pair, byte) in hex.chunks_exact_mut(2).zip(bytes) {
        pair[0] = DIGITS[usize::from(byte >> 4)];
        pair[1] = DIGITS[usize::from(byte & 0x0f)];
    }
    out.put(&hex);
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

fn put_lowercase(out: &mut impl Sink, text: &str) {
    let mut chunk = [0_u8; 64];
    for piece in text.as_bytes().chunks(chunk.len()) {
        let lowered = &mut chunk[..piece.len()];
        lowered.copy_from_slice(piece);
        lowered.make_ascii_lowercase();
        out.put(lowered);
    }
}

fn put_signed_headers(out: &mut impl Sink, sorted: &[(&str, &str)]) {
    for (i, (name, _)) in sorted.iter().enumerate() {
        if i > 0 {
            out.put(b";");
        }
        put_lowercase(out, name);
    }
}

/// The `SignedHeaders` list: lowercase names, sorted, joined by `;`.
pub fn signed_headers(headers: &[(&str, &str)]) -> String {
    let mut out = Vec::with_capacity(64);
    put_signed_headers(&mut out, &sorted_headers(headers));
    into_text(out)
}

fn write_canonical_request(
    out: &mut impl Sink,
    input: &CanonicalInput<'_>,
    sorted: &[(&str, &str)],
) {
    for part in [input.method, input.uri, input.query] {
        out.put_str(part);
        out.put(b"\n");
    }
    for (name, value) in sorted {
        put_lowercase(out, name);
        out.put(b":");
        put_lowercase(out, value.trim());
        out.put(b"\n");
    }
    out.put(b"\n");
    put_signed_headers(out, sorted);
    out.put(b"\n");
    put_hex(out, &Sha256::digest(input.payload).into());
}

/// Stage 1: the canonical request.
pub fn canonical_request(input: &CanonicalInput<'_>) -> String {
    let mut out = Vec::with_capacity(256 + input.query.len());
    write_canonical_request(&mut out, input, &sorted_headers(input.headers));
    into_text(out)
}

/// A number's decimal digits, at least `width` of them, written without allocating.
pub(crate) struct Decimal {
    digits: [u8; 20],
    start: usize,
}

impl Decimal {
    pub(crate) fn new(mut n: u64, width: usize) -> Self {
        let mut digits = [b'0'; 20];
        let mut start = digits.len();
        while n > 0 || start > digits.len() - width.clamp(1, 20) {
            start -= 1;
            digits[start] = b'0' + (n % 10) as u8;
            n /= 10;
        }
        Self { digits, start }
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.digits[self.start..]
    }
}

/// A Unix timestamp's UTC date, `YYYY-MM-DD`, written without allocating.
struct UtcDate {
    text: [u8; 30],
    len: usize,
}

impl UtcDate {
    fn of(timestamp: u64) -> Self {
        let (year, month, day) = civil_from_days(timestamp / SECONDS_PER_DAY);
        let mut text = [0_u8; 30];
        let mut len = 0;
        for (i, part) in [
            Decimal::new(year, 4),
            Decimal::new(month, 2),
            Decimal::new(day, 2),
        ]
        .iter()
        .enumerate()
        {
            if i > 0 {
                text[len] = b'-';
                len += 1;
            }
            let digits = part.as_bytes();
            text[len..len + digits.len()].copy_from_slice(digits);
            len += digits.len();
        }
        Self { text, len }
    }

    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.text[..self.len]).unwrap_or_default()
    }
}

/// The UTC date (`YYYY-MM-DD`) of a Unix timestamp, as used in the credential scope.
pub fn utc_date(timestamp: u64) -> String {
    UtcDate::of(timestamp).as_str().to_owned()
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

fn write_string_to_sign(
    out: &mut impl Sink,
    timestamp: u64,
    date: &str,
    service: &str,
    canonical_request_hash: &[u8; 32],
) {
    out.put_str(ALGORITHM);
    out.put(b"\n");
    out.put(Decimal::new(timestamp, 1).as_bytes());
    out.put(b"\n");
    out.put_str(date);
    out.put(b"/");
    out.put_str(service);
    out.put(b"/tc3_request\n");
    put_hex(out, canonical_request_hash);
}

/// Stage 2: the string to sign.
pub fn string_to_sign(timestamp: u64, service: &str, canonical_request: &str) -> String {
    let mut out = Vec::with_capacity(128);
    let hash = Sha256::digest(canonical_request.as_bytes()).into();
    write_string_to_sign(
        &mut out,
        timestamp,
        UtcDate::of(timestamp).as_str(),
        service,
        &hash,
    );
    into_text(out)
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
    let mut out = Vec::with_capacity(64);
    put_hex(&mut out, &hmac(derived_key, string_to_sign.as_bytes()));
    into_text(out)
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
        // Each text is fed to its digest as it is written: only the hashes are needed.
        let mut canonical = Sha256::new();
        write_canonical_request(&mut canonical, input, &sorted);
        let date = UtcDate::of(timestamp);
        let date = date.as_str();
        let mut mac = self.keyed_mac(credentials, service, timestamp / SECONDS_PER_DAY, date);
        let hash = canonical.finalize().into();
        write_string_to_sign(&mut mac, timestamp, date, service, &hash);
        let digest = mac.finalize().into_bytes().into();

        let secret_id = credentials.secret_id();
        let parts = [
            ALGORITHM,
            " Credential=",
            secret_id,
            "/",
            date,
            "/",
            service,
            "/tc3_request, SignedHeaders=",
            ", Signature=",
        ];
        let signed_length = sorted.iter().map(|(name, _)| name.len() + 1).sum::<usize>();
        // Exactly as long as the header, so the transport takes it over without copying.
        let length =
            parts.iter().map(|p| p.len()).sum::<usize>() + signed_length.saturating_sub(1) + 64;
        let mut out = Vec::with_capacity(length);
        for part in &parts[..8] {
            out.put_str(part);
        }
        put_signed_headers(&mut out, &sorted);
        out.put_str(parts[8]);
        put_hex(&mut out, &digest);
        into_text(out)
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
    fn numbers_and_dates_are_written_as_format_writes_them() {
        for n in [0, 7, 10, 99, 1_551_139_200, u64::MAX] {
            for width in [0, 1, 2, 4] {
                let decimal = Decimal::new(n, width);
                let text = std::str::from_utf8(decimal.as_bytes()).unwrap();
                assert_eq!(text, format!("{n:0width$}"), "{n} at width {width}");
            }
        }
        // The largest timestamps have years of many digits; the date is written whole.
        for ts in [u64::MAX, u64::MAX / 3, 253_402_300_800] {
            let (year, month, day) = civil_from_days(ts / SECONDS_PER_DAY);
            assert_eq!(utc_date(ts), format!("{year:04}-{month:02}-{day:02}"));
        }
    }

    #[test]
    fn long_and_non_ascii_header_values_are_lowercased_whole() {
        // Longer than the 64-byte pieces lowercasing works in, with characters of several
        // bytes across the pieces' edges: only ASCII letters change.
        let value = format!("  {}ÉTÉ-Été  ", "AbC".repeat(30));
        let headers = [("X-Long", value.as_str())];
        let input = CanonicalInput {
            method: "POST",
            uri: "/",
            query: "",
            headers: &headers,
            payload: b"",
        };
        let expected = format!("x-long:{}\n", value.trim().to_ascii_lowercase());
        assert!(canonical_request(&input).contains(&expected));
    }

    #[test]
    fn the_authorization_header_is_written_into_a_buffer_of_exactly_its_length() {
        // The transport takes the string over as the header value; a spare byte of capacity
        // would make it copy.
        let signer = Signer::new();
        for (id, service, headers) in [
            ("AKIDx", "cvm", &[("Content-Type", "a"), ("Host", "h")][..]),
            (
                "AKID-a-longer-id",
                "vpc",
                &[("Host", "h"), ("Content-Type", "a")][..],
            ),
            ("A", "tke", &[("Host", "h")][..]),
        ] {
            let creds = Credentials::new(id, "secret").unwrap();
            let input = CanonicalInput {
                method: "POST",
                uri: "/",
                query: "",
                headers,
                payload: b"{}",
            };
            let header = signer.authorization(&creds, service, 1_551_139_200, &input);
            assert_eq!(header.capacity(), header.len(), "{header}");
            assert!(header.starts_with(&format!(
                "{ALGORITHM} Credential={id}/2019-02-26/{service}/"
            )));
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
