//! How an action pages, found from its request and response members by documented rules (the
//! spec's `paging`; an overlay replaces it or, with `null`, removes it):
//!
//! - Actions whose name begins with a verb that changes something are not paged.
//! - **Offset**: the request has `Offset` (or `OffSet`) with `Limit`, `Length`, `MaxResults`,
//!   `PageSize`, `Size` or `Count`, integers or numeric strings, at its top level or inside one
//!   object member (`Filter.Offset`). An `Offset` documented as a page number ("页码", "第几
//!   页", "page number") pages by **page number**, from the first page its document names (0
//!   or 1); when it names none, the action is not paged.
//! - **Page number**: `PageNumber`, `PageNo`, `PageNum`, `PageIndex`, `Page` or `CurrentPage`
//!   with `PageSize`, `Limit`, `PerPage`, `Size` or `Rows`; the first page is 0 when the
//!   document says so ("从0开始"), else 1.
//! - **Token**: a string `NextToken`, `Context`, `Cursor`, `PageToken`, `ScrollToken`,
//!   `ScrollId`, `PaginationToken`, `Marker` or `NextCursor` that the response returns under
//!   the same name, with `Next` before it, or another of these names; the page size is
//!   optional.
//! - The items are the response's one list, at its top level or inside one (or two nested)
//!   object members (`Result.List`); among several lists, those documented as deprecated,
//!   those of filter options or statistics (by name, by document, or several lists of one
//!   structure beside another), then all but the one the action's name names
//!   (`DescribeInstances` → `InstanceSet`) or the one named generically (`Data`, `List`,
//!   `Items`, …) are left out; when several remain, the action is not paged.
//! - The total is `TotalCount`, `Total`, `TotalNum`, … (first found) beside the items, in a
//!   sibling paging object (`Page.Total`), or at a level above, unless its document says it is
//!   the page's length. Without one, paging ends at the first empty page.

use serde_json::{Map, Value, json};

/// Verbs of actions that change something: never paged, whatever their members.
const CHANGING_VERBS: &[&str] = &[
    "Create",
    "Modify",
    "Delete",
    "Update",
    "Operate",
    "Set",
    "Add",
    "Remove",
    "Bind",
    "Unbind",
    "Start",
    "Stop",
    "Run",
    "Invoke",
    "Submit",
    "Apply",
    "Cancel",
    "Reset",
    "Restart",
    "Enable",
    "Disable",
    "Put",
    "Upload",
    "Send",
    "Import",
    "Rerun",
    "Kill",
    "Retry",
    "Verify",
    "Chat",
    "Terminate",
    "Destroy",
    "Release",
    "Renew",
    "Purchase",
    "Buy",
    "Allocate",
    "Associate",
    "Disassociate",
    "Attach",
    "Detach",
];
const OFFSETS: &[&str] = &["offset"];
const OFFSET_SIZES: &[&str] = &["limit", "length", "maxresults", "pagesize", "size", "count"];
const PAGE_NUMBERS: &[&str] = &[
    "pagenumber",
    "pageno",
    "pagenum",
    "pageindex",
    "page",
    "currentpage",
];
const PAGE_SIZES: &[&str] = &["pagesize", "limit", "perpage", "size", "rows"];
const TOKENS: &[&str] = &[
    "nexttoken",
    "context",
    "cursor",
    "pagetoken",
    "scrolltoken",
    "scrollid",
    "paginationtoken",
    "marker",
    "nextcursor",
];
const ANSWERED_TOKENS: &[&str] = &[
    "nexttoken",
    "context",
    "cursor",
    "nextcursor",
    "nextpagetoken",
    "scrolltoken",
    "paginationtoken",
    "pagetoken",
    "scrollid",
    "nextmarker",
    "nextcontext",
    "nextscrollid",
];
const TOKEN_SIZES: &[&str] = &[
    "limit",
    "maxresults",
    "pagesize",
    "size",
    "count",
    "maxitems",
    "maxkeys",
];
/// Totals of items, in the order preferred.
const TOTALS: &[&str] = &[
    "totalcount",
    "total",
    "totalnum",
    "totalcounts",
    "totalcnt",
    "totalnumber",
    "totalrow",
    "totalrows",
    "totalrecords",
    "totalitems",
    "totalelements",
    "alltotal",
    "alltotalcount",
    "recordnum",
    "recordcount",
    "count",
];
const GENERIC_ITEMS: &[&str] = &[
    "Data", "List", "Items", "Results", "Result", "Records", "Rows",
];
const PAGE_NUMBER_WORDS: &[&str] = &[
    "页码",
    "第几页",
    "页数",
    "页号",
    "当前页",
    "分页页",
    "分页索引",
    "page number",
    "current page",
];
/// Words of an `Offset` document that make it an item offset after all ("(页码-1)*每页条数").
const ITEM_OFFSET_WORDS: &[&str] = &[
    "页码-1",
    "页码 - 1",
    "limit*",
    "limit *",
    "起始位置",
    "第几个",
    "偏移",
];
const FIRST_PAGE_0: &[&str] = &[
    "从0开始",
    "从 0 开始",
    "第0页",
    "首页为 0",
    "首页为0",
    "默认值为0",
    "默认为0",
    "默认0",
    "默认值：0",
    "default value: 0",
    "starts from 0",
    "starting from 0",
];
const FIRST_PAGE_1: &[&str] = &[
    "从1开始",
    "从 1 开始",
    "第1页",
    "默认值为1",
    "默认为1",
    "默认1",
    "默认值：1",
    "default value: 1",
    "starts from 1",
    "starting from 1",
];
const DEPRECATED_WORDS: &[&str] = &[
    "已废弃",
    "废弃",
    "旧参数",
    "请不要使用",
    "不再使用",
    "deprecated",
];
const FACET_WORDS: &[&str] = &["枚举", "可选项", "过滤列表", "统计", "汇总", "表头"];
const FACET_SUFFIXES: &[&str] = &[
    "Lists",
    "Lst",
    "Options",
    "Enum",
    "Enums",
    "Counts",
    "Stats",
    "Statistics",
    "Summary",
    "Header",
];
const PAGE_LENGTH_WORDS: &[&str] = &[
    "列表长度",
    "列表大小",
    "当前返回",
    "本次返回",
    "<= Limit",
    "<=Limit",
];
const PAGING_OBJECTS: &[&str] = &[
    "Page",
    "Paging",
    "PageResult",
    "PageInfo",
    "Pagination",
    "Pager",
];

