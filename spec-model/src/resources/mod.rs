//! The resources of a service version: the kinds of thing its actions create, read back, change
//! and delete, with the rules those actions keep (what must hold before, what changes after).
//!
//! Most are found in the actions by the naming families Tencent Cloud's API keeps to (`infer`);
//! an overlay's `resources` section adds the ones the families miss, replaces one found wrong
//! whole, or removes one (`null`), and is the only place lifecycle verbs, preconditions and
//! states over time are written.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::types::{MemberKind, ServiceSpec};

mod infer;

/// One kind of resource and the actions that create, read, change and delete it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Resource {
    /// The noun: `Vpc` (the key of the `resources` section).
    #[serde(skip)]
    pub name: String,
    /// The member carrying its id: `VpcId`. A resource holds the members its read lists, and
    /// those its gets answer with (a security group's `SecurityGroupPolicySet`).
    pub id: String,
    /// What new ids start with: `vpc-`; empty for the prefix the examples show (or the noun's,
    /// lowercased).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub prefix: String,
    /// Ids are strings (`vpc-…`) or numbers (a cam policy's `PolicyId`).
    #[serde(default, skip_serializing_if = "IdType::is_text")]
    pub id_type: IdType,
    pub create: Create,
    pub read: Read,
    /// Actions reading one resource by its id, answering its members in place of the example's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub get: Vec<Get>,
    /// Actions setting the members of the same names as their request's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modify: Vec<Targeted>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub delete: Vec<Targeted>,
    /// Lifecycle verbs (`AttachDisks`, `AssociateAddress`): they change only what their `set`,
    /// `copy` and `then` say.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<Targeted>,
}

/// How a resource's ids are written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum IdType {
    #[default]
    Text,
    /// Numbers counted up from 1.
    Number,
}

impl IdType {
    fn is_text(&self) -> bool {
        *self == IdType::Text
    }
}

/// The action creating the resource, and where its answer gives the new id.
// Unknown keys are refused by validation: serde cannot with a flattened member.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Create {
    pub action: String,
    /// From the answer's top level: `["VpcId"]`, `["Vpc", "VpcId"]`, `["DiskIdSet"]`.
    pub ids: Vec<String>,
    /// The answer gives a list of ids.
    #[serde(skip)]
    pub list: bool,
    /// The request member saying how many to create, when the answer is a list: `DiskCount`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<String>,
    /// The request member whose value is the new resource's id, for resources named by their
    /// creator (a cam user's `Name`) rather than given an id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_from: Option<String>,
    /// Members no two resources of the kind may share, with the code refusing a second one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unique: Vec<Unique>,
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// The action listing resources.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Read {
    pub action: String,
    /// The request member naming the resources to read (`VpcIds`), when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ids: Option<String>,
    /// An older request member naming them too, read when `ids` is not sent (gaap's
    /// `InstanceIds` beside `ProxyIds`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ids_also: Option<String>,
    /// The answer's list of resources: `["VpcSet"]`.
    pub items: Vec<String>,
    /// An older list of the answer holding the same resources (gaap's `InstanceSet` beside
    /// `ProxySet`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items_also: Option<Vec<String>>,
    /// The answer's count of all matching resources, when it gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<Vec<String>>,
}

/// An action reading one resource: `GetUser` by `Name`, its members at the answer's top level
/// (`at` empty) or in an object (`["RoleInfo"]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Get {
    pub action: String,
    pub ids: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub at: Vec<String>,
}

