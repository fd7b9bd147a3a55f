//! The annotate step: from validated specs to a model where every Rust name, type, module path,
//! doc line, serde attribute and validation rule is settled once. Emitters only arrange it.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::docs;
use crate::load::{LoadedSpec, SpecSet};
use crate::names::{self, ERRORS_MODULE, TYPES_MODULE};
use crate::repeatability;
use crate::types::{
    Action, ActionStatus, Charset, ErrorCode, ExampleRequest, GroupRule, Member, MemberKind,
    Metadata, Object, ServiceSpec,
};
use crate::validate::{BUILDER_RESERVED, CLIENT_RESERVED};

/// The response member every answer carries.
const REQUEST_ID: &str = "RequestId";

/// Crate of the facade, re-exporting the service crates behind one feature each.
pub const FACADE_CRATE: &str = "tencentcloud-sdk";
/// Its directory under the output directory.
pub const FACADE_DIR: &str = "sdk";
/// The facade's library name as Rust code writes it.
pub const FACADE_LIB: &str = "tencentcloud_sdk";
/// Crate of the common error codes, shared by every service crate.
pub const COMMON_CRATE: &str = "tencentcloud-sdk-common";
/// Its library name as Rust code writes it.
pub const COMMON_LIB: &str = "tencentcloud_sdk_common";
/// Its directory under the output directory.
pub const COMMON_DIR: &str = "common";
/// Directory under the output directory holding one crate directory per service.
pub const SERVICES_DIR: &str = "services";

// The names the generator adds beside upstream's. Those sharing a namespace with upstream names
// are reserved by the naming rules (`names`); these share none: `Client`, `Error` and `SERVICE`
// stand beside `<Action>Request`-like types and snake-case modules, and the validator refuses an
// action whose types would take them.
/// The common codes' enum, in the common crate.
pub const COMMON_ERROR: &str = "CommonError";
/// A version's error enum, for the actions whose own codes are not documented.
pub const VERSION_ERROR: &str = "Error";
/// A version's client.
pub const CLIENT: &str = "Client";
/// A version's private constant naming the service and version its actions are sent to.
pub const SERVICE_CONST: &str = "SERVICE";

/// What a generated crate's manifest and README say, and where its files go (paths relative to
/// the output directory).
#[derive(Debug, Clone)]
pub struct PackageModel {
    /// Cargo package (`tencentcloud-sdk-cvm`).
    pub name: String,
    pub description: String,
    /// The README's paragraph after the description.
    pub readme_about: String,
    /// What the headers of the manifest, README and `lib.rs` say they come from.
    pub source: String,
    pub manifest_file: String,
    pub readme_file: String,
    pub lib_file: String,
    /// The common crate's directory as the manifest's dependency names it, for crates that
    /// depend on it.
    pub common_path: Option<String>,
}

/// Everything generated: the facade crate, the common crate and one crate per service.
#[derive(Debug, Clone)]
pub struct CrateModel {
    /// The facade's package and the common crate's.
    pub facade: PackageModel,
    pub common: PackageModel,
    /// Doc lines of the facade's crate root.
    pub docs: Vec<String>,
    /// The common error codes, one variant each, generated once into the common crate.
    pub common_errors: Vec<ErrorVariant>,
    /// Their enum (`CommonError`) and its doc lines.
    pub common_error_type: String,
    pub common_error_docs: Vec<String>,
    /// Doc lines of the common crate's root.
    pub common_docs: Vec<String>,
    /// Hash of `specs/common.json`'s codes, the only input of the common crate.
    pub common_hash: String,
    /// Services sorted by module name.
    pub services: Vec<ServiceModel>,
    /// Hash of what the facade (`Cargo.toml`, `lib.rs`) is generated from.
    pub inputs_hash: String,
}

/// One service (`cvm`), possibly with several API versions.
#[derive(Debug, Clone)]
pub struct ServiceModel {
    /// Cargo feature, also the Tencent service name (`cvm`).
    pub feature: String,
    /// Rust module (`cvm`; a keyword gets a `_` suffix).
    pub module: String,
    /// English product name of the newest version.
    pub name_en: String,
    /// Doc lines of the service crate's root.
    pub docs: Vec<String>,
    /// Versions sorted by API version.
    pub versions: Vec<VersionModel>,
    /// Cargo package of the service (`tencentcloud-sdk-cvm`).
    pub crate_name: String,
    /// Its library name as Rust code writes it (`tencentcloud_sdk_cvm`).
    pub lib_name: String,
    /// The crate's directory relative to the output directory (`services/cvm`).
    pub dir: String,
    /// Root of the integration test running the documented examples (`services/cvm/tests/examples/main.rs`).
    pub examples_file: String,
    /// Hash of the version modules that file lists.
    pub examples_hash: String,
    /// What the header says the service crate comes from (`specs/cvm/`).
    pub source: String,
    /// Hash of what the service crate's `Cargo.toml` and `lib.rs` are generated from.
    pub inputs_hash: String,
    /// The common codes' enum the crate re-exports.
    pub common_error_type: String,
    /// Its manifest, README and `lib.rs`.
    pub package: PackageModel,
    /// The crate's directory as the facade's manifest names it.
    pub path_from_facade: String,
}

/// One service version (`cvm::v20170312`): a `Client` and its actions.
#[derive(Debug, Clone)]
pub struct VersionModel {
    /// Spec file relative to the specs directory (`cvm/2017-03-12.json`).
    pub spec_path: String,
    /// What the headers of the version's files say they come from (`specs/cvm/2017-03-12.json`).
    pub source: String,
    /// Directory of the version's files (`services/cvm/src/v20170312`).
    pub dir: String,
    /// The version module's file, holding the `Client` (`services/cvm/src/v20170312/mod.rs`).
    pub file: String,
    /// The `types` module's file (`services/cvm/src/v20170312/types/mod.rs`).
    pub types_file: String,
    /// Module of the example tests listing the actions that have examples
    /// (`services/cvm/tests/examples/v20170312/mod.rs`).
    pub examples_file: String,
    /// Hash of the action modules that file lists.
    pub examples_hash: String,
    /// Rust module (`v20170312`).
    pub module: String,
    /// Tencent service name (`cvm`).
    pub service: String,
    /// API version as sent (`2017-03-12`).
    pub api_version: String,
    pub region_required: bool,
    /// Doc lines of the version module.
    pub docs: Vec<String>,
    /// The `Client` struct, its doc lines and those of its `new`.
    pub client_type: String,
    pub client_docs: Vec<String>,
    pub client_new_docs: Vec<String>,
    /// The private constant the actions' `send()` address (`SERVICE`).
    pub service_const: String,
    /// The module of nested structures (`types`) and the module of the error enum (`errors`).
    pub types_module: String,
    pub errors_module: String,
    /// Actions sorted by Tencent name.
    pub actions: Vec<ActionModel>,
    /// Nested structure types (`types` module), sorted by name.
    pub types: Vec<TypeModel>,
    /// Doc lines of the `types` module.
    pub types_docs: Vec<String>,
    /// Hash of what `types/mod.rs` is generated from.
    pub types_hash: String,
    /// The version-wide error enum `Error` (`services/cvm/src/v20170312/errors.rs`): the service
    /// version's own codes, for the actions whose own codes are not documented.
    pub errors_file: String,
    /// The enum's name (`Error`).
    pub error_type: String,
    pub errors: Vec<ErrorVariant>,
    pub errors_docs: Vec<String>,
    pub errors_hash: String,
    /// Hash of what the version's `mod.rs` is generated from.
    pub inputs_hash: String,
}

