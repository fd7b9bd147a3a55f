//! Credentials (secret id, secret key, optional session token) and where they come from.

mod cache;
pub(crate) mod chain;
mod cvm_role;
mod env;
mod profile;
mod sts;
mod web_identity;

use std::fmt;
use std::future::{Future, ready};
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::time::SystemTime;

pub use cache::{CredentialsCache, DEFAULT_REFRESH_MARGIN};
pub use chain::DefaultCredentialsChain;
pub use cvm_role::{CvmRoleProvider, CvmRoleProviderBuilder, DEFAULT_METADATA_ENDPOINT};
pub use env::{EnvLookup, EnvironmentProvider, process_env};
pub use profile::{MAX_PROFILE_FILE_BYTES, ProfileFileProvider};
pub use sts::{AssumeRoleProvider, AssumeRoleProviderBuilder};
pub use web_identity::{WebIdentityProvider, WebIdentityProviderBuilder};

#[cfg(test)]
pub(crate) use env::fixed_env;

/// A secret id and secret key, plus a session token for temporary credentials (sent as
/// `X-TC-Token`) and, for those, when they expire. `Debug` shows the secret id only.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    secret_id: Arc<str>,
    secret_key: Arc<str>,
    token: Option<Arc<str>>,
    expires_at: Option<SystemTime>,
}

impl Credentials {
    /// Long-term credentials; rejects empty values, surrounding whitespace and characters other
    /// than printable ASCII.
    pub fn new(
        secret_id: impl Into<String>,
        secret_key: impl Into<String>,
    ) -> Result<Self, CredentialsError> {
        Self::from_source(
            secret_id.into(),
            secret_key.into(),
            None,
            "explicit credentials",
        )
    }

    /// Adds a session token (temporary credentials from STS or a role), checked like the keys.
    pub fn with_token(self, token: impl Into<String>) -> Result<Self, CredentialsError> {
        let token = check(token.into(), "token", "explicit credentials")?;
        Ok(Self {
            token: Some(token.into()),
            ..self
        })
    }

    /// Marks the credentials as expiring at `at` (temporary credentials from STS or a role);
    /// [`CredentialsCache`] refreshes them before then.
    #[must_use]
    pub fn with_expiry(self, at: SystemTime) -> Self {
        Self {
            expires_at: Some(at),
            ..self
        }
    }

    pub(crate) fn from_source(
        secret_id: String,
        secret_key: String,
        token: Option<String>,
        origin: &str,
    ) -> Result<Self, CredentialsError> {
        let secret_id = check(secret_id, "secret id", origin)?;
        let secret_key = check(secret_key, "secret key", origin)?;
        let token = token.map(|t| check(t, "token", origin)).transpose()?;
        Ok(Self {
            secret_id: secret_id.into(),
            secret_key: secret_key.into(),
            token: token.map(Into::into),
            expires_at: None,
        })
    }

    /// When the credentials stop working; `None` for long-term credentials.
    pub fn expiry(&self) -> Option<SystemTime> {
        self.expires_at
    }

    /// The secret id (not secret: it names the key in the `Authorization` header).
    pub fn secret_id(&self) -> &str {
        &self.secret_id
    }

    /// The secret key. Never log it.
    pub fn secret_key(&self) -> &str {
        &self.secret_key
    }

    /// The session token, if any. Never log it.
    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("secret_id", &self.secret_id)
            .field("secret_key", &"** redacted **")
            .field("token", &self.token.as_ref().map(|_| "** redacted **"))
            .field(
                "expires_at",
                &self.expires_at.map(crate::clock::unix_seconds),
            )
            .finish()
    }
}

fn check(value: String, field: &'static str, origin: &str) -> Result<String, CredentialsError> {
    let origin = || origin.to_owned();
    if value.is_empty() {
        return Err(CredentialsError::Empty {
            field,
            origin: origin(),
        });
    }
    if value.trim() != value {
        return Err(CredentialsError::SurroundingWhitespace {
            field,
            origin: origin(),
        });
    }
    if !value.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(CredentialsError::InvalidCharacter {
            field,
            origin: origin(),
        });
    }
    Ok(value)
}

