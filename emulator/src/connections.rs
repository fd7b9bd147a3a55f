//! The open connections: how many there are, which are idle, and closing the one idle longest
//! when a new one would pass the limit.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::sync::Notify;
use tokio::time::Instant;

/// One open connection as the registry sees it.
#[derive(Debug)]
pub(crate) struct Connection {
    /// Requests being served on it (HTTP/1.1 without pipelining: 0 or 1).
    in_flight: AtomicUsize,
    /// When it last became idle, in milliseconds since the registry's epoch.
    idle_since_ms: AtomicU64,
    /// Signalled to close it.
    close: Notify,
    epoch: Instant,
}

impl Connection {
    fn now_ms(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    /// Whether no request is in progress on it.
    pub(crate) fn is_idle(&self) -> bool {
        self.in_flight.load(Ordering::Acquire) == 0
    }

    /// How long it has been idle; zero while a request is in progress.
    pub(crate) fn idle_for(&self) -> Duration {
        if !self.is_idle() {
            return Duration::ZERO;
        }
        let since = self.idle_since_ms.load(Ordering::Acquire);
        Duration::from_millis(self.now_ms().saturating_sub(since))
    }

    /// Marks a request as started; the guard marks it finished when dropped.
    pub(crate) fn request_started(self: &Arc<Self>) -> InFlight {
        self.in_flight.fetch_add(1, Ordering::AcqRel);
        InFlight(Arc::clone(self))
    }

    /// Resolves once the registry wants the connection closed.
    pub(crate) async fn close_requested(&self) {
        self.close.notified().await;
    }
}

/// A request in progress on a connection.
pub(crate) struct InFlight(Arc<Connection>);

impl Drop for InFlight {
    fn drop(&mut self) {
        let connection = &self.0;
        connection
            .idle_since_ms
            .store(connection.now_ms(), Ordering::Release);
        connection.in_flight.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Every open connection, at most `max` of them.
#[derive(Debug)]
pub(crate) struct Connections {
    open: Mutex<HashMap<u64, Arc<Connection>>>,
    next_id: AtomicU64,
    max: usize,
    epoch: Instant,
}

/// A connection's place in the registry, given up when dropped.
pub(crate) struct Registration<'a> {
    registry: &'a Connections,
    id: u64,
    pub(crate) connection: Arc<Connection>,
}

impl Drop for Registration<'_> {
    fn drop(&mut self) {
        self.registry.lock().remove(&self.id);
    }
}

impl Connections {
    pub(crate) fn new(max: usize) -> Self {
        Self {
            open: Mutex::new(HashMap::new()),
            next_id: AtomicU64::new(0),
            max: max.max(1),
            epoch: Instant::now(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<u64, Arc<Connection>>> {
        self.open.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Open connections now.
    pub(crate) fn count(&self) -> usize {
        self.lock().len()
    }

    /// Registers a new connection. At the limit the connection idle longest is told to close
    /// and gives up its place; with none idle there is no place, and `None` says to close the
    /// new one.
    pub(crate) fn admit(&self) -> Option<Registration<'_>> {
        let mut open = self.lock();
        if open.len() >= self.max {
            let victim = open
                .iter()
                .filter(|(_, c)| c.is_idle())
                .max_by_key(|(_, c)| c.idle_for())
                .map(|(&id, _)| id)?;
            if let Some(evicted) = open.remove(&victim) {
                evicted.close.notify_one();
            }
        }
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let connection = Arc::new(Connection {
            in_flight: AtomicUsize::new(0),
            idle_since_ms: AtomicU64::new(0),
            close: Notify::new(),
            epoch: self.epoch,
        });
        connection
            .idle_since_ms
            .store(connection.now_ms(), Ordering::Release);
        open.insert(id, Arc::clone(&connection));
        Some(Registration {
            registry: self,
            id,
            connection,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn at_the_limit_the_connection_idle_longest_makes_room() {
        let registry = Connections::new(2);
        let first = registry.admit().unwrap();
        tokio::time::advance(Duration::from_secs(5)).await;
        let second = registry.admit().unwrap();
        let busy = second.connection.request_started();
        let third = registry
            .admit()
            .expect("the idle first connection is evicted");
        assert_eq!(registry.count(), 2);
        tokio::time::timeout(Duration::from_secs(1), first.connection.close_requested())
            .await
            .expect("the evicted connection is told to close");
        drop(first);
        assert_eq!(registry.count(), 2, "its late drop removes nothing else");
        let _busy_third = third.connection.request_started();
        assert!(
            registry.admit().is_none(),
            "with every connection busy, no room is made"
        );
        drop(busy);
        assert!(
            registry.admit().is_some(),
            "a finished request frees the second"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn idle_time_counts_from_the_end_of_the_last_request() {
        let registry = Connections::new(4);
        let registration = registry.admit().unwrap();
        let connection = &registration.connection;
        tokio::time::advance(Duration::from_secs(3)).await;
        assert_eq!(connection.idle_for(), Duration::from_secs(3));
        let request = connection.request_started();
        tokio::time::advance(Duration::from_secs(10)).await;
        assert_eq!(connection.idle_for(), Duration::ZERO);
        drop(request);
        tokio::time::advance(Duration::from_secs(1)).await;
        assert_eq!(connection.idle_for(), Duration::from_secs(1));
    }
}
