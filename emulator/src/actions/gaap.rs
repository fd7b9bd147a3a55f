//! GAAP `DestroyProxies`, whose answer data cannot say: the proxies it names are destroyed
//! one by one, those whose status forbids it listed in `InvalidStatusInstanceSet` while the
//! others go. The proxies are the records of the `gaap` `Proxy` kind its overlay describes,
//! where `ModifyProxyConfiguration` is written as data.

use std::collections::{BTreeSet, HashSet};

use serde_json::{Map, Value};

use super::{Effect, id_list};
use crate::api_error::ApiError;
use crate::resources::Proxy;
use crate::state::{GAAP, PROXY, World};
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
    let proxies: Vec<Proxy> = ids.iter().filter_map(|id| world.proxy(id)).collect();
    let missing: Vec<&str> = ids
        .iter()
        .copied()
        .filter(|id| !proxies.iter().any(|p| p.proxy_id == *id))
        .collect();
    if !missing.is_empty() {
        return Err(ApiError::new(
            "ResourceNotFound",
            format!("The proxy {} does not exist.", id_list(&missing)),
        ));
    }
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
    let (destroyable, invalid_status): (Vec<&Proxy>, Vec<&Proxy>) =
        proxies.iter().partition(|p| p.status.is_destroyable());
    let kept = world.records.of_mut(GAAP, PROXY);
    let mut changed = false;
    for proxy in destroyable {
        changed |= kept.remove(&proxy.proxy_id).is_some();
    }
    let mut response = Map::new();
    response.insert(
        "InvalidStatusInstanceSet".into(),
        invalid_status
            .iter()
            .map(|p| Value::from(p.proxy_id.clone()))
            .collect(),
    );
    response.insert(
        "OperationFailedInstanceSet".into(),
        Value::Array(Vec::new()),
    );
    Ok(Effect { response, changed })
}
