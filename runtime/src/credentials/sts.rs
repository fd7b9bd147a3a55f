//! Temporary credentials of a CAM role from STS `AssumeRole`, signed with source credentials
//! through the runtime's own call path.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use serde::Deserialize;
use serde_json::{Value, json};

use super::cache::CredentialsCache;
use super::{Credentials, CredentialsError, ProvideCredentials, ProvideCredentialsFuture};
use crate::client::{Client, Operation};
use crate::clock::{Clock, unix_seconds};
use crate::config::{ConfigBuilder, ConfigError};
use crate::retry::Repeatability;

const SERVICE: &str = "sts";
const VERSION: &str = "2018-08-13";
/// STS's own default; the longest a role session can be is 12 hours.
const DEFAULT_DURATION: Duration = Duration::from_secs(7_200);
const MAX_DURATION: Duration = Duration::from_secs(43_200);
const DEFAULT_REGION: &str = "ap-guangzhou";

/// Where and how the STS requests of a role provider go: region, endpoint, root domain,
/// session name and duration. Shared by [`AssumeRoleProvider`] and
/// [`WebIdentityProvider`](super::WebIdentityProvider).
#[derive(Clone, Debug)]
pub(crate) struct StsSettings {
    pub(crate) region: String,
    pub(crate) endpoint: Option<String>,
    pub(crate) root_domain: Option<String>,
    pub(crate) session_name: Option<String>,
    pub(crate) duration: Duration,
    pub(crate) margin: Option<Duration>,
    pub(crate) clock: Option<Arc<dyn Clock>>,
}

impl Default for StsSettings {
    fn default() -> Self {
        Self {
            region: DEFAULT_REGION.to_owned(),
            endpoint: None,
            root_domain: None,
            session_name: None,
            duration: DEFAULT_DURATION,
            margin: None,
            clock: None,
        }
    }
}

impl StsSettings {
    /// The session name sent, checked as STS checks it: 2 to 128 of letters, digits and
    /// `+=,.@_-`; by default `tencentcloud-rs-<Unix time>`.
    pub(crate) fn session_name(&self) -> Result<String, ConfigError> {
        let name = self
            .session_name
            .clone()
            .unwrap_or_else(|| format!("tencentcloud-rs-{}", unix_seconds(SystemTime::now())));
        let allowed = |b: u8| b.is_ascii_alphanumeric() || b"+=,.@_-".contains(&b);
        if !(2..=128).contains(&name.len()) || !name.bytes().all(allowed) {
            return Err(ConfigError::InvalidSetting {
                setting: "role session name",
                reason: "2 to 128 letters, digits or +=,.@_- characters".to_owned(),
            });
        }
        Ok(name)
    }

    pub(crate) fn duration_seconds(&self) -> Result<u64, ConfigError> {
        if self.duration < Duration::from_secs(1) || self.duration > MAX_DURATION {
            return Err(ConfigError::InvalidSetting {
                setting: "role session duration",
                reason: "between 1 second and 12 hours (43,200 s)".to_owned(),
            });
        }
        Ok(self.duration.as_secs())
    }

    /// A config for STS calls starting from `builder` (credentials, or none).
    pub(crate) fn config(&self, builder: ConfigBuilder) -> Result<crate::Config, ConfigError> {
        let mut builder = builder.region(self.region.clone());
        if let Some(endpoint) = &self.endpoint {
            builder = builder.endpoint(endpoint);
        }
        if let Some(domain) = &self.root_domain {
            builder = builder.root_domain(domain.clone());
        }
        builder.build()
    }

    pub(crate) fn cache(
        &self,
        fetch: impl ProvideCredentials + 'static,
        origin: String,
    ) -> CredentialsCache {
        let mut cache = CredentialsCache::new(fetch, origin);
        if let Some(margin) = self.margin {
            cache = cache.refresh_margin(margin);
        }
        if let Some(clock) = &self.clock {
            cache = cache.clock(clock.clone());
        }
        cache
    }
}

/// The setters of [`StsSettings`], on each role provider's builder.
macro_rules! sts_setters {
    () => {
        /// The region of the STS request (default `ap-guangzhou`).
        #[must_use]
        pub fn region(mut self, region: impl Into<String>) -> Self {
            self.sts.region = region.into();
            self
        }

        /// Sends the STS requests to this base URL instead of `https://sts.tencentcloudapi.com`
        /// (a local stand-in, a private endpoint).
        #[must_use]
        pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
            self.sts.endpoint = Some(endpoint.into());
            self
        }

        /// The root domain of STS's endpoint, e.g. `intl.tencentcloudapi.com`.
        #[must_use]
        pub fn root_domain(mut self, domain: impl Into<String>) -> Self {
            self.sts.root_domain = Some(domain.into());
            self
        }

        /// The role session name (default `tencentcloud-rs-<Unix time>`), shown in CloudAudit.
        #[must_use]
        pub fn session_name(mut self, name: impl Into<String>) -> Self {
            self.sts.session_name = Some(name.into());
            self
        }

        /// How long the temporary credentials live (default 2 hours, at most 12).
        #[must_use]
        pub fn duration(mut self, duration: std::time::Duration) -> Self {
            self.sts.duration = duration;
            self
        }

        /// See [`CredentialsCache::refresh_margin`](crate::credentials::CredentialsCache::refresh_margin).
        #[must_use]
        pub fn refresh_margin(mut self, margin: std::time::Duration) -> Self {
            self.sts.margin = Some(margin);
            self
        }

        /// See [`CredentialsCache::clock`](crate::credentials::CredentialsCache::clock).
        #[must_use]
        pub fn clock(mut self, clock: std::sync::Arc<dyn crate::clock::Clock>) -> Self {
            self.sts.clock = Some(clock);
            self
        }
    };
}
pub(crate) use sts_setters;

