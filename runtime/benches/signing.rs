//! Signing cost per request: cold (derived key computed) and with the derived key cached.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use tencentcloud_runtime::__private::signer::{CanonicalInput, Signer};
use tencentcloud_runtime::Credentials;

const PAYLOAD: &[u8] =
    br#"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#;
const HEADERS: [(&str, &str); 2] = [
    ("content-type", "application/json; charset=utf-8"),
    ("host", "cvm.tencentcloudapi.com"),
];

fn input() -> CanonicalInput<'static> {
    CanonicalInput {
        method: "POST",
        uri: "/",
        query: "",
        headers: &HEADERS,
        payload: PAYLOAD,
    }
}

fn signing(c: &mut Criterion) {
    let creds = Credentials::new(
        "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
        "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let input = input();

    c.bench_function("sign_cold_derive_key", |b| {
        b.iter(|| {
            let signer = Signer::new();
            black_box(signer.authorization(&creds, "cvm", black_box(1_551_113_065), &input))
        })
    });

    let signer = Signer::new();
    signer.authorization(&creds, "cvm", 1_551_113_065, &input);
    c.bench_function("sign_cached_key", |b| {
        b.iter(|| black_box(signer.authorization(&creds, "cvm", black_box(1_551_113_065), &input)))
    });
}

criterion_group!(benches, signing);
criterion_main!(benches);
