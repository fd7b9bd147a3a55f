//! Client configuration: credentials, region, endpoint, timeouts, retries and the HTTP pool.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, OnceLock, RwLock};
use std::time::Duration;

use crate::clock::{Clock, Jitter, RandomJitter, SystemClock};
use crate::credentials::chain::Resolved;
use crate::credentials::{
    Credentials, CredentialsError, DefaultCredentialsChain, EnvLookup, ProvideCredentials,
    process_env,
};
use crate::retry::{RetryBudgets, RetryConfig, TokenBucket};
use crate::signer::Signer;
use crate::transport::{Direct, Http, Origin, Transport, via_reqwest};
use reqwest::header::HeaderValue;

mod endpoint;

pub use endpoint::Endpoint;
pub(crate) use endpoint::redacted;

/// The `X-TC-Language` sent with every request: the language of error messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Language {
    /// `en-US`
    EnUs,
    /// `zh-CN`
    ZhCn,
}

impl Language {
    /// The header value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::EnUs => "en-US",
            Self::ZhCn => "zh-CN",
        }
    }
}

/// A configuration value that cannot work.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The endpoint override is not a usable base URL.
    #[error("invalid endpoint {endpoint:?}: {reason}")]
    InvalidEndpoint {
        /// The endpoint as given, with user info and any query or fragment replaced by `***`.
        endpoint: String,
        /// What is wrong.
        reason: String,
    },
    /// The proxy is not a usable HTTP(S) proxy URL.
    #[error("invalid proxy {proxy:?}: {reason}")]
    InvalidProxy {
        /// The proxy as given, with user info replaced by `***`.
        proxy: String,
        /// What is wrong.
        reason: String,
    },
    /// The region is not a region name.
    #[error("invalid region {region:?}: {reason}")]
    InvalidRegion {
        /// The region as given.
        region: String,
        /// What is wrong.
        reason: String,
    },
    /// A setting is out of its range.
    #[error("invalid {setting}: {reason}")]
    InvalidSetting {
        /// The setting, e.g. `role session duration`.
        setting: &'static str,
        /// What it must be.
        reason: String,
    },
    /// The root domain is not a lower-case DNS name of two labels or more.
    #[error(
        "invalid root domain {domain:?}: expected a lower-case DNS name such as intl.tencentcloudapi.com"
    )]
    InvalidRootDomain {
        /// The domain as given.
        domain: String,
    },
    /// The request-client suffix cannot be sent as a header.
    #[error("invalid request client {value:?}: {reason}")]
    InvalidRequestClient {
        /// The suffix as given.
        value: String,
        /// What is wrong.
        reason: String,
    },
    /// No credentials were configured.
    #[error(
        "no credentials configured: call ConfigBuilder::credentials or \
         credentials_provider, or use Config::from_env"
    )]
    MissingCredentials,
    /// Loading credentials failed.
    #[error(transparent)]
    Credentials(#[from] CredentialsError),
    /// The HTTP client could not be built.
    #[error("cannot build the HTTP client: {0}")]
    HttpClient(String),
}

pub(crate) struct ConfigInner {
    /// `None`: requests go unsigned (`Authorization: SKIP`).
    pub(crate) credentials: Option<Arc<dyn ProvideCredentials>>,
    pub(crate) region: Option<String>,
    pub(crate) endpoint: Option<Endpoint>,
    /// The endpoint override's origin, computed once.
    pub(crate) endpoint_origin: Option<Arc<Origin>>,
    /// Each service's origin, without an endpoint override.
    pub(crate) origins: RwLock<HashMap<String, Arc<Origin>>>,
    pub(crate) regional_endpoint: bool,
    pub(crate) root_domain: String,
    pub(crate) sign_action: bool,
    pub(crate) language: Option<Language>,
    pub(crate) connect_timeout: Duration,
    pub(crate) attempt_timeout: Duration,
    pub(crate) operation_timeout: Option<Duration>,
    pub(crate) retry: RetryConfig,
    pub(crate) request_client: String,
    /// `region` and `request_client` as headers, checked once.
    pub(crate) region_header: Option<HeaderValue>,
    pub(crate) request_client_header: HeaderValue,
    pub(crate) max_response_bytes: usize,
    pub(crate) stream_idle_timeout: Duration,
    pub(crate) http: Http,
    /// The reqwest client streams are read through when `http` is the direct transport, built
    /// at the first streaming call.
    stream_http: OnceLock<Result<reqwest::Client, String>>,
    loopback: bool,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) jitter: Arc<dyn Jitter>,
    pub(crate) budgets: RetryBudgets,
    pub(crate) signer: Signer,
}

