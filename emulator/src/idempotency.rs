//! `ClientToken` idempotency: the first successful answer to a token is remembered with a
//! fingerprint of its parameters; the same token with the same parameters gets that answer again
//! without acting twice, with different parameters `FailedOperation.DuplicatedRequest`.
//!
//! Only answers that took effect are remembered: a request that failed changed nothing, so running
//! it again is what the caller wants.

use std::collections::{HashMap, VecDeque};

use serde_json::{Map, Value};

/// Tokens remembered before the oldest are forgotten; real services keep them for about a day.
const DEFAULT_CAPACITY: usize = 100_000;

struct Remembered {
    fingerprint: [u8; 32],
    response: Map<String, Value>,
}

pub(crate) enum Seen<'a> {
    New,
    Replay(&'a Map<String, Value>),
    Conflict,
}

pub(crate) struct IdempotencyStore {
    entries: HashMap<String, Remembered>,
    order: VecDeque<String>,
    capacity: usize,
}

impl Default for IdempotencyStore {
    fn default() -> Self {
        IdempotencyStore {
            entries: HashMap::new(),
            order: VecDeque::new(),
            capacity: DEFAULT_CAPACITY,
        }
    }
}

/// Tokens are scoped to the caller and the action, as a token is unique per request of one user.
pub(crate) fn key(secret_id: &str, service: &str, action: &str, token: &str) -> String {
    format!("{secret_id}\n{service}\n{action}\n{token}")
}

impl IdempotencyStore {
    pub fn check(&self, key: &str, fingerprint: &[u8; 32]) -> Seen<'_> {
        match self.entries.get(key) {
            None => Seen::New,
            Some(r) if &r.fingerprint == fingerprint => Seen::Replay(&r.response),
            Some(_) => Seen::Conflict,
        }
    }

    pub fn remember(&mut self, key: String, fingerprint: [u8; 32], response: Map<String, Value>) {
        if self.entries.len() >= self.capacity
            && let Some(oldest) = self.order.pop_front()
        {
            self.entries.remove(&oldest);
        }
        self.order.push_back(key.clone());
        self.entries.insert(
            key,
            Remembered {
                fingerprint,
                response,
            },
        );
    }
}
