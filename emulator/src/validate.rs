//! Spec-driven request validation: every rule comes from the action's request object in the spec
//! (member types, `required`, constraints, group constraints), none is written per action.
//!
//! Validation also normalizes: integers sent as numeric strings (`"Force": "1"`, as the reference
//! pages' examples do) or booleans sent as words (`GET` queries) come out as JSON numbers and
//! booleans, so state rules and idempotency fingerprints see one form.

use serde_json::{Map, Number, Value};
use sha2::{Digest, Sha256};
use tencentcloud_spec::types::{GroupRule, MemberKind};

use crate::api_error::ApiError;
use crate::catalog::{ActionDef, ElementType, MemberShape, Shapes};

const LIMIT_EXCEEDED: &str = "InvalidParameterValue.LimitExceeded";

/// The validated, normalized parameters of one request.
#[derive(Debug, Clone, Default)]
pub(crate) struct Params {
    values: Map<String, Value>,
}

impl Params {
    /// Every parameter sent, by name.
    pub fn members(&self) -> &Map<String, Value> {
        &self.values
    }

    pub fn string(&self, name: &str) -> Option<&str> {
        self.values.get(name).and_then(Value::as_str)
    }

    /// The value at `path`, members inside objects (`["Filter", "Offset"]`).
    pub fn value_at(&self, path: &[String]) -> Option<&Value> {
        let (first, rest) = path.split_first()?;
        rest.iter()
            .try_fold(self.values.get(first)?, |value, step| value.get(step))
    }

    pub fn bool(&self, name: &str) -> Option<bool> {
        self.values.get(name).and_then(Value::as_bool)
    }

    pub fn int(&self, name: &str) -> Option<i64> {
        self.values.get(name).and_then(Value::as_i64)
    }

    pub fn uint(&self, name: &str) -> Option<u64> {
        self.values.get(name).and_then(Value::as_u64)
    }

    /// A list of strings; `None` when absent.
    pub fn strings(&self, name: &str) -> Option<Vec<&str>> {
        self.values
            .get(name)
            .and_then(Value::as_array)
            .map(|items| items.iter().filter_map(Value::as_str).collect())
    }

    /// SHA-256 over the parameters in a canonical form (sorted keys), leaving out `exclude` (the
    /// idempotency token): two requests with the same fingerprint ask for the same thing.
    pub fn fingerprint(&self, exclude: Option<&str>) -> [u8; 32] {
        let mut hasher = Sha256::new();
        let mut keys: Vec<&String> = self
            .values
            .keys()
            .filter(|k| Some(k.as_str()) != exclude)
            .collect();
        keys.sort();
        hasher.update(b"{");
        for key in keys {
            hash_str(&mut hasher, key);
            if let Some(v) = self.values.get(key) {
                hash_value(&mut hasher, v);
            }
        }
        hasher.update(b"}");
        hasher.finalize().into()
    }
}

fn hash_str(hasher: &mut Sha256, s: &str) {
    hasher.update((s.len() as u64).to_le_bytes());
    hasher.update(s.as_bytes());
}

fn hash_value(hasher: &mut Sha256, value: &Value) {
    match value {
        Value::Null => hasher.update(b"n"),
        Value::Bool(b) => hasher.update(if *b { b"t" } else { b"f" }),
        Value::Number(n) => {
            hasher.update(b"#");
            hash_str(hasher, &n.to_string());
        }
        Value::String(s) => {
            hasher.update(b"s");
            hash_str(hasher, s);
        }
        Value::Array(items) => {
            hasher.update(b"[");
            hasher.update((items.len() as u64).to_le_bytes());
            items.iter().for_each(|v| hash_value(hasher, v));
        }
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            hasher.update(b"{");
            hasher.update((keys.len() as u64).to_le_bytes());
            for key in keys {
                hash_str(hasher, key);
                if let Some(v) = map.get(key) {
                    hash_value(hasher, v);
                }
            }
        }
    }
}

pub(crate) fn validate(def: &ActionDef, input: Map<String, Value>) -> Result<Params, ApiError> {
    let values = Validator {
        def,
        shapes: &def.shapes,
    }
    .object(def.request, input, "")?;
    check_groups(def, &values)?;
    Ok(Params { values })
}

