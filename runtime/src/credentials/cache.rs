//! Caching for expiring credentials: refreshed ahead of expiry, one refresh at a time, and the
//! current credentials kept in use while a refresh fails and they still work.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use tracing::warn;

use super::{Credentials, CredentialsError, ProvideCredentials, ProvideCredentialsFuture};
use crate::clock::{Clock, SystemClock, unix_seconds};

/// How long before expiry credentials are refreshed by default: five minutes, so a call signed
/// just before the refresh still has minutes to arrive.
pub const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(300);

/// After a failed refresh while the current credentials still work, the next refresh waits this
/// long (or until they expire), so a broken credentials service is not asked on every call.
const PAUSE_AFTER_FAILED_REFRESH: Duration = Duration::from_secs(10);

/// Wraps a source of expiring credentials (the CVM role, STS): calls get the cached credentials
/// until [`refresh_margin`](Self::refresh_margin) before their expiry; then one caller refreshes
/// them while every other waits for that refresh's outcome (single flight). When a refresh fails
/// while the cached credentials are still valid, calls keep using them (a warning is logged) and
/// the refresh is retried 10 s later; once they have expired, the refresh's error is returned.
/// Credentials without an expiry are cached for good. Cheap to clone: clones share the cache.
#[derive(Clone)]
pub struct CredentialsCache {
    inner: Arc<Inner>,
}

struct Inner {
    source: Box<dyn ProvideCredentials>,
    origin: String,
    clock: Arc<dyn Clock>,
    margin: Duration,
    state: Mutex<State>,
    /// Held by the one refresh in flight; waiters queue on it.
    refreshing: tokio::sync::Mutex<()>,
}

#[derive(Default)]
struct State {
    current: Option<Credentials>,
    /// Counts finished refreshes, so a waiter can tell that one ended while it waited.
    refreshes: u64,
    last_error: Option<CredentialsError>,
    retry_at: Option<SystemTime>,
}

impl fmt::Debug for CredentialsCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialsCache")
            .field("origin", &self.inner.origin)
            .field("margin", &self.inner.margin)
            .finish_non_exhaustive()
    }
}

/// What the state says a caller should do.
enum Next {
    Use(Credentials),
    Fail(CredentialsError),
    Refresh,
}

impl CredentialsCache {
    /// Caches `source`, whose errors and warnings name it as `origin` (e.g. `STS AssumeRole`).
    pub fn new(source: impl ProvideCredentials + 'static, origin: impl Into<String>) -> Self {
        Self {
            inner: Arc::new(Inner {
                source: Box::new(source),
                origin: origin.into(),
                clock: Arc::new(SystemClock),
                margin: DEFAULT_REFRESH_MARGIN,
                state: Mutex::new(State::default()),
                refreshing: tokio::sync::Mutex::new(()),
            }),
        }
    }

    /// Refreshes this long before expiry (default [`DEFAULT_REFRESH_MARGIN`]). Credentials
    /// that live shorter than the margin are refreshed on every call.
    #[must_use]
    pub fn refresh_margin(self, margin: Duration) -> Self {
        self.rebuild(|inner| inner.margin = margin)
    }

    /// Reads the time from `clock` instead of the system clock (for tests).
    #[must_use]
    pub fn clock(self, clock: Arc<dyn Clock>) -> Self {
        self.rebuild(|inner| inner.clock = clock)
    }

    /// Settings apply before first use: an unused cache is rebuilt, a shared one left alone.
    fn rebuild(self, change: impl FnOnce(&mut Inner)) -> Self {
        match Arc::try_unwrap(self.inner) {
            Ok(mut inner) => {
                change(&mut inner);
                Self {
                    inner: Arc::new(inner),
                }
            }
            Err(inner) => Self { inner },
        }
    }

