//! Fault injection: per action, scripted ("fail the next 2 calls with a reset") or by probability
//! with a seedable RNG so a failing run can be replayed.

use std::collections::{HashMap, VecDeque};
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Action name that matches every action.
pub const ANY_ACTION: &str = "*";

/// What goes wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FaultKind {
    /// Wait this long, then answer normally.
    Delay { millis: u64 },
    /// Answer with this HTTP 5xx status and an HTML body, as a load balancer in front of the API does.
    HttpError { status: u16 },
    /// Close the connection without answering (TCP reset).
    ConnectionReset,
    /// Answer with the API error `InternalError`.
    InternalError,
    /// Answer with the API error `RequestLimitExceeded`.
    RequestLimitExceeded,
    /// A list action's answer ignores the request's `Offset` and gives the first page again,
    /// as a broken server would (cvm `DescribeInstances`).
    IgnoreOffset,
    /// An answer streamed as events pauses this long after `after_events` of them (a service
    /// gone quiet), then goes on. Answers that do not stream are unaffected.
    StallStream { after_events: u32, millis: u64 },
    /// An answer streamed as events breaks off after `after_events` of them, in the middle of
    /// the next, the connection closed. Answers that do not stream are unaffected.
    CutStream { after_events: u32 },
    /// Answer with this `Response` (its `RequestId` added), whatever the action's state or
    /// examples would say: a scripted answer, drifted from the documented shape if a test wants.
    Answer { output: Map<String, Value> },
    /// Answer with this API error.
    Error { code: String, message: String },
}

/// A fault and when it strikes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fault {
    #[serde(flatten)]
    pub kind: FaultKind,
    /// `false` (default): the fault replaces the request, which then never acts. `true`: the
    /// request acts first and the fault replaces its answer — a lost response, the case that
    /// idempotency tokens exist for. For a delay, whether it happens before or after acting.
    #[serde(default)]
    pub after_effect: bool,
}

impl Fault {
    fn new(kind: FaultKind) -> Self {
        Fault {
            kind,
            after_effect: false,
        }
    }

    pub fn delay(delay: Duration) -> Self {
        Self::new(FaultKind::Delay {
            millis: u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
        })
    }

    /// An HTTP error; `status` must be 500–599 (checked when the fault is scripted).
    pub fn http_error(status: u16) -> Self {
        Self::new(FaultKind::HttpError { status })
    }

    pub fn connection_reset() -> Self {
        Self::new(FaultKind::ConnectionReset)
    }

    pub fn internal_error() -> Self {
        Self::new(FaultKind::InternalError)
    }

    pub fn request_limit_exceeded() -> Self {
        Self::new(FaultKind::RequestLimitExceeded)
    }

    pub fn ignore_offset() -> Self {
        Self::new(FaultKind::IgnoreOffset)
    }

    pub fn stall_stream(after_events: u32, pause: Duration) -> Self {
        Self::new(FaultKind::StallStream {
            after_events,
            millis: u64::try_from(pause.as_millis()).unwrap_or(u64::MAX),
        })
    }

    pub fn cut_stream(after_events: u32) -> Self {
        Self::new(FaultKind::CutStream { after_events })
    }

    /// Answers with `output` as the `Response` (without `RequestId`).
    pub fn answer(output: Map<String, Value>) -> Self {
        Self::new(FaultKind::Answer { output })
    }

    /// Answers with the API error `code` (`ResourceNotFound.Vpc`) and `message`.
    pub fn error(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(FaultKind::Error {
            code: code.into(),
            message: message.into(),
        })
    }

    /// Let the request act before the fault replaces its answer.
    pub fn after_effect(mut self) -> Self {
        self.after_effect = true;
        self
    }

    fn check(&self) -> Result<(), FaultError> {
        match self.kind {
            FaultKind::HttpError { status } if !(500..=599).contains(&status) => {
                Err(FaultError::NotServerError { status })
            }
            FaultKind::Error { ref code, .. } if !tencentcloud_spec::names::is_error_code(code) => {
                Err(FaultError::MalformedCode { code: code.clone() })
            }
            _ => Ok(()),
        }
    }
}

