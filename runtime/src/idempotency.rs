//! Idempotency tokens (`ClientToken`) that make a write safe to retry.

/// A fresh random token (UUID v4, 36 ASCII characters) for a request's `ClientToken`.
///
/// Generated clients call this once per `send()` so that every retry of that send carries the
/// same token and Tencent Cloud executes the write at most once.
pub fn new_token() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Gives a request's token field a fresh token unless the caller set a non-empty one.
///
/// An empty token protects nothing, yet would mark the call safe to retry: it counts as unset,
/// as it does for [`Client::call`](crate::Client::call).
pub fn fill(token: &mut Option<String>) {
    if token.as_deref().is_none_or(str::is_empty) {
        *token = Some(new_token());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_replaces_a_missing_or_empty_token_and_keeps_a_set_one() {
        let mut missing = None;
        fill(&mut missing);
        assert_eq!(missing.as_deref().map(str::len), Some(36));

        let mut empty = Some(String::new());
        fill(&mut empty);
        assert_eq!(empty.as_deref().map(str::len), Some(36));

        let mut set = Some("my-token".to_string());
        fill(&mut set);
        assert_eq!(set.as_deref(), Some("my-token"));
    }

    #[test]
    fn tokens_are_uuid_v4_and_distinct() {
        let a = new_token();
        let b = new_token();
        assert_ne!(a, b);
        let parsed = uuid::Uuid::parse_str(&a).unwrap();
        assert_eq!(parsed.get_version_num(), 4);
        assert_eq!(a.len(), 36);
        assert!(a.is_ascii());
    }
}
