//! One API call from bytes to answer: common parameters, fault injection, signature, action
//! resolution, rate limit, validation, idempotency and state rules, in the order the real service
//! applies them, and a request-log entry for each call.

use std::borrow::Cow;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http::request::Parts;
use http::{HeaderMap, Method, Request};
use hyper::body::Incoming;
use serde_json::{Map, Value};

use crate::actions::{self, CallContext};
use crate::admin;
use crate::api_error::ApiError;
use crate::auth::{self, SignedRequest};
use crate::body::{self, BodyError};
use crate::catalog::{ActionDef, Resolved};
use crate::emulator::{ADMIN_PATH, Shared};
use crate::faults::{Fault, FaultKind};
use crate::idempotency::{self, Seen};
use crate::instance_metadata;
use crate::log::{AnsweredFrom, LogEntry, Outcome};
use crate::params;
use crate::response::{self, HttpResponse};
use crate::streaming;
use crate::validate;

/// The connection must be dropped without an answer (an injected reset, or a client that left).
#[derive(Debug)]
pub(crate) struct DropConnection;

impl std::fmt::Display for DropConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped on purpose")
    }
}

impl std::error::Error for DropConnection {}

const TENCENT_DOMAIN: &str = ".tencentcloudapi.com";

/// The answer's header saying what it came from: `state`, `examples` or `script`.
pub const STATE_HEADER: &str = "x-emulator-state";

pub(crate) async fn handle(
    shared: Arc<Shared>,
    request: Request<Incoming>,
) -> Result<HttpResponse, DropConnection> {
    if is_admin_path(request.uri().path()) {
        return Ok(admin::handle(&shared, request).await);
    }
    if let Some(answer) = instance_metadata::answer(&shared, &request) {
        return Ok(answer);
    }
    let (parts, body) = request.into_parts();
    let common = CommonParams::extract(&parts);
    let mut entry = LogEntry::arrived(
        uuid::Uuid::new_v4().to_string(),
        common.action.as_deref().unwrap_or_default(),
        common.version.as_deref().unwrap_or_default(),
    );
    entry.trace_id = header(&parts.headers, "x-tc-traceid").map(str::to_owned);

    let body = match body::read(&shared, body).await {
        Ok(body) => body,
        Err(BodyError::TooLarge) => {
            let error = ApiError::new(
                "RequestSizeLimitExceeded",
                format!(
                    "The request body exceeds the limit of {} bytes.",
                    shared.max_body_bytes
                ),
            );
            return Ok(finish(&shared, entry, Err(error)));
        }
        Err(refused @ (BodyError::TimedOut | BodyError::Busy)) => {
            let response = response::body_refused(refused);
            entry.outcome = Outcome::HttpError {
                status: response.status().as_u16(),
            };
            shared.log.record(entry);
            return Ok(response);
        }
        Err(BodyError::Broken) => return Err(DropConnection),
    };

    let fault = shared.next_fault(&entry.action);
    if let Some(fault) = &fault {
        entry.fault = Some(fault.kind.clone());
        if !fault.after_effect {
            if let Some(service) = shared
                .catalog
                .only_service_with(&entry.action, &entry.version)
            {
                entry.service = service.to_string();
            }
            let def = match shared
                .catalog
                .resolve(&entry.service, &entry.action, &entry.version)
            {
                Resolved::Action(def) => Some(Arc::clone(def)),
                _ => None,
            };
            sniff_identity(&parts, &body, def.as_deref(), &mut entry);
            if let Some(answer) = strike(&shared, fault, &mut entry).await {
                return answer;
            }
        }
    }

    let mut def = None;
    let answer = process(&shared, &parts, &common, body, &mut entry, &mut def)
        .map_err(|error| in_language(&shared, common.language, def.as_deref(), error));

    if let Some(fault) = fault.as_ref().filter(|f| f.after_effect)
        && let Some(answer) = strike(&shared, fault, &mut entry).await
    {
        return answer;
    }
    match (
        answer,
        def.as_deref().and_then(|def| def.streaming.as_ref()),
    ) {
        (Ok((members, true)), Some(streaming)) => Ok(streaming::answer(
            &shared,
            entry,
            streaming,
            members,
            fault.map(|fault| fault.kind),
        )),
        (answer, _) => Ok(finish(&shared, entry, answer.map(|(members, _)| members))),
    }
}