/// A nested structure: a member type that is not an action's request or response.
#[derive(Debug, Clone)]
pub struct TypeModel {
    /// Rust type name: the Tencent name, unless that is a prelude item (`names::type_name`).
    pub name: String,
    /// The Tencent name holds an underscore (`GetWsTokenReq_Label`): kept as it is, so the type
    /// allows `non_camel_case_types`.
    pub not_camel_case: bool,
    /// Rust module holding the type's file (`filter`).
    pub module: String,
    /// The type's file (`services/cvm/src/v20170312/types/filter.rs`).
    pub file: String,
    /// Doc lines of the type's module.
    pub module_docs: Vec<String>,
    pub docs: Vec<String>,
    /// Members in spec order; all optional, like request parameters.
    pub fields: Vec<FieldModel>,
    /// Whether some request contains this type, so it needs client-side checks.
    pub in_requests: bool,
    /// Doc lines of its `validate_at`, when it has one.
    pub validate_docs: Vec<String>,
    /// Whether some response contains this type.
    pub in_responses: bool,
    /// Hash of what the type's file is generated from.
    pub inputs_hash: String,
}

/// One action and the four types generated for it.
#[derive(Debug, Clone)]
pub struct ActionModel {
    /// Tencent name (`TerminateInstances`).
    pub name: String,
    /// Rust module holding the action's file (`terminate_instances`).
    pub module: String,
    /// The action's file (`services/cvm/src/v20170312/terminate_instances.rs`).
    pub file: String,
    /// Doc lines of the action's module.
    pub module_docs: Vec<String>,
    /// `Client` method (`terminate_instances`).
    pub method: String,
    pub request_type: String,
    pub builder_type: String,
    pub output_type: String,
    pub error_type: String,
    /// Doc lines of the client method.
    pub method_docs: Vec<String>,
    /// Doc lines of the builder (the action's full documentation).
    pub builder_docs: Vec<String>,
    pub request_docs: Vec<String>,
    pub output_docs: Vec<String>,
    pub error_docs: Vec<String>,
    /// The version's error enum, which `error_type` names when the action documents no codes.
    pub version_error_type: String,
    /// Doc lines of the builder's `send()`.
    pub send_docs: Vec<String>,
    /// Doc lines of the request's `validate()`.
    pub validate_docs: Vec<String>,
    /// Whether Tencent marks the whole action deprecated.
    pub deprecated: bool,
    /// Request parameters in spec order.
    pub inputs: Vec<FieldModel>,
    /// Response fields in spec order.
    pub outputs: Vec<FieldModel>,
    /// Rules over several parameters.
    pub group_checks: Vec<GroupCheck>,
    /// `(Tencent name, Rust name)` of the idempotency token parameter, filled by `send()` when
    /// unset.
    pub idempotency_field: Option<(String, String)>,
    /// The runtime's `Repeatability` variant of the action (`Read`, `Idempotent`,
    /// `NotRepeatable`), which decides its retries.
    pub repeatability: &'static str,
    /// Error variants: the action's own codes that are not common ones, by code.
    pub errors: Vec<ErrorVariant>,
    /// No page documents the action's own codes: its error type is the version's `Error`.
    pub uses_version_errors: bool,
    /// Request examples, for the generated round-trip tests.
    pub examples: Vec<ExampleModel>,
    /// The test file running them (`services/cvm/tests/examples/v20170312/terminate_instances.rs`).
    pub examples_file: String,
    /// Hash of what that file is generated from: the examples and the member types.
    pub examples_hash: String,
    /// Path of the request type as the test names it (`tencentcloud_sdk_cvm::v20170312::TerminateInstancesRequest`).
    pub request_path: String,
    /// Hash of everything this action's file is generated from.
    pub inputs_hash: String,
}

/// A request parameter or response field.
#[derive(Debug, Clone)]
pub struct FieldModel {
    /// Tencent name (`InstanceIds`).
    pub wire_name: String,
    /// Rust field and setter name (`instance_ids`).
    pub rust_name: String,
    /// Set when `#[serde(rename_all = "PascalCase")]` would not give back the Tencent name.
    pub serde_rename: Option<String>,
    pub ty: FieldType,
    /// A structure that contains itself by value through this field: held in a `Box`.
    pub boxed: bool,
    pub required: bool,
    pub docs: Vec<String>,
    /// Docs of the field's builder setter (request parameters and nested structure members).
    pub setter_docs: Vec<String>,
    /// `use ProxyIds` for an old parameter.
    pub deprecated_note: Option<String>,
    /// Single-parameter rules, in the order they are checked.
    pub checks: Vec<Check>,
}

/// Type of a field: a scalar, a nested structure, or a list of either.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldType {
    Scalar(Scalar),
    List(Scalar),
    /// A nested structure type, by name.
    Object(String),
    /// A list of nested structures.
    ObjectList(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scalar {
    String,
    Int64,
    Uint64,
    Bool,
    Float,
}

/// A client-side rule on one parameter, checked by a `tencentcloud_runtime::validate` helper.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Check {
    Required,
    MinItems(u32),
    MaxItems(u32),
    AllowedValues(Vec<i64>),
    Range {
        min: Option<i64>,
        max: Option<i64>,
    },
    Length {
        min: Option<u32>,
        max: Option<u32>,
    },
    Ascii,
    /// A nested structure (or each of a list of them) checks its own members.
    Nested,
}

