//! The `resources` section: each resource's actions exist, the members it names are where it
//! says and of the kind it needs, and the codes it refuses with are documented.

use super::*;

/// What the resource checks look things up in.
pub(super) struct Known<'a> {
    pub actions: &'a Map<String, Value>,
    pub objects: &'a BTreeMap<String, ObjectInfo>,
    /// Codes of the service version and the common ones.
    pub codes: BTreeSet<String>,
}

impl Known<'_> {
    /// The request (`output` false) or answer object of `action`.
    fn object_of(&self, action: &str, output: bool) -> Option<&ObjectInfo> {
        let key = if output { "output" } else { "input" };
        let name = self.actions.get(action)?.get(key)?.as_str()?;
        self.objects.get(name)
    }

    /// Whether `action` documents `code` itself or through its service version.
    fn documents(&self, action: &str, code: &str) -> bool {
        let own = self
            .actions
            .get(action)
            .and_then(|a| a.get("errors"))
            .and_then(Value::as_array)
            .is_some_and(|errors| {
                errors
                    .iter()
                    .any(|e| e.get("code").and_then(Value::as_str) == Some(code))
            });
        own || self.codes.contains(code)
    }
}

pub(super) fn check_resources(
    ctx: &mut Ctx<'_>,
    resources: &Map<String, Value>,
    known: &Known<'_>,
) {
    for (name, resource) in resources {
        let path = format!("$.resources.{name}");
        check_upper_name(ctx, &path, "resource", name);
        if resource.is_null() {
            continue;
        }
        check_resource(ctx, &path, resource, known);
    }
}

const OUTCOME: &[&str] = &["refers", "set", "copy", "append", "remove", "then"];

fn check_resource(ctx: &mut Ctx<'_>, path: &str, resource: &Value, known: &Known<'_>) {
    let Some(map) = ctx.object(
        path,
        resource,
        &["id", "create", "read"],
        &["prefix", "idType", "get", "modify", "delete", "changes"],
    ) else {
        return;
    };
    let id = ctx.string(path, map, "id").unwrap_or_default();
    if let Some(prefix) = ctx.string(path, map, "prefix")
        && !(prefix.ends_with('-')
            && prefix
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'))
    {
        ctx.report(
            &format!("{path}.prefix"),
            format!(
                "prefix `{prefix}` must be lowercase letters, digits and dashes, ending with `-`"
            ),
        );
    }
    if let Some(id_type) = ctx.string(path, map, "idType")
        && !["text", "number"].contains(&id_type)
    {
        ctx.report(
            &format!("{path}.idType"),
            format!("unknown id type `{id_type}` (known: number, text)"),
        );
    }
    // The members a resource holds are those its read lists.
    let item = map
        .get("read")
        .and_then(|read| check_read(ctx, &format!("{path}.read"), read, id, known));
    let gets = map.get("get").and_then(Value::as_array);
    let members = item.map(|item| {
        let mut held = item.members.clone();
        for get in gets.into_iter().flatten() {
            if let Some(answer) = get_answer(get, known) {
                held.extend(answer.members.clone());
            }
        }
        held
    });
    let members = members.as_ref();
    if let Some(create) = map.get("create") {
        check_create(ctx, &format!("{path}.create"), create, id, members, known);
    }
    if let Some(gets) = ctx.array(path, map, "get") {
        for (i, get) in gets.iter().enumerate() {
            check_get(ctx, &format!("{path}.get[{i}]"), get, known);
        }
    }
    for key in ["modify", "delete", "changes"] {
        if let Some(list) = ctx.array(path, map, key) {
            for (i, targeted) in list.iter().enumerate() {
                check_targeted(ctx, &format!("{path}.{key}[{i}]"), targeted, members, known);
            }
        }
    }
}

/// The action at `map.action`, reported when the spec has no such action.
fn action<'v>(
    ctx: &mut Ctx<'_>,
    path: &str,
    map: &'v Map<String, Value>,
    known: &Known<'_>,
) -> Option<&'v str> {
    let action = ctx.string(path, map, "action")?;
    if known.actions.contains_key(action) {
        Some(action)
    } else {
        ctx.report(
            &format!("{path}.action"),
            format!("no action `{action}` in this service version"),
        );
        None
    }
}

