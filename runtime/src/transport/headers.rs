//! The headers of one attempt, in the order they are sent: written straight into an HTTP/1.1
//! request by the direct transport, or made into a `HeaderMap` for reqwest.

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use super::{AttemptError, CONTENT_TYPE_JSON};
use crate::error::{TransportError, TransportErrorKind};

/// Every value is a header value already: the names of the operation, the host, region and
/// client were checked when they were made, the timestamp is digits, and the token and the
/// authorization are checked by [`check`](Self::check).
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
}

/// Headers whose values are secrets: marked so that no `Debug` of a header map shows them.
const SENSITIVE: [&str; 2] = ["authorization", "x-tc-token"];

impl RequestHeaders<'_> {
    /// Each header as a lowercase name and its value.
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

    /// Fails if a value that comes from credentials could not be sent as a header: a line
    /// break in it would end the header early, and another header would follow.
    pub(crate) fn check(&self) -> Result<(), AttemptError> {
        for (name, value) in [
            ("x-tc-token", self.token),
            ("authorization", Some(self.authorization)),
        ] {
            if let Some(value) = value
                && let Some(at) = value.iter().position(|&b| !is_value_byte(b))
            {
                return Err(AttemptError::Transport(TransportError::new(
                    TransportErrorKind::Request,
                    format!(
                        "the {name} header cannot hold byte 0x{:02x} (at {at})",
                        value[at]
                    ),
                )));
            }
        }
        Ok(())
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
        match invalid {
            None => Ok(map),
            Some(error) => Err(AttemptError::Transport(TransportError::new(
                TransportErrorKind::Request,
                error,
            ))),
        }
    }
}

/// What a header value may hold: a tab, visible ASCII and space, and bytes past ASCII; not
/// other control characters.
fn is_value_byte(b: u8) -> bool {
    b == b'\t' || (b >= b' ' && b != 0x7f)
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
    fn a_token_with_a_line_break_is_refused_before_anything_is_sent() {
        let error = match headers(Some(b"abc\r\nx-injected: 1"), b"TC3").check() {
            Err(AttemptError::Transport(error)) => error,
            other => panic!("expected a transport error, got {other:?}"),
        };
        assert_eq!(error.kind(), TransportErrorKind::Request);
        let shown = error.to_string();
        assert!(
            shown.contains("x-tc-token") && shown.contains("0x0d"),
            "{shown}"
        );
        assert!(!shown.contains("abc"), "the token is not shown: {shown}");
        assert!(headers(Some(b"tok\ten"), b"TC3 x").check().is_ok());
        assert!(headers(None, b"TC3\n").check().is_err());
    }
}
