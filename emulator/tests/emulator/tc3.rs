//! A minimal TC3-HMAC-SHA256 signer written from Tencent's "Signature v3" document, for requests
//! the SDKs will not send (expired timestamps, odd header lists, hostile bodies).

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

fn hmac(key: &[u8], data: &str) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
    mac.update(data.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// What gets signed.
pub struct ToSign<'a> {
    pub secret_id: &'a str,
    pub secret_key: &'a str,
    pub service: &'a str,
    pub method: &'a str,
    pub query: &'a str,
    /// Lowercase names in the order they are listed in `SignedHeaders`, values as sent.
    pub headers: &'a [(&'a str, &'a str)],
    pub body: &'a [u8],
    pub timestamp: i64,
}

/// The date of a Unix timestamp, `yyyy-mm-dd` in UTC.
pub fn utc_date(timestamp: i64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp(timestamp).expect("valid timestamp");
    format!("{:04}-{:02}-{:02}", t.year(), u8::from(t.month()), t.day())
}

/// The `Authorization` header value.
pub fn authorization(s: &ToSign<'_>) -> String {
    let canonical_headers: String = s
        .headers
        .iter()
        .map(|(k, v)| format!("{k}:{}\n", v.trim().to_ascii_lowercase()))
        .collect();
    let signed_headers = s
        .headers
        .iter()
        .map(|(k, _)| *k)
        .collect::<Vec<_>>()
        .join(";");
    let canonical_request = format!(
        "{}\n/\n{}\n{canonical_headers}\n{signed_headers}\n{}",
        s.method,
        s.query,
        hex::encode(Sha256::digest(s.body))
    );
    let date = utc_date(s.timestamp);
    let scope = format!("{date}/{}/tc3_request", s.service);
    let string_to_sign = format!(
        "TC3-HMAC-SHA256\n{}\n{scope}\n{}",
        s.timestamp,
        hex::encode(Sha256::digest(canonical_request.as_bytes()))
    );
    let k_date = hmac(format!("TC3{}", s.secret_key).as_bytes(), &date);
    let k_service = hmac(&k_date, s.service);
    let k_signing = hmac(&k_service, "tc3_request");
    let signature = hex::encode(hmac(&k_signing, &string_to_sign));
    format!(
        "TC3-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={signed_headers}, Signature={signature}",
        s.secret_id
    )
}
