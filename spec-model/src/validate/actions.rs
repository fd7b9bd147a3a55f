//! Actions: their names, objects, error codes, rules over several parameters and examples.

use super::*;

pub(super) fn check_actions(
    ctx: &mut Ctx<'_>,
    actions: &Map<String, Value>,
    objects: &BTreeMap<String, ObjectInfo>,
    common_codes: &[String],
) {
    let mut action_paths = BTreeMap::new();
    for (name, action) in actions {
        let path = format!("$.actions.{name}");
        if check_upper_name(ctx, &path, "action", name) {
            action_paths.insert(name.clone(), path.clone());
        }
        check_action(ctx, &path, action, objects, common_codes);
    }
    check_name_collisions(
        ctx,
        action_paths.iter(),
        |n| names::snake(n, CLIENT_RESERVED),
        "client method",
    );
    let mut type_names = BTreeMap::new();
    for name in action_paths.keys() {
        for suffix in ["Request", "Output", "Builder", "Error"] {
            type_names.insert(format!("{name}{suffix}"), name.clone());
        }
    }
    for (name, path) in &action_paths {
        if type_names.contains_key(name) || name == "Client" {
            ctx.report(
                path,
                format!("action `{name}` collides with a generated type of the same name"),
            );
        }
    }
}

pub(super) fn check_action(
    ctx: &mut Ctx<'_>,
    path: &str,
    action: &Value,
    objects: &BTreeMap<String, ObjectInfo>,
    common_codes: &[String],
) {
    let Some(map) = ctx.object(
        path,
        action,
        &["name", "document", "input", "output", "status"],
        &[
            "documentZh",
            "rateLimit",
            "errors",
            "constraints",
            "examples",
            "repeatability",
            "endpoint",
            "streaming",
            "events",
            "paging",
            "waiters",
        ],
    ) else {
        return;
    };
    ctx.bool(path, map, "streaming");
    if let Some(endpoint) = ctx.string(path, map, "endpoint") {
        let host = endpoint
            .strip_suffix(ROOT_DOMAIN_SUFFIX)
            .unwrap_or_default();
        let plain = !host.is_empty()
            && host.split('.').all(|label| {
                !label.is_empty()
                    && label
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            });
        if !plain {
            ctx.report(
                &format!("{path}.endpoint"),
                format!("endpoint `{endpoint}` must be a host name under tencentcloudapi.com, such as es.ai.tencentcloudapi.com"),
            );
        }
    }
    for key in ["name", "document", "documentZh"] {
        ctx.string(path, map, key);
    }
    if let Some(repeatability) = ctx.string(path, map, "repeatability")
        && !["read", "idempotent", "notRepeatable"].contains(&repeatability)
    {
        ctx.report(
            &format!("{path}.repeatability"),
            format!(
                "unknown repeatability `{repeatability}` (known: idempotent, notRepeatable, read)"
            ),
        );
    }
    if let Some(status) = ctx.string(path, map, "status")
        && !["online", "deprecated", "offline"].contains(&status)
    {
        ctx.report(
            &format!("{path}.status"),
            format!("unknown status `{status}` (known: deprecated, offline, online)"),
        );
    }
    if ctx.u32(path, map, "rateLimit") == Some(0) {
        ctx.report(
            &format!("{path}.rateLimit"),
            "a rate limit of 0 requests per second makes the action unusable",
        );
    }
    let resolve = |ctx: &mut Ctx<'_>, key: &str| {
        let name = ctx.string(path, map, key)?;
        let found = objects.get(name);
        if found.is_none() {
            ctx.report(
                &format!("{path}.{key}"),
                format!("{key} object `{name}` is not defined in `objects`"),
            );
        }
        found.map(|info| (name.to_owned(), info))
    };
    let input = resolve(ctx, "input");
    let output = resolve(ctx, "output");
    if let Some((output_name, info)) = &output
        && info
            .members
            .get("RequestId")
            .is_none_or(|(kind, _)| kind != "string")
    {
        ctx.report(
            &format!("{path}.output"),
            format!("output object `{output_name}` needs a string member `RequestId`"),
        );
    }
    if let Some(errors) = ctx.array(path, map, "errors") {
        let codes = check_error_codes(ctx, &format!("{path}.errors"), errors);
        check_variant_collisions(ctx, &codes, common_codes);
    }
    let input_info = input.as_ref().map(|(_, info)| *info);
    if let Some(constraints) = ctx.array(path, map, "constraints") {
        for (i, constraint) in constraints.iter().enumerate() {
            check_group_constraint(
                ctx,
                &format!("{path}.constraints[{i}]"),
                constraint,
                input_info,
            );
        }
    }
    if let Some(examples) = ctx.array(path, map, "examples") {
        for (i, example) in examples.iter().enumerate() {
            check_example(ctx, &format!("{path}.examples[{i}]"), example, input_info);
        }
    }
    if let Some(paging) = map.get("paging").filter(|p| !p.is_null()) {
        let output_info = output.as_ref().map(|(_, info)| *info);
        check_paging(
            ctx,
            &format!("{path}.paging"),
            paging,
            input_info,
            output_info,
            objects,
        );
    }
    if let Some(waiters) = ctx.array(path, map, "waiters") {
        let name = path.rsplit('.').next().unwrap_or_default();
        let reads = map
            .get("repeatability")
            .and_then(Value::as_str)
            .map_or_else(
                || tencentcloud_vocabulary::is_read_action(name),
                |r| r == "read",
            );
        if !reads {
            ctx.report(
                &format!("{path}.waiters"),
                "a waiter polls its action again and again: the action must be a read",
            );
        }
        let output_info = output.as_ref().map(|(_, info)| *info);
        let mut names = BTreeMap::new();
        for (i, waiter) in waiters.iter().enumerate() {
            let place = format!("{path}.waiters[{i}]");
            if let Some(name) = check_waiter(ctx, &place, waiter, output_info, objects)
                && let Some(first) = names.insert(name.clone(), i)
            {
                ctx.report(
                    &format!("{place}.name"),
                    format!("duplicate waiter `{name}` (first at waiters[{first}])"),
                );
            }
        }
    }
    if let Some(events) = ctx.array(path, map, "events") {
        if map.get("streaming") != Some(&Value::Bool(true)) {
            ctx.report(
                &format!("{path}.events"),
                "events are documented only for a streaming action (`\"streaming\": true`)",
            );
        }
        for (i, event) in events.iter().enumerate() {
            if !event.is_object() {
                ctx.report(
                    &format!("{path}.events[{i}]"),
                    "an event's data must be a JSON object",
                );
            }
        }
    }
}

