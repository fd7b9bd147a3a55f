//! Where the emulator's knowledge of the API comes from: the spec directory, loaded and validated
//! by the spec-model crate (`tencentcloud-spec`) the code generator uses too, so the emulator and the generated SDK can never disagree about it.

use std::path::Path;

use tencentcloud_spec::index::SpecIndex;

use crate::BuildError;

/// The workspace's `specs/` directory, the default spec source.
pub const DEFAULT_SPECS_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../specs");

/// Indexes `dir`: its listing and its `common.json`, read and validated now; each service's
/// specs are read when the service is first called.
pub(crate) fn open(dir: &Path) -> Result<SpecIndex, BuildError> {
    let index = SpecIndex::open(dir).map_err(|diagnostics| BuildError::Specs {
        dir: dir.to_path_buf(),
        diagnostics,
    })?;
    if index.services().next().is_none() {
        return Err(BuildError::NoServices {
            dir: dir.to_path_buf(),
        });
    }
    Ok(index)
}
