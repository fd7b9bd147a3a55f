//! Rustdoc text from spec text: escaping, and the wording of constraints, rate limits and examples.
//! Returned as doc lines (one `///` line each, empty string for a blank line).

use serde::Serialize;
use serde_json::Value;

use crate::names;
use crate::types::{
    Action, ErrorCode, ExampleRequest, GroupRule, Member, MemberKind, Metadata, Paging, PagingRule,
    Repeatability, WaitState, Waiter,
};
use crate::validate::{BUILDER_RESERVED, CLIENT_RESERVED};

/// `count` and `word`, in the plural unless there is one (`1 action`, `12 actions`).
pub fn plural(count: usize, word: &str) -> String {
    format!("{count} {word}{}", if count == 1 { "" } else { "s" })
}

/// Escapes what Markdown or rustdoc would misread in spec prose: brackets (intra-doc links), angle
/// brackets (HTML tags), emphasis markers, and bare URLs (wrapped as autolinks).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if word.starts_with("http://") || word.starts_with("https://") {
            let url_end = word
                .find(|c: char| {
                    matches!(c, '<' | '>' | '"' | ')' | '，' | '。') || c.is_whitespace()
                })
                .unwrap_or(word.len());
            let (url, rest) = word.split_at(url_end);
            let url = url.trim_end_matches(['.', ',', ';', ':']);
            out.push('<');
            out.push_str(url);
            out.push('>');
            escape_into(&word[url.len()..url_end], &mut out);
            escape_into(rest, &mut out);
        } else {
            escape_into(word, &mut out);
        }
    }
    out
}

fn escape_into(text: &str, out: &mut String) {
    for (i, c) in text.chars().enumerate() {
        if matches!(c, '\\' | '<' | '>' | '[' | ']' | '*' | '`' | '|')
            || (i == 0 && c == '#' && out.is_empty())
        {
            out.push('\\');
        }
        out.push(c);
    }
}

/// Each non-empty line of `text` as its own paragraph: Tencent's line breaks separate items.
pub fn paragraphs(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.push(escape(line));
    }
    lines
}

fn code_list(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn group_sentence(rule: GroupRule, members: &[String]) -> String {
    match rule {
        GroupRule::AtLeastOneOf => format!("At least one of {} must be set.", code_list(members)),
        GroupRule::ExactlyOneOf => format!("Exactly one of {} must be set.", code_list(members)),
    }
}

/// `text` with its line breaks and runs of spaces as single spaces.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn pretty_json(value: &Value) -> Vec<String> {
    serde_json::to_string_pretty(value)
        .unwrap_or_default()
        .lines()
        .map(str::to_owned)
        .collect()
}

/// Where a doc example finds its items: the crate it imports (`tencentcloud_sdk_cvm`, or the
/// facade `tencentcloud_sdk`) and the service version module in it.
#[derive(Debug, Clone, Serialize)]
pub struct ExamplePaths {
    /// Crate path holding `Config` and `SdkError` (`tencentcloud_sdk_cvm`).
    pub root: String,
    /// Path of the version module holding the `Client` (`tencentcloud_sdk_cvm::v20170312`).
    pub version: String,
}

