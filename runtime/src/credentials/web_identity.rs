//! Temporary credentials for an OIDC web identity (TKE's service-account tokens) from STS
//! `AssumeRoleWithWebIdentity`.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use base64::Engine;
use serde_json::{Value, json};

use super::cache::CredentialsCache;
use super::env::EnvLookup;
use super::profile::{off_the_runtime, read_small_file};
use super::sts::{StsSettings, assume, sts_setters};
use super::{CredentialsError, ProvideCredentials, ProvideCredentialsFuture};
use crate::client::Client;
use crate::clock::unix_seconds;
use crate::config::{ConfigBuilder, ConfigError};

/// The variables TKE sets in a pod whose service account has a CAM role.
const TKE_VARS: [&str; 4] = [
    "TKE_REGION",
    "TKE_PROVIDER_ID",
    "TKE_WEB_IDENTITY_TOKEN_FILE",
    "TKE_ROLE_ARN",
];

/// Credentials of a CAM role trusted by an OIDC identity provider, obtained with STS
/// `AssumeRoleWithWebIdentity` (sent unsigned: the token is the proof), cached and refreshed
/// before they expire. The token file is read again at every refresh, as TKE rotates it.
#[derive(Clone, Debug)]
pub struct WebIdentityProvider {
    cache: CredentialsCache,
}

/// Builds a [`WebIdentityProvider`].
#[derive(Debug)]
pub struct WebIdentityProviderBuilder {
    provider_id: String,
    token_file: PathBuf,
    role_arn: String,
    sts: StsSettings,
}

impl WebIdentityProvider {
    /// A builder for the identity provider `provider_id` (as registered in CAM), the token in
    /// `token_file` and the role `role_arn`.
    pub fn builder(
        provider_id: impl Into<String>,
        token_file: impl Into<PathBuf>,
        role_arn: impl Into<String>,
    ) -> WebIdentityProviderBuilder {
        WebIdentityProviderBuilder {
            provider_id: provider_id.into(),
            token_file: token_file.into(),
            role_arn: role_arn.into(),
            sts: StsSettings::default(),
        }
    }

    /// The provider TKE's variables describe (`TKE_REGION`, `TKE_PROVIDER_ID`,
    /// `TKE_WEB_IDENTITY_TOKEN_FILE`, `TKE_ROLE_ARN`), read through `lookup`; `Ok(None)` when
    /// none is set, an error naming the missing ones when only some are.
    pub fn from_tke_env(lookup: &EnvLookup) -> Result<Option<Self>, CredentialsError> {
        let Some(builder) = Self::tke_builder(lookup)? else {
            return Ok(None);
        };
        builder
            .build()
            .map(Some)
            .map_err(|e| CredentialsError::Provider(format!("web identity (TKE): {e}")))
    }

    /// [`from_tke_env`](Self::from_tke_env) as a builder, to change more settings (such as the
    /// STS endpoint) before building.
    pub fn tke_builder(
        lookup: &EnvLookup,
    ) -> Result<Option<WebIdentityProviderBuilder>, CredentialsError> {
        let values = TKE_VARS.map(|var| lookup(var).filter(|v| !v.is_empty()));
        if values.iter().all(Option::is_none) {
            return Ok(None);
        }
        let named = |set: bool| -> String {
            TKE_VARS
                .iter()
                .zip(&values)
                .filter(|(_, v)| v.is_some() == set)
                .map(|(var, _)| *var)
                .collect::<Vec<_>>()
                .join(", ")
        };
        let [
            Some(region),
            Some(provider_id),
            Some(token_file),
            Some(role_arn),
        ] = values.clone()
        else {
            return Err(CredentialsError::Incomplete {
                origin: "web identity (TKE)".to_owned(),
                present: named(true),
                missing: named(false),
            });
        };
        Ok(Some(
            Self::builder(provider_id, token_file, role_arn).region(region),
        ))
    }

    /// What the default chain reports when TKE's variables are not set.
    pub(crate) fn describe_unset() -> String {
        format!("web identity ({} not set)", TKE_VARS.join(", "))
    }
}

