//! `<version>/types/`: one file per nested structure, and the `types` module
//! re-exporting them.

use proc_macro2::TokenStream;
use quote::quote;

use super::fields::{
    Directions, SetterTarget, TypesPath, allow_deprecated, data_struct, field_checks,
    optional_field, setter,
};
use super::{EmitError, ident, inner_doc_attrs};
use crate::model::{TypeModel, VersionModel};

/// `types/mod.rs`.
pub fn emit_module(version: &VersionModel, path: &str) -> Result<TokenStream, EmitError> {
    let docs = inner_doc_attrs(&version.types_docs);
    let items = version
        .types
        .iter()
        .map(|ty| {
            let module = ident(path, &ty.module)?;
            let name = ident(path, &ty.name)?;
            Ok(quote! {
                mod #module;
                pub use self::#module::#name;
            })
        })
        .collect::<Result<Vec<_>, EmitError>>()?;
    Ok(quote! {
        #docs
        #(#items)*
    })
}

/// `types/<type>.rs`.
pub fn emit_type(ty: &TypeModel, path: &str) -> Result<TokenStream, EmitError> {
    let name = ident(path, &ty.name)?;
    let siblings = TypesPath::new("super::");
    let fields = ty
        .fields
        .iter()
        .map(|field| optional_field(field, &siblings, path))
        .collect::<Result<Vec<_>, EmitError>>()?;
    let target = SetterTarget::new("self");
    let setters = ty
        .fields
        .iter()
        .map(|field| setter(field, &target, &siblings, path))
        .collect::<Result<Vec<_>, EmitError>>()?;
    let deprecated = allow_deprecated(&ty.fields);
    let camel = ty
        .not_camel_case
        .then(|| quote!(#[allow(non_camel_case_types)]));
    let allow = (deprecated.is_some() || camel.is_some()).then(|| quote!(#deprecated #camel));
    let validate = if ty.in_requests {
        let checks = ty
            .fields
            .iter()
            .map(|field| field_checks(field, path, true))
            .collect::<Result<Vec<_>, EmitError>>()?;
        let uses_at = ty.fields.iter().any(|f| !f.checks.is_empty());
        let at = if uses_at { quote!(at) } else { quote!(_at) };
        quote! {
            /// Checks the documented rules of this structure's members; `at` is where the
            /// structure sits in the request (`Filters.0.`), so errors name the full parameter.
            #allow
            pub(crate) fn validate_at(&self, #at: &str) -> Result<(), tencentcloud_runtime::ValidationError> {
                #(#checks)*
                Ok(())
            }
        }
    } else {
        quote!()
    };
    let module_docs = inner_doc_attrs(&ty.module_docs);
    let directions = Directions {
        sent: ty.in_requests,
        received: ty.in_responses,
    };
    let declaration = data_struct(&ty.docs, allow, &name, directions, &fields, path)?;
    Ok(quote! {
        #module_docs

        #declaration

        impl #name {
            #(#setters)*

            #validate
        }
    })
}
