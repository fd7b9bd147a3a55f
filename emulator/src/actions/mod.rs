//! The state rules: the only per-action code in the emulator. Everything else an answer depends
//! on (parameters, types, constraints, rate limits, documented codes) comes from the specs.

mod cvm;
mod gaap;
mod resource;
mod sts;

use serde_json::{Map, Value};

use crate::api_error::ApiError;
use crate::catalog::ActionDef;
use crate::keyring::Keyring;
use crate::listing;
use crate::state::World;
use crate::validate::Params;

/// Actions with state rules, resolved once when the specs are compiled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StateRule {
    DescribeInstances,
    RunInstances,
    StartInstances,
    StopInstances,
    RebootInstances,
    TerminateInstances,
    DestroyProxies,
    IssueCredentials,
}

impl StateRule {
    pub fn for_action(service: &str, action: &str) -> Option<StateRule> {
        match (service, action) {
            ("cvm", "DescribeInstances") => Some(StateRule::DescribeInstances),
            ("cvm", "RunInstances") => Some(StateRule::RunInstances),
            ("cvm", "StartInstances") => Some(StateRule::StartInstances),
            ("cvm", "StopInstances") => Some(StateRule::StopInstances),
            ("cvm", "RebootInstances") => Some(StateRule::RebootInstances),
            ("cvm", "TerminateInstances") => Some(StateRule::TerminateInstances),
            ("gaap", "DestroyProxies") => Some(StateRule::DestroyProxies),
            ("sts", "AssumeRole" | "GetFederationToken" | "AssumeRoleWithWebIdentity") => {
                Some(StateRule::IssueCredentials)
            }
            _ => None,
        }
    }
}

/// Whether the emulator keeps state for `action` of `spec`'s service version: its answers then
/// depend on the resources seeded or created before (an unknown id is refused as the service
/// would), not only on the request's shape. Every other action answers with its documented
/// example.
pub fn keeps_state(spec: &tencentcloud_spec::types::ServiceSpec, action: &str) -> bool {
    StateRule::for_action(&spec.metadata.service_short_name, action).is_some()
        || crate::resource_model::compile(spec)
            .iter()
            .any(|(name, _)| name == action)
}

/// The call's common parameters that state rules look at.
pub(crate) struct CallContext<'a> {
    /// `X-TC-Region`, when sent.
    pub region: Option<&'a str>,
    /// A fault has the answer ignore the request's `Offset`, as a broken server would.
    pub ignore_offset: bool,
    /// Where temporary credentials are issued.
    pub keyring: &'a Keyring,
    /// Seconds issued credentials stay valid at most, when limited.
    pub credential_lifetime: Option<u64>,
}

/// What a successful call answers and whether it changed anything.
pub(crate) struct Effect {
    /// `Response` members other than `RequestId`.
    pub response: Map<String, Value>,
    pub changed: bool,
}

impl Effect {
    fn changed(response: Map<String, Value>) -> Self {
        Effect {
            response,
            changed: true,
        }
    }
}

/// How `def` answers: by its Rust state rule, else by the resource model, else with its
/// documented example (paged as the listing of its size, for a paged action).
pub(crate) fn execute(
    def: &ActionDef,
    world: &mut World,
    ctx: &CallContext<'_>,
    params: &Params,
) -> Result<Effect, ApiError> {
    let example_response = &def.example_response;
    match def.state_rule {
        None => match &def.resource {
            Some(resource) => resource::execute(resource, def, world, ctx, params),
            None => {
                dry_run(params)?;
                let mut response = example_response.clone();
                if let Some(paging) = &def.paging {
                    let size = world.listing_sizes.get(&def.name).copied();
                    listing::page(paging, params, size, ctx.ignore_offset, &mut response);
                }
                Ok(Effect {
                    response,
                    changed: false,
                })
            }
        },
        Some(StateRule::DescribeInstances) => Ok(cvm::describe_instances(
            world,
            ctx,
            params,
            example_response,
        )),
        Some(StateRule::RunInstances) => cvm::run_instances(world, ctx, params),
        Some(StateRule::StartInstances) => cvm::change_instances(world, ctx, params, cvm::START),
        Some(StateRule::StopInstances) => cvm::change_instances(world, ctx, params, cvm::STOP),
        Some(StateRule::RebootInstances) => cvm::change_instances(world, ctx, params, cvm::REBOOT),
        Some(StateRule::TerminateInstances) => cvm::terminate_instances(world, ctx, params),
        Some(StateRule::DestroyProxies) => gaap::destroy_proxies(world, params),
        Some(StateRule::IssueCredentials) => Ok(sts::issue(ctx, params)),
    }
}

/// Refuses a request asking only to check (`DryRun`) once its checks have passed, with the
/// common code `DryRunOperation`, as the service answers: nothing is changed.
fn dry_run(params: &Params) -> Result<(), ApiError> {
    if params.bool("DryRun") == Some(true) {
        return Err(ApiError::new(
            "DryRunOperation",
            "The request would have succeeded; DryRun changed nothing.",
        ));
    }
    Ok(())
}

/// `a`, `b`, `c` for messages.
fn id_list<S: AsRef<str>>(ids: &[S]) -> String {
    ids.iter()
        .map(|id| format!("`{}`", id.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}
