//! Rust source from the model: token streams built with `quote!`, formatted by prettyplease, each
//! file headed with where it came from. One module per kind of file.

mod action;
mod client;
mod crate_files;
mod error;
mod fields;
mod tests;
mod types;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

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
    let mut timings = BTreeMap::new();
    crate_files::emit(model, &mut files)?;
    let workers = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .min(model.services.len())
        .max(1);
    type Part = Result<(Files, Vec<(String, Duration)>), EmitError>;
    let parts: Vec<Part> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|worker| {
                scope.spawn(move || {
                    let mut files = Files::new();
                    let mut timings = Vec::new();
                    for service in model.services.iter().skip(worker).step_by(workers) {
                        let started = Instant::now();
                        emit_service(service, &mut files)?;
                        timings.push((service.feature.clone(), started.elapsed()));
                    }
                    Ok((files, timings))
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| {
                handle.join().unwrap_or_else(|_| {
                    Err(EmitError {
                        file: String::new(),
                        message: "an emitting thread panicked".to_owned(),
                    })
                })
            })
            .collect()
    });
    for part in parts {
        let (part_files, part_timings) = part?;
        files.extend(part_files);
        timings.extend(part_timings);
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
    Ok(format!(
        "{}{}",
        header("//", source, hash),
        separate_items(&prettyplease::unparse(&file))
    ))
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

/// `#[doc = "..."]` attributes, one per line; prettyplease prints them as `///` comments.
fn doc_attrs(lines: &[String]) -> TokenStream {
    let texts = lines.iter().map(|line| doc_text(line));
    quote!(#(#[doc = #texts])*)
}

/// `//!` module documentation.
fn inner_doc_attrs(lines: &[String]) -> TokenStream {
    let texts = lines.iter().map(|line| doc_text(line));
    quote!(#(#![doc = #texts])*)
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