    /// The credentials to sign with, refreshed if needed.
    pub async fn get(&self) -> Result<Credentials, CredentialsError> {
        let seen = match self.next(None) {
            (Next::Refresh, seen) => seen,
            (Next::Use(creds), _) => return Ok(creds),
            (Next::Fail(error), _) => return Err(error),
        };
        let _refresh = self.inner.refreshing.lock().await;
        // A refresh that finished while this caller waited is this caller's answer too.
        match self.next(Some(seen)) {
            (Next::Refresh, _) => {}
            (Next::Use(creds), _) => return Ok(creds),
            (Next::Fail(error), _) => return Err(error),
        }
        let fetched = self.inner.source.provide_credentials().await;
        self.finish(fetched)
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        // The state is replaced whole under the lock: a panic elsewhere cannot leave it torn.
        self.inner
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// What to do now; `waited_since` is the refresh count seen before waiting for the lock.
    fn next(&self, waited_since: Option<u64>) -> (Next, u64) {
        let now = self.inner.clock.now();
        let state = self.state();
        let refreshes = state.refreshes;
        if let Some(current) = &state.current {
            match current.expiry() {
                None => return (Next::Use(current.clone()), refreshes),
                Some(expiry) if now < expiry => {
                    let fresh = expiry
                        .duration_since(now)
                        .is_ok_and(|left| left > self.inner.margin);
                    let paused = state.retry_at.is_some_and(|at| now < at);
                    let refreshed_meanwhile = waited_since.is_some_and(|seen| seen != refreshes);
                    if fresh || paused || refreshed_meanwhile {
                        return (Next::Use(current.clone()), refreshes);
                    }
                }
                Some(_) => {}
            }
        }
        if waited_since.is_some_and(|seen| seen != refreshes)
            && let Some(error) = &state.last_error
        {
            return (Next::Fail(error.clone()), refreshes);
        }
        (Next::Refresh, refreshes)
    }

    fn finish(
        &self,
        fetched: Result<Credentials, CredentialsError>,
    ) -> Result<Credentials, CredentialsError> {
        let now = self.inner.clock.now();
        let mut state = self.state();
        state.refreshes = state.refreshes.wrapping_add(1);
        match fetched {
            Ok(creds) => {
                state.current = Some(creds.clone());
                state.last_error = None;
                state.retry_at = None;
                Ok(creds)
            }
            Err(error) => {
                let still_valid = state
                    .current
                    .as_ref()
                    .filter(|c| c.expiry().is_none_or(|expiry| now < expiry))
                    .cloned();
                if let Some(current) = still_valid {
                    warn!(
                        origin = %self.inner.origin,
                        %error,
                        expires_at = current.expiry().map(unix_seconds),
                        "refreshing credentials failed; using the current ones until they expire"
                    );
                    state.retry_at = now.checked_add(PAUSE_AFTER_FAILED_REFRESH);
                    state.last_error = None;
                    return Ok(current);
                }
                let error = match state.current.as_ref().and_then(Credentials::expiry) {
                    Some(expiry) => CredentialsError::Expired {
                        origin: self.inner.origin.clone(),
                        expired_at: unix_seconds(expiry),
                        error: Box::new(error),
                    },
                    None => error,
                };
                state.last_error = Some(error.clone());
                Err(error)
            }
        }
    }
}

impl ProvideCredentials for CredentialsCache {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        Box::pin(self.get())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};

    use super::*;
    use crate::clock::Sleep;

    /// A clock the test moves by hand.
    #[derive(Debug)]
    struct HandClock(Mutex<SystemTime>);

    impl HandClock {
        fn at(t: u64) -> Arc<Self> {
            Arc::new(Self(Mutex::new(
                SystemTime::UNIX_EPOCH + Duration::from_secs(t),
            )))
        }
        fn set(&self, t: u64) {
            *self.0.lock().unwrap() = SystemTime::UNIX_EPOCH + Duration::from_secs(t);
        }
    }

    impl Clock for HandClock {
        fn now(&self) -> SystemTime {
            *self.0.lock().unwrap()
        }
        fn sleep(&self, _: Duration) -> Sleep {
            Box::pin(std::future::ready(()))
        }
    }

