//! Finding the Python packages pip left in a folder: which package (name and version) owns each
//! file, read from the `*.dist-info/METADATA` and `RECORD` files pip writes for every package.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::ImportError;

/// A package as pip installed it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Package {
    pub name: String,
    pub version: String,
}

/// The packages of one folder (a site-packages, or wheels unzipped side by side) and the files
/// each one owns.
#[derive(Debug)]
pub struct Site {
    pub root: PathBuf,
    /// Owner of each file, by its `/`-separated path relative to `root`.
    owners: BTreeMap<String, Package>,
}

impl Site {
    /// Reads every `*.dist-info` folder directly under `root`.
    pub fn open(root: &Path) -> Result<Site, ImportError> {
        let entries = std::fs::read_dir(root).map_err(|source| ImportError::Io {
            doing: "list",
            path: root.to_owned(),
            source,
        })?;
        let mut dist_infos = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|source| ImportError::Io {
                doing: "list",
                path: root.to_owned(),
                source,
            })?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".dist-info") && entry.path().is_dir() {
                dist_infos.push(entry.path());
            }
        }
        dist_infos.sort();
        let mut owners = BTreeMap::new();
        for dist_info in dist_infos {
            let package = read_metadata(&dist_info.join("METADATA"))?;
            let record = dist_info.join("RECORD");
            for path in read_record(&record)? {
                owners.insert(path, package.clone());
            }
        }
        Ok(Site {
            root: root.to_owned(),
            owners,
        })
    }

    /// The package that owns `relative`, if pip recorded one.
    pub fn owner(&self, relative: &str) -> Option<&Package> {
        self.owners.get(relative)
    }
}

fn read_text(path: &Path) -> Result<String, ImportError> {
    std::fs::read_to_string(path).map_err(|source| ImportError::Io {
        doing: "read",
        path: path.to_owned(),
        source,
    })
}

/// `Name:` and `Version:` of a package's core metadata (the header lines before the first blank one).
fn read_metadata(path: &Path) -> Result<Package, ImportError> {
    let text = read_text(path)?;
    let mut name = None;
    let mut version = None;
    for line in text.lines().take_while(|line| !line.is_empty()) {
        if let Some(value) = line.strip_prefix("Name:") {
            name.get_or_insert_with(|| value.trim().to_owned());
        } else if let Some(value) = line.strip_prefix("Version:") {
            version.get_or_insert_with(|| value.trim().to_owned());
        }
    }
    match (name, version) {
        (Some(name), Some(version)) if !name.is_empty() && !version.is_empty() => {
            Ok(Package { name, version })
        }
        _ => Err(ImportError::Package {
            path: path.to_owned(),
            problem: "has no `Name:` and `Version:` header lines".to_owned(),
        }),
    }
}

/// The file paths a `RECORD` lists: its rows are `path,hash,size`, the path quoted when it holds a
/// comma (hash and size never do, so the last two commas end the path).
fn read_record(path: &Path) -> Result<Vec<String>, ImportError> {
    let text = read_text(path)?;
    let mut paths = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let mut fields = line.rsplitn(3, ',');
        let (Some(_size), Some(_hash), Some(file)) = (fields.next(), fields.next(), fields.next())
        else {
            return Err(ImportError::Package {
                path: path.to_owned(),
                problem: format!("line {}: not a `path,hash,size` row", index + 1),
            });
        };
        let file = file
            .strip_prefix('"')
            .and_then(|quoted| quoted.strip_suffix('"'))
            .map_or_else(|| file.to_owned(), |quoted| quoted.replace("\"\"", "\""));
        paths.push(file);
    }
    Ok(paths)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_row_with_a_quoted_comma_keeps_its_whole_path() {
        let dir = tempfile::tempdir().unwrap();
        let record = dir.path().join("RECORD");
        std::fs::write(
            &record,
            "a/b.json,sha256=x,3\n\"a/c,d.json\",sha256=y,4\nz.dist-info/RECORD,,\n",
        )
        .unwrap();
        assert_eq!(
            read_record(&record).unwrap(),
            ["a/b.json", "a/c,d.json", "z.dist-info/RECORD"]
        );
    }

    #[test]
    fn metadata_without_a_version_is_an_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let metadata = dir.path().join("METADATA");
        std::fs::write(
            &metadata,
            "Metadata-Version: 2.1\nName: tccli\n\nVersion: 1\n",
        )
        .unwrap();
        let err = read_metadata(&metadata).unwrap_err().to_string();
        assert!(
            err.contains("METADATA") && err.contains("Version:"),
            "{err}"
        );
    }
}
