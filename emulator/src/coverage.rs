//! What the emulator models, over a specs folder: how many actions keep state (by Rust state
//! rules, or by the resource model the specs' naming families give) and how many answer from
//! their documented examples.

use std::collections::BTreeSet;
use std::fmt;
use std::path::Path;

use tencentcloud_spec::resources::Effect;

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
    /// Actions kept by the emulator's Rust state rules (cvm instances, gaap `DestroyProxies`,
    /// STS credentials).
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

/// How one action answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Keeps {
    /// By a Rust state rule.
    Rule,
    /// By the resource model: what it does to which kind (`Vpc create`).
    Resource { resource: String, effect: String },
    /// With its documented example.
    Examples,
}

/// One action of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionCoverage {
    pub service: String,
    pub version: String,
    pub action: String,
    pub keeps: Keeps,
}

impl fmt::Display for ActionCoverage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (how, what) = match &self.keeps {
            Keeps::Rule => ("state", "rule".to_owned()),
            Keeps::Resource { resource, effect } => ("state", format!("{resource} {effect}")),
            Keeps::Examples => ("examples", String::new()),
        };
        write!(
            f,
            "{}\t{}\t{}\t{how}\t{what}",
            self.service, self.version, self.action
        )
    }
}

/// The counts, and how each action answers, in service, version and action order.
#[derive(Debug, Clone, Default)]
pub struct CoverageReport {
    pub counts: Coverage,
    pub actions: Vec<ActionCoverage>,
}

/// How every action of the specs of `dir` answers, with the counts (loading every service
/// version).
pub fn coverage(dir: &Path) -> Result<CoverageReport, BuildError> {
    let specs =
        tencentcloud_spec::load::load_dir(dir).map_err(|diagnostics| BuildError::Specs {
            dir: dir.to_path_buf(),
            diagnostics,
        })?;
    let mut report = CoverageReport::default();
    for loaded in &specs.services {
        let spec = &loaded.spec;
        let service = &spec.metadata.service_short_name;
        let modelled: std::collections::BTreeMap<String, resource_model::ResourceAction> =
            resource_model::compile(spec).into_iter().collect();
        let kinds: BTreeSet<&str> = modelled
            .values()
            .map(|action| action.kind.resource.name.as_str())
            .collect();
        let counts = &mut report.counts;
        counts.service_versions += 1;
        counts.actions += spec.actions.len();
        counts.resources += kinds.len();
        counts.resource_actions += modelled.len();
        for action in spec.actions.keys() {
            let keeps = if StateRule::for_action(service, action).is_some() {
                counts.rule_actions += 1;
                Keeps::Rule
            } else if let Some(modelled) = modelled.get(action) {
                let effect = match &modelled.effect {
                    Effect::Create => "create".to_owned(),
                    Effect::Read => "read".to_owned(),
                    Effect::Get(get) => format!("get by {}", get.ids),
                    Effect::Modify(target) => format!("modify by {}", target.ids),
                    Effect::Delete(target) => format!("delete by {}", target.ids),
                    Effect::Change(target) => format!("change by {}", target.ids),
                };
                Keeps::Resource {
                    resource: modelled.kind.resource.name.clone(),
                    effect,
                }
            } else {
                Keeps::Examples
            };
            report.actions.push(ActionCoverage {
                service: service.clone(),
                version: spec.metadata.api_version.clone(),
                action: action.clone(),
                keeps,
            });
        }
    }
    Ok(report)
}
