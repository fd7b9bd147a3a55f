//! The specs compiled into the lookup tables the request path needs: actions by service, name and
//! version, and request shapes with member types resolved to indices, so that serving a request
//! never searches or clones spec strings.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use serde_json::{Map, Value};
use tencentcloud_spec::index::SpecIndex;
use tencentcloud_spec::load::SpecSet;
use tencentcloud_spec::types::{
    Charset, Constraints, ErrorCode, GroupConstraint, MemberKind, ServiceSpec,
};

use crate::BuildError;
use crate::actions::StateRule;
use crate::synthesize;

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
}

impl ActionDef {
    pub fn documents(&self, code: &str) -> bool {
        self.documented_errors.contains(code)
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
    /// The service is in the catalog folder, but its specs failed to load: the problems found.
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

pub(crate) struct Catalog {
    services: HashMap<String, Vec<ServiceVersion>>,
    /// The catalog folder's services not in `services`, compiled on first use.
    on_demand: Option<OnDemand>,
    /// Chinese descriptions of the common codes, by code.
    common_zh: HashMap<String, String>,
    /// Every action name with the services offering it, for hints in `InvalidAction` messages.
    action_services: HashMap<String, Vec<String>>,
    /// Names of idempotency token members in any action (`ClientToken`).
    token_names: Vec<String>,
}

impl Catalog {
    /// Compiles `specs` now; the services of `catalog` that `specs` lacks are compiled when first
    /// called.
    pub fn compile(specs: &SpecSet, catalog: Option<SpecIndex>) -> Result<Catalog, BuildError> {
        let mut services: HashMap<String, Vec<ServiceVersion>> = HashMap::new();
        let mut action_services: HashMap<String, Vec<String>> = HashMap::new();
        let mut token_names: Vec<String> = Vec::new();
        for loaded in &specs.services {
            let spec = &loaded.spec;
            let compiled = compile_service(&loaded.path, spec)?;
            for def in compiled.actions.values() {
                if let Some(token) = &def.idempotency_token
                    && !token_names.contains(token)
                {
                    token_names.push(token.clone());
                }
            }
            for name in compiled.actions.keys() {
                action_services
                    .entry(name.clone())
                    .or_default()
                    .push(spec.metadata.service_short_name.clone());
            }
            services
                .entry(spec.metadata.service_short_name.clone())
                .or_default()
                .push(compiled);
        }
        let on_demand = catalog.map(|index| OnDemand {
            services: index
                .services()
                .filter(|service| !services.contains_key(*service))
                .map(|service| (service.to_owned(), OnceLock::new()))
                .collect(),
            index,
        });
        Ok(Catalog {
            services,
            on_demand,
            common_zh: chinese_documents(&specs.common.errors),
            action_services,
            token_names,
        })
    }

    /// The versions of `service`, compiling them first if they are the catalog folder's and not
    /// yet compiled; `Ok(None)` for a service neither source holds.
    fn versions(&self, service: &str) -> Result<Option<&[ServiceVersion]>, &str> {
        if let Some(versions) = self.services.get(service) {
            return Ok(Some(versions));
        }
        let Some(on_demand) = &self.on_demand else {
            return Ok(None);
        };
        let Some(cell) = on_demand.services.get(service) else {
            return Ok(None);
        };
        cell.get_or_init(|| on_demand.compile(service))
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

    pub fn token_names(&self) -> &[String] {
        &self.token_names
    }

    pub fn serves(&self, service: &str) -> bool {
        self.services.contains_key(service)
            || self
                .on_demand
                .as_ref()
                .is_some_and(|o| o.services.contains_key(service))
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

    /// The catalog folder, with how many services and versions it adds to the specs compiled up
    /// front.
    pub fn catalog_folder(&self) -> Option<CatalogFolder> {
        self.on_demand.as_ref().map(|o| CatalogFolder {
            dir: o.index.dir().to_path_buf(),
            services: o.services.len(),
            versions: o.services.keys().map(|s| o.index.version_count(s)).sum(),
            compiled: o.services.values().filter(|c| c.get().is_some()).count(),
        })
    }

    /// The service offering `action`, when exactly one does.
    pub fn only_service_with(&self, action: &str) -> Option<&str> {
        match self.action_services.get(action).map(Vec::as_slice) {
            Some([service]) => Some(service),
            _ => None,
        }
    }

    /// Services other than `except` that offer `action`.
    pub fn services_with_action(&self, action: &str, except: &str) -> Vec<&str> {
        self.action_services
            .get(action)
            .map(|all| {
                all.iter()
                    .map(String::as_str)
                    .filter(|s| *s != except)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// What is compiled: the specs loaded up front and the catalog services called so far.
    pub fn served(&self) -> Vec<ServedService> {
        let compiled_on_demand = self.on_demand.iter().flat_map(|o| {
            o.services
                .iter()
                .filter_map(|(service, cell)| Some((service, cell.get()?.as_ref().ok()?)))
        });
        let mut out: Vec<ServedService> = self
            .services
            .iter()
            .chain(compiled_on_demand)
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

/// A catalog folder's services, each compiled on its first call.
struct OnDemand {
    index: SpecIndex,
    /// Every service of the folder not compiled up front; the map never changes after start-up,
    /// so each service is compiled at most once and stays (memory grows with what is called,
    /// up to the folder's size).
    services: HashMap<String, OnceLock<Result<Vec<ServiceVersion>, String>>>,
}

impl OnDemand {
    /// Loads and compiles `service`, or says why not. Runs on the calling worker thread (a
    /// service takes milliseconds to a few hundred for the largest); calls for the same service
    /// meanwhile wait for it.
    fn compile(&self, service: &str) -> Result<Vec<ServiceVersion>, String> {
        let started = Instant::now();
        let loaded = self.index.load(service).map_err(|d| d.to_string())?;
        let compiled = loaded
            .iter()
            .map(|l| compile_service(&l.path, &l.spec))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| e.to_string())?;
        tracing::info!(
            service,
            versions = compiled.len(),
            millis = started.elapsed().as_millis() as u64,
            "catalog service compiled"
        );
        Ok(compiled)
    }
}

/// The catalog folder an emulator serves besides its specs (see
/// [`EmulatorBuilder::catalog_dir`](crate::EmulatorBuilder::catalog_dir)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogFolder {
    pub dir: PathBuf,
    /// Services it adds to the specs directory's.
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
        let example_response = match example {
            Some(example) => {
                synthesize::documented_response(&action.output, &spec.objects, example)
            }
            None => synthesize::response(&action.output, &spec.objects),
        };
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
