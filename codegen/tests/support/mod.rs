//! A loopback HTTP server standing in for Tencent Cloud in tests: it records every request body
//! and answers each with the next scripted outcome.

use std::collections::VecDeque;
use std::sync::Arc;

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::Mutex;

/// What the server answers to one request.
#[derive(Debug, Clone)]
pub enum Answer {
    /// `{"Response": {"Error": {"Code": code, ...}, "RequestId": ...}}`
    Error(String),
    /// `{"Response": {"RequestId": ...}}`
    Success,
}

pub struct Loopback {
    /// `http://127.0.0.1:<port>`
    pub endpoint: String,
    /// Answers still to give; when empty, `fallback` is given.
    pub script: Arc<Mutex<VecDeque<Answer>>>,
    pub fallback: Arc<Mutex<Answer>>,
    /// JSON bodies of the requests received, in order.
    pub bodies: Arc<Mutex<Vec<Value>>>,
}

impl Loopback {
    pub async fn start(fallback: Answer) -> Loopback {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let endpoint = format!("http://{}", listener.local_addr().unwrap());
        let server = Loopback {
            endpoint,
            script: Arc::default(),
            fallback: Arc::new(Mutex::new(fallback)),
            bodies: Arc::default(),
        };
        let (script, fallback, bodies) = (
            server.script.clone(),
            server.fallback.clone(),
            server.bodies.clone(),
        );
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let (script, fallback, bodies) = (script.clone(), fallback.clone(), bodies.clone());
                tokio::spawn(async move {
                    let Some(body) = read_request_body(&mut stream).await else {
                        return;
                    };
                    bodies
                        .lock()
                        .await
                        .push(serde_json::from_slice(&body).unwrap_or(Value::Null));
                    let answer = match script.lock().await.pop_front() {
                        Some(answer) => answer,
                        None => fallback.lock().await.clone(),
                    };
                    let body = match answer {
                        Answer::Error(code) => serde_json::json!({"Response": {
                            "Error": {"Code": code, "Message": "documented failure"},
                            "RequestId": "req-from-loopback",
                        }}),
                        Answer::Success => {
                            serde_json::json!({"Response": {"RequestId": "req-from-loopback"}})
                        }
                    }
                    .to_string();
                    let response = format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = stream.write_all(response.as_bytes()).await;
                });
            }
        });
        server
    }
}

/// Reads one HTTP/1.1 request and returns its body (by Content-Length).
async fn read_request_body(stream: &mut tokio::net::TcpStream) -> Option<Vec<u8>> {
    let mut request = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        let read = stream.read(&mut buffer).await.ok()?;
        if read == 0 {
            return None;
        }
        request.extend_from_slice(&buffer[..read]);
        let Some(end) = request.windows(4).position(|w| w == b"\r\n\r\n") else {
            continue;
        };
        let headers = String::from_utf8_lossy(&request[..end]).to_ascii_lowercase();
        let length = headers
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse::<usize>().ok())
            .unwrap_or(0);
        if request.len() >= end + 4 + length {
            return Some(request[end + 4..end + 4 + length].to_vec());
        }
    }
}
