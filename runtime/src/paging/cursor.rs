//! Where a paged listing stands: the request of the next page, what the pages so far said, and
//! the guards that end a listing whose pages do not advance. The same for every action.

use serde_json::{Number, Value};

use crate::call_options::CallOptions;
use crate::client::{Client, Operation, Whole};
use crate::error::{ResponseError, ResponseErrorKind, SdkError, ServiceError};
use crate::response::Answer;
use crate::retry::Repeatability;

/// How an action pages, as its generated code describes it; paths name members from the
/// request's (or the answer's) top level.
#[derive(Debug, Clone, Copy)]
pub struct Paging {
    /// The rule.
    pub rule: PagingRule,
    /// The request member saying where a page starts (offset, page number or token).
    pub position: &'static [&'static str],
    /// Whether an offset or page number is sent as a string of digits.
    pub position_as_text: bool,
    /// The page size member of the request, if the action has one.
    pub size: Option<&'static [&'static str]>,
    /// Whether the page size is sent as a string of digits.
    pub size_as_text: bool,
    /// The answer's list of items.
    pub items: &'static [&'static str],
    /// The answer's count of all items, if it gives one.
    pub total: Option<&'static [&'static str]>,
}

/// How the pages follow one another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PagingRule {
    /// The request names the first item's offset.
    Offset,
    /// The request names the page, the first numbered `first`.
    Page {
        /// The first page's number.
        first: u8,
    },
    /// The request sends back the token the previous answer gave at `next`.
    Token {
        /// Where the answer gives the next page's token.
        next: &'static [&'static str],
    },
}

/// The action a listing calls, and with what.
pub(crate) struct Listing {
    pub(crate) client: Client,
    pub(crate) service: &'static str,
    pub(crate) version: &'static str,
    pub(crate) action: &'static str,
    pub(crate) region_required: bool,
    pub(crate) host: Option<&'static str>,
    pub(crate) options: CallOptions,
    pub(crate) paging: &'static Paging,
}

/// One listing's progress.
pub(crate) struct Cursor {
    listing: Listing,
    body: Value,
    /// The next page's offset or number.
    position: u64,
    token: Option<String>,
    /// Items read so far.
    read: u64,
    max_items: Option<u64>,
    pages: u64,
    previous_items: Option<Value>,
    done: bool,
}

impl Cursor {
    /// A listing starting where the request says (its offset, page or token, if set).
    pub(crate) fn new(listing: Listing, body: Value) -> Self {
        let paging = listing.paging;
        let set = value_at(&body, paging.position);
        let position = match paging.rule {
            PagingRule::Offset => set.and_then(number_of).unwrap_or(0),
            PagingRule::Page { first } => set.and_then(number_of).unwrap_or(u64::from(first)),
            PagingRule::Token { .. } => 0,
        };
        let token = match paging.rule {
            PagingRule::Token { .. } => set.and_then(Value::as_str).map(str::to_owned),
            _ => None,
        };
        Self {
            listing,
            body,
            position,
            token,
            read: 0,
            max_items: None,
            pages: 0,
            previous_items: None,
            done: false,
        }
    }

    /// Asks for `size` items per page, where the action has a page size.
    pub(crate) fn set_page_size(&mut self, size: u32) {
        if let Some(path) = self.listing.paging.size {
            let value = number(u64::from(size), self.listing.paging.size_as_text);
            set_value_at(&mut self.body, path, value);
        }
    }

    /// The service and action listed, for reading and reporting their answers.
    pub(crate) fn place(&self) -> (&'static str, &'static str) {
        (self.listing.service, self.listing.action)
    }

    pub(crate) fn max_items(&self) -> Option<u64> {
        self.max_items
    }

    pub(crate) fn set_max_items(&mut self, max: u64) {
        self.max_items = Some(max);
        self.done |= max == 0;
    }

