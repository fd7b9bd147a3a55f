//! `src/<service>/v<yyyymmdd>/<action>.rs`: request struct with its checks, fluent builder with
//! `send()`, output struct, error enum and the action's generated tests.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{EmitError, doc_attrs, error, ident, inner_doc_attrs, tests, value_type};
use crate::model::{ActionModel, Check, FieldModel, FieldType, GroupCheck, Scalar, VersionModel};
use crate::spec::GroupRule;

pub fn emit(
    version: &VersionModel,
    action: &ActionModel,
    path: &str,
) -> Result<TokenStream, EmitError> {
    let module_docs = inner_doc_attrs(&[format!(
        "`{}`: request, builder, output and error types.",
        action.name
    )]);
    let request = request(action, path)?;
    let builder = builder(version, action, path)?;
    let output = output(action, path)?;
    let error = error::emit(action, path)?;
    let tests = tests::emit(action, path)?;
    Ok(quote! {
        #module_docs
        #request
        #builder
        #output
        #error
        #tests
    })
}

fn any_deprecated(fields: &[FieldModel]) -> bool {
    fields.iter().any(|f| f.deprecated_note.is_some())
}

/// `#[allow(deprecated)]` for generated code that itself reads deprecated fields.
fn allow_deprecated(fields: &[FieldModel]) -> Option<TokenStream> {
    any_deprecated(fields).then(|| quote!(#[allow(deprecated)]))
}

/// The `serde(with = ...)` adapter reading integers from numbers or numeric strings.
fn integer_adapter(ty: FieldType, optional: bool) -> Option<&'static str> {
    match (ty, optional) {
        (FieldType::Scalar(Scalar::Int64), true) => {
            Some("tencentcloud_runtime::serde_helpers::option_int64")
        }
        (FieldType::Scalar(Scalar::Uint64), true) => {
            Some("tencentcloud_runtime::serde_helpers::option_uint64")
        }
        (FieldType::Scalar(Scalar::Int64), false) => {
            Some("tencentcloud_runtime::serde_helpers::int64")
        }
        (FieldType::Scalar(Scalar::Uint64), false) => {
            Some("tencentcloud_runtime::serde_helpers::uint64")
        }
        _ => None,
    }
}

fn field_attrs(field: &FieldModel) -> TokenStream {
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

fn request(action: &ActionModel, path: &str) -> Result<TokenStream, EmitError> {
    let name = ident(path, &action.request_type)?;
    let docs = doc_attrs(&action.request_docs);
    let fields = action
        .inputs
        .iter()
        .map(|field| {
            let attrs = field_attrs(field);
            let rust = ident(path, &field.rust_name)?;
            let ty = value_type(field.ty);
            let serde = match integer_adapter(field.ty, true) {
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
        })
        .collect::<Result<Vec<_>, EmitError>>()?;
    let allow = allow_deprecated(&action.inputs);
    let checks = action
        .inputs
        .iter()
        .map(|field| field_checks(field, path))
        .collect::<Result<Vec<_>, EmitError>>()?;
    let groups = action
        .group_checks
        .iter()
        .map(|group| group_check(group, path))
        .collect::<Result<Vec<_>, EmitError>>()?;
    let encode = encode(action, path)?;
    Ok(quote! {
        #docs
        #allow
        #[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "PascalCase")]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            /// Checks the documented parameter rules, as `send()` does before sending: required
            /// parameters, list sizes, allowed values, lengths and character sets, and the rules
            /// spanning several parameters.
            #allow
            pub fn validate(&self) -> Result<(), tencentcloud_runtime::ValidationError> {
                #(#checks)*
                #(#groups)*
                Ok(())
            }

            #encode
        }
    })
}

/// The body `send()` sends: validated, idempotency token filled when the caller set none.
fn encode(action: &ActionModel, path: &str) -> Result<TokenStream, EmitError> {
    let fill_token = match &action.idempotency_field {
        Some(field) => {
            let field = ident(path, field)?;
            quote! {
                self.#field.get_or_insert_with(tencentcloud_runtime::idempotency::new_token);
            }
        }
        None => quote!(),
    };
    let mutable = action.idempotency_field.as_ref().map(|_| quote!(mut));
    let request_type = &action.request_type;
    Ok(quote! {
        fn encode(#mutable self) -> Result<Vec<u8>, tencentcloud_runtime::ValidationError> {
            self.validate()?;
            #fill_token
            serde_json::to_vec(&self).map_err(|err| {
                tencentcloud_runtime::ValidationError::new(#request_type, format!("cannot be encoded as JSON: {err}"))
            })
        }
    })
}

fn field_checks(field: &FieldModel, path: &str) -> Result<TokenStream, EmitError> {
    let rust = ident(path, &field.rust_name)?;
    let wire = &field.wire_name;
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

fn group_check(group: &GroupCheck, path: &str) -> Result<TokenStream, EmitError> {
    let helper = match group.rule {
        GroupRule::AtLeastOneOf => quote!(at_least_one_of),
        GroupRule::ExactlyOneOf => quote!(exactly_one_of),
    };
    let pairs = group
        .members
        .iter()
        .map(|(wire, rust)| {
            let rust = ident(path, rust)?;
            Ok(quote!((#wire, self.#rust.is_some())))
        })
        .collect::<Result<Vec<_>, EmitError>>()?;
    Ok(quote! {
        tencentcloud_runtime::validate::#helper(&[#(#pairs),*])?;
    })
}

fn builder(
    version: &VersionModel,
    action: &ActionModel,
    path: &str,
) -> Result<TokenStream, EmitError> {
    let name = ident(path, &action.builder_type)?;
    let request = ident(path, &action.request_type)?;
    let output = ident(path, &action.output_type)?;
    let error = ident(path, &action.error_type)?;
    let docs = doc_attrs(&action.builder_docs);
    let setters = action
        .inputs
        .iter()
        .map(|field| setter(field, path))
        .collect::<Result<Vec<_>, EmitError>>()?;
    let service = &version.service;
    let api_version = &version.api_version;
    let action_name = &action.name;
    let region_required = version.region_required;
    let idempotent = action.idempotency_field.is_some();
    let idempotency_doc = if idempotent {
        " Without a `ClientToken` set, a fresh UUID is sent as the token, the same for every retry of this call."
    } else {
        ""
    };
    let send_doc = format!(
        " Checks the parameters (see [`{}::validate`]), then sends the request, retrying as the `Config` says.{idempotency_doc}",
        action.request_type
    );
    Ok(quote! {
        #docs
        #[derive(Debug, Clone)]
        #[must_use = "a request is only sent by `send()`"]
        pub struct #name {
            client: tencentcloud_runtime::Client,
            request: #request,
        }

        impl #name {
            pub(crate) fn new(client: tencentcloud_runtime::Client) -> Self {
                Self {
                    client,
                    request: #request::default(),
                }
            }

            #(#setters)*

            /// The request as built so far.
            pub fn as_request(&self) -> &#request {
                &self.request
            }

            #[doc = #send_doc]
            ///
            /// # Errors
            ///
            /// `SdkError::Validation` (nothing sent) when a parameter breaks a documented rule;
            /// `SdkError::Service` with the typed error when Tencent Cloud answers with an error;
            /// otherwise credentials, transport, timeout or response errors.
            pub async fn send(self) -> Result<#output, tencentcloud_runtime::SdkError<#error>> {
                let body = self.request.encode()?;
                let operation = tencentcloud_runtime::Operation {
                    service: #service,
                    version: #api_version,
                    action: #action_name,
                    region_required: #region_required,
                    idempotent: #idempotent,
                    body,
                };
                tencentcloud_runtime::send(&self.client, operation).await
            }
        }
    })
}

fn setter(field: &FieldModel, path: &str) -> Result<TokenStream, EmitError> {
    let rust = ident(path, &field.rust_name)?;
    let docs = doc_attrs(&field.docs);
    let deprecated = field.deprecated_note.as_ref().map(|note| {
        quote! {
            #[deprecated(note = #note)]
            #[allow(deprecated)]
        }
    });
    let (param, value) = match field.ty {
        FieldType::Scalar(Scalar::String) => (quote!(impl Into<String>), quote!(value.into())),
        FieldType::List(Scalar::String) => (
            quote!(impl IntoIterator<Item = impl Into<String>>),
            quote!(value.into_iter().map(Into::into).collect()),
        ),
        FieldType::List(scalar) => {
            let item = super::scalar_tokens(scalar);
            (
                quote!(impl IntoIterator<Item = #item>),
                quote!(value.into_iter().collect()),
            )
        }
        FieldType::Scalar(scalar) => (super::scalar_tokens(scalar), quote!(value)),
    };
    Ok(quote! {
        #docs
        #deprecated
        pub fn #rust(mut self, value: #param) -> Self {
            self.request.#rust = Some(#value);
            self
        }
    })
}

fn output(action: &ActionModel, path: &str) -> Result<TokenStream, EmitError> {
    let name = ident(path, &action.output_type)?;
    let docs = doc_attrs(&action.output_docs);
    let fields = action
        .outputs
        .iter()
        .map(|field| {
            let attrs = field_attrs(field);
            let rust = ident(path, &field.rust_name)?;
            let value = value_type(field.ty);
            let optional = !field.required && matches!(field.ty, FieldType::Scalar(_));
            let ty = if optional {
                quote!(Option<#value>)
            } else {
                value
            };
            let serde = match (integer_adapter(field.ty, optional), field.ty) {
                (Some(with), _) if optional => quote!(#[serde(default, with = #with)]),
                (Some(with), _) => quote!(#[serde(with = #with)]),
                (None, FieldType::List(_)) => quote!(#[serde(default)]),
                (None, _) => quote!(),
            };
            Ok(quote! {
                #attrs
                #serde
                pub #rust: #ty,
            })
        })
        .collect::<Result<Vec<_>, EmitError>>()?;
    let allow = allow_deprecated(&action.outputs);
    Ok(quote! {
        #docs
        #allow
        #[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "PascalCase")]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }
    })
}
