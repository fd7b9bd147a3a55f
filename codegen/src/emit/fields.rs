//! Emission shared by request structs, builders, output structs and nested structure types:
//! field declarations, setters and per-field checks.

use std::cell::RefCell;
use std::collections::HashMap;

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::{EmitError, LINE_WIDTH, code_fragment, doc_attrs, doc_line, ident};
use crate::model::{Check, FieldModel, FieldType, Scalar};

/// Where generated code finds the nested structure types: `super::types::` from an action file,
/// `super::` from a type file.
pub struct TypesPath {
    text: &'static str,
    tokens: TokenStream,
}

impl TypesPath {
    pub fn new(text: &'static str) -> Self {
        Self {
            text,
            tokens: text.parse().expect("a types path is a token sequence"),
        }
    }

    fn of(&self, name: &str, path: &str) -> Result<TokenStream, EmitError> {
        let prefix = &self.tokens;
        let name = ident(path, name)?;
        Ok(quote!(#prefix #name))
    }
}

fn scalar_text(scalar: Scalar) -> &'static str {
    match scalar {
        Scalar::String => "String",
        Scalar::Int64 => "i64",
        Scalar::Uint64 => "u64",
        Scalar::Bool => "bool",
        Scalar::Float => "f64",
    }
}

pub fn scalar_tokens(scalar: Scalar) -> TokenStream {
    match scalar {
        Scalar::String => quote!(String),
        Scalar::Int64 => quote!(i64),
        Scalar::Uint64 => quote!(u64),
        Scalar::Bool => quote!(bool),
        Scalar::Float => quote!(f64),
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

/// One field of a data struct: its model, serde attribute (empty for none) and Rust type, the
/// type both as tokens and as prettyplease prints it.
pub struct StructField<'a> {
    pub model: &'a FieldModel,
    pub serde: TokenStream,
    pub ty: TokenStream,
    pub ty_text: String,
}

/// A request, output or nested structure type: serde with Tencent's PascalCase names,
/// `#[non_exhaustive]` so a member added to the spec is not a breaking change.
pub fn data_struct(
    docs: &[String],
    allow: Option<TokenStream>,
    name: &Ident,
    directions: Directions,
    fields: &[StructField],
    path: &str,
) -> Result<TokenStream, EmitError> {
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
    let names = fields
        .iter()
        .map(|field| ident(path, &field.model.rust_name))
        .collect::<Result<Vec<_>, EmitError>>()?;
    let declaration = StructDecl {
        docs,
        allow: &allow,
        name,
        always: &always,
        optional: &optional,
        fields,
    };
    let declaration = match struct_text(&declaration) {
        Some(lines) => code_fragment(lines),
        None => struct_tokens(&declaration, &names, path)?,
    };
    // A derived `PartialEq` is `#[inline]`, which stores every comparison's MIR in the crate's
    // metadata for other crates to inline; written out, it is object code the linker drops when
    // unused (vpc's release rlib: 3 MB less of 60 MB).
    let other = if names.is_empty() {
        quote!(_other)
    } else {
        quote!(other)
    };
    let equal = if names.is_empty() {
        quote!(true)
    } else {
        quote!(#(self.#names == other.#names)&&*)
    };
    Ok(quote! {
        #declaration

        #allow
        impl PartialEq for #name {
            fn eq(&self, #other: &Self) -> bool {
                #equal
            }
        }
    })
}

/// What a struct declaration is made of: its docs, `#[allow]`, name, the serde derives it always
/// has and those only the `full-serde` feature adds, and its fields.
struct StructDecl<'a> {
    docs: &'a [String],
    allow: &'a Option<TokenStream>,
    name: &'a Ident,
    always: &'a [&'a str],
    optional: &'a [&'a str],
    fields: &'a [StructField<'a>],
}