/// The idempotency token and resource ids of a call a fault cuts short before it is parsed
/// properly, so the log still shows which logical request each failed attempt belonged to.
fn sniff_identity(parts: &Parts, body: &[u8], def: Option<&ActionDef>, entry: &mut LogEntry) {
    let raw = if parts.method == Method::GET {
        params::decode_flattened(parts.uri.query().unwrap_or_default()).ok()
    } else {
        params::decode_json(body).ok()
    };
    let Some(raw) = raw else {
        return;
    };
    entry.client_token = def
        .and_then(|def| def.idempotency_token.as_deref())
        .and_then(|name| raw.get(name))
        .and_then(Value::as_str)
        .map(str::to_string);
    entry.resource_ids = params::resource_ids(&raw);
}

fn is_admin_path(path: &str) -> bool {
    path.strip_prefix(ADMIN_PATH)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// Applies a fault. `None` when the call goes on normally afterwards (a delay, or a fault of
/// the stream the answer may become).
async fn strike(
    shared: &Shared,
    fault: &Fault,
    entry: &mut LogEntry,
) -> Option<Result<HttpResponse, DropConnection>> {
    let answer = match &fault.kind {
        FaultKind::Delay { millis } => {
            let millis = *millis;
            tokio::time::sleep(Duration::from_millis(millis)).await;
            return None;
        }
        FaultKind::StallStream { .. } | FaultKind::CutStream { .. } | FaultKind::IgnoreOffset => {
            return None;
        }
        FaultKind::HttpError { status } => {
            entry.outcome = Outcome::HttpError { status: *status };
            let response = response::gateway_error(*status);
            shared.log.record(entry.clone());
            Ok(response)
        }
        FaultKind::ConnectionReset => {
            entry.outcome = Outcome::ConnectionReset;
            shared.log.record(entry.clone());
            Err(DropConnection)
        }
        FaultKind::InternalError => Ok(finish(
            shared,
            entry.clone(),
            Err(ApiError::new(
                "InternalError",
                "An internal error has occurred. Retry your request, but if the problem persists, contact us.",
            )),
        )),
        FaultKind::RequestLimitExceeded => Ok(finish(
            shared,
            entry.clone(),
            Err(ApiError::new(
                "RequestLimitExceeded",
                "The number of requests exceeds the frequency limit.",
            )),
        )),
        FaultKind::Answer { output } => {
            entry.answered_from = Some(AnsweredFrom::Script);
            Ok(finish(shared, entry.clone(), Ok(output.clone())))
        }
        FaultKind::Error { code, message } => {
            entry.answered_from = Some(AnsweredFrom::Script);
            let error = ApiError::new(code.clone(), message.clone());
            Ok(finish(shared, entry.clone(), Err(error)))
        }
    };
    Some(answer)
}

fn finish(
    shared: &Shared,
    mut entry: LogEntry,
    answer: Result<Map<String, Value>, ApiError>,
) -> HttpResponse {
    let mut response = match answer {
        Ok(members) => {
            entry.outcome = Outcome::Success;
            response::success(&entry.request_id, members)
        }
        Err(error) => {
            let response = response::error(&entry.request_id, &error);
            entry.outcome = Outcome::Error {
                code: error.code.to_string(),
                message: error.message,
            };
            response
        }
    };
    if let Some(from) = entry.answered_from {
        response.headers_mut().insert(
            STATE_HEADER,
            hyper::header::HeaderValue::from_static(from.as_str()),
        );
    }
    tracing::debug!(
        action = %entry.action,
        outcome = ?entry.outcome,
        took_effect = entry.took_effect,
        "api call"
    );
    shared.log.record(entry);
    response
}

/// Common parameters, from `X-TC-*` headers or, for `GET`, the query string.
struct CommonParams<'a> {
    action: Option<Cow<'a, str>>,
    version: Option<Cow<'a, str>>,
    region: Option<Cow<'a, str>>,
    language: Option<&'a str>,
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

impl<'a> CommonParams<'a> {
    fn extract(parts: &'a Parts) -> Self {
        let headers = &parts.headers;
        let query = || -> Option<&'a str> {
            (parts.method == Method::GET)
                .then(|| parts.uri.query())
                .flatten()
        };
        let from_query = |key: &str| -> Option<Cow<'a, str>> {
            form_urlencoded::parse(query()?.as_bytes())
                .find(|(k, v)| k == key && !v.is_empty())
                .map(|(_, v)| Cow::Owned(v.into_owned()))
        };
        CommonParams {
            action: header(headers, "x-tc-action")
                .map(Cow::Borrowed)
                .or_else(|| from_query("Action")),
            version: header(headers, "x-tc-version")
                .map(Cow::Borrowed)
                .or_else(|| from_query("Version")),
            region: header(headers, "x-tc-region")
                .map(Cow::Borrowed)
                .or_else(|| from_query("Region")),
            language: header(headers, "x-tc-language"),
        }
    }
}

