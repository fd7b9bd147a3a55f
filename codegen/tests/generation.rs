//! The committed `generated/` crate matches the specs, generation is deterministic, and a spec
//! change touches only the files generated from what changed.
//!
//! The whole catalog is generated once, for the checks that must see every file; the tests that
//! edit specs or run the command line work on a copy of three services, whose generated files
//! are the same as in the whole catalog.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::LazyLock;

use tencentcloud_codegen::{Files, generate_dir, names, write};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn specs() -> PathBuf {
    workspace().join("specs")
}

/// The services the editing and command-line tests work on: one of each shape the seeds cover.
const SAMPLE: [&str; 3] = ["cvm", "gaap", "vpc"];

/// A copy of the workspace's common codes and the sample services' specs (overlays and
/// upstream) in a temporary directory, to edit freely.
fn specs_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let from = specs();
    std::fs::copy(from.join("common.json"), dir.path().join("common.json")).unwrap();
    for service in SAMPLE {
        copy_dir(&from.join(service), &dir.path().join(service));
        copy_dir(
            &from.join("upstream").join(service),
            &dir.path().join("upstream").join(service),
        );
    }
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Replaces the one occurrence of `from` in `path`.
fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert_eq!(
        text.matches(from).count(),
        1,
        "`{from}` must occur once in {}",
        path.display()
    );
    std::fs::write(path, text.replace(from, to)).unwrap();
}

/// The SDK generated from the workspace specs, once for every test that reads it.
static GENERATED: LazyLock<Files> = LazyLock::new(|| generate_dir(&specs()).unwrap());

/// The SDK generated from [`specs_copy`] before any edit.
static SAMPLE_GENERATED: LazyLock<Files> =
    LazyLock::new(|| generate_dir(specs_copy().path()).unwrap());

fn is_sample_service_file(path: &str) -> bool {
    SAMPLE
        .iter()
        .any(|service| path.starts_with(&format!("services/{service}/")))
}

#[test]
fn generated_is_up_to_date() {
    let files = &*GENERATED;
    let differences = write::check(&workspace().join("generated"), files).unwrap();
    let listing: Vec<String> = differences
        .iter()
        .map(|(path, difference)| format!("  generated/{path} {}", difference.describe()))
        .collect();
    assert!(
        differences.is_empty(),
        "generated/ is out of date; run `cargo run -p tencentcloud-codegen`:\n{}",
        listing.join("\n")
    );
}

#[test]
fn generating_twice_gives_identical_bytes() {
    assert_eq!(
        *SAMPLE_GENERATED,
        generate_dir(specs_copy().path()).unwrap()
    );
}

/// A service's crate is generated from its own specs alone: adding or removing other services
/// leaves its files as they are, so an upstream update's diff stays with the services it touched.
#[test]
fn a_service_crate_does_not_depend_on_which_other_services_are_present() {
    let mut compared = 0;
    for (path, contents) in SAMPLE_GENERATED
        .iter()
        .filter(|(path, _)| is_sample_service_file(path) || path.starts_with("common/"))
    {
        assert_eq!(Some(contents), GENERATED.get(path), "{path}");
        compared += 1;
    }
    assert!(compared > 1500, "{compared} files");
}

/// The generator lexes what it prints; the grammar is checked here: every file of the sample
/// services, the facade and the common crate, and every service crate's files other than its
/// actions and structures (which the sample's cover, printed by the same code).
#[test]
fn generated_rust_files_parse() {
    let mut parsed = 0;
    for (path, contents) in GENERATED.iter().filter(|(path, _)| {
        path.ends_with(".rs")
            && (is_sample_service_file(path)
                || !path.starts_with("services/")
                || path.ends_with("/lib.rs")
                || path.ends_with("/mod.rs")
                || path.ends_with("/errors.rs"))
    }) {
        if let Err(err) = syn::parse_file(contents) {
            panic!("{path} is not Rust: {err}");
        }
        parsed += 1;
    }
    assert!(parsed > 1500, "{parsed} files");
}

