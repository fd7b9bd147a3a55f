//! One HTTP/1.1 exchange on a kept-alive connection, in the calling task: the request written
//! from a buffer the connection keeps, the answer's head parsed by httparse, its body framed by
//! its length, by chunks, or by the connection's end, and held to the size cap.
//!
//! Nothing here waits on another task: the call reads and writes the socket itself, so an
//! answer costs no hand-off between threads, no channel and no header map.

use std::io;

use bytes::Bytes;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

use super::body::too_large;
use super::headers::RequestHeaders;
use super::{AttemptError, is_event_stream};
use crate::error::{ResponseError, ResponseErrorKind, TransportError, TransportErrorKind};
use crate::signer::Decimal;

/// A read asks for at least this much room; also the read buffer a connection starts with.
const READ_CHUNK: usize = 8 * 1024;
/// A connection keeps buffers up to this size between calls; larger ones (a big answer) are
/// let go, so idle connections hold little.
const KEPT_BUFFER: usize = 64 * 1024;
/// The longest answer head, chunk-size line or trailer section accepted.
const MAX_HEAD: usize = 64 * 1024;
/// Header lines an answer head is first parsed with room for: every header slot is filled in
/// before parsing, so the usual answer's dozen headers are not made to pay for a hundred.
const USUAL_HEADERS: usize = 24;
/// The most header lines an answer head may have.
const MAX_HEADERS: usize = 100;
/// The most interim (1xx) answers skipped before the final one.
const MAX_INTERIM: usize = 8;

/// A connection's buffers, kept between its calls.
#[derive(Default)]
pub(crate) struct Buffers {
    read: Vec<u8>,
    write: Vec<u8>,
}

/// A complete answer.
#[derive(Debug)]
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) body: Bytes,
    /// The connection can carry the next request.
    pub(crate) reusable: bool,
}

/// How an exchange failed.
#[derive(Debug)]
pub(crate) enum ExchangeError {
    /// Not a byte of the request was written: it can go on another connection.
    Unsent(io::Error),
    Failed(AttemptError),
}

fn failed(
    kind: TransportErrorKind,
    source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
) -> ExchangeError {
    ExchangeError::Failed(AttemptError::Transport(TransportError::new(kind, source)))
}

/// Sends a `POST /` with `headers` and `body` on `io` and reads the whole answer, at most `cap`
/// bytes of body.
pub(crate) async fn exchange<S: AsyncRead + AsyncWrite + Unpin>(
    io: &mut S,
    buffers: &mut Buffers,
    headers: &RequestHeaders<'_>,
    body: &[u8],
    cap: usize,
) -> Result<Answer, ExchangeError> {
    write_request(&mut buffers.write, headers, body);
    let sent = send(io, &buffers.write).await;
    if buffers.write.capacity() > KEPT_BUFFER {
        buffers.write = Vec::new();
    }
    sent?;
    buffers.read.clear();
    let answer = read_answer(io, &mut buffers.read, cap).await;
    if buffers.read.capacity() > KEPT_BUFFER {
        buffers.read = Vec::new();
    }
    answer
}

fn write_request(out: &mut Vec<u8>, headers: &RequestHeaders<'_>, body: &[u8]) {
    out.clear();
    out.extend_from_slice(b"POST / HTTP/1.1\r\n");
    headers.for_each(|name, value| {
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value);
        out.extend_from_slice(b"\r\n");
    });
    for (name, value) in headers.extra {
        out.extend_from_slice(name.as_str().as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"content-length: ");
    out.extend_from_slice(Decimal::new(body.len() as u64, 1).as_bytes());
    out.extend_from_slice(b"\r\n\r\n");
    out.extend_from_slice(body);
}

async fn send<S: AsyncWrite + Unpin>(io: &mut S, request: &[u8]) -> Result<(), ExchangeError> {
    let mut written = 0;
    while written < request.len() {
        match io.write(&request[written..]).await {
            Ok(0) => {
                return Err(failed(
                    TransportErrorKind::Request,
                    "the connection took no more of the request",
                ));
            }
            Ok(n) => written += n,
            Err(error) if written == 0 => return Err(ExchangeError::Unsent(error)),
            Err(error) => return Err(failed(TransportErrorKind::Request, error)),
        }
    }
    io.flush()
        .await
        .map_err(|e| failed(TransportErrorKind::Request, e))
}

