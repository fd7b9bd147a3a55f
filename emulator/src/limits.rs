//! How much a client may hold of the emulator: time to send headers and bodies, idle time on a
//! kept-alive connection, open connections, and memory in bodies being read.

use std::time::Duration;

/// The server's limits; the defaults bound what hostile or broken clients can pin.
///
/// Worst case with the defaults: `max_connections` connections, each holding at most 64 KiB of
/// buffered headers and 64 KiB of body outside the shared body budget, plus `body_memory`
/// bytes of larger bodies being read — about 770 MiB at 4,096 connections, and nothing stays
/// pinned longer than a timeout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerLimits {
    /// A request's headers must arrive within this, from the connection's start or the
    /// request's first byte (default 10 s).
    pub header_read_timeout: Duration,
    /// A connection with no request in progress is closed after this (default 30 s).
    pub idle_timeout: Duration,
    /// A request's body must arrive within this once its headers have (default 30 s); a late
    /// one is answered HTTP 408 and the connection closed.
    pub body_read_timeout: Duration,
    /// Open connections at most (default 4,096, lowered to fit the process's file limit). At
    /// the limit a new connection evicts the one idle longest, so the admin API and health
    /// check keep answering; with none idle the new one is closed at once.
    pub max_connections: usize,
    /// Bytes of request bodies being read, beyond the first [`BODY_ALLOWANCE`] of each, that
    /// all connections together may hold (default 256 MiB); a body that would pass it is
    /// answered HTTP 503 and its connection closed.
    pub body_memory: usize,
}

/// What of each body is read without drawing on the shared budget: every ordinary API request
/// fits, so slow uploads that exhaust the budget cannot starve them.
pub const BODY_ALLOWANCE: usize = 64 * 1024;

/// Largest request head (request line and headers) a connection buffers.
pub const MAX_HEAD_BYTES: usize = 64 * 1024;

const DEFAULT_MAX_CONNECTIONS: usize = 4096;
/// File descriptors kept free for the listener, spec files and logs when the file limit caps
/// the connection limit.
const RESERVED_FILES: u64 = 64;

impl Default for ServerLimits {
    fn default() -> Self {
        Self {
            header_read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(30),
            body_read_timeout: Duration::from_secs(30),
            max_connections: fit_to_file_limit(DEFAULT_MAX_CONNECTIONS),
            body_memory: 256 * 1024 * 1024,
        }
    }
}

/// `wanted`, lowered so that connections cannot exhaust the process's open-file limit (each
/// takes one descriptor); a limit that cannot be read changes nothing.
fn fit_to_file_limit(wanted: usize) -> usize {
    match open_file_limit() {
        Some(limit) => {
            let room = usize::try_from(limit.saturating_sub(RESERVED_FILES)).unwrap_or(usize::MAX);
            wanted.min(room.max(1))
        }
        None => wanted,
    }
}

#[cfg(unix)]
fn open_file_limit() -> Option<u64> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes only into the struct it is given.
    let read = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) };
    (read == 0 && limit.rlim_cur != libc::RLIM_INFINITY).then_some(limit.rlim_cur)
}

#[cfg(not(unix))]
fn open_file_limit() -> Option<u64> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_connection_limit_never_exceeds_the_file_limit() {
        let limits = ServerLimits::default();
        assert!(limits.max_connections >= 1);
        match open_file_limit() {
            Some(files) if files > RESERVED_FILES => {
                assert!(limits.max_connections as u64 <= files - RESERVED_FILES);
                assert_eq!(fit_to_file_limit(usize::MAX) as u64, files - RESERVED_FILES);
            }
            Some(_) => assert_eq!(limits.max_connections, 1),
            None => assert_eq!(limits.max_connections, DEFAULT_MAX_CONNECTIONS),
        }
    }
}
