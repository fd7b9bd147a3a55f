//! The files that make crates of the generated modules: each crate's `Cargo.toml` and
//! `README.md`, the facade's and each service crate's `lib.rs`, the common crate, and the shared
//! `rustfmt.toml` and `.gitattributes`.

use sha2::{Digest, Sha256};

use super::fields::FULL_SERDE;
use super::text::RustText;
use super::{EmitError, Files, error, header, rust_file};
use crate::line;
use crate::model::{COMMON_CRATE, COMMON_LIB, CrateModel, PackageModel, ServiceModel};

/// The facade (`sdk/`), the common crate (`common/`), `rustfmt.toml` and `.gitattributes`.
pub fn emit(model: &CrateModel, files: &mut Files) -> Result<(), EmitError> {
    files.insert("rustfmt.toml".to_owned(), rustfmt_toml());
    files.insert(".gitattributes".to_owned(), gitattributes());
    emit_facade(model, files)?;
    let common = &model.common;
    let hash = &model.common_hash;
    files.insert(
        common.manifest_file.clone(),
        manifest(common, hash, "", &[], false),
    );
    files.insert(common.readme_file.clone(), readme(common, hash));
    let text = error::emit_common(model);
    let lib = rust_file(&common.lib_file, &common.source, hash, text)?;
    files.insert(common.lib_file.clone(), lib);
    Ok(())
}

fn emit_facade(model: &CrateModel, files: &mut Files) -> Result<(), EmitError> {
    let facade = &model.facade;
    let hash = &model.inputs_hash;
    let mut text = RustText::new();
    text.inner_docs(&model.docs);
    text.blank();
    text.line("#![deny(missing_docs)]");
    text.blank();
    runtime_reexports(&mut text);
    line!(text, "pub use {COMMON_LIB} as common;");
    line!(text, "pub use {COMMON_LIB}::{};", model.common_error_type);
    for service in &model.services {
        text.blank();
        line!(text, "#[cfg(feature = \"{}\")]", service.feature);
        line!(text, "pub use {} as {};", service.lib_name, service.module);
    }
    let lib = rust_file(&facade.lib_file, &facade.source, hash, text)?;
    files.insert(facade.lib_file.clone(), lib);
    let quoted = |items: Vec<String>| items.join(", ");
    let mut features = format!(
        "default = []\n{FULL_SERDE} = [{}]\n",
        quoted(
            model
                .services
                .iter()
                .map(|s| format!("\"{}?/{FULL_SERDE}\"", s.crate_name))
                .collect()
        ),
    );
    let mut dependencies = Vec::new();
    for service in &model.services {
        features.push_str(&format!(
            "{} = [\"dep:{}\"]\n",
            service.feature, service.crate_name
        ));
        dependencies.push(format!(
            "{} = {{ path = {:?}, version = {:?}, optional = true }}",
            service.crate_name,
            service.path_from_facade,
            service.package.published_version()
        ));
    }
    let mut toml = manifest(facade, hash, &features, &dependencies, false);
    toml.push_str(&format!(
        "\n# The crate documentation's examples call these services.\n\
         [dev-dependencies]\n{} = {{ path = \".\", features = [{}] }}\n",
        facade.name,
        quoted(
            model
                .doc_features
                .iter()
                .map(|f| format!("{f:?}"))
                .collect()
        )
    ));
    files.insert(facade.manifest_file.clone(), toml);
    files.insert(facade.readme_file.clone(), readme(facade, hash));
    Ok(())
}

/// Every user-facing item of the runtime — configuration, the generic client, credentials,
/// errors, retry settings — re-exported by the facade and by every service crate, so either is
/// the one crate to depend on and its docs the whole manual. The runtime's root is that list: a
/// glob keeps it from going stale, and what only generated code uses stays hidden there.
fn runtime_reexports(text: &mut RustText) {
    text.line("#[doc(inline)]");
    text.line("pub use tencentcloud_runtime::*;");
}

