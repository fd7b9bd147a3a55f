//! Specs shaped to stress the validator and model builder: a chain of structures each holding
//! the next by value, `depth` deep, optionally closed into one long cycle.

use serde_json::{Map, Value, json};
use tencentcloud_codegen::load::{self, RawSpec};

pub const CHAIN_SPEC: &str = "demo/2020-01-01.json";

fn member(name: &str, member: &str) -> Value {
    let kind = if member == "string" {
        "string"
    } else {
        "object"
    };
    json!({"name": name, "type": kind, "member": member, "required": false, "document": "d"})
}

/// `GoRequest.Head` → `Link0` → `Link1` → … → `Link{depth-1}`, which points back to `Link0`
/// when `closed`.
pub fn chain(depth: usize, closed: bool) -> RawSpec {
    let mut objects = Map::new();
    objects.insert(
        "GoRequest".into(),
        json!({"type": "object", "document": "", "members": [member("Head", "Link0")]}),
    );
    objects.insert(
        "GoResponse".into(),
        json!({"type": "object", "document": "", "members": [
            {"name": "RequestId", "type": "string", "member": "string", "required": true, "document": "d"}
        ]}),
    );
    for i in 0..depth {
        let mut members = vec![member("Value", "string")];
        if i + 1 < depth {
            members.push(member("Next", &format!("Link{}", i + 1)));
        } else if closed {
            members.push(member("Next", "Link0"));
        }
        objects.insert(
            format!("Link{i}"),
            json!({"type": "object", "document": "A link.", "members": members}),
        );
    }
    let value = json!({
        "version": "1.0",
        "metadata": {
            "serviceShortName": "demo", "apiVersion": "2020-01-01", "serviceNameEN": "Demo",
            "serviceNameCN": "演示", "endpoint": "demo.tencentcloudapi.com",
            "regionRequired": false, "document": "d"
        },
        "actions": {"Go": {"name": "Go", "document": "d", "input": "GoRequest",
                           "output": "GoResponse", "status": "online"}},
        "objects": objects,
    });
    RawSpec {
        path: CHAIN_SPEC.to_owned(),
        sha256: String::new(),
        value,
        duplicate_keys: Vec::new(),
    }
}

pub fn common() -> RawSpec {
    load::parse(
        load::COMMON_FILE,
        br#"{"version": "1.0", "errors": [{"code": "InternalError", "document": "x"}]}"#,
    )
    .unwrap()
}
