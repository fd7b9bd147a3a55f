//! Documented request examples as the generated round-trip tests use them: query examples
//! turned into JSON, and the canonical form the SDK writes.

use super::*;

pub(super) fn example_model(
    title: &str,
    request: &ExampleRequest,
    members: &[Member],
    objects: &BTreeMap<String, Object>,
) -> ExampleModel {
    let request = match request {
        ExampleRequest::Json { body } => body.clone(),
        ExampleRequest::Query { query } => {
            typed_object(&query_to_json(query), members, objects, Mode::Query)
        }
    };
    let canonical = typed_object(&request, members, objects, Mode::Canonical);
    ExampleModel {
        title: title.to_owned(),
        request,
        canonical,
    }
}

/// A query string parameter tree before member types are known.
pub(super) enum Node {
    Leaf(String),
    Fields(BTreeMap<String, Node>),
    Items(BTreeMap<u64, Node>),
}

impl Node {
    fn insert(&mut self, segments: &[&str], value: String) {
        let Some((first, rest)) = segments.split_first() else {
            *self = Node::Leaf(value);
            return;
        };
        let child = match first.parse::<u64>() {
            Ok(index) => {
                if !matches!(self, Node::Items(_)) {
                    *self = Node::Items(BTreeMap::new());
                }
                match self {
                    Node::Items(items) => {
                        items.entry(index).or_insert(Node::Fields(BTreeMap::new()))
                    }
                    _ => return,
                }
            }
            Err(_) => {
                if !matches!(self, Node::Fields(_)) {
                    *self = Node::Fields(BTreeMap::new());
                }
                match self {
                    Node::Fields(fields) => fields
                        .entry((*first).to_owned())
                        .or_insert(Node::Fields(BTreeMap::new())),
                    _ => return,
                }
            }
        };
        child.insert(rest, value);
    }

    fn into_json(self) -> Value {
        match self {
            Node::Leaf(value) => Value::String(value),
            Node::Fields(fields) => Value::Object(
                fields
                    .into_iter()
                    .map(|(k, v)| (k, v.into_json()))
                    .collect(),
            ),
            Node::Items(items) => Value::Array(items.into_values().map(Node::into_json).collect()),
        }
    }
}

/// Converts `ProxyIds.0=a&ProxyIds.1=b&Force=1` into `{"ProxyIds": ["a", "b"], "Force": "1"}`:
/// `Name.N` indices become array positions, `Name.Field` nested objects; values stay strings.
pub(super) fn query_to_json(query: &str) -> Value {
    let mut root = Node::Fields(BTreeMap::new());
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        let segments: Vec<&str> = key.split('.').collect();
        root.insert(&segments, value.into_owned());
    }
    root.into_json()
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    /// A query example as a JSON body: booleans parsed (serde reads no `"true"`), a single value
    /// of a list member wrapped in an array.
    Query,
    /// As the SDK writes the request back: integers as numbers too.
    Canonical,
}

pub(super) fn typed_object(
    value: &Value,
    members: &[Member],
    objects: &BTreeMap<String, Object>,
    mode: Mode,
) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(key, value)| {
                    let member = members.iter().find(|m| &m.name == key);
                    (key.clone(), typed_value(value, member, objects, mode))
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

pub(super) fn typed_value(
    value: &Value,
    member: Option<&Member>,
    objects: &BTreeMap<String, Object>,
    mode: Mode,
) -> Value {
    let Some(member) = member else {
        return value.clone();
    };
    // Integer elements of lists are numbers for the SDK (only scalar parameters also take numeric
    // strings), so a query example's list items are converted in either mode.
    let element = |v: &Value, numbers: bool| match (v, member.member.as_str()) {
        (Value::Object(_), nested) => match objects.get(nested) {
            Some(object) => typed_object(v, &object.members, objects, mode),
            None => v.clone(),
        },
        (Value::String(s), "int64") if numbers => {
            s.parse::<i64>().map_or_else(|_| v.clone(), Value::from)
        }
        (Value::String(s), "uint64") if numbers => {
            s.parse::<u64>().map_or_else(|_| v.clone(), Value::from)
        }
        (Value::String(s), "bool") => s.parse::<bool>().map_or_else(|_| v.clone(), Value::Bool),
        _ => v.clone(),
    };
    match value {
        Value::Array(items) => Value::Array(items.iter().map(|v| element(v, true)).collect()),
        single if member.kind == MemberKind::List && mode == Mode::Query => {
            Value::Array(vec![element(single, true)])
        }
        single => element(single, mode == Mode::Canonical),
    }
}