/// A rule over several parameters.
#[derive(Debug, Clone)]
pub struct GroupCheck {
    pub rule: GroupRule,
    /// `(Tencent name, Rust name)` of each member.
    pub members: Vec<(String, String)>,
}

/// One variant of an action's error enum.
#[derive(Debug, Clone)]
pub struct ErrorVariant {
    pub code: String,
    pub variant: String,
    pub docs: Vec<String>,
}

/// A documented request example, as the generated tests use it.
#[derive(Debug, Clone)]
pub struct ExampleModel {
    pub title: String,
    /// The request as JSON, exactly as documented (a query example converted: `Name.N` → arrays).
    pub request: Value,
    /// The same request as the SDK writes it: integers as numbers.
    pub canonical: Value,
}

/// Builds the model of the whole crate.
pub fn build(specs: &SpecSet) -> CrateModel {
    let mut by_service: BTreeMap<String, Vec<&LoadedSpec>> = BTreeMap::new();
    for loaded in &specs.services {
        by_service
            .entry(loaded.spec.metadata.service_short_name.clone())
            .or_default()
            .push(loaded);
    }
    // Services are modelled independently, on every core, and kept in name order.
    let services: Vec<ServiceModel> = by_service
        .into_par_iter()
        .map(|(feature, mut loaded)| {
            loaded.sort_by(|a, b| {
                a.spec
                    .metadata
                    .api_version
                    .cmp(&b.spec.metadata.api_version)
            });
            service_model(feature, &loaded, &specs.common.errors)
        })
        .collect();
    let crate_inputs: Vec<(&str, &str, Vec<&str>)> = services
        .iter()
        .map(|s| {
            (
                s.feature.as_str(),
                s.name_en.as_str(),
                s.versions.iter().map(|v| v.api_version.as_str()).collect(),
            )
        })
        .collect();
    let inputs_of = |spec: &ServiceSpec, action: &Action| {
        spec.objects
            .get(&action.input)
            .map(|o| o.members.clone())
            .unwrap_or_default()
    };
    let usage = specs.services.iter().find_map(|loaded| {
        let spec = &loaded.spec;
        let paths = facade_paths(&spec.metadata);
        spec.actions.iter().find_map(|(name, action)| {
            docs::usage(&paths, name, action, &inputs_of(spec, action), true)
        })
    });
    let common: BTreeSet<&str> = specs
        .common
        .errors
        .iter()
        .map(|e| e.code.as_str())
        .collect();
    let error_handling = specs.services.iter().find_map(|loaded| {
        let spec = &loaded.spec;
        spec.actions.iter().find_map(|(name, action)| {
            let shown = showcase_error(action, &common)?;
            let variant = names::error_variant(&shown.code);
            let members = inputs_of(spec, action);
            let paths = facade_paths(&spec.metadata);
            docs::error_handling(&paths, name, action, &members, shown, &variant)
        })
    });
    let listing: Vec<(String, String, String, String, Vec<String>)> = services
        .iter()
        .map(|s| {
            (
                s.feature.clone(),
                s.module.clone(),
                s.crate_name.clone(),
                s.name_en.clone(),
                s.versions.iter().map(|v| v.api_version.clone()).collect(),
            )
        })
        .collect();
    let common_errors = specs
        .common
        .errors
        .iter()
        .map(|error| ErrorVariant {
            code: error.code.clone(),
            variant: names::error_variant(&error.code),
            docs: docs::error_code(error),
        })
        .collect();
    let listing_text: String = services
        .iter()
        .map(|s| {
            format!(
                "- `{}` ({}): crate `{}`\n",
                s.feature, s.name_en, s.crate_name
            )
        })
        .collect();
    CrateModel {
        facade: PackageModel {
            name: FACADE_CRATE.to_owned(),
            description: "Typed Rust SDK for Tencent Cloud API 3.0, generated from JSON API specs: every service, one feature each.".to_owned(),
            readme_about: format!(
                "The one crate to depend on: configuration, credentials (environment, profile file, TKE web identity, CVM instance role, STS AssumeRole), retries, errors and every service, each behind a cargo feature of its name (all on by default):\n\n{}",
                listing_text.trim_end()
            ),
            source: "specs/".to_owned(),
            manifest_file: format!("{FACADE_DIR}/Cargo.toml"),
            readme_file: format!("{FACADE_DIR}/README.md"),
            lib_file: format!("{FACADE_DIR}/src/lib.rs"),
            common_path: Some(relative(FACADE_DIR, COMMON_DIR)),
        },
        common: PackageModel {
            name: COMMON_CRATE.to_owned(),
            description: "The error codes every Tencent Cloud API 3.0 action can return, shared by the tencentcloud-sdk service crates.".to_owned(),
            readme_about: "Service crates depend on it; users name its `CommonError` through them or `tencentcloud-sdk`.".to_owned(),
            source: "specs/common.json".to_owned(),
            manifest_file: format!("{COMMON_DIR}/Cargo.toml"),
            readme_file: format!("{COMMON_DIR}/README.md"),
            lib_file: format!("{COMMON_DIR}/src/lib.rs"),
            common_path: None,
        },
        common_errors,
        common_error_type: COMMON_ERROR.to_owned(),
        common_error_docs: vec![
            "An error code any action can return: authentication, rate limits, malformed requests, internal errors.".to_owned(),
        ],
        common_docs: docs::common_crate(),
        common_hash: hash_of(&specs.common.errors),
        inputs_hash: hash_of(&(crate_inputs, &usage, &error_handling)),
        docs: docs::crate_root(&listing, usage, error_handling),
        services,
    }
}

/// The path of `to` seen from `from`, both directories relative to the output directory.
fn relative(from: &str, to: &str) -> String {
    let up = from.split('/').count();
    format!("{}{to}", "../".repeat(up))
}

/// Doc example paths through the facade (`tencentcloud_sdk::cvm::v20170312`).
fn facade_paths(metadata: &Metadata) -> docs::ExamplePaths {
    let root = FACADE_LIB.to_owned();
    docs::ExamplePaths {
        version: format!(
            "{root}::{}::{}",
            names::service_module(&metadata.service_short_name),
            names::version_module(&metadata.api_version)
        ),
        root,
    }
}

