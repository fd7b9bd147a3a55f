//! The per-action error enum (one variant per documented code of the action, `Common` for the
//! codes every action can return, `Unhandled` for the rest) and the common codes' enum, generated
//! once into the common crate.

use proc_macro2::TokenStream;
use quote::quote;

use super::{EmitError, doc_attrs, ident, inner_doc_attrs};
use crate::model::{ActionModel, ErrorVariant};

/// The pieces of an error enum for a list of codes.
struct Variants {
    /// `Variant(ServiceError),` with its docs.
    declarations: Vec<TokenStream>,
    /// `"Code" => Self::Variant(err),`.
    arms: Vec<TokenStream>,
    names: Vec<proc_macro2::Ident>,
}

fn variants(errors: &[ErrorVariant], path: &str) -> Result<Variants, EmitError> {
    let mut variants = Vec::new();
    let mut arms = Vec::new();
    let mut names = Vec::new();
    for error in errors {
        let variant = ident(path, &error.variant)?;
        let docs = doc_attrs(&error.docs);
        let code = &error.code;
        variants.push(quote! {
            #docs
            #variant(tencentcloud_runtime::ServiceError),
        });
        arms.push(quote!(#code => Self::#variant(err),));
        names.push(variant);
    }
    Ok(Variants {
        declarations: variants,
        arms,
        names,
    })
}

/// `code()`, `message()`, `request_id()`, `Display` and `Error` of an error enum, all through
/// `ProvideErrorMetadata`.
fn accessors(name: &proc_macro2::Ident) -> TokenStream {
    quote! {
        impl #name {
            /// The error code, e.g. `InvalidParameterValue`.
            pub fn code(&self) -> &str {
                tencentcloud_runtime::ProvideErrorMetadata::meta(self).code()
            }

            /// The message Tencent Cloud sent.
            pub fn message(&self) -> &str {
                tencentcloud_runtime::ProvideErrorMetadata::meta(self).message()
            }

            /// The request id to quote to Tencent Cloud support.
            pub fn request_id(&self) -> &str {
                tencentcloud_runtime::ProvideErrorMetadata::meta(self).request_id()
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Display::fmt(tencentcloud_runtime::ProvideErrorMetadata::meta(self), f)
            }
        }

        impl std::error::Error for #name {}
    }
}

/// The common crate's `lib.rs`: `CommonError`, one variant per common code.
pub fn emit_common(
    docs: &[String],
    errors: &[ErrorVariant],
    path: &str,
) -> Result<TokenStream, EmitError> {
    let docs = inner_doc_attrs(docs);
    let Variants {
        declarations: variants,
        arms,
        names,
    } = variants(errors, path)?;
    let name = ident(path, "CommonError")?;
    let accessors = accessors(&name);
    Ok(quote! {
        #docs
        #![deny(missing_docs)]

        /// An error code any action can return: authentication, rate limits, malformed requests,
        /// internal errors.
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum CommonError {
            #(#variants)*
        }

        impl CommonError {
            /// The common error `err` carries, or `err` back when its code is no common one.
            pub fn from_service_error(
                err: tencentcloud_runtime::ServiceError,
            ) -> Result<Self, tencentcloud_runtime::ServiceError> {
                Ok(match err.code() {
                    #(#arms)*
                    _ => return Err(err),
                })
            }
        }

        #accessors

        impl tencentcloud_runtime::ProvideErrorMetadata for CommonError {
            fn meta(&self) -> &tencentcloud_runtime::ServiceError {
                match self {
                    #(Self::#names(err))|* => err,
                }
            }
        }
    })
}

/// The action's error type: an enum of its own codes, or, where no page documents them, the
/// version's `Error` under the action's name.
pub fn emit(action: &ActionModel, path: &str) -> Result<TokenStream, EmitError> {
    let name = ident(path, &action.error_type)?;
    if action.uses_version_errors {
        let doc = format!(
            " An error Tencent Cloud returned for `{}`: the service version's codes, as [`super::Error`].",
            action.name
        );
        return Ok(quote! {
            #[doc = #doc]
            pub type #name = super::Error;
        });
    }
    emit_enum(&name, &action.error_docs, &action.errors, path)
}

/// `<version>/errors.rs`: the version-wide `Error`.
pub fn emit_version(
    version: &crate::model::VersionModel,
    path: &str,
) -> Result<TokenStream, EmitError> {
    let name = ident(path, "Error")?;
    emit_enum(&name, &version.errors_docs, &version.errors, path)
}

/// An error enum: a variant per code, `Common` for the common codes, `Unhandled` for the rest.
fn emit_enum(
    name: &proc_macro2::Ident,
    docs: &[String],
    errors: &[ErrorVariant],
    path: &str,
) -> Result<TokenStream, EmitError> {
    let docs = doc_attrs(docs);
    let Variants {
        declarations: variants,
        arms,
        names,
    } = variants(errors, path)?;
    let accessors = accessors(name);
    let common_or_unhandled = quote! {
        match tencentcloud_sdk_common::CommonError::from_service_error(err) {
            Ok(common) => Self::Common(common),
            Err(err) => Self::Unhandled(err),
        }
    };
    let decode = if arms.is_empty() {
        common_or_unhandled
    } else {
        quote! {
            match err.code() {
                #(#arms)*
                _ => #common_or_unhandled,
            }
        }
    };
    Ok(quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A code every action can return: authentication, rate limits, malformed requests,
            /// internal errors.
            Common(tencentcloud_sdk_common::CommonError),
            /// A code this version of the SDK does not list here.
            Unhandled(tencentcloud_runtime::ServiceError),
        }

        #accessors

        impl From<tencentcloud_runtime::ServiceError> for #name {
            fn from(err: tencentcloud_runtime::ServiceError) -> Self {
                #decode
            }
        }

        impl tencentcloud_runtime::ProvideErrorMetadata for #name {
            fn meta(&self) -> &tencentcloud_runtime::ServiceError {
                match self {
                    #(Self::#names(err))|* | Self::Unhandled(err) => err,
                    Self::Common(common) => tencentcloud_runtime::ProvideErrorMetadata::meta(common),
                }
            }
        }
    })
}
