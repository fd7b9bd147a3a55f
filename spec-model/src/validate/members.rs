//! Objects and their members: names, types, requiredness, deprecation and constraints.

use super::*;

pub(super) fn check_object(
    ctx: &mut Ctx<'_>,
    name: &str,
    object: &Value,
    object_names: &BTreeSet<String>,
) -> ObjectInfo {
    let path = format!("$.objects.{name}");
    let mut info = ObjectInfo::default();
    if !names::is_tencent_name(name) {
        ctx.report(
            &path,
            format!("object name `{name}` is not an identifier (letters, digits, `_`)"),
        );
    }
    let Some(map) = ctx.object(&path, object, &["type", "members"], &["document"]) else {
        return info;
    };
    ctx.string(&path, map, "document");
    if let Some(kind) = ctx.string(&path, map, "type")
        && kind != "object"
    {
        ctx.report(
            &format!("{path}.type"),
            format!("object type must be `object`, found `{kind}`"),
        );
    }
    let Some(members) = ctx.array(&path, map, "members") else {
        return info;
    };
    let mut first_index: BTreeMap<String, usize> = BTreeMap::new();
    let mut idempotency_tokens = Vec::new();
    let mut replacements = Vec::new();
    for (i, member) in members.iter().enumerate() {
        let member_path = format!("{path}.members[{i}]");
        let Some(checked) = check_member(ctx, &member_path, member, object_names) else {
            continue;
        };
        if let Some(first) = first_index.insert(checked.name.clone(), i) {
            ctx.report(
                &format!("{member_path}.name"),
                format!(
                    "duplicate parameter `{}` (first at members[{first}])",
                    checked.name
                ),
            );
            continue;
        }
        if checked.idempotency_token {
            idempotency_tokens.push(member_path.clone());
        }
        if let Some(replacement) = checked.replacement {
            replacements.push((member_path.clone(), checked.name.clone(), replacement));
        }
        info.name_paths
            .insert(checked.name.clone(), format!("{member_path}.name"));
        if let Some(types) = checked.types {
            info.members.insert(checked.name, types);
        }
    }
    for (member_path, member, replacement) in replacements {
        if replacement == member {
            ctx.report(
                &format!("{member_path}.deprecated.replacement"),
                format!("`{member}` cannot be its own replacement"),
            );
        } else if !first_index.contains_key(&replacement) {
            ctx.report(
                &format!("{member_path}.deprecated.replacement"),
                format!("replacement `{replacement}` of `{member}` is not a member of `{name}`"),
            );
        }
    }
    if idempotency_tokens.len() > 1 {
        for token_path in &idempotency_tokens[1..] {
            ctx.report(
                &format!("{token_path}.idempotencyToken"),
                "an object has at most one idempotency token",
            );
        }
    }
    // Names colliding after conversion are resolved by `names::field_names`, in member order.
    let mut ordered: Vec<(&String, &String)> = info.name_paths.iter().collect();
    ordered.sort_by_key(|(name, _)| first_index.get(*name));
    let rust_names = names::field_names(ordered.iter().map(|(n, _)| n.as_str()), BUILDER_RESERVED);
    for ((name, path), rust) in ordered.into_iter().zip(rust_names) {
        if !names::is_rust_ident(&rust) {
            ctx.report(
                path,
                format!("`{name}` converts to `{rust}`, which is not a Rust identifier"),
            );
        }
    }
    info
}

/// Reports members (or actions) whose Rust names coincide.
pub(super) fn check_name_collisions<'a>(
    ctx: &mut Ctx<'_>,
    items: impl Iterator<Item = (&'a String, &'a String)>,
    convert: impl Fn(&str) -> String,
    what: &str,
) {
    let mut by_rust_name: BTreeMap<String, &str> = BTreeMap::new();
    for (name, path) in items {
        let rust = convert(name);
        if !names::is_rust_ident(&rust) {
            ctx.report(
                path,
                format!("`{name}` converts to `{rust}`, which is not a Rust identifier"),
            );
        } else if let Some(other) = by_rust_name.insert(rust.clone(), name) {
            ctx.report(
                path,
                format!("`{name}` and `{other}` both convert to the {what} name `{rust}`"),
            );
        }
    }
}