/// Reads more of the answer into `buf`; `Ok(0)` at the connection's end.
async fn fill<S: AsyncRead + Unpin>(io: &mut S, buf: &mut Vec<u8>) -> io::Result<usize> {
    buf.reserve(READ_CHUNK);
    io.read_buf(buf).await
}

/// How the answer's body is delimited.
#[derive(Debug, PartialEq, Eq)]
enum Framing {
    Empty,
    Length(u64),
    Chunked,
    /// Until the server closes the connection.
    UntilClose,
}

#[derive(Debug)]
struct Head {
    status: u16,
    /// Bytes of the head, blank line included.
    length: usize,
    framing: Framing,
    /// The server keeps the connection open after this answer.
    keep_alive: bool,
    /// The body is a stream of server-sent events (`text/event-stream`).
    event_stream: bool,
}

/// The answer's head if all of it is in `buf`.
fn parse_head(buf: &[u8]) -> Result<Option<Head>, String> {
    match parse_head_within::<USUAL_HEADERS>(buf) {
        Err(HeadError::TooManyHeaders) => parse_head_within::<MAX_HEADERS>(buf),
        parsed => parsed,
    }
    .map_err(|error| match error {
        HeadError::TooManyHeaders => {
            format!("the answer's head has more than {MAX_HEADERS} header lines")
        }
        HeadError::Invalid(message) => message,
    })
}

enum HeadError {
    TooManyHeaders,
    Invalid(String),
}

fn parse_head_within<const N: usize>(buf: &[u8]) -> Result<Option<Head>, HeadError> {
    let mut headers = [httparse::EMPTY_HEADER; N];
    let mut response = httparse::Response::new(&mut headers);
    let length = match response.parse(buf) {
        Ok(httparse::Status::Complete(length)) => length,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(httparse::Error::TooManyHeaders) => return Err(HeadError::TooManyHeaders),
        Err(error) => {
            return Err(HeadError::Invalid(format!(
                "the answer is not HTTP/1.1: {error}"
            )));
        }
    };
    read_head(&response, length)
        .map(Some)
        .map_err(HeadError::Invalid)
}

/// What the parsed head of `length` bytes says of the answer and its body.
fn read_head(response: &httparse::Response<'_, '_>, length: usize) -> Result<Head, String> {
    let status = response.code.ok_or("the answer has no status")?;
    // After 101 Switching Protocols the connection no longer speaks HTTP/1.1.
    let mut keep_alive = response.version == Some(1) && status != 101;
    let mut content_length = None;
    let mut transfer_encoding = None;
    let mut event_stream = false;
    for header in response.headers.iter() {
        let value = || std::str::from_utf8(header.value).unwrap_or_default();
        if header.name.eq_ignore_ascii_case("content-length") {
            let length = parse_content_length(header.value)?;
            if content_length.is_some_and(|earlier| earlier != length) {
                return Err("the answer announces two different Content-Lengths".into());
            }
            content_length = Some(length);
        } else if header.name.eq_ignore_ascii_case("transfer-encoding") {
            // The last coding of the last header is the one applied last.
            transfer_encoding = value().rsplit(',').next().map(str::trim);
        } else if header.name.eq_ignore_ascii_case("content-type") {
            event_stream = is_event_stream(header.value);
        } else if header.name.eq_ignore_ascii_case("connection") {
            for option in value().split(',').map(str::trim) {
                if option.eq_ignore_ascii_case("close") {
                    keep_alive = false;
                } else if option.eq_ignore_ascii_case("keep-alive") && response.version == Some(0) {
                    keep_alive = true;
                }
            }
        }
    }
    let framing = match (transfer_encoding, content_length) {
        _ if matches!(status, 100..=199 | 204 | 304) => Framing::Empty,
        (Some(coding), _) if coding.eq_ignore_ascii_case("chunked") => {
            // A length beside chunks is a sign of a smuggled answer: read this one by its
            // chunks, then let the connection go.
            keep_alive &= content_length.is_none();
            Framing::Chunked
        }
        (Some(_), _) => Framing::UntilClose,
        (None, Some(length)) => Framing::Length(length),
        (None, None) => Framing::UntilClose,
    };
    if framing == Framing::UntilClose {
        keep_alive = false;
    }
    Ok(Head {
        status,
        length,
        framing,
        keep_alive,
        event_stream,
    })
}

