//! What request structs, builders, output structs and nested structure types share: struct
//! declarations with their `PartialEq`, fluent setters and per-field checks.

use super::text::{RustText, pack, string_literal};
use crate::line;
use crate::model::{Check, FieldModel, FieldType, Scalar};
use crate::names::TYPES_MODULE;
use crate::validate::UNREAD_MEMBERS_FIELD;

/// Where an emitted item stands: in an action's file, nested types are `super::types::X` and a
/// setter stores into `self.request`; in a type's file, they are `super::X` and it stores into
/// `self`.
#[derive(Debug, Clone, Copy)]
pub enum Place {
    Action,
    Type,
}

impl Place {
    fn types_prefix(self) -> String {
        match self {
            Self::Action => format!("super::{TYPES_MODULE}::"),
            Self::Type => "super::".to_owned(),
        }
    }

    fn setter_target(self) -> &'static str {
        match self {
            Self::Action => "self.request",
            Self::Type => "self",
        }
    }
}

/// Which way a structure travels: requests are only written, responses only read. Deriving
/// only that direction halves what serde's derives cost to compile; the `full-serde` feature adds
/// the other direction for users who store or replay them.
#[derive(Debug, Clone, Copy)]
pub struct Directions {
    pub sent: bool,
    pub received: bool,
}

/// The cargo feature deriving both directions on every structure.
pub const FULL_SERDE: &str = "full-serde";

/// How the runtime's serde helpers are named from generated code.
const HELPERS: &str = "tencentcloud_runtime::__private";

/// One field of a data struct: its model, the contents of its `#[serde(...)]` (empty for
/// none) and its Rust type.
pub struct StructField<'a> {
    pub model: &'a FieldModel,
    pub serde: String,
    pub ty: String,
}

fn scalar(scalar: Scalar) -> &'static str {
    match scalar {
        Scalar::String => "String",
        Scalar::Int64 => "i64",
        Scalar::Uint64 => "u64",
        Scalar::Bool => "bool",
        Scalar::Float => "f64",
    }
}

/// The Rust type of a field's value (without the `Option` of optional fields).
pub fn value_type(ty: &FieldType, place: Place) -> String {
    let types = place.types_prefix();
    match ty {
        FieldType::Scalar(s) => scalar(*s).to_owned(),
        FieldType::List(s) => format!("Vec<{}>", scalar(*s)),
        FieldType::Object(name) => format!("{types}{name}"),
        FieldType::ObjectList(name) => format!("Vec<{types}{name}>"),
    }
}

/// The Rust type of one element of a list type.
pub fn element_type(ty: &FieldType, place: Place) -> Option<String> {
    match ty {
        FieldType::List(s) => Some(scalar(*s).to_owned()),
        FieldType::ObjectList(name) => Some(format!("{}{name}", place.types_prefix())),
        FieldType::Scalar(_) | FieldType::Object(_) => None,
    }
}

/// The serde adapter reading an optional integer from a number or a numeric string.
fn integer_adapter(ty: &FieldType) -> Option<&'static str> {
    match ty {
        FieldType::Scalar(Scalar::Int64) => Some("option_int64"),
        FieldType::Scalar(Scalar::Uint64) => Some("option_uint64"),
        _ => None,
    }
}

/// `Option<T>` of a request parameter or nested structure member: left out of the JSON when
/// `None` if the structure is ever sent.
pub fn optional_field(field: &FieldModel, place: Place, sent: bool) -> StructField<'_> {
    let mut ty = value_type(&field.ty, place);
    if field.boxed {
        ty = format!("Box<{ty}>");
    }
    let mut serde = Vec::new();
    if sent {
        serde.push("skip_serializing_if = \"Option::is_none\"".to_owned());
    }
    if let Some(adapter) = integer_adapter(&field.ty) {
        serde.push(format!("with = \"{HELPERS}::{adapter}\""));
    }
    StructField {
        model: field,
        serde: serde.join(", "),
        ty: format!("Option<{ty}>"),
    }
}

/// A response field: `RequestId` as it is, a list empty when missing or `null`, anything else
/// an `Option`.
pub fn output_field(field: &FieldModel) -> StructField<'_> {
    let value = value_type(&field.ty, Place::Action);
    let is_list = matches!(field.ty, FieldType::List(_) | FieldType::ObjectList(_));
    let (ty, serde) = if field.required {
        (value, String::new())
    } else if is_list {
        (
            value,
            format!("deserialize_with = \"{HELPERS}::null_as_empty\""),
        )
    } else {
        let serde = integer_adapter(&field.ty)
            .map(|adapter| format!("with = \"{HELPERS}::{adapter}\""))
            .unwrap_or_default();
        (format!("Option<{value}>"), serde)
    };
    StructField {
        model: field,
        serde,
        ty,
    }
}

/// Whether generated code reading these fields reads a deprecated one.
pub fn reads_deprecated(fields: &[FieldModel]) -> bool {
    fields.iter().any(|f| f.deprecated_note.is_some())
}

