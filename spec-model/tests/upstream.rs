//! The imported description (`specs/upstream/`, every service version of the pinned packages)
//! becomes valid specs by the documented rules alone: no problem is left for a hand edit.

use std::path::Path;

use tencentcloud_spec::load::{self, RawSpec};
use tencentcloud_spec::upstream::{self, Resolutions};
use tencentcloud_spec::validate;

const SPECS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../specs");

fn converted() -> (Vec<RawSpec>, Resolutions) {
    let dir = Path::new(SPECS).join(tencentcloud_spec::UPSTREAM_DIR);
    let mut resolutions = Resolutions::default();
    let common = std::fs::read(Path::new(SPECS).join(load::COMMON_FILE)).unwrap();
    let common = load::parse(load::COMMON_FILE, &common).unwrap();
    let common_codes = upstream::common_codes(&common.value);
    let mut files = vec![common];
    for (service, version) in upstream::list_versions(&dir).unwrap() {
        let read = upstream::read_version(&dir, &service, &version).unwrap();
        files.push(upstream::convert(&read, &common_codes, &mut resolutions));
    }
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
    let dir = Path::new(SPECS).join(tencentcloud_spec::UPSTREAM_DIR);
    assert_eq!(
        set.services.len(),
        upstream::list_versions(&dir).unwrap().len(),
        "one spec per imported service version"
    );
    let actions = |path: &str| {
        set.services
            .iter()
            .find(|s| s.path == path)
            .map(|s| s.spec.actions.len())
    };
    assert_eq!(actions("cvm/2017-03-12.json"), Some(106));
    assert_eq!(actions("gaap/2018-05-29.json"), Some(102));
    assert_eq!(actions("vpc/2017-03-12.json"), Some(448));
}

/// Each hand-written spec laid over its service version's upstream, validated with the rest.
fn merged_with_overlays() -> tencentcloud_spec::load::SpecSet {
    let (files, _) = converted();
    let merged: Vec<RawSpec> = files
        .into_iter()
        .map(|mut file| {
            if let Ok(bytes) = std::fs::read(Path::new(SPECS).join(&file.path))
                && file.path != load::COMMON_FILE
            {
                let overlay = load::parse(&file.path, &bytes).unwrap();
                file.value = tencentcloud_spec::merge::merge(&file.value, &overlay.value);
            }
            file
        })
        .collect();
    validate::validate_set(merged).unwrap_or_else(|problems| panic!("{problems}"))
}

#[test]
fn overlays_win_where_they_state_a_fact_and_upstream_supplies_the_rest() {
    let set = merged_with_overlays();
    let cvm = &set
        .services
        .iter()
        .find(|s| s.path == "cvm/2017-03-12.json")
        .unwrap()
        .spec;
    let overlay: serde_json::Value = serde_json::from_slice(
        &std::fs::read(Path::new(SPECS).join("cvm/2017-03-12.json")).unwrap(),
    )
    .unwrap();
    let page: tencentcloud_spec::types::Action =
        serde_json::from_value(overlay["actions"]["TerminateInstances"].clone()).unwrap();
    let page_request: tencentcloud_spec::types::Object =
        serde_json::from_value(overlay["objects"]["TerminateInstancesRequest"].clone()).unwrap();

    // What the seed page says, kept whole: description, rate limit, every error code, examples;
    // the Chinese description, which that page lacks, comes from upstream.
    let terminate = &cvm.actions["TerminateInstances"];
    let page = &page;
    assert!(page.document_zh.is_none());
    assert!(
        terminate
            .document_zh
            .as_deref()
            .is_some_and(|zh| zh.contains("退还实例"))
    );
    let mut without_zh = terminate.clone();
    without_zh.document_zh = None;
    assert_eq!(&without_zh, page);
    assert!(terminate.errors.len() > 40 && terminate.rate_limit == Some(10));
    // Upstream members the page lacks arrive after the page's own, which keep every constraint.
    let request = &cvm.objects["TerminateInstancesRequest"];
    let names: Vec<&str> = request.members.iter().map(|m| m.name.as_str()).collect();
    assert!(names.contains(&"ReleaseAddress"), "{names:?}");
    for page_member in &page_request.members {
        let merged = request
            .members
            .iter()
            .find(|m| m.name == page_member.name)
            .unwrap();
        assert_eq!(merged.document, page_member.document);
        assert_eq!(merged.constraints, page_member.constraints);
        assert_eq!(merged.kind, page_member.kind);
    }
    // An overlay entry adding to an upstream action keeps the rest of it.
    let describe = &cvm.actions["DescribeInstances"];
    assert_eq!(describe.waiters.len(), 4);
    assert!(describe.paging.is_some() && !describe.examples.is_empty());
    // And every other action of the version is there.
    assert_eq!(cvm.actions.len(), 106);
    assert!(cvm.actions.contains_key("DescribeInstances"));
    assert!(cvm.metadata.region_required, "the page's Region: Yes wins");
    assert!(
        !cvm.errors.is_empty(),
        "the service version's codes come from upstream"
    );
}

#[test]
fn a_client_calls_file_of_another_shape_is_a_problem_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let version = dir.path().join("es/v20250101");
    std::fs::create_dir_all(&version).unwrap();
    std::fs::write(
        version.join("api.json"),
        r#"{"actions": {}, "objects": {}}"#,
    )
    .unwrap();
    std::fs::write(
        version.join(upstream::CLIENT_CALLS_FILE),
        r#"{"streaming": "ChatCompletions"}"#,
    )
    .unwrap();
    let problems = upstream::read_version(dir.path(), "es", "v20250101").unwrap_err();
    let text = problems.to_string();
    assert!(text.contains("es/v20250101/client.json"), "{text}");
    assert!(text.contains("not a client calls file"), "{text}");

    std::fs::write(
        version.join(upstream::CLIENT_CALLS_FILE),
        r#"{"streaming": ["ChatCompletions"], "hosts": {"ChatCompletions": "es.ai.tencentcloudapi.com"}}"#,
    )
    .unwrap();
    let read = upstream::read_version(dir.path(), "es", "v20250101").unwrap();
    let calls = read.client_calls.unwrap();
    assert_eq!(calls.streaming, ["ChatCompletions"]);
    assert_eq!(calls.hosts["ChatCompletions"], "es.ai.tencentcloudapi.com");
}