#[test]
fn generated_files_carry_the_header_and_no_absolute_paths() {
    let files = &*GENERATED;
    let workspace = workspace().display().to_string();
    for (path, contents) in files {
        let first_line = contents.lines().next().unwrap();
        let (comment, end) = if path.ends_with(".toml") || path.ends_with(".gitattributes") {
            ("#", "")
        } else if path.ends_with(".md") {
            ("<!--", " -->")
        } else {
            ("//", "")
        };
        // No version: a generator that prints the same code leaves every file unchanged.
        let prefix = format!("{comment} @generated by tencentcloud-codegen from specs/");
        assert!(first_line.starts_with(&prefix), "{path}: {first_line}");
        assert!(
            first_line.ends_with(&format!(". Do not edit.{end}")),
            "{path}: {first_line}"
        );
        assert!(
            !contents.contains(&workspace),
            "{path} mentions the absolute path {workspace}"
        );
    }
    let action = &files["services/gaap/src/v20180529/destroy_proxies.rs"];
    assert!(
        action.starts_with(
            "// @generated by tencentcloud-codegen from specs/gaap/2018-05-29.json (sha256 "
        ),
        "{action}"
    );
}

/// Regenerates after replacing `from` by `to` in the spec file `relative`; returns the paths
/// of the generated files that changed, and the files generated after the edit.
fn changed_by_edit(relative: &str, from: &str, to: &str) -> (BTreeSet<String>, Files) {
    let before = &*SAMPLE_GENERATED;
    let copy = specs_copy();
    edit(&copy.path().join(relative), from, to);
    let after = generate_dir(copy.path()).unwrap();
    let changed = before
        .keys()
        .chain(after.keys())
        .filter(|path| before.get(*path) != after.get(*path))
        .cloned()
        .collect();
    (changed, after)
}

#[test]
fn a_one_line_description_change_touches_only_that_actions_file() {
    let (changed, after) = changed_by_edit(
        "gaap/2018-05-29.json",
        "List of connection instance IDs; It's a new parameter.",
        "List of connection instance IDs (new parameter).",
    );
    let expected = "services/gaap/src/v20180529/destroy_proxies.rs".to_owned();
    assert_eq!(changed, BTreeSet::from([expected.clone()]));
    assert!(after[&expected].contains("/// List of connection instance IDs (new parameter)."));
}

#[test]
fn one_upstream_member_document_changed_touches_one_generated_file() {
    let (changed, after) = changed_by_edit(
        "upstream/vpc/v20170312/api.en.json",
        "Each request supports a maximum of 100 instances. `VpcIds` and `Filters` cannot be specified at the same time.",
        "At most 100 instances per request; not together with `Filters`.",
    );
    let expected = "services/vpc/src/v20170312/describe_vpcs.rs".to_owned();
    assert_eq!(changed, BTreeSet::from([expected.clone()]));
    assert!(after[&expected].contains("At most 100 instances per request"));
}

fn codegen(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_tencentcloud-codegen"))
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn cli_generates_reports_per_service_and_checks_for_staleness() {
    let copy = specs_copy();
    let out = tempfile::tempdir().unwrap();
    let specs_arg = copy.path().to_str().unwrap();
    let out_arg = out.path().to_str().unwrap();

    let (code, stdout, stderr) = codegen(&["--specs", specs_arg, "--out", out_arg, "--check"]);
    assert_eq!(code, 1, "empty output is stale: {stdout}{stderr}");
    assert!(stderr.contains("sdk/src/lib.rs is missing"), "{stderr}");

    let (code, stdout, stderr) = codegen(&["--specs", specs_arg, "--out", out_arg]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("cvm 2017-03-12: 106 actions, 74 objects, 415 error codes; 290 files written, 0 unchanged, 0 removed"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "gaap 2018-05-29: 102 actions, 46 objects, 76 error codes; 252 files written"
        ),
        "{stdout}"
    );

    let (code, stdout, stderr) = codegen(&["--specs", specs_arg, "--out", out_arg, "--check"]);
    assert_eq!(code, 0, "{stdout}{stderr}");

    edit(
        &copy.path().join("vpc/2017-03-12.json"),
        "The ID of the VPN gateway instance.",
        "The ID of the VPN gateway.",
    );
    let (code, _, stderr) = codegen(&["--specs", specs_arg, "--out", out_arg, "--check"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(
            "services/vpc/src/v20170312/delete_vpn_connection.rs differs from what the specs produce"
        ),
        "{stderr}"
    );
    assert_eq!(
        stderr.lines().count(),
        2,
        "only that file is listed: {stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "run `cargo run -p tencentcloud-codegen -- --specs {specs_arg} --out {out_arg}`"
        )),
        "the hint regenerates the same directories: {stderr}"
    );

    let (code, stdout, _) = codegen(&["--specs", specs_arg, "--out", out_arg]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("vpc 2017-03-12: 448 actions, 185 objects, 541 error codes; 1 file written, 1079 unchanged, 0 removed"),
        "{stdout}"
    );
}

