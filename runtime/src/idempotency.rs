//! Idempotency tokens (`ClientToken`) that make a write safe to retry.

/// A fresh random token (UUID v4, 36 ASCII characters) for a request's `ClientToken`.
///
/// Generated clients call this once per `send()` so that every retry of that send carries the
/// same token and Tencent Cloud executes the write at most once.
pub fn new_token() -> String {
    uuid::Uuid::new_v4().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

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
