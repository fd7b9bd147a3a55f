//! The members of an answer the SDK could not read, as a generated output reports them.

use std::cell::RefCell;
use std::fmt;
use std::ops::Deref;

/// A member of a success answer that could not be read into its documented type even by the
/// tolerance rules, and was therefore left absent (`None`, or an empty list).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnreadMember {
    member: String,
    reason: String,
}

impl UnreadMember {
    pub(crate) fn new(member: String, reason: String) -> Self {
        Self { member, reason }
    }

    /// Where the member lies in the `Response` object, e.g. `InstanceSet[5].InstanceName`.
    pub fn member(&self) -> &str {
        &self.member
    }

    /// Why it was not read, e.g. `expected an integer, found the string "n/a"`.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl fmt::Display for UnreadMember {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.member, self.reason)
    }
}

/// The members of an answer that were not read (see [`UnreadMember`]); empty for an answer
/// that matched its documentation or was read by the tolerance rules alone.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UnreadMembers(Vec<UnreadMember>);

impl Deref for UnreadMembers {
    type Target = [UnreadMember];

    fn deref(&self) -> &[UnreadMember] {
        &self.0
    }
}

impl<'a> IntoIterator for &'a UnreadMembers {
    type Item = &'a UnreadMember;
    type IntoIter = std::slice::Iter<'a, UnreadMember>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

thread_local! {
    /// The unread members of the answer being read on this thread, handed to the output type
    /// as its field's default: a generated output has no code of its own for them.
    static PENDING: RefCell<Vec<UnreadMember>> = const { RefCell::new(Vec::new()) };
}

/// The default of a generated output's `unread_members` field: the members the decode in
/// progress on this thread left unread, none outside such a decode.
pub fn take_pending() -> UnreadMembers {
    UnreadMembers(PENDING.with(|pending| std::mem::take(&mut *pending.borrow_mut())))
}

/// Offers `unread` to the output read while the returned guard lives; whatever the output did
/// not take is dropped with the guard, so nothing leaks into a later decode on this thread.
pub(crate) fn offer(unread: &[UnreadMember]) -> Pending {
    PENDING.with(|pending| *pending.borrow_mut() = unread.to_vec());
    Pending
}

pub(crate) struct Pending;

impl Drop for Pending {
    fn drop(&mut self) {
        PENDING.with(|pending| pending.borrow_mut().clear());
    }
}
