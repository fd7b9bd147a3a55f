//! A clock that advances one second per reading and records sleeps without waiting.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use tencentcloud_runtime::clock::{Clock, Jitter, Sleep};

#[derive(Clone, Debug, Default)]
pub struct SteppingClock {
    readings: Arc<AtomicU64>,
    pub sleeps: Arc<Mutex<Vec<Duration>>>,
}

/// 2019-02-25T16:44:25Z, the timestamp of Tencent's signature example.
const START: u64 = 1_551_113_065;

impl SteppingClock {
    pub fn sleeps(&self) -> Vec<Duration> {
        self.sleeps.lock().unwrap().clone()
    }
}

impl Clock for SteppingClock {
    fn now(&self) -> SystemTime {
        let n = self.readings.fetch_add(1, Ordering::SeqCst);
        SystemTime::UNIX_EPOCH + Duration::from_secs(START + n)
    }

    fn sleep(&self, duration: Duration) -> Sleep {
        self.sleeps.lock().unwrap().push(duration);
        Box::pin(async {})
    }
}

/// Always the same jitter fraction.
#[derive(Clone, Copy, Debug)]
pub struct FixedJitter(pub f64);

impl Jitter for FixedJitter {
    fn fraction(&self) -> f64 {
        self.0
    }
}

/// A clock that stands still until slept on: each sleep moves it forward by its duration at
/// once, and is recorded.
#[derive(Clone, Debug, Default)]
pub struct HandClock {
    slept: Arc<Mutex<Vec<Duration>>>,
}

impl HandClock {
    pub fn sleeps(&self) -> Vec<Duration> {
        self.slept.lock().unwrap().clone()
    }
}

impl Clock for HandClock {
    fn now(&self) -> SystemTime {
        let slept: Duration = self.slept.lock().unwrap().iter().sum();
        SystemTime::UNIX_EPOCH + Duration::from_secs(START) + slept
    }

    fn sleep(&self, duration: Duration) -> Sleep {
        self.slept.lock().unwrap().push(duration);
        Box::pin(async {})
    }
}