/// Full documentation of an action (on its builder).
pub fn action(
    metadata: &Metadata,
    paths: &ExamplePaths,
    name: &str,
    action: &Action,
    members: &[Member],
    repeatability: Repeatability,
) -> Vec<String> {
    let mut lines = vec![
        format!("{} (`{name}`).", escape(&action.name)),
        String::new(),
    ];
    lines.extend(paragraphs(&action.document));
    lines.push(String::new());
    match action.status {
        crate::types::ActionStatus::Deprecated => {
            lines.push("**Deprecated**: Tencent Cloud marks this action as deprecated.".to_owned());
            lines.push(String::new());
        }
        crate::types::ActionStatus::Offline => {
            lines.push(
                "**Offline**: Tencent Cloud has taken this action out of service; calls are expected to fail."
                    .to_owned(),
            );
            lines.push(String::new());
        }
        crate::types::ActionStatus::Online => {}
    }
    lines.push(match action.rate_limit {
        Some(limit) => format!("- Rate limit: at most {limit} requests per second."),
        None => "- Rate limit: not documented.".to_owned(),
    });
    lines.push(if metadata.region_required {
        "- Region: required; set it in the `Config`.".to_owned()
    } else {
        "- Region: not needed.".to_owned()
    });
    lines.push(match &action.endpoint {
        Some(endpoint) => format!(
            "- Endpoint: `{endpoint}` (this action's own host; the endpoint override in the `Config` applies to it too), API version `{}`.",
            metadata.api_version
        ),
        None => format!(
            "- Endpoint: `{}`, API version `{}`.",
            metadata.endpoint, metadata.api_version
        ),
    });
    lines.push(retries(repeatability, members));
    if let Some(binary) = members.iter().find(|m| m.kind == MemberKind::Binary) {
        lines.push(format!(
            "- Upload: `{}` makes this a `multipart/form-data` upload, which this SDK cannot send yet: `send()` and `validate()` refuse the request, and nothing is sent.",
            binary.name
        ));
    }
    if !action.constraints.is_empty() {
        lines.push(String::new());
        lines.push("# Constraints".to_owned());
        lines.push(String::new());
        lines.push("Checked by `send()` before anything is sent:".to_owned());
        lines.push(String::new());
        for constraint in &action.constraints {
            lines.push(format!(
                "- {}",
                group_sentence(constraint.rule, &constraint.members)
            ));
        }
    }
    if let Some(example) = usage(paths, name, action, members, false) {
        lines.push(String::new());
        lines.push("# Usage".to_owned());
        lines.push(String::new());
        lines.extend(example);
    }
    for (i, example) in action.examples.iter().enumerate() {
        lines.push(String::new());
        lines.push(format!("# Example {}: {}", i + 1, escape(&example.title)));
        if !example.document.is_empty() {
            lines.push(String::new());
            lines.extend(paragraphs(&example.document));
        }
        lines.push(String::new());
        lines.push("Request:".to_owned());
        lines.push(String::new());
        match &example.request {
            ExampleRequest::Json { body } => {
                lines.push("```json".to_owned());
                lines.extend(pretty_json(body));
            }
            ExampleRequest::Query { query } => {
                lines.push("```text".to_owned());
                lines.push(query.clone());
            }
        }
        lines.push("```".to_owned());
        lines.push(String::new());
        lines.push("Response:".to_owned());
        lines.push(String::new());
        lines.push("```json".to_owned());
        lines.extend(pretty_json(&example.response));
        lines.push("```".to_owned());
    }
    lines
}

/// `client.<method>()` and one `.setter(value)` per parameter of the action's first JSON example,
/// or `None` when there is no such example or it holds nested structures.
fn example_chain(name: &str, action: &Action, members: &[Member]) -> Option<Vec<String>> {
    let body = action.examples.iter().find_map(|e| match &e.request {
        ExampleRequest::Json { body } => body.as_object(),
        ExampleRequest::Query { .. } => None,
    })?;
    let mut chain = vec![
        "client".to_owned(),
        format!("    .{}()", names::snake(name, CLIENT_RESERVED)),
    ];
    let setters = names::field_names(members.iter().map(|m| m.name.as_str()), BUILDER_RESERVED);
    for (key, value) in body {
        let position = members.iter().position(|m| &m.name == key)?;
        let member = &members[position];
        let literal = match value {
            Value::Array(items) => {
                let items: Option<Vec<String>> =
                    items.iter().map(|i| rust_literal(i, member)).collect();
                format!("[{}]", items?.join(", "))
            }
            other => rust_literal(other, member)?,
        };
        chain.push(format!("    .{}({literal})", setters[position]));
    }
    chain.push("    .send()".to_owned());
    Some(chain)
}