/// Error codes of an action plus the common codes must map to distinct variants.
pub(super) fn check_variant_collisions(
    ctx: &mut Ctx<'_>,
    codes: &[(String, String)],
    common_codes: &[String],
) {
    let mut variants: BTreeMap<String, String> = BTreeMap::new();
    for code in common_codes {
        variants.insert(names::error_variant(code), format!("common code `{code}`"));
    }
    for (code, code_path) in codes {
        if common_codes.contains(code) {
            continue;
        }
        let variant = names::error_variant(code);
        if !names::is_rust_ident(&variant) {
            ctx.report(
                code_path,
                format!(
                    "error code `{code}` converts to `{variant}`, which is not a Rust identifier"
                ),
            );
        } else if let Some(other) = variants.insert(variant.clone(), format!("`{code}`")) {
            ctx.report(
                code_path,
                format!("error code `{code}` and {other} both convert to the variant `{variant}`"),
            );
        }
    }
}

pub(super) fn check_group_constraint(
    ctx: &mut Ctx<'_>,
    path: &str,
    constraint: &Value,
    input: Option<&ObjectInfo>,
) {
    let Some(map) = ctx.object(path, constraint, &["rule", "members", "document"], &[]) else {
        return;
    };
    ctx.string(path, map, "document");
    if let Some(rule) = ctx.string(path, map, "rule")
        && rule != "atLeastOneOf"
        && rule != "exactlyOneOf"
    {
        ctx.report(
            &format!("{path}.rule"),
            format!("unknown rule `{rule}` (known: atLeastOneOf, exactlyOneOf)"),
        );
    }
    let Some(members) = ctx.array(path, map, "members") else {
        return;
    };
    if members.len() < 2 {
        ctx.report(
            &format!("{path}.members"),
            "a group constraint needs at least two members",
        );
    }
    let mut seen = BTreeSet::new();
    for (i, member) in members.iter().enumerate() {
        let member_path = format!("{path}.members[{i}]");
        let Some(name) = member.as_str() else {
            ctx.report(
                &member_path,
                format!("expected a member name, found {}", kind_of(member)),
            );
            continue;
        };
        if !seen.insert(name) {
            ctx.report(&member_path, format!("`{name}` is listed twice"));
        } else if let Some(input) = input
            && !input.name_paths.contains_key(name)
        {
            ctx.report(
                &member_path,
                format!("`{name}` is not a parameter of the action's input"),
            );
        }
    }
}