/// An action naming resources by id, one (`VpcId`) or a list (`DiskIds`), with what must hold
/// of them first and what it changes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Targeted {
    pub action: String,
    pub ids: String,
    /// An older request member naming them too, read when `ids` is not sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ids_also: Option<String>,
    #[serde(skip)]
    pub list: bool,
    /// What each resource named must hold, or the call is refused.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requires: Vec<Requirement>,
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// What an action requires of other resources and sets on its own.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Outcome {
    /// Request members that must name an existing resource of another kind.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refers: Vec<Reference>,
    /// Members set at once: `{"Attached": true}`.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub set: Map<String, Value>,
    /// Members set at once from the request's: resource member → request member.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub copy: BTreeMap<String, String>,
    /// Lists grown by the request's: resource member → request member. A list gets the
    /// request's items after its own; an object, each of its lists the same-named list's items.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub append: BTreeMap<String, String>,
    /// Lists shrunk by the request's, as `append` grows them: an item goes when a request item
    /// holds the same values for every member the request item gives.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub remove: BTreeMap<String, String>,
    /// Members set once the change has taken its time (the emulator's transition delay):
    /// `{"DiskState": "ATTACHED"}` after `{"DiskState": "ATTACHING"}`.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub then: Map<String, Value>,
}

/// A member each resource acted on must hold one of `in` (or the value of the request's
/// member `sameAs`: a VPN connection deleted through its own gateway), or the call fails with
/// `error`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Requirement {
    pub member: String,
    #[serde(rename = "in", default, skip_serializing_if = "Vec::is_empty")]
    pub one_of: Vec<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub same_as: Option<String>,
    pub error: String,
}

/// A member no two resources of a kind share.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Unique {
    pub member: String,
    pub error: String,
}

/// A request member naming a resource of another kind (of another service, with `service`),
/// refused with `error` when that resource does not exist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Reference {
    pub member: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    pub resource: String,
    pub error: String,
}

/// What an action does to a resource.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Create,
    Read,
    Get(Get),
    Modify(Targeted),
    Delete(Targeted),
    Change(Targeted),
}

impl Resource {
    /// Every action of the resource, with its effect.
    pub fn actions(&self) -> impl Iterator<Item = (&str, Effect)> {
        fn targeted(list: &[Targeted], effect: fn(Targeted) -> Effect) -> Vec<(&str, Effect)> {
            list.iter()
                .map(|t| (t.action.as_str(), effect(t.clone())))
                .collect()
        }
        [
            (self.create.action.as_str(), Effect::Create),
            (self.read.action.as_str(), Effect::Read),
        ]
        .into_iter()
        .chain(
            self.get
                .iter()
                .map(|g| (g.action.as_str(), Effect::Get(g.clone()))),
        )
        .chain(targeted(&self.modify, Effect::Modify))
        .chain(targeted(&self.delete, Effect::Delete))
        .chain(targeted(&self.changes, Effect::Change))
    }
}

/// The resources of `spec`, by name: those the naming families give, with the spec's
/// `resources` section laid over them.
pub fn find(spec: &ServiceSpec) -> BTreeMap<String, Resource> {
    let mut found = infer::infer(spec);
    for (name, written) in &spec.resources {
        match written {
            None => {
                found.remove(name);
            }
            Some(resource) => {
                let mut resource = resource.clone();
                resource.name = name.clone();
                complete(spec, &mut resource);
                found.insert(name.clone(), resource);
            }
        }
    }
    found
}

/// An id of `resource` its examples show (`vpc-2at5y1pn`), when they show one.
pub fn example_id(spec: &ServiceSpec, resource: &Resource) -> Option<String> {
    infer::example_id(spec, &resource.create, &resource.read, &resource.id)
}

/// Fills in what a written resource leaves to the spec: whether members are lists, and the
/// prefix the examples show.
fn complete(spec: &ServiceSpec, resource: &mut Resource) {
    let is_list = |action: &str, member: &str, output: bool| {
        spec.actions
            .get(action)
            .map(|a| if output { &a.output } else { &a.input })
            .and_then(|object| spec.objects.get(object))
            .and_then(|o| o.members.iter().find(|m| m.name == member))
            .is_some_and(|m| m.kind == MemberKind::List)
    };
    let create = &mut resource.create;
    create.list = match create.ids.as_slice() {
        [single] => is_list(&create.action, single, true),
        _ => false,
    };
    for targeted in resource
        .modify
        .iter_mut()
        .chain(&mut resource.delete)
        .chain(&mut resource.changes)
    {
        targeted.list = is_list(&targeted.action, &targeted.ids, false);
    }
    if resource.prefix.is_empty() {
        resource.prefix = infer::prefix(spec, resource);
    }
}
