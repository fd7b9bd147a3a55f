//! The files that make crates of the generated modules: each crate's `Cargo.toml`, the facade's
//! and each service crate's `lib.rs`, the common crate, and the shared `rustfmt.toml`.

use sha2::{Digest, Sha256};

use super::fields::FULL_SERDE;
use super::text::RustText;
use super::{EmitError, Files, error, header, rust_file};
use crate::line;
use crate::model::{
    COMMON_CRATE, COMMON_DIR, COMMON_LIB, CrateModel, FACADE_CRATE, FACADE_DIR, ServiceModel,
};

/// The facade (`sdk/`), the common crate (`common/`), `rustfmt.toml` and `.gitattributes`.
pub fn emit(model: &CrateModel, files: &mut Files) -> Result<(), EmitError> {
    files.insert("rustfmt.toml".to_owned(), rustfmt_toml());
    files.insert(".gitattributes".to_owned(), gitattributes());
    emit_facade(model, files)?;
    const COMMON_DESCRIPTION: &str = "The error codes every Tencent Cloud API 3.0 action can return, shared by the tencentcloud-sdk service crates.";
    files.insert(
        format!("{COMMON_DIR}/Cargo.toml"),
        manifest(
            COMMON_CRATE,
            COMMON_DESCRIPTION,
            "specs/common.json",
            &model.common_hash,
            "",
            &[],
            false,
        ),
    );
    files.insert(
        format!("{COMMON_DIR}/README.md"),
        readme(
            COMMON_CRATE,
            COMMON_DESCRIPTION,
            "specs/common.json",
            &model.common_hash,
            "Service crates depend on it; users name its `CommonError` through them or `tencentcloud-sdk`.",
        ),
    );
    let path = format!("{COMMON_DIR}/src/lib.rs");
    let text = error::emit_common(model);
    files.insert(
        path.clone(),
        rust_file(&path, "specs/common.json", &model.common_hash, text)?,
    );
    Ok(())
}