/// A Content-Length value: digits, or a list of the same digits repeated.
fn parse_content_length(value: &[u8]) -> Result<u64, String> {
    let mut length = None;
    for part in value.split(|&b| b == b',') {
        let part = part.trim_ascii();
        let parsed = std::str::from_utf8(part)
            .ok()
            .filter(|text| !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|text| text.parse::<u64>().ok())
            .ok_or_else(|| {
                format!(
                    "the answer's Content-Length {:?} is not a length",
                    String::from_utf8_lossy(value)
                )
            })?;
        if length.is_some_and(|earlier| earlier != parsed) {
            return Err("the answer announces two different Content-Lengths".into());
        }
        length = Some(parsed);
    }
    length.ok_or_else(|| "the answer's Content-Length is empty".into())
}

async fn read_answer<S: AsyncRead + Unpin>(
    io: &mut S,
    buf: &mut Vec<u8>,
    cap: usize,
) -> Result<Answer, ExchangeError> {
    let mut interim = 0;
    let head = loop {
        let parsed = match buf.is_empty() {
            true => None,
            false => parse_head(buf).map_err(|e| failed(TransportErrorKind::Request, e))?,
        };
        match parsed {
            // An interim answer (100 Continue): the real one follows.
            Some(head) if (100..=199).contains(&head.status) && head.status != 101 => {
                interim += 1;
                if interim > MAX_INTERIM {
                    return Err(failed(
                        TransportErrorKind::Request,
                        format!("the server sent more than {MAX_INTERIM} interim answers"),
                    ));
                }
                buf.drain(..head.length);
                continue;
            }
            Some(head) => break head,
            None if buf.len() > MAX_HEAD => {
                return Err(failed(
                    TransportErrorKind::Request,
                    format!("the answer's head is longer than {MAX_HEAD} bytes"),
                ));
            }
            None => {}
        }
        let read = fill(io, buf)
            .await
            .map_err(|e| failed(TransportErrorKind::Request, e))?;
        if read == 0 {
            let what = if buf.is_empty() {
                "the server closed the connection before the answer arrived"
            } else {
                "the server closed the connection in the middle of the answer's head"
            };
            return Err(failed(TransportErrorKind::Request, what));
        }
    };
    let status = head.status;
    if head.event_stream {
        // Its end may be minutes away: the connection is let go unread.
        return Err(ExchangeError::Failed(AttemptError::Response(
            ResponseError::new(ResponseErrorKind::EventStream, status, &[]),
        )));
    }
    let body_error =
        |source: Box<dyn std::error::Error + Send + Sync>| failed(TransportErrorKind::Body, source);
    let over_cap =
        |held: &[u8]| ExchangeError::Failed(AttemptError::Response(too_large(status, cap, held)));
    let start = head.length;
    let (body, reusable) = match head.framing {
        Framing::Empty => (Bytes::new(), head.keep_alive && buf.len() == start),
        Framing::Length(length) => {
            // Past the cap, reading stops at the first bytes beyond it.
            let wanted = length.min((cap as u64).saturating_add(1)) as usize;
            while buf.len() - start < wanted {
                let read = fill(io, buf).await.map_err(|e| body_error(Box::new(e)))?;
                if read == 0 {
                    return Err(body_error(
                        format!(
                            "the server closed the connection after {} of the answer's {length} bytes",
                            buf.len() - start
                        )
                        .into(),
                    ));
                }
            }
            if length > cap as u64 {
                return Err(over_cap(&buf[start..]));
            }
            let end = start + wanted;
            (
                take_body(buf, start, end),
                head.keep_alive && buf.len() == end,
            )
        }
        Framing::UntilClose => {
            loop {
                if buf.len() - start > cap {
                    return Err(over_cap(&buf[start..]));
                }
                if fill(io, buf).await.map_err(|e| body_error(Box::new(e)))? == 0 {
                    break;
                }
            }
            let end = buf.len();
            (take_body(buf, start, end), false)
        }
        Framing::Chunked => {
            let body = read_chunks(io, buf, start, cap)
                .await
                .map_err(|e| match e {
                    ChunkError::TooLarge(held) => over_cap(&held),
                    ChunkError::Failed(source) => body_error(source),
                })?;
            (body, head.keep_alive && buf.is_empty())
        }
    };
    Ok(Answer {
        status,
        body,
        reusable,
    })
}

