//! `<version>/mod.rs` of a service crate: the version's `Client`, one method per action, and the
//! re-exports of every action's types.

use quote::quote;

use super::{EmitError, Files, doc_attrs, ident, inner_doc_attrs, rust_file};
use crate::model::VersionModel;

pub fn emit(version: &VersionModel, files: &mut Files) -> Result<(), EmitError> {
    let path = &version.file;
    let module_docs = inner_doc_attrs(&version.docs);
    let client_docs = doc_attrs(&version.client_docs);
    let mut modules = Vec::new();
    let mut methods = Vec::new();
    for action in &version.actions {
        let module = ident(path, &action.module)?;
        let request = ident(path, &action.request_type)?;
        let builder = ident(path, &action.builder_type)?;
        let output = ident(path, &action.output_type)?;
        let error = ident(path, &action.error_type)?;
        modules.push(quote! {
            mod #module;
            pub use self::#module::{#builder, #error, #output, #request};
        });
        let method = ident(path, &action.method)?;
        let docs = doc_attrs(&action.method_docs);
        let deprecated = action
            .deprecated
            .then(|| quote!(#[deprecated(note = "Tencent Cloud marks this action as deprecated")]));
        methods.push(quote! {
            #docs
            #deprecated
            pub fn #method(&self) -> #builder {
                #builder::new(self.inner.clone())
            }
        });
    }
    let types = (!version.types.is_empty()).then(|| {
        quote!(
            pub mod types;
        )
    });
    let tokens = quote! {
        #module_docs

        #types
        mod errors;
        pub use self::errors::Error;
        #(#modules)*

        #client_docs
        #[derive(Debug, Clone)]
        pub struct Client {
            inner: tencentcloud_runtime::Client,
        }

        impl Client {
            /// A client sending with `config` (credentials, region, endpoint, timeouts, retries).
            pub fn new(config: &tencentcloud_runtime::Config) -> Self {
                Self {
                    inner: tencentcloud_runtime::Client::new(config),
                }
            }

            #(#methods)*
        }
    };
    files.insert(
        path.clone(),
        rust_file(path, &version.source, &version.inputs_hash, tokens)?,
    );
    Ok(())
}
