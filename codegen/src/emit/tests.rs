//! Tests emitted into each action's file, driven by the spec: every documented example request
//! round-trips through the request type, every documented error code decodes to its variant, and
//! `send()` fills the idempotency token. A new example or code in the spec gets its test for free.

use proc_macro2::TokenStream;
use quote::quote;

use super::{EmitError, ident, raw_string};
use crate::model::ActionModel;

pub fn emit(action: &ActionModel, path: &str) -> Result<TokenStream, EmitError> {
    let request = ident(path, &action.request_type)?;
    let error = ident(path, &action.error_type)?;
    let mut examples = Vec::new();
    for example in &action.examples {
        let title = &example.title;
        let documented = raw_string(path, &example.request.to_string())?;
        let canonical = raw_string(path, &example.canonical.to_string())?;
        examples.push(quote!((#title, #documented, #canonical),));
    }
    let round_trip = (!examples.is_empty()).then(|| {
        quote! {
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
    });
    let cases = action.errors.iter().map(|variant| {
        let code = &variant.code;
        let name = &variant.variant;
        quote!((#code, #name),)
    });
    let token = match (&action.idempotency_field, action.examples.first()) {
        (Some((wire, field)), Some(example)) => {
            let field = ident(path, field)?;
            let documented = raw_string(path, &example.request.to_string())?;
            Some(quote! {
                #[test]
                fn send_fills_the_idempotency_token_only_when_unset_or_empty() {
                    let request: #request = serde_json::from_str(#documented).unwrap();
                    let sent = |request: #request| -> serde_json::Value {
                        serde_json::from_slice(&request.encode().unwrap()).unwrap()
                    };
                    let first = sent(request.clone());
                    let second = sent(request.clone());
                    let token = first[#wire].as_str().unwrap();
                    assert_eq!(token.len(), 36, "a UUID: {token}");
                    assert_ne!(first[#wire], second[#wire], "fresh for every send");
                    let mut empty = request.clone();
                    empty.#field = Some(String::new());
                    let filled = sent(empty);
                    assert_eq!(filled[#wire].as_str().map(str::len), Some(36), "an empty token is replaced");
                    let mut chosen = request;
                    chosen.#field = Some("caller-chosen-token".to_owned());
                    let kept = sent(chosen);
                    assert_eq!(kept[#wire], "caller-chosen-token");
                }
            })
        }
        _ => None,
    };
    Ok(quote! {
        #[cfg(test)]
        mod tests {
            use super::*;

            #round_trip

            #[test]
            fn documented_error_codes_decode_to_their_variants() {
                let cases = [#(#cases)*];
                for (code, variant) in cases {
                    let error = #error::from(tencentcloud_runtime::ServiceError::new(code, "message", "request-id"));
                    // The derived Debug of a tuple variant starts with the variant's name.
                    let decoded = format!("{error:?}");
                    assert!(decoded.starts_with(&format!("{variant}(")), "{code} decoded to {decoded}");
                    assert_eq!(error.code(), code);
                    assert_eq!(error.message(), "message");
                    assert_eq!(error.request_id(), "request-id");
                }
            }

            #[test]
            fn unknown_error_codes_decode_to_unhandled() {
                let error = #error::from(tencentcloud_runtime::ServiceError::new("NotDocumented.Anywhere", "message", "request-id"));
                assert!(matches!(error, #error::Unhandled(_)), "{error:?}");
                assert_eq!(error.code(), "NotDocumented.Anywhere");
            }

            #token
        }
    })
}