#[test]
fn cli_removes_the_files_of_a_spec_that_disappeared() {
    let copy = specs_copy();
    let out = tempfile::tempdir().unwrap();
    let specs_arg = copy.path().to_str().unwrap();
    let out_arg = out.path().to_str().unwrap();
    assert_eq!(codegen(&["--specs", specs_arg, "--out", out_arg]).0, 0);
    std::fs::remove_dir_all(copy.path().join("vpc")).unwrap();
    std::fs::remove_dir_all(copy.path().join("upstream/vpc")).unwrap();

    let (code, _, stderr) = codegen(&["--specs", specs_arg, "--out", out_arg, "--check"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("services/vpc/src/lib.rs is stale: its spec is gone"),
        "{stderr}"
    );

    let (code, stdout, stderr) = codegen(&["--specs", specs_arg, "--out", out_arg]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains(
            "services/vpc/src/v20170312/ (its spec is gone): 0 files written, 0 unchanged, 1080 removed"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "crate files (manifests, lib.rs files, the common crate): 3 files written, 13 unchanged, 4 removed"
        ),
        "{stdout}"
    );
    assert!(!out.path().join("services/vpc").exists());
    let lib = std::fs::read_to_string(out.path().join("sdk/src/lib.rs")).unwrap();
    assert!(!lib.contains("tencentcloud_sdk_vpc"), "{lib}");
}

#[test]
fn cli_reports_broken_specs_with_exit_code_2() {
    let copy = specs_copy();
    edit(
        &copy.path().join("cvm/2017-03-12.json"),
        "\"maxItems\": 100",
        "\"maxItems\": \"100\"",
    );
    let out = tempfile::tempdir().unwrap();
    let (code, _, stderr) = codegen(&[
        "--specs",
        copy.path().to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("cvm/2017-03-12.json: $.objects.TerminateInstancesRequest.members[0].maxItems: expected a non-negative integer"), "{stderr}");
    assert!(
        std::fs::read_dir(out.path()).unwrap().next().is_none(),
        "nothing written"
    );
}

/// `text`'s letters and digits alone: what survives escaping, paragraphs and line breaks.
fn words(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// The words of the doc comments of one generated file.
fn doc_words(contents: &str) -> String {
    contents
        .lines()
        .filter(|line| {
            let line = line.trim_start();
            line.starts_with("///") || line.starts_with("//!")
        })
        .map(words)
        .collect()
}

/// Nothing Tencent documents about a member is lost on its way into the generated docs: every
/// member's document (upstream's, or an overlay's) appears in the docs of the file that declares
/// it (its action's, or its structure's), word for word once escaping and line breaks are set
/// aside.
#[test]
fn every_members_document_appears_in_the_generated_docs() {
    let specs = tencentcloud_codegen::load::load_dir(&specs()).unwrap();
    let mut checked = 0;
    for loaded in &specs.services {
        let spec = &loaded.spec;
        let service = &spec.metadata.service_short_name;
        let version = names::version_module(&spec.metadata.api_version);
        let prefix = format!("services/{service}/src/{version}/");
        let docs_of = |file: String| -> Option<String> {
            GENERATED
                .get(&format!("{prefix}{file}"))
                .map(|contents| doc_words(contents))
        };
        for (name, object) in &spec.objects {
            let declaring: Vec<String> = spec
                .actions
                .iter()
                .filter(|(_, action)| action.input == *name || action.output == *name)
                .map(|(action, _)| format!("{}.rs", names::action_module(action)))
                .collect();
            let docs: Vec<String> = if declaring.is_empty() {
                // Structures no action reaches are not generated.
                let type_file = format!("{}/{}.rs", names::TYPES_MODULE, names::snake(name, &[]));
                docs_of(type_file).into_iter().collect()
            } else {
                declaring
                    .into_iter()
                    .map(|file| docs_of(file).unwrap_or_else(|| panic!("{prefix}: no {name}")))
                    .collect()
            };
            for docs in &docs {
                for member in object
                    .members
                    .iter()
                    .filter(|m| !m.document.trim().is_empty())
                {
                    assert!(
                        docs.contains(&words(&member.document)),
                        "{}: {name}.{}: the document is not in the generated docs: {}",
                        loaded.path,
                        member.name,
                        member.document
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 5000, "{checked} member documents checked");
}

#[test]
fn streaming_actions_and_only_they_get_send_stream_which_asks_for_the_stream() {
    let file = |path: &str| {
        GENERATED
            .get(path)
            .unwrap_or_else(|| panic!("{path} generated"))
    };
    let chat = file("services/hunyuan/src/v20230901/chat_completions.rs");
    assert!(chat.contains("pub fn send_stream(mut self)"), "{chat}");
    assert!(chat.contains("self.request.stream = Some(true);"));
    assert!(chat.contains(r#"super::SERVICE.send_stream(None, self.client, "ChatCompletions","#));
    assert!(
        chat.contains("read it with `send_stream()`"),
        "send() says so"
    );
    // Without a `Stream` switch the service streams on its own; es's goes to its own host.
    let speech = file("services/trtc/src/v20190722/text_to_speech_sse.rs");
    assert!(speech.contains("pub fn send_stream(self)"), "{speech}");
    let es = file("services/es/src/v20250101/chat_completions.rs");
    assert!(
        es.contains(r#"super::SERVICE.send_stream(Some("es.ai"), self.client, "ChatCompletions","#)
    );
    let embedding = file("services/hunyuan/src/v20230901/get_embedding.rs");
    assert!(
        !embedding.contains("send_stream"),
        "a non-streaming action has none"
    );
    let streaming = GENERATED
        .iter()
        .filter(|(_, text)| text.contains("pub fn send_stream("))
        .count();
    assert_eq!(
        streaming, 27,
        "the actions the official SDK reads as events"
    );
}

#[test]
fn paged_actions_get_into_paginator_with_their_rule_and_others_do_not() {
    let file = |path: &str| {
        GENERATED
            .get(path)
            .unwrap_or_else(|| panic!("{path} generated"))
    };
    let instances = file("services/cvm/src/v20170312/describe_instances.rs");
    for expected in [
        "pub fn into_paginator(self) -> tencentcloud_runtime::Paginator<DescribeInstancesOutput, super::types::Instance, DescribeInstancesError>",
        "rule: tencentcloud_runtime::__private::PagingRule::Offset,",
        "items: &[\"InstanceSet\"],",
        "total: Some(&[\"TotalCount\"]),",
        "output.instance_set",
    ] {
        assert!(instances.contains(expected), "missing `{expected}`");
    }
    // Paging members inside a request object, the items chosen over filter-option lists.
    let assets = file("services/csip/src/v20221121/describe_vpc_assets.rs");
    assert!(
        assets.contains("position: &[\"Filter\", \"Offset\"],"),
        "{assets}"
    );
    assert!(assets.contains("items: &[\"Data\"],"));
    // vpc's `Offset` and `Limit` are strings.
    let vpcs = file("services/vpc/src/v20170312/describe_vpcs.rs");
    assert!(vpcs.contains("position_as_text: true,") && vpcs.contains("size_as_text: true,"));
    let terminate = file("services/cvm/src/v20170312/terminate_instances.rs");
    assert!(!terminate.contains("into_paginator"));
    let paged = GENERATED
        .values()
        .filter(|text| text.contains("pub fn into_paginator("))
        .count();
    assert!(paged >= 2_700, "{paged} paged actions");
}

#[test]
fn actions_on_a_host_of_their_own_are_sent_there_and_uploads_are_refused_before_sending() {
    let file = |path: &str| {
        GENERATED
            .get(path)
            .unwrap_or_else(|| panic!("{path} generated"))
    };
    // The official Python SDK's client names es's host; cls's document tells callers to set it.
    let es = file("services/es/src/v20250101/chat_completions.rs");
    assert!(
        es.contains(r#"super::SERVICE.send(Some("es.ai"), self.client, "ChatCompletions","#),
        "{es}"
    );
    assert!(es.contains("- Endpoint: `es.ai.tencentcloudapi.com` (this action's own host"));
    let cls = file("services/cls/src/v20201016/chat_completions.rs");
    assert!(cls.contains(r#"send(Some("cls.ai"), "#), "{cls}");
    let terminate = file("services/cvm/src/v20170312/terminate_instances.rs");
    assert!(terminate.contains(r#"super::SERVICE.send(None, self.client, "TerminateInstances","#));

    let upload = file("services/cii/src/v20210408/describe_quality_score.rs");
    assert!(
        upload.contains(r#"tencentcloud_runtime::__private::validate::multipart_upload("File")?;"#),
        "{upload}"
    );
    assert!(upload.contains("- Upload: `File` makes this a `multipart/form-data` upload"));
}