pub(super) fn check_example(
    ctx: &mut Ctx<'_>,
    path: &str,
    example: &Value,
    input: Option<&ObjectInfo>,
) {
    let Some(map) = ctx.object(
        path,
        example,
        &["title", "request", "response"],
        &["document"],
    ) else {
        return;
    };
    ctx.string(path, map, "title");
    ctx.string(path, map, "document");
    if let Some(response) = ctx.map(path, map, "response") {
        let response_path = format!("{path}.response");
        if !response.get("Response").is_some_and(Value::is_object) {
            ctx.report(
                &response_path,
                "an example response is an object `{\"Response\": {...}}`",
            );
        }
    }
    let Some(request) = ctx.map(path, map, "request") else {
        return;
    };
    let request_path = format!("{path}.request");
    let request_value = Value::Object(request.clone());
    let mut names: Vec<(String, String)> = Vec::new();
    match request.get("format").and_then(Value::as_str) {
        Some("json") => {
            if let Some(body) = ctx
                .object(&request_path, &request_value, &["format", "body"], &[])
                .and_then(|_| ctx.map(&request_path, request, "body"))
            {
                names = body
                    .keys()
                    .map(|k| (k.clone(), format!("{request_path}.body.{k}")))
                    .collect();
            }
        }
        Some("query") => {
            if let Some(query) = ctx
                .object(&request_path, &request_value, &["format", "query"], &[])
                .and_then(|_| ctx.string(&request_path, request, "query"))
            {
                for pair in query.split('&').filter(|p| !p.is_empty()) {
                    let key = pair.split_once('=').map_or(pair, |(k, _)| k);
                    let name = key.split('.').next().unwrap_or(key);
                    names.push((name.to_owned(), format!("{request_path}.query")));
                }
            }
        }
        Some(other) => ctx.report(
            &format!("{request_path}.format"),
            format!("unknown example format `{other}` (known: json, query)"),
        ),
        None => ctx.report(
            &request_path,
            "missing required field `format` (json or query)",
        ),
    }
    if let Some(input) = input {
        for (name, name_path) in names {
            if !input.name_paths.contains_key(&name) {
                ctx.report(
                    &name_path,
                    format!("example sets `{name}`, which is not a parameter of the action"),
                );
            }
        }
    }
}

