//! The credentials the emulator accepts: those it was built with, and the temporary ones it
//! hands out itself, as STS (`AssumeRole`, `GetFederationToken`,
//! `AssumeRoleWithWebIdentity`) and the CVM instance metadata service do. Temporary ones expire
//! at their `ExpiredTime`; at most [`MAX_ISSUED`] are live at once, the oldest forgotten first.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::api_error::ApiError;
use crate::auth::Credential;

/// Temporary credentials live at once; issuing more forgets the oldest.
pub const MAX_ISSUED: usize = 10_000;

/// The current Unix time in seconds.
pub(crate) fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// Temporary credentials handed out: what a client signs with, and when they stop working.
#[derive(Clone, PartialEq, Eq)]
pub struct IssuedCredential {
    pub secret_id: String,
    pub secret_key: String,
    pub token: String,
    /// Unix seconds.
    pub expired_time: i64,
}

impl IssuedCredential {
    /// `expired_time` as the RFC 3339 time STS and the metadata service write in `Expiration`.
    pub fn expiration(&self) -> String {
        OffsetDateTime::from_unix_timestamp(self.expired_time)
            .ok()
            .and_then(|at| at.format(&Rfc3339).ok())
            .unwrap_or_default()
    }
}

impl std::fmt::Debug for IssuedCredential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedCredential")
            .field("secret_id", &self.secret_id)
            .field("secret_key", &"<redacted>")
            .field("token", &"<redacted>")
            .field("expired_time", &self.expired_time)
            .finish()
    }
}

#[derive(Default)]
struct Issued {
    by_id: HashMap<String, (Arc<Credential>, i64)>,
    /// Secret ids in the order they were issued.
    order: VecDeque<String>,
    /// How many were ever issued: numbers the next.
    count: u64,
}

pub(crate) struct Keyring {
    fixed: HashMap<String, Arc<Credential>>,
    issued: Mutex<Issued>,
}

impl Keyring {
    pub fn new(fixed: impl IntoIterator<Item = (String, Credential)>) -> Self {
        Keyring {
            fixed: fixed
                .into_iter()
                .map(|(id, credential)| (id, Arc::new(credential)))
                .collect(),
            issued: Mutex::new(Issued::default()),
        }
    }

    fn issued(&self) -> MutexGuard<'_, Issued> {
        self.issued.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The secret key of a credential the emulator was built with.
    pub fn fixed_key(&self, secret_id: &str) -> Option<&str> {
        self.fixed.get(secret_id).map(|c| c.secret_key())
    }

    /// The credential of `secret_id` at `now` (Unix seconds); a temporary one past its expiry
    /// is refused as Tencent refuses an expired token.
    pub fn find(&self, secret_id: &str, now: i64) -> Result<Arc<Credential>, ApiError> {
        if let Some(credential) = self.fixed.get(secret_id) {
            return Ok(Arc::clone(credential));
        }
        match self.issued().by_id.get(secret_id) {
            Some((credential, expired_time)) if *expired_time > now => Ok(Arc::clone(credential)),
            Some((_, expired_time)) => Err(ApiError::new(
                "AuthFailure.TokenFailure",
                format!(
                    "The temporary credential `{secret_id}` expired at {expired_time} (Unix time); get new ones."
                ),
            )),
            None => Err(ApiError::new(
                "AuthFailure.SecretIdNotFound",
                "The SecretId is not found, please ensure that your SecretId is correct.",
            )),
        }
    }

    /// New temporary credentials good until `expired_time`, accepted from now on.
    pub fn issue(&self, expired_time: i64) -> IssuedCredential {
        let mut issued = self.issued();
        issued.count += 1;
        let n = issued.count;
        let credential = IssuedCredential {
            secret_id: format!("AKIDTMP{n:029}"),
            secret_key: format!("emulator-temporary-key-{}", uuid::Uuid::new_v4().simple()),
            token: format!("emulator-token-{}", uuid::Uuid::new_v4().simple()),
            expired_time,
        };
        while issued.order.len() >= MAX_ISSUED {
            if let Some(oldest) = issued.order.pop_front() {
                issued.by_id.remove(&oldest);
            }
        }
        let accepted = Credential::new(
            credential.secret_key.clone(),
            Some(credential.token.clone()),
        );
        issued.order.push_back(credential.secret_id.clone());
        issued.by_id.insert(
            credential.secret_id.clone(),
            (Arc::new(accepted), expired_time),
        );
        credential
    }

    /// How many temporary credentials are kept, expired or not.
    pub fn issued_count(&self) -> usize {
        self.issued().by_id.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issued_credentials_work_until_they_expire_and_the_fixed_ones_always() {
        let keyring = Keyring::new([(
            "AKIDfixed".to_owned(),
            Credential::new("key".to_owned(), None),
        )]);
        let issued = keyring.issue(1_000);
        assert!(issued.secret_id.starts_with("AKIDTMP"));
        assert!(keyring.find(&issued.secret_id, 999).is_ok());
        let expired = keyring.find(&issued.secret_id, 1_000).unwrap_err();
        assert_eq!(expired.code, "AuthFailure.TokenFailure");
        assert!(keyring.find("AKIDfixed", i64::MAX).is_ok());
        assert_eq!(
            keyring.find("AKIDnobody", 0).unwrap_err().code,
            "AuthFailure.SecretIdNotFound"
        );
        assert!(!format!("{issued:?}").contains(&issued.secret_key));
        assert!(!format!("{issued:?}").contains(&issued.token));
    }

    #[test]
    fn no_more_than_the_limit_are_kept_the_oldest_forgotten_first() {
        let keyring = Keyring::new([]);
        let first = keyring.issue(i64::MAX);
        for _ in 0..MAX_ISSUED {
            keyring.issue(i64::MAX);
        }
        assert_eq!(keyring.issued_count(), MAX_ISSUED);
        assert_eq!(
            keyring.find(&first.secret_id, 0).unwrap_err().code,
            "AuthFailure.SecretIdNotFound"
        );
    }
}
