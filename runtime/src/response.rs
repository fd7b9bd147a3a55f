//! Turns an HTTP answer into the `Response` object, a [`ServiceError`], or a [`ResponseError`].
//!
//! The answer is read once: the envelope is scanned for where `Response` lies and whether it
//! holds an `Error`, without building a tree of it; the typed output is then deserialized
//! straight from those bytes.

use std::fmt;
use std::ops::Range;

use bytes::Bytes;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use serde_json::value::RawValue;

use crate::error::{ResponseError, ResponseErrorKind, SdkError, ServiceError};

/// A successful answer: the body as received and where its `Response` object lies in it.
#[derive(Debug)]
pub(crate) struct Answer {
    body: Bytes,
    response: Range<usize>,
    request_id: RequestId,
}

/// Where an answer's `Response.RequestId` is: usually in the body as written, as it rarely
/// holds an escape, so reading it costs no copy.
#[derive(Debug)]
enum RequestId {
    Missing,
    InBody(Range<usize>),
    Unescaped(String),
}

impl Answer {
    /// The whole body as received.
    pub(crate) fn body(&self) -> &Bytes {
        &self.body
    }

    /// The `Response` object's JSON text.
    pub(crate) fn response_json(&self) -> &[u8] {
        &self.body[self.response.clone()]
    }

    /// `Response.RequestId`, when it is a string.
    pub(crate) fn request_id(&self) -> Option<&str> {
        match &self.request_id {
            RequestId::Missing => None,
            RequestId::InBody(range) => std::str::from_utf8(self.body.get(range.clone())?).ok(),
            RequestId::Unescaped(id) => Some(id),
        }
    }

    /// The `Response` object as a JSON value.
    pub(crate) fn to_value(&self) -> Result<Value, ResponseError> {
        serde_json::from_slice(self.response_json()).map_err(|e| {
            ResponseError::new(ResponseErrorKind::Malformed, 200, self.response_json())
                .with_detail(e.to_string())
        })
    }
}

/// The top level of a body that is valid JSON: an object, and the last `Response` member's
/// raw text if it has one (as a JSON object keeps the last of repeated keys), or another value.
enum Top<'a> {
    Object(Option<&'a RawValue>),
    Other,
}

impl<'de: 'a, 'a> serde::Deserialize<'de> for Top<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TopVisitor)
    }
}

struct TopVisitor;

impl<'de> Visitor<'de> for TopVisitor {
    type Value = Top<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut response = None;
        while let Some(key) = map.next_key::<Key>()? {
            if key == Key::Response {
                response = Some(map.next_value::<&'de RawValue>()?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(Top::Object(response))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Top::Other)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Top::Other)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Top::Other)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Top::Other)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Top::Other)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(Top::Other)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Top::Other)
    }
}

/// A member name the runtime looks for, told apart without copying it (serde reads a
/// `Cow<str>` key into a new `String`).
#[derive(PartialEq)]
enum Key {
    Response,
    Error,
    RequestId,
    Other,
}

impl<'de> serde::Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl Visitor<'_> for KeyVisitor {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_str<E: de::Error>(self, name: &str) -> Result<Key, E> {
        Ok(match name {
            "Response" => Key::Response,
            "Error" => Key::Error,
            "RequestId" => Key::RequestId,
            _ => Key::Other,
        })
    }
}

/// The members of the `Response` object the runtime reads itself (the last of each).
#[derive(Default)]
struct Probe<'a> {
    error: Option<&'a RawValue>,
    request_id: Option<&'a RawValue>,
}

impl<'de: 'a, 'a> serde::Deserialize<'de> for Probe<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(ProbeVisitor)
    }
}

struct ProbeVisitor;

