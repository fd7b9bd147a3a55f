//! The specs compiled into the lookup tables the request path needs: actions by service, name and
//! version, and request shapes with member types resolved to indices, so that serving a request
//! never searches or clones spec strings.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use serde_json::{Map, Value};
use tencentcloud_spec::index::SpecIndex;
use tencentcloud_spec::types::{
    Charset, Constraints, ErrorCode, GroupConstraint, MemberKind, Paging, ServiceSpec,
};

use crate::BuildError;
use crate::actions::StateRule;
use crate::resource_model::{self, ResourceAction};
use crate::synthesize;

/// The request parameter with which a streaming action asks for a stream.
const STREAM_SWITCH: &str = "Stream";

/// Scalar or structure type of a member (of its elements, for lists).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ElementType {
    String,
    Int64,
    Uint64,
    Bool,
    Float,
    /// Index into [`Shapes::objects`].
    Object(usize),
}

#[derive(Debug)]
pub(crate) struct MemberShape {
    pub name: String,
    pub kind: MemberKind,
    pub element: ElementType,
    pub required: bool,
    pub constraints: Constraints,
    pub ascii_only: bool,
}

#[derive(Debug)]
pub(crate) struct ObjectShape {
    pub members: Vec<MemberShape>,
}

impl ObjectShape {
    pub fn member(&self, name: &str) -> Option<&MemberShape> {
        self.members.iter().find(|m| m.name == name)
    }
}

/// All structures of one service version.
#[derive(Debug)]
pub(crate) struct Shapes {
    pub objects: Vec<ObjectShape>,
}

#[derive(Debug)]
pub(crate) struct ActionDef {
    pub service: String,
    pub name: String,
    pub region_required: bool,
    pub rate_limit: Option<u32>,
    pub shapes: Arc<Shapes>,
    pub request: usize,
    pub group_constraints: Vec<GroupConstraint>,
    /// Name of the idempotency token member (`ClientToken`), when the action has one.
    pub idempotency_token: Option<String>,
    pub documented_errors: HashSet<String>,
    /// Chinese descriptions of the service version's codes (`documentZh`), by code.
    pub errors_zh: Arc<HashMap<String, String>>,
    /// The `Response` object of the first documented example without its `RequestId`, with the
    /// members of the output shape it leaves out or misrepresents built from the shape (all of
    /// them for an action documenting no example): the answer of actions the emulator keeps no
    /// state for.
    pub example_response: Map<String, Value>,
    pub state_rule: Option<StateRule>,
    /// How the action answers when asked to stream; `None` for an action that never streams.
    pub streaming: Option<Streaming>,
    /// How the action pages, when it does.
    pub paging: Option<Paging>,
    /// What the action does to a resource the emulator models as data, when it does.
    pub resource: Option<ResourceAction>,
}

/// How a streaming action answers with events.
#[derive(Debug)]
pub(crate) struct Streaming {
    /// The request asks for a stream with a boolean `Stream`; without one, the action streams
    /// whenever it has documented events.
    pub switch: bool,
    /// The data of each event the reference pages show; empty when none is documented (the
    /// example answer is then the one event).
    pub events: Vec<Value>,
}

impl ActionDef {
    pub fn documents(&self, code: &str) -> bool {
        self.documented_errors.contains(code)
    }

    /// Whether the action answers from the state the emulator keeps.
    pub fn keeps_state(&self) -> bool {
        self.state_rule.is_some() || self.resource.is_some()
    }
}

struct ServiceVersion {
    version: String,
    actions: HashMap<String, Arc<ActionDef>>,
}

/// Outcome of resolving `(service, action, version)`.
pub(crate) enum Resolved<'a> {
    Action(&'a Arc<ActionDef>),
    UnknownService,
    UnknownAction,
    UnknownVersion {
        supported: Vec<&'a str>,
    },
    /// The service is in the specs folder, but its specs failed to load: the problems found.
    Unloadable {
        problems: &'a str,
    },
}

/// A service and version as loaded, for reporting what the emulator serves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServedService {
    /// Service short name (`cvm`).
    pub service: String,
    /// API version (`2017-03-12`).
    pub version: String,
    /// Action names, sorted.
    pub actions: Vec<String>,
}

/// The services of a specs folder, each compiled on its first call: start-up reads only the
/// folder's listing and `common.json`, and memory grows with the services called, up to the
/// folder's size.
pub(crate) struct Catalog {
    index: SpecIndex,
    /// Every service of the folder; the map never changes after start-up, so each service is
    /// compiled at most once and stays.
    services: HashMap<String, OnceLock<Result<Vec<ServiceVersion>, String>>>,
    /// Chinese descriptions of the common codes, by code.
    common_zh: HashMap<String, String>,
    /// Which services offer each action, in which versions, over the whole folder: read on
    /// first need (an action named without its service, or under the wrong one).
    directory: OnceLock<ActionDirectory>,
}

/// Action name → the `(service, version)` pairs offering it.
type ActionDirectory = HashMap<String, Vec<(String, String)>>;