/// The error code the crate-level error-handling example matches on: among the action's own codes
/// (not the common ones) that have an English description, the one described at greatest length,
/// so the example shows a failure a reader can picture; on a tie, the first by code.
fn showcase_error<'a>(action: &'a Action, common: &BTreeSet<&str>) -> Option<&'a ErrorCode> {
    action
        .errors
        .iter()
        .filter(|e| !common.contains(e.code.as_str()) && !e.document.trim().is_empty())
        .max_by(|a, b| {
            let length = |e: &ErrorCode| e.document.trim().chars().count();
            length(a).cmp(&length(b)).then_with(|| b.code.cmp(&a.code))
        })
}

fn service_model(feature: String, loaded: &[&LoadedSpec], common: &[ErrorCode]) -> ServiceModel {
    let module = names::service_module(&feature);
    let crate_name = format!("{FACADE_CRATE}-{}", feature.replace('_', "-"));
    let lib_name = crate_name.replace('-', "_");
    let dir = format!("{SERVICES_DIR}/{feature}");
    let versions: Vec<VersionModel> = loaded
        .iter()
        .map(|l| version_model(&dir, &lib_name, l, common))
        .collect();
    let newest = loaded.last().map(|l| &l.spec.metadata);
    let name_en = newest
        .map(|m| m.service_name_en.clone())
        .unwrap_or_default();
    let mut docs = vec![format!(
        "Typed Rust SDK for {} (`{feature}`), Tencent Cloud API 3.0.",
        docs::escape(&name_en)
    )];
    if let Some(metadata) = newest {
        docs.push(String::new());
        docs.extend(docs::paragraphs(&metadata.document));
    }
    docs.extend([
        String::new(),
        format!("Generated by `tencentcloud-codegen`; also re-exported by `{FACADE_CRATE}` as `{FACADE_LIB}::{module}` (feature `{feature}`)."),
        String::new(),
        "API versions, one module each with its `Client`:".to_owned(),
    ]);
    for version in &versions {
        docs.push(format!(
            "- `{}`: [`{}`]",
            version.api_version, version.module
        ));
    }
    let service_inputs: Vec<(&Metadata, Vec<&str>)> = loaded
        .iter()
        .map(|l| {
            (
                &l.spec.metadata,
                l.spec.actions.keys().map(String::as_str).collect(),
            )
        })
        .collect();
    let tested_versions: Vec<&str> = versions
        .iter()
        .filter(|v| v.actions.iter().any(|a| !a.examples.is_empty()))
        .map(|v| v.module.as_str())
        .collect();
    let source = format!("specs/{feature}/");
    ServiceModel {
        examples_file: format!("{dir}/tests/examples/main.rs"),
        examples_hash: hash_of(&tested_versions),
        dir: dir.clone(),
        crate_name: crate_name.clone(),
        lib_name,
        source: source.clone(),
        module: module.clone(),
        feature: feature.clone(),
        name_en: name_en.clone(),
        docs,
        inputs_hash: hash_of(&service_inputs),
        versions,
        common_error_type: COMMON_ERROR.to_owned(),
        package: PackageModel {
            name: crate_name.clone(),
            description: format!(
                "Typed Rust SDK for {name_en} (`{feature}`), Tencent Cloud API 3.0, generated from Tencent's API description."
            ),
            readme_about: format!(
                "Also re-exported by `{FACADE_CRATE}` as `{FACADE_LIB}::{module}` (feature `{feature}`); depend on this crate to build only this service."
            ),
            source: source.clone(),
            manifest_file: format!("{dir}/Cargo.toml"),
            readme_file: format!("{dir}/README.md"),
            lib_file: format!("{dir}/src/lib.rs"),
            common_path: Some(relative(&dir, COMMON_DIR)),
        },
        path_from_facade: relative(FACADE_DIR, &dir),
    }
}

fn version_model(
    crate_dir: &str,
    lib_name: &str,
    loaded: &LoadedSpec,
    common: &[ErrorCode],
) -> VersionModel {
    let spec = &loaded.spec;
    let metadata = &spec.metadata;
    let module = names::version_module(&metadata.api_version);
    let dir = format!("{crate_dir}/src/{module}");
    let examples_dir = format!("{crate_dir}/tests/examples/{module}");
    let paths = docs::ExamplePaths {
        root: lib_name.to_owned(),
        version: format!("{lib_name}::{module}"),
    };
    let actions: Vec<ActionModel> = spec
        .actions
        .iter()
        .map(|(name, action)| {
            let dirs = (dir.as_str(), examples_dir.as_str());
            action_model(dirs, &paths, metadata, name, action, &spec.objects, common)
        })
        .collect();
    let tested_actions: Vec<&str> = actions
        .iter()
        .filter(|a| !a.examples.is_empty())
        .map(|a| a.module.as_str())
        .collect();
    let examples_hash = hash_of(&tested_actions);
    let types = type_models(&dir, spec);
    let types_docs = vec![
        format!(
            "Structures nested in the requests and responses of {} API version `{}`.",
            docs::escape(&metadata.service_name_en),
            metadata.api_version
        ),
        String::new(),
        "Build one with `Default::default()` and its fluent setters.".to_owned(),
    ];
    let type_names: Vec<&str> = types.iter().map(|t| t.name.as_str()).collect();
    let mut docs = vec![format!(
        "{} API version `{}`.",
        docs::escape(&metadata.service_name_en),
        metadata.api_version
    )];
    docs.push(String::new());
    docs.push(format!(
        "Endpoint `{}`; {}.",
        metadata.endpoint,
        if metadata.region_required {
            "every action needs a region (set it in the `Config`)"
        } else {
            "actions need no region"
        }
    ));
    docs.extend([
        String::new(),
        "Actions, as methods of [`Client`]:".to_owned(),
        String::new(),
    ]);
    docs.extend(actions.iter().map(|action| {
        format!(
            "- [`{method}`](Client::{method}): {}{}",
            action.method_docs.first().map_or("", String::as_str),
            if action.deprecated {
                " Deprecated."
            } else {
                ""
            },
            method = action.method,
        )
    }));
    let client_docs = vec![
        format!(
            "Client for {} (`{}`, API version `{}`): one method per action, each returning a builder.",
            docs::escape(&metadata.service_name_en),
            metadata.service_short_name,
            metadata.api_version
        ),
        String::new(),
        "Cheap to clone: clones share the configuration and the connection pool.".to_owned(),
    ];
    let version_inputs: Vec<(&str, &str, ActionStatus)> = spec
        .actions
        .iter()
        .map(|(name, action)| (name.as_str(), action.name.as_str(), action.status))
        .collect();
    let errors_docs = vec![
        format!(
            "An error Tencent Cloud returned for an action of {} API version `{}` whose own error codes are not documented.",
            docs::escape(&metadata.service_name_en),
            metadata.api_version
        ),
        String::new(),
        "One variant per error code of the service version; the codes every action can return decode to [`Common`](Self::Common) and any other code to `Unhandled`, so a new code never breaks decoding. Every variant keeps the code, message and request id.".to_owned(),
    ];
    VersionModel {
        examples_file: format!("{examples_dir}/mod.rs"),
        examples_hash,
        errors_file: format!("{dir}/{ERRORS_MODULE}.rs"),
        error_type: VERSION_ERROR.to_owned(),
        client_type: CLIENT.to_owned(),
        client_new_docs: vec![
            "A client sending with `config` (credentials, region, endpoint, timeouts, retries)."
                .to_owned(),
        ],
        service_const: SERVICE_CONST.to_owned(),
        types_module: TYPES_MODULE.to_owned(),
        errors_module: ERRORS_MODULE.to_owned(),
        errors: error_variants(&spec.errors, common),
        errors_hash: hash_of(&(
            &metadata.service_name_en,
            &metadata.api_version,
            &spec.errors,
        )),
        errors_docs,
        spec_path: loaded.path.clone(),
        source: format!("specs/{}", loaded.path),
        file: format!("{dir}/mod.rs"),
        types_file: format!("{dir}/{TYPES_MODULE}/mod.rs"),
        dir,
        module,
        service: metadata.service_short_name.clone(),
        api_version: metadata.api_version.clone(),
        region_required: metadata.region_required,
        docs,
        client_docs,
        inputs_hash: hash_of(&(metadata, version_inputs, &type_names)),
        types_hash: hash_of(&(metadata, &type_names)),
        types_docs,
        types,
        actions,
    }
}

