//! Settings for one call, laid over its client's configuration.

use std::fmt;
use std::time::Duration;

use reqwest::header::{HeaderName, HeaderValue};

use crate::config::Language;
use crate::retry::RetryConfig;
use crate::validate::ValidationError;

/// Settings for one call only, over the client's [`Config`](crate::Config): timeouts, retries,
/// region, language and extra headers. Given to any generated builder's `options(…)`; the
/// client's other calls keep the configuration's settings.
///
/// ```
/// use std::time::Duration;
/// use tencentcloud_runtime::CallOptions;
///
/// let options = CallOptions::new()
///     .attempt_timeout(Duration::from_secs(1))
///     .header("X-TC-TraceId", "6a0c6b2e-trace");
/// # let _ = options;
/// ```
///
/// `Debug` shows the names of extra headers, not their values.
#[derive(Clone, Default)]
pub struct CallOptions {
    // Boxed: every builder holds one, nearly always empty.
    settings: Option<Box<Settings>>,
}

#[derive(Clone, Default)]
struct Settings {
    attempt_timeout: Option<Duration>,
    operation_timeout: Option<Duration>,
    retry: Option<RetryConfig>,
    region: Option<String>,
    language: Option<Language>,
    headers: Vec<(String, String)>,
}

/// Headers the runtime writes itself, which a call cannot set: the signed ones, the common
/// parameters, the message framing.
const RESERVED: [&str; 16] = [
    "authorization",
    "connection",
    "content-length",
    "content-type",
    "expect",
    "host",
    "keep-alive",
    "te",
    "transfer-encoding",
    "upgrade",
    "user-agent",
    "x-tc-action",
    "x-tc-language",
    "x-tc-region",
    "x-tc-requestclient",
    "x-tc-timestamp",
];

impl CallOptions {
    /// No settings: the call runs as the configuration says.
    pub fn new() -> Self {
        Self::default()
    }

    fn settings(&mut self) -> &mut Settings {
        self.settings.get_or_insert_with(Box::default)
    }

    /// Limit on each attempt of this call.
    #[must_use]
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.settings().attempt_timeout = Some(timeout);
        self
    }

    /// Limit on this whole call, retries and backoff included (`Duration::MAX`: none).
    #[must_use]
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.settings().operation_timeout = Some(timeout);
        self
    }

    /// Retry settings for this call; the service's retry budget is still the configuration's.
    #[must_use]
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.settings().retry = Some(retry);
        self
    }

    /// The region (`X-TC-Region`) of this call; with regional endpoints, its host too.
    #[must_use]
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.settings().region = Some(region.into());
        self
    }

    /// The language of this call's error messages (`X-TC-Language`).
    #[must_use]
    pub fn language(mut self, language: Language) -> Self {
        self.settings().language = Some(language);
        self
    }

    /// Adds a header to every attempt of this call, e.g. `X-TC-TraceId`. The headers the
    /// runtime writes (the signed ones, the common parameters, the framing) cannot be set:
    /// the call then fails as a validation error, nothing sent.
    #[must_use]
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.settings().headers.push((name.into(), value.into()));
        self
    }

    /// The settings checked and made ready to send; `None` when there are none.
    pub(crate) fn prepare(&self) -> Result<Option<Prepared>, ValidationError> {
        let Some(settings) = &self.settings else {
            return Ok(None);
        };
        let mut headers = Vec::with_capacity(settings.headers.len());
        for (name, value) in &settings.headers {
            let parameter = format!("header {name}");
            let header = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| ValidationError::new(&parameter, "is not a header name"))?;
            if RESERVED.contains(&header.as_str()) || header.as_str() == "x-tc-token" {
                return Err(ValidationError::new(
                    &parameter,
                    "is written by the runtime and cannot be set per call",
                ));
            }
            let value = HeaderValue::from_str(value).map_err(|_| {
                ValidationError::new(&parameter, "the value has characters a header cannot carry")
            })?;
            headers.push((header, value));
        }
        let region = match &settings.region {
            None => None,
            Some(region) if is_region(region) => Some(region.clone()),
            Some(region) => {
                return Err(ValidationError::new(
                    "Region",
                    format!(
                        "{region:?} is not a region name (lowercase letters, digits and dashes)"
                    ),
                ));
            }
        };
        Ok(Some(Prepared {
            attempt_timeout: settings.attempt_timeout,
            operation_timeout: settings.operation_timeout,
            retry: settings.retry.clone(),
            region,
            language: settings.language,
            headers,
        }))
    }
}

fn is_region(region: &str) -> bool {
    !region.is_empty()
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

impl fmt::Debug for CallOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(settings) = &self.settings else {
            return f.write_str("CallOptions(none)");
        };
        let names: Vec<&str> = settings
            .headers
            .iter()
            .map(|(name, _)| name.as_str())
            .collect();
        f.debug_struct("CallOptions")
            .field("attempt_timeout", &settings.attempt_timeout)
            .field("operation_timeout", &settings.operation_timeout)
            .field("retry", &settings.retry)
            .field("region", &settings.region)
            .field("language", &settings.language)
            .field("headers", &names)
            .finish()
    }
}

/// A call's settings as the call path uses them.
#[derive(Debug)]
pub(crate) struct Prepared {
    pub(crate) attempt_timeout: Option<Duration>,
    pub(crate) operation_timeout: Option<Duration>,
    pub(crate) retry: Option<RetryConfig>,
    pub(crate) region: Option<String>,
    pub(crate) language: Option<Language>,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_settings_cost_nothing_and_reserved_or_broken_headers_are_refused() {
        assert!(CallOptions::new().prepare().unwrap().is_none());
        let prepared = CallOptions::new()
            .header("X-TC-TraceId", "abc")
            .prepare()
            .unwrap()
            .unwrap();
        assert_eq!(prepared.headers[0].0.as_str(), "x-tc-traceid");
        for (name, value, why) in [
            ("Authorization", "x", "written by the runtime"),
            ("X-TC-Region", "ap-guangzhou", "written by the runtime"),
            ("X-TC-Token", "t", "written by the runtime"),
            ("bad name", "x", "not a header name"),
            ("X-Trace", "a\r\nX-Injected: 1", "cannot carry"),
        ] {
            let error = CallOptions::new()
                .header(name, value)
                .prepare()
                .unwrap_err();
            assert!(error.to_string().contains(why), "{name}: {error}");
        }
        let error = CallOptions::new()
            .region("ap guangzhou")
            .prepare()
            .unwrap_err();
        assert_eq!(error.parameter, "Region");
    }

    #[test]
    fn debug_names_extra_headers_without_their_values() {
        let options = CallOptions::new().header("X-Api-Key", "secret-value-123");
        let debug = format!("{options:?}");
        assert!(
            debug.contains("X-Api-Key") && !debug.contains("secret-value-123"),
            "{debug}"
        );
    }
}
