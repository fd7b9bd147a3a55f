//! `<version>/<action>.rs`: request struct with its checks, fluent builder with `send()`, output
//! struct and error type.

use super::error;
use super::fields::{
    Directions, Place, data_struct, element_type, field_checks, optional_field, output_field,
    output_struct, reads_deprecated, setter, uses_check_helpers,
};
use super::text::{RustText, string_literal};
use crate::line;
use crate::model::{
    ActionModel, GroupCheck, PagingModel, SERVICE_CONST, Streaming, WaitStateModel, WaiterModel,
};
use crate::types::{GroupRule, PagingRule};

pub fn emit(action: &ActionModel) -> RustText {
    let mut text = RustText::new();
    text.inner_docs(&action.module_docs);
    text.blank();
    request(&mut text, action);
    text.blank();
    builder(&mut text, action);
    text.blank();
    output(&mut text, action);
    text.blank();
    error::emit(&mut text, action);
    text
}

/// The lints generated code reading `deprecated` fields allows.
fn allows(deprecated: bool) -> &'static [&'static str] {
    if deprecated { &["deprecated"] } else { &[] }
}

fn request(text: &mut RustText, action: &ActionModel) {
    let name = &action.request_type;
    let fields: Vec<_> = action
        .inputs
        .iter()
        .map(|field| optional_field(field, Place::Action, true))
        .collect();
    let allows = allows(reads_deprecated(&action.inputs));
    let sent = Directions {
        sent: true,
        received: false,
    };
    data_struct(text, &action.request_docs, allows, name, sent, &fields);
    text.blank();
    text.open(&format!("impl {name} {{"));
    text.docs(&action.validate_docs);
    super::fields::allow(text, allows);
    text.open("pub fn validate(&self) -> Result<(), tencentcloud_runtime::ValidationError> {");
    if uses_check_helpers(&action.inputs) || !action.group_checks.is_empty() {
        text.line("use tencentcloud_runtime::__private::validate::*;");
    }
    if let Some(member) = &action.multipart {
        line!(
            text,
            "tencentcloud_runtime::__private::validate::multipart_upload({})?;",
            string_literal(member)
        );
    }
    for field in &action.inputs {
        field_checks(text, field, false);
    }
    for group in &action.group_checks {
        group_check(text, group);
    }
    text.line("Ok(())");
    text.close("}");
    text.close("}");
}

fn group_check(text: &mut RustText, group: &GroupCheck) {
    let helper = match group.rule {
        GroupRule::AtLeastOneOf => "at_least_one_of",
        GroupRule::ExactlyOneOf => "exactly_one_of",
    };
    let pairs: Vec<String> = group
        .members
        .iter()
        .map(|(wire, rust)| format!("({}, self.{rust}.is_some())", string_literal(wire)))
        .collect();
    line!(text, "{helper}(&[{}])?;", pairs.join(", "));
}

fn builder(text: &mut RustText, action: &ActionModel) {
    let (name, request) = (&action.builder_type, &action.request_type);
    text.docs(&action.builder_docs);
    text.line("#[derive(Debug, Clone)]");
    text.line("#[must_use = \"a request is only sent by `send()`\"]");
    text.open(&format!("pub struct {name} {{"));
    text.line("client: tencentcloud_runtime::Client,");
    line!(text, "request: {request},");
    text.line("options: tencentcloud_runtime::CallOptions,");
    text.close("}");
    text.blank();
    text.open(&format!("impl {name} {{"));
    text.open("pub(crate) fn new(client: tencentcloud_runtime::Client) -> Self {");
    line!(
        text,
        "Self {{ client, request: {request}::default(), options: tencentcloud_runtime::CallOptions::default() }}"
    );
    text.close("}");
    text.blank();
    for field in &action.inputs {
        setter(text, field, Place::Action);
    }
    text.blank();
    text.line("/// The request as built so far.");
    text.open(&format!("pub fn as_request(&self) -> &{request} {{"));
    text.line("&self.request");
    text.close("}");
    text.blank();
    text.line("/// Settings for this call only (timeouts, retries, region, language, extra headers), over the client's `Config`.");
    text.line("pub fn call_options(mut self, options: tencentcloud_runtime::CallOptions) -> Self { self.options = options; self }");
    text.blank();
    text.docs(&action.send_docs);
    let (output, error) = (&action.output_type, &action.error_type);
    let receiver = receiver(action, false);
    text.open(&format!(
        "pub fn send({receiver}) -> impl Future<Output = Result<{output}, tencentcloud_runtime::SdkError<{error}>>> + Send + 'static {{"
    ));
    checked_body(text, action);
    send_call(text, action, "send");
    text.close("}");
    if let Some(streaming) = &action.streaming {
        send_stream(text, action, streaming);
    }
    if let Some(paging) = &action.paging {
        into_paginator(text, action, paging);
    }
    for waiter in &action.waiters {
        wait_until(text, action, waiter);
    }
    text.close("}");
    if let Some(paging) = &action.paging {
        paging_items(text, action, paging);
    }
    for waiter in &action.waiters {
        waiter_spec(text, action, waiter);
    }
}

