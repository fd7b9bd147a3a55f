//! Files spanning several specs: `Cargo.toml`, `src/lib.rs` and each service's `mod.rs`.

use quote::quote;
use sha2::{Digest, Sha256};

use super::{EmitError, Files, header, ident, inner_doc_attrs, rust_file};
use crate::model::{CrateModel, ServiceModel};

/// `Cargo.toml` and `src/lib.rs`.
pub fn emit(model: &CrateModel, files: &mut Files) -> Result<(), EmitError> {
    files.insert("Cargo.toml".to_owned(), cargo_toml(model));
    files.insert("rustfmt.toml".to_owned(), rustfmt_toml());
    let path = "src/lib.rs";
    let docs = inner_doc_attrs(&model.docs);
    let modules = model
        .services
        .iter()
        .map(|service| {
            let feature = &service.feature;
            let module = ident(path, &service.module)?;
            Ok(quote! {
                #[cfg(feature = #feature)]
                pub mod #module;
            })
        })
        .collect::<Result<Vec<_>, EmitError>>()?;
    let tokens = quote! {
        #docs
        #![deny(missing_docs)]

        pub use tencentcloud_runtime::{
            Config, ConfigBuilder, Credentials, ProvideErrorMetadata, SdkError, ServiceError, ValidationError,
        };

        pub mod common;
        pub use common::CommonError;

        #(#modules)*
    };
    files.insert(
        path.to_owned(),
        rust_file(path, "specs/", &model.inputs_hash, tokens)?,
    );
    Ok(())
}

/// prettyplease formats the generated files; rustfmt would reformat all of them, so
/// `cargo fmt --all` (and then `--check` of the generator) leaves this crate alone.
/// Its content depends on no spec, so its hash is that of the content itself.
fn rustfmt_toml() -> String {
    let body = "# Formatted by the generator (prettyplease); rustfmt must not rewrite these files.\n\
                disable_all_formatting = true\n";
    let hash = hex::encode(Sha256::digest(body));
    format!("{}{body}", header("#", "specs/", &hash))
}

fn cargo_toml(model: &CrateModel) -> String {
    let features: Vec<String> = model
        .services
        .iter()
        .map(|s| format!("{:?}", s.feature))
        .collect();
    let mut toml = header("#", "specs/", &model.inputs_hash);
    toml.push_str(
        "[package]\n\
         name = \"tencentcloud-sdk\"\n\
         description = \"Typed Rust SDK for Tencent Cloud API 3.0, generated from JSON API specs.\"\n\
         edition.workspace = true\n\
         version.workspace = true\n\
         license.workspace = true\n\
         repository.workspace = true\n\
         \n\
         [features]\n",
    );
    toml.push_str(&format!("default = [{}]\n", features.join(", ")));
    for service in &model.services {
        toml.push_str(&format!("{} = []\n", service.feature));
    }
    toml.push_str(
        "\n[dependencies]\n\
         tencentcloud-runtime.workspace = true\n\
         serde.workspace = true\n\
         serde_json.workspace = true\n",
    );
    toml
}

/// `src/<service>/mod.rs`: documentation and one module per API version.
pub fn emit_service(service: &ServiceModel, files: &mut Files) -> Result<(), EmitError> {
    let path = &service.file;
    let docs = inner_doc_attrs(&service.docs);
    let versions = service
        .versions
        .iter()
        .map(|v| ident(path, &v.module))
        .collect::<Result<Vec<_>, EmitError>>()?;
    let tokens = quote! {
        #docs
        #(pub mod #versions;)*
    };
    files.insert(
        path.clone(),
        rust_file(path, &service.source, &service.inputs_hash, tokens)?,
    );
    Ok(())
}
