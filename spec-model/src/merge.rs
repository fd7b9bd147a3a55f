//! Overlays: what Tencent's reference pages say beyond the imported description, laid over it.
//!
//! An overlay is a spec file (`specs/<service>/<yyyy-mm-dd>.json`) that may leave out anything
//! upstream already supplies. The rule is the same at every level: where the overlay states a
//! fact, it wins; everything else comes from upstream.
//! - `metadata`: key by key.
//! - `actions.<Action>`: an action only the overlay has is added; otherwise key by key, so the
//!   overlay's `errors`, `examples` and `constraints` replace upstream's whole.
//! - `objects.<Object>`: added, or `document` and such key by key; `members` are matched by name:
//!   a member both have is merged key by key (the page's constraints and descriptions over
//!   upstream's, upstream's example and Chinese text kept where the page has none); members only
//!   upstream has stay in upstream's order, and members only the overlay has follow, in its order.
//! - `errors` (the service version's codes): by code, the overlay's entry winning.

use serde_json::{Map, Value};

/// `overlay` laid over `upstream`, both spec-file JSON.
pub fn merge(upstream: &Value, overlay: &Value) -> Value {
    let (Some(base), Some(over)) = (upstream.as_object(), overlay.as_object()) else {
        return overlay.clone();
    };
    let mut merged = base.clone();
    for (key, value) in over {
        let combined = match (key.as_str(), base.get(key)) {
            ("metadata", Some(up)) => key_by_key(up, value),
            ("actions", Some(up)) => by_name(up, value, key_by_key),
            ("objects", Some(up)) => by_name(up, value, merge_object),
            ("errors", Some(up)) => errors(up, value),
            _ => value.clone(),
        };
        merged.insert(key.clone(), combined);
    }
    Value::Object(merged)
}

/// The overlay's keys over upstream's.
fn key_by_key(upstream: &Value, overlay: &Value) -> Value {
    match (upstream.as_object(), overlay.as_object()) {
        (Some(base), Some(over)) => {
            let mut merged = base.clone();
            for (key, value) in over {
                merged.insert(key.clone(), value.clone());
            }
            Value::Object(merged)
        }
        _ => overlay.clone(),
    }
}

/// Entries of two maps by name: those both have combined by `combine`, the rest kept.
fn by_name(upstream: &Value, overlay: &Value, combine: fn(&Value, &Value) -> Value) -> Value {
    match (upstream.as_object(), overlay.as_object()) {
        (Some(base), Some(over)) => {
            let mut merged = base.clone();
            for (name, value) in over {
                let combined = match base.get(name) {
                    Some(up) => combine(up, value),
                    None => value.clone(),
                };
                merged.insert(name.clone(), combined);
            }
            Value::Object(merged)
        }
        _ => overlay.clone(),
    }
}

fn merge_object(upstream: &Value, overlay: &Value) -> Value {
    let mut merged = key_by_key(upstream, overlay);
    let (Some(base), Some(over)) = (
        upstream.get("members").and_then(Value::as_array),
        overlay.get("members").and_then(Value::as_array),
    ) else {
        return merged;
    };
    let name = |member: &Value| {
        member
            .get("name")
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let mut members: Vec<Value> = base
        .iter()
        .map(|up| {
            match over
                .iter()
                .find(|o| name(o).is_some() && name(o) == name(up))
            {
                Some(page) => key_by_key(up, page),
                None => up.clone(),
            }
        })
        .collect();
    for page in over {
        if !base
            .iter()
            .any(|up| name(up).is_some() && name(up) == name(page))
        {
            members.push(page.clone());
        }
    }
    if let Some(map) = merged.as_object_mut() {
        map.insert("members".to_owned(), Value::Array(members));
    }
    merged
}

/// Error-code lists joined by code (the overlay's entry winning), sorted by code.
fn errors(upstream: &Value, overlay: &Value) -> Value {
    let (Some(base), Some(over)) = (upstream.as_array(), overlay.as_array()) else {
        return overlay.clone();
    };
    let code = |e: &Value| {
        e.get("code")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let mut by_code: Map<String, Value> = Map::new();
    for entry in base.iter().chain(over) {
        by_code.insert(code(entry), entry.clone());
    }
    Value::Array(by_code.into_iter().map(|(_, v)| v).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn members_keep_upstream_order_and_facts_with_the_overlay_winning() {
        let upstream = json!({"objects": {"R": {"type": "object", "document": "up", "members": [
            {"name": "A", "document": "up a", "example": "1"},
            {"name": "B", "document": "up b"},
        ]}}});
        let overlay = json!({"objects": {"R": {"members": [
            {"name": "B", "document": "page b", "maxItems": 100},
            {"name": "C", "document": "page only"},
        ]}}});
        let merged = merge(&upstream, &overlay);
        assert_eq!(
            merged["objects"]["R"],
            json!({"type": "object", "document": "up", "members": [
                {"name": "A", "document": "up a", "example": "1"},
                {"name": "B", "document": "page b", "maxItems": 100},
                {"name": "C", "document": "page only"},
            ]})
        );
    }

    #[test]
    fn actions_and_metadata_merge_key_by_key_and_new_ones_are_added() {
        let upstream = json!({
            "metadata": {"endpoint": "x.tencentcloudapi.com", "regionRequired": false},
            "actions": {"A": {"document": "up", "status": "online", "examples": [1, 2]}, "B": {"document": "b"}},
        });
        let overlay = json!({
            "metadata": {"regionRequired": true},
            "actions": {"A": {"rateLimit": 10, "examples": [3]}, "New": {"document": "n"}},
        });
        let merged = merge(&upstream, &overlay);
        assert_eq!(
            merged["metadata"],
            json!({"endpoint": "x.tencentcloudapi.com", "regionRequired": true})
        );
        assert_eq!(
            merged["actions"]["A"],
            json!({"document": "up", "status": "online", "examples": [3], "rateLimit": 10})
        );
        assert_eq!(merged["actions"]["B"], json!({"document": "b"}));
        assert_eq!(merged["actions"]["New"], json!({"document": "n"}));
    }

    #[test]
    fn service_codes_join_by_code_with_the_overlay_description() {
        let upstream =
            json!({"errors": [{"code": "B", "document": "up"}, {"code": "A", "document": "a"}]});
        let overlay =
            json!({"errors": [{"code": "B", "document": "page"}, {"code": "C", "document": "c"}]});
        let merged = merge(&upstream, &overlay);
        assert_eq!(
            merged["errors"],
            json!([{"code": "A", "document": "a"}, {"code": "B", "document": "page"}, {"code": "C", "document": "c"}])
        );
    }
}
