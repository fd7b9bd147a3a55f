//! Per-action request rate limits from the specs' `rateLimit` (requests per second), enforced as a
//! token bucket per action and secret id, as Tencent counts them. Load tests turn them off or
//! override single actions.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, RwLock};
use std::time::Instant;

struct Bucket {
    tokens: f64,
    last: Instant,
}

pub(crate) struct RateLimiter {
    enabled: AtomicBool,
    /// Action name → requests per second; 0 means unlimited.
    overrides: RwLock<HashMap<String, u32>>,
    buckets: Mutex<HashMap<String, Bucket>>,
}

impl RateLimiter {
    pub fn new(enabled: bool) -> Self {
        RateLimiter {
            enabled: AtomicBool::new(enabled),
            overrides: RwLock::new(HashMap::new()),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    pub fn set_enabled(&self, enabled: bool) {
        self.enabled.store(enabled, Ordering::Relaxed);
    }

    pub fn is_enabled(&self) -> bool {
        self.enabled.load(Ordering::Relaxed)
    }

    pub fn set_override(&self, action: &str, per_second: Option<u32>) {
        if let Ok(mut overrides) = self.overrides.write() {
            match per_second {
                Some(n) => overrides.insert(action.to_string(), n),
                None => overrides.remove(action),
            };
        }
    }

    /// Takes one token for this call; `false` when the caller is over the limit.
    pub fn allow(&self, service: &str, action: &str, secret_id: &str, documented: u32) -> bool {
        if !self.is_enabled() {
            return true;
        }
        let limit = self
            .overrides
            .read()
            .ok()
            .and_then(|o| o.get(action).copied())
            .unwrap_or(documented);
        if limit == 0 {
            return true;
        }
        let limit = f64::from(limit);
        let now = Instant::now();
        let Ok(mut buckets) = self.buckets.lock() else {
            return true;
        };
        let bucket = buckets
            .entry(format!("{service}.{action}\n{secret_id}"))
            .or_insert(Bucket {
                tokens: limit,
                last: now,
            });
        let refill = now.duration_since(bucket.last).as_secs_f64() * limit;
        bucket.tokens = (bucket.tokens + refill).min(limit);
        bucket.last = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            true
        } else {
            false
        }
    }

    pub fn reset(&self) {
        if let Ok(mut buckets) = self.buckets.lock() {
            buckets.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_beyond_the_limit_is_refused_per_secret_id() {
        let limiter = RateLimiter::new(true);
        let allowed = (0..30)
            .filter(|_| limiter.allow("gaap", "DestroyProxies", "AKID1", 20))
            .count();
        assert_eq!(allowed, 20);
        assert!(limiter.allow("gaap", "DestroyProxies", "AKID2", 20));
    }

    #[test]
    fn overrides_and_disabling_lift_the_limit() {
        let limiter = RateLimiter::new(true);
        limiter.set_override("DestroyProxies", Some(0));
        assert!((0..100).all(|_| limiter.allow("gaap", "DestroyProxies", "A", 20)));
        limiter.set_override("DestroyProxies", Some(1));
        limiter.reset();
        assert!(limiter.allow("gaap", "DestroyProxies", "A", 20));
        assert!(!limiter.allow("gaap", "DestroyProxies", "A", 20));
        limiter.set_enabled(false);
        assert!(limiter.allow("gaap", "DestroyProxies", "A", 20));
    }
}
