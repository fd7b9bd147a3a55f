//! `cargo run -p tencentcloud-codegen [-- --check] [--specs DIR] [--out DIR]`: regenerates the SDK
//! crate from the specs, or checks that it is up to date.
//! `cargo run -p tencentcloud-codegen -- import --from DIR [--intl DIR] --services LIST`: brings
//! Tencent's published API description into `specs/upstream/`.
//! `cargo run --release -p tencentcloud-codegen -- catalog ...` (usually through
//! `scripts/catalog.sh`): the whole catalog generated and checked in a scratch folder.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

// Generating is allocation after allocation (tokens, syntax trees, strings) on every core; with
// glibc's allocator, malloc and free took as long as the generator's own code.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use tencentcloud_codegen::import::{self, ImportOptions, Services};
use tencentcloud_codegen::releases::Releases;
use tencentcloud_codegen::write::{self, Change};
use tencentcloud_codegen::{Files, GenerateError, catalog, load, model, plural};

/// Generate the typed Tencent Cloud Rust SDK (crate `tencentcloud-sdk` and one crate per service) from JSON API specs.
///
/// Validates every spec, then writes only the files whose content changed and removes generated
/// files whose spec disappeared. Prints one line per service version: its counts of actions,
/// objects and error codes, and its files written, unchanged and removed.
#[derive(Debug, Parser)]
#[command(
    version,
    after_help = "Examples:\n  \
        cargo run -p tencentcloud-codegen                  regenerate generated/ from specs/\n  \
        cargo run -p tencentcloud-codegen -- --check       CI: fail while generated/ is stale\n  \
        cargo run -p tencentcloud-codegen -- --specs DIR --out DIR\n  \
        cargo run -p tencentcloud-codegen -- import --from DIR --services cvm,vpc,gaap\n  \
        scripts/catalog.sh [--services LIST]            the whole catalog, generated and checked\n\n\
        Exit codes:\n  \
        0  generated (or, with --check, up to date)\n  \
        1  --check: files differ, are missing or are stale (listed on stderr)\n  \
        2  the specs have problems (each listed as `<file>: <JSON path>: <problem>`), or a\n     \
        file could not be read or written, or the command line is wrong\n\n\
        Spec format: specs/README.md"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Write nothing; exit 1 listing the files that differ, are missing or are stale.
    #[arg(long)]
    check: bool,
    /// Specs directory (default: `specs/` of the workspace).
    #[arg(long, value_name = "DIR", global = true)]
    specs: Option<PathBuf>,
    /// Output directory of the SDK crates (default: `generated/` of the workspace).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Copy Tencent's published API description (tccli's api.json and examples.json,
    /// tencentcloud-sdk-python's errorcodes.py) into `specs/upstream/`, pinned in
    /// `specs/upstream/manifest.json`. `specs/README.md` says how to fetch the packages.
    Import {
        /// Folder holding the `tccli` and `tencentcloud-sdk-python` packages as pip leaves them
        /// (a site-packages, or both wheels unzipped into one folder).
        #[arg(long, value_name = "DIR")]
        from: PathBuf,
        /// Folder holding the English editions, `tccli-intl-en` and
        /// `tencentcloud-sdk-python-intl-en`, likewise.
        #[arg(long, value_name = "DIR")]
        intl: Option<PathBuf>,
        /// `all`, or service short names separated by commas (`cvm,vpc,gaap`).
        #[arg(long, value_name = "LIST", value_parser = Services::parse)]
        services: Services,
    },
    /// Generate every service version of the pinned packages (imported into a scratch folder) or
    /// of `--specs` into a scratch workspace, `cargo check` each service crate, and print a
    /// Markdown table: per service its versions, actions, generated lines, generation and check
    /// time, then the totals; then check every crate's tests (the documented examples) in one
    /// run. Exit 1 when a crate or the tests fail their check.
    Catalog {
        /// Unpacked `tccli` and `tencentcloud-sdk-python` packages of the pinned versions
        /// (`scripts/catalog.sh` fetches them); without it, `--specs` is generated as it is.
        #[arg(long, value_name = "DIR")]
        from: Option<PathBuf>,
        /// Their English editions.
        #[arg(long, value_name = "DIR", requires = "from")]
        intl: Option<PathBuf>,
        /// With `--from`: `all` (the default), or service short names separated by commas.
        #[arg(long, value_name = "LIST", value_parser = Services::parse, requires = "from")]
        services: Option<Services>,
        /// Scratch folder (`specs/`, `workspace/`, `target/`; default `target/catalog/` of the
        /// workspace); kept, so a rerun checks incrementally.
        #[arg(long, value_name = "DIR")]
        work: Option<PathBuf>,
        /// Generate only; do not run `cargo check`.
        #[arg(long)]
        no_check: bool,
        /// Instead of checking each crate, build and run every crate's example tests (a batch
        /// of crates at a time, each batch's artifacts deleted after it), which read each answer
        /// upstream documents by its action's output type, and print the totals.
        #[arg(long, conflicts_with = "no_check")]
        answers: bool,
    },
}

