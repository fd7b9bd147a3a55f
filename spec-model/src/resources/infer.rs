//! Resources found in a service version's actions by the naming families Tencent Cloud's API
//! keeps to: a noun `X` that has `CreateX` (whose answer gives the new id: `XId`,
//! or the id of the noun's last words, `JobId` for `MigrateJob`, or a list of them), a read
//! (`DescribeXs`, `DescribeXList`, `ListXs`…, listing objects that carry the id, filtering by
//! the ids), and possibly `DeleteX`/`DeleteXs` and `ModifyX…` naming it by its id. The emulator
//! keeps such a resource's state from these rules; what they do not find answers from its
//! examples.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{Create, Get, IdType, Outcome, Read, Resource, Targeted};
use crate::types::{Action, Member, MemberKind, Object, ServiceSpec};

/// The resources of `spec`, by name: each noun with a create action and a read.
pub(super) fn infer(spec: &ServiceSpec) -> BTreeMap<String, Resource> {
    let lookup = Lookup { spec };
    let mut found = BTreeMap::new();
    for name in spec.actions.keys() {
        let Some(noun) = name
            .strip_prefix("Create")
            .or_else(|| name.strip_prefix("Add"))
        else {
            continue;
        };
        for noun in singulars(noun) {
            if found.contains_key(noun) {
                continue;
            }
            if let Some(resource) = lookup.resource(noun) {
                found.insert(noun.to_owned(), resource);
                break;
            }
        }
    }
    found
}

/// `Vpcs` may name the noun `Vpc`: the noun itself first, then without a plural ending.
fn singulars(noun: &str) -> Vec<&str> {
    let mut nouns = vec![noun];
    for ending in ["es", "s"] {
        if let Some(singular) = noun.strip_suffix(ending).filter(|s| !s.is_empty()) {
            nouns.push(singular);
        }
    }
    nouns
}

struct Lookup<'a> {
    spec: &'a ServiceSpec,
}

impl<'a> Lookup<'a> {
    fn resource(&self, noun: &str) -> Option<Resource> {
        let (id, create) = self.create(noun)?;
        let read = self.read(noun, &id, &create.action)?;
        let targeted = |prefixes: &[String]| -> Vec<Targeted> {
            let mut actions: Vec<Targeted> = self
                .spec
                .actions
                .iter()
                .filter(|(name, _)| prefixes.iter().any(|p| is_verb_of(name, p)))
                .filter_map(|(name, action)| self.targeted(name, action, &id))
                .collect();
            actions.sort_by(|a, b| a.action.cmp(&b.action));
            actions
        };
        let verbs = |verbs: &[&str]| -> Vec<String> {
            verbs
                .iter()
                .flat_map(|verb| ["", "s", "es"].map(|ending| format!("{verb}{noun}{ending}")))
                .collect()
        };
        let delete = targeted(&verbs(&[
            "Delete",
            "Terminate",
            "Release",
            "Destroy",
            "Remove",
        ]));
        let modify = targeted(&verbs(&["Modify", "Update"]));
        let get = self.gets(noun, &id, &read);
        let mut resource = Resource {
            name: noun.to_owned(),
            id,
            prefix: String::new(),
            id_type: IdType::Text,
            create,
            read,
            get,
            delete,
            modify,
            changes: Vec::new(),
        };
        resource.prefix = prefix(self.spec, &resource);
        Some(resource)
    }

