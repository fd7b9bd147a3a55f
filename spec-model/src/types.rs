//! The spec file format, as typed Rust values.
//!
//! A spec file describes one service version (`specs/<service>/<yyyy-mm-dd>.json`) and stays close to
//! Tencent's own published API description (`metadata`, `actions`, `objects` whose `members` carry
//! `type`/`member`/`required`/`document`/`example`), extended with what the reference pages state in
//! prose: rate limits, constraints, idempotency tokens, deprecations, error codes and examples.
//! `specs/README.md` documents every field.
//!
//! These types are what a *validated* spec deserializes into: `load` + `validate` check a raw JSON
//! value first and report every problem with its JSON path, so deserializing into these types after
//! validation cannot fail for a reason validation did not name. The emulator reads specs through
//! these same types.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One service version: `specs/<service>/<api version>.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceSpec {
    /// Version of the spec format itself; currently `"1.0"`.
    pub version: String,
    pub metadata: Metadata,
    /// Actions by their Tencent name (`TerminateInstances`).
    pub actions: BTreeMap<String, Action>,
    /// Request, response and nested structure objects by name (`TerminateInstancesRequest`).
    pub objects: BTreeMap<String, Object>,
    /// Error codes of the service version as a whole (Tencent's `errorcodes.py`), sorted by code:
    /// what an action whose own codes are not documented can return besides the common codes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ErrorCode>,
    /// Resources written by an overlay for the emulator, by name: added, replacing the one the
    /// naming families give, or (`null`) removing it. See `resources`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub resources: BTreeMap<String, Option<crate::resources::Resource>>,
}

/// Service-level facts from the reference pages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Metadata {
    /// Service name used in the endpoint and the credential scope (`cvm`).
    pub service_short_name: String,
    /// API version sent as `X-TC-Version` (`2017-03-12`).
    pub api_version: String,
    /// English product name (`Cloud Virtual Machine`).
    #[serde(rename = "serviceNameEN")]
    pub service_name_en: String,
    /// Chinese product name (`云服务器`).
    #[serde(rename = "serviceNameCN")]
    pub service_name_cn: String,
    /// Default endpoint host (`cvm.tencentcloudapi.com`).
    pub endpoint: String,
    /// Whether the common parameter `Region` (`X-TC-Region`) is required by this service's actions.
    pub region_required: bool,
    /// One-paragraph description of the service.
    pub document: String,
}

/// One API action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Action {
    /// Short human title (`Terminate instances`).
    pub name: String,
    /// English description from the reference page.
    pub document: String,
    /// Chinese description from the reference page, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_zh: Option<String>,
    /// Name of the request object in `objects`.
    pub input: String,
    /// Name of the response object in `objects`.
    pub output: String,
    /// `online`, `deprecated` or `offline`.
    pub status: ActionStatus,
    /// Documented default request rate limit, in requests per second; `None` where no page states one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_limit: Option<u32>,
    /// Rules that span several request members ("Bandwidth or Concurrent must be set").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub constraints: Vec<GroupConstraint>,
    /// Error codes documented for this action (union of the English and Chinese pages), sorted by
    /// code; empty when no page lists the action's own codes (the service version's codes apply).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ErrorCode>,
    /// Request/response examples from the reference pages.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<Example>,
    /// Overrides the rule that decides whether the action is safe to repeat
    /// ([`repeatability`](crate::repeatability)); `None` for nearly every action.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repeatability: Option<Repeatability>,
    /// The host the action is served on when it is not the service's `endpoint`
    /// (`es.ai.tencentcloudapi.com`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    /// Whether the action can answer with a stream of server-sent events
    /// (`text/event-stream`) instead of one JSON answer.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub streaming: bool,
    /// For a streaming action: the `data` of each event of the first streamed answer the
    /// reference pages show, in order (JSON objects); empty when none is documented.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<serde_json::Value>,
    /// How the action pages through a long list, when it does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paging: Option<Paging>,
    /// States of a resource worth waiting for, read from this action's answers (a read): each
    /// becomes a `wait_until_*` method of the action's builder. Written in overlays, from the
    /// reference pages.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub waiters: Vec<Waiter>,
}

/// A wait on one read action: polled until a success state or a failure state is seen, or
/// `maxWait` passes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Waiter {
    /// What is waited for, in PascalCase: `InstanceRunning` (`wait_until_instance_running`).
    pub name: String,
    /// What the wait means and where the states are documented, in English.
    pub document: String,
    /// The same in Chinese.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_zh: Option<String>,
    /// States that, all holding in one answer, end the wait with success (`Status` is 1 and
    /// `TaskStatus` is 0).
    pub success: Vec<WaitState>,
    /// States the resource will not leave for a success state; any one ends the wait with an
    /// error.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failure: Vec<WaitState>,
    /// The first and least delay between polls, in seconds.
    pub min_delay: u32,
    /// The longest delay between polls, in seconds.
    pub max_delay: u32,
    /// How long to wait by default, in seconds.
    pub max_wait: u32,
}

