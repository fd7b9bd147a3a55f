//! Every publishable crate packages cleanly (`cargo package --list`: no warning, its README
//! inside), and the workspace's `rust-version` is the real minimum: the newest any dependency
//! declares.

use std::process::Command;

use serde_json::Value;

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
}

/// The target triple rustc builds for by default.
fn host() -> String {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned());
    let output = Command::new(rustc).arg("-vV").output().expect("rustc runs");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .find_map(|line| line.strip_prefix("host: "))
        .expect("rustc -vV names its host")
        .to_owned()
}

/// The workspace's own packages and every package they depend on, as `cargo metadata` reports
/// them.
fn packages() -> (Vec<Value>, Vec<Value>) {
    // Only this host's dependencies: the others (Windows consoles, ...) are not downloaded here,
    // and offline is how the test stays on loopback.
    let output = cargo()
        .args(["metadata", "--format-version", "1", "--offline"])
        .args(["--filter-platform", &host()])
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: Value =
        serde_json::from_slice(&output.stdout).expect("cargo metadata prints JSON");
    let members = &metadata["workspace_members"];
    let is_member = |p: &Value| {
        members
            .as_array()
            .is_some_and(|members| members.contains(&p["id"]))
    };
    metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .cloned()
        .partition(is_member)
}

/// `1.89` and `1.89.0` alike, as `[1, 89, 0]`.
fn version(text: &str) -> [u32; 3] {
    let mut parts = text.split('.').map(|part| part.parse().unwrap_or(0));
    [(); 3].map(|()| parts.next().unwrap_or(0))
}

/// Let chains (`if let … && let …`), used throughout, are stable since 1.88.
const LANGUAGE_MINIMUM: &str = "1.88";

#[test]
fn rust_version_is_the_newest_minimum_of_any_dependency() {
    let (members, dependencies) = packages();
    let (newest, by) = dependencies
        .iter()
        .filter_map(|p| Some((p["rust_version"].as_str()?, p["name"].as_str()?)))
        .chain([(LANGUAGE_MINIMUM, "the language features used")])
        .max_by_key(|(v, _)| version(v))
        .unwrap();
    for package in &members {
        let declared = package["rust_version"].as_str().unwrap_or("none");
        assert_eq!(
            version(declared),
            version(newest),
            "{} declares rust-version {declared}; {by} needs {newest}: set \
             workspace.package.rust-version to it",
            package["name"]
        );
    }
}

/// `cargo package --list` for `names`: what it lists, or why it failed.
fn package_list(names: &[&str]) -> String {
    let mut command = cargo();
    command.args(["package", "--list", "--allow-dirty", "--offline"]);
    for name in names {
        command.args(["-p", name]);
    }
    let output = command.output().expect("cargo runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{names:?}: {stderr}");
    assert!(!stderr.contains("warning"), "{names:?}: {stderr}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Every hand-written crate, the facade, the common crate and the seeds' service crates are
/// packaged one by one and checked for their files; the other service crates, printed alike,
/// are packaged together in one run, which fails on any error or warning.
#[test]
fn every_publishable_crate_packages_without_warnings() {
    let (members, _) = packages();
    let publishable: Vec<&Value> = members
        .iter()
        // `publish = false` reads as an empty registry list.
        .filter(|p| p["publish"].as_array().is_none_or(|r| !r.is_empty()))
        .collect();
    let name = |p: &Value| p["name"].as_str().unwrap_or_default().to_owned();
    let names: Vec<String> = publishable.iter().map(|p| name(p)).collect();
    assert!(names.iter().any(|n| n == "tencentcloud-sdk"), "{names:?}");
    assert!(
        names.iter().any(|n| n == "tencentcloud-runtime"),
        "{names:?}"
    );
    assert!(!names.iter().any(|n| n == "tencentcloud-tests"));
    let is_other_service = |p: &Value| {
        let manifest = p["manifest_path"].as_str().unwrap_or_default();
        manifest.contains("/generated/services/")
            && !["cvm", "gaap", "vpc"]
                .iter()
                .any(|s| manifest.contains(&format!("/generated/services/{s}/")))
    };
    let (others, one_by_one): (Vec<&Value>, Vec<&Value>) =
        publishable.into_iter().partition(|p| is_other_service(p));
    for package in one_by_one {
        let name = name(package);
        let files = package_list(&[&name]);
        for expected in ["Cargo.toml", "README.md", "src/lib.rs"] {
            assert!(
                files.lines().any(|f| f == expected),
                "{name} does not package {expected}:\n{files}"
            );
        }
    }
    let others: Vec<String> = others.into_iter().map(name).collect();
    if !others.is_empty() {
        let others: Vec<&str> = others.iter().map(String::as_str).collect();
        let files = package_list(&others);
        let manifests = files.lines().filter(|f| *f == "Cargo.toml").count();
        assert_eq!(manifests, others.len(), "one manifest per crate");
    }
}
