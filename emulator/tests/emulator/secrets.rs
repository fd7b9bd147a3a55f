//! Secret keys and session tokens never leave the emulator: not in Debug output, the request log,
//! the admin API or error messages.

use serde_json::json;
use tencentcloud_emulator::Instance;

use super::support::{self, Raw};

const KEY: &str = "secret-key-that-must-not-leak";
const TOKEN: &str = "session-token-that-must-not-leak";

#[tokio::test]
async fn keys_and_tokens_appear_nowhere_a_user_or_log_can_see() {
    let builder = support::builder().credential_with_token("AKIDtemporary", KEY, TOKEN);
    let shown_builder = format!("{builder:?}");
    let handle = support::start_with(builder).await;
    handle.seed_instance(Instance::new("ins-3jaw1j8m")).unwrap();
    let call = |token: &str| {
        let mut raw = Raw::post(
            "cvm",
            "TerminateInstances",
            json!({"InstanceIds": ["ins-3jaw1j8m"]}),
        );
        raw.secret_id = "AKIDtemporary".into();
        raw.secret_key = KEY.into();
        raw.token = Some(token.into());
        raw
    };
    let refused = call("wrong-token").send(&handle).await;
    assert_eq!(
        refused["Response"]["Error"]["Code"],
        "AuthFailure.TokenFailure"
    );
    assert_eq!(call(TOKEN).code(&handle).await, None);

    let admin = |path: &str| {
        let url = format!("{}/{path}", handle.admin_url());
        async move {
            let response = reqwest::get(url).await.unwrap();
            assert_eq!(response.status(), 200);
            response.text().await.unwrap()
        }
    };
    let log_json = admin("requests").await;
    assert!(log_json.contains("AKIDtemporary"), "{log_json}");
    let health_json = admin("health").await;
    let seen = [
        shown_builder,
        format!("{handle:?}"),
        format!("{:?}", handle.request_log()),
        log_json,
        health_json,
        refused.to_string(),
    ];
    for shown in &seen {
        assert!(!shown.contains(KEY), "the key leaked: {shown}");
        assert!(!shown.contains(TOKEN), "the token leaked: {shown}");
        assert!(
            !shown.contains("wrong-token"),
            "a sent token leaked: {shown}"
        );
    }
}