pub(super) struct CheckedMember {
    name: String,
    types: Option<(String, String)>,
    idempotency_token: bool,
    replacement: Option<String>,
}

pub(super) fn check_member(
    ctx: &mut Ctx<'_>,
    path: &str,
    member: &Value,
    object_names: &BTreeSet<String>,
) -> Option<CheckedMember> {
    let map = ctx.object(
        path,
        member,
        &["name", "type", "member", "required", "document"],
        &[
            ["documentZh", "example", "deprecated", "idempotencyToken"].as_slice(),
            &CONSTRAINT_KEYS,
        ]
        .concat(),
    )?;
    for key in ["document", "documentZh", "example"] {
        ctx.string(path, map, key);
    }
    ctx.bool(path, map, "required");
    let name = ctx.string(path, map, "name")?.to_owned();
    if !names::is_tencent_name(&name) {
        ctx.report(
            &format!("{path}.name"),
            format!("parameter name `{name}` is not an identifier (an ASCII letter, then letters, digits or `_`)"),
        );
    }
    let kind = ctx.string(path, map, "type");
    if let Some(kind) = kind
        && !MEMBER_KINDS.contains(&kind)
    {
        ctx.report(
            &format!("{path}.type"),
            format!("unknown type `{kind}` (known: {})", MEMBER_KINDS.join(", ")),
        );
    }
    let kind = kind.filter(|k| MEMBER_KINDS.contains(k));
    let element = ctx.string(path, map, "member");
    let types = match (kind, element) {
        (Some(kind), Some(element)) => check_member_type(ctx, path, kind, element, object_names)
            .then(|| (kind.to_owned(), element.to_owned())),
        _ => None,
    };
    if let Some((kind, element)) = &types {
        check_constraints(ctx, path, map, kind, element);
    }
    let idempotency_token = ctx.bool(path, map, "idempotencyToken").unwrap_or(false);
    if idempotency_token && types.as_ref().is_some_and(|(kind, _)| kind != "string") {
        ctx.report(
            &format!("{path}.idempotencyToken"),
            "only a string member can be an idempotency token",
        );
    }
    let replacement = ctx.map(path, map, "deprecated").and_then(|deprecated| {
        let deprecated_path = format!("{path}.deprecated");
        ctx.object(
            &deprecated_path,
            &Value::Object(deprecated.clone()),
            &["replacement"],
            &[],
        )?;
        ctx.string(&deprecated_path, deprecated, "replacement")
            .map(str::to_owned)
    });
    Some(CheckedMember {
        name,
        types,
        idempotency_token,
        replacement,
    })
}

/// Whether `member` names a type that fits the JSON category `kind`.
pub(super) fn check_member_type(
    ctx: &mut Ctx<'_>,
    path: &str,
    kind: &str,
    element: &str,
    object_names: &BTreeSet<String>,
) -> bool {
    let member_path = format!("{path}.member");
    let expected: &[&str] = match kind {
        "string" => &["string", "datetime", "datetime_iso", "date"],
        "int" => &["int64", "uint64"],
        "bool" => &["bool"],
        "float" => &["float"],
        "binary" => &["binary"],
        _ => &[],
    };
    if !expected.is_empty() {
        if !expected.contains(&element) {
            ctx.report(
                &member_path,
                format!(
                    "unknown member type `{element}` for type `{kind}` (expected {})",
                    expected.join(" or ")
                ),
            );
            return false;
        }
        return true;
    }
    if kind == "list" && Scalar::parse(element).is_some() {
        return true;
    }
    if !object_names.contains(element) {
        ctx.report(
            &member_path,
            format!(
                "unknown member type `{element}`: neither a scalar ({}) nor an object of this spec",
                Scalar::ALL.map(Scalar::name).join(", ")
            ),
        );
        return false;
    }
    true
}

/// Member constraint keys, in the order their problems are reported.
pub(super) const CONSTRAINT_KEYS: [&str; 9] = [
    "enum",
    "minimum",
    "maximum",
    "default",
    "minLength",
    "maxLength",
    "charset",
    "minItems",
    "maxItems",
];

/// Which members a constraint key applies to.
#[derive(Clone, Copy)]
pub(super) enum ConstraintTarget {
    Integers,
    Strings,
    Lists,
    Scalars,
}

