//! Server-sent events as the WHATWG HTML standard frames them: lines ending in LF, CRLF or CR;
//! `field: value` lines; a blank line ends an event; `:` starts a comment. Bytes are taken as
//! they arrive, in chunks cut anywhere.

/// One event as it arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawEvent {
    /// The `id:` field.
    pub(crate) id: Option<String>,
    /// The `event:` field.
    pub(crate) event_type: Option<String>,
    /// The `data:` lines, joined by line feeds.
    pub(crate) data: String,
}

/// The event being read holds more than the cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TooLarge;

/// Frames events out of the bytes pushed into it, holding at most one event's worth (the cap)
/// beyond the chunk last pushed.
#[derive(Debug)]
pub(crate) struct Framer {
    /// Bytes not yet framed into lines; they start at a line's start.
    unread: Vec<u8>,
    data: Option<String>,
    event_type: Option<String>,
    id: Option<String>,
    cap: usize,
}

impl Framer {
    pub(crate) fn new(cap: usize) -> Self {
        Self {
            unread: Vec::new(),
            data: None,
            event_type: None,
            id: None,
            cap,
        }
    }

    pub(crate) fn push(&mut self, chunk: &[u8]) {
        self.unread.extend_from_slice(chunk);
    }

    /// The next complete event among the bytes pushed; with `at_end`, none will follow, so a
    /// trailing CR ends its line.
    pub(crate) fn next_event(&mut self, at_end: bool) -> Result<Option<RawEvent>, TooLarge> {
        let mut start = 0;
        let mut event = None;
        while event.is_none() {
            let rest = &self.unread[start..];
            let Some(at) = rest.iter().position(|&b| b == b'\n' || b == b'\r') else {
                break;
            };
            let mut next = start + at + 1;
            if rest[at] == b'\r' {
                match self.unread.get(next) {
                    Some(b'\n') => next += 1,
                    // A CR last in a chunk may be the first half of a CRLF.
                    None if !at_end => break,
                    _ => {}
                }
            }
            let line = String::from_utf8_lossy(&self.unread[start..start + at]).into_owned();
            start = next;
            event = self.take_line(&line);
        }
        self.unread.drain(..start);
        let framed = event.as_ref().map_or(0, |event| event.data.len());
        if self.held().max(framed) > self.cap {
            return Err(TooLarge);
        }
        Ok(event)
    }

    /// At the stream's end, after [`next_event`](Self::next_event) with `at_end` found none:
    /// whether an event was left without the blank line ending it.
    pub(crate) fn inside_event(&self) -> bool {
        self.data.is_some() || !self.unread.is_empty()
    }

    /// Bytes of the event being read.
    pub(crate) fn held(&self) -> usize {
        self.unread.len() + self.data.as_ref().map_or(0, String::len)
    }

