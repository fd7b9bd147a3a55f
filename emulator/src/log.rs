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
    /// The resources the request names: the string values of its top-level `…Id` and `…Ids`
    /// parameters (`InstanceIds`, `ProxyId`, `VpnConnectionId`) by parameter name, at most 100
    /// of at most 128 characters each: which logical call an attempt belonged to, whether or
    /// not it carried a token.
    #[serde(default)]
    pub resource_ids: Vec<String>,
    pub outcome: Outcome,
    /// Whether the call changed the emulator's state (replays and failures did not).
    pub took_effect: bool,
    /// Whether the answer was replayed from an earlier call with the same `ClientToken`.
    pub replayed: bool,
    /// The injected fault, if any.
    pub fault: Option<FaultKind>,
    /// The `X-TC-TraceId` the call carried, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace_id: Option<String>,
    /// What the answer came from, once the call reached its action (or a scripted answer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answered_from: Option<AnsweredFrom>,
    /// For an answer streamed as events: how far it went.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream: Option<StreamRecord>,
}

/// What an answer came from: the state the emulator keeps for the action, the action's
/// documented examples, or an answer a test scripted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnsweredFrom {
    State,
    Examples,
    Script,
}

impl AnsweredFrom {
    pub fn as_str(self) -> &'static str {
        match self {
            AnsweredFrom::State => "state",
            AnsweredFrom::Examples => "examples",
            AnsweredFrom::Script => "script",
        }
    }
}

/// How far an answer streamed as events went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreamRecord {
    /// Events sent whole.
    pub events_sent: u32,
    pub end: StreamEnd,
}

/// How a streamed answer ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StreamEnd {
    /// Still sending.
    Sending,
    /// Every event sent.
    Complete,
    /// Broken off by a `cut_stream` fault.
    Cut,
    /// The client closed the connection first.
    ClientLeft,
}

impl LogEntry {
    /// A call as it arrives, answered `request_id`: nothing known of it yet but what it asks.
    pub(crate) fn arrived(request_id: String, action: &str, version: &str) -> Self {
        LogEntry {
            seq: 0,
            request_id,
            service: String::new(),
            action: action.to_owned(),
            version: version.to_owned(),
            secret_id: None,
            client_token: None,
            resource_ids: Vec::new(),
            outcome: Outcome::Success,
            took_effect: false,
            replayed: false,
            fault: None,
            trace_id: None,
            answered_from: None,
            stream: None,
        }
    }

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

    /// Records `entry`, returning the `seq` it was given (0 when nothing is kept).
    pub fn record(&self, mut entry: LogEntry) -> u64 {
        if self.capacity == 0 {
            return 0;
        }
        let Ok(mut guard) = self.entries.lock() else {
            return 0;
        };
        let (seq, entries) = &mut *guard;
        *seq += 1;
        entry.seq = *seq;
        if entries.len() >= self.capacity {
            entries.pop_front();
        }
        entries.push_back(entry);
        *seq
    }

    /// Changes the entry numbered `seq`, if it is still kept.
    pub fn update(&self, seq: u64, change: impl FnOnce(&mut LogEntry)) {
        let Ok(mut guard) = self.entries.lock() else {
            return;
        };
        let entries = &mut guard.1;
        let first_seq = entries.front().map_or(0, |e| e.seq);
        let position = seq
            .checked_sub(first_seq)
            .and_then(|p| usize::try_from(p).ok());
        if let Some(entry) = position.and_then(|p| entries.get_mut(p)) {
            change(entry);
        }
    }

    /// Up to `limit` entries with a `seq` above `after`, oldest first, and whether more follow:
    /// a bounded read however long the log is.
    pub fn page(&self, after: u64, limit: usize) -> (Vec<LogEntry>, bool) {
        let Ok(guard) = self.entries.lock() else {
            return (Vec::new(), false);
        };
        let entries = &guard.1;
        // `seq` rises by one per entry, so the first wanted entry's position is arithmetic.
        let first_seq = entries.front().map_or(0, |e| e.seq);
        let skip = usize::try_from(after.saturating_add(1).saturating_sub(first_seq))
            .unwrap_or(usize::MAX);
        let page: Vec<LogEntry> = entries.iter().skip(skip).take(limit).cloned().collect();
        let more = skip.saturating_add(page.len()) < entries.len();
        (page, more)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> LogEntry {
        LogEntry::arrived(String::new(), "A", "")
    }

    fn seqs(page: &[LogEntry]) -> Vec<u64> {
        page.iter().map(|e| e.seq).collect()
    }

    #[test]
    fn the_log_is_a_bounded_ring_read_in_pages() {
        let log = RequestLog::new(5);
        for _ in 0..8 {
            log.record(entry());
        }
        assert_eq!(
            seqs(&log.snapshot()),
            [4, 5, 6, 7, 8],
            "the oldest three dropped"
        );
        let (first, more) = log.page(0, 2);
        assert_eq!((seqs(&first), more), (vec![4, 5], true));
        let (next, more) = log.page(5, 2);
        assert_eq!((seqs(&next), more), (vec![6, 7], true));
        let (last, more) = log.page(7, 2);
        assert_eq!((seqs(&last), more), (vec![8], false));
        let (none, more) = log.page(8, 2);
        assert!(none.is_empty() && !more);
        assert!(log.page(u64::MAX, 10).0.is_empty());
    }
}