/// What a call to one service needs from its configuration beyond the settings: the origin
/// (with its connection pool) and the service's retry budget.
#[derive(Clone)]
pub(crate) struct ServiceRoute {
    pub(crate) service: Box<str>,
    pub(crate) origin: Arc<Origin>,
    pub(crate) budget: Arc<TokenBucket>,
}

/// Everything a client needs; cheap to clone (clones share the HTTP connection pool, the
/// derived-key cache and the retry budgets, one per service). `Debug` never shows credentials.
#[derive(Clone)]
pub struct Config {
    pub(crate) inner: Arc<ConfigInner>,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = &self.inner;
        f.debug_struct("Config")
            .field("credentials", &"** redacted **")
            .field("region", &c.region)
            .field("endpoint", &c.endpoint.as_ref().map(|e| e.url.as_str()))
            .field("regional_endpoint", &c.regional_endpoint)
            .field("root_domain", &c.root_domain)
            .field("sign_action", &c.sign_action)
            .field("language", &c.language)
            .field("connect_timeout", &c.connect_timeout)
            .field("attempt_timeout", &c.attempt_timeout)
            .field("operation_timeout", &c.operation_timeout)
            .field("retry", &c.retry)
            .field("request_client", &c.request_client)
            .field("max_response_bytes", &c.max_response_bytes)
            .field("stream_idle_timeout", &c.stream_idle_timeout)
            .field("transport", &c.http.transport())
            .finish_non_exhaustive()
    }
}

/// Default limit on establishing a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Default limit on one attempt: connecting, sending and reading the whole answer.
pub const DEFAULT_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default limit on a whole call, retries and backoff included: the longest a call can take
/// with the default settings, even against a server that never answers.
pub const DEFAULT_OPERATION_TIMEOUT: Duration = Duration::from_secs(60);
const DEFAULT_ROOT_DOMAIN: &str = "tencentcloudapi.com";
const REGION_VAR: &str = "TENCENTCLOUD_REGION";
const ENDPOINT_VAR: &str = "TENCENTCLOUD_ENDPOINT";
/// Services whose origins (and with them idle connections) a configuration keeps; the catalog
/// has about 260. Any beyond are computed per call, their connections closed after it.
const MAX_KEPT_ORIGINS: usize = 1024;
const DEFAULT_MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;
/// Default limit on the wait for the next event of a stream.
pub const DEFAULT_STREAM_IDLE_TIMEOUT: Duration = Duration::from_secs(60);
const REQUEST_CLIENT: &str = concat!("tencentcloud-rs/", env!("CARGO_PKG_VERSION"));
const MAX_REQUEST_CLIENT_LEN: usize = 128;

impl Config {
    /// A builder with defaults: no region, public endpoints, 5 s connect timeout, 30 s attempt
    /// timeout, 60 s operation deadline, [`RetryConfig::default`]. Against a server that
    /// accepts connections and never answers, a call then ends after at most 60 s: a read
    /// after its first attempt times out at 30 s and its retry is cut at the deadline; a write
    /// that is not safe to repeat after 30 s, not retried.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// [`ConfigBuilder::from_env`], built with the defaults for everything else.
    pub fn from_env() -> Result<Self, ConfigError> {
        ConfigBuilder::from_env()?.build()
    }

    /// The region, if configured.
    pub fn region(&self) -> Option<&str> {
        self.inner.region.as_deref()
    }

    /// The endpoint override, if configured.
    pub fn endpoint(&self) -> Option<&Endpoint> {
        self.inner.endpoint.as_ref()
    }

    /// The retry settings.
    pub fn retry(&self) -> &RetryConfig {
        &self.inner.retry
    }