    /// The next page's answer and the attempts it took; `None` once the listing is over.
    pub(crate) async fn next_page(
        &mut self,
    ) -> Result<Option<(Answer, u32)>, SdkError<ServiceError>> {
        if self.done {
            return Ok(None);
        }
        let paging = self.listing.paging;
        let position = match (&paging.rule, &self.token) {
            (PagingRule::Token { .. }, Some(token)) => Some(Value::String(token.clone())),
            (PagingRule::Token { .. }, None) => None,
            _ => Some(number(self.position, paging.position_as_text)),
        };
        if let Some(position) = position {
            set_value_at(&mut self.body, paging.position, position);
        }
        let body = serde_json::to_vec(&self.body).map_err(|e| {
            SdkError::Validation(crate::ValidationError::new(
                self.listing.action,
                format!("the request cannot be encoded as JSON: {e}"),
            ))
        })?;
        let listing = &self.listing;
        let op = Operation {
            service: listing.service,
            version: listing.version,
            action: listing.action,
            region_required: listing.region_required,
            // Each page only reads.
            repeatability: Repeatability::Read,
            body,
            host: listing.host,
            options: listing.options.clone(),
        };
        let (answer, attempts) = listing.client.invoke_counting::<Whole>(op).await?;
        self.advance(&answer)?;
        Ok(Some((answer, attempts)))
    }

    /// Takes in what a page said: the items it held, the total, the next token; ends the
    /// listing when it is over, and fails it when its pages do not advance.
    fn advance(&mut self, answer: &Answer) -> Result<(), SdkError<ServiceError>> {
        let paging = self.listing.paging;
        let response: Value = serde_json::from_slice(answer.response_json()).unwrap_or_default();
        let items = value_at(&response, paging.items)
            .filter(|items| items.is_array())
            .cloned()
            .unwrap_or(Value::Array(Vec::new()));
        let count = items.as_array().map_or(0, Vec::len) as u64;
        let total = paging
            .total
            .and_then(|path| value_at(&response, path))
            .and_then(number_of);
        let stall = |detail: String| {
            SdkError::Response(
                ResponseError::new(ResponseErrorKind::PagesStalled, 200, &[])
                    .with_detail(format!("{}: {detail}", self.listing.action)),
            )
        };
        self.pages += 1;
        if count == 0 {
            self.done = true;
            if let Some(total) = total.filter(|total| self.read < *total) {
                return Err(stall(format!(
                    "page {} is empty, though the answer counts {total} items and {} were read",
                    self.pages, self.read
                )));
            }
            return Ok(());
        }
        if self.previous_items.as_ref() == Some(&items) {
            self.done = true;
            return Err(stall(format!(
                "page {} holds the same items as the page before; the service may ignore `{}`",
                self.pages,
                paging.position.join(".")
            )));
        }
        self.read += count;
        match paging.rule {
            PagingRule::Offset => self.position += count,
            PagingRule::Page { .. } => self.position += 1,
            PagingRule::Token { next } => {
                let next = value_at(&response, next)
                    .and_then(Value::as_str)
                    .filter(|token| !token.is_empty())
                    .map(str::to_owned);
                match next {
                    None => self.done = true,
                    Some(next) if self.token.as_ref() == Some(&next) => {
                        self.done = true;
                        return Err(stall(format!(
                            "the answer gives back the token it was sent (`{next}`)"
                        )));
                    }
                    Some(next) => self.token = Some(next),
                }
            }
        }
        if total.is_some_and(|total| self.read >= total)
            || self.max_items.is_some_and(|max| self.read >= max)
        {
            self.done = true;
        }
        self.previous_items = Some(items);
        Ok(())
    }
}

/// `number` as the request's member takes it.
fn number(number: u64, as_text: bool) -> Value {
    if as_text {
        Value::String(number.to_string())
    } else {
        Value::Number(Number::from(number))
    }
}

fn value_at<'a>(value: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(value, |value, step| value.get(step))
}

/// Sets the member at `path`, making the objects on the way.
fn set_value_at(value: &mut Value, path: &[&str], new: Value) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut here = value;
    for step in parents {
        if !here.get(step).is_some_and(Value::is_object)
            && let Value::Object(map) = here
        {
            map.insert((*step).to_owned(), Value::Object(Default::default()));
        }
        match here.get_mut(step) {
            Some(next) => here = next,
            None => return,
        }
    }
    if let Value::Object(map) = here {
        map.insert((*last).to_owned(), new);
    }
}

/// A count or position sent as a number or as a string of digits.
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
    fn members_are_set_along_their_path_and_numbers_read_from_digits() {
        let mut body = json!({"Filter": {"Name": "x"}});
        set_value_at(&mut body, &["Filter", "Offset"], json!(20));
        set_value_at(&mut body, &["Page", "Size"], json!("50"));
        assert_eq!(
            body,
            json!({"Filter": {"Name": "x", "Offset": 20}, "Page": {"Size": "50"}})
        );
        assert_eq!(number_of(&json!("237")), Some(237));
        assert_eq!(number_of(&json!(237)), Some(237));
        assert_eq!(number_of(&json!("n/a")), None);
    }
}
