//! The imported description of cvm, vpc and gaap (`specs/upstream/`) becomes valid specs by the
//! documented rules alone: no problem is left for a hand edit.

use std::path::Path;

use tencentcloud_spec::load::{self, RawSpec};
use tencentcloud_spec::upstream::{self, Resolutions};
use tencentcloud_spec::validate;

const SPECS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../specs");

fn converted() -> (Vec<RawSpec>, Resolutions) {
    let dir = Path::new(SPECS).join(tencentcloud_spec::UPSTREAM_DIR);
    let mut resolutions = Resolutions::default();
    let mut files = Vec::new();
    for (service, version) in upstream::list_versions(&dir).unwrap() {
        let read = upstream::read_version(&dir, &service, &version).unwrap();
        files.push(upstream::convert(&read, &mut resolutions));
    }
    let common = std::fs::read(Path::new(SPECS).join(load::COMMON_FILE)).unwrap();
    files.push(load::parse(load::COMMON_FILE, &common).unwrap());
    (files, resolutions)
}

#[test]
fn the_imported_services_convert_to_valid_specs_with_every_resolution_counted() {
    let (files, resolutions) = converted();
    println!("{resolutions}");
    let set = match validate::validate_set(files) {
        Ok(set) => set,
        Err(problems) => panic!("{} problems:\n{problems}", problems.problems().len()),
    };
    let counts: Vec<(String, usize)> = set
        .services
        .iter()
        .map(|s| (s.path.clone(), s.spec.actions.len()))
        .collect();
    assert_eq!(
        counts,
        [
            ("cvm/2017-03-12.json".to_owned(), 106),
            ("gaap/2018-05-29.json".to_owned(), 102),
            ("vpc/2017-03-12.json".to_owned(), 448)
        ]
    );
}
