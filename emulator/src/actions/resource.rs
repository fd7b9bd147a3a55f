//! The state rules every modelled resource shares (`resource_model`): a create stores a new
//! resource, made of the read's documented item with the request's members of the same names
//! laid over it; a read lists the resources of the call's region (those its id member names),
//! page by page with their total; a modify sets the members it names; a delete removes. An id
//! that names nothing is refused with the action's documented code.

use serde_json::{Map, Value};
use tencentcloud_spec::resources::{Effect as Change, Targeted};
use tencentcloud_spec::types::Paging;

use super::{CallContext, Effect, id_list};
use crate::api_error::ApiError;
use crate::listing;
use crate::records::Record;
use crate::resource_model::{ResourceAction, ResourceKind};
use crate::state::World;
use crate::validate::Params;

/// Most resources one create makes.
const MAX_CREATED: u64 = 100;

pub(crate) fn execute(
    action: &ResourceAction,
    example_response: &Map<String, Value>,
    paging: Option<&Paging>,
    world: &mut World,
    ctx: &CallContext<'_>,
    params: &Params,
) -> Result<Effect, ApiError> {
    let kind = &action.kind;
    let region = ctx.region.unwrap_or(crate::resources::DEFAULT_REGION);
    match (action.effect, &action.target) {
        (Change::Create, _) => Ok(create(kind, example_response, world, region, params)),
        (Change::Read, _) => Ok(read(
            kind,
            example_response,
            paging,
            world,
            region,
            ctx,
            params,
        )),
        (change, Some(target)) => change_or_delete(action, change, target, world, region, params),
        (_, None) => Err(ApiError::new(
            "InternalError",
            "the emulator's resource model names no member for this action's resources",
        )),
    }
}

fn create(
    kind: &ResourceKind,
    example_response: &Map<String, Value>,
    world: &mut World,
    region: &str,
    params: &Params,
) -> Effect {
    let create = &kind.resource.create;
    let count = create
        .count
        .as_deref()
        .and_then(|member| params.uint(member))
        .unwrap_or(1)
        .clamp(1, MAX_CREATED);
    let mut made = Vec::new();
    for _ in 0..count {
        let id = world.records.new_id(&kind.resource.prefix);
        let mut members = kind.template.clone();
        for (name, value) in params.members() {
            if members.contains_key(name) {
                members.insert(name.clone(), value.clone());
            }
        }
        members.insert(kind.resource.id.clone(), Value::String(id.clone()));
        made.push(members.clone());
        let record = Record {
            region: region.to_owned(),
            members,
        };
        world
            .records
            .of_mut(&kind.service, &kind.resource.name)
            .insert(id, record);
    }
    let mut response = example_response.clone();
    let ids: Vec<Value> = made
        .iter()
        .filter_map(|m| m.get(&kind.resource.id).cloned())
        .collect();
    match create.ids.as_slice() {
        [list] if create.list => {
            response.insert(list.clone(), Value::Array(ids));
        }
        [single] => {
            response.insert(single.clone(), ids.into_iter().next().unwrap_or_default());
        }
        [object, _] => {
            // The answer describes the new resource: its members as stored, over the example's.
            let described = match response.remove(object) {
                Some(Value::Object(mut shown)) => {
                    for (name, value) in made.into_iter().next().unwrap_or_default() {
                        if shown.contains_key(&name) || name == kind.resource.id {
                            shown.insert(name, value);
                        }
                    }
                    shown
                }
                _ => Map::from_iter(made.into_iter().next().unwrap_or_default()),
            };
            response.insert(object.clone(), Value::Object(described));
        }
        _ => {}
    }
    Effect::changed(response)
}

fn read(
    kind: &ResourceKind,
    example_response: &Map<String, Value>,
    paging: Option<&Paging>,
    world: &World,
    region: &str,
    ctx: &CallContext<'_>,
    params: &Params,
) -> Effect {
    let read = &kind.resource.read;
    let named: Option<Vec<&str>> = read
        .ids
        .as_deref()
        .and_then(|member| params.strings(member))
        .filter(|ids| !ids.is_empty());
    let matching: Vec<Value> = world
        .records
        .of(&kind.service, &kind.resource.name)
        .into_iter()
        .flatten()
        .filter(|(id, record)| {
            record.region == region && named.as_ref().is_none_or(|ids| ids.contains(&id.as_str()))
        })
        .map(|(_, record)| Value::Object(record.members.clone()))
        .collect();
    let mut response = example_response.clone();
    let size = matching.len() as u64;
    match paging.filter(|p| p.items == read.items) {
        Some(paging) => {
            let (start, end) = listing::window(paging, params, size, ctx.ignore_offset);
            let page = matching
                .into_iter()
                .skip(usize::try_from(start).unwrap_or(usize::MAX))
                .take(usize::try_from(end.saturating_sub(start)).unwrap_or(usize::MAX))
                .collect();
            listing::fill(&mut response, paging, page, size, end);
        }
        None => {
            listing::set_value_at(&mut response, &read.items, Value::Array(matching));
            if let Some(total) = &read.total {
                listing::set_value_at(&mut response, total, Value::from(size));
            }
        }
    }
    Effect {
        response,
        changed: false,
    }
}

fn change_or_delete(
    action: &ResourceAction,
    change: Change,
    target: &Targeted,
    world: &mut World,
    region: &str,
    params: &Params,
) -> Result<Effect, ApiError> {
    let kind = &action.kind;
    let ids: Vec<&str> = if target.list {
        params.strings(&target.ids).unwrap_or_default()
    } else {
        params.string(&target.ids).into_iter().collect()
    };
    let records = world.records.of_mut(&kind.service, &kind.resource.name);
    let missing: Vec<&str> = ids
        .iter()
        .copied()
        .filter(|id| records.get(*id).is_none_or(|r| r.region != region))
        .collect();
    if !missing.is_empty() {
        return Err(ApiError::new(
            action.not_found.clone(),
            format!(
                "The {} {} does not exist in region `{region}`.",
                kind.resource.id,
                id_list(&missing)
            ),
        ));
    }
    for id in ids {
        if change == Change::Delete {
            records.remove(id);
        } else if let Some(record) = records.get_mut(id) {
            for (name, value) in params.members() {
                if name != &target.ids && record.members.contains_key(name) {
                    record.members.insert(name.clone(), value.clone());
                }
            }
        }
    }
    Ok(Effect::changed(Map::new()))
}
