//! `import`: Tencent's published description copied into `specs/upstream/`, pinned by package and
//! sha256, deterministically, from packages laid out as pip leaves them.

use std::collections::BTreeSet;
use std::path::Path;

use sha2::{Digest, Sha256};
use tencentcloud_codegen::import::{self, ImportError, ImportOptions, Manifest, Services};

/// Writes a file and the RECORD row pip would list for it.
fn put(site: &Path, record: &mut String, relative: &str, contents: &str) {
    let path = site.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, contents).unwrap();
    record.push_str(&format!("{relative},sha256=x,{}\n", contents.len()));
}

fn dist_info(site: &Path, name: &str, version: &str, record: &str) {
    let dir = site.join(format!("{}-{version}.dist-info", name.replace('-', "_")));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("METADATA"),
        format!("Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n\nBody\n"),
    )
    .unwrap();
    std::fs::write(dir.join("RECORD"), record).unwrap();
}

fn api(actions: &[&str]) -> String {
    let actions: Vec<String> = actions
        .iter()
        .map(|a| format!(r#""{a}": {{"document": "用于{a}", "input": "{a}Request", "name": "{a}", "output": "{a}Response", "status": "online"}}"#))
        .collect();
    format!(
        r#"{{"version": "1.0", "metadata": {{"serviceShortName": "x"}}, "actions": {{{}}}, "objects": {{"ARequest": {{"members": [], "type": "object"}}}}}}"#,
        actions.join(", ")
    )
}

/// A folder with tccli 1.0 (cvm v20170312 and gaap v20180529) and tencentcloud-sdk-python 2.0
/// (cvm's error codes only).
fn chinese_site(site: &Path, cvm_api: &str) {
    let mut tccli = String::new();
    put(
        site,
        &mut tccli,
        "tccli/services/cvm/v20170312/api.json",
        cvm_api,
    );
    put(
        site,
        &mut tccli,
        "tccli/services/cvm/v20170312/examples.json",
        r#"{"actions": {"A": [{"title": "t", "input": "i", "output": "o", "document": ""}]}, "version": "1.0"}"#,
    );
    put(
        site,
        &mut tccli,
        "tccli/services/gaap/v20180529/api.json",
        &api(&["G"]),
    );
    put(site, &mut tccli, "tccli/services/__init__.py", "");
    dist_info(site, "tccli", "1.0", &tccli);
    let mut sdk = String::new();
    put(
        site,
        &mut sdk,
        "tencentcloud/cvm/v20170312/errorcodes.py",
        "# Licence\n\n# 操作失败。\nFAILEDOPERATION = 'FailedOperation'\n",
    );
    dist_info(site, "tencentcloud-sdk-python", "2.0", &sdk);
}

fn options(from: &Path, specs: &Path, services: &str) -> ImportOptions {
    ImportOptions {
        from: from.to_owned(),
        intl: None,
        services: Services::parse(services).unwrap(),
        specs_dir: specs.to_owned(),
    }
}

fn files_under(dir: &Path) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(next) = stack.pop() {
        for entry in std::fs::read_dir(&next).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                found.insert(
                    path.strip_prefix(dir)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/"),
                );
            }
        }
    }
    found
}

