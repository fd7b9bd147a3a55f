//! How a wait ended without reaching a success state.

use std::borrow::Cow;
use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

use crate::error::SdkError;

/// A wait that ended without reaching a success state: why, after how many polls and how
/// long, and the last output read (which a failure state or a deadline leaves the caller to
/// act on).
pub struct WaitError<O, E> {
    waiter: Cow<'static, str>,
    kind: WaitErrorKind<E>,
    last: Option<O>,
    polls: u32,
    waited: Duration,
}

/// Why a wait ended without success.
#[derive(Debug)]
#[non_exhaustive]
pub enum WaitErrorKind<E> {
    /// An answer showed a state from which the resource will not reach a success state.
    Failed {
        /// The member and the values that showed it: `InstanceSet.InstanceState is
        /// LAUNCH_FAILED`.
        state: String,
    },
    /// The deadline passed before a success state was seen.
    TimedOut {
        /// The deadline, from the first poll.
        max_wait: Duration,
    },
    /// A poll failed, after the retries its call makes.
    Call(SdkError<E>),
}

impl<O, E> WaitError<O, E> {
    pub(crate) fn new(
        waiter: Cow<'static, str>,
        kind: WaitErrorKind<E>,
        last: Option<O>,
        polls: u32,
        waited: Duration,
    ) -> Self {
        Self {
            waiter,
            kind,
            last,
            polls,
            waited,
        }
    }

    /// Why the wait ended.
    pub fn kind(&self) -> &WaitErrorKind<E> {
        &self.kind
    }

    /// Why the wait ended, taken out of the error (a failed poll's [`SdkError`], for one).
    pub fn into_kind(self) -> WaitErrorKind<E> {
        self.kind
    }

    /// The last output read: the answer that showed a failure state, the last one before the
    /// deadline or before a poll failed; `None` when no poll was answered.
    pub fn last_output(&self) -> Option<&O> {
        self.last.as_ref()
    }

    /// The last output read, taken out of the error.
    pub fn into_last_output(self) -> Option<O> {
        self.last
    }

    /// How many polls were made (a poll's own retries are not counted).
    pub fn polls(&self) -> u32 {
        self.polls
    }

    /// How long the wait lasted, from the first poll to the last answer.
    pub fn waited(&self) -> Duration {
        self.waited
    }
}

impl<O, E: fmt::Display> fmt::Display for WaitError<O, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (polls, waited) = (self.polls, self.waited.as_secs_f64());
        let polls_word = if polls == 1 { "poll" } else { "polls" };
        write!(f, "waiting until {}: ", self.waiter)?;
        match &self.kind {
            WaitErrorKind::Failed { state } => write!(
                f,
                "a failure state was reached ({state}) after {polls} {polls_word} in {waited:.1} s"
            ),
            WaitErrorKind::TimedOut { max_wait } => write!(
                f,
                "not reached within {:.1} s ({polls} {polls_word}); the last answer is kept",
                max_wait.as_secs_f64()
            ),
            WaitErrorKind::Call(error) => {
                write!(f, "poll {polls} failed after {waited:.1} s: {error}")
            }
        }
    }
}

impl<O: fmt::Debug, E: fmt::Debug> fmt::Debug for WaitError<O, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WaitError")
            .field("waiter", &self.waiter)
            .field("kind", &self.kind)
            .field("polls", &self.polls)
            .field("waited", &self.waited)
            .field("last", &self.last)
            .finish()
    }
}

impl<O: fmt::Debug, E: StdError + 'static> StdError for WaitError<O, E> {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match &self.kind {
            WaitErrorKind::Call(error) => Some(error),
            _ => None,
        }
    }
}
