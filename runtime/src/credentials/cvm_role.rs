//! Temporary credentials of the CAM role bound to a CVM instance, from the instance metadata
//! service.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use serde::Deserialize;

use super::cache::CredentialsCache;
use super::{Credentials, CredentialsError, ProvideCredentials, ProvideCredentialsFuture};
use crate::clock::Clock;

/// Where the metadata service answers on every CVM instance.
pub const DEFAULT_METADATA_ENDPOINT: &str = "http://metadata.tencentyun.com";

const ROLE_PATH: &str = "/latest/meta-data/cam/security-credentials/";
/// The metadata service answers from the host in milliseconds; off CVM the name does not
/// resolve or nothing answers, and the default chain must give up quickly.
const DEFAULT_TIMEOUT: Duration = Duration::from_millis(500);
/// A role name and one credentials document are a few hundred bytes.
const MAX_ANSWER_BYTES: usize = 64 * 1024;

/// Credentials of the instance's CAM role (what `tccli --use-cvm-role` uses), cached and
/// refreshed before they expire ([`CredentialsCache`]). The role's name is asked of the
/// metadata service unless given. Requests never go through a proxy.
#[derive(Clone, Debug)]
pub struct CvmRoleProvider {
    cache: CredentialsCache,
}

/// Builds a [`CvmRoleProvider`].
#[derive(Debug)]
pub struct CvmRoleProviderBuilder {
    endpoint: String,
    role_name: Option<String>,
    timeout: Duration,
    margin: Option<Duration>,
    clock: Option<Arc<dyn Clock>>,
}

impl Default for CvmRoleProvider {
    fn default() -> Self {
        Self::new()
    }
}

impl CvmRoleProvider {
    /// The provider for the metadata service at [`DEFAULT_METADATA_ENDPOINT`].
    pub fn new() -> Self {
        Self::builder().build()
    }

    /// A builder with the defaults: [`DEFAULT_METADATA_ENDPOINT`], the role the metadata
    /// service names, a 0.5 s limit on each metadata request.
    pub fn builder() -> CvmRoleProviderBuilder {
        CvmRoleProviderBuilder {
            endpoint: DEFAULT_METADATA_ENDPOINT.to_owned(),
            role_name: None,
            timeout: DEFAULT_TIMEOUT,
            margin: None,
            clock: None,
        }
    }
}

impl CvmRoleProviderBuilder {
    /// The metadata service's base URL, e.g. `http://127.0.0.1:8080` for a local stand-in.
    #[must_use]
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = endpoint.into().trim_end_matches('/').to_owned();
        self
    }

    /// The role to fetch, skipping the request that asks which role is bound.
    #[must_use]
    pub fn role_name(mut self, role: impl Into<String>) -> Self {
        self.role_name = Some(role.into());
        self
    }

    /// Limit on each metadata request (default 0.5 s).
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// See [`CredentialsCache::refresh_margin`].
    #[must_use]
    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.margin = Some(margin);
        self
    }

    /// See [`CredentialsCache::clock`].
    #[must_use]
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = Some(clock);
        self
    }

    /// The provider. Nothing is fetched until credentials are first asked for.
    pub fn build(self) -> CvmRoleProvider {
        let origin = format!("CVM instance role (metadata service at {})", self.endpoint);
        let fetch = Fetch {
            http: reqwest::Client::builder()
                .no_proxy()
                .timeout(self.timeout)
                .connect_timeout(self.timeout)
                .redirect(reqwest::redirect::Policy::none())
                .build(),
            endpoint: self.endpoint,
            role_name: self.role_name,
            origin: origin.clone(),
        };
        let mut cache = CredentialsCache::new(fetch, origin);
        if let Some(margin) = self.margin {
            cache = cache.refresh_margin(margin);
        }
        if let Some(clock) = self.clock {
            cache = cache.clock(clock);
        }
        CvmRoleProvider { cache }
    }
}

impl ProvideCredentials for CvmRoleProvider {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        self.cache.provide_credentials()
    }
}

