//! Request parsing on any input: query strings, JSON bodies and parameter maps are decoded and
//! validated against real actions without panicking, and a flattened query means what the
//! JSON it flattens means. Cases: `PROPTEST_CASES` (default 256).

use std::path::Path;
use std::sync::{Arc, OnceLock};

use proptest::prelude::*;
use serde_json::{Map, Value};

use crate::catalog::{ActionDef, Catalog, Resolved};
use crate::params::{decode_flattened, decode_json};
use crate::specs::{self, DEFAULT_SPECS_DIR};
use crate::validate::validate;

/// Actions of different shapes: nested structures, lists, enums, ranges, group rules.
const ACTIONS: [(&str, &str, &str); 5] = [
    ("cvm", "RunInstances", "2017-03-12"),
    ("cvm", "TerminateInstances", "2017-03-12"),
    ("gaap", "ModifyProxyConfiguration", "2018-05-29"),
    ("gaap", "DestroyProxies", "2018-05-29"),
    ("vpc", "DeleteVpnConnection", "2017-03-12"),
];

fn defs() -> &'static Vec<Arc<ActionDef>> {
    static DEFS: OnceLock<Vec<Arc<ActionDef>>> = OnceLock::new();
    DEFS.get_or_init(|| {
        let catalog = Catalog::open(specs::open(Path::new(DEFAULT_SPECS_DIR)).unwrap());
        ACTIONS
            .iter()
            .map(
                |(service, action, version)| match catalog.resolve(service, action, version) {
                    Resolved::Action(def) => Arc::clone(def),
                    _ => panic!("{service} {action} is in the specs"),
                },
            )
            .collect()
    })
}

/// Request-shaped JSON: objects of parameter names, lists, and string leaves (a query carries
/// only strings). No empty list or object: a query cannot carry one.
fn parameters() -> impl Strategy<Value = Value> {
    let leaf = "[ -~]{0,10}".prop_map(Value::from);
    leaf.prop_recursive(3, 20, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 1..4).prop_map(Value::from),
            prop::collection::btree_map("[A-Z][A-Za-z]{0,6}", inner, 1..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// `value` as `Name.N` / `Name.Field` query pairs under `prefix`.
fn flatten(prefix: &str, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                flatten(&join(prefix, key), child, out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                flatten(&join(prefix, &i.to_string()), child, out);
            }
        }
        Value::String(s) => out.push((prefix.to_owned(), s.clone())),
        other => out.push((prefix.to_owned(), other.to_string())),
    }
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_owned()
    } else {
        format!("{prefix}.{key}")
    }
}

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        ".{0,12}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map("[A-Z][A-Za-z]{0,10}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn any_query_string_decodes_or_is_refused_without_panicking(query in "\\PC{0,120}") {
        let _ = decode_flattened(&query);
    }

    #[test]
    fn any_body_decodes_or_is_refused_without_panicking(body in prop::collection::vec(any::<u8>(), 0..256)) {
        let _ = decode_json(&body);
    }

    #[test]
    fn a_flattened_query_decodes_to_the_parameters_it_flattens(
        members in prop::collection::btree_map("[A-Z][A-Za-z]{0,6}", parameters(), 1..5),
    ) {
        let parameters = Value::Object(members.into_iter().collect());
        let mut pairs = Vec::new();
        flatten("", &parameters, &mut pairs);
        let query = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&pairs)
            .finish();
        let decoded = decode_flattened(&query).unwrap();
        prop_assert_eq!(Value::Object(decoded), parameters);
    }

    #[test]
    fn any_parameters_validate_against_real_actions_without_panicking(
        input in prop::collection::btree_map("[A-Z][A-Za-z]{0,12}", any_json(), 0..6),
        known in prop::collection::vec(any_json(), 0..4),
        pick in any::<prop::sample::Index>(),
    ) {
        let def = &defs()[pick.index(ACTIONS.len())];
        let mut input: Map<String, Value> = input.into_iter().collect();
        // Values under the action's own parameter names, so the checks behind them run too.
        let request = &def.shapes.objects[def.request];
        for (member, value) in request.members.iter().zip(known) {
            input.insert(member.name.clone(), value);
        }
        if let Err(error) = validate(def, input) {
            prop_assert!(!error.code.is_empty());
        }
    }
}