    /// The `X-TC-RequestClient` value.
    pub fn request_client(&self) -> &str {
        &self.inner.request_client
    }

    /// The `Host` a request to `service` goes to.
    pub fn host_for(&self, service: &str) -> String {
        self.host_in(service, self.inner.region.as_deref())
    }

    /// The `Host` a request to `service` in `region` goes to.
    fn host_in(&self, service: &str, region: Option<&str>) -> String {
        let c = &self.inner;
        let root = &c.root_domain;
        match (&c.endpoint, c.regional_endpoint, region) {
            (Some(endpoint), _, _) => endpoint.host.clone(),
            (None, true, Some(region)) => format!("{service}.{region}.{root}"),
            _ => format!("{service}.{root}"),
        }
    }

    /// Where a request to `service` is sent: the endpoint override's origin, or the service's
    /// own, computed on its first call and kept (for at most [`MAX_KEPT_ORIGINS`] services).
    /// A call setting its own `region` picks the host of that region when endpoints are
    /// regional.
    pub(crate) fn origin_for(
        &self,
        service: &str,
        region: Option<&str>,
    ) -> Result<Arc<Origin>, String> {
        let inner = &self.inner;
        if let Some(origin) = &inner.endpoint_origin {
            return Ok(origin.clone());
        }
        let (key, region) = match region {
            Some(region) if inner.regional_endpoint => {
                (Cow::Owned(format!("{service}@{region}")), Some(region))
            }
            _ => (Cow::Borrowed(service), inner.region.as_deref()),
        };
        let kept = inner.origins.read().unwrap_or_else(|e| e.into_inner());
        if let Some(origin) = kept.get(key.as_ref()) {
            return Ok(origin.clone());
        }
        drop(kept);
        let host = self.host_in(service, region);
        let origin = Arc::new(Origin::new(true, host.clone(), 443, host)?);
        let mut kept = inner.origins.write().unwrap_or_else(|e| e.into_inner());
        if kept.len() < MAX_KEPT_ORIGINS {
            kept.insert(key.into_owned(), origin.clone());
        }
        Ok(origin)
    }

    /// The reqwest client streams are read through: the configured one, or one of the same
    /// settings (no proxy applies, or the configuration would use reqwest already).
    pub(crate) fn streaming_http(&self) -> Result<&reqwest::Client, String> {
        let inner = &self.inner;
        if let Http::Reqwest(http) = &inner.http {
            return Ok(http);
        }
        inner
            .stream_http
            .get_or_init(|| {
                via_reqwest::client(None, None, inner.loopback, inner.connect_timeout)
                    .map_err(|e| e.to_string())
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Where calls to `service` go and the retry budget they draw on, looked up together.
    pub(crate) fn route_for(&self, service: &str) -> Result<ServiceRoute, String> {
        self.route_in(service, None)
    }

    /// [`route_for`](Self::route_for) a call that sets its own `region`.
    pub(crate) fn route_in(
        &self,
        service: &str,
        region: Option<&str>,
    ) -> Result<ServiceRoute, String> {
        Ok(ServiceRoute {
            service: service.into(),
            origin: self.origin_for(service, region)?,
            budget: self.inner.budgets.for_service(service),
        })
    }
}

/// Builds a [`Config`].
#[derive(Default)]
pub struct ConfigBuilder {
    credentials: Option<Arc<dyn ProvideCredentials>>,
    unsigned: bool,
    region: Option<String>,
    endpoint: Option<String>,
    regional_endpoint: bool,
    root_domain: Option<String>,
    sign_action: bool,
    language: Option<Language>,
    connect_timeout: Option<Duration>,
    attempt_timeout: Option<Duration>,
    operation_timeout: Option<Duration>,
    retry: Option<RetryConfig>,
    request_client: Option<String>,
    max_response_bytes: Option<usize>,
    stream_idle_timeout: Option<Duration>,
    proxy: Option<String>,
    no_proxy: Option<String>,
    transport: Transport,
    clock: Option<Arc<dyn Clock>>,
    jitter: Option<Arc<dyn Jitter>>,
}

impl fmt::Debug for ConfigBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfigBuilder")
            .field("region", &self.region)
            .field("endpoint", &self.endpoint)
            .finish_non_exhaustive()
    }
}

impl ConfigBuilder {
    /// A builder preloaded from the environment, to chain further settings on (endpoint,
    /// timeouts, retries) before [`build`](Self::build): credentials from the environment or
    /// the profile file, read now; when neither has any, the rest of the
    /// [`DefaultCredentialsChain`] (TKE web identity, CVM instance role), asked at the first
    /// call, whose error lists every source tried; the region from `TENCENTCLOUD_REGION`, else the
    /// `region` of the profile section the credentials came from; the endpoint override from
    /// `TENCENTCLOUD_ENDPOINT`, if set.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_env_with(process_env())
    }