/// The struct declaration as tokens, for prettyplease to format.
fn struct_tokens(decl: &StructDecl, names: &[Ident], path: &str) -> Result<TokenStream, EmitError> {
    let docs = doc_attrs(decl.docs);
    let derives = |list: &[&str]| {
        list.iter()
            .map(|derive| derive.parse::<TokenStream>())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|err| EmitError {
                file: path.to_owned(),
                message: format!("a derive is not a path: {err}"),
            })
    };
    let always = derives(decl.always)?;
    let optional = derives(decl.optional)?;
    let optional = (!optional.is_empty())
        .then(|| quote!(#[cfg_attr(feature = #FULL_SERDE, derive(#(#optional),*))]));
    let fields = decl.fields.iter().zip(names).map(|(field, rust)| {
        let attrs = field_attrs(field.model);
        let serde = &field.serde;
        let ty = &field.ty;
        quote! {
            #attrs
            #serde
            pub #rust: #ty,
        }
    });
    let (allow, name) = (decl.allow, decl.name);
    Ok(quote! {
        #docs
        #allow
        #[derive(Debug, Clone, Default, #(#always),*)]
        #optional
        #[serde(rename_all = "PascalCase")]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }
    })
}

/// The struct declaration's lines as prettyplease prints them, or `None` when it has an
/// `allow`, a deprecated field, a doc line with a line break, or a line too wide for
/// prettyplease to print it as it is.
fn struct_text(decl: &StructDecl) -> Option<Vec<String>> {
    let StructDecl {
        docs, name, fields, ..
    } = *decl;
    let plain_docs = |docs: &[String]| !docs.iter().any(|line| line.contains('\n'));
    if decl.allow.is_some() || !plain_docs(docs) {
        return None;
    }
    let mut lines: Vec<String> = docs
        .iter()
        .map(|line| format!("///{}", doc_line(line)))
        .collect();
    lines.push(format!(
        "#[derive(Debug, Clone, Default, {})]",
        decl.always.join(", ")
    ));
    if !decl.optional.is_empty() {
        lines.push(format!(
            "#[cfg_attr(feature = \"{FULL_SERDE}\", derive({}))]",
            decl.optional.join(", ")
        ));
    }
    lines.push("#[serde(rename_all = \"PascalCase\")]".to_owned());
    lines.push("#[non_exhaustive]".to_owned());
    if fields.is_empty() {
        lines.push(format!("pub struct {name} {{}}"));
    } else {
        lines.push(format!("pub struct {name} {{"));
        for field in fields {
            let model = field.model;
            if model.deprecated_note.is_some() || !plain_docs(&model.docs) {
                return None;
            }
            lines.extend(
                model
                    .docs
                    .iter()
                    .map(|line| format!("    ///{}", doc_line(line))),
            );
            if let Some(rename) = &model.serde_rename {
                lines.push(format!(
                    "    #[serde(rename = {})]",
                    Literal::string(rename)
                ));
            }
            if !field.serde.is_empty() {
                lines.extend(field_attribute_lines(&field.serde)?);
            }
            lines.push(format!("    pub {}: {},", model.rust_name, field.ty_text));
        }
        lines.push("}".to_owned());
    }
    lines
        .iter()
        .all(|line| line.trim_start().starts_with("///") || line.len() <= LINE_WIDTH)
        .then_some(lines)
}

thread_local! {
    /// The lines of each field attribute formatted so far, by its tokens' text: the catalog's
    /// fields carry a handful of different serde attributes.
    static FIELD_ATTRIBUTES: RefCell<HashMap<String, Option<Vec<String>>>> = RefCell::default();
}

/// A field attribute's lines as prettyplease prints them in a struct, formatted once per
/// distinct attribute; `None` when it is not an attribute.
fn field_attribute_lines(attribute: &TokenStream) -> Option<Vec<String>> {
    let key = attribute.to_string();
    FIELD_ATTRIBUTES.with_borrow_mut(|known| {
        known
            .entry(key)
            .or_insert_with(|| {
                let file = syn::parse2::<syn::File>(quote!(struct S { #attribute f: u8, })).ok()?;
                let printed = prettyplease::unparse(&file);
                let lines: Vec<&str> = printed.lines().collect();
                // `struct S {`, the attribute's lines, `    f: u8,`, `}`.
                let inner = lines.get(1..lines.len().checked_sub(2)?)?;
                Some(inner.iter().map(|line| line.to_string()).collect())
            })
            .clone()
    })
}

/// The Rust type of a field's value (without the `Option` of optional fields).
pub fn value_type(ty: &FieldType, types: &TypesPath, path: &str) -> Result<TokenStream, EmitError> {
    Ok(match ty {
        FieldType::Scalar(scalar) => scalar_tokens(*scalar),
        FieldType::List(scalar) => {
            let inner = scalar_tokens(*scalar);
            quote!(Vec<#inner>)
        }
        FieldType::Object(name) => types.of(name, path)?,
        FieldType::ObjectList(name) => {
            let inner = types.of(name, path)?;
            quote!(Vec<#inner>)
        }
    })
}

/// [`value_type`] as prettyplease prints it.
pub fn value_type_text(ty: &FieldType, types: &TypesPath) -> String {
    match ty {
        FieldType::Scalar(scalar) => scalar_text(*scalar).to_owned(),
        FieldType::List(scalar) => format!("Vec<{}>", scalar_text(*scalar)),
        FieldType::Object(name) => format!("{}{name}", types.text),
        FieldType::ObjectList(name) => format!("Vec<{}{name}>", types.text),
    }
}

/// The `serde(with = ...)` adapter reading an optional integer from a number or a numeric string.
pub fn integer_adapter(ty: &FieldType) -> Option<&'static str> {
    match ty {
        FieldType::Scalar(Scalar::Int64) => {
            Some("tencentcloud_runtime::serde_helpers::option_int64")
        }
        FieldType::Scalar(Scalar::Uint64) => {
            Some("tencentcloud_runtime::serde_helpers::option_uint64")
        }
        _ => None,
    }
}

/// `#[allow(deprecated)]` for generated code that itself reads deprecated fields.
pub fn allow_deprecated(fields: &[FieldModel]) -> Option<TokenStream> {
    fields
        .iter()
        .any(|f| f.deprecated_note.is_some())
        .then(|| quote!(#[allow(deprecated)]))
}

/// Docs, deprecation and serde rename of a field.
pub fn field_attrs(field: &FieldModel) -> TokenStream {
    let docs = doc_attrs(&field.docs);
    let deprecated = field
        .deprecated_note
        .as_ref()
        .map(|note| quote!(#[deprecated(note = #note)]));
    let rename = field
        .serde_rename
        .as_ref()
        .map(|name| quote!(#[serde(rename = #name)]));
    quote! {
        #docs
        #deprecated
        #rename
    }
}

/// `pub field: Option<T>,` omitted from the JSON when `None`.
pub fn optional_field<'a>(
    field: &'a FieldModel,
    types: &TypesPath,
    path: &str,
) -> Result<StructField<'a>, EmitError> {
    let mut ty = value_type(&field.ty, types, path)?;
    let mut ty_text = value_type_text(&field.ty, types);
    if field.boxed {
        ty = quote!(Box<#ty>);
        ty_text = format!("Box<{ty_text}>");
    }
    let serde = match integer_adapter(&field.ty) {
        Some(with) => {
            quote!(#[serde(default, skip_serializing_if = "Option::is_none", with = #with)])
        }
        None => quote!(#[serde(default, skip_serializing_if = "Option::is_none")]),
    };
    Ok(StructField {
        model: field,
        serde,
        ty: quote!(Option<#ty>),
        ty_text: format!("Option<{ty_text}>"),
    })
}

/// Where a setter stores its value: `self.request` in builders, `self` in structure types.
pub struct SetterTarget {
    text: &'static str,
    tokens: TokenStream,
}

impl SetterTarget {
    pub fn new(text: &'static str) -> Self {
        Self {
            text,
            tokens: text.parse().expect("a setter target is a token sequence"),
        }
    }
}

/// A fluent setter storing `Some(value)` into `target.field`, as a method of an `impl` block.
/// Most setters are written as text (see the module docs of `emit`): those without a
/// deprecation, with docs of whole lines, and whose lines prettyplease would print as they are.
pub fn setter(
    field: &FieldModel,
    target: &SetterTarget,
    types: &TypesPath,
    path: &str,
) -> Result<TokenStream, EmitError> {
    ident(path, &field.rust_name)?;
    let plain = field.deprecated_note.is_none()
        && !field.setter_docs.iter().any(|line| line.contains('\n'));
    if plain && let Some(lines) = setter_text(field, target, types) {
        return Ok(code_fragment(lines));
    }
    setter_tokens(field, target, types, path)
}

/// The setter as tokens, for prettyplease to format.
fn setter_tokens(
    field: &FieldModel,
    target: &SetterTarget,
    types: &TypesPath,
    path: &str,
) -> Result<TokenStream, EmitError> {
    let rust = ident(path, &field.rust_name)?;
    let docs = doc_attrs(&field.setter_docs);
    let deprecated = field.deprecated_note.as_ref().map(|note| {
        quote! {
            #[deprecated(note = #note)]
            #[allow(deprecated)]
        }
    });
    let (param, value) = match &field.ty {
        FieldType::Scalar(Scalar::String) => (quote!(impl Into<String>), quote!(value.into())),
        FieldType::List(Scalar::String) => (
            quote!(impl IntoIterator<Item = impl Into<String>>),
            quote!(value.into_iter().map(Into::into).collect()),
        ),
        FieldType::List(scalar) => {
            let item = scalar_tokens(*scalar);
            (
                quote!(impl IntoIterator<Item = #item>),
                quote!(value.into_iter().collect()),
            )
        }
        FieldType::Scalar(scalar) => (scalar_tokens(*scalar), quote!(value)),
        FieldType::Object(name) => (types.of(name, path)?, quote!(value)),
        FieldType::ObjectList(name) => {
            let item = types.of(name, path)?;
            (
                quote!(impl IntoIterator<Item = #item>),
                quote!(value.into_iter().collect()),
            )
        }
    };
    let value = if field.boxed {
        quote!(Box::new(#value))
    } else {
        value
    };
    let target = &target.tokens;
    Ok(quote! {
        #docs
        #deprecated
        pub fn #rust(mut self, value: #param) -> Self {
            #target.#rust = Some(#value);
            self
        }
    })
}

/// The setter's lines as prettyplease prints them inside an `impl` block, or `None` when one
/// would be too wide for it to print as it is.
fn setter_text(
    field: &FieldModel,
    target: &SetterTarget,
    types: &TypesPath,
) -> Option<Vec<String>> {
    let (param, value) = match &field.ty {
        FieldType::Scalar(Scalar::String) => ("impl Into<String>".to_owned(), "value.into()"),
        FieldType::List(Scalar::String) => (
            "impl IntoIterator<Item = impl Into<String>>".to_owned(),
            "value.into_iter().map(Into::into).collect()",
        ),
        FieldType::List(scalar) => (
            format!("impl IntoIterator<Item = {}>", scalar_text(*scalar)),
            "value.into_iter().collect()",
        ),
        FieldType::Scalar(scalar) => (scalar_text(*scalar).to_owned(), "value"),
        FieldType::Object(name) => (format!("{}{name}", types.text), "value"),
        FieldType::ObjectList(name) => (
            format!("impl IntoIterator<Item = {}{name}>", types.text),
            "value.into_iter().collect()",
        ),
    };
    let value = if field.boxed {
        format!("Box::new({value})")
    } else {
        value.to_owned()
    };
    let name = &field.rust_name;
    let signature = format!("pub fn {name}(mut self, value: {param}) -> Self {{");
    let store = format!("    {}.{name} = Some({value});", target.text);
    // Inside an `impl` block: the signature at one indentation, the body at two.
    if 4 + signature.len() > LINE_WIDTH || 4 + store.len() > LINE_WIDTH {
        return None;
    }
    let mut lines: Vec<String> = field
        .setter_docs
        .iter()
        .map(|line| format!("///{}", doc_line(line)))
        .collect();
    lines.extend([signature, store, "    self".to_owned(), "}".to_owned()]);
    Some(lines)
}

/// The checks of one field inside a `validate` method. Inside a nested type (`in_type`), errors
/// name the parameter by its path from the request (`Filters.0.Name`), built from the `at` prefix.
pub fn field_checks(
    field: &FieldModel,
    path: &str,
    in_type: bool,
) -> Result<TokenStream, EmitError> {
    let rust = ident(path, &field.rust_name)?;
    let name = &field.wire_name;
    let prefixed = |suffix: &str| {
        let template = format!("{{at}}{name}{suffix}");
        quote!(&format!(#template))
    };
    let wire = if in_type { prefixed("") } else { quote!(#name) };
    let mut required = quote!();
    let mut on_value = Vec::new();
    let as_i64 = match field.ty {
        FieldType::Scalar(Scalar::Uint64) => quote!(i64::try_from(value).unwrap_or(i64::MAX)),
        _ => quote!(value),
    };
    for check in &field.checks {
        match check {
            Check::Required => {
                required = quote! {
                    tencentcloud_runtime::validate::required(#wire, self.#rust.is_some())?;
                };
            }
            Check::MinItems(min) => {
                let min = Literal::u32_unsuffixed(*min);
                on_value.push(
                    quote!(tencentcloud_runtime::validate::min_items(#wire, value.len(), #min)?;),
                );
            }
            Check::MaxItems(max) => {
                let max = Literal::u32_unsuffixed(*max);
                on_value.push(
                    quote!(tencentcloud_runtime::validate::max_items(#wire, value.len(), #max)?;),
                );
            }
            Check::AllowedValues(allowed) => {
                let allowed = allowed.iter().map(|v| Literal::i64_unsuffixed(*v));
                on_value.push(quote!(tencentcloud_runtime::validate::allowed_values(#wire, #as_i64, &[#(#allowed),*])?;));
            }
            Check::Range { min, max } => {
                let min = option_tokens(min.map(Literal::i64_unsuffixed));
                let max = option_tokens(max.map(Literal::i64_unsuffixed));
                on_value.push(
                    quote!(tencentcloud_runtime::validate::range(#wire, #as_i64, #min, #max)?;),
                );
            }
            Check::Length { min, max } => {
                let min = option_tokens(min.map(Literal::u32_unsuffixed));
                let max = option_tokens(max.map(Literal::u32_unsuffixed));
                on_value.push(
                    quote!(tencentcloud_runtime::validate::length(#wire, value, #min, #max)?;),
                );
            }
            Check::Ascii => {
                on_value.push(quote!(tencentcloud_runtime::validate::ascii(#wire, value)?;));
            }
            Check::Nested => {
                let item_at = if in_type {
                    prefixed(".{index}.")
                } else {
                    let template = format!("{name}.{{index}}.");
                    quote!(&format!(#template))
                };
                let value_at = if in_type {
                    prefixed(".")
                } else {
                    let at = format!("{name}.");
                    quote!(#at)
                };
                on_value.push(match field.ty {
                    FieldType::ObjectList(_) => quote! {
                        for (index, item) in value.iter().enumerate() {
                            item.validate_at(#item_at)?;
                        }
                    },
                    _ => quote!(value.validate_at(#value_at)?;),
                });
            }
        }
    }
    if on_value.is_empty() {
        return Ok(required);
    }
    let binding = match field.ty {
        FieldType::Scalar(Scalar::Int64 | Scalar::Uint64 | Scalar::Bool | Scalar::Float) => {
            quote!(self.#rust)
        }
        _ => quote!(&self.#rust),
    };
    Ok(quote! {
        #required
        if let Some(value) = #binding {
            #(#on_value)*
        }
    })
}

fn option_tokens(value: Option<Literal>) -> TokenStream {
    match value {
        Some(value) => quote!(Some(#value)),
        None => quote!(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::{code_fragment, rust_file};

    fn field(rust_name: String, ty: FieldType, boxed: bool) -> FieldModel {
        FieldModel {
            wire_name: String::new(),
            rust_name,
            serde_rename: None,
            ty,
            boxed,
            required: false,
            docs: Vec::new(),
            setter_docs: vec![
                "Sets `it`.".to_owned(),
                String::new(),
                "- Example: `1`".to_owned(),
            ],
            deprecated_note: None,
            checks: Vec::new(),
        }
    }

    fn file(setter: TokenStream) -> String {
        rust_file(
            "thing.rs",
            "specs/x.json",
            "0",
            quote!(impl Thing { #setter }),
        )
        .unwrap()
    }

    /// Every shape of setter, with names from 1 to 80 characters, so that its lines go from
    /// short to past the width where prettyplease starts breaking them: written as text, each
    /// is the same as prettyplease prints it, and the widest go through prettyplease.
    #[test]
    fn setters_written_as_text_are_as_prettyplease_prints_them() {
        let shapes = [
            FieldType::Scalar(Scalar::String),
            FieldType::Scalar(Scalar::Int64),
            FieldType::Scalar(Scalar::Bool),
            FieldType::List(Scalar::String),
            FieldType::List(Scalar::Uint64),
            FieldType::Object("ZoneInfo".to_owned()),
            FieldType::ObjectList("InstanceChargePrepaid".to_owned()),
        ];
        let contexts = [
            (
                SetterTarget::new("self.request"),
                TypesPath::new("super::types::"),
            ),
            (SetterTarget::new("self"), TypesPath::new("super::")),
        ];
        let (mut as_text, mut as_tokens) = (0, 0);
        for ty in &shapes {
            for boxed in [false, true] {
                for (target, types) in &contexts {
                    for length in 1..=80 {
                        let name = "a".repeat(length);
                        let field = field(name, ty.clone(), boxed);
                        let tokens = setter_tokens(&field, target, types, "thing.rs").unwrap();
                        let chosen = setter(&field, target, types, "thing.rs").unwrap();
                        if chosen.to_string().contains(crate::emit::FRAGMENT_MACRO) {
                            as_text += 1;
                        } else {
                            as_tokens += 1;
                        }
                        assert_eq!(file(chosen), file(tokens), "{ty:?}, {length} characters");
                    }
                }
            }
        }
        assert!(
            as_text > 500 && as_tokens > 500,
            "{as_text} as text, {as_tokens} as tokens"
        );
    }

    /// Structs of every kind of field (each serde attribute the emitters write, renamed or
    /// not, with and without docs), with field names from 1 to 80 characters: written as text,
    /// each is the same as prettyplease prints it, and those with lines too wide go through it.
    #[test]
    fn structs_written_as_text_are_as_prettyplease_prints_them() {
        let serdes = [
            quote!(),
            quote!(#[serde(default)]),
            quote!(#[serde(default, skip_serializing_if = "Option::is_none")]),
            quote!(#[serde(default, skip_serializing_if = "Option::is_none", with = "tencentcloud_runtime::serde_helpers::option_int64")]),
            quote!(#[serde(default, with = "tencentcloud_runtime::serde_helpers::option_uint64")]),
            quote!(#[serde(default, deserialize_with = "tencentcloud_runtime::serde_helpers::null_as_empty")]),
        ];
        let types = [
            (quote!(Option<String>), "Option<String>"),
            (
                quote!(Vec<super::types::InstanceChargePrepaid>),
                "Vec<super::types::InstanceChargePrepaid>",
            ),
            (
                quote!(Option<Box<super::Placement>>),
                "Option<Box<super::Placement>>",
            ),
        ];
        let name = Ident::new("DescribeInstancesRequest", proc_macro2::Span::call_site());
        let docs = vec!["The request.".to_owned(), String::new(), "- `a`".to_owned()];
        let (mut as_text, mut as_tokens) = (0, 0);
        for serde in &serdes {
            for (ty, ty_text) in &types {
                for rename in [None, Some("VPCId \"quoted\"".to_owned())] {
                    for length in (1..=80).step_by(3) {
                        let mut model =
                            field("a".repeat(length), FieldType::Scalar(Scalar::String), false);
                        model.serde_rename = rename.clone();
                        model.docs = if length % 2 == 0 {
                            docs.clone()
                        } else {
                            Vec::new()
                        };
                        let other = field("b".to_owned(), FieldType::Scalar(Scalar::Bool), false);
                        let fields = [
                            StructField {
                                model: &model,
                                serde: serde.clone(),
                                ty: ty.clone(),
                                ty_text: ty_text.to_string(),
                            },
                            StructField {
                                model: &other,
                                serde: quote!(),
                                ty: quote!(bool),
                                ty_text: "bool".to_owned(),
                            },
                        ];
                        let names = [
                            Ident::new(&model.rust_name, proc_macro2::Span::call_site()),
                            Ident::new("b", proc_macro2::Span::call_site()),
                        ];
                        let decl = StructDecl {
                            docs: &docs,
                            allow: &None,
                            name: &name,
                            always: &["serde::Serialize"],
                            optional: &["serde::Deserialize"],
                            fields: &fields,
                        };
                        let tokens = struct_tokens(&decl, &names, "thing.rs").unwrap();
                        let via_tokens =
                            rust_file("thing.rs", "specs/x.json", "0", tokens).unwrap();
                        match struct_text(&decl) {
                            Some(lines) => {
                                as_text += 1;
                                let via_text = rust_file(
                                    "thing.rs",
                                    "specs/x.json",
                                    "0",
                                    code_fragment(lines),
                                )
                                .unwrap();
                                assert_eq!(
                                    via_text, via_tokens,
                                    "{serde}, {ty_text}, {length} characters"
                                );
                            }
                            None => as_tokens += 1,
                        }
                    }
                }
            }
        }
        assert!(
            as_text > 100 && as_tokens > 100,
            "{as_text} as text, {as_tokens} as tokens"
        );
    }

    #[test]
    fn empty_structs_written_as_text_are_as_prettyplease_prints_them() {
        let name = Ident::new("DescribeZonesRequest", proc_macro2::Span::call_site());
        let docs = vec!["Parameters of `DescribeZones`.".to_owned()];
        let decl = StructDecl {
            docs: &docs,
            allow: &None,
            name: &name,
            always: &["serde::Serialize"],
            optional: &[],
            fields: &[],
        };
        let tokens = struct_tokens(&decl, &[], "t.rs").unwrap();
        let lines = struct_text(&decl).unwrap();
        assert_eq!(
            rust_file("t.rs", "specs/x.json", "0", code_fragment(lines)).unwrap(),
            rust_file("t.rs", "specs/x.json", "0", tokens).unwrap()
        );
    }

    #[test]
    fn deprecated_setters_go_through_prettyplease() {
        let mut field = field(
            "proxy_id".to_owned(),
            FieldType::Scalar(Scalar::String),
            false,
        );
        field.deprecated_note = Some("use ProxyIds".to_owned());
        let types = TypesPath::new("super::types::");
        let setter = setter(
            &field,
            &SetterTarget::new("self.request"),
            &types,
            "thing.rs",
        )
        .unwrap();
        let text = file(setter);
        assert!(
            text.contains("#[deprecated(note = \"use ProxyIds\")]"),
            "{text}"
        );
    }
}
