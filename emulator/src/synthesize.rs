//! Answers built from an action's output shape, for actions whose spec documents no example and
//! for the members an example leaves out, so every action answers at protocol level with
//! something its SDKs decode.
//!
//! A documented example is answered as it is where it fits the shape; each top-level member it
//! leaves out, or gives a value of another type, is built from the shape instead, and members the
//! shape does not have are left out, so no answer breaks an SDK reading the documented shape.
//!
//! A member the spec marks required gets a value: its documented example where it fits the type,
//! otherwise the type's zero (`""`, `0`, `false`, `[]`, a structure built the same way). A member
//! that may be absent is `null`, as Tencent Cloud sends such members. A structure already being
//! built higher up (a self-referential shape) is `null` too, so the answer stays finite.

use std::collections::BTreeMap;

use serde_json::{Map, Number, Value};
use tencentcloud_spec::types::{Member, MemberKind, Object};
use tencentcloud_vocabulary::Scalar;

/// The members of an answer built from `output`'s shape, `RequestId` left out (the server adds it).
pub(crate) fn response(output: &str, objects: &BTreeMap<String, Object>) -> Map<String, Value> {
    let mut members = object(output, objects, &mut Vec::new());
    members.remove("RequestId");
    members
}

/// [`response`], with the members of the documented `example` that fit the shape in place of
/// the built ones.
pub(crate) fn documented_response(
    output: &str,
    objects: &BTreeMap<String, Object>,
    example: &Map<String, Value>,
) -> Map<String, Value> {
    let mut members = response(output, objects);
    let Some(shape) = objects.get(output) else {
        return members;
    };
    for member in &shape.members {
        if let Some(value) = example.get(&member.name)
            && member.name != "RequestId"
            && fits(value, member, objects)
        {
            members.insert(member.name.clone(), value.clone());
        }
    }
    members
}

/// Whether `value` is of `member`'s type, as an SDK generated from the shape decodes it: `null`
/// only where the member may be absent, and in structures no member the shape lacks.
fn fits(value: &Value, member: &Member, objects: &BTreeMap<String, Object>) -> bool {
    match (member.kind, value) {
        (_, Value::Null) => !member.required,
        (MemberKind::List, Value::Array(items)) => items
            .iter()
            .all(|item| element_fits(item, &member.member, objects)),
        (MemberKind::List, _) => false,
        _ => element_fits(value, &member.member, objects),
    }
}

fn element_fits(value: &Value, ty: &str, objects: &BTreeMap<String, Object>) -> bool {
    if let Some(scalar) = Scalar::parse(ty) {
        return scalar.fits(value, false);
    }
    match value {
        Value::Object(map) => objects.get(ty).is_some_and(|shape| {
            map.keys()
                .all(|key| shape.members.iter().any(|m| &m.name == key))
                && shape.members.iter().all(|m| {
                    map.get(&m.name)
                        .map_or(!m.required, |value| fits(value, m, objects))
                })
        }),
        _ => false,
    }
}

fn object<'a>(
    name: &'a str,
    objects: &'a BTreeMap<String, Object>,
    building: &mut Vec<&'a str>,
) -> Map<String, Value> {
    let Some(shape) = objects.get(name) else {
        return Map::new();
    };
    building.push(name);
    let members = shape
        .members
        .iter()
        .map(|member| (member.name.clone(), value(member, objects, building)))
        .collect();
    building.pop();
    members
}

fn value<'a>(
    member: &'a Member,
    objects: &'a BTreeMap<String, Object>,
    building: &mut Vec<&'a str>,
) -> Value {
    if !member.required {
        return Value::Null;
    }
    if member.kind == MemberKind::List {
        return Value::Array(Vec::new());
    }
    if objects.contains_key(&member.member) {
        if building.contains(&member.member.as_str()) {
            return Value::Null;
        }
        return Value::Object(object(&member.member, objects, building));
    }
    scalar(&member.member, member.example.as_deref())
}