impl<'de> Visitor<'de> for ProbeVisitor {
    type Value = Probe<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the Response object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut probe = Probe::default();
        while let Some(key) = map.next_key::<Key>()? {
            match key {
                Key::Error => probe.error = Some(map.next_value()?),
                Key::RequestId => probe.request_id = Some(map.next_value()?),
                Key::Response | Key::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(probe)
    }
}

/// Where `inner` (a slice of `outer`) starts and ends in it.
fn range_in(outer: &[u8], inner: &str) -> Range<usize> {
    let start = inner.as_ptr() as usize - outer.as_ptr() as usize;
    start..start + inner.len()
}

/// Decodes one answer. `repeatable` (the request was safe to repeat) is recorded in a service
/// error so that its retryability reflects the request that failed.
pub(crate) fn decode(
    status: u16,
    body: Bytes,
    repeatable: bool,
) -> Result<Answer, SdkError<ServiceError>> {
    let success = (200..300).contains(&status);
    let fail = |kind: ResponseErrorKind| ResponseError::new(kind, status, &body);
    let blank = body.iter().all(u8::is_ascii_whitespace);
    let response = match serde_json::from_slice::<Top<'_>>(&body) {
        Ok(Top::Object(Some(response))) => response,
        Ok(Top::Object(None)) => {
            let kind = if success {
                ResponseErrorKind::MissingResponse
            } else {
                ResponseErrorKind::HttpStatus
            };
            return Err(SdkError::Response(fail(kind)));
        }
        Ok(Top::Other) if !success => {
            return Err(SdkError::Response(fail(ResponseErrorKind::HttpStatus)));
        }
        Ok(Top::Other) => {
            return Err(SdkError::Response(
                fail(ResponseErrorKind::MissingResponse).with_detail("body is not a JSON object"),
            ));
        }
        Err(_) if !success && blank => {
            return Err(SdkError::Response(fail(ResponseErrorKind::HttpStatus)));
        }
        Err(e) => {
            let kind = if e.is_eof() && !blank {
                ResponseErrorKind::Truncated
            } else {
                ResponseErrorKind::NotJson
            };
            return Err(SdkError::Response(fail(kind).with_detail(e.to_string())));
        }
    };
    let malformed_response = || {
        SdkError::Response(
            fail(ResponseErrorKind::Malformed).with_detail("\"Response\" is not an object"),
        )
    };
    if !response.get().starts_with('{') {
        return Err(malformed_response());
    }
    let probe: Probe<'_> =
        serde_json::from_str(response.get()).map_err(|_| malformed_response())?;
    if let Some(error) = probe.error {
        let request_id = probe
            .request_id
            .and_then(|raw| serde_json::from_str::<String>(raw.get()).ok());
        let error = serde_json::from_str::<Value>(error.get()).unwrap_or(Value::Null);
        return Err(
            match service_error(&error, request_id.as_deref().unwrap_or_default()) {
                Some(e) => SdkError::Service(e.with_repeatable_request(repeatable)),
                None => SdkError::Response(
                    fail(ResponseErrorKind::Malformed)
                        .with_detail("\"Response.Error\" must be an object with a string \"Code\""),
                ),
            },
        );
    }
    if !success {
        return Err(SdkError::Response(fail(ResponseErrorKind::HttpStatus)));
    }
    let request_id = match probe.request_id.map(RawValue::get) {
        None => RequestId::Missing,
        Some(raw) => match raw.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
            Some(text) if !text.contains('\\') => RequestId::InBody(range_in(&body, text)),
            _ => {
                serde_json::from_str::<String>(raw).map_or(RequestId::Missing, RequestId::Unescaped)
            }
        },
    };
    let response = range_in(&body, response.get());
    Ok(Answer {
        body,
        response,
        request_id,
    })
}

/// The error an event of a stream sends in place of its data (`{"Error": {"Code": …}}`, or a
/// whole error answer `{"Response": {"Error": …}}`), if it is one; `request_id` stands in for
/// one the event does not carry.
pub(crate) fn error_in_event(data: &str, request_id: Option<&str>) -> Option<ServiceError> {
    // Events are many and errors rare: only data naming the member is parsed for it.
    if !data.contains("\"Error\"") {
        return None;
    }
    let value: Value = serde_json::from_str(data).ok()?;
    let holder = value
        .get("Response")
        .filter(|response| response.get("Error").is_some())
        .unwrap_or(&value);
    let request_id = holder
        .get("RequestId")
        .and_then(Value::as_str)
        .or(request_id);
    service_error(holder.get("Error")?, request_id.unwrap_or_default())
}