    /// [`from_env`](Self::from_env), reading variables through `lookup`.
    pub fn from_env_with(lookup: EnvLookup) -> Result<Self, ConfigError> {
        let chain = DefaultCredentialsChain::with_lookup(lookup.clone());
        let (mut builder, profile_region) = match chain.resolve_local()? {
            Resolved::Fixed(credentials, region) => {
                (Self::default().credentials(credentials), region)
            }
            Resolved::Remote(chain) => (Self::default().credentials_provider(chain), None),
        };
        if let Some(region) = lookup(REGION_VAR).or(profile_region) {
            builder = builder.region(region);
        }
        if let Some(endpoint) = lookup(ENDPOINT_VAR) {
            builder = builder.endpoint(endpoint);
        }
        Ok(builder)
    }

    /// Fixed credentials.
    #[must_use]
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(Arc::new(credentials));
        self
    }

    /// A provider asked once per operation.
    #[must_use]
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.credentials = Some(Arc::new(provider));
        self
    }

    /// Sends requests without a signature (`Authorization: SKIP`) and without credentials (any
    /// configured are ignored), for
    /// the few actions Tencent Cloud accepts only that way: STS `AssumeRoleWithWebIdentity`
    /// and `AssumeRoleWithSAML`, where the token in the request is the proof of identity.
    #[must_use]
    pub fn without_signing(mut self) -> Self {
        self.unsigned = true;
        self.credentials = None;
        self
    }

    /// The region sent as `X-TC-Region`, e.g. `ap-guangzhou`.
    #[must_use]
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Sends every service's requests to this base URL (`https://host[:port]`, or `http://...`
    /// for plain HTTP). The signature still names the API's service.
    #[must_use]
    pub fn endpoint(mut self, endpoint: impl AsRef<str>) -> Self {
        self.endpoint = Some(endpoint.as_ref().to_owned());
        self
    }

    /// The domain under which every service has its endpoint (default `tencentcloudapi.com`);
    /// `intl.tencentcloudapi.com` reaches the international site. An endpoint override wins.
    #[must_use]
    pub fn root_domain(mut self, domain: impl Into<String>) -> Self {
        self.root_domain = Some(domain.into());
        self
    }

    /// Uses `{service}.{region}.{root domain}` when a region is set (lower latency, and
    /// required by some services for region-bound resources).
    #[must_use]
    pub fn regional_endpoint(mut self, regional: bool) -> Self {
        self.regional_endpoint = regional;
        self
    }

    /// Also signs the `X-TC-Action` header (`SignedHeaders=content-type;host;x-tc-action`, as in
    /// the current edition of Tencent's signature document), so a captured signature cannot be
    /// replayed against another action. Off by default: `content-type;host` is what every
    /// official SDK signs.
    #[must_use]
    pub fn sign_action_header(mut self, sign: bool) -> Self {
        self.sign_action = sign;
        self
    }

    /// The language of error messages (`X-TC-Language`).
    #[must_use]
    pub fn language(mut self, language: Language) -> Self {
        self.language = Some(language);
        self
    }

    /// Limit on establishing a connection (default [`DEFAULT_CONNECT_TIMEOUT`], 5 s).
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Limit on one attempt: connecting, sending and reading the whole answer (default
    /// [`DEFAULT_ATTEMPT_TIMEOUT`], 30 s).
    #[must_use]
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = Some(timeout);
        self
    }

    /// Limit on the whole operation including fetching credentials, retries and backoff
    /// (default [`DEFAULT_OPERATION_TIMEOUT`], 60 s; `Duration::MAX` means no limit).
    #[must_use]
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.operation_timeout = Some(timeout);
        self
    }

    /// Retry settings.
    #[must_use]
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Appended to `X-TC-RequestClient` (after `tencentcloud-rs/<version> `), to tell your
    /// application's calls apart in Tencent Cloud's logs.
    #[must_use]
    pub fn request_client(mut self, suffix: impl Into<String>) -> Self {
        self.request_client = Some(suffix.into());
        self
    }

    /// Largest response body accepted (default 16 MiB); larger bodies become
    /// [`ResponseErrorKind::TooLarge`](crate::error::ResponseErrorKind::TooLarge). For a
    /// stream of events, the largest event.
    #[must_use]
    pub fn max_response_bytes(mut self, max: usize) -> Self {
        self.max_response_bytes = Some(max);
        self
    }

    /// Limit on the wait for the next event of a stream (`send_stream()`), which ends the
    /// stream with [`StreamErrorKind::IdleTimeout`](crate::StreamErrorKind::IdleTimeout)
    /// (default [`DEFAULT_STREAM_IDLE_TIMEOUT`], 60 s). The attempt and operation timeouts
    /// cover a stream until its answer begins; a stream then lasts as long as events keep
    /// coming.
    #[must_use]
    pub fn stream_idle_timeout(mut self, timeout: Duration) -> Self {
        self.stream_idle_timeout = Some(timeout);
        self
    }

    /// Sends every request through this HTTP(S) proxy (`http://host:port`, with
    /// `user:password@` for proxy authentication). Without this setting the standard variables
    /// apply (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY`, upper or lower case),
    /// except for an endpoint on this machine (the emulator); with it they are ignored.
    #[must_use]
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Some(url.into());
        self
    }

    /// The HTTP client requests go through (default [`Transport::Direct`], which hands over
    /// to [`Transport::Reqwest`] whenever a proxy applies).
    #[must_use]
    pub fn transport(mut self, transport: Transport) -> Self {
        self.transport = transport;
        self
    }

    /// Hosts reached directly, not through [`proxy`](Self::proxy): a comma-separated list in
    /// `NO_PROXY` syntax (`localhost,.internal.example,10.0.0.0/8`).
    #[must_use]
    pub fn no_proxy(mut self, hosts: impl Into<String>) -> Self {
        self.no_proxy = Some(hosts.into());
        self
    }

    /// Replaces the wall clock and timer (for deterministic tests).
    #[must_use]
    pub fn clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Some(Arc::new(clock));
        self
    }

    /// Replaces the backoff jitter source (for deterministic tests).
    #[must_use]
    pub fn jitter(mut self, jitter: impl Jitter + 'static) -> Self {
        self.jitter = Some(Arc::new(jitter));
        self
    }

    /// Checks every setting and creates the HTTP connection pool.
    pub fn build(self) -> Result<Config, ConfigError> {
        let credentials = match (self.credentials, self.unsigned) {
            (_, true) => None,
            (Some(credentials), false) => Some(credentials),
            (None, false) => return Err(ConfigError::MissingCredentials),
        };
        if let Some(region) = &self.region {
            check_region(region)?;
        }
        let endpoint = self.endpoint.as_deref().map(Endpoint::parse).transpose()?;
        let root_domain = self
            .root_domain
            .clone()
            .unwrap_or_else(|| DEFAULT_ROOT_DOMAIN.to_owned());
        check_root_domain(&root_domain)?;
        let request_client = match &self.request_client {
            None => REQUEST_CLIENT.to_owned(),
            Some(suffix) => request_client_with(suffix)?,
        };
        let connect_timeout = self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT);
        let loopback = endpoint.as_ref().is_some_and(Endpoint::is_loopback);
        let plain_http = endpoint.as_ref().is_some_and(|e| e.url.scheme() == "http");
        let proxied =
            self.proxy.is_some() || (!loopback && via_reqwest::proxy_variable_set(plain_http));
        let http = if self.transport == Transport::Reqwest || proxied {
            Http::Reqwest(via_reqwest::client(
                self.proxy.as_deref(),
                self.no_proxy.as_deref(),
                loopback,
                connect_timeout,
            )?)
        } else {
            Http::Direct(Direct::new(connect_timeout))
        };
        let region_header = self
            .region
            .as_deref()
            .map(HeaderValue::from_str)
            .transpose()
            .map_err(|e| ConfigError::HttpClient(format!("region header: {e}")))?;
        let request_client_header = HeaderValue::from_str(&request_client)
            .map_err(|e| ConfigError::HttpClient(format!("request client header: {e}")))?;
        let endpoint_origin = match &endpoint {
            None => None,
            Some(endpoint) => Some(Arc::new(endpoint.origin().map_err(|reason| {
                ConfigError::InvalidEndpoint {
                    endpoint: endpoint.host.clone(),
                    reason,
                }
            })?)),
        };
        let retry = self.retry.unwrap_or_default();
        Ok(Config {
            inner: Arc::new(ConfigInner {
                credentials,
                region: self.region,
                endpoint,
                endpoint_origin,
                origins: RwLock::default(),
                regional_endpoint: self.regional_endpoint,
                root_domain,
                sign_action: self.sign_action,
                language: self.language,
                connect_timeout,
                attempt_timeout: self.attempt_timeout.unwrap_or(DEFAULT_ATTEMPT_TIMEOUT),
                operation_timeout: Some(
                    self.operation_timeout.unwrap_or(DEFAULT_OPERATION_TIMEOUT),
                ),
                budgets: RetryBudgets::new(retry.budget_config()),
                retry,
                request_client,
                region_header,
                request_client_header,
                max_response_bytes: self
                    .max_response_bytes
                    .unwrap_or(DEFAULT_MAX_RESPONSE_BYTES),
                stream_idle_timeout: self
                    .stream_idle_timeout
                    .unwrap_or(DEFAULT_STREAM_IDLE_TIMEOUT),
                http,
                stream_http: OnceLock::new(),
                loopback,
                clock: self.clock.unwrap_or_else(|| Arc::new(SystemClock)),
                jitter: self.jitter.unwrap_or_else(|| Arc::new(RandomJitter)),
                signer: Signer::new(),
            }),
        })
    }
}

