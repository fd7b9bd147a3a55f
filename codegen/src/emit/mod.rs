//! Rust source from the model: token streams built with `quote!`, formatted by prettyplease, each
//! file headed with where it came from. One module per kind of file.
//!
//! Documentation is most of the output (58% of the catalog's lines), and prettyplease prints a
//! doc line as `///` and its text whatever the code around it, so doc blocks skip the round trip
//! through tokens, syn and the printer: each block is a one-line placeholder while tokens are
//! built and formatted, replaced by its lines afterwards. Code of a fixed form whose lines are
//! short enough that prettyplease would not break them (the fluent setters, a fifth of the
//! generating time, and the struct declarations) is written as text the same way, standing in
//! the tokens as a macro call. The files are the same as if every line had gone through
//! prettyplease.

mod action;
mod client;
mod crate_files;
mod error;
mod fields;
mod tests;
mod types;

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;
use rayon::prelude::*;

use crate::model::{CrateModel, ServiceModel};

/// Version of the generator, written into every file header.
pub const GENERATOR_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Generated files by path relative to the output directory (`services/cvm/src/v20170312/mod.rs`).
pub type Files = BTreeMap<String, String>;

/// A generator bug: emitted tokens that are not valid Rust, or a name that is not an identifier.
#[derive(Debug, thiserror::Error)]
#[error("{file}: {message}")]
pub struct EmitError {
    pub file: String,
    pub message: String,
}

/// Every generated file: the facade, the common crate and the service crates. Services are
/// emitted on every available core; the output does not depend on how they were shared out.
pub fn emit(model: &CrateModel) -> Result<Files, EmitError> {
    emit_timed(model).map(|(files, _)| files)
}

/// As [`emit`], also returning how long each service's files took to emit and format, by
/// Tencent service name (the whole-catalog report shows it per service).
pub fn emit_timed(model: &CrateModel) -> Result<(Files, BTreeMap<String, Duration>), EmitError> {
    let mut files = Files::new();
    crate_files::emit(model, &mut files)?;
    let services = model
        .services
        .par_iter()
        .map(|service| {
            let started = Instant::now();
            let mut files = Files::new();
            emit_service(service, &mut files)?;
            Ok((files, (service.feature.clone(), started.elapsed())))
        })
        .collect::<Result<Vec<_>, EmitError>>()?;
    let mut timings = BTreeMap::new();
    for (service_files, (feature, took)) in services {
        files.extend(service_files);
        timings.insert(feature, took);
    }
    Ok((files, timings))
}

/// A service crate's files.
fn emit_service(service: &ServiceModel, files: &mut Files) -> Result<(), EmitError> {
    crate_files::emit_service(service, files)?;
    let path = &service.examples_file;
    if let Some(tokens) = tests::emit_root(service, path)? {
        files.insert(
            path.clone(),
            rust_file(path, &service.source, &service.examples_hash, tokens)?,
        );
    }
    for version in &service.versions {
        let path = &version.examples_file;
        if let Some(tokens) = tests::emit_version(version, path)? {
            files.insert(
                path.clone(),
                rust_file(path, &version.source, &version.examples_hash, tokens)?,
            );
        }
        client::emit(version, files)?;
        let source = &version.source;
        let path = &version.errors_file;
        let tokens = error::emit_version(version, path)?;
        files.insert(
            path.clone(),
            rust_file(path, source, &version.errors_hash, tokens)?,
        );
        if !version.types.is_empty() {
            let path = &version.types_file;
            let tokens = types::emit_module(version, path)?;
            files.insert(
                path.clone(),
                rust_file(path, source, &version.types_hash, tokens)?,
            );
        }
        for ty in &version.types {
            let tokens = types::emit_type(ty, &ty.file)?;
            files.insert(
                ty.file.clone(),
                rust_file(&ty.file, source, &ty.inputs_hash, tokens)?,
            );
        }
        for action in &version.actions {
            let tokens = action::emit(version, action, &action.file)?;
            files.insert(
                action.file.clone(),
                rust_file(&action.file, source, &action.inputs_hash, tokens)?,
            );
            let path = &action.examples_file;
            if let Some(tokens) = tests::emit_action(action, path)? {
                files.insert(
                    path.clone(),
                    rust_file(path, source, &action.examples_hash, tokens)?,
                );
            }
        }
    }
    Ok(())
}

/// The header line every generated file starts with (`//` or `#` comment).
pub fn header(comment: &str, source: &str, hash: &str) -> String {
    let short = hash.get(..12).unwrap_or(hash);
    format!(
        "{comment} @generated by tencentcloud-codegen {GENERATOR_VERSION} from {source} (sha256 {short}). Do not edit.\n"
    )
}

/// Formats `tokens` as a Rust file with its header.
fn rust_file(
    path: &str,
    source: &str,
    hash: &str,
    tokens: TokenStream,
) -> Result<String, EmitError> {
    let file = syn::parse2::<syn::File>(tokens).map_err(|err| EmitError {
        file: path.to_owned(),
        message: format!("emitted tokens are not valid Rust: {err}"),
    })?;
    let formatted = expand_placeholders(&prettyplease::unparse(&file));
    if formatted.contains(DOC_MARK) || formatted.contains(FRAGMENT_MACRO) {
        return Err(EmitError {
            file: path.to_owned(),
            message: "a doc block or code fragment built for another file ended up in this one"
                .to_owned(),
        });
    }
    Ok(format!(
        "{}{}",
        header("//", source, hash),
        separate_items(&formatted)
    ))
}