/// The workspace root: the current directory when it holds `specs/`, otherwise the parent of this
/// crate's manifest directory (so `cargo run` works from anywhere in the workspace).
fn workspace_root() -> PathBuf {
    match std::env::current_dir() {
        Ok(dir) if dir.join("specs").is_dir() => dir,
        _ => Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let regenerate = regenerate_command(&cli);
    let root = workspace_root();
    let specs_dir = cli.specs.unwrap_or_else(|| root.join("specs"));
    if let Some(Command::Import {
        from,
        intl,
        services,
    }) = cli.command
    {
        return run_import(ImportOptions {
            from,
            intl,
            services,
            specs_dir,
        });
    }
    if let Some(Command::Catalog {
        from,
        intl,
        services,
        work,
        no_check,
        answers,
    }) = cli.command
    {
        let source = match from {
            Some(from) => catalog::Source::Packages {
                from,
                intl,
                services: services.unwrap_or(Services::All),
            },
            None => catalog::Source::Specs(specs_dir),
        };
        let work = work.unwrap_or_else(|| root.join("target").join("catalog"));
        // cargo runs in the scratch workspace: a relative folder would mean another place there.
        let work = std::path::absolute(&work).unwrap_or(work);
        return run_catalog(&catalog::CatalogOptions {
            source,
            repository: root,
            check: (!no_check).then(|| work.join("target")),
            answers,
            work,
        });
    }
    let out_dir = cli.out.unwrap_or_else(|| root.join("generated"));
    let specs = match load::load_dir(&specs_dir) {
        Ok(specs) => specs,
        Err(problems) => {
            eprintln!(
                "error: {} problem(s) in {}:\n{problems}",
                problems.problems().len(),
                specs_dir.display()
            );
            return ExitCode::from(2);
        }
    };
    let releases = match Releases::read(&specs_dir) {
        Ok(releases) => releases,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::from(2);
        }
    };
    let model = model::build(&specs, &releases);
    let files = match tencentcloud_codegen::emit::emit(&model) {
        Ok(files) => files,
        Err(err) => {
            eprintln!("error: {}", GenerateError::from(err));
            return ExitCode::from(2);
        }
    };
    if cli.check {
        check(&out_dir, &files, &regenerate)
    } else {
        generate(&out_dir, &files, &model, &specs_dir)
    }
}

fn run_catalog(options: &catalog::CatalogOptions) -> ExitCode {
    println!("{}", catalog::TABLE_HEADER);
    let outcome = catalog::run(options, &mut |row| {
        println!("{}", catalog::table_row(row));
        if let Some(failure) = row.check.as_ref().and_then(|c| c.failure.as_deref()) {
            eprintln!("{}: cargo check failed:\n{failure}", row.crate_name);
        }
    });
    match outcome {
        Ok(report) => {
            println!("\n{}", catalog::totals(&report));
            if let Some(failure) = report
                .shared_check
                .as_ref()
                .and_then(|c| c.failure.as_deref())
            {
                eprintln!("the runtime and common crate failed their check:\n{failure}");
            }
            if let Some(failure) = report
                .tests_check
                .as_ref()
                .and_then(|c| c.failure.as_deref())
            {
                eprintln!("the crates' tests failed their check:\n{failure}");
            }
            if report.failed() == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(2)
        }
    }
}