/// A list of member names reaching, from `object`, a member of one of `kinds`.
fn path_to(
    ctx: &mut Ctx<'_>,
    path: &str,
    value: Option<&Value>,
    object: &ObjectInfo,
    known: &Known<'_>,
    kinds: &[&str],
) -> Option<String> {
    let steps: Option<Vec<&str>> = value
        .and_then(Value::as_array)
        .and_then(|steps| steps.iter().map(Value::as_str).collect());
    let Some(steps) = steps else {
        ctx.report(path, "expected a list of member names");
        return None;
    };
    match member_at(object, &steps, known.objects, false) {
        Ok((_, kind, element)) if kinds.contains(&kind) => Some(element.to_owned()),
        Ok((name, kind, _)) => {
            ctx.report(
                path,
                format!("`{name}` has type {kind}, expected {}", kinds.join(" or ")),
            );
            None
        }
        Err(problem) => {
            ctx.report(path, problem);
            None
        }
    }
}

/// A request member of `action` named at `map[key]`, of one of `kinds`.
fn request_member(
    ctx: &mut Ctx<'_>,
    path: &str,
    map: &Map<String, Value>,
    key: &str,
    action: Option<&str>,
    known: &Known<'_>,
    kinds: &[&str],
) {
    let (Some(member), Some(action)) = (ctx.string(path, map, key), action) else {
        return;
    };
    check_request_member(ctx, &format!("{path}.{key}"), member, action, known, kinds);
}

fn check_request_member(
    ctx: &mut Ctx<'_>,
    path: &str,
    member: &str,
    action: &str,
    known: &Known<'_>,
    kinds: &[&str],
) {
    let Some(input) = known.object_of(action, false) else {
        return;
    };
    match input.members.get(member) {
        Some((kind, _)) if kinds.contains(&kind.as_str()) => {}
        Some((kind, _)) => ctx.report(
            path,
            format!(
                "`{action}`'s `{member}` is a {kind}, expected {}",
                kinds.join(" or ")
            ),
        ),
        None => ctx.report(
            path,
            format!("`{action}`'s request has no member `{member}`"),
        ),
    }
}

/// Checks the read and returns the object it lists.
fn check_read<'k>(
    ctx: &mut Ctx<'_>,
    path: &str,
    read: &Value,
    id: &str,
    known: &'k Known<'_>,
) -> Option<&'k ObjectInfo> {
    let map = ctx.object(
        path,
        read,
        &["action", "items"],
        &["ids", "idsAlso", "itemsAlso", "total"],
    )?;
    let action = action(ctx, path, map, known);
    request_member(ctx, path, map, "ids", action, known, &["list"]);
    request_member(ctx, path, map, "idsAlso", action, known, &["list"]);
    let output = known.object_of(action?, true)?;
    if map.contains_key("total") {
        path_to(
            ctx,
            &format!("{path}.total"),
            map.get("total"),
            output,
            known,
            &["int"],
        );
    }
    if map.contains_key("itemsAlso") {
        path_to(
            ctx,
            &format!("{path}.itemsAlso"),
            map.get("itemsAlso"),
            output,
            known,
            &["list"],
        );
    }
    let element = path_to(
        ctx,
        &format!("{path}.items"),
        map.get("items"),
        output,
        known,
        &["list"],
    )?;
    let Some(item) = known.objects.get(&element) else {
        ctx.report(
            &format!("{path}.items"),
            format!("the list holds `{element}`, not objects"),
        );
        return None;
    };
    if !id.is_empty() && !item.members.contains_key(id) {
        ctx.report(
            &format!("{path}.items"),
            format!("the listed `{element}` has no id member `{id}`"),
        );
    }
    Some(item)
}

