//! Credentials from `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY` and a session token.

use std::sync::Arc;

use super::{Credentials, CredentialsError, ProvideCredentials, ProvideCredentialsFuture, check};

/// Reads one environment variable; injectable so tests need not touch the process environment.
pub type EnvLookup = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// The process environment. A value that is not valid Unicode is passed on lossily so that it
/// is rejected with a clear message instead of being mistaken for an unset variable.
pub fn process_env() -> EnvLookup {
    Arc::new(|name| {
        std::env::var_os(name).map(|v| {
            v.into_string()
                .unwrap_or_else(|raw| raw.to_string_lossy().into_owned())
        })
    })
}

const SECRET_ID: &str = "TENCENTCLOUD_SECRET_ID";
const SECRET_KEY: &str = "TENCENTCLOUD_SECRET_KEY";
/// The official tools disagree on the token's name; the first one set wins.
const TOKEN_VARS: [&str; 2] = ["TENCENTCLOUD_SESSION_TOKEN", "TENCENTCLOUD_TOKEN"];

/// Credentials from environment variables; the token comes from `TENCENTCLOUD_SESSION_TOKEN`,
/// else `TENCENTCLOUD_TOKEN`.
#[derive(Clone)]
pub struct EnvironmentProvider {
    lookup: EnvLookup,
}

impl std::fmt::Debug for EnvironmentProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("EnvironmentProvider")
    }
}

impl Default for EnvironmentProvider {
    fn default() -> Self {
        Self::new()
    }
}

impl EnvironmentProvider {
    /// Reads the process environment.
    pub fn new() -> Self {
        Self::with_lookup(process_env())
    }

    /// Reads variables through `lookup`.
    pub fn with_lookup(lookup: EnvLookup) -> Self {
        Self { lookup }
    }

    /// `Ok(None)` when neither the secret id nor the secret key variable is set.
    pub fn load(&self) -> Result<Option<Credentials>, CredentialsError> {
        let id = (self.lookup)(SECRET_ID);
        let key = (self.lookup)(SECRET_KEY);
        let (id, key) = match (id, key) {
            (None, None) => return Ok(None),
            (Some(id), Some(key)) => (id, key),
            (Some(_), None) => return Err(incomplete(SECRET_ID, SECRET_KEY)),
            (None, Some(_)) => return Err(incomplete(SECRET_KEY, SECRET_ID)),
        };
        let secret_id = check(id, "secret id", &var_origin(SECRET_ID))?;
        let secret_key = check(key, "secret key", &var_origin(SECRET_KEY))?;
        let token = TOKEN_VARS
            .iter()
            .find_map(|var| (self.lookup)(var).map(|t| (*var, t)))
            .map(|(var, token)| check(token, "token", &var_origin(var)))
            .transpose()?;
        let creds = Credentials {
            secret_id: secret_id.into(),
            secret_key: secret_key.into(),
            token: token.map(Into::into),
            expires_at: None,
        };
        Ok(Some(creds))
    }

    pub(crate) fn describe_unset() -> String {
        format!("environment ({SECRET_ID} and {SECRET_KEY} not set)")
    }
}

fn var_origin(var: &str) -> String {
    format!("environment variable {var}")
}

fn incomplete(present: &str, missing: &str) -> CredentialsError {
    CredentialsError::Incomplete {
        origin: "environment".to_owned(),
        present: present.to_owned(),
        missing: missing.to_owned(),
    }
}

impl ProvideCredentials for EnvironmentProvider {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        let result = self.load().and_then(|found| {
            found.ok_or_else(|| CredentialsError::NotFound {
                tried: vec![Self::describe_unset()],
            })
        });
        Box::pin(std::future::ready(result))
    }
}

/// An environment holding exactly `vars`, so tests never touch the process environment.
#[cfg(test)]
pub(crate) fn fixed_env(vars: &[(&str, &str)]) -> EnvLookup {
    let map: std::collections::HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    Arc::new(move |name| map.get(name).cloned())
}

#[cfg(test)]
mod tests {
    use super::*;

    use super::fixed_env as lookup;

    #[test]
    fn reads_id_key_and_session_token() {
        let env = EnvironmentProvider::with_lookup(lookup(&[
            ("TENCENTCLOUD_SECRET_ID", "AKIDenv"),
            ("TENCENTCLOUD_SECRET_KEY", "keyenv"),
            ("TENCENTCLOUD_SESSION_TOKEN", "session"),
            ("TENCENTCLOUD_TOKEN", "other"),
        ]));
        let creds = env.load().unwrap().unwrap();
        assert_eq!(creds.secret_id(), "AKIDenv");
        assert_eq!(creds.secret_key(), "keyenv");
        assert_eq!(creds.token(), Some("session"));
    }

    #[test]
    fn falls_back_to_tencentcloud_token() {
        let env = EnvironmentProvider::with_lookup(lookup(&[
            ("TENCENTCLOUD_SECRET_ID", "AKIDenv"),
            ("TENCENTCLOUD_SECRET_KEY", "keyenv"),
            ("TENCENTCLOUD_TOKEN", "tok"),
        ]));
        assert_eq!(env.load().unwrap().unwrap().token(), Some("tok"));
    }

    #[test]
    fn unset_environment_has_no_credentials() {
        assert_eq!(
            EnvironmentProvider::with_lookup(lookup(&[])).load(),
            Ok(None)
        );
    }

    #[test]
    fn half_set_environment_names_the_missing_variable() {
        let err = EnvironmentProvider::with_lookup(lookup(&[("TENCENTCLOUD_SECRET_ID", "AKID")]))
            .load()
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "environment: TENCENTCLOUD_SECRET_KEY is not set although TENCENTCLOUD_SECRET_ID is"
        );
    }

    #[test]
    fn whitespace_and_empty_values_name_the_variable() {
        let err = EnvironmentProvider::with_lookup(lookup(&[
            ("TENCENTCLOUD_SECRET_ID", "AKID"),
            ("TENCENTCLOUD_SECRET_KEY", "key "),
        ]))
        .load()
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "secret key from environment variable TENCENTCLOUD_SECRET_KEY has leading or \
             trailing whitespace; remove it"
        );
        let err = EnvironmentProvider::with_lookup(lookup(&[
            ("TENCENTCLOUD_SECRET_ID", "AKID"),
            ("TENCENTCLOUD_SECRET_KEY", "key"),
            ("TENCENTCLOUD_TOKEN", ""),
        ]))
        .load()
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "token from environment variable TENCENTCLOUD_TOKEN is empty"
        );
    }
}
