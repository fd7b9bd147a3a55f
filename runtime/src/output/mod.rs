//! Turns a success answer's `Response` object into the action's output type.
//!
//! An answer that matches its documentation is read straight from its bytes. One that does
//! not is parsed once and read again by the tolerance rules ([`tolerant`]); a member that
//! still cannot be read is taken out and the rest read again, so one drifted member costs the
//! user that member only, and the output lists it ([`UnreadMembers`]).

mod answers;
pub(crate) mod tolerant;
mod unread;

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::sync::Mutex;

use serde::de::DeserializeOwned;
use serde_json::Value;

pub use answers::AnswerReport;
pub use tolerant::Rule;
use tolerant::{Step, Tally};
pub use unread::{UnreadMember, UnreadMembers, take_pending};

/// At most this many members are taken out of one answer; an answer drifted further is
/// reported as unreadable rather than read again without end.
const MAX_UNREAD: usize = 256;

/// An output read by the tolerance rules, with what they did.
#[derive(Debug)]
pub struct Decoded<O> {
    /// The output.
    pub output: O,
    /// The members left absent.
    pub unread: Vec<UnreadMember>,
    /// How many values each rule read (rules that read none are left out).
    pub rules: Vec<(Rule, u64)>,
}

/// Why a success answer could not be turned into its output at all.
#[derive(Debug)]
pub struct Unreadable {
    /// What failed, with where.
    pub reason: String,
}

/// Reads `json` (a `Response` object) as `O`: directly when it matches, otherwise by the
/// tolerance rules, leaving out what they cannot read.
pub(crate) fn read<O: DeserializeOwned>(json: &[u8]) -> Result<Decoded<O>, Unreadable> {
    match serde_json::from_slice(json) {
        Ok(output) => Ok(Decoded {
            output,
            unread: Vec::new(),
            rules: Vec::new(),
        }),
        Err(_) => read_tolerantly(json),
    }
}

/// Reads `json` as `O` by the tolerance rules alone, so that what they did is counted even
/// for an answer the direct reading accepts.
pub fn read_tolerantly<O: DeserializeOwned>(json: &[u8]) -> Result<Decoded<O>, Unreadable> {
    let mut value: Value = serde_json::from_slice(json).map_err(|e| Unreadable {
        reason: format!("not JSON: {e}"),
    })?;
    let mut unread = Vec::new();
    let mut taken = TakenItems::default();
    // The values read as absent by taking them out; every other rule is counted by the pass
    // that succeeds.
    let absent = Tally::default();
    loop {
        let tally = Tally::default();
        let attempt = {
            let _pending = unread::offer(&unread);
            tolerant::read::<O>(&value, &tally)
        };
        let failure = match attempt {
            Ok(output) => {
                tally.add(&absent);
                return Ok(Decoded {
                    output,
                    unread,
                    rules: tally.counts(),
                });
            }
            Err(failure) => failure,
        };
        let steps = failure.path.unwrap_or_default();
        let member = taken.original(&steps);
        if steps.is_empty() || unread.len() >= MAX_UNREAD {
            let place = if steps.is_empty() {
                "the Response object".to_owned()
            } else {
                format!(
                    "{} (after {MAX_UNREAD} members left unread)",
                    display(&member)
                )
            };
            let mut reason = format!("{place}: {}", failure.reason);
            if !unread.is_empty() {
                let members: Vec<String> = unread.iter().map(UnreadMember::to_string).collect();
                reason.push_str(&format!(" (left unread before: {})", members.join("; ")));
            }
            return Err(Unreadable { reason });
        }
        if !take_out(&mut value, &steps) {
            return Err(Unreadable {
                reason: format!("{}: {}", display(&member), failure.reason),
            });
        }
        // An absent member's `null` or `""` says nothing a reader loses; an item taken out of
        // a list does shorten it, so that is always reported.
        let item = matches!(steps.last(), Some(Step::Item(_)));
        if item {
            taken.record(&member);
        }
        if let Some(rule) = failure.absent {
            absent.count(rule);
        }
        if failure.absent.is_none() || item {
            unread.push(UnreadMember::new(display(&member), failure.reason));
        }
    }
}

