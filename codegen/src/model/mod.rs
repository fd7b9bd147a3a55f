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
    Metadata, Object, Paging, PagingRule, ServiceSpec, WaitState, Waiter,
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
    /// The README's `[dependencies]` line.
    pub readme_dependency: String,
    /// What the headers of the manifest, README and `lib.rs` say they come from.
    pub source: String,
    pub manifest_file: String,
    pub readme_file: String,
    pub lib_file: String,
    /// The common crate's directory as the manifest's dependency names it, for crates that
    /// depend on it.
    pub common_path: Option<String>,
    /// The crate's own version, where an upstream update moved it; `None` for the workspace's.
    pub version: Option<String>,
    /// `CHANGELOG.md` (its path and body), for crates with releases of their own.
    pub changelog: Option<(String, String)>,
}

impl PackageModel {
    /// The version other crates depend on: its own, else the workspace's.
    pub fn published_version(&self) -> &str {
        self.version
            .as_deref()
            .unwrap_or(crate::releases::BASE_VERSION)
    }
}

/// Everything generated: the facade crate, the common crate and one crate per service.
#[derive(Debug, Clone)]
pub struct CrateModel {
    /// The facade's package and the common crate's.
    pub facade: PackageModel,
    pub common: PackageModel,
    /// Doc lines of the facade's crate root.
    pub docs: Vec<String>,
    /// The features (services) its doc examples call, enabled for the facade's own tests.
    pub doc_features: Vec<String>,
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
    /// Module of the example tests listing the actions that have examples and reading each
    /// documented answer by its output type (`services/cvm/tests/examples/v20170312/mod.rs`).
    pub examples_file: String,
    /// Hash of what that file is generated from: the action modules it lists, the actions and
    /// their output types.
    pub examples_hash: String,
    /// The version module as tests name it (`tencentcloud_sdk_cvm::v20170312`).
    pub path: String,
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
    /// The first binary request member (`File`): the action is a `multipart/form-data` upload,
    /// which the SDK refuses before sending.
    pub multipart: Option<String>,
    /// The host the action is served on under the root domain (`es.ai`), when it is not the
    /// service's own.
    pub host: Option<String>,
    /// For an action that can answer with a stream of events: its `send_stream()`.
    pub streaming: Option<Streaming>,
    /// For a paged action: its `into_paginator()`.
    pub paging: Option<PagingModel>,
    /// The `wait_until_*` methods of a read whose resource has states worth waiting for.
    pub waiters: Vec<WaiterModel>,
    /// Path of the request type as the test names it (`tencentcloud_sdk_cvm::v20170312::TerminateInstancesRequest`).
    pub request_path: String,
    /// Hash of everything this action's file is generated from.
    pub inputs_hash: String,
}

/// The `into_paginator()` of a paged action: the runtime's description of its paging, and how
/// a page's items are taken out of its output.
#[derive(Debug, Clone)]
pub struct PagingModel {
    pub rule: PagingRule,
    /// For page numbers: the first page's.
    pub first_page: u8,
    /// For tokens: where the answer gives the next one.
    pub next_token: Option<Vec<String>>,
    pub position: Vec<String>,
    pub position_as_text: bool,
    pub size: Option<Vec<String>>,
    pub size_as_text: bool,
    pub items: Vec<String>,
    pub total: Option<Vec<String>>,
    /// The type of the items' list.
    pub items_type: FieldType,
    /// The expression taking the items out of `output`.
    pub items_expr: String,
    /// The items are reached through a deprecated member.
    pub reads_deprecated: bool,
    /// Doc lines of `into_paginator()`.
    pub docs: Vec<String>,
}

/// A `wait_until_*` method and the runtime's description of the states it waits for.
#[derive(Debug, Clone)]
pub struct WaiterModel {
    /// `wait_until_instance_running`.
    pub method: String,
    /// The static describing it: `INSTANCE_RUNNING`.
    pub static_name: String,
    /// What is waited for, in words: `instance running`.
    pub words: String,
    pub success: Vec<WaitStateModel>,
    pub failure: Vec<WaitStateModel>,
    /// Seconds.
    pub min_delay: u32,
    pub max_delay: u32,
    pub max_wait: u32,
    pub docs: Vec<String>,
}

/// A state a waiter looks for.
#[derive(Debug, Clone)]
pub struct WaitStateModel {
    pub path: Vec<String>,
    /// Every value must match (else one suffices).
    pub all: bool,
    /// Strings, integers or booleans.
    pub values: Vec<Value>,
}

/// The `send_stream()` of a streaming action.
#[derive(Debug, Clone)]
pub struct Streaming {
    /// The Rust field of the request's boolean `Stream` switch, which `send_stream()` sets.
    pub switch: Option<String>,
    /// Doc lines of `send_stream()`.
    pub docs: Vec<String>,
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

mod build;
mod cycles;
pub(crate) use cycles::reachable;
mod examples;
mod fields;
#[cfg(test)]
mod tests;

pub use build::build;
