//! What the emulator models, over a specs folder: how many actions keep state (by Rust state
//! rules, or by the resource model the specs' naming families give) and how many answer from
//! their documented examples.

use std::collections::BTreeSet;
use std::fmt;
use std::path::Path;

use crate::actions::StateRule;
use crate::emulator::BuildError;
use crate::resource_model;

/// The counts, over every service version of a specs folder.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Coverage {
    pub service_versions: usize,
    pub actions: usize,
    /// Kinds of resource kept as data (`Vpc`, `Subnet`, `Disk`, …).
    pub resources: usize,
    /// Actions creating, reading, changing or deleting those resources.
    pub resource_actions: usize,
    /// Actions kept by the emulator's Rust state rules (cvm instances, gaap proxies, vpc VPN
    /// connections).
    pub rule_actions: usize,
}

impl Coverage {
    /// Actions keeping state, either way.
    pub fn stateful(&self) -> usize {
        self.resource_actions + self.rule_actions
    }

    /// Actions answering from their documented examples.
    pub fn from_examples(&self) -> usize {
        self.actions - self.stateful()
    }
}

impl fmt::Display for Coverage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} service versions, {} actions: {} keep state ({} on {} resources modelled as data, \
             {} by state rules), {} answer from their examples",
            self.service_versions,
            self.actions,
            self.stateful(),
            self.resource_actions,
            self.resources,
            self.rule_actions,
            self.from_examples()
        )
    }
}

/// Counts what the emulator models in the specs of `dir` (loading every service version).
pub fn coverage(dir: &Path) -> Result<Coverage, BuildError> {
    let specs =
        tencentcloud_spec::load::load_dir(dir).map_err(|diagnostics| BuildError::Specs {
            dir: dir.to_path_buf(),
            diagnostics,
        })?;
    let mut coverage = Coverage::default();
    for loaded in &specs.services {
        let spec = &loaded.spec;
        let service = &spec.metadata.service_short_name;
        let modelled = resource_model::compile(spec);
        let kinds: BTreeSet<&str> = modelled
            .iter()
            .map(|(_, action)| action.kind.resource.name.as_str())
            .collect();
        coverage.service_versions += 1;
        coverage.actions += spec.actions.len();
        coverage.resources += kinds.len();
        coverage.resource_actions += modelled.len();
        coverage.rule_actions += spec
            .actions
            .keys()
            .filter(|action| StateRule::for_action(service, action).is_some())
            .count();
    }
    Ok(coverage)
}