fn is_set(values: &Map<String, Value>, name: &str) -> bool {
    match values.get(name) {
        None | Some(Value::Null) => false,
        Some(Value::Array(items)) => !items.is_empty(),
        Some(_) => true,
    }
}

fn check_groups(def: &ActionDef, values: &Map<String, Value>) -> Result<(), ApiError> {
    for group in &def.group_constraints {
        let set = group.members.iter().filter(|m| is_set(values, m)).count();
        let names = group
            .members
            .iter()
            .map(|m| format!("`{m}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let broken = match group.rule {
            GroupRule::AtLeastOneOf => {
                (set == 0).then(|| format!("at least one of {names} must be set"))
            }
            GroupRule::ExactlyOneOf => {
                (set != 1).then(|| format!("exactly one of {names} must be set, got {set}"))
            }
        };
        if let Some(rule) = broken {
            return Err(ApiError::invalid_parameter_value(format!(
                "Invalid parameters: {rule} ({})",
                group.document
            )));
        }
    }
    Ok(())
}

struct Validator<'a> {
    def: &'a ActionDef,
    shapes: &'a Shapes,
}

impl Validator<'_> {
    fn object(
        &self,
        index: usize,
        mut input: Map<String, Value>,
        prefix: &str,
    ) -> Result<Map<String, Value>, ApiError> {
        let Some(shape) = self.shapes.objects.get(index) else {
            return Err(ApiError::new(
                "InternalError",
                "The spec names a missing object.",
            ));
        };
        if let Some(unknown) = input.keys().find(|k| shape.member(k).is_none()) {
            return Err(ApiError::new(
                "UnknownParameter",
                format!(
                    "The parameter `{prefix}{}` is not recognized.",
                    shorten(unknown)
                ),
            ));
        }
        let mut out = Map::new();
        for member in &shape.members {
            match input.remove(&member.name) {
                None | Some(Value::Null) => {
                    if member.required {
                        return Err(ApiError::missing_parameter(&format!(
                            "{prefix}{}",
                            member.name
                        )));
                    }
                }
                Some(value) => {
                    let path = format!("{prefix}{}", member.name);
                    let value = self.member(member, value, &path)?;
                    out.insert(member.name.clone(), value);
                }
            }
        }
        Ok(out)
    }

    fn member(&self, member: &MemberShape, value: Value, path: &str) -> Result<Value, ApiError> {
        if member.kind != MemberKind::List {
            return self.element(member, value, path);
        }
        let Value::Array(items) = value else {
            return Err(ApiError::invalid_parameter(format!(
                "The parameter `{path}` must be a list (in a query string: `{path}.0`, `{path}.1`, ...)."
            )));
        };
        let c = &member.constraints;
        if let Some(max) = c.max_items
            && items.len() > max as usize
        {
            let code = if self.def.documents(LIMIT_EXCEEDED) {
                LIMIT_EXCEEDED
            } else {
                "InvalidParameterValue"
            };
            return Err(ApiError::new(
                code,
                format!(
                    "The parameter `{path}` allows at most {max} items, got {}.",
                    items.len()
                ),
            ));
        }
        if let Some(min) = c.min_items
            && items.len() < min as usize
        {
            return Err(ApiError::invalid_parameter_value(format!(
                "The parameter `{path}` needs at least {min} items, got {}.",
                items.len()
            )));
        }
        items
            .into_iter()
            .enumerate()
            .map(|(i, item)| self.element(member, item, &format!("{path}.{i}")))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array)
    }

    fn element(&self, member: &MemberShape, value: Value, path: &str) -> Result<Value, ApiError> {
        match member.element {
            ElementType::String => match value {
                Value::String(s) => {
                    check_string(member, &s, path)?;
                    Ok(Value::String(s))
                }
                other => Err(wrong_type(path, "a string", &other)),
            },
            ElementType::Int64 => {
                let n = match &value {
                    Value::Number(n) => n.as_i64(),
                    Value::String(s) => s.parse::<i64>().ok(),
                    _ => None,
                }
                .ok_or_else(|| wrong_type(path, "an integer", &value))?;
                check_int(member, i128::from(n), path)?;
                Ok(Value::Number(n.into()))
            }
            ElementType::Uint64 => {
                let wide = match &value {
                    Value::Number(n) => n.as_u64().map(i128::from).or(n.as_i64().map(i128::from)),
                    Value::String(s) => s.parse::<i128>().ok(),
                    _ => None,
                }
                .ok_or_else(|| wrong_type(path, "an unsigned integer", &value))?;
                let n = u64::try_from(wide).map_err(|_| {
                    ApiError::invalid_parameter_value(format!(
                        "The value {wide} of parameter `{path}` is out of range for an unsigned 64-bit integer."
                    ))
                })?;
                check_int(member, wide, path)?;
                Ok(Value::Number(n.into()))
            }
            ElementType::Bool => match &value {
                Value::Bool(b) => Ok(Value::Bool(*b)),
                Value::String(s) if s.eq_ignore_ascii_case("true") => Ok(Value::Bool(true)),
                Value::String(s) if s.eq_ignore_ascii_case("false") => Ok(Value::Bool(false)),
                _ => Err(wrong_type(path, "a boolean", &value)),
            },
            ElementType::Float => {
                let f = match &value {
                    Value::Number(n) => n.as_f64(),
                    Value::String(s) => s.parse::<f64>().ok(),
                    _ => None,
                }
                .and_then(Number::from_f64)
                .ok_or_else(|| wrong_type(path, "a number", &value))?;
                Ok(Value::Number(f))
            }
            ElementType::Object(index) => match value {
                Value::Object(map) => self
                    .object(index, map, &format!("{path}."))
                    .map(Value::Object),
                other => Err(wrong_type(path, "a structure", &other)),
            },
        }
    }
}

