//! Listing everything a paged action holds, page after page, from a generated builder's
//! `into_paginator()`.

mod cursor;

use std::collections::VecDeque;
use std::fmt;
use std::future::{Future, poll_fn};
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use serde::de::DeserializeOwned;

pub(crate) use cursor::{Cursor, Listing};
pub use cursor::{Paging, PagingRule};

use crate::client::{read_output, success_summary};
use crate::error::{SdkError, ServiceError};
use crate::response::Answer;
use crate::retry::Repeatability;

/// Pages through a paged action from the request a builder holds: [`pages`](Self::pages) gives
/// each answer, [`items`](Self::items) each item of every page. Each page is a read, retried as
/// reads are. The listing ends at the last page (its total reached, an empty page, no next
/// token) or at [`max_items`](Self::max_items); a listing whose pages do not advance (a page
/// equal to the one before, a token given back unchanged, an empty page before the total) ends
/// with [`ResponseErrorKind::PagesStalled`](crate::error::ResponseErrorKind::PagesStalled)
/// rather than going round forever.
pub struct Paginator<O, I, E> {
    cursor: Result<Cursor, SdkError<ServiceError>>,
    items_of: fn(O) -> Vec<I>,
    errors: PhantomData<fn() -> E>,
}

impl<O, I, E> fmt::Debug for Paginator<O, I, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paginator").finish_non_exhaustive()
    }
}

impl<O, I, E> Paginator<O, I, E>
where
    O: DeserializeOwned + Send + 'static,
    I: Send + 'static,
    E: From<ServiceError> + Send + 'static,
{
    pub(crate) fn new(
        cursor: Result<Cursor, SdkError<ServiceError>>,
        items_of: fn(O) -> Vec<I>,
    ) -> Self {
        Self {
            cursor,
            items_of,
            errors: PhantomData,
        }
    }

    /// Asks for `size` items per page (where the action has a page size member), instead of
    /// the request's own or the service's default.
    #[must_use]
    pub fn page_size(mut self, size: u32) -> Self {
        if let Ok(cursor) = &mut self.cursor {
            cursor.set_page_size(size);
        }
        self
    }

    /// Stops after `max` items: no page is asked for once they have been read, and
    /// [`items`](Self::items) gives no more.
    #[must_use]
    pub fn max_items(mut self, max: u64) -> Self {
        if let Ok(cursor) = &mut self.cursor {
            cursor.set_max_items(max);
        }
        self
    }

    /// Each page's answer, in order.
    pub fn pages(self) -> Pages<O, E> {
        let state = match self.cursor {
            Ok(cursor) => State::Idle(Box::new(cursor)),
            Err(error) => State::Failed(error),
        };
        Pages {
            state,
            output: PhantomData,
        }
    }

    /// Each item of every page, in order.
    pub fn items(self) -> Items<O, I, E> {
        let max = self.cursor.as_ref().ok().and_then(Cursor::max_items);
        let items_of = self.items_of;
        Items {
            pages: self.pages(),
            items_of,
            buffered: VecDeque::new(),
            left: max,
        }
    }
}

type Fetch = Pin<
    Box<
        dyn Future<
                Output = (
                    Box<Cursor>,
                    Result<Option<(Answer, u32)>, SdkError<ServiceError>>,
                ),
            > + Send,
    >,
>;

enum State {
    Idle(Box<Cursor>),
    Fetching(Fetch),
    Failed(SdkError<ServiceError>),
    Done,
}

/// The pages of a listing ([`Paginator::pages`]); a [`futures_core::Stream`], or read with
/// [`next`](Self::next).
pub struct Pages<O, E> {
    state: State,
    output: PhantomData<fn() -> (O, E)>,
}

impl<O, E> fmt::Debug for Pages<O, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages").finish_non_exhaustive()
    }
}

impl<O: DeserializeOwned, E: From<ServiceError>> Pages<O, E> {
    /// The next page; `None` once the listing is over (after an error too).
    pub async fn next(&mut self) -> Option<Result<O, SdkError<E>>> {
        poll_fn(|cx| self.poll_page(cx)).await
    }

    fn poll_page(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<O, SdkError<E>>>> {
        loop {
            match std::mem::replace(&mut self.state, State::Done) {
                State::Done => return Poll::Ready(None),
                State::Failed(error) => {
                    return Poll::Ready(Some(Err(error.map_service_error(E::from))));
                }
                State::Idle(mut cursor) => {
                    self.state = State::Fetching(Box::pin(async move {
                        let page = cursor.next_page().await;
                        (cursor, page)
                    }));
                }
                State::Fetching(mut fetch) => match fetch.as_mut().poll(cx) {
                    Poll::Pending => {
                        self.state = State::Fetching(fetch);
                        return Poll::Pending;
                    }
                    Poll::Ready((_, Ok(None))) => return Poll::Ready(None),
                    Poll::Ready((_, Err(error))) => {
                        return Poll::Ready(Some(Err(error.map_service_error(E::from))));
                    }
                    Poll::Ready((cursor, Ok(Some((answer, attempts))))) => {
                        let place = cursor.place();
                        let call = success_summary(Repeatability::Read, attempts);
                        let output = read_output(&answer, place, call);
                        self.state = State::Idle(cursor);
                        return Poll::Ready(Some(output));
                    }
                },
            }
        }
    }
}

impl<O: DeserializeOwned, E: From<ServiceError>> futures_core::Stream for Pages<O, E> {
    type Item = Result<O, SdkError<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_page(cx)
    }
}

impl<O, E> Unpin for Pages<O, E> {}

/// The items of a listing ([`Paginator::items`]); a [`futures_core::Stream`], or read with
/// [`next`](Self::next).
pub struct Items<O, I, E> {
    pages: Pages<O, E>,
    items_of: fn(O) -> Vec<I>,
    buffered: VecDeque<I>,
    left: Option<u64>,
}

impl<O, I, E> fmt::Debug for Items<O, I, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("buffered", &self.buffered.len())
            .finish_non_exhaustive()
    }
}

impl<O: DeserializeOwned, I, E: From<ServiceError>> Items<O, I, E> {
    /// The next item; `None` once the listing is over (after an error too).
    pub async fn next(&mut self) -> Option<Result<I, SdkError<E>>> {
        poll_fn(|cx| self.poll_item(cx)).await
    }

    fn poll_item(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<I, SdkError<E>>>> {
        loop {
            if self.left == Some(0) {
                return Poll::Ready(None);
            }
            if let Some(item) = self.buffered.pop_front() {
                if let Some(left) = &mut self.left {
                    *left -= 1;
                }
                return Poll::Ready(Some(Ok(item)));
            }
            match self.pages.poll_page(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(error))) => return Poll::Ready(Some(Err(error))),
                Poll::Ready(Some(Ok(page))) => self.buffered.extend((self.items_of)(page)),
            }
        }
    }
}

impl<O: DeserializeOwned, I, E: From<ServiceError>> futures_core::Stream for Items<O, I, E> {
    type Item = Result<I, SdkError<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_item(cx)
    }
}

impl<O, I, E> Unpin for Items<O, I, E> {}
