//! The per-action error enum: one variant per documented code plus the common codes, and
//! `Unhandled` for codes the spec does not know.

use proc_macro2::TokenStream;
use quote::quote;

use super::{EmitError, doc_attrs, ident};
use crate::model::ActionModel;

pub fn emit(action: &ActionModel, path: &str) -> Result<TokenStream, EmitError> {
    let name = ident(path, &action.error_type)?;
    let docs = doc_attrs(&action.error_docs);
    let mut variants = Vec::new();
    let mut arms = Vec::new();
    let mut names = Vec::new();
    for error in &action.errors {
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
    Ok(quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A code this version of the SDK does not list for this action.
            Unhandled(tencentcloud_runtime::ServiceError),
        }

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

        impl From<tencentcloud_runtime::ServiceError> for #name {
            fn from(err: tencentcloud_runtime::ServiceError) -> Self {
                match err.code() {
                    #(#arms)*
                    _ => Self::Unhandled(err),
                }
            }
        }

        impl tencentcloud_runtime::ProvideErrorMetadata for #name {
            fn meta(&self) -> &tencentcloud_runtime::ServiceError {
                match self {
                    #(Self::#names(err))|* | Self::Unhandled(err) => err,
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Display::fmt(tencentcloud_runtime::ProvideErrorMetadata::meta(self), f)
            }
        }

        impl std::error::Error for #name {}
    })
}
