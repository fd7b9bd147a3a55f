//! Turns an HTTP answer into the `Response` object, a [`ServiceError`], or a [`ResponseError`].

use serde_json::{Map, Value};

use crate::error::{ResponseError, ResponseErrorKind, SdkError, ServiceError};

/// Decodes one answer. `repeatable` (the request was safe to repeat) is recorded in a service
/// error so that its retryability reflects the request that failed.
pub(crate) fn decode(
    status: u16,
    body: &[u8],
    repeatable: bool,
) -> Result<Value, SdkError<ServiceError>> {
    let success = (200..300).contains(&status);
    let fail = |kind: ResponseErrorKind| ResponseError::new(kind, status, body);
    let parsed: Result<Value, serde_json::Error> = serde_json::from_slice(body);
    let mut document = match parsed {
        Ok(Value::Object(document)) => document,
        Ok(_) if !success => return Err(SdkError::Response(fail(ResponseErrorKind::HttpStatus))),
        Ok(_) => {
            return Err(SdkError::Response(
                fail(ResponseErrorKind::MissingResponse).with_detail("body is not a JSON object"),
            ));
        }
        Err(_) if !success && body.iter().all(u8::is_ascii_whitespace) => {
            return Err(SdkError::Response(fail(ResponseErrorKind::HttpStatus)));
        }
        Err(e) => {
            let kind = if e.is_eof() && !body.iter().all(u8::is_ascii_whitespace) {
                ResponseErrorKind::Truncated
            } else {
                ResponseErrorKind::NotJson
            };
            return Err(SdkError::Response(fail(kind).with_detail(e.to_string())));
        }
    };
    let Some(response) = document.remove("Response") else {
        let kind = if success {
            ResponseErrorKind::MissingResponse
        } else {
            ResponseErrorKind::HttpStatus
        };
        return Err(SdkError::Response(fail(kind)));
    };
    let Value::Object(mut response) = response else {
        return Err(SdkError::Response(
            fail(ResponseErrorKind::Malformed).with_detail("\"Response\" is not an object"),
        ));
    };
    if let Some(error) = response.remove("Error") {
        let request_id = string_field(&response, "RequestId").unwrap_or_default();
        return Err(match service_error(&error, request_id) {
            Some(e) => SdkError::Service(e.with_repeatable_request(repeatable)),
            None => SdkError::Response(
                fail(ResponseErrorKind::Malformed)
                    .with_detail("\"Response.Error\" must be an object with a string \"Code\""),
            ),
        });
    }
    if !success {
        return Err(SdkError::Response(fail(ResponseErrorKind::HttpStatus)));
    }
    Ok(Value::Object(response))
}

fn string_field<'a>(object: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    object.get(key).and_then(Value::as_str)
}

