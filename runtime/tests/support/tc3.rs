//! An independent TC3-HMAC-SHA256 verifier, written from Tencent's document and sharing no code
//! with the runtime's signer, so a bug there cannot hide itself here.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

type HmacSha256 = Hmac<Sha256>;

fn mac(key: &[u8], msg: &str) -> Vec<u8> {
    let mut m = HmacSha256::new_from_slice(key).unwrap();
    m.update(msg.as_bytes());
    m.finalize().into_bytes().to_vec()
}

fn hex_of(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Verifies the `Authorization` header of a received request. `headers` are (lowercase name,
/// value) pairs as received.
pub fn verify(
    headers: &[(String, String)],
    body: &[u8],
    secret_id: &str,
    secret_key: &str,
    service: &str,
) -> Result<(), String> {
    let get = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    let auth = get("authorization").ok_or("no Authorization header")?;
    let rest = auth
        .strip_prefix("TC3-HMAC-SHA256 Credential=")
        .ok_or_else(|| format!("bad algorithm in {auth:?}"))?;
    let (credential, rest) = rest
        .split_once(", SignedHeaders=")
        .ok_or("no SignedHeaders")?;
    let (signed, signature) = rest.split_once(", Signature=").ok_or("no Signature")?;
    let parts: Vec<&str> = credential.split('/').collect();
    let [id, date, scope_service, terminator] = parts[..] else {
        return Err(format!("bad credential {credential:?}"));
    };
    if id != secret_id {
        return Err(format!("secret id {id:?} is unknown"));
    }
    if scope_service != service || terminator != "tc3_request" {
        return Err(format!(
            "credential scope {credential:?} is not for {service}"
        ));
    }
    let timestamp: i64 = get("x-tc-timestamp")
        .ok_or("no X-TC-Timestamp")?
        .parse()
        .map_err(|_| "X-TC-Timestamp is not a number")?;
    let day = time::OffsetDateTime::from_unix_timestamp(timestamp)
        .unwrap()
        .date();
    let expected_date = format!(
        "{:04}-{:02}-{:02}",
        day.year(),
        u8::from(day.month()),
        day.day()
    );
    if date != expected_date {
        return Err(format!(
            "scope date {date} does not match timestamp date {expected_date}"
        ));
    }
    let names: Vec<&str> = signed.split(';').collect();
    if !names.contains(&"content-type") || !names.contains(&"host") {
        return Err(format!(
            "SignedHeaders {signed:?} must cover content-type and host"
        ));
    }
    let mut canonical = String::from("POST\n/\n\n");
    for name in &names {
        let value = get(name).ok_or_else(|| format!("signed header {name} was not sent"))?;
        canonical += &format!("{name}:{}\n", value.trim().to_lowercase());
    }
    canonical += &format!("\n{signed}\n{}", hex_of(&Sha256::digest(body)));
    let to_sign = format!(
        "TC3-HMAC-SHA256\n{timestamp}\n{date}/{service}/tc3_request\n{}",
        hex_of(&Sha256::digest(canonical.as_bytes()))
    );
    let k_date = mac(format!("TC3{secret_key}").as_bytes(), date);
    let k_service = mac(&k_date, service);
    let k_signing = mac(&k_service, "tc3_request");
    let expected = hex_of(&mac(&k_signing, &to_sign));
    if signature != expected {
        return Err(format!(
            "signature mismatch for canonical request:\n{canonical}"
        ));
    }
    Ok(())
}
