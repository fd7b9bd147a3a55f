//! Decoding request parameters into one JSON object, whatever form they came in: a JSON body
//! (`POST`), or a query string / form body whose arrays and structures are flattened into
//! `Name.N` and `Name.Field` keys (`GET`, as the Chinese reference pages show:
//! `ProxyIds.0=link-11112222&ProxyIds.1=link-11113333&Force=1`). Values stay as sent; the spec-driven
//! validator coerces them.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::api_error::ApiError;

/// Query keys that are common parameters rather than action parameters; a `GET` may carry them in
/// the query string instead of `X-TC-*` headers.
pub(crate) const COMMON_QUERY_KEYS: [&str; 3] = ["Action", "Version", "Region"];

/// Flattened keys deeper than this are not a Tencent request.
const MAX_KEY_DEPTH: usize = 16;

/// Resource ids a log entry keeps at most, and the longest id it keeps whole: the log stays
/// bounded whatever a request names.
const MAX_LOGGED_IDS: usize = 100;
const MAX_LOGGED_ID_CHARS: usize = 128;

/// The string values of the top-level `…Id` / `…Ids` parameters, by parameter name.
pub(crate) fn resource_ids(params: &Map<String, Value>) -> Vec<String> {
    let id = |value: &Value| {
        value
            .as_str()
            .map(|s| s.chars().take(MAX_LOGGED_ID_CHARS).collect::<String>())
    };
    params
        .iter()
        .filter(|(name, _)| name.ends_with("Id") || name.ends_with("Ids"))
        .flat_map(|(_, value)| match value {
            Value::Array(items) => items.iter().filter_map(id).collect(),
            other => id(other).into_iter().collect::<Vec<_>>(),
        })
        .take(MAX_LOGGED_IDS)
        .collect()
}

pub(crate) fn decode_json(body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(other) => Err(ApiError::invalid_parameter(format!(
            "The request body must be a JSON object, got {}.",
            json_kind(&other)
        ))),
        Err(e) => Err(ApiError::invalid_parameter(format!(
            "The request body is not valid JSON: {e}."
        ))),
    }
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

enum Node {
    Leaf(String),
    Branch(BTreeMap<String, Node>),
}

/// Decodes `a=1&B.0=x&B.1=y&C.0.Name=n` into `{"a":"1","B":["x","y"],"C":[{"Name":"n"}]}`,
/// skipping [`COMMON_QUERY_KEYS`].
pub(crate) fn decode_flattened(query: &str) -> Result<Map<String, Value>, ApiError> {
    let mut root: BTreeMap<String, Node> = BTreeMap::new();
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        if key.is_empty() || COMMON_QUERY_KEYS.contains(&key.as_ref()) {
            continue;
        }
        let segments: Vec<&str> = key.split('.').collect();
        if segments.len() > MAX_KEY_DEPTH || segments.iter().any(|s| s.is_empty()) {
            return Err(ApiError::invalid_parameter(format!(
                "The parameter name `{key}` is malformed."
            )));
        }
        insert(&mut root, &segments, value.into_owned(), &key)?;
    }
    let mut out = Map::new();
    for (name, node) in root {
        out.insert(name, into_value(node));
    }
    Ok(out)
}

fn insert(
    level: &mut BTreeMap<String, Node>,
    segments: &[&str],
    value: String,
    full_key: &str,
) -> Result<(), ApiError> {
    let conflict = || {
        ApiError::invalid_parameter(format!(
            "The parameter `{full_key}` conflicts with another parameter of the same name."
        ))
    };
    let Some((first, rest)) = segments.split_first() else {
        return Err(conflict());
    };
    if rest.is_empty() {
        if level.contains_key(*first) {
            return Err(conflict());
        }
        level.insert((*first).to_string(), Node::Leaf(value));
        return Ok(());
    }
    let node = level
        .entry((*first).to_string())
        .or_insert_with(|| Node::Branch(BTreeMap::new()));
    match node {
        Node::Branch(children) => insert(children, rest, value, full_key),
        Node::Leaf(_) => Err(conflict()),
    }
}

fn into_value(node: Node) -> Value {
    match node {
        Node::Leaf(s) => Value::String(s),
        Node::Branch(children) => {
            if children.keys().all(|k| k.parse::<u64>().is_ok()) {
                // Ordered by index value, so `Name.10` follows `Name.2`, and no element is lost
                // to a key spelled differently from its number (`Name.01`).
                let mut elements: Vec<(u64, Node)> = children
                    .into_iter()
                    .filter_map(|(k, v)| k.parse().ok().map(|i| (i, v)))
                    .collect();
                elements.sort_by_key(|(i, _)| *i);
                elements
                    .into_iter()
                    .map(|(_, v)| into_value(v))
                    .collect::<Vec<_>>()
                    .into()
            } else {
                Value::Object(
                    children
                        .into_iter()
                        .map(|(k, v)| (k, into_value(v)))
                        .collect(),
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn flattened_lists_are_ordered_by_numeric_index() {
        let decoded =
            decode_flattened("ProxyIds.10=c&ProxyIds.2=b&ProxyIds.0=a&Force=1&Action=X").unwrap();
        assert_eq!(
            Value::Object(decoded),
            json!({"ProxyIds": ["a", "b", "c"], "Force": "1"})
        );
    }

    #[test]
    fn a_list_index_with_leading_zeros_keeps_its_element() {
        let decoded = decode_flattened("ProxyIds.01=b&ProxyIds.0=a").unwrap();
        assert_eq!(Value::Object(decoded), json!({"ProxyIds": ["a", "b"]}));
    }

    #[test]
    fn flattened_structures_nest() {
        let decoded = decode_flattened("Filters.0.Name=zone&Filters.0.Values.0=ap%2Dx").unwrap();
        assert_eq!(
            Value::Object(decoded),
            json!({"Filters": [{"Name": "zone", "Values": ["ap-x"]}]})
        );
    }

    #[test]
    fn a_key_given_as_value_and_as_list_is_rejected() {
        let err = decode_flattened("ProxyIds=a&ProxyIds.0=b").unwrap_err();
        assert_eq!(err.code, "InvalidParameter");
    }

    #[test]
    fn non_object_json_bodies_are_rejected() {
        assert_eq!(decode_json(b"[1]").unwrap_err().code, "InvalidParameter");
        assert_eq!(decode_json(b"{").unwrap_err().code, "InvalidParameter");
        assert!(decode_json(b"  ").unwrap().is_empty());
    }

    #[test]
    fn deeply_nested_json_is_an_error_not_a_crash() {
        let body = "[".repeat(100_000);
        assert_eq!(
            decode_json(body.as_bytes()).unwrap_err().code,
            "InvalidParameter"
        );
    }
}