/// The hidden lines opening a doc example, and the line creating the client.
fn example_preamble(paths: &ExamplePaths, from_env: bool) -> Vec<String> {
    let mut lines = vec!["```no_run".to_owned()];
    if from_env {
        lines.push("# async fn example() -> Result<(), Box<dyn std::error::Error>> {".to_owned());
        lines.push(
            "// Or Config::builder().credentials(..).region(..).endpoint(..).build()?".to_owned(),
        );
        lines.push(format!("let config = {}::Config::from_env()?;", paths.root));
    } else {
        lines.push(format!(
            "# async fn example(config: &{}::Config) -> Result<(), Box<dyn std::error::Error>> {{",
            paths.root
        ));
    }
    lines.push(format!(
        "let client = {}::Client::new({});",
        paths.version,
        if from_env { "&config" } else { "config" }
    ));
    lines
}

fn example_end(lines: &mut Vec<String>) {
    lines.extend(["# Ok(())", "# }", "```"].map(str::to_owned));
}

/// A compiled (not run) Rust example built from the first JSON example of the action; with
/// `from_env`, it also shows where the `Config` comes from.
pub fn usage(
    paths: &ExamplePaths,
    name: &str,
    action: &Action,
    members: &[Member],
    from_env: bool,
) -> Option<Vec<String>> {
    let chain = example_chain(name, action, members)?;
    let mut lines = example_preamble(paths, from_env);
    let (first, rest) = chain.split_first()?;
    lines.push(format!("let output = {first}"));
    lines.extend(rest.iter().cloned());
    lines.push("    .await?;".to_owned());
    lines.push("println!(\"{}\", output.request_id);".to_owned());
    example_end(&mut lines);
    Some(lines)
}

/// A compiled example matching on the typed error of an action: a documented code of its own,
/// a validation error, and everything else.
pub fn error_handling(
    paths: &ExamplePaths,
    name: &str,
    action: &Action,
    members: &[Member],
    error: &ErrorCode,
    variant: &str,
) -> Option<Vec<String>> {
    let chain = example_chain(name, action, members)?;
    let mut lines = example_preamble(paths, false);
    lines.insert(2, format!("use {}::SdkError;", paths.root));
    lines.insert(3, format!("use {}::{name}Error;", paths.version));
    lines.insert(4, String::new());
    let (first, rest) = chain.split_first()?;
    lines.push(format!("let result = {first}"));
    lines.extend(rest.iter().cloned());
    lines.push("    .await;".to_owned());
    lines.extend([
        "match result {".to_owned(),
        "    Ok(output) => println!(\"done, request id {}\", output.request_id),".to_owned(),
        format!("    // {}: {}", error.code, one_line(&error.document)),
        format!("    Err(SdkError::Service({name}Error::{variant}(err))) => {{"),
        "        println!(\"{} (request id {})\", err.message(), err.request_id())".to_owned(),
        "    }".to_owned(),
        "    // A parameter broke a documented rule; nothing was sent.".to_owned(),
        "    Err(SdkError::Validation(err)) => println!(\"{err}\"),".to_owned(),
        "    Err(err) => return Err(err.into()),".to_owned(),
        "}".to_owned(),
    ]);
    example_end(&mut lines);
    Some(lines)
}

/// A Rust literal for an example value of `member`: numeric strings of integer members become
/// numbers (the pages write `"Force": "1"`); `None` for a value the setter cannot take.
fn rust_literal(value: &Value, member: &Member) -> Option<String> {
    match (value, member.member.as_str()) {
        (Value::String(s), "string") => Some(format!("{s:?}")),
        (Value::String(s), "int64") => s.parse::<i64>().ok().map(|v| v.to_string()),
        (Value::String(s), "uint64") => s.parse::<u64>().ok().map(|v| v.to_string()),
        (Value::String(s), "bool") => s.parse::<bool>().ok().map(|v| v.to_string()),
        (Value::String(s), "float") => s.parse::<f64>().ok().map(|v| format!("{v:?}")),
        (Value::Number(n), "int64") if n.is_i64() => Some(n.to_string()),
        (Value::Number(n), "uint64") if n.is_u64() => Some(n.to_string()),
        (Value::Number(n), "float") => n.as_f64().map(|v| format!("{v:?}")),
        (Value::Bool(b), "bool") => Some(b.to_string()),
        _ => None,
    }
}