/// Echoing a client-chosen name back must not turn a 10 MB key into a 10 MB answer.
fn shorten(name: &str) -> String {
    const MAX_CHARS: usize = 128;
    if name.chars().count() <= MAX_CHARS {
        name.to_string()
    } else {
        format!("{}...", name.chars().take(MAX_CHARS).collect::<String>())
    }
}

fn wrong_type(path: &str, expected: &str, got: &Value) -> ApiError {
    let shown = match got {
        Value::String(s) => format!("\"{}\"", s.chars().take(64).collect::<String>()),
        Value::Array(_) => "a list".to_string(),
        Value::Object(_) => "a structure".to_string(),
        other => other.to_string(),
    };
    ApiError::invalid_parameter(format!(
        "The parameter `{path}` must be {expected}, got {shown}."
    ))
}

fn check_string(member: &MemberShape, s: &str, path: &str) -> Result<(), ApiError> {
    let c = &member.constraints;
    if member.ascii_only && !s.is_ascii() {
        return Err(ApiError::invalid_parameter_value(format!(
            "The parameter `{path}` must contain only ASCII characters."
        )));
    }
    if c.max_length.is_some() || c.min_length.is_some() {
        let len = s.chars().count();
        if let Some(max) = c.max_length
            && len > max as usize
        {
            return Err(ApiError::invalid_parameter_value(format!(
                "The parameter `{path}` is at most {max} characters long, got {len}."
            )));
        }
        if let Some(min) = c.min_length
            && len < min as usize
        {
            return Err(ApiError::invalid_parameter_value(format!(
                "The parameter `{path}` is at least {min} characters long, got {len}."
            )));
        }
    }
    Ok(())
}

fn check_int(member: &MemberShape, n: i128, path: &str) -> Result<(), ApiError> {
    let c = &member.constraints;
    if let Some(allowed) = &c.allowed
        && !allowed.iter().any(|a| i128::from(*a) == n)
    {
        let list = allowed
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        return Err(ApiError::invalid_parameter_value(format!(
            "The value {n} of parameter `{path}` is not one of the allowed values: {list}."
        )));
    }
    if let Some(min) = c.minimum
        && n < i128::from(min)
    {
        return Err(ApiError::invalid_parameter_value(format!(
            "The value {n} of parameter `{path}` is below the minimum {min}."
        )));
    }
    if let Some(max) = c.maximum
        && n > i128::from(max)
    {
        return Err(ApiError::invalid_parameter_value(format!(
            "The value {n} of parameter `{path}` is above the maximum {max}."
        )));
    }
    Ok(())
}