/// `buf[start..end]` as the answer's body: copied when the buffer is kept for the next call,
/// taken over without a copy when it is too large to keep.
fn take_body(buf: &mut Vec<u8>, start: usize, end: usize) -> Bytes {
    if buf.capacity() <= KEPT_BUFFER {
        return Bytes::copy_from_slice(&buf[start..end]);
    }
    let mut whole = std::mem::take(buf);
    whole.truncate(end);
    Bytes::from(whole).slice(start..)
}

enum ChunkError {
    /// The body held so far, past the cap.
    TooLarge(Vec<u8>),
    Failed(Box<dyn std::error::Error + Send + Sync>),
}

/// Reads more of a chunked body; its end here is an error, as the last chunk has not come.
async fn fill_chunks<S: AsyncRead + Unpin>(
    io: &mut S,
    buf: &mut Vec<u8>,
) -> Result<(), ChunkError> {
    match fill(io, buf).await {
        Ok(0) => Err(ChunkError::Failed(
            "the server closed the connection in the middle of the answer's chunks".into(),
        )),
        Ok(_) => Ok(()),
        Err(error) => Err(ChunkError::Failed(Box::new(error))),
    }
}

/// Decodes a chunked body that starts at `buf[start..]`, reading the rest as needed; on
/// success `buf` holds what followed the body (nothing, on a well-behaved connection).
async fn read_chunks<S: AsyncRead + Unpin>(
    io: &mut S,
    buf: &mut Vec<u8>,
    start: usize,
    cap: usize,
) -> Result<Bytes, ChunkError> {
    let mut body = Vec::new();
    let mut at = start;
    loop {
        let (line, size) = match httparse::parse_chunk_size(&buf[at..]) {
            Ok(httparse::Status::Complete(parsed)) => parsed,
            Ok(httparse::Status::Partial) if buf.len() - at > MAX_HEAD => {
                return Err(ChunkError::Failed("a chunk-size line is too long".into()));
            }
            Ok(httparse::Status::Partial) => {
                fill_chunks(io, buf).await?;
                continue;
            }
            Err(_) => return Err(ChunkError::Failed("a chunk-size line is malformed".into())),
        };
        at += line;
        if size == 0 {
            break;
        }
        // The chunk and the line break after it.
        loop {
            let available = (buf.len() - at) as u64;
            if body.len() as u64 + available.min(size) > cap as u64 {
                let mut held = body;
                held.extend_from_slice(&buf[at..]);
                return Err(ChunkError::TooLarge(held));
            }
            if available >= size.saturating_add(2) {
                break;
            }
            fill_chunks(io, buf).await?;
        }
        let end = at + size as usize;
        if &buf[end..end + 2] != b"\r\n" {
            return Err(ChunkError::Failed(
                "a chunk is longer than its size says".into(),
            ));
        }
        body.extend_from_slice(&buf[at..end]);
        at = end + 2;
        // What was decoded is let go, so the raw buffer holds about one chunk at a time.
        if at > READ_CHUNK {
            buf.drain(..at);
            at = 0;
        }
    }
    // Trailer lines, ended by an empty one; all of them count against the limit, not each.
    let trailers = at;
    loop {
        match buf[at..].windows(2).position(|pair| pair == b"\r\n") {
            Some(_) if at - trailers > MAX_HEAD => {
                return Err(ChunkError::Failed(
                    "the answer's trailers are too long".into(),
                ));
            }
            Some(0) => {
                buf.drain(..at + 2);
                return Ok(Bytes::from(body));
            }
            Some(line) => at += line + 2,
            None if buf.len() - trailers > MAX_HEAD => {
                return Err(ChunkError::Failed(
                    "the answer's trailers are too long".into(),
                ));
            }
            None => {
                fill_chunks(io, buf).await?;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use tokio::io::{AsyncReadExt, AsyncWriteExt, DuplexStream};

    use super::*;
    use crate::error::ResponseErrorKind;

    const CAP: usize = 1024;

    fn headers() -> RequestHeaders<'static> {
        RequestHeaders {
            host: b"cvm.tencentcloudapi.com",
            action: b"TerminateInstances",
            version: b"2017-03-12",
            timestamp: b"1551113065",
            region: Some(b"ap-guangzhou"),
            token: None,
            language: None,
            request_client: b"tencentcloud-rs",
            authorization: b"TC3-HMAC-SHA256 Credential=AKID/2019-02-25/cvm/tc3_request",
            extra: &[],
        }
    }

    /// Reads one request off `server`: its head and as many body bytes as it announces.
    async fn read_request(server: &mut DuplexStream) -> Vec<u8> {
        let mut request = Vec::new();
        loop {
            let mut chunk = [0u8; 4096];
            let n = server.read(&mut chunk).await.unwrap();
            assert_ne!(n, 0, "the client closed before its request was whole");
            request.extend_from_slice(&chunk[..n]);
            let text = String::from_utf8_lossy(&request);
            if let Some(end) = text.find("\r\n\r\n") {
                let length: usize = text[..end]
                    .lines()
                    .find_map(|line| line.strip_prefix("content-length: "))
                    .unwrap()
                    .parse()
                    .unwrap();
                if request.len() >= end + 4 + length {
                    return request;
                }
            }
        }
    }

    /// Makes one exchange against a server that reads the request, writes `parts` one at a
    /// time, and closes the connection if `close`. Returns the outcome, the request as the
    /// server read it, and what the client left in its read buffer.
    async fn exchange_with(
        parts: Vec<Vec<u8>>,
        close: bool,
        cap: usize,
    ) -> (Result<Answer, ExchangeError>, Vec<u8>) {
        let (mut client, mut server) = tokio::io::duplex(1 << 20);
        let server = tokio::spawn(async move {
            let request = read_request(&mut server).await;
            for part in parts {
                server.write_all(&part).await.unwrap();
                server.flush().await.unwrap();
                tokio::task::yield_now().await;
            }
            if !close {
                // Held open until the client is done, as a kept-alive connection is.
                let mut rest = Vec::new();
                let _ = server.read_to_end(&mut rest).await;
            }
            request
        });
        let mut buffers = Buffers::default();
        let outcome = exchange(
            &mut client,
            &mut buffers,
            &headers(),
            br#"{"InstanceIds":["ins-1"]}"#,
            cap,
        )
        .await;
        drop(client);
        (outcome, server.await.unwrap())
    }

    async fn answer(parts: &[&str], close: bool) -> Answer {
        let parts = parts.iter().map(|p| p.as_bytes().to_vec()).collect();
        match exchange_with(parts, close, CAP).await.0 {
            Ok(answer) => answer,
            Err(error) => panic!("expected an answer, got {error:?}"),
        }
    }

    async fn failure(parts: &[&str], close: bool) -> ExchangeError {
        let parts = parts.iter().map(|p| p.as_bytes().to_vec()).collect();
        match exchange_with(parts, close, CAP).await.0 {
            Ok(answer) => panic!("expected a failure, got {answer:?}"),
            Err(error) => error,
        }
    }

    fn transport(error: ExchangeError) -> TransportError {
        match error {
            ExchangeError::Failed(AttemptError::Transport(error)) => error,
            other => panic!("expected a transport error, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn the_request_is_one_post_with_every_header_and_the_body_length() {
        let (outcome, request) = exchange_with(
            vec![b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}".to_vec()],
            false,
            CAP,
        )
        .await;
        assert!(outcome.is_ok());
        assert_eq!(
            String::from_utf8(request).unwrap(),
            "POST / HTTP/1.1\r\n\
             content-type: application/json; charset=utf-8\r\n\
             host: cvm.tencentcloudapi.com\r\n\
             x-tc-action: TerminateInstances\r\n\
             x-tc-version: 2017-03-12\r\n\
             x-tc-timestamp: 1551113065\r\n\
             x-tc-region: ap-guangzhou\r\n\
             x-tc-requestclient: tencentcloud-rs\r\n\
             user-agent: tencentcloud-rs\r\n\
             authorization: TC3-HMAC-SHA256 Credential=AKID/2019-02-25/cvm/tc3_request\r\n\
             content-length: 25\r\n\
             \r\n\
             {\"InstanceIds\":[\"ins-1\"]}"
        );
    }

    #[tokio::test]
    async fn an_answer_arriving_in_pieces_is_read_whole_and_keeps_the_connection() {
        let answer = answer(
            &[
                "HTTP/1.1 200 OK\r\nContent-Le",
                "ngth: 14\r\n\r",
                "\n{\"Respo",
                "nse\":1}",
            ],
            false,
        )
        .await;
        assert_eq!(
            (answer.status, &answer.body[..]),
            (200, &b"{\"Response\":1}"[..])
        );
        assert!(answer.reusable);
    }

    #[tokio::test]
    async fn chunks_are_joined_and_extensions_and_trailers_skipped() {
        let answer = answer(
            &[
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
                "4;name=value\r\n{\"Re\r\n",
                "A\r\nsponse\":{}\r\n1\r",
                "\n}\r\n0\r\nX-Trailer: yes\r\n\r\n",
            ],
            false,
        )
        .await;
        assert_eq!(&answer.body[..], br#"{"Response":{}}"#);
        assert!(answer.reusable);
    }

    #[tokio::test]
    async fn an_interim_answer_is_skipped_for_the_final_one() {
        let answer = answer(
            &[
                "HTTP/1.1 100 Continue\r\n\r\n",
                "HTTP/1.1 503 Service Unavailable\r\ncontent-length: 4\r\n\r\nbusy",
            ],
            false,
        )
        .await;
        assert_eq!((answer.status, &answer.body[..]), (503, &b"busy"[..]));
    }

    #[tokio::test]
    async fn endless_interim_answers_are_cut_off() {
        let endless = "HTTP/1.1 102 Processing\r\n\r\n".repeat(MAX_INTERIM + 1);
        let error = transport(failure(&[&endless], false).await);
        assert!(
            error.to_string().contains("more than 8 interim answers"),
            "{error}"
        );
        let allowed = "HTTP/1.1 102 Processing\r\n\r\n".repeat(MAX_INTERIM)
            + "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}";
        assert_eq!(&answer(&[&allowed], false).await.body[..], b"{}");
    }

    #[tokio::test]
    async fn an_answer_without_a_length_runs_to_the_close_and_ends_the_connection() {
        let answer = answer(&["HTTP/1.1 200 OK\r\n\r\n{\"Resp", "onse\":{}}"], true).await;
        assert_eq!(&answer.body[..], br#"{"Response":{}}"#);
        assert!(!answer.reusable);
    }

    #[tokio::test]
    async fn connection_close_http_1_0_and_stray_bytes_each_end_the_connection() {
        for parts in [
            &["HTTP/1.1 200 OK\r\nConnection: close\r\ncontent-length: 2\r\n\r\n{}"][..],
            &["HTTP/1.0 200 OK\r\ncontent-length: 2\r\n\r\n{}"],
            &["HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}HTTP/1.1 200 OK\r\n"],
            &[
                "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\ncontent-length: 2\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
            ],
        ] {
            let answer = answer(parts, false).await;
            assert_eq!(&answer.body[..], b"{}", "{parts:?}");
            assert!(!answer.reusable, "{parts:?}");
        }
        let kept = answer(
            &["HTTP/1.0 200 OK\r\nConnection: keep-alive\r\ncontent-length: 0\r\n\r\n"],
            false,
        )
        .await;
        assert!(kept.reusable);
    }

    #[tokio::test]
    async fn a_head_with_many_headers_is_read_up_to_the_limit() {
        let head = |n: usize| {
            let lines: String = (0..n).map(|i| format!("x-extra-{i}: {i}\r\n")).collect();
            format!("HTTP/1.1 200 OK\r\n{lines}content-length: 2\r\n\r\n{{}}")
        };
        let answer = answer(&[&head(USUAL_HEADERS * 2)], false).await;
        assert_eq!((answer.status, &answer.body[..]), (200, &b"{}"[..]));
        let error = transport(failure(&[&head(MAX_HEADERS)], false).await);
        assert!(
            error.to_string().contains("more than 100 header lines"),
            "{error}"
        );
    }

    #[tokio::test]
    async fn no_content_has_no_body() {
        let answer = answer(&["HTTP/1.1 204 No Content\r\n\r\n"], false).await;
        assert_eq!(
            (answer.status, answer.body.len(), answer.reusable),
            (204, 0, true)
        );
    }

    #[tokio::test]
    async fn a_body_past_the_cap_is_too_large_however_it_is_framed() {
        let big = "x".repeat(CAP + 10);
        let chunked = format!(
            "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n{:x}\r\n{big}\r\n0\r\n\r\n",
            big.len()
        );
        for text in [
            format!(
                "HTTP/1.1 200 OK\r\ncontent-length: {}\r\n\r\n{big}",
                big.len()
            ),
            format!("HTTP/1.1 200 OK\r\n\r\n{big}"),
            chunked,
        ] {
            match failure(&[&text], true).await {
                ExchangeError::Failed(AttemptError::Response(error)) => {
                    assert_eq!(
                        (error.kind(), error.status()),
                        (ResponseErrorKind::TooLarge, 200)
                    );
                    assert!(error.excerpt().starts_with("xxx"), "{error}");
                    assert!(error.to_string().contains("limit is 1024 bytes"), "{error}");
                }
                other => panic!("expected TooLarge for {text:.60}, got {other:?}"),
            }
        }
    }

    #[tokio::test]
    async fn no_cap_at_all_still_reads_an_answer_by_its_length() {
        let parts = vec![b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}".to_vec()];
        let (outcome, _) = exchange_with(parts, false, usize::MAX).await;
        assert_eq!(&outcome.unwrap().body[..], b"{}");
    }

    #[tokio::test]
    async fn an_announced_length_past_the_cap_stops_reading_just_past_the_cap() {
        // The server announces far more than it sends and keeps the connection open: the
        // client must not wait for the rest.
        let head = "HTTP/1.1 200 OK\r\ncontent-length: 1000000000\r\n\r\n";
        let error = failure(&[head, &"y".repeat(CAP + 1)], false).await;
        assert!(
            matches!(error, ExchangeError::Failed(AttemptError::Response(ref e)) if e.kind() == ResponseErrorKind::TooLarge),
            "{error:?}"
        );
    }

    #[tokio::test]
    async fn an_answer_cut_short_is_a_transport_error_saying_where() {
        let before = transport(failure(&[], true).await);
        assert_eq!(before.kind(), TransportErrorKind::Request);
        assert!(
            before.to_string().contains("before the answer arrived"),
            "{before}"
        );

        let head = transport(failure(&["HTTP/1.1 200 OK\r\ncontent-"], true).await);
        assert_eq!(head.kind(), TransportErrorKind::Request);
        assert!(head.to_string().contains("answer's head"), "{head}");

        let body = transport(
            failure(
                &["HTTP/1.1 200 OK\r\ncontent-length: 200\r\n\r\n{\"Resp"],
                true,
            )
            .await,
        );
        assert_eq!(body.kind(), TransportErrorKind::Body);
        assert!(
            body.to_string()
                .contains("after 6 of the answer's 200 bytes"),
            "{body}"
        );

        let chunks = transport(
            failure(
                &["HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n10\r\nabc"],
                true,
            )
            .await,
        );
        assert_eq!(chunks.kind(), TransportErrorKind::Body);
        assert!(chunks.to_string().contains("chunks"), "{chunks}");
    }

    #[tokio::test]
    async fn a_malformed_answer_is_a_transport_error_saying_what() {
        for (parts, kind, says) in [
            (
                "SMTP ready\r\n\r\n",
                TransportErrorKind::Request,
                "not HTTP/1.1",
            ),
            (
                "HTTP/1.1 200 OK\r\ncontent-length: 2\r\ncontent-length: 3\r\n\r\n{}",
                TransportErrorKind::Request,
                "two different Content-Lengths",
            ),
            (
                "HTTP/1.1 200 OK\r\ncontent-length: -1\r\n\r\n",
                TransportErrorKind::Request,
                "is not a length",
            ),
            (
                "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n",
                TransportErrorKind::Body,
                "chunk-size line is malformed",
            ),
            (
                "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n2\r\n{}}\r\n0\r\n\r\n",
                TransportErrorKind::Body,
                "longer than its size",
            ),
        ] {
            let error = transport(failure(&[parts], true).await);
            assert_eq!(error.kind(), kind, "{parts:?}");
            assert!(error.to_string().contains(says), "{parts:?}: {error}");
        }
        // Many short trailer lines, each well under the limit: ended by the empty line, or not.
        for end in ["\r\n", ""] {
            let trailers = format!(
                "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n2\r\n{{}}\r\n0\r\n{}{end}",
                "t: 1\r\n".repeat(MAX_HEAD / 4)
            );
            let error = transport(failure(&[&trailers], false).await);
            assert_eq!(error.kind(), TransportErrorKind::Body);
            assert!(
                error.to_string().contains("trailers are too long"),
                "{error}"
            );
        }
        let endless = format!("HTTP/1.1 200 OK\r\nx: {}", "a".repeat(MAX_HEAD + 10));
        let error = transport(failure(&[&endless], false).await);
        assert!(
            error.to_string().contains("longer than 65536 bytes"),
            "{error}"
        );
        assert_eq!(
            Buffers::default().read.capacity(),
            0,
            "buffers are made on a connection's first read"
        );
    }

    #[tokio::test]
    async fn a_request_the_connection_refused_whole_is_unsent() {
        let (mut client, server) = tokio::io::duplex(64);
        drop(server);
        let outcome = exchange(&mut client, &mut Buffers::default(), &headers(), b"{}", CAP).await;
        assert!(
            matches!(outcome, Err(ExchangeError::Unsent(_))),
            "{outcome:?}"
        );
    }

    #[tokio::test]
    async fn buffers_are_reused_between_exchanges_and_large_ones_let_go() {
        let mut buffers = Buffers::default();
        let (mut client, mut server) = tokio::io::duplex(1 << 20);
        let big = "z".repeat(100_000);
        let answers = [
            "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}".to_string(),
            format!(
                "HTTP/1.1 200 OK\r\ncontent-length: {}\r\n\r\n{big}",
                big.len()
            ),
        ];
        let serve = {
            let answers = answers.clone();
            tokio::spawn(async move {
                for answer in answers {
                    read_request(&mut server).await;
                    server.write_all(answer.as_bytes()).await.unwrap();
                }
                server
            })
        };
        exchange(&mut client, &mut buffers, &headers(), b"{}", 1 << 20)
            .await
            .unwrap();
        let kept = buffers.read.as_ptr();
        assert!(buffers.read.capacity() >= READ_CHUNK);
        let large = exchange(&mut client, &mut buffers, &headers(), b"{}", 1 << 20)
            .await
            .unwrap();
        assert_eq!(large.body.len(), big.len());
        assert_ne!(buffers.read.as_ptr(), kept);
        assert!(
            buffers.read.capacity() <= KEPT_BUFFER,
            "the large buffer went with the body"
        );
        drop(serve.await.unwrap());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
        #[test]
        fn any_body_in_any_chunks_and_reads_comes_back_the_same(
            body in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..3000),
            chunk in 1usize..700,
            read in 1usize..900,
        ) {
            let mut encoded = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
            for piece in body.chunks(chunk) {
                encoded.extend_from_slice(format!("{:X}\r\n", piece.len()).as_bytes());
                encoded.extend_from_slice(piece);
                encoded.extend_from_slice(b"\r\n");
            }
            encoded.extend_from_slice(b"0\r\n\r\n");
            let parts = encoded.chunks(read).map(<[u8]>::to_vec).collect();
            let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
            let (outcome, _) = runtime.block_on(exchange_with(parts, false, 1 << 20));
            let answer = outcome.unwrap();
            proptest::prop_assert_eq!(&answer.body[..], &body[..]);
            proptest::prop_assert!(answer.reusable);
        }
    }
}
