//! The retry budget: a token bucket per service (each service has its own endpoint), so an
//! outage of one service stops its retries without starving another's, even when every
//! service goes through one endpoint override.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

/// Token-bucket retry budget (the AWS SDK's standard mode): retries spend tokens, successes
/// return them, and an empty bucket stops retries while a service is down.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BudgetConfig {
    /// Tokens in a full bucket.
    pub capacity: u32,
    /// Tokens a retry after an error costs.
    pub retry_cost: u32,
    /// Tokens a retry after a timeout or connection failure costs.
    pub timeout_retry_cost: u32,
    /// Tokens a success at the first attempt returns.
    pub success_refund: u32,
}

impl Default for BudgetConfig {
    fn default() -> Self {
        Self {
            capacity: 500,
            retry_cost: 5,
            timeout_retry_cost: 10,
            success_refund: 1,
        }
    }
}

/// Why a retry is wanted, which decides its cost in the budget.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryReason {
    /// A retryable error answer (throttling, server fault, HTTP 5xx/429).
    Error,
    /// A timeout or a connection failure.
    Transient,
}

/// The retry budget of one service endpoint.
#[derive(Debug)]
pub struct TokenBucket {
    config: Option<BudgetConfig>,
    /// A counter guarding nothing else, so relaxed atomics suffice: every call of a service
    /// touches it, from every worker thread.
    tokens: AtomicU32,
}

impl TokenBucket {
    /// A full bucket; `None` means an unlimited budget.
    pub fn new(config: Option<BudgetConfig>) -> Self {
        Self {
            tokens: AtomicU32::new(config.map_or(0, |c| c.capacity)),
            config,
        }
    }

    /// Takes the cost of one retry; `None` when the bucket cannot pay, so the retry must not
    /// happen. Returns the tokens taken.
    pub fn acquire(&self, reason: RetryReason) -> Option<u32> {
        let Some(config) = self.config else {
            return Some(0);
        };
        let cost = match reason {
            RetryReason::Error => config.retry_cost,
            RetryReason::Transient => config.timeout_retry_cost,
        };
        self.tokens
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |tokens| {
                tokens.checked_sub(cost)
            })
            .ok()
            .map(|_| cost)
    }

    /// Records a successful operation: a first-attempt success adds the small refund, a success
    /// after retries returns what those retries took.
    pub fn on_success(&self, retry_tokens_spent: u32) {
        let Some(config) = self.config else {
            return;
        };
        let refund = if retry_tokens_spent == 0 {
            config.success_refund
        } else {
            retry_tokens_spent
        };
        // A full bucket, the usual case, is only read: no write for the cores to pass around.
        if self.tokens.load(Ordering::Relaxed) >= config.capacity {
            return;
        }
        let _ = self
            .tokens
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |tokens| {
                Some(tokens.saturating_add(refund).min(config.capacity))
            });
    }

    /// Tokens currently available (the capacity for an unlimited budget is not tracked: 0).
    pub fn available(&self) -> u32 {
        self.tokens.load(Ordering::Relaxed)
    }
}

/// More distinct services than the catalog has; beyond this, services share one bucket so the
/// map cannot grow without bound.
const MAX_BUCKETS: usize = 1024;

/// The buckets of one [`Config`](crate::Config), one per service, created on first use.
#[derive(Debug)]
pub(crate) struct RetryBudgets {
    config: Option<BudgetConfig>,
    buckets: Mutex<HashMap<String, Arc<TokenBucket>>>,
    overflow: Arc<TokenBucket>,
}

impl RetryBudgets {
    pub(crate) fn new(config: Option<BudgetConfig>) -> Self {
        Self {
            config,
            buckets: Mutex::new(HashMap::new()),
            overflow: Arc::new(TokenBucket::new(config)),
        }
    }

    /// The bucket of `service`.
    pub(crate) fn for_service(&self, service: &str) -> Arc<TokenBucket> {
        let mut buckets = lock(&self.buckets);
        if let Some(bucket) = buckets.get(service) {
            return Arc::clone(bucket);
        }
        if buckets.len() >= MAX_BUCKETS {
            return Arc::clone(&self.overflow);
        }
        let bucket = Arc::new(TokenBucket::new(self.config));
        buckets.insert(service.to_owned(), Arc::clone(&bucket));
        bucket
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // The guarded values stay consistent even if a holder panicked: every update is one store.
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_bucket_runs_dry_then_refills_on_success() {
        let bucket = TokenBucket::new(Some(BudgetConfig {
            capacity: 12,
            retry_cost: 5,
            timeout_retry_cost: 10,
            success_refund: 1,
        }));
        assert_eq!(bucket.acquire(RetryReason::Error), Some(5));
        assert_eq!(bucket.acquire(RetryReason::Error), Some(5));
        assert_eq!(bucket.available(), 2);
        assert_eq!(bucket.acquire(RetryReason::Error), None);
        assert_eq!(bucket.acquire(RetryReason::Transient), None);
        bucket.on_success(5);
        assert_eq!(bucket.available(), 7);
        bucket.on_success(0);
        assert_eq!(bucket.available(), 8);
        assert_eq!(bucket.acquire(RetryReason::Transient), None);
        bucket.on_success(100);
        assert_eq!(bucket.available(), 12, "never above capacity");
    }

    #[test]
    fn unlimited_budget_never_refuses() {
        let bucket = TokenBucket::new(None);
        for _ in 0..10_000 {
            assert_eq!(bucket.acquire(RetryReason::Transient), Some(0));
        }
    }

    #[test]
    fn each_service_spends_its_own_budget() {
        let budgets = RetryBudgets::new(Some(BudgetConfig {
            capacity: 10,
            ..BudgetConfig::default()
        }));
        let cvm = budgets.for_service("cvm");
        assert_eq!(cvm.acquire(RetryReason::Transient), Some(10));
        assert_eq!(
            budgets.for_service("cvm").acquire(RetryReason::Error),
            None,
            "the same service shares its bucket"
        );
        assert_eq!(
            budgets.for_service("gaap").acquire(RetryReason::Transient),
            Some(10),
            "another service still has its own"
        );
    }

    #[test]
    fn services_beyond_the_cap_share_one_bucket_instead_of_growing_the_map() {
        let budgets = RetryBudgets::new(Some(BudgetConfig::default()));
        for n in 0..MAX_BUCKETS + 50 {
            budgets.for_service(&format!("svc{n}"));
        }
        assert_eq!(lock(&budgets.buckets).len(), MAX_BUCKETS);
        let a = budgets.for_service("late-a");
        let b = budgets.for_service("late-b");
        assert!(Arc::ptr_eq(&a, &b));
    }
}
