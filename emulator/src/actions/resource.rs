//! The state rules every modelled resource shares (`resource_model`): a create stores a new
//! resource, made of the read's documented item with the request's members of the same names
//! laid over it; a read lists the resources of the call's region (those its id member names),
//! page by page with their total, narrowed by the `Filters` whose names are members of the
//! records (`vpc-name` → `VpcName`); a get answers one; a modify sets the members it names; a
//! change (a lifecycle verb) sets what its spec says, at once and after the transition delay;
//! a delete removes. What the spec requires is checked first and refused with its code: an id
//! naming nothing, a member not in an allowed state, a unique member taken, a resource of
//! another kind that does not exist (a subnet's `VpcId`), and a delete of a resource another
//! one still names (`ResourceInUse` where the action documents it).

use std::time::{Duration, Instant};

use serde_json::{Map, Value};
use tencentcloud_spec::names;
use tencentcloud_spec::resources::{Effect as Change, Get, IdType, Outcome, Targeted};

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
    let call = Call {
        kind: &action.kind,
        def,
        region: ctx.region.unwrap_or(crate::resources::DEFAULT_REGION),
        params,
    };
    match &action.effect {
        Change::Create => call.create(world),
        Change::Read => Ok(call.read(world, ctx)),
        Change::Get(get) => call.get(world, get),
        Change::Modify(target) => call.change(world, target, Verb::Modify),
        Change::Delete(target) => call.change(world, target, Verb::Delete),
        Change::Change(target) => call.change(world, target, Verb::Change),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Verb {
    Modify,
    Delete,
    Change,
}

/// A resource of another kind a request names, by the member naming it.
struct Named<'a> {
    member: &'a str,
    service: &'a str,
    kind: &'a str,
    /// The code refusing one that does not exist, when the spec writes it.
    code: Option<&'a String>,
}

struct Call<'a> {
    kind: &'a ResourceKind,
    def: &'a ActionDef,
    region: &'a str,
    params: &'a Params,
}

