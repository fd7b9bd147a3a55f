//! The resources of a service version the emulator keeps state for, as the spec model finds
//! them (`tencentcloud_spec::resources`), compiled once with what answering needs: the item a
//! read lists (the documented example's, filled from the record), and the other kinds of the
//! service its resources may name.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use serde_json::{Map, Value};
use tencentcloud_spec::resources::{Effect, Resource};
use tencentcloud_spec::types::ServiceSpec;

use crate::actions::StateRule;
use crate::resources::is_well_formed_id;

/// One kind of resource of one service version.
#[derive(Debug)]
pub(crate) struct ResourceKind {
    pub service: String,
    pub resource: Resource,
    /// The first item the read's example lists, without its id: what a new resource holds
    /// before its create request's members are laid over it.
    pub template: Map<String, Value>,
    /// The form of its ids.
    pub shape: IdShape,
    /// The members the read lists of each resource (others it holds show in its gets).
    pub listed: HashSet<String>,
    /// The other kinds of the service, by their id member (`VpcId` → `Vpc`): a create naming
    /// one must name one that exists, and one named by a resource cannot be deleted.
    pub others: Vec<(String, String)>,
    /// The form of the ids of every kind of the service, by kind, for the ids a request names.
    pub shapes: Arc<HashMap<String, IdShape>>,
}

/// What a kind's ids look like.
#[derive(Debug, Clone)]
pub(crate) struct IdShape {
    /// The member carrying it: `VpcId`.
    pub member: String,
    pub prefix: String,
    /// The ids the examples show look like Tencent Cloud's (the prefix and a few lowercase
    /// letters or digits: `vpc-2at5y1pn`, or a placeholder such as `vpngw-awdawc`), whose real
    /// ids are the prefix and 8 of them, as new ones are: an id of another form is malformed.
    pub fixed: bool,
}

impl IdShape {
    fn of(spec: &ServiceSpec, resource: &Resource) -> Self {
        IdShape {
            member: resource.id.clone(),
            prefix: resource.prefix.clone(),
            fixed: tencentcloud_spec::resources::example_id(spec, resource).is_some_and(|id| {
                id.strip_prefix(resource.prefix.as_str())
                    .is_some_and(|tail| {
                        (4..=10).contains(&tail.len())
                            && tail
                                .bytes()
                                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
                    })
            }),
        }
    }

    /// Whether `id` has the form of the kind's ids, when they have one.
    pub fn is_well_formed(&self, id: &str) -> bool {
        !self.fixed || is_well_formed_id(id, &self.prefix)
    }

    /// The code refusing a malformed id among an action's `codes`: one naming the id member
    /// (`InvalidVpcId.Malformed`), else `InvalidParameterValue.Malformed`; `None` when ids have
    /// no fixed form or the action documents no such code.
    pub fn malformed_code(&self, codes: &HashSet<String>) -> Option<String> {
        if !self.fixed {
            return None;
        }
        let member = self.member.to_lowercase();
        let mut sorted: Vec<&String> = codes.iter().filter(|c| c.contains("Malformed")).collect();
        sorted.sort_unstable();
        sorted
            .iter()
            .find(|c| c.to_lowercase().contains(&member))
            .or_else(|| {
                sorted
                    .iter()
                    .find(|c| c.as_str() == "InvalidParameterValue.Malformed")
            })
            .map(|c| (*c).clone())
    }
}

/// What one action does to a kind of resource.
#[derive(Debug, Clone)]
pub(crate) struct ResourceAction {
    pub kind: Arc<ResourceKind>,
    pub effect: Effect,
}