fn now_unix() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// The service a request is for: the one in a `<service>[.<region>].tencentcloudapi.com` Host,
/// otherwise (loopback, where every service shares one address) the credential scope's.
fn host_service(headers: &HeaderMap) -> Option<&str> {
    let host = header(headers, "host")?;
    let name = host.rsplit_once(':').map_or(host, |(name, _)| name);
    let prefix = name.strip_suffix(TENCENT_DOMAIN)?;
    prefix.split('.').next().filter(|s| !s.is_empty())
}

fn is_endpoint_label(headers: &HeaderMap, service: &str) -> bool {
    header(headers, "host")
        .and_then(|host| host.split(['.', ':']).next())
        .is_some_and(|label| label == service)
}

/// An error's message in the language the call asked for: with `X-TC-Language: zh-CN`, the
/// Chinese description the specs give its code (the action's service version's, else the common
/// one), followed by the specifics in English; as it is otherwise.
fn in_language(
    shared: &Shared,
    language: Option<&str>,
    def: Option<&ActionDef>,
    mut error: ApiError,
) -> ApiError {
    if language == Some("zh-CN")
        && let Some(chinese) = shared.catalog.chinese_document(def, &error.code)
    {
        error.message = format!("{chinese}（{}）", error.message);
    }
    error
}

