//! `import`: brings Tencent's published API description into `specs/upstream/`, pinned.
//!
//! Tencent's own SDKs are generated from the files `tccli` ships as
//! `tccli/services/<service>/<vYYYYMMDD>/{api.json,examples.json}` and the error codes
//! `tencentcloud-sdk-python` ships as `tencentcloud/<service>/<vYYYYMMDD>/errorcodes.py`; the
//! `-intl-en` packages are the English editions of both. The import copies them per service
//! version into `specs/upstream/<service>/<vYYYYMMDD>/` as canonical JSON (2-space indented, keys
//! sorted, text unescaped), so a changed upstream sentence is a one-line diff, and records in
//! `specs/upstream/manifest.json` the package and sha256 of every file it read. Values are copied
//! as upstream wrote them: turning them into the spec model is the loader's job, by documented
//! rules, so re-importing never loses a hand edit because there are none.

mod client_calls;
mod errorcodes;
mod packages;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use tencentcloud_spec::Diagnostics;
use tencentcloud_spec::index::SpecIndex;
use tencentcloud_spec::load::LoadedSpec;

use crate::changes::{self, VersionChanges};
use crate::releases::{Releases, pin_text};

pub use errorcodes::UpstreamErrorCode;
pub use packages::{Package, Site};

pub use tencentcloud_spec::UPSTREAM_DIR;
/// The pin: packages and the sha256 of every file read, relative to [`UPSTREAM_DIR`].
pub const MANIFEST_FILE: &str = "manifest.json";

/// Why an import failed. Nothing is written when it fails.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot {doing} {}: {source}", path.display())]
    Io {
        doing: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: {problem}", path.display())]
    Package { path: PathBuf, problem: String },
    #[error("{}: {problem}", path.display())]
    Upstream { path: PathBuf, problem: String },
    #[error("{0}")]
    Usage(String),
}

/// Which services to import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Services {
    All,
    Named(BTreeSet<String>),
}

impl Services {
    /// `all`, or a comma-separated list of service short names (`cvm,vpc,gaap`).
    pub fn parse(text: &str) -> Result<Services, String> {
        if text.trim() == "all" {
            return Ok(Services::All);
        }
        let names: BTreeSet<String> = text
            .split(',')
            .map(|name| name.trim().to_owned())
            .filter(|name| !name.is_empty())
            .collect();
        match names.iter().find(|name| !is_service_name(name)) {
            Some(bad) => Err(format!(
                "`{bad}` is not a service short name (lowercase letters and digits)"
            )),
            None if names.is_empty() => Err("no service named; use `all` or `cvm,vpc`".to_owned()),
            None => Ok(Services::Named(names)),
        }
    }
}

fn is_service_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
}

fn is_version_dir(name: &str) -> bool {
    name.len() == 9 && name.starts_with('v') && name[1..].chars().all(|c| c.is_ascii_digit())
}

/// Where the packages are and what to import.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Folder holding the `tccli` and `tencentcloud` packages (Chinese edition).
    pub from: PathBuf,
    /// Folder holding their English editions, `tccli-intl-en` and `tencentcloud-sdk-python-intl-en`.
    pub intl: Option<PathBuf>,
    pub services: Services,
    /// The specs directory; the import writes under its `upstream/`.
    pub specs_dir: PathBuf,
}

/// `specs/upstream/manifest.json`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Version of each package a file was read from, by package name.
    pub packages: BTreeMap<String, String>,
    /// Every file written, by its path under `upstream/`, with where it was read from.
    pub files: BTreeMap<String, SourceFile>,
}

/// Where one imported file came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceFile {
    pub package: String,
    pub version: String,
    /// Path inside the package's folder, as pip's `RECORD` lists it.
    pub path: String,
    /// Lowercase hex sha256 of the file as read.
    pub sha256: String,
}

/// What one service version brought in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionSummary {
    pub service: String,
    pub version: String,
    pub actions: usize,
    pub objects: usize,
    pub error_codes: usize,
    pub examples: usize,
    /// Whether the English edition has this service version.
    pub english: bool,
}