impl Call<'_> {
    fn not_found(&self, noun: &str, member: &str, ids: &[&str]) -> ApiError {
        ApiError::new(
            not_found_code(&self.def.documented_errors, noun),
            format!(
                "The {member} {} does not exist in region `{}`.",
                id_list(ids),
                self.region
            ),
        )
    }

    /// What a request may name besides its own resources: the other kinds of the service by
    /// their id members (a subnet's `VpcId`), then the references `outcome` writes (an
    /// instance of cvm), each with the code its spec gives for one that does not exist.
    fn references<'o>(&'o self, outcome: &'o Outcome) -> impl Iterator<Item = Named<'o>> {
        let written = outcome.refers.iter().map(|r| Named {
            member: &r.member,
            service: r.service.as_deref().unwrap_or(&self.kind.service),
            kind: &r.resource,
            code: Some(&r.error),
        });
        let implied = self.kind.others.iter().map(|(member, kind)| Named {
            member,
            service: &self.kind.service,
            kind,
            code: None,
        });
        written.chain(implied)
    }

    /// Refuses ids not of the form their kind's ids take (`vpc-` and 8 lowercase letters or
    /// digits), with the action's documented code for that, when it documents one: the ids
    /// the request names in `member` of this kind, and those it names of the service's other
    /// kinds.
    fn malformed(&self, outcome: &Outcome, member: &str, ids: &[String]) -> Result<(), ApiError> {
        let named = self
            .references(outcome)
            .filter(|named| named.service == self.kind.service)
            .filter_map(|named| {
                let shape = self.kind.shapes.get(named.kind)?;
                Some((named.member, shape, self.ids(named.member)))
            });
        let own = std::iter::once((member, &self.kind.shape, ids.to_vec()));
        for (member, shape, ids) in own.chain(named) {
            let Some(id) = ids.iter().find(|id| !shape.is_well_formed(id)) else {
                continue;
            };
            if let Some(code) = shape.malformed_code(&self.def.documented_errors) {
                return Err(ApiError::new(
                    code,
                    format!(
                        "The parameter `{member}` value `{id}` is malformed: expected `{}` followed by 8 lowercase letters or digits.",
                        shape.prefix
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The request's ids in `member`, else in the older member `also` names.
    fn ids_in(&self, member: &str, also: Option<&str>) -> Vec<String> {
        let ids = self.ids(member);
        match also {
            Some(also) if ids.is_empty() => self.ids(also),
            _ => ids,
        }
    }

    /// The request's ids in `member`: one, or a list; text or numbers.
    fn ids(&self, member: &str) -> Vec<String> {
        match self.params.members().get(member) {
            Some(Value::Array(items)) => items.iter().filter_map(id_text).collect(),
            Some(value) => id_text(value).into_iter().collect(),
            None => Vec::new(),
        }
    }

    fn record<'w>(&self, world: &'w World, id: &str) -> Option<&'w Record> {
        world
            .records
            .of(&self.kind.service, &self.kind.resource.name)?
            .get(id)
            .filter(|record| record.region == self.region)
    }

    /// Refuses a request naming, by another kind's id member or a written reference, a
    /// resource that does not exist.
    fn missing_references(&self, world: &World, outcome: &Outcome) -> Result<(), ApiError> {
        for named in self.references(outcome) {
            let ids = self.ids(named.member);
            let Some(id) = ids
                .iter()
                .filter(|id| !id.is_empty())
                .find(|id| !exists(world, named.service, named.kind, id, self.region))
            else {
                continue;
            };
            // The code is found among the action's documented ones only for a refusal: a
            // service documents a thousand codes, and most calls name only what exists.
            let code = named
                .code
                .cloned()
                .unwrap_or_else(|| not_found_code(&self.def.documented_errors, named.kind));
            return Err(ApiError::new(
                code,
                format!(
                    "The {} `{id}` does not exist in region `{}`.",
                    named.member, self.region
                ),
            ));
        }
        Ok(())
    }

    fn create(&self, world: &mut World) -> Result<Effect, ApiError> {
        let resource = &self.kind.resource;
        let create = &resource.create;
        self.missing_references(world, &create.outcome)?;
        let mut members = self.kind.template.clone();
        for (name, value) in self.params.members() {
            if members.contains_key(name) || self.kind.listed.contains(name) {
                members.insert(name.clone(), value.clone());
            }
        }
        apply(&mut members, &create.outcome, self.params);
        let named = create
            .id_from
            .as_ref()
            .and_then(|member| self.params.members().get(member));
        if let Some(id) = named {
            // Validation has a `unique` entry refuse a second resource of the same name.
            members.insert(resource.id.clone(), id.clone());
        }
        for unique in &create.unique {
            let Some(value) = members.get(&unique.member) else {
                continue;
            };
            let taken = world
                .records
                .of(&self.kind.service, &resource.name)
                .into_iter()
                .flatten()
                .any(|(_, r)| {
                    r.region == self.region && r.members.get(&unique.member) == Some(value)
                });
            if taken {
                return Err(ApiError::new(
                    unique.error.clone(),
                    format!(
                        "The {} {value} is taken by another {}.",
                        unique.member, resource.name
                    ),
                ));
            }
        }
        super::dry_run(self.params)?;
        let count = create
            .count
            .as_deref()
            .and_then(|member| self.params.uint(member))
            .unwrap_or(1)
            .clamp(1, MAX_CREATED);
        let now = Instant::now();
        let after = Duration::from_millis(world.transitions.launch_ms);
        let mut ids = Vec::new();
        for _ in 0..count {
            let (key, id) = match (named, resource.id_type) {
                (Some(id), _) => (id_text(id).unwrap_or_default(), id.clone()),
                (None, IdType::Number) => {
                    let n = world.records.new_number(&self.kind.service, &resource.name);
                    (n.to_string(), Value::from(n))
                }
                (None, IdType::Text) => {
                    let id = world.records.new_id(&resource.prefix);
                    (id.clone(), Value::String(id))
                }
            };
            let mut stored = members.clone();
            stored.insert(resource.id.clone(), id.clone());
            // The answer's name for the id may be a member the read lists too (gaap's
            // `InstanceId` beside `ProxyId`): it holds the same id.
            if let Some(named_as) = create.ids.last().filter(|n| self.kind.listed.contains(*n)) {
                stored.insert(named_as.clone(), id.clone());
            }
            let place = (
                self.kind.service.clone(),
                resource.name.clone(),
                key.clone(),
            );
            world
                .records
                .of_mut(&self.kind.service, &resource.name)
                .insert(key, Record::new(self.region, stored));
            world
                .records
                .begin(place, now + after, create.outcome.then.clone());
            ids.push(id);
        }
        // Every resource made holds the same members but its id: the first describes them all.
        members.insert(
            resource.id.clone(),
            ids.first().cloned().unwrap_or_default(),
        );
        let mut response = self.def.example_response.clone();
        match create.ids.as_slice() {
            [list] if create.list => {
                response.insert(list.clone(), Value::Array(ids));
            }
            [single] => {
                response.insert(single.clone(), ids.into_iter().next().unwrap_or_default());
            }
            [object, _] => {
                let described = match response.remove(object) {
                    Some(Value::Object(shown)) => lay_over(shown, &members, &resource.id),
                    _ => members,
                };
                response.insert(object.clone(), Value::Object(described));
            }
            _ => {}
        }
        Ok(Effect::changed(response))
    }

    fn read(&self, world: &World, ctx: &CallContext<'_>) -> Effect {
        let read = &self.kind.resource.read;
        let named = match &read.ids {
            Some(member) => self.ids_in(member, read.ids_also.as_deref()),
            None => Vec::new(),
        };
        let matching: Vec<Value> = world
            .records
            .of(&self.kind.service, &self.kind.resource.name)
            .into_iter()
            .flatten()
            .filter(|(id, record)| {
                record.region == self.region
                    && (named.is_empty() || named.contains(id))
                    && passes_filters(record, self.params)
            })
            .map(|(_, record)| {
                let mut item = self.kind.template.clone();
                let listed = record
                    .members
                    .iter()
                    .filter(|(name, _)| self.kind.listed.contains(*name))
                    .map(|(name, value)| (name.clone(), value.clone()));
                item.extend(listed);
                Value::Object(item)
            })
            .collect();
        let mut response = self.def.example_response.clone();
        let size = matching.len() as u64;
        match self.def.paging.as_ref().filter(|p| p.items == read.items) {
            Some(paging) => {
                let (start, end) = listing::window(paging, self.params, size, ctx.ignore_offset);
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
        if let Some(also) = &read.items_also
            && let Some(listed) = listing::value_at(&response, &read.items).cloned()
        {
            listing::set_value_at(&mut response, also, listed);
        }
        Effect {
            response,
            changed: false,
        }
    }

    fn get(&self, world: &World, get: &Get) -> Result<Effect, ApiError> {
        let id = self.ids(&get.ids).into_iter().next().unwrap_or_default();
        self.malformed(&Outcome::default(), &get.ids, std::slice::from_ref(&id))?;
        let record = self
            .record(world, &id)
            .ok_or_else(|| self.not_found(&self.kind.resource.name, &get.ids, &[&id]))?;
        let mut response = self.def.example_response.clone();
        let shown = if get.at.is_empty() {
            lay_over(response, &record.members, "")
        } else {
            let example = listing::value_at(&response, &get.at)
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default();
            let inner = lay_over(example, &record.members, "");
            listing::set_value_at(&mut response, &get.at, Value::Object(inner));
            response
        };
        Ok(Effect {
            response: shown,
            changed: false,
        })
    }

    /// A modify (sets the members the request names), a change or a delete of the resources
    /// `target` names.
    fn change(&self, world: &mut World, target: &Targeted, verb: Verb) -> Result<Effect, ApiError> {
        let resource = &self.kind.resource;
        let ids = self.ids_in(&target.ids, target.ids_also.as_deref());
        if ids.is_empty() {
            return Err(ApiError::missing_parameter(&target.ids));
        }
        self.malformed(&target.outcome, &target.ids, &ids)?;
        // What a request names besides its resources (a VPN connection's gateway) is looked
        // up first, as the service does.
        self.missing_references(world, &target.outcome)?;
        let missing: Vec<&str> = ids
            .iter()
            .filter(|id| self.record(world, id).is_none())
            .map(String::as_str)
            .collect();
        if !missing.is_empty() {
            return Err(self.not_found(&resource.name, &target.ids, &missing));
        }
        for requirement in &target.requires {
            for id in &ids {
                let held = self
                    .record(world, id)
                    .and_then(|r| r.members.get(&requirement.member))
                    .unwrap_or(&Value::Null);
                let (allowed, wanted) = match &requirement.same_as {
                    Some(member) => {
                        let asked = self.params.members().get(member).unwrap_or(&Value::Null);
                        (held == asked, format!("the request's {member} {asked}"))
                    }
                    None => (
                        requirement.one_of.contains(held),
                        format!("one of {}", Value::from(requirement.one_of.clone())),
                    ),
                };
                if !allowed {
                    return Err(ApiError::new(
                        requirement.error.clone(),
                        format!(
                            "The {} `{id}` has {} {held}; {} needs {wanted}.",
                            resource.name, requirement.member, self.def.name
                        ),
                    ));
                }
            }
        }
        let in_use = "ResourceInUse";
        if verb == Verb::Delete
            && self.def.documents(in_use)
            && let Some((id, user)) = ids
                .iter()
                .find_map(|id| named_by(world, self.kind, id).map(|user| (id, user)))
        {
            return Err(ApiError::new(
                in_use.to_owned(),
                format!(
                    "The {} `{id}` is in use by {user}; delete that first.",
                    resource.id
                ),
            ));
        }
        super::dry_run(self.params)?;
        let now = Instant::now();
        let after = Duration::from_millis(world.transitions.change_ms);
        for id in ids {
            let records = world.records.of_mut(&self.kind.service, &resource.name);
            if verb == Verb::Delete {
                records.remove(&id);
                continue;
            }
            let Some(record) = records.get_mut(&id) else {
                continue;
            };
            if verb == Verb::Modify {
                for (name, value) in self.params.members() {
                    let held = record.members.contains_key(name) || self.kind.listed.contains(name);
                    if name != &target.ids && held {
                        record.members.insert(name.clone(), value.clone());
                    }
                }
            }
            apply(&mut record.members, &target.outcome, self.params);
            let place = (self.kind.service.clone(), resource.name.clone(), id);
            world
                .records
                .begin(place, now + after, target.outcome.then.clone());
        }
        Ok(Effect::changed(Map::new()))
    }
}

/// Sets what `outcome` sets at once: its values, members copied from the request, and lists
/// grown or shrunk by the request's.
fn apply(members: &mut Map<String, Value>, outcome: &Outcome, params: &Params) {
    for (name, value) in &outcome.set {
        members.insert(name.clone(), value.clone());
    }
    for (name, from) in &outcome.copy {
        if let Some(value) = params.members().get(from) {
            members.insert(name.clone(), value.clone());
        }
    }
    for (lists, grow) in [(&outcome.append, true), (&outcome.remove, false)] {
        for (name, from) in lists {
            if let Some(given) = params.members().get(from) {
                let held = members.entry(name.clone()).or_insert(Value::Null);
                change_lists(held, given, grow);
            }
        }
    }
}

/// Grows (`grow`) or shrinks the list `held` by the items of `given`; for objects, each list
/// member by the same-named list of `given`.
fn change_lists(held: &mut Value, given: &Value, grow: bool) {
    match (held, given) {
        (Value::Object(held), Value::Object(given)) => {
            for (name, items) in given {
                if items.is_array() {
                    let list = held.entry(name.clone()).or_insert(Value::Null);
                    change_lists(list, items, grow);
                }
            }
        }
        (held, Value::Array(items)) => {
            let mut list = match held.take() {
                Value::Array(list) => list,
                _ => Vec::new(),
            };
            if grow {
                list.extend(items.iter().cloned());
            } else {
                list.retain(|kept| !items.iter().any(|item| matches(kept, item)));
            }
            *held = Value::Array(list);
        }
        _ => {}
    }
}

/// Whether `held` holds every member `item` gives, with the same values (or is `item`).
fn matches(held: &Value, item: &Value) -> bool {
    match (held, item) {
        (Value::Object(held), Value::Object(item)) => item
            .iter()
            .all(|(name, value)| held.get(name) == Some(value)),
        _ => held == item,
    }
}

/// `shown` with the members it has (and `id`) taken from `members`.
fn lay_over(
    mut shown: Map<String, Value>,
    members: &Map<String, Value>,
    id: &str,
) -> Map<String, Value> {
    for (name, value) in members {
        if shown.contains_key(name) || name == id {
            shown.insert(name.clone(), value.clone());
        }
    }
    shown
}

/// An id as the records key it: text as it is, a number in decimal.
fn id_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Whether a resource of `kind` of `service` has id `id` in `region`. Instances are kept by
/// cvm's state rules, not as records, so they are looked up there.
fn exists(world: &World, service: &str, kind: &str, id: &str, region: &str) -> bool {
    if (service, kind) == ("cvm", "Instance") {
        return world.instances.get(id).is_some_and(|i| i.region == region);
    }
    world
        .records
        .of(service, kind)
        .and_then(|records| records.get(id))
        .is_some_and(|record| record.region == region)
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
                    .and_then(id_text)
                    .as_deref()
                    == Some(id)
            })
            .map(|(other_id, _)| format!("{other} `{other_id}`"))
    })
}
