//! A loopback HTTP/1.1 server on 127.0.0.1:0 that answers like Tencent Cloud API 3.0, verifies
//! every request's signature with [`super::tc3`], records what it received, and plays a script
//! of faults, one per request. Raw TCP so that faults can cut a connection at any byte.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

pub const SECRET_ID: &str = "AKIDloopbacktest";
pub const SECRET_KEY: &str = "loopbackSecretKey0123456789";

/// What the server does with one request.
#[derive(Clone, Debug)]
pub enum Fault {
    /// Answers with this status, content type and body.
    Respond {
        status: u16,
        content_type: &'static str,
        body: String,
    },
    /// Waits, then does the inner thing.
    Delay(Duration, Box<Fault>),
    /// Reads only the request head, then closes the connection (mid-request).
    CloseMidRequest,
    /// Sends a status line and headers announcing a body, part of it, then closes.
    CloseMidBody,
    /// Does the inner thing, then closes the connection (as a server ending an idle one).
    ThenClose(Box<Fault>),
    /// Answers with server-sent events, `data: <event>` each, in chunks: after `pause_after`
    /// of them waits `pause` (watching for the client closing the connection), then sends the
    /// rest and ends as `end` says.
    Events {
        events: Vec<String>,
        pause_after: usize,
        pause: Duration,
        end: StreamEnd,
    },
}

/// How a stream of events ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StreamEnd {
    /// With the last chunk, the connection kept.
    Complete,
    /// In the middle of an event's chunk, the connection closed.
    Cut,
}

impl Fault {
    pub fn ok(fields: serde_json::Value) -> Self {
        let mut response = fields;
        response["RequestId"] = serde_json::json!("req-ok");
        Self::Respond {
            status: 200,
            content_type: "application/json",
            body: serde_json::json!({ "Response": response }).to_string(),
        }
    }

    pub fn error(code: &str) -> Self {
        Self::Respond {
            status: 200,
            content_type: "application/json",
            body: serde_json::json!({"Response": {
                "Error": {"Code": code, "Message": format!("{code} happened")},
                "RequestId": format!("req-{code}"),
            }})
            .to_string(),
        }
    }

    pub fn html(status: u16) -> Self {
        Self::Respond {
            status,
            content_type: "text/html",
            body: format!("<html><body><h1>{status} Service Unavailable</h1></body></html>"),
        }
    }

    pub fn raw(status: u16, body: &str) -> Self {
        Self::Respond {
            status,
            content_type: "application/json",
            body: body.to_owned(),
        }
    }

    pub fn delay(duration: Duration, then: Fault) -> Self {
        Self::Delay(duration, Box::new(then))
    }

    /// `events` streamed at once, completely.
    pub fn events(events: &[&str]) -> Self {
        Self::Events {
            events: events.iter().map(|&e| e.to_owned()).collect(),
            pause_after: 0,
            pause: Duration::ZERO,
            end: StreamEnd::Complete,
        }
    }
}

/// One request as the server saw it.
#[derive(Clone, Debug)]
pub struct Received {
    pub head: String,
    /// Lowercase names, values as received.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// `None` when the connection was cut before the body was read.
    pub signature: Option<Result<(), String>>,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

struct State {
    script: Mutex<VecDeque<Fault>>,
    received: Mutex<Vec<Received>>,
    services: Vec<String>,
    connections: std::sync::atomic::AtomicUsize,
    /// Connections the client closed while a stream of events paused.
    closed_by_client: std::sync::atomic::AtomicUsize,
}

pub struct Server {
    pub addr: SocketAddr,
    state: Arc<State>,
}

impl Server {
    /// Starts a server expecting requests for `service`; requests beyond the script get
    /// `Fault::ok({})`.
    pub async fn start(service: &str, script: Vec<Fault>) -> Self {
        Self::start_for(&[service], script).await
    }

    /// Starts a server standing in for several services on one endpoint, playing one script
    /// for all of them in arrival order.
    pub async fn start_for(services: &[&str], script: Vec<Fault>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let state = Arc::new(State {
            script: Mutex::new(script.into()),
            received: Mutex::new(Vec::new()),
            services: services.iter().map(|&s| s.to_owned()).collect(),
            connections: Default::default(),
            closed_by_client: Default::default(),
        });
        let shared = state.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                shared
                    .connections
                    .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                tokio::spawn(serve_connection(stream, shared.clone()));
            }
        });
        Self { addr, state }
    }

    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// How many connections clients have opened.
    pub fn connections(&self) -> usize {
        self.state
            .connections
            .load(std::sync::atomic::Ordering::SeqCst)
    }

    /// How many streams of events the client closed the connection of while they paused.
    pub fn closed_by_client(&self) -> usize {
        self.state
            .closed_by_client
            .load(std::sync::atomic::Ordering::SeqCst)
    }

    pub fn received(&self) -> Vec<Received> {
        self.state.received.lock().unwrap().clone()
    }
}

