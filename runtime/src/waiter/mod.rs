//! Waiting for a resource to reach a state: a read polled, with backoff and jitter, until what
//! it answers says the wait is over or a deadline passes. [`Waiter::poll`] waits on any read
//! with conditions written in Rust; the generated `wait_until_*` methods wait on the states
//! Tencent Cloud documents for an action.

mod acceptor;
mod error;

use std::borrow::Cow;
use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

pub use acceptor::{Acceptor, Expected, Test};
pub use error::{WaitError, WaitErrorKind};

use crate::clock::{Clock, Jitter, RandomJitter, SystemClock};
use crate::error::SdkError;

/// A waiter's documented states and timing, as its generated code describes it.
#[derive(Debug, Clone, Copy)]
pub struct WaiterSpec {
    /// What is waited for, in words: `instance running`.
    pub name: &'static str,
    /// States that, all holding, end the wait with success.
    pub success: &'static [Acceptor],
    /// States that end the wait with an error: the resource will not reach a success state.
    pub failure: &'static [Acceptor],
    /// The first delay between polls, and the least one.
    pub min_delay: Duration,
    /// The longest delay between polls.
    pub max_delay: Duration,
    /// How long to wait at most, unless [`Waiter::max_wait`] says otherwise.
    pub max_wait: Duration,
}

/// One poll's answer: the output, and the answer's `Response` object when the waiter has
/// documented states to look for in it.
pub(crate) struct Polled<O> {
    pub(crate) output: O,
    pub(crate) response: Option<Value>,
}

type PollFuture<O, E> = Pin<Box<dyn Future<Output = Result<Polled<O>, SdkError<E>>> + Send>>;
type Predicate<O> = Box<dyn Fn(&O) -> bool + Send + Sync>;

/// A condition on what a poll answered.
enum Condition<O> {
    /// Written in Rust by the user, named for messages.
    Output(Cow<'static, str>, Predicate<O>),
    /// Documented, read from the answer's JSON.
    Documented(&'static Acceptor),
}

impl<O> Condition<O> {
    /// What made the condition hold, in words, when it holds.
    fn holds(&self, polled: &Polled<O>) -> Option<String> {
        match self {
            Condition::Output(name, test) => test(&polled.output).then(|| name.to_string()),
            Condition::Documented(acceptor) => {
                polled.response.as_ref().and_then(|r| acceptor.holds(r))
            }
        }
    }
}

/// Polls a read until its answer says the wait is over; `.await` it (or call
/// [`wait`](Self::wait)) for the last output.
///
/// Each poll is one call, with the client's retries and timeouts (a poll's own retries do not
/// count as polls). Between polls the waiter sleeps a delay that starts at the minimum and
/// doubles up to the maximum, each a random fraction of the way between the minimum and that
/// bound (jitter, so many waiters do not poll in step), and never past the deadline: the last
/// poll is made at the deadline. An answer is a success when every success condition holds for
/// it, a failure when any failure condition does (looked for first). The wait ends with:
/// - `Ok(output)`: a success, with the answer that showed it;
/// - [`WaitErrorKind::Failed`]: a failure state; the error keeps that answer;
/// - [`WaitErrorKind::TimedOut`]: the deadline passed; the error keeps the last answer;
/// - [`WaitErrorKind::Call`]: a poll failed (after its own retries); the error keeps the last
///   answer read before it.
#[must_use = "a waiter polls only when awaited"]
pub struct Waiter<O, E> {
    name: Cow<'static, str>,
    poll: Box<dyn FnMut() -> PollFuture<O, E> + Send>,
    success: Vec<Condition<O>>,
    failure: Vec<Condition<O>>,
    min_delay: Duration,
    max_delay: Duration,
    max_wait: Duration,
    clock: Arc<dyn Clock>,
    jitter: Arc<dyn Jitter>,
}

impl<O, E> fmt::Debug for Waiter<O, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Waiter")
            .field("name", &self.name)
            .field("min_delay", &self.min_delay)
            .field("max_delay", &self.max_delay)
            .field("max_wait", &self.max_wait)
            .finish_non_exhaustive()
    }
}

/// The timing of a waiter made with [`Waiter::poll`], until changed.
const DEFAULT_MIN_DELAY: Duration = Duration::from_secs(2);
const DEFAULT_MAX_DELAY: Duration = Duration::from_secs(30);
const DEFAULT_MAX_WAIT: Duration = Duration::from_secs(600);

