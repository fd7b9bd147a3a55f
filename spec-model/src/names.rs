//! How Tencent names become Rust names. Every conversion lives here, so validation (which reports
//! collisions) and the model (which settles names) cannot disagree.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Words Rust reserves in edition 2024; a name converting to one of them gets a `_` suffix.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Whether `name` is usable as a Tencent identifier: an ASCII letter, then letters, digits or `_`.
pub fn is_tencent_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Whether `code` has the form `Word(.Word)*`, each word an ASCII letter followed by letters or digits.
pub fn is_error_code(code: &str) -> bool {
    code.split('.').all(|word| {
        let mut chars = word.chars();
        chars.next().is_some_and(|c| c.is_ascii_alphabetic())
            && chars.all(|c| c.is_ascii_alphanumeric())
    })
}

/// `name` unless it is a Rust keyword or one of `reserved`, in which case `name_`.
fn unreserved(name: String, reserved: &[&str]) -> String {
    if KEYWORDS.contains(&name.as_str()) || reserved.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        name
    }
}

/// Items of Rust's prelude that generated code names unqualified; a structure of the same name
/// would shadow them in its own file.
const PRELUDE: &[&str] = &[
    "Box", "Default", "Err", "None", "Ok", "Option", "Result", "Some", "String", "Vec",
];

/// Rust type name of a nested structure: its Tencent name, with a `_` suffix where that is a
/// prelude item (`Option` → `Option_`).
pub fn type_name(name: &str) -> String {
    if PRELUDE.contains(&name) {
        format!("{name}_")
    } else {
        name.to_owned()
    }
}

/// Field, setter and module name of a Tencent name: `InstanceIds` → `instance_ids`, `Type` → `type_`.
pub fn snake(name: &str, reserved: &[&str]) -> String {
    unreserved(name.to_snake_case(), reserved)
}

/// Field and setter names of an object's members, in member order: each member's [`snake`] name;
/// where an earlier member already took it (`Uui` and `UUI` both give `uui`), the next free of
/// `uui_2`, `uui_3`, ...
pub fn field_names<'a>(
    members: impl IntoIterator<Item = &'a str>,
    reserved: &[&str],
) -> Vec<String> {
    let mut taken = std::collections::BTreeSet::new();
    members
        .into_iter()
        .map(|member| {
            let natural = snake(member, reserved);
            let mut name = natural.clone();
            let mut n = 2;
            while taken.contains(&name) {
                name = format!("{natural}_{n}");
                n += 1;
            }
            taken.insert(name.clone());
            name
        })
        .collect()
}

// Names the generator puts beside upstream's, per namespace. An upstream name converting to one
// of them gets the `_` suffix, as a keyword does, so a new upstream name never breaks a build.

/// An error enum's variant for the codes every action can return.
pub const COMMON_VARIANT: &str = "Common";
/// An error enum's variant for the codes the SDK does not list.
pub const UNHANDLED_VARIANT: &str = "Unhandled";
/// The variants every service error enum has beside its codes'.
pub const ERROR_VARIANT_RESERVED: &[&str] = &[COMMON_VARIANT, UNHANDLED_VARIANT];
/// A version's module of nested structures.
pub const TYPES_MODULE: &str = "types";
/// A version's module of its error enum.
pub const ERRORS_MODULE: &str = "errors";
/// The modules a version module has beside its actions'.
pub const VERSION_MODULE_RESERVED: &[&str] = &[TYPES_MODULE, ERRORS_MODULE];
/// The modules the facade has beside its services': the common crate's, and the runtime's public
/// modules it re-exports (a service `retry` would otherwise hide the runtime's).
pub const FACADE_MODULE_RESERVED: &[&str] = &["common", "clock", "credentials", "error", "retry"];

/// The member a `Filters` name refers to: `vpc-name` → `VpcName`.
pub fn filter_member(name: &str) -> String {
    name.to_upper_camel_case()
}

