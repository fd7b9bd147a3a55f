//! An answer's body, collected up to a size cap.

use bytes::{Bytes, BytesMut};

use crate::error::{ResponseError, ResponseErrorKind};

/// The error for a body of an answer with `status` that went past `cap` bytes; `held` is what
/// arrived, of which the error keeps an excerpt.
pub(crate) fn too_large(status: u16, cap: usize, held: &[u8]) -> ResponseError {
    ResponseError::new(ResponseErrorKind::TooLarge, status, held)
        .with_detail(format!("limit is {cap} bytes"))
}

/// Collects body chunks. The usual answer arrives as one chunk, kept as it is; more chunks are
/// copied into one buffer, sized by the announced length when there is one.
pub(crate) struct CappedBody {
    status: u16,
    cap: usize,
    expected: Option<u64>,
    first: Option<Bytes>,
    joined: BytesMut,
}

impl CappedBody {
    /// A body of an answer with `status`, allowed `cap` bytes, announced as `expected` bytes.
    pub(crate) fn new(status: u16, cap: usize, expected: Option<u64>) -> Self {
        Self {
            status,
            cap,
            expected,
            first: None,
            joined: BytesMut::new(),
        }
    }

    /// Adds `chunk`; past the cap, the error carries what arrived as its excerpt.
    pub(crate) fn push(&mut self, chunk: Bytes) -> Result<(), ResponseError> {
        let held = self.first.as_ref().map_or(0, Bytes::len) + self.joined.len();
        if held.saturating_add(chunk.len()) > self.cap {
            let mut excerpt = BytesMut::new();
            excerpt.extend_from_slice(self.first.as_deref().unwrap_or_default());
            excerpt.extend_from_slice(&self.joined);
            excerpt.extend_from_slice(&chunk);
            return Err(too_large(self.status, self.cap, &excerpt));
        }
        if self.first.is_none() && self.joined.is_empty() {
            self.first = Some(chunk);
            return Ok(());
        }
        if let Some(earlier) = self.first.take() {
            let expected = self.expected.map_or(0, |n| n.min(self.cap as u64) as usize);
            self.joined
                .reserve(expected.max(earlier.len() + chunk.len()));
            self.joined.extend_from_slice(&earlier);
        }
        self.joined.extend_from_slice(&chunk);
        Ok(())
    }

    /// The whole body.
    pub(crate) fn finish(self) -> Bytes {
        self.first.unwrap_or_else(|| self.joined.freeze())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_chunk_is_kept_as_it_is_and_several_are_joined_in_order() {
        let mut body = CappedBody::new(200, 64, Some(6));
        let chunk = Bytes::from_static(b"abcdef");
        body.push(chunk.clone()).unwrap();
        let whole = body.finish();
        assert_eq!(whole.as_ptr(), chunk.as_ptr(), "no copy of a single chunk");

        let mut body = CappedBody::new(200, 64, None);
        for part in [&b"ab"[..], b"cd", b"ef"] {
            body.push(Bytes::copy_from_slice(part)).unwrap();
        }
        assert_eq!(body.finish(), &b"abcdef"[..]);
    }

    #[test]
    fn a_body_past_the_cap_is_too_large_with_what_arrived_as_excerpt() {
        let mut body = CappedBody::new(200, 4, None);
        body.push(Bytes::from_static(b"abc")).unwrap();
        let error = body.push(Bytes::from_static(b"de")).unwrap_err();
        assert_eq!(error.kind(), ResponseErrorKind::TooLarge);
        assert_eq!(error.excerpt(), "abcde");
        assert!(error.to_string().contains("limit is 4 bytes"), "{error}");
    }
}
