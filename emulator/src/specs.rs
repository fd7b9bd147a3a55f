//! Where the emulator's knowledge of the API comes from: the spec directory, read through the
//! codegen crate's spec model so the emulator and the generated SDK can never disagree about it.

use std::path::{Path, PathBuf};

use tencentcloud_codegen::spec::{CommonSpec, ServiceSpec};

use crate::BuildError;

/// The workspace's `specs/` directory, the default spec source.
pub const DEFAULT_SPECS_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../specs");

/// Every spec file of a directory, parsed.
pub(crate) struct LoadedSpecs {
    /// `(path relative to the specs dir, spec)`, sorted by path.
    pub services: Vec<(String, ServiceSpec)>,
}

pub(crate) fn load(dir: &Path) -> Result<LoadedSpecs, BuildError> {
    let common_path = dir.join("common.json");
    // Parsed only to reject a broken spec set: the common codes need no emulator behaviour.
    read_json::<CommonSpec>(&common_path)?;
    let mut services = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|source| BuildError::SpecIo {
        path: dir.to_path_buf(),
        source,
    })?;
    for entry in entries {
        let entry = entry.map_err(|source| BuildError::SpecIo {
            path: dir.to_path_buf(),
            source,
        })?;
        let service_dir = entry.path();
        if !service_dir.is_dir() {
            continue;
        }
        let files = std::fs::read_dir(&service_dir).map_err(|source| BuildError::SpecIo {
            path: service_dir.clone(),
            source,
        })?;
        for file in files {
            let file = file.map_err(|source| BuildError::SpecIo {
                path: service_dir.clone(),
                source,
            })?;
            let path = file.path();
            if path.extension().and_then(|e| e.to_str()) != Some("json") {
                continue;
            }
            let spec: ServiceSpec = read_json(&path)?;
            let relative = relative_name(dir, &path);
            services.push((relative, spec));
        }
    }
    services.sort_by(|a, b| a.0.cmp(&b.0));
    if services.is_empty() {
        return Err(BuildError::NoServices {
            dir: dir.to_path_buf(),
        });
    }
    Ok(LoadedSpecs { services })
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, BuildError> {
    let bytes = std::fs::read(path).map_err(|source| BuildError::SpecIo {
        path: path.to_path_buf(),
        source,
    })?;
    serde_json::from_slice(&bytes).map_err(|source| BuildError::SpecParse {
        path: path.to_path_buf(),
        source,
    })
}

fn relative_name(dir: &Path, path: &Path) -> String {
    let relative: PathBuf = path.strip_prefix(dir).unwrap_or(path).to_path_buf();
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}
