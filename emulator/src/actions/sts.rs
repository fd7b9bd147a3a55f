//! STS `AssumeRole`, `GetFederationToken` and `AssumeRoleWithWebIdentity`: temporary
//! credentials the emulator accepts from then on, until they expire.

use serde_json::{Map, Value, json};

use super::{CallContext, Effect};
use crate::emulator::DEFAULT_CREDENTIAL_LIFETIME_SECS;
use crate::keyring::IssuedCredential;
use crate::validate::Params;

/// New credentials valid for the request's `DurationSeconds` (STS's default, two hours, when it
/// gives none), at most the emulator's lifetime when one is set.
pub(super) fn issue(ctx: &CallContext<'_>, params: &Params) -> Effect {
    let now = crate::keyring::unix_now();
    let lifetime = params
        .uint("DurationSeconds")
        .filter(|seconds| *seconds > 0)
        .unwrap_or(DEFAULT_CREDENTIAL_LIFETIME_SECS)
        .min(ctx.credential_lifetime.unwrap_or(u64::MAX));
    let expired_time = now.saturating_add(i64::try_from(lifetime).unwrap_or(i64::MAX));
    let issued = ctx.keyring.issue(expired_time);
    Effect::changed(answer(&issued))
}

/// The members STS answers issued credentials with.
fn answer(issued: &IssuedCredential) -> Map<String, Value> {
    Map::from_iter([
        (
            "Credentials".to_owned(),
            json!({
                "Token": issued.token,
                "TmpSecretId": issued.secret_id,
                "TmpSecretKey": issued.secret_key,
            }),
        ),
        ("ExpiredTime".to_owned(), Value::from(issued.expired_time)),
        ("Expiration".to_owned(), Value::from(issued.expiration())),
    ])
}