#[test]
fn import_copies_each_service_version_and_pins_every_file_it_read() {
    let site = tempfile::tempdir().unwrap();
    let specs = tempfile::tempdir().unwrap();
    let cvm_api = api(&["A", "B"]);
    chinese_site(site.path(), &cvm_api);
    let report = import::import(&options(site.path(), specs.path(), "all")).unwrap();

    let upstream = specs.path().join("upstream");
    assert_eq!(
        files_under(&upstream),
        BTreeSet::from(
            [
                "cvm/v20170312/api.json",
                "cvm/v20170312/errorcodes.json",
                "cvm/v20170312/examples.json",
                "gaap/v20180529/api.json",
                "manifest.json",
                "CHANGES.md"
            ]
            .map(str::to_owned)
        )
    );
    let cvm = &report.versions[0];
    assert_eq!(
        (cvm.service.as_str(), cvm.version.as_str()),
        ("cvm", "v20170312")
    );
    assert_eq!(
        (
            cvm.actions,
            cvm.objects,
            cvm.error_codes,
            cvm.examples,
            cvm.english
        ),
        (2, 1, 1, 1, false)
    );

    let manifest: Manifest =
        serde_json::from_slice(&std::fs::read(upstream.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(
        manifest.packages.get("tccli").map(String::as_str),
        Some("1.0")
    );
    assert_eq!(
        manifest
            .packages
            .get("tencentcloud-sdk-python")
            .map(String::as_str),
        Some("2.0")
    );
    let api_pin = &manifest.files["cvm/v20170312/api.json"];
    assert_eq!(api_pin.path, "tccli/services/cvm/v20170312/api.json");
    assert_eq!(
        api_pin.sha256,
        hex::encode(Sha256::digest(cvm_api.as_bytes()))
    );
    assert_eq!(
        manifest.files["cvm/v20170312/errorcodes.json"].package,
        "tencentcloud-sdk-python"
    );

    // What upstream wrote, values unchanged, in canonical form.
    let copied: serde_json::Value =
        serde_json::from_slice(&std::fs::read(upstream.join("cvm/v20170312/api.json")).unwrap())
            .unwrap();
    assert_eq!(
        copied,
        serde_json::from_str::<serde_json::Value>(&cvm_api).unwrap()
    );
    let codes = std::fs::read_to_string(upstream.join("cvm/v20170312/errorcodes.json")).unwrap();
    assert!(
        codes.contains("\"code\": \"FailedOperation\"") && codes.contains("操作失败。"),
        "{codes}"
    );
}

#[test]
fn importing_the_same_packages_twice_writes_nothing_the_second_time() {
    let site = tempfile::tempdir().unwrap();
    let specs = tempfile::tempdir().unwrap();
    chinese_site(site.path(), &api(&["A"]));
    let first = import::import(&options(site.path(), specs.path(), "all")).unwrap();
    let before = std::fs::read(specs.path().join("upstream/manifest.json")).unwrap();
    let second = import::import(&options(site.path(), specs.path(), "all")).unwrap();
    assert_eq!(
        (
            first.written,
            second.written,
            second.unchanged,
            second.removed
        ),
        (5, 0, 5, 0)
    );
    assert_eq!(
        before,
        std::fs::read(specs.path().join("upstream/manifest.json")).unwrap()
    );
    let report = std::fs::read_to_string(&second.report_file).unwrap();
    assert!(
        report.starts_with(
            "# Upstream changes at tccli 1.0, tencentcloud-sdk-python 2.0 (the same pin,"
        ),
        "{report}"
    );
}

#[test]
fn one_changed_upstream_document_changes_one_line_of_one_file() {
    let site = tempfile::tempdir().unwrap();
    let specs = tempfile::tempdir().unwrap();
    chinese_site(site.path(), &api(&["A", "B"]));
    import::import(&options(site.path(), specs.path(), "all")).unwrap();
    let path = specs.path().join("upstream/cvm/v20170312/api.json");
    let before = std::fs::read_to_string(&path).unwrap();

    chinese_site(
        site.path(),
        &api(&["A", "B"]).replace("用于B", "用于B，已更新"),
    );
    let report = import::import(&options(site.path(), specs.path(), "all")).unwrap();
    let after = std::fs::read_to_string(&path).unwrap();
    // The api.json and the manifest's sha256 of it.
    assert_eq!(report.written, 2);
    let changed: Vec<(&str, &str)> = before
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert!(changed[0].1.contains("已更新"));
}

#[test]
fn importing_some_services_keeps_the_others_and_drops_versions_upstream_removed() {
    let site = tempfile::tempdir().unwrap();
    let specs = tempfile::tempdir().unwrap();
    chinese_site(site.path(), &api(&["A"]));
    import::import(&options(site.path(), specs.path(), "all")).unwrap();

    std::fs::remove_dir_all(site.path().join("tccli/services/cvm/v20170312")).unwrap();
    let mut record = String::new();
    put(
        site.path(),
        &mut record,
        "tccli/services/cvm/v20250101/api.json",
        &api(&["New"]),
    );
    let tccli_record = site.path().join("tccli-1.0.dist-info/RECORD");
    let old = std::fs::read_to_string(&tccli_record).unwrap();
    std::fs::write(&tccli_record, old + &record).unwrap();

    let report = import::import(&options(site.path(), specs.path(), "cvm")).unwrap();
    assert_eq!(report.versions.len(), 1);
    let files = files_under(&specs.path().join("upstream"));
    assert!(files.contains("gaap/v20180529/api.json"), "{files:?}");
    assert!(files.contains("cvm/v20250101/api.json"), "{files:?}");
    assert!(
        !files.iter().any(|f| f.starts_with("cvm/v20170312")),
        "{files:?}"
    );
    let manifest: Manifest = serde_json::from_slice(
        &std::fs::read(specs.path().join("upstream/manifest.json")).unwrap(),
    )
    .unwrap();
    assert!(manifest.files.contains_key("gaap/v20180529/api.json"));
    assert!(
        !manifest
            .files
            .keys()
            .any(|f| f.starts_with("cvm/v20170312"))
    );
    // The error codes belonged to the removed version only: that package is no longer pinned.
    assert!(!manifest.packages.contains_key("tencentcloud-sdk-python"));
}

#[test]
fn english_editions_are_written_beside_the_chinese_ones() {
    let site = tempfile::tempdir().unwrap();
    let intl = tempfile::tempdir().unwrap();
    let specs = tempfile::tempdir().unwrap();
    chinese_site(site.path(), &api(&["A"]));
    let mut record = String::new();
    put(
        intl.path(),
        &mut record,
        "tccli/services/cvm/v20170312/api.json",
        &api(&["A"]).replace("用于A", "Used for A"),
    );
    dist_info(intl.path(), "tccli-intl-en", "1.1", &record);
    let mut options = options(site.path(), specs.path(), "cvm,gaap");
    options.intl = Some(intl.path().to_owned());
    let report = import::import(&options).unwrap();
    assert_eq!(
        report
            .versions
            .iter()
            .map(|v| v.english)
            .collect::<Vec<_>>(),
        [true, false]
    );
    let english =
        std::fs::read_to_string(specs.path().join("upstream/cvm/v20170312/api.en.json")).unwrap();
    assert!(english.contains("Used for A"));
    let manifest: Manifest = serde_json::from_slice(
        &std::fs::read(specs.path().join("upstream/manifest.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        manifest.files["cvm/v20170312/api.en.json"].package,
        "tccli-intl-en"
    );
}

fn import_error(site: &Path, services: &str) -> String {
    let specs = tempfile::tempdir().unwrap();
    let err = import::import(&options(site, specs.path(), services)).unwrap_err();
    // A failed import writes nothing.
    assert!(!specs.path().join("upstream").exists(), "{err}");
    err.to_string()
}

#[test]
fn broken_upstream_files_are_errors_naming_the_file_and_nothing_is_written() {
    let site = tempfile::tempdir().unwrap();
    chinese_site(site.path(), "{\"actions\": {");
    let err = import_error(site.path(), "all");
    assert!(
        err.contains("cvm/v20170312/api.json") && err.contains("not JSON"),
        "{err}"
    );

    chinese_site(site.path(), "{\"actions\": {}}");
    let err = import_error(site.path(), "all");
    assert!(err.contains("has no `objects` object"), "{err}");

    chinese_site(site.path(), &api(&["A"]));
    std::fs::write(
        site.path().join("tencentcloud/cvm/v20170312/errorcodes.py"),
        "A = 'A'\nraise SystemExit\n",
    )
    .unwrap();
    let err = import_error(site.path(), "all");
    assert!(err.contains("errorcodes.py: line 2:"), "{err}");
}

#[test]
fn files_no_package_owns_and_unknown_services_are_refused_with_the_reason() {
    let site = tempfile::tempdir().unwrap();
    chinese_site(site.path(), &api(&["A"]));
    let err = import_error(site.path(), "cvm,nosuch");
    assert!(err.contains("service `nosuch` is not in"), "{err}");

    std::fs::write(site.path().join("tccli-1.0.dist-info/RECORD"), "").unwrap();
    let err = import_error(site.path(), "cvm");
    assert!(err.contains("no package's RECORD lists this file"), "{err}");

    let empty = tempfile::tempdir().unwrap();
    let err = import_error(empty.path(), "all");
    assert!(err.contains("holds no tccli/services/"), "{err}");
    assert!(Services::parse("cvm,Bad").is_err() && Services::parse(" , ").is_err());
}

#[test]
fn a_partial_import_from_other_package_versions_is_refused() {
    let site = tempfile::tempdir().unwrap();
    let specs = tempfile::tempdir().unwrap();
    chinese_site(site.path(), &api(&["A"]));
    import::import(&options(site.path(), specs.path(), "all")).unwrap();
    let metadata = site.path().join("tccli-1.0.dist-info/METADATA");
    std::fs::write(&metadata, "Name: tccli\nVersion: 1.1\n").unwrap();
    let err = import::import(&options(site.path(), specs.path(), "cvm")).unwrap_err();
    assert!(matches!(err, ImportError::Usage(_)));
    assert!(
        err.to_string()
            .contains("mix versions 1.0 and 1.1 of tccli"),
        "{err}"
    );
    assert!(import::import(&options(site.path(), specs.path(), "all")).is_ok());
}

/// A site holding one real service version, aai 2018-05-22 as the workspace pins it, under tccli
/// `version`, its `api.json` passed through `edit`.
fn real_site(site: &Path, version: &str, edit: impl Fn(&mut serde_json::Value)) {
    let pinned = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/upstream/aai/v20180522");
    let mut api: serde_json::Value =
        serde_json::from_slice(&std::fs::read(pinned.join("api.json")).unwrap()).unwrap();
    edit(&mut api);
    let mut tccli = String::new();
    put(
        site,
        &mut tccli,
        "tccli/services/aai/v20180522/api.json",
        &api.to_string(),
    );
    dist_info(site, "tccli", version, &tccli);
    let mut sdk = String::new();
    put(site, &mut sdk, "tencentcloud/__init__.py", "");
    dist_info(site, "tencentcloud-sdk-python", "2.0", &sdk);
}

#[test]
fn an_update_reports_its_changes_and_gives_the_changed_crates_a_release() {
    let specs = tempfile::tempdir().unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/common.json"),
        specs.path().join("common.json"),
    )
    .unwrap();
    let first = tempfile::tempdir().unwrap();
    real_site(first.path(), "1.0", |_| {});
    let report = import::import(&options(first.path(), specs.path(), "all")).unwrap();
    assert_eq!(report.changes.len(), 1, "{:?}", report.changes);
    assert_eq!(
        report.changes[0].changes[0].text,
        "API version added, with 4 actions"
    );
    assert!(
        !specs.path().join("upstream/releases.json").exists(),
        "a new service starts at the base version"
    );

    let second = tempfile::tempdir().unwrap();
    real_site(second.path(), "1.1", |api| {
        api["actions"].as_object_mut().unwrap().remove("Chat");
        api["objects"]["TextToVoiceRequest"]["members"]
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!({
                "name": "Accent", "type": "string", "member": "string", "required": false,
                "document": "口音。", "example": "zh"
            }));
    });
    let report = import::import(&options(second.path(), specs.path(), "all")).unwrap();
    assert_eq!(
        report.changes.len(),
        1,
        "{:?} {:?}",
        report.changes,
        report.uncompared
    );
    let aai = &report.changes[0];
    assert!(aai.is_breaking(), "{aai:?}");
    let texts: Vec<(bool, &str)> = aai
        .changes
        .iter()
        .map(|c| (c.breaking, c.text.as_str()))
        .collect();
    assert!(
        texts.contains(&(true, "action `Chat` removed")),
        "{texts:?}"
    );
    assert!(
        texts.contains(&(false, "`TextToVoiceRequest.Accent` added")),
        "{texts:?}"
    );
    let written = std::fs::read_to_string(&report.report_file).unwrap();
    assert!(
        written.starts_with("# Upstream changes: tccli 1.0 → tccli 1.1\n"),
        "{written}"
    );
    assert!(
        written.contains("## aai 2018-05-22 (breaking)"),
        "{written}"
    );

    let files = tencentcloud_codegen::generate_dir(specs.path()).unwrap();
    assert!(
        files["services/aai/Cargo.toml"].contains("\nversion = \"0.2.0\"\n"),
        "{}",
        files["services/aai/Cargo.toml"]
    );
    assert!(
        files["sdk/Cargo.toml"].contains(
            "tencentcloud-sdk-aai = { path = \"../services/aai\", version = \"0.2.0\", optional = true }"
        ),
        "{}",
        files["sdk/Cargo.toml"]
    );
    let changelog = &files["services/aai/CHANGELOG.md"];
    assert!(
        changelog.contains("## 0.2.0 (breaking)\n\nFrom tccli 1.1.")
            && changelog.contains("- **breaking**: action `Chat` removed"),
        "{changelog}"
    );
}
