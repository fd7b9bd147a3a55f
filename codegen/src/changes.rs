//! What an upstream update changes for a user of the generated crates: the specs before and after
//! an import, compared per service version, each change marked breaking or not by the versioning
//! policy (`codegen/README.md`, "Versioning of the generated crates").
//!
//! Breaking: a removed service version, action, member, structure or error code; a member whose
//! type changes; a request parameter that becomes required. Not breaking: anything added (models,
//! outputs and error enums are `#[non_exhaustive]`), an action deprecated or taken offline, a
//! request parameter that becomes optional, a response member that the description now says may
//! be absent or null, or always present (response members other than `RequestId` are `Option`s
//! or lists either way).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use tencentcloud_spec::load::LoadedSpec;
use tencentcloud_spec::types::{ActionStatus, Member, ServiceSpec};

use crate::docs::plural;
use crate::model::reachable;

/// One change a user of the generated crate may notice.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    pub breaking: bool,
    /// One line of Markdown (`action \`RunInstances\` added`).
    pub text: String,
}

/// The changes of one service version between two imports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionChanges {
    pub service: String,
    /// API version (`2017-03-12`).
    pub version: String,
    pub changes: Vec<Change>,
}

impl VersionChanges {
    pub fn is_breaking(&self) -> bool {
        self.changes.iter().any(|c| c.breaking)
    }

    /// The changes as lines of Markdown, breaking ones first (tagged `**breaking**: `), each
    /// group in text order.
    pub fn lines(&self) -> Vec<String> {
        let mut sorted: Vec<&Change> = self.changes.iter().collect();
        sorted.sort_by(|a, b| {
            b.breaking
                .cmp(&a.breaking)
                .then_with(|| a.text.cmp(&b.text))
        });
        sorted
            .into_iter()
            .map(|c| {
                if c.breaking {
                    format!("**breaking**: {}", c.text)
                } else {
                    c.text.clone()
                }
            })
            .collect()
    }
}

fn change(breaking: bool, text: String) -> Change {
    Change { breaking, text }
}

/// Compares the loaded specs of one or more services before and after an import; service
/// versions without a change are left out.
pub fn compare(before: &[LoadedSpec], after: &[LoadedSpec]) -> Vec<VersionChanges> {
    let key = |l: &LoadedSpec| {
        (
            l.spec.metadata.service_short_name.clone(),
            l.spec.metadata.api_version.clone(),
        )
    };
    let before: BTreeMap<(String, String), &ServiceSpec> =
        before.iter().map(|l| (key(l), &l.spec)).collect();
    let after: BTreeMap<(String, String), &ServiceSpec> =
        after.iter().map(|l| (key(l), &l.spec)).collect();
    let versions: BTreeSet<&(String, String)> = before.keys().chain(after.keys()).collect();
    versions
        .into_iter()
        .filter_map(|(service, version)| {
            let id = (service.clone(), version.clone());
            let changes = match (before.get(&id), after.get(&id)) {
                (Some(old), Some(new)) => compare_version(old, new),
                (Some(old), None) => vec![change(
                    true,
                    format!(
                        "API version removed, with its {}",
                        plural(old.actions.len(), "action")
                    ),
                )],
                (None, Some(new)) => vec![change(
                    false,
                    format!(
                        "API version added, with {}",
                        plural(new.actions.len(), "action")
                    ),
                )],
                (None, None) => Vec::new(),
            };
            (!changes.is_empty()).then(|| VersionChanges {
                service: service.clone(),
                version: version.clone(),
                changes,
            })
        })
        .collect()
}

