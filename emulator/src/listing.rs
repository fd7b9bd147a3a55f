//! Paged answers of the actions the emulator keeps no state for: the documented example's first
//! item repeated as many times as the listing holds (its size set through the admin API, else
//! the example's own count), each copy told apart by its index within the documented shape,
//! served page by page as the action's `paging` rule says (offset, page number or token) with
//! its total.

use serde_json::{Map, Value};
use tencentcloud_spec::types::{Paging, PagingRule};

use crate::validate::Params;

/// Page size when the request gives none.
const DEFAULT_PAGE_SIZE: u64 = 20;

/// Replaces the items (and total and next token) of `response`, the action's answer, with the
/// page of a listing of `size` items that `params` asks for.
pub(crate) fn page(
    paging: &Paging,
    params: &Params,
    size: Option<usize>,
    ignore_offset: bool,
    response: &mut Map<String, Value>,
) {
    let Some(items) = value_at(response, &paging.items).and_then(Value::as_array) else {
        return;
    };
    let size = size.unwrap_or(items.len()) as u64;
    let template = items.first().cloned().unwrap_or(Value::Null);
    let (start, end) = window(paging, params, size, ignore_offset);
    let page: Vec<Value> = (start..end)
        .map(|index| numbered(&template, index))
        .collect();
    fill(response, paging, page, size, end);
}

/// The items `[start, end)` of `size` the request asks for, by its rule (from the start, when
/// a fault ignores its position).
pub(crate) fn window(
    paging: &Paging,
    params: &Params,
    size: u64,
    ignore_offset: bool,
) -> (u64, u64) {
    let requested = |path: &Option<Vec<String>>| {
        path.as_deref()
            .and_then(|path| params.value_at(path))
            .and_then(number_of)
    };
    let page_size = requested(&paging.size).unwrap_or(DEFAULT_PAGE_SIZE).max(1);
    let position = Some(paging.position.clone());
    let start = if ignore_offset {
        0
    } else {
        match paging.rule {
            PagingRule::Offset => requested(&position).unwrap_or(0),
            PagingRule::Page => {
                let first = u64::from(paging.first_page.unwrap_or(1));
                requested(&position)
                    .unwrap_or(first)
                    .saturating_sub(first)
                    .saturating_mul(page_size)
            }
            PagingRule::Token => params
                .value_at(&paging.position)
                .and_then(Value::as_str)
                .and_then(|token| token.parse().ok())
                .unwrap_or(0),
        }
    };
    (start, start.saturating_add(page_size).min(size))
}

/// Puts one page's items, the total of `size` and the next page's token (after `end`) in the
/// answer.
pub(crate) fn fill(
    response: &mut Map<String, Value>,
    paging: &Paging,
    page: Vec<Value>,
    size: u64,
    end: u64,
) {
    set_value_at(response, &paging.items, Value::Array(page));
    if let Some(total) = &paging.total {
        let kept_as_text = value_at(response, total).is_some_and(Value::is_string);
        let total_value = if kept_as_text {
            Value::String(size.to_string())
        } else {
            Value::from(size)
        };
        set_value_at(response, total, total_value);
    }
    if let Some(next) = &paging.next_token {
        let token = if end < size {
            end.to_string()
        } else {
            String::new()
        };
        set_value_at(response, next, Value::String(token));
    }
}

/// Copy `index` of the example item, told apart from the others within its documented shape:
/// its first text member by name (or the item itself, if it is text) ends with `-<index>`;
/// without one, its first integer member is the index; an item with neither is copied as it is.
fn numbered(template: &Value, index: u64) -> Value {
    match template {
        Value::Object(members) => {
            let mut item = members.clone();
            let text = item.iter().find_map(|(name, value)| {
                value.as_str().map(|text| (name.clone(), text.to_owned()))
            });
            let integer = item
                .iter()
                .find(|(_, value)| value.is_u64() || value.is_i64())
                .map(|(name, _)| name.clone());
            match (text, integer) {
                (Some((name, text)), _) => {
                    item.insert(name, Value::String(format!("{text}-{index}")));
                }
                (None, Some(name)) => {
                    item.insert(name, Value::from(index));
                }
                (None, None) => {}
            }
            Value::Object(item)
        }
        Value::String(text) => Value::String(format!("{text}-{index}")),
        other => other.clone(),
    }
}

pub(crate) fn value_at<'a>(map: &'a Map<String, Value>, path: &[String]) -> Option<&'a Value> {
    let (first, rest) = path.split_first()?;
    rest.iter()
        .try_fold(map.get(first)?, |value, step| value.get(step))
}

pub(crate) fn set_value_at(map: &mut Map<String, Value>, path: &[String], new: Value) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut here = map;
    for step in parents {
        match here.get_mut(step).and_then(Value::as_object_mut) {
            Some(next) => here = next,
            None => return,
        }
    }
    here.insert(last.clone(), new);
}

fn number_of(value: &Value) -> Option<u64> {
    value
        .as_u64()
        .or_else(|| value.as_str().and_then(|text| text.trim().parse().ok()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbered_copies_differ_by_their_first_text_member_by_name() {
        let item = json!({"Count": 1, "Name": "repo", "Id": "x"});
        assert_eq!(
            numbered(&item, 7),
            json!({"Count": 1, "Name": "repo", "Id": "x-7"}),
            "the first text member by name"
        );
        assert_eq!(numbered(&json!("tag"), 2), json!("tag-2"));
        assert_eq!(
            numbered(&json!({"N": 1, "On": true}), 3),
            json!({"N": 3, "On": true})
        );
        assert_eq!(numbered(&json!({"On": true}), 3), json!({"On": true}));
    }
}