/// A `paging` object: its rule, and paths that reach members of the right kinds: an integer or
/// string position and size in the request (a string token), a list of items, an integer or
/// string total and a string token in the response.
fn check_paging(
    ctx: &mut Ctx<'_>,
    path: &str,
    paging: &Value,
    input: Option<&ObjectInfo>,
    output: Option<&ObjectInfo>,
    objects: &BTreeMap<String, ObjectInfo>,
) {
    let Some(map) = ctx.object(
        path,
        paging,
        &["rule", "position", "items"],
        &["size", "firstPage", "total", "nextToken"],
    ) else {
        return;
    };
    let rule = ctx.string(path, map, "rule").map(str::to_owned);
    if let Some(rule) = &rule
        && !["offset", "page", "token"].contains(&rule.as_str())
    {
        ctx.report(
            &format!("{path}.rule"),
            format!("unknown paging rule `{rule}` (known: offset, page, token)"),
        );
    }
    let number = ["int", "string"].as_slice();
    let token_kind = ["string"].as_slice();
    let position_kinds = if rule.as_deref() == Some("token") {
        token_kind
    } else {
        number
    };
    let checks: [(&str, Option<&ObjectInfo>, &[&str]); 5] = [
        ("position", input, position_kinds),
        ("size", input, number),
        ("items", output, &["list"]),
        ("total", output, number),
        ("nextToken", output, token_kind),
    ];
    for (key, object, kinds) in checks {
        let Some(value) = map.get(key) else {
            continue;
        };
        let place = format!("{path}.{key}");
        let steps: Option<Vec<&str>> = value
            .as_array()
            .and_then(|steps| steps.iter().map(Value::as_str).collect());
        let Some(steps) = steps.filter(|s| !s.is_empty()) else {
            ctx.report(&place, "must be a non-empty list of member names");
            continue;
        };
        let Some(object) = object else {
            continue;
        };
        if let Err(problem) = member_kind_at(object, &steps, objects, kinds) {
            ctx.report(&place, problem);
        }
    }
    if rule.as_deref() == Some("token") && !map.contains_key("nextToken") {
        ctx.report(
            path,
            "a token rule needs `nextToken`, where the answer gives the next token",
        );
    }
    if let Some(first) = ctx.u32(path, map, "firstPage")
        && first > 1
    {
        ctx.report(
            &format!("{path}.firstPage"),
            "the first page is numbered 0 or 1",
        );
    }
}

/// A waiter: its name, documents, delays, and states whose paths reach scalar members of the
/// output, compared with values of their type. Gives the name when it is well formed.
fn check_waiter(
    ctx: &mut Ctx<'_>,
    path: &str,
    waiter: &Value,
    output: Option<&ObjectInfo>,
    objects: &BTreeMap<String, ObjectInfo>,
) -> Option<String> {
    let map = ctx.object(
        path,
        waiter,
        &[
            "name", "document", "success", "minDelay", "maxDelay", "maxWait",
        ],
        &["documentZh", "failure"],
    )?;
    for key in ["document", "documentZh"] {
        ctx.string(path, map, key);
    }
    let delays: Vec<Option<u32>> = ["minDelay", "maxDelay", "maxWait"]
        .iter()
        .map(|key| ctx.u32(path, map, key))
        .collect();
    if let [Some(min), Some(max), Some(wait)] = delays[..]
        && !(1 <= min && min <= max && max <= wait)
    {
        ctx.report(
            path,
            format!("delays must be 1 <= minDelay <= maxDelay <= maxWait seconds, found {min}, {max}, {wait}"),
        );
    }
    for key in ["success", "failure"] {
        let Some(states) = ctx.array(path, map, key) else {
            continue;
        };
        if key == "success" && states.is_empty() {
            ctx.report(&format!("{path}.success"), "a waiter needs a success state");
        }
        for (i, state) in states.iter().enumerate() {
            check_wait_state(ctx, &format!("{path}.{key}[{i}]"), state, output, objects);
        }
    }
    let name = ctx.string(path, map, "name")?;
    let pascal = name.bytes().next().is_some_and(|b| b.is_ascii_uppercase())
        && name.bytes().all(|b| b.is_ascii_alphanumeric());
    if !pascal {
        ctx.report(
            &format!("{path}.name"),
            format!("waiter name `{name}` must be PascalCase letters and digits, such as InstanceRunning"),
        );
    }
    Some(name.to_owned())
}

