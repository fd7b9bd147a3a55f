//! The default credentials chain: environment, profile file, web identity, CVM instance role.

use super::cvm_role::CvmRoleProvider;
use super::env::{EnvLookup, EnvironmentProvider, process_env};
use super::profile::{Found, ProfileFileProvider, off_the_runtime};
use super::web_identity::WebIdentityProvider;
use super::{Credentials, CredentialsError, ProvideCredentials, ProvideCredentialsFuture};

/// Tries, in order: the environment (`TENCENTCLOUD_SECRET_ID`/`_SECRET_KEY`), the profile file,
/// the TKE web identity (when `TKE_*` variables are set) and the CVM instance role (the
/// metadata service, given 0.5 s to answer, so off CVM the chain gives up within a second).
/// When none has credentials the error lists every source tried and why it had none. A
/// source that is configured but broken stops the chain with its error rather than silently
/// falling through to other credentials. The web identity and the role are cached and
/// refreshed before they expire; cheap to clone (clones share those caches).
#[derive(Clone, Debug)]
pub struct DefaultCredentialsChain {
    local: Local,
    web_identity: Result<Option<WebIdentityProvider>, CredentialsError>,
    cvm_role: CvmRoleProvider,
}

/// The sources on this machine: asked on every call, or already found empty.
#[derive(Clone, Debug)]
enum Local {
    Ask {
        env: EnvironmentProvider,
        profile: ProfileFileProvider,
    },
    Tried(Vec<String>),
}

impl Default for DefaultCredentialsChain {
    fn default() -> Self {
        Self::new()
    }
}

impl DefaultCredentialsChain {
    /// The chain over the process environment.
    pub fn new() -> Self {
        Self::with_lookup(process_env())
    }

    /// The chain reading variables through `lookup`.
    pub fn with_lookup(lookup: EnvLookup) -> Self {
        Self {
            web_identity: WebIdentityProvider::from_tke_env(&lookup),
            local: Local::Ask {
                env: EnvironmentProvider::with_lookup(lookup.clone()),
                profile: ProfileFileProvider::with_lookup(lookup),
            },
            cvm_role: CvmRoleProvider::new(),
        }
    }

    /// Asks `provider` for the instance role (e.g. one with another metadata endpoint).
    #[must_use]
    pub fn cvm_role(mut self, provider: CvmRoleProvider) -> Self {
        self.cvm_role = provider;
        self
    }

    /// The first credentials found.
    pub async fn load(&self) -> Result<Credentials, CredentialsError> {
        let mut tried = match &self.local {
            Local::Tried(tried) => tried.clone(),
            Local::Ask { .. } => {
                let chain = self.clone();
                match off_the_runtime(move || chain.load_local()).await? {
                    Ok((credentials, _region)) => return Ok(credentials),
                    Err(tried) => tried,
                }
            }
        };
        match &self.web_identity {
            Err(error) => return Err(error.clone()),
            Ok(Some(web_identity)) => return web_identity.provide_credentials().await,
            Ok(None) => tried.push(WebIdentityProvider::describe_unset()),
        }
        match self.cvm_role.provide_credentials().await {
            Err(CredentialsError::NotFound { tried: role_tried }) => {
                tried.extend(role_tried);
                Err(CredentialsError::NotFound { tried })
            }
            found => found,
        }
    }

    /// The environment's or profile file's credentials and the region of the profile section
    /// they came from; `Ok(Err(tried))` when neither has any.
    #[allow(clippy::type_complexity)]
    fn load_local(
        &self,
    ) -> Result<Result<(Credentials, Option<String>), Vec<String>>, CredentialsError> {
        let Local::Ask { env, profile } = &self.local else {
            return Ok(Err(Vec::new()));
        };
        if let Some(creds) = env.load()? {
            return Ok(Ok((creds, None)));
        }
        Ok(match profile.find()? {
            Found::Profile(profile) => Ok((profile.credentials, profile.region)),
            Found::Nothing(profile_tried) => {
                Err(vec![EnvironmentProvider::describe_unset(), profile_tried])
            }
        })
    }