fn compare_version(old: &ServiceSpec, new: &ServiceSpec) -> Vec<Change> {
    let mut out = Vec::new();
    for (name, action) in &old.actions {
        match new.actions.get(name) {
            None => out.push(change(true, format!("action `{name}` removed"))),
            Some(now) => {
                if now.status != action.status {
                    let status = match now.status {
                        ActionStatus::Online => "back online",
                        ActionStatus::Deprecated => "deprecated",
                        ActionStatus::Offline => "taken offline",
                    };
                    out.push(change(false, format!("action `{name}` {status}")));
                }
                if now.endpoint != action.endpoint {
                    let host = now.endpoint.as_deref().unwrap_or("the service's host");
                    out.push(change(false, format!("action `{name}` is sent to {host}")));
                }
                if now.streaming != action.streaming {
                    let how = if now.streaming {
                        "can answer as a stream"
                    } else {
                        "no longer streams"
                    };
                    out.push(change(false, format!("action `{name}` {how}")));
                }
            }
        }
    }
    for name in new.actions.keys().filter(|n| !old.actions.contains_key(*n)) {
        out.push(change(false, format!("action `{name}` added")));
    }

    // Every structure a request reaches: a parameter becoming required breaks calls there.
    let requests = reachable(new.actions.values().map(|a| a.input.as_str()), &new.objects);
    // Requests and responses live in their actions' files: they come and go with the action.
    let io = |spec: &ServiceSpec, name: &str| {
        spec.actions
            .values()
            .any(|a| a.input == name || a.output == name)
    };
    for (name, object) in &old.objects {
        let Some(now) = new.objects.get(name) else {
            if !io(old, name) {
                out.push(change(true, format!("structure `{name}` removed")));
            }
            continue;
        };
        let is_request = requests.contains(name.as_str());
        let members: BTreeMap<&str, &Member> =
            now.members.iter().map(|m| (m.name.as_str(), m)).collect();
        for member in &object.members {
            let at = format!("`{name}.{}`", member.name);
            let Some(after) = members.get(member.name.as_str()) else {
                out.push(change(true, format!("{at} removed")));
                continue;
            };
            if (member.kind, &member.member) != (after.kind, &after.member) {
                out.push(change(
                    true,
                    format!(
                        "{at} changes type: {} → {}",
                        type_name(member),
                        type_name(after)
                    ),
                ));
            }
            if member.required != after.required {
                out.push(required_change(&at, after.required, is_request));
            }
        }
        let old_names: BTreeSet<&str> = object.members.iter().map(|m| m.name.as_str()).collect();
        for added in now
            .members
            .iter()
            .filter(|m| !old_names.contains(m.name.as_str()))
        {
            let at = format!("`{name}.{}`", added.name);
            if is_request && added.required {
                out.push(change(true, format!("{at} added, required")));
            } else {
                out.push(change(false, format!("{at} added")));
            }
        }
    }
    for name in new
        .objects
        .keys()
        .filter(|n| !old.objects.contains_key(*n) && !io(new, n))
    {
        out.push(change(false, format!("structure `{name}` added")));
    }

    let codes = |spec: &ServiceSpec| -> BTreeSet<String> {
        spec.errors
            .iter()
            .map(|e| e.code.clone())
            .chain(spec.actions.iter().flat_map(|(a, action)| {
                action
                    .errors
                    .iter()
                    .map(move |e| format!("{a}: {}", e.code))
            }))
            .collect()
    };
    let (old_codes, new_codes) = (codes(old), codes(new));
    for code in old_codes.difference(&new_codes) {
        out.push(change(
            true,
            format!("error code {} removed", code_text(code)),
        ));
    }
    for code in new_codes.difference(&old_codes) {
        out.push(change(
            false,
            format!("error code {} added", code_text(code)),
        ));
    }
    out
}

/// `InvalidParameter` or, for an action's own list, `` `InvalidParameter` of `RunInstances` ``.
fn code_text(code: &str) -> String {
    match code.split_once(": ") {
        Some((action, code)) => format!("`{code}` of `{action}`"),
        None => format!("`{code}`"),
    }
}

fn required_change(at: &str, required: bool, is_request: bool) -> Change {
    match (required, is_request) {
        (true, true) => change(true, format!("{at} becomes required")),
        (false, true) => change(false, format!("{at} becomes optional")),
        (true, false) => change(false, format!("{at} is now always present")),
        (false, false) => change(false, format!("{at} may now be absent or null")),
    }
}

fn type_name(member: &Member) -> String {
    match member.kind {
        tencentcloud_spec::types::MemberKind::List => format!("list of `{}`", member.member),
        _ => format!("`{}`", member.member),
    }
}

