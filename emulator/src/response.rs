//! Encoding answers as Tencent does: JSON under `Response`, errors with HTTP 200.

use bytes::Bytes;
use http::{HeaderValue, Response, StatusCode, header};
use http_body_util::Full;
use serde_json::{Map, Value, json};

use crate::api_error::ApiError;
use crate::body::BodyError;

pub(crate) type HttpResponse = Response<Full<Bytes>>;

/// Exactly `application/json`: the official Python SDK only decodes error bodies carrying this
/// content type verbatim.
const JSON: HeaderValue = HeaderValue::from_static("application/json");

pub(crate) fn json_response(status: StatusCode, body: &Value) -> HttpResponse {
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    let mut response = Response::new(Full::new(Bytes::from(bytes)));
    *response.status_mut() = status;
    response.headers_mut().insert(header::CONTENT_TYPE, JSON);
    response
}

pub(crate) fn success(request_id: &str, mut members: Map<String, Value>) -> HttpResponse {
    members.insert("RequestId".into(), Value::String(request_id.to_string()));
    let mut outer = Map::with_capacity(1);
    outer.insert("Response".into(), Value::Object(members));
    json_response(StatusCode::OK, &Value::Object(outer))
}

pub(crate) fn error(request_id: &str, error: &ApiError) -> HttpResponse {
    json_response(
        StatusCode::OK,
        &json!({"Response": {"Error": {"Code": error.code, "Message": error.message}, "RequestId": request_id}}),
    )
}

/// A 5xx as a gateway in front of the API would send it: HTML, no API envelope.
pub(crate) fn gateway_error(status: u16) -> HttpResponse {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
    let reason = status.canonical_reason().unwrap_or("Server Error");
    let code = status.as_u16();
    let html = format!(
        "<html>\r\n<head><title>{code} {reason}</title></head>\r\n<body>\r\n<center><h1>{code} {reason}</h1></center>\r\n<hr><center>stgw</center>\r\n</body>\r\n</html>\r\n"
    );
    let mut response = Response::new(Full::new(Bytes::from(html)));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
    response
}

/// The answer to a body the server stopped reading — too slow (HTTP 408) or more than the
/// memory for bodies holds (HTTP 503) — closing the connection, whose rest is unread.
pub(crate) fn body_refused(why: BodyError) -> HttpResponse {
    let (status, message) = match why {
        BodyError::TimedOut => (
            StatusCode::REQUEST_TIMEOUT,
            "the request body did not arrive within the body read timeout",
        ),
        _ => (
            StatusCode::SERVICE_UNAVAILABLE,
            "too many request bodies are being read; retry later",
        ),
    };
    let mut response = json_response(status, &json!({"error": message}));
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}