impl Catalog {
    pub fn open(index: SpecIndex) -> Catalog {
        let services = index
            .services()
            .map(|service| (service.to_owned(), OnceLock::new()))
            .collect();
        Catalog {
            common_zh: chinese_documents(&index.common().errors),
            services,
            index,
            directory: OnceLock::new(),
        }
    }

    /// The versions of `service`, compiled on first use; `Ok(None)` for a service the folder
    /// does not hold.
    fn versions(&self, service: &str) -> Result<Option<&[ServiceVersion]>, &str> {
        let Some(cell) = self.services.get(service) else {
            return Ok(None);
        };
        cell.get_or_init(|| compile_from(&self.index, service))
            .as_deref()
            .map(Some)
            .map_err(String::as_str)
    }

    pub fn resolve(&self, service: &str, action: &str, version: &str) -> Resolved<'_> {
        let versions = match self.versions(service) {
            Ok(Some(versions)) => versions,
            Ok(None) => return Resolved::UnknownService,
            Err(problems) => return Resolved::Unloadable { problems },
        };
        let mut supported = Vec::new();
        for candidate in versions {
            if let Some(def) = candidate.actions.get(action) {
                if candidate.version == version {
                    return Resolved::Action(def);
                }
                supported.push(candidate.version.as_str());
            }
        }
        if supported.is_empty() {
            Resolved::UnknownAction
        } else {
            Resolved::UnknownVersion { supported }
        }
    }

    pub fn serves(&self, service: &str) -> bool {
        self.services.contains_key(service)
    }

    /// The Chinese description of `code`: the service version's (of `def`), else the common one.
    pub fn chinese_document<'a>(
        &'a self,
        def: Option<&'a ActionDef>,
        code: &str,
    ) -> Option<&'a str> {
        def.and_then(|def| def.errors_zh.get(code))
            .or_else(|| self.common_zh.get(code))
            .map(String::as_str)
    }

    /// The folder served, with how many of its services have been called and so compiled.
    pub fn specs_folder(&self) -> SpecsFolder {
        SpecsFolder {
            dir: self.index.dir().to_path_buf(),
            services: self.services.len(),
            versions: self
                .services
                .keys()
                .map(|s| self.index.version_count(s))
                .sum(),
            compiled: self.services.values().filter(|c| c.get().is_some()).count(),
        }
    }

    fn directory(&self) -> &ActionDirectory {
        self.directory.get_or_init(|| {
            let started = Instant::now();
            let mut directory = ActionDirectory::new();
            for service in self.index.services() {
                for (version, actions) in self.index.action_names(service) {
                    for action in actions {
                        directory
                            .entry(action)
                            .or_default()
                            .push((service.to_owned(), version.clone()));
                    }
                }
            }
            tracing::info!(
                actions = directory.len(),
                millis = started.elapsed().as_millis() as u64,
                "action directory read"
            );
            directory
        })
    }

    /// The service offering `action` in `version`, when exactly one does.
    pub fn only_service_with(&self, action: &str, version: &str) -> Option<&str> {
        let mut offering = self
            .directory()
            .get(action)?
            .iter()
            .filter(|(_, v)| v == version)
            .map(|(service, _)| service.as_str());
        let first = offering.next()?;
        offering.all(|other| other == first).then_some(first)
    }

    /// Services other than `except` that offer `action`, sorted.
    pub fn services_with_action(&self, action: &str, except: &str) -> Vec<&str> {
        let mut services: Vec<&str> = self
            .directory()
            .get(action)
            .into_iter()
            .flatten()
            .map(|(service, _)| service.as_str())
            .filter(|s| *s != except)
            .collect();
        services.dedup();
        services
    }

    /// The services called so far, compiled.
    pub fn served(&self) -> Vec<ServedService> {
        let mut out: Vec<ServedService> = self
            .services
            .iter()
            .filter_map(|(service, cell)| Some((service, cell.get()?.as_ref().ok()?)))
            .flat_map(|(service, versions)| {
                versions.iter().map(move |v| {
                    let mut actions: Vec<String> = v.actions.keys().cloned().collect();
                    actions.sort();
                    ServedService {
                        service: service.clone(),
                        version: v.version.clone(),
                        actions,
                    }
                })
            })
            .collect();
        out.sort_by(|a, b| (&a.service, &a.version).cmp(&(&b.service, &b.version)));
        out
    }
}

/// Loads and compiles `service`, or says why not. Runs on the calling worker thread (a service
/// takes milliseconds to a few hundred for the largest); calls for the same service meanwhile
/// wait for it.
fn compile_from(index: &SpecIndex, service: &str) -> Result<Vec<ServiceVersion>, String> {
    let started = Instant::now();
    let loaded = index.load(service).map_err(|d| d.to_string())?;
    let compiled = loaded
        .iter()
        .map(|l| compile_service(&l.path, &l.spec))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| e.to_string())?;
    tracing::info!(
        service,
        versions = compiled.len(),
        millis = started.elapsed().as_millis() as u64,
        "service compiled"
    );
    Ok(compiled)
}