thread_local! {
    /// Doc blocks and code fragments of the tokens being built on this thread, by placeholder
    /// number. A placeholder leaves the table once the file it is in has been formatted.
    static PLACEHOLDERS: RefCell<Placeholders> = RefCell::default();
}

#[derive(Default)]
struct Placeholders {
    next: u64,
    /// Each line as prettyplease would print it after `///` or `//!`.
    docs: HashMap<u64, Vec<String>>,
    /// Lines of code as prettyplease would print them, without the indentation of the place
    /// they stand in.
    code: HashMap<u64, Vec<String>>,
}

impl Placeholders {
    fn add(
        table: impl FnOnce(&mut Self) -> &mut HashMap<u64, Vec<String>>,
        lines: Vec<String>,
    ) -> u64 {
        PLACEHOLDERS.with_borrow_mut(|placeholders| {
            let number = placeholders.next;
            placeholders.next += 1;
            table(placeholders).insert(number, lines);
            number
        })
    }
}

/// Marks the placeholder line of a doc block, `/// <MARK><number>`; no documentation holds it.
const DOC_MARK: &str = "\u{1}tencentcloud-codegen-doc-block ";

/// The macro a code fragment's placeholder calls, `<name>!(<number>);`; no generated code does.
pub(crate) const FRAGMENT_MACRO: &str = "tencentcloud_codegen_fragment";

/// The widest line prettyplease prints as it is, indentation included.
pub(crate) const LINE_WIDTH: usize = 89;

/// The doc attribute text standing for `lines` until [`expand_placeholders`] puts them in.
fn doc_placeholder(lines: &[String]) -> String {
    let texts = lines.iter().map(|line| doc_line(line)).collect();
    let number = Placeholders::add(|p| &mut p.docs, texts);
    format!(" {DOC_MARK}{number}")
}

/// A doc line as prettyplease prints it after `///`.
fn doc_line(line: &str) -> String {
    doc_text(line).trim_end_matches(' ').to_owned()
}

