//! Every publishable crate packages cleanly (`cargo package --list`: no warning, its README
//! inside), and the workspace's `rust-version` is the real minimum: the newest any dependency
//! declares.

use std::process::Command;

use serde_json::Value;

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
}

fn metadata() -> Value {
    let output = cargo()
        .args(["metadata", "--format-version", "1", "--offline"])
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("cargo metadata prints JSON")
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
    let metadata = metadata();
    let members: Vec<&str> = metadata["workspace_members"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let packages = metadata["packages"].as_array().unwrap();
    let (newest, by) = packages
        .iter()
        .filter(|p| !members.contains(&p["id"].as_str().unwrap_or_default()))
        .filter_map(|p| Some((p["rust_version"].as_str()?, p["name"].as_str()?)))
        .chain([(LANGUAGE_MINIMUM, "the language features used")])
        .max_by_key(|(v, _)| version(v))
        .unwrap();
    for package in packages
        .iter()
        .filter(|p| members.contains(&p["id"].as_str().unwrap_or_default()))
    {
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

#[test]
fn every_publishable_crate_packages_without_warnings() {
    let metadata = metadata();
    let members: Vec<&str> = metadata["workspace_members"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let publishable: Vec<&str> = metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| members.contains(&p["id"].as_str().unwrap_or_default()))
        // `publish = false` reads as an empty registry list.
        .filter(|p| p["publish"].as_array().is_none_or(|r| !r.is_empty()))
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert!(publishable.contains(&"tencentcloud-sdk"), "{publishable:?}");
    assert!(
        publishable.contains(&"tencentcloud-runtime"),
        "{publishable:?}"
    );
    assert!(!publishable.contains(&"tencentcloud-tests"));
    for name in publishable {
        let output = cargo()
            .args([
                "package",
                "--list",
                "--allow-dirty",
                "--offline",
                "-p",
                name,
            ])
            .output()
            .expect("cargo runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{name}: {stderr}");
        assert!(!stderr.contains("warning"), "{name}: {stderr}");
        let files = String::from_utf8_lossy(&output.stdout);
        for expected in ["Cargo.toml", "README.md", "src/lib.rs"] {
            assert!(
                files.lines().any(|f| f == expected),
                "{name} does not package {expected}:\n{files}"
            );
        }
    }
}
