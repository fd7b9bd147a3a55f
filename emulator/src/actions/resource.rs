//! The state rules every modelled resource shares (`resource_model`): a create stores a new
//! resource, made of the read's documented item with the request's members of the same names
//! laid over it; a read lists the resources of the call's region (those its id member names),
//! page by page with their total, narrowed by the `Filters` whose names are members of the
//! records (`vpc-name` → `VpcName`); a modify sets the members it names; a delete removes. An
//! id that names nothing is refused with the action's documented code; so is a create naming
//! another kind's resource that does not exist (a subnet's `VpcId`), and a delete of a resource
//! another one still names gets `ResourceInUse` where the action documents it.

use serde_json::{Map, Value};
use tencentcloud_spec::names;
use tencentcloud_spec::resources::{Effect as Change, Targeted};

use super::{CallContext, Effect, id_list};
use crate::api_error::ApiError;
use crate::catalog::ActionDef;
use crate::listing;
use crate::records::Record;
use crate::resource_model::{ResourceAction, ResourceKind, not_found_code};
use crate::state::World;
use crate::validate::Params;

/// Most resources one create makes.
const MAX_CREATED: u64 = 100;

/// `action` of `def`, whose documented codes answer what is refused.
pub(super) fn execute(
    action: &ResourceAction,
    def: &ActionDef,
    world: &mut World,
    ctx: &CallContext<'_>,
    params: &Params,
) -> Result<Effect, ApiError> {
    let kind = &action.kind;
    let region = ctx.region.unwrap_or(crate::resources::DEFAULT_REGION);
    match &action.effect {
        Change::Create => {
            missing_parent(kind, def, world, region, params)?;
            Ok(create(kind, &def.example_response, world, region, params))
        }
        Change::Read => Ok(read(kind, def, world, region, ctx, params)),
        Change::Modify(target) => change(kind, def, target, false, world, region, params),
        Change::Delete(target) => change(kind, def, target, true, world, region, params),
    }
}

/// Refuses a create naming, by another kind's id member, a resource that does not exist.
fn missing_parent(
    kind: &ResourceKind,
    def: &ActionDef,
    world: &World,
    region: &str,
    params: &Params,
) -> Result<(), ApiError> {
    for (member, other) in &kind.others {
        let Some(id) = params.string(member).filter(|id| !id.is_empty()) else {
            continue;
        };
        let exists = world
            .records
            .of(&kind.service, other)
            .and_then(|records| records.get(id))
            .is_some_and(|record| record.region == region);
        if !exists {
            return Err(ApiError::new(
                not_found_code(&def.documented_errors, other),
                format!("The {member} `{id}` does not exist in region `{region}`."),
            ));
        }
    }
    Ok(())
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
    let mut members = kind.template.clone();
    for (name, value) in params.members() {
        if members.contains_key(name) {
            members.insert(name.clone(), value.clone());
        }
    }
    let mut ids = Vec::new();
    for _ in 0..count {
        let id = world.records.new_id(&kind.resource.prefix);
        let mut record = Record {
            region: region.to_owned(),
            members: members.clone(),
        };
        record
            .members
            .insert(kind.resource.id.clone(), Value::String(id.clone()));
        world
            .records
            .of_mut(&kind.service, &kind.resource.name)
            .insert(id.clone(), record);
        ids.push(Value::String(id));
    }
    // Every resource made holds the same members but its id: the first describes them all.
    members.insert(
        kind.resource.id.clone(),
        ids.first().cloned().unwrap_or_default(),
    );
    let mut response = example_response.clone();
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
                    for (name, value) in members {
                        if shown.contains_key(&name) || name == kind.resource.id {
                            shown.insert(name, value);
                        }
                    }
                    shown
                }
                _ => members,
            };
            response.insert(object.clone(), Value::Object(described));
        }
        _ => {}
    }
    Effect::changed(response)
}

fn read(
    kind: &ResourceKind,
    def: &ActionDef,
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
            record.region == region
                && named.as_ref().is_none_or(|ids| ids.contains(&id.as_str()))
                && passes_filters(record, params)
        })
        .map(|(_, record)| Value::Object(record.members.clone()))
        .collect();
    let mut response = def.example_response.clone();
    let size = matching.len() as u64;
    match def.paging.as_ref().filter(|p| p.items == read.items) {
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

/// Whether `record` passes the request's `Filters` (`[{"Name": "vpc-name", "Values": […]}]`):
/// each filter whose name is a member of the record (`vpc-name` → `VpcName`) must match one of
/// its values; a filter naming no member is not applied.
fn passes_filters(record: &Record, params: &Params) -> bool {
    let Some(filters) = params.members().get("Filters").and_then(Value::as_array) else {
        return true;
    };
    filters.iter().all(|filter| {
        let Some(name) = filter.get("Name").and_then(Value::as_str) else {
            return true;
        };
        let Some(value) = record.members.get(&names::filter_member(name)) else {
            return true;
        };
        let text = match value {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        };
        filter
            .get("Values")
            .and_then(Value::as_array)
            .is_some_and(|values| values.iter().any(|v| v.as_str() == Some(text.as_str())))
    })
}

/// A modify (sets the members the request names) or a delete of the resources `target` names.
fn change(
    kind: &ResourceKind,
    def: &ActionDef,
    target: &Targeted,
    delete: bool,
    world: &mut World,
    region: &str,
    params: &Params,
) -> Result<Effect, ApiError> {
    let ids: Vec<&str> = if target.list {
        params.strings(&target.ids).unwrap_or_default()
    } else {
        params.string(&target.ids).into_iter().collect()
    };
    let kept = world.records.of(&kind.service, &kind.resource.name);
    let missing: Vec<&str> = ids
        .iter()
        .copied()
        .filter(|id| {
            kept.and_then(|records| records.get(*id))
                .is_none_or(|r| r.region != region)
        })
        .collect();
    if !missing.is_empty() {
        return Err(ApiError::new(
            not_found_code(&def.documented_errors, &kind.resource.name),
            format!(
                "The {} {} does not exist in region `{region}`.",
                kind.resource.id,
                id_list(&missing)
            ),
        ));
    }
    let in_use = "ResourceInUse";
    if delete
        && def.documents(in_use)
        && let Some((id, user)) = ids
            .iter()
            .find_map(|id| named_by(world, kind, id).map(|user| (*id, user)))
    {
        return Err(ApiError::new(
            in_use,
            format!(
                "The {} `{id}` is in use by {user}; delete that first.",
                kind.resource.id
            ),
        ));
    }
    let records = world.records.of_mut(&kind.service, &kind.resource.name);
    for id in ids {
        if delete {
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

/// Another kind's resource (`Subnet `subnet-00000001``) whose members name `id` by `kind`'s id
/// member.
fn named_by(world: &World, kind: &ResourceKind, id: &str) -> Option<String> {
    kind.others.iter().find_map(|(_, other)| {
        world
            .records
            .of(&kind.service, other)?
            .iter()
            .find(|(_, record)| {
                record
                    .members
                    .get(&kind.resource.id)
                    .and_then(Value::as_str)
                    == Some(id)
            })
            .map(|(other_id, _)| format!("{other} `{other_id}`"))
    })
}