fn check_root_domain(domain: &str) -> Result<(), ConfigError> {
    let valid_label = |label: &str| {
        !label.is_empty()
            && label
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    if domain.split('.').count() >= 2 && domain.split('.').all(valid_label) {
        Ok(())
    } else {
        Err(ConfigError::InvalidRootDomain {
            domain: domain.to_owned(),
        })
    }
}

fn check_region(region: &str) -> Result<(), ConfigError> {
    let invalid = |reason: &str| ConfigError::InvalidRegion {
        region: region.to_owned(),
        reason: reason.to_owned(),
    };
    if region.is_empty() {
        return Err(invalid("empty"));
    }
    if !region
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(invalid(
            "only lowercase letters, digits and '-' are allowed (e.g. ap-guangzhou)",
        ));
    }
    Ok(())
}

fn request_client_with(suffix: &str) -> Result<String, ConfigError> {
    let invalid = |reason: &str| ConfigError::InvalidRequestClient {
        value: suffix.to_owned(),
        reason: reason.to_owned(),
    };
    if suffix.is_empty() || suffix.trim() != suffix {
        return Err(invalid("empty or surrounded by whitespace"));
    }
    if !suffix.bytes().all(|b| b.is_ascii_graphic() || b == b' ') {
        return Err(invalid("only printable ASCII is allowed"));
    }
    let value = format!("{REQUEST_CLIENT} {suffix}");
    if value.len() > MAX_REQUEST_CLIENT_LEN {
        return Err(invalid(&format!(
            "too long: the header may hold {MAX_REQUEST_CLIENT_LEN} bytes"
        )));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::fixed_env;

    fn creds() -> Credentials {
        Credentials::new("AKIDtest", "secretvalue").unwrap()
    }

    #[test]
    fn endpoint_override_keeps_port_in_host_and_plain_http_only_when_written() {
        let e = Endpoint::parse("http://127.0.0.1:9000").unwrap();
        assert_eq!(e.host(), "127.0.0.1:9000");
        assert_eq!(e.url(), "http://127.0.0.1:9000/");
        let e = Endpoint::parse("cvm.internal.example:8443").unwrap();
        assert!(e.url().starts_with("https://"), "{}", e.url());
        assert_eq!(e.host(), "cvm.internal.example:8443");
        assert_eq!(
            Endpoint::parse("https://h.example:443").unwrap().host(),
            "h.example"
        );
    }

    #[test]
    fn each_service_origin_is_computed_once_and_carries_its_host_header() {
        let config = Config::builder()
            .without_signing()
            .region("ap-guangzhou")
            .build()
            .unwrap();
        let cvm = config.origin_for("cvm", None).unwrap();
        assert!(Arc::ptr_eq(&cvm, &config.origin_for("cvm", None).unwrap()));
        assert_eq!((cvm.tls, cvm.port), (true, 443));
        assert_eq!(cvm.host_header, "cvm.tencentcloudapi.com");
        assert_eq!(
            config.origin_for("vpc", None).unwrap().authority,
            "vpc.tencentcloudapi.com"
        );
        let local = Config::builder()
            .without_signing()
            .endpoint("http://[::1]:8080")
            .build()
            .unwrap();
        let origin = local.origin_for("cvm", None).unwrap();
        assert_eq!(
            (origin.tls, origin.host.as_str(), origin.port),
            (false, "::1", 8080)
        );
        assert_eq!(origin.host_header, "[::1]:8080");
    }

    #[test]
    fn loopback_endpoints_are_recognised_for_proxy_bypass() {
        for endpoint in [
            "http://127.0.0.1:9000",
            "http://localhost:1",
            "http://[::1]:80",
        ] {
            assert!(
                Endpoint::parse(endpoint).unwrap().is_loopback(),
                "{endpoint}"
            );
        }
        assert!(
            !Endpoint::parse("https://cvm.tencentcloudapi.com")
                .unwrap()
                .is_loopback()
        );
    }

    #[test]
    fn bad_endpoints_are_rejected_with_a_reason() {
        for (endpoint, reason) in [
            ("ftp://h", "scheme must be https or http"),
            (
                "https://h/v3",
                "only scheme, host and port are allowed (API 3.0 posts to /)",
            ),
        ] {
            assert_eq!(
                Endpoint::parse(endpoint),
                Err(ConfigError::InvalidEndpoint {
                    endpoint: endpoint.to_owned(),
                    reason: reason.to_owned()
                })
            );
        }
        assert!(Endpoint::parse("http://").is_err());
    }

    #[test]
    fn endpoint_errors_never_echo_user_info_or_a_query() {
        for (endpoint, shown) in [
            ("http://AKIDid:s3cr3tkey@host", "http://***@host"),
            ("https://user@host:8443", "https://***@host:8443"),
            ("host?token=s3cr3tkey", "host***"),
            ("https://host/x?sig=s3cr3tkey#frag", "https://host/x***"),
            ("https://a:b@host/p?q=s3cr3tkey", "https://***@host/p***"),
        ] {
            let error = Endpoint::parse(endpoint).unwrap_err();
            let ConfigError::InvalidEndpoint { endpoint: kept, .. } = &error else {
                panic!("{error:?}");
            };
            assert_eq!(kept, shown);
            let message = format!("{error} {error:?}");
            assert!(
                !message.contains("s3cr3tkey") && !message.contains("AKIDid"),
                "{message}"
            );
        }
    }

    #[test]
    fn hosts_follow_service_region_and_override() {
        let global = Config::builder()
            .credentials(creds())
            .region("ap-guangzhou")
            .build()
            .unwrap();
        assert_eq!(global.host_for("cvm"), "cvm.tencentcloudapi.com");
        let regional = Config::builder()
            .credentials(creds())
            .region("ap-guangzhou")
            .regional_endpoint(true)
            .build()
            .unwrap();
        assert_eq!(
            regional.host_for("cvm"),
            "cvm.ap-guangzhou.tencentcloudapi.com"
        );
        let local = Config::builder()
            .credentials(creds())
            .endpoint("http://127.0.0.1:9000")
            .build()
            .unwrap();
        assert_eq!(local.host_for("gaap"), "127.0.0.1:9000");
    }

    #[test]
    fn build_without_credentials_says_how_to_fix_it() {
        let err = Config::builder().build().unwrap_err();
        assert_eq!(err, ConfigError::MissingCredentials);
        assert!(err.to_string().contains("Config::from_env"));
    }

    #[test]
    fn invalid_region_and_request_client_are_rejected() {
        assert!(matches!(
            Config::builder()
                .credentials(creds())
                .region("AP Guangzhou")
                .build(),
            Err(ConfigError::InvalidRegion { .. })
        ));
        assert!(matches!(
            Config::builder()
                .credentials(creds())
                .request_client("app\n")
                .build(),
            Err(ConfigError::InvalidRequestClient { .. })
        ));
        let ok = Config::builder()
            .credentials(creds())
            .request_client("my-app/1.2")
            .build()
            .unwrap();
        assert_eq!(
            ok.request_client(),
            concat!("tencentcloud-rs/", env!("CARGO_PKG_VERSION"), " my-app/1.2")
        );
    }

    #[test]
    fn from_env_reads_credentials_and_region_without_touching_process_env() {
        let lookup = fixed_env(&[
            ("TENCENTCLOUD_SECRET_ID", "AKIDenv"),
            ("TENCENTCLOUD_SECRET_KEY", "keyenv"),
            ("TENCENTCLOUD_REGION", "ap-shanghai"),
        ]);
        let config = ConfigBuilder::from_env_with(lookup)
            .unwrap()
            .build()
            .unwrap();
        assert_eq!(config.region(), Some("ap-shanghai"));
    }

    #[test]
    fn from_env_takes_the_region_of_the_profile_section_and_the_endpoint_variable() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("credentials");
        std::fs::write(
            &path,
            "[default]\nsecret_id = AKIDfile\nsecret_key = keyfile\nregion = ap-singapore\n",
        )
        .unwrap();
        let path = path.display().to_string();
        let from_profile = ConfigBuilder::from_env_with(fixed_env(&[
            ("TENCENTCLOUD_CREDENTIALS_FILE", &path),
            ("TENCENTCLOUD_ENDPOINT", "http://127.0.0.1:9000"),
        ]))
        .unwrap()
        .attempt_timeout(Duration::from_secs(3))
        .build()
        .unwrap();
        assert_eq!(from_profile.region(), Some("ap-singapore"));
        assert_eq!(from_profile.host_for("cvm"), "127.0.0.1:9000");
        let variable_wins = ConfigBuilder::from_env_with(fixed_env(&[
            ("TENCENTCLOUD_CREDENTIALS_FILE", &path),
            ("TENCENTCLOUD_REGION", "ap-tokyo"),
        ]))
        .unwrap()
        .build()
        .unwrap();
        assert_eq!(variable_wins.region(), Some("ap-tokyo"));
    }

    #[test]
    fn the_root_domain_sets_every_service_host() {
        let intl = Config::builder()
            .credentials(creds())
            .root_domain("intl.tencentcloudapi.com")
            .region("ap-singapore")
            .regional_endpoint(true)
            .build()
            .unwrap();
        assert_eq!(
            intl.host_for("cvm"),
            "cvm.ap-singapore.intl.tencentcloudapi.com"
        );
        for bad in ["", "com", "Intl.TencentCloudAPI.com", "a..b", "x.y/z"] {
            let error = Config::builder()
                .credentials(creds())
                .root_domain(bad)
                .build()
                .unwrap_err();
            assert!(
                matches!(error, ConfigError::InvalidRootDomain { .. }),
                "{bad}: {error}"
            );
        }
    }

    #[test]
    fn debug_redacts_credentials() {
        let config = Config::builder()
            .credentials(
                Credentials::new("AKIDtest", "topsecretkey")
                    .unwrap()
                    .with_token("tok123")
                    .unwrap(),
            )
            .build()
            .unwrap();
        let debug = format!("{config:?}");
        assert!(
            !debug.contains("topsecretkey") && !debug.contains("tok123"),
            "{debug}"
        );
    }
}