fn wait_until(text: &mut RustText, action: &ActionModel, waiter: &WaiterModel) {
    let (output, error) = (&action.output_type, &action.error_type);
    let receiver = receiver(action, false);
    text.blank();
    text.docs(&waiter.docs);
    text.open(&format!(
        "pub fn {}({receiver}) -> tencentcloud_runtime::Waiter<{output}, {error}> {{",
        waiter.method
    ));
    checked_body(text, action);
    let host = host_argument(action);
    line!(
        text,
        "super::{SERVICE_CONST}.wait({host}, self.client, {}, self.options, body, &{})",
        string_literal(&action.name),
        waiter.static_name
    );
    text.close("}");
}

/// The states a waiter looks for, as the runtime reads them.
fn waiter_spec(text: &mut RustText, action: &ActionModel, waiter: &WaiterModel) {
    let states = |text: &mut RustText, key: &str, states: &[WaitStateModel]| {
        if states.is_empty() {
            line!(text, "{key}: &[],");
            return;
        }
        text.open(&format!("{key}: &["));
        for state in states {
            let values: Vec<String> = state
                .values
                .iter()
                .map(|value| {
                    let expected = match value {
                        serde_json::Value::Bool(b) => format!("Boolean({b})"),
                        serde_json::Value::Number(n) => format!("Integer({n})"),
                        other => format!(
                            "Text({})",
                            string_literal(other.as_str().unwrap_or_default())
                        ),
                    };
                    format!("tencentcloud_runtime::__private::Expected::{expected}")
                })
                .collect();
            line!(
                text,
                "tencentcloud_runtime::__private::Acceptor {{ path: {}, test: tencentcloud_runtime::__private::Test::{}(&[{}]) }},",
                path_literal(&state.path),
                if state.all { "All" } else { "Any" },
                values.join(", ")
            );
        }
        text.close("],");
    };
    text.blank();
    line!(
        text,
        "/// The states `{}` waits for in the answers of `{}`.",
        waiter.method,
        action.name
    );
    text.open(&format!(
        "static {}: tencentcloud_runtime::__private::WaiterSpec = tencentcloud_runtime::__private::WaiterSpec {{",
        waiter.static_name
    ));
    line!(text, "name: {},", string_literal(&waiter.words));
    states(text, "success", &waiter.success);
    states(text, "failure", &waiter.failure);
    for (key, seconds) in [
        ("min_delay", waiter.min_delay),
        ("max_delay", waiter.max_delay),
        ("max_wait", waiter.max_wait),
    ] {
        line!(text, "{key}: std::time::Duration::from_secs({seconds}),");
    }
    text.close("};");
}

fn into_paginator(text: &mut RustText, action: &ActionModel, paging: &PagingModel) {
    let (output, error) = (&action.output_type, &action.error_type);
    let item = element_type(&paging.items_type, Place::Action).unwrap_or_default();
    text.blank();
    text.docs(&paging.docs);
    text.open(&format!(
        "pub fn into_paginator(self) -> tencentcloud_runtime::Paginator<{output}, {item}, {error}> {{"
    ));
    text.line("let body = self.request.validate().and_then(|()| tencentcloud_runtime::__private::encode_value(&self.request));");
    let host = host_argument(action);
    line!(
        text,
        "super::{SERVICE_CONST}.paginate({host}, self.client, {}, self.options, body, &PAGING, paged_items)",
        string_literal(&action.name)
    );
    text.close("}");
}

