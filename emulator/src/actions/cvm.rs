//! CVM `DescribeInstances`, `RunInstances`, `StartInstances`, `StopInstances`,
//! `RebootInstances` and `TerminateInstances`.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use serde_json::{Map, Value};

use super::{CallContext, Effect, id_list};
use crate::api_error::ApiError;
use crate::resources::{Instance, InstanceState, is_well_formed_id};
use crate::state::World;
use crate::validate::Params;

/// The documented code for an instance whose state forbids termination.
fn state_error(state: InstanceState) -> Option<&'static str> {
    Some(match state {
        InstanceState::Pending => "UnsupportedOperation.InstanceStatePending",
        InstanceState::Starting => "UnsupportedOperation.InstanceStateStarting",
        InstanceState::Stopping => "UnsupportedOperation.InstanceStateStopping",
        InstanceState::Rebooting => "UnsupportedOperation.InstanceStateRebooting",
        InstanceState::Terminating => "UnsupportedOperation.InstanceStateTerminating",
        InstanceState::Terminated => "UnsupportedOperation.InstanceStateTerminated",
        InstanceState::Running
        | InstanceState::Stopped
        | InstanceState::Shutdown
        | InstanceState::LaunchFailed => return None,
    })
}

/// The documented code for an operation an instance's state does not allow.
fn state_code(state: InstanceState) -> &'static str {
    match state {
        InstanceState::Pending => "UnsupportedOperation.InstanceStatePending",
        InstanceState::LaunchFailed => "UnsupportedOperation.InstanceStateLaunchFailed",
        InstanceState::Running => "UnsupportedOperation.InstanceStateRunning",
        InstanceState::Stopped => "UnsupportedOperation.InstanceStateStopped",
        InstanceState::Starting => "UnsupportedOperation.InstanceStateStarting",
        InstanceState::Stopping => "UnsupportedOperation.InstanceStateStopping",
        InstanceState::Rebooting => "UnsupportedOperation.InstanceStateRebooting",
        InstanceState::Shutdown => "UnsupportedOperation.InstanceStateShutdown",
        InstanceState::Terminating => "UnsupportedOperation.InstanceStateTerminating",
        InstanceState::Terminated => "UnsupportedOperation.InstanceStateTerminated",
    }
}

/// Most instances one `RunInstances` launches, as its `InstanceCount` documents.
const MAX_LAUNCH: u64 = 100;

/// Instances per page when the request does not say.
const DEFAULT_LIMIT: u64 = 20;

/// `DescribeInstances`: the instances of the call's region (those `InstanceIds` names, if it
/// names any) by id, `Limit` of them (20 unless the request says) from `Offset`; `TotalCount`
/// counts them all. Each is the documented example's instance with the seeded id and state.
pub(super) fn describe_instances(
    world: &World,
    ctx: &CallContext<'_>,
    params: &Params,
    example: &Map<String, Value>,
) -> Effect {
    let named: Option<HashSet<&str>> = params
        .strings("InstanceIds")
        .map(|ids| ids.into_iter().collect());
    let region = ctx.region.unwrap_or(crate::resources::DEFAULT_REGION);
    let mut instances: Vec<_> = world
        .instances
        .values()
        // A terminated instance is gone from the listing.
        .filter(|i| i.region == region && i.instance_state != InstanceState::Terminated)
        .filter(|i| {
            named
                .as_ref()
                .is_none_or(|ids| ids.contains(i.instance_id.as_str()))
        })
        .collect();
    instances.sort_by(|a, b| a.instance_id.cmp(&b.instance_id));
    let offset = if ctx.ignore_offset {
        0
    } else {
        params.uint("Offset").unwrap_or(0)
    };
    let limit = params.uint("Limit").unwrap_or(DEFAULT_LIMIT);
    let template = example
        .get("InstanceSet")
        .and_then(Value::as_array)
        .and_then(|set| set.first())
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let page: Vec<Value> = instances
        .iter()
        .skip(usize::try_from(offset).unwrap_or(usize::MAX))
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
        .map(|instance| {
            let mut shown = template.clone();
            shown.insert(
                "InstanceId".into(),
                Value::String(instance.instance_id.clone()),
            );
            shown.insert(
                "InstanceState".into(),
                serde_json::to_value(instance.instance_state).unwrap_or_default(),
            );
            for (member, value) in [
                ("LatestOperation", &instance.latest_operation),
                ("LatestOperationState", &instance.latest_operation_state),
            ] {
                shown.insert(
                    member.into(),
                    value
                        .as_ref()
                        .map_or(Value::Null, |v| Value::String(v.clone())),
                );
            }
            Value::Object(shown)
        })
        .collect();
    let mut response = Map::new();
    response.insert("TotalCount".into(), Value::from(instances.len()));
    response.insert("InstanceSet".into(), Value::Array(page));
    Effect {
        response,
        changed: false,
    }
}

/// The instances `InstanceIds` names, each once, all well formed and in the call's region.
fn named_instances<'p>(
    world: &World,
    ctx: &CallContext<'_>,
    params: &'p Params,
) -> Result<Vec<&'p str>, ApiError> {
    let mut seen = HashSet::new();
    let ids: Vec<&str> = params
        .strings("InstanceIds")
        .unwrap_or_default()
        .into_iter()
        .filter(|id| seen.insert(*id))
        .collect();
    if ids.is_empty() {
        return Err(ApiError::invalid_parameter_value(
            "The parameter `InstanceIds` must name at least one instance.",
        ));
    }
    let malformed: Vec<&str> = ids
        .iter()
        .copied()
        .filter(|id| !is_well_formed_id(id, "ins-"))
        .collect();
    if !malformed.is_empty() {
        return Err(ApiError::new(
            "InvalidInstanceId.Malformed",
            format!(
                "Invalid instance ID {}: expected `ins-` followed by 8 lowercase letters or digits.",
                id_list(&malformed)
            ),
        ));
    }
    let missing: Vec<&str> = ids
        .iter()
        .copied()
        .filter(|id| {
            world
                .instances
                .get(*id)
                .is_none_or(|i| ctx.region.is_some_and(|r| r != i.region))
        })
        .collect();
    if !missing.is_empty() {
        return Err(ApiError::new(
            "InvalidInstanceId.NotFound",
            format!(
                "The instance ID {} does not exist in region `{}`.",
                id_list(&missing),
                ctx.region.unwrap_or_default()
            ),
        ));
    }
    Ok(ids)
}