/// The outcome of an import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    pub versions: Vec<VersionSummary>,
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
    /// What changed for users of the generated crates, per service version (see [`changes`]).
    pub changes: Vec<VersionChanges>,
    /// Services whose specs could not be loaded before or after, so were not compared.
    pub uncompared: Vec<String>,
    /// The change report written ([`CHANGES_FILE`]).
    pub report_file: PathBuf,
}

/// The change report of the last import, relative to [`UPSTREAM_DIR`].
pub const CHANGES_FILE: &str = "CHANGES.md";

/// One edition's folder: the `tccli` services and the Python SDK's error codes.
struct Edition {
    site: Site,
    /// File name suffix of what this edition writes: `""` (Chinese) or `".en"` (English).
    suffix: &'static str,
}

impl Edition {
    fn services_dir(&self) -> PathBuf {
        self.site.root.join("tccli").join("services")
    }

    /// Service versions this edition ships: `(service, vYYYYMMDD)` with an `api.json`.
    fn versions(&self) -> Result<BTreeSet<(String, String)>, ImportError> {
        let mut found = BTreeSet::new();
        let dir = self.services_dir();
        for service in list_dir(&dir)? {
            if !is_service_name(&service) {
                continue;
            }
            for version in list_dir(&dir.join(&service))? {
                if is_version_dir(&version)
                    && dir.join(&service).join(&version).join("api.json").is_file()
                {
                    found.insert((service.clone(), version));
                }
            }
        }
        Ok(found)
    }
}

fn list_dir(dir: &Path) -> Result<Vec<String>, ImportError> {
    let io = |source| ImportError::Io {
        doing: "list",
        path: dir.to_owned(),
        source,
    };
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            names.push(entry.file_name().to_string_lossy().into_owned());
        }
    }
    names.sort();
    Ok(names)
}

/// Loads `specs_dir` as the generator will, the imported description converted by the rules of
/// [`tencentcloud_spec::upstream`] with the hand-written specs laid over it. Returns the rules
/// applied, and the number of service versions or every problem the rules leave.
pub fn convert_imported(
    specs_dir: &Path,
) -> (
    tencentcloud_spec::upstream::Resolutions,
    Result<usize, Diagnostics>,
) {
    let (resolutions, outcome) = tencentcloud_spec::load::load_dir_resolving(specs_dir);
    (resolutions, outcome.map(|set| set.services.len()))
}