/// The rule found for an action: its `paging` and the rule's name, for the import's counts.
pub(super) struct Found {
    pub(super) paging: Value,
    pub(super) rule: &'static str,
}

/// The paging of `action`, whose request object is `input` and response object `output`, among
/// `objects`.
pub(super) fn detect(
    action: &str,
    input: &str,
    output: &str,
    objects: &Map<String, Value>,
) -> Option<Found> {
    if CHANGING_VERBS.iter().any(|verb| {
        action.starts_with(verb) && !action[verb.len()..].starts_with(char::is_lowercase)
    }) {
        return None;
    }
    let request = find_request(input, objects)?;
    let answer = find_answer(action, output, objects)?;
    let mut paging = Map::new();
    let rule = match &request {
        Request::Offset { position, size } => {
            paging.insert("rule".into(), json!("offset"));
            paging.insert("position".into(), json!(position));
            paging.insert("size".into(), json!(size));
            "offset"
        }
        Request::Page {
            position,
            size,
            first,
        } => {
            paging.insert("rule".into(), json!("page"));
            paging.insert("position".into(), json!(position));
            paging.insert("size".into(), json!(size));
            paging.insert("firstPage".into(), json!(first));
            "page"
        }
        Request::Token {
            position,
            size,
            name,
        } => {
            let next = answered_token(name, &answer.level_members)?;
            paging.insert("rule".into(), json!("token"));
            paging.insert("position".into(), json!(position));
            if let Some(size) = size {
                paging.insert("size".into(), json!(size));
            }
            let mut path = answer.level.clone();
            path.push(next);
            paging.insert("nextToken".into(), json!(path));
            "token"
        }
    };
    paging.insert("items".into(), json!(answer.items));
    if let Some(total) = answer.total {
        paging.insert("total".into(), json!(total));
    }
    Some(Found {
        paging: Value::Object(paging),
        rule,
    })
}

enum Request {
    Offset {
        position: Vec<String>,
        size: Vec<String>,
    },
    Page {
        position: Vec<String>,
        size: Vec<String>,
        first: u8,
    },
    Token {
        position: Vec<String>,
        size: Option<Vec<String>>,
        name: String,
    },
}