/// Why no usable credentials could be obtained. Messages name the source, never a secret.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CredentialsError {
    /// A value is empty.
    #[error("{field} from {origin} is empty")]
    Empty {
        /// `secret id`, `secret key` or `token`.
        field: &'static str,
        /// Where it came from, e.g. `environment variable TENCENTCLOUD_SECRET_KEY`.
        origin: String,
    },
    /// A value starts or ends with whitespace (usually a copy-and-paste accident).
    #[error("{field} from {origin} has leading or trailing whitespace; remove it")]
    SurroundingWhitespace {
        /// `secret id`, `secret key` or `token`.
        field: &'static str,
        /// Where it came from.
        origin: String,
    },
    /// A value contains a character other than printable ASCII.
    #[error("{field} from {origin} contains a character that is not printable ASCII")]
    InvalidCharacter {
        /// `secret id`, `secret key` or `token`.
        field: &'static str,
        /// Where it came from.
        origin: String,
    },
    /// Only part of a credential is configured.
    #[error("{origin}: {missing} is not set although {present} is")]
    Incomplete {
        /// The source, e.g. `environment`.
        origin: String,
        /// What is set.
        present: String,
        /// What is missing.
        missing: String,
    },
    /// The profile file cannot be read or parsed.
    #[error("credentials file {}: {message}", path.display())]
    ProfileFile {
        /// The file.
        path: PathBuf,
        /// What is wrong, with the line number where one applies.
        message: String,
    },
    /// A credentials service (STS, the instance metadata service) refused or failed to answer,
    /// or answered with something that is not credentials.
    #[error("{origin}: {message}")]
    Fetch {
        /// The service and what was asked of it, e.g. `CVM instance role (metadata service at
        /// http://metadata.tencentyun.com)`.
        origin: String,
        /// What went wrong; a Tencent Cloud error keeps its code and request id.
        message: String,
    },
    /// The credentials expired and could not be refreshed.
    #[error(
        "credentials from {origin} expired at {expired_at} (Unix time) and refreshing them failed: {error}"
    )]
    Expired {
        /// The source.
        origin: String,
        /// When they expired, in seconds since the Unix epoch.
        expired_at: u64,
        /// Why the refresh failed.
        error: Box<CredentialsError>,
    },
    /// No source had credentials.
    #[error("no credentials found; tried: {}", tried.join("; "))]
    NotFound {
        /// Each source tried and why it had none.
        tried: Vec<String>,
    },
    /// A custom provider failed.
    #[error("credentials provider failed: {0}")]
    Provider(String),
}

/// The future returned by [`ProvideCredentials::provide_credentials`].
pub type ProvideCredentialsFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Credentials, CredentialsError>> + Send + 'a>>;

/// A source of credentials, asked once per operation (so rotated credentials take effect).
/// Sources of temporary credentials cache them, refreshed before they expire
/// ([`CredentialsCache`]).
pub trait ProvideCredentials: Send + Sync {
    /// The credentials to sign the next operation with.
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_>;

    /// Credentials that never change, if this provider holds such: operations sign with them
    /// as they are, without asking [`provide_credentials`](Self::provide_credentials) each time.
    fn fixed_credentials(&self) -> Option<&Credentials> {
        None
    }
}

impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        Box::pin(ready(Ok(self.clone())))
    }

    fn fixed_credentials(&self) -> Option<&Credentials> {
        Some(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_prints_secret_key_or_token() {
        let creds = Credentials::new("AKIDexample", "s3cr3tKEYvalue")
            .unwrap()
            .with_token("t0kenVALUE")
            .unwrap();
        let debug = format!("{creds:?}");
        assert!(debug.contains("AKIDexample"));
        assert!(!debug.contains("s3cr3tKEYvalue"), "{debug}");
        assert!(!debug.contains("t0kenVALUE"), "{debug}");
        assert_eq!(creds.secret_key(), "s3cr3tKEYvalue");
        assert_eq!(creds.token(), Some("t0kenVALUE"));
    }

    #[test]
    fn empty_and_whitespace_values_are_rejected_naming_the_field() {
        assert_eq!(
            Credentials::new("", "key").unwrap_err().to_string(),
            "secret id from explicit credentials is empty"
        );
        assert_eq!(
            Credentials::new("AKID", "key\n").unwrap_err().to_string(),
            "secret key from explicit credentials has leading or trailing whitespace; remove it"
        );
        let err = Credentials::new("AKID", "key")
            .unwrap()
            .with_token(" tok")
            .unwrap_err();
        assert!(matches!(
            err,
            CredentialsError::SurroundingWhitespace { field: "token", .. }
        ));
        assert!(matches!(
            Credentials::new("AK ID", "key").unwrap_err(),
            CredentialsError::InvalidCharacter {
                field: "secret id",
                ..
            }
        ));
    }

    #[test]
    fn errors_never_contain_the_secret() {
        let err = Credentials::new("AKID", " hunter2").unwrap_err();
        assert!(!err.to_string().contains("hunter2"));
        assert!(!format!("{err:?}").contains("hunter2"));
    }
}