/// Error enum variant of an error code: `UnsupportedOperation.InstancesProtected` →
/// `UnsupportedOperationInstancesProtected`; `Common` → `Common_`.
pub fn error_variant(code: &str) -> String {
    unreserved(
        code.replace('.', "").to_upper_camel_case(),
        ERROR_VARIANT_RESERVED,
    )
}

/// Module of an action in its version module: `TerminateInstances` → `terminate_instances`,
/// `Types` → `types_`.
pub fn action_module(action: &str) -> String {
    snake(action, VERSION_MODULE_RESERVED)
}

/// Module of a service in the facade: `cvm` → `cvm`, `retry` → `retry_`.
pub fn service_module(service: &str) -> String {
    snake(service, FACADE_MODULE_RESERVED)
}

/// Module of an API version: `2017-03-12` → `v20170312`.
pub fn version_module(api_version: &str) -> String {
    format!("v{}", api_version.replace('-', ""))
}

/// Whether `version` has the form `yyyy-mm-dd`.
pub fn is_api_version(version: &str) -> bool {
    let bytes = version.as_bytes();
    bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        })
}

/// Whether `name` is a plain (non-raw) Rust identifier that is not a keyword: Unicode XID, as the
/// Rust reference defines identifiers.
pub fn is_rust_ident(name: &str) -> bool {
    let mut chars = name.chars();
    let starts = chars
        .next()
        .is_some_and(|c| c == '_' || unicode_ident::is_xid_start(c));
    starts && chars.all(unicode_ident::is_xid_continue) && name != "_" && !KEYWORDS.contains(&name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn structures_named_like_prelude_items_get_a_suffix() {
        assert_eq!(type_name("Option"), "Option_");
        assert_eq!(type_name("Result"), "Result_");
        assert_eq!(type_name("Filter"), "Filter");
    }

    #[test]
    fn members_whose_names_collide_take_the_next_free_numbered_name_in_member_order() {
        assert_eq!(
            field_names(["Uui", "UUI", "Uui_2", "Type", "Name"], &["name"]),
            ["uui", "uui_2", "uui_2_2", "type_", "name_"]
        );
    }

    #[test]
    fn keywords_get_a_suffix_instead_of_failing() {
        assert_eq!(snake("Type", &[]), "type_");
        assert_eq!(snake("Match", &[]), "match_");
        assert_eq!(snake("As", &[]), "as_");
        assert!(is_rust_ident(&snake("Type", &[])));
    }

    #[test]
    fn rust_identifiers_are_checked_without_a_parser() {
        for good in ["a", "_a", "A1_b", "type_", "thing_ω"] {
            assert!(is_rust_ident(good), "{good}");
        }
        for bad in ["", "_", "1a", "a-b", "a b", "type", "Self", "r#type"] {
            assert!(!is_rust_ident(bad), "{bad}");
        }
    }

    #[test]
    fn reserved_method_names_get_a_suffix() {
        assert_eq!(snake("Send", &["send"]), "send_");
        assert_eq!(snake("InstanceIds", &["send"]), "instance_ids");
    }

    #[test]
    fn error_codes_become_upper_camel_variants_without_dots() {
        assert_eq!(
            error_variant("UnsupportedOperation.InstancesProtected"),
            "UnsupportedOperationInstancesProtected"
        );
        assert_eq!(
            error_variant("UnauthorizedOperation.MFAExpired"),
            "UnauthorizedOperationMfaExpired"
        );
    }

    #[test]
    fn error_code_form_is_word_dot_word() {
        assert!(is_error_code("AuthFailure"));
        assert!(is_error_code("UnsupportedOperation.InstancesProtected"));
        assert!(is_error_code("A.B2.C"));
        assert!(!is_error_code("Auth Failure"));
        assert!(!is_error_code("AuthFailure."));
        assert!(!is_error_code(".AuthFailure"));
        assert!(!is_error_code("Auth..Failure"));
        assert!(!is_error_code("2Fast"));
        assert!(!is_error_code(""));
    }

    #[test]
    fn api_versions_become_v_modules() {
        assert!(is_api_version("2017-03-12"));
        assert!(!is_api_version("2017-3-12"));
        assert_eq!(version_module("2018-05-29"), "v20180529");
    }
}