/// `RunInstances`: `InstanceCount` new instances (1 unless the request says) in the call's
/// region, `PENDING` until the world's launch time has passed, then `RUNNING`, or
/// `LAUNCH_FAILED` while launch failures are asked for. `DryRun` checks and launches nothing,
/// answering `DryRunOperation` as the service does when the checks pass.
pub(super) fn run_instances(
    world: &mut World,
    ctx: &CallContext<'_>,
    params: &Params,
) -> Result<Effect, ApiError> {
    let count = params.uint("InstanceCount").unwrap_or(1);
    if !(1..=MAX_LAUNCH).contains(&count) {
        return Err(ApiError::invalid_parameter_value(format!(
            "The parameter `InstanceCount` must be between 1 and {MAX_LAUNCH}, not {count}."
        )));
    }
    super::dry_run(params)?;
    let region = ctx.region.unwrap_or(crate::resources::DEFAULT_REGION);
    let now = Instant::now();
    let launch = Duration::from_millis(world.transitions.launch_ms);
    let mut ids = Vec::new();
    for _ in 0..count {
        let id = world.new_instance_id();
        let to = if world.transitions.launch_failures > 0 {
            world.transitions.launch_failures -= 1;
            InstanceState::LaunchFailed
        } else {
            InstanceState::Running
        };
        world
            .instances
            .insert(id.clone(), Instance::new(id.clone()).region(region));
        world.begin(
            &id,
            "RunInstances",
            (InstanceState::Pending, to),
            launch,
            now,
        );
        ids.push(Value::String(id));
    }
    let mut response = Map::new();
    response.insert("InstanceIdSet".into(), Value::Array(ids));
    Ok(Effect::changed(response))
}

/// A change of state `StartInstances`, `StopInstances` or `RebootInstances` makes.
pub(super) struct Change {
    action: &'static str,
    from: InstanceState,
    during: InstanceState,
    to: InstanceState,
}

pub(super) const START: Change = Change {
    action: "StartInstances",
    from: InstanceState::Stopped,
    during: InstanceState::Starting,
    to: InstanceState::Running,
};

pub(super) const STOP: Change = Change {
    action: "StopInstances",
    from: InstanceState::Running,
    during: InstanceState::Stopping,
    to: InstanceState::Stopped,
};

pub(super) const REBOOT: Change = Change {
    action: "RebootInstances",
    from: InstanceState::Running,
    during: InstanceState::Rebooting,
    to: InstanceState::Running,
};

/// `StartInstances`, `StopInstances` and `RebootInstances`: every named instance must be in the
/// state the change starts from (else the documented code of the state it is in, nothing
/// changed); each is `STARTING`, `STOPPING` or `REBOOTING` until the world's change time has
/// passed.
pub(super) fn change_instances(
    world: &mut World,
    ctx: &CallContext<'_>,
    params: &Params,
    change: Change,
) -> Result<Effect, ApiError> {
    let ids = named_instances(world, ctx, params)?;
    if let Some(instance) = ids
        .iter()
        .filter_map(|id| world.instances.get(*id))
        .find(|i| i.instance_state != change.from)
    {
        return Err(ApiError::new(
            state_code(instance.instance_state),
            format!(
                "The instance `{}` is in state {:?}, which does not allow {}.",
                instance.instance_id, instance.instance_state, change.action
            ),
        ));
    }
    let now = Instant::now();
    let after = Duration::from_millis(world.transitions.change_ms);
    for id in ids {
        world.begin(id, change.action, (change.during, change.to), after, now);
    }
    Ok(Effect::changed(Map::new()))
}

pub(super) fn terminate_instances(
    world: &mut World,
    ctx: &CallContext<'_>,
    params: &Params,
) -> Result<Effect, ApiError> {
    let ids = named_instances(world, ctx, params)?;
    let instances: Vec<_> = ids
        .iter()
        .filter_map(|id| world.instances.get(*id))
        .collect();
    let protected: Vec<&str> = instances
        .iter()
        .filter(|i| i.disable_api_termination)
        .map(|i| i.instance_id.as_str())
        .collect();
    if !protected.is_empty() {
        return Err(ApiError::new(
            "UnsupportedOperation.InstancesProtected",
            format!(
                "The instance {} is under termination protection and cannot be terminated. Disable the termination protection and try again.",
                id_list(&protected)
            ),
        ));
    }
    if let Some((instance, code)) = instances
        .iter()
        .find_map(|i| state_error(i.instance_state).map(|code| (i, code)))
    {
        return Err(ApiError::new(
            code,
            format!(
                "The instance `{}` is in state {:?}, which does not allow this operation.",
                instance.instance_id, instance.instance_state
            ),
        ));
    }
    for id in ids {
        if let Some(instance) = world.instances.get_mut(id) {
            instance.instance_state = InstanceState::Terminated;
        }
    }
    Ok(Effect::changed(Map::new()))
}
