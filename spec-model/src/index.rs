//! A specs directory indexed without reading its service specs: which services it holds and
//! where each one's files are, from the directory listing alone, with `common.json` read and
//! validated up front. A service's versions are read, converted, overlaid and validated when
//! first asked for, exactly as [`load_dir`](crate::load::load_dir) does for the whole directory,
//! so a server can offer the whole catalog (300 service versions, 150 MB of JSON) and pay only
//! for the services it is asked about.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::IgnoredAny;

use crate::diagnostics::Diagnostics;
use crate::load::{self, COMMON_FILE, LoadedSpec, RawSpec};
use crate::types::CommonSpec;
use crate::upstream::{self, Resolutions};
use crate::validate;

/// The services of a specs directory, each loadable on its own.
#[derive(Debug, Clone)]
pub struct SpecIndex {
    dir: PathBuf,
    common: CommonSpec,
    /// `common.json`'s codes, as the upstream conversion and the validator want them.
    common_codes: BTreeSet<String>,
    services: BTreeMap<String, ServiceFiles>,
}

/// Where one service's specs are: upstream versions (`v20170312`) under `upstream/<service>/`,
/// and spec files (`<service>/<yyyy-mm-dd>.json`, overlays or specs of their own).
#[derive(Debug, Clone, Default)]
struct ServiceFiles {
    upstream: Vec<String>,
    spec_files: Vec<String>,
}

impl SpecIndex {
    /// Lists `dir` (as [`load_dir`](crate::load::load_dir) reads it) and validates its
    /// `common.json`. Fails when `common.json` is missing or invalid, when a directory cannot be
    /// listed, or when a spec file lies outside `<service>/`.
    pub fn open(dir: &Path) -> Result<SpecIndex, Diagnostics> {
        let mut problems = Diagnostics::default();
        let mut paths = Vec::new();
        load::collect_json_files(dir, "", &mut paths, &mut problems);
        let mut services: BTreeMap<String, ServiceFiles> = BTreeMap::new();
        for path in paths {
            if path == COMMON_FILE {
                continue;
            }
            match path.split_once('/') {
                Some((service, _)) => services
                    .entry(service.to_owned())
                    .or_default()
                    .spec_files
                    .push(path),
                None => problems.push(
                    path,
                    "-",
                    "unexpected spec file location: service specs live at <service>/<yyyy-mm-dd>.json",
                ),
            }
        }
        let upstream_dir = dir.join(crate::UPSTREAM_DIR);
        if upstream_dir.is_dir() {
            match upstream::list_versions(&upstream_dir) {
                Ok(versions) => {
                    for (service, version) in versions {
                        services.entry(service).or_default().upstream.push(version);
                    }
                }
                Err(more) => problems.extend(more),
            }
        }
        let common = load::read_file(dir, COMMON_FILE)
            .and_then(|raw| validate::validate_common(&raw).map(|common| (raw, common)));
        let (raw_common, common) = match common {
            Ok(read) => read,
            Err(more) => {
                problems.extend(more);
                return Err(problems.finish());
            }
        };
        if !problems.is_empty() {
            return Err(problems.finish());
        }
        for files in services.values_mut() {
            files.spec_files.sort();
        }
        Ok(SpecIndex {
            dir: dir.to_path_buf(),
            common,
            common_codes: upstream::common_codes(&raw_common.value),
            services,
        })
    }

    /// The directory indexed.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// `common.json`: the error codes every action can return.
    pub fn common(&self) -> &CommonSpec {
        &self.common
    }

    /// Short names of the services (`cvm`), sorted.
    pub fn services(&self) -> impl Iterator<Item = &str> {
        self.services.keys().map(String::as_str)
    }

    /// Whether the directory holds specs of `service`.
    pub fn contains(&self, service: &str) -> bool {
        self.services.contains_key(service)
    }

    /// How many versions of `service` the directory holds at least: its upstream versions, or
    /// its spec files when it has no upstream ones (spec files may also be overlays of them).
    pub fn version_count(&self, service: &str) -> usize {
        self.services.get(service).map_or(0, |files| {
            if files.upstream.is_empty() {
                files.spec_files.len()
            } else {
                files.upstream.len()
            }
        })
    }

    /// Every version of `service`, read, converted, overlaid and validated, sorted by path;
    /// none for a service the directory does not hold. All problems are reported together.
    pub fn load(&self, service: &str) -> Result<Vec<LoadedSpec>, Diagnostics> {
        let Some(files) = self.services.get(service) else {
            return Ok(Vec::new());
        };
        let mut problems = Diagnostics::default();
        let mut by_path: BTreeMap<String, RawSpec> = BTreeMap::new();
        for path in &files.spec_files {
            match load::read_file(&self.dir, path) {
                Ok(raw) => {
                    by_path.insert(path.clone(), raw);
                }
                Err(more) => problems.extend(more),
            }
        }
        let upstream_dir = self.dir.join(crate::UPSTREAM_DIR);
        let mut resolutions = Resolutions::default();
        for version in &files.upstream {
            load::lay_upstream(
                &upstream_dir,
                service,
                version,
                &self.common_codes,
                &mut by_path,
                &mut problems,
                &mut resolutions,
            );
        }
        let common_codes: Vec<String> = self.common_codes.iter().cloned().collect();
        let mut loaded = Vec::with_capacity(by_path.len());
        for raw in by_path.values() {
            match validate::validate_service(raw, &common_codes) {
                Ok(spec) => loaded.push(spec),
                Err(more) => problems.extend(more),
            }
        }
        if problems.is_empty() {
            Ok(loaded)
        } else {
            Err(problems.finish())
        }
    }
}

