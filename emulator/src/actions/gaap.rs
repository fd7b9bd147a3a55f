//! GAAP `DestroyProxies` and `ModifyProxyConfiguration`.

use std::collections::{BTreeSet, HashSet};

use serde_json::{Map, Value};

use super::{Effect, id_list};
use crate::api_error::ApiError;
use crate::resources::ProxyStatus;
use crate::state::World;
use crate::validate::Params;

pub(super) fn destroy_proxies(world: &mut World, params: &Params) -> Result<Effect, ApiError> {
    // `ProxyIds` replaces the older `InstanceIds`; either names the proxies.
    let requested = params
        .strings("ProxyIds")
        .filter(|ids| !ids.is_empty())
        .or_else(|| params.strings("InstanceIds"))
        .unwrap_or_default();
    let mut seen = HashSet::new();
    let ids: Vec<&str> = requested
        .into_iter()
        .filter(|id| seen.insert(*id))
        .collect();
    if ids.is_empty() {
        return Err(ApiError::missing_parameter("ProxyIds"));
    }
    let missing: Vec<&str> = ids
        .iter()
        .copied()
        .filter(|id| !world.proxies.contains_key(*id))
        .collect();
    if !missing.is_empty() {
        return Err(ApiError::new(
            "ResourceNotFound",
            format!("The proxy {} does not exist.", id_list(&missing)),
        ));
    }
    let proxies: Vec<_> = ids.iter().filter_map(|id| world.proxies.get(*id)).collect();
    let groups: BTreeSet<Option<&str>> = proxies.iter().map(|p| p.group_id.as_deref()).collect();
    if groups.len() > 1 {
        return Err(ApiError::new(
            "FailedOperation.BelongDifferentGroup",
            "Unable to operate in batches: the connections belong to different groups.",
        ));
    }
    let force = params.int("Force").unwrap_or(0) == 1;
    let bound: Vec<&str> = proxies
        .iter()
        .filter(|p| p.real_server_bound)
        .map(|p| p.proxy_id.as_str())
        .collect();
    if !force && !bound.is_empty() {
        return Err(ApiError::new(
            "FailedOperation.RealServerAlreadyBound",
            format!(
                "Failed to delete: {} is bound to an origin server. Unbind it or set Force=1.",
                id_list(&bound)
            ),
        ));
    }
    let invalid_status: Vec<String> = proxies
        .iter()
        .filter(|p| !p.status.is_destroyable())
        .map(|p| p.proxy_id.clone())
        .collect();
    let mut changed = false;
    for id in &ids {
        if !invalid_status.iter().any(|s| s == id) {
            changed |= world.proxies.remove(*id).is_some();
        }
    }
    let mut response = Map::new();
    response.insert(
        "InvalidStatusInstanceSet".into(),
        Value::from(invalid_status),
    );
    response.insert(
        "OperationFailedInstanceSet".into(),
        Value::Array(Vec::new()),
    );
    Ok(Effect { response, changed })
}

pub(super) fn modify_proxy_configuration(
    world: &mut World,
    params: &Params,
) -> Result<Effect, ApiError> {
    let id = params
        .string("ProxyId")
        .or_else(|| params.string("InstanceId"))
        .ok_or_else(|| ApiError::missing_parameter("ProxyId"))?;
    let proxy = world.proxies.get_mut(id).ok_or_else(|| {
        ApiError::new(
            "ResourceNotFound",
            format!("The proxy `{id}` does not exist."),
        )
    })?;
    if !proxy.scalable {
        return Err(ApiError::new(
            "FailedOperation.NotSupportScalar",
            format!(
                "The configuration change is not supported: proxy `{id}` is not scalable (Scalarable=0)."
            ),
        ));
    }
    if proxy.status != ProxyStatus::Running {
        return Err(ApiError::new(
            "ResourceUnavailable",
            format!(
                "The proxy `{id}` is {:?}; only a running proxy can change its configuration.",
                proxy.status
            ),
        ));
    }
    if let Some(bandwidth) = params.uint("Bandwidth") {
        proxy.bandwidth = bandwidth;
    }
    if let Some(concurrent) = params.uint("Concurrent") {
        proxy.concurrent = concurrent;
    }
    if let Some(billing_type) = params.int("BillingType") {
        proxy.billing_type = billing_type;
    }
    Ok(Effect::changed(Map::new()))
}