fn find_head_end(buf: &[u8]) -> Option<usize> {
    buf.windows(4).position(|w| w == b"\r\n\r\n").map(|i| i + 4)
}

async fn serve_connection(mut stream: TcpStream, state: Arc<State>) {
    let mut buf = Vec::new();
    loop {
        let head_end = loop {
            if let Some(end) = find_head_end(&buf) {
                break end;
            }
            let mut chunk = [0_u8; 4096];
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
        let mut lines = head.split("\r\n");
        let request_line = lines.next().unwrap_or_default().to_owned();
        let headers: Vec<(String, String)> = lines
            .filter_map(|line| line.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        let fault = state
            .script
            .lock()
            .unwrap()
            .pop_front()
            .unwrap_or_else(|| Fault::ok(serde_json::json!({})));
        if matches!(fault, Fault::CloseMidRequest) {
            state.received.lock().unwrap().push(Received {
                head: request_line,
                headers,
                body: Vec::new(),
                signature: None,
            });
            return;
        }
        let length: usize = headers
            .iter()
            .find(|(n, _)| n == "content-length")
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(0);
        while buf.len() < head_end + length {
            let mut chunk = [0_u8; 4096];
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
        let body = buf[head_end..head_end + length].to_vec();
        buf.drain(..head_end + length);
        let verify =
            |service: &String| super::tc3::verify(&headers, &body, SECRET_ID, SECRET_KEY, service);
        let signature = state
            .services
            .iter()
            .map(verify)
            .find(Result::is_ok)
            .unwrap_or_else(|| verify(&state.services[0]));
        state.received.lock().unwrap().push(Received {
            head: request_line,
            headers,
            body,
            signature: Some(signature.clone()),
        });
        let fault = match signature {
            Ok(()) => fault,
            Err(why) => Fault::Respond {
                status: 200,
                content_type: "application/json",
                body: serde_json::json!({"Response": {
                    "Error": {"Code": "AuthFailure.SignatureFailure", "Message": why},
                    "RequestId": "req-auth"}})
                .to_string(),
            },
        };
        if !play(&mut stream, fault, &state).await {
            return;
        }
    }
}

/// Plays one fault; false when the connection is finished.
async fn play(stream: &mut TcpStream, fault: Fault, state: &State) -> bool {
    if let Fault::ThenClose(inner) = fault {
        Box::pin(play(stream, *inner, state)).await;
        return false;
    }
    let mut fault = fault;
    while let Fault::Delay(duration, inner) = fault {
        tokio::time::sleep(duration).await;
        fault = *inner;
    }
    match fault {
        Fault::Respond {
            status,
            content_type,
            body,
        } => {
            let answer = format!(
                "HTTP/1.1 {status} Status\r\nContent-Type: {content_type}\r\n\
                 Content-Length: {}\r\n\r\n{body}",
                body.len()
            );
            stream.write_all(answer.as_bytes()).await.is_ok()
        }
        Fault::CloseMidBody => {
            let answer = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
                          Content-Length: 200\r\n\r\n{\"Response\":{\"Req";
            let _ = stream.write_all(answer.as_bytes()).await;
            false
        }
        Fault::Events {
            events,
            pause_after,
            pause,
            end,
        } => {
            let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\
                        X-TC-RequestId: req-stream\r\nTransfer-Encoding: chunked\r\n\r\n";
            if stream.write_all(head.as_bytes()).await.is_err() {
                return false;
            }
            for (index, event) in events.iter().enumerate() {
                if index == pause_after && !pause.is_zero() {
                    let mut byte = [0_u8; 1];
                    tokio::select! {
                        read = stream.read(&mut byte) => {
                            if matches!(read, Ok(0) | Err(_)) {
                                state
                                    .closed_by_client
                                    .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                            }
                            return false;
                        }
                        () = tokio::time::sleep(pause) => {}
                    }
                }
                let payload = format!("data: {event}\n\n");
                let chunk = format!("{:x}\r\n{payload}\r\n", payload.len());
                let last = index + 1 == events.len();
                if last && end == StreamEnd::Cut {
                    let _ = stream.write_all(&chunk.as_bytes()[..chunk.len() / 2]).await;
                    return false;
                }
                if stream.write_all(chunk.as_bytes()).await.is_err() {
                    return false;
                }
            }
            stream.write_all(b"0\r\n\r\n").await.is_ok()
        }
        Fault::CloseMidRequest | Fault::Delay(..) | Fault::ThenClose(_) => false,
    }
}
