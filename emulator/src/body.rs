//! Reading a request body within the server's limits: its size, the time it may take, and the
//! memory all bodies being read may hold together.

use std::sync::atomic::{AtomicUsize, Ordering};

use bytes::{Bytes, BytesMut};
use http_body_util::BodyExt;
use hyper::body::{Body, Incoming};

use crate::emulator::Shared;
use crate::limits::BODY_ALLOWANCE;

/// Why a body was not read whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodyError {
    /// Longer than the largest body accepted.
    TooLarge,
    /// Not complete within the body read timeout.
    TimedOut,
    /// Bodies being read already hold the whole shared budget.
    Busy,
    /// The client broke off the body.
    Broken,
}

/// Memory held by bodies being read, beyond each one's allowance, across all connections.
#[derive(Debug)]
pub(crate) struct BodyBudget {
    held: AtomicUsize,
    capacity: usize,
}

impl BodyBudget {
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            held: AtomicUsize::new(0),
            capacity,
        }
    }

    /// Bytes currently held.
    pub(crate) fn held(&self) -> usize {
        self.held.load(Ordering::Relaxed)
    }

    fn take(&self, bytes: usize) -> bool {
        self.held
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |held| {
                held.checked_add(bytes).filter(|&sum| sum <= self.capacity)
            })
            .is_ok()
    }

    fn give_back(&self, bytes: usize) {
        self.held.fetch_sub(bytes, Ordering::AcqRel);
    }
}

/// What one body holds of the budget, returned however reading ends.
struct Charge<'a> {
    budget: &'a BodyBudget,
    bytes: usize,
}

impl Drop for Charge<'_> {
    fn drop(&mut self) {
        self.budget.give_back(self.bytes);
    }
}

/// Reads `body` whole within the server's limits: at most its largest body, within the body
/// read timeout, the part beyond [`BODY_ALLOWANCE`] drawn from the shared body budget while it
/// is read.
pub(crate) async fn read(shared: &Shared, body: Incoming) -> Result<Bytes, BodyError> {
    let max_bytes = shared.max_body_bytes;
    if body.size_hint().lower() > max_bytes as u64 {
        return Err(BodyError::TooLarge);
    }
    let collected = collect(body, max_bytes, &shared.body_budget);
    tokio::time::timeout(shared.limits.body_read_timeout, collected)
        .await
        .unwrap_or(Err(BodyError::TimedOut))
}

async fn collect(
    mut body: Incoming,
    max_bytes: usize,
    budget: &BodyBudget,
) -> Result<Bytes, BodyError> {
    let mut buffer = BytesMut::new();
    let mut charge = Charge { budget, bytes: 0 };
    while let Some(frame) = body.frame().await {
        let Ok(data) = frame.map_err(|_| BodyError::Broken)?.into_data() else {
            continue;
        };
        let length = buffer.len().saturating_add(data.len());
        if length > max_bytes {
            return Err(BodyError::TooLarge);
        }
        let owed = length.saturating_sub(BODY_ALLOWANCE) - charge.bytes;
        if owed > 0 {
            if !budget.take(owed) {
                return Err(BodyError::Busy);
            }
            charge.bytes += owed;
        }
        buffer.extend_from_slice(&data);
    }
    Ok(buffer.freeze())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_budget_refuses_what_it_cannot_hold_and_takes_back_what_is_returned() {
        let budget = BodyBudget::new(100);
        assert!(budget.take(60));
        assert!(!budget.take(41), "60 + 41 passes the capacity");
        assert!(budget.take(40));
        assert_eq!(budget.held(), 100);
        {
            let _charge = Charge {
                budget: &budget,
                bytes: 60,
            };
        }
        assert_eq!(budget.held(), 40, "a dropped charge gives its bytes back");
        assert!(!budget.take(usize::MAX), "no overflow");
    }
}
