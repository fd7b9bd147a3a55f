//! The example tests of a service crate, one integration test (`tests/examples/main.rs`) with a module
//! per version and a file per action: only what the action's spec itself declares, every
//! documented example request round-trips through the request type. Behaviour every action shares
//! (error decoding, filling the idempotency token) is tested once, in the generator's own tests.
//! An integration test links the built library instead of compiling the crate again for a unit
//! test harness.

use proc_macro2::TokenStream;
use quote::quote;

use super::{EmitError, ident, raw_string};
use crate::model::{ActionModel, ServiceModel, VersionModel};

/// An action's test file, or `None` for an action without examples.
pub fn emit_action(action: &ActionModel, path: &str) -> Result<Option<TokenStream>, EmitError> {
    if action.examples.is_empty() {
        return Ok(None);
    }
    let request: syn::Path = syn::parse_str(&action.request_path).map_err(|err| EmitError {
        file: path.to_owned(),
        message: format!("`{}` is not a path: {err}", action.request_path),
    })?;
    let mut examples = Vec::new();
    for example in &action.examples {
        let title = &example.title;
        let documented = raw_string(path, &example.request.to_string())?;
        let canonical = raw_string(path, &example.canonical.to_string())?;
        examples.push(quote!((#title, #documented, #canonical),));
    }
    Ok(Some(quote! {
        #[test]
        fn documented_example_requests_round_trip_and_pass_validation() {
            let examples = [#(#examples)*];
            for (title, documented, canonical) in examples {
                let request: #request = serde_json::from_str(documented).unwrap();
                assert_eq!(request.validate(), Ok(()), "{title}");
                let written = serde_json::to_value(&request).unwrap();
                let expected: serde_json::Value = serde_json::from_str(canonical).unwrap();
                assert_eq!(written, expected, "{title}");
            }
        }
    }))
}

/// `tests/examples/<version>/mod.rs`: the actions with examples, or `None` when there are none.
pub fn emit_version(version: &VersionModel, path: &str) -> Result<Option<TokenStream>, EmitError> {
    let modules = version
        .actions
        .iter()
        .filter(|a| !a.examples.is_empty())
        .map(|a| ident(path, &a.module))
        .collect::<Result<Vec<_>, EmitError>>()?;
    Ok((!modules.is_empty()).then(|| quote!(#(mod #modules;)*)))
}

/// `tests/examples/main.rs`: the versions with examples, or `None` when there are none.
pub fn emit_root(service: &ServiceModel, path: &str) -> Result<Option<TokenStream>, EmitError> {
    let modules = service
        .versions
        .iter()
        .filter(|v| v.actions.iter().any(|a| !a.examples.is_empty()))
        .map(|v| ident(path, &v.module))
        .collect::<Result<Vec<_>, EmitError>>()?;
    Ok((!modules.is_empty()).then(|| {
        quote! {
            //! Every documented example request of this crate's actions round-trips through its
            //! request type and passes the client-side checks.
            #(mod #modules;)*
        }
    }))
}
