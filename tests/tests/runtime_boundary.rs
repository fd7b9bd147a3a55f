//! The runtime's public API is what users name, and the generated crates hand all of it on: the
//! runtime's root is the list of user-facing items, every generated crate re-exports that root
//! whole, generated code reaches anything else only through the hidden `__private` module, and
//! no public runtime module can be hidden by a service of the same name in the facade.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use tencentcloud_spec::names::FACADE_MODULE_RESERVED;

const HIDDEN: &str = "__private";

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

/// The items the runtime's root makes public, each with whether it is `#[doc(hidden)]`: its
/// `pub mod`s and the last segment of every path its `pub use`s name (`{A, B}` lists included).
fn runtime_root() -> Vec<(String, bool)> {
    let lib = fs::read_to_string(workspace().join("runtime/src/lib.rs")).unwrap();
    let mut items = Vec::new();
    let mut hidden = false;
    let mut statement: Option<String> = None;
    for line in lib.lines().map(str::trim) {
        if let Some(open) = &mut statement {
            open.push(' ');
            open.push_str(line);
        } else if line == "#[doc(hidden)]" {
            hidden = true;
            continue;
        } else if let Some(module) = line
            .strip_prefix("pub mod ")
            .and_then(|m| m.strip_suffix(';'))
        {
            items.push((module.to_owned(), hidden));
        } else if line.starts_with("pub use ") {
            statement = Some(line.to_owned());
        }
        if let Some(complete) = statement.as_ref().filter(|s| s.ends_with(';')) {
            let names = complete
                .trim_start_matches("pub use ")
                .trim_end_matches(';')
                .split(['{', '}', ','])
                .filter_map(|path| path.trim().rsplit("::").next())
                .filter(|name| !name.is_empty())
                .map(|name| (name.to_owned(), hidden))
                .collect::<Vec<_>>();
            items.extend(names);
            statement = None;
        }
        hidden = false;
    }
    items
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn the_runtime_root_lists_user_facing_items_and_hides_one_module() {
    let root = runtime_root();
    let hidden: Vec<&str> = root
        .iter()
        .filter(|(_, hidden)| *hidden)
        .map(|(name, _)| name.as_str())
        .collect();
    assert_eq!(hidden, [HIDDEN], "{root:?}");
    for expected in [
        "Client",
        "Config",
        "Endpoint",
        "Transport",
        "DEFAULT_CONNECT_TIMEOUT",
        "DEFAULT_ATTEMPT_TIMEOUT",
        "DEFAULT_OPERATION_TIMEOUT",
        "SdkError",
        "ServiceError",
    ] {
        assert!(
            root.iter().any(|(name, _)| name == expected),
            "{expected} is not public at the runtime's root: {root:?}"
        );
    }
}

/// The facade re-exports the runtime's public modules beside one module per service; the naming
/// rules give a service of the same name a suffix, so no service hides one of them.
#[test]
fn no_service_can_hide_a_public_runtime_module_in_the_facade() {
    let lib = fs::read_to_string(workspace().join("runtime/src/lib.rs")).unwrap();
    for line in lib.lines() {
        let Some(module) = line
            .strip_prefix("pub mod ")
            .and_then(|m| m.strip_suffix(';'))
        else {
            continue;
        };
        assert!(
            module == HIDDEN || FACADE_MODULE_RESERVED.contains(&module),
            "the runtime's public module `{module}` is not reserved for the facade: add it to names::FACADE_MODULE_RESERVED"
        );
    }
}

/// Every generated crate's root re-exports the runtime's root whole, so its list cannot go
/// stale; generated code names nothing of the runtime but that root's public items and the
/// hidden module.
#[test]
fn generated_crates_reexport_the_runtime_root_and_name_nothing_else_of_it() {
    let generated = workspace().join("generated");
    let mut roots = vec![generated.join("sdk/src/lib.rs")];
    for service in fs::read_dir(generated.join("services")).unwrap() {
        roots.push(service.unwrap().path().join("src/lib.rs"));
    }
    for root in &roots {
        let text = fs::read_to_string(root).unwrap();
        assert!(
            text.contains("#[doc(inline)]\npub use tencentcloud_runtime::*;\n"),
            "{} does not re-export the runtime's root",
            root.display()
        );
    }
    let public: BTreeSet<String> = runtime_root().into_iter().map(|(name, _)| name).collect();
    let mut files = Vec::new();
    rust_files(&generated, &mut files);
    let mut named = BTreeSet::new();
    for file in &files {
        let text = fs::read_to_string(file).unwrap();
        for (at, _) in text.match_indices("tencentcloud_runtime::") {
            let rest = &text[at + "tencentcloud_runtime::".len()..];
            let item: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '*')
                .collect();
            assert!(
                item == "*" || public.contains(&item),
                "{} names tencentcloud_runtime::{item}, which is not public at the runtime's root",
                file.display()
            );
            named.insert(item);
        }
    }
    assert!(named.contains(HIDDEN), "{named:?}");
    assert!(named.len() > 4, "{named:?}");
}