/// Reads the selected service versions, then writes them and the manifest. Nothing is written
/// unless every file read cleanly.
pub fn import(options: &ImportOptions) -> Result<ImportReport, ImportError> {
    let chinese = Edition {
        site: Site::open(&options.from)?,
        suffix: "",
    };
    let english = options
        .intl
        .as_deref()
        .map(|dir| {
            Site::open(dir).map(|site| Edition {
                site,
                suffix: ".en",
            })
        })
        .transpose()?;
    if !chinese.services_dir().is_dir() {
        return Err(ImportError::Usage(format!(
            "{} holds no tccli/services/: pass the folder the tccli and tencentcloud-sdk-python packages were unpacked into",
            options.from.display()
        )));
    }
    let available = chinese.versions()?;
    let english_versions = match &english {
        Some(edition) => edition.versions()?,
        None => BTreeSet::new(),
    };
    let selected: Vec<&(String, String)> = match &options.services {
        Services::All => available.iter().collect(),
        Services::Named(names) => {
            let known: BTreeSet<&str> = available.iter().map(|(s, _)| s.as_str()).collect();
            if let Some(missing) = names.iter().find(|name| !known.contains(name.as_str())) {
                return Err(ImportError::Usage(format!(
                    "service `{missing}` is not in {} ({} services there)",
                    chinese.services_dir().display(),
                    known.len()
                )));
            }
            available
                .iter()
                .filter(|(s, _)| names.contains(s))
                .collect()
        }
    };

    let upstream = options.specs_dir.join(UPSTREAM_DIR);
    let mut manifest = read_manifest(&upstream.join(MANIFEST_FILE))?;
    let previous_pin = manifest.packages.clone();
    let mut releases = Releases::read(&options.specs_dir).map_err(|err| ImportError::Upstream {
        path: err.path,
        problem: err.problem,
    })?;
    let services: BTreeSet<&str> = selected.iter().map(|(s, _)| s.as_str()).collect();
    let before = load_services(&options.specs_dir, &services);
    manifest
        .files
        .retain(|path, _| !services.contains(path.split('/').next().unwrap_or_default()));

    let mut files: BTreeMap<String, String> = BTreeMap::new();
    let mut versions = Vec::new();
    for (service, version) in selected {
        let mut summary = read_version(&chinese, service, version, &mut files, &mut manifest)?;
        if let Some(edition) = english
            .as_ref()
            .filter(|_| english_versions.contains(&(service.clone(), version.clone())))
        {
            read_version(edition, service, version, &mut files, &mut manifest)?;
            summary.english = true;
        }
        versions.push(summary);
    }
    manifest.packages = pinned_packages(&manifest)?;
    let mut text = serde_json::to_string_pretty(&manifest).expect("a manifest always serializes");
    text.push('\n');
    files.insert(MANIFEST_FILE.to_owned(), text);

    let (written, unchanged, removed) = write_files(&upstream, &files, &services)?;

    let after = load_services(&options.specs_dir, &services);
    let mut changes = Vec::new();
    let mut uncompared = Vec::new();
    let mut changed_before = Vec::new();
    for service in &services {
        match (&before.get(*service), &after.get(*service)) {
            (Some(Ok(old)), Some(Ok(new))) => {
                let found = changes::compare(old, new);
                // A service new to the specs starts at the base version; only later updates
                // give its crate releases.
                if !old.is_empty() {
                    changed_before.extend(found.iter().cloned());
                }
                changes.extend(found);
            }
            _ => uncompared.push((*service).to_owned()),
        }
    }
    if !changed_before.is_empty() {
        releases.record(&changed_before, &manifest.packages);
        write_file(
            &options.specs_dir.join(crate::releases::RELEASES_FILE),
            &releases.to_json(),
        )?;
    }
    // Importing more services at the same pin is a change too; the heading says which it was.
    let heading = if previous_pin == manifest.packages {
        format!(
            "Upstream changes at {} (the same pin, services added or re-imported)",
            pin_text(&manifest.packages)
        )
    } else {
        format!(
            "Upstream changes: {} → {}",
            pin_text(&previous_pin),
            pin_text(&manifest.packages)
        )
    };
    let mut report = changes::render(&heading, &changes);
    if !uncompared.is_empty() {
        report.push_str(&format!(
            "Not compared, their specs did not load before or after the import (the import lists the problems): {}.\n",
            uncompared.join(", ")
        ));
    }
    let report_file = upstream.join(CHANGES_FILE);
    write_file(&report_file, &report)?;
    Ok(ImportReport {
        versions,
        written,
        unchanged,
        removed,
        changes,
        uncompared,
        report_file,
    })
}

/// The specs of `services` as the generator loads them (upstream converted, overlays laid over),
/// or the problems that kept each from loading; all empty when the directory has no specs yet.
fn load_services(
    specs_dir: &Path,
    services: &BTreeSet<&str>,
) -> BTreeMap<String, Result<Vec<LoadedSpec>, Diagnostics>> {
    let index = SpecIndex::open(specs_dir).ok();
    services
        .iter()
        .map(|service| {
            let loaded = match &index {
                Some(index) => index.load(service),
                None => Ok(Vec::new()),
            };
            ((*service).to_owned(), loaded)
        })
        .collect()
}

fn write_file(path: &Path, contents: &str) -> Result<(), ImportError> {
    std::fs::write(path, contents).map_err(|source| ImportError::Io {
        doing: "write",
        path: path.to_owned(),
        source,
    })
}

/// Reads a manifest; a missing one is empty (nothing imported yet).
pub fn read_manifest(path: &Path) -> Result<Manifest, ImportError> {
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map_err(|err| ImportError::Upstream {
            path: path.to_owned(),
            problem: format!("not a manifest: {err}"),
        }),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(Manifest::default()),
        Err(source) => Err(ImportError::Io {
            doing: "read",
            path: path.to_owned(),
            source,
        }),
    }
}