fn member_constraints(member: &Member, lines: &mut Vec<String>) {
    let c = &member.constraints;
    let mut words = Vec::new();
    match (c.min_items, c.max_items) {
        (Some(min), Some(max)) => words.push(format!("{min} to {max} items.")),
        (Some(min), None) => words.push(format!("At least {min} items.")),
        (None, Some(max)) => words.push(format!("At most {max} items.")),
        (None, None) => {}
    }
    if let Some(allowed) = &c.allowed {
        let values: Vec<String> = allowed.iter().map(i64::to_string).collect();
        words.push(format!("Allowed values: {}.", code_list(&values)));
    }
    match (c.minimum, c.maximum) {
        (Some(min), Some(max)) => words.push(format!("Between {min} and {max}.")),
        (Some(min), None) => words.push(format!("At least {min}.")),
        (None, Some(max)) => words.push(format!("At most {max}.")),
        (None, None) => {}
    }
    match (c.min_length, c.max_length) {
        (Some(min), Some(max)) => words.push(format!("{min} to {max} characters.")),
        (Some(min), None) => words.push(format!("At least {min} characters.")),
        (None, Some(max)) => words.push(format!("At most {max} characters.")),
        (None, None) => {}
    }
    if c.charset.is_some() {
        words.push("ASCII characters only.".to_owned());
    }
    if let Some(default) = &c.default {
        words.push(format!("Default when omitted: `{default}`."));
    }
    lines.extend(words);
}

/// Documentation of a builder's `send()`.
pub fn send(action: &str, idempotency_token: Option<&str>, streaming: bool) -> Vec<String> {
    let mut line = format!(
        "Checks the parameters (see [`{action}Request::validate`]), then sends the request, retrying as the `Config` says."
    );
    if let Some(token) = idempotency_token {
        line.push_str(&format!(
            " Without a `{token}` set (or with an empty one), a fresh UUID is sent as the token, the same for every retry of this call."
        ));
    }
    let mut errors = format!(
        "`SdkError::Validation` (nothing sent) when a parameter breaks a documented rule; `SdkError::Service` with a [`{action}Error`] when Tencent Cloud answers with an error; otherwise credentials, transport, timeout or response errors."
    );
    if streaming {
        errors.push_str(
            " An answer streamed as events fails with `ResponseErrorKind::EventStream` without waiting for its end: read it with `send_stream()`.",
        );
    }
    vec![
        line,
        String::new(),
        "# Errors".to_owned(),
        String::new(),
        errors,
    ]
}

/// Documentation of a paged action's `into_paginator()`.
pub fn into_paginator(action: &str, paging: &Paging) -> Vec<String> {
    let path = |path: &[String]| format!("`{}`", path.join("."));
    let how = match paging.rule {
        PagingRule::Offset => format!("advancing {} by the items read", path(&paging.position)),
        PagingRule::Page => format!(
            "numbering the pages with {} from {}",
            path(&paging.position),
            paging.first_page.unwrap_or(1)
        ),
        PagingRule::Token => format!(
            "sending back in {} the token the answer gives in {}",
            path(&paging.position),
            paging
                .next_token
                .as_deref()
                .map_or_else(|| "its token member".to_owned(), &path)
        ),
    };
    let end = match &paging.total {
        Some(total) => format!(
            "until {} items have been read (or a page is empty)",
            path(total)
        ),
        None => "until a page is empty".to_owned(),
    };
    vec![
        format!(
            "Checks the parameters, then pages through every result from this request: `pages()` gives each [`{action}Output`], `items()` each of {}, {how}, {end}.",
            path(&paging.items)
        ),
        String::new(),
        "Each page is a read, retried as reads are; a listing whose pages do not advance ends with `ResponseErrorKind::PagesStalled` instead of repeating.".to_owned(),
    ]
}

