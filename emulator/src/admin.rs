//! The admin HTTP API under `/_emulator` (unauthenticated, JSON), for programs that drive the
//! emulator binary from outside Rust; the README (crate docs) lists every endpoint.

use std::collections::HashMap;

use http::{HeaderValue, Method, Request, StatusCode};
use hyper::body::Incoming;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::body::{self, BodyError};
use crate::emulator::{ADMIN_PATH, Shared};
use crate::faults::Fault;
use crate::resources::{Instance, Proxy, VpnConnection, VpnGateway};
use crate::response::{self, HttpResponse, json_response};
use crate::snapshot::Snapshot;
use crate::state::{SeedError, World};
use crate::transitions::Transitions;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScriptFault {
    action: String,
    fault: Fault,
    #[serde(default = "one")]
    times: u32,
}

fn one() -> u32 {
    1
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FaultRate {
    action: String,
    fault: Fault,
    probability: f64,
    #[serde(default)]
    seed: Option<u64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RateLimits {
    #[serde(default)]
    enabled: Option<bool>,
    #[serde(default)]
    overrides: HashMap<String, Option<u32>>,
}

/// One resource or a list of them.
#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany<T> {
    One(T),
    Many(Vec<T>),
}

impl<T> OneOrMany<T> {
    fn into_vec(self) -> Vec<T> {
        match self {
            OneOrMany::One(t) => vec![t],
            OneOrMany::Many(v) => v,
        }
    }
}

/// Header of a request-log page that is not the last: the `after` of the next page.
const NEXT_AFTER: &str = "x-emulator-next-after";
/// Entries per request-log page unless `limit` says otherwise, and the most it may say.
const DEFAULT_PAGE: usize = 1_000;
const MAX_PAGE: usize = 10_000;

/// `?after=<seq>&limit=<n>` of a request-log read.
struct LogPage {
    after: u64,
    limit: usize,
}

impl LogPage {
    fn parse(query: Option<&str>) -> Result<Self, String> {
        let mut page = LogPage {
            after: 0,
            limit: DEFAULT_PAGE,
        };
        for (key, value) in form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
            match key.as_ref() {
                "after" => {
                    page.after = value
                        .parse()
                        .map_err(|_| format!("`after` must be a sequence number, not {value:?}"))?;
                }
                "limit" => {
                    page.limit = value
                        .parse()
                        .ok()
                        .filter(|n| (1..=MAX_PAGE).contains(n))
                        .ok_or_else(|| format!("`limit` must be 1 to {MAX_PAGE}, not {value:?}"))?;
                }
                other => {
                    return Err(format!(
                        "unknown query parameter `{other}` (known: after, limit)"
                    ));
                }
            }
        }
        Ok(page)
    }
}

fn fail(status: StatusCode, message: impl std::fmt::Display) -> HttpResponse {
    json_response(status, &json!({"error": message.to_string()}))
}

fn ok(value: Value) -> HttpResponse {
    json_response(StatusCode::OK, &value)
}

async fn read_json<T: DeserializeOwned>(
    shared: &Shared,
    request: Request<Incoming>,
) -> Result<T, HttpResponse> {
    let body = match body::read(shared, request.into_body()).await {
        Ok(body) => body,
        Err(BodyError::TooLarge) => {
            return Err(fail(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("the body exceeds {} bytes", shared.max_body_bytes),
            ));
        }
        Err(BodyError::Broken) => {
            return Err(fail(StatusCode::BAD_REQUEST, "the body was broken off"));
        }
        Err(refused) => return Err(response::body_refused(refused)),
    };
    serde_json::from_slice(&body)
        .map_err(|e| fail(StatusCode::BAD_REQUEST, format!("invalid JSON body: {e}")))
}

async fn seed<T: DeserializeOwned>(
    shared: &Shared,
    request: Request<Incoming>,
    apply: fn(&mut World, T) -> Result<(), SeedError>,
) -> HttpResponse {
    let items = match read_json::<OneOrMany<T>>(shared, request).await {
        Ok(items) => items.into_vec(),
        Err(response) => return response,
    };
    let count = items.len();
    let mut world = shared.world();
    for item in items {
        if let Err(e) = apply(&mut world, item) {
            return fail(StatusCode::BAD_REQUEST, e);
        }
    }
    ok(json!({"seeded": count}))
}

fn listing<T: serde::Serialize>(mut items: Vec<T>, key: impl Fn(&T) -> String) -> HttpResponse {
    items.sort_by_key(key);
    ok(serde_json::to_value(items).unwrap_or_default())
}