    fn object(&self, name: &str) -> Option<&'a Object> {
        self.spec.objects.get(name)
    }

    fn members(&self, object: &str) -> &'a [Member] {
        self.object(object).map_or(&[], |o| o.members.as_slice())
    }

    /// Reads of one resource by its id (`DescribeVpcAttribute`, `GetUser`): those answering
    /// with an object carrying the id, or at their top level with members the read lists.
    fn gets(&self, noun: &str, id: &str, read: &Read) -> Vec<Get> {
        let listed = self.listed(read);
        let mut gets: Vec<Get> = ["Describe", "Get"]
            .into_iter()
            .flat_map(|verb| {
                ["", "Detail", "Info", "Attribute", "Attributes"]
                    .map(|ending| format!("{verb}{noun}{ending}"))
            })
            .filter(|name| *name != read.action)
            .filter_map(|name| {
                let action = self.spec.actions.get(&name)?;
                let ids = self
                    .members(&action.input)
                    .iter()
                    .find(|m| m.required && m.name == id && m.kind == MemberKind::String)?;
                let output = self.members(&action.output);
                let at = match output
                    .iter()
                    .find(|m| m.kind == MemberKind::Object && self.carries(&m.member, id))
                {
                    Some(object) => vec![object.name.clone()],
                    None => {
                        let shared = output
                            .iter()
                            .filter(|m| m.name != "RequestId" && listed.contains(&m.name.as_str()))
                            .count();
                        if shared == 0 {
                            return None;
                        }
                        Vec::new()
                    }
                };
                Some(Get {
                    action: name,
                    ids: ids.name.clone(),
                    at,
                })
            })
            .collect();
        gets.sort_by(|a, b| a.action.cmp(&b.action));
        gets.dedup_by(|a, b| a.action == b.action);
        gets
    }

    /// The member names of the objects `read` lists.
    fn listed(&self, read: &Read) -> Vec<&'a str> {
        let Some(action) = self.spec.actions.get(&read.action) else {
            return Vec::new();
        };
        let mut object = action.output.as_str();
        for step in &read.items {
            match self.members(object).iter().find(|m| &m.name == step) {
                Some(member) => object = &member.member,
                None => return Vec::new(),
            }
        }
        self.members(object)
            .iter()
            .map(|m| m.name.as_str())
            .collect()
    }

    fn create(&self, noun: &str) -> Option<(String, Create)> {
        let action = [
            format!("Create{noun}"),
            format!("Create{noun}s"),
            format!("Add{noun}"),
        ]
        .into_iter()
        .find(|name| self.spec.actions.contains_key(name))?;
        let output = self.members(&self.spec.actions[&action].output);
        let input = self.members(&self.spec.actions[&action].input);
        let noun_id = format!("{noun}Id");
        let (id, ids, list) = output.iter().find_map(|m| {
            if let Some((id, list)) = id_of(noun, m) {
                return Some((id, vec![m.name.clone()], list));
            }
            let carries = m.kind == MemberKind::Object
                && self
                    .members(&m.member)
                    .iter()
                    .any(|inner| inner.name == noun_id && inner.kind == MemberKind::String);
            carries.then(|| {
                (
                    noun_id.clone(),
                    vec![m.name.clone(), noun_id.clone()],
                    false,
                )
            })
        })?;
        let count = list
            .then(|| {
                input
                    .iter()
                    .find(|m| m.name == format!("{noun}Count") && m.kind == MemberKind::Int)
            })
            .flatten()
            .map(|m| m.name.clone());
        Some((
            id,
            Create {
                action,
                ids,
                list,
                count,
                id_from: None,
                unique: Vec::new(),
                outcome: Outcome::default(),
            },
        ))
    }

    fn read(&self, noun: &str, id: &str, create: &str) -> Option<Read> {
        let names = ["Describe", "List", "Get"].into_iter().flat_map(|verb| {
            ["s", "es", "List", "Set", "Infos", ""]
                .into_iter()
                .map(move |ending| format!("{verb}{noun}{ending}"))
        });
        names.filter(|name| name != create).find_map(|action| {
            let spec = self.spec.actions.get(&action)?;
            let items = self
                .members(&spec.output)
                .iter()
                .find(|m| m.kind == MemberKind::List && self.carries(&m.member, id))?;
            let ids = self
                .members(&spec.input)
                .iter()
                .find(|m| is_id_list(m, id))
                .map(|m| m.name.clone());
            let total = self
                .members(&spec.output)
                .iter()
                .find(|m| m.name == "TotalCount" && m.kind == MemberKind::Int)
                .map(|m| vec![m.name.clone()]);
            Some(Read {
                action,
                ids,
                ids_also: None,
                items: vec![items.name.clone()],
                items_also: None,
                total,
            })
        })
    }

    /// Whether `object` has a string member `id`.
    fn carries(&self, object: &str, id: &str) -> bool {
        self.members(object)
            .iter()
            .any(|m| m.name == id && m.kind == MemberKind::String)
    }

    fn targeted(&self, name: &str, action: &Action, id: &str) -> Option<Targeted> {
        let input = self.members(&action.input);
        let member = input.iter().find(|m| {
            m.required && ((m.name == id && m.kind == MemberKind::String) || is_id_list(m, id))
        })?;
        Some(Targeted {
            action: name.to_owned(),
            ids: member.name.clone(),
            ids_also: None,
            list: member.kind == MemberKind::List,
            requires: Vec::new(),
            outcome: Outcome::default(),
        })
    }
}

/// What new ids of `resource` start with: the prefix of an id its examples show, else the
/// noun's, lowercased.
pub(super) fn prefix(spec: &ServiceSpec, resource: &Resource) -> String {
    example_id(spec, &resource.create, &resource.read, &resource.id)
        .and_then(|example| prefix_of(&example))
        .unwrap_or_else(|| format!("{}-", resource.name.to_lowercase()))
}