fn members<'a>(object: &str, objects: &'a Map<String, Value>) -> &'a [Value] {
    objects
        .get(object)
        .and_then(|o| o.get("members"))
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn name_of(member: &Value) -> &str {
    member
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or_default()
}

fn kind_of(member: &Value) -> &str {
    member
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or_default()
}

fn document_of(member: &Value) -> &str {
    member
        .get("document")
        .and_then(Value::as_str)
        .unwrap_or_default()
}

fn element_of(member: &Value) -> &str {
    member
        .get("member")
        .and_then(Value::as_str)
        .unwrap_or_default()
}

/// An integer, or a string the SDK sends as the number's digits.
fn is_number_like(member: &Value) -> bool {
    matches!(kind_of(member), "int" | "string")
}

fn named<'a>(members: &'a [Value], names: &[&str]) -> Option<&'a Value> {
    names.iter().find_map(|wanted| {
        members
            .iter()
            .find(|m| name_of(m).eq_ignore_ascii_case(wanted))
    })
}

fn mentions(text: &str, words: &[&str]) -> bool {
    let lower = text.to_lowercase();
    words.iter().any(|w| lower.contains(&w.to_lowercase()))
}

/// The paging members of the request: at its top level, else inside one object member.
fn find_request(input: &str, objects: &Map<String, Value>) -> Option<Request> {
    let top = members(input, objects);
    if let Some(found) = request_at(top, &[]) {
        return Some(found);
    }
    let mut nested = top
        .iter()
        .filter(|m| kind_of(m) == "object")
        .filter_map(|m| request_at(members(element_of(m), objects), &[name_of(m)]));
    let found = nested.next()?;
    nested.next().is_none().then_some(found)
}

fn request_at(members: &[Value], prefix: &[&str]) -> Option<Request> {
    let path = |member: &Value| -> Vec<String> {
        prefix
            .iter()
            .map(|p| (*p).to_owned())
            .chain([name_of(member).to_owned()])
            .collect()
    };
    let number_like = |names: &[&str]| named(members, names).filter(|m| is_number_like(m));
    if let (Some(offset), Some(size)) = (number_like(OFFSETS), number_like(OFFSET_SIZES)) {
        let document = document_of(offset);
        if mentions(document, PAGE_NUMBER_WORDS) && !mentions(document, ITEM_OFFSET_WORDS) {
            let first = first_page(document)?;
            return Some(Request::Page {
                position: path(offset),
                size: path(size),
                first,
            });
        }
        return Some(Request::Offset {
            position: path(offset),
            size: path(size),
        });
    }
    if let (Some(page), Some(size)) = (number_like(PAGE_NUMBERS), number_like(PAGE_SIZES)) {
        return Some(Request::Page {
            position: path(page),
            size: path(size),
            first: first_page(document_of(page)).unwrap_or(1),
        });
    }
    let token = named(members, TOKENS).filter(|m| kind_of(m) == "string")?;
    Some(Request::Token {
        position: path(token),
        size: number_like(TOKEN_SIZES).map(path),
        name: name_of(token).to_owned(),
    })
}

/// The first page a page number's document names.
fn first_page(document: &str) -> Option<u8> {
    if mentions(document, FIRST_PAGE_0) {
        Some(0)
    } else if mentions(document, FIRST_PAGE_1) {
        Some(1)
    } else {
        None
    }
}

/// Where the items are in the response, and its total.
struct Answer {
    /// The object path of the level holding the items (empty: the top level).
    level: Vec<String>,
    level_members: Vec<String>,
    items: Vec<String>,
    total: Option<Vec<String>>,
}

fn find_answer(action: &str, output: &str, objects: &Map<String, Value>) -> Option<Answer> {
    let mut object = output.to_owned();
    let mut level: Vec<String> = Vec::new();
    // Totals found at the levels above the items, nearest last.
    let mut totals_above: Vec<Vec<String>> = Vec::new();
    for _ in 0..3 {
        let here: Vec<&Value> = members(&object, objects)
            .iter()
            .filter(|m| name_of(m) != "RequestId")
            .collect();
        let lists: Vec<&Value> = here
            .iter()
            .copied()
            .filter(|m| kind_of(m) == "list")
            .collect();
        if !lists.is_empty() {
            let items = pick_list(action, &lists)?;
            let mut items_path = level.clone();
            items_path.push(name_of(items).to_owned());
            let total = total_among(&here)
                .map(|t| with(&level, t))
                .or_else(|| sibling_total(&here, &level, objects))
                .or_else(|| totals_above.pop());
            return Some(Answer {
                level_members: here.iter().map(|m| name_of(m).to_owned()).collect(),
                level,
                items: items_path,
                total,
            });
        }
        if let Some(total) = total_among(&here) {
            totals_above.push(with(&level, total));
        }
        let wrappers: Vec<&Value> = here
            .iter()
            .copied()
            .filter(|m| kind_of(m) == "object" && !is_paging_object(name_of(m)))
            .collect();
        let [wrapper] = wrappers[..] else {
            return None;
        };
        level.push(name_of(wrapper).to_owned());
        object = element_of(wrapper).to_owned();
    }
    None
}

