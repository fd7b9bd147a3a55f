//! Idle keep-alive connections to one origin, bounded in number and in idle time.

use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

use super::direct::Connection;

/// How many idle connections an origin keeps: enough for the concurrency a process sustains
/// against one endpoint, so a burst reuses connections rather than reopening them.
pub(crate) const MAX_IDLE_PER_ORIGIN: usize = 512;
/// How long an idle connection is kept (servers close theirs after about a minute or more).
pub(crate) const IDLE_TIMEOUT: Duration = Duration::from_secs(55);

struct Idle {
    connection: Connection,
    since: Instant,
}

/// Kept by the origin it belongs to, so finding it takes no lookup.
#[derive(Default)]
pub(crate) struct Pool {
    /// Oldest first.
    idle: Mutex<Vec<Idle>>,
}

impl Pool {
    /// The most recently used idle connection that has not expired. Whether the
    /// server has closed it is for the caller to find out, from its socket.
    pub(crate) fn checkout(&self) -> Option<Connection> {
        let mut expired = Vec::new();
        let found = {
            let mut list = self.idle.lock().unwrap_or_else(|e| e.into_inner());
            // The expired ones are a prefix.
            let now = Instant::now();
            let cut = list.partition_point(|entry| now.duration_since(entry.since) >= IDLE_TIMEOUT);
            expired.extend(list.drain(..cut));
            list.pop().map(|entry| entry.connection)
        };
        // Closing sockets outside the lock keeps other calls from waiting on it.
        drop(expired);
        found
    }

    /// Keeps `connection` for the next call, unless enough are idle already.
    pub(crate) fn checkin(&self, connection: Connection) {
        let entry = Idle {
            connection,
            since: Instant::now(),
        };
        let refused = {
            let mut list = self.idle.lock().unwrap_or_else(|e| e.into_inner());
            if list.len() >= MAX_IDLE_PER_ORIGIN {
                Some(entry)
            } else {
                list.push(entry);
                None
            }
        };
        drop(refused);
    }
}