fn check_create(
    ctx: &mut Ctx<'_>,
    path: &str,
    create: &Value,
    id: &str,
    members: Option<&BTreeMap<String, (String, String)>>,
    known: &Known<'_>,
) {
    let optional: Vec<&str> = ["count", "idFrom", "unique"]
        .into_iter()
        .chain(OUTCOME.iter().copied())
        .collect();
    let Some(map) = ctx.object(path, create, &["action", "ids"], &optional) else {
        return;
    };
    let action = action(ctx, path, map, known);
    request_member(ctx, path, map, "count", action, known, &["int"]);
    request_member(ctx, path, map, "idFrom", action, known, &["string", "int"]);
    if map.contains_key("idFrom") {
        // A resource named by its creator is one per name: a second create must be refused.
        let refused = map
            .get("unique")
            .and_then(Value::as_array)
            .is_some_and(|unique| {
                unique
                    .iter()
                    .any(|u| u.get("member") == Some(&Value::from(id)))
            });
        if !refused {
            ctx.report(
                &format!("{path}.idFrom"),
                format!("a resource named by its creator needs a `unique` entry on its id `{id}`"),
            );
        }
        if map.contains_key("count") {
            ctx.report(
                &format!("{path}.count"),
                "a resource named by its creator is made one at a time: no `count` with `idFrom`",
            );
        }
    }
    if let Some(output) = action.and_then(|a| known.object_of(a, true)) {
        path_to(
            ctx,
            &format!("{path}.ids"),
            map.get("ids"),
            output,
            known,
            &["string", "int", "list", "object"],
        );
    }
    if let Some(unique) = ctx.array(path, map, "unique") {
        for (i, entry) in unique.iter().enumerate() {
            let place = format!("{path}.unique[{i}]");
            if let Some(entry) = ctx.object(&place, entry, &["member", "error"], &[]) {
                resource_member(ctx, &place, entry, "member", members);
                code(ctx, &place, entry, action, known);
            }
        }
    }
    check_outcome(ctx, path, map, action, members, known);
}

/// The object a well-formed get answers with: its answer, or the object at its `at`.
fn get_answer<'k>(get: &Value, known: &'k Known<'_>) -> Option<&'k ObjectInfo> {
    let output = known.object_of(get.get("action")?.as_str()?, true)?;
    let steps: Vec<&str> = match get.get("at") {
        None => return Some(output),
        Some(at) => at
            .as_array()?
            .iter()
            .map(Value::as_str)
            .collect::<Option<_>>()?,
    };
    let (_, kind, element) = member_at(output, &steps, known.objects, false).ok()?;
    (kind == "object")
        .then(|| known.objects.get(element))
        .flatten()
}

fn check_get(ctx: &mut Ctx<'_>, path: &str, get: &Value, known: &Known<'_>) {
    let Some(map) = ctx.object(path, get, &["action", "ids"], &["at"]) else {
        return;
    };
    let action = action(ctx, path, map, known);
    request_member(ctx, path, map, "ids", action, known, &["string", "int"]);
    if map.contains_key("at")
        && let Some(output) = action.and_then(|a| known.object_of(a, true))
    {
        path_to(
            ctx,
            &format!("{path}.at"),
            map.get("at"),
            output,
            known,
            &["object"],
        );
    }
}