/// An id the examples show, of the form `<prefix>-<letters and digits>`: in the create
/// action's answers, else in the read's items (examples with placeholders such as `xx` are
/// passed over).
pub(super) fn example_id(
    spec: &ServiceSpec,
    create: &Create,
    read: &Read,
    id: &str,
) -> Option<String> {
    let answers = |action: &str| -> Vec<&Value> {
        spec.actions
            .get(action)
            .into_iter()
            .flat_map(|a| &a.examples)
            .filter_map(|e| e.response.get("Response"))
            .collect()
    };
    let created = answers(&create.action).into_iter().filter_map(|response| {
        let value = create
            .ids
            .iter()
            .try_fold(response, |value, step| value.get(step))?;
        match value {
            Value::String(text) => Some(text.clone()),
            Value::Array(items) => items.first()?.as_str().map(str::to_owned),
            _ => None,
        }
    });
    let listed = answers(&read.action).into_iter().flat_map(|response| {
        read.items
            .iter()
            .try_fold(response, |value, step| value.get(step))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|item| item.get(id)?.as_str().map(str::to_owned))
    });
    created.chain(listed).find(|id| prefix_of(id).is_some())
}

/// The id a create answer's member gives for `noun`, and whether it gives a list: `VpcId` of
/// `Vpc`, `JobId` of `MigrateJob` (the noun's last words), `Id` alone, `DiskIdSet` of `Disk`.
fn id_of(noun: &str, member: &Member) -> Option<(String, bool)> {
    if member.name == "RequestId" {
        return None;
    }
    [("Id", false), ("IdSet", true), ("Ids", true)]
        .into_iter()
        .find_map(|(ending, list)| {
            let words = member.name.strip_suffix(ending)?;
            let fits = if list {
                member.kind == MemberKind::List && member.member == "string"
            } else {
                member.kind == MemberKind::String
            };
            (fits && noun.ends_with(words) && starts_word(noun, words))
                .then(|| (format!("{words}Id"), list))
        })
}

/// Whether `words` ends `noun` at a word boundary (`Job` of `MigrateJob`, not `ob`).
fn starts_word(noun: &str, words: &str) -> bool {
    words.is_empty()
        || noun.len() == words.len()
        || words.bytes().next().is_some_and(|b| b.is_ascii_uppercase())
}

/// A list of strings named for the ids: `VpcIds`, `DiskIdSet`.
fn is_id_list(member: &Member, id: &str) -> bool {
    (member.name == format!("{id}s") || member.name == format!("{id}Set"))
        && member.kind == MemberKind::List
        && member.member == "string"
}

/// `ModifyVpcAttribute` is a verb of `ModifyVpc`; `ModifyVpcEndPointAttribute` is not, being of
/// another noun (`VpcEndPoint`): what follows the prefix starts a word that is no noun's.
fn is_verb_of(action: &str, prefix: &str) -> bool {
    match action.strip_prefix(prefix) {
        Some("") => true,
        Some(rest) => [
            "Attribute",
            "Attributes",
            "Name",
            "Description",
            "Tags",
            "Config",
        ]
        .iter()
        .any(|word| rest.starts_with(word)),
        None => false,
    }
}

/// `vpc-` of `vpc-2at5y1pn`: the letters before the last `-`, when what follows is letters and
/// digits.
fn prefix_of(id: &str) -> Option<String> {
    let (head, tail) = id.rsplit_once('-')?;
    let plain = |text: &str| {
        !text.is_empty()
            && text
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    (plain(head) && plain(tail)).then(|| format!("{head}-"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_prefix_is_what_precedes_the_last_dash_of_a_plain_id() {
        assert_eq!(prefix_of("vpc-2at5y1pn").as_deref(), Some("vpc-"));
        assert_eq!(prefix_of("lb-abc-12345678").as_deref(), Some("lb-abc-"));
        assert_eq!(prefix_of("VPC-1"), None);
        assert_eq!(prefix_of("nodash"), None);
    }

    #[test]
    fn modify_verbs_belong_to_their_own_noun_only() {
        assert!(is_verb_of("ModifyVpcAttribute", "ModifyVpc"));
        assert!(is_verb_of("ModifyVpc", "ModifyVpc"));
        assert!(!is_verb_of("ModifyVpcEndPointAttribute", "ModifyVpc"));
        assert!(is_verb_of("DeleteVpcs", "DeleteVpcs"));
    }
}