/// What [`SpecIndex::action_names`] reads of a spec or `api.json` file: its action names and,
/// for upstream files, the API version. Every other value is skipped unparsed.
#[derive(Deserialize)]
struct Outline {
    #[serde(default)]
    metadata: Option<OutlineMetadata>,
    #[serde(default)]
    actions: BTreeMap<String, IgnoredAny>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OutlineMetadata {
    api_version: Option<String>,
}

fn read_outline(path: &Path) -> Option<Outline> {
    let bytes = std::fs::read(path).ok()?;
    serde_json::from_slice(&bytes).ok()
}

impl SpecIndex {
    /// The action names of each version of `service` (by API version, `2017-03-12`), read from
    /// its files without converting or validating them: a quick way to find which services
    /// offer an action across a whole catalog. A file that cannot be read or parsed adds
    /// nothing here; [`load`](Self::load) reports it.
    pub fn action_names(&self, service: &str) -> BTreeMap<String, BTreeSet<String>> {
        let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let Some(files) = self.services.get(service) else {
            return out;
        };
        let upstream_dir = self.dir.join(crate::UPSTREAM_DIR).join(service);
        let upstream = files.upstream.iter().filter_map(|version| {
            let outline = read_outline(&upstream_dir.join(version).join("api.json"))?;
            let api_version = outline.metadata.as_ref()?.api_version.clone()?;
            Some((api_version, outline))
        });
        let spec_files = files.spec_files.iter().filter_map(|path| {
            let api_version = Path::new(path).file_stem()?.to_str()?.to_owned();
            Some((api_version, read_outline(&self.dir.join(path))?))
        });
        for (api_version, outline) in upstream.chain(spec_files) {
            out.entry(api_version)
                .or_default()
                .extend(outline.actions.into_keys());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn specs_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs")
    }

    #[test]
    fn a_service_loads_on_its_own_exactly_as_with_the_whole_directory() {
        let index = SpecIndex::open(&specs_dir()).expect("the workspace's specs index");
        let whole = load::load_dir(&specs_dir()).expect("the workspace's specs load");
        assert_eq!(index.common(), &whole.common);
        let services: Vec<&str> = index.services().collect();
        let loaded: BTreeSet<&str> = whole
            .services
            .iter()
            .map(|s| s.spec.metadata.service_short_name.as_str())
            .collect();
        assert_eq!(services, loaded.into_iter().collect::<Vec<_>>());
        for service in services {
            let alone = index.load(service).expect("loads");
            let together: Vec<&LoadedSpec> = whole
                .services
                .iter()
                .filter(|s| s.spec.metadata.service_short_name == service)
                .collect();
            assert_eq!(alone.iter().collect::<Vec<_>>(), together, "{service}");
            assert_eq!(index.version_count(service), together.len(), "{service}");
            let outline = index.action_names(service);
            for spec in &together {
                let names: BTreeSet<&String> = spec.spec.actions.keys().collect();
                let outlined: BTreeSet<&String> =
                    outline[&spec.spec.metadata.api_version].iter().collect();
                assert_eq!(
                    outlined, names,
                    "{service} {}",
                    spec.spec.metadata.api_version
                );
            }
            assert_eq!(outline.len(), together.len(), "{service}");
        }
        assert!(index.load("nosuch").expect("nothing to load").is_empty());
    }

    #[test]
    fn a_broken_service_fails_alone_naming_its_file() {
        let dir = tempfile::tempdir().expect("temporary directory");
        std::fs::copy(specs_dir().join(COMMON_FILE), dir.path().join(COMMON_FILE)).unwrap();
        std::fs::create_dir(dir.path().join("bad")).unwrap();
        std::fs::write(dir.path().join("bad/2020-01-01.json"), "{\"version\": ").unwrap();
        let index = SpecIndex::open(dir.path()).expect("a listing does not read service specs");
        assert!(index.contains("bad"));
        let problems = index.load("bad").expect_err("bad JSON").to_string();
        assert!(
            problems.contains("bad/2020-01-01.json") && problems.contains("not valid JSON"),
            "{problems}"
        );
    }

    #[test]
    fn opening_needs_a_valid_common_file_and_service_folders() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let problems = SpecIndex::open(dir.path())
            .expect_err("no common.json")
            .to_string();
        assert!(problems.contains("common.json"), "{problems}");
        std::fs::copy(specs_dir().join(COMMON_FILE), dir.path().join(COMMON_FILE)).unwrap();
        std::fs::write(dir.path().join("stray.json"), "{}").unwrap();
        let problems = SpecIndex::open(dir.path())
            .expect_err("a spec outside a service folder")
            .to_string();
        assert!(
            problems.contains("stray.json") && problems.contains("<service>/"),
            "{problems}"
        );
    }
}