/// A service crate's `Cargo.toml`, `README.md` and `lib.rs`: its documentation, the
/// re-exports a user of this crate alone needs, and one module per API version.
pub fn emit_service(service: &ServiceModel, files: &mut Files) -> Result<(), EmitError> {
    let package = &service.package;
    let hash = &service.inputs_hash;
    let mut text = RustText::new();
    text.inner_docs(&service.docs);
    text.blank();
    text.line("#![deny(missing_docs)]");
    // Setters are named after Tencent's members, and some are `Add`, `Next` or `Not`.
    text.line("#![allow(clippy::should_implement_trait)]");
    text.blank();
    runtime_reexports(&mut text);
    line!(text, "pub use {COMMON_LIB}::{};", service.common_error_type);
    text.blank();
    for version in &service.versions {
        line!(text, "pub mod {};", version.module);
    }
    let lib = rust_file(&package.lib_file, &package.source, hash, text)?;
    files.insert(package.lib_file.clone(), lib);
    files.insert(package.readme_file.clone(), readme(package, hash));
    let mut toml = manifest(package, hash, &format!("{FULL_SERDE} = []\n"), &[], true);
    toml.push_str(&format!(
        "\n# The documented examples are read into requests, which needs `{FULL_SERDE}`, and the\n\
         # documented answers from upstream's files, which the spec model reads.\n\
         [dev-dependencies]\n{} = {{ path = \".\", features = [\"{FULL_SERDE}\"] }}\n\
         tencentcloud-spec.workspace = true\n",
        package.name
    ));
    toml.push_str(NO_UNIT_TESTS);
    files.insert(package.manifest_file.clone(), toml);
    if let Some((file, body)) = &package.changelog {
        let mut text = header("<!--", &package.source, hash).trim_end().to_owned();
        text.push_str(" -->\n");
        text.push_str(body);
        files.insert(file.clone(), text);
    }
    Ok(())
}

/// A service crate has no unit tests: its example tests are an integration test, so `cargo test`
/// need not compile the whole crate a second time for a test harness.
const NO_UNIT_TESTS: &str = "\n[lib]\ntest = false\n";

/// A generated crate's `Cargo.toml`: package data from the workspace, the runtime (and serde for
/// crates holding types), the common crate where it depends on it, then `dependencies` (lines
/// of TOML).
fn manifest(
    package: &PackageModel,
    hash: &str,
    features: &str,
    dependencies: &[String],
    serde: bool,
) -> String {
    let PackageModel {
        name,
        description,
        version,
        ..
    } = package;
    let version = match version {
        Some(own) => format!("version = {own:?}"),
        None => "version.workspace = true".to_owned(),
    };
    let mut toml = header("#", &package.source, hash);
    toml.push_str(&format!(
        "[package]\n\
         name = \"{name}\"\n\
         description = {description:?}\n\
         edition.workspace = true\n\
         rust-version.workspace = true\n\
         {version}\n\
         license.workspace = true\n\
         repository.workspace = true\n\
         documentation = \"https://docs.rs/{name}\"\n\
         readme = \"README.md\"\n"
    ));
    if !features.is_empty() {
        toml.push_str("\n[features]\n");
        toml.push_str(features);
    }
    toml.push_str("\n[dependencies]\ntencentcloud-runtime.workspace = true\n");
    if serde {
        toml.push_str("serde.workspace = true\nserde_json.workspace = true\n");
    }
    if let Some(path) = &package.common_path {
        toml.push_str(&format!(
            "{COMMON_CRATE} = {{ path = {path:?}, version = {:?} }}\n",
            env!("CARGO_PKG_VERSION")
        ));
    }
    for dependency in dependencies {
        toml.push_str(dependency);
        toml.push('\n');
    }
    toml
}

/// A generated crate's `README.md`: what it is, how to depend on it, and what else to know.
fn readme(package: &PackageModel, hash: &str) -> String {
    let header = header("<!--", &package.source, hash);
    let PackageModel {
        name,
        description,
        readme_about,
        readme_dependency,
        ..
    } = package;
    let changes = if package.changelog.is_some() {
        "; its releases and what each changed are in `CHANGELOG.md`"
    } else {
        ""
    };
    format!(
        "{} -->\n# {name}\n\n{description}\n\n{readme_about}\n\n```toml\n[dependencies]\n{readme_dependency}\n```\n\n\
         API reference: <https://docs.rs/{name}>. The versioning policy is in the \
         `tencentcloud-codegen` README{changes}. License: Apache-2.0.\n",
        header.trim_end()
    )
}

/// The generator prints the generated files in its own layout; rustfmt would reformat all of
/// them, so `cargo fmt --all` (and then `--check` of the generator) leaves these crates alone.
fn rustfmt_toml() -> String {
    fixed_file(
        "# Printed by the generator; rustfmt must not rewrite these files.\n\
         disable_all_formatting = true\n",
    )
}

/// Marks every file here as generated, so review tools fold their diffs and language
/// statistics leave them out.
fn gitattributes() -> String {
    fixed_file("* linguist-generated=true\n")
}

/// A file whose content depends on no spec: its hash is that of the content itself.
fn fixed_file(body: &str) -> String {
    let hash = hex::encode(Sha256::digest(body));
    format!("{}{body}", header("#", "specs/", &hash))
}