/// Names of the objects reachable through member types from `roots` (the roots included).
fn reachable<'a>(
    roots: impl IntoIterator<Item = &'a str>,
    objects: &'a BTreeMap<String, Object>,
) -> BTreeSet<&'a str> {
    let mut seen = BTreeSet::new();
    let mut pending: Vec<&str> = roots.into_iter().collect();
    while let Some(name) = pending.pop() {
        if !seen.insert(name) {
            continue;
        }
        for member in objects.get(name).map_or(&[][..], |o| o.members.as_slice()) {
            if objects.contains_key(&member.member) {
                pending.push(&member.member);
            }
        }
    }
    seen
}

/// The objects lying on a cycle of by-value (non-list) structure members, each mapped to its
/// cycle's number: a member whose structure has the same number as its own object closes a
/// cycle, and holding it in a `Box` gives the type a size. Tarjan's strongly connected
/// components, linear in the number of members.
fn by_value_cycles(objects: &BTreeMap<String, Object>) -> BTreeMap<&str, usize> {
    struct Walk<'a> {
        objects: &'a BTreeMap<String, Object>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        cycles: BTreeMap<&'a str, usize>,
        count: usize,
    }
    fn by_value<'a>(objects: &'a BTreeMap<String, Object>, name: &str) -> Vec<&'a str> {
        objects.get(name).map_or_else(Vec::new, |o| {
            o.members
                .iter()
                .filter(|m| m.kind == MemberKind::Object && objects.contains_key(&m.member))
                .map(|m| m.member.as_str())
                .collect()
        })
    }
    // Iterative, so a deep chain of structures cannot overflow the stack.
    fn visit<'a>(walk: &mut Walk<'a>, root: &'a str) {
        let mut frames: Vec<(&'a str, Vec<&'a str>, usize)> = Vec::new();
        let enter = |walk: &mut Walk<'a>, name: &'a str| {
            let n = walk.index.len();
            walk.index.insert(name, n);
            walk.low.insert(name, n);
            walk.stack.push(name);
            walk.on_stack.insert(name);
            (name, by_value(walk.objects, name), 0)
        };
        frames.push(enter(walk, root));
        while let Some((name, edges, next)) = frames.last_mut() {
            let name = *name;
            if let Some(&to) = edges.get(*next) {
                *next += 1;
                if !walk.index.contains_key(to) {
                    frames.push(enter(walk, to));
                } else if walk.on_stack.contains(to) {
                    let low = walk.low[name].min(walk.index[to]);
                    walk.low.insert(name, low);
                }
                continue;
            }
            frames.pop();
            if let Some((parent, _, _)) = frames.last() {
                let low = walk.low[*parent].min(walk.low[name]);
                walk.low.insert(*parent, low);
            }
            if walk.low[name] == walk.index[name] {
                let mut members = Vec::new();
                while let Some(top) = walk.stack.pop() {
                    walk.on_stack.remove(top);
                    members.push(top);
                    if top == name {
                        break;
                    }
                }
                let closes = members.len() > 1 || by_value(walk.objects, name).contains(&name);
                if closes {
                    for member in members {
                        walk.cycles.insert(member, walk.count);
                    }
                    walk.count += 1;
                }
            }
        }
    }
    let mut walk = Walk {
        objects,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        cycles: BTreeMap::new(),
        count: 0,
    };
    for name in objects.keys() {
        if !walk.index.contains_key(name.as_str()) {
            visit(&mut walk, name);
        }
    }
    walk.cycles
}

fn type_models(dir: &str, spec: &ServiceSpec) -> Vec<TypeModel> {
    let io: BTreeSet<&str> = spec
        .actions
        .values()
        .flat_map(|a| [a.input.as_str(), a.output.as_str()])
        .collect();
    let nested = reachable(io.iter().copied(), &spec.objects);
    let from_requests = reachable(
        spec.actions.values().map(|a| a.input.as_str()),
        &spec.objects,
    );
    let from_responses = reachable(
        spec.actions.values().map(|a| a.output.as_str()),
        &spec.objects,
    );
    let cyclic = by_value_cycles(&spec.objects);
    nested
        .into_iter()
        .filter(|name| !io.contains(name))
        .filter_map(|name| spec.objects.get_key_value(name))
        .map(|(name, object)| {
            let fields = object
                .members
                .iter()
                .zip(rust_names(&object.members))
                .map(|(member, rust)| {
                    let mut field = member_field(member, rust);
                    field.docs = docs::type_member(member);
                    field.setter_docs = docs::setter(member, "Self", &field.rust_name);
                    field.boxed = member.kind == MemberKind::Object
                        && cyclic.get(name.as_str()) == cyclic.get(member.member.as_str())
                        && cyclic.contains_key(name.as_str());
                    field
                })
                .collect();
            let mut type_docs = vec![format!("`{name}` structure.")];
            if !object.document.trim().is_empty() {
                type_docs.push(String::new());
                type_docs.extend(docs::paragraphs(&object.document));
            }
            let module = names::snake(name, &[]);
            TypeModel {
                file: format!("{dir}/{TYPES_MODULE}/{module}.rs"),
                module,
                module_docs: vec![format!("The `{name}` structure.")],
                docs: type_docs,
                fields,
                in_requests: from_requests.contains(name.as_str()),
                validate_docs: vec![
                    "Checks the documented rules of this structure's members; `at` is where the structure sits in the request (`Filters.0.`), so errors name the full parameter.".to_owned(),
                ],
                in_responses: from_responses.contains(name.as_str()),
                inputs_hash: hash_of(&(name, object)),
                not_camel_case: name.contains('_'),
                name: names::type_name(name),
            }
        })
        .collect()
}

