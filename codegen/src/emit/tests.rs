//! Tests emitted into each action's file, only for what the action's spec itself declares: every
//! documented example request round-trips through the request type. Behaviour every action shares
//! (error decoding, filling the idempotency token) is tested once, in the generator's own tests.

use proc_macro2::TokenStream;
use quote::quote;

use super::{EmitError, ident, raw_string};
use crate::model::ActionModel;

pub fn emit(action: &ActionModel, path: &str) -> Result<TokenStream, EmitError> {
    let request = ident(path, &action.request_type)?;
    let mut examples = Vec::new();
    for example in &action.examples {
        let title = &example.title;
        let documented = raw_string(path, &example.request.to_string())?;
        let canonical = raw_string(path, &example.canonical.to_string())?;
        examples.push(quote!((#title, #documented, #canonical),));
    }
    if examples.is_empty() {
        return Ok(TokenStream::new());
    }
    Ok(quote! {
        #[cfg(test)]
        mod tests {
            use super::*;

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
        }
    })
}