/// The specs folder an emulator serves (see
/// [`EmulatorBuilder::specs_dir`](crate::EmulatorBuilder::specs_dir)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecsFolder {
    pub dir: PathBuf,
    /// Services it holds.
    pub services: usize,
    /// Versions of those services.
    pub versions: usize,
    /// Of those services, how many have been called and so compiled.
    pub compiled: usize,
}

fn chinese_documents(codes: &[ErrorCode]) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for code in codes {
        if let Some(zh) = &code.document_zh {
            out.entry(code.code.clone()).or_insert_with(|| zh.clone());
        }
    }
    out
}

fn compile_service(path: &str, spec: &ServiceSpec) -> Result<ServiceVersion, BuildError> {
    let index: HashMap<&str, usize> = spec
        .objects
        .keys()
        .enumerate()
        .map(|(i, name)| (name.as_str(), i))
        .collect();
    let mut objects = Vec::with_capacity(spec.objects.len());
    for (object_name, object) in &spec.objects {
        let mut members = Vec::with_capacity(object.members.len());
        for member in &object.members {
            let element =
                element_type(&member.member, &index).ok_or_else(|| BuildError::SpecModel {
                    path: path.to_string(),
                    problem: format!(
                        "objects.{object_name}.{}: unknown member type `{}`",
                        member.name, member.member
                    ),
                })?;
            members.push(MemberShape {
                name: member.name.clone(),
                kind: member.kind,
                element,
                required: member.required,
                ascii_only: member.constraints.charset == Some(Charset::Ascii),
                constraints: member.constraints.clone(),
            });
        }
        objects.push(ObjectShape { members });
    }
    let shapes = Arc::new(Shapes { objects });
    let mut errors_zh = chinese_documents(&spec.errors);
    for action in spec.actions.values() {
        for (code, zh) in chinese_documents(&action.errors) {
            errors_zh.entry(code).or_insert(zh);
        }
    }
    let errors_zh = Arc::new(errors_zh);
    let mut modelled: HashMap<String, ResourceAction> =
        resource_model::compile(spec).into_iter().collect();
    let mut actions = HashMap::with_capacity(spec.actions.len());
    for (name, action) in &spec.actions {
        let request = *index
            .get(action.input.as_str())
            .ok_or_else(|| BuildError::SpecModel {
                path: path.to_string(),
                problem: format!("actions.{name}.input: no object named `{}`", action.input),
            })?;
        let idempotency_token = spec
            .objects
            .get(&action.input)
            .and_then(|o| o.members.iter().find(|m| m.idempotency_token))
            .map(|m| m.name.clone());
        let example = action
            .examples
            .first()
            .and_then(|e| e.response.get("Response"))
            .and_then(Value::as_object);
        let mut example_response = match example {
            Some(example) => {
                synthesize::documented_response(&action.output, &spec.objects, example)
            }
            None => synthesize::response(&action.output, &spec.objects),
        };
        // An answer with an `Error` member is an error to every SDK reader, the official ones
        // failing outright on a null one: an action documenting an optional member of that name
        // (lkeap `GetReconstructDocumentResult`) answers without it when it holds nothing.
        if example_response.get("Error").is_some_and(Value::is_null) {
            example_response.remove("Error");
        }
        // An action no page documents codes for answers with its service version's codes, as
        // the SDK's error type for it decodes them.
        let codes = if action.errors.is_empty() {
            &spec.errors
        } else {
            &action.errors
        };
        actions.insert(
            name.clone(),
            Arc::new(ActionDef {
                service: spec.metadata.service_short_name.clone(),
                name: name.clone(),
                region_required: spec.metadata.region_required,
                rate_limit: action.rate_limit,
                shapes: Arc::clone(&shapes),
                request,
                group_constraints: action.constraints.clone(),
                idempotency_token,
                documented_errors: codes.iter().map(|e| e.code.clone()).collect(),
                errors_zh: Arc::clone(&errors_zh),
                example_response,
                state_rule: StateRule::for_action(&spec.metadata.service_short_name, name),
                streaming: action.streaming.then(|| Streaming {
                    switch: spec.objects.get(&action.input).is_some_and(|input| {
                        input
                            .members
                            .iter()
                            .any(|m| m.name == STREAM_SWITCH && m.kind == MemberKind::Bool)
                    }),
                    events: action.events.clone(),
                }),
                paging: action.paging.clone(),
                resource: modelled.remove(name),
            }),
        );
    }
    Ok(ServiceVersion {
        version: spec.metadata.api_version.clone(),
        actions,
    })
}

fn element_type(name: &str, objects: &HashMap<&str, usize>) -> Option<ElementType> {
    Some(match name {
        "string" | "datetime" | "datetime_iso" | "date" | "binary" => ElementType::String,
        "int64" => ElementType::Int64,
        "uint64" => ElementType::Uint64,
        "bool" => ElementType::Bool,
        "float" => ElementType::Float,
        other => ElementType::Object(*objects.get(other)?),
    })
}