/// A fault that cannot be scripted.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FaultError {
    #[error("HTTP status {status} is not a server error (500-599)")]
    NotServerError { status: u16 },
    #[error("error code `{code}` is not of the form Word(.Word)*")]
    MalformedCode { code: String },
    #[error("probability {probability} is not between 0 and 1")]
    BadProbability { probability: f64 },
}

pub(crate) struct FaultPlan {
    scripted: HashMap<String, VecDeque<(Fault, u32)>>,
    rated: HashMap<String, Vec<(Fault, f64)>>,
    rng: StdRng,
}

impl FaultPlan {
    pub fn new(seed: u64) -> Self {
        FaultPlan {
            scripted: HashMap::new(),
            rated: HashMap::new(),
            rng: StdRng::seed_from_u64(seed),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.scripted.is_empty() && self.rated.is_empty()
    }

    pub fn script(&mut self, action: &str, fault: Fault, times: u32) -> Result<(), FaultError> {
        fault.check()?;
        if times > 0 {
            self.scripted
                .entry(action.to_string())
                .or_default()
                .push_back((fault, times));
        }
        Ok(())
    }

    pub fn set_rate(
        &mut self,
        action: &str,
        fault: Fault,
        probability: f64,
    ) -> Result<(), FaultError> {
        fault.check()?;
        if !(0.0..=1.0).contains(&probability) {
            return Err(FaultError::BadProbability { probability });
        }
        let rates = self.rated.entry(action.to_string()).or_default();
        rates.retain(|(f, _)| f != &fault);
        if probability > 0.0 {
            rates.push((fault, probability));
        }
        if rates.is_empty() {
            self.rated.remove(action);
        }
        Ok(())
    }

    pub fn reseed(&mut self, seed: u64) {
        self.rng = StdRng::seed_from_u64(seed);
    }

    pub fn clear(&mut self) {
        self.scripted.clear();
        self.rated.clear();
    }

    /// The fault for this call of `action`, consuming one scripted use.
    pub fn next(&mut self, action: &str) -> Option<Fault> {
        for key in [action, ANY_ACTION] {
            if let Some(queue) = self.scripted.get_mut(key)
                && let Some((fault, left)) = queue.front_mut()
            {
                let fault = fault.clone();
                *left -= 1;
                if *left == 0 {
                    queue.pop_front();
                }
                if queue.is_empty() {
                    self.scripted.remove(key);
                }
                return Some(fault);
            }
        }
        for key in [action, ANY_ACTION] {
            if let Some(rates) = self.rated.get(key) {
                for (fault, probability) in rates {
                    if self.rng.gen_bool(*probability) {
                        return Some(fault.clone());
                    }
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripted_faults_run_out_after_their_count() {
        let mut plan = FaultPlan::new(1);
        plan.script("DestroyProxies", Fault::connection_reset(), 2)
            .unwrap();
        assert_eq!(plan.next("DestroyProxies"), Some(Fault::connection_reset()));
        assert_eq!(plan.next("TerminateInstances"), None);
        assert_eq!(plan.next("DestroyProxies"), Some(Fault::connection_reset()));
        assert_eq!(plan.next("DestroyProxies"), None);
        assert!(plan.is_empty());
    }

    #[test]
    fn the_same_seed_injects_the_same_faults() {
        let run = |seed| {
            let mut plan = FaultPlan::new(seed);
            plan.set_rate(ANY_ACTION, Fault::internal_error(), 0.5)
                .unwrap();
            (0..64)
                .map(|_| plan.next("X").is_some())
                .collect::<Vec<_>>()
        };
        assert_eq!(run(7), run(7));
        assert!(run(7).contains(&true) && run(7).contains(&false));
    }

    #[test]
    fn non_5xx_statuses_and_bad_probabilities_are_refused() {
        let mut plan = FaultPlan::new(1);
        assert!(plan.script("X", Fault::http_error(404), 1).is_err());
        assert!(plan.set_rate("X", Fault::internal_error(), 1.5).is_err());
    }
}