impl<O: Send + 'static, E: Send + 'static> Waiter<O, E> {
    /// A waiter on any read: `poll` makes one call (a builder's `send()`), and the wait goes on
    /// until the conditions given by [`until`](Self::until) hold (with none, the first answer
    /// ends it). `name` says what is waited for, in the waiter's errors. Delays of 2 s to 30 s,
    /// at most 10 minutes, the system clock: change them with the methods below.
    ///
    /// ```no_run
    /// # use tencentcloud_runtime::{SdkError, ServiceError, Waiter};
    /// # async fn example(read: impl Fn() -> std::future::Ready<Result<Vec<String>, SdkError<ServiceError>>> + Send + 'static) {
    /// let states = Waiter::poll("every disk attached", read)
    ///     .until("all ATTACHED", |states: &Vec<String>| states.iter().all(|s| s == "ATTACHED"))
    ///     .failing_if("one ROLLBACKING", |states| states.iter().any(|s| s == "ROLLBACKING"))
    ///     .max_wait(std::time::Duration::from_secs(300))
    ///     .await;
    /// # }
    /// ```
    pub fn poll<F, Fut>(name: impl Into<Cow<'static, str>>, mut poll: F) -> Self
    where
        F: FnMut() -> Fut + Send + 'static,
        Fut: Future<Output = Result<O, SdkError<E>>> + Send + 'static,
    {
        let poll = move || -> PollFuture<O, E> {
            let call = poll();
            Box::pin(async move {
                call.await.map(|output| Polled {
                    output,
                    response: None,
                })
            })
        };
        Self::new(
            name.into(),
            Box::new(poll),
            (DEFAULT_MIN_DELAY, DEFAULT_MAX_DELAY, DEFAULT_MAX_WAIT),
            Arc::new(SystemClock),
            Arc::new(RandomJitter),
        )
    }

    pub(crate) fn documented(
        spec: &'static WaiterSpec,
        poll: Box<dyn FnMut() -> PollFuture<O, E> + Send>,
        clock: Arc<dyn Clock>,
        jitter: Arc<dyn Jitter>,
    ) -> Self {
        let mut waiter = Self::new(
            Cow::Borrowed(spec.name),
            poll,
            (spec.min_delay, spec.max_delay, spec.max_wait),
            clock,
            jitter,
        );
        waiter.success = spec.success.iter().map(Condition::Documented).collect();
        waiter.failure = spec.failure.iter().map(Condition::Documented).collect();
        waiter
    }

    fn new(
        name: Cow<'static, str>,
        poll: Box<dyn FnMut() -> PollFuture<O, E> + Send>,
        (min_delay, max_delay, max_wait): (Duration, Duration, Duration),
        clock: Arc<dyn Clock>,
        jitter: Arc<dyn Jitter>,
    ) -> Self {
        Self {
            name,
            poll,
            success: Vec::new(),
            failure: Vec::new(),
            min_delay,
            max_delay,
            max_wait,
            clock,
            jitter,
        }
    }

    /// Ends the wait with success once `condition` holds for an answer; `name` says what it
    /// looks for. With several, all must hold for the same answer.
    pub fn until(
        mut self,
        name: impl Into<Cow<'static, str>>,
        condition: impl Fn(&O) -> bool + Send + Sync + 'static,
    ) -> Self {
        self.success
            .push(Condition::Output(name.into(), Box::new(condition)));
        self
    }

    /// Ends the wait with [`WaitErrorKind::Failed`] once `condition` holds for an answer (a
    /// state the resource will not leave for a success state); `name` says which state.
    pub fn failing_if(
        mut self,
        name: impl Into<Cow<'static, str>>,
        condition: impl Fn(&O) -> bool + Send + Sync + 'static,
    ) -> Self {
        self.failure
            .push(Condition::Output(name.into(), Box::new(condition)));
        self
    }

    /// The first and least delay between polls, and the longest; a maximum below the minimum
    /// is taken as the minimum.
    pub fn delays(mut self, min: Duration, max: Duration) -> Self {
        self.min_delay = min;
        self.max_delay = max.max(min);
        self
    }

    /// How long to wait at most, from the first poll.
    pub fn max_wait(mut self, max_wait: Duration) -> Self {
        self.max_wait = max_wait;
        self
    }

    /// Replaces the clock that times the wait and sleeps between polls (for deterministic
    /// tests); a generated waiter starts with its client's.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Replaces the source of the delays' jitter; a generated waiter starts with its client's.
    pub fn jitter(mut self, jitter: Arc<dyn Jitter>) -> Self {
        self.jitter = jitter;
        self
    }

    /// Polls until the wait is over.
    pub async fn wait(mut self) -> Result<O, WaitError<O, E>> {
        let started = self.clock.now();
        let mut last: Option<O> = None;
        let mut polls = 0u32;
        loop {
            polls += 1;
            let polled = (self.poll)().await;
            let waited = self.clock.now().duration_since(started).unwrap_or_default();
            let end = |kind, last| WaitError::new(self.name.clone(), kind, last, polls, waited);
            let polled = match polled {
                Ok(polled) => polled,
                Err(error) => return Err(end(WaitErrorKind::Call(error), last)),
            };
            if let Some(state) = self.failure.iter().find_map(|c| c.holds(&polled)) {
                return Err(end(WaitErrorKind::Failed { state }, Some(polled.output)));
            }
            if self.success.iter().all(|c| c.holds(&polled).is_some()) {
                return Ok(polled.output);
            }
            last = Some(polled.output);
            let left = self.max_wait.saturating_sub(waited);
            if left.is_zero() {
                let kind = WaitErrorKind::TimedOut {
                    max_wait: self.max_wait,
                };
                return Err(end(kind, last));
            }
            self.clock.sleep(self.delay(polls).min(left)).await;
        }
    }

    /// The delay after the `polls`th poll: up to the minimum doubled `polls - 1` times (at most
    /// the maximum), at least the minimum.
    fn delay(&self, polls: u32) -> Duration {
        let doubled = self
            .min_delay
            .saturating_mul(1u32 << (polls - 1).min(20))
            .min(self.max_delay);
        let spread = doubled.saturating_sub(self.min_delay);
        self.min_delay + spread.mul_f64(self.jitter.fraction().clamp(0.0, 1.0))
    }
}

impl<O: Send + 'static, E: Send + 'static> IntoFuture for Waiter<O, E> {
    type Output = Result<O, WaitError<O, E>>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.wait())
    }
}