/// Documentation of a `wait_until_*` method: the waiter's own document (both languages), the
/// states it looks for and its timing.
pub fn waiter(action: &str, waiter: &Waiter) -> Vec<String> {
    let state = |state: &WaitState| {
        let (how, values) = if state.all.is_empty() {
            ("one of", &state.any)
        } else {
            ("every one of", &state.all)
        };
        let values: Vec<String> = values
            .iter()
            .map(|v| match v {
                Value::String(text) => format!("`{text}`"),
                other => format!("`{other}`"),
            })
            .collect();
        format!(
            "{how} `{}` is {}",
            state.path.join("."),
            values.join(" or ")
        )
    };
    let states = |states: &[WaitState], joint: &str| -> String {
        states.iter().map(state).collect::<Vec<_>>().join(joint)
    };
    let mut lines = paragraphs(&waiter.document);
    if let Some(zh) = &waiter.document_zh {
        lines.push(String::new());
        lines.extend(paragraphs(zh));
    }
    lines.extend([
        String::new(),
        format!(
            "Checks the parameters, then polls `{action}` with them until {} (the output of that answer is the result).",
            states(&waiter.success, ", and ")
        ),
    ]);
    if !waiter.failure.is_empty() {
        lines.push(format!(
            "The wait fails with `WaitErrorKind::Failed`, keeping that answer, when {}.",
            states(&waiter.failure, ", or when ")
        ));
    }
    lines.extend([
        String::new(),
        format!(
            "Polls {} s apart at first, backing off with jitter to {} s, for at most {} s (`WaitErrorKind::TimedOut`, keeping the last answer); change these on the returned `Waiter` (`delays`, `max_wait`). Each poll is a read, retried as reads are.",
            waiter.min_delay, waiter.max_delay, waiter.max_wait
        ),
    ]);
    lines
}

/// Documentation of a streaming action's `send_stream()`; `switch`: the request has the
/// `Stream` parameter that asks for a stream.
pub fn send_stream(action: &str, switch: bool) -> Vec<String> {
    let asks = if switch {
        "Sets `Stream`, checks the parameters"
    } else {
        "Checks the parameters"
    };
    vec![
        format!(
            "{asks} and sends the request as `send()` does, then returns the answer's events as they arrive, each event's data read as a [`{action}Output`]; an answer that does not stream is the one event. Retried as the `Config` says until the answer begins, never after."
        ),
        String::new(),
        "# Errors".to_owned(),
        String::new(),
        format!(
            "Those of `send()` until the answer begins. Then the stream's items: `SdkError::Service` with a [`{action}Error`] for an error the service sends as an event (the stream ends), `SdkError::Stream` for a stream that broke off (idle timeout, connection cut, event too large; it says how much had arrived) or an event that is not JSON (the stream goes on)."
        ),
    ]
}

/// The line saying how the action is retried.
fn retries(repeatability: Repeatability, members: &[Member]) -> String {
    let token = members.iter().find(|m| m.idempotency_token);
    match (repeatability, token) {
        (Repeatability::Read, _) => {
            "- Retries: a read, so retried after any transient failure.".to_owned()
        }
        (Repeatability::Idempotent, Some(token)) => format!(
            "- Retries: safe to repeat thanks to its `{}` token, so retried after any transient failure.",
            token.name
        ),
        (Repeatability::Idempotent, None) => {
            "- Retries: idempotent, so retried after any transient failure.".to_owned()
        }
        // Not safe to repeat, and the conservative reading of any class added later.
        _ => "- Retries: not safe to repeat, so retried only when the request certainly did not act (connection refused, throttling); after a lost answer, a timeout or `InternalError` the error says the request may have taken effect (`SdkError::may_have_taken_effect`).".to_owned(),
    }
}

/// Documentation of a request parameter.
pub fn input_member(member: &Member, action: &Action) -> Vec<String> {
    let groups = action
        .constraints
        .iter()
        .filter(|constraint| constraint.members.contains(&member.name))
        .map(|constraint| group_sentence(constraint.rule, &constraint.members))
        .collect();
    let token = member.idempotency_token.then_some(
        "Idempotency token: when it is not set (or empty), `send()` fills it with a fresh UUID, the same for every retry of that call.",
    );
    member_docs(member, "Required.", groups, token)
}

