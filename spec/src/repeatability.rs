//! Whether an action is safe to repeat, decided from the spec alone so that every imported
//! action gets its retry policy without hand-written code.

use crate::spec::{Action, Object, Repeatability};

/// Name prefixes of the action families that only read (`DescribeInstances`,
/// `InquiryPriceRunInstances`, `GetAccountSummary`, …). The runtime's generic call applies the
/// same list to actions it has no spec for.
pub const READ_ACTION_PREFIXES: [&str; 6] =
    ["Describe", "Inquiry", "Get", "List", "Query", "Check"];

/// Whether `action` is named as a read: a prefix of [`READ_ACTION_PREFIXES`] followed by an
/// upper-case letter or digit, so `Getaway` is no read.
pub fn is_read_action(action: &str) -> bool {
    READ_ACTION_PREFIXES.iter().any(|prefix| {
        action
            .strip_prefix(prefix)
            .and_then(|rest| rest.bytes().next())
            .is_some_and(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    })
}

/// The action's class: the spec's `repeatability` when it sets one, otherwise a read by its
/// name, then a write whose request has an idempotency token, then a write that is not safe to
/// repeat.
pub fn of(name: &str, action: &Action, input: &Object) -> Repeatability {
    if let Some(set) = action.repeatability {
        set
    } else if is_read_action(name) {
        Repeatability::Read
    } else if input.members.iter().any(|m| m.idempotency_token) {
        Repeatability::Idempotent
    } else {
        Repeatability::NotRepeatable
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_are_named_by_family_with_a_word_boundary() {
        assert!(is_read_action("DescribeInstances"));
        assert!(is_read_action("InquiryPriceRunInstances"));
        assert!(is_read_action("CheckProxyCreate"));
        assert!(!is_read_action("Getaway"));
        assert!(!is_read_action("Describe"));
        assert!(!is_read_action("TerminateInstances"));
    }
}