/// Removes the member or item at `steps` from `value`; false when there is none there.
fn take_out(value: &mut Value, steps: &[Step]) -> bool {
    let Some((last, parents)) = steps.split_last() else {
        return false;
    };
    let mut at = value;
    for step in parents {
        let next = match (step, at) {
            (Step::Member(name), Value::Object(members)) => members.get_mut(name),
            (Step::Item(index), Value::Array(items)) => items.get_mut(*index),
            _ => None,
        };
        match next {
            Some(next) => at = next,
            None => return false,
        }
    }
    match (last, at) {
        (Step::Member(name), Value::Object(members)) => members.remove(name).is_some(),
        (Step::Item(index), Value::Array(items)) if *index < items.len() => {
            items.remove(*index);
            true
        }
        _ => false,
    }
}

/// The items taken out of each list so far, by the list's place in the answer as received,
/// so that places reported later still count items as the service sent them.
#[derive(Default)]
struct TakenItems(BTreeMap<Vec<Step>, Vec<usize>>);

impl TakenItems {
    /// `steps` (in the answer as it is now) in the answer as received.
    fn original(&self, steps: &[Step]) -> Vec<Step> {
        let mut original = Vec::with_capacity(steps.len());
        for step in steps {
            let step = match step {
                Step::Item(now) => {
                    let taken = self.0.get(&original).map(Vec::as_slice).unwrap_or_default();
                    Step::Item(nth_kept(*now, taken))
                }
                Step::Member(_) => step.clone(),
            };
            original.push(step);
        }
        original
    }

    /// Records that the item at `original` (as received) was taken out of its list.
    fn record(&mut self, original: &[Step]) {
        if let Some((Step::Item(index), list)) = original.split_last() {
            let taken = self.0.entry(list.to_vec()).or_default();
            if let Err(at) = taken.binary_search(index) {
                taken.insert(at, *index);
            }
        }
    }
}

/// The original index of the `now`th item still in a list from which the (sorted) original
/// indices `taken` were removed.
fn nth_kept(now: usize, taken: &[usize]) -> usize {
    let mut index = now;
    for &gone in taken {
        if gone <= index {
            index += 1;
        } else {
            break;
        }
    }
    index
}

/// `InstanceSet[5].InstanceName`.
fn display(steps: &[Step]) -> String {
    let mut text = String::new();
    for step in steps {
        match step {
            Step::Member(name) if text.is_empty() => text.push_str(name),
            Step::Member(name) => {
                text.push('.');
                text.push_str(name);
            }
            Step::Item(index) => {
                let _ = write!(text, "[{index}]");
            }
        }
    }
    text
}

/// Distinct (service, action, member) warnings kept; past it, warnings repeat rather than
/// the set growing.
const MAX_WARNED: usize = 4096;

/// A member of an action's answer: service, action, member without list indices.
type Warned = (&'static str, &'static str, String);

static WARNED: Mutex<Option<HashSet<Warned>>> = Mutex::new(None);

/// Warns, once per action and member (items of a list counted as one member), that members of
/// an answer were left unread.
pub(crate) fn warn_unread(service: &'static str, action: &'static str, unread: &[UnreadMember]) {
    for member in unread {
        let shape = without_indices(member.member());
        let first = match WARNED.lock() {
            Ok(mut warned) => {
                let warned = warned.get_or_insert_with(HashSet::new);
                if warned.len() >= MAX_WARNED {
                    !warned.contains(&(service, action, shape.clone()))
                } else {
                    warned.insert((service, action, shape.clone()))
                }
            }
            Err(_) => true,
        };
        if first {
            tracing::warn!(
                service,
                action,
                member = %shape,
                reason = member.reason(),
                "answer member left unread: it does not match its documented type",
            );
        }
    }
}

