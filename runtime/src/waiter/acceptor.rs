//! The states a documented waiter looks for, read from the JSON of each answer: generated code
//! describes them as data, so every waiter of every service shares this one reader.

use serde_json::Value;

/// A state of the polled resource, as its generated waiter describes it.
#[derive(Debug, Clone, Copy)]
pub struct Acceptor {
    /// The members from the answer's top level to the one compared; a list on the way is read
    /// item by item, so `["InstanceSet", "InstanceState"]` is the state of every instance.
    pub path: &'static [&'static str],
    /// How the values found there are compared.
    pub test: Test,
}

/// How the values at an acceptor's path are compared with the documented ones.
#[derive(Debug, Clone, Copy)]
pub enum Test {
    /// There is at least one value, and every one is among these.
    All(&'static [Expected]),
    /// At least one value is among these.
    Any(&'static [Expected]),
}

/// A documented value, compared as the tolerant reader reads answers: `"0"` is the integer 0,
/// `"true"` the boolean.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    /// A text state: `RUNNING`.
    Text(&'static str),
    /// A numbered state: `0` for done.
    Integer(i64),
    /// A flag: `true`.
    Boolean(bool),
}

impl Expected {
    fn matches(self, value: &Value) -> bool {
        match (self, value) {
            (Expected::Text(text), Value::String(found)) => found == text,
            (Expected::Text(text), Value::Number(found)) => found.to_string() == text,
            (Expected::Integer(n), Value::Number(found)) => found.as_i64() == Some(n),
            (Expected::Integer(n), Value::String(found)) => found.trim().parse() == Ok(n),
            (Expected::Boolean(b), Value::Bool(found)) => *found == b,
            (Expected::Boolean(b), Value::String(found)) => match found.as_str() {
                "true" | "True" => b,
                "false" | "False" => !b,
                _ => false,
            },
            (Expected::Boolean(b), Value::Number(found)) => found.as_u64() == Some(u64::from(b)),
            _ => false,
        }
    }
}

impl std::fmt::Display for Expected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Expected::Text(text) => write!(f, "{text}"),
            Expected::Integer(n) => write!(f, "{n}"),
            Expected::Boolean(b) => write!(f, "{b}"),
        }
    }
}

impl Acceptor {
    /// What this acceptor found in `response` (the answer's `Response` object) when it holds:
    /// the member and the values that made it hold.
    pub(crate) fn holds(&self, response: &Value) -> Option<String> {
        let mut values = Vec::new();
        collect(response, self.path, &mut values);
        let held = match self.test {
            Test::All(expected) => {
                !values.is_empty()
                    && values
                        .iter()
                        .all(|value| expected.iter().any(|e| e.matches(value)))
            }
            Test::Any(expected) => values
                .iter()
                .any(|value| expected.iter().any(|e| e.matches(value))),
        };
        held.then(|| {
            let shown: Vec<String> = values.iter().map(|value| shown(value)).collect();
            format!("{} is {}", self.path.join("."), shown.join(", "))
        })
    }
}

/// Every value at `path` below `value`, lists read item by item.
fn collect<'a>(value: &'a Value, path: &[&str], into: &mut Vec<&'a Value>) {
    match value {
        Value::Array(items) => {
            for item in items {
                collect(item, path, into);
            }
        }
        _ => match path.split_first() {
            None if !value.is_null() => into.push(value),
            None => {}
            Some((step, rest)) => {
                if let Some(next) = value.get(step) {
                    collect(next, rest, into);
                }
            }
        },
    }
}

/// A value as a reader of an error message wants it: text without quotes.
fn shown(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const RUNNING: Acceptor = Acceptor {
        path: &["InstanceSet", "InstanceState"],
        test: Test::All(&[Expected::Text("RUNNING")]),
    };
    const LAUNCH_FAILED: Acceptor = Acceptor {
        path: &["InstanceSet", "InstanceState"],
        test: Test::Any(&[Expected::Text("LAUNCH_FAILED")]),
    };

    #[test]
    fn all_needs_every_instance_in_the_state_and_at_least_one_instance() {
        let both =
            json!({"InstanceSet": [{"InstanceState": "RUNNING"}, {"InstanceState": "RUNNING"}]});
        assert_eq!(
            RUNNING.holds(&both).as_deref(),
            Some("InstanceSet.InstanceState is RUNNING, RUNNING")
        );
        let one_pending =
            json!({"InstanceSet": [{"InstanceState": "RUNNING"}, {"InstanceState": "PENDING"}]});
        assert_eq!(RUNNING.holds(&one_pending), None);
        // An instance not listed yet is not one that runs.
        assert_eq!(RUNNING.holds(&json!({"InstanceSet": []})), None);
        assert_eq!(RUNNING.holds(&json!({"InstanceSet": null})), None);
    }

    #[test]
    fn any_holds_as_soon_as_one_value_matches() {
        let one_failed = json!({"InstanceSet": [{"InstanceState": "RUNNING"}, {"InstanceState": "LAUNCH_FAILED"}]});
        assert_eq!(
            LAUNCH_FAILED.holds(&one_failed).as_deref(),
            Some("InstanceSet.InstanceState is RUNNING, LAUNCH_FAILED")
        );
        assert_eq!(
            LAUNCH_FAILED.holds(&json!({"InstanceSet": [{"InstanceState": "PENDING"}]})),
            None
        );
    }

    #[test]
    fn values_compare_as_the_tolerant_reader_reads_them() {
        let done = Acceptor {
            path: &["Status"],
            test: Test::All(&[Expected::Integer(0)]),
        };
        assert!(done.holds(&json!({"Status": 0})).is_some());
        assert!(done.holds(&json!({"Status": "0"})).is_some());
        assert!(done.holds(&json!({"Status": 2})).is_none());
        let attached = Acceptor {
            path: &["DiskSet", "Attached"],
            test: Test::All(&[Expected::Boolean(true)]),
        };
        assert!(
            attached
                .holds(&json!({"DiskSet": [{"Attached": "true"}, {"Attached": true}]}))
                .is_some()
        );
        assert!(
            attached
                .holds(&json!({"DiskSet": [{"Attached": false}]}))
                .is_none()
        );
        let text = Acceptor {
            path: &["Result", "Status"],
            test: Test::Any(&[Expected::Text("1")]),
        };
        assert!(text.holds(&json!({"Result": {"Status": 1}})).is_some());
    }
}