/// The resources of `spec`, each action of theirs with its effect, leaving out every kind one
/// of whose actions has a Rust state rule (which keeps that kind instead).
pub(crate) fn compile(spec: &ServiceSpec) -> Vec<(String, ResourceAction)> {
    let service = &spec.metadata.service_short_name;
    let ruled = |action: &str| StateRule::for_action(service, action).is_some();
    let found: Vec<Resource> = tencentcloud_spec::resources::find(spec)
        .into_values()
        .filter(|resource| !resource.actions().any(|(action, _)| ruled(action)))
        .collect();
    let shapes: Arc<HashMap<String, IdShape>> = Arc::new(
        found
            .iter()
            .map(|resource| (resource.name.clone(), IdShape::of(spec, resource)))
            .collect(),
    );
    let mut actions = Vec::new();
    for resource in &found {
        let others = found
            .iter()
            .filter(|other| other.name != resource.name && other.id != resource.id)
            .map(|other| (other.id.clone(), other.name.clone()))
            .collect();
        let kind = Arc::new(ResourceKind {
            service: spec.metadata.service_short_name.clone(),
            resource: resource.clone(),
            template: read_example_item(spec, resource),
            listed: listed_members(spec, resource),
            shape: IdShape::of(spec, resource),
            others,
            shapes: Arc::clone(&shapes),
        });
        actions.extend(kind.resource.actions().map(|(action, effect)| {
            let kind = Arc::clone(&kind);
            (action.to_owned(), ResourceAction { kind, effect })
        }));
    }
    actions
}

/// The members of the objects the resource's read lists.
fn listed_members(spec: &ServiceSpec, resource: &Resource) -> HashSet<String> {
    let read = &resource.read;
    let mut object = spec
        .actions
        .get(&read.action)
        .map(|action| action.output.as_str());
    for step in &read.items {
        object = object
            .and_then(|name| spec.objects.get(name))
            .and_then(|o| o.members.iter().find(|m| &m.name == step))
            .map(|m| m.member.as_str());
    }
    object
        .and_then(|name| spec.objects.get(name))
        .map(|o| o.members.iter().map(|m| m.name.clone()).collect())
        .unwrap_or_default()
}

fn read_example_item(spec: &ServiceSpec, resource: &Resource) -> Map<String, Value> {
    let read = &resource.read;
    spec.actions
        .get(&read.action)
        .into_iter()
        .flat_map(|a| &a.examples)
        .find_map(|example| {
            let response = example.response.get("Response")?;
            let items = read
                .items
                .iter()
                .try_fold(response, |value, step| value.get(step))?;
            items.as_array()?.first()?.as_object().cloned()
        })
        .map(|mut item| {
            item.remove(&resource.id);
            item
        })
        .unwrap_or_default()
}

/// The documented code for a missing resource of kind `noun` among an action's `codes`: one
/// naming the noun and `NotFound` (a `ResourceNotFound…` one first), else `ResourceNotFound…`,
/// else any `NotFound` code, else the common `ResourceNotFound`.
pub(crate) fn not_found_code(codes: &HashSet<String>, noun: &str) -> String {
    let noun = noun.to_lowercase();
    let mut sorted: Vec<&str> = codes.iter().map(String::as_str).collect();
    sorted.sort_unstable_by_key(|code| (!code.starts_with("ResourceNotFound"), *code));
    let found = |test: &dyn Fn(&str) -> bool| sorted.iter().copied().find(|c| test(c));
    found(&|c| c.contains("NotFound") && c.to_lowercase().contains(&noun))
        .or_else(|| found(&|c| c.starts_with("ResourceNotFound")))
        .or_else(|| found(&|c| c.contains("NotFound")))
        .unwrap_or("ResourceNotFound")
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_not_found_code_names_the_resource_when_one_is_documented() {
        let codes = HashSet::from(
            [
                "InvalidParameter",
                "ResourceNotFound",
                "InvalidParameterValue.VpcNotFound",
            ]
            .map(String::from),
        );
        assert_eq!(
            not_found_code(&codes, "Vpc"),
            "InvalidParameterValue.VpcNotFound"
        );
        assert_eq!(not_found_code(&codes, "Subnet"), "ResourceNotFound");
        assert_eq!(not_found_code(&HashSet::new(), "Disk"), "ResourceNotFound");
    }
}