/// `InstanceSet[5].Ids[2]` → `InstanceSet[].Ids[]`.
fn without_indices(member: &str) -> String {
    let mut shape = String::with_capacity(member.len());
    let mut in_index = false;
    for c in member.chars() {
        match c {
            '[' => {
                in_index = true;
                shape.push('[');
            }
            ']' => {
                in_index = false;
                shape.push(']');
            }
            _ if in_index => {}
            _ => shape.push(c),
        }
    }
    shape
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde_json::json;

    use super::*;

    /// Shaped as generated outputs are: every member defaulted, integers through the runtime's
    /// adapters, the unread members from the decode in progress.
    #[derive(Debug, Default, Deserialize, PartialEq)]
    #[serde(rename_all = "PascalCase")]
    struct Output {
        #[serde(default, with = "crate::serde_helpers::option_int64")]
        flow_id: Option<i64>,
        #[serde(default)]
        total_price: Option<f64>,
        #[serde(default)]
        enabled: Option<bool>,
        #[serde(default)]
        task_id: Option<String>,
        #[serde(default)]
        placement: Option<Placement>,
        #[serde(default)]
        zones: Option<Vec<String>>,
        #[serde(default)]
        instance_set: Option<Vec<Instance>>,
        #[serde(default, deserialize_with = "crate::serde_helpers::null_as_empty")]
        ports: Vec<u64>,
        #[serde(default)]
        request_id: String,
        #[serde(skip, default = "take_pending")]
        unread_members: UnreadMembers,
    }

    #[derive(Debug, Default, Deserialize, PartialEq)]
    #[serde(rename_all = "PascalCase")]
    struct Placement {
        #[serde(default)]
        zone: Option<String>,
    }

    #[derive(Debug, Default, Deserialize, PartialEq)]
    #[serde(rename_all = "PascalCase")]
    struct Instance {
        #[serde(default)]
        instance_id: Option<String>,
        #[serde(default, rename = "CPU", with = "crate::serde_helpers::option_uint64")]
        cpu: Option<u64>,
    }

    fn read_value(answer: Value) -> Decoded<Output> {
        read(&serde_json::to_vec(&answer).unwrap()).unwrap()
    }

    fn rules(decoded: &Decoded<Output>) -> Vec<Rule> {
        decoded.rules.iter().map(|(rule, _)| *rule).collect()
    }

    #[test]
    fn an_answer_as_documented_is_read_directly_with_nothing_unread() {
        let decoded = read_value(json!({"FlowId": 1, "Enabled": true, "RequestId": "r"}));
        assert_eq!(decoded.output.flow_id, Some(1));
        assert!(decoded.unread.is_empty() && decoded.output.unread_members.is_empty());
        assert!(decoded.rules.is_empty());
    }

    #[test]
    fn numbers_are_read_from_numeric_strings() {
        let decoded =
            read_value(json!({"FlowId": "147286", "TotalPrice": "5000.00", "Ports": ["80", 443]}));
        assert_eq!(decoded.output.flow_id, Some(147_286));
        assert_eq!(decoded.output.total_price, Some(5000.0));
        assert_eq!(decoded.output.ports, [80, 443]);
        assert!(decoded.unread.is_empty());
        assert!(rules(&decoded).contains(&Rule::NumberFromString));
    }

    #[test]
    fn booleans_are_read_from_their_names_and_from_zero_and_one() {
        for (sent, read) in [
            (json!("True"), true),
            (json!("true"), true),
            (json!("False"), false),
            (json!("false"), false),
            (json!(1), true),
            (json!(0), false),
        ] {
            let decoded = read_value(json!({ "Enabled": sent, "TotalPrice": "1" }));
            assert_eq!(decoded.output.enabled, Some(read), "{sent}");
            assert!(decoded.unread.is_empty(), "{sent}");
        }
        let unread = read_value(json!({"Enabled": 2})).unread;
        assert_eq!(unread[0].member(), "Enabled");
    }

    #[test]
    fn strings_are_read_from_numbers_and_booleans() {
        let decoded = read_value(json!({"TaskId": 2_385_736, "Zones": [true, "ap-guangzhou-3"]}));
        assert_eq!(decoded.output.task_id.as_deref(), Some("2385736"));
        assert_eq!(
            decoded.output.zones,
            Some(vec!["true".to_owned(), "ap-guangzhou-3".to_owned()])
        );
        assert_eq!(rules(&decoded), [Rule::StringFromScalar]);
    }

    #[test]
    fn null_and_empty_strings_stand_for_absent_objects_lists_and_strings() {
        let decoded = read_value(json!({
            "Placement": "", "Zones": "", "InstanceSet": null, "Ports": "",
            "RequestId": null, "TaskId": null,
        }));
        assert_eq!(decoded.output.placement, None);
        assert_eq!(decoded.output.zones, None);
        assert!(decoded.output.ports.is_empty() && decoded.output.request_id.is_empty());
        assert!(decoded.unread.is_empty(), "{:?}", decoded.unread);
        assert_eq!(
            rules(&decoded),
            [Rule::EmptyStringAsAbsent, Rule::NullAsAbsent]
        );
    }

    #[test]
    fn undocumented_members_are_ignored_and_counted() {
        let decoded = read_value(json!({"TotalPrice": "2", "Surprise": {"x": 1}}));
        assert_eq!(decoded.output.total_price, Some(2.0));
        assert!(rules(&decoded).contains(&Rule::UnknownMember));
    }

    #[test]
    fn a_member_no_rule_reads_is_left_absent_and_named_while_the_rest_is_read() {
        let decoded = read_value(json!({
            "FlowId": "n/a",
            "Placement": {"Zone": ["ap-guangzhou-3"]},
            "Zones": {"Zone": "ap-guangzhou-3"},
            "TaskId": "task-1",
            "RequestId": "req-1",
        }));
        let output = &decoded.output;
        assert_eq!(
            (output.flow_id, output.task_id.as_deref()),
            (None, Some("task-1"))
        );
        assert_eq!(output.placement, Some(Placement { zone: None }));
        assert_eq!(
            (output.zones.as_ref(), output.request_id.as_str()),
            (None, "req-1")
        );
        let unread: Vec<String> = decoded.unread.iter().map(ToString::to_string).collect();
        assert_eq!(unread.len(), 3, "{unread:?}");
        // The integer adapter's own words say what it expected.
        assert!(
            unread[0].starts_with("FlowId: ") && unread[0].contains("\"n/a\""),
            "{unread:?}"
        );
        assert_eq!(
            unread[1..],
            [
                "Placement.Zone: expected a string, found a list",
                "Zones: expected a list, found an object",
            ]
        );
        assert_eq!(output.unread_members[..], decoded.unread[..]);
    }

    #[test]
    fn items_taken_out_of_a_list_are_named_by_their_place_in_the_answer_as_sent() {
        let decoded = read_value(json!({"InstanceSet": [
            {"InstanceId": "ins-0", "CPU": 2},
            {"InstanceId": "ins-1", "CPU": "many"},
            {"InstanceId": "ins-2", "CPU": 4},
            null,
            ["ins-4"],
            {"InstanceId": "ins-5", "CPU": -1},
        ]}));
        let instances = decoded.output.instance_set.unwrap();
        let ids: Vec<_> = instances
            .iter()
            .map(|i| i.instance_id.as_deref().unwrap())
            .collect();
        assert_eq!(ids, ["ins-0", "ins-1", "ins-2", "ins-5"]);
        assert_eq!(instances[1].cpu, None);
        let places: Vec<&str> = decoded.unread.iter().map(UnreadMember::member).collect();
        assert_eq!(
            places,
            [
                "InstanceSet[1].CPU",
                "InstanceSet[3]",
                "InstanceSet[4]",
                "InstanceSet[5].CPU"
            ]
        );
    }

    #[test]
    fn a_response_that_is_no_object_is_unreadable_and_says_what_was_left_out_before() {
        let err = read::<Output>(br#""text""#).unwrap_err();
        assert!(
            err.reason
                .starts_with("the Response object: expected an object, found the string \"text\""),
            "{}",
            err.reason
        );

        #[derive(Debug, Deserialize)]
        struct Strict {
            #[serde(rename = "TotalCount")]
            _total_count: u64,
        }
        let err = read::<Strict>(br#"{"TotalCount": "lots"}"#).unwrap_err();
        assert!(
            err.reason.contains("missing field `TotalCount`"),
            "{}",
            err.reason
        );
        assert!(
            err.reason.contains("left unread before: TotalCount: "),
            "{}",
            err.reason
        );
    }

    #[test]
    fn an_answer_drifted_past_the_bound_is_unreadable_rather_than_read_again_without_end() {
        let items: Vec<Value> = (0..MAX_UNREAD + 10).map(|_| json!({"CPU": "x"})).collect();
        let err = read::<Output>(&serde_json::to_vec(&json!({"InstanceSet": items})).unwrap())
            .unwrap_err();
        assert!(
            err.reason.contains(&format!("after {MAX_UNREAD} members")),
            "{}",
            err.reason
        );
    }

    #[test]
    fn unread_members_of_one_answer_never_reach_the_next() {
        let drifted = read_value(json!({"FlowId": "n/a"}));
        assert_eq!(drifted.output.unread_members.len(), 1);
        assert!(
            read_value(json!({"FlowId": 1}))
                .output
                .unread_members
                .is_empty()
        );
        // A decode that fails midway leaves nothing behind either.
        assert!(read::<Output>(br#""text""#).is_err());
        assert!(take_pending().is_empty());
    }

    #[test]
    fn warnings_name_a_member_once_per_action_whatever_its_index() {
        assert_eq!(
            without_indices("InstanceSet[12].Ids[3]"),
            "InstanceSet[].Ids[]"
        );
        let member = |place: &str| UnreadMember::new(place.to_owned(), "r".to_owned());
        warn_unread("svc", "Action", &[member("A[1].B")]);
        let warned = WARNED.lock().unwrap();
        assert!(
            warned
                .as_ref()
                .unwrap()
                .contains(&("svc", "Action", "A[].B".to_owned()))
        );
    }
}
