//! The request log: what each API call asked for and what came of it, so tests can prove that a
//! retried request acted once, or that a request never reached the server.

use std::collections::VecDeque;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::faults::FaultKind;

/// What the caller got back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Outcome {
    /// A normal answer.
    Success,
    /// An API error answer (HTTP 200 with `Response.Error`).
    Error { code: String, message: String },
    /// An injected HTTP 5xx.
    HttpError { status: u16 },
    /// An injected connection reset: no answer at all.
    ConnectionReset,
}

/// One API call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogEntry {
    /// Position in arrival order, from 1.
    pub seq: u64,
    /// The `RequestId` the call was (or would have been) answered with.
    pub request_id: String,
    /// Service the call resolved to; empty when it did not get that far.
    pub service: String,
    /// `X-TC-Action` as sent; empty when missing.
    pub action: String,
    /// `X-TC-Version` as sent.
    pub version: String,
    /// The signer's secret id, once the signature verified.
    pub secret_id: Option<String>,
    /// The request's idempotency token, if it sent one.
    pub client_token: Option<String>,
    pub outcome: Outcome,
    /// Whether the call changed the emulator's state (replays and failures did not).
    pub took_effect: bool,
    /// Whether the answer was replayed from an earlier call with the same `ClientToken`.
    pub replayed: bool,
    /// The injected fault, if any.
    pub fault: Option<FaultKind>,
}

impl LogEntry {
    /// The API error code, for calls answered with one.
    pub fn error_code(&self) -> Option<&str> {
        match &self.outcome {
            Outcome::Error { code, .. } => Some(code),
            _ => None,
        }
    }

    pub fn is_success(&self) -> bool {
        self.outcome == Outcome::Success
    }
}

pub(crate) struct RequestLog {
    entries: Mutex<(u64, VecDeque<LogEntry>)>,
    capacity: usize,
}

impl RequestLog {
    pub fn new(capacity: usize) -> Self {
        RequestLog {
            entries: Mutex::new((0, VecDeque::new())),
            capacity,
        }
    }

    pub fn record(&self, mut entry: LogEntry) {
        if self.capacity == 0 {
            return;
        }
        if let Ok(mut guard) = self.entries.lock() {
            let (seq, entries) = &mut *guard;
            *seq += 1;
            entry.seq = *seq;
            if entries.len() >= self.capacity {
                entries.pop_front();
            }
            entries.push_back(entry);
        }
    }

    pub fn snapshot(&self) -> Vec<LogEntry> {
        self.entries
            .lock()
            .map(|guard| guard.1.iter().cloned().collect())
            .unwrap_or_default()
    }

    pub fn clear(&self) {
        if let Ok(mut guard) = self.entries.lock() {
            guard.1.clear();
        }
    }
}
