//! Whether an action is safe to repeat, decided from the spec alone so that every imported
//! action gets its retry policy without hand-written code.

use crate::types::{Action, Object, Repeatability};

/// The action's class: the spec's `repeatability` when it sets one, otherwise the rule every
/// action without one follows ([`Repeatability::of_action`]): a read by its name, then a write
/// whose request has an idempotency token, then a write that is not safe to repeat.
pub fn of(name: &str, action: &Action, input: &Object) -> Repeatability {
    action.repeatability.unwrap_or_else(|| {
        Repeatability::of_action(name, input.members.iter().any(|m| m.idempotency_token))
    })
}