/// A member as an example reads it: name, kind and type.
type MemberShape<'a> = (&'a str, MemberKind, &'a str);

/// `dirs`: the version's source directory and its directory of example tests.
fn action_model(
    (dir, examples_dir): (&str, &str),
    paths: &docs::ExamplePaths,
    metadata: &Metadata,
    name: &str,
    action: &Action,
    objects: &BTreeMap<String, Object>,
    common: &[ErrorCode],
) -> ActionModel {
    let empty = Object {
        kind: "object".to_owned(),
        document: String::new(),
        members: Vec::new(),
    };
    let input = objects.get(&action.input).unwrap_or(&empty);
    let output = objects.get(&action.output).unwrap_or(&empty);
    let request_type = format!("{name}Request");
    let inputs: Vec<FieldModel> = input
        .members
        .iter()
        .zip(rust_names(&input.members))
        .map(|(m, rust)| input_field(m, action, &request_type, rust))
        .collect();
    let rust_name_of = |wire: &str| {
        inputs.iter().find(|f| f.wire_name == wire).map_or_else(
            || names::snake(wire, BUILDER_RESERVED),
            |f| f.rust_name.clone(),
        )
    };
    let group_checks: Vec<GroupCheck> = action
        .constraints
        .iter()
        .map(|c| GroupCheck {
            rule: c.rule,
            members: c
                .members
                .iter()
                .map(|m| (m.clone(), rust_name_of(m)))
                .collect(),
        })
        .collect();
    let outputs: Vec<FieldModel> = output
        .members
        .iter()
        .zip(rust_names(&output.members))
        .map(|(m, rust)| output_field(m, rust))
        .collect();
    let idempotency_field = input
        .members
        .iter()
        .find(|m| m.idempotency_token)
        .map(|m| (m.name.clone(), rust_name_of(&m.name)));
    let errors = error_variants(&action.errors, common);
    let repeatability = repeatability::of(name, action, input);
    let examples = action
        .examples
        .iter()
        .map(|e| example_model(&e.title, &e.request, &input.members, objects))
        .collect();
    let method = names::snake(name, CLIENT_RESERVED);
    let builder_docs = docs::action(metadata, paths, name, action, &input.members, repeatability);
    let method_docs = vec![
        format!("{} (`{name}`).", docs::escape(&action.name)),
        String::new(),
        format!("Set the parameters on the returned [`{name}Builder`], then call `send()`."),
    ];
    let nested: Vec<(&str, Option<&Object>)> =
        reachable([action.input.as_str(), action.output.as_str()], objects)
            .into_iter()
            .map(|n| (n, objects.get(n)))
            .collect();
    let inputs_hash = hash_of(&(metadata, paths, name, action, &nested));
    // The example test depends on the examples and on the member types they are read as, not on
    // any document.
    let shapes: Vec<(&str, Vec<MemberShape>)> = nested
        .iter()
        .map(|(object, shape)| {
            let members = shape.map_or_else(Vec::new, |o| {
                o.members
                    .iter()
                    .map(|m| (m.name.as_str(), m.kind, m.member.as_str()))
                    .collect()
            });
            (*object, members)
        })
        .collect();
    let examples_hash = hash_of(&(&paths.version, name, &action.examples, shapes));
    let module = names::action_module(name);
    ActionModel {
        file: format!("{dir}/{module}.rs"),
        examples_file: format!("{examples_dir}/{module}.rs"),
        examples_hash,
        request_path: format!("{}::{name}Request", paths.version),
        module_docs: vec![format!(
            "`{name}`: request, builder, output and error types."
        )],
        send_docs: docs::send(name, idempotency_field.as_ref().map(|(wire, _)| wire.as_str())),
        validate_docs: vec![
            "Checks the documented parameter rules, as `send()` does before sending: required parameters, list sizes, allowed values, lengths and character sets, and the rules spanning several parameters.".to_owned(),
        ],
        version_error_type: VERSION_ERROR.to_owned(),
        module,
        method,
        request_type,
        builder_type: format!("{name}Builder"),
        output_type: format!("{name}Output"),
        error_type: format!("{name}Error"),
        request_docs: vec![
            format!("Parameters of `{name}`: {}.", docs::escape(&action.name)),
            String::new(),
            format!("Usually built with [`{name}Builder`]; every field is optional here and checked by [`validate`]({name}Request::validate)."),
        ],
        output_docs: vec![format!("Response of `{name}`: {}.", docs::escape(&action.name))],
        error_docs: if action.errors.is_empty() {
            vec![format!(
                "An error Tencent Cloud returned for `{name}`: the service version's codes, as [`super::Error`]."
            )]
        } else {
            vec![
                format!("An error Tencent Cloud returned for `{name}`."),
                String::new(),
                "One variant per error code the API reference documents for this action; the codes every action can return decode to [`Common`](Self::Common) and any other code to `Unhandled`, so a new code never breaks decoding. Every variant keeps the code, message and request id.".to_owned(),
            ]
        },
        method_docs,
        builder_docs,
        deprecated: action.status == ActionStatus::Deprecated,
        group_checks,
        idempotency_field,
        repeatability: repeatability.variant_name(),
        uses_version_errors: action.errors.is_empty(),
        errors,
        examples,
        inputs,
        outputs,
        inputs_hash,
        name: name.to_owned(),
    }
}

/// The Rust value type of a member type: the text types are `String`s.
fn scalar(member: Option<tencentcloud_vocabulary::Scalar>) -> Scalar {
    use tencentcloud_vocabulary::Scalar as Described;
    match member {
        Some(Described::Int64) => Scalar::Int64,
        Some(Described::Uint64) => Scalar::Uint64,
        Some(Described::Bool) => Scalar::Bool,
        Some(Described::Float) => Scalar::Float,
        _ => Scalar::String,
    }
}