/// The action's paging as the runtime reads it, and the function taking a page's items out.
fn paging_items(text: &mut RustText, action: &ActionModel, paging: &PagingModel) {
    let optional = |path: &Option<Vec<String>>| match path {
        Some(path) => format!("Some({})", path_literal(path)),
        None => "None".to_owned(),
    };
    text.blank();
    line!(text, "/// How `{}` pages.", action.name);
    let rule = match paging.rule {
        PagingRule::Offset => "Offset".to_owned(),
        PagingRule::Page => format!("Page {{ first: {} }}", paging.first_page),
        PagingRule::Token => format!(
            "Token {{ next: {} }}",
            path_literal(paging.next_token.as_deref().unwrap_or_default())
        ),
    };
    text.open("static PAGING: tencentcloud_runtime::__private::Paging = tencentcloud_runtime::__private::Paging {");
    line!(
        text,
        "rule: tencentcloud_runtime::__private::PagingRule::{rule},"
    );
    line!(text, "position: {},", path_literal(&paging.position));
    line!(text, "position_as_text: {},", paging.position_as_text);
    line!(text, "size: {},", optional(&paging.size));
    line!(text, "size_as_text: {},", paging.size_as_text);
    line!(text, "items: {},", path_literal(&paging.items));
    line!(text, "total: {},", optional(&paging.total));
    text.close("};");
    text.blank();
    let item = element_type(&paging.items_type, Place::Action).unwrap_or_default();
    line!(text, "/// The items of one page of `{}`.", action.name);
    if paging.reads_deprecated {
        text.line("#[allow(deprecated)]");
    }
    text.open(&format!(
        "fn paged_items(output: {}) -> Vec<{item}> {{",
        action.output_type
    ));
    text.line(&paging.items_expr);
    text.close("}");
}

fn send_stream(text: &mut RustText, action: &ActionModel, streaming: &Streaming) {
    let (output, error) = (&action.output_type, &action.error_type);
    let receiver = receiver(action, streaming.switch.is_some());
    text.blank();
    text.docs(&streaming.docs);
    text.open(&format!(
        "pub fn send_stream({receiver}) -> impl Future<Output = Result<tencentcloud_runtime::EventStream<{output}, {error}>, tencentcloud_runtime::SdkError<{error}>>> + Send + 'static {{"
    ));
    if let Some(switch) = &streaming.switch {
        line!(text, "self.request.{switch} = Some(true);");
    }
    checked_body(text, action);
    send_call(text, action, "send_stream");
    text.close("}");
}

/// The call of the service version's `method` (`send`, `send_stream`) that sends the action.
fn send_call(text: &mut RustText, action: &ActionModel, method: &str) {
    let host = host_argument(action);
    line!(
        text,
        "super::{SERVICE_CONST}.{method}({host}, self.client, {}, tencentcloud_runtime::Repeatability::{}, self.options, body)",
        string_literal(&action.name),
        action.repeatability
    );
}

/// A sending method's receiver: `mut self` when it fills the idempotency token or sets a
/// member (`sets_member`).
fn receiver(action: &ActionModel, sets_member: bool) -> &'static str {
    if action.idempotency_field.is_some() || sets_member {
        "mut self"
    } else {
        "self"
    }
}

/// `let body = …`: the request checked, its idempotency token filled, encoded.
fn checked_body(text: &mut RustText, action: &ActionModel) {
    match &action.idempotency_field {
        Some((_, token)) => {
            text.open("let body = self.request.validate().and_then(|()| {");
            line!(
                text,
                "tencentcloud_runtime::__private::fill_idempotency_token(&mut self.request.{token});"
            );
            text.line("tencentcloud_runtime::__private::encode(&self.request)");
            text.close("});");
        }
        None => text.line(
            "let body = self.request.validate().and_then(|()| tencentcloud_runtime::__private::encode(&self.request));",
        ),
    }
}

fn output(text: &mut RustText, action: &ActionModel) {
    let fields: Vec<_> = action.outputs.iter().map(output_field).collect();
    let allows = allows(reads_deprecated(&action.outputs));
    output_struct(
        text,
        &action.output_docs,
        allows,
        &action.output_type,
        &fields,
    );
}

/// `&["Result", "List"]`.
fn path_literal(path: &[String]) -> String {
    let steps: Vec<String> = path.iter().map(|step| string_literal(step)).collect();
    format!("&[{}]", steps.join(", "))
}

/// The host argument of the service version's calls: `Some("es.ai")` for an action served on a
/// host of its own, else `None`.
fn host_argument(action: &ActionModel) -> String {
    match &action.host {
        None => "None".to_owned(),
        Some(host) => format!("Some({})", string_literal(host)),
    }
}
