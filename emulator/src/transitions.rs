//! Resources that change state over time, as Tencent Cloud's do: an instance launched by
//! `RunInstances` is `PENDING` for a while before it is `RUNNING` (or `LAUNCH_FAILED`), one
//! stopped or started is `STOPPING` or `STARTING` first. The world settles every change that
//! is due whenever it is looked at, so state read back is always as of now.

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::resources::{Instance, InstanceState, Transition};

/// How long changes of state take, and which launches fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Transitions {
    /// How long a launched instance stays `PENDING`, in milliseconds.
    #[serde(default = "default_ms")]
    pub launch_ms: u64,
    /// How long an instance stays `STOPPING` or `STARTING`, in milliseconds.
    #[serde(default = "default_ms")]
    pub change_ms: u64,
    /// How many of the next instances launched end `LAUNCH_FAILED` instead of `RUNNING`.
    #[serde(default)]
    pub launch_failures: u32,
}

fn default_ms() -> u64 {
    1_000
}

impl Default for Transitions {
    fn default() -> Self {
        Transitions {
            launch_ms: default_ms(),
            change_ms: default_ms(),
            launch_failures: 0,
        }
    }
}

/// The state an operation ends in, and `LatestOperationState` for it.
pub(crate) const OPERATING: &str = "OPERATING";
const SUCCESS: &str = "SUCCESS";
const FAILED: &str = "FAILED";

/// Starts `operation` on `instance`: it is `now_in` at once, and `to` after `after`.
pub(crate) fn begin(
    instance: &mut Instance,
    operation: &str,
    now_in: InstanceState,
    to: InstanceState,
    after: Duration,
    now: Instant,
) {
    instance.instance_state = now_in;
    instance.latest_operation = Some(operation.to_owned());
    instance.latest_operation_state = Some(OPERATING.to_owned());
    instance.transition = Some(Transition {
        to,
        at: now + after,
    });
}

/// Finishes the change of `instance` if it is due at `now` (every change, with `None`).
/// Returns whether it changed.
pub(crate) fn settle(instance: &mut Instance, now: Option<Instant>) -> bool {
    let Some(transition) = instance.transition else {
        return false;
    };
    if now.is_some_and(|now| transition.at > now) {
        return false;
    }
    instance.instance_state = transition.to;
    instance.latest_operation_state = Some(
        if transition.to == InstanceState::LaunchFailed {
            FAILED
        } else {
            SUCCESS
        }
        .to_owned(),
    );
    instance.transition = None;
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_launch_is_pending_until_its_time_then_running_with_its_operation_succeeded() {
        let start = Instant::now();
        let mut instance = Instance::new("ins-00000001");
        begin(
            &mut instance,
            "RunInstances",
            InstanceState::Pending,
            InstanceState::Running,
            Duration::from_millis(500),
            start,
        );
        assert!(!settle(
            &mut instance,
            Some(start + Duration::from_millis(499))
        ));
        assert_eq!(instance.instance_state, InstanceState::Pending);
        assert_eq!(
            instance.latest_operation_state.as_deref(),
            Some("OPERATING")
        );
        assert!(settle(
            &mut instance,
            Some(start + Duration::from_millis(500))
        ));
        assert_eq!(instance.instance_state, InstanceState::Running);
        assert_eq!(instance.latest_operation.as_deref(), Some("RunInstances"));
        assert_eq!(instance.latest_operation_state.as_deref(), Some("SUCCESS"));
        assert!(!settle(&mut instance, None), "nothing left to settle");
    }

    #[test]
    fn a_failed_launch_says_its_operation_failed_and_settling_all_does_not_wait() {
        let mut instance = Instance::new("ins-00000002");
        begin(
            &mut instance,
            "RunInstances",
            InstanceState::Pending,
            InstanceState::LaunchFailed,
            Duration::from_secs(3600),
            Instant::now(),
        );
        assert!(settle(&mut instance, None));
        assert_eq!(instance.instance_state, InstanceState::LaunchFailed);
        assert_eq!(instance.latest_operation_state.as_deref(), Some("FAILED"));
    }
}