/// Documentation of the setter of a member whose field is `target::field`: one line with a
/// link to the field, whose documentation has the rules and the example, then the description's
/// first line, so the rest stands once in the generated files and in the diff of a change.
pub fn setter(member: &Member, target: &str, field: &str) -> Vec<String> {
    let required = if member.required { " (required)" } else { "" };
    let summary = member
        .document
        .lines()
        .map(str::trim)
        .find(|line| !line.is_empty())
        .map(|line| format!(": {}", escape(line)))
        .unwrap_or_default();
    vec![format!(
        "Sets [`{field}`]({target}::{field}){required}{summary}"
    )]
}

/// Documentation of a member of a nested structure.
pub fn type_member(member: &Member) -> Vec<String> {
    member_docs(member, "Required in requests.", Vec::new(), None)
}

/// The description, then one line of what the SDK checks and knows about the member
/// (requiredness, its own constraints, the rules it shares with others, deprecation, `extra`, the
/// example) ending with the Tencent name.
fn member_docs(
    member: &Member,
    required: &str,
    group_rules: Vec<String>,
    extra: Option<&str>,
) -> Vec<String> {
    let mut lines = paragraphs(&member.document);
    if lines.is_empty() {
        lines.push(format!("`{}`.", member.name));
    }
    let mut facts = vec![
        if member.required {
            required
        } else {
            "Optional."
        }
        .to_owned(),
    ];
    member_constraints(member, &mut facts);
    facts.extend(group_rules);
    if let Some(deprecated) = &member.deprecated {
        facts.push(format!(
            "Deprecated: use `{}` instead.",
            deprecated.replacement
        ));
    }
    facts.extend(extra.map(str::to_owned));
    facts.extend(example(member));
    facts.push(format!("Tencent name: `{}`.", member.name));
    lines.push(String::new());
    lines.push(facts.join(" "));
    lines
}

/// `Example: `value`.`, for an example a code span can hold.
fn example(member: &Member) -> Option<String> {
    member
        .example
        .as_deref()
        .filter(|e| !e.contains('`') && !e.contains('\n'))
        .map(|example| format!("Example: `{example}`."))
}

/// Documentation of a response field.
pub fn output_member(member: &Member) -> Vec<String> {
    let mut lines = paragraphs(&member.document);
    if lines.is_empty() {
        lines.push(format!("`{}`.", member.name));
    }
    let mut facts: Vec<String> = example(member).into_iter().collect();
    if member.required && member.kind != MemberKind::List && member.name != "RequestId" {
        facts.push(
            "Documented as always present; `None` when an answer leaves it out or sends `null`."
                .to_owned(),
        );
    }
    if !facts.is_empty() {
        lines.push(String::new());
        lines.push(facts.join(" "));
    }
    lines
}

/// Documentation of an error variant: the code and its description (English, else Chinese).
pub fn error_code(error: &ErrorCode) -> Vec<String> {
    let description = if error.document.trim().is_empty() {
        error.document_zh.as_deref().unwrap_or_default()
    } else {
        &error.document
    };
    let description = one_line(description);
    if description.is_empty() {
        vec![format!("`{}`.", error.code)]
    } else {
        vec![format!("`{}`: {}", error.code, escape(&description))]
    }
}

