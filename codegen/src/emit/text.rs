//! The one way generated Rust is printed: lines of text at an indentation, in the layout the
//! emitters write out. Every finished file is lexed before it is kept, so a mistake in an
//! emitter is a generator error naming the file rather than a broken crate.

use std::fmt::{self, Write};

/// Four spaces a level, as rustfmt indents.
const INDENT: &str = "    ";

/// A Rust source file being written.
#[derive(Default)]
pub struct RustText {
    out: String,
    depth: usize,
}

impl RustText {
    pub fn new() -> Self {
        Self {
            out: String::with_capacity(16 * 1024),
            depth: 0,
        }
    }

    /// One line at the current indentation.
    pub fn line(&mut self, text: &str) {
        self.indent();
        self.out.push_str(text);
        self.out.push('\n');
    }

    /// One formatted line at the current indentation; use through [`line!`](crate::line).
    pub fn line_fmt(&mut self, args: fmt::Arguments<'_>) {
        self.indent();
        // Writing into a `String` cannot fail.
        let _ = self.out.write_fmt(args);
        self.out.push('\n');
    }

    /// A blank line, unless one was just written or a block was just opened.
    pub fn blank(&mut self) {
        if !(self.out.is_empty() || self.out.ends_with("\n\n") || self.out.ends_with("{\n")) {
            self.out.push('\n');
        }
    }

    /// `text` (ending in `{`), then what follows one level deeper.
    pub fn open(&mut self, text: &str) {
        self.line(text);
        self.depth += 1;
    }

    /// Back one level, then `text` (usually `}`).
    pub fn close(&mut self, text: &str) {
        self.depth = self.depth.saturating_sub(1);
        self.line(text);
    }

    /// What follows one level deeper (continuation lines).
    pub fn open_block(&mut self) {
        self.depth += 1;
    }

    /// Back one level.
    pub fn close_block(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// `///` documentation.
    pub fn docs(&mut self, lines: &[String]) {
        self.doc_lines("///", lines);
    }

    /// `//!` documentation of the enclosing module.
    pub fn inner_docs(&mut self, lines: &[String]) {
        self.doc_lines("//!", lines);
    }

    fn doc_lines(&mut self, marker: &str, lines: &[String]) {
        for line in lines {
            // A line holding line breaks is several doc lines; rustdoc joins them the same.
            for piece in line.split('\n') {
                self.indent();
                self.out.push_str(marker);
                // A bare carriage return may not stand in a doc comment; tabs render unevenly.
                let piece = piece.replace('\r', "").replace('\t', INDENT);
                let piece = piece.trim_end();
                if !piece.is_empty() {
                    self.out.push(' ');
                    self.out.push_str(piece);
                }
                self.out.push('\n');
            }
        }
    }

    /// The text written, checked to be Rust tokens: delimiters that pair up, literals and
    /// characters the lexer accepts. `path` names the file in the error. The grammar is
    /// checked by the generator's tests, which parse every file they generate with `syn`, and
    /// by the compiler: a full parse here would triple the catalog's generation time.
    pub fn finish(self, path: &str) -> Result<String, super::EmitError> {
        if let Err(err) = self.out.parse::<proc_macro2::TokenStream>() {
            return Err(super::EmitError {
                file: path.to_owned(),
                message: format!("the generated text is not Rust: {err}"),
            });
        }
        Ok(self.out)
    }

    fn indent(&mut self) {
        for _ in 0..self.depth {
            self.out.push_str(INDENT);
        }
    }
}

/// Writes one formatted line: `line!(text, "pub fn {name}() {{")`.
#[macro_export]
macro_rules! line {
    ($text:expr, $($arg:tt)*) => {
        $text.line_fmt(format_args!($($arg)*))
    };
}

/// A Rust string literal holding `text` exactly.
pub fn string_literal(text: &str) -> String {
    // `Debug` of a `str` is a valid Rust string literal: quotes, backslashes and characters
    // that are not printable are escaped.
    format!("{text:?}")
}

/// A raw string literal (`r#"..."#`) with enough `#`s for `text`, to keep embedded JSON readable.
pub fn raw_string_literal(text: &str) -> String {
    let mut hashes = String::from("#");
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    format!("r{hashes}\"{text}\"{hashes}")
}

/// `items` joined by `separator` into lines of at most `width` characters (an item longer than
/// that stands alone on its line).
pub fn pack(items: &[String], separator: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for item in items {
        if current.is_empty() {
            current.push_str(item);
        } else if current.len() + separator.len() + item.len() <= width {
            current.push_str(separator);
            current.push_str(item);
        } else {
            lines.push(std::mem::take(&mut current));
            current.push_str(separator.trim_start());
            current.push_str(item);
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_lines_split_line_breaks_drop_carriage_returns_and_expand_tabs() {
        let mut text = RustText::new();
        text.open("pub struct Thing {");
        text.docs(&[
            "First\r\nsecond".to_owned(),
            String::new(),
            "\ttabbed ".to_owned(),
        ]);
        text.line("pub a: u8,");
        text.close("}");
        assert_eq!(
            text.finish("thing.rs").unwrap(),
            "pub struct Thing {\n    /// First\n    /// second\n    ///\n    ///     tabbed\n    pub a: u8,\n}\n"
        );
    }

    #[test]
    fn text_that_is_not_rust_is_an_error_naming_the_file() {
        let mut text = RustText::new();
        text.line("pub struct Thing {}");
        text.line("pub fn broken( {}");
        text.line("const LOST: &str = \"unterminated;");
        let err = text.finish("services/x/src/thing.rs").unwrap_err();
        assert_eq!(err.file, "services/x/src/thing.rs");
        assert!(err.message.contains("not Rust"), "{}", err.message);
    }

    #[test]
    fn string_literals_hold_any_text_exactly() {
        for text in [
            "plain",
            "quote \" and \\ backslash",
            "line\nbreak\ttab",
            "控制\u{7}字符",
            "\u{200b}",
        ] {
            let literal: syn::LitStr = syn::parse_str(&string_literal(text)).unwrap();
            assert_eq!(literal.value(), text);
        }
        let raw: syn::LitStr = syn::parse_str(&raw_string_literal("{\"a\":\"#\"}\"#")).unwrap();
        assert_eq!(raw.value(), "{\"a\":\"#\"}\"#");
    }

    #[test]
    fn packed_items_fill_lines_up_to_the_width() {
        let items: Vec<String> = ["aaaa", "bbbb", "cccc", "dddd"].map(String::from).into();
        assert_eq!(
            pack(&items, " && ", 12),
            ["aaaa && bbbb", "&& cccc", "&& dddd"]
        );
        assert_eq!(pack(&items, ", ", 100), ["aaaa, bbbb, cccc, dddd"]);
    }
}
