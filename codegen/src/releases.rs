//! `specs/upstream/releases.json`: the releases of each service crate that an upstream update
//! brought, newest first. `import` adds one to every service the update changes, its version
//! moved by the versioning policy (`codegen/README.md`); the generator prints the latest as the
//! crate's version and all of them as its `CHANGELOG.md`. A service with no release here has the
//! generator's own version.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::changes::VersionChanges;

/// Where the ledger lives, relative to the specs directory.
pub const RELEASES_FILE: &str = "upstream/releases.json";

/// The version of every generated crate that no update has moved yet.
pub const BASE_VERSION: &str = env!("CARGO_PKG_VERSION");

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Releases {
    /// By service short name, newest first.
    pub services: BTreeMap<String, Vec<Release>>,
}

/// One release of a service crate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Release {
    /// The crate's version (`0.1.1`).
    pub version: String,
    /// The upstream packages it was generated from, by name (the pin of `manifest.json`).
    pub packages: BTreeMap<String, String>,
    pub breaking: bool,
    /// By API version, the changes as the change report words them (`**breaking**: ...`).
    pub changes: BTreeMap<String, Vec<String>>,
}

/// Why the ledger could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{}: {problem}", path.display())]
pub struct ReleasesError {
    pub path: PathBuf,
    pub problem: String,
}

impl Releases {
    /// Reads `specs_dir`'s ledger; none yet is an empty one.
    pub fn read(specs_dir: &Path) -> Result<Releases, ReleasesError> {
        let path = specs_dir.join(RELEASES_FILE);
        let problem = |problem: String| ReleasesError {
            path: path.clone(),
            problem,
        };
        match std::fs::read(&path) {
            Ok(bytes) => {
                let releases: Releases = serde_json::from_slice(&bytes)
                    .map_err(|err| problem(format!("not a releases file: {err}")))?;
                for (service, list) in &releases.services {
                    for release in list {
                        parse_version(&release.version).ok_or_else(|| {
                            problem(format!(
                                "{service}: `{}` is not a version (major.minor.patch)",
                                release.version
                            ))
                        })?;
                    }
                }
                Ok(releases)
            }
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(Releases::default()),
            Err(err) => Err(problem(format!("cannot read: {err}"))),
        }
    }

    /// The ledger as written: 2-space indented JSON with a final newline.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("releases always serialize");
        text.push('\n');
        text
    }

    /// The crate version of `service`: its latest release's, else [`BASE_VERSION`].
    pub fn version_of(&self, service: &str) -> &str {
        self.services
            .get(service)
            .and_then(|list| list.first())
            .map_or(BASE_VERSION, |release| release.version.as_str())
    }

    /// Adds a release to every service `changes` names, generated from `packages`: a minor
    /// version (before 1.0; a major one after) when a change is breaking, else a patch.
    pub fn record(&mut self, changes: &[VersionChanges], packages: &BTreeMap<String, String>) {
        let mut by_service: BTreeMap<&str, Vec<&VersionChanges>> = BTreeMap::new();
        for version in changes {
            by_service
                .entry(&version.service)
                .or_default()
                .push(version);
        }
        for (service, versions) in by_service {
            let breaking = versions.iter().any(|v| v.is_breaking());
            let version = next_version(self.version_of(service), breaking);
            let changes = versions
                .iter()
                .map(|v| (v.version.clone(), v.lines()))
                .collect();
            self.services.entry(service.to_owned()).or_default().insert(
                0,
                Release {
                    version,
                    packages: packages.clone(),
                    breaking,
                    changes,
                },
            );
        }
    }

    /// `service`'s `CHANGELOG.md` body (after the generated header), when it has releases.
    pub fn changelog(&self, service: &str, crate_name: &str) -> Option<String> {
        let list = self.services.get(service).filter(|l| !l.is_empty())?;
        let mut out = format!(
            "# Changelog of {crate_name}\n\nEach release is the crate generated from a newer pin of Tencent's API description; \
             breaking changes move the minor version (before 1.0), others the patch version.\n"
        );
        for release in list {
            let _ = write!(
                out,
                "\n## {}{}\n\nFrom {}.\n",
                release.version,
                if release.breaking { " (breaking)" } else { "" },
                pin_text(&release.packages)
            );
            for (api_version, lines) in &release.changes {
                let _ = writeln!(out, "\nAPI version `{api_version}`:\n");
                for line in lines {
                    let _ = writeln!(out, "- {line}");
                }
            }
        }
        Some(out)
    }
}

