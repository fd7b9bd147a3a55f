//! The default credentials chain: environment, then profile file.

use super::env::{EnvLookup, EnvironmentProvider, process_env};
use super::profile::{Found, ProfileFileProvider, off_the_runtime};
use super::{Credentials, CredentialsError, ProvideCredentials, ProvideCredentialsFuture};

/// Tries the environment, then the profile file; when neither has credentials the error lists
/// every source tried. A source that is configured but broken stops the chain with its error
/// rather than silently falling through to other credentials.
#[derive(Clone, Debug)]
pub struct DefaultCredentialsChain {
    env: EnvironmentProvider,
    profile: ProfileFileProvider,
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
            env: EnvironmentProvider::with_lookup(lookup.clone()),
            profile: ProfileFileProvider::with_lookup(lookup),
        }
    }

    /// The first credentials found.
    pub fn load(&self) -> Result<Credentials, CredentialsError> {
        self.load_with_region().map(|(credentials, _)| credentials)
    }

    /// The first credentials found, and the region of the profile section they came from.
    pub(crate) fn load_with_region(
        &self,
    ) -> Result<(Credentials, Option<String>), CredentialsError> {
        if let Some(creds) = self.env.load()? {
            return Ok((creds, None));
        }
        match self.profile.find()? {
            Found::Profile(profile) => Ok((profile.credentials, profile.region)),
            Found::Nothing(profile_tried) => Err(CredentialsError::NotFound {
                tried: vec![EnvironmentProvider::describe_unset(), profile_tried],
            }),
        }
    }
}

impl ProvideCredentials for DefaultCredentialsChain {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        let chain = self.clone();
        Box::pin(off_the_runtime(move || chain.load()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::fixed_env as lookup;

    /// A profile file in `dir` whose `[default]` section names `AKIDfile`; returns its path.
    fn profile_file(dir: &tempfile::TempDir) -> String {
        let path = dir.path().join("credentials");
        std::fs::write(&path, "[default]\nsecret_id=AKIDfile\nsecret_key=kf\n").unwrap();
        path.display().to_string()
    }

    #[test]
    fn environment_wins_over_profile_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = profile_file(&dir);
        let chain = DefaultCredentialsChain::with_lookup(lookup(&[
            ("TENCENTCLOUD_SECRET_ID", "AKIDenv"),
            ("TENCENTCLOUD_SECRET_KEY", "ke"),
            ("TENCENTCLOUD_CREDENTIALS_FILE", &path),
        ]));
        assert_eq!(chain.load().unwrap().secret_id(), "AKIDenv");
    }

    #[test]
    fn profile_file_is_used_when_environment_is_unset() {
        let dir = tempfile::tempdir().unwrap();
        let path = profile_file(&dir);
        let chain = DefaultCredentialsChain::with_lookup(lookup(&[(
            "TENCENTCLOUD_CREDENTIALS_FILE",
            &path,
        )]));
        assert_eq!(chain.load().unwrap().secret_id(), "AKIDfile");
    }

    #[test]
    fn no_credentials_anywhere_lists_every_source_tried() {
        let home = tempfile::tempdir().unwrap();
        let home_dir = home.path().display().to_string();
        let mut chain = DefaultCredentialsChain::with_lookup(lookup(&[("HOME", &home_dir)]));
        let system_file = home.path().join("etc-tencentcloud-credentials");
        chain.profile = chain.profile.system_file(&system_file);
        let msg = chain.load().unwrap_err().to_string();
        assert!(
            msg.starts_with(
                "no credentials found; tried: environment (TENCENTCLOUD_SECRET_ID and \
                 TENCENTCLOUD_SECRET_KEY not set); profile file (TENCENTCLOUD_CREDENTIALS_FILE \
                 not set;"
            ),
            "{msg}"
        );
        assert!(
            msg.contains(&format!(
                "{}",
                home.path()
                    .join(".tencentcloud")
                    .join("credentials")
                    .display()
            )),
            "{msg}"
        );
        assert!(msg.contains(&system_file.display().to_string()), "{msg}");
    }
}
