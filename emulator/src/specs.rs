//! Where the emulator's knowledge of the API comes from: the spec directory, loaded and validated
//! by the spec-model crate (`tencentcloud-spec`) the code generator uses too, so the emulator and the generated SDK can never disagree about it.

use std::path::Path;

use tencentcloud_spec::load::{SpecSet, load_dir};

use crate::BuildError;

/// The workspace's `specs/` directory, the default spec source.
pub const DEFAULT_SPECS_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../specs");

pub(crate) fn load(dir: &Path) -> Result<SpecSet, BuildError> {
    let set = load_dir(dir).map_err(|diagnostics| BuildError::Specs {
        dir: dir.to_path_buf(),
        diagnostics,
    })?;
    if set.services.is_empty() {
        return Err(BuildError::NoServices {
            dir: dir.to_path_buf(),
        });
    }
    Ok(set)
}
