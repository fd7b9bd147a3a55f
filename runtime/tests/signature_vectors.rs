//! TC3-HMAC-SHA256 against the vectors in `tests/vectors/<case>/`, one assertion per stage so a
//! failure names the case and the stage that broke.

use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use tencentcloud_runtime::__private::signer::{
    self, CanonicalInput, Signer, canonical_request, derive_key, signed_headers, string_to_sign,
    utc_date,
};
use tencentcloud_runtime::Credentials;

#[derive(Deserialize)]
struct Request {
    method: String,
    uri: String,
    query: String,
    headers: Vec<(String, String)>,
    payload: String,
    timestamp: u64,
    service: String,
    secret_id: String,
    secret_key: String,
}

fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors")
}

fn cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = fs::read_dir(vectors_dir())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.join("request.json").is_file())
        .collect();
    cases.sort();
    cases
}

fn read(case: &Path, file: &str) -> String {
    fs::read_to_string(case.join(file))
        .unwrap_or_else(|e| panic!("{}: cannot read {file}: {e}", case.display()))
}

/// Checks every stage of every case and reports all mismatches, each with case and stage.
#[test]
fn every_vector_matches_stage_by_stage() {
    let cases = cases();
    assert!(
        cases.len() >= 5,
        "expected the published and boundary cases, found {cases:?}"
    );
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let req: Request = serde_json::from_str(&read(case, "request.json")).unwrap();
        let headers: Vec<(&str, &str)> = req
            .headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let input = CanonicalInput {
            method: &req.method,
            uri: &req.uri,
            query: &req.query,
            headers: &headers,
            payload: req.payload.as_bytes(),
        };
        let mut check = |stage: &str, actual: &str, expected: &str| {
            if actual != expected {
                failures.push(format!(
                    "case {name}, stage {stage}:\n--- expected\n{expected}\n--- actual\n{actual}"
                ));
            }
        };

        let canonical = canonical_request(&input);
        check(
            "canonical_request",
            &canonical,
            &read(case, "canonical_request.txt"),
        );

        let to_sign = string_to_sign(
            req.timestamp,
            &req.service,
            &read(case, "canonical_request.txt"),
        );
        check(
            "string_to_sign",
            &to_sign,
            &read(case, "string_to_sign.txt"),
        );

        let date = utc_date(req.timestamp);
        let key = derive_key(&req.secret_key, &date, &req.service);
        check(
            "derived_key",
            &hex::encode(key),
            &read(case, "derived_key.txt"),
        );

        let signature = signer::signature(&key, &read(case, "string_to_sign.txt"));
        check("signature", &signature, &read(case, "signature.txt"));

        let authorization = signer::authorization(
            &req.secret_id,
            &date,
            &req.service,
            &signed_headers(&headers),
            &read(case, "signature.txt"),
        );
        check(
            "authorization",
            &authorization,
            &read(case, "authorization.txt"),
        );

        // The cached path the transport uses, twice: cold, then with the derived key cached.
        let creds = Credentials::new(req.secret_id.clone(), req.secret_key.clone()).unwrap();
        let signer = Signer::new();
        for pass in ["cold", "cached"] {
            let full = signer.authorization(&creds, &req.service, req.timestamp, &input);
            check(
                &format!("Signer::authorization ({pass})"),
                &full,
                &read(case, "authorization.txt"),
            );
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The files must keep reproducing the values Tencent Cloud published, not just agree with
/// themselves.
#[test]
fn vector_files_hold_the_published_values() {
    let dir = vectors_dir();
    assert_eq!(
        read(&dir.join("doc-zh-2019"), "signature.txt"),
        "2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c"
    );
    assert_eq!(
        read(&dir.join("doc-en"), "signature.txt"),
        "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
    );
    let current = dir.join("doc-zh-current");
    assert!(
        read(&current, "string_to_sign.txt")
            .ends_with("\n7019a55be8395899b900fb5564e4200d984910f34794a27cb3fb7d10ff6a1e84")
    );
    assert_eq!(
        read(&current, "derived_key.txt"),
        "b596b923aad85185e2d1f6659d2a062e0a86731226e021e61bfe06f7ed05f5af"
    );
    assert_eq!(
        read(&current, "signature.txt"),
        "10b1a37a7301a02ca19a647ad722d5e43b4b3cff309d421d85b46093f6ab6c4f"
    );
    for case in ["doc-zh-2019", "doc-en", "doc-zh-current"] {
        assert!(
            read(&dir.join(case), "canonical_request.txt")
                .ends_with("\n35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"),
            "{case}: hashed payload"
        );
    }
}

#[test]
fn credential_scope_date_changes_exactly_at_utc_midnight() {
    let dir = vectors_dir();
    assert!(
        read(&dir.join("utc-midnight-last-second"), "string_to_sign.txt")
            .contains("\n2019-02-25/cvm/tc3_request\n")
    );
    assert!(
        read(&dir.join("utc-midnight-first-second"), "string_to_sign.txt")
            .contains("\n2019-02-26/cvm/tc3_request\n")
    );
}