/// The report as Markdown: a summary line, then per service version its changes, breaking ones
/// first. `title` names the two pins compared.
pub fn render(title: &str, changes: &[VersionChanges]) -> String {
    let mut out = format!("# {title}\n\n");
    let breaking = changes.iter().filter(|v| v.is_breaking()).count();
    let services: BTreeSet<&str> = changes.iter().map(|v| v.service.as_str()).collect();
    let _ = writeln!(
        out,
        "{} of {} changed, {} of them with breaking changes.\n",
        plural(changes.len(), "service version"),
        plural(services.len(), "service"),
        breaking
    );
    for version in changes {
        let mark = if version.is_breaking() {
            " (breaking)"
        } else {
            ""
        };
        let _ = writeln!(out, "## {} {}{mark}\n", version.service, version.version);
        for line in version.lines() {
            let _ = writeln!(out, "- {line}");
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use tencentcloud_spec::load::{self, RawSpec};
    use tencentcloud_spec::validate;

    fn spec(
        actions: serde_json::Value,
        objects: serde_json::Value,
        errors: serde_json::Value,
    ) -> LoadedSpec {
        let common = load::parse(
            load::COMMON_FILE,
            json!({"version": "1.0", "errors": []})
                .to_string()
                .as_bytes(),
        )
        .unwrap();
        let value = json!({
            "version": "1.0",
            "metadata": {
                "serviceShortName": "demo", "apiVersion": "2020-01-01",
                "serviceNameEN": "Demo", "serviceNameCN": "演示",
                "endpoint": "demo.tencentcloudapi.com", "regionRequired": true,
                "document": "A demo service."
            },
            "actions": actions,
            "objects": objects,
            "errors": errors
        });
        let raw: RawSpec =
            load::parse("demo/2020-01-01.json", value.to_string().as_bytes()).unwrap();
        let mut set = validate::validate_set(vec![common, raw]).unwrap_or_else(|p| panic!("{p}"));
        set.services.remove(0)
    }

    fn action(input: &str, output: &str) -> serde_json::Value {
        json!({"name": "Do it", "document": "Does it.", "input": input, "output": output, "status": "online"})
    }

    fn member(name: &str, ty: &str, required: bool) -> serde_json::Value {
        let kind = if ty == "int64" { "int" } else { "string" };
        json!({"name": name, "type": kind, "member": ty, "required": required, "document": "A member."})
    }

    fn request_id() -> serde_json::Value {
        member("RequestId", "string", true)
    }

    fn before() -> LoadedSpec {
        spec(
            json!({"DescribeThings": action("DescribeThingsRequest", "DescribeThingsResponse"),
                   "DeleteThing": action("DeleteThingRequest", "DeleteThingResponse")}),
            json!({
                "DescribeThingsRequest": {"type": "object", "members": [member("Name", "string", false)]},
                "DescribeThingsResponse": {"type": "object", "members": [member("Total", "string", true), request_id()]},
                "DeleteThingRequest": {"type": "object", "members": [member("ThingId", "string", true)]},
                "DeleteThingResponse": {"type": "object", "members": [request_id()]}
            }),
            json!([{"code": "ResourceNotFound", "document": "Not found."}]),
        )
    }

    #[test]
    fn removals_type_changes_and_new_required_parameters_are_breaking_additions_are_not() {
        let after = spec(
            json!({"DescribeThings": action("DescribeThingsRequest", "DescribeThingsResponse"),
                   "CreateThing": action("DeleteThingRequest", "DeleteThingResponse")}),
            json!({
                "DescribeThingsRequest": {"type": "object", "members": [
                    member("Name", "int64", true), member("Zone", "string", false)]},
                "DescribeThingsResponse": {"type": "object", "members": [member("Total", "string", false), request_id()]},
                "DeleteThingRequest": {"type": "object", "members": [member("ThingId", "string", true)]},
                "DeleteThingResponse": {"type": "object", "members": [request_id()]}
            }),
            json!([{"code": "ResourceInUse", "document": "In use."}]),
        );
        let changes = compare(&[before()], &[after]);
        assert_eq!(changes.len(), 1);
        let mut lines: Vec<(bool, &str)> = changes[0]
            .changes
            .iter()
            .map(|c| (c.breaking, c.text.as_str()))
            .collect();
        lines.sort();
        assert_eq!(
            lines,
            [
                (false, "`DescribeThingsRequest.Zone` added"),
                (
                    false,
                    "`DescribeThingsResponse.Total` may now be absent or null"
                ),
                (false, "action `CreateThing` added"),
                (false, "error code `ResourceInUse` added"),
                (true, "`DescribeThingsRequest.Name` becomes required"),
                (
                    true,
                    "`DescribeThingsRequest.Name` changes type: `string` → `int64`"
                ),
                (true, "action `DeleteThing` removed"),
                (true, "error code `ResourceNotFound` removed"),
            ]
        );
        let report = render("demo", &changes);
        assert!(report.contains("## demo 2020-01-01 (breaking)"), "{report}");
        assert!(
            report.contains("- **breaking**: action `DeleteThing` removed"),
            "{report}"
        );
    }

    #[test]
    fn an_unchanged_version_reports_nothing_and_added_or_removed_versions_say_so() {
        assert!(compare(&[before()], &[before()]).is_empty());
        let added = compare(&[], &[before()]);
        assert_eq!(
            added[0].changes,
            [change(false, "API version added, with 2 actions".into())]
        );
        let removed = compare(&[before()], &[]);
        assert!(removed[0].is_breaking());
    }
}