/// One uncached fetch from the metadata service.
struct Fetch {
    http: reqwest::Result<reqwest::Client>,
    endpoint: String,
    role_name: Option<String>,
    origin: String,
}

/// The document the metadata service answers for a role.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RoleCredentials {
    tmp_secret_id: String,
    tmp_secret_key: String,
    token: String,
    expired_time: u64,
    code: String,
}

/// An answer, or why there is none: `Absent` when no metadata service is reachable or it has
/// no role (not on CVM, or no role bound), so a chain can go on to report what it tried.
enum Failure {
    Absent(String),
    Broken(String),
}

impl Fetch {
    async fn get(&self, path: &str) -> Result<String, Failure> {
        let http = self
            .http
            .as_ref()
            .map_err(|e| Failure::Broken(format!("cannot build the HTTP client: {e}")))?;
        let url = format!("{}{path}", self.endpoint);
        let mut response = http.get(&url).send().await.map_err(|e| {
            let why = if e.is_timeout() {
                "no answer in time"
            } else if e.is_connect() {
                "cannot connect"
            } else {
                "request failed"
            };
            Failure::Absent(format!("{why} ({})", crate::error::source_chain(&e)))
        })?;
        let status = response.status();
        if status == reqwest::StatusCode::NOT_FOUND {
            return Err(Failure::Absent(
                "no CAM role is bound to this instance (HTTP 404)".to_owned(),
            ));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| Failure::Broken(format!("the answer broke off: {e}")))?
        {
            if body.len() + chunk.len() > MAX_ANSWER_BYTES {
                return Err(Failure::Broken(format!(
                    "the answer is larger than {MAX_ANSWER_BYTES} bytes"
                )));
            }
            body.extend_from_slice(&chunk);
        }
        if !status.is_success() {
            return Err(Failure::Broken(format!("HTTP {status} for {path}")));
        }
        String::from_utf8(body).map_err(|_| Failure::Broken("the answer is not UTF-8".to_owned()))
    }

    async fn fetch(&self) -> Result<Credentials, Failure> {
        let role = match &self.role_name {
            Some(role) => role.clone(),
            None => {
                let listing = self.get(ROLE_PATH).await?;
                listing.lines().next().unwrap_or_default().trim().to_owned()
            }
        };
        // CAM role names are letters, digits and `+=,.@_-`; anything else would change the URL.
        let role_char = |b: u8| b.is_ascii_alphanumeric() || b"+=,.@_-".contains(&b);
        if role.is_empty() || !role.bytes().all(role_char) {
            return Err(Failure::Broken(
                "the metadata service named no usable role".to_owned(),
            ));
        }
        let document = self.get(&format!("{ROLE_PATH}{role}")).await?;
        let answer: RoleCredentials = serde_json::from_str(&document).map_err(|e| {
            Failure::Broken(format!(
                "the credentials of role {role} are not the expected document: {e}"
            ))
        })?;
        if answer.code != "Success" {
            return Err(Failure::Broken(format!(
                "the metadata service refused the credentials of role {role} (Code {:?})",
                answer.code
            )));
        }
        let origin = format!("{} role {role}", self.origin);
        let creds = Credentials::from_source(
            answer.tmp_secret_id,
            answer.tmp_secret_key,
            Some(answer.token),
            &origin,
        )
        .map_err(|e| Failure::Broken(e.to_string()))?;
        Ok(creds.with_expiry(SystemTime::UNIX_EPOCH + Duration::from_secs(answer.expired_time)))
    }
}

impl ProvideCredentials for Fetch {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        Box::pin(async move {
            self.fetch().await.map_err(|failure| match failure {
                Failure::Absent(why) => CredentialsError::NotFound {
                    tried: vec![format!("{} ({why})", self.origin)],
                },
                Failure::Broken(message) => CredentialsError::Fetch {
                    origin: self.origin.clone(),
                    message,
                },
            })
        })
    }
}
