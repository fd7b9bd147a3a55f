//! The headers of one attempt, in the order they are sent: written straight into an HTTP/1.1
//! request by the direct transport, or made into a `HeaderMap` for reqwest.

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use super::{AttemptError, CONTENT_TYPE_JSON};
use crate::error::{TransportError, TransportErrorKind};

/// Every value is a header value already, checked once where it was made rather than per
/// request: the operation's version and action by the client before a call (digits, letters
/// and dashes only); the host, region and client as `HeaderValue`s; the timestamp is digits;
/// the token, and the secret id inside the authorization, are printable ASCII, which is all
/// `Credentials` accept.
pub(crate) struct RequestHeaders<'a> {
    pub(crate) host: &'a [u8],
    pub(crate) action: &'a [u8],
    pub(crate) version: &'a [u8],
    pub(crate) timestamp: &'a [u8],
    pub(crate) region: Option<&'a [u8]>,
    pub(crate) token: Option<&'a [u8]>,
    pub(crate) language: Option<&'static str>,
    pub(crate) request_client: &'a [u8],
    pub(crate) authorization: &'a [u8],
    /// The call's own headers, after the runtime's.
    pub(crate) extra: &'a [(HeaderName, HeaderValue)],
}

/// Headers whose values are secrets: marked so that no `Debug` of a header map shows them.
const SENSITIVE: [&str; 2] = ["authorization", "x-tc-token"];

impl RequestHeaders<'_> {
    /// Each header the runtime writes as a lowercase name and its value; the call's own
    /// headers ([`extra`](Self::extra)) follow them.
    pub(crate) fn for_each(&self, mut f: impl FnMut(&'static str, &[u8])) {
        f("content-type", CONTENT_TYPE_JSON.as_bytes());
        f("host", self.host);
        f("x-tc-action", self.action);
        f("x-tc-version", self.version);
        f("x-tc-timestamp", self.timestamp);
        if let Some(region) = self.region {
            f("x-tc-region", region);
        }
        if let Some(token) = self.token {
            f("x-tc-token", token);
        }
        if let Some(language) = self.language {
            f("x-tc-language", language.as_bytes());
        }
        f("x-tc-requestclient", self.request_client);
        f("user-agent", self.request_client);
        f("authorization", self.authorization);
    }

    /// The headers as reqwest takes them.
    pub(crate) fn to_map(&self) -> Result<HeaderMap, AttemptError> {
        let mut map = HeaderMap::with_capacity(12);
        let mut invalid = None;
        self.for_each(|name, value| match HeaderValue::from_bytes(value) {
            Ok(mut value) => {
                value.set_sensitive(SENSITIVE.contains(&name));
                map.insert(HeaderName::from_static(name), value);
            }
            Err(error) => invalid = Some(error),
        });
        for (name, value) in self.extra {
            map.append(name.clone(), value.clone());
        }
        match invalid {
            None => Ok(map),
            Some(error) => Err(AttemptError::Transport(TransportError::new(
                TransportErrorKind::Request,
                error,
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers<'a>(token: Option<&'a [u8]>, authorization: &'a [u8]) -> RequestHeaders<'a> {
        RequestHeaders {
            host: b"cvm.tencentcloudapi.com",
            action: b"DescribeInstances",
            version: b"2017-03-12",
            timestamp: b"1551113065",
            region: Some(b"ap-guangzhou"),
            token,
            language: Some("en-US"),
            request_client: b"tencentcloud-rs/0.1.0",
            authorization,
            extra: &[],
        }
    }

    #[test]
    fn the_header_map_holds_every_header_with_secrets_marked_sensitive() {
        let map = headers(Some(b"token-value"), b"TC3-HMAC-SHA256 Credential=x")
            .to_map()
            .unwrap();
        let mut names: Vec<_> = map.keys().map(HeaderName::as_str).collect();
        names.sort_unstable();
        assert_eq!(
            names,
            [
                "authorization",
                "content-type",
                "host",
                "user-agent",
                "x-tc-action",
                "x-tc-language",
                "x-tc-region",
                "x-tc-requestclient",
                "x-tc-timestamp",
                "x-tc-token",
                "x-tc-version",
            ]
        );
        assert!(map["authorization"].is_sensitive());
        assert!(map["x-tc-token"].is_sensitive());
        assert!(!map["host"].is_sensitive());
        let shown = format!("{map:?}");
        assert!(
            !shown.contains("token-value") && !shown.contains("Credential"),
            "{shown}"
        );
    }

    #[test]
    fn no_credentials_can_carry_a_line_break_into_a_header() {
        use crate::credentials::{Credentials, CredentialsError};
        let refused = |result: Result<Credentials, CredentialsError>| {
            matches!(result, Err(CredentialsError::InvalidCharacter { .. }))
        };
        assert!(refused(Credentials::new("AKID\r\nx-injected:1", "key")));
        let credentials = Credentials::new("AKID", "key").unwrap();
        assert!(refused(
            credentials.clone().with_token("tok\r\nx-injected:1")
        ));
        assert!(refused(credentials.with_token("tok\ten")));
    }
}
