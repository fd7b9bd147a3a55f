//! `<version>/mod.rs` of a service crate: the version's `Client`, one method per action, the
//! re-exports of every action's types, and the address the actions' `send()` uses.

use super::text::{RustText, string_literal};
use crate::line;
use crate::model::VersionModel;

pub fn emit(version: &VersionModel) -> RustText {
    let mut text = RustText::new();
    text.inner_docs(&version.docs);
    text.blank();
    if !version.types.is_empty() {
        line!(text, "pub mod {};", version.types_module);
    }
    line!(text, "mod {};", version.errors_module);
    line!(
        text,
        "pub use self::{}::{};",
        version.errors_module,
        version.error_type
    );
    for action in &version.actions {
        line!(text, "mod {};", action.module);
        line!(
            text,
            "pub use self::{}::{{{}, {}, {}, {}}};",
            action.module,
            action.builder_type,
            action.error_type,
            action.output_type,
            action.request_type
        );
    }
    text.blank();
    text.line("/// Where this version's actions are sent.");
    text.open(&format!(
        "const {}: tencentcloud_runtime::__private::ServiceVersion = tencentcloud_runtime::__private::ServiceVersion {{",
        version.service_const
    ));
    line!(text, "service: {},", string_literal(&version.service));
    line!(text, "version: {},", string_literal(&version.api_version));
    line!(text, "region_required: {},", version.region_required);
    text.close("};");
    text.blank();
    text.docs(&version.client_docs);
    text.line("#[derive(Debug, Clone)]");
    line!(text, "pub struct {} {{", version.client_type);
    text.line("    inner: tencentcloud_runtime::Client,");
    text.line("}");
    text.blank();
    text.open(&format!("impl {} {{", version.client_type));
    text.docs(&version.client_new_docs);
    text.open("pub fn new(config: &tencentcloud_runtime::Config) -> Self {");
    text.line("Self { inner: tencentcloud_runtime::Client::new(config) }");
    text.close("}");
    for action in &version.actions {
        text.blank();
        text.docs(&action.method_docs);
        if action.deprecated {
            text.line("#[deprecated(note = \"Tencent Cloud marks this action as deprecated\")]");
        }
        text.open(&format!(
            "pub fn {}(&self) -> {} {{",
            action.method, action.builder_type
        ));
        line!(text, "{}::new(self.inner.clone())", action.builder_type);
        text.close("}");
    }
    text.close("}");
    text
}