/// Answers one call: the `Response` members, and whether they go as a stream of events (a
/// streaming action asked to stream). `resolved` receives the action once it is known, even if
/// the call fails later.
fn process(
    shared: &Shared,
    parts: &Parts,
    common: &CommonParams<'_>,
    body: Bytes,
    entry: &mut LogEntry,
    resolved: &mut Option<Arc<ActionDef>>,
) -> Result<(Map<String, Value>, bool), ApiError> {
    let is_get = match parts.method {
        Method::GET => true,
        Method::POST => false,
        ref other => {
            return Err(ApiError::new(
                "UnsupportedProtocol",
                format!("HTTP method {other} is not supported; use POST or GET."),
            ));
        }
    };
    let action = common
        .action
        .as_deref()
        .ok_or_else(|| ApiError::missing_parameter("Action (X-TC-Action)"))?;
    let version = common
        .version
        .as_deref()
        .ok_or_else(|| ApiError::missing_parameter("Version (X-TC-Version)"))?;
    let query = parts.uri.query().unwrap_or_default();

    // STS takes `AssumeRoleWithWebIdentity` unsigned (`Authorization: SKIP`): the web
    // identity token is the credential.
    let unsigned = action == "AssumeRoleWithWebIdentity"
        && header(&parts.headers, "authorization") == Some("SKIP");
    let verified = if unsigned {
        auth::Verified {
            secret_id: String::new(),
            scope_service: "sts".to_owned(),
        }
    } else {
        auth::verify(
            &shared.keyring,
            &SignedRequest {
                method: parts.method.as_str(),
                path: parts.uri.path(),
                query,
                headers: &parts.headers,
                body: &body,
            },
            now_unix(),
        )?
    };
    entry.secret_id = Some(verified.secret_id.clone());

    let service = match host_service(&parts.headers) {
        Some(host) if host != verified.scope_service => {
            return Err(ApiError::new(
                "AuthFailure.InvalidAuthorization",
                format!(
                    "The credential scope names service `{}`, but the request is for `{host}`.",
                    verified.scope_service
                ),
            ));
        }
        _ => verified.scope_service.as_str(),
    };
    // SDKs that derive the scope's service from the endpoint's first label (the official Node SDK)
    // name `127` or `localhost` on loopback; the action then says which service is meant.
    let service = if !shared.catalog.serves(service) && is_endpoint_label(&parts.headers, service) {
        shared
            .catalog
            .only_service_with(action, version)
            .unwrap_or(service)
    } else {
        service
    };
    let def = match shared.catalog.resolve(service, action, version) {
        Resolved::Action(def) => def,
        Resolved::UnknownVersion { supported } => {
            return Err(ApiError::new(
                "NoSuchVersion",
                format!(
                    "The API version `{version}` does not exist for action `{action}`; supported: {}.",
                    supported.join(", ")
                ),
            ));
        }
        Resolved::Unloadable { problems } => {
            return Err(ApiError::new(
                "InternalError",
                format!("The emulator cannot load the specs of service `{service}`:\n{problems}"),
            ));
        }
        Resolved::UnknownService | Resolved::UnknownAction => {
            let elsewhere = shared.catalog.services_with_action(action, service);
            if !elsewhere.is_empty() {
                return Err(ApiError::new(
                    "AuthFailure.InvalidAuthorization",
                    format!(
                        "The credential scope names service `{service}`, but action `{action}` belongs to {}.",
                        elsewhere.join(", ")
                    ),
                ));
            }
            return Err(ApiError::new(
                "InvalidAction",
                format!("The action `{action}` does not exist for service `{service}`."),
            ));
        }
    };
    entry.service = def.service.clone();
    *resolved = Some(Arc::clone(def));

    if def.region_required && common.region.is_none() {
        return Err(ApiError::missing_parameter("Region (X-TC-Region)"));
    }
    if let Some(language) = common.language
        && language != "zh-CN"
        && language != "en-US"
    {
        return Err(ApiError::invalid_parameter_value(format!(
            "X-TC-Language `{language}` is not supported; use zh-CN or en-US."
        )));
    }
    if let Some(limit) = def.rate_limit
        && !shared
            .rate_limiter
            .allow(&def.service, &def.name, &verified.secret_id, limit)
    {
        return Err(ApiError::new(
            "RequestLimitExceeded",
            format!(
                "The number of requests exceeds the frequency limit of {limit} per second for {}.",
                def.name
            ),
        ));
    }

    let raw = if is_get {
        params::decode_flattened(query)?
    } else {
        let content_type = header(&parts.headers, "content-type").unwrap_or_default();
        let mime = content_type.split(';').next().unwrap_or_default().trim();
        if !mime.eq_ignore_ascii_case("application/json") {
            return Err(ApiError::invalid_parameter(format!(
                "Content-Type `{content_type}` is not supported for TC3-HMAC-SHA256 POST requests; use application/json."
            )));
        }
        params::decode_json(&body)?
    };
    entry.resource_ids = params::resource_ids(&raw);
    let token_name = def.idempotency_token.as_deref();
    entry.client_token = token_name
        .and_then(|name| raw.get(name))
        .and_then(Value::as_str)
        .map(str::to_string);
    let params = validate::validate(def, raw)?;
    let stream = def.streaming.as_ref().is_some_and(|streaming| {
        if streaming.switch {
            params.bool("Stream") == Some(true)
        } else {
            !streaming.events.is_empty()
        }
    });

    let ctx = CallContext {
        region: common.region.as_deref(),
        ignore_offset: entry.fault == Some(FaultKind::IgnoreOffset),
        keyring: &shared.keyring,
        credential_lifetime: shared.credential_lifetime,
    };
    let mut world = shared.world();
    let remembered = match (token_name, token_name.and_then(|t| params.string(t))) {
        (Some(name), Some(token)) if !token.is_empty() => {
            let fingerprint = params.fingerprint(Some(name));
            let key = idempotency::key(&verified.secret_id, &def.service, &def.name, token);
            match world.idempotency.check(&key, &fingerprint) {
                Seen::Replay(response) => {
                    entry.replayed = true;
                    return Ok((response.clone(), stream));
                }
                Seen::Conflict => {
                    return Err(ApiError::new(
                        "FailedOperation.DuplicatedRequest",
                        format!(
                            "Repeated request: ClientToken `{token}` was already used with different parameters."
                        ),
                    ));
                }
                Seen::New => Some((key, fingerprint)),
            }
        }
        _ => None,
    };
    entry.answered_from = Some(if def.keeps_state() {
        AnsweredFrom::State
    } else {
        AnsweredFrom::Examples
    });
    let effect = actions::execute(def, &mut world, &ctx, &params)?;
    entry.took_effect = effect.changed;
    if let Some((key, fingerprint)) = remembered {
        world
            .idempotency
            .remember(key, fingerprint, effect.response.clone());
    }
    Ok((effect.response, stream))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_comes_from_tencent_hosts_only() {
        let mut headers = HeaderMap::new();
        headers.insert("host", "cvm.tencentcloudapi.com".parse().unwrap());
        assert_eq!(host_service(&headers), Some("cvm"));
        headers.insert(
            "host",
            "gaap.ap-guangzhou.tencentcloudapi.com:443".parse().unwrap(),
        );
        assert_eq!(host_service(&headers), Some("gaap"));
        headers.insert("host", "127.0.0.1:9000".parse().unwrap());
        assert_eq!(host_service(&headers), None);
    }

    #[test]
    fn only_the_admin_prefix_and_below_is_admin() {
        assert!(is_admin_path("/_emulator"));
        assert!(is_admin_path("/_emulator/requests"));
        assert!(!is_admin_path("/_emulatorx"));
        assert!(!is_admin_path("/"));
    }
}
