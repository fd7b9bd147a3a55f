//! Encoding answers as Tencent does: JSON under `Response`, errors with HTTP 200, streams as
//! server-sent events.

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http::{HeaderValue, Response, StatusCode, header};
use http_body::{Body, Frame, SizeHint};
use http_body_util::Full;
use serde_json::{Map, Value, json};
use tokio::sync::mpsc;

use crate::api_error::ApiError;
use crate::body::BodyError;
use crate::connections::InFlight;

pub(crate) type HttpResponse = Response<AnswerBody>;

/// An answer's body: whole, or events as a task sends them.
pub(crate) enum AnswerBody {
    Whole(Full<Bytes>),
    Events {
        events: mpsc::Receiver<Result<Bytes, StreamCut>>,
        /// The connection counts as busy until the stream ends: an idle limit must not close it.
        busy: Option<InFlight>,
    },
}

/// A stream broken off on purpose: the connection ends without the stream's last chunk.
#[derive(Debug)]
pub(crate) struct StreamCut;

impl std::fmt::Display for StreamCut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("stream cut on purpose")
    }
}

impl std::error::Error for StreamCut {}

impl AnswerBody {
    fn whole(bytes: impl Into<Bytes>) -> Self {
        Self::Whole(Full::new(bytes.into()))
    }

    /// Keeps the connection busy while the body is sent, for a stream; a whole answer's
    /// connection is idle again once it is answered.
    pub(crate) fn keep_busy(&mut self, request: InFlight) {
        if let Self::Events { busy, .. } = self {
            *busy = Some(request);
        }
    }
}

impl Body for AnswerBody {
    type Data = Bytes;
    type Error = StreamCut;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, StreamCut>>> {
        match self.get_mut() {
            Self::Whole(full) => Pin::new(full)
                .poll_frame(cx)
                .map(|frame| frame.map(|frame| frame.map_err(|never| match never {}))),
            Self::Events { events, .. } => events
                .poll_recv(cx)
                .map(|event| event.map(|event| event.map(Frame::data))),
        }
    }

    fn is_end_stream(&self) -> bool {
        match self {
            Self::Whole(full) => full.is_end_stream(),
            Self::Events { .. } => false,
        }
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            Self::Whole(full) => full.size_hint(),
            Self::Events { .. } => SizeHint::default(),
        }
    }
}

/// The head of an answer streamed as events, whose body `events` delivers.
pub(crate) fn events(
    request_id: &str,
    events: mpsc::Receiver<Result<Bytes, StreamCut>>,
) -> HttpResponse {
    let mut response = Response::new(AnswerBody::Events { events, busy: None });
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream"),
    );
    if let Ok(id) = HeaderValue::from_str(request_id) {
        headers.insert("x-tc-requestid", id);
    }
    response
}

/// Exactly `application/json`: the official Python SDK only decodes error bodies carrying this
/// content type verbatim.
const JSON: HeaderValue = HeaderValue::from_static("application/json");

pub(crate) fn json_response(status: StatusCode, body: &Value) -> HttpResponse {
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    let mut response = Response::new(AnswerBody::whole(bytes));
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

/// A plain-text answer, as the instance metadata service sends.
pub(crate) fn text(status: StatusCode, body: String) -> HttpResponse {
    let mut response = Response::new(AnswerBody::whole(body));
    *response.status_mut() = status;
    response
}

/// A 5xx as a gateway in front of the API would send it: HTML, no API envelope.
pub(crate) fn gateway_error(status: u16) -> HttpResponse {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
    let reason = status.canonical_reason().unwrap_or("Server Error");
    let code = status.as_u16();
    let html = format!(
        "<html>\r\n<head><title>{code} {reason}</title></head>\r\n<body>\r\n<center><h1>{code} {reason}</h1></center>\r\n<hr><center>stgw</center>\r\n</body>\r\n</html>\r\n"
    );
    let mut response = Response::new(AnswerBody::whole(html));
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