pub(crate) async fn handle(shared: &Shared, request: Request<Incoming>) -> HttpResponse {
    let path = request
        .uri()
        .path()
        .strip_prefix(ADMIN_PATH)
        .unwrap_or_default()
        .trim_end_matches('/')
        .to_string();
    let method = request.method().clone();
    match (method, path.as_str()) {
        (Method::GET, "/health" | "") => ok(json!({
            "status": "ok",
            "connections": shared.connections.count(),
            "resourcesKept": shared.world().records.count(),
            "temporaryCredentials": shared.keyring.issued_count(),
            "bodyBytesHeld": shared.body_budget.held(),
            "services": shared.catalog.served().into_iter().map(|s| json!({
                "service": s.service, "version": s.version, "actions": s.actions
            })).collect::<Vec<_>>(),
            "specs": specs_folder(shared),
        })),
        (Method::GET, "/instances") => {
            let items = shared.world().instances.values().cloned().collect();
            listing(items, |i: &Instance| i.instance_id.clone())
        }
        (Method::POST, "/instances") => seed(shared, request, World::seed_instance).await,
        (Method::GET, "/proxies") => {
            let items = shared.world().proxies();
            listing(items, |p: &Proxy| p.proxy_id.clone())
        }
        (Method::POST, "/proxies") => seed(shared, request, World::seed_proxy).await,
        (Method::GET, "/vpn-gateways") => {
            let items = shared.world().vpn_gateways();
            listing(items, |g: &VpnGateway| g.vpn_gateway_id.clone())
        }
        (Method::POST, "/vpn-gateways") => seed(shared, request, World::seed_vpn_gateway).await,
        (Method::GET, "/vpn-connections") => {
            let items = shared.world().vpn_connections();
            listing(items, |c: &VpnConnection| c.vpn_connection_id.clone())
        }
        (Method::POST, "/vpn-connections") => {
            seed(shared, request, World::seed_vpn_connection).await
        }
        (Method::POST, "/faults") => match read_json::<ScriptFault>(shared, request).await {
            Ok(s) => match shared.script_fault(&s.action, s.fault, s.times) {
                Ok(()) => ok(json!({"scripted": s.times})),
                Err(e) => fail(StatusCode::BAD_REQUEST, e),
            },
            Err(response) => response,
        },
        (Method::POST, "/fault-rates") => match read_json::<FaultRate>(shared, request).await {
            Ok(r) => {
                if let Some(seed) = r.seed {
                    shared.set_fault_seed(seed);
                }
                match shared.set_fault_rate(&r.action, r.fault, r.probability) {
                    Ok(()) => ok(json!({"probability": r.probability})),
                    Err(e) => fail(StatusCode::BAD_REQUEST, e),
                }
            }
            Err(response) => response,
        },
        (Method::DELETE, "/faults") => {
            shared.clear_faults();
            ok(json!({"cleared": true}))
        }
        (Method::GET, "/requests") => match LogPage::parse(request.uri().query()) {
            Ok(wanted) => {
                let (entries, more) = shared.log.page(wanted.after, wanted.limit);
                let next = more.then(|| entries.last().map(|e| e.seq)).flatten();
                let mut response = ok(serde_json::to_value(entries).unwrap_or_default());
                if let Some(next) = next {
                    response
                        .headers_mut()
                        .insert(NEXT_AFTER, HeaderValue::from(next));
                }
                response
            }
            Err(message) => fail(StatusCode::BAD_REQUEST, message),
        },
        (Method::DELETE, "/requests") => {
            shared.log.clear();
            ok(json!({"cleared": true}))
        }
        (Method::PUT, "/listings") => {
            match read_json::<HashMap<String, usize>>(shared, request).await {
                Ok(sizes) => {
                    let mut world = shared.world();
                    for (action, size) in &sizes {
                        world.listing_sizes.insert(action.clone(), *size);
                    }
                    ok(json!({"listings": sizes}))
                }
                Err(response) => response,
            }
        }
        (Method::GET, "/snapshot") => ok(json!(shared.world().snapshot(std::time::Instant::now()))),
        (Method::PUT, "/snapshot") => match read_json::<Snapshot>(shared, request).await {
            Ok(snapshot) => match shared.world().restore(snapshot, std::time::Instant::now()) {
                Ok(()) => ok(json!({"restored": true})),
                Err(e) => fail(StatusCode::BAD_REQUEST, e),
            },
            Err(response) => response,
        },
        (Method::GET, "/transitions") => ok(json!(shared.world().transitions)),
        (Method::PUT, "/transitions") => match read_json::<Transitions>(shared, request).await {
            Ok(transitions) => {
                shared.world().transitions = transitions;
                ok(json!(transitions))
            }
            Err(response) => response,
        },
        (Method::POST, "/transitions/complete") => {
            ok(json!({"completed": shared.world().settle(None)}))
        }
        (Method::POST, "/transitions/step") => ok(json!({"completed": shared.world().step()})),
        (Method::PUT, "/rate-limits") => match read_json::<RateLimits>(shared, request).await {
            Ok(limits) => {
                if let Some(enabled) = limits.enabled {
                    shared.rate_limiter.set_enabled(enabled);
                }
                for (action, per_second) in limits.overrides {
                    shared.rate_limiter.set_override(&action, per_second);
                }
                ok(json!({"enabled": shared.rate_limiter.is_enabled()}))
            }
            Err(response) => response,
        },
        (Method::POST, "/reset") => {
            shared.reset();
            ok(json!({"reset": true}))
        }
        (
            _,
            "/health"
            | ""
            | "/instances"
            | "/proxies"
            | "/vpn-gateways"
            | "/vpn-connections"
            | "/faults"
            | "/fault-rates"
            | "/requests"
            | "/listings"
            | "/rate-limits"
            | "/reset"
            | "/transitions"
            | "/transitions/complete"
            | "/transitions/step"
            | "/snapshot",
        ) => fail(
            StatusCode::METHOD_NOT_ALLOWED,
            "method not allowed on this path",
        ),
        (_, other) => fail(
            StatusCode::NOT_FOUND,
            format!("no admin endpoint {ADMIN_PATH}{other}"),
        ),
    }
}

fn specs_folder(shared: &Shared) -> Value {
    let folder = shared.catalog.specs_folder();
    json!({
        "dir": folder.dir.display().to_string(), "services": folder.services,
        "versions": folder.versions, "compiled": folder.compiled
    })
}