fn run_import(options: ImportOptions) -> ExitCode {
    let started = std::time::Instant::now();
    let report = match import::import(&options) {
        Ok(report) => report,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::from(2);
        }
    };
    let mut totals = (0, 0, 0, 0);
    for v in &report.versions {
        println!(
            "{} {}: {}, {}, {}, {}{}",
            v.service,
            v.version,
            plural(v.actions, "action"),
            plural(v.objects, "object"),
            plural(v.error_codes, "error code"),
            plural(v.examples, "example"),
            if v.english {
                "; English edition too"
            } else {
                ""
            }
        );
        totals.0 += v.actions;
        totals.1 += v.objects;
        totals.2 += v.error_codes;
        totals.3 += v.examples;
    }
    println!(
        "imported {} into {}: {}, {}, {}, {}; {} written, {} unchanged, {} removed, in {:.2?}",
        plural(report.versions.len(), "service version"),
        options.specs_dir.join(import::UPSTREAM_DIR).display(),
        plural(totals.0, "action"),
        plural(totals.1, "object"),
        plural(totals.2, "error code"),
        plural(totals.3, "example"),
        plural(report.written, "file"),
        report.unchanged,
        report.removed,
        started.elapsed()
    );
    let breaking = report.changes.iter().filter(|v| v.is_breaking()).count();
    println!(
        "changes for users of the generated crates: {} ({breaking} breaking), reported in {}",
        plural(report.changes.len(), "service version"),
        report.report_file.display()
    );
    let (resolutions, outcome) = import::convert_imported(&options.specs_dir);
    if !resolutions.is_empty() {
        println!(
            "resolved by the documented rules (specs/README.md), times applied:\n{resolutions}"
        );
    }
    match outcome {
        Ok(converted) => {
            println!(
                "{} of the specs load with no problem left, in {:.2?} in all",
                plural(converted, "service version"),
                started.elapsed()
            );
            ExitCode::SUCCESS
        }
        Err(problems) => {
            eprintln!(
                "error: {} problem(s) the rules leave unresolved:\n{problems}",
                problems.problems().len()
            );
            ExitCode::from(2)
        }
    }
}

/// The command that regenerates what `--check` found stale: the same directories, without `--check`.
fn regenerate_command(cli: &Cli) -> String {
    let mut command = "cargo run -p tencentcloud-codegen".to_owned();
    let dirs = [("--specs", &cli.specs), ("--out", &cli.out)];
    if dirs.iter().any(|(_, dir)| dir.is_some()) {
        command.push_str(" --");
    }
    for (flag, dir) in dirs {
        if let Some(dir) = dir {
            command.push_str(&format!(" {flag} {}", dir.display()));
        }
    }
    command
}

fn check(out_dir: &Path, files: &Files, regenerate: &str) -> ExitCode {
    match write::check(out_dir, files) {
        Ok(differences) if differences.is_empty() => {
            println!(
                "{} is up to date ({} files)",
                out_dir.display(),
                files.len()
            );
            ExitCode::SUCCESS
        }
        Ok(differences) => {
            eprintln!("{} is out of date; run `{regenerate}`:", out_dir.display());
            for (path, difference) in differences {
                eprintln!("  {path} {}", difference.describe());
            }
            ExitCode::from(1)
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(2)
        }
    }
}

#[derive(Default)]
struct Tally {
    /// Actions, nested structures and error codes of the service version (the common codes
    /// aside); `None` for crate-level files and for the directory of a service version whose
    /// spec is gone.
    counts: Option<(usize, usize, usize)>,
    written: usize,
    unchanged: usize,
    removed: usize,
}

/// Directory of the service version a generated file belongs to (`services/vpc/src/v20170312/`),
/// or `None` for a crate-level file (a `Cargo.toml`, a `lib.rs`, the common crate).
fn version_dir(path: &str) -> Option<String> {
    let parts: Vec<&str> = path.split('/').collect();
    match parts.as_slice() {
        [model::SERVICES_DIR, service, "src", version, _, ..]
        | [
            model::SERVICES_DIR,
            service,
            "tests",
            "examples",
            version,
            _,
            ..,
        ] => Some(format!("{}/{service}/src/{version}/", model::SERVICES_DIR)),
        _ => None,
    }
}