    fn take_line(&mut self, line: &str) -> Option<RawEvent> {
        if line.is_empty() {
            let (event_type, id) = (self.event_type.take(), self.id.take());
            // A block without data lines is no event.
            return self.data.take().map(|data| RawEvent {
                id,
                event_type,
                data,
            });
        }
        if line.starts_with(':') {
            return None;
        }
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line, ""),
        };
        match field {
            "data" => match &mut self.data {
                Some(data) => {
                    data.push('\n');
                    data.push_str(value);
                }
                None => self.data = Some(value.to_owned()),
            },
            "event" => self.event_type = Some(value.to_owned()),
            "id" if !value.contains('\0') => self.id = Some(value.to_owned()),
            // `retry:` concerns reconnecting browsers; unknown fields are ignored by the standard.
            _ => {}
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[derive(Debug, PartialEq, Eq)]
    enum FrameError {
        TooLarge,
        EndedInEvent,
    }

    fn events_of(chunks: &[&[u8]], cap: usize) -> Result<Vec<RawEvent>, FrameError> {
        let too_large = |TooLarge| FrameError::TooLarge;
        let mut framer = Framer::new(cap);
        let mut events = Vec::new();
        for chunk in chunks {
            framer.push(chunk);
            while let Some(event) = framer.next_event(false).map_err(too_large)? {
                events.push(event);
            }
        }
        while let Some(event) = framer.next_event(true).map_err(too_large)? {
            events.push(event);
        }
        if framer.inside_event() {
            return Err(FrameError::EndedInEvent);
        }
        Ok(events)
    }

    fn data(event: &RawEvent) -> &str {
        &event.data
    }

    #[test]
    fn fields_comments_and_line_endings_frame_as_the_standard_says() {
        let stream = b": keep-alive\r\nid: 7\nevent: delta\ndata: {\"A\":1}\r\n\r\ndata:x\rdata: y\r\rretry: 10\nunknown: z\ndata\n\n";
        let events = events_of(&[stream], 1024).unwrap();
        assert_eq!(
            events,
            [
                RawEvent {
                    id: Some("7".into()),
                    event_type: Some("delta".into()),
                    data: "{\"A\":1}".into()
                },
                RawEvent {
                    id: None,
                    event_type: None,
                    data: "x\ny".into()
                },
                RawEvent {
                    id: None,
                    event_type: None,
                    data: String::new()
                },
            ]
        );
    }

    #[test]
    fn a_block_without_data_is_no_event_and_its_fields_do_not_carry_over() {
        let events = events_of(&[b"event: ping\nid: 1\n\ndata: a\n\n"], 64).unwrap();
        assert_eq!(
            events,
            [RawEvent {
                id: None,
                event_type: None,
                data: "a".into()
            }]
        );
    }

    #[test]
    fn an_event_past_the_cap_is_refused_even_before_its_line_ends() {
        let long = format!("data: {}", "x".repeat(100));
        assert_eq!(events_of(&[long.as_bytes()], 64), Err(FrameError::TooLarge));
        let lines = "data: 0123456789\n".repeat(8);
        assert_eq!(
            events_of(&[lines.as_bytes()], 64),
            Err(FrameError::TooLarge)
        );
        let whole = format!("data: {}\n\n", "x".repeat(100));
        assert_eq!(
            events_of(&[whole.as_bytes()], 64),
            Err(FrameError::TooLarge),
            "an event arriving whole in one chunk"
        );
        assert_eq!(
            events_of(&[lines.as_bytes(), b"\n"], 1024).unwrap().len(),
            1
        );
    }

    #[test]
    fn a_stream_ending_inside_an_event_says_so() {
        assert_eq!(
            events_of(&[b"data: 1\n\ndata: {\"cut"], 64),
            Err(FrameError::EndedInEvent)
        );
        assert_eq!(
            events_of(&[b"data: 1\n\ndata: 2\n"], 64),
            Err(FrameError::EndedInEvent)
        );
        let whole = events_of(&[b"data: 1\n\ndata: 2\r"], 64);
        assert_eq!(whole, Err(FrameError::EndedInEvent));
        assert_eq!(events_of(&[b"data: 1\r\r"], 64).unwrap().len(), 1);
    }

    proptest! {
        /// However the bytes are cut into chunks (a CRLF or a UTF-8 character split between
        /// two), the same events come out.
        #[test]
        fn chunk_boundaries_do_not_change_the_events(
            cuts in proptest::collection::vec(0usize..200, 0..12),
            crlf in any::<bool>(),
        ) {
            let end = if crlf { "\r\n" } else { "\n" };
            let stream = format!(
                "data: {{\"Content\":\"您好\"}}{end}{end}: note{end}id: 2{end}data: a{end}data: b{end}{end}data: 末{end}{end}"
            );
            let bytes = stream.as_bytes();
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c % (bytes.len() + 1)).collect();
            cuts.sort_unstable();
            let mut chunks = Vec::new();
            let mut last = 0;
            for cut in cuts {
                chunks.push(&bytes[last..cut]);
                last = cut;
            }
            chunks.push(&bytes[last..]);
            let events = events_of(&chunks, 1024).unwrap();
            let datas: Vec<&str> = events.iter().map(data).collect();
            prop_assert_eq!(datas, ["{\"Content\":\"您好\"}", "a\nb", "末"]);
            prop_assert_eq!(events[1].id.as_deref(), Some("2"));
        }
    }
}