fn field_type(member: &Member) -> FieldType {
    let described = tencentcloud_vocabulary::Scalar::parse(&member.member);
    match (member.kind, described) {
        (MemberKind::List, Some(_)) => FieldType::List(scalar(described)),
        (MemberKind::List, None) => FieldType::ObjectList(names::type_name(&member.member)),
        (MemberKind::Object, _) => FieldType::Object(names::type_name(&member.member)),
        _ => FieldType::Scalar(scalar(described)),
    }
}

/// The Tencent name serde's `rename_all = "PascalCase"` derives from a snake_case field name.
fn serde_pascal_case(field: &str) -> String {
    let mut pascal = String::new();
    let mut capitalize = true;
    for ch in field.chars() {
        if ch == '_' {
            capitalize = true;
        } else if capitalize {
            pascal.push(ch.to_ascii_uppercase());
            capitalize = false;
        } else {
            pascal.push(ch);
        }
    }
    pascal
}

/// Rust names of an object's members, in member order (`names::field_names`).
fn rust_names(members: &[Member]) -> Vec<String> {
    names::field_names(members.iter().map(|m| m.name.as_str()), BUILDER_RESERVED)
}

fn field_base(member: &Member, rust_name: String) -> FieldModel {
    let serde_rename = (serde_pascal_case(&rust_name) != member.name).then(|| member.name.clone());
    FieldModel {
        wire_name: member.name.clone(),
        serde_rename,
        rust_name,
        ty: field_type(member),
        boxed: false,
        required: member.required,
        docs: Vec::new(),
        setter_docs: Vec::new(),
        deprecated_note: member
            .deprecated
            .as_ref()
            .map(|d| format!("use {}", d.replacement)),
        checks: Vec::new(),
    }
}

/// A request parameter or nested structure member with its checks.
fn member_field(member: &Member, rust_name: String) -> FieldModel {
    let mut field = field_base(member, rust_name);
    let c = &member.constraints;
    if member.required {
        field.checks.push(Check::Required);
    }
    if let Some(min) = c.min_items {
        field.checks.push(Check::MinItems(min));
    }
    if let Some(max) = c.max_items {
        field.checks.push(Check::MaxItems(max));
    }
    if let Some(allowed) = &c.allowed {
        field.checks.push(Check::AllowedValues(allowed.clone()));
    }
    if c.minimum.is_some() || c.maximum.is_some() {
        field.checks.push(Check::Range {
            min: c.minimum,
            max: c.maximum,
        });
    }
    if c.min_length.is_some() || c.max_length.is_some() {
        field.checks.push(Check::Length {
            min: c.min_length,
            max: c.max_length,
        });
    }
    if c.charset == Some(Charset::Ascii) {
        field.checks.push(Check::Ascii);
    }
    if matches!(field.ty, FieldType::Object(_) | FieldType::ObjectList(_)) {
        field.checks.push(Check::Nested);
    }
    field
}

fn input_field(member: &Member, action: &Action, request: &str, rust_name: String) -> FieldModel {
    let mut field = member_field(member, rust_name);
    field.docs = docs::input_member(member, action);
    field.setter_docs = docs::setter(member, request, &field.rust_name);
    field
}

/// A response field. Real answers leave out or send `null` for fields the description calls
/// always present, so only `RequestId`, which the runtime itself reads, stays required: every
/// other scalar or structure is an `Option`, every list reads `null` as empty.
fn output_field(member: &Member, rust_name: String) -> FieldModel {
    let mut field = field_base(member, rust_name);
    field.docs = docs::output_member(member);
    field.required = member.name == REQUEST_ID;
    field
}

/// Variants for `codes` (an action's or a service version's), by code: a code that is also a
/// common one decodes to the common variant, so it is left out here.
fn error_variants(codes: &[ErrorCode], common: &[ErrorCode]) -> Vec<ErrorVariant> {
    let common: BTreeSet<&str> = common.iter().map(|e| e.code.as_str()).collect();
    let by_code: BTreeMap<&str, &ErrorCode> = codes
        .iter()
        .filter(|error| !common.contains(error.code.as_str()))
        .map(|error| (error.code.as_str(), error))
        .collect();
    by_code
        .into_values()
        .map(|error| ErrorVariant {
            code: error.code.clone(),
            variant: names::error_variant(&error.code),
            docs: docs::error_code(error),
        })
        .collect()
}

fn example_model(
    title: &str,
    request: &ExampleRequest,
    members: &[Member],
    objects: &BTreeMap<String, Object>,
) -> ExampleModel {
    let request = match request {
        ExampleRequest::Json { body } => body.clone(),
        ExampleRequest::Query { query } => {
            typed_object(&query_to_json(query), members, objects, Mode::Query)
        }
    };
    let canonical = typed_object(&request, members, objects, Mode::Canonical);
    ExampleModel {
        title: title.to_owned(),
        request,
        canonical,
    }
}

/// A query string parameter tree before member types are known.
enum Node {
    Leaf(String),
    Fields(BTreeMap<String, Node>),
    Items(BTreeMap<u64, Node>),
}

impl Node {
    fn insert(&mut self, segments: &[&str], value: String) {
        let Some((first, rest)) = segments.split_first() else {
            *self = Node::Leaf(value);
            return;
        };
        let child = match first.parse::<u64>() {
            Ok(index) => {
                if !matches!(self, Node::Items(_)) {
                    *self = Node::Items(BTreeMap::new());
                }
                match self {
                    Node::Items(items) => {
                        items.entry(index).or_insert(Node::Fields(BTreeMap::new()))
                    }
                    _ => return,
                }
            }
            Err(_) => {
                if !matches!(self, Node::Fields(_)) {
                    *self = Node::Fields(BTreeMap::new());
                }
                match self {
                    Node::Fields(fields) => fields
                        .entry((*first).to_owned())
                        .or_insert(Node::Fields(BTreeMap::new())),
                    _ => return,
                }
            }
        };
        child.insert(rest, value);
    }

    fn into_json(self) -> Value {
        match self {
            Node::Leaf(value) => Value::String(value),
            Node::Fields(fields) => Value::Object(
                fields
                    .into_iter()
                    .map(|(k, v)| (k, v.into_json()))
                    .collect(),
            ),
            Node::Items(items) => Value::Array(items.into_values().map(Node::into_json).collect()),
        }
    }
}