/// A request, output or nested structure type: serde with Tencent's PascalCase names, a member
/// left out reads as its default, `#[non_exhaustive]` so a member added to the spec is not a
/// breaking change; then its `PartialEq`. `allows` are lints the struct and its impls allow.
pub fn data_struct(
    text: &mut RustText,
    docs: &[String],
    allows: &[&str],
    name: &str,
    directions: Directions,
    fields: &[StructField],
) {
    data_struct_with(text, docs, allows, name, directions, fields, false);
}

/// An output: a [`data_struct`] that also lists the members of the answer that could not be
/// read (left out of its `PartialEq`: they say how the answer was read, not what it holds).
pub fn output_struct(
    text: &mut RustText,
    docs: &[String],
    allows: &[&str],
    name: &str,
    fields: &[StructField],
) {
    let received = Directions {
        sent: false,
        received: true,
    };
    data_struct_with(text, docs, allows, name, received, fields, true);
}

fn data_struct_with(
    text: &mut RustText,
    docs: &[String],
    allows: &[&str],
    name: &str,
    directions: Directions,
    fields: &[StructField],
    unread_members: bool,
) {
    let (mut always, mut optional) = (Vec::new(), Vec::new());
    for (needed, derive) in [
        (directions.sent, "serde::Serialize"),
        (directions.received, "serde::Deserialize"),
    ] {
        if needed {
            always.push(derive);
        } else {
            optional.push(derive);
        }
    }
    text.docs(docs);
    allow(text, allows);
    line!(
        text,
        "#[derive(Debug, Clone, Default, {})]",
        always.join(", ")
    );
    if !optional.is_empty() {
        line!(
            text,
            "#[cfg_attr(feature = \"{FULL_SERDE}\", derive({}))]",
            optional.join(", ")
        );
    }
    text.line("#[serde(rename_all = \"PascalCase\")]");
    text.line("#[non_exhaustive]");
    if fields.is_empty() && !unread_members {
        line!(text, "pub struct {name} {{}}");
    } else {
        text.open(&format!("pub struct {name} {{"));
        for field in fields {
            let model = field.model;
            text.docs(&model.docs);
            if let Some(note) = &model.deprecated_note {
                line!(text, "#[deprecated(note = {})]", string_literal(note));
            }
            // Per field rather than on the container: a container default makes every
            // `Deserialize` build the whole default value first, MIR stored in the crate's
            // metadata (vpc's release rlib: 0.5 MB more).
            let mut serde = vec!["default".to_owned()];
            if let Some(rename) = &model.serde_rename {
                serde.push(format!("rename = {}", string_literal(rename)));
            }
            if !field.serde.is_empty() {
                serde.push(field.serde.clone());
            }
            if !serde.is_empty() {
                line!(text, "#[serde({})]", serde.join(", "));
            }
            line!(text, "pub {}: {},", model.rust_name, field.ty);
        }
        if unread_members {
            text.line("/// Members of the answer that could not be read into their documented types and were left absent (`None` or empty); empty when the answer matched its documentation.");
            line!(
                text,
                "#[serde(skip, default = \"{HELPERS}::unread_members\")]"
            );
            line!(
                text,
                "pub {UNREAD_MEMBERS_FIELD}: tencentcloud_runtime::UnreadMembers,"
            );
        }
        text.close("}");
    }
    text.blank();
    partial_eq(text, allows, name, fields);
}

/// `PartialEq` written out: a derived one is `#[inline]`, which stores every comparison's MIR
/// in the crate's metadata for other crates to inline; written out, it is object code the
/// linker drops when unused (vpc's release rlib: 3 MB less of 60 MB).
fn partial_eq(text: &mut RustText, allows: &[&str], name: &str, fields: &[StructField]) {
    allow(text, allows);
    text.open(&format!("impl PartialEq for {name} {{"));
    if fields.is_empty() {
        text.open("fn eq(&self, _other: &Self) -> bool {");
        text.line("true");
    } else {
        text.open("fn eq(&self, other: &Self) -> bool {");
        let comparisons: Vec<String> = fields
            .iter()
            .map(|f| format!("self.{0} == other.{0}", f.model.rust_name))
            .collect();
        let mut lines = pack(&comparisons, " && ", 88).into_iter();
        if let Some(first) = lines.next() {
            text.line(&first);
        }
        text.open_block();
        for line in lines {
            text.line(&line);
        }
        text.close_block();
    }
    text.close("}");
    text.close("}");
}

/// `#[allow(...)]` of `lints`, if any.
pub fn allow(text: &mut RustText, lints: &[&str]) {
    if !lints.is_empty() {
        line!(text, "#[allow({})]", lints.join(", "));
    }
}

