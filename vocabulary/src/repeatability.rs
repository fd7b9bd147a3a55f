//! Whether an action may be sent again after an attempt whose outcome is unknown.

use serde::{Deserialize, Serialize};

/// Whether an action may be sent again after an attempt whose outcome is unknown.
///
/// Generated clients carry each action's class, computed from its spec; the generic
/// `Client::call` derives it with [`Repeatability::of_action`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum Repeatability {
    /// A read (`Describe*`, `Inquiry*`, `Get*`, `List*`, `Query*`, `Check*`): it changes
    /// nothing, so repeating it is harmless and a failure never leaves an effect behind.
    Read,
    /// A write Tencent Cloud executes at most once however often it is sent: it carries an
    /// idempotency token (`ClientToken`), or its spec says it is idempotent.
    Idempotent,
    /// A write that may act again when repeated (e.g. `TerminateInstances`): after an attempt
    /// that may have reached the service, it is not retried by default, and the error says the
    /// request may have taken effect.
    NotRepeatable,
}

/// Name prefixes of the action families that only read (`DescribeInstances`,
/// `InquiryPriceRunInstances`, `GetAccountSummary`, …).
pub const READ_ACTION_PREFIXES: [&str; 6] =
    ["Describe", "Inquiry", "Get", "List", "Query", "Check"];

impl Repeatability {
    /// The class of `action` by its name, for a request that does (`has_token`) or does not
    /// carry an idempotency token: reads by their family, then token-carrying writes, then the
    /// rest.
    pub fn of_action(action: &str, has_token: bool) -> Self {
        if is_read_action(action) {
            Self::Read
        } else if has_token {
            Self::Idempotent
        } else {
            Self::NotRepeatable
        }
    }

    /// Whether a server fault or an unknown outcome may be retried without risk.
    pub fn is_safe_to_repeat(self) -> bool {
        self != Self::NotRepeatable
    }

    /// The variant's name as Rust code writes it (`NotRepeatable`).
    pub fn variant_name(self) -> &'static str {
        match self {
            Self::Read => "Read",
            Self::Idempotent => "Idempotent",
            Self::NotRepeatable => "NotRepeatable",
        }
    }
}

/// Whether `action` belongs to a read family: one of [`READ_ACTION_PREFIXES`] followed by an
/// upper-case letter or digit (`DescribeInstances`, not `Getaway`).
pub fn is_read_action(action: &str) -> bool {
    READ_ACTION_PREFIXES.iter().any(|prefix| {
        action
            .strip_prefix(prefix)
            .and_then(|rest| rest.bytes().next())
            .is_some_and(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_are_named_by_family_with_a_word_boundary() {
        for read in [
            "DescribeInstances",
            "InquiryPriceRunInstances",
            "GetAccountSummary",
            "ListUsers",
            "QueryCreditQuota",
            "CheckProxyCreate",
            "Describe2Things",
        ] {
            assert!(is_read_action(read), "{read}");
            assert_eq!(Repeatability::of_action(read, true), Repeatability::Read);
        }
        for write in [
            "TerminateInstances",
            "DeleteVpnConnection",
            "Describe",
            "Getaway",
            "Listen",
            "Checkout",
            "ModifyDescribeThing",
        ] {
            assert!(!is_read_action(write), "{write}");
        }
    }

    #[test]
    fn a_write_is_idempotent_only_with_a_token() {
        assert_eq!(
            Repeatability::of_action("DescribeVpcs", false),
            Repeatability::Read
        );
        assert_eq!(
            Repeatability::of_action("RunInstances", true),
            Repeatability::Idempotent
        );
        assert_eq!(
            Repeatability::of_action("TerminateInstances", false),
            Repeatability::NotRepeatable
        );
        assert!(!Repeatability::NotRepeatable.is_safe_to_repeat());
        assert!(Repeatability::Idempotent.is_safe_to_repeat());
    }

    #[test]
    fn specs_write_the_class_in_camel_case() {
        let parsed: Repeatability = serde_json::from_str("\"notRepeatable\"").unwrap();
        assert_eq!(parsed, Repeatability::NotRepeatable);
        assert_eq!(parsed.variant_name(), "NotRepeatable");
    }
}
