//! `<version>/types/`: one file per nested structure, and the `types` module re-exporting them.

use super::fields::{
    Directions, Place, allow, data_struct, field_checks, has_checks, optional_field,
    reads_deprecated, setter, uses_check_helpers,
};
use super::text::RustText;
use crate::line;
use crate::model::{TypeModel, VersionModel};

/// `types/mod.rs`.
pub fn emit_module(version: &VersionModel) -> RustText {
    let mut text = RustText::new();
    text.inner_docs(&version.types_docs);
    text.blank();
    for ty in &version.types {
        line!(text, "mod {};", ty.module);
        line!(text, "pub use self::{}::{};", ty.module, ty.name);
    }
    text
}

/// `types/<type>.rs`.
pub fn emit_type(ty: &TypeModel) -> RustText {
    let mut text = RustText::new();
    text.inner_docs(&ty.module_docs);
    text.blank();
    let mut allows = Vec::new();
    if reads_deprecated(&ty.fields) {
        allows.push("deprecated");
    }
    if ty.not_camel_case {
        allows.push("non_camel_case_types");
    }
    let fields: Vec<_> = ty
        .fields
        .iter()
        .map(|field| optional_field(field, Place::Type, ty.in_requests))
        .collect();
    let directions = Directions {
        sent: ty.in_requests,
        received: ty.in_responses,
    };
    data_struct(&mut text, &ty.docs, &allows, &ty.name, directions, &fields);
    text.blank();
    allow(&mut text, &allows);
    text.open(&format!("impl {} {{", ty.name));
    for field in &ty.fields {
        setter(&mut text, field, Place::Type);
    }
    if ty.in_requests {
        text.blank();
        text.docs(&ty.validate_docs);
        let at = if has_checks(&ty.fields) { "at" } else { "_at" };
        text.open(&format!(
            "pub(crate) fn validate_at(&self, {at}: &str) -> Result<(), tencentcloud_runtime::ValidationError> {{"
        ));
        if uses_check_helpers(&ty.fields) {
            text.line("use tencentcloud_runtime::__private::validate::*;");
        }
        for field in &ty.fields {
            field_checks(&mut text, field, true);
        }
        text.line("Ok(())");
        text.close("}");
    }
    text.close("}");
    text
}
