//! `<version>/<action>.rs`: request struct with its checks, fluent builder with `send()`, output
//! struct and error enum.

use proc_macro2::TokenStream;
use quote::quote;

use super::fields::{
    Directions, SetterTarget, StructField, TypesPath, allow_deprecated, data_struct, field_checks,
    integer_adapter, optional_field, setter, value_type, value_type_text,
};
use super::{EmitError, doc_attrs, error, ident, inner_doc_attrs};
use crate::model::{ActionModel, FieldType, GroupCheck, VersionModel};
use crate::spec::GroupRule;

/// Where an action's file finds the nested structure types.
fn types_path() -> TypesPath {
    TypesPath::new("super::types::")
}

pub fn emit(
    version: &VersionModel,
    action: &ActionModel,
    path: &str,
) -> Result<TokenStream, EmitError> {
    let module_docs = inner_doc_attrs(&action.module_docs);
    let request = request(action, path)?;
    let builder = builder(version, action, path)?;
    let output = output(action, path)?;
    let error = error::emit(action, path)?;
    Ok(quote! {
        #module_docs
        #request
        #builder
        #output
        #error
    })
}

fn request(action: &ActionModel, path: &str) -> Result<TokenStream, EmitError> {
    let name = ident(path, &action.request_type)?;
    let fields = action
        .inputs
        .iter()
        .map(|field| optional_field(field, &types_path(), path))
        .collect::<Result<Vec<_>, EmitError>>()?;
    let allow = allow_deprecated(&action.inputs);
    let checks = action
        .inputs
        .iter()
        .map(|field| field_checks(field, path, false))
        .collect::<Result<Vec<_>, EmitError>>()?;
    let groups = action
        .group_checks
        .iter()
        .map(|group| group_check(group, path))
        .collect::<Result<Vec<_>, EmitError>>()?;
    let encode = encode(action, path)?;
    let sent = Directions {
        sent: true,
        received: false,
    };
    let declaration = data_struct(
        &action.request_docs,
        allow.clone(),
        &name,
        sent,
        &fields,
        path,
    )?;
    Ok(quote! {
        #declaration

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
        Some((_, field)) => {
            let field = ident(path, field)?;
            Some(quote! { tencentcloud_runtime::idempotency::fill(&mut self.#field); })
        }
        None => None,
    };
    let mutable = action.idempotency_field.as_ref().map(|_| quote!(mut));
    let request_type = &action.request_type;
    Ok(quote! {
        fn encode(#mutable self) -> Result<Vec<u8>, tencentcloud_runtime::ValidationError> {
            self.validate()?;
            #fill_token
            tencentcloud_runtime::encode_body(#request_type, &self)
        }
    })
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
    let (target, types) = (SetterTarget::new("self.request"), types_path());
    let setters = action
        .inputs
        .iter()
        .map(|field| setter(field, &target, &types, path))
        .collect::<Result<Vec<_>, EmitError>>()?;
    let service = &version.service;
    let api_version = &version.api_version;
    let action_name = &action.name;
    let region_required = version.region_required;
    let repeatability = ident(path, action.repeatability)?;
    let send_docs = doc_attrs(&action.send_docs);
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

            #send_docs
            ///
            /// # Errors
            ///
            /// `SdkError::Validation` (nothing sent) when a parameter breaks a documented rule;
            /// `SdkError::Service` with the typed error when Tencent Cloud answers with an error;
            /// otherwise credentials, transport, timeout or response errors.
            pub fn send(
                self,
            ) -> impl std::future::Future<
                Output = Result<#output, tencentcloud_runtime::SdkError<#error>>,
            > + Send
            + 'static {
                let operation = self.request.encode().map(|body| tencentcloud_runtime::Operation {
                    service: #service,
                    version: #api_version,
                    action: #action_name,
                    region_required: #region_required,
                    repeatability: tencentcloud_runtime::Repeatability::#repeatability,
                    body,
                });
                tencentcloud_runtime::send(self.client, operation)
            }
        }
    })
}

fn output(action: &ActionModel, path: &str) -> Result<TokenStream, EmitError> {
    let name = ident(path, &action.output_type)?;
    let types = types_path();
    let fields = action
        .outputs
        .iter()
        .map(|field| {
            let value = value_type(&field.ty, &types, path)?;
            let value_text = value_type_text(&field.ty, &types);
            let is_list = matches!(field.ty, FieldType::List(_) | FieldType::ObjectList(_));
            let (ty, ty_text, serde) = if field.required {
                (value, value_text, quote!())
            } else if is_list {
                (
                    value,
                    value_text,
                    quote!(#[serde(
                        default,
                        deserialize_with = "tencentcloud_runtime::serde_helpers::null_as_empty"
                    )]),
                )
            } else {
                let serde = match integer_adapter(&field.ty) {
                    Some(with) => quote!(#[serde(default, with = #with)]),
                    None => quote!(#[serde(default)]),
                };
                (
                    quote!(Option<#value>),
                    format!("Option<{value_text}>"),
                    serde,
                )
            };
            Ok(StructField {
                model: field,
                serde,
                ty,
                ty_text,
            })
        })
        .collect::<Result<Vec<_>, EmitError>>()?;
    let received = Directions {
        sent: false,
        received: true,
    };
    data_struct(
        &action.output_docs,
        allow_deprecated(&action.outputs),
        &name,
        received,
        &fields,
        path,
    )
}
