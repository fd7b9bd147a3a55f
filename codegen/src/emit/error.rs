//! Error enums, each code written once as `Variant = "Code"` inside the runtime's `error_enum!`:
//! the action's own codes (or the version's `Error` under the action's name), the version-wide
//! `Error`, and the common codes' `CommonError`, generated once into the common crate.

use super::text::{RustText, string_literal};
use crate::line;
use crate::model::{ActionModel, COMMON_ERROR, COMMON_LIB, CrateModel, ErrorVariant, VersionModel};

/// The action's error type: an enum of its own codes, or, where no page documents them, the
/// version's `Error` under the action's name.
pub fn emit(text: &mut RustText, action: &ActionModel) {
    if action.uses_version_errors {
        text.docs(&action.error_docs);
        line!(
            text,
            "pub type {} = super::{};",
            action.error_type,
            action.version_error_type
        );
        return;
    }
    error_enum(
        text,
        &action.error_docs,
        &action.error_type,
        &action.errors,
        true,
    );
}

/// `<version>/errors.rs`: the version-wide `Error`.
pub fn emit_version(version: &VersionModel) -> RustText {
    let mut text = RustText::new();
    error_enum(
        &mut text,
        &version.errors_docs,
        &version.error_type,
        &version.errors,
        true,
    );
    text
}

/// The common crate's `lib.rs`: `CommonError`, one variant per common code.
pub fn emit_common(model: &CrateModel) -> RustText {
    let mut text = RustText::new();
    text.inner_docs(&model.common_docs);
    text.blank();
    text.line("#![deny(missing_docs)]");
    text.blank();
    error_enum(
        &mut text,
        &model.common_error_docs,
        &model.common_error_type,
        &model.common_errors,
        false,
    );
    text
}

/// `error_enum! { docs pub enum Name { Variant = "Code", ... } common = ...; }`; with `common`,
/// the enum also has the `Common` and `Unhandled` variants.
fn error_enum(
    text: &mut RustText,
    docs: &[String],
    name: &str,
    errors: &[ErrorVariant],
    common: bool,
) {
    text.open("tencentcloud_runtime::__private::error_enum! {");
    text.docs(docs);
    if errors.is_empty() {
        line!(text, "pub enum {name} {{}}");
    } else {
        text.open(&format!("pub enum {name} {{"));
        for error in errors {
            text.docs(&error.docs);
            line!(text, "{} = {},", error.variant, string_literal(&error.code));
        }
        text.close("}");
    }
    if common {
        line!(text, "common = {COMMON_LIB}::{COMMON_ERROR};");
    }
    text.close("}");
}