impl WebIdentityProviderBuilder {
    sts_setters!();

    /// Checks the settings; nothing is read or fetched until credentials are first asked for.
    pub fn build(self) -> Result<WebIdentityProvider, ConfigError> {
        let session_name = self.sts.session_name()?;
        let duration = self.sts.duration_seconds()?;
        let config = self
            .sts
            .config(ConfigBuilder::default().without_signing())?;
        let origin = format!(
            "STS AssumeRoleWithWebIdentity of {} (token file {})",
            self.role_arn,
            self.token_file.display()
        );
        let fetch = WebIdentityFetch {
            client: Client::new(&config),
            body: json!({
                "ProviderId": self.provider_id,
                "RoleArn": self.role_arn,
                "RoleSessionName": session_name,
                "DurationSeconds": duration,
            }),
            token_file: self.token_file,
            origin: origin.clone(),
        };
        Ok(WebIdentityProvider {
            cache: self.sts.cache(fetch, origin),
        })
    }
}

impl ProvideCredentials for WebIdentityProvider {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        self.cache.provide_credentials()
    }
}

struct WebIdentityFetch {
    client: Client,
    body: Value,
    token_file: PathBuf,
    origin: String,
}

impl ProvideCredentials for WebIdentityFetch {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        Box::pin(async move {
            let path = self.token_file.clone();
            let token = off_the_runtime(move || read_token(&path)).await?;
            let mut body = self.body.clone();
            body["WebIdentityToken"] = Value::String(token.clone());
            let answer = assume(
                &self.client,
                "AssumeRoleWithWebIdentity",
                &body,
                &self.origin,
            )
            .await;
            answer.map_err(|error| match (error, token_expiry(&token)) {
                (CredentialsError::Fetch { origin, message }, Some(exp))
                    if exp <= unix_seconds(SystemTime::now()) =>
                {
                    CredentialsError::Fetch {
                        origin,
                        message: format!(
                            "the web identity token expired at {exp} (Unix time); TKE renews \
                             the token file, so check that it is mounted and being renewed. \
                             STS answered: {message}"
                        ),
                    }
                }
                (error, _) => error,
            })
        })
    }
}

fn read_token(path: &Path) -> Result<String, CredentialsError> {
    let text = read_small_file(path, "web identity token file").map_err(|message| {
        CredentialsError::ProfileFile {
            path: path.to_owned(),
            message,
        }
    })?;
    let token = text.trim();
    if token.is_empty() {
        return Err(CredentialsError::ProfileFile {
            path: path.to_owned(),
            message: "is empty; it should hold the web identity token".to_owned(),
        });
    }
    Ok(token.to_owned())
}

/// The `exp` claim of a JWT, when the token is one: only to explain a refusal, never to judge
/// the token (STS does that).
fn token_expiry(token: &str) -> Option<u64> {
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    serde_json::from_slice::<Value>(&bytes)
        .ok()?
        .get("exp")?
        .as_u64()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::fixed_env;

    #[test]
    fn no_tke_variable_means_no_web_identity() {
        assert!(
            WebIdentityProvider::from_tke_env(&fixed_env(&[]))
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn some_tke_variables_name_the_missing_ones() {
        let error = WebIdentityProvider::from_tke_env(&fixed_env(&[
            ("TKE_REGION", "ap-guangzhou"),
            ("TKE_ROLE_ARN", "qcs::cam::uin/1:roleName/r"),
        ]))
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "web identity (TKE): TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE is not set \
             although TKE_REGION, TKE_ROLE_ARN is"
        );
    }

    #[test]
    fn the_expiry_of_a_jwt_is_read_and_anything_else_is_none() {
        let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(br#"{"sub":"system:serviceaccount:a:b","exp":1700000000}"#);
        assert_eq!(
            token_expiry(&format!("eyJhbGciOiJSUzI1NiJ9.{payload}.sig")),
            Some(1_700_000_000)
        );
        assert_eq!(token_expiry("not-a-jwt"), None);
        assert_eq!(token_expiry("a.%%%.c"), None);
    }
}