impl ConstraintTarget {
    fn fits(self, kind: &str) -> bool {
        match self {
            Self::Integers => kind == "int",
            Self::Strings => kind == "string",
            Self::Lists => kind == "list",
            Self::Scalars => kind != "list" && kind != "object",
        }
    }

    fn applies_to(self) -> &'static str {
        match self {
            Self::Integers => "integers",
            Self::Strings => "strings",
            Self::Lists => "lists",
            Self::Scalars => "scalars",
        }
    }
}

pub(super) fn constraint_target(key: &str) -> ConstraintTarget {
    match key {
        "enum" | "minimum" | "maximum" => ConstraintTarget::Integers,
        "minLength" | "maxLength" | "charset" => ConstraintTarget::Strings,
        "minItems" | "maxItems" => ConstraintTarget::Lists,
        _ => ConstraintTarget::Scalars,
    }
}

pub(super) fn check_constraints(
    ctx: &mut Ctx<'_>,
    path: &str,
    map: &Map<String, Value>,
    kind: &str,
    element: &str,
) {
    let what = match kind {
        "list" => "a list",
        "int" => "an integer",
        "string" => "a string",
        "bool" => "a boolean",
        "float" => "a float",
        _ => "an object",
    };
    for key in CONSTRAINT_KEYS {
        let target = constraint_target(key);
        if map.contains_key(key) && !target.fits(kind) {
            ctx.report(
                &format!("{path}.{key}"),
                format!(
                    "`{key}` does not apply to {what} member (only to {})",
                    target.applies_to()
                ),
            );
        }
    }
    let unsigned = element == "uint64";
    let lowest = if unsigned { 0 } else { i64::MIN };
    let mut allowed = None;
    if kind == "int" {
        if let Some(values) = ctx.array(path, map, "enum") {
            let mut parsed = Vec::new();
            for (i, value) in values.iter().enumerate() {
                match value.as_i64() {
                    Some(v) if v >= lowest => parsed.push(v),
                    _ => ctx.report(
                        &format!("{path}.enum[{i}]"),
                        format!("enum value {} does not fit `{element}`", kind_of(value)),
                    ),
                }
            }
            if parsed.is_empty() {
                ctx.report(&format!("{path}.enum"), "`enum` needs at least one value");
            }
            allowed = Some(parsed);
        }
        let minimum = ctx.i64(path, map, "minimum");
        let maximum = ctx.i64(path, map, "maximum");
        if let Some(min) = minimum
            && min < lowest
        {
            ctx.report(
                &format!("{path}.minimum"),
                format!("minimum {min} does not fit `{element}`"),
            );
        }
        ctx.ordered_bounds(path, ("minimum", minimum), ("maximum", maximum));
    }
    if kind == "string" {
        let min = ctx.u32(path, map, "minLength").map(i64::from);
        let max = ctx.u32(path, map, "maxLength").map(i64::from);
        ctx.ordered_bounds(path, ("minLength", min), ("maxLength", max));
        if let Some(charset) = ctx.string(path, map, "charset")
            && charset != "ascii"
        {
            ctx.report(
                &format!("{path}.charset"),
                format!("unknown charset `{charset}` (known: ascii)"),
            );
        }
    }
    if kind == "list" {
        let min = ctx.u32(path, map, "minItems").map(i64::from);
        let max = ctx.u32(path, map, "maxItems").map(i64::from);
        ctx.ordered_bounds(path, ("minItems", min), ("maxItems", max));
    }
    if let Some(default) = map.get("default")
        && constraint_target("default").fits(kind)
    {
        let ok = match element {
            "string" => default.is_string(),
            "bool" => default.is_boolean(),
            "float" => default.is_number(),
            _ => default.as_i64().is_some_and(|v| v >= lowest),
        };
        if !ok {
            ctx.report(
                &format!("{path}.default"),
                format!("default {} does not fit `{element}`", kind_of(default)),
            );
        } else if let (Some(allowed), Some(v)) = (&allowed, default.as_i64())
            && !allowed.contains(&v)
        {
            ctx.report(
                &format!("{path}.default"),
                format!("default {v} is not one of the enum values"),
            );
        }
    }
}