/// Converts `ProxyIds.0=a&ProxyIds.1=b&Force=1` into `{"ProxyIds": ["a", "b"], "Force": "1"}`:
/// `Name.N` indices become array positions, `Name.Field` nested objects; values stay strings.
fn query_to_json(query: &str) -> Value {
    let mut root = Node::Fields(BTreeMap::new());
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        let segments: Vec<&str> = key.split('.').collect();
        root.insert(&segments, value.into_owned());
    }
    root.into_json()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// A query example as a JSON body: booleans parsed (serde reads no `"true"`), a single value
    /// of a list member wrapped in an array.
    Query,
    /// As the SDK writes the request back: integers as numbers too.
    Canonical,
}

fn typed_object(
    value: &Value,
    members: &[Member],
    objects: &BTreeMap<String, Object>,
    mode: Mode,
) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(key, value)| {
                    let member = members.iter().find(|m| &m.name == key);
                    (key.clone(), typed_value(value, member, objects, mode))
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

fn typed_value(
    value: &Value,
    member: Option<&Member>,
    objects: &BTreeMap<String, Object>,
    mode: Mode,
) -> Value {
    let Some(member) = member else {
        return value.clone();
    };
    // Integer elements of lists are numbers for the SDK (only scalar parameters also take numeric
    // strings), so a query example's list items are converted in either mode.
    let element = |v: &Value, numbers: bool| match (v, member.member.as_str()) {
        (Value::Object(_), nested) => match objects.get(nested) {
            Some(object) => typed_object(v, &object.members, objects, mode),
            None => v.clone(),
        },
        (Value::String(s), "int64") if numbers => {
            s.parse::<i64>().map_or_else(|_| v.clone(), Value::from)
        }
        (Value::String(s), "uint64") if numbers => {
            s.parse::<u64>().map_or_else(|_| v.clone(), Value::from)
        }
        (Value::String(s), "bool") => s.parse::<bool>().map_or_else(|_| v.clone(), Value::Bool),
        _ => v.clone(),
    };
    match value {
        Value::Array(items) => Value::Array(items.iter().map(|v| element(v, true)).collect()),
        single if member.kind == MemberKind::List && mode == Mode::Query => {
            Value::Array(vec![element(single, true)])
        }
        single => element(single, mode == Mode::Canonical),
    }
}

/// Lowercase hex SHA-256 of the canonical JSON of `inputs`.
fn hash_of<T: Serialize>(inputs: &T) -> String {
    let bytes = serde_json::to_vec(inputs).unwrap_or_default();
    hex::encode(Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::Constraints;

    fn member(name: &str, kind: MemberKind, element: &str) -> Member {
        Member {
            name: name.to_owned(),
            kind,
            member: element.to_owned(),
            required: false,
            document: String::new(),
            document_zh: None,
            example: None,
            deprecated: None,
            idempotency_token: false,
            constraints: Constraints::default(),
        }
    }

    #[test]
    fn query_examples_become_json_with_name_n_indices_as_arrays() {
        let members = [
            member("ProxyIds", MemberKind::List, "string"),
            member("Force", MemberKind::Int, "int64"),
            member("DryRun", MemberKind::Bool, "bool"),
        ];
        let objects = BTreeMap::new();
        let json = typed_object(
            &query_to_json("ProxyIds.1=b&ProxyIds.0=a&Force=1&DryRun=true"),
            &members,
            &objects,
            Mode::Query,
        );
        assert_eq!(
            json,
            serde_json::json!({"ProxyIds": ["a", "b"], "Force": "1", "DryRun": true})
        );
        let example = example_model(
            "t",
            &ExampleRequest::Query {
                query: "ProxyIds.0=a&Force=1".to_owned(),
            },
            &members,
            &objects,
        );
        assert_eq!(
            example.canonical,
            serde_json::json!({"ProxyIds": ["a"], "Force": 1})
        );
    }

    fn action_with_errors(errors: &[(&str, &str)]) -> Action {
        serde_json::from_value(serde_json::json!({
            "name": "Terminate instances",
            "document": "",
            "input": "TerminateInstancesRequest",
            "output": "TerminateInstancesResponse",
            "status": "online",
            "rateLimit": 10,
            "errors": errors
                .iter()
                .map(|(code, document)| serde_json::json!({"code": code, "document": document}))
                .collect::<Vec<_>>(),
        }))
        .unwrap()
    }

    #[test]
    fn error_handling_example_shows_the_own_code_described_at_greatest_length() {
        let action = action_with_errors(&[
            ("FailedOperation.InvalidInstanceApplicationRole", ""),
            (
                "InternalError",
                "Internal error, and a long common description that must not win.",
            ),
            ("InvalidInstanceId.Malformed", "Invalid instance ID."),
            (
                "UnsupportedOperation.InstancesProtected",
                "The instance is under termination protection and cannot be terminated.",
            ),
        ]);
        let common = BTreeSet::from(["InternalError"]);
        let shown = showcase_error(&action, &common).unwrap();
        assert_eq!(shown.code, "UnsupportedOperation.InstancesProtected");
    }

    #[test]
    fn error_handling_example_breaks_ties_by_code_and_needs_a_described_own_code() {
        let tie = action_with_errors(&[("B.Same", "Same."), ("A.Same", "Same.")]);
        assert_eq!(
            showcase_error(&tie, &BTreeSet::new()).unwrap().code,
            "A.Same"
        );
        let undescribed = action_with_errors(&[("A.Bare", " "), ("InternalError", "Common.")]);
        assert!(showcase_error(&undescribed, &BTreeSet::from(["InternalError"])).is_none());
    }

    #[test]
    fn library_names_are_the_crate_names_as_rust_writes_them() {
        assert_eq!(FACADE_CRATE.replace('-', "_"), FACADE_LIB);
        assert_eq!(COMMON_CRATE.replace('-', "_"), COMMON_LIB);
    }

    #[test]
    fn serde_rename_is_kept_only_where_pascal_case_would_not_give_the_tencent_name_back() {
        let plain = field_base(
            &member("InstanceIds", MemberKind::List, "string"),
            "instance_ids".to_owned(),
        );
        assert_eq!(
            (plain.rust_name.as_str(), plain.serde_rename),
            ("instance_ids", None)
        );
        let acronym = field_base(
            &member("MFACode", MemberKind::String, "string"),
            "mfa_code".to_owned(),
        );
        assert_eq!(acronym.rust_name, "mfa_code");
        assert_eq!(acronym.serde_rename.as_deref(), Some("MFACode"));
    }
}