/// An item standing for `lines` of code, which must be exactly as prettyplease would print
/// them, until [`expand_placeholders`] puts them in at the item's indentation.
fn code_fragment(lines: Vec<String>) -> TokenStream {
    let number = Literal::u64_unsuffixed(Placeholders::add(|p| &mut p.code, lines));
    let name = Ident::new(FRAGMENT_MACRO, proc_macro2::Span::call_site());
    quote!(#name!(#number);)
}

/// `formatted` with each placeholder line replaced by its lines, at its indentation.
fn expand_placeholders(formatted: &str) -> String {
    PLACEHOLDERS.with_borrow_mut(|placeholders| {
        let mut out = String::with_capacity(formatted.len() * 2);
        let (mut docs_used, mut code_used) = (Vec::new(), Vec::new());
        for line in formatted.lines() {
            let trimmed = line.trim_start();
            let indentation = &line[..line.len() - trimmed.len()];
            let doc = trimmed
                .strip_prefix("///")
                .or_else(|| trimmed.strip_prefix("//!"))
                .and_then(|rest| rest.strip_prefix(' '))
                .and_then(|rest| rest.strip_prefix(DOC_MARK))
                .and_then(|number| number.parse::<u64>().ok())
                .and_then(|number| Some((number, placeholders.docs.get(&number)?)));
            if let Some((number, texts)) = doc {
                // The indentation and the `///` or `//!` of the placeholder line.
                let prefix = &line[..indentation.len() + 3];
                for text in texts {
                    out.push_str(prefix);
                    out.push_str(text);
                    out.push('\n');
                }
                docs_used.push(number);
                continue;
            }
            let code = trimmed
                .strip_prefix(FRAGMENT_MACRO)
                .and_then(|rest| rest.strip_prefix("!("))
                .and_then(|rest| rest.strip_suffix(");"))
                .and_then(|number| number.parse::<u64>().ok())
                .and_then(|number| Some((number, placeholders.code.get(&number)?)));
            if let Some((number, lines)) = code {
                for text in lines {
                    if !text.is_empty() {
                        out.push_str(indentation);
                        out.push_str(text);
                    }
                    out.push('\n');
                }
                code_used.push(number);
                continue;
            }
            out.push_str(line);
            out.push('\n');
        }
        for number in docs_used {
            placeholders.docs.remove(&number);
        }
        for number in code_used {
            placeholders.code.remove(&number);
        }
        out
    })
}

/// prettyplease puts no blank lines between items; reviewers read these files, so add one before
/// every item (or its docs and attributes) that follows another item, and after module docs.
fn separate_items(source: &str) -> String {
    const ITEM_STARTS: &[&str] = &[
        "///",
        "#[",
        "pub ",
        "pub(crate) ",
        "fn ",
        "impl ",
        "impl<",
        "mod ",
        "use ",
        "struct ",
        "enum ",
        "const ",
        "async fn ",
    ];
    let mut out = String::with_capacity(source.len() + source.len() / 16);
    let mut previous = "";
    for line in source.lines() {
        let current = line.trim_start();
        let prev = previous.trim();
        let starts_item = ITEM_STARTS.iter().any(|start| current.starts_with(start));
        let in_comment_or_attribute = prev.starts_with("//") || prev.starts_with('#');
        let after_item = !in_comment_or_attribute
            && (prev.ends_with('}')
                || prev.ends_with(';')
                || (prev.ends_with(',') && current.starts_with("///")));
        let after_module_docs = prev.starts_with("//!") && !current.starts_with("//!");
        let reexport_of_module = current.starts_with("pub use ") && prev.starts_with("mod ");
        if (starts_item && after_item && !reexport_of_module) || after_module_docs {
            out.push('\n');
        }
        out.push_str(line);
        out.push('\n');
        previous = line;
    }
    out
}

/// An identifier, or an error naming the file when `name` is not one.
fn ident(path: &str, name: &str) -> Result<Ident, EmitError> {
    syn::parse_str::<Ident>(name).map_err(|_| EmitError {
        file: path.to_owned(),
        message: format!("`{name}` is not a Rust identifier"),
    })
}

/// The text of a doc attribute: prettyplease writes `#[doc = " text"]` as `/// text`.
fn doc_text(line: &str) -> String {
    if line.is_empty() {
        String::new()
    } else {
        // Upstream texts hold tabs, which render unevenly in rustdoc.
        format!(" {}", line.replace('\t', "    "))
    }
}

/// `///` documentation: the `#[doc = "..."]` attributes of `lines`, one per line, standing in
/// the tokens as one placeholder (see the module docs).
fn doc_attrs(lines: &[String]) -> TokenStream {
    doc_block(lines, false)
}

/// `//!` module documentation, as [`doc_attrs`].
fn inner_doc_attrs(lines: &[String]) -> TokenStream {
    doc_block(lines, true)
}

/// A block with a line break inside a line, which prettyplease would print otherwise, goes
/// through it as it is.
fn doc_block(lines: &[String], inner: bool) -> TokenStream {
    if lines.iter().any(|line| line.contains('\n')) {
        return lines
            .iter()
            .map(|line| doc_attr(&doc_text(line), inner))
            .collect();
    }
    if lines.is_empty() {
        return TokenStream::new();
    }
    doc_attr(&doc_placeholder(lines), inner)
}

fn doc_attr(text: &str, inner: bool) -> TokenStream {
    if inner {
        quote!(#![doc = #text])
    } else {
        quote!(#[doc = #text])
    }
}

/// A raw string literal (`r#"..."#`) with enough `#`s for `text`, to keep embedded JSON readable.
fn raw_string(path: &str, text: &str) -> Result<Literal, EmitError> {
    let mut hashes = String::from("#");
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    format!("r{hashes}\"{text}\"{hashes}")
        .parse::<Literal>()
        .map_err(|err| EmitError {
            file: path.to_owned(),
            message: format!("cannot make a string literal: {err}"),
        })
}

#[cfg(test)]
mod doc_block_tests {
    use super::*;

    /// The same tokens with every doc line as its own attribute, as prettyplease would see them
    /// without placeholders.
    fn direct(lines: &[String], inner: bool) -> TokenStream {
        lines
            .iter()
            .map(|line| doc_attr(&doc_text(line), inner))
            .collect()
    }

    #[test]
    fn doc_blocks_come_out_as_prettyplease_prints_their_lines() {
        let lines = |texts: &[&str]| texts.iter().map(|t| t.to_string()).collect::<Vec<_>>();
        let module = lines(&["A module.", "", "With\ttabs and a trailing space "]);
        let item = lines(&["`Thing`.", "", "- Required.", "Tencent name: `Thing`."]);
        let field = lines(&["A field, deeper.", "", "```json", "{\"a\": 1}", "```"]);
        let file = |module: TokenStream, item: TokenStream, field: TokenStream| {
            quote! {
                #module
                #item
                pub struct Thing {
                    #field
                    pub field: Option<String>,
                }
                impl Thing {
                    #item
                    pub fn get(&self) -> &Option<String> {
                        &self.field
                    }
                }
            }
        };
        let placeholders = file(
            inner_doc_attrs(&module),
            doc_attrs(&item),
            doc_attrs(&field),
        );
        let expected = file(
            direct(&module, true),
            direct(&item, false),
            direct(&field, false),
        );
        let via_placeholders = rust_file("thing.rs", "specs/x.json", "0", placeholders).unwrap();
        let via_attributes = rust_file("thing.rs", "specs/x.json", "0", expected).unwrap();
        assert_eq!(via_placeholders, via_attributes);
        assert!(
            via_placeholders.contains("    /// A field, deeper.\n"),
            "{via_placeholders}"
        );
        assert!(!via_placeholders.contains(DOC_MARK));
        PLACEHOLDERS.with_borrow(|p| assert!(p.docs.is_empty(), "every block used"));
    }
}