/// A state, seen in the values of one answer member: `all` of them among the given values
/// (and at least one value), or `any` of them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct WaitState {
    /// The member, from the answer's top level; a list on the way is read item by item
    /// (`["InstanceSet", "InstanceState"]`: the state of every instance).
    pub path: Vec<String>,
    /// Every value must be one of these.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub all: Vec<serde_json::Value>,
    /// One value being one of these suffices.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub any: Vec<serde_json::Value>,
}

/// How an action pages: which request member says where a page starts, where the answer puts
/// the items and the total. Paths name members from the request's (or response's) top level:
/// `["Filter", "Offset"]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Paging {
    pub rule: PagingRule,
    /// The offset, page number or token member of the request.
    pub position: Vec<String>,
    /// The page size member of the request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<Vec<String>>,
    /// For page numbers: the first page's number (0 or 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_page: Option<u8>,
    /// The list of items in the response.
    pub items: Vec<String>,
    /// The number of items in all pages, when the response says it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<Vec<String>>,
    /// For tokens: where the response puts the next page's token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<Vec<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PagingRule {
    /// The request names the first item's offset; the next page starts after the items read.
    Offset,
    /// The request names a page by its number.
    Page,
    /// The request sends back the token the previous page's answer gave.
    Token,
}

pub use tencentcloud_vocabulary::Repeatability;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ActionStatus {
    Online,
    Deprecated,
    /// Tencent has taken the action out of service; calls are expected to fail.
    Offline,
}

/// A rule over several members of the action's request object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct GroupConstraint {
    pub rule: GroupRule,
    /// Member names of the request object, at least two.
    pub members: Vec<String>,
    /// The sentence of the reference page this rule comes from.
    pub document: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum GroupRule {
    /// At least one of the members must be set.
    AtLeastOneOf,
    /// Exactly one of the members must be set (an old parameter and its replacement).
    ExactlyOneOf,
}

/// A documented error code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ErrorCode {
    /// `Word(.Word)*`, e.g. `UnsupportedOperation.InstancesProtected`.
    pub code: String,
    /// English description; empty where the English page gives none.
    pub document: String,
    /// Chinese description, when the Chinese page lists the code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_zh: Option<String>,
}

/// A request/response example.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Example {
    pub title: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub document: String,
    pub request: ExampleRequest,
    /// The whole response body, `{"Response": {...}}`.
    pub response: serde_json::Value,
}

/// How the example request is written on the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "format", rename_all = "lowercase", deny_unknown_fields)]
pub enum ExampleRequest {
    /// A `POST` with a JSON body (values exactly as the page writes them, e.g. `"Force": "1"`).
    Json { body: serde_json::Value },
    /// A `GET` with query parameters, arrays as `Name.N` (the older Chinese pages).
    Query { query: String },
}

/// A structure: an action's request or response, or a nested object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Object {
    /// Always `"object"` (Tencent's format).
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub document: String,
    /// Members in the order the reference page lists them.
    pub members: Vec<Member>,
}

/// One member of an object: a request parameter or a response field.
///
/// No `deny_unknown_fields` here: serde does not support it beside `flatten`; validation of the raw
/// JSON rejects unknown member fields instead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Member {
    /// Tencent name (`InstanceIds`), without the `.N` suffix of array parameters.
    pub name: String,
    /// JSON category: `string`, `int`, `bool`, `float`, `binary`, `list` or `object`.
    #[serde(rename = "type")]
    pub kind: MemberKind,
    /// Precise type: for scalars `string`, `datetime`, `datetime_iso`, `date` (strings in those
    /// formats), `int64`, `uint64`, `bool`, `float` or `binary`; for `list` the element type (a
    /// scalar name or an object name); for `object` the object name.
    pub member: String,
    pub required: bool,
    /// English description.
    pub document: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_zh: Option<String>,
    /// Example value as the page writes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<String>,
    /// Set when the page calls this an old parameter and names its replacement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<Deprecation>,
    /// The idempotency token of the action (`ClientToken`): filled by the SDK when the caller does not.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub idempotency_token: bool,
    /// Machine-readable forms of the constraints the page states in prose.
    #[serde(flatten)]
    pub constraints: Constraints,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MemberKind {
    String,
    Int,
    Bool,
    Float,
    /// Bytes: the official SDKs upload an action with such a request member as
    /// `multipart/form-data`.
    Binary,
    List,
    Object,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deprecation {
    /// Name of the member to use instead, in the same object.
    pub replacement: String,
}

/// Constraints on one member. Which apply depends on the member's type: `enum`/`minimum`/`maximum`/
/// `default` to integers, `minLength`/`maxLength`/`charset` to strings, `minItems`/`maxItems` to lists.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Constraints {
    /// The only allowed values.
    #[serde(default, rename = "enum", skip_serializing_if = "Option::is_none")]
    pub allowed: Option<Vec<i64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum: Option<i64>,
    /// The value the service assumes when the member is omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u32>,
    /// Maximum length in characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u32>,
    /// `ascii` when only ASCII characters are allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub charset: Option<Charset>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_items: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_items: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Charset {
    Ascii,
}

/// `specs/common.json`: error codes every action can return (Tencent's "Common Error Codes" page).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommonSpec {
    pub version: String,
    pub errors: Vec<ErrorCode>,
}