fn with(level: &[String], member: &Value) -> Vec<String> {
    level
        .iter()
        .cloned()
        .chain([name_of(member).to_owned()])
        .collect()
}

fn is_paging_object(name: &str) -> bool {
    PAGING_OBJECTS.contains(&name) || name.ends_with("CountInfo")
}

fn total_among<'a>(members: &[&'a Value]) -> Option<&'a Value> {
    TOTALS.iter().find_map(|wanted| {
        members.iter().copied().find(|m| {
            name_of(m).eq_ignore_ascii_case(wanted)
                && is_number_like(m)
                && (!mentions(document_of(m), PAGE_LENGTH_WORDS)
                    || mentions(document_of(m), &["总", "而非"]))
        })
    })
}

/// A total inside a paging object beside the items (`Page.Total`).
fn sibling_total(
    members: &[&Value],
    level: &[String],
    objects: &Map<String, Value>,
) -> Option<Vec<String>> {
    members.iter().find_map(|m| {
        if kind_of(m) != "object" || !is_paging_object(name_of(m)) {
            return None;
        }
        let inside: Vec<&Value> = self::members(element_of(m), objects).iter().collect();
        let total = total_among(&inside)?;
        let mut path = with(level, m);
        path.push(name_of(total).to_owned());
        Some(path)
    })
}

/// The items among several lists, by the rules in the module's documentation.
fn pick_list<'a>(action: &str, lists: &[&'a Value]) -> Option<&'a Value> {
    let only = |kept: Vec<&'a Value>| -> Result<&'a Value, Vec<&'a Value>> {
        match kept[..] {
            [one] => Ok(one),
            _ => Err(kept),
        }
    };
    let mut kept: Vec<&Value> = lists.to_vec();
    // Several lists of one structure beside one of another are filter options (csip's
    // `FilterDataObject` lists beside the assets).
    let shared = |m: &Value| {
        let element = element_of(m);
        let distinct: std::collections::BTreeSet<&str> =
            lists.iter().map(|l| element_of(l)).collect();
        tencentcloud_vocabulary::Scalar::parse(element).is_none()
            && distinct.len() > 1
            && lists.iter().filter(|l| element_of(l) == element).count() > 1
    };
    let filters: [&dyn Fn(&Value) -> bool; 3] = [
        &|m| !mentions(document_of(m), DEPRECATED_WORDS),
        &|m| {
            !FACET_SUFFIXES.iter().any(|s| name_of(m).ends_with(s))
                && !mentions(document_of(m), FACET_WORDS)
        },
        &|m| !shared(m),
    ];
    for filter in filters {
        match only(kept.clone()) {
            Ok(one) => return Some(one),
            Err(_) => {
                let narrowed: Vec<&Value> = kept.iter().copied().filter(|m| filter(m)).collect();
                if !narrowed.is_empty() {
                    kept = narrowed;
                }
            }
        }
    }
    if let Ok(one) = only(kept.clone()) {
        return Some(one);
    }
    let noun = ["Describe", "List", "Get", "Query", "Search"]
        .iter()
        .find_map(|verb| action.strip_prefix(verb))
        .unwrap_or(action);
    let named_by_action: Vec<&Value> = kept
        .iter()
        .copied()
        .filter(|m| {
            let name = name_of(m);
            let stem = ["Set", "List", "Infos", "Info", "Items", "Details", "s"]
                .iter()
                .find_map(|suffix| name.strip_suffix(suffix))
                .unwrap_or(name);
            stem.len() >= 3 && noun.contains(stem)
        })
        .collect();
    if let [one] = named_by_action[..] {
        return Some(one);
    }
    let generic: Vec<&Value> = kept
        .iter()
        .copied()
        .filter(|m| GENERIC_ITEMS.contains(&name_of(m)))
        .collect();
    match generic[..] {
        [one] => Some(one),
        _ => None,
    }
}