fn service_error(error: &Value, request_id: &str) -> Option<ServiceError> {
    let error = error.as_object()?;
    let code = string_field(error, "Code")?;
    let message = string_field(error, "Message").unwrap_or_default();
    Some(ServiceError::new(code, message, request_id))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn response_kind(status: u16, body: &[u8]) -> (ResponseErrorKind, u16) {
        match decode(status, body, false) {
            Err(SdkError::Response(e)) => (e.kind(), e.status()),
            other => panic!("expected a response error, got {other:?}"),
        }
    }

    #[test]
    fn success_returns_the_response_object() {
        let body = br#"{"Response":{"TotalCount":0,"RequestId":"r-1"}}"#;
        assert_eq!(
            decode(200, body, false).unwrap(),
            json!({"TotalCount": 0, "RequestId": "r-1"})
        );
    }

    #[test]
    fn tencent_error_body_becomes_service_error_even_with_odd_status() {
        let body = br#"{"Response":{"Error":{"Code":"FailedOperation","Message":"no"},"RequestId":"r-2"}}"#;
        for status in [200, 400, 500] {
            match decode(status, body, false) {
                Err(SdkError::Service(e)) => {
                    assert_eq!(
                        (e.code(), e.message(), e.request_id()),
                        ("FailedOperation", "no", "r-2")
                    );
                }
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn idempotency_is_recorded_for_retry_decisions() {
        let body =
            br#"{"Response":{"Error":{"Code":"InternalError","Message":""},"RequestId":"r"}}"#;
        let Err(SdkError::Service(plain)) = decode(200, body, false) else {
            panic!()
        };
        let Err(SdkError::Service(tokened)) = decode(200, body, true) else {
            panic!()
        };
        assert!(!plain.is_retryable());
        assert!(tokened.is_retryable());
    }

    #[test]
    fn hostile_bodies_map_to_distinct_kinds_keeping_status() {
        let html = b"<html><body><h1>502 Bad Gateway</h1></body></html>";
        assert_eq!(response_kind(502, html), (ResponseErrorKind::NotJson, 502));
        assert_eq!(response_kind(200, html), (ResponseErrorKind::NotJson, 200));
        assert_eq!(
            response_kind(200, br#"{"Response":{"RequestId":"r"#),
            (ResponseErrorKind::Truncated, 200)
        );
        assert_eq!(
            response_kind(200, br#"{"Result":{}}"#),
            (ResponseErrorKind::MissingResponse, 200)
        );
        assert_eq!(
            response_kind(200, b"[1,2]"),
            (ResponseErrorKind::MissingResponse, 200)
        );
        assert_eq!(
            response_kind(200, br#"{"Response":"oops"}"#),
            (ResponseErrorKind::Malformed, 200)
        );
        assert_eq!(
            response_kind(200, br#"{"Response":{"Error":{"Message":"no code"}}}"#),
            (ResponseErrorKind::Malformed, 200)
        );
        assert_eq!(
            response_kind(503, b""),
            (ResponseErrorKind::HttpStatus, 503)
        );
        assert_eq!(
            response_kind(429, br#"{"message":"slow down"}"#),
            (ResponseErrorKind::HttpStatus, 429)
        );
        assert_eq!(
            response_kind(500, br#"{"Response":{"RequestId":"r"}}"#),
            (ResponseErrorKind::HttpStatus, 500)
        );
        assert_eq!(response_kind(200, b""), (ResponseErrorKind::NotJson, 200));
    }

    #[test]
    fn excerpt_of_hostile_body_is_kept_for_diagnosis() {
        let Err(SdkError::Response(e)) = decode(502, b"<html>Bad Gateway</html>", false) else {
            panic!()
        };
        assert_eq!(e.excerpt(), "<html>Bad Gateway</html>");
        assert!(e.is_retryable());
    }
}

/// Any answer a network can deliver, decoded without panicking and never mistaken for
/// success. Cases: `PROPTEST_CASES` (default 256).
#[cfg(test)]
mod properties {
    use proptest::prelude::*;
    use serde_json::{Value, json};

    use super::*;
    use crate::error::ResponseErrorKind;

    fn code() -> impl Strategy<Value = String> {
        "[A-Z][A-Za-z]{0,12}(\\.[A-Z][A-Za-z0-9]{0,12}){0,2}"
    }

    fn scalar() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            ".{0,16}".prop_map(Value::from),
        ]
    }

    fn json_value() -> impl Strategy<Value = Value> {
        scalar().prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
                prop::collection::btree_map("[A-Za-z]{1,8}", inner, 0..4)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn any_status_and_bytes_decode_without_panicking(
            status in 100_u16..600,
            body in prop::collection::vec(any::<u8>(), 0..512),
        ) {
            match decode(status, &body, false) {
                Ok(_) => prop_assert!((200..300).contains(&status)),
                Err(error) => {
                    let shown = error.to_string();
                    prop_assert!(!shown.is_empty());
                    if let SdkError::Response(e) = &error {
                        // 256 bytes at most, plus the ellipsis of a cut excerpt.
                        prop_assert!(e.excerpt().len() <= 256 + '…'.len_utf8());
                    }
                }
            }
        }

        #[test]
        fn a_tencent_error_body_is_a_service_error_whatever_the_status(
            status in 100_u16..600,
            code in code(),
            message in ".{0,40}",
            request_id in ".{0,40}",
        ) {
            let body = json!({"Response": {"Error": {"Code": code, "Message": message}, "RequestId": request_id}});
            let bytes = serde_json::to_vec(&body).unwrap();
            match decode(status, &bytes, false) {
                Err(SdkError::Service(e)) => {
                    prop_assert_eq!(e.code(), code.as_str());
                    prop_assert_eq!(e.message(), message.as_str());
                    prop_assert_eq!(e.request_id(), request_id.as_str());
                }
                other => prop_assert!(false, "{other:?}"),
            }
        }

        #[test]
        fn a_success_body_is_returned_as_sent_and_no_cut_of_it_is_a_success(
            members in prop::collection::btree_map("[A-Z][A-Za-z]{0,8}", json_value(), 0..6),
            request_id in "[a-f0-9-]{1,36}",
            cut in any::<prop::sample::Index>(),
        ) {
            let mut response: serde_json::Map<String, Value> = members
                .into_iter()
                .filter(|(k, _)| k != "Error")
                .collect();
            response.insert("RequestId".into(), Value::from(request_id));
            let bytes = serde_json::to_vec(&json!({"Response": response})).unwrap();
            prop_assert_eq!(decode(200, &bytes, false).unwrap(), Value::Object(response));
            let prefix = &bytes[..cut.index(bytes.len())];
            match decode(200, prefix, false) {
                Err(SdkError::Response(e)) => prop_assert!(matches!(
                    e.kind(),
                    ResponseErrorKind::Truncated | ResponseErrorKind::NotJson
                ), "{e}"),
                other => prop_assert!(false, "a cut answer decoded as {other:?}"),
            }
        }
    }
}
