//! The endpoint override: the one base URL every service is sent to (a private endpoint, a
//! proxy, the emulator), parsed and checked once.

use super::ConfigError;
use crate::transport::Origin;

/// A base URL that replaces `https://{service}.tencentcloudapi.com` for every service.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    pub(super) url: reqwest::Url,
    pub(super) host: String,
}

impl Endpoint {
    /// Parses `https://host[:port]`, `http://host[:port]` (plain HTTP only when written out) or
    /// `host[:port]` (HTTPS).
    pub fn parse(endpoint: &str) -> Result<Self, ConfigError> {
        let invalid = |reason: &str| ConfigError::InvalidEndpoint {
            endpoint: redacted(endpoint),
            reason: reason.to_owned(),
        };
        let with_scheme = if endpoint.contains("://") {
            endpoint.to_owned()
        } else {
            format!("https://{endpoint}")
        };
        let url = reqwest::Url::parse(&with_scheme).map_err(|e| invalid(&e.to_string()))?;
        if url.scheme() != "https" && url.scheme() != "http" {
            return Err(invalid("scheme must be https or http"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(invalid("user info is not allowed"));
        }
        if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
            return Err(invalid(
                "only scheme, host and port are allowed (API 3.0 posts to /)",
            ));
        }
        let host_name = url.host_str().ok_or_else(|| invalid("host is missing"))?;
        let host = match url.port() {
            Some(port) => format!("{host_name}:{port}"),
            None => host_name.to_owned(),
        };
        Ok(Self { url, host })
    }

    /// Whether the host is this machine (`localhost`, `127.0.0.0/8`, `::1`).
    pub fn is_loopback(&self) -> bool {
        let host = self.url.host_str().unwrap_or_default();
        let bare = host.trim_start_matches('[').trim_end_matches(']');
        host.eq_ignore_ascii_case("localhost")
            || bare
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback())
    }

    /// The URL requests are posted to (`https://host[:port]/`).
    pub fn url(&self) -> &str {
        self.url.as_str()
    }

    /// The `Host` header value (host, plus the port when it is not the scheme's default).
    pub fn host(&self) -> &str {
        &self.host
    }

    pub(super) fn origin(&self) -> Result<Origin, String> {
        let host = self.url.host_str().ok_or("the host is missing")?;
        let port = self
            .url
            .port_or_known_default()
            .ok_or("the port is missing")?;
        Origin::new(
            self.url.scheme() == "https",
            host.trim_start_matches('[')
                .trim_end_matches(']')
                .to_owned(),
            port,
            self.host.clone(),
        )
    }
}

/// `endpoint` as an error may show it: user info (`id:secret@`) and everything from a `?` or
/// `#` on are replaced by `***`, as they may carry credentials.
pub(crate) fn redacted(endpoint: &str) -> String {
    let (scheme, rest) = match endpoint.split_once("://") {
        Some((scheme, rest)) => (format!("{scheme}://"), rest),
        None => (String::new(), endpoint),
    };
    let (rest, cut) = match rest.find(['?', '#']) {
        Some(at) => (&rest[..at], "***"),
        None => (rest, ""),
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    let authority = match authority.rfind('@') {
        Some(at) => format!("***@{}", &authority[at + 1..]),
        None => authority.to_owned(),
    };
    format!("{scheme}{authority}{path}{cut}")
}
