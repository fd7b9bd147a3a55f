//! The three typed calls, against the emulator serving the repository's `specs/`: each service
//! is found by its feature, signed, checked and answered with its documented example.

use tencentcloud_emulator::{DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, Emulator};
use tencentcloud_sdk::{Config, Credentials};

#[tokio::test]
async fn sms_clb_and_tke_answer_typed() {
    let handle = Emulator::builder()
        .build()
        .expect("the repository's specs index")
        .start("127.0.0.1:0")
        .await
        .expect("the emulator listens");
    let config = Config::builder()
        .credentials(Credentials::new(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY).unwrap())
        .region("ap-guangzhou")
        .endpoint(handle.endpoint())
        .build()
        .unwrap();
    let lines = catalog_services::run(&config)
        .await
        .expect("every call answers");
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(
        lines[0].starts_with("sms SendSms: ") && lines[0].contains("first status Some(\"Ok\")"),
        "{lines:?}"
    );
    assert!(
        lines[1].starts_with("clb DescribeLoadBalancers: "),
        "{lines:?}"
    );
    assert!(lines[2].starts_with("tke DescribeClusters: "), "{lines:?}");
    let served: Vec<String> = handle
        .served_services()
        .into_iter()
        .map(|s| s.service)
        .collect();
    assert!(
        ["clb", "sms", "tke"]
            .iter()
            .all(|s| served.iter().any(|x| x == s)),
        "{served:?}"
    );
    handle.shutdown().await;
}
