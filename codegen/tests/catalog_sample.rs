//! The catalog command on its CI sample (`tests/catalog-sample/`: five services of different
//! shapes, imported from the pinned packages): generated into a scratch workspace beside the
//! real runtime, every crate and its tests build, every answer upstream documents for them is
//! read by its output type, and the report counts what was generated.

use std::path::Path;

use tencentcloud_codegen::catalog::{self, CatalogOptions, Source};

#[test]
fn the_sample_services_generate_build_and_read_every_documented_answer() {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let options = CatalogOptions {
        source: Source::Specs(manifest_dir.join("tests/catalog-sample")),
        repository: manifest_dir.parent().unwrap().to_path_buf(),
        work: Path::new(env!("CARGO_TARGET_TMPDIR")).join("catalog-sample"),
        // Shared with `nested_types`, so the dependencies' build scripts and proc macros are
        // built once for both.
        check: Some(Path::new(env!("CARGO_TARGET_TMPDIR")).join("scratch-target")),
        answers: true,
    };
    let mut printed = vec![catalog::TABLE_HEADER.to_owned()];
    let report = catalog::run(&options, &mut |row| printed.push(catalog::table_row(row))).unwrap();
    println!("{}\n\n{}", printed.join("\n"), catalog::totals(&report));

    let shared = report.shared_check.as_ref().unwrap();
    assert_eq!(shared.failure, None, "the runtime and the common crate");
    // Building the answers tests compiles every library and test, so nothing is checked apart.
    assert!(report.tests_check.is_none());
    let services: Vec<(&str, usize)> = report
        .services
        .iter()
        .map(|row| (row.service.as_str(), row.versions))
        .collect();
    assert_eq!(
        services,
        [
            ("facefusion", 2),
            ("tbaas", 1),
            ("tiia", 1),
            ("trp", 1),
            ("yunsou", 2)
        ]
    );
    for row in &report.services {
        assert!(row.check.is_none(), "{}", row.crate_name);
        assert!(row.actions > 0 && row.lines > row.actions, "{row:?}");
    }
    let answers = report.answers.as_ref().unwrap();
    assert_eq!(
        answers.run.as_ref().unwrap().failure,
        None,
        "the answers tests"
    );
    assert_eq!(answers.crates, 5, "every crate reports its answers");
    assert!(
        answers.answers > 0 && answers.read == answers.answers,
        "{answers:?}"
    );
    assert_eq!(answers.lost, 0, "{answers:?}");
    assert_eq!(report.failed(), 0);
    // Each batch's crates and test binaries are deleted once read, so a catalog fits on disk.
    let deps = options.check.as_ref().unwrap().join("debug/deps");
    let left: Vec<String> = std::fs::read_dir(&deps)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("tencentcloud_sdk_tiia") || name.starts_with("examples-"))
        .collect();
    assert_eq!(left, Vec::<String>::new(), "{}", deps.display());
    let table = catalog::totals(&report);
    assert!(
        table.starts_with("5 services, 7 service versions, "),
        "{table}"
    );
}

#[test]
fn packages_other_than_the_pinned_ones_are_refused() {
    let scratch = tempfile::tempdir().unwrap();
    let repository = scratch.path().join("repository");
    let pinned = r#"{"packages": {"tccli": "3.1.189.1"}, "files": {}}"#;
    std::fs::create_dir_all(repository.join("specs/upstream")).unwrap();
    std::fs::write(repository.join("specs/upstream/manifest.json"), pinned).unwrap();
    let error = catalog::check_pin(&repository.join("specs"), &{
        let imported = scratch.path().join("imported");
        std::fs::create_dir_all(imported.join("upstream")).unwrap();
        std::fs::write(
            imported.join("upstream/manifest.json"),
            r#"{"packages": {"tccli": "3.1.200.1"}, "files": {}}"#,
        )
        .unwrap();
        imported
    })
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "the packages are not the pinned ones: tccli 3.1.200.1 (the repository pins 3.1.189.1); \
         fetch them with scripts/catalog.sh"
    );
}

#[test]
fn the_answer_figures_of_every_crate_add_up() {
    let mut answers = catalog::Answers::default();
    assert!(answers.add_summary(
        "answers 10 read 10 lost 0 unread 3 in 2; not-json 1; rule NumberFromString 4; rule UnknownMember 2"
    ));
    assert!(
        answers.add_summary(
            "answers 5 read 4 lost 1 unread 0 in 0; not-json 0; rule NumberFromString 1"
        )
    );
    assert!(
        !answers
            .add_summary("test documented_example_answers_are_read_by_their_output_types ... ok")
    );
    assert_eq!(
        (
            answers.crates,
            answers.answers,
            answers.read,
            answers.lost,
            answers.unread
        ),
        (2, 15, 14, 1, 3)
    );
    assert_eq!((answers.answers_with_unread, answers.not_json), (2, 1));
    assert_eq!(answers.rules["NumberFromString"], 5);
    assert_eq!(answers.rules["UnknownMember"], 2);
}