/// A value of scalar type `ty`: `example` where it parses as one, the type's zero otherwise.
fn scalar(ty: &str, example: Option<&str>) -> Value {
    let example = example.map(str::trim).filter(|e| !e.is_empty());
    match ty {
        "int64" => Value::from(example.and_then(|e| e.parse::<i64>().ok()).unwrap_or(0)),
        "uint64" => Value::from(example.and_then(|e| e.parse::<u64>().ok()).unwrap_or(0)),
        "float" => example
            .and_then(|e| e.parse::<f64>().ok())
            .and_then(Number::from_f64)
            .map_or(Value::from(0.0), Value::Number),
        "bool" => Value::Bool(
            example
                .and_then(|e| e.parse::<bool>().ok())
                .unwrap_or(false),
        ),
        _ => Value::String(example.unwrap_or_default().to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn member(name: &str, kind: &str, ty: &str, required: bool, example: Option<&str>) -> Value {
        json!({"name": name, "type": kind, "member": ty, "required": required, "document": "", "example": example})
    }

    fn objects(shapes: Value) -> BTreeMap<String, Object> {
        serde_json::from_value(shapes).unwrap()
    }

    #[test]
    fn required_members_get_their_example_or_zero_and_optional_ones_null() {
        let objects = objects(json!({
            "DescribeThingsResponse": {"type": "object", "document": "", "members": [
                member("TotalCount", "int", "int64", true, Some("3")),
                member("Name", "string", "string", true, Some("demo")),
                member("Ratio", "float", "float", true, Some("not a number")),
                member("Enabled", "bool", "bool", true, None),
                member("Ids", "list", "string", true, None),
                member("Owner", "object", "Owner", true, None),
                member("Note", "string", "string", false, Some("ignored")),
                member("RequestId", "string", "string", true, None),
            ]},
            "Owner": {"type": "object", "document": "", "members": [
                member("Uin", "int", "uint64", true, Some("100")),
            ]},
        }));
        assert_eq!(
            Value::Object(response("DescribeThingsResponse", &objects)),
            json!({"TotalCount": 3, "Name": "demo", "Ratio": 0.0, "Enabled": false, "Ids": [],
                   "Owner": {"Uin": 100}, "Note": null})
        );
    }

    #[test]
    fn example_members_that_fit_are_kept_and_the_others_built_from_the_shape() {
        let objects = objects(json!({
            "Out": {"type": "object", "document": "", "members": [
                member("Count", "int", "int64", true, None),
                member("Name", "string", "string", true, None),
                member("Owner", "object", "Owner", false, None),
                member("Tags", "list", "string", false, None),
                member("Zone", "string", "string", true, Some("ap-1")),
            ]},
            "Owner": {"type": "object", "document": "", "members": [
                member("Uin", "int", "uint64", true, None),
            ]},
        }));
        let example = json!({
            "Count": "7", "Name": "demo", "Owner": {"Uin": 5, "Extra": 1},
            "Tags": ["a", 2], "Undocumented": true, "RequestId": "r-1"
        });
        assert_eq!(
            Value::Object(documented_response(
                "Out",
                &objects,
                example.as_object().unwrap()
            )),
            json!({"Count": 0, "Name": "demo", "Owner": null, "Tags": null, "Zone": "ap-1"}),
            "a string for an integer, an unknown nested member and a mixed list are replaced; \
             members the shape lacks are dropped"
        );
        let fitting =
            json!({"Count": 7, "Name": "n", "Owner": {"Uin": 5}, "Tags": ["a"], "Zone": "z"});
        assert_eq!(
            Value::Object(documented_response(
                "Out",
                &objects,
                fitting.as_object().unwrap()
            )),
            fitting
        );
    }

    #[test]
    fn a_structure_containing_itself_by_value_ends_in_null() {
        let objects = objects(json!({
            "Out": {"type": "object", "document": "", "members": [member("Node", "object", "Node", true, None)]},
            "Node": {"type": "object", "document": "", "members": [
                member("Id", "string", "string", true, Some("n-1")),
                member("Parent", "object", "Node", true, None),
            ]},
        }));
        assert_eq!(
            Value::Object(response("Out", &objects)),
            json!({"Node": {"Id": "n-1", "Parent": null}})
        );
    }
}