/// One version of each package the manifest's files come from: a partial import from other
/// package versions than the rest was imported from would leave a pin that describes neither.
fn pinned_packages(manifest: &Manifest) -> Result<BTreeMap<String, String>, ImportError> {
    let mut versions: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for file in manifest.files.values() {
        versions
            .entry(&file.package)
            .or_default()
            .insert(&file.version);
    }
    let mut packages = BTreeMap::new();
    for (name, found) in versions {
        if found.len() > 1 {
            let found: Vec<&str> = found.into_iter().collect();
            return Err(ImportError::Usage(format!(
                "the specs would mix versions {} of {name}: import every service again from one set of packages (--services all)",
                found.join(" and ")
            )));
        }
        packages.insert(
            name.to_owned(),
            found.into_iter().next().unwrap_or_default().to_owned(),
        );
    }
    Ok(packages)
}

/// Reads one edition's `api.json`, `examples.json` and `errorcodes.py` of a service version into
/// `files` (the examples and error codes are optional upstream: a version may have neither).
fn read_version(
    edition: &Edition,
    service: &str,
    version: &str,
    files: &mut BTreeMap<String, String>,
    manifest: &mut Manifest,
) -> Result<VersionSummary, ImportError> {
    let tccli_dir = format!("tccli/services/{service}/{version}");
    let out_dir = format!("{service}/{version}");
    let suffix = edition.suffix;

    let api_source = format!("{tccli_dir}/api.json");
    let api = read_json(
        edition,
        &api_source,
        &format!("{out_dir}/api{suffix}.json"),
        files,
        manifest,
    )?
    .ok_or_else(|| ImportError::Upstream {
        path: edition.site.root.join(&api_source),
        problem: "disappeared while importing".to_owned(),
    })?;
    let count = |key: &str| -> Result<usize, ImportError> {
        api.get(key)
            .and_then(Value::as_object)
            .map(serde_json::Map::len)
            .ok_or_else(|| ImportError::Upstream {
                path: edition.site.root.join(&api_source),
                problem: format!("has no `{key}` object: not a tccli api.json"),
            })
    };
    let (actions, objects) = (count("actions")?, count("objects")?);

    let examples = read_json(
        edition,
        &format!("{tccli_dir}/examples.json"),
        &format!("{out_dir}/examples{suffix}.json"),
        files,
        manifest,
    )?;
    let examples = examples
        .as_ref()
        .and_then(|e| e.get("actions"))
        .and_then(Value::as_object)
        .map_or(0, |actions| {
            actions
                .values()
                .filter_map(Value::as_array)
                .map(Vec::len)
                .sum()
        });

    let codes_source = format!("tencentcloud/{service}/{version}/errorcodes.py");
    let mut error_codes = 0;
    if let Some(bytes) = read_source(
        edition,
        &codes_source,
        &format!("{out_dir}/errorcodes{suffix}.json"),
        manifest,
    )? {
        let path = edition.site.root.join(&codes_source);
        let text = String::from_utf8(bytes).map_err(|err| ImportError::Upstream {
            path: path.clone(),
            problem: format!("not UTF-8: {err}"),
        })?;
        let codes =
            errorcodes::parse(&text).map_err(|problem| ImportError::Upstream { path, problem })?;
        error_codes = codes.len();
        files.insert(
            format!("{out_dir}/errorcodes{suffix}.json"),
            canonical(&codes),
        );
    }

    // Streaming actions and hosts of their own, from the Chinese edition's client (the main
    // package); written only for the few versions that have any.
    let client_source = format!("tencentcloud/{service}/{version}/{service}_client.py");
    if suffix.is_empty()
        && let Some((bytes, pinned)) = read_package_file(edition, &client_source)?
    {
        let path = edition.site.root.join(&client_source);
        let text = String::from_utf8(bytes).map_err(|err| ImportError::Upstream {
            path: path.clone(),
            problem: format!("not UTF-8: {err}"),
        })?;
        let calls = client_calls::parse(&text)
            .map_err(|problem| ImportError::Upstream { path, problem })?;
        if !calls.is_empty() {
            let target = format!(
                "{out_dir}/{}",
                tencentcloud_spec::upstream::CLIENT_CALLS_FILE
            );
            manifest.files.insert(target.clone(), pinned);
            files.insert(target, canonical(&calls));
        }
    }
    Ok(VersionSummary {
        service: service.to_owned(),
        version: version.to_owned(),
        actions,
        objects,
        error_codes,
        examples,
        english: false,
    })
}