fn generate(
    out_dir: &Path,
    files: &Files,
    model: &model::CrateModel,
    specs_dir: &Path,
) -> ExitCode {
    let changes = match write::write(out_dir, files) {
        Ok(changes) => changes,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::from(2);
        }
    };
    // One line per service version, by directory; a directory whose spec is gone is reported
    // under its own name, so removed files are not mistaken for crate-level ones.
    let mut groups: BTreeMap<String, (String, Tally)> = BTreeMap::new();
    for service in &model.services {
        for version in &service.versions {
            let tally = Tally {
                counts: Some((
                    version.actions.len(),
                    version.types.len(),
                    version.errors.len(),
                )),
                ..Tally::default()
            };
            let label = format!("{} {}", version.service, version.api_version);
            groups.insert(format!("{}/", version.dir), (label, tally));
        }
    }
    let mut crate_level = Tally::default();
    for (path, change) in &changes {
        let tally = match version_dir(path) {
            Some(dir) => {
                let label = format!("{dir} (its spec is gone)");
                &mut groups
                    .entry(dir)
                    .or_insert_with(|| (label, Tally::default()))
                    .1
            }
            None => &mut crate_level,
        };
        match change {
            Change::Written => tally.written += 1,
            Change::Unchanged => tally.unchanged += 1,
            Change::Removed => tally.removed += 1,
        }
    }
    for (label, tally) in groups.values() {
        println!("{label}: {}", summary(tally));
    }
    println!(
        "crate files (manifests, lib.rs files, the common crate): {}",
        summary(&crate_level)
    );
    println!(
        "{}; {} set or removed by overlays",
        paginator_counts(model),
        overlay_paging(specs_dir)
    );
    println!("{}", waiter_counts(model));
    ExitCode::SUCCESS
}

/// How many actions of the hand-written overlays (every spec file outside `upstream/`) state
/// their paging, replacing or removing the rule the import found.
fn overlay_paging(specs_dir: &Path) -> usize {
    let files = std::fs::read_dir(specs_dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|entry| entry.file_name() != import::UPSTREAM_DIR)
        .flat_map(|entry| {
            std::fs::read_dir(entry.path())
                .into_iter()
                .flatten()
                .flatten()
        });
    files
        .filter_map(|file| std::fs::read(file.path()).ok())
        .filter_map(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
        .map(|spec| {
            spec["actions"].as_object().map_or(0, |actions| {
                actions
                    .values()
                    .filter(|a| a.get("paging").is_some())
                    .count()
            })
        })
        .sum()
}

/// `waiters: 13 (6 services, 9 actions)`.
fn waiter_counts(model: &model::CrateModel) -> String {
    let (mut waiters, mut actions, mut services) = (0, 0, 0);
    for service in &model.services {
        let before = waiters;
        for action in service.versions.iter().flat_map(|v| &v.actions) {
            waiters += action.waiters.len();
            actions += usize::from(!action.waiters.is_empty());
        }
        services += usize::from(waiters > before);
    }
    format!("waiters: {waiters} ({services} services, {actions} actions)")
}

/// `paginators: 2889 actions (offset 2267, page number 490, token 132)`.
fn paginator_counts(model: &model::CrateModel) -> String {
    let mut by_rule: BTreeMap<&str, usize> = BTreeMap::new();
    let actions = model
        .services
        .iter()
        .flat_map(|service| &service.versions)
        .flat_map(|version| &version.actions);
    for action in actions {
        if let Some(paging) = &action.paging {
            let rule = match paging.rule {
                tencentcloud_spec::types::PagingRule::Offset => "offset",
                tencentcloud_spec::types::PagingRule::Page => "page number",
                tencentcloud_spec::types::PagingRule::Token => "token",
            };
            *by_rule.entry(rule).or_default() += 1;
        }
    }
    let all: usize = by_rule.values().sum();
    let rules: Vec<String> = by_rule
        .iter()
        .map(|(rule, count)| format!("{rule} {count}"))
        .collect();
    format!("paginators: {all} actions ({})", rules.join(", "))
}

fn summary(tally: &Tally) -> String {
    let files = format!(
        "{} written, {} unchanged, {} removed",
        plural(tally.written, "file"),
        tally.unchanged,
        tally.removed
    );
    match tally.counts {
        Some((actions, objects, errors)) => format!(
            "{}, {}, {}; {files}",
            plural(actions, "action"),
            plural(objects, "object"),
            plural(errors, "error code"),
        ),
        None => files,
    }
}