    /// What [`ConfigBuilder::from_env`](crate::ConfigBuilder::from_env) signs with: the
    /// environment's or profile file's credentials, read once, with their section's region;
    /// else this chain without those two sources (as they were found empty).
    pub(crate) fn resolve_local(self) -> Result<Resolved, CredentialsError> {
        Ok(match self.load_local()? {
            Ok((credentials, region)) => Resolved::Fixed(credentials, region),
            Err(tried) => Resolved::Remote(Self {
                local: Local::Tried(tried),
                ..self
            }),
        })
    }
}

/// The outcome of [`DefaultCredentialsChain::resolve_local`].
pub(crate) enum Resolved {
    Fixed(Credentials, Option<String>),
    Remote(DefaultCredentialsChain),
}

impl ProvideCredentials for DefaultCredentialsChain {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        Box::pin(self.load())
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::*;
    use crate::credentials::fixed_env as lookup;

    /// A profile file in `dir` whose `[default]` section names `AKIDfile`; returns its path.
    fn profile_file(dir: &tempfile::TempDir) -> String {
        let path = dir.path().join("credentials");
        std::fs::write(&path, "[default]\nsecret_id=AKIDfile\nsecret_key=kf\n").unwrap();
        path.display().to_string()
    }

    /// A loopback port nothing listens on, as off CVM nothing answers the metadata address.
    fn closed_port() -> u16 {
        std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port()
    }

    fn offline_role() -> CvmRoleProvider {
        CvmRoleProvider::builder()
            .endpoint(format!("http://127.0.0.1:{}", closed_port()))
            .build()
    }

    #[tokio::test]
    async fn environment_wins_over_profile_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = profile_file(&dir);
        let chain = DefaultCredentialsChain::with_lookup(lookup(&[
            ("TENCENTCLOUD_SECRET_ID", "AKIDenv"),
            ("TENCENTCLOUD_SECRET_KEY", "ke"),
            ("TENCENTCLOUD_CREDENTIALS_FILE", &path),
        ]));
        assert_eq!(chain.load().await.unwrap().secret_id(), "AKIDenv");
    }

    #[tokio::test]
    async fn profile_file_is_used_when_environment_is_unset() {
        let dir = tempfile::tempdir().unwrap();
        let path = profile_file(&dir);
        let chain = DefaultCredentialsChain::with_lookup(lookup(&[(
            "TENCENTCLOUD_CREDENTIALS_FILE",
            &path,
        )]));
        assert_eq!(chain.load().await.unwrap().secret_id(), "AKIDfile");
    }

    #[tokio::test]
    async fn half_configured_web_identity_stops_the_chain_naming_what_is_missing() {
        let chain = DefaultCredentialsChain::with_lookup(lookup(&[("TKE_ROLE_ARN", "qcs::cam")]))
            .cvm_role(offline_role());
        let error = chain.load().await.unwrap_err().to_string();
        assert!(
            error.starts_with("web identity (TKE): TKE_REGION,"),
            "{error}"
        );
    }

    #[tokio::test]
    async fn no_credentials_anywhere_lists_every_source_tried_within_a_second() {
        let home = tempfile::tempdir().unwrap();
        let home_dir = home.path().display().to_string();
        let system_file = home.path().join("etc-tencentcloud-credentials");
        let mut chain = DefaultCredentialsChain::with_lookup(lookup(&[("HOME", &home_dir)]))
            .cvm_role(offline_role());
        if let Local::Ask { profile, .. } = &mut chain.local {
            *profile = profile.clone().system_file(&system_file);
        }
        let started = Instant::now();
        let msg = chain.load().await.unwrap_err().to_string();
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "{:?}",
            started.elapsed()
        );
        assert!(
            msg.starts_with(
                "no credentials found; tried: environment (TENCENTCLOUD_SECRET_ID and \
                 TENCENTCLOUD_SECRET_KEY not set); profile file (TENCENTCLOUD_CREDENTIALS_FILE \
                 not set;"
            ),
            "{msg}"
        );
        let home_file = home.path().join(".tencentcloud").join("credentials");
        assert!(msg.contains(&home_file.display().to_string()), "{msg}");
        assert!(msg.contains(&system_file.display().to_string()), "{msg}");
        assert!(
            msg.contains(
                "; web identity (TKE_REGION, TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE, \
                 TKE_ROLE_ARN not set); CVM instance role (metadata service at http://127.0.0.1:"
            ),
            "{msg}"
        );
        assert!(msg.contains("cannot connect"), "{msg}");
    }
}