/// The response's name for the token the request sends as `request`: the same name, with
/// `Next` before it or without it, or another token name.
fn answered_token(request: &str, members: &[String]) -> Option<String> {
    let plain = request.strip_prefix("Next").unwrap_or(request);
    let preferred = [request.to_owned(), format!("Next{plain}"), plain.to_owned()];
    preferred
        .iter()
        .find(|name| members.iter().any(|m| m == *name))
        .cloned()
        .or_else(|| {
            members
                .iter()
                .find(|m| ANSWERED_TOKENS.contains(&m.to_lowercase().as_str()))
                .cloned()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn objects(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap()
    }

    fn member(name: &str, kind: &str, element: &str, document: &str) -> Value {
        json!({"name": name, "type": kind, "member": element, "document": document})
    }

    #[test]
    fn offset_limit_with_a_total_and_one_list_pages_by_offset() {
        let objects = objects(json!({
            "DescribeThingsRequest": {"members": [
                member("Offset", "int", "int64", "偏移量，默认为0。"),
                member("Limit", "int", "int64", "返回数量"),
            ]},
            "DescribeThingsResponse": {"members": [
                member("TotalCount", "int", "int64", "符合条件的总数"),
                member("ThingSet", "list", "Thing", "列表"),
                member("RequestId", "string", "string", "id"),
            ]},
        }));
        let found = detect(
            "DescribeThings",
            "DescribeThingsRequest",
            "DescribeThingsResponse",
            &objects,
        )
        .unwrap();
        assert_eq!(found.rule, "offset");
        assert_eq!(
            found.paging,
            json!({"rule": "offset", "position": ["Offset"], "size": ["Limit"], "items": ["ThingSet"], "total": ["TotalCount"]})
        );
        assert!(
            detect(
                "DeleteThings",
                "DescribeThingsRequest",
                "DescribeThingsResponse",
                &objects
            )
            .is_none()
        );
    }

    #[test]
    fn an_offset_documented_as_a_page_number_pages_by_page_from_the_page_it_names() {
        let objects = |document: &str| {
            objects(json!({
                "Req": {"members": [member("Offset", "int", "int64", document), member("Limit", "int", "int64", "")]},
                "Resp": {"members": [
                    member("Result", "object", "Page", ""),
                ]},
                "Page": {"members": [member("Total", "int", "int64", "总数"), member("List", "list", "Thing", "")]},
            }))
        };
        let found = detect(
            "DescribeThings",
            "Req",
            "Resp",
            &objects("分页返回，页编号，页码从0开始"),
        )
        .unwrap();
        assert_eq!(
            found.paging,
            json!({"rule": "page", "position": ["Offset"], "size": ["Limit"], "firstPage": 0, "items": ["Result", "List"], "total": ["Result", "Total"]})
        );
        assert!(
            detect("DescribeThings", "Req", "Resp", &objects("页码")).is_none(),
            "a page number whose first page is not named is not guessed"
        );
        let item_offset = detect(
            "DescribeThings",
            "Req",
            "Resp",
            &objects("偏移量，等于(页码-1)*每页条数"),
        )
        .unwrap();
        assert_eq!(item_offset.rule, "offset");
    }

    #[test]
    fn a_token_the_answer_returns_pages_by_token_and_ambiguous_lists_are_not_paged() {
        let objects = objects(json!({
            "Req": {"members": [member("NextToken", "string", "string", ""), member("MaxResults", "int", "int64", "")]},
            "Resp": {"members": [
                member("NextToken", "string", "string", ""),
                member("Items", "list", "Thing", ""),
            ]},
            "Two": {"members": [
                member("Ingress", "list", "Rule", ""),
                member("Egress", "list", "Rule", ""),
            ]},
        }));
        let found = detect("ListThings", "Req", "Resp", &objects).unwrap();
        assert_eq!(
            found.paging,
            json!({"rule": "token", "position": ["NextToken"], "size": ["MaxResults"], "nextToken": ["NextToken"], "items": ["Items"]})
        );
        assert!(detect("ListRules", "Req", "Two", &objects).is_none());
    }
}
