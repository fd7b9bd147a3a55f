//! Emission shared by request structs, builders, output structs and nested structure types:
//! field declarations, setters and per-field checks.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::{EmitError, doc_attrs, ident};
use crate::model::{Check, FieldModel, FieldType, Scalar};

/// Where generated code finds the nested structure types: `super::types::` from an action file,
/// `super::` from a type file.
pub struct TypesPath(pub TokenStream);

impl TypesPath {
    fn of(&self, name: &str, path: &str) -> Result<TokenStream, EmitError> {
        let prefix = &self.0;
        let name = ident(path, name)?;
        Ok(quote!(#prefix #name))
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

/// A request, output or nested structure type: serde with Tencent's PascalCase names,
/// `#[non_exhaustive]` so a member added to the spec is not a breaking change.
pub fn data_struct(
    docs: &TokenStream,
    allow: Option<TokenStream>,
    name: &Ident,
    directions: Directions,
    fields: &[TokenStream],
    models: &[FieldModel],
    path: &str,
) -> Result<TokenStream, EmitError> {
    let (mut always, mut optional) = (Vec::new(), Vec::new());
    for (needed, derive) in [
        (directions.sent, quote!(serde::Serialize)),
        (directions.received, quote!(serde::Deserialize)),
    ] {
        if needed {
            always.push(derive);
        } else {
            optional.push(derive);
        }
    }
    let optional = (!optional.is_empty())
        .then(|| quote!(#[cfg_attr(feature = #FULL_SERDE, derive(#(#optional),*))]));
    let names = models
        .iter()
        .map(|field| ident(path, &field.rust_name))
        .collect::<Result<Vec<_>, EmitError>>()?;
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
        #docs
        #allow
        #[derive(Debug, Clone, Default, #(#always),*)]
        #optional
        #[serde(rename_all = "PascalCase")]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        #allow
        impl PartialEq for #name {
            fn eq(&self, #other: &Self) -> bool {
                #equal
            }
        }
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
pub fn optional_field(
    field: &FieldModel,
    types: &TypesPath,
    path: &str,
) -> Result<TokenStream, EmitError> {
    let attrs = field_attrs(field);
    let rust = ident(path, &field.rust_name)?;
    let mut ty = value_type(&field.ty, types, path)?;
    if field.boxed {
        ty = quote!(Box<#ty>);
    }
    let serde = match integer_adapter(&field.ty) {
        Some(with) => {
            quote!(#[serde(default, skip_serializing_if = "Option::is_none", with = #with)])
        }
        None => quote!(#[serde(default, skip_serializing_if = "Option::is_none")]),
    };
    Ok(quote! {
        #attrs
        #serde
        pub #rust: Option<#ty>,
    })
}

/// A fluent setter storing `Some(value)` into `target.field` (`self.request` for builders).
pub fn setter(
    field: &FieldModel,
    target: &TokenStream,
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
    Ok(quote! {
        #docs
        #deprecated
        pub fn #rust(mut self, value: #param) -> Self {
            #target.#rust = Some(#value);
            self
        }
    })
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