    /// Hands out `AKID<n>` expiring at `expiry` on fetch n, failing while `fail` is set, and
    /// counting fetches; each fetch takes a few milliseconds so callers pile up behind it.
    struct Source {
        fetches: Arc<AtomicU32>,
        fail: Arc<std::sync::atomic::AtomicBool>,
        expiry: u64,
    }

    impl ProvideCredentials for Source {
        fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
            Box::pin(async move {
                tokio::time::sleep(Duration::from_millis(20)).await;
                let n = self.fetches.fetch_add(1, Ordering::SeqCst) + 1;
                if self.fail.load(Ordering::SeqCst) {
                    return Err(CredentialsError::Fetch {
                        origin: "test source".into(),
                        message: "down".into(),
                    });
                }
                let creds = Credentials::new(format!("AKID{n}"), "key")?.with_expiry(
                    SystemTime::UNIX_EPOCH + Duration::from_secs(self.expiry + u64::from(n)),
                );
                Ok(creds)
            })
        }
    }

    fn cache(expiry: u64, clock: &Arc<HandClock>) -> (CredentialsCache, Source) {
        let source = Source {
            fetches: Arc::default(),
            fail: Arc::default(),
            expiry,
        };
        let handle = Source {
            fetches: source.fetches.clone(),
            fail: source.fail.clone(),
            expiry,
        };
        let cache = CredentialsCache::new(source, "test source")
            .refresh_margin(Duration::from_secs(60))
            .clock(clock.clone());
        (cache, handle)
    }

    #[tokio::test]
    async fn cached_until_the_margin_then_refreshed_once_for_a_hundred_waiting_calls() {
        let clock = HandClock::at(1_000);
        let (cache, source) = cache(2_000, &clock);
        assert_eq!(cache.get().await.unwrap().secret_id(), "AKID1");
        clock.set(1_900);
        assert_eq!(cache.get().await.unwrap().secret_id(), "AKID1");
        assert_eq!(source.fetches.load(Ordering::SeqCst), 1);
        // 60 s margin: at 1,950 the credentials expiring at 2,001 are refreshed.
        clock.set(1_950);
        let calls = (0..100).map(|_| {
            let cache = cache.clone();
            tokio::spawn(async move { cache.get().await })
        });
        for call in calls.collect::<Vec<_>>() {
            assert_eq!(call.await.unwrap().unwrap().secret_id(), "AKID2");
        }
        assert_eq!(source.fetches.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_failed_refresh_keeps_valid_credentials_then_reports_expiry() {
        let clock = HandClock::at(1_000);
        let (cache, source) = cache(2_000, &clock);
        cache.get().await.unwrap();
        source.fail.store(true, Ordering::SeqCst);
        clock.set(1_990);
        assert_eq!(cache.get().await.unwrap().secret_id(), "AKID1");
        // Paused after the failure: the next calls do not ask the broken source again.
        assert_eq!(cache.get().await.unwrap().secret_id(), "AKID1");
        assert_eq!(source.fetches.load(Ordering::SeqCst), 2);
        clock.set(2_001);
        let error = cache.get().await.unwrap_err();
        assert_eq!(
            error.to_string(),
            "credentials from test source expired at 2001 (Unix time) and refreshing them \
             failed: test source: down"
        );
        source.fail.store(false, Ordering::SeqCst);
        assert_eq!(cache.get().await.unwrap().secret_id(), "AKID4");
    }

    #[tokio::test]
    async fn callers_waiting_on_a_failed_first_fetch_share_its_error() {
        let clock = HandClock::at(1_000);
        let (cache, source) = cache(2_000, &clock);
        source.fail.store(true, Ordering::SeqCst);
        let calls: Vec<_> = (0..20)
            .map(|_| {
                let cache = cache.clone();
                tokio::spawn(async move { cache.get().await })
            })
            .collect();
        for call in calls {
            assert!(matches!(
                call.await.unwrap(),
                Err(CredentialsError::Fetch { .. })
            ));
        }
        assert_eq!(source.fetches.load(Ordering::SeqCst), 1);
    }
}