/// Reads a file of a package, records it in the manifest under `target`, and returns its bytes;
/// `None` when the package does not have it.
fn read_source(
    edition: &Edition,
    source: &str,
    target: &str,
    manifest: &mut Manifest,
) -> Result<Option<Vec<u8>>, ImportError> {
    let Some((bytes, pinned)) = read_package_file(edition, source)? else {
        return Ok(None);
    };
    manifest.files.insert(target.to_owned(), pinned);
    Ok(Some(bytes))
}

/// Reads a file of a package, with how the manifest pins it; `None` when the package does not
/// have it.
fn read_package_file(
    edition: &Edition,
    source: &str,
) -> Result<Option<(Vec<u8>, SourceFile)>, ImportError> {
    let path = edition.site.root.join(source);
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(ImportError::Io {
                doing: "read",
                path,
                source,
            });
        }
    };
    let package = edition.site.owner(source).ok_or_else(|| ImportError::Package {
        path: path.clone(),
        problem: "no package's RECORD lists this file: the folder must hold the packages as pip leaves them".to_owned(),
    })?;
    let pinned = SourceFile {
        package: package.name.clone(),
        version: package.version.clone(),
        path: source.to_owned(),
        sha256: hex::encode(Sha256::digest(&bytes)),
    };
    Ok(Some((bytes, pinned)))
}

fn read_json(
    edition: &Edition,
    source: &str,
    target: &str,
    files: &mut BTreeMap<String, String>,
    manifest: &mut Manifest,
) -> Result<Option<Value>, ImportError> {
    let Some(bytes) = read_source(edition, source, target, manifest)? else {
        return Ok(None);
    };
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let value: Value = serde_json::from_slice(bytes).map_err(|err| ImportError::Upstream {
        path: edition.site.root.join(source),
        problem: format!("not JSON: {err}"),
    })?;
    files.insert(target.to_owned(), canonical(&value));
    Ok(Some(value))
}

/// 2-space indented JSON with sorted keys and a final newline: what upstream wrote, in one form.
fn canonical<T: Serialize>(value: &T) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("JSON values always serialize");
    text.push('\n');
    text
}

/// Writes `files` under `upstream`, leaving identical files alone, and removes files of the
/// imported services that upstream no longer ships. Returns (written, unchanged, removed).
fn write_files(
    upstream: &Path,
    files: &BTreeMap<String, String>,
    services: &BTreeSet<&str>,
) -> Result<(usize, usize, usize), ImportError> {
    let io = |doing: &'static str, path: &Path| {
        let path = path.to_owned();
        move |source| ImportError::Io {
            doing,
            path,
            source,
        }
    };
    let (mut written, mut unchanged, mut removed) = (0, 0, 0);
    for (relative, contents) in files {
        let target = upstream.join(relative);
        if std::fs::read(&target).is_ok_and(|current| current == contents.as_bytes()) {
            unchanged += 1;
            continue;
        }
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(io("create", parent))?;
        }
        std::fs::write(&target, contents).map_err(io("write", &target))?;
        written += 1;
    }
    for service in services {
        let dir = upstream.join(service);
        for version in list_dir(&dir)? {
            let version_dir = dir.join(&version);
            for entry in std::fs::read_dir(&version_dir).map_err(io("list", &version_dir))? {
                let entry = entry.map_err(io("list", &version_dir))?;
                let relative = format!(
                    "{service}/{version}/{}",
                    entry.file_name().to_string_lossy()
                );
                if entry.path().is_file() && !files.contains_key(&relative) {
                    std::fs::remove_file(entry.path()).map_err(io("remove", &entry.path()))?;
                    removed += 1;
                }
            }
            if std::fs::read_dir(&version_dir).is_ok_and(|mut e| e.next().is_none()) {
                std::fs::remove_dir(&version_dir).map_err(io("remove", &version_dir))?;
            }
        }
    }
    Ok((written, unchanged, removed))
}