/// Documentation of the crate root: what the crate is, its services and features, and a usage
/// example from the first documented action.
pub fn crate_root(
    services: &[(String, String, String, String, Vec<String>)],
    usage: Option<Vec<String>>,
    error_handling: Option<Vec<String>>,
) -> Vec<String> {
    let mut lines = vec![
        "Typed Rust SDK for Tencent Cloud API 3.0, generated by `tencentcloud-codegen` from the JSON specs in `specs/`.".to_owned(),
        String::new(),
        "Each service version is a module with a `Client`, as in Tencent's official SDKs (`cvm::v20170312`). Each action is a `Client` method returning a builder; its `send()` checks the documented parameter rules before anything is sent, fills the idempotency token, and returns a typed output or a typed error with one variant per documented error code.".to_owned(),
        String::new(),
        "# Services".to_owned(),
        String::new(),
        "Each service is a crate of its own, re-exported here behind a cargo feature of the same name. No service is enabled by default: enable those the program calls, `tencentcloud-sdk = { version = \"0.1\", features = [\"cvm\", \"vpc\"] }`, or depend on a service crate directly:".to_owned(),
        String::new(),
    ];
    for (feature, module, crate_name, name_en, versions) in services {
        lines.push(format!(
            "- `{module}` (feature `{feature}`, crate `{crate_name}`): {}, API version{} {}",
            escape(name_en),
            if versions.len() == 1 { "" } else { "s" },
            code_list(versions)
        ));
    }
    lines.extend([
        String::new(),
        "Requests derive `serde::Serialize` and outputs `serde::Deserialize`, the directions a call needs (deriving both would double what serde costs to compile); a nested structure derives what the requests and responses holding it need. The feature `full-serde` derives both on every structure, to read a request from JSON or write an output as JSON.".to_owned(),
    ]);
    if let Some(usage) = usage {
        lines.extend([String::new(), "# Usage".to_owned(), String::new()]);
        lines.extend(usage);
    }
    if let Some(error_handling) = error_handling {
        lines.extend([
            String::new(),
            "# Errors".to_owned(),
            String::new(),
            "`send()` fails with `SdkError`: `Validation` before anything is sent, `Service` with the action's typed error when Tencent Cloud answers with an error code (every variant keeps the message and request id), or a credentials, transport, timeout or response error.".to_owned(),
            String::new(),
        ]);
        lines.extend(error_handling);
        lines.extend([
            String::new(),
            "Every `SdkError` answers `code()`, `message()` and `request_id()` (as `Option`s: a transport error has no code), `attempts()`, `may_have_taken_effect()` and `retry_refusal()`. To test for one documented code without a `match`, compare the typed error: `matches!(err.as_service_error(), Some(TerminateInstancesError::InvalidInstanceIdNotFound(_)))`; `into_service_error()` takes it out. One `matches!` serves every variant, where a generated `is_<variant>()` method per code would add thousands of functions to each service crate's build.".to_owned(),
        ]);
    }
    lines
}

/// Documentation of the common crate's root.
pub fn common_crate() -> Vec<String> {
    vec![
        "The error codes every Tencent Cloud API 3.0 action can return, shared by the service crates of `tencentcloud-sdk`.".to_owned(),
        String::new(),
        "Generated by `tencentcloud-codegen` from `specs/common.json`. Each action's error type decodes these codes to its `Common` variant holding a [`CommonError`].".to_owned(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_and_html_in_spec_prose_are_escaped() {
        assert_eq!(
            escape("Array<String> [a] *b*"),
            "Array\\<String\\> \\[a\\] \\*b\\*"
        );
        assert_eq!(escape("# not a heading"), "\\# not a heading");
    }

    #[test]
    fn bare_urls_become_autolinks() {
        assert_eq!(
            escape("see https://cloud.tencent.com/document/api/213/15730."),
            "see <https://cloud.tencent.com/document/api/213/15730>."
        );
    }

    #[test]
    fn line_breaks_of_descriptions_become_paragraphs() {
        assert_eq!(
            paragraphs("1: forced\n0: not forced\n"),
            ["1: forced", "", "0: not forced"]
        );
    }

    #[test]
    fn error_variant_docs_fall_back_to_chinese_then_to_the_code() {
        let mut error = ErrorCode {
            code: "A.B".to_owned(),
            document: String::new(),
            document_zh: Some("中文".to_owned()),
        };
        assert_eq!(error_code(&error), ["`A.B`: 中文"]);
        error.document_zh = None;
        assert_eq!(error_code(&error), ["`A.B`."]);
    }
}