/// A waiter's state: a path to a scalar member (through objects and lists) and `all` or `any`
/// values of the member's type.
fn check_wait_state(
    ctx: &mut Ctx<'_>,
    path: &str,
    state: &Value,
    output: Option<&ObjectInfo>,
    objects: &BTreeMap<String, ObjectInfo>,
) {
    let Some(map) = ctx.object(path, state, &["path"], &["all", "any"]) else {
        return;
    };
    let steps: Option<Vec<&str>> = map["path"]
        .as_array()
        .and_then(|steps| steps.iter().map(Value::as_str).collect());
    let Some(steps) = steps.filter(|s| !s.is_empty()) else {
        ctx.report(
            &format!("{path}.path"),
            "must be a non-empty list of member names",
        );
        return;
    };
    let values: Vec<(&str, &Value)> = ["all", "any"]
        .into_iter()
        .filter_map(|key| map.get(key).map(|v| (key, v)))
        .collect();
    let [(key, values)] = values[..] else {
        ctx.report(path, "a state needs exactly one of `all` and `any`");
        return;
    };
    let Some(values) = values.as_array().filter(|v| !v.is_empty()) else {
        ctx.report(
            &format!("{path}.{key}"),
            "must be a non-empty list of values",
        );
        return;
    };
    let Some(output) = output else {
        return;
    };
    let kind = match scalar_kind_at(output, &steps, objects) {
        Ok(kind) => kind,
        Err(problem) => {
            ctx.report(&format!("{path}.path"), problem);
            return;
        }
    };
    for (i, value) in values.iter().enumerate() {
        let fits = match kind.as_str() {
            "string" => value.is_string(),
            "int" => value.is_i64(),
            "bool" => value.is_boolean(),
            _ => false,
        };
        if !fits {
            ctx.report(
                &format!("{path}.{key}[{i}]"),
                format!(
                    "{value} cannot be a value of `{}`, a {kind}",
                    steps.join(".")
                ),
            );
        }
    }
}

/// Follows `steps` from `object` through object members and lists of objects to a string,
/// integer or boolean member (or a list of them), and gives its type.
fn scalar_kind_at(
    object: &ObjectInfo,
    steps: &[&str],
    objects: &BTreeMap<String, ObjectInfo>,
) -> Result<String, String> {
    let (step, kind, element) = member_at(object, steps, objects, true)?;
    let kind = match kind {
        "list" if objects.contains_key(element) => "object",
        "list" if ["int64", "uint64"].contains(&element) => "int",
        "list" => element,
        other => other,
    };
    match kind {
        "string" | "int" | "bool" => Ok(kind.to_owned()),
        other => Err(format!(
            "`{step}` is a {other}; a state is read from a string, integer or boolean"
        )),
    }
}

/// Follows `steps` from `object` through object members; the last must be of one of `kinds`.
fn member_kind_at(
    object: &ObjectInfo,
    steps: &[&str],
    objects: &BTreeMap<String, ObjectInfo>,
    kinds: &[&str],
) -> Result<(), String> {
    let (step, kind, _) = member_at(object, steps, objects, false)?;
    if kinds.contains(&kind) {
        Ok(())
    } else {
        Err(format!(
            "`{step}` is a {kind}; it must be a {}",
            kinds.join(" or ")
        ))
    }
}

/// The last member `steps` reach from `object` through object members (and lists of objects,
/// with `through_lists`): its name, type and element type.
pub(super) fn member_at<'a>(
    object: &'a ObjectInfo,
    steps: &[&'a str],
    objects: &'a BTreeMap<String, ObjectInfo>,
    through_lists: bool,
) -> Result<(&'a str, &'a str, &'a str), String> {
    let mut object = object;
    for (index, step) in steps.iter().enumerate() {
        let Some((kind, element)) = object.members.get(*step) else {
            return Err(format!("no member `{step}` there"));
        };
        if index + 1 == steps.len() {
            return Ok((step, kind, element));
        }
        let inside =
            kind == "object" || (through_lists && kind == "list" && objects.contains_key(element));
        if !inside {
            return Err(format!(
                "`{step}` is a {kind}, not an object to look inside"
            ));
        }
        object = objects
            .get(element)
            .ok_or_else(|| format!("`{step}`'s object `{element}` is not defined"))?;
    }
    Err("must be a non-empty list of member names".to_owned())
}
