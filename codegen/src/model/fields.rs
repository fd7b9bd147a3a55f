//! Fields of requests, outputs and nested structures: Rust names and types, serde renames,
//! docs and checks, and the variants of error enums.

use super::*;

/// The Rust value type of a member type: the text types are `String`s.
pub(super) fn scalar(member: Option<tencentcloud_vocabulary::Scalar>) -> Scalar {
    use tencentcloud_vocabulary::Scalar as Described;
    match member {
        Some(Described::Int64) => Scalar::Int64,
        Some(Described::Uint64) => Scalar::Uint64,
        Some(Described::Bool) => Scalar::Bool,
        Some(Described::Float) => Scalar::Float,
        _ => Scalar::String,
    }
}

pub(super) fn field_type(member: &Member) -> FieldType {
    let described = tencentcloud_vocabulary::Scalar::parse(&member.member);
    match (member.kind, described) {
        (MemberKind::List, Some(_)) => FieldType::List(scalar(described)),
        (MemberKind::List, None) => FieldType::ObjectList(names::type_name(&member.member)),
        (MemberKind::Object, _) => FieldType::Object(names::type_name(&member.member)),
        _ => FieldType::Scalar(scalar(described)),
    }
}

/// The Tencent name serde's `rename_all = "PascalCase"` derives from a snake_case field name.
pub(super) fn serde_pascal_case(field: &str) -> String {
    let mut pascal = String::new();
    let mut capitalize = true;
    for ch in field.chars() {
        if ch == '_' {
            capitalize = true;
        } else if capitalize {
            pascal.push(ch.to_ascii_uppercase());
            capitalize = false;
        } else {
            pascal.push(ch);
        }
    }
    pascal
}

/// Rust names of an object's members, in member order (`names::field_names`).
pub(super) fn rust_names(members: &[Member]) -> Vec<String> {
    names::field_names(members.iter().map(|m| m.name.as_str()), BUILDER_RESERVED)
}

pub(super) fn field_base(member: &Member, rust_name: String) -> FieldModel {
    let serde_rename = (serde_pascal_case(&rust_name) != member.name).then(|| member.name.clone());
    FieldModel {
        wire_name: member.name.clone(),
        serde_rename,
        rust_name,
        ty: field_type(member),
        boxed: false,
        required: member.required,
        docs: Vec::new(),
        setter_docs: Vec::new(),
        deprecated_note: member
            .deprecated
            .as_ref()
            .map(|d| format!("use {}", d.replacement)),
        checks: Vec::new(),
    }
}

/// A request parameter or nested structure member with its checks.
pub(super) fn member_field(member: &Member, rust_name: String) -> FieldModel {
    let mut field = field_base(member, rust_name);
    let c = &member.constraints;
    if member.required {
        field.checks.push(Check::Required);
    }
    if let Some(min) = c.min_items {
        field.checks.push(Check::MinItems(min));
    }
    if let Some(max) = c.max_items {
        field.checks.push(Check::MaxItems(max));
    }
    if let Some(allowed) = &c.allowed {
        field.checks.push(Check::AllowedValues(allowed.clone()));
    }
    if c.minimum.is_some() || c.maximum.is_some() {
        field.checks.push(Check::Range {
            min: c.minimum,
            max: c.maximum,
        });
    }
    if c.min_length.is_some() || c.max_length.is_some() {
        field.checks.push(Check::Length {
            min: c.min_length,
            max: c.max_length,
        });
    }
    if c.charset == Some(Charset::Ascii) {
        field.checks.push(Check::Ascii);
    }
    if matches!(field.ty, FieldType::Object(_) | FieldType::ObjectList(_)) {
        field.checks.push(Check::Nested);
    }
    field
}

pub(super) fn input_field(
    member: &Member,
    action: &Action,
    request: &str,
    rust_name: String,
) -> FieldModel {
    let mut field = member_field(member, rust_name);
    field.docs = docs::input_member(member, action);
    field.setter_docs = docs::setter(member, request, &field.rust_name);
    field
}

/// A response field. Real answers leave out or send `null` for fields the description calls
/// always present, so only `RequestId`, which the runtime itself reads, stays required: every
/// other scalar or structure is an `Option`, every list reads `null` as empty.
pub(super) fn output_field(member: &Member, rust_name: String) -> FieldModel {
    let mut field = field_base(member, rust_name);
    field.docs = docs::output_member(member);
    field.required = member.name == REQUEST_ID;
    field
}

/// Variants for `codes` (an action's or a service version's), by code: a code that is also a
/// common one decodes to the common variant, so it is left out here.
pub(super) fn error_variants(codes: &[ErrorCode], common: &[ErrorCode]) -> Vec<ErrorVariant> {
    let common: BTreeSet<&str> = common.iter().map(|e| e.code.as_str()).collect();
    let by_code: BTreeMap<&str, &ErrorCode> = codes
        .iter()
        .filter(|error| !common.contains(error.code.as_str()))
        .map(|error| (error.code.as_str(), error))
        .collect();
    by_code
        .into_values()
        .map(|error| ErrorVariant {
            code: error.code.clone(),
            variant: names::error_variant(&error.code),
            docs: docs::error_code(error),
        })
        .collect()
}