/// A fluent setter storing `Some(value)` into the field, as a method of an `impl` block: its doc
/// line, then the setter on one line.
pub fn setter(text: &mut RustText, field: &FieldModel, place: Place) {
    let name = &field.rust_name;
    let types = place.types_prefix();
    let (param, value) = match &field.ty {
        FieldType::Scalar(Scalar::String) => ("impl Into<String>".to_owned(), "value.into()"),
        FieldType::List(Scalar::String) => (
            "impl IntoIterator<Item = impl Into<String>>".to_owned(),
            "value.into_iter().map(Into::into).collect()",
        ),
        FieldType::List(s) => (
            format!("impl IntoIterator<Item = {}>", scalar(*s)),
            "value.into_iter().collect()",
        ),
        FieldType::Scalar(s) => (scalar(*s).to_owned(), "value"),
        FieldType::Object(object) => (format!("{types}{object}"), "value"),
        FieldType::ObjectList(object) => (
            format!("impl IntoIterator<Item = {types}{object}>"),
            "value.into_iter().collect()",
        ),
    };
    text.docs(&field.setter_docs);
    if let Some(note) = &field.deprecated_note {
        line!(text, "#[deprecated(note = {})]", string_literal(note));
        text.line("#[allow(deprecated)]");
    }
    let target = place.setter_target();
    let value = if field.boxed {
        format!("Box::new({value})")
    } else {
        value.to_owned()
    };
    // One line each: a builder has a setter per parameter, and a parameter's change is then a
    // two-line diff (its doc line and this).
    line!(
        text,
        "pub fn {name}(mut self, value: {param}) -> Self {{ {target}.{name} = Some({value}); self }}"
    );
}

/// Whether [`field_checks`] writes anything for these fields.
pub fn has_checks(fields: &[FieldModel]) -> bool {
    fields.iter().any(|f| !f.checks.is_empty())
}

/// Whether [`field_checks`] calls the runtime's check helpers for these fields (a nested
/// structure checks itself).
pub fn uses_check_helpers(fields: &[FieldModel]) -> bool {
    fields
        .iter()
        .flat_map(|f| &f.checks)
        .any(|check| *check != Check::Nested)
}

/// The checks of one field inside a `validate` method, which has imported the runtime's
/// check helpers. Inside a nested type (`in_type`), errors name the parameter by its path from
/// the request (`Filters.0.Name`), built from the `at` prefix.
pub fn field_checks(text: &mut RustText, field: &FieldModel, in_type: bool) {
    let rust = &field.rust_name;
    let name = &field.wire_name;
    let wire = if in_type {
        format!("&format!(\"{{at}}{name}\")")
    } else {
        string_literal(name)
    };
    let as_i64 = match field.ty {
        FieldType::Scalar(Scalar::Uint64) => "i64::try_from(value).unwrap_or(i64::MAX)",
        _ => "value",
    };
    let mut on_value = Vec::new();
    for check in &field.checks {
        match check {
            Check::Required => {
                line!(text, "required({wire}, self.{rust}.is_some())?;");
            }
            Check::MinItems(min) => {
                on_value.push(format!("min_items({wire}, value.len(), {min})?;"));
            }
            Check::MaxItems(max) => {
                on_value.push(format!("max_items({wire}, value.len(), {max})?;"));
            }
            Check::AllowedValues(allowed) => {
                let allowed: Vec<String> = allowed.iter().map(i64::to_string).collect();
                on_value.push(format!(
                    "allowed_values({wire}, {as_i64}, &[{}])?;",
                    allowed.join(", ")
                ));
            }
            Check::Range { min, max } => {
                on_value.push(format!(
                    "range({wire}, {as_i64}, {}, {})?;",
                    option(*min),
                    option(*max)
                ));
            }
            Check::Length { min, max } => {
                on_value.push(format!(
                    "length({wire}, value, {}, {})?;",
                    option(*min),
                    option(*max)
                ));
            }
            Check::Ascii => on_value.push(format!("ascii({wire}, value)?;")),
            Check::Nested => on_value.push(match (&field.ty, in_type) {
                (FieldType::ObjectList(_), true) => format!(
                    "for (index, item) in value.iter().enumerate() {{ item.validate_at(&format!(\"{{at}}{name}.{{index}}.\"))?; }}"
                ),
                (FieldType::ObjectList(_), false) => format!(
                    "for (index, item) in value.iter().enumerate() {{ item.validate_at(&format!(\"{name}.{{index}}.\"))?; }}"
                ),
                (_, true) => format!("value.validate_at(&format!(\"{{at}}{name}.\"))?;"),
                (_, false) => format!("value.validate_at(\"{name}.\")?;"),
            }),
        }
    }
    if on_value.is_empty() {
        return;
    }
    let binding = match field.ty {
        FieldType::Scalar(Scalar::Int64 | Scalar::Uint64 | Scalar::Bool | Scalar::Float) => "",
        _ => "&",
    };
    text.open(&format!("if let Some(value) = {binding}self.{rust} {{"));
    for check in on_value {
        text.line(&check);
    }
    text.close("}");
}

fn option(value: Option<impl std::fmt::Display>) -> String {
    match value {
        Some(value) => format!("Some({value})"),
        None => "None".to_owned(),
    }
}