/// A pin as text: `tccli 3.1.189.1, tencentcloud-sdk-python 3.1.195`, or `nothing` before the
/// first import.
pub fn pin_text(packages: &BTreeMap<String, String>) -> String {
    if packages.is_empty() {
        return "nothing".to_owned();
    }
    packages
        .iter()
        .map(|(name, version)| format!("{name} {version}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn parse_version(version: &str) -> Option<[u64; 3]> {
    let mut parts = version.split('.').map(|p| p.parse::<u64>().ok());
    let parsed = [parts.next()??, parts.next()??, parts.next()??];
    parts.next().is_none().then_some(parsed)
}

/// The version after `current`: by the versioning policy, breaking changes move the minor
/// version before 1.0 and the major one after; others move the patch version.
pub fn next_version(current: &str, breaking: bool) -> String {
    let [major, minor, patch] = parse_version(current).unwrap_or([0, 1, 0]);
    match (breaking, major) {
        (true, 0) => format!("0.{}.0", minor + 1),
        (true, _) => format!("{}.0.0", major + 1),
        (false, _) => format!("{major}.{minor}.{}", patch + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::changes::Change;

    fn changes(service: &str, breaking: bool) -> VersionChanges {
        VersionChanges {
            service: service.to_owned(),
            version: "2020-01-01".to_owned(),
            changes: vec![
                Change {
                    breaking: false,
                    text: "action `A` added".to_owned(),
                },
                Change {
                    breaking,
                    text: "action `B` removed".to_owned(),
                },
            ],
        }
    }

    #[test]
    fn breaking_updates_move_the_minor_version_before_one_others_the_patch() {
        assert_eq!(next_version("0.1.0", false), "0.1.1");
        assert_eq!(next_version("0.1.3", true), "0.2.0");
        assert_eq!(next_version("1.4.2", true), "2.0.0");
        assert_eq!(next_version("1.4.2", false), "1.4.3");
    }

    #[test]
    fn each_update_adds_a_release_to_the_services_it_changed_newest_first() {
        let pin = BTreeMap::from([("tccli".to_owned(), "3.1.189.1".to_owned())]);
        let mut releases = Releases::default();
        releases.record(&[changes("demo", false)], &pin);
        releases.record(&[changes("demo", true), changes("other", false)], &pin);
        assert_eq!(releases.version_of("demo"), "0.2.0");
        assert_eq!(releases.version_of("other"), "0.1.1");
        assert_eq!(releases.version_of("untouched"), BASE_VERSION);
        let demo = &releases.services["demo"];
        assert_eq!(demo.len(), 2);
        assert_eq!(
            demo[0].changes["2020-01-01"],
            ["**breaking**: action `B` removed", "action `A` added"]
        );
        let log = releases.changelog("demo", "tencentcloud-sdk-demo").unwrap();
        assert!(
            log.contains("## 0.2.0 (breaking)\n\nFrom tccli 3.1.189.1."),
            "{log}"
        );
        assert!(log.find("## 0.2.0") < log.find("## 0.1.1"), "{log}");
        assert!(releases.changelog("untouched", "x").is_none());
    }

    #[test]
    fn a_ledger_with_a_malformed_version_is_refused_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("upstream")).unwrap();
        std::fs::write(
            dir.path().join(RELEASES_FILE),
            r#"{"services": {"demo": [{"version": "next", "packages": {}, "breaking": false, "changes": {}}]}}"#,
        )
        .unwrap();
        let error = Releases::read(dir.path()).unwrap_err().to_string();
        assert!(
            error.contains("releases.json") && error.contains("`next` is not a version"),
            "{error}"
        );
        assert_eq!(
            Releases::read(&dir.path().join("nowhere")).unwrap(),
            Releases::default()
        );
    }
}