fn emit_facade(model: &CrateModel, files: &mut Files) -> Result<(), EmitError> {
    let path = format!("{FACADE_DIR}/src/lib.rs");
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
    files.insert(
        path.clone(),
        rust_file(&path, "specs/", &model.inputs_hash, text)?,
    );
    let mut features = format!(
        "default = [{}]\n{FULL_SERDE} = [{}]\n",
        model
            .services
            .iter()
            .map(|s| format!("{:?}", s.feature))
            .collect::<Vec<_>>()
            .join(", "),
        model
            .services
            .iter()
            .map(|s| format!("\"{}?/{FULL_SERDE}\"", s.crate_name))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut dependencies = vec![common_dependency(FACADE_DIR)];
    for service in &model.services {
        features.push_str(&format!(
            "{} = [\"dep:{}\"]\n",
            service.feature, service.crate_name
        ));
        dependencies.push(format!(
            "{} = {{ path = {:?}, version = {:?}, optional = true }}",
            service.crate_name,
            relative(FACADE_DIR, &service.dir),
            env!("CARGO_PKG_VERSION")
        ));
    }
    const FACADE_DESCRIPTION: &str = "Typed Rust SDK for Tencent Cloud API 3.0, generated from JSON API specs: every service, one feature each.";
    files.insert(
        format!("{FACADE_DIR}/Cargo.toml"),
        manifest(
            FACADE_CRATE,
            FACADE_DESCRIPTION,
            "specs/",
            &model.inputs_hash,
            &features,
            &dependencies,
            false,
        ),
    );
    let listing: String = model
        .services
        .iter()
        .map(|s| {
            format!(
                "- `{}` ({}): crate `{}`\n",
                s.feature, s.name_en, s.crate_name
            )
        })
        .collect();
    files.insert(
        format!("{FACADE_DIR}/README.md"),
        readme(
            FACADE_CRATE,
            FACADE_DESCRIPTION,
            "specs/",
            &model.inputs_hash,
            &format!(
                "The one crate to depend on: configuration, credentials (environment, profile file, TKE web identity, CVM instance role, STS AssumeRole), retries, errors and every service, each behind a cargo feature of its name (all on by default):\n\n{}",
                listing.trim_end()
            ),
        ),
    );
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

/// A service crate's `Cargo.toml` and `lib.rs`: its documentation, the re-exports a user of this
/// crate alone needs, and one module per API version.
pub fn emit_service(service: &ServiceModel, files: &mut Files) -> Result<(), EmitError> {
    let path = &service.file;
    let mut text = RustText::new();
    text.inner_docs(&service.docs);
    text.blank();
    text.line("#![deny(missing_docs)]");
    text.blank();
    runtime_reexports(&mut text);
    line!(text, "pub use {COMMON_LIB}::{};", service.common_error_type);
    text.blank();
    for version in &service.versions {
        line!(text, "pub mod {};", version.module);
    }
    files.insert(
        path.clone(),
        rust_file(path, &service.source, &service.inputs_hash, text)?,
    );
    let description = format!(
        "Typed Rust SDK for {} (`{}`), Tencent Cloud API 3.0, generated from Tencent's API description.",
        service.name_en, service.feature
    );
    files.insert(
        format!("{}/README.md", service.dir),
        readme(
            &service.crate_name,
            &description,
            &service.source,
            &service.inputs_hash,
            &format!(
                "Also re-exported by `tencentcloud-sdk` as `tencentcloud_sdk::{}` (feature `{}`); depend on this crate to build only this service.",
                service.module, service.feature
            ),
        ),
    );
    let mut toml = manifest(
        &service.crate_name,
        &description,
        &service.source,
        &service.inputs_hash,
        &format!("{FULL_SERDE} = []\n"),
        &[common_dependency(&service.dir)],
        true,
    );
    toml.push_str(&format!(
        "\n# The documented examples are read into requests, which needs `{FULL_SERDE}`.\n\
         [dev-dependencies]\n{} = {{ path = \".\", features = [\"{FULL_SERDE}\"] }}\n",
        service.crate_name
    ));
    toml.push_str(NO_UNIT_TESTS);
    files.insert(service.manifest_file.clone(), toml);
    Ok(())
}

/// The dependency on the common crate from the crate in `dir`.
fn common_dependency(dir: &str) -> String {
    format!(
        "{COMMON_CRATE} = {{ path = {:?}, version = {:?} }}",
        relative(dir, COMMON_DIR),
        env!("CARGO_PKG_VERSION")
    )
}

/// The path of `to` seen from `from`, both relative to the output directory.
fn relative(from: &str, to: &str) -> String {
    let up = from.split('/').count();
    format!("{}{to}", "../".repeat(up))
}

/// A service crate has no unit tests: its example tests are an integration test, so `cargo test`
/// need not compile the whole crate a second time for a test harness.
const NO_UNIT_TESTS: &str = "\n[lib]\ntest = false\n";

/// A generated crate's `Cargo.toml`: package data from the workspace, the runtime (and serde for
/// crates holding types), then `dependencies` (lines of TOML).
fn manifest(
    name: &str,
    description: &str,
    source: &str,
    hash: &str,
    features: &str,
    dependencies: &[String],
    serde: bool,
) -> String {
    let mut toml = header("#", source, hash);
    toml.push_str(&format!(
        "[package]\n\
         name = \"{name}\"\n\
         description = {description:?}\n\
         edition.workspace = true\n\
         rust-version.workspace = true\n\
         version.workspace = true\n\
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
    for dependency in dependencies {
        toml.push_str(dependency);
        toml.push('\n');
    }
    toml
}

/// A generated crate's `README.md`: what it is, how to depend on it, and `about`.
fn readme(name: &str, description: &str, source: &str, hash: &str, about: &str) -> String {
    let header = header("<!--", source, hash);
    let version = env!("CARGO_PKG_VERSION");
    format!(
        "{} -->\n# {name}\n\n{description}\n\n{about}\n\n```toml\n[dependencies]\n{name} = \"{version}\"\n```\n\n\
         API reference: <https://docs.rs/{name}>. Generated crates share one version; the \
         versioning policy is in the `tencentcloud-codegen` README. License: Apache-2.0.\n",
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