/// Credentials of a CAM role (`qcs::cam::uin/<account>:roleName/<name>`), obtained with STS
/// `AssumeRole` signed by source credentials (what `tccli --role-arn` does), cached and
/// refreshed before they expire.
#[derive(Clone, Debug)]
pub struct AssumeRoleProvider {
    cache: CredentialsCache,
}

/// Builds an [`AssumeRoleProvider`].
pub struct AssumeRoleProviderBuilder {
    role_arn: String,
    source: Arc<dyn ProvideCredentials>,
    policy: Option<String>,
    external_id: Option<String>,
    sts: StsSettings,
}

impl std::fmt::Debug for AssumeRoleProviderBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AssumeRoleProviderBuilder")
            .field("role_arn", &self.role_arn)
            .field("sts", &self.sts)
            .finish_non_exhaustive()
    }
}

impl AssumeRoleProvider {
    /// A builder assuming `role_arn` with the credentials `source` provides.
    pub fn builder(
        role_arn: impl Into<String>,
        source: impl ProvideCredentials + 'static,
    ) -> AssumeRoleProviderBuilder {
        AssumeRoleProviderBuilder {
            role_arn: role_arn.into(),
            source: Arc::new(source),
            policy: None,
            external_id: None,
            sts: StsSettings::default(),
        }
    }
}

impl AssumeRoleProviderBuilder {
    sts_setters!();

    /// A policy (JSON) narrowing the role's permissions for this session; sent URL-encoded,
    /// as STS requires.
    #[must_use]
    pub fn policy(mut self, policy_json: impl Into<String>) -> Self {
        self.policy = Some(policy_json.into());
        self
    }

    /// The external id the role's trust policy requires, if any.
    #[must_use]
    pub fn external_id(mut self, id: impl Into<String>) -> Self {
        self.external_id = Some(id.into());
        self
    }

    /// Checks the settings; nothing is fetched until credentials are first asked for.
    pub fn build(self) -> Result<AssumeRoleProvider, ConfigError> {
        let mut body = json!({
            "RoleArn": self.role_arn,
            "RoleSessionName": self.sts.session_name()?,
            "DurationSeconds": self.sts.duration_seconds()?,
        });
        if let Some(policy) = &self.policy {
            let encoded =
                percent_encoding::utf8_percent_encode(policy, percent_encoding::NON_ALPHANUMERIC);
            body["Policy"] = Value::String(encoded.to_string());
        }
        if let Some(id) = self.external_id {
            body["ExternalId"] = Value::String(id);
        }
        let config = self
            .sts
            .config(ConfigBuilder::default().credentials_provider(SharedSource(self.source)))?;
        let origin = format!("STS AssumeRole of {}", self.role_arn);
        let fetch = AssumeRoleFetch {
            client: Client::new(&config),
            body,
            origin: origin.clone(),
        };
        Ok(AssumeRoleProvider {
            cache: self.sts.cache(fetch, origin),
        })
    }
}

impl ProvideCredentials for AssumeRoleProvider {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        self.cache.provide_credentials()
    }
}

/// The source provider behind an `Arc`, so the builder's caller keeps nothing borrowed.
struct SharedSource(Arc<dyn ProvideCredentials>);

impl ProvideCredentials for SharedSource {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        self.0.provide_credentials()
    }
}

struct AssumeRoleFetch {
    client: Client,
    body: Value,
    origin: String,
}

impl ProvideCredentials for AssumeRoleFetch {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        Box::pin(assume(&self.client, "AssumeRole", &self.body, &self.origin))
    }
}

/// The part of an STS answer that carries credentials.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct StsAnswer {
    credentials: StsCredentials,
    expired_time: u64,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct StsCredentials {
    tmp_secret_id: String,
    tmp_secret_key: String,
    token: String,
}

/// Calls an STS action returning credentials and reads them with their expiry. STS actions
/// mint new credentials and change nothing, so they are retried like reads.
pub(crate) async fn assume(
    client: &Client,
    action: &str,
    body: &Value,
    origin: &str,
) -> Result<Credentials, CredentialsError> {
    let fetch_error = |message: String| CredentialsError::Fetch {
        origin: origin.to_owned(),
        message,
    };
    let body = serde_json::to_vec(body).map_err(|e| fetch_error(e.to_string()))?;
    let response = client
        .invoke(Operation {
            service: SERVICE,
            version: VERSION,
            action,
            region_required: true,
            repeatability: Repeatability::Read,
            body,
            host: None,
            options: crate::CallOptions::default(),
        })
        .await
        .map_err(|e| fetch_error(e.to_string()))?;
    let answer = StsAnswer::deserialize(&response)
        .map_err(|e| fetch_error(format!("the answer holds no credentials: {e}")))?;
    let creds = Credentials::from_source(
        answer.credentials.tmp_secret_id,
        answer.credentials.tmp_secret_key,
        Some(answer.credentials.token),
        origin,
    )?;
    Ok(creds.with_expiry(SystemTime::UNIX_EPOCH + Duration::from_secs(answer.expired_time)))
}