fn check_targeted(
    ctx: &mut Ctx<'_>,
    path: &str,
    targeted: &Value,
    members: Option<&BTreeMap<String, (String, String)>>,
    known: &Known<'_>,
) {
    let optional: Vec<&str> = ["requires", "idsAlso"]
        .into_iter()
        .chain(OUTCOME.iter().copied())
        .collect();
    let Some(map) = ctx.object(path, targeted, &["action", "ids"], &optional) else {
        return;
    };
    let action = action(ctx, path, map, known);
    request_member(
        ctx,
        path,
        map,
        "ids",
        action,
        known,
        &["string", "int", "list"],
    );
    if let Some(requires) = ctx.array(path, map, "requires") {
        for (i, entry) in requires.iter().enumerate() {
            let place = format!("{path}.requires[{i}]");
            if let Some(entry) = ctx.object(&place, entry, &["member", "error"], &["in", "sameAs"])
            {
                resource_member(ctx, &place, entry, "member", members);
                match (entry.contains_key("in"), entry.contains_key("sameAs")) {
                    (true, false) => {
                        if ctx
                            .array(&place, entry, "in")
                            .is_some_and(<[Value]>::is_empty)
                        {
                            ctx.report(&format!("{place}.in"), "must list at least one value");
                        }
                    }
                    (false, true) => request_member(
                        ctx,
                        &place,
                        entry,
                        "sameAs",
                        action,
                        known,
                        &["string", "int", "bool"],
                    ),
                    _ => ctx.report(
                        &place,
                        "a requirement needs exactly one of `in` and `sameAs`",
                    ),
                }
                code(ctx, &place, entry, action, known);
            }
        }
    }
    check_outcome(ctx, path, map, action, members, known);
}

fn check_outcome(
    ctx: &mut Ctx<'_>,
    path: &str,
    map: &Map<String, Value>,
    action: Option<&str>,
    members: Option<&BTreeMap<String, (String, String)>>,
    known: &Known<'_>,
) {
    if let Some(refers) = ctx.array(path, map, "refers") {
        for (i, entry) in refers.iter().enumerate() {
            let place = format!("{path}.refers[{i}]");
            if let Some(entry) = ctx.object(
                &place,
                entry,
                &["member", "resource", "error"],
                &["service"],
            ) {
                request_member(
                    ctx,
                    &place,
                    entry,
                    "member",
                    action,
                    known,
                    &["string", "int"],
                );
                ctx.string(&place, entry, "resource");
                ctx.string(&place, entry, "service");
                code(ctx, &place, entry, action, known);
            }
        }
    }
    for key in ["set", "then"] {
        if let Some(values) = ctx.map(path, map, key) {
            for name in values.keys() {
                known_member(ctx, &format!("{path}.{key}.{name}"), name, members);
            }
        }
    }
    for key in ["copy", "append", "remove"] {
        let Some(copy) = ctx.map(path, map, key) else {
            continue;
        };
        for (name, from) in copy {
            let place = format!("{path}.{key}.{name}");
            known_member(ctx, &place, name, members);
            match (from.as_str(), action) {
                (Some(from), Some(action)) => check_request_member(
                    ctx,
                    &place,
                    from,
                    action,
                    known,
                    &["string", "int", "bool", "float", "list", "object"],
                ),
                (None, _) => ctx.report(&place, "expected the name of a request member"),
                _ => {}
            }
        }
    }
}

/// `map[key]` names a member the resource holds.
fn resource_member(
    ctx: &mut Ctx<'_>,
    path: &str,
    map: &Map<String, Value>,
    key: &str,
    members: Option<&BTreeMap<String, (String, String)>>,
) {
    if let Some(name) = ctx.string(path, map, key) {
        known_member(ctx, &format!("{path}.{key}"), name, members);
    }
}

fn known_member(
    ctx: &mut Ctx<'_>,
    path: &str,
    name: &str,
    members: Option<&BTreeMap<String, (String, String)>>,
) {
    if let Some(members) = members
        && !members.contains_key(name)
    {
        ctx.report(
            path,
            format!("the resource's read lists no member `{name}`"),
        );
    }
}

/// `map.error` is a code `action` documents.
fn code(
    ctx: &mut Ctx<'_>,
    path: &str,
    map: &Map<String, Value>,
    action: Option<&str>,
    known: &Known<'_>,
) {
    if let (Some(code), Some(action)) = (ctx.string(path, map, "error"), action)
        && !known.documents(action, code)
    {
        ctx.report(
            &format!("{path}.error"),
            format!("`{code}` is not a code `{action}` or its service version documents"),
        );
    }
}