fn service_error(error: &Value, request_id: &str) -> Option<ServiceError> {
    let error = error.as_object()?;
    let code = error.get("Code").and_then(Value::as_str)?;
    let message = error
        .get("Message")
        .and_then(Value::as_str)
        .unwrap_or_default();
    Some(ServiceError::new(code, message, request_id))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn response_kind(status: u16, body: &[u8]) -> (ResponseErrorKind, u16) {
        match decode(status, Bytes::copy_from_slice(body), false) {
            Err(SdkError::Response(e)) => (e.kind(), e.status()),
            other => panic!("expected a response error, got {other:?}"),
        }
    }

    #[test]
    fn the_request_id_is_read_in_place_unescaped_or_missing() {
        let id = |body: &'static [u8]| {
            let answer = decode(200, Bytes::from_static(body), false).unwrap();
            answer.request_id().map(str::to_owned)
        };
        let plain = decode(
            200,
            Bytes::from_static(br#"{"Response":{"RequestId":"r-1"}}"#),
            false,
        )
        .unwrap();
        assert!(matches!(plain.request_id, RequestId::InBody(_)));
        assert_eq!(plain.request_id(), Some("r-1"));
        assert_eq!(
            id(br#"{"Response":{"RequestId":"r\"1\u00e9"}}"#).as_deref(),
            Some("r\"1é")
        );
        assert_eq!(
            id(br#"{"Response":{"RequestId":"a","RequestId":"b"}}"#).as_deref(),
            Some("b")
        );
        assert_eq!(id(br#"{"Response":{"RequestId":7}}"#), None);
        assert_eq!(id(br#"{"Response":{}}"#), None);
    }

    #[test]
    fn success_returns_the_response_object() {
        let body = br#"{"Response":{"TotalCount":0,"RequestId":"r-1"}}"#;
        let answer = decode(200, Bytes::from_static(body), false).unwrap();
        assert_eq!(
            answer.to_value().unwrap(),
            json!({"TotalCount": 0, "RequestId": "r-1"})
        );
        assert_eq!(answer.request_id(), Some("r-1"));
        assert_eq!(
            answer.response_json(),
            br#"{"TotalCount":0,"RequestId":"r-1"}"#,
            "the typed output is read from the Response object's own bytes"
        );
    }

    #[test]
    fn tencent_error_body_becomes_service_error_even_with_odd_status() {
        let body = br#"{"Response":{"Error":{"Code":"FailedOperation","Message":"no"},"RequestId":"r-2"}}"#;
        for status in [200, 400, 500] {
            match decode(status, Bytes::copy_from_slice(body), false) {
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
    fn member_names_written_with_escapes_are_the_same_members() {
        let body = br#"{"Respons\u0065":{"\u0045rror":{"Code":"LimitExceeded","Message":"m"},"Request\u0049d":"r-3"}}"#;
        match decode(200, Bytes::from_static(body), false) {
            Err(SdkError::Service(e)) => {
                assert_eq!((e.code(), e.request_id()), ("LimitExceeded", "r-3"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_last_of_repeated_members_counts_as_in_a_json_object() {
        let body =
            br#"{"Response":{"Error":{"Code":"X"}},"Response":{"RequestId":"a","RequestId":"b"}}"#;
        let answer = decode(200, Bytes::from_static(body), false).unwrap();
        assert_eq!(answer.request_id(), Some("b"));
        assert_eq!(
            response_kind(200, br#"{"Response":{"Error":null,"RequestId":"r"}}"#),
            (ResponseErrorKind::Malformed, 200)
        );
    }

    #[test]
    fn idempotency_is_recorded_for_retry_decisions() {
        let body =
            br#"{"Response":{"Error":{"Code":"InternalError","Message":""},"RequestId":"r"}}"#;
        let Err(SdkError::Service(plain)) = decode(200, Bytes::from_static(body), false) else {
            panic!()
        };
        let Err(SdkError::Service(tokened)) = decode(200, Bytes::from_static(body), true) else {
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
        let Err(SdkError::Response(e)) =
            decode(502, Bytes::from_static(b"<html>Bad Gateway</html>"), false)
        else {
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
            match decode(status, Bytes::from(body), false) {
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
            match decode(status, Bytes::from(bytes), false) {
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
            let answer = decode(200, Bytes::from(bytes.clone()), false).unwrap();
            prop_assert_eq!(answer.to_value().unwrap(), Value::Object(response));
            let prefix = Bytes::copy_from_slice(&bytes[..cut.index(bytes.len())]);
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
